//! Express-level behaviour that is easy to get wrong: body parsing, routing details, CORS
//! preflights and the deviations for requests that crash the real server.

use crate::support::sandbox::*;
use medusa_users::sandbox::{DEVIATIONS, Deviation};
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

fn deviation(id: &str) -> &'static Deviation {
    DEVIATIONS.iter().find(|d| d.id == id).unwrap()
}

#[tokio::test]
async fn bodies_are_parsed_like_express_json() {
    let sb = ephemeral().await;
    let http = client();
    let post = |path: &str, ct: Option<&str>, body: &'static str| {
        let mut req = http.post(format!("{}{path}", sb.url())).body(body);
        if let Some(ct) = ct {
            req = req.header(CONTENT_TYPE, ct);
        }
        req.send()
    };
    // Malformed JSON is rejected before authentication.
    let r = post("/admin/users", Some("application/json"), "{\"email\":")
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = r.text().await.unwrap();
    assert!(
        page.contains("SyntaxError: Unexpected end of JSON input"),
        "{page}"
    );
    assert!(!page.contains(" at "), "no stack trace: {page}");

    // Strict mode: a bare JSON string is a syntax error, an array reaches the validator.
    let r = post("/admin/auth", Some("application/json"), "\"str\"")
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("is not valid JSON"));
    let (status, body) = json(
        post("/admin/auth", Some("application/json"), "[]")
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "an unknown value was passed to the validate function"
    );

    // Only application/json is read (any case, any parameters); anything else is `{}`.
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let (status, body) = json(
            post(
                "/admin/auth",
                ct,
                r#"{"email":"admin@medusa-test.com","password":"supersecret"}"#,
            )
            .await
            .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "{ct:?}");
        assert_eq!(
            body["message"],
            "email should not be empty, email must be an email, password should not be empty, password must be a string"
        );
    }
    let r = post(
        "/admin/auth",
        Some("Application/JSON; charset=UTF-8"),
        r#"{"email":"admin@medusa-test.com","password":"supersecret"}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);

    // body-parser's 100 kB limit.
    let big = format!("{{\"email\":\"{}\"}}", "a".repeat(200 * 1024));
    let r = http
        .post(format!("{}/admin/auth", sb.url()))
        .header(CONTENT_TYPE, "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    sb.shutdown().await;
}

#[tokio::test]
async fn routing_details() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    // Static path parts are case-insensitive in Express; ids are percent-decoded.
    let (status, page) = admin_get(&http, format!("{url}/Admin/Users?limit=1")).await;
    assert_eq!(status, 200);
    assert_eq!(page["count"], 1);
    let (status, body) = admin_get(&http, format!("{url}/admin/users/usr%5Fnope")).await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        json!({"type": "not_found", "message": "User with id: usr_nope was not found"})
    );
    let (status, body) = admin_get(&http, format!("{url}/admin/users/%E0%A4%A")).await;
    let d = deviation("malformed-path-escape");
    assert_eq!(Some(status), d.sandbox_status);
    assert_eq!(body["message"], d.sandbox_message.unwrap());

    // CORS preflights are answered before authentication.
    let r = http
        .request(reqwest::Method::OPTIONS, format!("{url}/admin/users"))
        .header("origin", "http://localhost:7000")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    // HEAD is GET without a body.
    let r = as_admin(http.head(format!("{url}/admin/users")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn list_parameters_that_crash_the_real_server_get_a_clear_400() {
    let sb = ephemeral().await;
    let http = client();
    for (query, id) in [
        ("limit=-1", "negative-limit"),
        ("limit=2.5", "negative-limit"),
        ("offset=-3", "negative-offset"),
        ("order=bogus", "unknown-order"),
        ("order=", "unknown-order"),
        ("expand=teams", "unknown-expand"),
        ("fields=password_hash", "fields-password-hash"),
        ("fields=email,password_hash", "fields-password-hash"),
        ("fields=bogus", "unknown-field"),
    ] {
        let (status, body) = admin_get(&http, format!("{}/admin/users?{query}", sb.url())).await;
        let d = deviation(id);
        assert_eq!(Some(status), d.sandbox_status, "{query}");
        assert_eq!(
            body,
            json!({"type": "invalid_data", "message": d.sandbox_message.unwrap()}),
            "{query}"
        );
        assert!(
            !body.to_string().contains("c2NyeXB0"),
            "{query}: no hash leaks"
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn update_semantics() {
    let sb = ephemeral().await;
    let http = client();
    let url = sb.url();
    let (_, created) = admin_post(
        &http,
        format!("{url}/admin/users"),
        &json!({"email": "upd@example.com", "password": "pw", "first_name": "Up"}),
    )
    .await;
    let id = created["user"]["id"].as_str().unwrap().to_owned();
    let update = |body: serde_json::Value| {
        as_admin(http.post(format!("{url}/admin/users/{id}")))
            .json(&body)
            .send()
    };
    let (status, u) = json(
        update(json!({"metadata": {"a": 1, "b": "x"}}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(u["user"]["metadata"], json!({"a": 1, "b": "x"}));
    assert_eq!(u["user"]["password_hash"], serde_json::Value::Null);
    let (_, u) = json(
        update(json!({"metadata": {"b": "", "c": [1]}, "last_name": "Date"}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(u["user"]["metadata"], json!({"a": 1, "c": [1]}));
    assert_eq!(u["user"]["last_name"], "Date");
    // null clears a name; metadata null changes nothing.
    let (_, u) = json(
        update(json!({"first_name": null, "metadata": null}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(u["user"]["first_name"], serde_json::Value::Null);
    assert_eq!(u["user"]["metadata"], json!({"a": 1, "c": [1]}));
    // {} is a no-op: same updated_at, no password_hash key.
    let before = u["user"]["updated_at"].clone();
    let (status, u) = json(update(json!({})).await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(u["user"]["updated_at"], before);
    assert!(u["user"].get("password_hash").is_none());
    // Validation comes before the existence check.
    let (status, body) = admin_post(
        &http,
        format!("{url}/admin/users/usr_nope"),
        &json!({"api_token": 5, "metadata": "x", "role": "x", "first_name": 1, "last_name": 2}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "first_name must be a string, last_name must be a string, role must be one of the following values: admin, member, developer, api_token must be a string, metadata must be an object"
    );
    let (status, body) = json(update(json!({"role": null})).await.unwrap()).await;
    let d = deviation("null-role");
    assert_eq!(
        (Some(status), body["message"].as_str()),
        (d.sandbox_status, d.sandbox_message)
    );
    sb.shutdown().await;
}
