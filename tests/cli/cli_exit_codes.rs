//! The README's exit-code table, command family by command family, through the real binary:
//! 0 ok, 1 unexpected failure, 2 usage (bad flags, invalid input caught before sending, a
//! refused confirmation), 3 unauthorized, 4 not found, 5 invalid data, 6 server error, 7 network
//! or timeout. Every failure has its `error: …` line on stderr and nothing on stdout, and no
//! usage error sends a request. The delete prompt is answered through a real terminal (tmux).

use crate::support;

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use support::cli::{Cli, Run};
use support::target::Target;
use support::tmux::Launch;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "usr_01EXITCODES00000000000000";
const INVITE: &str = "invite_01EXITCODES0000000000000";

/// One command of each family that talks to a server, with what it reads on stdin.
fn families() -> Vec<(&'static str, Vec<&'static str>, Option<&'static str>)> {
    vec![
        ("list", vec!["users", "list"], None),
        ("get", vec!["users", "get", ID], None),
        (
            "create",
            vec![
                "users",
                "create",
                "--email",
                "new@example.com",
                "--password-stdin",
            ],
            Some("exit-pass-1\n"),
        ),
        (
            "update",
            vec!["users", "update", ID, "--first-name", "Exit"],
            None,
        ),
        ("delete", vec!["users", "delete", ID, "--yes"], None),
        (
            "password-token",
            vec!["users", "password-token", "--email", "a@example.com"],
            None,
        ),
        (
            "reset-password",
            vec![
                "users",
                "reset-password",
                "--token",
                "tok",
                "--password-stdin",
            ],
            Some("exit-pass-1\n"),
        ),
        ("login", vec!["--email", "a@example.com", "login"], None),
        ("invites list", vec!["invites", "list"], None),
        ("invites get", vec!["invites", "get", INVITE], None),
        (
            "invites create",
            vec!["invites", "create", "--email", "new@example.com"],
            None,
        ),
        ("invites resend", vec!["invites", "resend", INVITE], None),
        (
            "invites revoke",
            vec!["invites", "revoke", INVITE, "--yes"],
            None,
        ),
        (
            "invites accept",
            vec![
                "invites",
                "accept",
                "--token",
                "tok-exit",
                "--password-stdin",
            ],
            Some("exit-pass-1\n"),
        ),
    ]
}

/// An invite as Medusa v1 lists it.
fn invite() -> Value {
    json!({
        "id": INVITE,
        "created_at": "2026-11-27T10:23:06.471Z",
        "updated_at": "2026-11-27T10:23:06.471Z",
        "deleted_at": null,
        "user_email": "new@example.com",
        "role": "member",
        "accepted": false,
        "token": "invite-token",
        "expires_at": "2099-12-04T10:23:06.471Z",
        "metadata": null,
    })
}

fn ok_text() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw("OK", "text/plain; charset=utf-8")
}

fn user() -> Value {
    json!({
        "id": ID,
        "created_at": "2026-11-27T10:23:06.471Z",
        "updated_at": "2026-11-27T10:23:06.471Z",
        "deleted_at": null,
        "role": "member",
        "email": "a@example.com",
        "first_name": "Exit",
        "last_name": null,
        "api_token": null,
        "metadata": null,
    })
}

fn body(status: u16, v: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(v.to_string(), "application/json; charset=utf-8")
}

/// A server that answers every route as Medusa does on success.
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    let envelope = json!({ "user": user() });
    let routes: Vec<(&str, &str, ResponseTemplate)> = vec![
        (
            "POST",
            "^/admin/auth/token$",
            body(200, &json!({"access_token": "jwt-exit"})),
        ),
        (
            "GET",
            "^/admin/users$",
            body(
                200,
                &json!({"users": [user()], "count": 1, "offset": 0, "limit": 50}),
            ),
        ),
        (
            "POST",
            "^/admin/users/password-token$",
            ResponseTemplate::new(204),
        ),
        (
            "POST",
            "^/admin/users/reset-password$",
            body(200, &envelope),
        ),
        ("GET", "^/admin/users/[^/]+$", body(200, &envelope)),
        ("POST", "^/admin/users$", body(200, &envelope)),
        ("POST", "^/admin/users/[^/]+$", body(200, &envelope)),
        (
            "DELETE",
            "^/admin/users/[^/]+$",
            body(200, &json!({"id": ID, "object": "user", "deleted": true})),
        ),
        // v1's invites: create, resend and accept answer a bare OK; the list is everything.
        (
            "GET",
            "^/admin/invites$",
            body(200, &json!({ "invites": [invite()] })),
        ),
        ("POST", "^/admin/invites$", ok_text()),
        ("POST", "^/admin/invites/accept$", ok_text()),
        ("POST", "^/admin/invites/[^/]+/resend$", ok_text()),
        (
            "DELETE",
            "^/admin/invites/[^/]+$",
            body(
                200,
                &json!({"id": INVITE, "object": "invite", "deleted": true}),
            ),
        ),
    ];
    for (m, p, response) in routes {
        Mock::given(method(m))
            .and(path_regex(p))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    server
}

