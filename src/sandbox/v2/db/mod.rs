//! The v2 dialect's tables (created by the shared schema in `store/mod.rs`): plain functions on
//! a connection, called inside `Store::read` / `Store::write` so that a handler's checks and
//! writes happen in one transaction.

pub mod api_keys;
pub mod invites;
pub mod listing;
pub mod users;

use serde_json::{Map, Value};

/// Stored as JSON text; anything but an object (a hand-edited file) reads as null rather than
/// failing every request that touches the row.
fn metadata_from(text: Option<String>) -> Option<Map<String, Value>> {
    text.and_then(|m| match serde_json::from_str(&m) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    })
}

fn metadata_text(m: Option<&Map<String, Value>>) -> Option<String> {
    m.map(|m| Value::Object(m.clone()).to_string())
}
