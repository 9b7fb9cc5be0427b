//! The sandbox's suites, one test binary: each module was its own `tests/sandbox_*.rs` binary,
//! linked against the crate once each. Every test here starts its own sandbox on a free port
//! (in memory or in its own temp dir), so they run side by side; none reaches a real server.

#[path = "../support/mod.rs"]
mod support;

mod sandbox_auth;
mod sandbox_http;
mod sandbox_listing;
mod sandbox_password;
mod sandbox_persistence;
mod sandbox_replay;
mod sandbox_reset;
mod sandbox_v1_invites;
mod sandbox_v2_deviations;
mod sandbox_v2_replay;
mod sandbox_v2_state;
