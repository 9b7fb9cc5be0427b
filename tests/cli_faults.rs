//! The CLI binary through the fault proxy (`support::fault_proxy`), in front of a fresh sandbox
//! and, when `MEDUSA_V1_URL` is set, the real Medusa v1.
//!
//! For every fault class: the exit code (6 for 5xx, an HTML page, truncated JSON or an
//! oversized body; 7 for resets, cut-off bodies and timeouts once the retries are spent; 3 for
//! a 401), exactly one `error: …` line on stderr, nothing on stdout; and, counted at the proxy,
//! the retry rules: reads retried up to `--max-retries`, a POST after a timeout or a lost
//! connection not repeated, a create whose answer was lost reconciled into exactly one user.
//! Then `--read-only`: every mutating command refused with exit 2 before anything is sent.
//!
//! `client_faults.rs` proves the same rules on the client's API; this file proves what a
//! script gets from the binary.

mod support;

use std::time::{Duration, Instant};

use medusa_users::api::{CreateUser, Role, User};
use support::cli::Cli;
use support::fault_proxy::{Fault, FaultProxy, describe};
use support::target::{Target, passed};

/// A body over the client's cap (`MAX_BODY_BYTES`, 64 MiB).
const OVERSIZED: usize = 70 * 1024 * 1024;

// ----- helpers -----------------------------------------------------------------------------------

/// The CLI through `proxy`, with the target admin's API token in the environment.
/// The dialect is given, so every request the proxy counts is the command's own (detection
/// through a broken proxy has its own test in client_contract).
fn cli(proxy: &FaultProxy, target: &Target) -> Cli {
    Cli::new(&proxy.url())
        .env("MEDUSA_API_TOKEN", &target.api_token)
        .env("MEDUSA_VERSION", "1")
}

async fn make_user(target: &Target, prefix: &str, password: &str) -> User {
    target
        .client()
        .create(&CreateUser {
            email: target.unique_email(prefix),
            password: password.to_owned(),
            first_name: Some("Cli".to_owned()),
            last_name: Some("Fault".to_owned()),
            role: Some(Role::Member),
        })
        .await
        .unwrap_or_else(|e| panic!("{}: create a {prefix} user: {e}", target.name))
}

/// Requests the proxy saw with this method whose path starts with `path`.
fn seen(proxy: &FaultProxy, method: &str, path: &str) -> usize {
    proxy
        .seen()
        .iter()
        .filter(|s| s.method == method && s.path.starts_with(path))
        .count()
}

macro_rules! run_on {
    (all, $flow:expr) => {{
        for target in Target::all(2).await {
            let started = Instant::now();
            $flow(&target).await;
            passed(&target, started);
        }
    }};
    (sandbox, $flow:expr) => {{
        let target = Target::sandbox(2).await;
        let started = Instant::now();
        $flow(&target).await;
        passed(&target, started);
    }};
}

// ----- reads: every fault class --------------------------------------------------------------------

struct ReadCase {
    fault: Fault,
    flags: &'static [&'static str],
    code: i32,
    /// The start of the one error line.
    says: &'static str,
    /// Requests the proxy must see for one `users list` (1 + the retries, or 1).
    requests: usize,
}

/// `users list` and `users get` with every request broken the same way.
async fn read_fault(target: &Target, case: &ReadCase) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(case.fault.clone());
    let cli = cli(&proxy, target);
    for command in [
        &["users", "list"][..],
        &["users", "get", "usr_01NOSUCHUSER"],
    ] {
        proxy.clear_seen();
        let args: Vec<&str> = case
            .flags
            .iter()
            .copied()
            .chain(command.iter().copied())
            .collect();
        let run = cli.run(&args).await;
        let line = run.fails(case.code);
        assert!(
            line.starts_with(case.says),
            "{:?}: {}: expected {:?}…, got {line:?}",
            case.fault,
            run.what,
            case.says
        );
        let seen = proxy.seen();
        assert_eq!(
            seen.len(),
            case.requests,
            "{:?}: {}: requests at the proxy\n{}",
            case.fault,
            run.what,
            describe(&seen)
        );
        assert!(
            seen.iter().all(|s| s.method == "GET"),
            "{}",
            describe(&seen)
        );
        eprintln!(
            "{:?}: {} → {} {line:?} in {:?}",
            case.fault, run.what, run.code, run.took
        );
    }
}

