//! medusa-users: a keyboard-first terminal console (and scriptable CLI) for the admin users of
//! a Medusa commerce store, with an embedded Medusa-compatible sandbox backend.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod cli;
pub mod config;
pub mod connect;
pub mod files;
pub mod logging;
pub mod safe_text;
pub mod sandbox;
pub mod secret;
pub mod session_store;
pub mod startup;
pub mod tui;
