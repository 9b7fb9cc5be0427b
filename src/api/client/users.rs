//! medusa-js's `admin.users` on either dialect: list (one page, or every page at once), retrieve,
//! find by e-mail, where a person has access, create (resumable on v2), update and delete.

use std::collections::HashSet;

use super::passwords::check_new_password;
use super::{Client, CreateStep, LIST_ALL_CONCURRENCY, LIST_ALL_FIRST_PAGE};
use crate::api::dialect::Dialect;
use crate::api::error::ApiError;
use crate::api::invites::InviteListParams;
use crate::api::types::{Access, CreateUser, Deleted, ListParams, UpdateUser, User, UserPage};
use crate::api::{v1, v2};

impl Client {
    /// `admin.users.list`: one page.
    pub async fn list(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::list(&self.transport, params).await,
            Dialect::V2 => v2::list(&self.transport, params).await,
        }
    }

    /// Every user matching `params` (its limit and offset are ignored), as one list object, as
    /// `users list --all --json` prints it.
    ///
    /// Round trips are what this costs (the server's work per user is the same however it is
    /// asked), so it asks for [`LIST_ALL_FIRST_PAGE`] users at once, which is every user of most
    /// stores. When `count` says there are more, the rest is asked for in pages of the size the
    /// server actually answered with (a server that caps `limit` is paged at its cap), at most
    /// [`LIST_ALL_CONCURRENCY`] at a time and put together in offset order, so the server's order
    /// survives. At most that many pages are in flight, which bounds the memory the pages take
    /// besides the result itself.
    ///
    /// Users may change meanwhile: users that move between pages (someone created one) are
    /// de-duplicated by id, and if any page shows another `count` than the first did, the rest
    /// is walked again one page after another, which is as correct as a sequential walk (a
    /// created user is never the cause of a missed one).
    pub async fn list_all(&self, params: &ListParams) -> Result<UserPage, ApiError> {
        use futures::StreamExt;

        let page_at = |offset: u64, limit: u32| ListParams {
            limit: Some(limit),
            offset: Some(offset),
            ..params.clone()
        };
        let first = self.list(&page_at(0, LIST_ALL_FIRST_PAGE)).await?;
        let first_count = first.count;
        let mut count = first_count;
        let step = first.users.len() as u64;
        // `count` is the server's word: reserve on it, but no more than a first page's worth.
        let reserve = usize::try_from(count).map_or(0, |c| c.min(LIST_ALL_FIRST_PAGE as usize));
        let mut users: Vec<User> = Vec::with_capacity(reserve);
        let mut seen = HashSet::new();
        let keep = |page: UserPage, users: &mut Vec<User>, seen: &mut HashSet<String>| {
            for user in page.users {
                if seen.insert(user.id.clone()) {
                    users.push(user);
                }
            }
        };
        keep(first, &mut users, &mut seen);
        let mut offset = step;
        if step > 0 && offset < count {
            // The server's page size, so a capped server is asked for exactly what it gives.
            let limit = u32::try_from(step).unwrap_or(LIST_ALL_FIRST_PAGE);
            // Lazily: `count` is the server's word, and only a few pages are ever in flight.
            let planned = count;
            let offsets = (1u64..)
                .map_while(move |k| k.checked_mul(step))
                .take_while(move |o| *o < planned);
            let mut pages = futures::stream::iter(offsets)
                .map(|o| {
                    let p = page_at(o, limit);
                    async move { self.list(&p).await.map(|page| (o, page)) }
                })
                .buffered(LIST_ALL_CONCURRENCY);
            let mut changed = false;
            while let Some(answer) = pages.next().await {
                let (o, page) = answer?;
                changed |= page.count != first_count;
                count = count.max(page.count);
                offset = o + page.users.len() as u64;
                keep(page, &mut users, &mut seen);
            }
            if changed {
                // Users were created or deleted meanwhile. Pages asked for at the same time
                // saw different lists: a later page may have been read before users were
                // inserted ahead of it, leaving a gap no offset arithmetic can find. A walk
                // one page after another from the end of the first page has no such gap for
                // created users (they only push the rest further on), so do that, keeping only
                // the first page so that the server's order survives.
                users.truncate(usize::try_from(step).unwrap_or(usize::MAX));
                seen = users.iter().map(|u| u.id.clone()).collect();
                offset = step;
            }
            while offset < count {
                let page = self.list(&page_at(offset, limit)).await?;
                count = page.count;
                let got = page.users.len() as u64;
                keep(page, &mut users, &mut seen);
                offset += got;
                if got == 0 {
                    break;
                }
            }
        }
        let total = users.len() as u64;
        Ok(UserPage {
            users,
            count: count.max(total),
            offset: 0,
            limit: total,
        })
    }

    /// `admin.users.retrieve`.
    pub async fn retrieve(&self, id: &str) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::retrieve(&self.transport, id).await,
            Dialect::V2 => v2::retrieve(&self.transport, id).await,
        }
    }

    /// The user with this e-mail, if any (exact match after lower-casing).
    pub async fn find_by_email(&self, email: &str) -> Result<Option<User>, ApiError> {
        let email = email.trim().to_lowercase();
        match self.dialect().await? {
            Dialect::V1 => v1::find_by_email(&self.transport, &email).await,
            Dialect::V2 => v2::find_by_email(&self.transport, &email).await,
        }
    }

    /// What access the person with this e-mail has here: their user, if any, and their pending
    /// (not yet accepted) invites, expired ones included.
    pub async fn access_of(&self, email: &str) -> Result<Access, ApiError> {
        let user = self.find_by_email(email).await?;
        let mut invites = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = self
                .list_invites(&InviteListParams {
                    q: Some(email.to_lowercase()),
                    limit: Some(100),
                    offset: Some(offset),
                    ..InviteListParams::default()
                })
                .await?;
            let got = page.invites.len() as u64;
            invites.extend(
                page.invites
                    .into_iter()
                    .filter(|i| !i.accepted && i.email.eq_ignore_ascii_case(email)),
            );
            offset += got;
            if got == 0 || offset >= page.count {
                break;
            }
        }
        Ok(Access { user, invites })
    }

    /// `admin.users.create`. Safe to retry on both dialects: a create whose outcome was lost
    /// never makes a second user (v1 looks the e-mail up; v2's invite → register → accept
    /// resumes where an earlier run stopped).
    pub async fn create(&self, user: &CreateUser) -> Result<User, ApiError> {
        self.create_with_progress(user, &|_| {}).await
    }

    /// [`Client::create`], telling `progress` which step of a multi-step create is running.
    pub async fn create_with_progress(
        &self,
        user: &CreateUser,
        progress: &(dyn Fn(CreateStep) + Send + Sync),
    ) -> Result<User, ApiError> {
        match self.dialect().await? {
            // v1 takes an empty password (a user who can never log in); the CLI and the TUI
            // refuse it, the client sends what it is given.
            Dialect::V1 => v1::create(&self.transport, user).await,
            Dialect::V2 => {
                check_new_password(&user.password, true)?;
                v2::create(&self.transport, user, progress).await
            }
        }
    }

    /// `admin.users.update`.
    pub async fn update(&self, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::update(&self.transport, id, update).await,
            Dialect::V2 => v2::update(&self.transport, id, update).await,
        }
    }

    /// `admin.users.delete`. Where the server refuses self-deletion (v2), that is refused here
    /// before sending.
    pub async fn delete(&self, id: &str) -> Result<Deleted, ApiError> {
        let caps = self.capabilities().await?;
        if !caps.self_delete && self.is_self(id).await? {
            return Err(ApiError::usage(
                "you cannot delete your own account on this server; sign in as another admin",
            ));
        }
        match self.dialect().await? {
            Dialect::V1 => v1::delete(&self.transport, id).await,
            Dialect::V2 => v2::delete(&self.transport, id).await,
        }
    }
}
