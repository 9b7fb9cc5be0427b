//! A real Medusa v2 (2.21.2) named by the `MEDUSA_V2_*` environment (see
//! `scripts/real-medusa-v2 env`). The crate's client does not speak v2 yet, so tests talk to it
//! with reqwest directly.
//!
//! `RealV2::from_env()` returns `None` (with a note) when `MEDUSA_V2_URL` is unset, but panics
//! when `MEDUSA_V2_REQUIRED` is set without it: CI sets both, and a real-server test must never
//! skip there. Each test that gets a server records its name in `MEDUSA_V2_RUN_LOG`, so CI can
//! say how many tests reached it.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct RealV2 {
    pub url: String,
    pub email: String,
    pub password: String,
    /// The tests' secret API key (`sk_…`), sent as HTTP Basic.
    pub secret_key: String,
    /// The JSONL file the server's dev subscriber appends invite and reset tokens to.
    pub tokens: PathBuf,
}

impl RealV2 {
    pub fn from_env() -> Option<RealV2> {
        let Ok(url) = std::env::var("MEDUSA_V2_URL") else {
            assert!(
                std::env::var_os("MEDUSA_V2_REQUIRED").is_none(),
                "MEDUSA_V2_REQUIRED is set but MEDUSA_V2_URL is not: the real Medusa v2 suite must not be skipped"
            );
            eprintln!(
                "note: MEDUSA_V2_URL is not set; the real-Medusa-v2 part of this test did not run"
            );
            return None;
        };
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                panic!("MEDUSA_V2_URL is set but {name} is not (eval \"$(scripts/real-medusa-v2 env)\")")
            })
        };
        let real = RealV2 {
            url: url.trim_end_matches('/').to_owned(),
            email: var("MEDUSA_V2_EMAIL"),
            password: var("MEDUSA_V2_PASSWORD"),
            secret_key: var("MEDUSA_V2_SECRET_KEY"),
            tokens: PathBuf::from(var("MEDUSA_V2_TOKENS")),
        };
        note_run("MEDUSA_V2_RUN_LOG");
        Some(real)
    }

    /// A plain client: no redirects followed, no proxy (the server is on loopback).
    pub fn http(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    }

    /// `Authorization` value for the secret key.
    pub fn basic_auth(&self) -> String {
        use base64::Engine;
        let raw = format!("{}:", self.secret_key);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// Logs the admin in (`POST /auth/user/emailpass`) and returns the JWT.
    pub async fn admin_jwt(&self) -> String {
        let resp = self
            .http()
            .post(format!("{}/auth/user/emailpass", self.url))
            .json(&serde_json::json!({"email": self.email, "password": self.password}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("medusa-v2 at {}: {e}", self.url));
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "admin login on medusa-v2: {body}");
        body["token"]
            .as_str()
            .unwrap_or_else(|| panic!("admin login: no token in {body}"))
            .to_owned()
    }

    /// The lines of the tokens file, parsed (unparsable lines are skipped).
    pub fn token_lines(&self) -> Vec<Value> {
        let Ok(text) = std::fs::read_to_string(&self.tokens) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Polls the tokens file (events are delivered asynchronously) until a line satisfies
    /// `pred`, for up to `within`; returns it, or `None`.
    pub async fn wait_token_line(
        &self,
        within: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(line) = self.token_lines().into_iter().find(|l| pred(l)) {
                return Some(line);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Appends the running test's name to the file named by `$var` (libtest names each test's
/// thread after the test).
pub fn note_run(var: &str) {
    let Some(path) = std::env::var_os(var) else {
        return;
    };
    let name = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned();
    let exe = std::env::args().next().unwrap_or_default();
    let binary = Path::new(&exe)
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.rsplit_once('-').map(|(b, _)| b.to_owned()))
        .unwrap_or_default();
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        // One write of the whole line: tests run side by side, and `writeln!` on a file writes
        // each piece on its own, so two names could interleave (CI once counted
        // `client_contractclient_contract::::a_…a_…` as one test).
        let _ = f.write_all(format!("{binary}::{name}\n").as_bytes());
    }
}
