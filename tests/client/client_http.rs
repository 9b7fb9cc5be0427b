//! The client against a scripted HTTP server (wiremock): which credentials go to which route,
//! how answers map to errors, and the retry rules (what is retried, how often, with which
//! Idempotency-Key).

use std::time::{Duration, Instant};

use medusa_users::api::client::{Client, ClientOptions, Credentials, parse_header};
use medusa_users::api::retry::Backoff;
use medusa_users::api::{ApiError, CreateUser, ErrorKind, ListParams, ResetPassword, UpdateUser};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn user_json(id: &str, email: &str) -> serde_json::Value {
    json!({
        "id": id, "created_at": "2026-11-27T10:23:06.471Z", "updated_at": "2026-11-27T10:23:06.471Z",
        "deleted_at": null, "role": "member", "email": email, "first_name": null, "last_name": null,
        "api_token": null, "metadata": null
    })
}

fn options(server: &MockServer, retries: u32) -> ClientOptions {
    ClientOptions {
        base_url: server.uri().parse().unwrap(),
        max_retries: retries,
        timeout: Duration::from_millis(800),
        backoff: Backoff {
            base: Duration::from_millis(20),
            max: Duration::from_millis(100),
        },
        dialect: medusa_users::api::DialectChoice::Fixed(medusa_users::api::Dialect::V1),
        ..ClientOptions::default()
    }
}

