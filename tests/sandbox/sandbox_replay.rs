//! Replays the 230 exchanges recorded from a real Medusa 1.20.11 (tests/fixtures/medusa-v1, in
//! story order: users and auth 001–134, then invites 201–296) against one fresh sandbox and
//! checks every answer: status, error type and message, plain-text bodies and their
//! Content-Type, and the JSON shape (same keys in the same order, same JSON types, same values
//! except generated ids, timestamps and tokens; user lists hold the same users in the same order
//! with the same count; invite lists the same invites, in any order, see `DEVIATIONS`).
//!
//! Recorded ids, session cookies, JWTs and reset and invite tokens are the real server's; the
//! replay maps them to the sandbox's own as they appear (user ids from create and login answers,
//! invite ids from invite lists, cookies from login answers, JWTs from `/admin/auth/token`,
//! reset tokens from `Sandbox::reset_tokens`). Tokens the real run forged or computed offline
//! (and invite tokens, which the real run read from its database) are minted here the same way,
//! against the sandbox's secrets and the password hashes in its database file. The one invite
//! the real run expired by hand in its database is expired the same way here.
//!
//! Cases listed in `DEVIATIONS` are checked against that table instead of the recording.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::support::sandbox::*;
use medusa_users::sandbox::{DEVIATIONS, Deviation, Sandbox, tokens};
use serde_json::{Map, Value, json};

struct Replay {
    sandbox: Sandbox,
    db: PathBuf,
    http: reqwest::Client,
    /// Recorded user id → sandbox user id.
    ids: HashMap<String, String>,
    /// Recorded `connect.sid=…` → sandbox `connect.sid=…`.
    cookies: HashMap<String, String>,
    /// Recorded admin JWT → sandbox admin JWT.
    jwts: HashMap<String, String>,
    /// Recorded invite id → sandbox invite id.
    invites: HashMap<String, String>,
}

fn now() -> u64 {
    tokens::now_secs()
}

