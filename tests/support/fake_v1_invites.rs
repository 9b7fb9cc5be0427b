//! Medusa v1's invite routes as a stateful wiremock, shaped after the v1 recordings 201–296
//! (`../shared/medusa-v1/CONTRACT.md`, "Invites"): the list is every row at once (no query is
//! read, no count), create, resend and accept answer a bare `text/plain OK`, re-inviting a
//! pending e-mail renews the same row, resend keeps older tokens working, delete answers 200
//! for any id, there is no `GET /admin/invites/:id` (Express's HTML 404), and accept is
//! unauthenticated with its three 400 messages.
//!
//! The v1 sandbox has invites now (`src/sandbox/v1/invites.rs`), and `tests/cli_invites.rs`
//! runs its v1 cases there and on the real v1. This fake stays for the states a server cannot
//! be made to hold: an expired invite, e-mails v1 would refuse, thousands of rows.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Map, Value, json};
use wiremock::matchers::any;

use super::stamp;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The admin API token the fake accepts (`x-medusa-access-token`).
pub const API_TOKEN: &str = "v1-invites-token";

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub email: String,
    pub role: String,
    pub token: String,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Default)]
pub struct State {
    seq: u64,
    pub invites: Vec<Row>,
    /// Users made by accept: (email, role, first name, last name).
    pub accepted: Vec<(String, String, Option<String>, Option<String>)>,
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw("OK", "text/plain; charset=utf-8")
}

fn invalid(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_raw(
        json!({"type": "invalid_data", "message": message}).to_string(),
        "application/json; charset=utf-8",
    )
}

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

impl State {
    /// A row as the list shows it, keys in v1's order.
    pub fn json(r: &Row) -> Value {
        json!({
            "id": r.id, "created_at": r.created_at, "updated_at": r.updated_at,
            "deleted_at": null, "user_email": r.email, "role": r.role, "accepted": false,
            "token": r.token, "expires_at": r.expires_at, "metadata": null,
        })
    }

