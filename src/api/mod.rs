//! The typed client for Medusa's admin-users API: what medusa-js calls `admin.users`, plus
//! invites and the auth routes it needs, for Medusa v1 and v2. No UI code lives here; the CLI
//! and the TUI both sit on top of it and ask [`Capabilities`] what the server can do.
//!
//! - `transport`: HTTP, retries, limits, decoding, error classification (both dialects);
//! - `dialect`: which Medusa it is, and detection;
//! - `capabilities`: what that Medusa can do;
//! - `v1`, `v2`: each dialect's routes, bodies and quirks;
//! - `client`: the one [`Client`] callers use.

pub mod capabilities;
pub mod client;
pub mod dialect;
pub mod error;
pub mod invites;
pub mod operation;
pub mod retry;
mod transport;
pub mod types;
mod v1;
mod v2;

pub use capabilities::{Capabilities, CreateFlow};
pub use client::{Client, ClientOptions, CreateStep, Credentials, Identity};
pub use dialect::{Dialect, DialectChoice};
pub use error::{ApiError, ErrorKind};
pub use invites::{
    AcceptInvite, ApiKey, CreateInvite, Invite, InviteListParams, InviteOrder, InviteOrderField,
    InvitePage, InviteStatus, invite_link,
};
pub use operation::Operation;
pub use transport::jwt_claims;
pub use types::*;
pub use v2::{MFA_REQUIRED, VERIFICATION_REQUIRED, reset_link};
