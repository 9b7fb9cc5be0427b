//! The CLI in shell pipelines and on terminals (issue 8), through the real binary:
//!
//! - a reader that closes the pipe early (`| head -1`, `| head -c 100`, or gone before the
//!   first byte) ends every command and output mode quietly, with 0 and no panic;
//! - server text never drives the terminal: escape bytes in every field of a user, on every
//!   human output path (table, key–value view, sentences, prompts, error lines), come out
//!   neutralised and visible, while `--json` stays the exact JSON; the same for v2 users
//!   (avatar), minted reset tokens and their links, the three-step create, invites on both
//!   dialects, `-v`, and login/logout;
//! - on a terminal the table fits its width (tmux at 80 columns, and `COLUMNS`), piped it is
//!   whole;
//! - help reads well and misplaced flags say where they go.

use crate::support;

use std::time::Duration;

use serde_json::{Value, json};
use support::cli::{Cli, HOSTILE, Reader, Run, VISIBLE, assert_inert};
use support::fake_v1_invites::FakeV1Invites;
use support::fake_v2::FakeV2;
use support::target::Target;
use support::tmux::{Launch, Tui};
use unicode_width::UnicodeWidthStr;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[track_caller]
fn assert_quiet(run: &Run) {
    for bad in ["panicked", "Broken pipe", "broken pipe", "error"] {
        assert!(
            !run.stderr.contains(bad),
            "{}: {bad:?} on stderr\n{run}",
            run.what
        );
    }
}

// ----- a closed pipe -------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_on_a_5000_user_list_ends_quietly() {
    let t = Target::sandbox(5000).await;
    let cli = Cli::for_target(&t);
    // `users list --all | head -1`: the table is far larger than a pipe's buffer, so the CLI is
    // still writing when the reader goes.
    let run = cli
        .run_piped(
            &["users", "list", "--all"],
            None,
            Reader::Head(80),
            Reader::All,
        )
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("ID  "), "{run}");
    assert_quiet(&run);
    // `--json | head -c 100`.
    let run = cli
        .run_piped(
            &["users", "list", "--all", "--json"],
            None,
            Reader::Head(100),
            Reader::All,
        )
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("{\n  \"users\": ["), "{run}");
    assert_quiet(&run);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_is_gone_ends_every_command_quietly_and_the_work_is_done() {
    let t = Target::sandbox(3).await;
    let c = t.client();
    let cli = Cli::for_target(&t);
    let gone = |args: Vec<String>, input: Option<&'static str>| {
        let cli = &cli;
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = cli.run_piped(&args, input, Reader::Gone, Reader::All).await;
            assert_eq!(run.code, 0, "{run}");
            assert_quiet(&run);
            run
        }
    };
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();

    for args in [
        s(&["users", "list"]),
        s(&["users", "list", "--json"]),
        s(&["users", "list", "--all", "--json"]),
        s(&["--help"]),
        s(&["users", "list", "--help"]),
        s(&["--version"]),
    ] {
        gone(args, None).await;
    }
    // Creating with nobody reading: the user is made all the same.
    for json in [false, true] {
        let email = t.unique_email("gone");
        let mut args = s(&["users", "create", "--email", &email, "--password-stdin"]);
        if json {
            args.push("--json".into());
        }
        gone(args, Some("gone-pass-1\n")).await;
        let made = t.users_with_email(&email).await;
        assert_eq!(made.len(), 1, "created with stdout gone (json: {json})");
        let id = made[0].id.clone();
        gone(s(&["users", "get", &id]), None).await;
        gone(s(&["users", "get", &id, "--json"]), None).await;
        gone(s(&["users", "update", &id, "--first-name", "Gone"]), None).await;
        assert_eq!(
            c.retrieve(&id).await.unwrap().first_name.as_deref(),
            Some("Gone")
        );
        // A reset: the token, then the new password, both with nobody reading.
        let known = t.reset_tokens_for(&email).len();
        gone(s(&["users", "password-token", "--email", &email]), None).await;
        let token = t.wait_reset_token(&email, known).await;
        let mut args = s(&[
            "users",
            "reset-password",
            "--token",
            &token,
            "--password-stdin",
        ]);
        if json {
            args.push("--json".into());
        }
        gone(args, Some("gone-pass-2\n")).await;
        let mut args = s(&["users", "delete", &id, "--yes"]);
        if json {
            args.push("--json".into());
        }
        gone(args, None).await;
        assert!(c.retrieve(&id).await.is_err(), "deleted with stdout gone");
    }

    // stderr gone too (`2>&-` into a closed pipe): the summary and the error line are dropped,
    // the exit code still says what happened.
    let run = cli
        .run_piped(&["users", "list"], None, Reader::All, Reader::Gone)
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("ID  "), "{run}");
    let run = cli
        .run_piped(
            &["users", "get", "usr_01NOPE000000000000000000"],
            None,
            Reader::Gone,
            Reader::Gone,
        )
        .await;
    assert_eq!(run.code, 4, "{run}");
}

