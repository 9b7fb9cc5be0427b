//! The v1 sandbox's invites beyond the recorded story: where the tokens go (the outbox), and the
//! state rules a client relies on (accept makes the user with the invite's role and removes the
//! invite; v1 quirks: old tokens keep working after a resend, resend revives an expired invite).

use crate::support::sandbox::*;
use medusa_users::sandbox::{ADMIN_API_TOKEN, SandboxConfig};
use serde_json::{Value, json};

async fn invites(http: &reqwest::Client, url: &str) -> Vec<Value> {
    let (status, page) = admin_get(http, format!("{url}/admin/invites")).await;
    assert_eq!(status, 200);
    page["invites"].as_array().unwrap().clone()
}

async fn post(http: &reqwest::Client, url: &str, path: &str, body: Value) -> (u16, String) {
    let resp = as_admin(http.post(format!("{url}{path}")))
        .json(&body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn accept(http: &reqwest::Client, url: &str, token: &str, password: &str) -> (u16, String) {
    // Accept is unauthenticated: no admin credentials here.
    let resp = http
        .post(format!("{url}/admin/invites/accept"))
        .json(&json!({"token": token, "user": {"password": password, "first_name": "Ivy"}}))
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn invite_tokens_go_to_the_outbox_file_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.jsonl");
    let sb = start(SandboxConfig {
        outbox: Some(outbox.clone()),
        ..SandboxConfig::ephemeral()
    })
    .await;
    let http = client();
    let url = sb.url();
    let body = json!({"user": "Ivy@Example.com", "role": "developer"});
    assert_eq!(
        post(&http, &url, "/admin/invites", body).await,
        (200, "OK".into())
    );
    let listed = invites(&http, &url).await;
    let id = listed[0]["id"].as_str().unwrap();
    let path = format!("/admin/invites/{id}/resend");
    assert_eq!(post(&http, &url, &path, json!({})).await.0, 200);

    let lines: Vec<Value> = std::fs::read_to_string(&outbox)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "create and resend: {lines:?}");
    for line in &lines {
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["event", "email", "token"]);
        // v1 emits invite.created for a resend as well.
        assert_eq!(line["event"], "invite.created");
        assert_eq!(line["email"], "Ivy@Example.com", "the case is kept");
    }
    let after = invites(&http, &url).await;
    assert_eq!(
        lines[1]["token"], after[0]["token"],
        "the newest token is listed"
    );
    assert_eq!(sb.invite_tokens("ivy@example.com").len(), 2);
    assert!(sb.reset_tokens("ivy@example.com").is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn accept_makes_the_user_with_the_rows_role_and_removes_the_invite() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    let body = json!({"user": "Dan@Example.com", "role": "member"});
    post(&http, &url, "/admin/invites", body).await;
    let first = sb.invite_tokens("dan@example.com")[0].clone();
    // Re-invite with another role, then resend: three tokens, all for the same row.
    let body = json!({"user": "Dan@Example.com", "role": "developer"});
    post(&http, &url, "/admin/invites", body).await;
    let id = invites(&http, &url).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        &http,
        &url,
        &format!("/admin/invites/{id}/resend"),
        json!({}),
    )
    .await;
    assert_eq!(invites(&http, &url).await.len(), 1);
    assert_eq!(sb.invite_tokens("dan@example.com").len(), 3);

    // v1 never compares the token with the stored one: the first still works.
    assert_eq!(
        accept(&http, &url, &first, "dan-pass").await,
        (200, "OK".into())
    );
    assert!(
        invites(&http, &url).await.is_empty(),
        "accept deletes the row"
    );
    let (status, page) = admin_get(&http, format!("{url}/admin/users?email=dan@example.com")).await;
    assert_eq!(status, 200);
    let user = &page["users"][0];
    assert_eq!(user["role"], "developer", "the role stored at accept time");
    assert_eq!(user["first_name"], "Ivy");
    assert_eq!(user["api_token"], Value::Null);
    let (status, body) = accept(&http, &url, &first, "dan-pass").await;
    assert_eq!(status, 400);
    assert!(body.contains("Invalid invite"), "{body}");
    // The new user can log in at once.
    let resp = http
        .post(format!("{url}/admin/auth/token"))
        .json(&json!({"email": "dan@example.com", "password": "dan-pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_expired_invite_is_listed_refused_and_revived_by_resend() {
    let dir = tempfile::tempdir().unwrap();
    let (sb, db) = on_file(dir.path()).await;
    let http = client();
    let url = sb.url();
    post(
        &http,
        &url,
        "/admin/invites",
        json!({"user": "x@example.com", "role": "admin"}),
    )
    .await;
    let token = sb.invite_tokens("x@example.com")[0].clone();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE invite SET expires_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
    let listed = invites(&http, &url).await;
    assert_eq!(listed[0]["expires_at"], "2000-01-01T00:00:00.000Z");
    let (status, body) = accept(&http, &url, &token, "p").await;
    assert_eq!(
        (status, body.contains("Invalid invite")),
        (400, true),
        "{body}"
    );
    let id = listed[0]["id"].as_str().unwrap();
    post(
        &http,
        &url,
        &format!("/admin/invites/{id}/resend"),
        json!({}),
    )
    .await;
    assert_eq!(
        accept(&http, &url, &token, "p").await.0,
        200,
        "the old token too"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn invite_routes_need_credentials_but_accept_does_not() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    for (method, path) in [
        (reqwest::Method::GET, "/admin/invites"),
        (reqwest::Method::POST, "/admin/invites"),
        (reqwest::Method::POST, "/admin/invites/invite_1/resend"),
        (reqwest::Method::DELETE, "/admin/invites/invite_1"),
        (reqwest::Method::GET, "/admin/invites/accept"),
    ] {
        let resp = http
            .request(method.clone(), format!("{url}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{method} {path}");
    }
    let resp = http
        .post(format!("{url}/admin/invites/accept"))
        .header("x-medusa-access-token", ADMIN_API_TOKEN)
        .json(&json!({"token": "garbage", "user": {"password": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap(),
        json!({"type": "invalid_data", "message": "Token is not valid"})
    );
    sb.shutdown().await;
}

/// `invite-list-order` in DEVIATIONS: oldest first, and an update does not move a row.
#[tokio::test]
async fn invites_are_listed_oldest_first() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    for user in ["b@example.com", "a@example.com", "c@example.com"] {
        post(
            &http,
            &url,
            "/admin/invites",
            json!({"user": user, "role": "member"}),
        )
        .await;
    }
    // Re-invite the first: same row, renewed.
    post(
        &http,
        &url,
        "/admin/invites",
        json!({"user": "b@example.com", "role": "admin"}),
    )
    .await;
    let order: Vec<String> = invites(&http, &url)
        .await
        .iter()
        .map(|i| i["user_email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(order, ["b@example.com", "a@example.com", "c@example.com"]);
    sb.shutdown().await;
}
