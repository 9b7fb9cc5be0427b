//! Runs the real `medusa-users` binary inside tmux, for end-to-end tests of the TUI: keys go in
//! with `send-keys`, the screen comes back with `capture-pane`.
//!
//! Every [`Tui`] has its own tmux server (its own socket in its own temp dir), killed when the
//! `Tui` is dropped, and its own HOME and XDG directories. The binary sees only the environment
//! the test gives it: nothing `MEDUSA_*` leaks in from the parent unless a test asks
//! ([`Launch::inherit`]). Waits poll the screen (every 50 ms) for what the test expects and
//! return it only once it holds still (no half-drawn frame); a wait that times out panics with
//! the whole screen and the tail of the TUI's log (`MEDUSA_USERS_LOG=medusa_users=debug`), so a
//! failure says what was on the terminal. The binary runs under a two-line `sh` wrapper that
//! records its exit status, since tmux 3.3a sometimes loses it.
//!
//! All calls block the calling thread. In a `#[tokio::test(flavor = "multi_thread")]` the test
//! body runs on its own thread, so an in-process sandbox keeps serving on the runtime's workers
//! while a test waits here.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The default time a wait gives the TUI (generous: CI machines have 2 cores and run tests in
/// parallel).
pub const TIMEOUT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
/// How long a screen must stay the same to count as a whole frame.
const SETTLE: Duration = Duration::from_millis(30);
const SESSION: &str = "e2e";

/// How to start the TUI.
#[derive(Debug, Clone)]
pub struct Launch {
    args: Vec<String>,
    env: Vec<(String, String)>,
    width: u16,
    height: u16,
    shell_after: bool,
    in_shell: bool,
    home: Option<PathBuf>,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            args: Vec::new(),
            env: Vec::new(),
            width: 100,
            height: 30,
            shell_after: false,
            in_shell: false,
            home: None,
        }
    }
}

/// The pane runs the binary under this wrapper, which writes the binary's exit status (or
/// 128 + the signal that killed it) to a file (`$1`) once it exits. tmux 3.3a's own
/// `#{pane_dead_status}` is not enough: under load it sometimes marks a pane dead and never
/// learns the status.
const WRAPPER: &str =
    r#"f=$1; shift; "$@"; s=$?; echo "$s" > "$f.tmp" && mv "$f.tmp" "$f"; exit "$s""#;

/// The wrapper for [`Launch::shell_after`]: as [`WRAPPER`], then a line saying how the binary
/// exited, one line read from the terminal and echoed back, and exit with the binary's status.
/// It lingers a second before exiting: tmux 3.3a can mark a pane dead before it has drained
/// the pty, losing the last line printed (seen in CI: `read: …` never reached the screen).
const WRAPPER_SHELL_AFTER: &str = r#"f=$1; shift; "$@"; s=$?; echo "$s" > "$f.tmp" && mv "$f.tmp" "$f"; printf '\n[exited with %d]\n' "$s"; IFS= read -r line; printf 'read: %s\n' "$line"; sleep 1; exit "$s""#;

impl Launch {
    pub fn new() -> Self {
        Launch::default()
    }

    /// A command-line argument for the binary.
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// An environment variable for the binary (everything else is cleared, see [`Tui::start`]).
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Passes the parent process's `key` through, when it is set: the one way anything of the
    /// test's own environment (a `MEDUSA_*` variable, say) reaches the binary.
    pub fn inherit(self, key: &str) -> Self {
        match std::env::var(key) {
            Ok(value) => self.env(key, value),
            Err(_) => self,
        }
    }

    /// The terminal size (100×30 unless set).
    pub fn size(mut self, width: u16, height: u16) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Runs the binary under a small shell that, once it exits, prints `[exited with N]`,
    /// reads one line from the terminal and prints `read: <line>`, then exits with the binary's
    /// status: a way to prove the terminal is usable again after the TUI (cooked mode, echo).
    pub fn shell_after(mut self) -> Self {
        self.shell_after = true;
        self
    }

