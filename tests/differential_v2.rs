//! Differential test for Medusa v2: the same sequence of well-formed requests goes to a fresh v2
//! sandbox and to a real Medusa 2.21.2 (`MEDUSA_V2_URL`), and the answers must agree: the same
//! status, the same body shape (keys and JSON types; ids, timestamps and tokens aside), the
//! same error type and message. A step where they legitimately differ names its entry in the
//! sandbox's V2_DEVIATIONS table, and then each side must answer as that entry says.
//!
//! It follows `tests/differential.rs` (v1), with v2's flows: emailpass login and refresh, the
//! users list/get/me/update, invites (list, create, resend, delete, and the invitee's register
//! and accept), the reset request and the admin mint (2.20+), secret keys (create, list,
//! revoke) and the self-delete refusal.
//!
//! Runs only when MEDUSA_V2_URL is set; with MEDUSA_V2_REQUIRED set it fails instead of skipping
//! (CI sets both; see `support::real_v2`), and it notes its name in MEDUSA_V2_RUN_LOG.

mod support;

use std::collections::BTreeMap;

use base64::Engine;
use medusa_users::sandbox::{Deviation, V2_DEVIATIONS};
use reqwest::Method;
use serde_json::{Value, json};
use support::differential::{Answer, assert_real_answers_as, disagreement};
use support::target::Target;

