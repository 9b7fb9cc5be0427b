//! The `users` verbs on Medusa v2 backends, through the real binary (issue 9): the same verbs
//! as on v1, deciding what a flag may do from the server's capabilities. The backend comes from
//! [`support::v2::backends`] (a stateful fake shaped after the v2 recordings, the v2
//! sandbox or a real 2.21.2 with `MEDUSA_V2_URL`), and every mutation is checked on the
//! server's state through the client afterwards.
//!
//! Covered: no ROLE column and `--role`/`--order role` refused before the list is sent;
//! the `%`/`_` note; `users get me` with a session and with a secret key (4); `--avatar-url`
//! and v2's shallow metadata merge; the three-step create, shown on stderr, lower-cased, and
//! finished by running it again; delete's warnings, its secret-key listing and
//! `--revoke-keys`; self-delete refused; `password-token` sent or minted (`--print`, with a
//! dashboard link), and the reset applied, checked before a token is spent; `--verbose`;
//! `users list --email`; the `%`/`_` note on `invites list --search`; Ctrl-C during a create
//! (exit 130, the leftovers named with how to remove them, and a rerun that finishes); and the
//! binary's own `sandbox --medusa-version 2`.

mod support;

use medusa_users::api::{Credentials, ErrorKind};
use serde_json::{Value, json};
use support::cli::{detail, details, fails_saying, keys};
use support::v2::{V2, backends, register_login};

/// A v2 user's keys, in the order 2.21.2 sends them (recordings 01, 07).
const V2_USER_KEYS: [&str; 9] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "avatar_url",
    "metadata",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// The fake saw no request but these (the dialect probe is allowed: it reads nothing).
async fn sent_nothing_but_the_probe(v2: &V2, mark: usize, what: &str) {
    if let Some(sent) = v2.sent_since(mark).await {
        let other: Vec<&String> = sent
            .iter()
            .filter(|r| !r.starts_with("GET /auth/user/providers"))
            .collect();
        assert!(other.is_empty(), "{what}: sent {other:?}");
    }
}

// ----- users list ----------------------------------------------------------------------------

#[tokio::test]
async fn list_has_no_role_column_and_refuses_what_v2_cannot_do_before_sending() {
    for v2 in backends().await {
        let cli = v2.cli();
        let made = v2.make_user("v2list", "v2-pass-123").await;

        let run = cli.run(&["users", "list", "--limit", "500"]).await;
        let out = run.ok();
        let header = out.lines().next().unwrap_or_default();
        assert_eq!(
            header.split_whitespace().collect::<Vec<_>>(),
            ["ID", "EMAIL", "NAME", "CREATED"],
            "{run}"
        );
        assert!(out.contains(&made.email), "{run}");
        assert!(!out.contains("—  —"), "no empty role cells: {run}");

        let v = cli.run(&["users", "list", "--json"]).await.json();
        assert_eq!(keys(&v), ["users", "count", "offset", "limit"]);
        for user in v["users"].as_array().unwrap() {
            assert_eq!(keys(user), V2_USER_KEYS, "{user}");
        }

        // --role and --order role: usage errors that name the flag, and the list is not sent.
        for (args, text) in [
            (
                &["users", "list", "--role", "admin"][..],
                "--role: this server (Medusa v2) has no user roles",
            ),
            (
                &["users", "list", "--order", "-role"],
                "--order -role: this server (Medusa v2) cannot sort users by role; choose one of \
             created_at, updated_at, email, first_name, last_name",
            ),
        ] {
            let mark = v2.mark().await;
            let run = cli.run(args).await;
            fails_saying(&run, 2, text);
            sent_nothing_but_the_probe(&v2, mark, &run.what).await;
        }

        // What v2 can sort by works.
        let v = cli
            .run(&[
                "users", "list", "--order", "-email", "--json", "--limit", "500",
            ])
            .await
            .json();
        let emails: Vec<&str> = v["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["email"].as_str())
            .collect();
        let mut sorted = emails.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(emails, sorted);

        // % and _ match anything on v2: said once, on stderr; the rows still come.
        let run = cli.run(&["users", "list", "--search", "v2list_"]).await;
        run.ok();
        let notes: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.contains("% and _"))
            .collect();
        assert_eq!(notes.len(), 1, "{run}");
        let run = cli.run(&["users", "list", "--search", "v2list"]).await;
        assert!(!run.stderr.contains("% and _"), "{run}");
    }
}