/// The server's failures and the exit code each must give: 401 → 3, 404 → 4, 400 (saying
/// `invalid_data_message`, in the dialect's words) → 5, 503 → 6.
fn server_failures(invalid_data_message: &str) -> Vec<(u16, Value, i32)> {
    vec![
        (401, json!({"message": "Unauthorized"}), 3),
        (
            404,
            json!({"type": "not_found", "message": "User with id: x was not found"}),
            4,
        ),
        (
            400,
            json!({"type": "invalid_data", "message": invalid_data_message}),
            5,
        ),
        (
            503,
            json!({"code": "unknown_error", "type": "unknown_error", "message": "down"}),
            6,
        ),
    ]
}

/// A server that answers everything with `status` and `body`.
async fn failing_server(status: u16, answer: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex(".*"))
        .respond_with(body(status, &answer))
        .mount(&server)
        .await;
    server
}

fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
}

/// Against a mock: the dialect is given, so the CLI does not ask the mock which Medusa it is.
fn cli(url: &str) -> Cli {
    Cli::new(url)
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok")
        .env("MEDUSA_ADMIN_PASSWORD", "admin-pass")
}

async fn run(cli: &Cli, args: &[&str], input: Option<&str>) -> Run {
    // No retries: each answer is final, and the test is quick. (`logout` talks to no server
    // and refuses those flags.)
    let mut all = if args.contains(&"logout") {
        vec![]
    } else {
        vec!["--max-retries", "0", "--timeout", "5"]
    };
    all.extend_from_slice(args);
    match input {
        Some(i) => cli.run_stdin(&all, i).await,
        None => cli.run(&all).await,
    }
}

#[tokio::test]
async fn success_is_0_for_every_family() {
    let server = ok_server().await;
    let cli = cli(&server.uri());
    for (family, args, input) in families() {
        let r = run(&cli, &args, input).await;
        assert_eq!(r.code, 0, "{family}: {r}");
    }
    // logout: forgetting the session login just saved, then nothing to forget; both fine.
    for _ in 0..2 {
        let r = cli.run(&["logout"]).await;
        assert_eq!(r.code, 0, "logout: {r}");
    }
}

#[tokio::test]
async fn server_answers_map_to_3_4_5_6_and_no_answer_to_7() {
    let cases = server_failures("first_name must be a string");
    for (status, answer, code) in cases {
        let server = failing_server(status, answer).await;
        let cli = cli(&server.uri());
        for (family, args, input) in families() {
            // Medusa answers a bad reset token with 401 (or 500, or 400): all of them mean
            // "invalid token", which is invalid data.
            let code = if family == "reset-password" && status == 401 {
                5
            } else {
                code
            };
            let r = run(&cli, &args, input).await;
            r.fails_with_hints(code);
            assert!(
                !r.stderr.contains("panicked"),
                "{family} on HTTP {status}: {r}"
            );
        }
    }
    let cli = cli(&closed_port_url());
    for (family, args, input) in families() {
        let r = run(&cli, &args, input).await;
        assert_eq!(r.code, 7, "{family}: {r}");
        r.fails_with_hints(7);
    }
}