fn client(server: &MockServer, retries: u32, credentials: Credentials) -> Client {
    Client::new(options(server, retries), credentials).unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn api_token_goes_in_x_medusa_access_token_on_authenticated_routes_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .and(header("x-medusa-access-token", "tok-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"users": [user_json("usr_1", "a@example.com")], "count": 1, "offset": 0, "limit": 50}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/password-token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/reset-password"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_1", "a@example.com")})),
        )
        .mount(&server)
        .await;

    let mut opts = options(&server, 0);
    // Even a credential header the operator added by hand stays off the open routes.
    opts.headers
        .push(parse_header("Authorization: Bearer handmade").unwrap());
    opts.headers.push(parse_header("X-Trace: t1").unwrap());
    let c = Client::new(opts, Credentials::api_token("tok-123")).unwrap();

    let page = c.list(&ListParams::default()).await.unwrap();
    assert_eq!(page.users[0].email, "a@example.com");
    c.send_reset_password_token("a@example.com").await.unwrap();
    c.reset_password(&ResetPassword {
        token: "t".into(),
        password: "p".into(),
        email: None,
    })
    .await
    .unwrap();

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    let list = &reqs[0];
    assert_eq!(list.headers.get("x-trace").unwrap(), "t1");
    for open in &reqs[1..] {
        assert!(
            open.headers.get("x-medusa-access-token").is_none(),
            "{}",
            open.url
        );
        assert!(open.headers.get("authorization").is_none(), "{}", open.url);
        assert_eq!(open.headers.get("x-trace").unwrap(), "t1");
    }
}

#[tokio::test]
async fn login_exchanges_the_password_for_a_bearer_jwt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/admin/auth/token"))
        .and(body_json(
            json!({"email": "admin@medusa-test.com", "password": "supersecret"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "jwt-abc"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/auth"))
        .and(header("authorization", "Bearer jwt-abc"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_a", "admin@medusa-test.com")})),
        )
        .mount(&server)
        .await;

    let c = client(&server, 0, Credentials::None);
    let token = c
        .login("admin@medusa-test.com", "supersecret")
        .await
        .unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&token), "jwt-abc");
    assert_eq!(c.credentials().describe(), "JWT");
    let me = c.me().await.unwrap();
    assert_eq!(me.email, "admin@medusa-test.com");
    let reqs = requests(&server).await;
    assert!(
        reqs[0].headers.get("authorization").is_none(),
        "login sends no credentials"
    );
}

#[tokio::test]
async fn wrong_password_is_unauthorized_with_a_clear_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/admin/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;
    let c = client(&server, 2, Credentials::None);
    let err = c.login("a@example.com", "nope").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(
        err.status_line(),
        "unauthorized: e-mail or password not accepted"
    );
    assert_eq!(requests(&server).await.len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn error_answers_map_to_one_typed_error_each() {
    let server = MockServer::start().await;
    let cases: Vec<(u16, &str, Vec<u8>, ErrorKind, i32)> = vec![
        (401, "", b"Unauthorized".to_vec(), ErrorKind::Unauthorized, 3),
        (404, "application/json", br#"{"type":"not_found","message":"User with id: x was not found"}"#.to_vec(), ErrorKind::NotFound, 4),
        (400, "application/json", br#"{"type":"invalid_data","message":"email must be an email"}"#.to_vec(), ErrorKind::InvalidData, 5),
        (500, "application/json", br#"{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}"#.to_vec(), ErrorKind::Server, 6),
        (400, "text/html", b"<!DOCTYPE html><html><head><title>Error</title></head><body><pre>SyntaxError</pre></body></html>".to_vec(), ErrorKind::Decode, 6),
    ];
    for (i, (status, ct, body, kind, code)) in cases.into_iter().enumerate() {
        let id = format!("case{i}");
        let mut template = ResponseTemplate::new(status).set_body_raw(body, ct);
        if ct.is_empty() {
            template = ResponseTemplate::new(status).set_body_string("Unauthorized");
        }
        Mock::given(method("GET"))
            .and(path(format!("/admin/users/{id}")))
            .respond_with(template)
            .mount(&server)
            .await;
        let err = client(&server, 0, Credentials::api_token("t"))
            .retrieve(&id)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{id}: {err}");
        assert_eq!(medusa_users::cli::exit::for_api(&err), code, "{id}");
        assert!(!err.status_line().contains('\n'));
    }
}

#[tokio::test]
async fn a_200_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>login page</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server, 0, Credentials::api_token("t"))
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.status_line().contains("HTML"), "{err}");
}

#[tokio::test]
async fn gateway_errors_are_retried_with_growing_waits_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"users": [], "count": 0, "offset": 0, "limit": 50})),
        )
        .mount(&server)
        .await;
    let c = client(&server, 3, Credentials::api_token("t"));
    let started = Instant::now();
    let page = c.list(&ListParams::default()).await.unwrap();
    assert_eq!(page.count, 0);
    assert_eq!(requests(&server).await.len(), 3);
    // Two waits: at least base/2 + base (jitter keeps each in [ceiling/2, ceiling]).
    assert!(
        started.elapsed() >= Duration::from_millis(10 + 20),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retries_stop_at_max_retries_and_report_the_last_error() {
    let server = MockServer::start().await;
    for status in [502u16, 504, 409] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let err = client(&server, 2, Credentials::api_token("t"))
            .retrieve("usr_1")
            .await
            .unwrap_err();
        assert_eq!(
            requests(&server).await.len(),
            3,
            "{status}: 1 try + 2 retries"
        );
        let expected = if status == 409 {
            ErrorKind::InvalidData
        } else {
            ErrorKind::Server
        };
        assert_eq!(err.kind(), expected, "{status}");
    }
}

