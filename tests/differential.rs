//! Differential test: the same sequence of well-formed requests goes to a fresh sandbox and to a
//! real Medusa v1 (MEDUSA_V1_URL), and the answers must agree: the same status, the same body
//! shape (keys and JSON types; ids and timestamps aside), the same error type and message, the
//! same users in lists. A step where they legitimately differ must name its entry in the
//! sandbox's DEVIATIONS table, and then each side must answer as that entry says.
//!
//! Runs only when MEDUSA_V1_URL is set (CI sets it; see .ci/run).

mod support;

use std::collections::BTreeMap;

use medusa_users::sandbox::{DEVIATIONS, Deviation};
use reqwest::Method;
use serde_json::{Value, json};
use support::differential::{Answer, assert_real_answers_as, disagreement};
use support::target::Target;

/// How a step authenticates.
#[derive(Clone, Copy, Debug)]
enum Auth {
    None,
    AdminToken,
    /// The JWT the target handed out earlier in the run, under this name.
    Jwt(&'static str),
}

struct Step {
    name: &'static str,
    method: Method,
    /// `{alice}`, `{bob}` … are replaced with that user's id on each target, `{run}` with the
    /// run's unique tag.
    path: String,
    auth: Auth,
    body: Option<Value>,
    /// The DEVIATIONS entry this step is known to trigger.
    deviation: Option<&'static str>,
}

fn step(name: &'static str, method: Method, path: &str, auth: Auth, body: Option<Value>) -> Step {
    Step {
        name,
        method,
        path: path.to_owned(),
        auth,
        body,
        deviation: None,
    }
}

/// One side's state as the run goes: user ids by name, JWTs by name, the reset token in play.
#[derive(Default)]
struct Side {
    ids: BTreeMap<String, String>,
    jwts: BTreeMap<String, String>,
    reset_token: Option<String>,
}

async fn send(http: &reqwest::Client, target: &Target, side: &Side, run: &str, s: &Step) -> Answer {
    let mut path = s.path.replace("{run}", run);
    for (name, id) in &side.ids {
        path = path.replace(&format!("{{{name}}}"), id);
    }
    let mut req = http.request(s.method.clone(), format!("{}{path}", target.url));
    req = match s.auth {
        Auth::None => req,
        Auth::AdminToken => req.header("x-medusa-access-token", &target.api_token),
        Auth::Jwt(name) => req.bearer_auth(&side.jwts[name]),
    };
    if let Some(body) = &s.body {
        let mut text = body.to_string().replace("{run}", run);
        if let Some(token) = &side.reset_token {
            text = text.replace("{reset_token}", token);
        }
        req = req.header("content-type", "application/json").body(text);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    Answer::from_text(status, text)
}

/// The JSON shape: objects as their sorted keys with the shapes of their values, strings and
/// numbers as their type; values that must match exactly are kept (role, email, names, error
/// messages), generated ones (ids, timestamps, tokens) become their type.
fn shape(v: &Value, key: Option<&str>) -> Value {
    match v {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, Value> = map
                .iter()
                // Medusa may add `password_hash: null` to an update's answer; clients ignore it.
                .filter(|(k, _)| k.as_str() != "password_hash")
                .map(|(k, v)| (k, shape(v, Some(k))))
                .collect();
            json!(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| shape(i, None)).collect()),
        Value::String(_)
            if matches!(
                key,
                Some("id" | "created_at" | "updated_at" | "deleted_at" | "access_token")
            ) =>
        {
            json!("<string>")
        }
        other => other.clone(),
    }
}

/// The answer with this side's user ids replaced by their names, so messages that quote an id
/// ("User with id: … was not found") compare equal.
fn normalize(answer: Answer, side: &Side) -> Answer {
    let mut text = answer.text;
    for (name, id) in &side.ids {
        text = text.replace(id.as_str(), &format!("{{{name}}}"));
    }
    Answer::from_text(answer.status, text)
}

fn deviation(id: &str) -> &'static Deviation {
    DEVIATIONS
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no DEVIATIONS entry {id}"))
}