/// `users list --email` on v2: the exact address, case aside (the CLI lower-cases it, as v2
/// stores it), one row; another address matches nothing; `--json` is the server's page.
#[tokio::test]
async fn list_by_email_finds_exactly_that_user() {
    for v2 in backends().await {
        let cli = v2.cli();
        let made = v2.make_user("v2email", "v2-pass-123").await;
        let other = v2.make_user("v2email", "v2-pass-123").await;

        let run = cli
            .run(&["users", "list", "--email", &made.email.to_uppercase()])
            .await;
        let rows: Vec<&str> = run.ok().lines().skip(1).collect();
        assert_eq!(rows.len(), 1, "{}: {run}", v2.name);
        assert!(
            rows[0].contains(&made.id) && rows[0].contains(&made.email),
            "{run}"
        );
        assert!(!run.stdout.contains(&other.email), "{run}");
        let v = cli
            .run(&["users", "list", "--email", &other.email, "--json"])
            .await
            .json();
        assert_eq!(v["count"], 1, "{}: {v}", v2.name);
        assert_eq!(v["users"][0]["id"], other.id.as_str(), "{v}");
        let v = cli
            .run(&[
                "users",
                "list",
                "--email",
                &v2.unique_email("v2nobody"),
                "--json",
            ])
            .await
            .json();
        assert_eq!(v["count"], 0, "{}: {v}", v2.name);
        if let Some(sent) = v2.sent().await {
            assert!(
                sent.iter().any(|r| r.starts_with("GET /admin/users?")
                    && r.contains(&format!("email={}", made.email.replace('@', "%40")))),
                "the filter went to the server, lower-cased: {sent:?}"
            );
        }
    }
}

/// `invites list --search` with % or _ on v2: the server's search does not escape them, so the
/// CLI says so once on stderr (as `users list` does); rows still come, and plain text gets no
/// note.
#[tokio::test]
async fn invites_search_with_wildcards_says_so() {
    for v2 in backends().await {
        let cli = v2.cli();
        let email = v2.unique_email("v2inv_wild");
        cli.run(&["invites", "create", "--email", &email])
            .await
            .ok();
        let run = cli
            .run(&["invites", "list", "--search", "v2inv_wild"])
            .await;
        assert!(run.ok().contains(&email), "{}: {run}", v2.name);
        let notes: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.contains("% and _") && l.contains("more invites may match"))
            .collect();
        assert_eq!(notes.len(), 1, "{}: {run}", v2.name);
        // The e-mail's own `_` would match anything too: search by the part after it.
        let plain = email
            .split('@')
            .next()
            .and_then(|local| local.rsplit('_').next())
            .unwrap_or_default();
        let run = cli.run(&["invites", "list", "--search", plain]).await;
        assert!(run.ok().contains(&email), "{}: {run}", v2.name);
        assert!(!run.stderr.contains("% and _"), "{}: {run}", v2.name);
        if let Some(invite) = v2.pending_invites_for(&email).await.first() {
            v2.client().revoke_invite(&invite.id).await.unwrap();
        }
    }
}

// ----- users get me --------------------------------------------------------------------------

