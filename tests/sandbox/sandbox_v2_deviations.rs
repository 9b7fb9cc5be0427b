//! Every entry of `V2_DEVIATIONS` answered as the table says, for each request its `request`
//! names (the recorded ones are also checked by the replay). A new entry without a request
//! here fails `every_deviation_is_exercised`.

use crate::support::sandbox::*;
use medusa_users::sandbox::{Deviation, V2_ADMIN_SECRET_KEY, V2_DEVIATIONS};
use reqwest::Method;
use serde_json::{Value, json};

/// A request: method, path, JSON body (null: none).
type Request = (Method, &'static str, Value);

/// Requests that trigger each deviation.
fn triggers() -> Vec<(&'static str, Vec<Request>)> {
    let get = |p: &'static str| (Method::GET, p, Value::Null);
    vec![
        (
            "v2-negative-limit",
            vec![
                get("/admin/users?limit=-1"),
                get("/admin/invites?limit=-1"),
                get("/admin/api-keys?limit=-1"),
            ],
        ),
        (
            "v2-negative-offset",
            vec![
                get("/admin/users?offset=-1"),
                get("/admin/invites?offset=-5"),
                get("/admin/api-keys?offset=-1"),
            ],
        ),
        (
            "v2-unknown-order",
            vec![
                get("/admin/users?order=nope"),
                get("/admin/users?order=role"),
                get("/admin/users?order="),
                get("/admin/users?order=-"),
                get("/admin/users?order=EMAIL"),
                get("/admin/users?order=%20email"),
                get("/admin/users?order=email,first_name"),
            ],
        ),
        (
            "v2-unknown-invite-order",
            vec![
                get("/admin/invites?order=bogus"),
                get("/admin/invites?order=-"),
            ],
        ),
        (
            "v2-unknown-api-key-order",
            vec![get("/admin/api-keys?order=bogus")],
        ),
        (
            "v2-invite-roles",
            vec![
                (
                    Method::POST,
                    "/admin/invites",
                    json!({"email": "r@example.com", "roles": ["role_super_admin"]}),
                ),
                (
                    Method::POST,
                    "/admin/invites",
                    json!({"email": "r@example.com", "roles": []}),
                ),
            ],
        ),
        (
            "v2-user-roles",
            vec![
                get("/admin/users/user_1/roles"),
                (
                    Method::POST,
                    "/admin/users/user_1/roles",
                    json!({"roles": ["role_super_admin"]}),
                ),
                (
                    Method::DELETE,
                    "/admin/users/user_1/roles/role_super_admin",
                    Value::Null,
                ),
            ],
        ),
        (
            "v2-bad-date-filter",
            vec![
                get("/admin/users?created_at%5B%24gte%5D=soon"),
                get("/admin/invites?updated_at=yesterday"),
                get("/admin/api-keys?revoked_at%5B%24lt%5D=never"),
            ],
        ),
        (
            "v2-unsupported-filter",
            vec![
                get("/admin/users?created_at%5B%24re%5D=x"),
                get("/admin/users?updated_at%5B%24contains%5D=x"),
                get("/admin/invites?%24or=x"),
                get("/admin/invites?%24and=x"),
            ],
        ),
        (
            "v2-malformed-path-escape",
            vec![get("/admin/users/%E0%A4%A"), get("/admin/invites/%ZZ")],
        ),
    ]
}

async fn send(
    sb: &medusa_users::sandbox::Sandbox,
    m: &Method,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    let mut req = client()
        .request(m.clone(), format!("{}{path}", sb.url()))
        .header("authorization", format!("Basic {V2_ADMIN_SECRET_KEY}"));
    if !body.is_null() {
        req = req.json(body);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn each_deviation_answers_as_listed() {
    let sb = v2_ephemeral().await;
    for (id, requests) in triggers() {
        let d: &Deviation = V2_DEVIATIONS.iter().find(|d| d.id == id).unwrap();
        for (m, path, body) in &requests {
            let resp = send(&sb, m, path, body).await;
            assert_eq!(
                Some(resp.status().as_u16()),
                d.sandbox_status,
                "{id}: {m} {path}"
            );
            let got: Value = resp.json().await.unwrap();
            assert_eq!(
                got,
                json!({"type": "invalid_data", "message": d.sandbox_message.unwrap()}),
                "{id}: {m} {path}"
            );
        }
    }
    // A refused invite with roles made no invite.
    let (_, list) = json(send(&sb, &Method::GET, "/admin/invites", &Value::Null).await).await;
    assert_eq!(list["count"], 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn other_routes_are_expresss_404_after_authentication() {
    let sb = v2_ephemeral().await;
    for path in ["/admin/products", "/admin/rbac/roles", "/admin/auth"] {
        let resp = client()
            .get(format!("{}{path}", sb.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{path} without credentials");
        let resp = send(&sb, &Method::GET, path, &Value::Null).await;
        assert_eq!(resp.status(), 404, "{path}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(ct.starts_with("text/html"), "{ct}");
        assert!(
            resp.text()
                .await
                .unwrap()
                .contains(&format!("Cannot GET {path}"))
        );
    }
    for path in ["/store/products", "/app"] {
        let resp = client()
            .get(format!("{}{path}", sb.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
    }
    assert_eq!(
        V2_DEVIATIONS
            .iter()
            .find(|d| d.id == "v2-other-routes")
            .unwrap()
            .sandbox_status,
        Some(404)
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn secret_keys_are_stored_as_hashes_only() {
    let dir = tempfile::tempdir().unwrap();
    let config = medusa_users::sandbox::SandboxConfig {
        data: Some(dir.path().join("db.sqlite3")),
        ..v2_config()
    };
    let db = config.data.clone().unwrap();
    let sb = start(config).await;
    let (status, created) = json(
        send(
            &sb,
            &Method::POST,
            "/admin/api-keys",
            &json!({"title": "t", "type": "secret"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let token = created["api_key"]["token"].as_str().unwrap().to_owned();
    sb.shutdown().await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: Vec<(Option<String>, String)> = conn
        .prepare("SELECT token, token_hash FROM v2_api_key WHERE type = 'secret'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored.len(), 2, "the seeded key and this one");
    for (plain, hash) in stored {
        assert_eq!(plain, None);
        assert_ne!(hash, token);
        assert!(!hash.contains("sk_"));
    }
}

#[test]
fn every_deviation_is_exercised() {
    let tested: Vec<&str> = triggers().iter().map(|(id, _)| *id).collect();
    for d in V2_DEVIATIONS {
        let elsewhere = ["v2-other-routes", "v2-secret-key-cost"];
        assert!(
            tested.contains(&d.id) || elsewhere.contains(&d.id),
            "{} has no test",
            d.id
        );
    }
}
