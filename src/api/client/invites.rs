//! Invites on either dialect: list (paged here where v1 has no pages), retrieve, create, resend,
//! revoke, and accepting one as the invitee.

use super::passwords::check_new_password;
use super::{Client, LIST_ALL_PAGE_SIZE};
use crate::api::dialect::Dialect;
use crate::api::error::ApiError;
use crate::api::invites::{AcceptInvite, CreateInvite, Invite, InviteListParams, InvitePage};
use crate::api::types::{Deleted, User};
use crate::api::{v1, v2};

impl Client {
    /// One page of invites, newest first. v1 returns all invites at once: the search, paging
    /// and order are applied here, and the page says so (`server_paged: false`).
    pub async fn list_invites(&self, params: &InviteListParams) -> Result<InvitePage, ApiError> {
        match self.dialect().await? {
            Dialect::V2 => v2::list_invites(&self.transport, params).await,
            Dialect::V1 => {
                let mut all = v1::list_invites(&self.transport).await?;
                let q = params.q.as_deref().map(|q| q.trim().to_lowercase());
                all.retain(|i| {
                    q.as_deref()
                        .is_none_or(|q| i.email.to_lowercase().contains(q))
                        && params.email.as_deref().is_none_or(|e| i.email == e)
                });
                // No ORDER BY on v1: sorted here (newest first unless asked), then by id, so
                // the order is stable.
                params.order.unwrap_or_default().sort(&mut all);
                let count = all.len() as u64;
                let offset = params.offset.unwrap_or(0);
                let limit = params.limit.map_or(count, u64::from);
                let invites: Vec<Invite> = all
                    .into_iter()
                    .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                    .take(usize::try_from(limit).unwrap_or(usize::MAX))
                    .collect();
                Ok(InvitePage {
                    invites,
                    count,
                    offset,
                    limit,
                    server_paged: false,
                })
            }
        }
    }

    /// Every invite (all pages).
    pub async fn list_all_invites(&self) -> Result<InvitePage, ApiError> {
        let mut invites = Vec::new();
        let mut offset = 0u64;
        loop {
            let page = self
                .list_invites(&InviteListParams {
                    limit: Some(LIST_ALL_PAGE_SIZE),
                    offset: Some(offset),
                    ..InviteListParams::default()
                })
                .await?;
            let got = page.invites.len() as u64;
            let count = page.count;
            let server_paged = page.server_paged;
            invites.extend(page.invites);
            offset += got;
            if got == 0 || offset >= count {
                let total = invites.len() as u64;
                return Ok(InvitePage {
                    invites,
                    count: count.max(total),
                    offset: 0,
                    limit: total,
                    server_paged,
                });
            }
        }
    }

    /// One invite by id (v1 has no such route: it is found in the list).
    pub async fn retrieve_invite(&self, id: &str) -> Result<Invite, ApiError> {
        match self.dialect().await? {
            Dialect::V2 => v2::retrieve_invite(&self.transport, id).await,
            Dialect::V1 => v1::list_invites(&self.transport)
                .await?
                .into_iter()
                .find(|i| i.id == id.trim())
                .ok_or_else(|| ApiError::NotFound {
                    message: format!("no pending invite with id {}", id.trim()),
                }),
        }
    }

    /// Invites someone. The e-mail is lower-cased: both dialects compare invite e-mails
    /// exactly, while users are lower-cased (v1) or compared exactly (v2), so a mixed-case
    /// invite would fail or make a second account.
    pub async fn create_invite(&self, invite: &CreateInvite) -> Result<Invite, ApiError> {
        let email = invite.email.trim().to_lowercase();
        if !crate::api::types::is_plausible_email(&email) {
            return Err(ApiError::usage(format!(
                "{email:?} is not an e-mail address"
            )));
        }
        let caps = self.capabilities().await?;
        if invite.role.is_some() && !caps.invites.roles {
            return Err(ApiError::usage("this server has no roles for invites"));
        }
        let invite = CreateInvite {
            email,
            role: invite.role,
        };
        match self.dialect().await? {
            Dialect::V1 => v1::create_invite(&self.transport, &invite).await,
            Dialect::V2 => v2::create_invite(&self.transport, &invite).await,
        }
    }

    /// A new token for an invite (the old one stops working on v2; on v1 older tokens keep
    /// working until the invite is accepted, revoked or expires).
    pub async fn resend_invite(&self, id: &str) -> Result<Invite, ApiError> {
        match self.dialect().await? {
            Dialect::V1 => v1::resend_invite(&self.transport, id).await,
            Dialect::V2 => v2::resend_invite(&self.transport, id).await,
        }
    }

    /// Revokes (deletes) an invite. Both servers answer 200 for any id, which would hide a
    /// typo, so the invite is looked up first.
    pub async fn revoke_invite(&self, id: &str) -> Result<Deleted, ApiError> {
        self.retrieve_invite(id).await?;
        match self.dialect().await? {
            Dialect::V1 => v1::revoke_invite(&self.transport, id).await,
            Dialect::V2 => v2::revoke_invite(&self.transport, id).await,
        }
    }

    /// Accepts an invite as the invitee (needs no admin credentials). v2 answers with the new
    /// user; v1 only says it worked.
    pub async fn accept_invite(&self, accept: &AcceptInvite) -> Result<Option<User>, ApiError> {
        check_new_password(&accept.password, false)?;
        if accept.token.trim().is_empty() {
            return Err(ApiError::usage("an invite token is required"));
        }
        match self.detected().await? {
            Dialect::V1 => v1::accept_invite(&self.transport, accept)
                .await
                .map(|()| None),
            Dialect::V2 => v2::accept_invite(&self.transport, accept).await.map(Some),
        }
    }
}
