//! Replays the exchanges recorded from a real Medusa 2.21.2 (tests/fixtures/medusa-v2, copied
//! from the v2 contract's recordings) against the real v2 server named by `MEDUSA_V2_*` (see
//! `scripts/real-medusa-v2`), and checks every answer: status, Content-Type, error type and
//! message, plain-text bodies, and the JSON shape (same keys in the same order, same JSON types,
//! same values except generated ids, timestamps and tokens).
//!
//! The recordings are one story: an admin logs in, makes and revokes API keys, invites users
//! who register and accept, lists, reads, updates and deletes them, and resets a password. Each
//! test below replays a self-contained part of it, with users it creates itself (the recorded
//! e-mail suffix is replaced by one of this run, so runs never collide on a shared server).
//! Recorded ids, JWTs, invite and reset tokens, API keys and session cookies are mapped to the
//! live server's as they appear in answers; reset tokens that the recording got by e-mail are
//! read from the server's dev subscriber file (`MEDUSA_V2_TOKENS`), which is checked too: every
//! invite and every reset lands there, and nothing lands for an unknown e-mail.
//!
//! Answers that depend on what else is on a shared server (whole lists, counts) are compared by
//! shape only (`SHAPE_ONLY`); the few exchanges that cannot be replayed say why (`SKIPPED`).
//! Without `MEDUSA_V2_URL` the server tests note that and pass; with `MEDUSA_V2_REQUIRED` set
//! they refuse to skip.

mod support;

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};
use support::real_v2::RealV2;
use support::sandbox::{Answer, V2_FIXTURES, is_js_timestamp, v2_recording};
use support::send_json;

/// The e-mail / title suffix of the recording run.
const RECORDED_RUN: &str = "1795774976";
/// The admin the recordings were made with; the server must have the same one.
const RECORDED_EMAIL: &str = "admin@medusa-test.com";
const RECORDED_PASSWORD: &str = "supersecret";

const AUTH: &str = "01-login-emailpass.json";
const SESSION: &str = "02-session-cookie.json";
const KEYS: &str = "03-secret-api-key.json";
const INVITE_FLOW: &str = "04-invite-create-user-flow.json";
const INVITE_ERRORS: &str = "05-invite-errors.json";
const LIST: &str = "06-list-users.json";
const RETRIEVE: &str = "07-retrieve-user.json";
const UPDATE: &str = "08-update-user.json";
const DELETE: &str = "09-delete-user.json";
const RESET: &str = "10-password-reset.json";
const ERRORS: &str = "11-auth-and-error-shapes.json";
const RBAC: &str = "12-rbac-feature-flag.json";

/// Recorded exchanges that are not replayed, and why.
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        KEYS,
        "create secret key for later use",
        "the key scripts/real-medusa-v2 made (MEDUSA_V2_SECRET_KEY) stands in for it",
    ),
    (
        ERRORS,
        "bearer expired JWT (signed with server secret, exp in past)",
        "forging it needs the server's JWT secret",
    ),
];

/// Answers that list whatever else is on the server: compared by shape (keys, types, empty or
/// not, echoed `offset`/`limit`), not by value.
const SHAPE_ONLY: &[(&str, &str)] = &[
    (KEYS, "basic base64(key:)"),
    (KEYS, "basic base64(key) without colon"),
    (KEYS, "basic raw key (not base64)"),
    (KEYS, "list api keys (token redacted)"),
    (INVITE_FLOW, "list invites"),
    (
        INVITE_FLOW,
        "new user can list users (no roles without RBAC flag)",
    ),
    (LIST, "no params"),
    (LIST, "limit=2 offset=0"),
    (LIST, "limit=2 offset=2"),
    (LIST, "offset past the end"),
    (LIST, "limit=0"),
    (LIST, "q=invitee"),
    (LIST, "q matches first_name (Ivy)"),
    (LIST, "filter created_at[$gte]"),
    (LIST, "order=email"),
    (LIST, "order=-email"),
    (LIST, "order=-created_at"),
    (LIST, "fields=id,email"),
    (LIST, "fields=+metadata (add to defaults)"),
    (LIST, "fields=-avatar_url (remove from defaults)"),
    (LIST, "fields=*"),
    (LIST, "fields=unknown"),
    (LIST, "fields=password_hash"),
    (LIST, "limit=1000"),
    (LIST, "with api key auth"),
    (
        DELETE,
        "deleted user's old JWT on list (stateless JWT still accepted)",
    ),
];