impl Replay {
    fn map_id(&self, id: &str) -> String {
        self.ids.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// Recorded ids inside a path or message, replaced by the sandbox's.
    fn map_ids_in(&self, text: &str) -> String {
        self.ids
            .iter()
            .chain(&self.invites)
            .fold(text.to_owned(), |acc, (rec, ours)| {
                acc.replace(rec.as_str(), ours)
            })
    }

    /// The sandbox's invites, `(id, user_email)`, oldest first.
    async fn sandbox_invites(&self) -> Vec<(String, String)> {
        let (status, page) = json(
            as_admin(
                self.http
                    .get(format!("{}/admin/invites", self.sandbox.url())),
            )
            .send()
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        page["invites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let field = |k: &str| i[k].as_str().unwrap().to_owned();
                (field("id"), field("user_email"))
            })
            .collect()
    }

    /// Maps a recorded invite id in a path that no list showed yet. The real run read it from
    /// its database right after creating the invite, so it is the newest sandbox invite no
    /// list has shown; ids the real run made up ("not-an-id", `invite_01HZZZ…`) have no
    /// counterpart and stay as they are.
    async fn map_invite_path(&mut self, path: &str) -> String {
        let unseen = path
            .split('/')
            .find(|seg| seg.starts_with("invite_01M") && !self.invites.contains_key(*seg));
        if let Some(rec) = unseen {
            let mapped: Vec<String> = self.invites.values().cloned().collect();
            if let Some((ours, _)) = self
                .sandbox_invites()
                .await
                .into_iter()
                .rev()
                .find(|(id, _)| !mapped.contains(id))
            {
                self.invites.insert(rec.to_owned(), ours);
            }
        }
        self.map_ids_in(path)
    }

    /// The sandbox's counterpart of a recorded invite token: the same claims, for the sandbox
    /// invite with that exact e-mail, signed with the sandbox's secret (or, like the real run,
    /// with a wrong one). An admin JWT used as an invite token maps to the sandbox's.
    async fn map_invite_token(&mut self, case: &str, token: &str) -> String {
        if let Some(ours) = self.jwts.get(token) {
            return ours.clone();
        }
        let Some(mut claims) = tokens::peek_claims(token) else {
            return token.to_owned(); // "garbage"
        };
        if let (Some(Value::String(rec_id)), Some(Value::String(email))) =
            (claims.get("invite_id"), claims.get("user_email"))
        {
            let ours = match self.invites.get(rec_id) {
                Some(ours) => Some(ours.clone()),
                None => self
                    .sandbox_invites()
                    .await
                    .into_iter()
                    .find(|(_, e)| e == email)
                    .map(|(id, _)| id),
            };
            if let Some(ours) = ours {
                self.invites.insert(rec_id.clone(), ours.clone());
                claims.insert("invite_id".into(), json!(ours));
            }
        }
        let key = match case {
            "accept-invite-wrong-secret" => b"not-the-sandbox-secret".to_vec(),
            _ => self.sandbox.jwt_secret().into_bytes(),
        };
        sign(&Value::Object(claims), &key)
    }

    /// The real run expired xena's invite by hand (`UPDATE invite SET expires_at = …`).
    fn expire_invite(&self, user_email: &str) {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let n = conn
            .execute(
                "UPDATE invite SET expires_at = '2000-01-01T00:00:00.000Z' WHERE user_email = ?1",
                [user_email],
            )
            .unwrap();
        assert_eq!(n, 1, "one invite for {user_email}");
    }

    fn hash_of(&self, email: &str) -> String {
        password_hash_in(&self.db, email).unwrap_or_else(|| panic!("{email} has a password"))
    }

    /// The sandbox's counterpart of a recorded `Authorization: Bearer` token.
    fn map_bearer(&self, case: &str, token: &str) -> String {
        if let Some(ours) = self.jwts.get(token) {
            return ours.clone();
        }
        let claims = tokens::peek_claims(token);
        match (case, claims) {
            // Signed by the real run with a secret that was not the server's.
            ("auth-bearer-wrong-secret", Some(mut c)) => {
                let uid = self.map_id(c["user_id"].as_str().unwrap());
                c.insert("user_id".into(), json!(uid));
                sign(&Value::Object(c), b"not-the-sandbox-secret")
            }
            // The server's own secret, but a storefront customer's or an invite's claims.
            ("auth-bearer-store-domain" | "invite-token-as-bearer", Some(c)) => {
                sign(&Value::Object(c), self.sandbox.jwt_secret().as_bytes())
            }
            // Not a JWT the real server issued ("not.a.jwt", an API token): sent as recorded.
            _ => token.to_owned(),
        }
    }

    /// The sandbox's counterpart of a recorded password-reset token.
    fn map_reset_token(&self, case: &str, token: &str) -> String {
        let Some(claims) = tokens::peek_claims(token) else {
            return token.to_owned(); // "garbage"
        };
        let email = claims["email"].as_str().unwrap();
        let user_id = self.map_id(claims["user_id"].as_str().unwrap());
        let t = now();
        // Minted offline the way the real run did: HS256, key = the password-hash text.
        let mint = |exp: u64| {
            sign(
                &json!({"user_id": user_id, "email": email, "exp": exp, "iat": t}),
                self.hash_of(email).as_bytes(),
            )
        };
        match case {
            "reset-password-expired-token" => mint(t - 60),
            // Signed with carol's hash but claiming alice's id (mapped above).
            "reset-password-user-id-mismatch" => mint(t + 900),
            "reset-password-computed-token" => mint(t + 900),
            // Mailed by the server: the newest one the sandbox issued for that address.
            _ => self
                .sandbox
                .reset_tokens(email)
                .last()
                .cloned()
                .unwrap_or_else(|| panic!("{case}: no reset token was issued for {email}")),
        }
    }

    async fn send(&mut self, case: &str, request: &Value) -> Answer {
        let method =
            reqwest::Method::from_bytes(request["method"].as_str().unwrap().as_bytes()).unwrap();
        let path = self
            .map_invite_path(request["path"].as_str().unwrap())
            .await;
        let accepting = path.starts_with("/admin/invites/accept");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.sandbox.url()));
        for (name, value) in request["headers"].as_object().unwrap() {
            let value = value.as_str().unwrap();
            let value = match name.to_ascii_lowercase().as_str() {
                "cookie" => self
                    .cookies
                    .get(value)
                    .unwrap_or_else(|| panic!("{case}: cookie from no recorded login"))
                    .clone(),
                "authorization" => match value.strip_prefix("Bearer ") {
                    Some(t) => format!("Bearer {}", self.map_bearer(case, t)),
                    None => value.to_owned(),
                },
                _ => value.to_owned(),
            };
            req = req.header(name.as_str(), value);
        }
        match &request["body"] {
            Value::Null => {}
            Value::String(raw) => req = req.body(raw.clone()),
            body => {
                let mut body = body.clone();
                if let Some(t) = body.get("token").and_then(Value::as_str) {
                    let mapped = if accepting {
                        if case == "accept-invite-expired" {
                            let claims = tokens::peek_claims(t).unwrap();
                            self.expire_invite(claims["user_email"].as_str().unwrap());
                        }
                        self.map_invite_token(case, t).await
                    } else {
                        self.map_reset_token(case, t)
                    };
                    body["token"] = json!(mapped);
                }
                req = req.body(self.map_ids_in(&body.to_string()));
            }
        }
        let resp = req.send().await.unwrap();
        Answer::read(resp).await
    }

    /// Learns invite ids from a list answer (by exact e-mail, which is unique among invites),
    /// and puts ours in the recorded order: the real list has none (see `DEVIATIONS`).
    fn align_invites(&mut self, recorded: &Value, ours: &mut Answer) {
        let (Some(rec), Ok(mut page)) = (
            recorded["body"]["invites"].as_array(),
            serde_json::from_str::<Value>(&ours.body),
        ) else {
            return;
        };
        let Some(mine) = page["invites"].as_array_mut() else {
            return;
        };
        let mut sorted = Vec::new();
        for r in rec {
            let email = &r["user_email"];
            if let Some(i) = mine.iter().position(|m| &m["user_email"] == email) {
                let m = mine.remove(i);
                self.invites.insert(
                    r["id"].as_str().unwrap().to_owned(),
                    m["id"].as_str().unwrap().to_owned(),
                );
                sorted.push(m);
            }
        }
        // Whatever the recording does not have stays at the end, for `compare` to report.
        sorted.append(mine);
        page["invites"] = Value::Array(sorted);
        ours.body = page.to_string();
    }

    /// Learns the sandbox's counterparts of what a recorded answer introduced.
    fn learn(&mut self, recorded: &Value, ours: &Answer) {
        let Ok(ours_json) = serde_json::from_str::<Value>(&ours.body) else {
            return;
        };
        let rec_body = &recorded["body"];
        if let (Some(rec), Some(mine)) = (
            rec_body.pointer("/user/id").and_then(Value::as_str),
            ours_json.pointer("/user/id").and_then(Value::as_str),
        ) {
            self.ids
                .entry(rec.to_owned())
                .or_insert_with(|| mine.to_owned());
        }
        if let (Some(rec), Some(mine)) = (
            rec_body["access_token"].as_str(),
            ours_json["access_token"].as_str(),
        ) {
            self.jwts.insert(rec.to_owned(), mine.to_owned());
        }
        let cookie_pair = |s: &str| s.split(';').next().unwrap().to_owned();
        if let (Some(rec), Some(mine)) = (
            recorded["headers"]["set-cookie"].as_str(),
            ours.set_cookie.as_deref(),
        ) {
            self.cookies.insert(cookie_pair(rec), cookie_pair(mine));
        }
    }

    /// Compares a recorded JSON value with ours at `at`.
    fn compare(&self, case: &str, at: &str, rec: &Value, ours: &Value) {
        match (rec, ours) {
            (Value::Object(r), Value::Object(o)) => {
                let rk: Vec<&String> = r.keys().collect();
                let ok: Vec<&String> = o.keys().collect();
                assert_eq!(rk, ok, "{case}: keys at {at}");
                for (k, rv) in r {
                    self.compare_field(case, &format!("{at}.{k}"), k, rv, &o[k]);
                }
            }
            (Value::Array(r), Value::Array(o)) => {
                assert_eq!(r.len(), o.len(), "{case}: length of {at}");
                for (i, (rv, ov)) in r.iter().zip(o).enumerate() {
                    self.compare(case, &format!("{at}[{i}]"), rv, ov);
                }
            }
            _ => assert_eq!(rec, ours, "{case}: value at {at}"),
        }
    }

    fn compare_field(&self, case: &str, at: &str, key: &str, rec: &Value, ours: &Value) {
        match key {
            "id" if rec.as_str().is_some_and(|s| s.starts_with("invite_01")) => {
                // Made-up ids are echoed as they are.
                let rec = rec.as_str().unwrap_or_default();
                let expected = self.invites.get(rec).map_or(rec, String::as_str);
                assert_eq!(ours.as_str(), Some(expected), "{case}: {at}");
            }
            "id" if rec.as_str().is_some_and(|s| s.starts_with("usr_")) => {
                let mine = ours
                    .as_str()
                    .unwrap_or_else(|| panic!("{case}: {at} not a string"));
                assert!(is_user_id(mine), "{case}: {at} = {mine}");
                if let Some(expected) = self.ids.get(rec.as_str().unwrap_or_default()) {
                    assert_eq!(mine, expected, "{case}: {at} is another user");
                }
            }
            "created_at" | "updated_at" | "deleted_at" | "expires_at" => match (rec, ours) {
                (Value::Null, Value::Null) => {}
                (Value::String(_), Value::String(s)) => {
                    assert!(is_js_timestamp(s), "{case}: {at} = {s}");
                }
                _ => panic!("{case}: {at}: recorded {rec}, sandbox {ours}"),
            },
            "access_token" | "token" => {
                let t = ours.as_str().unwrap_or_else(|| panic!("{case}: {at}"));
                assert_eq!(t.split('.').count(), 3, "{case}: {at} is a JWT");
            }
            _ => self.compare(case, at, rec, ours),
        }
    }

    fn check(&self, case: &str, recorded: &Value, ours: &Answer) {
        let rec_status = recorded["status"].as_u64().unwrap() as u16;
        let what = format!("{case}: sandbox answered {} {:?}", ours.status, ours.body);
        if let Some(d) = Deviation::for_case(case) {
            let expected_status = d.sandbox_status.unwrap();
            let expected = json!({"type": "invalid_data", "message": d.sandbox_message.unwrap()});
            assert_eq!(ours.status, expected_status, "{what}");
            let body: Value = serde_json::from_str(&ours.body).unwrap();
            assert_eq!(body, expected, "{what}");
            assert!(
                rec_status != expected_status || recorded["body"] != expected,
                "{case} is listed as a deviation but the real server answered the same"
            );
            return;
        }
        assert_eq!(ours.status, rec_status, "{what}");
        let rec_ct = recorded["headers"]["content-type"].as_str();
        let mime = |ct: Option<&str>| ct.map(|c| c.split(';').next().unwrap().trim().to_owned());
        assert_eq!(
            mime(ours.content_type.as_deref()),
            mime(rec_ct),
            "{what}: content type"
        );
        match &recorded["body"] {
            Value::Null => assert_eq!(ours.body, "", "{what}"),
            Value::String(text) if text.starts_with("<!DOCTYPE html>") => {
                // Express's error page; the sandbox leaves out the stack trace.
                let first = text
                    .split("<pre>")
                    .nth(1)
                    .and_then(|p| p.split("<br>").next())
                    .unwrap();
                let first = self.map_ids_in(first);
                assert!(ours.body.contains(&first), "{what}: expected {first:?}");
            }
            Value::String(text) => assert_eq!(&ours.body, text, "{what}"),
            rec if rec.get("type").is_some() && rec.get("message").is_some() => {
                let body: Value = serde_json::from_str(&ours.body).unwrap();
                let mut expected = rec.clone();
                expected["message"] = json!(self.map_ids_in(rec["message"].as_str().unwrap()));
                assert_eq!(body, expected, "{what}");
            }
            rec => {
                let body: Value = serde_json::from_str(&ours.body).unwrap();
                self.compare(case, "body", rec, &body);
            }
        }
    }
}

