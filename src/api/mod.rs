//! The typed client for Medusa's admin-users API: what medusa-js calls `admin.users`, plus the
//! auth routes it needs. No UI code lives here; the CLI and the TUI both sit on top of it.

pub mod client;
pub mod error;
pub mod retry;
pub mod types;

pub use client::{Client, ClientOptions, Credentials};
pub use error::{ApiError, ErrorKind};
pub use types::*;