/// How a step authenticates.
#[derive(Clone, Copy, Debug)]
enum Auth {
    None,
    /// The target's admin secret key, as HTTP Basic.
    Key,
    /// `Authorization: Bearer` with the side's variable of this name (a JWT or reset token).
    Bearer(&'static str),
    /// HTTP Basic with the side's variable of this name (a secret key made in the run).
    Basic(&'static str),
}

struct Step {
    name: &'static str,
    method: Method,
    /// `{run}` is the run's tag; `{var}` is the side's variable `var` (ids, tokens).
    path: &'static str,
    auth: Auth,
    body: Option<Value>,
    /// Variables this step's answer defines: (name, JSON pointer into the answer).
    save: &'static [(&'static str, &'static str)],
    /// The V2_DEVIATIONS entry this step is known to trigger.
    deviation: Option<&'static str>,
}

fn step(name: &'static str, method: Method, path: &'static str, auth: Auth) -> Step {
    Step {
        name,
        method,
        path,
        auth,
        body: None,
        save: &[],
        deviation: None,
    }
}

impl Step {
    fn body(mut self, body: Value) -> Step {
        self.body = Some(body);
        self
    }
    fn save(mut self, save: &'static [(&'static str, &'static str)]) -> Step {
        self.save = save;
        self
    }
    fn deviation(mut self, id: &'static str) -> Step {
        self.deviation = Some(id);
        self
    }
}

/// One side's state as the run goes: ids and tokens by name.
#[derive(Default)]
struct Side {
    vars: BTreeMap<String, String>,
}

impl Side {
    fn fill(&self, text: &str, run: &str) -> String {
        let mut out = text.replace("{run}", run);
        for (name, value) in &self.vars {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    fn var(&self, name: &str, step: &str) -> String {
        self.vars
            .get(name)
            .unwrap_or_else(|| panic!("{step}: no {name} on this side (an earlier step failed?)"))
            .clone()
    }
}

fn basic(key: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn send(http: &reqwest::Client, target: &Target, side: &Side, run: &str, s: &Step) -> Answer {
    let path = side.fill(s.path, run);
    let mut req = http.request(s.method.clone(), format!("{}{path}", target.url));
    req = match s.auth {
        Auth::None => req,
        Auth::Key => req.header("authorization", basic(&target.api_token)),
        Auth::Bearer(var) => req.bearer_auth(side.var(var, s.name)),
        Auth::Basic(var) => req.header("authorization", basic(&side.var(var, s.name))),
    };
    if let Some(body) = &s.body {
        let text = side.fill(&body.to_string(), run);
        req = req.header("content-type", "application/json").body(text);
    }
    let resp = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}: {} unreachable: {e}", s.name, target.name));
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    Answer::from_text(status, text)
}

/// Keys whose string values are generated (ids, times, tokens) and so compare by type only.
const GENERATED: [&str; 11] = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
    "token",
    "redacted",
    "salt",
    "created_by",
];

/// The JSON shape: objects as their sorted keys with the shapes of their values; values that
/// must match exactly are kept (e-mails, names, metadata, messages, flags), generated ones
/// become `<string>`.
fn shape(v: &Value, key: Option<&str>) -> Value {
    match v {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> =
                map.iter().map(|(k, v)| (k, shape(v, Some(k)))).collect();
            json!(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| shape(i, None)).collect()),
        Value::String(_) if key.is_some_and(|k| GENERATED.contains(&k)) => json!("<string>"),
        other => other.clone(),
    }
}

/// Replaces every `<prefix>_<26-character ULID>` with `<prefix>_<id>`, for ids neither side
/// named (the admin key's `apk_…` in "User with id: apk_… was not found").
fn mask_ulids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for prefix in ["user_", "invite_", "apk_", "authid_"] {
            if let Some(tail) = rest.strip_prefix(prefix)
                && tail.len() >= 26
                && tail.as_bytes()[..26]
                    .iter()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            {
                out.push_str(prefix);
                out.push_str("<id>");
                rest = &tail[26..];
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// The answer with this side's variables replaced by their names (longest first, so a token
/// is not half-replaced by a shorter value inside it), then any other ULID id masked.
fn normalize(answer: Answer, side: &Side) -> Answer {
    let mut text = answer.text;
    let mut vars: Vec<(&String, &String)> = side.vars.iter().collect();
    vars.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (name, value) in vars {
        if value.len() >= 8 {
            text = text.replace(value.as_str(), &format!("{{{name}}}"));
        }
    }
    let text = mask_ulids(&text);
    Answer::from_text(answer.status, text)
}

fn deviation(id: &str) -> &'static Deviation {
    V2_DEVIATIONS
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no V2_DEVIATIONS entry {id}"))
}

fn steps() -> Vec<Step> {
    use Auth::*;
    let post = || Method::POST;
    let get = || Method::GET;
    let del = || Method::DELETE;
    let login = "/auth/user/emailpass";
    vec![
        // Authentication.
        step("no credentials", get(), "/admin/users", None),
        step("log in the admin", post(), login, None)
            .body(json!({"email": "{admin_email}", "password": "{admin_password}"}))
            .save(&[("admin_jwt", "/token")]),
        step("log in, wrong password", post(), login, None)
            .body(json!({"email": "{admin_email}", "password": "wrong-password"})),
        step("log in, unknown e-mail", post(), login, None)
            .body(json!({"email": "ghost-{run}@example.com", "password": "x"})),
        step("log in, no password", post(), login, None).body(json!({"email": "{admin_email}"})),
        step(
            "refresh the admin's JWT",
            post(),
            "/auth/token/refresh",
            Bearer("admin_jwt"),
        )
        .save(&[("admin_jwt2", "/token")]),
        step(
            "refresh without a token",
            post(),
            "/auth/token/refresh",
            None,
        ),
        step("me (JWT)", get(), "/admin/users/me", Bearer("admin_jwt"))
            .save(&[("admin", "/user/id")]),
        step(
            "me (refreshed JWT)",
            get(),
            "/admin/users/me",
            Bearer("admin_jwt2"),
        ),
        step("me (secret key)", get(), "/admin/users/me", Key),
        step(
            "bearer secret key refused",
            get(),
            "/admin/users?q={run}",
            Bearer("admin_key"),
        ),
        // Invites.
        step("invite alice", post(), "/admin/invites", Key)
            .body(json!({"email": "alice-{run}@example.com"}))
            .save(&[
                ("alice_invite", "/invite/id"),
                ("alice_token", "/invite/token"),
            ]),
        step("invite bob", post(), "/admin/invites", Key)
            .body(json!({"email": "bob-{run}@example.com", "metadata": {"source": "differential"}}))
            .save(&[("bob_invite", "/invite/id"), ("bob_token", "/invite/token")]),
        step(
            "invite carol",
            post(),
            "/admin/invites",
            Bearer("admin_jwt"),
        )
        .body(json!({"email": "carol-{run}@example.com"}))
        .save(&[("carol_invite", "/invite/id")]),
        step("invite dave", post(), "/admin/invites", Key)
            .body(json!({"email": "dave-{run}@example.com"}))
            .save(&[
                ("dave_invite", "/invite/id"),
                ("dave_old_token", "/invite/token"),
            ]),
        step("invite alice again", post(), "/admin/invites", Key)
            .body(json!({"email": "alice-{run}@example.com"})),
        step("invite, unknown field", post(), "/admin/invites", Key)
            .body(json!({"email": "erin-{run}@example.com", "nickname": "e"})),
        step("invite, no e-mail", post(), "/admin/invites", Key).body(json!({})),
        step("list invites", get(), "/admin/invites?q={run}", Key),
        step(
            "list invites by e-mail",
            get(),
            "/admin/invites?q={run}&order=email",
            Key,
        ),
        step(
            "list invites descending",
            get(),
            "/admin/invites?q={run}&order=-email",
            Key,
        ),
        step(
            "list invites page 2",
            get(),
            "/admin/invites?q={run}&order=email&limit=2&offset=2",
            Key,
        ),
        step(
            "list invites by exact e-mail",
            get(),
            "/admin/invites?email=bob-{run}@example.com",
            Key,
        ),
        step(
            "list invites, unknown parameter",
            get(),
            "/admin/invites?foo=bar",
            Key,
        ),
        step("get an invite", get(), "/admin/invites/{bob_invite}", Key),
        step(
            "resend dave's invite",
            post(),
            "/admin/invites/{dave_invite}/resend",
            Key,
        )
        .save(&[("dave_token", "/invite/token")]),
        step(
            "resend an unknown invite",
            post(),
            "/admin/invites/invite_01KZZZZZZZZZZZZZZZZZZZZZZZ/resend",
            Key,
        ),
        step(
            "delete carol's invite",
            del(),
            "/admin/invites/{carol_invite}",
            Key,
        ),
        step(
            "get the deleted invite",
            get(),
            "/admin/invites/{carol_invite}",
            Key,
        ),
        step(
            "delete it again",
            del(),
            "/admin/invites/{carol_invite}",
            Key,
        ),
        // The invitee's side: register an identity, then accept with its token.
        step(
            "register alice",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "alice-{run}@example.com", "password": "alice-pass"}))
        .save(&[("alice_reg", "/token")]),
        step(
            "admin route with an actor-less token",
            get(),
            "/admin/users?q={run}",
            Bearer("alice_reg"),
        ),
        step(
            "accept, no token in the query",
            post(),
            "/admin/invites/accept",
            Bearer("alice_reg"),
        )
        .body(json!({})),
        step(
            "accept, garbage invite token",
            post(),
            "/admin/invites/accept?token=garbage",
            Bearer("alice_reg"),
        )
        .body(json!({})),
        step(
            "accept, no bearer",
            post(),
            "/admin/invites/accept?token={alice_token}",
            None,
        )
        .body(json!({})),
        step(
            "accept alice",
            post(),
            "/admin/invites/accept?token={alice_token}",
            Bearer("alice_reg"),
        )
        .body(json!({"first_name": "Alice", "last_name": "Liddell"}))
        .save(&[("alice", "/user/id")]),
        step(
            "accept alice's invite again",
            post(),
            "/admin/invites/accept?token={alice_token}",
            Bearer("alice_reg"),
        )
        .body(json!({})),
        step(
            "get alice's accepted invite",
            get(),
            "/admin/invites/{alice_invite}",
            Key,
        ),
        step(
            "register alice again",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "alice-{run}@example.com", "password": "alice-pass"})),
        step(
            "refresh the registration token",
            post(),
            "/auth/token/refresh",
            Bearer("alice_reg"),
        )
        .save(&[("alice_jwt", "/token")]),
        step(
            "register bob",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "bob-{run}@example.com", "password": "bob-pass"}))
        .save(&[("bob_reg", "/token")]),
        step(
            "register bob again, same password",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "bob-{run}@example.com", "password": "bob-pass"}))
        .save(&[("bob_reg", "/token")]),
        step(
            "register bob again, other password",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "bob-{run}@example.com", "password": "other-pass"})),
        step(
            "accept bob, unknown field",
            post(),
            "/admin/invites/accept?token={bob_token}",
            Bearer("bob_reg"),
        )
        .body(json!({"nickname": "b"})),
        step(
            "accept bob",
            post(),
            "/admin/invites/accept?token={bob_token}",
            Bearer("bob_reg"),
        )
        .body(json!({}))
        .save(&[("bob", "/user/id")]),
        step(
            "register dave",
            post(),
            "/auth/user/emailpass/register",
            None,
        )
        .body(json!({"email": "dave-{run}@example.com", "password": "dave-pass"}))
        .save(&[("dave_reg", "/token")]),
        step(
            "accept dave with the superseded token",
            post(),
            "/admin/invites/accept?token={dave_old_token}",
            Bearer("dave_reg"),
        )
        .body(json!({})),
        step(
            "accept dave",
            post(),
            "/admin/invites/accept?token={dave_token}",
            Bearer("dave_reg"),
        )
        .body(json!({"first_name": "Dave"}))
        .save(&[("dave", "/user/id")]),
        step(
            "accept while logged in as an admin",
            post(),
            "/admin/invites/accept?token={dave_token}",
            Bearer("admin_jwt"),
        )
        .body(json!({})),
        step("invite an existing user", post(), "/admin/invites", Key)
            .body(json!({"email": "alice-{run}@example.com"})),
        step(
            "list invites after the accepts",
            get(),
            "/admin/invites?q={run}",
            Key,
        ),
        step("log in as alice", post(), login, None)
            .body(json!({"email": "alice-{run}@example.com", "password": "alice-pass"}))
            .save(&[("alice_jwt", "/token")]),
        step("me as alice", get(), "/admin/users/me", Bearer("alice_jwt")),
        // Users.
        step("list users", get(), "/admin/users?q={run}", Key),
        step(
            "list users by e-mail",
            get(),
            "/admin/users?q={run}&order=email",
            Key,
        ),
        step(
            "list users descending",
            get(),
            "/admin/users?q={run}&order=-email",
            Key,
        ),
        step(
            "list users by first name",
            get(),
            "/admin/users?q={run}&order=first_name",
            Key,
        ),
        step(
            "list users page 2",
            get(),
            "/admin/users?q={run}&order=email&limit=1&offset=1",
            Key,
        ),
        step(
            "list users past the end",
            get(),
            "/admin/users?q={run}&offset=100",
            Key,
        ),
        step(
            "list users, limit 0",
            get(),
            "/admin/users?q={run}&limit=0",
            Key,
        ),
        step(
            "list users by exact e-mail",
            get(),
            "/admin/users?email=bob-{run}@example.com",
            Key,
        ),
        step(
            "list users by first name filter",
            get(),
            "/admin/users?q={run}&first_name=Dave",
            Key,
        ),
        step(
            "list users, fields",
            get(),
            "/admin/users?q={run}&order=email&fields=id,email",
            Key,
        ),
        step(
            "list users, search by name",
            get(),
            "/admin/users?q=Liddell&email=alice-{run}@example.com",
            Key,
        ),
        step(
            "list users, limit not a number",
            get(),
            "/admin/users?limit=abc",
            Key,
        ),
        step(
            "list users, unknown parameter",
            get(),
            "/admin/users?role=admin",
            Key,
        ),
        step(
            "list users with alice's JWT",
            get(),
            "/admin/users?q={run}&order=email",
            Bearer("alice_jwt"),
        ),
        step("get alice", get(), "/admin/users/{alice}", Key),
        step(
            "get alice, fields",
            get(),
            "/admin/users/{alice}?fields=id,email",
            Key,
        ),
        step(
            "get an unknown id",
            get(),
            "/admin/users/user_01KZZZZZZZZZZZZZZZZZZZZZZZ",
            Key,
        ),
        step("update names", post(), "/admin/users/{alice}", Key)
            .body(json!({"first_name": "Alicia", "last_name": "L."})),
        step("update avatar", post(), "/admin/users/{alice}", Key)
            .body(json!({"avatar_url": "https://example.com/a.png"})),
        step("update metadata", post(), "/admin/users/{alice}", Key)
            .body(json!({"metadata": {"team": "ops", "level": 3}})),
        step(
            "update metadata merge",
            post(),
            "/admin/users/{alice}",
            Bearer("admin_jwt"),
        )
        .body(json!({"metadata": {"level": 4}})),
        step("update metadata unset", post(), "/admin/users/{alice}", Key)
            .body(json!({"metadata": {"team": ""}})),
        step("update null name", post(), "/admin/users/{alice}", Key)
            .body(json!({"last_name": null, "avatar_url": null})),
        step("update nothing", post(), "/admin/users/{alice}", Key).body(json!({})),
        step("update e-mail refused", post(), "/admin/users/{alice}", Key)
            .body(json!({"email": "x-{run}@example.com"})),
        step("update role refused", post(), "/admin/users/{alice}", Key)
            .body(json!({"role": "admin"})),
        step("update wrong type", post(), "/admin/users/{alice}", Key)
            .body(json!({"first_name": 42})),
        step(
            "update an unknown id",
            post(),
            "/admin/users/user_01KZZZZZZZZZZZZZZZZZZZZZZZ",
            Key,
        )
        .body(json!({"first_name": "x"})),
        step(
            "get alice after the updates",
            get(),
            "/admin/users/{alice}",
            Key,
        ),
        // Password reset: the user's request (the token arrives as an event), then the update.
        step(
            "reset request",
            post(),
            "/auth/user/emailpass/reset-password",
            None,
        )
        .body(json!({"identifier": "bob-{run}@example.com"})),
        step(
            "reset request, unknown e-mail",
            post(),
            "/auth/user/emailpass/reset-password",
            None,
        )
        .body(json!({"identifier": "ghost-{run}@example.com"})),
        step(
            "reset request, no identifier",
            post(),
            "/auth/user/emailpass/reset-password",
            None,
        )
        .body(json!({})),
        step(
            "reset with a login JWT",
            post(),
            "/auth/user/emailpass/update",
            Bearer("alice_jwt"),
        )
        .body(json!({"password": "x"})),
        step(
            "reset bob",
            post(),
            "/auth/user/emailpass/update",
            Bearer("bob_reset"),
        )
        .body(json!({"password": "bob-new-pass"})),
        step(
            "reset bob, token reused",
            post(),
            "/auth/user/emailpass/update",
            Bearer("bob_reset"),
        )
        .body(json!({"password": "again"})),
        step("log in bob, new password", post(), login, None)
            .body(json!({"email": "bob-{run}@example.com", "password": "bob-new-pass"}))
            .save(&[("bob_jwt", "/token")]),
        step("log in bob, old password", post(), login, None)
            .body(json!({"email": "bob-{run}@example.com", "password": "bob-pass"})),
        // The admin mint (2.20+).
        step(
            "mint a reset token for dave",
            post(),
            "/admin/users/{dave}/reset-password",
            Key,
        )
        .save(&[("dave_reset", "/token")]),
        step(
            "mint for an unknown user",
            post(),
            "/admin/users/user_01KZZZZZZZZZZZZZZZZZZZZZZZ/reset-password",
            Key,
        ),
        step(
            "reset dave, no password",
            post(),
            "/auth/user/emailpass/update",
            Bearer("dave_reset"),
        )
        .body(json!({})),
        step(
            "reset dave with the burnt token",
            post(),
            "/auth/user/emailpass/update",
            Bearer("dave_reset"),
        )
        .body(json!({"password": "dave-new-pass"})),
        step(
            "mint again",
            post(),
            "/admin/users/{dave}/reset-password",
            Bearer("admin_jwt"),
        )
        .save(&[("dave_reset", "/token")]),
        step(
            "reset dave",
            post(),
            "/auth/user/emailpass/update",
            Bearer("dave_reset"),
        )
        .body(json!({"password": "dave-new-pass"})),
        step("log in dave, new password", post(), login, None)
            .body(json!({"email": "dave-{run}@example.com", "password": "dave-new-pass"})),
        // Secret keys.
        step(
            "create a secret key",
            post(),
            "/admin/api-keys",
            Bearer("admin_jwt"),
        )
        .body(json!({"title": "key-{run}", "type": "secret"}))
        .save(&[("key", "/api_key/id"), ("key_token", "/api_key/token")]),
        step("create a key, no type", post(), "/admin/api-keys", Key)
            .body(json!({"title": "key2-{run}"})),
        step(
            "list secret keys by title",
            get(),
            "/admin/api-keys?type=secret&title=key-{run}",
            Key,
        ),
        step("get the key", get(), "/admin/api-keys/{key}", Key),
        step(
            "use the new key",
            get(),
            "/admin/users?q={run}&order=email&limit=1",
            Basic("key_token"),
        ),
        step(
            "delete the key before revoking",
            del(),
            "/admin/api-keys/{key}",
            Key,
        ),
        step(
            "revoke the key",
            post(),
            "/admin/api-keys/{key}/revoke",
            Key,
        ),
        step(
            "use the revoked key",
            get(),
            "/admin/users?q={run}",
            Basic("key_token"),
        ),
        step(
            "list the revoked key",
            get(),
            "/admin/api-keys?type=secret&title=key-{run}",
            Key,
        ),
        step("delete the key", del(), "/admin/api-keys/{key}", Key),
        // Deletion.
        step(
            "alice deletes herself",
            del(),
            "/admin/users/{alice}",
            Bearer("alice_jwt"),
        ),
        step(
            "the admin deletes itself",
            del(),
            "/admin/users/{admin}",
            Bearer("admin_jwt"),
        ),
        step(
            "delete bob",
            del(),
            "/admin/users/{bob}",
            Bearer("alice_jwt"),
        ),
        step("get bob after delete", get(), "/admin/users/{bob}", Key),
        step("delete bob again", del(), "/admin/users/{bob}", Key),
        step(
            "deleted bob's JWT still lists",
            get(),
            "/admin/users?q={run}&order=email",
            Bearer("bob_jwt"),
        ),
        step(
            "deleted bob: me",
            get(),
            "/admin/users/me",
            Bearer("bob_jwt"),
        ),
        step("deleted bob cannot log in", post(), login, None)
            .body(json!({"email": "bob-{run}@example.com", "password": "bob-new-pass"})),
        step("bob can be invited again", post(), "/admin/invites", Key)
            .body(json!({"email": "bob-{run}@example.com"}))
            .save(&[("bob_invite2", "/invite/id")]),
        // Known deviations: the real server crashes on these.
        step(
            "list users, negative limit",
            get(),
            "/admin/users?limit=-1",
            Key,
        )
        .deviation("v2-negative-limit"),
        step(
            "list users, negative offset",
            get(),
            "/admin/users?offset=-1",
            Key,
        )
        .deviation("v2-negative-offset"),
        step(
            "list users, unknown order",
            get(),
            "/admin/users?order=bogus",
            Key,
        )
        .deviation("v2-unknown-order"),
        step(
            "list invites, unknown order",
            get(),
            "/admin/invites?order=bogus",
            Key,
        )
        .deviation("v2-unknown-invite-order"),
        // Clean up what the run made on the shared real server.
        step(
            "clean up bob's new invite",
            del(),
            "/admin/invites/{bob_invite2}",
            Key,
        ),
        step("clean up alice", del(), "/admin/users/{alice}", Key),
        step("clean up dave", del(), "/admin/users/{dave}", Key),
        step(
            "list users after clean-up",
            get(),
            "/admin/users?q={run}",
            Key,
        ),
    ]
}

