//! The console's screens, one folder each: a screen's state, its keys, the replies to its
//! requests and its drawing sit together. What every screen shares stays in `app/` (the
//! [`App`](super::app::App), its one `update`, the modal stack, request bookkeeping) and
//! `ui/` (the frame: header, status line, footer, and the drawing pieces dialogs share).

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
