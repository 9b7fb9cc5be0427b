//! The console's screens, one folder each: a screen's state, its keys, the replies to its
//! requests and its drawing sit together. What every screen shares stays in `app/` (the
//! [`App`](super::app::App), its one `update`, the modal stack, request bookkeeping) and
//! `ui/` (the frame: header, status line, footer, and the drawing pieces dialogs share).
//!
//! - `users/`: the user list and one user's detail, the create and edit forms as drawn.
//! - `invites/`: the Invites tab, its list, its dialogs (new invite, token, revoke).
//! - `search.rs`: the search box and the go-to-page prompt.
//! - `form.rs`: the keys of every form; `login.rs`, `discard.rs`: the login screen and
//!   "discard what you typed?".
//! - `delete/`, `reset/`: deleting a user, resetting a password.
//! - `bulk/`: marks and bulk actions; `export/`: the list to a file; `everywhere/`: one
//!   person's access in every store; `profiles/`: the profile switcher.
//! - `help/`: the help overlay and the message log.

pub(crate) mod bulk;
pub(crate) mod delete;
pub(crate) mod discard;
pub(crate) mod everywhere;
pub(crate) mod export;
mod form;
pub(crate) mod help;
pub(crate) mod invites;
pub(crate) mod login;
pub(crate) mod profiles;
pub(crate) mod reset;
pub(crate) mod search;
pub(crate) mod users;

/// How many pages `count` rows make at `page_size` a page (at least one, so "page 1/1" is
/// shown for an empty list).
pub(crate) fn page_total(count: u64, page_size: u64) -> u64 {
    count.div_ceil(page_size.max(1)).max(1)
}

/// `21–40 of 137 · page 2/7`: where a page of `shown` rows at `offset` stands in a list of
/// `count`, `size` rows a page. The numbers come from the server: nothing here can overflow or
/// divide by zero.
pub(crate) fn page_summary(offset: u64, shown: u64, count: u64, size: u64) -> String {
    let first = if shown == 0 {
        offset
    } else {
        offset.saturating_add(1)
    };
    let size = size.max(1);
    format!(
        "{first}–{} of {count} · page {}/{}",
        offset.saturating_add(shown),
        (offset / size).saturating_add(1),
        page_total(count, size)
    )
}

#[cfg(test)]
mod tests {
    use super::{page_summary, page_total};

    #[test]
    fn the_page_summary_counts_from_one_and_survives_any_server_numbers() {
        assert_eq!(page_summary(20, 20, 137, 20), "21–40 of 137 · page 2/7");
        assert_eq!(page_summary(0, 0, 0, 20), "0–0 of 0 · page 1/1");
        assert_eq!(page_total(0, 0), 1);
        // A server may say anything: no overflow, no division by zero.
        let s = page_summary(u64::MAX, 5, u64::MAX, 0);
        assert!(
            s.starts_with(&format!("{}–{} of", u64::MAX, u64::MAX)),
            "{s}"
        );
    }
}