/// `medusa-users sandbox | head -3`: the sandbox's output is a log; with its reader gone it
/// keeps serving, and an echoed reset event does not break the request that caused it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_keeps_serving_when_its_output_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");
    let data = dir.path().join("s.sqlite3");
    let cli = Cli::bare();
    let mut cmd = cli.command(&[
        "sandbox",
        "--addr",
        &addr,
        "--data",
        data.to_str().unwrap(),
        "--seed",
        "2",
    ]);
    let (read, write) = std::io::pipe().unwrap();
    drop(read);
    cmd.stdout(write)
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(&addr).await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the sandbox never listened"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sandbox exited with its output gone"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = format!("http://{addr}");
    let client = Cli::new(&url).env("MEDUSA_API_TOKEN", medusa_users::sandbox::ADMIN_API_TOKEN);
    let v = client.run(&["users", "list", "--json"]).await.json();
    assert_eq!(v["count"], json!(3));
    // A reset event is echoed to the (gone) stdout inside the request handler.
    client
        .run(&[
            "users",
            "password-token",
            "--email",
            medusa_users::sandbox::ADMIN_EMAIL,
        ])
        .await
        .ok();
    let v = client.run(&["users", "list", "--json"]).await.json();
    assert_eq!(v["count"], json!(3), "still serving");
    assert!(child.try_wait().unwrap().is_none(), "still running");
    child.start_kill().unwrap();
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ----- server text ---------------------------------------------------------------------------

fn hostile_user() -> Value {
    json!({
        "id": format!("usr_{HOSTILE}"),
        "created_at": "2026-11-27T10:23:06.471Z",
        "updated_at": "2026-11-27T10:23:06.471Z",
        "deleted_at": null,
        "role": "admin",
        "email": format!("{HOSTILE}@example.com"),
        "first_name": HOSTILE,
        "last_name": HOSTILE,
        "api_token": format!("{HOSTILE}-token-0123456789"),
        "metadata": { HOSTILE: HOSTILE, "nested": { "k": HOSTILE } },
    })
}

fn json_body(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json; charset=utf-8")
}

