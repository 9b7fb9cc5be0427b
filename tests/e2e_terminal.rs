//! The terminal always comes back. The real binary runs in a tmux pane under a small shell
//! (`Launch::shell_after`) and is ended every way it can end: `q`, Ctrl-C, SIGTERM, SIGHUP and
//! SIGINT sent to its pid, a panic (F12) and an error exit (F11, both with
//! `MEDUSA_USERS_DEBUG_KEYS=1`), quitting while a request hangs, and the terminal itself going
//! away (the pane killed). After each, from outside the pane: raw mode is off (`stty -a -F` on
//! the pane's tty shows `icanon echo isig icrnl opost`), the alternate screen is left
//! (`#{alternate_on}` 0), the cursor is visible (`#{cursor_flag}` 1), bracketed paste is off (a
//! `paste-buffer -p` arrives without `ESC[200~` brackets, which cooked-mode echo would show as
//! `^[[200~`), typed text echoes, and the exit status is the expected one. Each check is first
//! made while the TUI runs, where it must read the other way, so a check that cannot see the
//! terminal's state cannot pass by accident.
//!
//! Terminal handling does not depend on the backend, so these run against the sandbox only.

mod support;

use std::time::{Duration, Instant};

use support::fault_proxy::{Fault, FaultProxy};
use support::pane::{
    alive, binary_pid, history, kill_pane, signal, status_line, stty, stty_has, wait_gone,
    wait_ready,
};
use support::target::Target;
use support::tmux::{Launch, Tui};

/// The TUI against `url` with the sandbox admin's API token, under the shell that reports the
/// exit status and then reads one line.
fn launch(url: &str) -> Launch {
    Launch::new()
        .env("MEDUSA_API_TOKEN", medusa_users::sandbox::ADMIN_API_TOKEN)
        .args(["--url", url, "--timeout", "30s"])
        .shell_after()
}

/// Terminal flags that raw mode clears and a restored terminal has.
const COOKED_FLAGS: [&str; 6] = ["icanon", "echo", "isig", "icrnl", "opost", "iexten"];

/// While the TUI runs, the terminal is in the TUI's hands: raw mode, the alternate screen, the
/// cursor hidden on the list. (Proves the checks in `assert_restored` can see the difference.)
fn assert_taken_over(tui: &Tui) {
    let modes = stty(tui);
    for flag in COOKED_FLAGS {
        assert!(
            stty_has(&modes, &format!("-{flag}")),
            "while the TUI runs, {flag} should be off (raw mode)\nstty: {modes}\n{}",
            tui.report()
        );
    }
    assert_eq!(
        tui.display("#{alternate_on} #{cursor_flag}"),
        "1 0",
        "while the TUI runs on the list: alternate screen on, cursor hidden\n{}",
        tui.report()
    );
}

/// After the binary ended `how`: the status, the message it left, and a terminal as good as
/// new. Consumes the wrapper's one `read`.
fn assert_restored(tui: &Tui, how: &str, status: i32, says: Option<&str>) {
    let screen = tui.wait_for("[exited with ");
    assert!(
        screen.contains(&format!("[exited with {status}]")),
        "{how}: expected exit status {status}\n{}",
        tui.report()
    );
    if let Some(says) = says {
        let all = history(tui);
        assert!(
            all.contains(says),
            "{how}: the reason {says:?} should be on the restored screen\n{all}"
        );
    }
    assert_eq!(
        tui.display("#{alternate_on} #{cursor_flag}"),
        "0 1",
        "{how}: the alternate screen should be left and the cursor shown\n{}",
        tui.report()
    );
    assert!(
        !screen.contains("● online") && !screen.contains("Users │ Invites"),
        "{how}: the TUI's frame is left on the normal screen\n{}",
        tui.report()
    );
    let modes = stty(tui);
    for flag in COOKED_FLAGS {
        assert!(
            stty_has(&modes, flag),
            "{how}: {flag} should be on again (raw mode left)\nstty: {modes}\n{}",
            tui.report()
        );
    }
    // Typed text echoes; a paste arrives without bracketed-paste markers (with the mode still
    // on, tmux would wrap it in ESC[200~ … ESC[201~ and the echo would show `^[[200~`).
    tui.type_text("typed ");
    tui.wait_for("typed");
    tui.paste("pasted");
    let echoed = tui.wait_for("typed pasted");
    assert!(
        !echoed.contains("200~") && !echoed.contains("201~"),
        "{how}: bracketed paste is still on\n{}",
        tui.report()
    );
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_for("read: ");
    assert!(
        screen.contains("read: typed pasted"),
        "{how}: the line was not read back as typed (cooked mode)\n{}",
        tui.report()
    );
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        status,
        "{how}: the recorded exit status\n{}",
        tui.report()
    );
}