#[tokio::test]
async fn get_me_is_the_signed_in_user_and_a_secret_key_is_nobody() {
    for v2 in backends().await {
        let run = v2.password_cli().run(&["users", "get", "me"]).await;
        let pairs = details(run.ok());
        assert_eq!(detail(&pairs, "email"), Some(v2.email.as_str()), "{run}");
        // The view has the fields v2 users have: no role, no API token; an avatar.
        assert_eq!(detail(&pairs, "role"), None, "{run}");
        assert_eq!(detail(&pairs, "api token"), None, "{run}");
        assert!(detail(&pairs, "avatar url").is_some(), "{run}");
        let v = v2
            .password_cli()
            .run(&["users", "get", "me", "--json"])
            .await
            .json();
        assert_eq!(keys(&v["user"]), V2_USER_KEYS);

        let run = v2.cli().run(&["users", "get", "me"]).await;
        fails_saying(
            &run,
            4,
            "signed in with a secret API key, which belongs to no user",
        );
        // A key that does not work is a 3, not "belongs to no user".
        let run = v2
            .anonymous_cli()
            .env(
                "MEDUSA_API_TOKEN",
                "sk_0000000000000000000000000000000000000000000000000000000000000000",
            )
            .run(&["users", "get", "me"])
            .await;
        assert_eq!(run.code, 3, "{run}");
    }
}

// ----- users update --------------------------------------------------------------------------

#[tokio::test]
async fn update_sets_the_avatar_and_merges_metadata_one_level_deep() {
    for v2 in backends().await {
        let cli = v2.cli();
        let c = v2.client();
        let user = v2.make_user("v2upd", "v2-pass-123").await;

        let run = cli
            .run(&[
                "users",
                "update",
                &user.id,
                "--avatar-url",
                "https://example.invalid/a.png",
                "--metadata",
                "team=ops",
                "--metadata",
                r#"prefs:={"theme":"dark","size":2}"#,
            ])
            .await;
        let pairs = details(run.ok());
        assert_eq!(
            detail(&pairs, "avatar url"),
            Some("https://example.invalid/a.png"),
            "{run}"
        );
        let stored = c.retrieve(&user.id).await.unwrap();
        assert_eq!(
            stored.avatar_url.as_deref(),
            Some("https://example.invalid/a.png")
        );
        assert_eq!(
            Value::Object(stored.metadata.clone().unwrap()),
            json!({"team": "ops", "prefs": {"theme": "dark", "size": 2}})
        );

        // A nested object replaces the stored one whole; KEY= removes a key; "" clears the avatar.
        let v = cli
            .run(&[
                "users",
                "update",
                &user.id,
                "--metadata",
                r#"prefs:={"size":3}"#,
                "--metadata",
                "team=",
                "--avatar-url",
                "",
                "--json",
            ])
            .await
            .json();
        assert_eq!(keys(&v["user"]), V2_USER_KEYS);
        let stored = c.retrieve(&user.id).await.unwrap();
        assert_eq!(stored.avatar_url, None);
        assert_eq!(
            Value::Object(stored.metadata.unwrap()),
            json!({"prefs": {"size": 3}})
        );

        // What v2 users do not have: refused before the update is sent.
        for (args, text) in [
            (
                vec!["users", "update", user.id.as_str(), "--role", "admin"],
                "--role: this server (Medusa v2) has no user roles",
            ),
            (
                vec!["users", "update", user.id.as_str(), "--api-token", "t"],
                "--api-token: this server (Medusa v2) has no per-user API tokens",
            ),
        ] {
            let mark = v2.mark().await;
            let run = cli.run(&args).await;
            fails_saying(&run, 2, text);
            sent_nothing_but_the_probe(&v2, mark, &run.what).await;
        }

        let help = cli.run(&["users", "update", "--help"]).await;
        let flowing = help.ok().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flowing.contains("one level deep")
                && flowing.contains("a nested object you send replaces the stored one whole")
                && flowing.contains("KEY= removes the key"),
            "{flowing}"
        );
    }
}

// ----- users create --------------------------------------------------------------------------