macro_rules! read_fault_test {
    ($name:ident, $on:tt, $case:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let case: ReadCase = $case;
            run_on!($on, |t| read_fault(t, &case));
        }
    };
}

read_fault_test!(
    a_500_exits_6_and_is_not_retried,
    all,
    ReadCase {
        fault: Fault::Status(500),
        flags: &["--max-retries", "2"],
        code: 6,
        says: "error: server error (HTTP 500): An unknown error occurred.",
        requests: 1,
    }
);

read_fault_test!(
    a_502_page_is_retried_then_exits_6,
    all,
    ReadCase {
        fault: Fault::Html(502),
        flags: &["--max-retries", "2"],
        code: 6,
        says: "error: server error (HTTP 502): an HTML error page: 502 Bad Gateway",
        requests: 3,
    }
);

read_fault_test!(
    a_503_page_is_retried_then_exits_6,
    sandbox,
    ReadCase {
        fault: Fault::Html(503),
        flags: &["--max-retries", "1"],
        code: 6,
        says: "error: server error (HTTP 503): an HTML error page",
        requests: 2,
    }
);

read_fault_test!(
    a_504_page_is_retried_then_exits_6,
    sandbox,
    ReadCase {
        fault: Fault::Html(504),
        flags: &["--max-retries", "1"],
        code: 6,
        says: "error: server error (HTTP 504): an HTML error page",
        requests: 2,
    }
);

read_fault_test!(
    truncated_json_exits_6_and_is_not_retried,
    sandbox,
    ReadCase {
        fault: Fault::TruncatedJson,
        flags: &["--max-retries", "2"],
        code: 6,
        says: "error: unreadable response (HTTP 200): not the JSON the API sends",
        requests: 1,
    }
);

read_fault_test!(
    an_oversized_body_exits_6_and_is_not_retried,
    sandbox,
    ReadCase {
        fault: Fault::Oversized(OVERSIZED),
        flags: &["--max-retries", "2"],
        code: 6,
        says: "error: unreadable response (HTTP 200): response larger than 64 MiB, refused",
        requests: 1,
    }
);

read_fault_test!(
    a_reset_before_read_is_retried_then_exits_7,
    all,
    ReadCase {
        fault: Fault::ResetBeforeRead,
        flags: &["--max-retries", "2"],
        code: 7,
        says: "error: network error: connection to 127.0.0.1 lost",
        requests: 3,
    }
);

read_fault_test!(
    a_reset_after_read_is_retried_then_exits_7,
    sandbox,
    ReadCase {
        fault: Fault::ResetAfterRead,
        flags: &["--max-retries", "2"],
        code: 7,
        says: "error: network error: connection to 127.0.0.1 lost",
        requests: 3,
    }
);

read_fault_test!(
    a_body_cut_short_is_retried_then_exits_7,
    sandbox,
    ReadCase {
        fault: Fault::TruncatedBody,
        flags: &["--max-retries", "1"],
        code: 7,
        says: "error: network error: connection to 127.0.0.1 lost",
        requests: 2,
    }
);

read_fault_test!(
    a_hang_times_out_is_retried_then_exits_7,
    sandbox,
    ReadCase {
        fault: Fault::Hang,
        flags: &["--timeout", "1s", "--max-retries", "1"],
        code: 7,
        says: "error: timed out after 1 s",
        requests: 2,
    }
);

read_fault_test!(
    a_401_exits_3_and_is_not_retried,
    all,
    ReadCase {
        fault: Fault::Unauthorized,
        flags: &["--max-retries", "2"],
        code: 3,
        says: "error: unauthorized: credentials missing, wrong or expired (HTTP 401)",
        requests: 1,
    }
);

/// A read that hangs on every attempt: the one error line says how long each attempt waited
/// and how many there were, so an operator can tell a slow server from a dead one.
async fn hang_says_how_many_attempts(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(Fault::Hang);
    let run = cli(&proxy, target)
        .run(&["--timeout", "1s", "--max-retries", "2", "users", "list"])
        .await;
    assert_eq!(run.fails(7), "error: timed out after 1 s (3 attempts)");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 3, "1 + 2 retries\n{}", describe(&seen));
    // Each of the three attempts waited its full second before giving up.
    assert!(run.took >= Duration::from_secs(3), "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_reports_the_timeout_and_the_attempt_count() {
    run_on!(sandbox, hang_says_how_many_attempts);
}

