//! Progress for long CLI work (`invites list --all`, commands across stores): a bar or spinner
//! on standard error, drawn only when standard error is a terminal.
//!
//! Piped or redirected, nothing is drawn at all, so scripts and log files never see `\r` or
//! escape sequences, and standard output never carries any of it.
//!
//! One bar at a time is live, and [`suspend`] is how every other writer to the terminal
//! ([`super::console`], the stderr log through [`StderrAroundBar`]) gets it out of the way: the bar is wiped, the text written, the bar
//! drawn again below it. Dropping a [`Progress`] wipes it for good, so a caller ends its bar
//! (drops it) before printing its result or asking a question.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The live bar, for [`suspend`]. A clone: `ProgressBar` is a handle to shared state.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// How often the spinner turns and the elapsed time updates while nothing else happens (a slow
/// store is exactly when the operator needs to see that the command is still alive).
const TICK: Duration = Duration::from_millis(120);

/// A bar counting things done out of a total, or a spinner until the total is known.
pub struct Progress {
    bar: ProgressBar,
    /// Names still being waited for (stores), shown after the count. Behind a lock so that
    /// concurrent stores can each tick off their own name through a shared `&Progress`.
    pending: Mutex<Vec<String>>,
}

/// Whether a bar may be drawn: only where someone watches, a terminal.
fn wanted() -> bool {
    std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    // The templates are ours and constant; a bad one falls back to indicatif's plain bar
    // rather than failing the command over its decoration.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Progress {
    fn start(bar: ProgressBar) -> Progress {
        bar.enable_steady_tick(TICK);
        if let Ok(mut active) = ACTIVE.lock() {
            *active = Some(bar.clone());
        }
        Progress {
            bar,
            pending: Mutex::new(Vec::new()),
        }
    }

    /// `⠋ 1/3 stores answered · waiting for: shop, eu (4s)`: one step per store, naming the
    /// stores not done yet, so a slow one is visible by name.
    pub fn stores(names: &[String], verb: &str) -> Progress {
        let bar = if wanted() {
            ProgressBar::with_draw_target(Some(names.len() as u64), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(style(&format!(
            "{{spinner}} {{pos}}/{{len}} stores {verb}{{msg}} ({{elapsed}})"
        )));
        let p = Progress::start(bar);
        if let Ok(mut pending) = p.pending.lock() {
            *pending = names.to_vec();
        }
        p.show_pending();
        p
    }

    /// `⠋ invites 200/1234 (3s)`: a count of `what` fetched so far; the total is set once the
    /// first page says it ([`Progress::set_total`]).
    pub fn items(what: &str) -> Progress {
        let bar = if wanted() {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(style("{spinner} {prefix} {pos} ({elapsed})"));
        bar.set_prefix(what.to_owned());
        Progress::start(bar)
    }

    /// The total became known ([`Progress::items`]): from here on a bar with `pos/len`.
    pub fn set_total(&self, total: u64) {
        if self.bar.length() == Some(total) {
            return;
        }
        self.bar.set_length(total);
        self.bar
            .set_style(style("{spinner} {prefix} {bar:30} {pos}/{len} ({elapsed})"));
    }

    pub fn advance(&self, n: u64) {
        self.bar.inc(n);
    }

    /// One store is done: counted, and no longer named as pending.
    pub fn store_done(&self, name: &str) {
        if let Ok(mut pending) = self.pending.lock()
            && let Some(i) = pending.iter().position(|p| p == name)
        {
            pending.remove(i);
        }
        self.bar.inc(1);
        self.show_pending();
    }

    fn show_pending(&self) {
        let waiting = self
            .pending
            .lock()
            .map(|p| p.join(", "))
            .unwrap_or_default();
        if waiting.is_empty() {
            self.bar.set_message("");
        } else {
            self.bar.set_message(format!(" · waiting for: {waiting}"));
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Wiped, not left behind: what comes next (a table, a question) starts on a clean line.
        self.bar.finish_and_clear();
        if let Ok(mut active) = ACTIVE.lock() {
            *active = None;
        }
    }
}

/// Runs `write` with the live bar (if any) wiped from the terminal, then draws the bar again:
/// every write to stdout or stderr goes through here, so text and bar never share a line.
pub fn suspend<T>(write: impl FnOnce() -> T) -> T {
    let bar = ACTIVE.lock().ok().and_then(|a| a.clone());
    match bar {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Standard error for the CLI's log lines: each line is written with the bar wiped, so a log
/// line (a warning from the client, `MEDUSA_USERS_LOG=debug`) never lands inside the bar.
pub struct StderrAroundBar;

impl Write for StderrAroundBar {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // tracing's formatter hands over a whole line per write.
        suspend(|| std::io::stderr().lock().write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().lock().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_a_terminal_the_bar_is_hidden_and_still_counts() {
        // cargo test captures stderr: not a terminal, so nothing may be drawn.
        let p = Progress::stores(&["a".to_owned(), "b".to_owned()], "answered");
        assert!(p.bar.is_hidden());
        p.store_done("a");
        assert_eq!(p.bar.position(), 1);
        assert_eq!(*p.pending.lock().unwrap(), ["b"]);
        // Writers still run while a (hidden) bar is live, and it is gone once dropped.
        assert_eq!(suspend(|| 7), 7);
        drop(p);
        assert!(ACTIVE.lock().map(|a| a.is_none()).unwrap_or(false));
    }
}
