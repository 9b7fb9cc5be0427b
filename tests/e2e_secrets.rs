//! Secrets never leak: not to the screen, not to the log, not to the files the app writes.
//!
//! A full TUI session runs with `MEDUSA_USERS_LOG=debug` (every crate's debug output, the HTTP
//! stack's included) into a log file: log in with e-mail and password on the login screen,
//! create a user with a password, give the user an API token in the edit form, send a reset
//! token and apply it with a new password, quit; then log in again as that user with the new
//! password, and quit. The screen is captured after every step. Afterwards the log, every
//! captured screen and the remembered-sessions file are searched for every secret the run used
//! (the admin's password, the new user's first and second passwords, the API token, the reset
//! token, the JWTs the app was given); none may appear, except the JWT in the sessions file,
//! which is what that file is for. The sessions file and the log must be 0600.
//!
//! Then a panic (F12) with a password typed into a form, and one on the login screen: the
//! panic report left on the terminal (scrollback included) and the log hold none of it.
//!
//! Finally the CLI: `login`, `users create --password-stdin`, `users update --api-token`,
//! `password-token`, `reset-password --password-stdin`, a login as the new user, all with
//! `MEDUSA_USERS_LOG=debug` (and a last login at `trace`) on stderr. No secret on stderr; none
//! on stdout either, except the API token in `--json` output (the user's `api_token` field,
//! which the server returns).

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use medusa_users::api::ListParams;
use support::cli::{Cli, Run, sessions_file};
use support::pane::{
    detail_field, form_value, header, history, list_rows, search, wait_ready, wait_selected,
};
use support::tag;
use support::target::Target;
use support::tmux::{Launch, Tui};

// ----- the secrets and where to look for them ------------------------------------------------------

/// A secret the run used, by name.
#[derive(Clone)]
struct Secret {
    name: String,
    value: String,
}

impl Secret {
    fn new(name: impl Into<String>, value: impl Into<String>) -> Secret {
        Secret {
            name: name.into(),
            value: value.into(),
        }
    }

    /// What must not appear: the whole secret, and the pieces a partial leak would show. A
    /// JWT's payload and signature each count (its header is the same for every token). Any
    /// other secret of 16 characters or more counts by every 12-character window of it (the
    /// random part of what the test made up), so a secret cut short still shows.
    fn needles(&self) -> Vec<String> {
        let v = &self.value;
        let mut needles = vec![v.clone()];
        let parts: Vec<&str> = v.split('.').collect();
        if parts.len() == 3 && v.starts_with("eyJ") {
            needles.extend(
                parts[1..]
                    .iter()
                    .filter(|p| p.len() >= 12)
                    .map(|p| (*p).to_owned()),
            );
        } else if v.chars().count() >= 16 {
            let chars: Vec<char> = v.chars().collect();
            needles.extend(chars.windows(12).map(|w| w.iter().collect::<String>()));
        }
        needles
    }
}

/// Every place one of `secrets` shows in `text`, as "secret name in place: …line…".
fn leaks(text: &str, place: &str, secrets: &[Secret]) -> Vec<String> {
    let mut found = Vec::new();
    for secret in secrets {
        for needle in secret.needles() {
            if let Some(line) = text.lines().find(|l| l.contains(&needle)) {
                found.push(format!("{} in {place}: {line}", secret.name));
                break;
            }
        }
    }
    found
}

fn assert_no_leaks(found: Vec<String>) {
    assert!(
        found.is_empty(),
        "secrets leaked ({}):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The JWTs in a sessions file.
fn session_tokens(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("no sessions file at {}: {e}", path.display()));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    value["sessions"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|s| s["token"].as_str().map(str::to_owned))
        .collect()
}

/// The sessions file is owner-only and holds none of `passwords`. (It does hold the JWT: the
/// search must find it there, which shows the search finds a secret where there is one.)
fn check_sessions_file(path: &Path, passwords: &[Secret]) {
    #[cfg(unix)]
    assert_eq!(mode(path), 0o600, "{} mode", path.display());
    let text = std::fs::read_to_string(path).unwrap();
    assert_no_leaks(leaks(&text, "the sessions file", passwords));
    let jwts: Vec<Secret> = session_tokens(path)
        .into_iter()
        .map(|t| Secret::new("the remembered JWT", t))
        .collect();
    assert!(!jwts.is_empty(), "{}: no JWT", path.display());
    assert_eq!(
        leaks(&text, "the sessions file", &jwts).len(),
        jwts.len(),
        "the search should find the JWT in the sessions file"
    );
}

// ----- recording every screen ------------------------------------------------------------------------

/// Drives a TUI and keeps the screen after every step.
struct Recorder<'a> {
    tui: &'a Tui,
    screens: &'a mut Vec<(String, String)>,
    run: &'static str,
}