#[tokio::test]
async fn checks_before_sending_are_2_and_send_nothing() {
    let server = MockServer::start().await;
    let cli = cli(&server.uri());
    let cases: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
        ("list", vec!["users", "list", "--limit", "-1"], None),
        ("list", vec!["users", "list", "--api-token", "x"], None),
        ("list", vec!["users", "list", "--role", "owner"], None),
        ("get", vec!["users", "get", ""], None),
        ("get", vec!["users", "get", "  ", "--json"], None),
        (
            "get",
            vec!["--email", "not-an-address", "users", "get", ID],
            None,
        ),
        (
            "create",
            vec!["users", "create", "--email", "nope", "--password-stdin"],
            Some("pw-1\n"),
        ),
        (
            "create",
            vec!["users", "create", "--email", "a@example.com"],
            None,
        ),
        ("update", vec!["users", "update", ID], None),
        (
            "update",
            vec!["users", "update", "", "--role", "admin"],
            None,
        ),
        (
            "update",
            vec!["users", "update", ID, "--metadata", "k:={bad"],
            None,
        ),
        ("delete", vec!["users", "delete", ID], None),
        ("delete", vec!["users", "delete", "", "--yes"], None),
        (
            "delete",
            vec!["--read-only", "users", "delete", ID, "--yes"],
            None,
        ),
        (
            "password-token",
            vec!["users", "password-token", "--email", "a@b"],
            None,
        ),
        (
            "reset-password",
            vec![
                "users",
                "reset-password",
                "--token",
                " ",
                "--password-stdin",
            ],
            Some("pw-1\n"),
        ),
        ("reset-password", vec!["users", "reset-password"], None),
        ("login", vec!["--email", "nope", "login"], None),
        ("login", vec!["login"], None),
        ("logout", vec!["--url", "ftp://example.com", "logout"], None),
        ("logout", vec!["logout", "--timeout", "5"], None),
        ("logout", vec!["logout", "-v"], None),
        ("console", vec!["--verbose"], None),
        // What this server (v1, given) cannot do is known without asking it.
        (
            "update",
            vec![
                "users",
                "update",
                ID,
                "--avatar-url",
                "https://a.example/x.png",
            ],
            None,
        ),
        (
            "delete",
            vec!["users", "delete", ID, "--yes", "--revoke-keys"],
            None,
        ),
        (
            "password-token",
            vec![
                "users",
                "password-token",
                "--email",
                "a@example.com",
                "--print",
            ],
            None,
        ),
        (
            "password-token",
            vec!["users", "password-token", "--id", ID],
            None,
        ),
        (
            "password-token",
            vec![
                "users",
                "password-token",
                "--email",
                "a@example.com",
                "--admin-url",
                "https://a.example/app",
            ],
            None,
        ),
        (
            "password-token",
            vec![
                "users",
                "password-token",
                "--id",
                ID,
                "--print",
                "--admin-url",
                "ftp://a.example",
            ],
            None,
        ),
        (
            "password-token",
            vec![
                "users",
                "password-token",
                "--email",
                "a@example.com",
                "--id",
                ID,
                "--print",
            ],
            None,
        ),
        ("invites get", vec!["invites", "get", ""], None),
        (
            "invites create",
            vec!["invites", "create", "--email", "nope"],
            None,
        ),
        (
            "invites create",
            vec![
                "--read-only",
                "invites",
                "create",
                "--email",
                "a@example.com",
            ],
            None,
        ),
        ("invites resend", vec!["invites", "resend", " "], None),
        ("invites revoke", vec!["invites", "revoke", INVITE], None),
        (
            "invites revoke",
            vec!["invites", "delete", "", "--yes"],
            None,
        ),
        (
            "invites accept",
            vec!["invites", "accept", "--password-stdin"],
            Some("pw-1\n"),
        ),
        (
            "invites accept",
            vec!["invites", "accept", "--token", " ", "--password-stdin"],
            Some("pw-1\n"),
        ),
        (
            "invites accept",
            vec!["invites", "accept", "--token", "t", "--password-stdin"],
            Some("\n"),
        ),
        (
            "invites accept",
            vec![
                "--read-only",
                "invites",
                "accept",
                "--token",
                "t",
                "--password-stdin",
            ],
            Some("pw-1\n"),
        ),
        ("invites accept", vec!["invites", "accept"], None),
    ];
    for (family, args, input) in cases {
        let r = run(&cli, &args, input).await;
        assert_eq!(r.code, 2, "{family}: {r}");
        assert!(r.stdout.is_empty(), "{family}: {r}");
        assert!(r.stderr.starts_with("error: "), "{family}: {r}");
    }
    // `login` without --email asks on a terminal; without one (and no MEDUSA_ADMIN_PASSWORD)
    // it is a usage error too.
    let r = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .run(&["--email", "a@example.com", "login"])
        .await;
    assert_eq!(r.code, 2, "{r}");
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.is_empty(),
        "usage errors send nothing: {:?}",
        sent.iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
}

