//! The CLI's hermetic suites and the documents checked against the code (`readme`), one test
//! binary: each module was its own `tests/*.rs` binary, linked against the crate once each.
//! The CLI runs as the real binary with its own HOME, XDG directories and temp files, against
//! its own sandbox, mock or fake on a free port (or no server at all); no test here reaches a
//! real server, so they run side by side. The tmux tests here wait for prompts and exits, not
//! for a window of time; `cli_progress`, which must catch a progress bar in the two seconds it
//! is on screen, stays a binary of its own.

#[path = "../support/mod.rs"]
mod support;

mod cli_config;
mod cli_exit_codes;
mod cli_export;
mod cli_scripts;
mod readme;