#[tokio::test]
async fn the_recorded_story_replays_against_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let config = file_config(dir.path());
    let db = config.data.clone().unwrap();
    let mut replay = Replay {
        sandbox: start(config).await,
        db,
        http: client(),
        ids: HashMap::new(),
        cookies: HashMap::new(),
        jwts: HashMap::new(),
        invites: HashMap::new(),
    };
    let index = index();
    assert_eq!(index.len(), 230);
    let mut deviating = Vec::new();
    for entry in &index {
        let case = entry["case"].as_str().unwrap();
        let rec = recording(entry["file"].as_str().unwrap());
        assert_eq!(rec["case"], case);
        let mut ours = replay.send(case, &rec["request"]).await;
        replay.align_invites(&rec["response"], &mut ours);
        replay.check(case, &rec["response"], &ours);
        replay.learn(&rec["response"], &ours);
        if Deviation::for_case(case).is_some() {
            deviating.push(case);
        }
    }
    // Every user the story created got a sandbox id, and nothing is left unmapped.
    assert_eq!(
        replay.ids.len(),
        11,
        "admin, alice, bob, carol, emptypass, bob again, dave, zombie; uma, lena, sam"
    );
    assert_eq!(
        replay.jwts.len(),
        5,
        "two users' story, then admin, alice and mona"
    );
    // alice, mona, dan, UMA, rita, jay, xena, lena, Zoe, zoe, sam, eve, kim
    assert_eq!(replay.invites.len(), 13);
    // Exactly the recorded cases the table names were treated as deviations.
    let listed: Vec<&str> = DEVIATIONS
        .iter()
        .flat_map(|d| d.cases.iter().copied())
        .collect();
    assert_eq!(
        deviating.len(),
        listed.len(),
        "listed: {listed:?}, seen: {deviating:?}"
    );
    replay.sandbox.shutdown().await;
}

#[test]
fn every_case_the_deviation_table_names_was_recorded() {
    let cases: Vec<String> = index()
        .iter()
        .map(|e| e["case"].as_str().unwrap().to_owned())
        .collect();
    for d in DEVIATIONS {
        for case in d.cases {
            assert!(
                cases.iter().any(|c| c == case),
                "{}: unknown case {case}",
                d.id
            );
        }
    }
    // The table covers every 500 the real server gave: none of them is reproduced.
    for e in index() {
        if e["status"] == 500 {
            let case = e["case"].as_str().unwrap();
            assert!(
                Deviation::for_case(case).is_some(),
                "{case} answered 500 but is not listed"
            );
        }
    }
}

#[test]
fn recorded_users_and_errors_have_the_documented_shapes() {
    // The fixture itself: a user from GET has exactly the documented keys, in order.
    let r = recording("070-get-user.json");
    let user: &Map<String, Value> = r["response"]["body"]["user"].as_object().unwrap();
    let keys: Vec<&str> = user.keys().map(String::as_str).collect();
    assert_eq!(keys, crate::support::V1_USER_KEYS);
    let e = recording("071-get-user-not-found.json");
    let keys: Vec<&str> = e["response"]["body"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["type", "message"]);
}
