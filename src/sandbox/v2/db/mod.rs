//! The v2 dialect's tables (created by the shared schema in `store/mod.rs`): plain functions on
//! a connection, called inside `Store::read` / `Store::write` so that a handler's checks and
//! writes happen in one transaction.

pub mod api_keys;
pub mod invites;
pub mod listing;
pub mod users;

// One way to store metadata for both dialects.
use crate::sandbox::store::{metadata_from, metadata_text};
