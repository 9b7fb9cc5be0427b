//! A stateful stand-in for a Medusa 2.21.2 backend, on wiremock, shaped after the v2
//! recordings (`../shared/medusa-v2/recordings`, CONTRACT §3 and §6): the same routes, status
//! codes, bodies and quirks for what the CLI sends — users, `/me`, invites (24 h JWT tokens,
//! accepted invites vanish, a resend voids the old token), emailpass login/register/reset
//! (a failed apply burns the token), admin-minted reset tokens, secret keys over HTTP Basic,
//! strict queries and bodies (400 `Unrecognized fields`), and the 500s of unvalidated input.
//!
//! It is not the v2 sandbox (`src/sandbox/v2`): it is kept because only a fake can say which
//! requests were sent ([`super::v2::V2::sent`]). Tests reach it through [`super::v2::V2`],
//! which runs the same body on the v2 sandbox and the real server too.

#![allow(dead_code)]
// The handlers' early answers are whole responses; boxing them would only add noise to a fake.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Map, Value, json};
use wiremock::matchers::any;

use super::stamp;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const ADMIN_EMAIL: &str = "admin@medusa-test.com";
pub const ADMIN_PASSWORD: &str = "supersecret";

#[derive(Debug, Clone)]
pub struct Identity {
    pub email: String,
    pub password: String,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InviteRow {
    pub id: String,
    pub email: String,
    pub token: String,
    pub expires_at: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone)]
pub struct KeyRow {
    pub id: String,
    pub title: String,
    pub token: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Default)]
pub struct State {
    seq: u64,
    /// Users in creation order (ids are ULID-like, so that is id order too).
    pub users: Vec<Map<String, Value>>,
    pub identities: Vec<Identity>,
    pub invites: Vec<InviteRow>,
    pub keys: Vec<KeyRow>,
    /// Issued JWTs → the identity's e-mail and the actor they were issued for ("" = none).
    sessions: HashMap<String, (String, String)>,
    /// The newest reset token per e-mail (a newer one voids the older), and spent ones.
    reset_tokens: HashMap<String, String>,
    spent: Vec<String>,
    /// Every reset token made, as `auth.password_reset` would carry it.
    pub reset_events: Vec<(String, String)>,
    /// When set, the next invite or reset token made is this text instead of a JWT: a hostile
    /// server's token, for the tests that check it never reaches a terminal raw.
    pub next_token: Option<String>,
}

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// An unsigned JWT with these claims (clients only read them).
pub fn jwt(claims: &Value) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.fake-signature",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    )
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json; charset=utf-8")
}

fn invalid(message: &str) -> ResponseTemplate {
    json_response(400, &json!({"type": "invalid_data", "message": message}))
}

fn unauthorized() -> ResponseTemplate {
    json_response(401, &json!({"message": "Unauthorized"}))
}

fn unknown_error() -> ResponseTemplate {
    json_response(
        500,
        &json!({"code": "unknown_error", "type": "unknown_error", "message": "An unknown error occurred."}),
    )
}

fn html_404(method: &str, path: &str) -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_raw(
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
        ),
        "text/html; charset=utf-8",
    )
}