/// What a step's answer teaches a side: the variables it names, and for the reset request the
/// token the server's event delivered.
async fn learn(target: &Target, side: &mut Side, step: &Step, answer: &Answer, run: &str) {
    for (name, pointer) in step.save {
        if let Some(v) = answer.body.pointer(pointer).and_then(Value::as_str) {
            side.vars.insert((*name).to_owned(), v.to_owned());
        }
    }
    if step.name == "reset request" && answer.status == 201 {
        // The e-mail is new this run, so the first reset token for it is this one.
        let email = format!("bob-{run}@example.com");
        let token = target.wait_token("reset", &email, 0).await;
        side.vars.insert("bob_reset".into(), token);
    }
}

fn start_side(target: &Target) -> Side {
    let mut side = Side::default();
    side.vars.insert("admin_email".into(), target.email.clone());
    side.vars
        .insert("admin_password".into(), target.password.clone());
    side.vars
        .insert("admin_key".into(), target.api_token.clone());
    side
}

#[tokio::test(flavor = "multi_thread")]
async fn v2_sandbox_and_real_medusa_answer_alike() {
    let Some(real) = Target::real_v2() else {
        return;
    };
    let sandbox = Target::sandbox_v2(0).await;
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let run = uuid::Uuid::new_v4().simple().to_string()[..10].to_owned();
    let (mut ours, mut theirs) = (start_side(&sandbox), start_side(&real));
    let mut report = Vec::new();
    for s in steps() {
        let a = send(&http, &sandbox, &ours, &run, &s).await;
        let b = send(&http, &real, &theirs, &run, &s).await;
        learn(&sandbox, &mut ours, &s, &a, &run).await;
        learn(&real, &mut theirs, &s, &b, &run).await;
        // The trail, for a failure's log (shown with --nocapture or when the test fails).
        eprintln!("{}: sandbox {}, real {}", s.name, a.status, b.status);
        if let Some(id) = s.deviation {
            let d = deviation(id);
            assert_eq!(
                Some(a.status),
                d.sandbox_status,
                "{}: sandbox side of {id}: {}",
                s.name,
                a.text
            );
            if let Some(message) = d.sandbox_message {
                assert_eq!(
                    a.body["message"], message,
                    "{}: sandbox side of {id}",
                    s.name
                );
            }
            assert_real_answers_as(s.name, id, d, &b);
            continue;
        }
        let (a, b) = (normalize(a, &ours), normalize(b, &theirs));
        report.extend(disagreement(s.name, &a, &b, |body| shape(body, None)));
    }
    assert!(
        report.is_empty(),
        "the v2 sandbox and the real Medusa 2.21.2 disagree on {} step(s) (fix the sandbox, or \
         list the difference in V2_DEVIATIONS and mark the step):\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The comparison's own pieces, so a broken normaliser cannot make the differential vacuous.
#[test]
fn normalising_keeps_what_must_match() {
    assert_eq!(
        mask_ulids("User with id: apk_01KBCDEFGHJKMNPQRSTVWXYZ01 was not found"),
        "User with id: apk_<id> was not found"
    );
    assert_eq!(mask_ulids("user_short"), "user_short");
    let mut side = Side::default();
    side.vars
        .insert("alice".into(), "user_01KAAAAAAAAAAAAAAAAAAAAAAA".into());
    let a = normalize(
        Answer {
            status: 200,
            body: Value::Null,
            text: r#"{"user":{"id":"user_01KAAAAAAAAAAAAAAAAAAAAAAA","email":"a@x.com","metadata":{"level":4}}}"#.into(),
        },
        &side,
    );
    assert_eq!(a.body["user"]["id"], "{alice}");
    let s = shape(&a.body, None);
    assert_eq!(s["user"]["id"], "<string>");
    assert_eq!(s["user"]["email"], "a@x.com", "e-mails compare exactly");
    assert_eq!(
        s["user"]["metadata"]["level"], 4,
        "metadata compares exactly"
    );
    assert_ne!(
        shape(&json!({"message": "a"}), None),
        shape(&json!({"message": "b"}), None),
        "messages compare exactly"
    );
}
