//! The user list and one user's detail: the list is one server page at a time, plus the
//! query that produced it (search, role filter, sort), with its neighbouring pages fetched
//! ahead.
//!
//! Here the state ([`UserList`], [`Land`]); beside it the list's keys (`keys.rs`), paging and
//! finding a user in the view (`paging.rs`), the pages fetched ahead (`prefetch.rs`), the
//! table and the detail pane (`view.rs`) and the dialogs over the list (`dialogs.rs`: the
//! detail screen, the create and edit forms).

use crate::api::{ListParams, Order, Role, User, UserPage};
use crate::tui::app::RequestId;

pub(crate) mod dialogs;
mod keys;
mod paging;
pub(crate) mod prefetch;
mod replies;
pub(crate) mod view;

/// Where the selection lands when the page being loaded arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Land {
    Row(usize),
    Last,
    /// On this user, wherever it is on the page; on `row` if it is not there.
    User {
        id: String,
        row: usize,
    },
}

/// The user list: one server page at a time, plus the query that produced it.
#[derive(Debug, Clone)]
pub struct UserList {
    pub page: Option<UserPage>,
    pub selected: usize,
    pub offset: u64,
    pub page_size: u32,
    pub q: String,
    pub order: Order,
    pub role: Option<Role>,
    pub request: Option<RequestId>,
    /// Where the selection goes when the page being loaded arrives.
    pub land: Option<Land>,
    /// Users marked for a bulk action, in the order they were marked; marks survive paging,
    /// searching and sorting.
    pub marked: Vec<User>,
}

impl UserList {
    pub(crate) fn params(&self) -> ListParams {
        ListParams {
            limit: Some(self.page_size),
            offset: Some(self.offset),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            order: Some(self.order),
            roles: self.role.into_iter().collect(),
            email: None,
        }
    }

    pub fn users(&self) -> &[User] {
        self.page
            .as_ref()
            .map(|p| p.users.as_slice())
            .unwrap_or(&[])
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.users().get(self.selected)
    }

    pub fn count(&self) -> u64 {
        self.page.as_ref().map_or(0, |p| p.count)
    }

    pub fn page_number(&self) -> u64 {
        (self.offset / u64::from(self.page_size.max(1))).saturating_add(1)
    }

    pub fn page_total(&self) -> u64 {
        super::page_total(self.count(), u64::from(self.page_size))
    }

    /// `21–40 of 137 · page 2/7`.
    pub fn summary(&self) -> String {
        let Some(page) = &self.page else {
            return if self.is_loading() { "loading…" } else { "" }.to_owned();
        };
        if page.count == 0 {
            return if self.q.is_empty() && self.role.is_none() {
                "no users".to_owned()
            } else {
                "no users match".to_owned()
            };
        }
        // Everything describes the page on screen (while the next loads, still the old one),
        // at the size the server answered with.
        let size = match page.limit {
            0 => u64::from(self.page_size),
            limit => limit,
        };
        super::page_summary(page.offset, page.users.len() as u64, page.count, size)
    }

    pub fn is_loading(&self) -> bool {
        self.request.is_some()
    }

    /// The selected user's position in the whole list (0 is the first user of page 1).
    pub fn position(&self) -> u64 {
        self.offset.saturating_add(self.selected as u64)
    }

    /// Users in the whole list, as far as the app knows: the server's count, but never fewer
    /// than the rows it has shown.
    pub fn total(&self) -> u64 {
        self.count()
            .max(self.offset.saturating_add(self.users().len() as u64))
    }

    /// Whether a search or role filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.q.is_empty() || self.role.is_some()
    }

    /// The filters in force, for messages: `search "ali", role admin`.
    pub fn filters(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("search {:?}", self.q));
        }
        if let Some(role) = self.role {
            parts.push(format!("role {role}"));
        }
        parts.join(", ")
    }
}
