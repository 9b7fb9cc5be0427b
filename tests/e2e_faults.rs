//! The TUI through a proxy that breaks requests on purpose (`support::fault_proxy`), in front
//! of a fresh sandbox and, when `MEDUSA_V1_URL` is set, the real Medusa v1.
//!
//! For each fault class — a slow answer, no answer, a connection reset before or after the
//! request was read, 500, a gateway's 502/503/504 HTML page, truncated JSON, a body cut short,
//! a body over the client's 64 MiB cap, a 401 — the suite checks what the operator sees (one
//! line in the status bar or the form, naming the problem), that the UI keeps answering keys
//! while a request hangs, that forms keep what was typed, that the app comes back by itself
//! once the server answers again (and stops saying it is offline), and, counting what reached the proxy, that retries follow
//! the rules (reads are retried up to `--max-retries`, an update after a timeout is not, a
//! create whose answer was lost is reconciled, never sent twice). The last part proves
//! `--read-only` on the wire: every mutation key tried, not one request but GETs sent.
//!
//! Short client timeouts (`--timeout 2s`…) keep each case to a few seconds. Every flow makes
//! its own users with unique e-mails and searches for them, so it also runs on a shared real
//! server.

mod support;

use std::time::{Duration, Instant};

use medusa_users::api::{CreateUser, Credentials, Role, User};
use support::fault_proxy::{Fault, FaultProxy, Seen, describe};
use support::pane::{
    edit_name_role_and_token, form_value, header, hints_line, list_rows, search, selected_email,
    status_line, summary, type_create_form, wait_ready,
};
use support::tag;
use support::target::{Target, passed};
use support::tmux::{Launch, Tui};

/// A body over the client's cap (`MAX_BODY_BYTES`, 64 MiB).
const OVERSIZED: usize = 70 * 1024 * 1024;

// ----- set-up ----------------------------------------------------------------------------------

/// The TUI through `proxy` with an API token, a short timeout and `retries` retries.
/// The dialect is given (`MEDUSA_VERSION=1`), so what the proxy sees is the console's own
/// traffic; detection through faults is covered by the client suites.
fn launch(proxy: &FaultProxy, token: &str, timeout: &str, retries: u32) -> Launch {
    Launch::new()
        .env("MEDUSA_API_TOKEN", token)
        .env("MEDUSA_VERSION", "1")
        .args([
            "--url".to_owned(),
            proxy.url(),
            "--page-size".to_owned(),
            "20".to_owned(),
            "--timeout".to_owned(),
            timeout.to_owned(),
            "--max-retries".to_owned(),
            retries.to_string(),
        ])
}

/// A short unique e-mail (the list's e-mail column shows about 32 characters).
fn email(prefix: &str, n: u32) -> String {
    format!("{prefix}-{n}@example.com")
}

async fn create_user(target: &Target, email: &str, first: &str, password: &str) -> User {
    target
        .client()
        .create(&CreateUser {
            email: email.to_owned(),
            password: password.to_owned(),
            first_name: Some(first.to_owned()),
            last_name: Some("Fault".to_owned()),
            role: Some(Role::Member),
        })
        .await
        .unwrap_or_else(|e| panic!("{}: creating {email}: {e}", target.name))
}

/// Whether a request is a page of the user list (not one user, not a create).
fn is_list(s: &Seen) -> bool {
    s.method == "GET" && (s.path == "/admin/users" || s.path.starts_with("/admin/users?"))
}

/// Runs `flow` against every available target, or only the sandbox, printing how long each
/// took (under the test's name: libtest names the thread after the test).
macro_rules! run_on {
    (all, $seed:expr, $flow:expr) => {{
        for target in Target::all($seed).await {
            let started = Instant::now();
            $flow(&target).await;
            passed(&target, started);
        }
    }};
    (sandbox, $seed:expr, $flow:expr) => {{
        let target = Target::sandbox($seed).await;
        let started = Instant::now();
        $flow(&target).await;
        passed(&target, started);
    }};
}

// ----- reading what the operator sees ------------------------------------------------------------

/// The status line holds an error (`✗ …`) that mentions every one of `expect`, on its one row:
/// the key hints are still on the row below it.
fn assert_one_line_error(tui: &Tui, screen: &str, what: &str, expect: &[&str]) -> String {
    let status = status_line(tui, screen);
    assert!(
        status.starts_with("✗ "),
        "{what}: an error in the status line\n{}",
        tui.report()
    );
    for e in expect {
        assert!(
            status.contains(e),
            "{what}: the status line should say {e:?}, it says {status:?}\n{}",
            tui.report()
        );
    }
    let hints = hints_line(tui, screen);
    assert!(
        hints.contains("help"),
        "{what}: the message spilled over the key hints\n{}",
        tui.report()
    );
    status
}

fn waiting_for_list(screen: &str) -> bool {
    screen.contains(" loading ") || screen.contains("loading…")
}

// ----- one fault on the list -------------------------------------------------------------------

/// How the app should take a fault on a list reload.
#[derive(Clone)]
struct Case {
    fault: Fault,
    timeout: &'static str,
    retries: u32,
    /// What the status line must say.
    says: &'static [&'static str],
    /// Whether the app counts the server as unreachable (offline, reconnecting by itself).
    offline: bool,
    /// Whether the client retries a GET after this fault.
    retried: bool,
    /// Whether the app reloads by itself once the server is well again (offline, or a server
    /// error on a read); otherwise the operator presses R.
    self_heals: bool,
}

