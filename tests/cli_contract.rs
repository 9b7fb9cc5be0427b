//! The CLI's contract: the real `medusa-users` binary, run as a script would run it, against a
//! fresh sandbox always and a real Medusa v1 too when `MEDUSA_V1_URL` is set. Every `users`
//! subcommand, human and `--json` output, passwords on stdin, the delete confirmation, and the
//! exit codes (0 ok, 2 usage, 3 unauthorized, 4 not found, 5 invalid data, 6 server error,
//! 7 network or timeout), each failure with one `error: …` line on stderr and nothing on stdout.
//!
//! Every run gets a clean environment: no inherited `MEDUSA_*`, and HOME and the XDG
//! directories in a temp dir, so nothing on the machine running the tests leaks in or out.

mod support;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use medusa_users::api::{CreateUser, Credentials, ErrorKind, Role, UpdateUser, User};
use serde_json::{Value, json};
use support::cli::Cli;
use support::target::{Target, tidy};
use support::{V1_USER_KEYS, capitalise, unique_prefix};
use tokio::io::{AsyncBufReadExt, BufReader};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const UNKNOWN_ID: &str = "usr_01CLICONTRACT0UNKNOWN000";

const INVALID_TOKEN: &str = "error: invalid data: the reset token is invalid, expired or already \
                             used; request a new one";

// ----- helpers -------------------------------------------------------------------------------

fn new_user(email: &str, password: &str, role: Option<Role>) -> CreateUser {
    CreateUser {
        email: email.to_owned(),
        password: password.to_owned(),
        first_name: None,
        last_name: None,
        role,
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// A user as the client reads it, re-serialised: what `--json` must print.
fn as_json(user: &User) -> Value {
    serde_json::to_value(user).unwrap()
}

/// The `key  value` lines of `users get` as pairs.
fn details(out: &str) -> Vec<(String, String)> {
    out.lines()
        .map(|line| {
            let (k, v) = line
                .split_once("  ")
                .unwrap_or_else(|| panic!("not a `key  value` line: {line:?}"));
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect()
}

fn detail<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key:?} line in {pairs:?}"))
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Medusa's 500 body.
fn unknown_error() -> ResponseTemplate {
    ResponseTemplate::new(500).set_body_raw(
        r#"{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}"#,
        "application/json; charset=utf-8",
    )
}

// ----- users list ----------------------------------------------------------------------------

#[tokio::test]
async fn list_prints_a_table_or_the_servers_list_object() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let prefix = unique_prefix("clilist");
        let mut made = Vec::new();
        for role in [Role::Member, Role::Developer, Role::Admin] {
            let mut req = new_user(&t.unique_email(&prefix), "cli-pass-1", Some(role));
            req.first_name = Some("Cli".into());
            made.push(c.create(&req).await.unwrap());
        }
        let ids: Vec<String> = made.iter().map(|u| u.id.clone()).collect();
        let cli = Cli::for_target(&t);

        // Human: a header and one row per user, newest first; the summary on stderr.
        let run = cli.run(&["users", "list", "--q", &prefix]).await;
        let out = run.ok();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{n}: header + 3 rows:\n{out}");
        let header: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            header,
            ["ID", "EMAIL", "NAME", "ROLE", "CREATED"],
            "{n}: header"
        );
        for (line, user) in lines[1..].iter().zip(made.iter().rev()) {
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                cells[..4],
                [
                    user.id.as_str(),
                    user.email.as_str(),
                    "Cli",
                    user.role_label()
                ],
                "{n}: row {line:?}"
            );
            assert!(
                line.ends_with(&user.created_at.short()),
                "{n}: created column: {line:?}"
            );
        }
        assert_eq!(run.stderr.trim(), "1–3 of 3", "{n}: summary on stderr");

        // JSON: the server's list object, keys in its order, users as the client reads them.
        let v = cli
            .run(&["users", "list", "--q", &prefix, "--json"])
            .await
            .json();
        assert_eq!(
            keys(&v),
            ["users", "count", "offset", "limit"],
            "{n}: list keys"
        );
        assert_eq!(
            (&v["count"], &v["offset"], &v["limit"]),
            (&json!(3), &json!(0), &json!(50)),
            "{n}"
        );
        let users = v["users"].as_array().unwrap();
        for (got, user) in users.iter().zip(made.iter().rev()) {
            assert_eq!(keys(got), V1_USER_KEYS, "{n}: user keys");
            assert_eq!(got, &as_json(user), "{n}: user JSON");
        }

        // Paging, order, role and e-mail filters.
        let v = cli
            .run(&[
                "users", "list", "--q", &prefix, "--limit", "1", "--offset", "1", "--json",
            ])
            .await
            .json();
        assert_eq!(
            (&v["count"], &v["offset"], &v["limit"]),
            (&json!(3), &json!(1), &json!(1)),
            "{n}: paging"
        );
        assert_eq!(v["users"][0]["id"], json!(made[1].id), "{n}: second newest");
        let run = cli
            .run(&["users", "list", "--q", &prefix, "--offset", "10"])
            .await;
        assert_eq!(run.ok().lines().count(), 1, "{n}: just the header");
        assert_eq!(
            run.stderr.trim(),
            "no users on this page (3 in all)",
            "{n}: past the end"
        );

        let v = cli
            .run(&[
                "users", "list", "--q", &prefix, "--order", "email", "--json",
            ])
            .await
            .json();
        let got: Vec<&str> = v["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        let mut sorted = got.clone();
        sorted.sort_unstable();
        assert_eq!(got, sorted, "{n}: --order email");
        let v = cli
            .run(&[
                "users",
                "list",
                "--q",
                &prefix,
                "--order",
                "-created_at",
                "--json",
            ])
            .await
            .json();
        assert_eq!(
            v["users"][0]["id"],
            json!(made[2].id),
            "{n}: --order -created_at"
        );

        let v = cli
            .run(&[
                "users",
                "list",
                "--q",
                &prefix,
                "--role",
                "developer",
                "--role",
                "ADMIN",
                "--json",
            ])
            .await
            .json();
        let roles: BTreeSet<&str> = v["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["role"].as_str().unwrap())
            .collect();
        assert_eq!(v["count"], json!(2), "{n}: --role developer --role ADMIN");
        assert_eq!(roles, BTreeSet::from(["admin", "developer"]), "{n}");

        tidy(&c, &ids).await;
    }
}

/// `users list --email X` filters by e-mail (any case) with the API token; the global
/// `--email` (or `MEDUSA_ADMIN_EMAIL`) only says whom to log in as.
#[tokio::test]
async fn list_email_filter_and_login_email_are_separate() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let prefix = unique_prefix("cliemail");
        let mut made = Vec::new();
        for _ in 0..3 {
            made.push(
                c.create(&new_user(&t.unique_email(&prefix), "cli-pass-1", None))
                    .await
                    .unwrap(),
            );
        }
        let ids: Vec<String> = made.iter().map(|u| u.id.clone()).collect();

        let v = Cli::for_target(&t)
            .run(&[
                "users",
                "list",
                "--email",
                &made[0].email.to_uppercase(),
                "--json",
            ])
            .await
            .json();
        assert_eq!(v["count"], json!(1), "{n}: --email filter");
        assert_eq!(
            v["users"][0]["id"],
            json!(made[0].id),
            "{n}: --email filter"
        );

        // Logged in by e-mail and password: the whole list, not just the admin.
        let by_flag = Cli::new(&t.url).env("MEDUSA_ADMIN_PASSWORD", &t.password);
        let by_env = Cli::new(&t.url)
            .env("MEDUSA_ADMIN_PASSWORD", &t.password)
            .env("MEDUSA_ADMIN_EMAIL", &t.email);
        for (what, run) in [
            (
                "--email",
                by_flag
                    .run(&[
                        "--email", &t.email, "users", "list", "--q", &prefix, "--json",
                    ])
                    .await,
            ),
            (
                "MEDUSA_ADMIN_EMAIL",
                by_env
                    .run(&["users", "list", "--q", &prefix, "--json"])
                    .await,
            ),
        ] {
            assert_eq!(
                run.json()["count"],
                json!(3),
                "{n}: logged in with {what}, the list is not filtered to the admin"
            );
        }
        tidy(&c, &ids).await;
    }
}