#[tokio::test]
async fn create_runs_invite_register_accept_step_by_step() {
    for v2 in backends().await {
        let cli = v2.cli();
        let email = v2
            .unique_email("V2New")
            .replace("example.com", "Example.COM");
        let lower = email.to_lowercase();

        let run = cli
            .run_stdin(
                &[
                    "users",
                    "create",
                    "--email",
                    &email,
                    "--first-name",
                    "Ada",
                    "--password-stdin",
                ],
                "v2-pass-123\n",
            )
            .await;
        let pairs = details(run.ok());
        assert_eq!(detail(&pairs, "email"), Some(lower.as_str()), "{run}");
        assert_eq!(detail(&pairs, "first name"), Some("Ada"), "{run}");
        let steps: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("step "))
            .collect();
        assert_eq!(
            steps,
            [
                "step 1/3: invite…",
                "step 2/3: register the login…",
                "step 3/3: accept the invite…"
            ],
            "{run}"
        );
        // One user, no invite left, and the new login works.
        assert_eq!(v2.users_with_email(&lower).await.len(), 1);
        assert!(v2.pending_invites_for(&lower).await.is_empty());
        v2.client_with(Credentials::None)
            .login(&lower, "v2-pass-123")
            .await
            .unwrap();

        // Run again: the same user, not a second one (the create is idempotent).
        let v = cli
            .run_stdin(
                &[
                    "users",
                    "create",
                    "--email",
                    &email,
                    "--password-stdin",
                    "--json",
                ],
                "v2-pass-123\n",
            )
            .await
            .json();
        assert_eq!(keys(&v["user"]), V2_USER_KEYS);
        assert_eq!(v2.users_with_email(&lower).await.len(), 1);

        // Refused before anything is sent: a role, a password v2 would take but we do not.
        for (args, input, text) in [
            (
                vec![
                    "users",
                    "create",
                    "--email",
                    "r@example.com",
                    "--role",
                    "admin",
                    "--password-stdin",
                ],
                "v2-pass-123\n",
                "--role: this server (Medusa v2) has no user roles",
            ),
            (
                vec![
                    "users",
                    "create",
                    "--email",
                    "r@example.com",
                    "--password-stdin",
                ],
                "short\n",
                "at least 8 characters",
            ),
        ] {
            let mark = v2.mark().await;
            let run = cli.run_stdin(&args, input).await;
            fails_saying(&run, 2, text);
            sent_nothing_but_the_probe(&v2, mark, &run.what).await;
        }
    }
}

#[tokio::test]
async fn an_interrupted_create_says_where_it_stopped_and_running_it_again_finishes() {
    for v2 in backends().await {
        let cli = v2.cli();

        // Left by an earlier run that stopped after step 2: a pending invite and a login with
        // this password, but no user.
        let email = v2.unique_email("v2resume");
        v2.client()
            .create_invite(&medusa_users::api::CreateInvite {
                email: email.clone(),
                role: None,
            })
            .await
            .unwrap();
        let registered = register_login(&v2.url, &email, "v2-pass-123").await;
        assert!(registered.status().is_success());
        let run = cli
            .run_stdin(
                &["users", "create", "--email", &email, "--password-stdin"],
                "v2-pass-123\n",
            )
            .await;
        run.ok();
        assert_eq!(v2.users_with_email(&email).await.len(), 1, "{run}");
        assert!(v2.pending_invites_for(&email).await.is_empty(), "{run}");

        // A login for the address exists with another password: step 2 cannot go on. The error
        // names the step, that the invite is pending, and what to do; nothing is printed on stdout.
        let email = v2.unique_email("v2stuck");
        let registered = register_login(&v2.url, &email, "someone-elses-1").await;
        assert!(registered.status().is_success());
        let run = cli
            .run_stdin(
                &["users", "create", "--email", &email, "--password-stdin"],
                "v2-pass-123\n",
            )
            .await;
        assert_eq!(run.code, 5, "{run}");
        assert!(run.stdout.is_empty(), "{run}");
        let error = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_default();
        for text in [
            "create stopped at step 2/3 (register the login)",
            "already exists with another password",
        ] {
            assert!(error.contains(text), "{text:?}:\n{run}");
        }
        let hint = run.hints().join("\n");
        for text in [
            &format!("the invite for {email} is pending"),
            "run the same command again (same e-mail and password) to finish",
            "revoke the invite",
        ] {
            assert!(hint.contains(text), "{text:?}:\n{run}");
        }
        assert!(run.stderr.contains("step 1/3: invite…"), "{run}");
        assert_eq!(v2.users_with_email(&email).await.len(), 0);
        assert_eq!(v2.pending_invites_for(&email).await.len(), 1);
    }
}

