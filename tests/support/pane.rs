//! What the fault, terminal and secrets suites need beyond the tmux harness: reading the TUI's
//! screen (list footer, status line, form values), and reaching the pane itself (its tty for
//! `stty`, the binary's pid for signals, the scrollback, killing the pane so the terminal hangs
//! up).
//!
//! The harness keeps its tmux socket private; the socket is the one file under the `Tui`'s
//! `tmux/` directory, so these helpers find it there rather than change the harness.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::tmux::{Tui, columns};

const SESSION: &str = "e2e";

// ----- reading the screen ---------------------------------------------------------------------

/// The list's footer, e.g. `21–40 of 45 · page 2/3`, when there is one on screen.
pub fn summary(screen: &str) -> Option<String> {
    screen.lines().find_map(|line| {
        let at = line.find(" · page ")?;
        let before = line[..at].rsplit('─').next()?.trim();
        let after = line[at + " · page ".len()..].split_whitespace().next()?;
        Some(format!("{before} · page {after}"))
    })
}

/// The header row (connection state, who is signed in).
pub fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

/// The status line (second row from the bottom), trimmed.
pub fn status_line(tui: &Tui, screen: &str) -> String {
    screen
        .lines()
        .nth(usize::from(tui.height) - 2)
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// The key hints (the last row).
pub fn hints_line(tui: &Tui, screen: &str) -> String {
    screen
        .lines()
        .nth(usize::from(tui.height) - 1)
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// Whether the list has loaded and the header says online.
pub fn ready(screen: &str) -> bool {
    let header = header(screen);
    header.contains("● online")
        && header.contains('@')
        && summary(screen).is_some()
        && !screen.contains(" loading ")
}

/// Waits for the first page and the connection to be up; returns the screen.
pub fn wait_ready(tui: &Tui) -> String {
    tui.wait_until(
        "the list loaded, the header online and naming the user",
        ready,
    )
}

/// The column where the detail pane starts (the `┌` right after the list's `┐` on row 1).
fn detail_column(screen: &str) -> usize {
    let row = screen.lines().nth(1).unwrap_or("");
    match row.find("┐┌") {
        Some(byte) => row[..byte].chars().count() + 1,
        None => row.chars().count(),
    }
}

/// The e-mails of the list rows on screen, top to bottom, and which row is selected.
pub fn list_rows(screen: &str) -> (Vec<String>, Option<usize>) {
    let split = detail_column(screen);
    let mut emails = Vec::new();
    let mut selected = None;
    for line in screen.lines().skip(2) {
        let left = columns(line, 0, split);
        let Some(inner) = left.strip_prefix('│') else {
            continue;
        };
        let is_selected = inner.starts_with("▶ ");
        let rest: String = inner.chars().skip(2).collect();
        let Some(email) = rest.split_whitespace().next().filter(|e| e.contains('@')) else {
            continue;
        };
        if is_selected {
            selected = Some(emails.len());
        }
        emails.push(email.to_owned());
    }
    (emails, selected)
}

pub fn selected_email(screen: &str) -> Option<String> {
    let (emails, selected) = list_rows(screen);
    selected.map(|i| emails[i].clone())
}

/// A field of the detail pane or the full-screen detail view (`email`, `first name`, `role`,
/// …): the text after its label.
pub fn detail_field(screen: &str, label: &str) -> Option<String> {
    let pattern = format!("│{label:<11}");
    screen.lines().find_map(|line| {
        let at = line.find(&pattern)?;
        let value = &line[at + pattern.len()..];
        Some(value.split('│').next()?.trim().to_owned())
    })
}

/// The value shown in a form row (`│ › Email           value`), by its label; the row's
/// dialog border on the right ends it.
pub fn form_value(screen: &str, label: &str) -> Option<String> {
    let padded = format!("{label:<16}");
    let patterns = [format!("│ › {padded}"), format!("│   {padded}")];
    screen.lines().find_map(|line| {
        let start = patterns
            .iter()
            .find_map(|p| line.find(p.as_str()).map(|i| i + p.len()))?;
        Some(line[start..].split('│').next()?.trim().to_owned())
    })
}

/// The form-wide error (`✗ …` inside a dialog), the rows it wraps over joined with spaces.
pub fn form_error(screen: &str) -> Option<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let start = lines.iter().position(|l| l.contains("│ ✗ "))?;
    let inner = |l: &str| -> Option<String> {
        let from = l.find("│ ")? + "│ ".len();
        let rest = &l[from..];
        let end = rest.rfind('│')?;
        Some(rest[..end].trim().to_owned())
    };
    let mut text = inner(lines[start])?;
    // Continuation rows: inside the box, not empty, not a new marker.
    for l in &lines[start + 1..] {
        match inner(l) {
            Some(t) if !t.is_empty() && !t.starts_with('⠋') && !t.contains("…") => {
                text.push(' ');
                text.push_str(&t);
            }
            _ => break,
        }
    }
    Some(text.trim_start_matches("✗ ").to_owned())
}

/// Waits until the selected row and the detail pane both show `email`.
pub fn wait_selected(tui: &Tui, email: &str) -> String {
    tui.wait_until(
        &format!("{email} selected and shown in the detail pane"),
        |s| {
            selected_email(s).as_deref() == Some(email)
                && detail_field(s, "email").as_deref() == Some(email)
        },
    )
}

/// `/`, types `query`, waits for `expect` in the footer, Enter (keeps the search).
pub fn search(tui: &Tui, query: &str, expect: &str) -> String {
    tui.send_keys(&["/"]);
    tui.wait_for("/▏");
    tui.type_text(query);
    tui.wait_until(&format!("footer {expect:?} for search {query:?}"), |s| {
        summary(s).as_deref() == Some(expect) && !s.contains(" loading ")
    });
    tui.send_keys(&["Enter"]);
    tui.wait_until(&format!("search {query:?} kept"), |s| {
        s.contains(&format!("search: {query}")) && summary(s).as_deref() == Some(expect)
    })
}

/// `c`, then types the create form: `email`, the names, the role one step right of member (to
/// developer), `password` twice.
pub fn type_create_form(tui: &Tui, email: &str, names: (&str, &str), password: &str) {
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text(email);
    tui.send_keys(&["Tab"]);
    tui.type_text(names.0);
    tui.send_keys(&["Tab"]);
    tui.type_text(names.1);
    tui.send_keys(&["Tab"]);
    tui.wait_for("◀ member ▶");
    tui.send_keys(&["Right"]);
    tui.wait_for("◀ developer ▶");
    tui.send_keys(&["Tab"]);
    tui.type_text(password);
    tui.send_keys(&["Tab"]);
    tui.type_text(password);
}

/// In a user's edit form, focus on First name: types `first_name` over it, moves the role one
/// step right (to developer, from the member the suites create), types `api_token` into the
/// empty API token field, and stops on Metadata once its hint shows.
pub fn edit_name_role_and_token(tui: &Tui, first_name: &str, api_token: &str) {
    tui.send_keys(&["C-u"]);
    tui.type_text(first_name);
    tui.send_keys(&["Tab", "Tab"]);
    tui.wait_for("←/→ or Space to change");
    tui.send_keys(&["Right"]);
    tui.wait_for("◀ developer ▶");
    tui.send_keys(&["Tab"]);
    tui.type_text(api_token);
    tui.send_keys(&["Tab"]);
    tui.wait_for("key=text, key:=JSON");
}

/// Searches for the local part of `email` until the list shows that one user, and waits until
/// it is selected and shown.
pub fn find_user(tui: &Tui, email: &str) -> String {
    search(tui, email.split('@').next().unwrap(), "1–1 of 1 · page 1/1");
    wait_selected(tui, email)
}

// ----- the pane and its process --------------------------------------------------------------

/// The tmux socket of `tui`'s private server.
pub fn socket(tui: &Tui) -> PathBuf {
    let base = tui.dir().join("tmux");
    // tmux puts its sockets in `$TMUX_TMPDIR/tmux-<uid>/`.
    let dir = std::fs::read_dir(&base)
        .unwrap_or_else(|e| panic!("{}: {e}", base.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("tmux-"))
        })
        .unwrap_or_else(|| panic!("no tmux-<uid> directory in {}", base.display()));
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .unwrap_or_else(|| panic!("no tmux socket in {}", dir.display()))
}

