//! The Invites tab: its list (one page at a time, like the users), the keys that act on an
//! invite (create, resend, revoke, copy its token or link), the replies to those requests and
//! their drawing. Kept apart from the user list so neither grows into the other.
//!
//! Here the state ([`Tab`], [`InviteList`]); beside it paging (`paging.rs`), keys (`keys.rs`),
//! replies (`replies.rs`), the table and the detail pane (`view.rs`), the revoke question
//! (`revoke.rs`) and the other invite dialogs (`dialogs.rs`).

use crate::api::{Invite, InviteListParams, InviteOrder, InvitePage};
use crate::tui::app::RequestId;

pub(crate) mod dialogs;
mod keys;
mod paging;
mod replies;
pub(crate) mod revoke;
pub(crate) mod view;

/// Which list the body shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Users,
    Invites,
}

/// The invite list: one page, plus the query that produced it. On v1 the client filters and
/// pages the whole list itself (`server_paged: false` on the page); the app does not care.
#[derive(Debug, Clone, Default)]
pub struct InviteList {
    pub page: Option<InvitePage>,
    pub selected: usize,
    pub offset: u64,
    pub page_size: u32,
    pub q: String,
    /// Newest first unless `o`/`O` changed it.
    pub order: InviteOrder,
    pub request: Option<RequestId>,
    /// Select the last row when the page being loaded arrives (paging up).
    land_last: bool,
    /// Invites marked for a bulk resend or revoke, in the order marked; marks survive paging.
    pub marked: Vec<Invite>,
    /// Select this row when the page being loaded arrives (the same invite's place after a
    /// resize changed the page size); until then the selection stays on the page shown.
    land_row: Option<usize>,
}

impl InviteList {
    pub(super) fn params(&self) -> InviteListParams {
        InviteListParams {
            limit: Some(self.page_size),
            offset: Some(self.offset),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            email: None,
            order: Some(self.order),
        }
    }

    pub fn invites(&self) -> &[Invite] {
        self.page
            .as_ref()
            .map(|p| p.invites.as_slice())
            .unwrap_or(&[])
    }

    pub fn selected_invite(&self) -> Option<&Invite> {
        self.invites().get(self.selected)
    }

    pub fn count(&self) -> u64 {
        self.page.as_ref().map_or(0, |p| p.count)
    }

    pub fn is_loading(&self) -> bool {
        self.request.is_some()
    }

    pub fn page_total(&self) -> u64 {
        super::page_total(self.count(), u64::from(self.page_size))
    }

    /// `1–5 of 12 · page 1/3`, like the user list.
    pub fn summary(&self) -> String {
        let Some(page) = &self.page else {
            return if self.is_loading() { "loading…" } else { "" }.to_owned();
        };
        if page.count == 0 {
            return if self.q.is_empty() {
                "no pending invites"
            } else {
                "no invites match"
            }
            .to_owned();
        }
        super::page_summary(
            page.offset,
            page.invites.len() as u64,
            page.count,
            u64::from(self.page_size),
        )
    }
}