impl State {
    fn next_id(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}_01FAKEV2{:018}", self.seq)
    }

    fn issue(&mut self, email: &str, actor: &str) -> String {
        self.seq += 1;
        let iat = now().unix_timestamp();
        let token = jwt(&json!({
            "actor_id": actor, "actor_type": "user", "auth_identity_id": format!("authid_{email}"),
            "auth_provider": "emailpass", "app_metadata": {}, "user_metadata": {},
            "iat": iat, "exp": iat + 86_400, "jti": self.seq,
        }));
        self.sessions
            .insert(token.clone(), (email.to_owned(), actor.to_owned()));
        token
    }

    pub fn add_user(&mut self, email: &str, password: &str) -> String {
        let id = self.next_id("user");
        self.users
            .push(user_row(&id, email, Value::Null, Value::Null));
        self.identities.push(Identity {
            email: email.to_owned(),
            password: password.to_owned(),
            user_id: Some(id.clone()),
        });
        id
    }

    pub fn add_secret_key(&mut self, title: &str, created_by: &str) -> (String, String) {
        let id = self.next_id("apk");
        self.seq += 1;
        let token = format!("sk_{:064x}", u128::from(self.seq) * 0x9e37_79b9_7f4a_7c15);
        self.keys.push(KeyRow {
            id: id.clone(),
            title: title.to_owned(),
            token: token.clone(),
            created_by: created_by.to_owned(),
            revoked_at: None,
            created_at: stamp(now()),
        });
        (id, token)
    }

    pub fn user(&self, id: &str) -> Option<&Map<String, Value>> {
        self.users.iter().find(|u| u["id"] == id)
    }

    pub fn user_by_email(&self, email: &str) -> Option<&Map<String, Value>> {
        self.users.iter().find(|u| u["email"] == email)
    }

    fn key_json(k: &KeyRow, with_token: bool) -> Value {
        let redacted = format!("{}***{}", &k.token[..6], &k.token[k.token.len() - 3..]);
        json!({
            "id": k.id, "title": k.title, "token": if with_token { k.token.as_str() } else { "" },
            "redacted": redacted, "type": "secret", "last_used_at": null,
            "updated_at": k.created_at, "created_at": k.created_at, "created_by": k.created_by,
            "revoked_by": k.revoked_at.as_ref().map(|_| k.created_by.clone()),
            "revoked_at": k.revoked_at, "deleted_at": null,
        })
    }

    fn invite_json(i: &InviteRow) -> Value {
        json!({
            "id": i.id, "email": i.email, "accepted": false, "token": i.token,
            "expires_at": i.expires_at, "metadata": null, "created_at": i.created_at,
            "updated_at": i.updated_at, "deleted_at": null,
        })
    }

    fn invite_token(&mut self, id: &str, email: &str) -> (String, String) {
        self.seq += 1;
        let iat = now().unix_timestamp();
        let token = self.next_token.take().unwrap_or_else(|| {
            jwt(&json!({"id": id, "email": email, "iat": iat, "exp": iat + 86_400, "jti": self.seq}))
        });
        (token, stamp(now() + time::Duration::hours(24)))
    }

    fn reset_token(&mut self, email: &str) -> String {
        self.seq += 1;
        let iat = now().unix_timestamp();
        let token = self.next_token.take().unwrap_or_else(|| {
            jwt(&json!({
                "entity_id": email, "provider": "emailpass", "actor_type": "user",
                "purpose": "reset", "jti": self.seq, "iat": iat, "exp": iat + 900,
            }))
        });
        self.reset_tokens.insert(email.to_owned(), token.clone());
        self.reset_events.push((email.to_owned(), token.clone()));
        token
    }
}

/// Who a request speaks for on `/admin/*`.
enum Actor {
    User(String),
    Key(String),
}

#[derive(Clone)]
struct Handler(Arc<Mutex<State>>);

fn bearer(req: &Request) -> Option<String> {
    let value = req.headers.get("authorization")?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::to_owned)
}