    /// Runs the binary from an interactive shell with job control (bash, prompt `$ `), typed
    /// in as an operator would: Ctrl-Z stops it back to that shell and `fg` continues it.
    pub fn in_shell(mut self) -> Self {
        self.in_shell = true;
        self
    }

    /// Keeps HOME and the XDG directories under `dir` (which the test owns) instead of the
    /// `Tui`'s own temp dir, so a second run can see what a first one saved (a remembered
    /// login, …).
    pub fn home(mut self, dir: &Path) -> Self {
        self.home = Some(dir.to_owned());
        self
    }

    pub fn start(self) -> Tui {
        Tui::start(self)
    }
}

/// The TUI running in a private tmux server.
pub struct Tui {
    socket: String,
    /// HOME, XDG dirs, the tmux config and socket, the TUI's log. Removed after the server is
    /// killed (fields drop after `Drop::drop`).
    dir: tempfile::TempDir,
    log: PathBuf,
    /// Where the wrapper writes the binary's exit status.
    status_file: PathBuf,
    pub width: u16,
    pub height: u16,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

impl Tui {
    /// Starts the binary in a new detached tmux session of the launch's size.
    ///
    /// The environment is built from scratch: PATH, LANG/LC_ALL (UTF-8), TERM=xterm-256color,
    /// HOME and XDG_{CONFIG,DATA,STATE,CACHE}_HOME in a fresh temp dir, logging to a file there,
    /// then whatever the launch adds. No `MEDUSA_*` variable of the parent process gets through.
    pub fn start(launch: Launch) -> Tui {
        let dir = tempfile::Builder::new()
            .prefix("mu-e2e-")
            .tempdir()
            .expect("temp dir for the tmux test");
        let root = dir.path();
        let home = launch.home.clone().unwrap_or_else(|| root.to_owned());
        for sub in ["home", "config", "data", "state", "cache"] {
            std::fs::create_dir_all(home.join(sub)).expect("create test dirs");
        }
        std::fs::create_dir_all(root.join("tmux")).expect("create the tmux dir");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // tmux refuses a socket directory others can read.
            let _ =
                std::fs::set_permissions(root.join("tmux"), std::fs::Permissions::from_mode(0o700));
        }
        let log = root.join("tui.log");
        let config = root.join("tmux.conf");
        std::fs::write(
            &config,
            format!(
                "set -g status off\n\
                 set -g remain-on-exit on\n\
                 set -g default-terminal xterm-256color\n\
                 set -g default-size {w}x{h}\n\
                 set -s escape-time 0\n\
                 set -g history-limit 2000\n",
                w = launch.width,
                h = launch.height
            ),
        )
        .expect("write tmux.conf");

