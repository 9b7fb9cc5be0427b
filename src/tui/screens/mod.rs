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
