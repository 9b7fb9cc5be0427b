//! When the process started, to log how long the console took to show its first rows
//! (`MEDUSA_USERS_LOG=info`: `startup: first frame with data after N ms`). `benches/startup.sh`
//! reads that line; with `MEDUSA_USERS_EXIT_AFTER_FIRST_DATA=1` the console quits right after
//! that frame, so the script can time whole runs from exec to exit.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Marks the start: the first thing `main` does.
pub fn mark() {
    let _ = STARTED.set(Instant::now());
}

/// Time since [`mark`], if it was called.
pub fn elapsed() -> Option<std::time::Duration> {
    STARTED.get().map(Instant::elapsed)
}

/// The benchmark hook: quit once the first rows are on screen.
pub fn exit_after_first_data() -> bool {
    std::env::var_os("MEDUSA_USERS_EXIT_AFTER_FIRST_DATA").is_some_and(|v| v == "1")
}
