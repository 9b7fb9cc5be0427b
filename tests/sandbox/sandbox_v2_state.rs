//! The v2 sandbox's state rules, each on its own (the replay covers the recorded story): reset
//! tokens are single-use, a newer one voids the older, a failed update burns its token;
//! a resend voids the old invite token; an accepted invite is gone; accept's `email` replaces
//! the invited address; a half-done create resumes by registering again with the same password;
//! self-deletion is refused and a deletion removes the login; revoked keys stop working. Also
//! where tokens go (the outbox) and that one database file serves both dialects.

use crate::support::sandbox::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use medusa_users::sandbox::{
    ADMIN_API_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD, Dialect, Sandbox, SandboxConfig,
    V2_ADMIN_SECRET_KEY,
};
use reqwest::Method;
use serde_json::{Value, json};

struct V2 {
    sandbox: Sandbox,
    http: reqwest::Client,
    admin: String,
}

impl V2 {
    async fn start() -> V2 {
        V2::with(v2_ephemeral().await).await
    }

    async fn with(sandbox: Sandbox) -> V2 {
        let http = client();
        let mut v = V2 {
            sandbox,
            http,
            admin: String::new(),
        };
        v.admin = v.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        v
    }

    /// Sends `body` as JSON with `auth` as the Authorization header (if any).
    async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Value,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.sandbox.url()))
            .json(&body);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn as_admin(&self, method: Method, path: &str, body: Value) -> (u16, Value) {
        let bearer = format!("Bearer {}", self.admin);
        self.call(method, path, Some(&bearer), body).await
    }

    async fn login(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .call(
                Method::POST,
                "/auth/user/emailpass",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(status, 200, "login {email}: {body}");
        body["token"].as_str().unwrap().to_owned()
    }

    async fn register(&self, email: &str, password: &str) -> (u16, Value) {
        self.call(
            Method::POST,
            "/auth/user/emailpass/register",
            None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Invite → register → accept: the new user's id.
    async fn create_user(&self, email: &str, password: &str) -> String {
        let invite = self.invite(email).await;
        let (_, reg) = self.register(email, password).await;
        let (status, body) = self
            .accept(&invite["token"], &reg["token"], json!({}))
            .await;
        assert_eq!(status, 200, "{body}");
        body["user"]["id"].as_str().unwrap().to_owned()
    }

    async fn invite(&self, email: &str) -> Value {
        let (status, body) = self
            .as_admin(Method::POST, "/admin/invites", json!({"email": email}))
            .await;
        assert_eq!(status, 200, "{body}");
        body["invite"].clone()
    }

    async fn accept(&self, invite_token: &Value, bearer: &Value, body: Value) -> (u16, Value) {
        let path = format!(
            "/admin/invites/accept?token={}",
            invite_token.as_str().unwrap()
        );
        let auth = format!("Bearer {}", bearer.as_str().unwrap());
        self.call(Method::POST, &path, Some(&auth), body).await
    }

    async fn update_password(&self, token: &str, body: Value) -> (u16, Value) {
        let auth = format!("Bearer {token}");
        self.call(
            Method::POST,
            "/auth/user/emailpass/update",
            Some(&auth),
            body,
        )
        .await
    }

    async fn request_reset(&self, email: &str) {
        let (status, body) = self
            .call(
                Method::POST,
                "/auth/user/emailpass/reset-password",
                None,
                json!({"identifier": email}),
            )
            .await;
        assert_eq!((status, body), (201, json!("Created")));
    }
}

fn invalid_token() -> Value {
    json!({"type": "unauthorized", "message": "Invalid token"})
}

#[tokio::test]
async fn reset_tokens_are_single_use_and_a_newer_one_voids_the_older() {
    let v = V2::start().await;
    v.create_user("rita@example.com", "old-pass").await;
    v.request_reset("rita@example.com").await;
    v.request_reset("rita@example.com").await;
    let issued = v.sandbox.reset_tokens("rita@example.com");
    assert_eq!(issued.len(), 2);
    let (older, newer) = (&issued[0], &issued[1]);
    let body = json!({"password": "new-pass"});
    assert_eq!(
        v.update_password(older, body.clone()).await,
        (401, invalid_token())
    );
    assert_eq!(
        v.update_password(newer, body.clone()).await,
        (200, json!({"success": true}))
    );
    assert_eq!(
        v.update_password(newer, body).await,
        (401, invalid_token()),
        "used up"
    );
    v.login("rita@example.com", "new-pass").await;
    // Unknown identifiers answer the same and mail nothing.
    v.request_reset("nobody@example.com").await;
    assert!(v.sandbox.reset_tokens("nobody@example.com").is_empty());
}

#[tokio::test]
async fn a_failed_update_burns_the_token() {
    let v = V2::start().await;
    let id = v.create_user("sam@example.com", "sam-pass").await;
    let (status, minted) = v
        .as_admin(
            Method::POST,
            &format!("/admin/users/{id}/reset-password"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let token = minted["token"].as_str().unwrap();
    assert_eq!(
        v.sandbox.reset_tokens("sam@example.com"),
        [token],
        "mailed too"
    );
    assert_eq!(
        v.update_password(token, json!({"password": ""})).await,
        (
            401,
            json!({"type": "unauthorized", "message": "Unauthorized"})
        )
    );
    assert_eq!(
        v.update_password(token, json!({"password": "fine"})).await,
        (401, invalid_token()),
        "burnt by the failed attempt"
    );
    v.login("sam@example.com", "sam-pass").await;
    // A login token is no reset token, and the token only counts in the header.
    let (status, _) = v
        .call(
            Method::POST,
            &format!("/auth/user/emailpass/update?token={token}"),
            None,
            json!({"password": "x"}),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(
        v.update_password(&v.admin, json!({"password": "x"})).await,
        (401, invalid_token())
    );
}

#[tokio::test]
async fn a_resend_voids_the_old_invite_token_and_an_accepted_invite_is_gone() {
    let v = V2::start().await;
    let invite = v.invite("ivy@example.com").await;
    let id = invite["id"].as_str().unwrap();
    let (status, resent) = v
        .as_admin(
            Method::POST,
            &format!("/admin/invites/{id}/resend"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_ne!(resent["invite"]["token"], invite["token"]);
    let (_, reg) = v.register("ivy@example.com", "ivy-pass").await;
    let unauthorized = json!({"message": "Unauthorized"});
    let (status, body) = v.accept(&invite["token"], &reg["token"], json!({})).await;
    assert_eq!((status, body), (401, unauthorized.clone()), "the old token");
    let (status, body) = v
        .accept(
            &resent["invite"]["token"],
            &reg["token"],
            json!({"first_name": "Ivy"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["first_name"], "Ivy");
    let (status, _) = v
        .as_admin(Method::GET, &format!("/admin/invites/{id}"), json!({}))
        .await;
    assert_eq!(status, 404, "accepted invites are deleted");
    let (_, list) = v.as_admin(Method::GET, "/admin/invites", json!({})).await;
    assert_eq!(list["count"], 0);
    let (status, body) = v
        .as_admin(
            Method::POST,
            &format!("/admin/invites/{id}/resend"),
            json!({}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        format!("The following invites do not exist: {id}")
    );
    let (status, body) = v
        .accept(&resent["invite"]["token"], &reg["token"], json!({}))
        .await;
    assert_eq!((status, body), (401, unauthorized));
    // The outbox saw the create and the resend, in order.
    let tokens = v.sandbox.invite_tokens("ivy@example.com");
    assert_eq!(
        tokens,
        [
            invite["token"].as_str().unwrap(),
            resent["invite"]["token"].as_str().unwrap()
        ]
    );
}

#[tokio::test]
async fn accept_takes_the_bodys_email_and_any_registered_identity() {
    let v = V2::start().await;
    let invite = v.invite("invited@example.com").await;
    let (_, reg) = v.register("other@example.com", "other-pass").await;
    let (status, body) = v
        .accept(
            &invite["token"],
            &reg["token"],
            json!({"email": "Chosen@Example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["email"], "Chosen@Example.com", "kept as sent");
    // The identity that accepted logs in as that user.
    let token = v.login("other@example.com", "other-pass").await;
    let (_, me) = v
        .call(
            Method::GET,
            "/admin/users/me",
            Some(&format!("Bearer {token}")),
            json!({}),
        )
        .await;
    assert_eq!(me["user"]["email"], "Chosen@Example.com");
    // An admin cannot accept; a conflicting e-mail is a bare 401 and keeps the invite.
    let second = v.invite("second@example.com").await;
    let (status, body) = v.accept(&second["token"], &json!(v.admin), json!({})).await;
    assert_eq!(status, 400, "{body}");
    let (_, reg2) = v.register("third@example.com", "p3").await;
    let (status, _) = v
        .accept(
            &second["token"],
            &reg2["token"],
            json!({"email": ADMIN_EMAIL}),
        )
        .await;
    assert_eq!(status, 401);
    let (_, list) = v
        .as_admin(
            Method::GET,
            "/admin/invites?email=second@example.com",
            json!({}),
        )
        .await;
    assert_eq!(list["count"], 1, "the invite stays pending");
}

#[tokio::test]
async fn registering_again_with_the_same_password_resumes_a_create() {
    let v = V2::start().await;
    let invite = v.invite("resume@example.com").await;
    let (status, first) = v.register("resume@example.com", "pw-1").await;
    assert_eq!(status, 200);
    // Interrupted here; run again: the same identity answers like a login.
    let (status, again) = v.register("resume@example.com", "pw-1").await;
    assert_eq!(status, 200, "{again}");
    let exists = json!({"type": "unauthorized", "message": "Identity with email already exists"});
    assert_eq!(
        v.register("resume@example.com", "pw-2").await,
        (401, exists.clone())
    );
    let (status, body) = v.accept(&invite["token"], &again["token"], json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = v
        .as_admin(
            Method::GET,
            "/admin/users?email=resume@example.com",
            json!({}),
        )
        .await;
    assert_eq!(list["count"], 1, "one user, not two");
    assert_eq!(
        v.register("resume@example.com", "pw-1").await,
        (401, exists)
    );
    // The first registration token, refreshed, now speaks for the user.
    let (status, refreshed) = v
        .call(
            Method::POST,
            "/auth/token/refresh",
            Some(&format!("Bearer {}", first["token"].as_str().unwrap())),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, me) = v
        .call(
            Method::GET,
            "/admin/users/me",
            Some(&format!("Bearer {}", refreshed["token"].as_str().unwrap())),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, &me["user"]["email"]),
        (200, &json!("resume@example.com"))
    );
}

#[tokio::test]
async fn self_delete_is_refused_and_a_deleted_user_loses_the_login() {
    let v = V2::start().await;
    let (_, me) = v.as_admin(Method::GET, "/admin/users/me", json!({})).await;
    let admin_id = me["user"]["id"].as_str().unwrap().to_owned();
    assert!(
        admin_id.starts_with("user_") && admin_id.len() == 31,
        "{admin_id}"
    );
    let (status, body) = v
        .as_admin(
            Method::DELETE,
            &format!("/admin/users/{admin_id}"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"type": "not_allowed", "message": "A user cannot delete itself"})
        )
    );
    let id = v.create_user("gone@example.com", "gone-pass").await;
    let token = v.login("gone@example.com", "gone-pass").await;
    let expected = json!({"id": id, "object": "user", "deleted": true});
    for _ in 0..2 {
        let (status, body) = v
            .as_admin(Method::DELETE, &format!("/admin/users/{id}"), json!({}))
            .await;
        assert_eq!((status, body), (200, expected.clone()), "idempotent");
    }
    let (status, _) = v
        .call(
            Method::POST,
            "/auth/user/emailpass",
            None,
            json!({"email": "gone@example.com", "password": "gone-pass"}),
        )
        .await;
    assert_eq!(status, 401);
    let bearer = format!("Bearer {token}");
    let (status, _) = v
        .call(Method::GET, "/admin/users", Some(&bearer), json!({}))
        .await;
    assert_eq!(
        status, 200,
        "a deleted user's JWT still passes, as on the real server"
    );
    let (status, _) = v
        .call(Method::GET, "/admin/users/me", Some(&bearer), json!({}))
        .await;
    assert_eq!(status, 404);
    // The address can be invited again.
    v.invite("gone@example.com").await;
}

#[tokio::test]
async fn secret_keys_work_over_basic_until_revoked() {
    let v = V2::start().await;
    let (status, created) = v
        .as_admin(
            Method::POST,
            "/admin/api-keys",
            json!({"title": "ci", "type": "secret"}),
        )
        .await;
    assert_eq!(status, 200);
    let key = created["api_key"]["token"].as_str().unwrap().to_owned();
    let id = created["api_key"]["id"].as_str().unwrap().to_owned();
    let (_, me) = v.as_admin(Method::GET, "/admin/users/me", json!({})).await;
    assert_eq!(created["api_key"]["created_by"], me["user"]["id"]);
    for form in [
        STANDARD.encode(format!("{key}:")),
        STANDARD.encode(&key),
        key.clone(),
    ] {
        let (status, _) = v
            .call(
                Method::GET,
                "/admin/users",
                Some(&format!("Basic {form}")),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "Basic {form}");
    }
    let (status, body) = v
        .call(
            Method::GET,
            "/admin/users",
            Some(&format!("Bearer {key}")),
            json!({}),
        )
        .await;
    assert_eq!(status, 401);
    assert!(
        body["message"].as_str().unwrap().contains("HTTP Basic"),
        "{body}"
    );
    let (status, body) = v
        .call(
            Method::GET,
            "/admin/users/me",
            Some(&format!("Basic {key}")),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["message"], format!("User with id: {id} was not found"));
    let (_, listed) = v
        .as_admin(Method::GET, &format!("/admin/api-keys/{id}"), json!({}))
        .await;
    assert_eq!(listed["api_key"]["token"], "", "shown once");
    assert_eq!(
        listed["api_key"]["redacted"],
        format!("sk_{}***{}", &key[3..6], &key[64..])
    );

    let (status, body) = v
        .as_admin(Method::DELETE, &format!("/admin/api-keys/{id}"), json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["type"], "not_allowed");
    let (status, revoked) = v
        .as_admin(
            Method::POST,
            &format!("/admin/api-keys/{id}/revoke"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(revoked["api_key"]["revoked_by"], me["user"]["id"]);
    let (status, _) = v
        .call(
            Method::GET,
            "/admin/users",
            Some(&format!("Basic {key}")),
            json!({}),
        )
        .await;
    assert_eq!(status, 401, "revoked");
    let (status, _) = v
        .as_admin(Method::DELETE, &format!("/admin/api-keys/{id}"), json!({}))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_seeded_key_and_the_v1_header() {
    let v = V2::start().await;
    let basic = format!("Basic {V2_ADMIN_SECRET_KEY}");
    let (status, page) = v
        .call(Method::GET, "/admin/users", Some(&basic), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["users"][0]["email"], ADMIN_EMAIL);
    assert!(
        page["users"][0].get("role").is_none(),
        "v2 users have no role"
    );
    // v1's API token header is ignored, whatever it carries.
    for token in [ADMIN_API_TOKEN, V2_ADMIN_SECRET_KEY, v.admin.as_str()] {
        let resp = v
            .http
            .get(format!("{}/admin/users", v.sandbox.url()))
            .header("x-medusa-access-token", token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(
            resp.json::<Value>().await.unwrap(),
            json!({"message": "Unauthorized"})
        );
    }
    // The probe a client detects v2 with needs no credentials.
    let (status, body) = v
        .call(Method::GET, "/auth/user/providers", None, json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["providers"][0]["id"], "emailpass");
}

#[tokio::test]
async fn e_mails_are_case_sensitive_as_on_v2() {
    let v = V2::start().await;
    v.create_user("alice@example.com", "a-pass").await;
    let (status, _) = v
        .as_admin(
            Method::POST,
            "/admin/invites",
            json!({"email": "alice@example.com"}),
        )
        .await;
    assert_eq!(status, 400);
    v.create_user("ALICE@example.com", "b-pass").await;
    let (_, list) = v
        .as_admin(Method::GET, "/admin/users?q=alice", json!({}))
        .await;
    assert_eq!(list["count"], 2, "two users");
    let (status, _) = v
        .call(
            Method::POST,
            "/auth/user/emailpass",
            None,
            json!({"email": "Alice@example.com", "password": "a-pass"}),
        )
        .await;
    assert_eq!(status, 401, "login is exact");
}

#[tokio::test]
async fn v2_events_go_to_the_outbox_file() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.jsonl");
    let v = V2::with(
        start(SandboxConfig {
            outbox: Some(outbox.clone()),
            ..v2_config()
        })
        .await,
    )
    .await;
    let invite = v.invite("ola@example.com").await;
    let id = invite["id"].as_str().unwrap();
    v.as_admin(
        Method::POST,
        &format!("/admin/invites/{id}/resend"),
        json!({}),
    )
    .await;
    v.request_reset(ADMIN_EMAIL).await;
    let lines: Vec<Value> = std::fs::read_to_string(&outbox)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let events: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["event"].as_str().unwrap(), l["email"].as_str().unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            ("invite.created", "ola@example.com"),
            ("invite.resent", "ola@example.com"),
            ("auth.password_reset", ADMIN_EMAIL),
        ]
    );
    assert_eq!(lines[0]["token"], invite["token"]);
    assert_eq!(lines[0].as_object().unwrap().len(), 3);
}

#[tokio::test]
async fn one_database_file_serves_both_dialects_apart() {
    let dir = tempfile::tempdir().unwrap();
    let config = file_config(dir.path());
    let v1 = start(config.clone()).await;
    let resp = as_admin(client().post(format!("{}/admin/users", v1.url())))
        .json(&json!({"email": "v1only@example.com", "password": "p"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    v1.shutdown().await;

    let v2 = V2::with(
        start(SandboxConfig {
            dialect: Dialect::V2,
            seed: 3,
            ..config.clone()
        })
        .await,
    )
    .await;
    let (_, list) = v2.as_admin(Method::GET, "/admin/users", json!({})).await;
    assert_eq!(
        list["count"], 4,
        "the v2 admin and three samples, no v1 user: {list}"
    );
    v2.create_user("v2only@example.com", "p").await;
    v2.sandbox.shutdown().await;

    let again = V2::with(
        start(SandboxConfig {
            dialect: Dialect::V2,
            ..config.clone()
        })
        .await,
    )
    .await;
    let (_, list) = again.as_admin(Method::GET, "/admin/users", json!({})).await;
    assert_eq!(list["count"], 5, "kept, not seeded twice");
    again.sandbox.shutdown().await;

    let v1 = start(config).await;
    let (_, page) = json(
        as_admin(client().get(format!("{}/admin/users?q=only", v1.url())))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(emails(&page), ["v1only@example.com"]);
    v1.shutdown().await;
}
