//! Serde types for Medusa v1's admin-users API, shaped after what a real Medusa 1.20.11 sends
//! (see `tests/fixtures/medusa-v1/`). Unknown response fields are ignored, so a newer server that
//! adds keys (or the `password_hash: null` an update sometimes leaks) still decodes.
//!
//! One module a kind of value: `role`, `timestamp`, `user` (a user in either dialect's shape,
//! the list page and envelopes, a person's access), `list` (sort orders and list parameters) and
//! `requests` (the bodies of create, update and reset-password).

mod list;
mod requests;
mod role;
mod timestamp;
mod user;

pub(crate) use list::parse_order;
pub use list::{ListParams, Order, OrderField};
pub use requests::{CreateUser, ResetPassword, UpdateUser, is_plausible_email};
pub use role::Role;
pub(crate) use timestamp::serialize_times;
pub use timestamp::{Timestamp, relative};
pub use user::{Access, Deleted, User, UserEnvelope, UserPage};