#[tokio::test]
async fn server_errors_and_client_errors_are_not_retried() {
    let server = MockServer::start().await;
    for status in [500u16, 400, 404] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        client(&server, 3, Credentials::api_token("t"))
            .retrieve("usr_1")
            .await
            .unwrap_err();
        assert_eq!(requests(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_get_that_timed_out_is_retried_but_an_update_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_1", "a@example.com")})),
        )
        .mount(&server)
        .await;
    let c = client(&server, 2, Credentials::api_token("t"));
    let user = c.retrieve("usr_1").await.unwrap();
    assert_eq!(user.id, "usr_1");
    assert_eq!(requests(&server).await.len(), 2);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let err = c
        .update(
            "usr_1",
            &UpdateUser {
                role: Some(medusa_users::api::Role::Admin),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err}");
    assert_eq!(err.status_line(), "timed out after 0.8 s");
    assert_eq!(
        requests(&server).await.len(),
        1,
        "an update with an unknown outcome is not repeated"
    );
}

#[tokio::test]
async fn posts_carry_one_idempotency_key_across_their_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/admin/users/usr_1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/usr_1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_1", "a@example.com")})),
        )
        .mount(&server)
        .await;
    let c = client(&server, 3, Credentials::api_token("t"));
    c.update(
        "usr_1",
        &UpdateUser {
            first_name: Some(Some("A".into())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    c.update(
        "usr_1",
        &UpdateUser {
            first_name: Some(Some("B".into())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 4);
    let keys: Vec<String> = reqs
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(keys[0], keys[1]);
    assert_eq!(keys[1], keys[2], "retries reuse the key");
    assert_ne!(keys[2], keys[3], "a new call gets a new key");
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok());

    // GETs never carry one; with retries off, POSTs do not either.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_1", "a@example.com")})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": user_json("usr_1", "a@example.com")})),
        )
        .mount(&server)
        .await;
    client(&server, 0, Credentials::api_token("t"))
        .update("usr_1", &UpdateUser::default())
        .await
        .unwrap();
    c.retrieve("usr_1").await.unwrap();
    for r in requests(&server).await {
        assert!(
            r.headers.get("idempotency-key").is_none(),
            "{} {}",
            r.method,
            r.url
        );
    }
}

#[tokio::test]
async fn a_connection_refused_before_sending_is_retried_until_the_server_is_up() {
    // Reserve a port, free it, and bring the server up on it only after the first attempts fail.
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    drop(std_listener);
    let opts = ClientOptions {
        base_url: format!("http://{addr}").parse().unwrap(),
        max_retries: 8,
        timeout: Duration::from_secs(2),
        backoff: Backoff {
            base: Duration::from_millis(50),
            max: Duration::from_millis(200),
        },
        dialect: medusa_users::api::DialectChoice::Fixed(medusa_users::api::Dialect::V1),
        ..ClientOptions::default()
    };
    let c = Client::new(opts, Credentials::api_token("t")).unwrap();
    let starter = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = std::net::TcpListener::bind(addr).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path("/admin/users"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"user": user_json("usr_9", "new@example.com")})),
            )
            .mount(&server)
            .await;
        server
    });
    let user = c
        .create(&CreateUser {
            email: "new@example.com".into(),
            password: "pw".into(),
            first_name: None,
            last_name: None,
            role: None,
        })
        .await
        .unwrap();
    assert_eq!(user.id, "usr_9");
    let server = starter.await.unwrap();
    // Connection failures mean the request never left: no look-up was needed, one create arrived.
    let reqs = requests(&server).await;
    assert_eq!(
        reqs.len(),
        1,
        "{:?}",
        reqs.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn unreachable_server_is_a_network_error_naming_the_host() {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    drop(std_listener);
    let opts = ClientOptions {
        base_url: format!("http://{addr}").parse().unwrap(),
        max_retries: 1,
        backoff: Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(10),
        },
        dialect: medusa_users::api::DialectChoice::Fixed(medusa_users::api::Dialect::V1),
        ..ClientOptions::default()
    };
    let err = Client::new(opts, Credentials::None)
        .unwrap()
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(medusa_users::cli::exit::for_api(&err), 7);
    let line = err.status_line();
    assert!(
        line.contains(&addr.to_string()) && line.contains("refused"),
        "{line}"
    );
}