// ----- users delete --------------------------------------------------------------------------

#[tokio::test]
async fn delete_warns_about_sessions_names_the_users_keys_and_revokes_them_when_asked() {
    for v2 in backends().await {
        let cli = v2.cli();

        // Without --revoke-keys: deleted, and told that sessions and keys live on.
        let user = v2.make_user("v2del", "v2-pass-123").await;
        let key = v2
            .secret_key_of(&user.email, "v2-pass-123", "deploy \u{1b}[31mbot")
            .await;
        let run = cli.run(&["users", "delete", &user.id, "--yes"]).await;
        assert_eq!(
            run.ok().trim_end(),
            format!("Deleted {} ({})", user.email, user.id)
        );
        let warnings: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("existing sessions stay valid until they expire (up to 24 h")),
            "{run}"
        );
        let keys_line = warnings
            .iter()
            .find(|w| w.contains("still work"))
            .unwrap_or_else(|| panic!("a warning about the keys:\n{run}"));
        // By title (neutralised) and redacted token, never the token itself.
        assert!(keys_line.contains(r#""deploy \e[31mbot" (sk_"#), "{run}");
        assert!(keys_line.contains("***"), "{run}");
        assert!(
            !v2.key_revoked(&key).await,
            "not revoked without --revoke-keys"
        );
        assert_eq!(
            v2.client().retrieve(&user.id).await.unwrap_err().kind(),
            ErrorKind::NotFound
        );

        // With --revoke-keys: each revoked key is reported, then the delete.
        let user = v2.make_user("v2delk", "v2-pass-123").await;
        let k1 = v2.secret_key_of(&user.email, "v2-pass-123", "ci").await;
        let k2 = v2.secret_key_of(&user.email, "v2-pass-123", "backup").await;
        let run = cli
            .run(&["users", "delete", &user.id, "--yes", "--revoke-keys"])
            .await;
        let lines: Vec<&str> = run.ok().lines().collect();
        assert_eq!(lines.len(), 3, "{run}");
        assert!(
            lines[0].starts_with(r#"Revoked secret API key "ci" (sk_"#),
            "{run}"
        );
        assert!(
            lines[1].starts_with(r#"Revoked secret API key "backup" (sk_"#),
            "{run}"
        );
        assert_eq!(lines[2], format!("Deleted {} ({})", user.email, user.id));
        assert!(v2.key_revoked(&k1).await && v2.key_revoked(&k2).await);
        assert!(!run.stderr.contains("still work"), "{run}");

        // --json stays the server's delete shape; the revocations go to stderr.
        let user = v2.make_user("v2delj", "v2-pass-123").await;
        let k3 = v2.secret_key_of(&user.email, "v2-pass-123", "json").await;
        let run = cli
            .run(&[
                "users",
                "delete",
                &user.id,
                "--yes",
                "--revoke-keys",
                "--json",
            ])
            .await;
        assert_eq!(
            run.json(),
            json!({"id": user.id, "object": "user", "deleted": true})
        );
        assert!(
            run.stderr.contains(r#"Revoked secret API key "json""#),
            "{run}"
        );
        assert!(v2.key_revoked(&k3).await);

        // Yourself: refused before the delete is sent (v2 would answer 400 anyway).
        let me = v2.client_with(Credentials::None);
        me.login(&v2.email, &v2.password).await.unwrap();
        let my_id = me.me().await.unwrap().id;
        let mark = v2.mark().await;
        let run = v2
            .password_cli()
            .run(&["users", "delete", &my_id, "--yes"])
            .await;
        fails_saying(
            &run,
            2,
            "is you: this server does not let an admin delete their own account",
        );
        if let Some(sent) = v2.sent_since(mark).await {
            assert!(
                !sent.iter().any(|r| r.starts_with("DELETE")),
                "no delete sent: {sent:?}"
            );
        }
    }
}

// ----- password tokens and resets ------------------------------------------------------------

#[tokio::test]
async fn password_tokens_are_sent_or_minted_and_a_reset_is_checked_before_the_token_is_spent() {
    for v2 in backends().await {
        let cli = v2.cli();
        let user = v2.make_user("v2reset", "v2-pass-123").await;

        // Sent by e-mail: nothing on stdout, and the token never shows.
        let run = v2
            .anonymous_cli()
            .run(&["users", "password-token", "--email", &user.email])
            .await;
        assert_eq!(run.ok(), "", "{run}");
        assert!(run.stderr.contains("Requested a reset token"), "{run}");
        if let Some(fake) = &v2.fake {
            let sent = fake.with(|s| s.reset_events.len());
            assert_eq!(sent, 1, "the server made one token");
            let token = fake.with(|s| s.reset_events[0].1.clone());
            assert!(!run.stderr.contains(&token) && !run.stdout.contains(&token));
        }

        // Minted and printed: the token, then the dashboard link; validity on stderr.
        let run = cli
            .run(&[
                "users",
                "password-token",
                "--id",
                &user.id,
                "--print",
                "--admin-url",
                "https://shop.example.com/app/",
            ])
            .await;
        let lines: Vec<&str> = run.ok().lines().collect();
        assert_eq!(lines.len(), 2, "{run}");
        let token = lines[0].to_owned();
        assert_eq!(token.split('.').count(), 3, "a JWT: {run}");
        let email_q = user.email.replace('@', "%40");
        assert_eq!(
            lines[1],
            format!("https://shop.example.com/app/reset-password?token={token}&email={email_q}")
        );
        assert!(run.stderr.contains("valid until"), "{run}");
        assert!(run.stderr.contains("works once"), "{run}");

        // A too-short password is refused before sending: the token stays good.
        let mark = v2.mark().await;
        let run = v2
            .anonymous_cli()
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--password-stdin",
                ],
                "short\n",
            )
            .await;
        fails_saying(
            &run,
            2,
            "at least 8 characters; nothing was sent, so the token still works",
        );
        if let Some(sent) = v2.sent_since(mark).await {
            assert!(
                !sent
                    .iter()
                    .any(|r| r.contains("/auth/user/emailpass/update")),
                "{sent:?}"
            );
        }
        let run = v2
            .anonymous_cli()
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--password-stdin",
                    "--json",
                ],
                "v2-pass-456\n",
            )
            .await;
        assert_eq!(run.json(), json!({"success": true}), "{run}");
        v2.client_with(Credentials::None)
            .login(&user.email, "v2-pass-456")
            .await
            .unwrap();

        // Spent now: 5. Minted by e-mail address, with the human sentence.
        let run = v2
            .anonymous_cli()
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--password-stdin",
                ],
                "v2-pass-789\n",
            )
            .await;
        fails_saying(
            &run,
            5,
            "the reset token is invalid, expired or already used",
        );
        let run = cli
            .run(&["users", "password-token", "--email", &user.email, "--print"])
            .await;
        let token = run.ok().trim_end().to_owned();
        let run = v2
            .anonymous_cli()
            .run_stdin(
                &[
                    "users",
                    "reset-password",
                    "--token",
                    &token,
                    "--email",
                    &user.email,
                    "--password-stdin",
                ],
                "v2-pass-789\n",
            )
            .await;
        assert_eq!(
            run.ok().trim_end(),
            "Password changed; log in with the new password. Older reset tokens no longer work.",
            "{run}"
        );
        assert!(
            run.stderr
                .contains("takes the e-mail from the token; --email is not sent"),
            "{run}"
        );

        // Nobody has that address: 4.
        let run = cli
            .run(&[
                "users",
                "password-token",
                "--email",
                "nobody-v2@example.com",
                "--print",
            ])
            .await;
        fails_saying(&run, 4, "no user has the e-mail nobody-v2@example.com");
    }
}

