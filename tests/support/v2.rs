//! The Medusa v2 backend a v2 CLI test runs against: a URL, credentials, and what the test
//! needs to check the server's state after a command. Today that is [`FakeV2`] (wiremock,
//! shaped after the v2 recordings); with `MEDUSA_V2_URL` set it is that server instead (the v2
//! sandbox or a real 2.21.2: `MEDUSA_V2_SECRET_KEY`, `MEDUSA_V2_EMAIL`, `MEDUSA_V2_PASSWORD`).
//! Tests check state through the client, never through the fake's insides, so the same test
//! body proves the same behaviour on any v2 backend; the few assertions only a fake can make
//! (which requests were sent) go through [`V2::sent`], which is `None` elsewhere.

#![allow(dead_code)]

use medusa_users::api::{
    Client, CreateUser, Credentials, Dialect, DialectChoice, InviteListParams, User,
};
use serde_json::json;

use super::cli::Cli;
use super::fake_v2::{self, FakeV2};
use super::send_json;
use super::target::client_at;

pub struct V2 {
    /// "fake-v2", or "medusa-v2" for a server from the environment.
    pub name: &'static str,
    pub url: String,
    /// A secret API key (`sk_…`) of an admin.
    pub secret_key: String,
    pub email: String,
    pub password: String,
    pub fake: Option<FakeV2>,
    /// Keeps an embedded v2 sandbox (and its files) alive as long as the backend.
    pub target: Option<super::target::Target>,
}

/// The v2 backend for this test.
pub async fn backend() -> V2 {
    if let Ok(url) = std::env::var("MEDUSA_V2_URL") {
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
        return V2 {
            name: "medusa-v2",
            url,
            secret_key: std::env::var("MEDUSA_V2_SECRET_KEY")
                .expect("MEDUSA_V2_SECRET_KEY must name an admin's secret key (sk_…)"),
            email: var("MEDUSA_V2_EMAIL", fake_v2::ADMIN_EMAIL),
            password: var("MEDUSA_V2_PASSWORD", fake_v2::ADMIN_PASSWORD),
            fake: None,
            target: None,
        };
    }
    V2::fake().await
}

/// Every v2 backend a test body runs on: the fake (which can also say what was sent), a fresh
/// v2 sandbox, and the real server when `MEDUSA_V2_URL` names one (which CI always does; it
/// refuses to skip when `MEDUSA_V2_REQUIRED` is set, and notes the run for CI's count).
pub async fn backends() -> Vec<V2> {
    let mut all = vec![V2::fake().await];
    let mut targets = vec![super::target::Target::sandbox_v2(0).await];
    targets.extend(super::target::Target::real_v2());
    for t in targets {
        all.push(V2 {
            name: t.name,
            url: t.url.clone(),
            secret_key: t.api_token.clone(),
            email: t.email.clone(),
            password: t.password.clone(),
            fake: None,
            target: Some(t),
        });
    }
    all
}