fn steps() -> Vec<Step> {
    use Auth::*;
    let post = Method::POST;
    let get = Method::GET;
    let del = Method::DELETE;
    vec![
        step(
            "no credentials",
            get.clone(),
            "/admin/users",
            None,
            Option::None,
        ),
        step(
            "unknown admin route without credentials",
            get.clone(),
            "/admin/nope",
            None,
            Option::None,
        ),
        step(
            "create alice",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(
                json!({"email": "Alice-{run}@Example.com", "password": "alice-pass", "first_name": "Alice", "last_name": "Liddell", "role": "member"}),
            ),
        ),
        step(
            "create bob (minimal)",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-pass"})),
        ),
        step(
            "create carol (developer)",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(
                json!({"email": "carol-{run}@example.com", "password": "carol-pass", "first_name": "Carol", "role": "developer"}),
            ),
        ),
        step(
            "create duplicate, other case",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "BOB-{run}@EXAMPLE.COM", "password": "x"})),
        ),
        step(
            "create invalid e-mail",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "not-an-email", "password": "x"})),
        ),
        step(
            "create without password",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "nopass-{run}@example.com"})),
        ),
        step(
            "create with unknown field",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "nick-{run}@example.com", "password": "x", "nickname": "n"})),
        ),
        step(
            "create with bad role",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "role-{run}@example.com", "password": "x", "role": "owner"})),
        ),
        step(
            "create with wrong type",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "types-{run}@example.com", "password": "x", "first_name": 42})),
        ),
        step(
            "list, search by run",
            get.clone(),
            "/admin/users?q={run}",
            AdminToken,
            Option::None,
        ),
        step(
            "list by e-mail",
            get.clone(),
            "/admin/users?q={run}&order=email",
            AdminToken,
            Option::None,
        ),
        step(
            "list by e-mail, descending",
            get.clone(),
            "/admin/users?q={run}&order=-email",
            AdminToken,
            Option::None,
        ),
        step(
            "list page 2 of 1",
            get.clone(),
            "/admin/users?q={run}&limit=1&offset=1",
            AdminToken,
            Option::None,
        ),
        step(
            "list past the end",
            get.clone(),
            "/admin/users?q={run}&offset=100",
            AdminToken,
            Option::None,
        ),
        step(
            "list developers",
            get.clone(),
            "/admin/users?q={run}&role=developer",
            AdminToken,
            Option::None,
        ),
        step(
            "list two roles",
            get.clone(),
            "/admin/users?q={run}&role[]=developer&role[]=member",
            AdminToken,
            Option::None,
        ),
        step(
            "list by exact e-mail",
            get.clone(),
            "/admin/users?email=bob-{run}@example.com",
            AdminToken,
            Option::None,
        ),
        step(
            "list by first name",
            get.clone(),
            "/admin/users?q={run}&first_name=Carol",
            AdminToken,
            Option::None,
        ),
        step(
            "list fields",
            get.clone(),
            "/admin/users?q={run}&fields=id,email",
            AdminToken,
            Option::None,
        ),
        step(
            "list limit not a number",
            get.clone(),
            "/admin/users?limit=abc",
            AdminToken,
            Option::None,
        ),
        step(
            "list unknown parameter",
            get.clone(),
            "/admin/users?foo=bar",
            AdminToken,
            Option::None,
        ),
        step(
            "list bad role",
            get.clone(),
            "/admin/users?role=owner",
            AdminToken,
            Option::None,
        ),
        step(
            "get alice",
            get.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Option::None,
        ),
        step(
            "get unknown id",
            get.clone(),
            "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ",
            AdminToken,
            Option::None,
        ),
        step(
            "update names",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"first_name": "Alicia", "last_name": "L."})),
        ),
        step(
            "update role",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"role": "developer"})),
        ),
        step(
            "update bad role",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"role": "owner"})),
        ),
        step(
            "update metadata",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"metadata": {"team": "ops", "level": 3}})),
        ),
        step(
            "update metadata merge",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"metadata": {"level": 4}})),
        ),
        step(
            "update metadata unset",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"metadata": {"team": ""}})),
        ),
        step(
            "update metadata not an object",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"metadata": "x"})),
        ),
        step(
            "update null name",
            post.clone(),
            "/admin/users/{carol}",
            AdminToken,
            Some(json!({"first_name": null})),
        ),
        step(
            "update nothing",
            post.clone(),
            "/admin/users/{carol}",
            AdminToken,
            Some(json!({})),
        ),
        step(
            "update e-mail refused",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"email": "x@example.com"})),
        ),
        step(
            "update password refused",
            post.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Some(json!({"password": "x"})),
        ),
        step(
            "update unknown id",
            post.clone(),
            "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ",
            AdminToken,
            Some(json!({"first_name": "x"})),
        ),
        step(
            "update unknown id, bad body",
            post.clone(),
            "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ",
            AdminToken,
            Some(json!({"role": "owner"})),
        ),
        step(
            "log in (session)",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-pass"})),
        ),
        step(
            "log in, wrong password",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "nope"})),
        ),
        step(
            "log in, bad e-mail",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "nope", "password": "x"})),
        ),
        step(
            "token",
            post.clone(),
            "/admin/auth/token",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-pass"})),
        ),
        step(
            "token, missing fields",
            post.clone(),
            "/admin/auth/token",
            None,
            Some(json!({})),
        ),
        step(
            "who am I (JWT)",
            get.clone(),
            "/admin/auth",
            Jwt("bob"),
            Option::None,
        ),
        step(
            "list (JWT)",
            get.clone(),
            "/admin/users?q={run}",
            Jwt("bob"),
            Option::None,
        ),
        step(
            "password token",
            post.clone(),
            "/admin/users/password-token",
            None,
            Some(json!({"email": "bob-{run}@example.com"})),
        ),
        step(
            "password token, unknown e-mail",
            post.clone(),
            "/admin/users/password-token",
            None,
            Some(json!({"email": "ghost-{run}@example.com"})),
        ),
        step(
            "password token, upper case",
            post.clone(),
            "/admin/users/password-token",
            None,
            Some(json!({"email": "BOB-{run}@EXAMPLE.COM"})),
        ),
        step(
            "password token, invalid e-mail",
            post.clone(),
            "/admin/users/password-token",
            None,
            Some(json!({"email": "nope"})),
        ),
        step(
            "reset, garbage token",
            post.clone(),
            "/admin/users/reset-password",
            None,
            Some(json!({"token": "garbage", "password": "x"})),
        ),
        step(
            "reset, no password",
            post.clone(),
            "/admin/users/reset-password",
            None,
            Some(json!({"token": "{reset_token}"})),
        ),
        step(
            "reset",
            post.clone(),
            "/admin/users/reset-password",
            None,
            Some(json!({"token": "{reset_token}", "password": "bob-new-pass"})),
        ),
        step(
            "log in with the new password",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-new-pass"})),
        ),
        step(
            "log in with the old password",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-pass"})),
        ),
        Step {
            deviation: Some("bad-reset-token"),
            ..step(
                "reset, token reused",
                post.clone(),
                "/admin/users/reset-password",
                None,
                Some(json!({"token": "{reset_token}", "password": "again"})),
            )
        },
        step(
            "delete carol",
            del.clone(),
            "/admin/users/{carol}",
            AdminToken,
            Option::None,
        ),
        step(
            "get carol after delete",
            get.clone(),
            "/admin/users/{carol}",
            AdminToken,
            Option::None,
        ),
        step(
            "delete carol again",
            del.clone(),
            "/admin/users/{carol}",
            AdminToken,
            Option::None,
        ),
        step(
            "delete unknown id",
            del.clone(),
            "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ",
            AdminToken,
            Option::None,
        ),
        step(
            "list after delete",
            get.clone(),
            "/admin/users?q={run}",
            AdminToken,
            Option::None,
        ),
        step(
            "recreate carol",
            post.clone(),
            "/admin/users",
            AdminToken,
            Some(json!({"email": "carol-{run}@example.com", "password": "carol-pass"})),
        ),
        step(
            "delete bob with his own JWT",
            del.clone(),
            "/admin/users/{bob}",
            Jwt("bob"),
            Option::None,
        ),
        step(
            "deleted bob's JWT still lists",
            get.clone(),
            "/admin/users?q={run}",
            Jwt("bob"),
            Option::None,
        ),
        step(
            "deleted bob: who am I",
            get.clone(),
            "/admin/auth",
            Jwt("bob"),
            Option::None,
        ),
        step(
            "deleted bob cannot log in",
            post.clone(),
            "/admin/auth",
            None,
            Some(json!({"email": "bob-{run}@example.com", "password": "bob-new-pass"})),
        ),
        Step {
            deviation: Some("negative-limit"),
            ..step(
                "list negative limit",
                get.clone(),
                "/admin/users?limit=-1",
                AdminToken,
                Option::None,
            )
        },
        Step {
            deviation: Some("unknown-order"),
            ..step(
                "list unknown order",
                get,
                "/admin/users?order=bogus",
                AdminToken,
                Option::None,
            )
        },
        step(
            "clean up alice",
            del.clone(),
            "/admin/users/{alice}",
            AdminToken,
            Option::None,
        ),
        step(
            "clean up carol",
            del,
            "/admin/users/{carol2}",
            AdminToken,
            Option::None,
        ),
    ]
}