// ----- --verbose -----------------------------------------------------------------------------

#[tokio::test]
async fn verbose_says_which_medusa_and_how_it_was_decided() {
    for v2 in backends().await {
        let url = v2.url.trim_end_matches('/').to_owned();
        for (cli, args, how) in [
            (v2.cli(), vec!["-v", "users", "list"], "detected"),
            (v2.cli(), vec!["users", "list", "--verbose"], "detected"),
            (
                v2.cli(),
                vec!["--medusa-version", "2", "users", "list", "-v"],
                "--medusa-version 2",
            ),
            (
                v2.cli().env("MEDUSA_VERSION", "2"),
                vec!["-v", "users", "list"],
                "MEDUSA_VERSION=2",
            ),
            (v2.cli(), vec!["-v", "invites", "list"], "detected"),
        ] {
            let run = cli.run(&args).await;
            run.ok();
            let line = format!("Medusa v2 at {url} ({how})");
            assert_eq!(
                run.stderr.lines().filter(|l| *l == line).count(),
                1,
                "{line:?}\n{run}"
            );
        }
        // Without -v, no such line.
        let run = v2.cli().run(&["users", "list"]).await;
        assert!(!run.stderr.contains("Medusa v2 at"), "{run}");
    }
}

// ----- Ctrl-C during a create ----------------------------------------------------------------

