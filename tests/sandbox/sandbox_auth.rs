//! Which routes need credentials and which ignore them, the three credential kinds, and the
//! real server's stateless quirks (a deleted user's session and JWT keep working).

use crate::support::sandbox::*;
use medusa_users::sandbox::{ADMIN_API_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD, tokens};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, SET_COOKIE};
use serde_json::json;

/// Every authenticated route, as Medusa's router has them.
const PROTECTED: [(&str, &str); 10] = [
    ("GET", "/admin/auth"),
    ("DELETE", "/admin/auth"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/"),
    ("POST", "/admin/users"),
    ("GET", "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
    ("POST", "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
    ("DELETE", "/admin/users/usr_01HZZZZZZZZZZZZZZZZZZZZZZZ"),
    // Auth runs before routing: unknown admin paths are 401s too.
    ("GET", "/admin/does-not-exist"),
    ("GET", "/admin/users/password-token"),
];

/// The four routes on Medusa's unauthenticated router.
const OPEN: [&str; 4] = [
    "/admin/auth",
    "/admin/auth/token",
    "/admin/users/password-token",
    "/admin/users/reset-password",
];

#[tokio::test]
async fn protected_routes_answer_a_bare_401_without_valid_credentials() {
    let sb = ephemeral().await;
    let http = client();
    let bad_credentials: [(&str, &str); 5] = [
        ("x-none", "x"),
        ("x-medusa-access-token", "nope"),
        ("authorization", "Bearer not.a.jwt"),
        ("authorization", "Bearer local-dev-admin-api-token"),
        ("cookie", "connect.sid=s%3Aforged.c2lnbmF0dXJl"),
    ];
    for (method, path) in PROTECTED {
        for (name, value) in bad_credentials {
            let resp = http
                .request(
                    Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{}{path}", sb.url()),
                )
                .header(name, value)
                .header(CONTENT_TYPE, "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 401, "{method} {path} with {name}");
            assert!(
                resp.headers().get(CONTENT_TYPE).is_none(),
                "{method} {path}"
            );
            assert_eq!(resp.text().await.unwrap(), "Unauthorized");
        }
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn open_routes_ignore_credentials_entirely() {
    let sb = ephemeral().await;
    let http = client();
    for path in OPEN {
        let mut answers = Vec::new();
        for creds in [None, Some(ADMIN_API_TOKEN), Some("wrong-token")] {
            let mut req = http
                .post(format!("{}{path}", sb.url()))
                .header(CONTENT_TYPE, "application/json")
                .body("{}");
            if let Some(t) = creds {
                req = req.header("x-medusa-access-token", t);
            }
            let (status, body) = json(req.send().await.unwrap()).await;
            answers.push((status, body));
        }
        // `{}` fails validation the same way whoever asks.
        assert_eq!(answers[0].0, 400, "{path}");
        assert_eq!(answers[0].1["type"], "invalid_data", "{path}");
        assert!(
            answers.iter().all(|a| *a == answers[0]),
            "{path}: {answers:?}"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn health_and_unknown_routes() {
    let sb = ephemeral().await;
    let http = client();
    let r = http
        .get(format!("{}/health", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "OK");
    let r = http
        .get(format!("{}/store/products", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Cannot GET /store/products")
    );
    let r = as_admin(http.get(format!("{}/admin/does-not-exist", sb.url())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Cannot GET /admin/does-not-exist")
    );
    let r = as_admin(http.delete(format!("{}/admin/users", sb.url())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sb.shutdown().await;
}

async fn login_cookie(http: &reqwest::Client, url: &str, email: &str, password: &str) -> String {
    let r = http
        .post(format!("{url}/admin/auth"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

async fn jwt(http: &reqwest::Client, url: &str, email: &str, password: &str) -> String {
    let (status, body) = token_login(http, url, email, password).await;
    assert_eq!(status, 200);
    body["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_credential_kind_authenticates_and_logout_only_ends_sessions() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    let cookie = login_cookie(&http, &url, "ADMIN@medusa-test.com", ADMIN_PASSWORD).await;
    let token = jwt(&http, &url, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let me = |req: reqwest::RequestBuilder| async move { json(req.send().await.unwrap()).await };
    for req in [
        http.get(format!("{url}/admin/auth"))
            .header("cookie", &cookie),
        http.get(format!("{url}/admin/auth")).bearer_auth(&token),
        as_admin(http.get(format!("{url}/admin/auth"))),
    ] {
        let (status, body) = me(req).await;
        assert_eq!(status, 200);
        assert_eq!(body["user"]["email"], ADMIN_EMAIL);
        assert!(body["user"].get("password_hash").is_none());
    }
    // The JWT's claims are Medusa's.
    let claims = tokens::peek_claims(&token).unwrap();
    assert_eq!(claims["domain"], "admin");
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        86_400
    );

    // DELETE /admin/auth with a JWT changes nothing; with the cookie it ends the session.
    let r = http
        .delete(format!("{url}/admin/auth"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().await.unwrap()),
        (200, "OK".to_owned())
    );
    let r = http
        .get(format!("{url}/admin/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .delete(format!("{url}/admin/auth"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{url}/admin/auth"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    sb.shutdown().await;
}

#[tokio::test]
async fn jwts_are_checked_for_secret_domain_and_expiry_only() {
    let sb = ephemeral().await;
    let http = client();
    let secret = sb.jwt_secret();
    let (_, me) = admin_get(&http, format!("{}/admin/auth", sb.url())).await;
    let id = me["user"]["id"].as_str().unwrap();
    let now = tokens::now_secs();
    let cases = [
        (
            json!({"user_id": id, "domain": "admin", "iat": now, "exp": now + 60}),
            secret.as_str(),
            200,
        ),
        // npm jsonwebtoken does not require exp.
        (
            json!({"user_id": id, "domain": "admin"}),
            secret.as_str(),
            200,
        ),
        (
            json!({"user_id": id, "domain": "admin", "exp": now - 5}),
            secret.as_str(),
            401,
        ),
        (
            json!({"user_id": id, "domain": "store"}),
            secret.as_str(),
            401,
        ),
        (json!({"user_id": id}), secret.as_str(), 401),
        (
            json!({"user_id": id, "domain": "admin"}),
            "another-secret",
            401,
        ),
        // Stateless: an id that never existed still lists users...
        (
            json!({"user_id": "usr_ghost", "domain": "admin"}),
            secret.as_str(),
            200,
        ),
    ];
    for (claims, key, expected) in cases {
        let r = http
            .get(format!("{}/admin/users", sb.url()))
            .bearer_auth(sign(&claims, key.as_bytes()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{claims} signed with {key}");
    }
    // ...but who-am-I cannot find it: a bare 400, like the real handler's catch-all.
    let ghost = sign(
        &json!({"user_id": "usr_ghost", "domain": "admin"}),
        secret.as_bytes(),
    );
    let r = http
        .get(format!("{}/admin/auth", sb.url()))
        .bearer_auth(ghost)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "Bad Request");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_deleted_users_session_and_jwt_keep_working_but_not_the_api_token() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    let (status, created) = admin_post(
        &http,
        format!("{url}/admin/users"),
        &json!({"email": "dave@example.com", "password": "dave-pass", "role": "admin"}),
    )
    .await;
    assert_eq!(status, 200);
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    let r = as_admin(http.post(format!("{url}/admin/users/{id}")))
        .json(&json!({"api_token": "dave-token"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = login_cookie(&http, &url, "dave@example.com", "dave-pass").await;
    let token = jwt(&http, &url, "dave@example.com", "dave-pass").await;

    let r = http
        .delete(format!("{url}/admin/users/{id}"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let list =
        |req: reqwest::RequestBuilder| async move { req.send().await.unwrap().status().as_u16() };
    assert_eq!(
        list(
            http.get(format!("{url}/admin/users"))
                .header("cookie", &cookie)
        )
        .await,
        200
    );
    assert_eq!(
        list(http.get(format!("{url}/admin/users")).bearer_auth(&token)).await,
        200
    );
    assert_eq!(
        list(
            http.get(format!("{url}/admin/users"))
                .header("x-medusa-access-token", "dave-token")
        )
        .await,
        401
    );
    let r = http
        .get(format!("{url}/admin/auth"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .post(format!("{url}/admin/auth"))
        .json(&json!({"email": "dave@example.com", "password": "dave-pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), "Unauthorized");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_shared_api_token_authenticates_the_oldest_holder() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    let mut ids = Vec::new();
    for email in ["first@example.com", "second@example.com"] {
        let (_, u) = admin_post(
            &http,
            format!("{url}/admin/users"),
            &json!({"email": email, "password": "pw"}),
        )
        .await;
        ids.push(u["user"]["id"].as_str().unwrap().to_owned());
    }
    // Give the newer user the token first: age decides, not the order of updates.
    for id in ids.iter().rev() {
        let r = as_admin(http.post(format!("{url}/admin/users/{id}")))
            .json(&json!({"api_token": "shared"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let (_, me) = json(
        http.get(format!("{url}/admin/auth"))
            .header("x-medusa-access-token", "shared")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["user"]["email"], "first@example.com");
    sb.shutdown().await;
}
