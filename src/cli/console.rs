//! Where the CLI's text goes, and the only place that writes it.
//!
//! Standard output carries the result (a table, a key–value view, JSON). A reader may close it
//! early (`users list --all | head -1`): that is not an error, the command has done its work and
//! the reader has what it wanted, so [`print`](fn@print) reports it as [`Output::Closed`] and the command
//! ends quietly with exit 0 (README "Exit codes"). `println!` would panic instead.
//!
//! Every write goes through [`super::progress::suspend`], so a live progress bar on stderr is
//! wiped before any text reaches the terminal and never shares a line with it.
//!
//! Standard error carries summaries, warnings, prompts and error lines. Each of them may quote
//! server text or an argument, so [`note`] and [`prompt`] neutralise the whole line with
//! [`crate::safe_text::neutralise`]; a failed write to stderr is ignored, since there is nowhere
//! left to report it.

use std::io::{ErrorKind, IsTerminal, Write};

/// Why writing the result failed.
#[derive(Debug)]
pub enum Output {
    /// The reader closed standard output (a pipe to `head`, …): end quietly.
    Closed,
    /// Anything else (a full disk behind `> file`, …): a real failure.
    Failed(std::io::Error),
}

/// Writes `text` to standard output as it is (the caller neutralised human text; JSON is
/// exact) and flushes, so that a summary on stderr comes after it on a terminal.
pub fn print(text: &str) -> Result<(), Output> {
    print_bytes(text.as_bytes())
}

/// [`print`](fn@print) for output that is built as bytes (CSV, completion scripts, man pages).
pub fn print_bytes(bytes: &[u8]) -> Result<(), Output> {
    // On a terminal stdout and stderr share the screen: a live progress bar is wiped first.
    super::progress::suspend(|| {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush())
    })
    .map_err(|e| match e.kind() {
        ErrorKind::BrokenPipe => Output::Closed,
        _ => Output::Failed(e),
    })
}

/// `value` as pretty JSON and a newline, encoded straight into a buffered standard output:
/// the bytes of [`print`](fn@print)ing `serde_json::to_string_pretty`, without a second copy of a large
/// result (`users list --all --json`) held as text.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Output> {
    let closed_or_failed = |e: std::io::Error| match e.kind() {
        ErrorKind::BrokenPipe => Output::Closed,
        _ => Output::Failed(e),
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // An encoding error (a map with non-string keys) cannot happen for our types; if it did,
    // it is reported as a failed write rather than a panic.
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| closed_or_failed(e.into()))?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(closed_or_failed)
}

/// One line on standard error, neutralised.
pub fn note(line: &str) {
    super::progress::suspend(|| {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", crate::safe_text::neutralise(line));
    });
}

/// `error: …` on standard error, neutralised.
pub fn error(message: &str) {
    note(&format!("error: {message}"));
}

/// `warning: …` on standard error, neutralised.
pub fn warning(message: &str) {
    note(&format!("warning: {message}"));
}

/// Text on standard error exactly as given: for text that is already neutralised or entirely
/// our own.
pub fn print_stderr(text: &str) -> std::io::Result<()> {
    super::progress::suspend(|| {
        let mut err = std::io::stderr().lock();
        err.write_all(text.as_bytes())?;
        err.flush()
    })
}

/// A question on standard error, without a line ending (the answer follows on the same line).
pub fn prompt(question: &str) -> std::io::Result<()> {
    // A question is never asked under a live bar (callers drop theirs first); this only
    // guarantees it cannot be drawn over.
    super::progress::suspend(|| {
        let mut err = std::io::stderr().lock();
        write!(err, "{}", crate::safe_text::neutralise(question))?;
        err.flush()
    })
}

/// Whether standard output is a terminal, where server text must be neutralised even in
/// output that is otherwise exact (CSV).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The width human tables must fit: the terminal's when standard output is one, `None` (do not
/// cut) when it is a pipe or a file, so scripts get whole values. `COLUMNS`, when set to a
/// positive number, wins over the terminal's own size, as for `ls` and for clap's help.
pub fn table_width() -> Option<usize> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return Some(columns);
    }
    terminal_columns(&stdout)
}

#[cfg(unix)]
fn terminal_columns(stdout: &std::io::Stdout) -> Option<usize> {
    rustix::termios::tcgetwinsize(stdout)
        .ok()
        .map(|size| usize::from(size.ws_col))
        .filter(|&c| c > 0)
}

#[cfg(not(unix))]
fn terminal_columns(_stdout: &std::io::Stdout) -> Option<usize> {
    crossterm::terminal::size()
        .ok()
        .map(|(cols, _)| usize::from(cols))
        .filter(|&c| c > 0)
}