#[tokio::test]
async fn list_all_prints_one_list_object_with_every_user() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let prefix = unique_prefix("cliall");
        let creates = (0..12).map(|_| {
            let c = c.clone();
            let email = t.unique_email(&prefix);
            async move { c.create(&new_user(&email, "cli-pass-1", None)).await }
        });
        let made: Vec<User> = futures::future::try_join_all(creates).await.unwrap();
        let ids: BTreeSet<String> = made.iter().map(|u| u.id.clone()).collect();
        let cli = Cli::for_target(&t);

        let v = cli
            .run(&["users", "list", "--all", "--q", &prefix, "--json"])
            .await
            .json();
        assert_eq!(
            keys(&v),
            ["users", "count", "offset", "limit"],
            "{n}: one list object"
        );
        assert_eq!(
            (&v["count"], &v["offset"], &v["limit"]),
            (&json!(12), &json!(0), &json!(12)),
            "{n}: --all counts"
        );
        let got: BTreeSet<String> = v["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, ids, "{n}: every user, once");

        let run = cli.run(&["users", "list", "--all", "--q", &prefix]).await;
        assert_eq!(run.ok().lines().count(), 13, "{n}: header + 12 rows");
        assert_eq!(run.stderr.trim(), "1–12 of 12", "{n}: summary");

        tidy(&c, &ids.into_iter().collect::<Vec<_>>()).await;
    }
}

// ----- users get -----------------------------------------------------------------------------