/// A server whose every answer carries [`HOSTILE`]: in the user, and in its error messages.
async fn hostile_server() -> MockServer {
    let server = MockServer::start().await;
    let user = hostile_user();
    let envelope = json!({ "user": user });
    let page = json!({ "users": [user], "count": 1, "offset": 0, "limit": 50 });
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(json_body(200, &page))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/admin/users/usr_missing$"))
        .respond_with(json_body(
            404,
            &json!({"type": "not_found", "message": format!("User {HOSTILE} was not found")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/admin/users/[^/]+$"))
        .respond_with(json_body(200, &envelope))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/reset-password"))
        .respond_with(json_body(200, &envelope))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users"))
        .respond_with(json_body(200, &envelope))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/admin/users/usr_rejected$"))
        .respond_with(json_body(
            400,
            &json!({"type": "invalid_data", "message": format!("no: {HOSTILE}")}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("^/admin/users/[^/]+$"))
        .respond_with(json_body(200, &envelope))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path_regex("^/admin/users/[^/]+$"))
        .respond_with(json_body(
            200,
            &json!({"id": format!("usr_{HOSTILE}"), "object": "user", "deleted": true}),
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn escapes_in_every_field_are_neutralised_on_every_human_output_path() {
    let server = hostile_server().await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_API_TOKEN", "tok")
        .env("MEDUSA_VERSION", "1");
    let email = format!("{VISIBLE}@example.com");
    let id = format!("usr_{VISIBLE}");

    // The list table: id, e-mail and name, each row one line.
    let run = cli.run(&["users", "list"]).await;
    assert_inert(&run);
    let out = run.ok();
    assert_eq!(out.lines().count(), 2, "header and one row:\n{out}");
    for want in [&id, &email, &format!("{VISIBLE} {VISIBLE}")] {
        assert!(out.contains(want.as_str()), "{want:?} in the table:\n{out}");
    }

    // The key–value view, from get, create and update: every field, metadata keys too, and
    // the token masked or (asked for) neutralised.
    let views = [
        cli.run(&["users", "get", "usr_x"]).await,
        cli.run(&["users", "get", "usr_x", "--show-tokens"]).await,
        cli.run_stdin(
            &[
                "users",
                "create",
                "--email",
                "new@example.com",
                "--password-stdin",
            ],
            "pw-1\n",
        )
        .await,
        cli.run(&["users", "update", "usr_x", "--first-name", HOSTILE])
            .await,
    ];
    for (i, run) in views.iter().enumerate() {
        assert_inert(run);
        let out = run.ok();
        for key in ["id", "email", "first name", "last name"] {
            let line = out
                .lines()
                .find(|l| l.starts_with(&format!("{key} ")))
                .unwrap_or_else(|| panic!("no {key} line:\n{out}"));
            assert!(line.contains(VISIBLE), "{key}: {line:?}");
        }
        assert!(
            out.contains(&format!("metadata.{VISIBLE}  {VISIBLE}")),
            "metadata key and value:\n{out}"
        );
        assert!(out.contains("metadata.nested"), "{out}");
        let token = out.lines().find(|l| l.starts_with("api token")).unwrap();
        if i == 1 {
            assert!(
                token.contains(&format!("{VISIBLE}-token-0123456789")),
                "{token}"
            );
        } else {
            assert!(!token.contains("token-0123"), "masked: {token}");
        }
    }

    // Sentences: the delete summary and the reset confirmation name server data.
    let run = cli.run(&["users", "delete", "usr_x", "--yes"]).await;
    assert_inert(&run);
    assert_eq!(run.ok().trim_end(), format!("Deleted {email} ({id})"));
    let run = cli
        .run_stdin(
            &[
                "users",
                "reset-password",
                "--token",
                "t",
                "--password-stdin",
            ],
            "pw-1\n",
        )
        .await;
    assert_inert(&run);
    assert!(
        run.ok()
            .starts_with(&format!("Password changed for {email}.")),
        "{run}"
    );

    // Error lines quoting the server's message (whitespace folds to spaces in a one-line
    // error; everything else stays visible).
    for (args, code) in [
        (&["users", "get", "usr_missing"][..], 4),
        (&["users", "update", "usr_rejected", "--role", "admin"], 5),
    ] {
        let run = cli.run(args).await;
        assert_inert(&run);
        let line = run.fails_with_hints(code);
        assert!(line.contains("a\\e[31mb c d e\\u{9b}f\\u{202e}g"), "{line}");
    }

    // Arguments echoed in errors: ours and clap's.
    for args in [
        &[
            "users",
            "create",
            "--email",
            "\u{1b}[2J@x",
            "--password-stdin",
        ][..],
        &["users", "list", "--order", "\u{1b}[31m\u{202e}"],
        &["users", "list", "--role", "\u{9b}2J"],
    ] {
        let run = cli.run(args).await;
        assert_inert(&run);
        assert_eq!(run.code, 2, "{run}");
        assert!(
            run.stderr.contains("\\e[") || run.stderr.contains("\\u{"),
            "{run}"
        );
    }
}

#[tokio::test]
async fn json_output_stays_exact() {
    let server = hostile_server().await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_API_TOKEN", "tok")
        .env("MEDUSA_VERSION", "1");
    let user = hostile_user();
    let cases: [(&[&str], Option<&str>, Value); 6] = [
        (
            &["users", "list", "--json"],
            None,
            json!({ "users": [user], "count": 1, "offset": 0, "limit": 50 }),
        ),
        (
            &["users", "get", "usr_x", "--json"],
            None,
            json!({ "user": user }),
        ),
        (
            &[
                "users",
                "create",
                "--email",
                "n@example.com",
                "--password-stdin",
                "--json",
            ],
            Some("pw-1\n"),
            json!({ "user": user }),
        ),
        (
            &["users", "update", "usr_x", "--role", "admin", "--json"],
            None,
            json!({ "user": user }),
        ),
        (
            &["users", "delete", "usr_x", "--yes", "--json"],
            None,
            json!({"id": format!("usr_{HOSTILE}"), "object": "user", "deleted": true}),
        ),
        (
            &[
                "users",
                "reset-password",
                "--token",
                "t",
                "--password-stdin",
                "--json",
            ],
            Some("pw-1\n"),
            json!({ "user": user }),
        ),
    ];
    for (args, input, expected) in cases {
        let run = match input {
            Some(i) => cli.run_stdin(args, i).await,
            None => cli.run(args).await,
        };
        // JSON escapes control characters itself; the bidi override is legal JSON text and
        // stays as the server sent it.
        assert!(!run.stdout.contains('\u{1b}'), "{run}");
        assert!(run.stdout.contains("\\u001b[31m"), "{run}");
        assert_eq!(run.json(), expected, "{}", run.what);
    }
}

// ----- server text on the v2, invite and session paths ---------------------------------------

/// [`HOSTILE`] without whitespace, so it passes for the local part of an e-mail address that an
/// operator types (an argument is untrusted text as much as a server's answer is).
const HOSTILE_LOCAL: &str = "a\u{1b}[31mb\u{9b}c\u{202e}d";
/// How [`HOSTILE_LOCAL`] must look once neutralised.
const VISIBLE_LOCAL: &str = "a\\e[31mb\\u{9b}c\\u{202e}d";

/// The value on the line of a key–value view that starts with `key` (then the padding).
#[track_caller]
fn kv_line<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}  ")))
        .map(str::trim_start)
        .unwrap_or_else(|| panic!("no {key:?} line in:\n{text}"))
}

/// The CLI against the fake v2 with its admin's secret key (v2 detected, as an operator runs it).
fn v2_cli(fake: &FakeV2) -> Cli {
    Cli::new(&fake.url())
        .env("MEDUSA_API_TOKEN", &fake.secret_key)
        .env("MEDUSA_USERS_LOG", "off")
}

/// Sets `fields` of the fake v2's user `id`.
fn set_v2_user(fake: &FakeV2, id: &str, fields: &[(&str, Value)]) {
    fake.with(|s| {
        let user = s
            .users
            .iter_mut()
            .find(|u| u["id"] == id)
            .expect("the user was just added");
        for (k, v) in fields {
            user.insert((*k).to_owned(), v.clone());
        }
    });
}

#[tokio::test]
async fn v2_user_views_and_minted_reset_tokens_are_neutralised() {
    let fake = FakeV2::start().await;
    let cli = v2_cli(&fake);
    let email = format!("{HOSTILE}@example.com");
    let visible_email = format!("{VISIBLE}@example.com");
    let id = fake.with(|s| s.add_user(&email, "v2-pass-123"));
    set_v2_user(
        &fake,
        &id,
        &[
            ("first_name", json!(HOSTILE)),
            ("last_name", json!(HOSTILE)),
            (
                "avatar_url",
                json!(format!("https://cdn.example.com/{HOSTILE}.png")),
            ),
            ("metadata", json!({ HOSTILE: HOSTILE })),
        ],
    );
    // A second user whose id is hostile: a list shows it (a URL path could not carry it).
    let other = fake.with(|s| s.add_user("plain@example.com", "v2-pass-123"));
    set_v2_user(&fake, &other, &[("id", json!(format!("user_{HOSTILE}")))]);

    // The v2 table: no role column, every cell neutralised, one line per user.
    let run = cli.run(&["users", "list"]).await;
    assert_inert(&run);
    let out = run.ok();
    assert_eq!(
        out.lines().count(),
        4,
        "header, the admin and two users:\n{out}"
    );
    for want in [
        &visible_email,
        &format!("{VISIBLE} {VISIBLE}"),
        &format!("user_{VISIBLE}"),
    ] {
        assert!(out.contains(want.as_str()), "{want:?} in the table:\n{out}");
    }

    // The v2 key–value view: the avatar URL and the names as well as the e-mail.
    let run = cli.run(&["users", "get", &id]).await;
    assert_inert(&run);
    let out = run.ok();
    assert_eq!(
        kv_line(out, "avatar url"),
        format!("https://cdn.example.com/{VISIBLE}.png")
    );
    for key in ["email", "first name", "last name"] {
        assert!(kv_line(out, key).contains(VISIBLE), "{key}:\n{out}");
    }
    assert!(
        out.contains(&format!("metadata.{VISIBLE}  {VISIBLE}")),
        "{out}"
    );

    // A minted token the server made hostile, and its dashboard link (from a hostile
    // --admin-url too): the token line neutralised, the link percent-encoded, the note on
    // stderr naming the user neutralised.
    fake.with(|s| s.next_token = Some(format!("tok-{HOSTILE}")));
    let run = cli
        .run(&[
            "users",
            "password-token",
            "--id",
            &id,
            "--print",
            "--admin-url",
            &format!("https://shop.example.com/{HOSTILE_LOCAL}/app"),
        ])
        .await;
    assert_inert(&run);
    let lines: Vec<&str> = run.ok().lines().collect();
    assert_eq!(lines.len(), 2, "the token and the link:\n{run}");
    assert_eq!(lines[0], format!("tok-{VISIBLE}"), "{run}");
    assert!(
        lines[1].starts_with(
            "https://shop.example.com/a%1B[31mb%C2%9Bc%E2%80%AEd/app/reset-password?token=tok-"
        ),
        "{run}"
    );
    assert!(
        run.stderr
            .contains(&format!("Reset token for {visible_email} ({id})")),
        "{run}"
    );
}

#[tokio::test]
async fn v2_create_steps_hints_and_the_verbose_line_are_neutralised() {
    let fake = FakeV2::start().await;
    let cli = v2_cli(&fake);
    let email = format!("{HOSTILE_LOCAL}@example.com");
    let visible_email = format!("{VISIBLE_LOCAL}@example.com");

    // A create that goes through: the steps on stderr, the new user on stdout.
    let run = cli
        .run_stdin(
            &[
                "-v",
                "users",
                "create",
                "--email",
                &email,
                "--password-stdin",
            ],
            "v2-pass-123\n",
        )
        .await;
    assert_inert(&run);
    assert_eq!(kv_line(run.ok(), "email"), visible_email);
    let steps: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("step "))
        .collect();
    assert_eq!(steps.len(), 3, "{run}");
    assert!(
        run.stderr.lines().next().is_some_and(|l| l
            == format!(
                "Medusa v2 at {} (detected)",
                fake.url().trim_end_matches('/')
            )),
        "the -v line first:\n{run}"
    );

    // One that stops at step 2 (a login with another password exists): the hint names the
    // address, neutralised.
    let stuck = format!("{HOSTILE_LOCAL}-stuck@example.com");
    fake.with(|s| {
        s.identities.push(support::fake_v2::Identity {
            email: stuck.clone(),
            password: "someone-elses-1".into(),
            user_id: None,
        });
    });
    let run = cli
        .run_stdin(
            &["users", "create", "--email", &stuck, "--password-stdin"],
            "v2-pass-123\n",
        )
        .await;
    assert_inert(&run);
    assert_eq!(run.code, 5, "{run}");
    assert!(
        run.stderr.contains("step 2/3: register the login…"),
        "{run}"
    );
    let hint = run.hints().join("\n");
    assert!(
        hint.contains(&format!(
            "the invite for {VISIBLE_LOCAL}-stuck@example.com is pending"
        )),
        "{run}"
    );

    // -v with a base URL whose path holds escapes: the line shows it percent-encoded.
    let run = Cli::new(&format!("{}/{HOSTILE_LOCAL}", fake.url()))
        .env("MEDUSA_API_TOKEN", &fake.secret_key)
        .env("MEDUSA_VERSION", "2")
        .env("MEDUSA_USERS_LOG", "off")
        .run(&["-v", "users", "list"])
        .await;
    assert_inert(&run);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("Medusa v2 at ") && first.contains("/a%1B[31mb%C2%9Bc%E2%80%AEd"),
        "{run}"
    );
}

#[tokio::test]
async fn invites_and_accepting_them_are_neutralised_on_both_dialects() {
    // v2: create (with and without the token shown), get, list, accept.
    let fake = FakeV2::start().await;
    let cli = v2_cli(&fake);
    let email = format!("{HOSTILE_LOCAL}@example.com");
    let visible_email = format!("{VISIBLE_LOCAL}@example.com");
    let run = cli
        .run(&["invites", "create", "--email", &email, "--show-tokens"])
        .await;
    assert_inert(&run);
    let out = run.ok();
    assert_eq!(kv_line(out, "email"), visible_email);
    assert!(
        run.stderr.contains(&format!("Invited {visible_email};")),
        "{run}"
    );
    let (invite_id, token) = fake.with(|s| (s.invites[0].id.clone(), s.invites[0].token.clone()));

    // The invitee accepts: the token's claims name the hostile address (in the password
    // prompt, were there a terminal), the new user and the welcome line show it neutralised.
    let run = Cli::new(&fake.url())
        .env("MEDUSA_USERS_LOG", "off")
        .run_stdin(
            &["invites", "accept", "--token", &token, "--password-stdin"],
            "v2-pass-123\n",
        )
        .await;
    assert_inert(&run);
    assert_eq!(kv_line(run.ok(), "email"), visible_email);
    assert!(
        run.stderr.contains(&format!("Welcome, {visible_email}:")),
        "{run}"
    );

    // A server whose token, e-mail and id are hostile.
    fake.with(|s| s.next_token = Some(format!("tok-{HOSTILE}")));
    let second = format!("{HOSTILE_LOCAL}-2@example.com");
    let run = cli
        .run(&["invites", "create", "--email", &second, "--show-tokens"])
        .await;
    assert_inert(&run);
    assert_eq!(kv_line(run.ok(), "token"), format!("tok-{VISIBLE}"));
    let invite_id2 = fake.with(|s| {
        let row = s.invites.last().expect("the invite just made").clone();
        let mut listed_only = row.clone();
        listed_only.id = format!("invite_{HOSTILE}");
        listed_only.email = format!("{HOSTILE}@example.com");
        s.invites.push(listed_only);
        row.id
    });
    assert_ne!(invite_id, invite_id2);
    for (flags, shows_token) in [(&[][..], false), (&["--show-tokens"][..], true)] {
        let args: Vec<&str> = ["invites", "get", invite_id2.as_str()]
            .into_iter()
            .chain(flags.iter().copied())
            .collect();
        let run = cli.run(&args).await;
        assert_inert(&run);
        let token_line = kv_line(run.ok(), "token");
        assert_eq!(
            token_line.contains(&format!("tok-{VISIBLE}")),
            shows_token,
            "{run}"
        );
        let args: Vec<&str> = ["invites", "list"]
            .into_iter()
            .chain(flags.iter().copied())
            .collect();
        let run = cli.run(&args).await;
        assert_inert(&run);
        let out = run.ok();
        assert_eq!(out.lines().count(), 3, "header and two invites:\n{out}");
        for want in [
            format!("invite_{VISIBLE}"),
            format!("{VISIBLE}@example.com"),
            format!("{VISIBLE_LOCAL}-2@example.com"),
        ] {
            assert!(out.contains(&want), "{want:?}:\n{out}");
        }
        assert_eq!(
            out.contains(&format!("tok-{VISIBLE}")),
            shows_token,
            "{out}"
        );
    }

    // v1: a role the server made up fails to decode, and the error line quoting it is inert;
    // accepting answers a bare OK, and the sentence names the address from the token.
    let v1 = FakeV1Invites::start().await;
    let row = v1.with(|s| s.add(&email, "member", time::Duration::hours(1)));
    let run = v1.cli().run(&["invites", "list", "--show-tokens"]).await;
    assert_inert(&run);
    let out = run.ok();
    assert!(
        out.contains(&visible_email) && out.contains(" member "),
        "{out}"
    );
    let run = Cli::new(&v1.url())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_USERS_LOG", "off")
        .run_stdin(
            &[
                "invites",
                "accept",
                "--token",
                &row.token,
                "--password-stdin",
            ],
            "v1-pass-123\n",
        )
        .await;
    assert_inert(&run);
    assert!(
        run.ok()
            .starts_with(&format!("Invite accepted: log in as {visible_email} ")),
        "{run}"
    );
    v1.with(|s| {
        let mut bad = s.add("role@example.com", "member", time::Duration::hours(1));
        bad.role = HOSTILE.to_owned();
        s.invites.retain(|r| r.id != bad.id);
        s.invites.push(bad);
    });
    let run = v1.cli().run(&["invites", "list"]).await;
    assert_inert(&run);
    let line = run.fails(6);
    assert!(line.contains("\\e[31m"), "the role quoted, visible: {line}");
}

#[tokio::test]
async fn login_and_logout_lines_are_neutralised() {
    let fake = FakeV2::start().await;
    let email = format!("{HOSTILE_LOCAL}@example.com");
    let visible_email = format!("{VISIBLE_LOCAL}@example.com");
    fake.with(|s| {
        s.add_user(&email, "v2-pass-123");
    });
    let cli = Cli::new(&fake.url()).env("MEDUSA_USERS_LOG", "off");
    // The sessions file's path comes from the environment, so it is untrusted text too.
    let sessions = cli.home().join(format!("s-{HOSTILE_LOCAL}.json"));
    let sessions = sessions.to_str().expect("a UTF-8 temp path").to_owned();
    let cli = cli
        .env("MEDUSA_USERS_SESSIONS", &sessions)
        .env("MEDUSA_ADMIN_EMAIL", &email)
        .env("MEDUSA_ADMIN_PASSWORD", "v2-pass-123");
    let run = cli.run(&["login"]).await;
    assert_inert(&run);
    assert_eq!(run.ok(), "", "{run}");
    let visible_path = sessions.replace(HOSTILE_LOCAL, VISIBLE_LOCAL);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "Logged in to {} as {visible_email}; the session is remembered in {visible_path} \
             (Medusa JWTs last 24 h).",
            fake.url().trim_end_matches('/')
        ),
        "{run}"
    );
    let run = cli.run(&["logout"]).await;
    assert_inert(&run);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "Forgot the session for {}.",
            fake.url().trim_end_matches('/')
        ),
        "{run}"
    );
}