/// Tests that read or change the admin's own profile take turns (the others run alongside).
static ADMIN_PROFILE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn exchanges(file: &str) -> Vec<Value> {
    v2_recording(file)["exchanges"].as_array().unwrap().clone()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Exact,
    Shape,
}

fn mode_of(file: &str, label: &str) -> Mode {
    if SHAPE_ONLY.iter().any(|(f, l)| *f == file && *l == label) {
        Mode::Shape
    } else {
        Mode::Exact
    }
}

fn skipped(file: &str, label: &str) -> bool {
    SKIPPED.iter().any(|(f, l, _)| *f == file && *l == label)
}

// ---------------------------------------------------------------------------------------------
// what values look like

fn jwt_claims(token: &str) -> Option<Map<String, Value>> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let header = URL_SAFE_NO_PAD.decode(parts[0]).ok()?;
    serde_json::from_slice::<Map<String, Value>>(&header).ok()?;
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).ok()?;
    serde_json::from_slice(&payload).ok()
}

fn is_jwt(s: &str) -> bool {
    jwt_claims(s).is_some()
}

/// `user_01M8…` (a prefix and a 26-character ULID).
fn ulid_prefix(s: &str) -> Option<&str> {
    let (prefix, ulid) = s.split_once('_')?;
    let ok = !prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && ulid.len() == 26
        && ulid
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    ok.then_some(prefix)
}

/// `sk_` / `pk_` and 64 hex digits.
fn api_token_kind(s: &str) -> Option<&str> {
    let (kind, hex) = s.split_once('_')?;
    ((kind == "sk" || kind == "pk")
        && hex.len() == 64
        && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    .then_some(kind)
}

/// `sk_f2c***863`.
fn redacted_kind(s: &str) -> Option<&str> {
    let (kind, rest) = s.split_once('_')?;
    let hex3 = |t: &str| t.len() == 3 && t.bytes().all(|b| b.is_ascii_hexdigit());
    ((kind == "sk" || kind == "pk")
        && rest.len() == 9
        && hex3(&rest[..3])
        && &rest[3..6] == "***"
        && hex3(&rest[6..]))
    .then_some(kind)
}

/// The JWT-looking strings inside `text` (a path, a header, a body).
fn jwts_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("eyJ") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(tail.len());
        let candidate = &tail[..end];
        if is_jwt(candidate) {
            found.push(candidate.to_owned());
        }
        rest = &tail[end.max(3)..];
    }
    found
}

fn html_pre(text: &str) -> Option<&str> {
    text.split("<pre>").nth(1)?.split("</pre>").next()
}

fn mime(ct: Option<&str>) -> Option<String> {
    ct.map(|c| c.split(';').next().unwrap().trim().to_owned())
}

// ---------------------------------------------------------------------------------------------
// the replay

struct Replay {
    real: RealV2,
    http: reqwest::Client,
    /// This run's replacement for `RECORDED_RUN`.
    run: String,
    /// Recorded value → live value (ids, tokens, keys, cookies).
    map: HashMap<String, String>,
    /// The live values in `map`.
    live: HashSet<String>,
    /// Live e-mails of users that exist (seen in answers).
    users: HashSet<String>,
    /// Reset tokens the subscriber wrote for a live e-mail and no request has used yet, oldest
    /// first.
    resets: HashMap<String, VecDeque<String>>,
    recorded_admin_id: String,
    admin_id: String,
    admin_jwt: String,
    file: &'static str,
    label: String,
    exchanges: usize,
}