#[tokio::test]
async fn get_shows_one_user_with_the_token_masked_unless_asked() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let user = t.make_user("cliget", "cli-pass-1").await;
        let token = format!("cli-token-{}", uuid::Uuid::new_v4().simple());
        let user = c
            .update(
                &user.id,
                &UpdateUser {
                    first_name: Some(Some("Grace".into())),
                    api_token: Some(token.clone()),
                    metadata: json!({"team": "ops", "level": 3}).as_object().cloned(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let cli = Cli::for_target(&t);

        let out = cli.run(&["users", "get", &user.id]).await.ok().to_owned();
        assert!(!out.contains(&token), "{n}: the token is masked:\n{out}");
        let pairs = details(&out);
        assert_eq!(detail(&pairs, "id"), user.id, "{n}");
        assert_eq!(detail(&pairs, "email"), user.email, "{n}");
        assert_eq!(detail(&pairs, "first name"), "Grace", "{n}");
        assert_eq!(detail(&pairs, "last name"), "—", "{n}");
        assert_eq!(detail(&pairs, "role"), "member", "{n}");
        assert_eq!(
            detail(&pairs, "api token"),
            format!("••••••••{}", &token[token.len() - 4..]),
            "{n}: masked token"
        );
        assert_eq!(detail(&pairs, "metadata.team"), "ops", "{n}");
        assert_eq!(detail(&pairs, "metadata.level"), "3", "{n}");
        assert_eq!(detail(&pairs, "created"), user.created_at.0, "{n}");

        let out = cli
            .run(&["users", "get", &user.id, "--show-tokens"])
            .await
            .ok()
            .to_owned();
        assert_eq!(
            detail(&details(&out), "api token"),
            token,
            "{n}: --show-tokens"
        );

        let v = cli.run(&["users", "get", &user.id, "--json"]).await.json();
        assert_eq!(keys(&v), ["user"], "{n}: {{\"user\": …}}");
        assert_eq!(keys(&v["user"]), V1_USER_KEYS, "{n}: user keys");
        assert_eq!(
            v["user"],
            as_json(&c.retrieve(&user.id).await.unwrap()),
            "{n}"
        );

        let line = cli
            .run(&["users", "get", UNKNOWN_ID])
            .await
            .fails_with_hints(4)
            .to_owned();
        assert_eq!(
            line,
            format!("error: not found: User with id: {UNKNOWN_ID} was not found"),
            "{n}: unknown id"
        );
        tidy(&c, &[user.id]).await;
    }
}

// ----- users create --------------------------------------------------------------------------

#[tokio::test]
async fn create_reads_the_password_from_stdin() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let cli = Cli::for_target(&t);
        let email = t.unique_email("clicreate");

        let v = cli
            .run_stdin(
                &[
                    "users",
                    "create",
                    "--email",
                    &email.to_uppercase(),
                    "--first-name",
                    "Ada",
                    "--last-name",
                    "Lovelace",
                    "--role",
                    "developer",
                    "--password-stdin",
                    "--json",
                ],
                "stdin pass word 1\n",
            )
            .await
            .json();
        assert_eq!(keys(&v), ["user"], "{n}: {{\"user\": …}}");
        let user = &v["user"];
        assert_eq!(
            (
                &user["email"],
                &user["first_name"],
                &user["last_name"],
                &user["role"]
            ),
            (
                &json!(email),
                &json!("Ada"),
                &json!("Lovelace"),
                &json!("developer")
            ),
            "{n}: the created user"
        );
        let id = user["id"].as_str().unwrap().to_owned();
        assert_eq!(
            user,
            &as_json(&c.retrieve(&id).await.unwrap()),
            "{n}: printed what is stored"
        );
        // The password is the stdin line without its newline.
        let who = t.client_with(Credentials::None);
        who.login(&email, "stdin pass word 1")
            .await
            .unwrap_or_else(|e| panic!("{n}: log in with the stdin password: {e}"));

        // Human output, the server's default role.
        let email2 = t.unique_email("clicreate2");
        let out = cli
            .run_stdin(
                &["users", "create", "--email", &email2, "--password-stdin"],
                "cli-pass-2",
            )
            .await
            .ok()
            .to_owned();
        let pairs = details(&out);
        assert_eq!(detail(&pairs, "email"), email2, "{n}");
        assert_eq!(detail(&pairs, "role"), "member", "{n}");
        let id2 = detail(&pairs, "id").to_owned();

        // A duplicate (other case) is the server's "invalid data".
        let line = cli
            .run_stdin(
                &[
                    "users",
                    "create",
                    "--email",
                    &capitalise(&email),
                    "--password-stdin",
                ],
                "cli-pass-3\n",
            )
            .await
            .fails_with_hints(5)
            .to_owned();
        assert_eq!(
            line, "error: invalid data: A user with the same email already exists.",
            "{n}: duplicate"
        );

        // No terminal and no --password-stdin: refused, nothing made.
        let email3 = t.unique_email("clicreate3");
        let line = cli
            .run(&["users", "create", "--email", &email3])
            .await
            .fails_with_hints(2)
            .to_owned();
        assert!(line.contains("--password-stdin"), "{n}: {line}");
        // An empty password is refused before sending.
        let line = cli
            .run_stdin(
                &["users", "create", "--email", &email3, "--password-stdin"],
                "\n",
            )
            .await
            .fails_with_hints(2)
            .to_owned();
        assert!(line.contains("password is empty"), "{n}: {line}");
        let page = c
            .list(&medusa_users::api::ListParams {
                email: Some(email3.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.count, 0, "{n}: no user was made for {email3}");

        tidy(&c, &[id, id2]).await;
    }
}

// ----- users update --------------------------------------------------------------------------

#[tokio::test]
async fn update_sets_names_role_token_and_metadata() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let user = t.make_user("cliupd", "cli-pass-1").await;
        let cli = Cli::for_target(&t);
        let update = |extra: &[&str]| {
            let mut args = vec!["users", "update", user.id.as_str()];
            args.extend_from_slice(extra);
            args.push("--json");
            args.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        let run = |args: Vec<String>| {
            let cli = &cli;
            async move {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                cli.run(&args).await.json()
            }
        };

        let v = run(update(&[
            "--first-name",
            "Ann",
            "--last-name",
            "Lee",
            "--role",
            "admin",
        ]))
        .await;
        assert_eq!(keys(&v), ["user"], "{n}");
        assert_eq!(
            (
                &v["user"]["first_name"],
                &v["user"]["last_name"],
                &v["user"]["role"]
            ),
            (&json!("Ann"), &json!("Lee"), &json!("admin")),
            "{n}: names and role"
        );

        let v = run(update(&[
            "--metadata",
            "team=ops",
            "--metadata",
            "level:=3",
            "--metadata",
            r#"tags:=["a","b"]"#,
            "--metadata",
            "note=a=b",
        ]))
        .await;
        assert_eq!(
            v["user"]["metadata"],
            json!({"team": "ops", "level": 3, "tags": ["a", "b"], "note": "a=b"}),
            "{n}: KEY=VALUE and KEY:=JSON"
        );
        let v = run(update(&["--metadata", "team=", "--metadata", "level:=4"])).await;
        assert_eq!(
            v["user"]["metadata"],
            json!({"level": 4, "tags": ["a", "b"], "note": "a=b"}),
            "{n}: KEY= removes, the rest merges"
        );

        let v = run(update(&["--first-name", ""])).await;
        assert_eq!(
            (&v["user"]["first_name"], &v["user"]["last_name"]),
            (&Value::Null, &json!("Lee")),
            "{n}: --first-name \"\" clears"
        );

        let token = format!("cli-token-{}", uuid::Uuid::new_v4().simple());
        let v = run(update(&["--api-token", &token])).await;
        assert_eq!(v["user"]["api_token"], json!(token), "{n}: --api-token");
        assert_eq!(
            t.client_with(Credentials::api_token(token.clone()))
                .me()
                .await
                .unwrap()
                .id,
            user.id,
            "{n}: the token is the user's now"
        );
        assert_eq!(
            v["user"],
            as_json(&c.retrieve(&user.id).await.unwrap()),
            "{n}: printed what is stored"
        );

        // Human output masks the new token.
        let out = cli
            .run(&["users", "update", &user.id, "--last-name", "Lea"])
            .await
            .ok()
            .to_owned();
        assert!(!out.contains(&token), "{n}: token masked:\n{out}");
        assert_eq!(detail(&details(&out), "last name"), "Lea", "{n}");

        // Unknown id.
        let line = cli
            .run(&["users", "update", UNKNOWN_ID, "--first-name", "X"])
            .await
            .fails_with_hints(4)
            .to_owned();
        assert_eq!(
            line,
            format!("error: not found: User with id: {UNKNOWN_ID} was not found"),
            "{n}"
        );
        tidy(&c, &[user.id]).await;
    }
}