/// What a step's answer teaches a side: new ids, JWTs, reset tokens.
async fn learn(target: &Target, side: &mut Side, step: &Step, answer: &Answer, run: &str) {
    let name = step.name;
    let user_id = answer.body["user"]["id"].as_str().map(str::to_owned);
    match (name, user_id) {
        ("create alice", Some(id)) => drop(side.ids.insert("alice".into(), id)),
        ("create bob (minimal)", Some(id)) => drop(side.ids.insert("bob".into(), id)),
        ("create carol (developer)", Some(id)) => drop(side.ids.insert("carol".into(), id)),
        ("recreate carol", Some(id)) => drop(side.ids.insert("carol2".into(), id)),
        _ => {}
    }
    if name == "token"
        && let Some(t) = answer.body["access_token"].as_str()
    {
        side.jwts.insert("bob".into(), t.to_owned());
    }
    if name == "password token" {
        let email = format!("bob-{run}@example.com");
        let known = target.reset_tokens_for(&email).len().saturating_sub(1);
        side.reset_token = Some(target.wait_reset_token(&email, known).await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_and_real_medusa_answer_alike() {
    let Some(real) = Target::real() else {
        return;
    };
    let sandbox = Target::sandbox(0).await;
    let http = reqwest::Client::new();
    let run = uuid::Uuid::new_v4().simple().to_string()[..10].to_owned();
    let (mut ours, mut theirs) = (Side::default(), Side::default());
    let mut report = Vec::new();
    for s in steps() {
        let a = send(&http, &sandbox, &ours, &run, &s).await;
        let b = send(&http, &real, &theirs, &run, &s).await;
        learn(&sandbox, &mut ours, &s, &a, &run).await;
        learn(&real, &mut theirs, &s, &b, &run).await;
        if let Some(id) = s.deviation {
            let d = deviation(id);
            assert_eq!(
                Some(a.status),
                d.sandbox_status,
                "{}: sandbox side of {id}",
                s.name
            );
            assert_real_answers_as(s.name, id, d, &b);
            continue;
        }
        let (a, b) = (normalize(a, &ours), normalize(b, &theirs));
        report.extend(disagreement(s.name, &a, &b, |body| shape(body, None)));
    }
    assert!(
        report.is_empty(),
        "the sandbox and the real Medusa disagree (fix the sandbox, or list the difference in \
         DEVIATIONS and mark the step):\n{}",
        report.join("\n")
    );
}