impl Replay {
    /// `None` when no real v2 server is configured.
    async fn start() -> Option<Replay> {
        let real = RealV2::from_env()?;
        assert_eq!(
            (real.email.as_str(), real.password.as_str()),
            (RECORDED_EMAIL, RECORDED_PASSWORD),
            "the recordings were made with the admin {RECORDED_EMAIL}; the server must have it \
             (scripts/real-medusa-v2 makes it)"
        );
        let http = real.http();
        let admin_jwt = real.admin_jwt().await;
        let me = send_json(
            http.get(format!("{}/admin/users/me", real.url))
                .bearer_auth(&admin_jwt),
        )
        .await;
        let admin_id = me["user"]["id"].as_str().expect("admin /me").to_owned();
        let first = &exchanges(AUTH)[0];
        assert_eq!(first["label"], "login ok");
        let recorded_admin_id = v2_recording(AUTH)["notes"]["jwt_claims"]["actor_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let run = uuid::Uuid::new_v4().simple().to_string()[..10].to_owned();
        let mut replay = Replay {
            real,
            http,
            run,
            map: HashMap::new(),
            live: HashSet::new(),
            users: HashSet::new(),
            resets: HashMap::new(),
            recorded_admin_id: recorded_admin_id.clone(),
            admin_id: admin_id.clone(),
            admin_jwt,
            file: AUTH,
            label: String::new(),
            exchanges: 0,
        };
        replay.learn(&recorded_admin_id, &admin_id);
        replay.users.insert(RECORDED_EMAIL.to_owned());
        // The secret key the recording made "for later use" is the script's key here.
        let keys = exchanges(KEYS);
        let later = keys.last().unwrap();
        assert_eq!(later["label"], "create secret key for later use");
        let recorded_key = later["response"]["body"]["api_key"]["token"]
            .as_str()
            .unwrap();
        let key = replay.real.secret_key.clone();
        replay.learn(recorded_key, &key);
        Some(replay)
    }

    /// Stories that do not start with the admin's login use the recorded login's JWT: map it.
    fn seed_admin_login(&mut self) {
        let rec = exchanges(AUTH)[0]["response"]["body"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let ours = self.admin_jwt.clone();
        self.learn(&rec, &ours);
    }

    fn learn(&mut self, recorded: &str, live: &str) {
        self.map.insert(recorded.to_owned(), live.to_owned());
        self.live.insert(live.to_owned());
    }

    fn what(&self) -> String {
        format!("{} / {:?}", self.file, self.label)
    }

    /// A recorded string with every known recorded value replaced by the live one.
    fn subst(&self, text: &str) -> String {
        let mut pairs: Vec<(&String, &String)> = self.map.iter().collect();
        pairs.sort_by_key(|(r, _)| std::cmp::Reverse(r.len()));
        let mut out = text.to_owned();
        for (rec, live) in pairs {
            if out.contains(rec.as_str()) {
                out = out.replace(rec.as_str(), live);
            }
        }
        out.replace(RECORDED_RUN, &self.run)
    }

    /// Maps a token in a request that no earlier answer introduced.
    async fn resolve_token(&mut self, token: &str) {
        if self.map.contains_key(token) {
            return;
        }
        let claims = jwt_claims(token).unwrap();
        let what = self.what();
        if claims.get("purpose").and_then(Value::as_str) == Some("reset") {
            // Mailed by the server: the subscriber wrote it to the tokens file.
            let email = self.subst(claims["entity_id"].as_str().unwrap());
            let ours = self
                .resets
                .get_mut(&email)
                .and_then(VecDeque::pop_front)
                .unwrap_or_else(|| panic!("{what}: no reset token for {email} in the tokens file"));
            self.learn(token, &ours);
        } else if claims.get("actor_id").and_then(Value::as_str) == Some(&self.recorded_admin_id) {
            // An admin token the recording forged with a wrong signature: ours, re-signed wrong.
            let sig = token.rsplit('.').next().unwrap();
            let (head, _) = self.admin_jwt.rsplit_once('.').unwrap();
            let forged = format!("{head}.{sig}");
            assert_ne!(forged, self.admin_jwt);
            self.learn(token, &forged);
        } else {
            panic!("{what}: the request uses a token no earlier answer gave: {claims:?}");
        }
    }

    fn map_authorization(&self, value: &str) -> String {
        if let Some(b64) = value.strip_prefix("Basic ")
            && let Ok(raw) = STANDARD.decode(b64)
            && let Ok(raw) = String::from_utf8(raw)
        {
            return format!("Basic {}", STANDARD.encode(self.subst(&raw)));
        }
        self.subst(value)
    }

    async fn send(&mut self, request: &Value) -> Answer {
        let path = request["path"].as_str().unwrap();
        let headers = request["headers"].as_object().unwrap();
        let body = match &request["body"] {
            Value::Null => None,
            Value::String(raw) => Some(raw.clone()),
            other => Some(other.to_string()),
        };
        let mut texts = vec![path.to_owned()];
        texts.extend(headers.values().map(|v| v.as_str().unwrap().to_owned()));
        texts.extend(body.clone());
        for text in texts {
            for token in jwts_in(&text) {
                self.resolve_token(&token).await;
            }
        }
        let method =
            reqwest::Method::from_bytes(request["method"].as_str().unwrap().as_bytes()).unwrap();
        let url = format!("{}{}", self.real.url, self.subst(path));
        let mut req = self.http.request(method, url);
        for (name, value) in headers {
            let value = value.as_str().unwrap();
            let value = match name.to_ascii_lowercase().as_str() {
                "authorization" => self.map_authorization(value),
                "cookie" => {
                    let ours = self.subst(value);
                    assert_ne!(
                        ours,
                        value,
                        "{}: cookie from no recorded login",
                        self.what()
                    );
                    ours
                }
                _ => self.subst(value),
            };
            req = req.header(name.as_str(), value);
        }
        if let Some(body) = body {
            req = req.body(self.subst(&body));
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.what()));
        Answer::read(resp).await
    }

    fn check(&mut self, recorded: &Value, ours: &Answer, mode: Mode) {
        let what = format!(
            "{}: the server answered {} {:?}",
            self.what(),
            ours.status,
            ours.body
        );
        assert_eq!(
            ours.status,
            recorded["status"].as_u64().unwrap() as u16,
            "{what}"
        );
        assert_eq!(
            mime(ours.content_type.as_deref()),
            mime(recorded["headers"]["content-type"].as_str()),
            "{what}: content type"
        );
        if let (Some(rec), Some(mine)) = (
            recorded["headers"]["set-cookie"].as_str(),
            ours.set_cookie.as_deref(),
        ) {
            let pair = |s: &str| s.split(';').next().unwrap().to_owned();
            self.learn(&pair(rec), &pair(mine));
        }
        match &recorded["body"] {
            Value::Null => assert_eq!(ours.body, "", "{what}"),
            Value::String(text) if text.starts_with("<!DOCTYPE html>") => {
                let pre = self.subst(html_pre(text).unwrap());
                assert_eq!(html_pre(&ours.body), Some(pre.as_str()), "{what}");
            }
            Value::String(text) => assert_eq!(ours.body, self.subst(text), "{what}"),
            rec => {
                let body: Value = serde_json::from_str(&ours.body)
                    .unwrap_or_else(|e| panic!("{what}: not JSON: {e}"));
                self.compare("body", "", rec, &body, mode);
            }
        }
    }

    /// Compares a recorded JSON value with the live one at `at` (`key` is its field name).
    fn compare(&mut self, at: &str, key: &str, rec: &Value, ours: &Value, mode: Mode) {
        let what = self.what();
        match (rec, ours) {
            (Value::Object(r), Value::Object(o)) => {
                let rk: Vec<&String> = r.keys().collect();
                let ok: Vec<&String> = o.keys().collect();
                assert_eq!(rk, ok, "{what}: keys at {at}");
                for (k, rv) in r {
                    self.compare(&format!("{at}.{k}"), k, rv, &o[k], mode);
                }
                if mode == Mode::Exact
                    && o.get("id")
                        .and_then(Value::as_str)
                        .is_some_and(|id| id.starts_with("user_"))
                    && let Some(email) = o.get("email").and_then(Value::as_str)
                {
                    self.users.insert(email.to_owned());
                }
            }
            (Value::Array(r), Value::Array(o)) => match mode {
                Mode::Exact => {
                    assert_eq!(r.len(), o.len(), "{what}: length of {at}: {ours}");
                    for (i, (rv, ov)) in r.iter().zip(o).enumerate() {
                        self.compare(&format!("{at}[{i}]"), key, rv, ov, mode);
                    }
                }
                Mode::Shape => {
                    assert_eq!(r.is_empty(), o.is_empty(), "{what}: {at} empty or not");
                    if let Some(first) = r.first() {
                        for (i, ov) in o.iter().enumerate() {
                            self.compare(&format!("{at}[{i}]"), key, first, ov, mode);
                        }
                    }
                }
            },
            (Value::String(r), Value::String(o)) => {
                if mode == Mode::Exact {
                    self.compare_string(at, r, o);
                }
            }
            (Value::Number(_), Value::Number(_)) if mode == Mode::Shape && key == "count" => {}
            // Token times inside an auth context (`POST /auth/session`).
            (Value::Number(_), Value::Number(_)) if key == "iat" || key == "exp" => {}
            (Value::Null, _) | (_, Value::Null) if mode == Mode::Shape => {}
            _ => assert_eq!(rec, ours, "{what}: value at {at}"),
        }
    }

    fn compare_string(&mut self, at: &str, rec: &str, ours: &str) {
        let what = self.what();
        let expected = self.subst(rec);
        if expected == ours {
            return;
        }
        let fail =
            || -> ! { panic!("{what}: {at}: expected {expected:?}, the server said {ours:?}") };
        let fresh = !self.map.contains_key(rec);
        if let Some(prefix) = ulid_prefix(rec) {
            if !fresh || ulid_prefix(ours) != Some(prefix) {
                fail();
            }
            self.learn(rec, ours);
        } else if let Some(claims) = jwt_claims(rec) {
            let Some(mine) = jwt_claims(ours) else { fail() };
            let rk: Vec<&String> = claims.keys().collect();
            let ok: Vec<&String> = mine.keys().collect();
            assert_eq!(rk, ok, "{what}: claims of the JWT at {at}");
            // A login or refresh gives a new token each time; later requests use the newest.
            self.learn(rec, ours);
        } else if let Some(kind) = api_token_kind(rec) {
            if !fresh || api_token_kind(ours) != Some(kind) {
                fail();
            }
            self.learn(rec, ours);
        } else if let Some(kind) = redacted_kind(rec) {
            if redacted_kind(ours) != Some(kind) {
                fail();
            }
        } else if !(is_js_timestamp(rec) && is_js_timestamp(ours)) {
            fail();
        }
    }

    /// What the dev subscriber must have written after this exchange.
    async fn check_tokens_file(&mut self, request: &Value, ours: &Answer) {
        let what = self.what();
        let method = request["method"].as_str().unwrap();
        let path = self.subst(request["path"].as_str().unwrap());
        let body: Value = serde_json::from_str(&ours.body).unwrap_or(Value::Null);
        let wait = Duration::from_secs(10);
        if method == "POST"
            && (path == "/admin/invites" || path.ends_with("/resend"))
            && ours.status == 200
        {
            let event = if path.ends_with("/resend") {
                "invite.resent"
            } else {
                "invite.created"
            };
            let token = body["invite"]["token"].as_str().unwrap().to_owned();
            let email = body["invite"]["email"].clone();
            let line = self
                .real
                .wait_token_line(wait, |l| l["token"] == token.as_str())
                .await
                .unwrap_or_else(|| panic!("{what}: the invite token is not in the tokens file"));
            assert_eq!(line["event"], event, "{what}: {line}");
            assert_eq!(line["email"], email, "{what}: {line}");
            assert_eq!(line["invite_id"], body["invite"]["id"], "{what}: {line}");
        }
        if method == "POST"
            && path.ends_with("/reset-password")
            && path.starts_with("/admin/users/")
            && ours.status == 200
        {
            // Minting a token as an admin fires the same event as a user's request.
            let token = body["token"].as_str().unwrap().to_owned();
            let line = self
                .real
                .wait_token_line(wait, |l| l["token"] == token.as_str())
                .await
                .unwrap_or_else(|| panic!("{what}: the minted token is not in the tokens file"));
            assert_eq!(line["event"], "auth.password_reset", "{what}: {line}");
        }
        if method == "POST" && path == "/auth/user/emailpass/reset-password" && ours.status == 201 {
            let sent: Value =
                serde_json::from_str(&self.subst(&request["body"].to_string())).unwrap();
            let Some(email) = sent["identifier"].as_str().map(str::to_owned) else {
                return;
            };
            let queued: HashSet<String> = self.resets.values().flatten().cloned().collect();
            let live = self.live.clone();
            let fresh = |l: &Value| {
                l["event"] == "auth.password_reset"
                    && l["email"] == email.as_str()
                    && l["token"]
                        .as_str()
                        .is_some_and(|t| !live.contains(t) && !queued.contains(t))
            };
            if self.users.contains(&email) {
                let line = self
                    .real
                    .wait_token_line(wait, fresh)
                    .await
                    .unwrap_or_else(|| {
                        panic!("{what}: no reset token for {email} reached the tokens file")
                    });
                let token = line["token"].as_str().unwrap().to_owned();
                self.resets.entry(email).or_default().push_back(token);
            } else {
                // The answer is the same for unknown e-mails, and nothing is sent.
                let leaked = self
                    .real
                    .wait_token_line(Duration::from_millis(1500), |l| {
                        l["email"] == email.as_str()
                    })
                    .await;
                assert!(
                    leaked.is_none(),
                    "{what}: a token for an unknown e-mail: {leaked:?}"
                );
            }
        }
    }

    /// Replays every exchange of `file` except the skipped ones.
    async fn story(&mut self, file: &'static str) {
        self.file = file;
        for ex in exchanges(file) {
            let label = ex["label"].as_str().unwrap().to_owned();
            if skipped(file, &label) {
                continue;
            }
            self.label = label.clone();
            let ours = self.send(&ex["request"]).await;
            self.check(&ex["response"], &ours, mode_of(file, &label));
            self.check_tokens_file(&ex["request"], &ours).await;
            self.exchanges += 1;
        }
    }

    /// Sets the admin's names back to the recorded ones (null), which other runs may have
    /// changed ("update self").
    async fn reset_admin_profile(&self) {
        let resp = self
            .http
            .post(format!("{}/admin/users/{}", self.real.url, self.admin_id))
            .bearer_auth(&self.admin_jwt)
            .json(&json!({"first_name": null, "last_name": null, "avatar_url": null}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "resetting the admin's names");
    }

    /// Deletes what the story made (users, pending invites, API keys), best effort.
    async fn clean_up(&self) {
        let auth = format!("Bearer {}", self.admin_jwt);
        let url = &self.real.url;
        for (rec, live) in &self.map {
            let req = match ulid_prefix(rec) {
                Some("user") if *live != self.admin_id => {
                    self.http.delete(format!("{url}/admin/users/{live}"))
                }
                Some("invite") => self.http.delete(format!("{url}/admin/invites/{live}")),
                Some("apk") => {
                    let _ = self
                        .http
                        .post(format!("{url}/admin/api-keys/{live}/revoke"))
                        .header("authorization", &auth)
                        .json(&json!({}))
                        .send()
                        .await;
                    self.http.delete(format!("{url}/admin/api-keys/{live}"))
                }
                _ => continue,
            };
            let _ = req.header("authorization", &auth).send().await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the tests

#[tokio::test]
async fn login_session_and_error_shapes_replay_on_real_v2() {
    let Some(mut replay) = Replay::start().await else {
        return;
    };
    let _admin = ADMIN_PROFILE.lock().await;
    replay.reset_admin_profile().await;
    replay.story(AUTH).await;
    replay.story(SESSION).await;
    replay.story(ERRORS).await;
    assert_eq!(replay.exchanges, 11 + 5 + 15);
}

#[tokio::test]
async fn secret_api_keys_replay_on_real_v2() {
    let Some(mut replay) = Replay::start().await else {
        return;
    };
    replay.seed_admin_login();
    replay.story(KEYS).await;
    assert_eq!(replay.exchanges, 18);
    replay.clean_up().await;
}

#[tokio::test]
async fn invite_list_get_update_delete_replay_on_real_v2() {
    let Some(mut replay) = Replay::start().await else {
        return;
    };
    let _admin = ADMIN_PROFILE.lock().await;
    replay.seed_admin_login();
    replay.reset_admin_profile().await;
    for file in [INVITE_FLOW, INVITE_ERRORS, LIST, RETRIEVE, UPDATE, DELETE] {
        replay.story(file).await;
    }
    assert_eq!(replay.exchanges, 13 + 30 + 28 + 7 + 15 + 15);
    // The story's own users, created through invite → register → accept.
    for email in ["invitee", "mismatch-a", "dup"] {
        assert!(
            replay
                .users
                .contains(&format!("{email}-{}@medusa-test.com", replay.run)),
            "{email}"
        );
    }
    replay.reset_admin_profile().await;
    replay.clean_up().await;
}

#[tokio::test]
async fn password_reset_replays_on_real_v2_with_tokens_from_the_subscriber() {
    let Some(mut replay) = Replay::start().await else {
        return;
    };
    replay.seed_admin_login();
    replay.story(RESET).await;
    assert_eq!(replay.exchanges, 30);
    // Three reset requests for the user reached the file and were all used.
    assert!(replay.resets.values().all(VecDeque::is_empty));
    replay.clean_up().await;
}

// No server needed: the replay's tables name recorded exchanges, and the fixtures are the
// contract's 210 recorded exchanges.
#[test]
fn the_replay_tables_name_recorded_exchanges() {
    let files = [
        AUTH,
        SESSION,
        KEYS,
        INVITE_FLOW,
        INVITE_ERRORS,
        LIST,
        RETRIEVE,
        UPDATE,
        DELETE,
        RESET,
        ERRORS,
        RBAC,
    ];
    let total: usize = files.iter().map(|f| exchanges(f).len()).sum();
    assert_eq!(total, 210);
    let mut on_disk: Vec<String> = std::fs::read_dir(V2_FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, files.map(str::to_owned));
    let has = |file: &str, label: &str| {
        exchanges(file)
            .iter()
            .filter(|e| e["label"] == label)
            .count()
            == 1
    };
    for (file, label, _) in SKIPPED {
        assert!(has(file, label), "SKIPPED: {file} / {label}");
    }
    for (file, label) in SHAPE_ONLY {
        assert!(has(file, label), "SHAPE_ONLY: {file} / {label}");
        assert!(!skipped(file, label), "{file} / {label} is both");
    }
    for file in files {
        assert_eq!(
            v2_recording(file)["medusa_version"],
            "2.21.2",
            "{file} was recorded on another version"
        );
    }
}

#[test]
fn value_classifiers_know_the_recorded_formats() {
    let rec = exchanges(KEYS);
    let key = &rec[0]["response"]["body"]["api_key"];
    assert_eq!(api_token_kind(key["token"].as_str().unwrap()), Some("sk"));
    assert_eq!(redacted_kind(key["redacted"].as_str().unwrap()), Some("sk"));
    assert_eq!(ulid_prefix(key["id"].as_str().unwrap()), Some("apk"));
    assert!(is_js_timestamp(key["created_at"].as_str().unwrap()));
    assert_eq!(ulid_prefix("user_01DOESNOTEXIST0000000000"), None);
    assert_eq!(ulid_prefix("invite_does_not_exist"), None);
    let accept = &exchanges(INVITE_FLOW)[5];
    assert_eq!(accept["label"], "accept invite");
    let found = jwts_in(accept["request"]["path"].as_str().unwrap());
    assert_eq!(found.len(), 1);
    assert!(jwt_claims(&found[0]).unwrap().contains_key("jti"));
    assert!(jwts_in("Bearer not-a-jwt garbage eyJ").is_empty());
}