        let socket = format!(
            "mu-e2e-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let status_file = root.join("exit-status");
        let tui = Tui {
            socket,
            log: log.clone(),
            status_file: status_file.clone(),
            width: launch.width,
            height: launch.height,
            dir,
        };

        let bin = env!("CARGO_BIN_EXE_medusa-users");
        let mut cmd = tui.tmux_command();
        cmd.arg("-f").arg(&config);
        // The tmux server copies this environment into its global environment, which is what
        // the pane's process gets.
        let vars: Vec<(String, String)> = vec![
            ("HOME".into(), path_str(&home.join("home"))),
            ("XDG_CONFIG_HOME".into(), path_str(&home.join("config"))),
            ("XDG_DATA_HOME".into(), path_str(&home.join("data"))),
            ("XDG_STATE_HOME".into(), path_str(&home.join("state"))),
            ("XDG_CACHE_HOME".into(), path_str(&home.join("cache"))),
            ("TERM".into(), "xterm-256color".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("LC_ALL".into(), "C.UTF-8".into()),
            ("RUST_BACKTRACE".into(), "1".into()),
            ("MEDUSA_USERS_LOG".into(), "medusa_users=debug".into()),
            ("MEDUSA_USERS_LOG_FILE".into(), path_str(&log)),
        ];
        for (k, v) in vars.iter().chain(launch.env.iter()) {
            cmd.env(k, v);
        }
        cmd.args([
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &launch.width.to_string(),
            "-y",
            &launch.height.to_string(),
            "--",
        ]);
        if launch.in_shell {
            // A shell of its own (no rc files, a fixed prompt), then the command line typed.
            cmd.args([
                "/usr/bin/env",
                "PS1=$ ",
                "bash",
                "--norc",
                "--noprofile",
                "-i",
            ]);
        } else {
            // Several arguments: tmux execs them directly, and the wrapper passes the binary's
            // arguments on as they are ("$@"); no shell re-parses anything.
            cmd.args([
                "/bin/sh",
                "-c",
                if launch.shell_after {
                    WRAPPER_SHELL_AFTER
                } else {
                    WRAPPER
                },
                "sh",
            ]);
            cmd.arg(&status_file);
            cmd.arg(bin);
            cmd.args(&launch.args);
        }
        let out = cmd.output().expect("run tmux (is it installed?)");
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            describe(&out)
        );
        // No client ever attaches, but keep the size fixed whatever happens. (Setting this in
        // the config file makes tmux 3.3a's server exit at once with a detached session.)
        tui.tmux(&["set-option", "-g", "window-size", "manual"]);
        // Make sure the size stuck.
        let size = tui.display("#{pane_width}x#{pane_height}");
        assert_eq!(
            size,
            format!("{}x{}", launch.width, launch.height),
            "the tmux pane has the wrong size"
        );
        if launch.in_shell {
            // (capture-pane trims the prompt's trailing space.)
            tui.wait_until("the shell's prompt", |s| s.lines().any(|l| l == "$"));
            // The job is the wrapper with the binary in it, so the exit status is recorded
            // when the binary ends, not when it is stopped.
            let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
            let mut line = format!(
                "/bin/sh -c {} sh {} {}",
                quote(WRAPPER),
                quote(&path_str(&status_file)),
                quote(bin)
            );
            for arg in &launch.args {
                line.push(' ');
                line.push_str(&quote(arg));
            }
            tui.type_text(&line);
            tui.send_keys(&["Enter"]);
        }
        tui
    }

    fn tmux_command(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("TMUX_TMPDIR", self.dir.path().join("tmux"));
        cmd.env("LANG", "C.UTF-8").env("LC_ALL", "C.UTF-8");
        cmd.arg("-u").arg("-L").arg(&self.socket);
        cmd
    }

    /// Runs a tmux command against this server; panics when it fails.
    fn tmux(&self, args: &[&str]) -> String {
        let out = self.tmux_command().args(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            describe(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format evaluated for the pane (`#{pane_dead}`, …).
    pub fn display(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", SESSION, format])
            .trim_end_matches('\n')
            .to_owned()
    }

    /// Sends keys by their tmux names: "Enter", "Tab", "BTab", "Escape", "C-s", "Right", "q", …
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types text literally (no key-name lookup), as if typed on the keyboard.
    pub fn type_text(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.tmux(&["send-keys", "-t", SESSION, "-l", "--", text]);
    }

    /// Pastes `text` the way a terminal does when the program asked for bracketed paste
    /// (`paste-buffer -p`): one paste event, not keystrokes. Line feeds arrive as CR, as from
    /// a real terminal.
    pub fn paste(&self, text: &str) {
        let name = "e2e-paste";
        self.tmux(&["set-buffer", "-b", name, "--", text]);
        self.tmux(&["paste-buffer", "-p", "-d", "-b", name, "-t", SESSION]);
    }

    /// Resizes the terminal (the program gets SIGWINCH, as when a window is resized).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.tmux(&[
            "resize-window",
            "-t",
            SESSION,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        self.width = width;
        self.height = height;
        let size = self.display("#{pane_width}x#{pane_height}");
        assert_eq!(size, format!("{width}x{height}"), "the pane did not resize");
    }

    /// The visible screen, one line per row (trailing spaces trimmed by tmux).
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", SESSION])
    }

    /// Waits until the screen contains `text`; returns that screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, TIMEOUT)
    }