#[tokio::test]
async fn create_after_a_gateway_timeout_looks_the_email_up_instead_of_creating_again() {
    let server = MockServer::start().await;
    // The proxy in front of Medusa timed out, but Medusa made the user.
    Mock::given(method("POST"))
        .and(path("/admin/users"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .and(query_param("email", "dup@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"users": [user_json("usr_made", "dup@example.com")], "count": 1, "offset": 0, "limit": 1}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, 3, Credentials::api_token("t"));
    let user = c
        .create(&CreateUser {
            email: "Dup@Example.com".into(),
            password: "pw".into(),
            first_name: None,
            last_name: None,
            role: None,
        })
        .await
        .unwrap();
    assert_eq!(user.id, "usr_made");
    // Mock expectations (exactly one POST, one look-up) are verified when the server drops.
}

#[tokio::test]
async fn reset_password_failures_all_read_as_an_invalid_token() {
    let server = MockServer::start().await;
    let c = client(&server, 0, Credentials::None);
    let reset = ResetPassword {
        token: "t".into(),
        password: "p".into(),
        email: None,
    };
    for (status, body, ct) in [
        (
            400u16,
            r#"{"type":"invalid_data","message":"invalid token"}"#,
            "application/json",
        ),
        (401, "Invalid or expired password reset token", "text/html"),
        (
            500,
            r#"{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}"#,
            "application/json",
        ),
    ] {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, ct))
            .mount(&server)
            .await;
        let err = c.reset_password(&reset).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData, "{status}");
        assert!(
            err.status_line()
                .contains("invalid, expired or already used"),
            "{status}: {err}"
        );
    }
    // A validation error keeps its own message.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"type":"invalid_data","message":"password must be a string"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let err = c.reset_password(&reset).await.unwrap_err();
    assert_eq!(err.message(), "password must be a string");
}

#[tokio::test]
async fn oversized_bodies_are_refused_not_buffered_forever() {
    let server = MockServer::start().await;
    let big = vec![b' '; medusa_users::api::client::MAX_BODY_BYTES + 10];
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(big, "application/json"))
        .mount(&server)
        .await;
    // Time enough to read 64 MiB on a loaded machine: a timeout mid-body would be retried
    // (GETs are), and this test is about the size refusal, which is never retried.
    let options = ClientOptions {
        timeout: Duration::from_secs(60),
        ..options(&server, 2)
    };
    let err = Client::new(options, Credentials::api_token("t"))
        .unwrap()
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.status_line().contains("larger than"), "{err}");
    let seen = requests(&server).await;
    assert_eq!(
        seen.len(),
        1,
        "{:?}",
        seen.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn list_all_pages_through_everything_into_one_list_object() {
    let server = MockServer::start().await;
    let total = 1203usize;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(move |req: &Request| {
            let q: std::collections::HashMap<String, String> =
                req.url.query_pairs().into_owned().collect();
            let limit: usize = q["limit"].parse().unwrap();
            let offset: usize = q["offset"].parse().unwrap();
            let users: Vec<_> = (offset..(offset + limit).min(total))
                .map(|i| user_json(&format!("usr_{i:05}"), &format!("u{i}@example.com")))
                .collect();
            ResponseTemplate::new(200).set_body_json(
                json!({"users": users, "count": total, "offset": offset, "limit": limit}),
            )
        })
        .mount(&server)
        .await;
    let page = client(&server, 0, Credentials::api_token("t"))
        .list_all(&ListParams {
            q: Some("u".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.users.len(), total);
    assert_eq!(
        (page.count, page.offset, page.limit),
        (total as u64, 0, total as u64)
    );
    assert_eq!(page.users[1202].id, "usr_01202");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1, "one large first page holds them all");
    assert!(reqs.iter().all(|r| r.url.query().unwrap().contains("q=u")));
}

/// A mock `/admin/users` over `total()` users (newest first: `usr_{i}` for i = total-1 … 0)
/// that answers at most `cap` users a page, as a server that caps `limit` does.
fn capped_users(cap: usize, total: impl Fn() -> usize + Send + Sync + 'static) -> Mock {
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(move |req: &Request| {
            let q: std::collections::HashMap<String, String> =
                req.url.query_pairs().into_owned().collect();
            let limit: usize = q["limit"].parse::<usize>().unwrap().min(cap);
            let offset: usize = q["offset"].parse().unwrap();
            let total = total();
            let users: Vec<_> = (offset..(offset + limit).min(total))
                .map(|k| {
                    let i = total - 1 - k;
                    user_json(&format!("usr_{i:05}"), &format!("u{i}@example.com"))
                })
                .collect();
            ResponseTemplate::new(200)
                // Out-of-order answers: the client must still put the pages in offset order.
                .set_delay(Duration::from_millis((7 * offset as u64 / 500) % 20))
                .set_body_json(
                    json!({"users": users, "count": total, "offset": offset, "limit": limit}),
                )
        })
}

#[tokio::test]
async fn list_all_pages_a_capped_server_concurrently_in_order() {
    let server = MockServer::start().await;
    let total = 2_345usize;
    capped_users(500, move || total).mount(&server).await;
    let page = client(&server, 0, Credentials::api_token("t"))
        .list_all(&ListParams::default())
        .await
        .unwrap();
    let ids: Vec<String> = page.users.iter().map(|u| u.id.clone()).collect();
    let expected: Vec<String> = (0..total).rev().map(|i| format!("usr_{i:05}")).collect();
    assert_eq!(ids, expected, "every user once, in the server's order");
    assert_eq!((page.count, page.limit), (total as u64, total as u64));
    let mut offsets: Vec<usize> = requests(&server)
        .await
        .iter()
        .map(|r| {
            let q: std::collections::HashMap<String, String> =
                r.url.query_pairs().into_owned().collect();
            q["offset"].parse().unwrap()
        })
        .collect();
    offsets.sort();
    assert_eq!(
        offsets,
        vec![0, 500, 1000, 1500, 2000],
        "paged at the server's cap"
    );
}

#[tokio::test]
async fn list_all_keeps_up_with_users_created_meanwhile() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let server = MockServer::start().await;
    // Every answer after the first sees 40 more users (newest first, so the old ones slide
    // towards the end): the planned pages miss the tail unless the walk goes on.
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    capped_users(500, move || {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        1_200 + 40 * n.min(1) + 40 * n.saturating_sub(1).min(3)
    })
    .mount(&server)
    .await;
    let page = client(&server, 0, Credentials::api_token("t"))
        .list_all(&ListParams::default())
        .await
        .unwrap();
    let mut ids: Vec<&str> = page.users.iter().map(|u| u.id.as_str()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "the server's newest-first order survives"
    );
    let listed = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), listed, "no user twice");
    for i in 0..1_200 {
        let id = format!("usr_{i:05}");
        assert!(
            ids.binary_search(&id.as_str()).is_ok(),
            "{id} was there all along"
        );
    }
    assert!(
        calls.load(Ordering::SeqCst) > 3,
        "walked again, one page after another"
    );
}