// ----- tables on terminals and in pipes ------------------------------------------------------

/// Users with long, wide and hostile values, as a list page.
async fn wide_server() -> MockServer {
    let server = MockServer::start().await;
    let user = |i: usize, email: &str, first: &str, last: &str| {
        json!({
            "id": format!("usr_01M8E9RKDWX1E7NYV2FFTSW{i:03}"),
            "created_at": "2026-11-27T10:23:06.471Z",
            "updated_at": "2026-11-27T10:23:06.471Z",
            "deleted_at": null,
            "role": "developer",
            "email": email,
            "first_name": first,
            "last_name": last,
            "api_token": null,
            "metadata": null,
        })
    };
    let users = vec![
        user(
            0,
            "konstantin.papadopoulos-wright@a-very-long-domain-name.example.com",
            "Konstantin",
            "Papadopoulos-Wright",
        ),
        // CJK and a single-code-point emoji: two columns each on every terminal. (Emoji ZWJ
        // sequences differ between terminals; the unit tests in cli::output cover them.)
        user(1, "山田太郎.やまだ@例え.jp", "山田", "太郎🙂🙂"),
        user(2, "tab\there@example.com", "New\nLine", "Car\rriage"),
        user(3, "a@b.co", "", ""),
    ];
    let count = users.len();
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(json_body(
            200,
            &json!({ "users": users, "count": count, "offset": 0, "limit": 50 }),
        ))
        .mount(&server)
        .await;
    server
}