/// Runs a tmux command against `tui`'s server; returns (success, stdout, or stderr when it
/// failed).
pub fn tmux(tui: &Tui, args: &[&str]) -> (bool, String) {
    let out = Command::new("tmux")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .arg("-u")
        .arg("-S")
        .arg(socket(tui))
        .args(args)
        .output()
        .expect("run tmux");
    let text = if out.status.success() {
        &out.stdout
    } else {
        &out.stderr
    };
    (
        out.status.success(),
        String::from_utf8_lossy(text).into_owned(),
    )
}

/// The whole pane, scrollback included.
pub fn history(tui: &Tui) -> String {
    let (ok, text) = tmux(tui, &["capture-pane", "-p", "-J", "-S", "-", "-t", SESSION]);
    assert!(ok, "capture-pane with history failed");
    text
}

/// Kills the pane (and so its window, session and the server): the terminal hangs up.
pub fn kill_pane(tui: &Tui) {
    let _ = tmux(tui, &["kill-pane", "-t", SESSION]);
}

/// The pane's tty (`/dev/pts/N`).
pub fn pane_tty(tui: &Tui) -> String {
    tui.display("#{pane_tty}")
}

/// `stty -a` of the pane's terminal, read from outside the pane.
pub fn stty(tui: &Tui) -> String {
    let tty = pane_tty(tui);
    let out = Command::new("stty")
        .arg("-a")
        .arg("-F")
        .arg(&tty)
        .output()
        .expect("run stty");
    assert!(
        out.status.success(),
        "stty -a -F {tty}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether `stty -a` output has `flag` set (`icanon`) rather than cleared (`-icanon`).
pub fn stty_has(stty: &str, flag: &str) -> bool {
    stty.split_whitespace().any(|w| w == flag)
}

/// The pid of the binary: the child of the pane's wrapper shell.
pub fn binary_pid(tui: &Tui) -> u32 {
    let shell = tui.display("#{pane_pid}");
    child_binary(&shell, tui)
}

/// The one `medusa-users` child of the process `parent` (waits up to 10 s for it).
pub fn child_binary(parent: &str, tui: &Tui) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = Command::new("pgrep")
            .arg("-P")
            .arg(parent)
            .output()
            .expect("run pgrep");
        let binary: Vec<u32> = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .filter(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe"))
                    .is_ok_and(|exe| exe.to_string_lossy().contains("medusa-users"))
            })
            .collect();
        if let [pid] = binary[..] {
            return pid;
        }
        if Instant::now() > deadline {
            tui.fail(&format!(
                "no single medusa-users child of process {parent}: {binary:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// CPU time the process has used so far (user + system, in clock ticks), if it exists.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3 of stat(5), utime 14 and stime 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Whether a process with this pid still exists (and is not a zombie).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            // The state follows the parenthesised command name.
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .unwrap_or("");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

/// Sends `signal` (`TERM`, `HUP`, `INT`) to `pid` with kill(1).
pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Waits until `pid` is gone; false after `timeout`.
pub fn wait_gone(pid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while alive(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}
