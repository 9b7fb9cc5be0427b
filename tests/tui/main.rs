//! The TUI's in-process suites, one test binary: each module was its own `tests/*.rs` binary,
//! linked against the crate once each. They drive the pure `App` (and the event loop on
//! tokio's paused clock, one runtime per test) and render on ratatui's `TestBackend`: no
//! terminal, no network, nothing shared between tests, so they run side by side. Snapshots
//! are in `snapshots/` here, named `tui__<module>__<name>.snap` by insta.

#[path = "../support/mod.rs"]
mod support;

mod prop_tui;
mod tui_invites;
mod tui_loop;
mod tui_snapshots;
mod tui_update;
mod tui_v2;