// ----- users delete --------------------------------------------------------------------------

#[tokio::test]
async fn delete_refuses_without_a_terminal_and_deletes_with_yes() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let cli = Cli::for_target(&t);
        let user = t.make_user("clidel", "cli-pass-1").await;

        // No terminal to confirm on: refused, even when stdin says yes.
        for input in [None, Some("y\n"), Some("yes\n")] {
            let run = match input {
                None => cli.run(&["users", "delete", &user.id]).await,
                Some(i) => cli.run_stdin(&["users", "delete", &user.id], i).await,
            };
            let line = run.fails_with_hints(2);
            assert!(line.contains("--yes"), "{n}: {line}");
            c.retrieve(&user.id)
                .await
                .unwrap_or_else(|e| panic!("{n}: the user still exists after {input:?}: {e}"));
        }

        let v = cli
            .run(&["users", "delete", &user.id, "--yes", "--json"])
            .await
            .json();
        assert_eq!(keys(&v), ["id", "object", "deleted"], "{n}: delete keys");
        assert_eq!(
            v,
            json!({"id": user.id, "object": "user", "deleted": true}),
            "{n}"
        );
        assert_eq!(
            c.retrieve(&user.id).await.unwrap_err().kind(),
            ErrorKind::NotFound,
            "{n}: gone"
        );

        // Human output names the user.
        let other = t.make_user("clidel2", "cli-pass-1").await;
        let out = cli
            .run(&["users", "delete", &other.id, "-y"])
            .await
            .ok()
            .to_owned();
        assert_eq!(
            out.trim_end(),
            format!("Deleted {} ({})", other.email, other.id),
            "{n}"
        );

        // The CLI looks first, so a deleted or unknown id is "not found" (Medusa's DELETE
        // alone would answer 200).
        for id in [user.id.as_str(), UNKNOWN_ID] {
            let line = cli
                .run(&["users", "delete", id, "--yes"])
                .await
                .fails_with_hints(4)
                .to_owned();
            assert_eq!(
                line,
                format!("error: not found: User with id: {id} was not found"),
                "{n}"
            );
        }
    }
}

// ----- password reset ------------------------------------------------------------------------

/// Asks for a reset token through the client (the CLI's `password-token` is covered below)
/// and waits for it.
async fn fresh_reset_token(t: &Target, email: &str) -> String {
    let known = t.reset_tokens_for(email).len();
    t.client_with(Credentials::None)
        .send_reset_password_token(email)
        .await
        .unwrap();
    t.wait_reset_token(email, known).await
}