/// Loads a one-user search, breaks the next reload (`R`) with the case's fault, checks the
/// message, the header, the list kept on screen and the requests sent; then lets the server
/// answer again, with a second matching user made meanwhile, and checks the app comes back:
/// by itself when it went offline, with `R` otherwise (nothing told it the server is down).
async fn list_fault(target: &Target, case: Case) {
    let prefix = format!("lf{}", tag(8));
    let first = create_user(target, &email(&prefix, 1), "First", "fault-pass-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, case.timeout, case.retries).start();
    wait_ready(&tui);
    let screen = search(&tui, &prefix, "1–1 of 1 · page 1/1");
    assert_eq!(
        list_rows(&screen),
        (vec![first.email.clone()], Some(0)),
        "{}",
        tui.report()
    );

    let fault = case.fault.clone();
    proxy.set_plan(move |method, path, _| {
        if method == "GET" && path.starts_with("/admin/users?") {
            fault.clone()
        } else {
            Fault::Pass
        }
    });
    proxy.clear_seen();
    let what = format!("{:?} on a list reload", case.fault);
    tui.send_keys(&["R"]);
    // Counted the moment the error shows, before the reconnect timer (1 s) sends another
    // (the spinner turning during that wait can make the screen take a while to settle).
    let counted = std::cell::RefCell::new(None);
    let screen = tui.wait_until(&format!("{what}: an error in the status line"), |s| {
        let shown = status_line(&tui, s).starts_with("✗ ");
        if shown && counted.borrow().is_none() {
            *counted.borrow_mut() = Some(proxy.seen());
        }
        shown
    });
    let seen = counted.into_inner().unwrap_or_else(|| proxy.seen());
    let lists = seen.iter().filter(|s| is_list(s)).count();
    let expected = if case.retried {
        1 + case.retries as usize
    } else {
        1
    };
    assert_eq!(
        (lists, seen.len()),
        (expected, expected),
        "{what}: list requests with --max-retries {} (and nothing else)\n{}\n{}",
        case.retries,
        describe(&seen),
        tui.report()
    );
    let status = assert_one_line_error(&tui, &screen, &what, case.says);
    if case.offline {
        assert!(
            header(&screen).contains("○ offline"),
            "{what}: the header says offline\n{}",
            tui.report()
        );
        assert!(
            status.contains("offline, retry in 1 s (R now)"),
            "{what}: the status line says when it retries\n{}",
            tui.report()
        );
    } else {
        assert!(
            header(&screen).contains("● online"),
            "{what}: the server answered, so it is not offline\n{}",
            tui.report()
        );
    }
    // The page from before stays on screen.
    assert_eq!(
        list_rows(&screen).0,
        vec![first.email.clone()],
        "{what}: the list shown before the fault\n{}",
        tui.report()
    );

    // A second user while the list is broken; the recovered list must show both.
    let second = create_user(target, &email(&prefix, 2), "Second", "fault-pass-2").await;
    proxy.set_fault(Fault::Pass);
    let recovered = |s: &str| {
        header(s).contains("● online")
            && summary(s).as_deref() == Some("1–2 of 2 · page 1/1")
            && !waiting_for_list(s)
    };
    let started = Instant::now();
    if case.self_heals {
        // No key pressed: the reconnect timer does it.
        tui.wait_until(&format!("{what}: back online by itself"), recovered);
    } else {
        tui.send_keys(&["R"]);
        tui.wait_until(&format!("{what}: reloaded with R"), recovered);
    }
    let screen = tui.screen();
    if case.offline {
        // Back online, the status line no longer says it is offline and retrying.
        let now = status_line(&tui, &screen);
        assert!(
            !now.contains("offline"),
            "{what}: online again, but the status line says {now:?}\n{}",
            tui.report()
        );
    }
    let mut shown = list_rows(&screen).0;
    shown.sort();
    let mut want = vec![first.email.clone(), second.email.clone()];
    want.sort();
    assert_eq!(
        shown,
        want,
        "{what}: the list after recovery\n{}",
        tui.report()
    );
    eprintln!(
        "{what}: status {status:?}; recovered in {:.1} s; status after: {:?}",
        started.elapsed().as_secs_f64(),
        status_line(&tui, &screen)
    );

    drop(tui);
    target.clean_up(&[first.id, second.id]).await;
}

macro_rules! list_fault_test {
    ($name:ident, $on:tt, $case:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let case: Case = $case;
            run_on!($on, 0, |t| list_fault(t, case.clone()));
        }
    };
}

