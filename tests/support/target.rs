//! The backend a test runs against: a fresh in-process sandbox, or a real Medusa named by the
//! `MEDUSA_V1_*` environment (see `scripts/real-medusa-v1 env`). The same test body runs on both,
//! so what passes against our sandbox is proven against the real server too.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::retry::Backoff;
use medusa_users::api::{
    Client, CreateUser, Credentials, Dialect, DialectChoice, ListParams, User,
};
use medusa_users::sandbox::{self, Sandbox, SandboxConfig};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::send_json;

pub struct Target {
    /// "sandbox", "medusa-v1", "sandbox-v2" or "medusa-v2", for messages.
    pub name: &'static str,
    /// Which Medusa it is (the client finds out by itself; tests use this to check it did).
    pub dialect: Dialect,
    pub url: String,
    /// v1: the admin's api_token; v2: a secret API key (`sk_…`).
    pub api_token: String,
    pub email: String,
    pub password: String,
    /// Where reset (and, on v2 and the sandboxes, invite) tokens land, one JSON line per event
    /// with at least `email` and `token`.
    pub reset_tokens: PathBuf,
    /// The sandbox's SQLite file (sandbox targets only).
    pub data_file: Option<PathBuf>,
    pub sandbox: Option<Sandbox>,
    // Keeps the sandbox's files alive as long as the target.
    _dir: Option<tempfile::TempDir>,
}

impl Target {
    /// A fresh sandbox with `seed` sample users, its database and outbox in a temp dir.
    pub async fn sandbox(seed: usize) -> Target {
        Target::fresh_sandbox(seed, Dialect::V1).await
    }

    /// A fresh Medusa v2 sandbox with `seed` sample users.
    pub async fn sandbox_v2(seed: usize) -> Target {
        Target::fresh_sandbox(seed, Dialect::V2).await
    }

    async fn fresh_sandbox(seed: usize, dialect: Dialect) -> Target {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("sandbox.sqlite3");
        let outbox = dir.path().join("outbox.jsonl");
        let sandbox = Sandbox::start(SandboxConfig {
            data: Some(data.clone()),
            outbox: Some(outbox.clone()),
            seed,
            dialect,
            ..SandboxConfig::ephemeral()
        })
        .await
        .unwrap();
        let (name, api_token) = match dialect {
            Dialect::V1 => ("sandbox", sandbox::ADMIN_API_TOKEN),
            Dialect::V2 => ("sandbox-v2", sandbox::V2_ADMIN_SECRET_KEY),
        };
        Target {
            name,
            dialect,
            url: sandbox.url(),
            api_token: api_token.to_owned(),
            email: sandbox::ADMIN_EMAIL.to_owned(),
            password: sandbox::ADMIN_PASSWORD.to_owned(),
            reset_tokens: outbox,
            data_file: Some(data),
            sandbox: Some(sandbox),
            _dir: Some(dir),
        }
    }

    /// The real Medusa v1 from the environment, or `None` (with a note on stderr) when
    /// `MEDUSA_V1_URL` is not set. CI sets it; see `.ci/run`.
    pub fn real() -> Option<Target> {
        let Ok(url) = std::env::var("MEDUSA_V1_URL") else {
            assert!(
                std::env::var_os("MEDUSA_V1_REQUIRED").is_none(),
                "MEDUSA_V1_REQUIRED is set but MEDUSA_V1_URL is not: the real suite must not be skipped"
            );
            eprintln!(
                "note: MEDUSA_V1_URL is not set; the real-Medusa part of this test did not run"
            );
            return None;
        };
        note_real_run();
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Some(Target {
            name: "medusa-v1",
            dialect: Dialect::V1,
            url,
            api_token: var("MEDUSA_V1_API_TOKEN", sandbox::ADMIN_API_TOKEN),
            email: var("MEDUSA_V1_EMAIL", sandbox::ADMIN_EMAIL),
            password: var("MEDUSA_V1_PASSWORD", sandbox::ADMIN_PASSWORD),
            reset_tokens: PathBuf::from(std::env::var("MEDUSA_V1_RESET_TOKENS").expect(
                "MEDUSA_V1_RESET_TOKENS must name the file the server's reset-token subscriber writes",
            )),
            data_file: None,
            sandbox: None,
            _dir: None,
        })
    }