#[tokio::test]
async fn reset_password_reads_the_new_password_from_stdin() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let user = t.make_user("clireset", "old-cli-pass-1").await;
        // No credentials at all: the route is open.
        let cli = Cli::new(&t.url);
        let token = fresh_reset_token(&t, &user.email).await;

        let v = cli
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--password-stdin",
                    "--json",
                ],
                "new-cli-pass-2\n",
            )
            .await
            .json();
        assert_eq!(keys(&v), ["user"], "{n}");
        assert_eq!(
            v["user"],
            as_json(&c.retrieve(&user.id).await.unwrap()),
            "{n}: the user, as stored"
        );
        t.client_with(Credentials::None)
            .login(&user.email, "new-cli-pass-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: the new password from stdin: {e}"));
        assert_eq!(
            t.client_with(Credentials::None)
                .login(&user.email, "old-cli-pass-1")
                .await
                .unwrap_err()
                .kind(),
            ErrorKind::Unauthorized,
            "{n}: the old password"
        );

        // A garbage token: invalid data, one line.
        let line = cli
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    "garbage",
                    "--password-stdin",
                ],
                "x-cli-pass-3\n",
            )
            .await
            .fails_with_hints(5)
            .to_owned();
        assert_eq!(line, INVALID_TOKEN, "{n}: garbage token");

        // A second token, human output.
        let token = fresh_reset_token(&t, &user.email).await;
        let out = cli
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--password-stdin",
                ],
                "new-cli-pass-4\n",
            )
            .await
            .ok()
            .to_owned();
        assert_eq!(
            out.trim_end(),
            format!(
                "Password changed for {}. Older reset tokens no longer work.",
                user.email
            ),
            "{n}"
        );
        t.client_with(Credentials::None)
            .login(&user.email, "new-cli-pass-4")
            .await
            .unwrap_or_else(|e| panic!("{n}: the second new password: {e}"));
        tidy(&c, &[user.id]).await;
    }
}

#[tokio::test]
async fn password_token_then_reset_password_with_an_email() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        let user = t.make_user("clitoken", "old-cli-pass-1").await;
        // No credentials at all: these two routes are open.
        let cli = Cli::new(&t.url);

        let run = cli
            .run(&["users", "password-token", "--email", &user.email])
            .await;
        assert_eq!(run.ok(), "", "{n}: nothing on stdout");
        assert!(
            run.stderr.contains("Requested a reset token for"),
            "{n}: {}",
            run.stderr
        );
        let token = t.wait_reset_token(&user.email, 0).await;
        // The same answer for an address nobody has.
        let nobody = t.unique_email("clitoken-nobody");
        let run = cli
            .run(&["users", "password-token", "--email", &nobody])
            .await;
        assert_eq!(run.ok(), "", "{n}: unknown e-mail");

        let v = cli
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--email",
                    &user.email,
                    "--password-stdin",
                    "--json",
                ],
                "new-cli-pass-2\n",
            )
            .await
            .json();
        assert_eq!(v["user"]["id"], json!(user.id), "{n}");
        t.client_with(Credentials::None)
            .login(&user.email, "new-cli-pass-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: the new password: {e}"));
        assert!(
            t.reset_tokens_for(&nobody).is_empty(),
            "{n}: no token for an unknown address"
        );
        tidy(&c, &[user.id]).await;
    }
}

#[tokio::test]
async fn a_spent_reset_token_exits_5() {
    for t in Target::all(0).await {
        let n = t.name;
        let user = t.make_user("clispent", "old-cli-pass-1").await;
        let cli = Cli::new(&t.url);
        let token = fresh_reset_token(&t, &user.email).await;
        let args = [
            "users",
            "reset-password",
            "--token",
            &token,
            "--password-stdin",
        ];
        cli.run_stdin(&args, "new-cli-pass-2\n").await.ok();
        let line = cli
            .run_stdin(&args, "new-cli-pass-3\n")
            .await
            .fails_with_hints(5)
            .to_owned();
        assert_eq!(line, INVALID_TOKEN, "{n}: spent token");
        tidy(&t.client(), &[user.id]).await;
    }
}

// ----- exit codes ----------------------------------------------------------------------------

#[tokio::test]
async fn bad_credentials_exit_3_and_a_login_with_email_and_password_works() {
    for t in Target::all(0).await {
        let n = t.name;
        let unauthorized = "error: unauthorized: credentials missing, wrong or expired (HTTP 401)";

        let line = Cli::new(&t.url)
            .env("MEDUSA_API_TOKEN", "not-the-token")
            .run(&["users", "list"])
            .await
            .fails_with_hints(3)
            .to_owned();
        assert_eq!(line, unauthorized, "{n}: bad token");
        // No credentials at all: the same error, and a hint on how to give some.
        let run = Cli::new(&t.url).run(&["users", "get", UNKNOWN_ID]).await;
        assert_eq!(run.fails_with_hints(3), unauthorized, "{n}: no credentials");
        assert_eq!(run.hints().len(), 1, "{n}: one hint: {}", run.stderr);
        assert!(
            run.hints()[0].contains("MEDUSA_API_TOKEN"),
            "{n}: the hint names the token variable: {}",
            run.stderr
        );

        // --email + MEDUSA_ADMIN_PASSWORD logs in first.
        let wrong = Cli::new(&t.url)
            .env("MEDUSA_ADMIN_PASSWORD", "definitely-not-it")
            .run(&["--email", &t.email, "users", "list"])
            .await;
        assert_eq!(
            wrong.fails_with_hints(3),
            "error: unauthorized: e-mail or password not accepted",
            "{n}: wrong password"
        );
        // MEDUSA_ADMIN_EMAIL is the same as --email.
        let wrong = Cli::new(&t.url)
            .env("MEDUSA_ADMIN_EMAIL", &t.email)
            .env("MEDUSA_ADMIN_PASSWORD", "definitely-not-it")
            .run(&["users", "list"])
            .await;
        assert_eq!(
            wrong.fails_with_hints(3),
            "error: unauthorized: e-mail or password not accepted",
            "{n}: wrong password via MEDUSA_ADMIN_EMAIL"
        );

        let admin = t.client().me().await.unwrap();
        let v = Cli::new(&t.url)
            .env("MEDUSA_ADMIN_PASSWORD", &t.password)
            .run(&["--email", &t.email, "users", "get", &admin.id, "--json"])
            .await
            .json();
        assert_eq!(
            v["user"]["email"],
            json!(t.email),
            "{n}: logged in with e-mail and password"
        );

        // The token as a flag (before the subcommand) works as the variable does.
        let v = Cli::new(&t.url)
            .run(&[
                "--api-token",
                &t.api_token,
                "users",
                "get",
                &admin.id,
                "--json",
            ])
            .await
            .json();
        assert_eq!(v["user"]["id"], json!(admin.id), "{n}: --api-token");
        // …and a wrong one wins over a right variable.
        let line = Cli::for_target(&t)
            .run(&["--api-token", "not-the-token", "users", "list"])
            .await
            .fails_with_hints(3)
            .to_owned();
        assert_eq!(line, unauthorized, "{n}: the flag beats the variable");
    }
}