/// Runs `args` with stdout on /dev/full: the output cannot be written.
async fn to_full_disk(cli: &Cli, args: &[&str], input: Option<&str>) -> (i32, String) {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let mut cmd = cli.command(args);
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(full)
    .stderr(Stdio::piped())
    .kill_on_drop(true);
    let mut child = cmd.spawn().unwrap();
    if let Some(i) = input {
        use tokio::io::AsyncWriteExt;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(i.as_bytes())
            .await
            .unwrap();
    }
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn failures_on_this_side_are_1() {
    let server = ok_server().await;
    let cli = cli(&server.uri());
    // Output that cannot be written (a full disk behind `> file`) is a failure, unlike a
    // reader that left (0, see cli_scripts).
    for (family, args, input) in families() {
        if matches!(family, "password-token" | "login") {
            continue; // they print on stderr only
        }
        let (code, stderr) = to_full_disk(&cli, &args, input).await;
        assert_eq!(code, 1, "{family}: {stderr}");
        assert!(
            stderr.starts_with("error: cannot write the output"),
            "{family}: {stderr}"
        );
    }
    // The embedded sandbox cannot start (its data directory cannot be made).
    let no_data = Cli::bare().env("XDG_DATA_HOME", "/dev/null/data");
    for (family, args, input) in families() {
        if family == "login" {
            continue;
        }
        let mut all = vec!["--sandbox"];
        all.extend_from_slice(&args);
        let r = match input {
            Some(i) => no_data.run_stdin(&all, i).await,
            None => no_data.run(&all).await,
        };
        let line = r.fails(1);
        assert!(
            line.contains("cannot start the sandbox"),
            "{family}: {line}"
        );
    }
    // login and logout with a sessions file that cannot be written.
    let no_config = cli.env("XDG_CONFIG_HOME", "/dev/null/config");
    for args in [&["--email", "a@example.com", "login"][..], &["logout"]] {
        let r = no_config.run(args).await;
        r.fails(1);
    }
}

/// `medusa-users sandbox` in the foreground, stopped with SIGTERM.
async fn foreground_sandbox(addr: &str, data: &std::path::Path) -> tokio::process::Child {
    let cli = Cli::bare();
    let mut cmd = cli.command(&["sandbox", "--addr", addr, "--data", data.to_str().unwrap()]);
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd.spawn().unwrap()
}

#[tokio::test]
async fn the_sandbox_command_is_0_2_or_1() {
    use tokio::io::AsyncBufReadExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("s.sqlite3");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let addr = format!("127.0.0.1:{port}");

    // 0: it serves until SIGTERM and then stops cleanly.
    let mut child = foreground_sandbox(&addr, &data).await;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap_or_default();
    assert!(first.contains("listening on"), "{first}");
    let pid = child.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));

    // 1: the address is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_addr = taken.local_addr().unwrap().to_string();
    let r = Cli::bare()
        .run(&[
            "sandbox",
            "--addr",
            &taken_addr,
            "--data",
            data.to_str().unwrap(),
        ])
        .await;
    r.fails(1);

    // 2: bad flags, or client flags that do nothing here.
    for args in [
        &["sandbox", "--addr", "nowhere"][..],
        &["sandbox", "--seed", "-3"],
        &["sandbox", "--url", "http://127.0.0.1:9000"],
        &["--timeout", "5", "sandbox"],
        &["--api-token", "x", "sandbox"],
    ] {
        let r = Cli::bare().run(args).await;
        r.usage_error();
    }
}

/// The delete confirmation, answered on a real terminal: only `y` deletes; `n`, or just Enter,
/// keeps the user and exits 2, so `medusa-users users delete … && next-step` stops there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_delete_confirmation_exits_2_through_a_terminal() {
    let t = Target::sandbox(0).await;
    let c = t.client();
    let user = t.make_user("pty", "pty-pass-1").await;
    let delete = || {
        Launch::new()
            .args(["--url", t.url.as_str(), "users", "delete", user.id.as_str()])
            .env("MEDUSA_API_TOKEN", &t.api_token)
            .env("MEDUSA_USERS_LOG", "off")
            .size(160, 10)
            .start()
    };
    for answer in [&["n", "Enter"][..], &["Enter"], &["N", "o", "Enter"]] {
        let tui = delete();
        let screen = tui.wait_for("[y/N]");
        assert!(
            screen.contains(&format!("Delete member user {} ({})?", user.email, user.id)),
            "{screen}"
        );
        tui.send_keys(answer);
        let code = tui.wait_exit(support::tmux::TIMEOUT);
        let screen = tui.screen();
        assert_eq!(code, 2, "answer {answer:?}:\n{screen}");
        assert!(screen.contains("error: not deleted"), "{screen}");
        c.retrieve(&user.id)
            .await
            .unwrap_or_else(|e| panic!("kept after {answer:?}: {e}"));
    }
    let tui = delete();
    tui.wait_for("[y/N]");
    tui.send_keys(&["y", "Enter"]);
    assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 0, "{}", tui.screen());
    assert!(
        tui.screen()
            .contains(&format!("Deleted {} ({})", user.email, user.id))
    );
    assert!(c.retrieve(&user.id).await.is_err(), "deleted after y");
}