/// Starts the TUI on a fresh sandbox, checks it took the terminal over, and runs `end`.
async fn end_and_check(how: &str, extra_env: &[(&str, &str)], end: impl FnOnce(&Tui)) -> Tui {
    let target = Target::sandbox(3).await;
    let mut launch = launch(&target.url);
    for (k, v) in extra_env {
        launch = launch.env(*k, *v);
    }
    let tui = launch.start();
    wait_ready(&tui);
    assert_taken_over(&tui);
    let started = Instant::now();
    end(&tui);
    tui.wait_for_within("[exited with ", Duration::from_secs(10));
    eprintln!("{how}: exited {:?} after the ending", started.elapsed());
    tui
}

// ----- the ways out ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_restores_the_terminal() {
    let tui = end_and_check("q", &[], |tui| tui.send_keys(&["q"])).await;
    assert_restored(&tui, "q", 0, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_in_the_help_overlay_restores_the_terminal() {
    let tui = end_and_check("Ctrl-C", &[], |tui| {
        tui.send_keys(&["?"]);
        tui.wait_for("┌ Keys ");
        tui.send_keys(&["C-c"]);
    })
    .await;
    assert_restored(&tui, "Ctrl-C", 0, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_restores_the_terminal_and_exits_0() {
    let tui = end_and_check("SIGTERM", &[], |tui| {
        signal(binary_pid(tui), "TERM");
    })
    .await;
    assert_restored(&tui, "SIGTERM", 0, None);
    assert!(
        tui.log_text().contains("SIGTERM: leaving"),
        "the TUI logs why it left\n{}",
        tui.report()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_restores_the_terminal_and_exits_0() {
    // SIGHUP with the terminal still there (a parent hanging up on purpose), from inside a
    // form with typing in it.
    let tui = end_and_check("SIGHUP", &[], |tui| {
        tui.send_keys(&["c"]);
        tui.wait_for(" Create user ");
        tui.type_text("half-typed@example.com");
        tui.wait_for("half-typed@example.com");
        signal(binary_pid(tui), "HUP");
    })
    .await;
    assert_restored(&tui, "SIGHUP", 0, None);
    assert!(
        tui.log_text().contains("SIGHUP: leaving"),
        "the TUI logs why it left\n{}",
        tui.report()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_from_outside_restores_the_terminal_and_exits_0() {
    let tui = end_and_check("SIGINT", &[], |tui| {
        signal(binary_pid(tui), "INT");
    })
    .await;
    assert_restored(&tui, "SIGINT", 0, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_restores_the_terminal_and_exits_101() {
    let tui = end_and_check(
        "F12 panic",
        &[("MEDUSA_USERS_DEBUG_KEYS", "1"), ("RUST_BACKTRACE", "0")],
        |tui| {
            // From a form, with the cursor shown in a field.
            tui.send_keys(&["c"]);
            tui.wait_for(" Create user ");
            tui.send_keys(&["F12"]);
        },
    )
    .await;
    assert_restored(&tui, "F12 panic", 101, Some("debug panic"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_exit_restores_the_terminal_and_exits_1() {
    let tui = end_and_check("F11 error", &[("MEDUSA_USERS_DEBUG_KEYS", "1")], |tui| {
        tui.send_keys(&["/"]);
        tui.wait_for("/▏");
        tui.send_keys(&["F11"]);
    })
    .await;
    assert_restored(&tui, "F11 error", 1, Some("error: debug error exit"));
}

// ----- the terminal goes away -------------------------------------------------------------------

/// The pane is killed: the pty hangs up under the running TUI. Nothing is left to restore, but
/// the process must not linger (spinning on a dead terminal, or blocked writing to it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_that_hangs_up_ends_the_process() {
    let target = Target::sandbox(3).await;
    let tui = launch(&target.url).start();
    wait_ready(&tui);
    let pid = binary_pid(&tui);
    assert!(alive(pid));
    kill_pane(&tui);
    let started = Instant::now();
    let gone = wait_gone(pid, Duration::from_secs(10));
    let log = tui.log_text();
    assert!(
        gone,
        "medusa-users (pid {pid}) still runs 10 s after its terminal hung up\nlog:\n{log}"
    );
    eprintln!(
        "the hung-up TUI was gone after {:?}; its log ends:\n{}",
        started.elapsed(),
        log.lines().rev().take(3).collect::<Vec<_>>().join("\n")
    );
}

// ----- leaving while a request hangs ---------------------------------------------------------------

/// A request that never gets an answer must not hold the way out: `q` and SIGTERM leave at
/// once (not after the 30 s timeout), with the terminal restored.
async fn leave_while_hanging(how: &str, end: impl FnOnce(&Tui)) {
    let target = Target::sandbox(3).await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy.url()).start();
    wait_ready(&tui);
    proxy.set_fault(Fault::Hang);
    tui.send_keys(&["R"]);
    tui.wait_until("the reload pending", |s| {
        s.contains(" loading ") || s.contains("loading…")
    });
    let hanging = proxy
        .seen()
        .iter()
        .filter(|s| s.fault == Fault::Hang)
        .count();
    assert!(
        hanging >= 1,
        "the reload reached the proxy\n{}",
        tui.report()
    );
    assert!(
        status_line(&tui, &tui.screen()).is_empty(),
        "{}",
        tui.report()
    );
    let started = Instant::now();
    end(&tui);
    tui.wait_for_within("[exited with ", Duration::from_secs(5));
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "{how} while a request hangs took {took:?} to exit\n{}",
        tui.report()
    );
    assert_restored(&tui, how, 0, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn q_while_a_request_hangs_exits_at_once() {
    leave_while_hanging("q during a hang", |tui| tui.send_keys(&["q"])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_a_request_hangs_exits_at_once() {
    leave_while_hanging("SIGTERM during a hang", |tui| {
        signal(binary_pid(tui), "TERM");
    })
    .await;
}

/// The terminal hangs up, but no SIGHUP reaches the TUI: its parent shell catches SIGHUP (as a
/// script with `trap … HUP` does) and so stays alive, and the kernel signals only the session
/// leader. All the TUI sees is its input ending (`read` gives 0 bytes), and it must end on its
/// own rather than spin on the dead terminal (as it once did, a CPU at ~60%, forever).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_that_hangs_up_without_sighup_ends_the_process() {
    let target = Target::sandbox(3).await;
    let tui = launch(&target.url).start();
    wait_ready(&tui);
    // A second window of the same tmux server (same environment), where a shell that catches
    // SIGHUP runs the TUI.
    let bin = env!("CARGO_BIN_EXE_medusa-users");
    // (tmux 3.3a's server dies on new-window while window-size is manual, as the harness sets
    // it; the window gets the default size either way.)
    support::pane::tmux(&tui, &["set-option", "-g", "window-size", "largest"]);
    let (ok, err) = support::pane::tmux(
        &tui,
        &[
            "new-window",
            "-d",
            "-t",
            "e2e:",
            "-n",
            "trapped",
            "--",
            "/bin/sh",
            "-c",
            r#"trap ':' HUP; "$@"; echo "exited $?""#,
            "sh",
            bin,
            "--url",
            &target.url,
        ],
    );
    assert!(ok, "tmux new-window failed: {err}");
    support::pane::tmux(&tui, &["set-option", "-g", "window-size", "manual"]);
    let shell = support::pane::tmux(
        &tui,
        &["display-message", "-p", "-t", "e2e:trapped", "#{pane_pid}"],
    )
    .1
    .trim()
    .to_owned();
    let pid = support::pane::child_binary(&shell, &tui);
    // Let it draw its first frame, then take its terminal away.
    std::thread::sleep(Duration::from_millis(1500));
    let (ok, _) = support::pane::tmux(&tui, &["kill-window", "-t", "e2e:trapped"]);
    assert!(ok, "tmux kill-window failed");
    let before = support::pane::cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(1));
    let spent = support::pane::cpu_ticks(pid)
        .zip(before)
        .map(|(a, b)| a - b);
    let gone = wait_gone(pid, Duration::from_secs(10));
    if !gone {
        // Do not leave it spinning: this test started it.
        signal(pid, "KILL");
    }
    assert!(
        gone,
        "medusa-users (pid {pid}) still runs 10 s after its terminal hung up (it used {spent:?} \
         clock ticks of CPU in the first second after the hang-up)"
    );
}

/// The control for the bracketed-paste check in `assert_restored`: a program that turns the
/// mode on and does not turn it off gets its paste wrapped, and the echo shows the markers.
/// (Without this, a check that can never fail would prove nothing.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bracketed_paste_check_sees_a_mode_left_on() {
    let target = Target::sandbox(0).await;
    let tui = launch(&target.url).start();
    wait_ready(&tui);
    // (tmux 3.3a's server dies on new-window while window-size is manual.)
    support::pane::tmux(&tui, &["set-option", "-g", "window-size", "largest"]);
    let (ok, err) = support::pane::tmux(
        &tui,
        &[
            "new-window",
            "-d",
            "-t",
            "e2e:",
            "-n",
            "control",
            "--",
            "/bin/sh",
            "-c",
            r#"printf '\033[?2004h'; echo ready; IFS= read -r line; echo done; sleep 30"#,
        ],
    );
    assert!(ok, "tmux new-window failed: {err}");
    support::pane::tmux(&tui, &["set-option", "-g", "window-size", "manual"]);
    let capture = || support::pane::tmux(&tui, &["capture-pane", "-p", "-t", "e2e:control"]).1;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !capture().contains("ready") {
        assert!(Instant::now() < deadline, "the control shell did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    support::pane::tmux(&tui, &["set-buffer", "-b", "ctl", "--", "pasted"]);
    support::pane::tmux(
        &tui,
        &["paste-buffer", "-p", "-d", "-b", "ctl", "-t", "e2e:control"],
    );
    support::pane::tmux(&tui, &["send-keys", "-t", "e2e:control", "Enter"]);
    while !capture().contains("done") {
        assert!(
            Instant::now() < deadline,
            "the control shell did not read the line:\n{}",
            capture()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let screen = capture();
    assert!(
        screen.contains("^[[200~pasted^[[201~"),
        "with bracketed paste left on, the echo shows the markers:\n{screen}"
    );
}