fn basic_key(req: &Request) -> Option<String> {
    let value = req.headers.get("authorization")?.to_str().ok()?;
    let raw = value.strip_prefix("Basic ")?;
    if raw.starts_with("sk_") {
        return Some(raw.to_owned());
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(raw).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(text.trim_end_matches(':').to_owned())
}

fn query(req: &Request) -> Vec<(String, String)> {
    req.url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn body(req: &Request) -> Result<Map<String, Value>, ResponseTemplate> {
    if req.body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(json_response(
            400,
            &json!({"message": "Unexpected end of JSON input", "type": "invalid_data"}),
        )),
    }
}

/// A new user as v2 stores and sends it, its keys in the server's order, made now.
fn user_row(id: &str, email: &str, first_name: Value, last_name: Value) -> Map<String, Value> {
    let at = stamp(now());
    let mut user = Map::new();
    for (k, v) in [
        ("id", json!(id)),
        ("first_name", first_name),
        ("last_name", last_name),
        ("email", json!(email)),
        ("avatar_url", Value::Null),
        ("metadata", Value::Null),
        ("created_at", json!(at)),
        ("updated_at", json!(at)),
        ("deleted_at", Value::Null),
    ] {
        user.insert(k.to_owned(), v);
    }
    user
}

/// v2 validates bodies and queries strictly: unknown fields are a 400.
fn strict(fields: &[&str], allowed: &[&str]) -> Option<ResponseTemplate> {
    let unknown: Vec<String> = fields
        .iter()
        .filter(|f| !allowed.contains(f))
        .map(|f| format!("'{f}'"))
        .collect();
    (!unknown.is_empty()).then(|| {
        invalid(&format!(
            "Invalid request: Unrecognized fields: {}",
            unknown.join(", ")
        ))
    })
}

fn page_params(q: &[(String, String)]) -> Result<(usize, usize), ResponseTemplate> {
    let get = |name: &str, default: i64| -> Result<i64, ResponseTemplate> {
        match q.iter().find(|(k, _)| k == name) {
            None => Ok(default),
            Some((_, v)) => v.parse::<i64>().map_err(|_| {
                invalid(&format!(
                    "Invalid request: Expected type: 'number' for field '{name}', got: '{v}'"
                ))
            }),
        }
    };
    let limit = get("limit", 50)?;
    let offset = get("offset", 0)?;
    // Not validated by the server: a negative one reaches the database.
    if limit < 0 || offset < 0 {
        return Err(unknown_error());
    }
    Ok((limit as usize, offset as usize))
}

/// A list route's query (users and invites take the same parameters): unknown ones are a 400;
/// the page's limit and offset.
fn list_params(keys: &[&str], q: &[(String, String)]) -> Result<(usize, usize), ResponseTemplate> {
    if let Some(r) = strict(
        keys,
        &["limit", "offset", "q", "order", "email", "id", "fields"],
    ) {
        return Err(r);
    }
    page_params(q)
}

/// The page of `rows` at `offset` as a list route answers, under `key`, with the count of all.
fn list_answer(
    key: &str,
    rows: Vec<Map<String, Value>>,
    offset: usize,
    limit: usize,
) -> ResponseTemplate {
    let count = rows.len();
    let page: Vec<Value> = rows
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(Value::Object)
        .collect();
    json_response(
        200,
        &json!({key: page, "count": count, "offset": offset, "limit": limit}),
    )
}

/// `order=field|-field` over the allowed columns; anything else is the server's 500.
fn sort_by(
    rows: &mut [Map<String, Value>],
    order: Option<&str>,
    allowed: &[&str],
) -> Result<(), ResponseTemplate> {
    let Some(order) = order else {
        return Ok(());
    };
    let (desc, field) = match order.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, order),
    };
    if !allowed.contains(&field) {
        return Err(unknown_error());
    }
    rows.sort_by(|a, b| {
        let key = |m: &Map<String, Value>| m.get(field).map(|v| v.to_string()).unwrap_or_default();
        let o = key(a).cmp(&key(b));
        if desc { o.reverse() } else { o }
    });
    Ok(())
}

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut state = self.0.lock().unwrap();
        let path = req.url.path().to_owned();
        let method = req.method.as_str().to_owned();
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match (method.as_str(), segments.as_slice()) {
            ("GET", ["auth", "user", "providers"]) => json_response(
                200,
                &json!({"providers": [{"id": "emailpass", "identifier": "emailpass", "display_name": "Email/Password Authentication", "flow": "credentials"}]}),
            ),
            ("POST", ["auth", "user", "emailpass"]) => login(&mut state, req),
            ("POST", ["auth", "user", "emailpass", "register"]) => register(&mut state, req),
            ("POST", ["auth", "user", "emailpass", "reset-password"]) => {
                let b = match body(req) {
                    Ok(b) => b,
                    Err(r) => return r,
                };
                let Some(email) = b.get("identifier").and_then(Value::as_str) else {
                    return invalid("Invalid request: Field 'identifier' is required");
                };
                if state.identities.iter().any(|i| i.email == email) {
                    state.reset_token(email);
                }
                ResponseTemplate::new(201).set_body_raw("Created", "text/plain; charset=utf-8")
            }
            ("POST", ["auth", "user", "emailpass", "update"]) => apply_reset(&mut state, req),
            ("POST", ["auth", "token", "refresh"]) => {
                let Some((email, _)) = bearer(req).and_then(|t| state.sessions.get(&t).cloned())
                else {
                    return unauthorized();
                };
                let actor = state
                    .identities
                    .iter()
                    .find(|i| i.email == email)
                    .and_then(|i| i.user_id.clone());
                match actor {
                    Some(actor) => {
                        let token = state.issue(&email, &actor);
                        json_response(200, &json!({ "token": token }))
                    }
                    None => json_response(
                        404,
                        &json!({"type": "not_found", "message": "User was not found"}),
                    ),
                }
            }
            ("POST", ["admin", "invites", "accept"]) => accept(&mut state, req),
            (_, ["admin", ..]) => {
                let actor = if let Some(token) = bearer(req) {
                    match state.sessions.get(&token) {
                        Some((_, actor)) if !actor.is_empty() => Actor::User(actor.clone()),
                        _ => return unauthorized(),
                    }
                } else if let Some(key) = basic_key(req) {
                    match state
                        .keys
                        .iter()
                        .find(|k| k.token == key && k.revoked_at.is_none())
                    {
                        Some(k) => Actor::Key(k.id.clone()),
                        None => return unauthorized(),
                    }
                } else {
                    return unauthorized();
                };
                admin(&mut state, req, &method, &segments[1..], &actor)
            }
            _ => html_404(&method, &path),
        }
    }
}