list_fault_test!(
    list_reset_before_read_is_retried_then_offline_then_back_by_itself,
    all,
    Case {
        fault: Fault::ResetBeforeRead,
        timeout: "3s",
        retries: 2,
        says: &["network error", "lost"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_reset_after_read_is_retried_then_offline_then_back_by_itself,
    sandbox,
    Case {
        fault: Fault::ResetAfterRead,
        timeout: "3s",
        retries: 2,
        says: &["network error", "lost"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_hang_times_out_is_retried_then_back_by_itself,
    sandbox,
    Case {
        fault: Fault::Hang,
        timeout: "2s",
        retries: 1,
        says: &["timed out after 2 s"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_500_says_so_and_is_read_again_by_itself_later,
    all,
    Case {
        fault: Fault::Status(500),
        timeout: "3s",
        retries: 2,
        says: &["server error (HTTP 500)"],
        offline: false,
        self_heals: true,
        retried: false,
    }
);

list_fault_test!(
    list_502_html_page_is_retried_then_offline_then_back_by_itself,
    sandbox,
    Case {
        fault: Fault::Html(502),
        timeout: "3s",
        retries: 1,
        says: &["HTTP 502", "502 Bad Gateway"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_503_html_page_is_retried_then_offline_then_back_by_itself,
    sandbox,
    Case {
        fault: Fault::Html(503),
        timeout: "3s",
        retries: 1,
        says: &["HTTP 503", "an HTML error page"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_504_html_page_is_retried_then_offline_then_back_by_itself,
    all,
    Case {
        fault: Fault::Html(504),
        timeout: "3s",
        retries: 1,
        says: &["HTTP 504", "an HTML error page"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_truncated_json_is_unreadable_and_not_retried,
    sandbox,
    Case {
        fault: Fault::TruncatedJson,
        timeout: "3s",
        retries: 2,
        says: &["unreadable response", "not the JSON"],
        offline: false,
        self_heals: false,
        retried: false,
    }
);

list_fault_test!(
    list_body_cut_short_is_retried_then_offline_then_back_by_itself,
    sandbox,
    Case {
        fault: Fault::TruncatedBody,
        timeout: "3s",
        retries: 1,
        says: &["network error", "lost"],
        offline: true,
        self_heals: true,
        retried: true,
    }
);

list_fault_test!(
    list_oversized_body_is_refused_and_not_retried,
    sandbox,
    Case {
        fault: Fault::Oversized(OVERSIZED),
        timeout: "10s",
        retries: 2,
        says: &["larger than 64 MiB"],
        offline: false,
        self_heals: false,
        retried: false,
    }
);

// ----- coming back -----------------------------------------------------------------------------------

/// Started while the server is unreachable: offline at once, keys still work, and once the
/// server is there the app signs in (who am I) and loads the list without a key pressed.
async fn start_while_down(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(Fault::ResetBeforeRead);
    let tui = launch(&proxy, &target.api_token, "3s", 0).start();
    let screen = tui.wait_until("offline at start", |s| {
        header(s).contains("○ offline") && status_line(&tui, s).contains("offline, retry in")
    });
    assert_one_line_error(&tui, &screen, "start while down", &["network error"]);
    let seen = proxy.seen();
    assert!(
        seen.iter().any(|s| s.path == "/admin/auth") && seen.iter().any(is_list),
        "who-am-I and the first page were tried\n{}",
        describe(&seen)
    );
    tui.send_keys(&["?"]);
    tui.wait_until_within("help while offline", Duration::from_secs(1), |s| {
        s.contains("┌ Keys ")
    });
    tui.send_keys(&["Escape"]);
    tui.wait_until_within("help closed", Duration::from_secs(1), |s| {
        !s.contains("┌ Keys ")
    });
    proxy.set_fault(Fault::Pass);
    let screen = wait_ready(&tui);
    assert!(
        header(&screen).contains(&format!("{} (admin)", target.email)),
        "signed in as the token's user\n{}",
        tui.report()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_while_the_server_is_down_comes_online_by_itself() {
    run_on!(all, 3, start_while_down);
}

/// Started while the server answers 500 to everything: one line says so; the header stops
/// saying "connecting" (the server answered; nothing is pending); the server is not
/// unreachable, so nothing retries by itself, and R (once the server is well) signs in and
/// loads the list.
async fn start_against_500(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_fault(Fault::Status(500));
    let tui = launch(&proxy, &target.api_token, "3s", 2).start();
    let screen = tui.wait_until("the error, nothing pending", |s| {
        status_line(&tui, s).starts_with("✗ ") && !waiting_for_list(s) && proxy.seen().len() == 2
    });
    assert_one_line_error(
        &tui,
        &screen,
        "start against a 500",
        &["server error (HTTP 500)"],
    );
    assert_eq!(
        proxy.seen().len(),
        2,
        "who-am-I and the first page, not retried\n{}",
        describe(&proxy.seen())
    );
    assert!(
        !header(&screen).contains("connecting"),
        "every request was answered, yet the header says connecting\n{}",
        tui.report()
    );
    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["R"]);
    wait_ready(&tui);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_against_a_500_says_so_and_r_loads() {
    run_on!(sandbox, 3, start_against_500);
}

// ----- the UI answers while a request hangs --------------------------------------------------------

/// Sends `keys`, then waits at most a second for `check`; returns how long it took.
fn within_a_second(tui: &Tui, keys: &[&str], what: &str, check: impl Fn(&str) -> bool) -> Duration {
    let started = Instant::now();
    tui.send_keys(keys);
    tui.wait_until_within(
        &format!("{what} within a second of {keys:?}"),
        Duration::from_secs(1),
        check,
    );
    started.elapsed()
}

/// Everything hangs (no answer at all); the operator opens and closes help, moves the
/// selection, opens the create form and types, all answered within a second, while the reload
/// is still waiting. Then the timeout (6 s) says so on one line, and the app comes back by
/// itself when the server answers again.
async fn responsive_during_a_hang(target: &Target) {
    let prefix = format!("rh{}", tag(6));
    let mut made = Vec::new();
    for n in 1..=2 {
        made.push(create_user(target, &email(&prefix, n), "Hang", "hang-pass-1").await);
    }
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "6s", 0).start();
    wait_ready(&tui);
    let screen = search(&tui, &prefix, "1–2 of 2 · page 1/1");
    let (rows, selected) = list_rows(&screen);
    assert!(
        rows.len() == 2 && selected == Some(0),
        "two rows to move between\n{}",
        tui.report()
    );

    proxy.set_fault(Fault::Hang);
    proxy.clear_seen();
    let hung_at = Instant::now();
    tui.send_keys(&["R"]);
    tui.wait_until("the reload waiting", waiting_for_list);

    let mut took = Vec::new();
    took.push(within_a_second(&tui, &["?"], "help open", |s| {
        s.contains("┌ Keys ")
    }));
    took.push(within_a_second(&tui, &["Escape"], "help closed", |s| {
        !s.contains("┌ Keys ")
    }));
    took.push(within_a_second(
        &tui,
        &["j"],
        "the second row selected",
        |s| list_rows(s).1 == Some(1),
    ));
    took.push(within_a_second(
        &tui,
        &["k"],
        "the first row selected",
        |s| list_rows(s).1 == Some(0),
    ));
    took.push(within_a_second(&tui, &["c"], "the create form", |s| {
        s.contains(" Create user ")
    }));
    let typed = "typed-while-hanging@example.com";
    let started = Instant::now();
    tui.type_text(typed);
    tui.wait_until_within("the typing shown", Duration::from_secs(1), |s| {
        form_value(s, "Email").as_deref() == Some(typed)
    });
    took.push(started.elapsed());
    took.push(within_a_second(
        &tui,
        &["Escape"],
        "the discard question",
        |s| s.contains(" Unsaved changes "),
    ));
    took.push(within_a_second(&tui, &["y"], "the form closed", |s| {
        !s.contains(" Create user ") && !s.contains(" Unsaved changes ")
    }));

    // All of that happened during the hang: still waiting, nothing reported yet.
    let screen = tui.screen();
    assert!(
        hung_at.elapsed() < Duration::from_secs(6),
        "the keys took {:?}, longer than the hang lasts",
        hung_at.elapsed()
    );
    assert!(
        waiting_for_list(&screen) && status_line(&tui, &screen).is_empty(),
        "the reload should still be waiting\n{}",
        tui.report()
    );
    let seen = proxy.seen();
    assert_eq!(
        seen.iter().filter(|s| is_list(s)).count(),
        1,
        "one reload, hanging\n{}",
        describe(&seen)
    );

    let screen = tui.wait_until("the timeout reported", |s| {
        status_line(&tui, s).starts_with("✗ ")
    });
    let waited = hung_at.elapsed();
    assert_one_line_error(
        &tui,
        &screen,
        "a hang",
        &["offline, retry in", "timed out after 6 s"],
    );
    assert!(
        waited >= Duration::from_secs(6) && waited < Duration::from_secs(10),
        "the timeout came after {waited:?}"
    );

    proxy.set_fault(Fault::Pass);
    tui.wait_until("back online by itself", |s| {
        header(s).contains("● online") && summary(s).is_some() && !waiting_for_list(s)
    });
    eprintln!("key → screen during the hang: {took:?}");
    drop(tui);
    target
        .clean_up(&made.into_iter().map(|u| u.id).collect::<Vec<_>>())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_answers_within_a_second_while_a_request_hangs() {
    run_on!(all, 5, responsive_during_a_hang);
}

/// A 2 s delay is only slow: the UI answers meanwhile, the page arrives, no error, one request.
async fn delay_is_only_slow(target: &Target) {
    let prefix = format!("dl{}", tag(6));
    let first = create_user(target, &email(&prefix, 1), "First", "delay-pass-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 0).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");
    let second = create_user(target, &email(&prefix, 2), "Second", "delay-pass-2").await;
    proxy.set_fault(Fault::Delay(Duration::from_secs(2)));
    proxy.clear_seen();
    let started = Instant::now();
    tui.send_keys(&["R"]);
    tui.wait_until("the reload waiting", waiting_for_list);
    within_a_second(&tui, &["?"], "help open", |s| s.contains("┌ Keys "));
    within_a_second(&tui, &["Escape"], "help closed", |s| !s.contains("┌ Keys "));
    let screen = tui.wait_until("the slow page", |s| {
        summary(s).as_deref() == Some("1–2 of 2 · page 1/1") && !waiting_for_list(s)
    });
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2),
        "the page came before the delay ended ({took:?})"
    );
    assert!(
        status_line(&tui, &screen).is_empty() && header(&screen).contains("● online"),
        "a slow answer is no error\n{}",
        tui.report()
    );
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{}", describe(&seen));
    drop(tui);
    target.clean_up(&[first.id, second.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_second_delay_is_only_slow() {
    run_on!(sandbox, 0, delay_is_only_slow);
}

// ----- 401 -------------------------------------------------------------------------------------

/// A 401 on a reload opens the login dialog with the reason (not retried); after logging in
/// through the proxy, the reload runs again and shows what changed meanwhile.
async fn unauthorized_on_reload(target: &Target) {
    let prefix = format!("ua{}", tag(6));
    let first = create_user(target, &email(&prefix, 1), "First", "unauth-pass-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 2).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");
    proxy.set_plan(|method, path, _| {
        if method == "GET" && path.starts_with("/admin/users?") {
            Fault::Unauthorized
        } else {
            Fault::Pass
        }
    });
    proxy.clear_seen();
    tui.send_keys(&["R"]);
    let screen = tui.wait_until("the login dialog", |s| s.contains(" Log in "));
    assert!(
        screen.contains("the server refused the API token (HTTP 401)"),
        "the dialog says why: the token it was started with was refused\n{}",
        tui.report()
    );
    assert!(header(&screen).contains("○ signed out"), "{}", tui.report());
    let seen = proxy.seen();
    assert_eq!(
        seen.iter().filter(|s| is_list(s)).count(),
        1,
        "a 401 is not retried\n{}",
        describe(&seen)
    );
    let second = create_user(target, &email(&prefix, 2), "Second", "unauth-pass-2").await;
    proxy.set_fault(Fault::Pass);
    // The e-mail is the signed-in admin's; the focus is on the password.
    assert_eq!(
        form_value(&screen, "Email").as_deref(),
        Some(target.email.as_str()),
        "{}",
        tui.report()
    );
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("signed in, the reload done", |s| {
        !s.contains(" Log in ")
            && header(s).contains("· JWT")
            && header(s).contains("● online")
            && summary(s).as_deref() == Some("1–2 of 2 · page 1/1")
            && !waiting_for_list(s)
    });
    let mut shown = list_rows(&screen).0;
    shown.sort();
    let mut want = vec![first.email.clone(), second.email.clone()];
    want.sort();
    assert_eq!(shown, want, "{}", tui.report());
    let logins = proxy
        .seen()
        .iter()
        .filter(|s| s.method == "POST" && s.path == "/admin/auth/token")
        .count();
    assert_eq!(logins, 1, "one login");
    drop(tui);
    target.clean_up(&[first.id, second.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_reload_logs_in_and_loads_again() {
    run_on!(all, 0, unauthorized_on_reload);
}

// ----- forms keep what was typed ------------------------------------------------------------------

/// Only POSTs to this exact path get `fault`; everything else passes.
fn break_posts_to(proxy: &FaultProxy, path: &str, fault: Fault) {
    let path = path.to_owned();
    proxy.set_plan(move |method, p, _| {
        if method == "POST" && p == path {
            fault.clone()
        } else {
            Fault::Pass
        }
    });
}

fn posts_to(proxy: &FaultProxy, path: &str) -> usize {
    proxy
        .seen()
        .iter()
        .filter(|s| s.method == "POST" && s.path == path)
        .count()
}

/// Fills the create form: e-mail, names, developer, the password twice.
fn fill_create_form(tui: &Tui, email: &str, password: &str) {
    type_create_form(tui, email, ("Fay", "Form"), password);
    let bullets = "•".repeat(password.chars().count());
    tui.wait_until("the form filled", |s| {
        form_value(s, "Confirm password").as_deref() == Some(bullets.as_str())
    });
}

fn assert_create_form_kept(tui: &Tui, screen: &str, what: &str, email: &str, password: &str) {
    let bullets = "•".repeat(password.chars().count());
    for (label, want) in [
        ("Email", email),
        ("First name", "Fay"),
        ("Last name", "Form"),
        ("Role", "◀ developer ▶"),
        ("Password", bullets.as_str()),
        ("Confirm password", bullets.as_str()),
    ] {
        assert_eq!(
            form_value(screen, label).as_deref(),
            Some(want),
            "{what}: {label} after the failed create\n{}",
            tui.report()
        );
    }
}

/// Ctrl-S on a form whose save will fail: waits for the form's error (and `busy` gone), checks
/// that it says `says`, and notes what the form and the status line say; the screen.
fn save_and_expect_form_error(tui: &Tui, what: &str, busy: &str, says: &str) -> String {
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_until(&format!("{what}: the form's error"), |s| {
        s.contains("│ ✗ ") && !s.contains(busy)
    });
    let error_row = screen
        .lines()
        .find(|l| l.contains("│ ✗ "))
        .unwrap_or_default()
        .to_owned();
    assert!(
        error_row.contains(says),
        "{what}: the form should say {says:?}: {error_row:?}\n{}",
        tui.report()
    );
    eprintln!(
        "{what}: the form says {:?}; the status line {:?}",
        error_row
            .split_once("✗ ")
            .map_or("", |(_, e)| e.split('│').next().unwrap_or("").trim()),
        status_line(tui, &screen)
    );
    screen
}

/// A create whose POST fails (`fault`): the form stays with everything typed and says why on
/// one line; nothing reached the server (the proxy did not forward it); with the server back,
/// Ctrl-S again creates the user, once, with the password typed before the failure.
async fn create_fails_then_saves(target: &Target, fault: Fault, says: &str, offline: bool) {
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 0).start();
    wait_ready(&tui);
    let prefix = format!("cf{}", tag(6));
    let email = email(&prefix, 1);
    let password = format!("pw-{}", tag(10));
    fill_create_form(&tui, &email, &password);

    break_posts_to(&proxy, "/admin/users", fault.clone());
    proxy.clear_seen();
    let what = format!("create with {fault:?}");
    let screen = save_and_expect_form_error(&tui, &what, "creating…", says);
    assert!(
        screen.contains(" Create user "),
        "{what}: the form stays open\n{}",
        tui.report()
    );
    assert_create_form_kept(&tui, &screen, &what, &email, &password);
    if offline {
        assert!(
            header(&screen).contains("○ offline")
                && status_line(&tui, &screen).contains("offline, retry in"),
            "{what}: unreachable, so offline\n{}",
            tui.report()
        );
    }
    assert_eq!(
        posts_to(&proxy, "/admin/users"),
        1,
        "{what}: one POST with --max-retries 0\n{}",
        describe(&proxy.seen())
    );
    assert!(
        target.users_with_email(&email).await.is_empty(),
        "{what}: the proxy did not forward the create, yet the user exists"
    );

    // The server is back: the same form saves.
    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(&format!("created {email} (developer)"));
    assert!(!screen.contains(" Create user "), "{}", tui.report());
    let made = target.users_with_email(&email).await;
    assert_eq!(made.len(), 1, "{what}: {made:?}");
    assert_eq!(made[0].first_name.as_deref(), Some("Fay"));
    assert_eq!(made[0].role, Some(Role::Developer));
    target
        .client_with(Credentials::None)
        .login(&email, &password)
        .await
        .unwrap_or_else(|e| panic!("{what}: the password typed before the failure: {e}"));
    drop(tui);
    target.clean_up(&[made[0].id.clone()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_refused_with_500_keeps_the_form() {
    run_on!(all, 0, |t| create_fails_then_saves(
        t,
        Fault::Status(500),
        "An unknown error occurred.",
        false
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_timing_out_keeps_the_form() {
    run_on!(sandbox, 0, |t| create_fails_then_saves(
        t,
        Fault::Hang,
        "timed out after 3 s",
        true
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_reset_after_read_keeps_the_form() {
    run_on!(sandbox, 0, |t| create_fails_then_saves(
        t,
        Fault::ResetAfterRead,
        "lost",
        true
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_behind_a_503_page_keeps_the_form() {
    run_on!(sandbox, 0, |t| create_fails_then_saves(
        t,
        Fault::Html(503),
        "503",
        true
    ));
}

/// An update whose POST fails: the edit form keeps every change (name, role, the new API
/// token, metadata) and says why; with retries on, the update is still sent once only (its
/// outcome is unknown after a timeout or a lost connection, and it is not idempotent); the
/// server is unchanged; Ctrl-S again saves.
async fn edit_fails_then_saves(target: &Target, fault: Fault, says: &str, retries: u32) {
    let prefix = format!("ef{}", tag(6));
    let email = email(&prefix, 1);
    let user = create_user(target, &email, "Before", "edit-fault-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", retries).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");

    tui.send_keys(&["e"]);
    tui.wait_for(&format!(" Edit {email} "));
    let api_token = format!("tok-{}", tag(16));
    edit_name_role_and_token(&tui, "After", &api_token);
    tui.type_text("team=faults");
    tui.wait_until("the edit typed", |s| {
        form_value(s, "Metadata").as_deref() == Some("team=faults")
    });

    let path = format!("/admin/users/{}", user.id);
    break_posts_to(&proxy, &path, fault.clone());
    proxy.clear_seen();
    let what = format!("update with {fault:?} and --max-retries {retries}");
    let screen = save_and_expect_form_error(&tui, &what, "saving…", says);
    let bullets = "•".repeat(api_token.len());
    for (label, want) in [
        ("Email", email.as_str()),
        ("First name", "After"),
        ("Last name", "Fault"),
        ("Role", "◀ developer ▶"),
        ("API token", bullets.as_str()),
        ("Metadata", "team=faults"),
    ] {
        assert_eq!(
            form_value(&screen, label).as_deref(),
            Some(want),
            "{what}: {label} after the failed save\n{}",
            tui.report()
        );
    }
    assert_eq!(
        posts_to(&proxy, &path),
        1,
        "{what}: the update must not be repeated\n{}",
        describe(&proxy.seen())
    );
    let unchanged = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(
        unchanged, user,
        "{what}: the proxy did not forward it, yet the user changed"
    );

    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["C-s"]);
    tui.wait_for(&format!("saved {email}"));
    let now = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(now.first_name.as_deref(), Some("After"), "{now:?}");
    assert_eq!(now.role, Some(Role::Developer), "{now:?}");
    assert_eq!(now.api_token.as_deref(), Some(api_token.as_str()));
    assert_eq!(
        now.metadata
            .as_ref()
            .and_then(|m| m.get("team"))
            .and_then(|v| v.as_str()),
        Some("faults"),
        "{now:?}"
    );
    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_timing_out_is_not_repeated_and_keeps_the_form() {
    run_on!(all, 0, |t| edit_fails_then_saves(
        t,
        Fault::Hang,
        "timed out after 3 s",
        2
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_reset_before_read_is_not_repeated_and_keeps_the_form() {
    run_on!(sandbox, 0, |t| edit_fails_then_saves(
        t,
        Fault::ResetBeforeRead,
        "lost",
        2
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_refused_with_500_keeps_the_form() {
    run_on!(sandbox, 0, |t| edit_fails_then_saves(
        t,
        Fault::Status(500),
        "An unknown error occurred.",
        2
    ));
}

// ----- a create whose answer was lost --------------------------------------------------------------

/// The create reaches the server, which makes the user, and the connection drops before the
/// answer: the app looks the e-mail up instead of sending the create again, reports success,
/// and the server has exactly one such user.
async fn create_answer_lost(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 2).start();
    wait_ready(&tui);
    let prefix = format!("cl{}", tag(6));
    let email = email(&prefix, 1);
    let password = format!("pw-{}", tag(10));
    fill_create_form(&tui, &email, &password);
    break_posts_to(&proxy, "/admin/users", Fault::DropAfterForward);
    proxy.clear_seen();
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_for(&format!("created {email} (developer)"));
    assert_eq!(
        status_line(&tui, &screen),
        format!("✓ created {email} (developer)"),
        "{}",
        tui.report()
    );
    let seen = proxy.seen();
    assert_eq!(
        posts_to(&proxy, "/admin/users"),
        1,
        "no second create\n{}",
        describe(&seen)
    );
    let encoded = email.replace('@', "%40");
    assert!(
        seen.iter()
            .any(|s| s.method == "GET" && s.path.contains(&format!("email={encoded}"))),
        "the e-mail was looked up\n{}",
        describe(&seen)
    );
    let made = target.users_with_email(&email).await;
    assert_eq!(made.len(), 1, "exactly one user: {made:?}");
    // The list (reloaded after the create) shows it, selected.
    tui.wait_until("the new user selected", |s| {
        selected_email(s).as_deref() == Some(email.as_str()) && !waiting_for_list(s)
    });
    drop(tui);
    target.clean_up(&[made[0].id.clone()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_whose_answer_was_lost_is_reconciled_not_repeated() {
    run_on!(all, 0, create_answer_lost);
}

// ----- read-only on the wire -----------------------------------------------------------------------

/// `--read-only` through the proxy, signed in with an API token (so no login POST): every
/// mutation key, and the keys that would confirm or submit a dialog had one opened, in the
/// list, in the detail screen (80 columns: Enter opens it) and in the search box. Afterwards
/// the proxy has seen GETs only, and the server's user is as it was.
async fn read_only_on_the_wire(target: &Target) {
    let prefix = format!("ro{}", tag(6));
    let user = create_user(target, &email(&prefix, 1), "Rita", "ro-pass-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 0)
        .arg("--read-only")
        .size(80, 24)
        .start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");
    let mutation_keys = [
        ("c", "creating users"),
        ("e", "editing users"),
        ("d", "deleting users"),
        ("r", "resetting passwords"),
    ];
    // What would confirm or submit the dialog, had one opened; Enter last, which opens the
    // detail screen at this width. (Not Tab: in the list it switches to the Invites tab.) (Not `y`: in the list it copies the e-mail, a notice that
    // fades on a timer, and the Escape below would race with the fade. The detail screen
    // below sends `y` after `d`.)
    let confirm_keys = ["s", "t", "C-s", "Space", "Enter"];
    // The list.
    for (key, what) in mutation_keys {
        tui.send_keys(&[key]);
        tui.wait_for(&format!("read-only mode: {what} is disabled"));
        for confirm in confirm_keys {
            tui.send_keys(&[confirm]);
        }
        tui.wait_for("Esc back to the list");
        // (One Escape at a time: two in one write read as one Alt-Esc.)
        tui.send_keys(&["Escape"]);
        tui.wait_gone("Esc back to the list");
        tui.send_keys(&["Escape"]);
        tui.wait_until("back on the list, no message", |s| {
            status_line(&tui, s).is_empty() && s.contains("search: ")
        });
    }
    // The detail screen has e, d and r too.
    tui.send_keys(&["Enter"]);
    tui.wait_for("Esc back to the list");
    for (key, what) in &mutation_keys[1..] {
        tui.send_keys(&[key]);
        tui.wait_for(&format!("read-only mode: {what} is disabled"));
        for confirm in ["y", "s", "t", "C-s"] {
            tui.send_keys(&[confirm]);
        }
    }
    tui.send_keys(&["Escape"]);
    tui.wait_gone("Esc back to the list");
    // The search box (it opens with the search kept) takes them as text.
    tui.send_keys(&["/"]);
    tui.wait_for(&format!("/{prefix}▏"));
    tui.send_keys(&["C-s", "Enter"]);
    let screen = tui.wait_until("settled", |s| !waiting_for_list(s));
    for dialog in [
        " Create user ",
        " Edit ",
        " Delete user ",
        " Reset password ",
        " New password for ",
    ] {
        assert!(
            !screen.contains(dialog),
            "{dialog:?} opened in read-only mode\n{}",
            tui.report()
        );
    }
    tui.send_keys(&["q"]);
    tui.wait_exit(Duration::from_secs(10));

    let seen = proxy.seen();
    let writes: Vec<&Seen> = seen.iter().filter(|s| s.method != "GET").collect();
    assert!(
        writes.is_empty(),
        "read-only sent {} non-GET request(s):\n{}",
        writes.len(),
        describe(&seen)
    );
    assert!(
        seen.len() >= 4,
        "the session did reach the server\n{}",
        describe(&seen)
    );
    let now = target.client().retrieve(&user.id).await.unwrap();
    assert_eq!(now, user, "the user changed in read-only mode");
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_sends_nothing_but_gets() {
    run_on!(all, 0, read_only_on_the_wire);
}

// ----- the other dialogs ---------------------------------------------------------------------------

/// Logging in on the login screen while the connection breaks: the form keeps the e-mail and
/// the password, says why, and with the server back Enter logs in (the retry timer meanwhile
/// must not throw the login screen or what was typed away).
async fn login_form_keeps_input(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_plan(|method, path, _| {
        if method == "POST" && path == "/admin/auth/token" {
            Fault::ResetBeforeRead
        } else {
            Fault::Pass
        }
    });
    let home = tempfile::tempdir().unwrap();
    let tui = Launch::new()
        .home(home.path())
        .args([
            "--url",
            &proxy.url(),
            "--timeout",
            "3s",
            "--max-retries",
            "1",
        ])
        .start();
    tui.wait_for(" Log in ");
    tui.type_text(&target.email);
    tui.send_keys(&["Tab"]);
    tui.type_text(&target.password);
    let bullets = "•".repeat(target.password.chars().count());
    tui.wait_until("the password typed", |s| {
        form_value(s, "Password").as_deref() == Some(bullets.as_str())
    });
    tui.send_keys(&["Enter"]);
    let screen = tui.wait_until("the login's error", |s| {
        s.contains("│ ✗ ") && !s.contains("logging in…")
    });
    assert!(
        screen.contains("lost"),
        "the form says the connection was lost\n{}",
        tui.report()
    );
    assert_eq!(
        posts_to(&proxy, "/admin/auth/token"),
        2,
        "a login is retried (--max-retries 1)\n{}",
        describe(&proxy.seen())
    );
    // Past the first reconnect attempt (1 s): still the login screen, still what was typed.
    tui.settle(Duration::from_millis(1500));
    let screen = tui.screen();
    assert!(screen.contains(" Log in "), "{}", tui.report());
    assert_eq!(
        form_value(&screen, "Email").as_deref(),
        Some(target.email.as_str()),
        "{}",
        tui.report()
    );
    assert_eq!(
        form_value(&screen, "Password").as_deref(),
        Some(bullets.as_str()),
        "{}",
        tui.report()
    );
    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["Enter"]);
    let screen = wait_ready(&tui);
    assert!(
        header(&screen).contains(&format!("{} (admin) · JWT", target.email)),
        "{}",
        tui.report()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_whose_connection_breaks_keeps_the_form() {
    run_on!(all, 0, login_form_keeps_input);
}

/// A delete whose connection breaks after the server read it (without forwarding): the
/// dialog stays and says why, the user is still there; `y` again deletes. A DELETE is
/// idempotent, so with retries it would have been sent again (see `cli_faults.rs`); here
/// `--max-retries 0`.
async fn delete_dialog_keeps(target: &Target) {
    let prefix = format!("dd{}", tag(6));
    let user = create_user(target, &email(&prefix, 1), "Dee", "dd-pass-1").await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 0).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");
    proxy.set_plan(|method, _, _| {
        if method == "DELETE" {
            Fault::ResetAfterRead
        } else {
            Fault::Pass
        }
    });
    tui.send_keys(&["d"]);
    tui.wait_for(" Delete user ");
    tui.send_keys(&["y"]);
    let screen = tui.wait_until("the delete's error", |s| {
        s.contains("│ ✗ ") && !s.contains("deleting…")
    });
    assert!(
        screen.contains(" Delete user ") && screen.contains("lost"),
        "the dialog stays and says why\n{}",
        tui.report()
    );
    assert!(target.client().retrieve(&user.id).await.is_ok());
    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["y"]);
    tui.wait_for(&format!("deleted {}", user.email));
    assert!(target.client().retrieve(&user.id).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_whose_connection_breaks_keeps_the_dialog() {
    run_on!(sandbox, 0, delete_dialog_keeps);
}

/// Setting a new password with a reset token while the server does not answer: the form keeps
/// the token and both passwords and says it timed out; the request is not repeated (a token
/// works once), whatever `--max-retries`; with the server back, Ctrl-S sets the password.
async fn reset_apply_keeps(target: &Target) {
    let prefix = format!("ra{}", tag(6));
    let email = email(&prefix, 1);
    let user = create_user(target, &email, "Rae", "ra-old-pass-1").await;
    let known = target.reset_tokens_for(&email).len();
    target
        .client()
        .send_reset_password_token(&email)
        .await
        .unwrap();
    let token = target.wait_reset_token(&email, known).await;
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "2s", 2).start();
    wait_ready(&tui);
    search(&tui, &prefix, "1–1 of 1 · page 1/1");
    tui.send_keys(&["r"]);
    tui.wait_for(" Reset password ");
    tui.send_keys(&["t"]);
    tui.wait_for(&format!(" New password for {email} "));
    let new_password = format!("ra-new-{}", tag(10));
    tui.type_text(&token);
    tui.send_keys(&["Tab"]);
    tui.type_text(&new_password);
    tui.send_keys(&["Tab"]);
    tui.type_text(&new_password);
    let bullets = "•".repeat(new_password.len());
    tui.wait_until("the form filled", |s| {
        form_value(s, "Confirm password").as_deref() == Some(bullets.as_str())
    });
    break_posts_to(&proxy, "/admin/users/reset-password", Fault::Hang);
    proxy.clear_seen();
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_until("the timeout in the form", |s| {
        s.contains("│ ✗ ") && !s.contains("applying…")
    });
    assert!(screen.contains("timed out after 2 s"), "{}", tui.report());
    for (label, want) in [
        ("Reset token", "•".repeat(token.chars().count())),
        ("New password", bullets.clone()),
        ("Confirm password", bullets.clone()),
    ] {
        // The token is longer than the field: it shows its tail, all bullets.
        let shown = form_value(&screen, label).unwrap_or_default();
        assert!(
            !shown.is_empty() && shown.chars().all(|c| c == '•') && want.starts_with(&shown),
            "{label} kept: {shown:?}\n{}",
            tui.report()
        );
    }
    assert_eq!(
        posts_to(&proxy, "/admin/users/reset-password"),
        1,
        "not repeated\n{}",
        describe(&proxy.seen())
    );
    proxy.set_fault(Fault::Pass);
    tui.send_keys(&["C-s"]);
    tui.wait_for(&format!("password changed for {email}"));
    target
        .client_with(Credentials::None)
        .login(&email, &new_password)
        .await
        .unwrap_or_else(|e| panic!("{}: the new password: {e}", target.name));
    drop(tui);
    target.clean_up(&[user.id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_password_timing_out_is_not_repeated_and_keeps_the_form() {
    run_on!(all, 0, reset_apply_keeps);
}

/// A create refused with 401 (the session expired): the login dialog opens over the form;
/// after logging in, the same create goes again by itself and makes exactly one user.
async fn create_after_401(target: &Target) {
    let proxy = FaultProxy::start(&target.url).await;
    let tui = launch(&proxy, &target.api_token, "3s", 0).start();
    wait_ready(&tui);
    let prefix = format!("c4{}", tag(6));
    let email = email(&prefix, 1);
    let password = format!("pw-{}", tag(10));
    fill_create_form(&tui, &email, &password);
    let first = std::sync::atomic::AtomicBool::new(true);
    proxy.set_plan(move |method, path, _| {
        if method == "POST"
            && path == "/admin/users"
            && first.swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            Fault::Unauthorized
        } else {
            Fault::Pass
        }
    });
    proxy.clear_seen();
    tui.send_keys(&["C-s"]);
    let screen = tui.wait_until("the login dialog over the form", |s| {
        s.contains(" Log in ") && s.contains("(HTTP 401)")
    });
    assert!(screen.contains(" Create user "), "{}", tui.report());
    tui.type_text(&target.password);
    tui.send_keys(&["Enter"]);
    tui.wait_for(&format!("created {email} (developer)"));
    let made = target.users_with_email(&email).await;
    assert_eq!(made.len(), 1, "{made:?}");
    assert_eq!(
        posts_to(&proxy, "/admin/users"),
        2,
        "the refused create and its resend\n{}",
        describe(&proxy.seen())
    );
    target
        .client_with(Credentials::None)
        .login(&email, &password)
        .await
        .unwrap_or_else(|e| panic!("{}: the password typed before the 401: {e}", target.name));
    drop(tui);
    target.clean_up(&[made[0].id.clone()]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_refused_with_401_logs_in_and_creates_once() {
    run_on!(all, 0, create_after_401);
}