/// Usage errors are caught before anything is sent: the server here records every request,
/// and must see none.
#[tokio::test]
async fn usage_errors_exit_2_before_anything_is_sent() {
    let server = MockServer::start().await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok");

    // Our own checks: one line each.
    let own: &[(&[&str], Option<&str>, &str)] = &[
        (
            &[
                "users",
                "create",
                "--email",
                "not-an-email",
                "--password-stdin",
            ],
            Some("pw-1\n"),
            "error: \"not-an-email\" is not a valid e-mail address",
        ),
        (
            &["users", "password-token", "--email", "a@b"],
            None,
            "error: \"a@b\" is not a valid e-mail address",
        ),
        (
            &["users", "update", UNKNOWN_ID],
            None,
            "error: nothing to update: give --first-name, --last-name, --avatar-url, --role, --api-token or \
             --metadata",
        ),
        (
            &["users", "update", UNKNOWN_ID, "--metadata", "novalue"],
            None,
            "error: --metadata \"novalue\": expected KEY=VALUE, KEY:=JSON or KEY= (to remove)",
        ),
        (
            &["users", "update", UNKNOWN_ID, "--metadata", "=v"],
            None,
            "error: --metadata \"=v\": empty key",
        ),
        (
            &["users", "update", UNKNOWN_ID, "--metadata", "k:={nope"],
            None,
            "error: --metadata \"k:={nope\": the value is not JSON",
        ),
        (
            &["users", "delete", UNKNOWN_ID],
            None,
            "error: refusing to delete without confirmation: stdin is not a terminal; pass --yes",
        ),
        (
            &["users", "reset-password", "--password-stdin"],
            Some("pw-1\n"),
            "error: with --password-stdin, give the token with --token (stdin carries the \
             password)",
        ),
        (
            &["users", "reset-password"],
            None,
            "error: no terminal to ask for the token on: pass --token",
        ),
        (
            &[
                "users",
                "reset-password",
                "--token",
                " ",
                "--password-stdin",
            ],
            Some("pw-1\n"),
            "error: the reset token is empty",
        ),
        (
            &["-H", "no colon here", "users", "list"],
            None,
            "error: header \"no colon here\" is not of the form 'Name: value'",
        ),
    ];
    for (args, input, expected) in own {
        let run = match input {
            Some(i) => cli.run_stdin(args, i).await,
            None => cli.run(args).await,
        };
        let line = run.fails_with_hints(2);
        assert!(
            line.starts_with(expected),
            "{}: expected {expected:?}, got {line:?}",
            run.what
        );
    }
    let line = Cli::bare()
        .run(&["--url", "ftp://example.com", "users", "list"])
        .await
        .fails_with_hints(2)
        .to_owned();
    assert!(line.contains("unsupported URL scheme"), "{line}");

    // clap's own: `error: …` first, then its usage hint.
    let clap: &[(&[&str], &str)] = &[
        (&["users", "list", "--bogus"], "--bogus"),
        (&["users", "list", "--all", "--limit", "5"], "--all"),
        (&["users", "list", "--order", "bogus"], "bogus"),
        (&["users", "list", "--role", "owner"], "owner"),
        (&["users", "list", "--limit", "-1"], "-1"),
        (&["users", "frobnicate"], "frobnicate"),
        (&["users", "get"], "<ID>"),
        // There is no way to put a password on the command line.
        (
            &[
                "users",
                "create",
                "--email",
                "ok@example.com",
                "--password",
                "pw",
            ],
            "--password",
        ),
        (&["--timeout", "0", "users", "list"], "timeout"),
        (&["--max-retries", "many", "users", "list"], "many"),
    ];
    for (args, mentions) in clap {
        let run = cli.run(args).await;
        let stderr = run.usage_error();
        assert!(
            stderr.contains(mentions),
            "{}: {stderr:?} should mention {mentions:?}",
            run.what
        );
    }

    let received = server.received_requests().await.unwrap();
    assert!(
        received.is_empty(),
        "usage errors must not reach the server: {:?}",
        received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
}

/// The same, for commands that take an `--email` of their own.
#[tokio::test]
async fn usage_errors_of_commands_with_an_email_exit_2() {
    let server = MockServer::start().await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok");
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (
            &["users", "create", "--email", "ok@example.com"],
            None,
            "error: no terminal to ask for the password on: pass it on standard input with \
             --password-stdin",
        ),
        (
            &[
                "users",
                "create",
                "--email",
                "ok@example.com",
                "--password-stdin",
            ],
            Some(""),
            "error: the password is empty; Medusa would make a user who can never log in",
        ),
        (
            &[
                "users",
                "reset-password",
                "--token",
                "t",
                "--email",
                "nope",
                "--password-stdin",
            ],
            Some("pw-1\n"),
            "error: \"nope\" is not a valid e-mail address",
        ),
    ];
    for (args, input, expected) in cases {
        let run = match input {
            Some(i) => cli.run_stdin(args, i).await,
            None => cli.run(args).await,
        };
        assert_eq!(run.fails_with_hints(2), *expected, "{}", run.what);
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "usage errors must not reach the server"
    );
}

