//! Runs the `medusa-users` CLI binary as a script would: a clean environment (nothing of the
//! test's own `MEDUSA_*` gets through), its own HOME and XDG directories, stdin closed or fed,
//! and stdout, stderr and the exit code captured.

#![allow(dead_code)]

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;

const BIN: &str = env!("CARGO_BIN_EXE_medusa-users");

/// A CLI set-up: the backend URL, environment, and a private home.
pub struct Cli {
    home: tempfile::TempDir,
    url: Option<String>,
    env: Vec<(String, String)>,
}

impl Cli {
    /// No backend, no credentials.
    pub fn bare() -> Cli {
        Cli {
            home: tempfile::Builder::new()
                .prefix("mu-cli-")
                .tempdir()
                .expect("temp dir for the CLI"),
            url: None,
            env: Vec::new(),
        }
    }

    /// Against `url`, no credentials.
    pub fn new(url: &str) -> Cli {
        Cli {
            url: Some(url.to_owned()),
            ..Cli::bare()
        }
    }

    /// Against a test target, with its admin API token in `MEDUSA_API_TOKEN`.
    pub fn for_target(t: &super::target::Target) -> Cli {
        Cli::new(&t.url).env("MEDUSA_API_TOKEN", &t.api_token)
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// HOME; XDG_CONFIG_HOME is `config/` under it (where `sessions.json` goes).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The command, set up but not started (for long-running children such as `sandbox`).
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        let home = self.home.path();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CACHE_HOME", home.join("cache"));
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        if let Some(url) = &self.url {
            cmd.arg("--url").arg(url);
        }
        cmd.args(args);
        cmd
    }

    /// Runs with stdin closed (not a terminal, no input).
    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, None).await
    }

    /// Runs with `input` on stdin.
    pub async fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        self.run_with(args, Some(input)).await
    }

    /// The command for `args`, killed when dropped, its stdin a pipe when there is `input` to
    /// write and nothing otherwise.
    fn command_fed(&self, args: &[&str], input: Option<&str>) -> tokio::process::Command {
        let mut cmd = self.command(args);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .kill_on_drop(true);
        cmd
    }

    async fn run_with(&self, args: &[&str], input: Option<&str>) -> Run {
        let mut cmd = self.command_fed(args, input);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let (what, started, child) = start(cmd, args, input).await;
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("{what}: still running after 60 s"))
            .unwrap();
        Run {
            what,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            took: started.elapsed(),
        }
    }
}

/// Starts `cmd` (the CLI with `args`) and writes `input` to its stdin: what ran (for messages),
/// when it started, the child.
async fn start(
    mut cmd: tokio::process::Command,
    args: &[&str],
    input: Option<&str>,
) -> (String, Instant, tokio::process::Child) {
    let what = format!("medusa-users {}", args.join(" "));
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    if let Some(input) = input {
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).await.unwrap();
    }
    (what, started, child)
}

/// How a run's standard output (or error) is connected, for the closed-pipe tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Read to the end (what [`Cli::run`] does).
    All,
    /// A pipe whose reader has already gone: every write fails with EPIPE.
    Gone,
    /// Read the first `n` bytes, then close the pipe, as `| head -c n` does.
    Head(usize),
}

impl Cli {
    /// Runs with stdout (and stderr) connected as given, `input` on stdin; a run's `stdout` is
    /// what was read of it.
    pub async fn run_piped(
        &self,
        args: &[&str],
        input: Option<&str>,
        stdout: Reader,
        stderr: Reader,
    ) -> Run {
        use tokio::io::AsyncReadExt;
        let mut cmd = self.command_fed(args, input);
        let connect = |reader: Reader| -> Stdio {
            match reader {
                Reader::Gone => {
                    let (read, write) = std::io::pipe().expect("a pipe");
                    drop(read);
                    Stdio::from(write)
                }
                Reader::All | Reader::Head(_) => Stdio::piped(),
            }
        };
        cmd.stdout(connect(stdout)).stderr(connect(stderr));
        let (what, started, mut child) = start(cmd, args, input).await;
        async fn read(pipe: Option<impl tokio::io::AsyncRead + Unpin>, how: Reader) -> Vec<u8> {
            let Some(mut pipe) = pipe else {
                return Vec::new();
            };
            let mut buf = Vec::new();
            match how {
                Reader::Head(n) => {
                    let mut chunk = vec![0u8; n];
                    let mut got = 0;
                    while got < n {
                        match pipe.read(&mut chunk[got..]).await {
                            Ok(0) | Err(_) => break,
                            Ok(k) => got += k,
                        }
                    }
                    buf.extend_from_slice(&chunk[..got]);
                    // Dropping the pipe here closes it, as head does when it has enough.
                }
                _ => {
                    let _ = pipe.read_to_end(&mut buf).await;
                }
            }
            buf
        }
        let out = read(child.stdout.take(), stdout);
        let err = read(child.stderr.take(), stderr);
        let (out, err, status) = tokio::time::timeout(Duration::from_secs(60), async {
            let (out, err) = tokio::join!(out, err);
            (out, err, child.wait().await)
        })
        .await
        .unwrap_or_else(|_| panic!("{what}: still running after 60 s"));
        Run {
            what,
            code: status.unwrap().code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr: String::from_utf8_lossy(&err).into_owned(),
            took: started.elapsed(),
        }
    }
}