fn login(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = match body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Some(password) = b.get("password").and_then(Value::as_str) else {
        return json_response(
            401,
            &json!({"type": "unauthorized", "message": "Password should be a string"}),
        );
    };
    let email = b.get("email").and_then(Value::as_str).unwrap_or("");
    let Some(identity) = state
        .identities
        .iter()
        .find(|i| i.email == email && i.password == password)
        .cloned()
    else {
        return json_response(
            401,
            &json!({"type": "unauthorized", "message": "Invalid email or password"}),
        );
    };
    let token = state.issue(&identity.email, identity.user_id.as_deref().unwrap_or(""));
    json_response(200, &json!({ "token": token }))
}

fn register(state: &mut State, req: &Request) -> ResponseTemplate {
    let b = match body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (Some(email), Some(password)) = (
        b.get("email").and_then(Value::as_str),
        b.get("password").and_then(Value::as_str),
    ) else {
        return json_response(
            401,
            &json!({"type": "unauthorized", "message": "Password should be a string"}),
        );
    };
    if let Some(existing) = state.identities.iter().find(|i| i.email == email).cloned() {
        // Re-registering a user-less identity with the same password works like a login.
        if existing.user_id.is_none() && existing.password == password {
            let token = state.issue(email, "");
            return json_response(200, &json!({ "token": token }));
        }
        return json_response(
            401,
            &json!({"type": "unauthorized", "message": "Identity with email already exists"}),
        );
    }
    state.identities.push(Identity {
        email: email.to_owned(),
        password: password.to_owned(),
        user_id: None,
    });
    let token = state.issue(email, "");
    json_response(200, &json!({ "token": token }))
}