#[tokio::test]
async fn unknown_ids_exit_4() {
    for t in Target::all(0).await {
        let n = t.name;
        let cli = Cli::for_target(&t);
        for args in [
            vec!["users", "get", UNKNOWN_ID],
            vec!["users", "delete", UNKNOWN_ID, "--yes"],
            vec!["users", "update", UNKNOWN_ID, "--role", "member"],
        ] {
            let run = cli.run(&args).await;
            assert_eq!(
                run.fails_with_hints(4),
                format!("error: not found: User with id: {UNKNOWN_ID} was not found"),
                "{n}: {}",
                run.what
            );
        }
    }
}

#[tokio::test]
async fn a_server_error_exits_6() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(unknown_error())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "text/html",
        ))
        .mount(&server)
        .await;
    let cli = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok");
    for args in [
        &["users", "list"][..],
        &["users", "get", UNKNOWN_ID],
        &["users", "list", "--all", "--json"],
    ] {
        let run = cli.run(args).await;
        assert_eq!(
            run.fails_with_hints(6),
            "error: server error (HTTP 500): An unknown error occurred.",
            "{}",
            run.what
        );
    }
    // A proxy's HTML page: one readable line, after the retries.
    let run = cli
        .run(&[
            "--max-retries",
            "0",
            "users",
            "update",
            UNKNOWN_ID,
            "--role",
            "admin",
        ])
        .await;
    assert_eq!(
        run.fails_with_hints(6),
        "error: server error (HTTP 502): an HTML error page: 502 Bad Gateway",
        "{}",
        run.what
    );
}

#[tokio::test]
async fn network_failures_and_timeouts_exit_7() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let expected = format!("error: network error: cannot connect to 127.0.0.1:{port}: ");
    // With and without retries (the default retries a refused connection twice).
    for retries in ["0", "2"] {
        let run = Cli::new(&url)
            .env("MEDUSA_API_TOKEN", "tok")
            .run(&["--max-retries", retries, "users", "list"])
            .await;
        let line = run.fails_with_hints(7);
        assert!(
            line.starts_with(&expected) && line.contains("refused"),
            "{}: {line}",
            run.what
        );
    }
    // Logging in fails the same way.
    let run = Cli::new(&url)
        .env("MEDUSA_ADMIN_PASSWORD", "pw")
        .run(&[
            "--max-retries",
            "0",
            "--email",
            "a@example.com",
            "users",
            "list",
        ])
        .await;
    assert!(
        run.fails_with_hints(7).starts_with(&expected),
        "{}",
        run.what
    );

    // No answer in time.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let run = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok")
        .run(&["--timeout", "300ms", "--max-retries", "0", "users", "list"])
        .await;
    assert_eq!(
        run.fails_with_hints(7),
        "error: timed out after 0.3 s",
        "{}",
        run.what
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout was honoured: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn extra_headers_go_with_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .and(header("x-trace", "cli-contract"))
        .and(header("x-medusa-access-token", "tok"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"users": [], "count": 0, "offset": 0, "limit": 50})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let run = Cli::new(&server.uri())
        .env("MEDUSA_VERSION", "1")
        .env("MEDUSA_API_TOKEN", "tok")
        .run(&["-H", "X-Trace: cli-contract", "users", "list"])
        .await;
    assert_eq!(
        run.ok().lines().collect::<Vec<_>>(),
        ["ID  EMAIL  NAME  ROLE  CREATED"],
        "an empty table"
    );
    assert_eq!(run.stderr.trim(), "no users");
}

// ----- the sandbox ---------------------------------------------------------------------------

/// `--sandbox` starts the embedded backend on the user's data directory: 137 sample users plus
/// the admin on a new database, kept for the next run.
#[tokio::test]
async fn the_sandbox_flag_serves_seeded_sample_users_and_keeps_them() {
    let cli = Cli::bare();
    let v = cli
        .run(&["--sandbox", "users", "list", "--all", "--json"])
        .await
        .json();
    let users = v["users"].as_array().unwrap();
    let samples = users
        .iter()
        .filter(|u| u["email"] != json!(medusa_users::sandbox::ADMIN_EMAIL))
        .count();
    assert_eq!(samples, 137, "137 sample users");
    assert_eq!(users.len(), 138, "and the admin");
    assert_eq!(v["count"], json!(138));
    let db = cli.home().join("data/medusa-users/sandbox.sqlite3");
    assert!(db.is_file(), "the database is in XDG_DATA_HOME: {db:?}");

    let run = cli.run(&["--sandbox", "users", "list"]).await;
    assert_eq!(run.ok().lines().count(), 51, "header + the default 50");
    assert_eq!(run.stderr.trim(), "1–50 of 138");

    // The next run sees what this one did.
    let sample = users
        .iter()
        .find(|u| u["email"] != json!(medusa_users::sandbox::ADMIN_EMAIL))
        .unwrap();
    let id = sample["id"].as_str().unwrap();
    cli.run(&[
        "--sandbox",
        "users",
        "update",
        id,
        "--first-name",
        "Persisted",
    ])
    .await
    .ok();
    let v = cli
        .run(&["--sandbox", "users", "get", id, "--json"])
        .await
        .json();
    assert_eq!(
        v["user"]["first_name"],
        json!("Persisted"),
        "the database persisted"
    );
    assert_eq!(
        cli.run(&["--sandbox", "users", "list", "--json"])
            .await
            .json()["count"],
        json!(138),
        "and was not seeded again"
    );
}

