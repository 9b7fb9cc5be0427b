//! Helpers shared by the sandbox suites (`tests/sandbox/`): recorded exchanges, sandbox start-up
//! and raw HTTP against it. Each test binary uses a different subset, hence the `dead_code`
//! allowance.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use medusa_users::sandbox::{ADMIN_API_TOKEN, Dialect, Sandbox, SandboxConfig};
use serde_json::Value;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/medusa-v1");
pub const V2_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/medusa-v2");

/// One recorded v2 file (`{case, description, notes, exchanges: […]}`).
pub fn v2_recording(file: &str) -> Value {
    let path = Path::new(V2_FIXTURES).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The v2 recording files in story order (their names sort that way).
pub fn v2_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(V2_FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    files
}

/// An in-memory v2 sandbox on a free port.
pub fn v2_config() -> SandboxConfig {
    SandboxConfig {
        dialect: Dialect::V2,
        ..SandboxConfig::ephemeral()
    }
}

pub async fn v2_ephemeral() -> Sandbox {
    start(v2_config()).await
}

/// One recorded exchange.
pub fn recording(file: &str) -> Value {
    let path = Path::new(FIXTURES).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `_index.json`: the recordings in story order.
pub fn index() -> Vec<Value> {
    recording("_index.json").as_array().unwrap().clone()
}

pub async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.expect("sandbox starts")
}

pub async fn ephemeral() -> Sandbox {
    start(SandboxConfig::ephemeral()).await
}

/// A file-backed config in `dir`.
pub fn file_config(dir: &Path) -> SandboxConfig {
    SandboxConfig {
        data: Some(dir.join("sandbox.sqlite3")),
        ..SandboxConfig::ephemeral()
    }
}

/// A sandbox on its own database file in `dir`: the sandbox and the file.
pub async fn on_file(dir: &Path) -> (Sandbox, PathBuf) {
    let config = file_config(dir);
    let db = config.data.clone().unwrap();
    (start(config).await, db)
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A stored user's password hash, read straight from the database file the way a script
/// computing reset tokens offline would (CONTRACT.md, "Compute it offline").
pub fn password_hash_in(db: &PathBuf, email: &str) -> Option<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT password_hash FROM \"user\" WHERE email = ?1 AND deleted_at IS NULL",
        [email.to_lowercase()],
        |r| r.get(0),
    )
    .unwrap()
}

/// Sends a request with the admin's API token.
pub fn as_admin(req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    req.header("x-medusa-access-token", ADMIN_API_TOKEN)
}

/// Status and body as JSON (panics if the body is not JSON).
pub async fn json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {text:?}: {e}"));
    (status, v)
}

/// Asks v1's `/admin/auth/token` for a JWT: the status and the JSON answer (`access_token`).
pub async fn token_login(
    http: &reqwest::Client,
    url: &str,
    email: &str,
    password: &str,
) -> (u16, Value) {
    json(
        http.post(format!("{url}/admin/auth/token"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// `GET url` with the admin's API token: the status and the JSON body.
pub async fn admin_get(http: &reqwest::Client, url: String) -> (u16, Value) {
    json(as_admin(http.get(url)).send().await.unwrap()).await
}

/// `POST url` with the admin's API token and `body`: the status and the JSON answer.
pub async fn admin_post(http: &reqwest::Client, url: String, body: &Value) -> (u16, Value) {
    json(as_admin(http.post(url)).json(body).send().await.unwrap()).await
}

/// The emails of a list answer, in order.
pub fn emails(page: &Value) -> Vec<String> {
    page["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

/// A timestamp as JavaScript's `Date.toJSON` writes it: `2026-11-27T10:22:59.645Z`.
pub fn is_js_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

pub fn is_user_id(s: &str) -> bool {
    s.strip_prefix("usr_")
        .is_some_and(|u| u.len() == 26 && u.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An HS256 JWT of `claims` signed with `key`, as the sandbox and Medusa sign theirs.
pub fn sign(claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .unwrap()
}

/// What came back for one replayed request.
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Answer {
    /// Reads `resp` whole.
    pub async fn read(resp: reqwest::Response) -> Answer {
        let header = |h| {
            resp.headers()
                .get(h)
                .map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        Answer {
            status: resp.status().as_u16(),
            content_type: header(reqwest::header::CONTENT_TYPE),
            set_cookie: header(reqwest::header::SET_COOKIE),
            body: resp.text().await.unwrap(),
        }
    }
}