/// Ctrl-C while a v2 create waits on step 2 (register) or step 3 (accept), held there by a
/// proxy that never answers that request: the CLI stops with 130, says which step it was in,
/// and the hint names the pending invite's `invites revoke ID` and the login that may be left.
/// Running the same command again then finishes: exactly one user, no pending invite.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_a_create_names_what_is_left_and_running_it_again_finishes() {
    use support::fault_proxy::{Fault, FaultProxy};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    for v2 in backends().await {
        for (step, route) in [
            (2u8, "/auth/user/emailpass/register"),
            (3, "/admin/invites/accept"),
        ] {
            let n = v2.name;
            let proxy = FaultProxy::start(&v2.url).await;
            proxy.set_plan(move |method, path, _| {
                if method == "POST" && path.starts_with(route) {
                    Fault::Hang
                } else {
                    Fault::Pass
                }
            });
            let email = v2.unique_email(&format!("v2ctrlc{step}"));
            let args = ["users", "create", "--email", &email, "--password-stdin"];
            let cli = support::cli::Cli::new(&proxy.url())
                .env("MEDUSA_API_TOKEN", &v2.secret_key)
                .env("MEDUSA_USERS_LOG", "off");
            let mut child = cli
                .command(&args)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"v2-pass-123\n").await.unwrap();
            drop(stdin);
            let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
            let mut stderr = String::new();
            let started = format!("step {step}/3");
            tokio::time::timeout(std::time::Duration::from_secs(30), async {
                while let Some(line) = lines.next_line().await.unwrap() {
                    stderr.push_str(&line);
                    stderr.push('\n');
                    if line.contains(&started) {
                        break;
                    }
                }
            })
            .await
            .unwrap_or_else(|_| panic!("{n}: no {started:?} line within 30 s:\n{stderr}"));
            // The step's request is held at the proxy: now the command is really waiting on it.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            while !proxy.seen().iter().any(|r| r.path.starts_with(route)) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "{n}: {route} never reached the proxy"
                );
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            let pid = child.id().expect("the create is running").to_string();
            let killed = std::process::Command::new("kill")
                .args(["-INT", &pid])
                .status()
                .unwrap();
            assert!(killed.success());
            let rest = tokio::time::timeout(std::time::Duration::from_secs(30), async {
                let mut rest = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    rest.push_str(&line);
                    rest.push('\n');
                }
                rest
            })
            .await
            .unwrap_or_else(|_| panic!("{n}: still writing 30 s after Ctrl-C"));
            stderr.push_str(&rest);
            let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
                .await
                .unwrap_or_else(|_| panic!("{n}: still running after Ctrl-C:\n{stderr}"))
                .unwrap();
            assert_eq!(status.code(), Some(130), "{n}, step {step}:\n{stderr}");
            assert!(
                stderr.contains(&format!(
                    "error: interrupted (Ctrl-C) during step {step}/3 of the create"
                )),
                "{n}, step {step}:\n{stderr}"
            );
            // What was left, and that the hint names it.
            let invites = v2.pending_invites_for(&email).await;
            assert_eq!(invites.len(), 1, "{n}, step {step}: the invite is pending");
            assert!(
                v2.users_with_email(&email).await.is_empty(),
                "{n}: no user yet"
            );
            let hint = stderr
                .lines()
                .find(|l| l.starts_with("hint: "))
                .unwrap_or_else(|| panic!("{n}, step {step}: a hint:\n{stderr}"));
            for text in [
                format!("medusa-users invites revoke {}", invites[0].id),
                "run the same command again".to_owned(),
                if step == 3 {
                    "its login is registered".to_owned()
                } else {
                    "a login for it may have been registered".to_owned()
                },
            ] {
                assert!(
                    hint.to_lowercase().contains(&text.to_lowercase()),
                    "{n}, step {step}: {text:?} in {hint}"
                );
            }

            // Again, straight to the server: finished, one user, nothing pending.
            let run = v2.cli().run_stdin(&args, "v2-pass-123\n").await;
            run.ok();
            let users = v2.users_with_email(&email).await;
            assert_eq!(users.len(), 1, "{n}, step {step}: exactly one user: {run}");
            assert!(
                v2.pending_invites_for(&email).await.is_empty(),
                "{n}, step {step}: no invite left: {run}"
            );
            v2.client()
                .login(&email, "v2-pass-123")
                .await
                .unwrap_or_else(|e| panic!("{n}: the user logs in: {e}"));
        }
    }
}