    /// Both targets that are available: always a fresh sandbox, plus the real server if set.
    pub async fn all(seed: usize) -> Vec<Target> {
        let mut targets = vec![Target::sandbox(seed).await];
        targets.extend(Target::real());
        targets
    }

    /// The real Medusa v2 from the environment (`scripts/real-medusa-v2 env`), or `None` when
    /// `MEDUSA_V2_URL` is not set; with `MEDUSA_V2_REQUIRED` set it refuses to skip.
    pub fn real_v2() -> Option<Target> {
        let real = super::real_v2::RealV2::from_env()?;
        Some(Target {
            name: "medusa-v2",
            dialect: Dialect::V2,
            url: real.url,
            api_token: real.secret_key,
            email: real.email,
            password: real.password,
            reset_tokens: real.tokens,
            data_file: None,
            sandbox: None,
            _dir: None,
        })
    }

    /// The v2 targets that are available: a fresh v2 sandbox, plus the real v2 if set.
    pub async fn all_v2(seed: usize) -> Vec<Target> {
        let mut targets = vec![Target::sandbox_v2(seed).await];
        targets.extend(Target::real_v2());
        targets
    }

    /// Every target of both dialects.
    pub async fn every(seed: usize) -> Vec<Target> {
        let mut targets = Target::all(seed).await;
        targets.extend(Target::all_v2(seed).await);
        targets
    }

    /// Tokens of this kind ("invite" or "reset") recorded so far for `email`, oldest first.
    pub fn tokens_for(&self, kind: &str, email: &str) -> Vec<String> {
        read_event_tokens(&self.reset_tokens, email, kind)
    }

    /// Waits (up to 15 s) for a token of `kind` for `email` beyond the first `known`.
    pub async fn wait_token(&self, kind: &str, email: &str, known: usize) -> String {
        self.wait_for_token(kind, email, known, || self.tokens_for(kind, email))
            .await
    }