fn apply_reset(state: &mut State, req: &Request) -> ResponseTemplate {
    let invalid_token = || {
        json_response(
            401,
            &json!({"type": "unauthorized", "message": "Invalid token"}),
        )
    };
    let Some(token) = bearer(req) else {
        return invalid_token();
    };
    let Some(email) = state
        .reset_tokens
        .iter()
        .find(|(_, t)| **t == token)
        .map(|(e, _)| e.clone())
    else {
        return invalid_token();
    };
    if state.spent.contains(&token) {
        return invalid_token();
    }
    // Spent whatever happens next: a failed update burns the token too.
    state.spent.push(token);
    let password = body(req)
        .ok()
        .and_then(|b| b.get("password").and_then(Value::as_str).map(str::to_owned))
        .filter(|p| !p.is_empty());
    let Some(password) = password else {
        return json_response(
            401,
            &json!({"type": "unauthorized", "message": "Unauthorized"}),
        );
    };
    if let Some(identity) = state.identities.iter_mut().find(|i| i.email == email) {
        identity.password = password;
    }
    json_response(200, &json!({"success": true}))
}

fn accept(state: &mut State, req: &Request) -> ResponseTemplate {
    let q = query(req);
    let Some(token) = q.iter().find(|(k, _)| k == "token").map(|(_, v)| v.clone()) else {
        return invalid("Invalid request: Field 'token' is required");
    };
    let b = match body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let fields: Vec<&str> = b.keys().map(String::as_str).collect();
    if let Some(r) = strict(&fields, &["email", "first_name", "last_name"]) {
        return r;
    }
    let Some((identity_email, actor)) = bearer(req).and_then(|t| state.sessions.get(&t).cloned())
    else {
        return unauthorized();
    };
    if !actor.is_empty() {
        return invalid("The user is already authenticated and cannot accept an invite.");
    }
    let Some(pos) = state.invites.iter().position(|i| i.token == token) else {
        return unauthorized();
    };
    let invite = state.invites[pos].clone();
    // A given `email` replaces the invited address (CONTRACT §6).
    let email = b
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or(&invite.email)
        .to_owned();
    if state.user_by_email(&email).is_some() {
        return unauthorized();
    }
    state.invites.remove(pos);
    let id = state.next_id("user");
    let user = user_row(
        &id,
        &email,
        b.get("first_name").cloned().unwrap_or(Value::Null),
        b.get("last_name").cloned().unwrap_or(Value::Null),
    );
    state.users.push(user.clone());
    if let Some(identity) = state
        .identities
        .iter_mut()
        .find(|i| i.email == identity_email)
    {
        identity.user_id = Some(id);
    }
    json_response(200, &json!({ "user": user }))
}