/// Registers an emailpass login for `email` on the v2 server at `url`, as an invitee's browser
/// does (step 2 of a create); the answer.
pub async fn register_login(url: &str, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{url}/auth/user/emailpass/register"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

impl V2 {
    /// A fresh [`FakeV2`] as the backend.
    async fn fake() -> V2 {
        let fake = FakeV2::start().await;
        V2 {
            name: "fake-v2",
            url: fake.url(),
            secret_key: fake.secret_key.clone(),
            email: fake_v2::ADMIN_EMAIL.into(),
            password: fake_v2::ADMIN_PASSWORD.into(),
            fake: Some(fake),
            target: None,
        }
    }

    /// The CLI against this backend with the admin's secret key. The dialect is left to
    /// detection (`MEDUSA_VERSION` is not set), as an operator would run it.
    pub fn cli(&self) -> Cli {
        Cli::new(&self.url)
            .env("MEDUSA_API_TOKEN", &self.secret_key)
            .env("MEDUSA_USERS_LOG", "off")
    }

    /// The CLI with no credentials (the invitee's side).
    pub fn anonymous_cli(&self) -> Cli {
        Cli::new(&self.url).env("MEDUSA_USERS_LOG", "off")
    }

    /// The CLI logged in as the admin with e-mail and password (a JWT session).
    pub fn password_cli(&self) -> Cli {
        Cli::new(&self.url)
            .env("MEDUSA_ADMIN_EMAIL", &self.email)
            .env("MEDUSA_ADMIN_PASSWORD", &self.password)
            .env("MEDUSA_USERS_LOG", "off")
    }

    pub fn client_with(&self, credentials: Credentials) -> Client {
        client_at(&self.url, DialectChoice::Fixed(Dialect::V2), credentials)
    }

    /// A client with the admin's secret key, for checking state.
    pub fn client(&self) -> Client {
        self.client_with(Credentials::api_token(self.secret_key.clone()))
    }

    /// An e-mail no other test (or earlier run against a shared server) has used.
    pub fn unique_email(&self, prefix: &str) -> String {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        format!("{prefix}-{n}@example.com")
    }

    /// A new admin user (invite → register → accept, through the client).
    pub async fn make_user(&self, prefix: &str, password: &str) -> User {
        self.client()
            .create(&CreateUser {
                email: self.unique_email(prefix),
                password: password.into(),
                first_name: None,
                last_name: None,
                role: None,
            })
            .await
            .unwrap_or_else(|e| panic!("{}: making a user: {e}", self.name))
    }

    /// The users with exactly this e-mail, as the server lists them.
    pub async fn users_with_email(&self, email: &str) -> Vec<User> {
        super::target::users_with_email(&self.client(), self.name, email).await
    }

    pub async fn pending_invites_for(&self, email: &str) -> Vec<medusa_users::api::Invite> {
        self.client()
            .list_invites(&InviteListParams {
                email: Some(email.to_owned()),
                ..InviteListParams::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{}: listing invites: {e}", self.name))
            .invites
    }

    /// Logs in as `email` and creates a secret key titled `title` for that user (over HTTP,
    /// as the admin dashboard does); returns its id.
    pub async fn secret_key_of(&self, email: &str, password: &str, title: &str) -> String {
        let http = reqwest::Client::new();
        let login = send_json(
            http.post(format!("{}/auth/user/emailpass", self.url))
                .json(&json!({"email": email, "password": password})),
        )
        .await;
        let jwt = login["token"].as_str().expect("a login token").to_owned();
        let made = send_json(
            http.post(format!("{}/admin/api-keys", self.url))
                .bearer_auth(jwt)
                .json(&json!({"title": title, "type": "secret"})),
        )
        .await;
        made["api_key"]["id"].as_str().expect("a key id").to_owned()
    }

    /// Whether the secret key `id` has been revoked, as the server lists it.
    pub async fn key_revoked(&self, id: &str) -> bool {
        let list = send_json(
            reqwest::Client::new()
                .get(format!(
                    "{}/admin/api-keys?type=secret&limit=1000",
                    self.url
                ))
                .basic_auth(&self.secret_key, Some("")),
        )
        .await;
        list["api_keys"]
            .as_array()
            .and_then(|keys| keys.iter().find(|k| k["id"] == id))
            .map(|k| !k["revoked_at"].is_null())
            .unwrap_or_else(|| panic!("{}: no key {id}", self.name))
    }

    /// The requests the fake received, `METHOD path?query`; `None` on a real backend.
    pub async fn sent(&self) -> Option<Vec<String>> {
        let fake = self.fake.as_ref()?;
        Some(
            fake.server
                .received_requests()
                .await
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    let q = r.url.query().map(|q| format!("?{q}")).unwrap_or_default();
                    format!("{} {}{q}", r.method, r.url.path())
                })
                .collect(),
        )
    }

    /// How many requests the fake has received so far, to look at one command's with
    /// [`V2::sent_since`].
    pub async fn mark(&self) -> usize {
        self.sent().await.map_or(0, |s| s.len())
    }

    /// The requests after `mark`; `None` on a real backend.
    pub async fn sent_since(&self, mark: usize) -> Option<Vec<String>> {
        self.sent()
            .await
            .map(|s| s.into_iter().skip(mark).collect())
    }
}