/// The table rows on a tmux screen once the command has exited. Scrollback included (tmux may
/// scroll the first row away while it settles the pane's size), wrapped rows not joined (`-J`
/// would hide exactly what this looks for).
fn screen_table(tui: &Tui) -> Vec<String> {
    let status = tui.wait_exit(support::tmux::TIMEOUT);
    let (ok, screen) = support::pane::tmux(tui, &["capture-pane", "-p", "-S", "-", "-t", "e2e"]);
    assert!(ok, "capture-pane: {screen}");
    assert_eq!(status, 0, "{screen}");
    let mut rows: Vec<String> = screen
        .lines()
        .map(|l| l.trim_end().to_owned())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    // The summary comes last, on stderr.
    assert_eq!(rows.pop().as_deref(), Some("1–4 of 4"), "{screen}");
    rows
}

#[track_caller]
fn assert_fits(rows: &[String], width: usize, users: usize) {
    let all = rows.join("\n");
    assert_eq!(rows.len(), 1 + users, "no row wrapped or broke:\n{all}");
    assert!(rows[0].starts_with("ID "), "{all}");
    for row in &rows[1..] {
        assert!(row.starts_with("usr_"), "a row of its own: {row:?}\n{all}");
        assert!(
            row.ends_with("2026-11-27 10:23"),
            "whole to the end: {row:?}\n{all}"
        );
    }
    for row in rows {
        assert!(row.width() <= width, "{} > {width}: {row:?}", row.width());
    }
    assert!(all.contains('…'), "long values are cut with …:\n{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_the_table_fits_its_width() {
    let server = wide_server().await;
    let url = server.uri();
    let launch = |width: u16| {
        Launch::new()
            .args(["--url", url.as_str(), "users", "list"])
            .env("MEDUSA_API_TOKEN", "tok")
            .env("MEDUSA_VERSION", "1")
            .env("MEDUSA_USERS_LOG", "off")
            .size(width, 24)
    };
    for width in [80u16, 100, 120] {
        let tui = launch(width).start();
        let rows = screen_table(&tui);
        assert_fits(&rows, usize::from(width), 4);
        // The id stays whole; control characters show as escapes and wide characters keep
        // the columns aligned (ROLE starts in the same column on every row).
        assert!(
            rows[1].starts_with("usr_01M8E9RKDWX1E7NYV2FFTSW000 "),
            "{rows:#?}"
        );
        assert!(rows.iter().any(|r| r.contains("tab\\there")), "{rows:#?}");
        let role_at = |row: &str| {
            let byte = row
                .find(if row.starts_with("ID") {
                    "ROLE"
                } else {
                    "developer"
                })
                .unwrap();
            row[..byte].width()
        };
        let first = role_at(&rows[0]);
        assert!(rows.iter().all(|r| role_at(r) == first), "{rows:#?}");
    }
    // COLUMNS wins over the terminal's size, as for ls and clap.
    let tui = launch(120).env("COLUMNS", "70").start();
    assert_fits(&screen_table(&tui), 70, 4);
}

#[tokio::test]
async fn piped_the_table_is_never_cut() {
    let server = wide_server().await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_API_TOKEN", "tok")
        .env("MEDUSA_VERSION", "1")
        .env("COLUMNS", "40");
    let run = cli.run(&["users", "list"]).await;
    let out = run.ok();
    assert!(!out.contains('…'), "{out}");
    assert!(
        out.contains("konstantin.papadopoulos-wright@a-very-long-domain-name.example.com"),
        "{out}"
    );
    assert!(out.contains("Konstantin Papadopoulos-Wright"), "{out}");
    assert!(out.contains("tab\\there@example.com "), "{out}");
    assert!(out.contains("New\\nLine Car\\rriage "), "{out}");
    assert_eq!(
        out.lines().count(),
        5,
        "tabs and newlines never break a row:\n{out}"
    );
    let rows: Vec<&str> = out.lines().collect();
    let date_at = |row: &str| row[..row.find("2026-").unwrap()].width();
    assert!(
        rows[1..].iter().all(|r| date_at(r) == date_at(rows[1])),
        "{out}"
    );
}

/// The delete prompt names the user from the server: neutralised on the terminal too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_delete_prompt_neutralises_the_users_name() {
    let server = hostile_server().await;
    let tui = Launch::new()
        .args(["--url", server.uri().as_str(), "users", "delete", "usr_x"])
        .env("MEDUSA_API_TOKEN", "tok")
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_USERS_LOG", "off")
        .size(200, 10)
        .start();
    // Raw, the ESC would have swallowed "[31m" into a colour and the CSI "…f" into a cursor
    // move; on screen they show as text.
    let screen = tui.wait_for("[y/N]");
    assert!(
        screen.contains(&format!(
            "Delete admin user {VISIBLE}@example.com (usr_{VISIBLE})?"
        )),
        "{screen}"
    );
    tui.send_keys(&["n", "Enter"]);
    assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 2, "{}", tui.screen());
    let deletes = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "DELETE")
        .count();
    assert_eq!(deletes, 0, "refused: nothing deleted");
}