    fn token(&mut self, r: &Row) -> String {
        // v1 signs {invite_id, role, user_email} + iat with the JWT secret; no exp.
        self.seq += 1;
        let claims = json!({"invite_id": r.id, "role": r.role, "user_email": r.email, "iat": 1_795_000_000 + self.seq});
        format!(
            "{}.{}.v1-fake-signature",
            b64(br#"{"alg":"HS256","typ":"JWT"}"#),
            b64(claims.to_string().as_bytes())
        )
    }

    /// Adds an invite as if it had been made `age` ago (an old one is expired: 7 days).
    pub fn add(&mut self, email: &str, role: &str, age: time::Duration) -> Row {
        self.seq += 1;
        let made = time::OffsetDateTime::now_utc() - age;
        let mut row = Row {
            id: format!("invite_01FAKEV1{:018}", self.seq),
            email: email.to_owned(),
            role: role.to_owned(),
            token: String::new(),
            expires_at: stamp(made + time::Duration::days(7)),
            created_at: stamp(made),
            updated_at: stamp(made),
        };
        row.token = self.token(&row);
        self.invites.push(row.clone());
        row
    }
}

#[derive(Clone)]
struct Handler(Arc<Mutex<State>>);

fn claims(token: &str) -> Option<Map<String, Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()?
        .as_object()
        .cloned()
}

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        let path = req.url.path().to_owned();
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let body: Map<String, Value> = serde_json::from_slice::<Value>(&req.body)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        if req.method.as_str() == "POST" && segments == ["admin", "invites", "accept"] {
            return accept(&mut state, &body);
        }
        let authorised = req
            .headers
            .get("x-medusa-access-token")
            .and_then(|v| v.to_str().ok())
            == Some(API_TOKEN);
        if !authorised {
            return ResponseTemplate::new(401).set_body_raw("Unauthorized", "text/plain");
        }
        match (req.method.as_str(), segments.as_slice()) {
            ("GET", ["admin", "invites"]) => {
                let invites: Vec<Value> = state.invites.iter().map(State::json).collect();
                ResponseTemplate::new(200).set_body_raw(
                    json!({ "invites": invites }).to_string(),
                    "application/json; charset=utf-8",
                )
            }
            ("POST", ["admin", "invites"]) => {
                let email = body.get("user").and_then(Value::as_str).map(str::to_owned);
                let role = body.get("role").and_then(Value::as_str).map(str::to_owned);
                let (Some(email), Some(role)) = (email, role) else {
                    return invalid(
                        "user must be an email, role must be one of the following values: admin, member, developer",
                    );
                };
                if !["admin", "member", "developer"].contains(&role.as_str()) {
                    return invalid("role must be one of the following values: admin, member, developer");
                }
                if let Some(pos) = state.invites.iter().position(|i| i.email == email) {
                    // Re-invite: the same row, renewed, with the new role.
                    let mut row = state.invites[pos].clone();
                    row.role = role;
                    let now = time::OffsetDateTime::now_utc();
                    row.updated_at = stamp(now);
                    row.expires_at = stamp(now + time::Duration::days(7));
                    row.token = state.token(&row);
                    state.invites[pos] = row;
                } else {
                    state.add(&email, &role, time::Duration::ZERO);
                }
                ok()
            }
            ("POST", ["admin", "invites", id, "resend"]) => {
                let Some(pos) = state.invites.iter().position(|i| i.id == *id) else {
                    return invalid("Invite doesn't exist");
                };
                let mut row = state.invites[pos].clone();
                let now = time::OffsetDateTime::now_utc();
                row.updated_at = stamp(now);
                row.expires_at = stamp(now + time::Duration::days(7));
                row.token = state.token(&row);
                state.invites[pos] = row;
                ok()
            }
            ("DELETE", ["admin", "invites", id]) => {
                state.invites.retain(|i| i.id != *id);
                ResponseTemplate::new(200).set_body_raw(
                    json!({"id": id, "object": "invite", "deleted": true}).to_string(),
                    "application/json; charset=utf-8",
                )
            }
            (m, _) => ResponseTemplate::new(404).set_body_raw(
                format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {m} {path}</pre>\n</body>\n</html>\n"),
                "text/html; charset=utf-8",
            ),
        }
    }
}

fn accept(state: &mut State, body: &Map<String, Value>) -> ResponseTemplate {
    let token = body.get("token").and_then(Value::as_str).unwrap_or("");
    if token.is_empty() {
        return invalid("token should not be empty");
    }
    let Some(user) = body.get("user").and_then(Value::as_object) else {
        return invalid("user should not be empty");
    };
    if user.get("password").and_then(Value::as_str).is_none() {
        return invalid("password must be a string");
    }
    let Some(c) = claims(token) else {
        return invalid("Token is not valid");
    };
    let now = stamp(time::OffsetDateTime::now_utc());
    let Some(pos) = state.invites.iter().position(|i| {
        Some(i.id.as_str()) == c.get("invite_id").and_then(Value::as_str)
            && Some(i.email.as_str()) == c.get("user_email").and_then(Value::as_str)
            && now <= i.expires_at
    }) else {
        return invalid("Invalid invite");
    };
    let row = state.invites.remove(pos);
    let name = |k: &str| user.get(k).and_then(Value::as_str).map(str::to_owned);
    state.accepted.push((
        row.email.to_lowercase(),
        row.role,
        name("first_name"),
        name("last_name"),
    ));
    ok()
}

pub struct FakeV1Invites {
    pub server: MockServer,
    pub state: Arc<Mutex<State>>,
}

impl FakeV1Invites {
    pub async fn start() -> FakeV1Invites {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(any())
            .respond_with(Handler(state.clone()))
            .mount(&server)
            .await;
        FakeV1Invites { server, state }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// The CLI against this fake: v1 given (the fake answers only invite routes, so it cannot
    /// be probed), with the admin token.
    pub fn cli(&self) -> super::cli::Cli {
        super::cli::Cli::new(&self.url())
            .env("MEDUSA_VERSION", "1")
            .env("MEDUSA_API_TOKEN", API_TOKEN)
            .env("MEDUSA_USERS_LOG", "off")
    }
}