    /// Waits (up to 15 s: a real Medusa delivers events every ~3 s) until `tokens` lists more
    /// than `known` of `kind` for `email`, and returns the newest.
    async fn wait_for_token(
        &self,
        kind: &str,
        email: &str,
        known: usize,
        tokens: impl Fn() -> Vec<String>,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let tokens = tokens();
            if tokens.len() > known {
                return tokens[tokens.len() - 1].clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {kind} token for {email} on {} within 15 s",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A client that finds out the dialect by itself, as an operator's would.
    pub fn client_with(&self, credentials: Credentials) -> Client {
        client_at(&self.url, DialectChoice::Auto, credentials)
    }

    /// A client signed in with the admin API token.
    pub fn client(&self) -> Client {
        self.client_with(Credentials::api_token(self.api_token.clone()))
    }

    /// A new user with only an e-mail (`prefix-…`) and `password`, made with the admin's key.
    pub async fn make_user(&self, prefix: &str, password: &str) -> User {
        self.client()
            .create(&CreateUser {
                email: self.unique_email(prefix),
                password: password.to_owned(),
                first_name: None,
                last_name: None,
                role: None,
            })
            .await
            .unwrap_or_else(|e| panic!("{}: create a {prefix} user: {e}", self.name))
    }

    /// The users with exactly this e-mail, as the server lists them.
    pub async fn users_with_email(&self, email: &str) -> Vec<User> {
        users_with_email(&self.client(), self.name, email).await
    }

    /// On a shared real server, deletes what a test made (best effort; a fresh sandbox is
    /// thrown away anyway).
    pub async fn clean_up(&self, ids: &[String]) {
        if self.sandbox.is_some() {
            return;
        }
        let client = self.client();
        for id in ids {
            let _ = client.delete(id).await;
        }
    }

    /// v2: signs in as `email` and makes a secret API key titled `title` as that user (a key
    /// that outlives its maker); its id.
    pub async fn make_secret_key(&self, email: &str, password: &str, title: &str) -> String {
        let jwt = self
            .client_with(Credentials::None)
            .login(email, password)
            .await
            .unwrap_or_else(|e| panic!("{}: login as {email}: {e}", self.name));
        let key = self.secret_key_made_with(&jwt, title).await;
        key["api_key"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{}: no key id in {key}", self.name))
            .to_owned()
    }

    /// v2: makes a secret API key titled `title` as the user whose session `jwt` is, over HTTP
    /// as the admin dashboard does; the server's answer (`api_key` with its `id` and `token`).
    pub async fn secret_key_made_with(&self, jwt: &SecretString, title: &str) -> Value {
        send_json(
            reqwest::Client::new()
                .post(format!("{}/admin/api-keys", self.url))
                .bearer_auth(jwt.expose_secret())
                .json(&json!({"title": title, "type": "secret"})),
        )
        .await
    }

    /// v2: whether the secret key `id` has been revoked (read with the admin's key).
    pub async fn key_revoked(&self, id: &str) -> bool {
        let key = send_json(
            reqwest::Client::new()
                .get(format!("{}/admin/api-keys/{id}", self.url))
                .basic_auth(&self.api_token, Some("")),
        )
        .await;
        !key["api_key"]["revoked_at"].is_null()
    }

    /// An e-mail no other test (or earlier run against a shared server) has used.
    pub fn unique_email(&self, prefix: &str) -> String {
        format!(
            "{prefix}-{}@example.com",
            uuid::Uuid::new_v4().simple().to_string().get(..12).unwrap()
        )
    }

    /// Reset tokens recorded so far for `email`, oldest first.
    pub fn reset_tokens_for(&self, email: &str) -> Vec<String> {
        read_tokens(&self.reset_tokens, email)
    }

    /// Waits (up to 15 s: a real Medusa delivers events every ~3 s) for a reset token for `email`
    /// beyond the first `known` ones, and returns it.
    pub async fn wait_reset_token(&self, email: &str, known: usize) -> String {
        self.wait_for_token("reset", email, known, || self.reset_tokens_for(email))
            .await
    }
}

/// Records the running test's name in `MEDUSA_V1_RUN_LOG` (CI prints how many tests reached
/// the real server).
fn note_real_run() {
    super::real_v2::note_run("MEDUSA_V1_RUN_LOG");
}

/// Tokens from event lines whose `event` names `kind` ("reset" matches `user.password_reset`
/// and `auth.password_reset`, "invite" `invite.created` and `invite.resent`).
fn read_event_tokens(path: &Path, email: &str, kind: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let wanted = match kind {
        "reset" => "password_reset",
        other => other,
    };
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| v["event"].as_str().is_some_and(|e| e.contains(wanted)))
        .filter(|v| v["email"].as_str().is_some_and(|e| e == email))
        .filter_map(|v| v["token"].as_str().map(str::to_owned))
        .collect()
}

fn read_tokens(path: &Path, email: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|v| !v["event"].as_str().is_some_and(|e| e.starts_with("invite")))
        .filter(|v| {
            v["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
        .filter_map(|v| v["token"].as_str().map(str::to_owned))
        .collect()
}

/// A client for `url` as the suites use one: no retries (a test says what it expects of each
/// request), a 20 s timeout, the dialect as given.
pub fn client_at(url: &str, dialect: DialectChoice, credentials: Credentials) -> Client {
    Client::new(
        ClientOptions {
            base_url: parse_base_url(url).unwrap(),
            max_retries: 0,
            timeout: Duration::from_secs(20),
            backoff: Backoff::default(),
            dialect,
            ..ClientOptions::default()
        },
        credentials,
    )
    .unwrap()
}

/// Deletes what a test made, so a shared real server does not fill up with test users.
pub async fn tidy(client: &Client, ids: &[String]) {
    for id in ids {
        let _ = client.delete(id).await;
    }
}

/// Notes on stderr how long the test (libtest names the thread after it) took on `target`.
pub fn passed(target: &Target, started: Instant) {
    eprintln!(
        "{} on {}: passed in {:.1} s",
        std::thread::current().name().unwrap_or("test"),
        target.name,
        started.elapsed().as_secs_f64()
    );
}

/// The users with exactly this e-mail, as `client`'s server (`name`, for messages) lists them.
pub async fn users_with_email(client: &Client, name: &str, email: &str) -> Vec<User> {
    client
        .list(&ListParams {
            email: Some(email.to_owned()),
            ..ListParams::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{name}: listing email={email}: {e}"))
        .users
}