fn admin(
    state: &mut State,
    req: &Request,
    method: &str,
    rest: &[&str],
    actor: &Actor,
) -> ResponseTemplate {
    let q = query(req);
    let keys: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
    match (method, rest) {
        ("GET", ["users"]) => {
            let (limit, offset) = match list_params(&keys, &q) {
                Ok(p) => p,
                Err(r) => return r,
            };
            let get = |name: &str| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let mut rows: Vec<Map<String, Value>> = state.users.clone();
            if let Some(email) = get("email") {
                rows.retain(|u| u["email"] == email.as_str());
            }
            if let Some(text) = get("q")
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
            {
                // ILIKE without escaping: % and _ are wildcards (CONTRACT §6).
                let matches = |s: &str| like(&s.to_lowercase(), &format!("%{text}%"));
                rows.retain(|u| {
                    ["email", "first_name", "last_name"]
                        .iter()
                        .any(|f| u.get(*f).and_then(Value::as_str).is_some_and(matches))
                });
            }
            if let Err(r) = sort_by(
                &mut rows,
                get("order").as_deref(),
                &[
                    "id",
                    "email",
                    "first_name",
                    "last_name",
                    "created_at",
                    "updated_at",
                    "avatar_url",
                    "metadata",
                ],
            ) {
                return r;
            }
            list_answer("users", rows, offset, limit)
        }
        ("GET", ["users", "me"]) => {
            let id = match actor {
                Actor::User(id) | Actor::Key(id) => id,
            };
            match state.user(id) {
                Some(u) => json_response(200, &json!({ "user": u })),
                None => json_response(
                    404,
                    &json!({"type": "not_found", "message": format!("User with id: {id} was not found")}),
                ),
            }
        }
        ("GET", ["users", id]) => match state.user(id) {
            Some(u) => json_response(200, &json!({ "user": u })),
            None => json_response(
                404,
                &json!({"type": "not_found", "message": format!("User with id: {id} was not found")}),
            ),
        },
        ("POST", ["users", id]) => {
            let b = match body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let fields: Vec<&str> = b.keys().map(String::as_str).collect();
            if let Some(r) = strict(
                &fields,
                &["first_name", "last_name", "avatar_url", "metadata"],
            ) {
                return r;
            }
            let Some(user) = state.users.iter_mut().find(|u| u["id"] == *id) else {
                return json_response(
                    404,
                    &json!({"type": "not_found", "message": format!("User with id \"{id}\" not found")}),
                );
            };
            for (k, v) in &b {
                if k == "metadata" {
                    // One level deep: "" removes a key, a nested object replaces the stored one.
                    let mut merged = user
                        .get("metadata")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    for (mk, mv) in v.as_object().cloned().unwrap_or_default() {
                        if mv == json!("") {
                            merged.remove(&mk);
                        } else {
                            merged.insert(mk, mv);
                        }
                    }
                    user.insert("metadata".into(), Value::Object(merged));
                } else {
                    user.insert(k.clone(), v.clone());
                }
            }
            user.insert("updated_at".into(), json!(stamp(now())));
            json_response(200, &json!({ "user": user }))
        }
        ("DELETE", ["users", id]) => {
            if matches!(actor, Actor::User(me) if me == id) {
                return json_response(
                    400,
                    &json!({"type": "not_allowed", "message": "A user cannot delete itself"}),
                );
            }
            state.users.retain(|u| u["id"] != *id);
            state
                .identities
                .retain(|i| i.user_id.as_deref() != Some(*id));
            json_response(200, &json!({"id": id, "object": "user", "deleted": true}))
        }
        ("POST", ["users", id, "reset-password"]) => {
            let Some(email) = state
                .user(id)
                .and_then(|u| u["email"].as_str())
                .map(str::to_owned)
            else {
                return json_response(
                    404,
                    &json!({"type": "not_found", "message": format!("User with id: {id} was not found")}),
                );
            };
            let token = state.reset_token(&email);
            json_response(200, &json!({ "token": token }))
        }
        ("GET", ["invites"]) => {
            let (limit, offset) = match list_params(&keys, &q) {
                Ok(p) => p,
                Err(r) => return r,
            };
            let get = |name: &str| q.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let mut rows: Vec<Map<String, Value>> = state
                .invites
                .iter()
                .filter_map(|i| State::invite_json(i).as_object().cloned())
                .collect();
            if let Some(email) = get("email") {
                rows.retain(|i| i["email"] == email.as_str());
            }
            if let Some(text) = get("q")
                .map(|t| t.trim().to_lowercase())
                .filter(|t| !t.is_empty())
            {
                rows.retain(|i| {
                    i["email"]
                        .as_str()
                        .is_some_and(|e| like(&e.to_lowercase(), &format!("%{text}%")))
                });
            }
            if let Err(r) = sort_by(
                &mut rows,
                get("order").as_deref(),
                &["id", "email", "created_at", "updated_at", "expires_at"],
            ) {
                return r;
            }
            list_answer("invites", rows, offset, limit)
        }
        ("POST", ["invites"]) => {
            let b = match body(req) {
                Ok(b) => b,
                Err(r) => return r,
            };
            let fields: Vec<&str> = b.keys().map(String::as_str).collect();
            if let Some(r) = strict(&fields, &["email", "metadata"]) {
                return r;
            }
            let Some(email) = b.get("email").and_then(Value::as_str).map(str::to_owned) else {
                return invalid("Invalid request: Field 'email' is required");
            };
            if state.user_by_email(&email).is_some() {
                return invalid(&format!(
                    "User account for following email(s) already exist: {email}"
                ));
            }
            if state.invites.iter().any(|i| i.email == email) {
                return invalid(&format!("Invite with email: {email}, already exists."));
            }
            let id = state.next_id("invite");
            let (token, expires_at) = state.invite_token(&id, &email);
            let at = stamp(now());
            let row = InviteRow {
                id,
                email,
                token,
                expires_at,
                created_at: at.clone(),
                updated_at: at,
            };
            state.invites.push(row.clone());
            json_response(200, &json!({ "invite": State::invite_json(&row) }))
        }
        ("GET", ["invites", id]) => match state.invites.iter().find(|i| i.id == *id) {
            Some(i) => json_response(200, &json!({ "invite": State::invite_json(i) })),
            None => json_response(
                404,
                &json!({"type": "not_found", "message": format!("Invite with id: {id} was not found")}),
            ),
        },
        ("POST", ["invites", id, "resend"]) => {
            let Some(pos) = state.invites.iter().position(|i| i.id == *id) else {
                return invalid(&format!("The following invites do not exist: {id}"));
            };
            let email = state.invites[pos].email.clone();
            let (token, expires_at) = state.invite_token(id, &email);
            let row = &mut state.invites[pos];
            row.token = token;
            row.expires_at = expires_at;
            row.updated_at = stamp(now());
            let row = row.clone();
            json_response(200, &json!({ "invite": State::invite_json(&row) }))
        }
        ("DELETE", ["invites", id]) => {
            state.invites.retain(|i| i.id != *id);
            json_response(200, &json!({"id": id, "object": "invite", "deleted": true}))
        }
        ("GET", ["api-keys"]) => {
            let keys: Vec<Value> = state
                .keys
                .iter()
                .map(|k| State::key_json(k, false))
                .collect();
            let count = keys.len();
            json_response(
                200,
                &json!({"api_keys": keys, "count": count, "offset": 0, "limit": 1000}),
            )
        }
        ("POST", ["api-keys"]) => {
            let Actor::User(me) = actor else {
                return unauthorized();
            };
            let me = me.clone();
            let title = body(req)
                .ok()
                .and_then(|b| b.get("title").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default();
            let (id, _) = state.add_secret_key(&title, &me);
            let key = state.keys.iter().find(|k| k.id == id).cloned();
            match key {
                Some(k) => json_response(200, &json!({ "api_key": State::key_json(&k, true) })),
                None => unknown_error(),
            }
        }
        ("POST", ["api-keys", id, "revoke"]) => {
            let Some(key) = state.keys.iter_mut().find(|k| k.id == *id) else {
                return json_response(
                    404,
                    &json!({"type": "not_found", "message": format!("ApiKey with id: {id} was not found")}),
                );
            };
            key.revoked_at.get_or_insert_with(|| stamp(now()));
            let key = key.clone();
            json_response(200, &json!({ "api_key": State::key_json(&key, false) }))
        }
        _ => html_404(method, req.url.path()),
    }
}

/// SQL `LIKE` with `%` and `_` (no escapes), for the unescaped `q` of v2.
fn like(text: &str, pattern: &str) -> bool {
    fn go(t: &[char], p: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('%', rest)) => (0..=t.len()).any(|i| go(&t[i..], rest)),
            Some(('_', rest)) => !t.is_empty() && go(&t[1..], rest),
            Some((c, rest)) => t.first() == Some(c) && go(&t[1..], rest),
        }
    }
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    go(&t, &p)
}

/// The fake, running: an admin (`admin@medusa-test.com` / `supersecret`) and a secret key of
/// theirs.
pub struct FakeV2 {
    pub server: MockServer,
    pub state: Arc<Mutex<State>>,
    pub admin_id: String,
    pub secret_key: String,
}

impl FakeV2 {
    pub async fn start() -> FakeV2 {
        let server = MockServer::start().await;
        let mut state = State::default();
        let admin_id = state.add_user(ADMIN_EMAIL, ADMIN_PASSWORD);
        let (_, secret_key) = state.add_secret_key("medusa-users tests", &admin_id);
        let state = Arc::new(Mutex::new(state));
        Mock::given(any())
            .respond_with(Handler(state.clone()))
            .mount(&server)
            .await;
        FakeV2 {
            server,
            state,
            admin_id,
            secret_key,
        }
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }
}