// ----- the binary's v2 sandbox ---------------------------------------------------------------

/// `medusa-users sandbox --medusa-version 2 --addr 127.0.0.1:0` prints where it listens and a
/// secret key, and serves v2: `users list` with that key works, without a ROLE column, and the
/// CLI's own detection calls it Medusa v2.
#[tokio::test(flavor = "multi_thread")]
async fn the_binarys_v2_sandbox_prints_a_secret_key_and_serves_v2() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("v2.sqlite3");
    let outbox = dir.path().join("outbox.jsonl");
    let mut child = support::cli::Cli::bare()
        .command(&[
            "sandbox",
            "--medusa-version",
            "2",
            "--addr",
            "127.0.0.1:0",
            "--data",
            data.to_str().unwrap(),
            "--outbox",
            outbox.to_str().unwrap(),
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut key, mut banner) = (None, None, String::new());
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            banner.push_str(&line);
            banner.push('\n');
            if let Some(rest) = line.strip_prefix("Medusa v2 sandbox listening on ") {
                url = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.trim_start().strip_prefix("secret key") {
                key = rest.split_whitespace().next().map(str::to_owned);
            }
            if url.is_some() && key.is_some() {
                break;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no banner within 30 s:\n{banner}"));
    let url = url.unwrap_or_else(|| panic!("a v2 listening line:\n{banner}"));
    let key = key.unwrap_or_else(|| panic!("a secret key line:\n{banner}"));
    assert!(key.starts_with("sk_"), "{banner}");
    assert!(
        !url.ends_with(":0"),
        "the real port, not the one asked for: {banner}"
    );

    let cli = support::cli::Cli::new(&url)
        .env("MEDUSA_API_TOKEN", &key)
        .env("MEDUSA_USERS_LOG", "off");
    let run = cli.run(&["users", "list"]).await;
    let out = run.ok();
    assert_eq!(
        out.lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["ID", "EMAIL", "NAME", "CREATED"],
        "no ROLE column: {run}"
    );
    assert!(out.contains(medusa_users::sandbox::ADMIN_EMAIL), "{run}");
    let run = cli.run(&["-v", "users", "list", "--json"]).await;
    let v = run.json();
    assert_eq!(keys(&v["users"][0]), V2_USER_KEYS, "{run}");
    assert!(run.stderr.contains("Medusa v2"), "detected as v2: {run}");
    // The key is a v2 secret key, not a v1 token: it works as HTTP Basic.
    let basic = reqwest::Client::new()
        .get(format!("{url}/admin/users?limit=1"))
        .basic_auth(&key, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status().as_u16(), 200);
    child.start_kill().unwrap();
    let _ = child.wait().await;
}