// ----- help ----------------------------------------------------------------------------------

/// The help's sections: heading → the flags listed under it.
fn sections(help: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            out.push((line.trim_end_matches(':').to_owned(), Vec::new()));
        } else if let Some((_, flags)) = out.last_mut() {
            let t = line.trim_start();
            if t.starts_with('-') {
                let long = t
                    .split([' ', ','])
                    .find(|w| w.starts_with("--"))
                    .unwrap_or(t)
                    .to_owned();
                flags.push(long);
            }
        }
    }
    out
}

fn flags_under<'a>(s: &'a [(String, Vec<String>)], heading: &str) -> &'a [String] {
    s.iter()
        .find(|(h, _)| h == heading)
        .map(|(_, f)| f.as_slice())
        .unwrap_or(&[])
}

#[tokio::test]
async fn each_commands_help_lists_its_own_options_first_then_the_global_ones() {
    let cli = Cli::bare();
    let help = |args: &'static [&'static str]| {
        let cli = &cli;
        async move {
            let mut all = args.to_vec();
            all.push("--help");
            let run = cli.run(&all).await;
            run.ok().to_owned()
        }
    };
    let users: &[(&[&str], &[&str], &[&str])] = &[
        // command, must have, must not have
        (
            &["users", "list"],
            &[
                "--limit", "--offset", "--search", "--order", "--role", "--email", "--all",
                "--json",
            ],
            &["--show-tokens", "--api-token"],
        ),
        (&["users", "get"], &["--json", "--show-tokens"], &[]),
        (
            &["users", "create"],
            &[
                "--email",
                "--first-name",
                "--password-stdin",
                "--json",
                "--show-tokens",
            ],
            &[],
        ),
        (
            &["users", "update"],
            &[
                "--first-name",
                "--avatar-url",
                "--api-token",
                "--metadata",
                "--json",
                "--show-tokens",
            ],
            &[],
        ),
        (
            &["users", "delete"],
            &["--yes", "--revoke-keys", "--json"],
            &["--show-tokens"],
        ),
        (
            &["users", "password-token"],
            &["--email", "--id", "--print", "--admin-url"],
            &["--json", "--show-tokens"],
        ),
        (
            &["users", "reset-password"],
            &["--token", "--email", "--password-stdin", "--json"],
            &["--show-tokens"],
        ),
    ];
    let invites: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["invites", "list"],
            &[
                "--limit",
                "--offset",
                "--search",
                "--all",
                "--show-tokens",
                "--json",
            ],
            &["--role", "--api-token"],
        ),
        (&["invites", "get"], &["--json", "--show-tokens"], &[]),
        (
            &["invites", "create"],
            &["--email", "--role", "--json", "--show-tokens"],
            &[],
        ),
        (&["invites", "resend"], &["--json", "--show-tokens"], &[]),
        (
            &["invites", "revoke"],
            &["--yes", "--json"],
            &["--show-tokens"],
        ),
        (
            &["invites", "accept"],
            &[
                "--token",
                "--first-name",
                "--last-name",
                "--password-stdin",
                "--json",
            ],
            &["--yes"],
        ),
    ];
    for (cmd, has, hasnt) in users.iter().chain(invites) {
        let text = help(cmd).await;
        let s = sections(&text);
        let headings: Vec<&str> = s.iter().map(|(h, _)| h.as_str()).collect();
        let options = headings.iter().position(|h| *h == "Options");
        let global = headings.iter().position(|h| *h == "Global options");
        assert!(
            matches!((options, global), (Some(o), Some(g)) if o < g),
            "{cmd:?}: own options first, then the global ones: {headings:?}"
        );
        let own = flags_under(&s, "Options");
        for flag in *has {
            assert!(
                own.iter().any(|f| f == flag),
                "{cmd:?} lists {flag} as its own:\n{text}"
            );
        }
        for flag in *hasnt {
            assert!(
                !s.iter().any(|(_, flags)| flags.iter().any(|f| f == flag)),
                "{cmd:?} has no {flag}:\n{text}"
            );
        }
        let global = flags_under(&s, "Global options");
        for flag in [
            "--url",
            "--timeout",
            "--max-retries",
            "--header",
            "--insecure",
            "--read-only",
            "--verbose",
        ] {
            assert!(
                global.iter().any(|f| f == flag),
                "{cmd:?}: {flag} is global:\n{text}"
            );
            assert!(
                !own.iter().any(|f| f == flag),
                "{cmd:?}: {flag} is not its own"
            );
        }
        let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flowing.contains("[default: http://localhost:9000]"),
            "{cmd:?}:\n{text}"
        );
        assert!(
            flowing.contains("1 unexpected failure"),
            "{cmd:?}: exit codes:\n{text}"
        );
        if cmd == &["invites", "accept"] {
            assert!(
                flowing.contains("needs no admin credentials"),
                "{cmd:?}: the invitee's command:\n{text}"
            );
        } else {
            assert!(
                text.contains("go before the command"),
                "{cmd:?}: where credentials go"
            );
        }
    }
    // `invites --help` lists the verbs, with the `delete` alias of revoke.
    let text = help(&["invites"]).await;
    for verb in ["list", "get", "create", "resend", "revoke", "accept"] {
        assert!(
            text.lines()
                .any(|l| l.trim_start().starts_with(&format!("{verb} "))),
            "{verb}:\n{text}"
        );
    }
    assert!(text.contains("[alias: delete]"), "{text}");
    let get = help(&["users", "get"]).await;
    assert!(get.contains("`me`"), "{get}");
    let password_token = help(&["users", "password-token"]).await;
    let flowing = password_token
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flowing.contains("/reset-password?token=") && flowing.contains("valid for 15 minutes"),
        "{password_token}"
    );
    // `sandbox` is no client: -v does nothing there.
    let run = Cli::bare().run(&["sandbox", "-v"]).await;
    assert!(
        run.usage_error()
            .starts_with("error: --verbose does nothing with `sandbox`"),
        "{run}"
    );

    let update = help(&["users", "update"]).await;
    assert!(update.contains("KEY:=JSON"), "{update}");
    let list = help(&["users", "list"]).await;
    assert!(list.contains("[alias: --q]"), "{list}");

    // `sandbox` is a server: no client flags at all.
    let sandbox = help(&["sandbox"]).await;
    let s = sections(&sandbox);
    // Only which Medusa it imitates.
    assert_eq!(
        flags_under(&s, "Global options"),
        ["--medusa-version"],
        "{sandbox}"
    );
    for flag in [
        "--url",
        "--timeout",
        "--max-retries",
        "--header",
        "--insecure",
        "--read-only",
        "--sandbox",
    ] {
        assert!(
            !sandbox.contains(flag),
            "sandbox help shows {flag}:\n{sandbox}"
        );
    }
    assert!(sandbox.contains("[default: 127.0.0.1:9000]"), "{sandbox}");
    // logout forgets the session of --url's backend, or of a profile's.
    let logout = help(&["logout"]).await;
    assert_eq!(
        flags_under(&sections(&logout), "Global options"),
        ["--url", "--profile", "--config"],
        "{logout}"
    );
    // The config file's commands read the file and nothing else.
    let check = help(&["config", "check"]).await;
    assert_eq!(
        flags_under(&sections(&check), "Global options"),
        ["--config"],
        "{check}"
    );

    let top = help(&[]).await;
    let s = sections(&top);
    for flag in ["--api-token", "--email", "--url"] {
        assert!(
            flags_under(&s, "Global options").iter().any(|f| f == flag),
            "{top}"
        );
    }
    assert!(
        flags_under(&s, "Console options")
            .iter()
            .any(|f| f == "--page-size"),
        "{top}"
    );
    assert!(
        top.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("1 unexpected failure"),
        "{top}"
    );
}