impl Recorder<'_> {
    fn snap(&mut self, step: &str) -> String {
        let screen = self.tui.screen();
        self.screens
            .push((format!("{}: {step}", self.run), screen.clone()));
        screen
    }

    fn keys(&mut self, keys: &[&str]) {
        self.tui.send_keys(keys);
        self.snap(&format!("keys {keys:?}"));
    }

    fn text(&mut self, label: &str, text: &str) {
        self.tui.type_text(text);
        self.snap(&format!("typed the {label}"));
    }

    fn wait_for(&mut self, text: &str) -> String {
        let screen = self.tui.wait_for(text);
        self.screens
            .push((format!("{}: {text:?} shown", self.run), screen.clone()));
        screen
    }

    fn wait_until(&mut self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let screen = self.tui.wait_until(what, check);
        self.screens
            .push((format!("{}: {what}", self.run), screen.clone()));
        screen
    }
}

fn launch(target: &Target, home: &Path, log: &Path) -> Launch {
    Launch::new()
        .home(home)
        .env("MEDUSA_USERS_LOG", "debug")
        .env("MEDUSA_USERS_LOG_FILE", log.to_string_lossy())
        .args(["--url", &target.url, "--page-size", "20"])
}

// ----- the TUI session ----------------------------------------------------------------------------------

