//! Diagnostics. Off by default; `MEDUSA_USERS_LOG=info` (or debug, or any tracing filter)
//! turns them on. No log line ever carries a password, token or request body: the client logs
//! methods, paths, statuses and timings only.

use tracing_subscriber::EnvFilter;

pub const ENV: &str = "MEDUSA_USERS_LOG";

/// Logs to standard error (the CLI), quiet unless `MEDUSA_USERS_LOG` asks.
pub fn init_stderr() {
    let filter = EnvFilter::try_from_env(ENV).unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Around a live progress bar, never through it.
        .with_writer(|| crate::cli::progress::StderrAroundBar)
        .with_target(false)
        .try_init();
}

/// Logs to a file (the TUI owns the terminal). Only when `MEDUSA_USERS_LOG` is set; the file is
/// `MEDUSA_USERS_LOG_FILE`, or `medusa-users.log` in the user's state directory, created 0600.
pub fn init_file() -> std::io::Result<()> {
    let Ok(filter) = EnvFilter::try_from_env(ENV) else {
        return Ok(());
    };
    let path = match std::env::var_os("MEDUSA_USERS_LOG_FILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let dir = crate::files::state_dir()
                .ok_or_else(|| std::io::Error::other("no home directory for the log file"))?;
            std::fs::create_dir_all(&dir)?;
            dir.join("medusa-users.log")
        }
    };
    let file = crate::files::append_private(&path)?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .try_init();
    Ok(())
}