#[tokio::test]
async fn a_flag_after_the_wrong_command_says_where_it_goes() {
    let server = MockServer::start().await;
    let cli = Cli::new(&server.uri()).env("MEDUSA_VERSION", "1");
    let cases: &[(&[&str], &str)] = &[
        (
            &["users", "list", "--api-token", "X"],
            "error: --api-token goes before the command: medusa-users --api-token TOKEN users list",
        ),
        (
            &["users", "get", "usr_1", "--api-token=X"],
            "error: --api-token goes before the command: medusa-users --api-token TOKEN users get",
        ),
        (
            &["users", "delete", "usr_1", "--email", "a@b.co"],
            "error: --email goes before the command: medusa-users --email EMAIL users delete",
        ),
        (
            &["login", "--email", "a@b.co"],
            "error: --email goes before the command: medusa-users --email EMAIL login",
        ),
        (
            &["users", "--api-token", "X", "list"],
            "error: --api-token goes before the command: medusa-users --api-token TOKEN users list",
        ),
        (
            &["users", "list", "--page-size", "30"],
            "error: --page-size is for the console only",
        ),
        (
            &["logout", "--timeout", "5"],
            "error: --timeout does nothing with `logout`",
        ),
        (
            &["invites", "list", "--api-token", "X"],
            "error: --api-token goes before the command: medusa-users --api-token TOKEN invites list",
        ),
        (
            &["invites", "revoke", "invite_1", "--email", "a@b.co"],
            "error: --email goes before the command: medusa-users --email EMAIL invites revoke",
        ),
        (
            &["invites", "accept", "--page-size", "3"],
            "error: --page-size is for the console only",
        ),
        (
            &["logout", "--verbose"],
            "error: --verbose does nothing with `logout`",
        ),
        (&["-v"], "error: --verbose is for commands"),
        (
            &["users", "password-token", "--id", "usr_1"],
            "error: the following required arguments were not provided",
        ),
    ];
    for (args, expected) in cases {
        let run = cli.run(args).await;
        let stderr = run.usage_error();
        assert!(
            stderr.starts_with(expected),
            "{}: {stderr:?} should start with {expected:?}",
            run.what
        );
    }
    // And where they belong they work: `users update --api-token` sets a user's token,
    // `users list --email` filters (here: 404s from the bare mock, so exit 4, not 2).
    for args in [
        &["users", "update", "usr_1", "--api-token", "X"][..],
        &["users", "list", "--email", "a@b.co"],
    ] {
        let run = Cli::new(&server.uri())
            .env("MEDUSA_API_TOKEN", "tok")
            .env("MEDUSA_VERSION", "1")
            .env("MEDUSA_USERS_LOG", "off")
            .run(args)
            .await;
        assert_ne!(run.code, 2, "{run}");
    }
    // None of the refused ones sent anything.
    let sent = server.received_requests().await.unwrap();
    assert_eq!(
        sent.len(),
        2,
        "only the two valid commands reached the server"
    );
}