/// A `medusa-users sandbox` child running in the foreground, its start banner read.
struct Foreground {
    child: tokio::process::Child,
    stdout: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    banner: Vec<String>,
    url: String,
}

impl Foreground {
    async fn start(cli: &Cli, addr: &str, data: &std::path::Path, seed: &str) -> Foreground {
        let mut child = cli
            .command(&[
                "sandbox",
                "--addr",
                addr,
                "--data",
                data.to_str().unwrap(),
                "--seed",
                seed,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = Vec::new();
        let read_banner = async {
            while let Some(line) = stdout.next_line().await.unwrap() {
                let done = line == "Press Ctrl-C to stop.";
                banner.push(line);
                if done {
                    return true;
                }
            }
            false
        };
        let complete = tokio::time::timeout(Duration::from_secs(20), read_banner)
            .await
            .unwrap_or_else(|_| panic!("no start banner within 20 s; so far: {banner:?}"));
        assert!(complete, "the sandbox exited during start: {banner:?}");
        Foreground {
            child,
            stdout,
            banner,
            url: format!("http://{addr}"),
        }
    }

    fn line(&self, prefix: &str) -> &str {
        self.banner
            .iter()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} line in:\n{}", self.banner.join("\n")))
    }

    /// SIGTERM to the sandbox this test started (by its pid), then its clean exit and goodbye;
    /// a kill if it does not stop in time.
    async fn stop(mut self) {
        let pid = self.child.id().expect("still running").to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "could not send SIGTERM to {pid}");
        match tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await {
            Ok(status) => assert!(status.unwrap().success(), "the sandbox exits 0 on SIGTERM"),
            Err(_) => {
                let _ = self.child.start_kill();
                panic!("the sandbox did not stop within 10 s of SIGTERM");
            }
        }
        let mut rest = Vec::new();
        while let Ok(Some(line)) = self.stdout.next_line().await {
            rest.push(line);
        }
        assert!(
            rest.iter().any(|l| l == "Stopping the sandbox…"),
            "says it stops: {rest:?}"
        );
    }
}

/// `medusa-users sandbox` in the foreground: says where it listens and how to log in, serves
/// the CLI, stops cleanly on SIGTERM, and finds its data again on the next start.
#[tokio::test]
async fn the_sandbox_command_prints_its_url_and_login_and_serves() {
    use medusa_users::sandbox::{ADMIN_API_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fg.sqlite3");
    let addr = format!("127.0.0.1:{}", closed_port());
    let cli = Cli::bare();

    let sandbox = Foreground::start(&cli, &addr, &data, "5").await;
    let url = sandbox.url.clone();
    assert_eq!(
        sandbox.banner[0],
        format!("Medusa v1 sandbox listening on {url}"),
        "the first line says where"
    );
    assert_eq!(
        sandbox.line("  admin login"),
        format!("  admin login  {ADMIN_EMAIL} / {ADMIN_PASSWORD}")
    );
    assert_eq!(
        sandbox.line("  API token"),
        format!("  API token    {ADMIN_API_TOKEN}  (header x-medusa-access-token)")
    );
    assert!(
        sandbox
            .line("  data")
            .starts_with(&format!("  data         {}", data.display())),
        "{:?}",
        sandbox.banner
    );
    assert!(
        sandbox.line("  sample users").contains(" 5 "),
        "{:?}",
        sandbox.banner
    );

    // It serves: the seeded users, to a token and to a login.
    let v = Cli::new(&url)
        .env("MEDUSA_API_TOKEN", ADMIN_API_TOKEN)
        .run(&["users", "list", "--json"])
        .await
        .json();
    assert_eq!(v["count"], json!(6), "5 samples and the admin");
    let admin = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == json!(ADMIN_EMAIL))
        .expect("the admin is listed");
    let admin_id = admin["id"].as_str().unwrap().to_owned();
    let v = Cli::new(&url)
        .env("MEDUSA_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .run(&["--email", ADMIN_EMAIL, "users", "get", &admin_id, "--json"])
        .await
        .json();
    assert_eq!(v["user"]["id"], json!(admin_id), "by login");
    assert!(data.is_file(), "the database is where --data says");
    sandbox.stop().await;

    // Started again on the same file: the same users, not seeded twice.
    let sandbox = Foreground::start(&cli, &addr, &data, "5").await;
    let v = Cli::new(&sandbox.url)
        .env("MEDUSA_API_TOKEN", ADMIN_API_TOKEN)
        .run(&["users", "get", &admin_id, "--json"])
        .await
        .json();
    assert_eq!(v["user"]["email"], json!(ADMIN_EMAIL), "the same admin");
    let v = Cli::new(&sandbox.url)
        .env("MEDUSA_API_TOKEN", ADMIN_API_TOKEN)
        .run(&["users", "list", "--json"])
        .await
        .json();
    assert_eq!(v["count"], json!(6), "not seeded again");
    sandbox.stop().await;
}