async fn tui_session(target: &Target) {
    let home = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("medusa-users.log");
    let mut screens: Vec<(String, String)> = Vec::new();

    let email = target.unique_email("sec");
    let first_password = format!("first-pw-{}", tag(16));
    let new_password = format!("reset-pw-{}", tag(16));
    let api_token = format!("api-tok-{}", tag(20));
    let known_tokens = target.reset_tokens_for(&email).len();

    // 1. Log in on the login screen, create, set an API token, reset the password.
    let tui = launch(target, home.path(), &log).start();
    let mut r = Recorder {
        tui: &tui,
        screens: &mut screens,
        run: "first run",
    };
    r.wait_for(" Log in ");
    r.text("admin e-mail", &target.email);
    r.keys(&["Tab"]);
    r.text("admin password", &target.password);
    r.keys(&["Enter"]);
    r.wait_until("signed in", |s| {
        !s.contains(" Log in ") && header(s).contains("● online")
    });
    let screen = wait_ready(&tui);
    r.screens.push(("first run: ready".into(), screen));
    let admin_jwts = session_tokens(&sessions_file(home.path()));
    assert_eq!(admin_jwts.len(), 1, "one remembered login");

    r.keys(&["c"]);
    r.wait_for(" Create user ");
    r.text("new e-mail", &email);
    r.keys(&["Tab"]);
    r.text("first name", "Sec");
    r.keys(&["Tab"]);
    r.text("last name", "Ret");
    r.keys(&["Tab", "Tab"]);
    r.text("new user's password", &first_password);
    r.keys(&["Tab"]);
    r.text("new user's password again", &first_password);
    r.keys(&["C-s"]);
    r.wait_for(&format!("created {email}"));
    let user = target
        .client()
        .list(&ListParams {
            email: Some(email.clone()),
            ..ListParams::default()
        })
        .await
        .unwrap()
        .users
        .pop()
        .unwrap_or_else(|| panic!("{}: {email} was not created", target.name));

    let local = email.split('@').next().unwrap();
    let screen = search(&tui, local, "1–1 of 1 · page 1/1");
    r.screens.push(("first run: searched".into(), screen));
    let screen = wait_selected(&tui, &email);
    r.screens.push(("first run: selected".into(), screen));
    r.keys(&["e"]);
    r.wait_for(&format!(" Edit {email} "));
    r.keys(&["Tab", "Tab", "Tab"]);
    r.wait_until("the API token field focused", |s| {
        s.contains("│ › API token")
    });
    r.text("API token", &api_token);
    r.keys(&["C-s"]);
    let screen = r.wait_for(&format!("saved {email}"));
    let masked = detail_field(&screen, "api token").unwrap_or_default();
    assert!(
        masked.contains('•') && masked.contains("(v shows)"),
        "the detail pane masks the token: {masked:?}\n{}",
        tui.report()
    );

    r.keys(&["r"]);
    r.wait_for(" Reset password ");
    r.keys(&["s"]);
    r.wait_for(&format!("Token requested for {email}"));
    let reset_token = target.wait_reset_token(&email, known_tokens).await;
    r.keys(&["t"]);
    r.wait_for(&format!(" New password for {email} "));
    r.text("reset token", &reset_token);
    r.keys(&["Tab"]);
    r.text("new password", &new_password);
    r.keys(&["Tab"]);
    r.text("new password again", &new_password);
    r.keys(&["C-s"]);
    r.wait_for(&format!("password changed for {email}"));
    r.keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
    r.snap("after q");
    drop(tui);

    // 2. Log in again, as the new user with the new password.
    let tui = launch(target, home.path(), &log)
        .args(["--email", &email])
        .start();
    let mut r = Recorder {
        tui: &tui,
        screens: &mut screens,
        run: "second run",
    };
    let screen = r.wait_for(" Log in ");
    assert_eq!(
        form_value(&screen, "Email").as_deref(),
        Some(email.as_str()),
        "{}",
        tui.report()
    );
    r.text("new password", &new_password);
    r.keys(&["Enter"]);
    let screen = r.wait_until("signed in as the new user", |s| {
        !s.contains(" Log in ")
            && header(s).contains(&format!("{email} (member) · JWT"))
            && header(s).contains("● online")
    });
    assert!(!list_rows(&screen).0.is_empty(), "{}", tui.report());
    let user_jwts = session_tokens(&sessions_file(home.path()));
    r.keys(&["q"]);
    assert_eq!(
        tui.wait_exit(Duration::from_secs(10)),
        0,
        "{}",
        tui.report()
    );
    r.snap("after q");
    drop(tui);

    // What the run used.
    let passwords = vec![
        Secret::new("the admin's password", &target.password),
        Secret::new("the new user's first password", &first_password),
        Secret::new("the new user's reset password", &new_password),
    ];
    let mut secrets = passwords.clone();
    secrets.push(Secret::new(
        "the API token typed in the edit form",
        &api_token,
    ));
    secrets.push(Secret::new("the reset token", &reset_token));
    for (i, jwt) in admin_jwts.iter().chain(&user_jwts).enumerate() {
        secrets.push(Secret::new(format!("JWT #{}", i + 1), jwt));
    }
    assert!(
        secrets.len() >= 7,
        "the run used every kind of secret ({} of them)",
        secrets.len()
    );

    // The screens.
    let mut found = Vec::new();
    for (step, screen) in &screens {
        found.extend(leaks(screen, &format!("the screen at {step:?}"), &secrets));
    }
    // The log: there is one, it is private, and it says what happened without the secrets.
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        log_text.contains("POST /admin/auth/token") && log_text.contains("reset-password"),
        "the debug log should record the requests (methods, paths)\n{}",
        log_text.lines().take(20).collect::<Vec<_>>().join("\n")
    );
    #[cfg(unix)]
    assert_eq!(mode(&log), 0o600, "the log file's mode");
    found.extend(leaks(&log_text, "the log", &secrets));
    assert_no_leaks(found);
    // The sessions file: private, the JWT (its purpose) and no password.
    check_sessions_file(&sessions_file(home.path()), &passwords);
    eprintln!(
        "{}: {} screens and a {}-line debug log searched for {} secrets",
        target.name,
        screens.len(),
        log_text.lines().count(),
        secrets.len()
    );

    if target.sandbox.is_none() {
        let _ = target.client().delete(&user.id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_session_leaks_no_secret_to_screen_log_or_files() {
    for target in Target::all(0).await {
        let started = Instant::now();
        tui_session(&target).await;
        eprintln!(
            "tui_session on {}: passed in {:.1} s",
            target.name,
            started.elapsed().as_secs_f64()
        );
    }
}

// ----- a panic with secrets typed -------------------------------------------------------------------------

/// F12 (the debug keys' panic): the binary exits 101, and the report it leaves on the terminal
/// (scrollback too).
fn panic_report(tui: &Tui) -> String {
    tui.send_keys(&["F12"]);
    let screen = tui.wait_for("[exited with ");
    assert!(screen.contains("[exited with 101]"), "{}", tui.report());
    let report = history(tui);
    assert!(report.contains("debug panic"), "the panic report\n{report}");
    report
}

/// F12 (a panic) with a password typed into the create form: the report left on the terminal
/// (all of it, scrollback too) and the log hold none of what was typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_report_holds_no_typed_secret() {
    let target = Target::sandbox(0).await;
    let home = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("medusa-users.log");

    // In the create form, signed in with an API token.
    let password = format!("panic-pw-{}", tag(16));
    let tui = launch(&target, home.path(), &log)
        .env("MEDUSA_API_TOKEN", &target.api_token)
        .env("MEDUSA_USERS_DEBUG_KEYS", "1")
        .env("RUST_BACKTRACE", "full")
        .shell_after()
        .start();
    wait_ready(&tui);
    tui.send_keys(&["c"]);
    tui.wait_for(" Create user ");
    tui.type_text("panic@example.com");
    tui.send_keys(&["Tab", "Tab", "Tab", "Tab"]);
    tui.type_text(&password);
    tui.send_keys(&["Tab"]);
    tui.type_text(&password);
    let bullets = "•".repeat(password.len());
    tui.wait_until("the password typed twice", |s| {
        form_value(s, "Confirm password").as_deref() == Some(bullets.as_str())
    });
    let report = panic_report(&tui);

    // On the login screen, with the admin's password typed.
    let login_password = format!("login-pw-{}", tag(16));
    let tui2 = launch(&target, home.path(), &log)
        .env("MEDUSA_USERS_DEBUG_KEYS", "1")
        .env("RUST_BACKTRACE", "full")
        .shell_after()
        .start();
    tui2.wait_for(" Log in ");
    tui2.type_text(&target.email);
    tui2.send_keys(&["Tab"]);
    tui2.type_text(&login_password);
    let bullets = "•".repeat(login_password.len());
    tui2.wait_until("the password typed", |s| {
        form_value(s, "Password").as_deref() == Some(bullets.as_str())
    });
    let report2 = panic_report(&tui2);

    let secrets = [
        Secret::new("the password typed in the create form", &password),
        Secret::new("the password typed on the login screen", &login_password),
        Secret::new("the admin API token", &target.api_token),
    ];
    let mut found = leaks(&report, "the create-form panic report", &secrets);
    found.extend(leaks(&report2, "the login-screen panic report", &secrets));
    found.extend(leaks(
        &std::fs::read_to_string(&log).unwrap_or_default(),
        "the log",
        &secrets,
    ));
    assert_no_leaks(found);
    eprintln!(
        "panic reports of {} and {} lines searched",
        report.lines().count(),
        report2.lines().count()
    );
}

// ----- the CLI ---------------------------------------------------------------------------------------------

/// Searches a run's stderr for every secret, and its stdout for all but the API token (which
/// `--json` prints as the user's `api_token` field).
fn cli_leaks(run: &Run, secrets: &[Secret], api_token: &Secret) -> Vec<String> {
    let mut found = leaks(&run.stderr, &format!("stderr of {}", run.what), secrets);
    let not_the_token: Vec<Secret> = secrets
        .iter()
        .filter(|s| s.value != api_token.value)
        .cloned()
        .collect();
    found.extend(leaks(
        &run.stdout,
        &format!("stdout of {}", run.what),
        &not_the_token,
    ));
    found
}

async fn cli_session(target: &Target) {
    // (The password is used only with --email, by `login` here.)
    let cli = Cli::new(&target.url)
        .env("MEDUSA_USERS_LOG", "debug")
        .env("MEDUSA_ADMIN_PASSWORD", &target.password);
    let email = target.unique_email("clisec");
    let first_password = format!("cli-first-{}", tag(16));
    let new_password = format!("cli-reset-{}", tag(16));
    let api_token = format!("cli-tok-{}", tag(20));
    let mut runs = Vec::new();

    // Log in (password from the environment); the JWT is remembered.
    let run = cli.run(&["--email", &target.email, "login"]).await;
    run.ok();
    runs.push(run);
    let sessions = sessions_file(cli.home());
    let jwts = session_tokens(&sessions);
    assert_eq!(jwts.len(), 1, "the login is remembered");

    // With the remembered JWT: create (password on stdin), set an API token, look at the user.
    let run = cli
        .run_stdin(
            &[
                "users",
                "create",
                "--email",
                &email,
                "--password-stdin",
                "--json",
            ],
            &format!("{first_password}\n"),
        )
        .await;
    let created: serde_json::Value =
        serde_json::from_str(run.ok()).unwrap_or_else(|e| panic!("{e}\n{run}"));
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    runs.push(run);
    let run = cli
        .run(&["users", "update", &id, "--api-token", &api_token, "--json"])
        .await;
    // The server's answer holds the token, and --json prints it: the search finds it there.
    assert_eq!(
        leaks(
            run.ok(),
            "stdout",
            &[Secret::new("the API token", &api_token)]
        )
        .len(),
        1,
        "--json prints the user's api_token\n{run}"
    );
    runs.push(run);
    let run = cli.run(&["users", "get", &id]).await;
    assert!(
        !run.ok().contains(&api_token),
        "human output masks the token\n{run}"
    );
    runs.push(run);

    // Reset the password with a mailed token (password on stdin).
    let known = target.reset_tokens_for(&email).len();
    let run = cli
        .run(&["users", "password-token", "--email", &email])
        .await;
    run.ok();
    runs.push(run);
    let reset_token = target.wait_reset_token(&email, known).await;
    let run = cli
        .run_stdin(
            &[
                "users",
                "reset-password",
                "--token",
                &reset_token,
                "--password-stdin",
                "--json",
            ],
            &format!("{new_password}\n"),
        )
        .await;
    run.ok();
    runs.push(run);

    // Log in as the new user with the new password, in a home of its own.
    let as_user = Cli::new(&target.url)
        .env("MEDUSA_USERS_LOG", "debug")
        .env("MEDUSA_ADMIN_PASSWORD", &new_password);
    let run = as_user.run(&["--email", &email, "login"]).await;
    run.ok();
    runs.push(run);
    let user_jwts = session_tokens(&sessions_file(as_user.home()));
    let run = as_user.run(&["users", "get", &id, "--json"]).await;
    run.ok();
    runs.push(run);
    // The same at trace level, the most the logging says.
    let traced = Cli::new(&target.url)
        .env("MEDUSA_USERS_LOG", "trace")
        .env("MEDUSA_ADMIN_PASSWORD", &new_password);
    let run = traced.run(&["--email", &email, "login"]).await;
    run.ok();
    runs.push(run);
    let user_jwts: Vec<String> = user_jwts
        .into_iter()
        .chain(session_tokens(&sessions_file(traced.home())))
        .collect();
    let run = traced.run(&["users", "get", &id, "--json"]).await;
    run.ok();
    runs.push(run);

    let passwords = vec![
        Secret::new("the admin's password", &target.password),
        Secret::new("the new user's first password", &first_password),
        Secret::new("the new user's reset password", &new_password),
    ];
    let token = Secret::new("the API token", &api_token);
    let mut secrets = passwords.clone();
    secrets.push(token.clone());
    secrets.push(Secret::new("the reset token", &reset_token));
    for (i, jwt) in jwts.iter().chain(&user_jwts).enumerate() {
        secrets.push(Secret::new(format!("JWT #{}", i + 1), jwt));
    }
    let mut found = Vec::new();
    for run in &runs {
        found.extend(cli_leaks(run, &secrets, &token));
    }
    assert_no_leaks(found);
    // The debug logging was on (so the search above had something to search).
    assert!(
        runs.iter()
            .all(|r| r.stderr.contains("DEBUG") || r.stderr.contains("TRACE")),
        "MEDUSA_USERS_LOG should log to stderr"
    );
    check_sessions_file(&sessions, &passwords);
    check_sessions_file(&sessions_file(as_user.home()), &passwords);
    eprintln!(
        "{}: {} CLI runs ({} lines of stderr) searched for {} secrets",
        target.name,
        runs.len(),
        runs.iter().map(|r| r.stderr.lines().count()).sum::<usize>(),
        secrets.len()
    );
    if target.sandbox.is_none() {
        let _ = target.client().delete(&id).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_leaks_no_secret_with_debug_logging() {
    for target in Target::all(0).await {
        let started = Instant::now();
        cli_session(&target).await;
        eprintln!(
            "cli_session on {}: passed in {:.1} s",
            target.name,
            started.elapsed().as_secs_f64()
        );
    }
}
