//! The HTTP client's hermetic suites, one test binary: each module was its own `tests/*.rs`
//! binary, linked against the crate once each. Every test brings its own server (wiremock, a
//! self-signed TLS listener, or a sandbox behind a fault proxy, all on free ports) or none at
//! all (the decoding properties), so they run side by side; none reaches a real server.

#[path = "../support/mod.rs"]
mod support;

mod client_dialects;
mod client_faults;
mod client_http;
mod client_tls;
mod prop_decode;