#[tokio::test]
async fn read_only_refuses_every_mutation_before_it_leaves() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"users": [], "count": 0, "offset": 0, "limit": 50})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "jwt"})))
        .mount(&server)
        .await;
    let mut opts = options(&server, 3);
    opts.read_only = true;
    let c = Client::new(opts, Credentials::api_token("t")).unwrap();
    let create = CreateUser {
        email: "x@example.com".into(),
        password: "pw".into(),
        first_name: None,
        last_name: None,
        role: None,
    };
    let reset = ResetPassword {
        token: "t".into(),
        password: "p".into(),
        email: None,
    };
    let errors = vec![
        c.create(&create).await.unwrap_err(),
        c.update("usr_1", &UpdateUser::default()).await.unwrap_err(),
        c.delete("usr_1").await.map(|_| ()).unwrap_err(),
        c.send_reset_password_token("x@example.com")
            .await
            .unwrap_err(),
        c.reset_password(&reset).await.map(|_| ()).unwrap_err(),
    ];
    for e in &errors {
        assert_eq!(e.kind(), ErrorKind::ReadOnly, "{e}");
        assert_eq!(medusa_users::cli::exit::for_api(e), 2);
    }
    assert_eq!(
        errors[2].status_line(),
        "refused in read-only mode: delete user would change data on the server"
    );
    // Reading and logging in still work.
    c.list(&ListParams::default()).await.unwrap();
    c.login("a@example.com", "pw").await.unwrap();
    let methods: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(methods, vec!["GET /admin/users", "POST /admin/auth/token"]);
}