    pub fn wait_for_within(&self, text: &str, timeout: Duration) -> String {
        self.wait_until_within(&format!("{text:?} on screen"), timeout, |s| {
            s.contains(text)
        })
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} gone from the screen"), |s| {
            !s.contains(text)
        })
    }

    /// Waits until `check` accepts the screen; `what` names the condition in the panic.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        self.wait_until_within(what, TIMEOUT, check)
    }

    pub fn wait_until_within(
        &self,
        what: &str,
        timeout: Duration,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        let mut screen = self.screen();
        loop {
            if check(&screen) {
                // The terminal may be showing half a frame (the TUI's output reaches the pty in
                // chunks): hand out a screen only once it holds still, the spinner aside (it
                // turns ten times a second while anything is pending or a retry waits).
                std::thread::sleep(SETTLE);
                let again = self.screen();
                if still(&again) == still(&screen) {
                    return screen;
                }
                screen = again;
            } else if self.pane_dead() {
                // A dead pane will not change any more: say so now, not after the timeout.
                let last = self.screen();
                if check(&last) {
                    return last;
                }
                self.fail(&format!(
                    "the pane's process ended while waiting for {what}"
                ));
            } else {
                std::thread::sleep(POLL);
                screen = self.screen();
            }
            if Instant::now() >= deadline {
                self.fail(&format!("timed out after {timeout:?} waiting for {what}"));
            }
        }
    }

    /// Panics with `message`, the screen, whether the process still runs, and the log tail.
    pub fn fail(&self, message: &str) -> ! {
        panic!("{message}\n{}", self.report());
    }

    /// The screen, the process state and the end of the TUI's log, for failure messages.
    pub fn report(&self) -> String {
        let screen = self.screen();
        let framed: String = screen
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{i:>2}|{l}\n"))
            .collect();
        let state = match self.exit_status() {
            Some(code) => format!("the TUI exited with status {code}"),
            None => "the TUI is running".to_owned(),
        };
        let log = self.log_text();
        let tail: Vec<&str> = log.lines().rev().take(25).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "--- screen ({}x{}) ---\n{framed}--- {state}; TUI log (last lines) ---\n{}\n---",
            self.width,
            self.height,
            tail.join("\n")
        )
    }

    /// The TUI's own log file (MEDUSA_USERS_LOG=debug), if it wrote one.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The binary's exit status once it has exited: its exit code, or 128 + the signal that
    /// killed it. `None` while it runs.
    pub fn exit_status(&self) -> Option<i32> {
        let text = std::fs::read_to_string(&self.status_file).ok()?;
        Some(text.trim().parse().unwrap_or(-1))
    }

    /// Whether the pane's process (the binary, or the shell after it) is gone, so the screen
    /// will not change any more.
    pub fn pane_dead(&self) -> bool {
        self.display("#{pane_dead}") == "1"
    }

    /// Waits for the process to exit; returns its status.
    pub fn wait_exit(&self, timeout: Duration) -> i32 {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(code) = self.exit_status() {
                return code;
            }
            if Instant::now() >= deadline {
                self.fail(&format!("the TUI did not exit within {timeout:?}"));
            }
            std::thread::sleep(POLL);
        }
    }

    /// A short pause for the rare case where there is nothing on screen to wait for (a key
    /// that must change nothing).
    pub fn settle(&self, duration: Duration) {
        std::thread::sleep(duration);
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Ends the pane's process (SIGHUP) and the server; the temp dir goes after this.
        let _ = self.tmux_command().arg("kill-server").output();
    }
}

/// `screen` with the spinner's frames made one, for comparing frames of an animation.
fn still(screen: &str) -> String {
    screen
        .chars()
        .map(|c| {
            if ('⠀'..='⣿').contains(&c) {
                '⠿'
            } else {
                c
            }
        })
        .collect()
}

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "{}; stdout: {}; stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout).trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    )
}

// ----- reading the screen -------------------------------------------------------------------

/// The characters of a screen row from column `from` (inclusive) to `to` (exclusive), by cell.
pub fn columns(line: &str, from: usize, to: usize) -> String {
    line.chars()
        .skip(from)
        .take(to.saturating_sub(from))
        .collect()
}

/// The rows of the screen as lines (row 0 first).
pub fn rows(screen: &str) -> Vec<&str> {
    screen.lines().collect()
}
