//! Progress on long CLI work, through the real binary: a bar on a terminal (tmux) while one of
//! two stores is slow, wiped before the result is printed; nothing at all on a piped stderr.
//!
//! The slow store is a TCP listener that is never accepted from: connections complete in the
//! kernel's backlog and the request waits for an answer that never comes, until the profile's
//! `timeout = "2s"`. That gives the bar two seconds on screen with one store answered and one
//! named as pending.

mod support;

use std::time::Duration;

use support::cli::{Cli, Run};
use support::pane::history;
use support::target::Target;
use support::tmux::{Launch, Tui};

/// A config with a fast store (the v1 sandbox) and a slow one, written under `dir`.
fn config(dir: &std::path::Path, fast: &Target, slow: &std::net::TcpListener) -> String {
    let path = dir.join("stores.toml");
    let slow = slow.local_addr().unwrap();
    std::fs::write(
        &path,
        format!(
            "[profiles.fast]\nurl = \"{}\"\napi_token_env = \"FAST_TOKEN\"\n\n\
             [profiles.slow]\nurl = \"http://{slow}\"\nmedusa_version = \"1\"\n\
             api_token_env = \"SLOW_TOKEN\"\ntimeout = \"2s\"\nmax_retries = 0\n",
            fast.url
        ),
    )
    .unwrap();
    path.display().to_string()
}

/// The binary on a tmux terminal running `command` across both stores (the config written under
/// `dir`).
fn on_a_terminal_across(
    fast: &Target,
    slow: &std::net::TcpListener,
    dir: &std::path::Path,
    command: &[&str],
) -> Tui {
    let config = config(dir, fast, slow);
    Launch::new()
        .size(120, 30)
        .env("FAST_TOKEN", &fast.api_token)
        .env("SLOW_TOKEN", "nobody-checks")
        // The harness logs the TUI at debug level; the CLI would log that on its stderr.
        .env("MEDUSA_USERS_LOG", "warn")
        .args(["--config", config.as_str(), "--profiles", "fast,slow"])
        .args(command.iter().copied())
        .start()
}

/// What a bar leaves in a captured stream: its words, carriage returns, cursor escapes.
fn assert_no_progress(run: &Run) {
    for trace in [
        "stores answered",
        "stores done",
        "waiting for",
        "\r",
        "\x1b[",
    ] {
        assert!(
            !run.stderr.contains(trace) && !run.stdout.contains(trace),
            "{trace:?} in a piped run:\n{run:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bar_counts_stores_on_a_terminal_and_is_wiped_before_the_result() {
    let fast = Target::sandbox(1).await;
    let slow = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tui = on_a_terminal_across(
        &fast,
        &slow,
        dir.path(),
        &["users", "find", "nobody@example.com"],
    );
    // The fast store has answered, the slow one is named while the command waits for it.
    let screen = tui.wait_for("1/2 stores answered");
    assert!(screen.contains("waiting for: slow"), "{screen}");
    assert!(!screen.contains("fast ("), "{screen}");
    let code = tui.wait_exit(Duration::from_secs(20));
    // With the scrollback: tmux's "Pane is dead" line can push the first row off the screen.
    let screen = history(&tui);
    assert_ne!(code, 0, "the slow store failed: {screen}");
    // The result is on screen and the bar is gone: wiped, not left above the table.
    assert!(
        screen.contains("PROFILE") && screen.contains("fast") && screen.contains("slow"),
        "{screen}"
    );
    assert!(!screen.contains("stores answered"), "{screen}");
    assert!(!screen.contains("waiting for"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_runs_print_no_progress() {
    let fast = Target::sandbox(1).await;
    let slow = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let cli = Cli::bare()
        .env("FAST_TOKEN", &fast.api_token)
        .env("SLOW_TOKEN", "nobody-checks");
    let config = config(cli.home(), &fast, &slow);
    let across = ["--config", config.as_str(), "--profiles", "fast,slow"];
    let runs = [
        [&across[..], &["users", "find", "nobody@example.com"]].concat(),
        [
            &across[..],
            &["users", "offboard", "nobody@example.com", "--yes"],
        ]
        .concat(),
        [
            &across[..],
            &["invites", "create", "--email", "new@example.com"],
        ]
        .concat(),
    ];
    for args in &runs {
        let run = cli.run(args).await;
        // The slow store fails every time: the rows and error lines are there, nothing else.
        assert_ne!(run.code, 0, "{run:?}");
        assert!(run.stderr.contains("error: slow:"), "{run:?}");
        assert_no_progress(&run);
    }
    // `invites list --all` with more than a page of invites (the page is 100 on v1's client
    // paging too): a piped stderr carries only the summary line.
    let one = Cli::for_target(&fast);
    for i in 0..3 {
        let email = format!("piped-{i}@example.com");
        assert_eq!(
            one.run(&["invites", "create", "--email", &email])
                .await
                .code,
            0
        );
    }
    let run = one.run(&["invites", "list", "--all"]).await;
    assert_eq!(run.code, 0, "{run:?}");
    assert_no_progress(&run);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
}

/// Offboarding asks `[y/N]` after the plan: the bar that counted the stores is gone before the
/// plan and the question, and the bar for carrying it out is gone before the results.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offboard_wipes_the_bar_before_asking() {
    let fast = Target::sandbox(1).await;
    let email = "leaver@example.com";
    let made = Cli::for_target(&fast)
        .run_stdin(
            &["users", "create", "--email", email, "--password-stdin"],
            "s3cret-Passw0rd\n",
        )
        .await;
    assert_eq!(made.code, 0, "{made:?}");
    let slow = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tui = on_a_terminal_across(&fast, &slow, dir.path(), &["users", "offboard", email]);
    tui.wait_for("waiting for: slow");
    let screen = tui.wait_for("[y/N]");
    assert!(screen.contains("delete user"), "the plan: {screen}");
    assert!(!screen.contains("stores answered"), "{screen}");
    tui.send_keys(&["y", "Enter"]);
    let code = tui.wait_exit(Duration::from_secs(20));
    let screen = history(&tui);
    assert_ne!(code, 0, "the slow store failed: {screen}");
    assert!(screen.contains("deleted user"), "{screen}");
    assert!(
        !screen.contains("stores answered") && !screen.contains("stores done"),
        "{screen}"
    );
    assert!(fast.users_with_email(email).await.is_empty(), "{screen}");
}