/// On a production profile, the delete confirmation wants the profile's name typed: a `y`
/// from habit keeps the user (exit 2, saying what would confirm); the name deletes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_profile_wants_its_name_typed_to_delete() {
    let t = Target::sandbox(0).await;
    let c = t.client();
    let user = t.make_user("prod", "prod-pass-1").await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.shop]\nurl = \"{}\"\napi_token_env = \"SHOP_TOKEN\"\nproduction = true\n",
            t.url
        ),
    )
    .unwrap();
    let delete = || {
        Launch::new()
            .args([
                "--config",
                config.to_str().unwrap(),
                "--profile",
                "shop",
                "users",
                "delete",
                user.id.as_str(),
            ])
            .env("SHOP_TOKEN", &t.api_token)
            .env("MEDUSA_USERS_LOG", "off")
            .size(200, 10)
            .start()
    };
    let tui = delete();
    let screen = tui.wait_for("type its name to confirm");
    assert!(
        screen.contains("This is the production store shop"),
        "{screen}"
    );
    tui.send_keys(&["y", "Enter"]);
    assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 2, "{}", tui.screen());
    assert!(
        tui.screen()
            .contains("only the profile's name, shop, typed exactly confirms"),
        "{}",
        tui.screen()
    );
    c.retrieve(&user.id).await.expect("kept after y");

    let tui = delete();
    tui.wait_for("type its name to confirm");
    tui.type_text("shop");
    tui.send_keys(&["Enter"]);
    assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 0, "{}", tui.screen());
    assert!(
        c.retrieve(&user.id).await.is_err(),
        "deleted after the name"
    );
}

/// The revoke confirmation, on a real terminal: as for `users delete`, only `y` revokes, and a
/// refusal exits 2 with the invite kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_revoke_confirmation_exits_2_through_a_terminal() {
    let fake = support::fake_v1_invites::FakeV1Invites::start().await;
    let invite = fake.with(|s| s.add("pty@example.com", "member", time::Duration::ZERO));
    let url = fake.url();
    let revoke = |id: &str| {
        Launch::new()
            .args(["--url", url.as_str(), "invites", "revoke", id])
            .env("MEDUSA_VERSION", "1")
            .env("MEDUSA_API_TOKEN", support::fake_v1_invites::API_TOKEN)
            .env("MEDUSA_USERS_LOG", "off")
            .size(160, 10)
            .start()
    };
    for answer in [&["n", "Enter"][..], &["Enter"]] {
        let tui = revoke(&invite.id);
        let screen = tui.wait_for("[y/N]");
        assert!(
            screen.contains(&format!(
                "Revoke the invite for pty@example.com ({})?",
                invite.id
            )),
            "{screen}"
        );
        tui.send_keys(answer);
        assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 2, "{}", tui.screen());
        assert!(
            tui.screen().contains("error: not revoked"),
            "{}",
            tui.screen()
        );
        assert!(fake.with(|s| s.invites.iter().any(|i| i.id == invite.id)));
    }
    let tui = revoke(&invite.id);
    tui.wait_for("[y/N]");
    tui.send_keys(&["y", "Enter"]);
    assert_eq!(tui.wait_exit(support::tmux::TIMEOUT), 0, "{}", tui.screen());
    assert!(fake.with(|s| s.invites.is_empty()), "revoked after y");
}

/// The same table on Medusa v2 (given, so the mock is not probed; a secret key): each family's
/// failure from the server gets the same code as on v1.
#[tokio::test]
async fn v2_server_answers_map_to_the_same_codes() {
    use base64::Engine as _;
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    // accept reads the invited e-mail from the token before sending: a v2-shaped token.
    let invite_token = format!(
        "{}.{}.sig",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(br#"{"id":"invite_1","email":"new@example.com"}"#)
    );
    let cases = server_failures("Invalid request: Unrecognized fields: 'x'");
    for (status, answer, code) in cases {
        let server = failing_server(status, answer).await;
        let cli = Cli::new(&server.uri())
            .env("MEDUSA_VERSION", "2")
            .env("MEDUSA_API_TOKEN", &format!("sk_{}", "0".repeat(64)))
            .env("MEDUSA_ADMIN_PASSWORD", "admin-pass");
        for (family, mut args, input) in families() {
            if family == "invites accept" {
                args[3] = invite_token.as_str();
            }
            let code = if family == "reset-password" && status == 401 {
                5
            } else {
                code
            };
            let r = run(&cli, &args, input).await;
            r.fails_with_hints(code);
            assert!(!r.stderr.contains("panicked"), "{family}: {r}");
        }
    }
}