/// A 2 s delay under a 3 s timeout is only slow: exit 0, the list, one request.
async fn delay_is_only_slow(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(Fault::Delay(Duration::from_secs(2)));
    let run = cli(&proxy, target)
        .run(&[
            "--timeout",
            "3s",
            "--max-retries",
            "0",
            "users",
            "list",
            "--json",
        ])
        .await;
    let out = run.ok();
    let page: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}\n{run}"));
    assert!(page["count"].as_u64().is_some_and(|n| n >= 1), "{run}");
    assert!(run.took >= Duration::from_secs(2), "{run}");
    assert_eq!(proxy.seen().len(), 1, "{}", describe(&proxy.seen()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_second_delay_is_only_slow() {
    run_on!(all, delay_is_only_slow);
}

/// A 30 s delay with the default 30 s timeout is a hang: shown here with the delay just over a
/// short timeout (a Delay answers in the end; the client has given up by then).
async fn delay_over_the_timeout_is_a_timeout(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(Fault::Delay(Duration::from_millis(1500)));
    let run = cli(&proxy, target)
        .run(&["--timeout", "1s", "--max-retries", "0", "users", "list"])
        .await;
    assert_eq!(run.fails(7), "error: timed out after 1 s");
    assert!(run.took < Duration::from_millis(1500), "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delay_longer_than_the_timeout_exits_7() {
    run_on!(sandbox, delay_over_the_timeout_is_a_timeout);
}

// ----- writes -----------------------------------------------------------------------------------------

/// `users create` through a proxy that forwards the create and then drops the connection: the
/// server made the user, the CLI finds it by e-mail instead of creating again, exits 0 with
/// the user on stdout, and the server has exactly one.
async fn create_answer_lost(target: &Target) {
    for retries in ["0", "2"] {
        let proxy = FaultProxy::start(&target.url).await;
        proxy.set_plan(|method, path, _| {
            if method == "POST" && path == "/admin/users" {
                Fault::DropAfterForward
            } else {
                Fault::Pass
            }
        });
        let email = target.unique_email(&format!("lost{retries}"));
        let run = cli(&proxy, target)
            .run_stdin(
                &[
                    "--max-retries",
                    retries,
                    "users",
                    "create",
                    "--email",
                    &email,
                    "--role",
                    "developer",
                    "--password-stdin",
                    "--json",
                ],
                "lost-pass-123\n",
            )
            .await;
        let out = run.ok();
        let printed: serde_json::Value =
            serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}\n{run}"));
        assert_eq!(printed["user"]["email"], email.as_str(), "{run}");
        let made = target.users_with_email(&email).await;
        assert_eq!(made.len(), 1, "--max-retries {retries}: {made:?}");
        assert_eq!(printed["user"]["id"], made[0].id.as_str(), "{run}");
        let seen_all = proxy.seen();
        assert_eq!(
            seen(&proxy, "POST", "/admin/users"),
            1,
            "--max-retries {retries}: one POST, then a look-up\n{}",
            describe(&seen_all)
        );
        assert!(
            seen_all
                .iter()
                .any(|s| s.method == "GET" && s.path.contains("email=")),
            "{}",
            describe(&seen_all)
        );
        target.clean_up(&[made[0].id.clone()]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_with_a_dropped_answer_exits_0_and_leaves_one_user() {
    run_on!(all, create_answer_lost);
}

/// `users update` whose POST times out, or whose connection is lost after sending: exit 7,
/// sent once whatever `--max-retries` says (its outcome is unknown and it is not
/// idempotent). Behind a 503 page it is retried (the gateway says the server did not do it),
/// and exits 6 once the retries are spent.
async fn update_faults(target: &Target) {
    let user = make_user(target, "upd", "upd-pass-123").await;
    let path = format!("/admin/users/{}", user.id);
    for (fault, flags, code, says, posts) in [
        (
            Fault::Hang,
            &["--timeout", "1s", "--max-retries", "2"][..],
            7,
            "error: timed out after 1 s",
            1,
        ),
        (
            Fault::ResetAfterRead,
            &["--max-retries", "2"],
            7,
            "error: network error: connection to 127.0.0.1 lost",
            1,
        ),
        (
            Fault::ResetBeforeRead,
            &["--max-retries", "2"],
            7,
            "error: network error: connection to 127.0.0.1 lost",
            1,
        ),
        (
            Fault::Status(500),
            &["--max-retries", "2"],
            6,
            "error: server error (HTTP 500)",
            1,
        ),
        (
            Fault::Html(503),
            &["--max-retries", "2"],
            6,
            "error: server error (HTTP 503)",
            3,
        ),
    ] {
        let proxy = FaultProxy::start(&target.url).await;
        {
            let (path, fault) = (path.clone(), fault.clone());
            proxy.set_plan(move |method, p, _| {
                if method == "POST" && p == path {
                    fault.clone()
                } else {
                    Fault::Pass
                }
            });
        }
        let mut args: Vec<&str> = flags.to_vec();
        args.extend(["users", "update", &user.id, "--first-name", "Changed"]);
        let run = cli(&proxy, target).run(&args).await;
        let line = run.fails(code);
        assert!(line.starts_with(says), "{fault:?}: {line:?}\n{run}");
        assert_eq!(
            seen(&proxy, "POST", &path),
            posts,
            "{fault:?}: POSTs of the update\n{}",
            describe(&proxy.seen())
        );
        let now = target.client().retrieve(&user.id).await.unwrap();
        assert_eq!(
            now.first_name.as_deref(),
            Some("Cli"),
            "{fault:?}: the proxy forwarded nothing, yet the user changed"
        );
    }
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_after_a_timeout_or_lost_connection_is_sent_once() {
    run_on!(all, update_faults);
}

/// `users delete --yes` whose DELETE loses its connection: a delete is idempotent, so it is
/// sent again, and the command succeeds.
async fn delete_retried(target: &Target) {
    let user = make_user(target, "delr", "delr-pass-123").await;
    let proxy = FaultProxy::start(&target.url).await;
    let first_delete = std::sync::atomic::AtomicBool::new(true);
    proxy.set_plan(move |method, _, _| {
        if method == "DELETE" && first_delete.swap(false, std::sync::atomic::Ordering::SeqCst) {
            Fault::ResetAfterRead
        } else {
            Fault::Pass
        }
    });
    let run = cli(&proxy, target)
        .run(&["--max-retries", "2", "users", "delete", &user.id, "--yes"])
        .await;
    assert!(run.ok().contains(&user.email), "{run}");
    assert_eq!(
        seen(&proxy, "DELETE", "/admin/users/"),
        2,
        "{}",
        describe(&proxy.seen())
    );
    assert!(
        target.client().retrieve(&user.id).await.is_err(),
        "{}: the user should be gone",
        target.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_whose_connection_was_lost_is_retried() {
    run_on!(all, delete_retried);
}

/// `reset-password` is never repeated (a token works once): after a timeout, exit 7 and one
/// POST. `password-token` is (a second token is as good as the first).
async fn reset_faults(target: &Target) {
    let user = make_user(target, "rstf", "rstf-pass-123").await;
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_plan(|method, path, _| {
        if method == "POST" && path == "/admin/users/reset-password" {
            Fault::Hang
        } else {
            Fault::Pass
        }
    });
    let run = cli(&proxy, target)
        .run_stdin(
            &[
                "--timeout",
                "1s",
                "--max-retries",
                "2",
                "users",
                "reset-password",
                "--token",
                "not.a.real-token",
                "--email",
                &user.email,
                "--password-stdin",
            ],
            "new-pass-12345\n",
        )
        .await;
    assert_eq!(run.fails(7), "error: timed out after 1 s");
    assert_eq!(
        seen(&proxy, "POST", "/admin/users/reset-password"),
        1,
        "{}",
        describe(&proxy.seen())
    );

    let known = target.reset_tokens_for(&user.email).len();
    let proxy = FaultProxy::start(&target.url).await;
    let first = std::sync::atomic::AtomicBool::new(true);
    proxy.set_plan(move |method, path, _| {
        if method == "POST"
            && path == "/admin/users/password-token"
            && first.swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            Fault::ResetBeforeRead
        } else {
            Fault::Pass
        }
    });
    let run = cli(&proxy, target)
        .run(&[
            "--max-retries",
            "2",
            "users",
            "password-token",
            "--email",
            &user.email,
        ])
        .await;
    run.ok();
    assert_eq!(
        seen(&proxy, "POST", "/admin/users/password-token"),
        2,
        "{}",
        describe(&proxy.seen())
    );
    target.wait_reset_token(&user.email, known).await;
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_is_sent_once_and_password_token_is_retried() {
    run_on!(all, reset_faults);
}

/// Logging in (`--email` with the password in the environment) is retried after a lost
/// connection: it only obtains a token.
async fn login_retried(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    let first = std::sync::atomic::AtomicBool::new(true);
    proxy.set_plan(move |method, path, _| {
        if method == "POST"
            && path == "/admin/auth/token"
            && first.swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            Fault::ResetAfterRead
        } else {
            Fault::Pass
        }
    });
    let run = Cli::new(&proxy.url())
        .env("MEDUSA_ADMIN_PASSWORD", &target.password)
        .run(&[
            "--max-retries",
            "1",
            "--email",
            &target.email,
            "users",
            "list",
            "--limit",
            "1",
        ])
        .await;
    run.ok();
    assert_eq!(
        seen(&proxy, "POST", "/admin/auth/token"),
        2,
        "{}",
        describe(&proxy.seen())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_whose_connection_was_lost_is_retried() {
    run_on!(all, login_retried);
}

// ----- read-only ----------------------------------------------------------------------------------------

/// With `--read-only`, create, update, password-token and reset-password are refused with
/// exit 2 and one error line, and the proxy sees nothing at all.
async fn read_only_refuses(target: &Target) {
    let user = make_user(target, "rocli", "rocli-pass-123").await;
    let proxy = FaultProxy::start(&target.url).await;
    let cli = cli(&proxy, target);
    let new_email = target.unique_email("rocli-new");
    let cases: [(&[&str], Option<&str>, &str); 4] = [
        (
            &["users", "create", "--email", &new_email, "--password-stdin"],
            Some("ro-pass-12345\n"),
            "create user",
        ),
        (
            &["users", "update", &user.id, "--first-name", "Nope"],
            None,
            "update user",
        ),
        (
            &["users", "password-token", "--email", &user.email],
            None,
            "send reset token",
        ),
        (
            &[
                "users",
                "reset-password",
                "--token",
                "some.reset-token",
                "--email",
                &user.email,
                "--password-stdin",
            ],
            Some("ro-pass-12345\n"),
            "reset password",
        ),
    ];
    for (command, stdin, what) in cases {
        proxy.clear_seen();
        let mut args = vec!["--read-only"];
        args.extend_from_slice(command);
        let run = match stdin {
            Some(input) => cli.run_stdin(&args, input).await,
            None => cli.run(&args).await,
        };
        assert_eq!(
            run.fails(2),
            format!("error: refused in read-only mode: {what} would change data on the server"),
            "{run}"
        );
        assert!(
            proxy.seen().is_empty(),
            "{}: sent\n{}",
            run.what,
            describe(&proxy.seen())
        );
    }
    assert!(target.users_with_email(&new_email).await.is_empty());
    assert_eq!(target.client().retrieve(&user.id).await.unwrap(), user);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_changes_with_2_and_sends_nothing() {
    run_on!(all, read_only_refuses);
}

/// `--read-only users delete --yes` is refused like the others: exit 2, nothing sent, whether
/// or not the id exists.
async fn read_only_delete(target: &Target) {
    let user = make_user(target, "rodel", "rodel-pass-123").await;
    let proxy = FaultProxy::start(&target.url).await;
    let cli = cli(&proxy, target);
    for id in [user.id.as_str(), "usr_01NOSUCHUSER"] {
        proxy.clear_seen();
        let run = cli
            .run(&["--read-only", "users", "delete", id, "--yes"])
            .await;
        assert_eq!(
            run.fails(2),
            "error: refused in read-only mode: delete user would change data on the server",
            "{run}"
        );
        assert!(
            proxy.seen().is_empty(),
            "{}: sent\n{}",
            run.what,
            describe(&proxy.seen())
        );
    }
    assert!(target.client().retrieve(&user.id).await.is_ok());
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_delete_is_refused_before_anything_is_sent() {
    run_on!(all, read_only_delete);
}
