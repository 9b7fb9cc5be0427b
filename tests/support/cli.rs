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
    /// Against `url`, no credentials.
    pub fn new(url: &str) -> Cli {
        Cli {
            home: tempfile::Builder::new()
                .prefix("mu-cli-")
                .tempdir()
                .expect("temp dir for the CLI"),
            url: Some(url.to_owned()),
            env: Vec::new(),
        }
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// HOME; XDG_CONFIG_HOME is `config/` under it (where `sessions.json` goes).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
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

    async fn run_with(&self, args: &[&str], input: Option<&str>) -> Run {
        let mut cmd = self.command(args);
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
        let what = format!("medusa-users {}", args.join(" "));
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
        if let Some(input) = input {
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(input.as_bytes()).await.unwrap();
        }
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
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "{} should succeed\n{self}", self.what);
        &self.stdout
    }

    /// Asserts a failure with `code`, nothing on stdout and exactly one line on stderr, the
    /// `error: …` line; returns that line.
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "{}: exit code\n{self}", self.what);
        assert!(
            self.stdout.is_empty(),
            "{}: nothing on stdout when failing\n{self}",
            self.what
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
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