/// One finished run.
#[derive(Debug)]
pub struct Run {
    pub what: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    /// Asserts success; returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "{} should succeed\n{self}", self.what);
        &self.stdout
    }

    /// Asserts success and parses stdout as exactly one JSON value.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        let out = self.ok();
        serde_json::from_str(out)
            .unwrap_or_else(|e| panic!("{}: stdout is not one JSON value ({e}):\n{out}", self.what))
    }

    /// Like [`Run::fails`], but `hint: …` lines may follow the error line (the CLI adds one
    /// after a 401 when no credentials were given).
    #[track_caller]
    pub fn fails_with_hints(&self, code: i32) -> &str {
        let lines = self.failed_lines(code);
        assert!(
            lines.first().is_some_and(|l| l.starts_with("error: "))
                && lines[1..].iter().all(|l| l.starts_with("hint: ")),
            "{}: one `error: …` line on stderr (then hints only)\n{self}",
            self.what
        );
        lines[0]
    }

    /// Asserts a failure with `code` and nothing on stdout; the lines on stderr.
    #[track_caller]
    fn failed_lines(&self, code: i32) -> Vec<&str> {
        assert_eq!(self.code, code, "{}: exit code\n{self}", self.what);
        assert!(
            self.stdout.is_empty(),
            "{}: nothing on stdout when failing\n{self}",
            self.what
        );
        self.stderr.lines().collect()
    }

    /// The `hint: …` lines after the error.
    pub fn hints(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("hint: "))
            .collect()
    }

    /// A command-line parsing error from clap: exit 2, nothing on stdout, stderr starting with
    /// `error: ` (clap follows it with its usage hint); returns all of stderr.
    #[track_caller]
    pub fn usage_error(&self) -> &str {
        assert_eq!(self.code, 2, "{}: exit code\n{self}", self.what);
        assert!(
            self.stdout.is_empty(),
            "{}: nothing on stdout\n{self}",
            self.what
        );
        assert!(
            self.stderr.starts_with("error: "),
            "{}: stderr\n{self}",
            self.what
        );
        &self.stderr
    }

    /// Asserts a failure with `code`, nothing on stdout and exactly one line on stderr, the
    /// `error: …` line; returns that line.
    pub fn fails(&self, code: i32) -> &str {
        let lines = self.failed_lines(code);
        assert!(
            lines.len() == 1 && lines[0].starts_with("error: "),
            "{}: one `error: …` line on stderr\n{self}",
            self.what
        );
        lines[0]
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- {} → exit {} in {:?}\n--- stdout ---\n{}--- stderr ---\n{}---",
            self.what, self.code, self.took, self.stdout, self.stderr
        )
    }
}

/// The sessions file under a CLI run's HOME (its XDG_CONFIG_HOME is `config/` there).
pub fn sessions_file(home: &Path) -> std::path::PathBuf {
    home.join("config/medusa-users/sessions.json")
}

// ----- reading what a run printed ------------------------------------------------------------

/// The keys of a JSON object, in order (none for anything else).
pub fn keys(v: &serde_json::Value) -> Vec<&str> {
    v.as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// The `key  value` pairs of a key–value view (lines without two spaces are skipped).
pub fn details(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once("  ")?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// The value of `key` among [`details`].
pub fn detail<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Asserts `run` failed with `code`, nothing on stdout, and an error line containing `text`.
#[track_caller]
pub fn fails_saying(run: &Run, code: i32, text: &str) {
    assert_eq!(run.code, code, "{run}");
    assert!(run.stdout.is_empty(), "nothing on stdout:\n{run}");
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("an error line:\n{run}"));
    assert!(line.contains(text), "{text:?} in {line:?}\n{run}");
}

// ----- untrusted text ------------------------------------------------------------------------

/// Every kind of byte a terminal obeys: ESC (a colour), tab, newline, CR, a C1 CSI, a bidi
/// override.
pub const HOSTILE: &str = "a\u{1b}[31mb\tc\nd\re\u{9b}f\u{202e}g";
/// How [`HOSTILE`] must look once neutralised.
pub const VISIBLE: &str = "a\\e[31mb\\tc\\nd\\re\\u{9b}f\\u{202e}g";

/// Nothing a terminal would act on, except the line breaks the CLI itself writes.
#[track_caller]
pub fn assert_inert(run: &Run) {
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(c) = text
            .chars()
            .find(|&c| c != '\n' && medusa_users::safe_text::is_unsafe_char(c))
        {
            panic!("{}: {c:?} reached {name} raw\n{run}", run.what);
        }
    }
}
