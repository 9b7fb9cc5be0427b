//! The client's two dialects against a scripted HTTP server (wiremock), shaped after the real
//! servers' recordings: how the dialect is detected, which credentials go where on each, what
//! is refused before sending (and so never reaches the server), and how v1's plain-text invite
//! answers and v2's JWT-carried e-mails are turned into results.

use std::time::Duration;

use base64::Engine as _;
use medusa_users::api::client::{Client, ClientOptions, Credentials};
use medusa_users::api::retry::Backoff;
use medusa_users::api::{
    AcceptInvite, CreateInvite, CreateUser, Dialect, DialectChoice, ErrorKind, InviteListParams,
    ListParams, ResetPassword, Role, UpdateUser,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn options(server: &MockServer, dialect: DialectChoice) -> ClientOptions {
    ClientOptions {
        base_url: server.uri().parse().unwrap(),
        max_retries: 0,
        timeout: Duration::from_millis(800),
        backoff: Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(50),
        },
        dialect,
        ..ClientOptions::default()
    }
}

fn client(server: &MockServer, dialect: DialectChoice, credentials: Credentials) -> Client {
    Client::new(options(server, dialect), credentials).unwrap()
}

fn v2(server: &MockServer, credentials: Credentials) -> Client {
    client(server, DialectChoice::Fixed(Dialect::V2), credentials)
}

fn v1(server: &MockServer, credentials: Credentials) -> Client {
    client(server, DialectChoice::Fixed(Dialect::V1), credentials)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// An unsigned JWT with these claims (the client never verifies, it only reads).
fn jwt(claims: serde_json::Value) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.sig",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    )
}

fn v2_user(id: &str, email: &str) -> serde_json::Value {
    json!({
        "id": id, "first_name": null, "last_name": null, "email": email, "avatar_url": null,
        "metadata": null, "created_at": "2026-11-27T10:22:31.915Z",
        "updated_at": "2026-11-27T10:22:31.915Z", "deleted_at": null
    })
}

fn v2_invite(id: &str, email: &str, token: &str) -> serde_json::Value {
    json!({
        "id": id, "email": email, "accepted": false, "token": token,
        "expires_at": "2099-11-28T10:22:59.645Z", "metadata": null,
        "created_at": "2026-11-27T10:22:59.647Z", "updated_at": "2026-11-27T10:22:59.647Z",
        "deleted_at": null
    })
}

fn v1_invite(id: &str, email: &str, created: &str) -> serde_json::Value {
    json!({
        "id": id, "created_at": created, "updated_at": created, "deleted_at": null,
        "user_email": email, "role": "member", "accepted": false, "token": "v1-token",
        "expires_at": "2099-12-04T10:00:00.000Z", "metadata": null
    })
}

/// v2's answer to a login with a wrong password (or an unknown e-mail).
fn wrong_password() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .set_body_json(json!({"type": "unauthorized", "message": "Invalid email or password"}))
}

fn empty_users() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"users": [], "count": 0, "offset": 0, "limit": 1}))
}

// ----- detection -----------------------------------------------------------------------------

#[tokio::test]
async fn a_v2_server_is_recognised_by_its_auth_providers_route() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/auth/user/providers"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"providers": [{"id": "emailpass", "identifier": "emailpass"}]}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, DialectChoice::Auto, Credentials::None);
    assert_eq!(c.known_dialect(), None);
    assert_eq!(c.dialect().await.unwrap(), Dialect::V2);
    // Asked once, remembered for every later call (and every clone).
    assert_eq!(c.clone().dialect().await.unwrap(), Dialect::V2);
    let caps = c.capabilities().await.unwrap();
    assert!(!caps.roles && caps.avatar_url && !caps.self_delete);
    let seen = requests(&server).await;
    assert!(
        seen.iter()
            .all(|r| r.headers.get("authorization").is_none()),
        "the probe carries no credentials"
    );
}

#[tokio::test]
async fn a_v1_server_is_recognised_by_its_plain_text_401() {
    let server = MockServer::start().await;
    // v1 has no /auth routes (Express's HTML 404) and answers /admin/auth with bare text.
    Mock::given(path("/auth/user/providers"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw("<pre>Cannot GET /auth/user/providers</pre>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/auth"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Unauthorized"))
        .mount(&server)
        .await;
    let c = client(&server, DialectChoice::Auto, Credentials::api_token("tok"));
    assert_eq!(c.dialect().await.unwrap(), Dialect::V1);
    assert!(c.capabilities().await.unwrap().roles);
}

#[tokio::test]
async fn an_unknown_server_gets_a_message_naming_what_was_tried() {
    let server = MockServer::start().await;
    let c = client(&server, DialectChoice::Auto, Credentials::None);
    let err = c.list(&ListParams::default()).await.unwrap_err();
    let line = err.status_line();
    assert!(
        line.contains("/auth/user/providers") && line.contains("/admin/auth"),
        "{line}"
    );
    assert!(line.contains("--medusa-version"), "{line}");
    assert_eq!(medusa_users::cli::exit::for_api(&err), 6);
}

#[tokio::test]
async fn a_given_dialect_is_never_probed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(empty_users())
        .mount(&server)
        .await;
    v2(&server, Credentials::api_token("sk_x"))
        .list(&ListParams::default())
        .await
        .unwrap();
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url.path(), "/admin/users");
}

// ----- credentials ---------------------------------------------------------------------------

#[tokio::test]
async fn a_secret_key_goes_as_http_basic_on_v2() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        // base64("sk_live:")
        .and(header("authorization", "Basic c2tfbGl2ZTo="))
        .respond_with(empty_users())
        .expect(1)
        .mount(&server)
        .await;
    v2(&server, Credentials::api_token("sk_live"))
        .list(&ListParams::default())
        .await
        .unwrap();
    let seen = requests(&server).await;
    assert!(seen[0].headers.get("x-medusa-access-token").is_none());
}

#[tokio::test]
async fn a_token_of_the_other_dialect_is_named_not_sent() {
    let server = MockServer::start().await;
    let err = v2(&server, Credentials::api_token("local-dev-admin-api-token"))
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(err.status_line().contains("secret API key (sk_"), "{err}");
    let err = v1(&server, Credentials::api_token("sk_abc"))
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert!(err.status_line().contains("Medusa v1"), "{err}");
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn v2_login_lower_cases_and_explains_mfa_verification_and_actorless_identities() {
    let server = MockServer::start().await;
    let good = jwt(json!({"actor_id": "user_1", "actor_type": "user", "exp": 4_102_444_800u64}));
    for (email, answer) in [
        ("admin@x.io", json!({"token": good})),
        (
            "mfa@x.io",
            json!({"mfa_required": true, "mfa_challenge": {}, "token": jwt(json!({"actor_id": ""}))}),
        ),
        (
            "verify@x.io",
            json!({"verification_required": true, "verification": {}, "token": jwt(json!({"actor_id": ""}))}),
        ),
        (
            "invited@x.io",
            json!({"token": jwt(json!({"actor_id": ""}))}),
        ),
    ] {
        Mock::given(method("POST"))
            .and(path("/auth/user/emailpass"))
            .and(body_json(json!({"email": email, "password": "pw-123456"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass"))
        .respond_with(wrong_password())
        .mount(&server)
        .await;
    let c = v2(&server, Credentials::None);
    let token = c.login("  ADMIN@x.io ", "pw-123456").await.unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&token), good);
    assert_eq!(c.credentials().describe(), "JWT");
    assert_eq!(c.session_expires_at(), Some(4_102_444_800));

    let err = c.login("mfa@x.io", "pw-123456").await.unwrap_err();
    assert!(err.status_line().contains("MFA"), "{err}");
    let err = c.login("verify@x.io", "pw-123456").await.unwrap_err();
    assert!(err.status_line().contains("verify its e-mail"), "{err}");
    let err = c.login("invited@x.io", "pw-123456").await.unwrap_err();
    assert!(err.status_line().contains("not an admin user yet"), "{err}");
    let err = c.login("admin@x.io", "wrong").await.unwrap_err();
    assert_eq!(medusa_users::cli::exit::for_api(&err), 3);
    assert!(err.status_line().contains("not accepted"), "{err}");
}

#[tokio::test]
async fn v2_sessions_refresh_through_the_refresh_route() {
    let server = MockServer::start().await;
    let fresh = jwt(json!({"actor_id": "user_1", "exp": 4_102_444_900u64}));
    Mock::given(method("POST"))
        .and(path("/auth/token/refresh"))
        .and(header("authorization", "Bearer old.jwt.token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": fresh})))
        .expect(1)
        .mount(&server)
        .await;
    let c = v2(&server, Credentials::jwt("old.jwt.token"));
    let new = c.refresh_session().await.unwrap().unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&new), fresh);
    assert_eq!(c.session_expires_at(), Some(4_102_444_900));
    // v1 JWTs cannot be refreshed; nothing is sent.
    let server1 = MockServer::start().await;
    assert!(
        v1(&server1, Credentials::jwt("x"))
            .refresh_session()
            .await
            .unwrap()
            .is_none()
    );
    assert!(requests(&server1).await.is_empty());
}

// ----- refused before sending on v2 -----------------------------------------------------------

#[tokio::test]
async fn what_v2_cannot_do_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = v2(&server, Credentials::api_token("sk_x"));
    let usage = |r: Result<_, medusa_users::api::ApiError>, what: &str| {
        let e = r.err().unwrap_or_else(|| panic!("{what}: not refused"));
        assert_eq!(medusa_users::cli::exit::for_api(&e), 2, "{what}: {e}");
    };
    usage(
        c.list(&ListParams {
            roles: vec![Role::Admin],
            ..ListParams::default()
        })
        .await
        .map(|_| ()),
        "role filter",
    );
    usage(
        c.list(&ListParams {
            order: Some("role".parse().unwrap()),
            ..ListParams::default()
        })
        .await
        .map(|_| ()),
        "order by role",
    );
    usage(
        c.update(
            "user_1",
            &UpdateUser {
                role: Some(Role::Admin),
                ..UpdateUser::default()
            },
        )
        .await
        .map(|_| ()),
        "update role",
    );
    usage(
        c.update(
            "user_1",
            &UpdateUser {
                api_token: Some("t".into()),
                ..UpdateUser::default()
            },
        )
        .await
        .map(|_| ()),
        "update api_token",
    );
    usage(
        c.create(&CreateUser {
            email: "a@x.io".into(),
            password: "long-enough-1".into(),
            first_name: None,
            last_name: None,
            role: Some(Role::Admin),
        })
        .await
        .map(|_| ()),
        "create with role",
    );
    usage(
        c.create_invite(&CreateInvite {
            email: "a@x.io".into(),
            role: Some(Role::Member),
        })
        .await
        .map(|_| ()),
        "invite with role",
    );
    usage(c.retrieve("  ").await.map(|_| ()), "empty id");
    // A failed reset on v2 spends the token: empty and short passwords never leave.
    for password in ["", "   ", "short"] {
        usage(
            c.reset_password(&ResetPassword {
                token: "reset.jwt.token".into(),
                password: password.into(),
                email: None,
            })
            .await
            .map(|_| ()),
            &format!("reset with {password:?}"),
        );
    }
    assert!(
        requests(&server).await.is_empty(),
        "none of these reached the server"
    );
}

#[tokio::test]
async fn v2_reset_sends_the_token_as_bearer_and_maps_its_401() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/update"))
        .and(header("authorization", "Bearer good.reset.token"))
        .and(body_json(json!({"password": "new-password-1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/update"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"type": "unauthorized", "message": "Invalid token"})),
        )
        .mount(&server)
        .await;
    // The session's own credentials never go with it.
    let c = v2(&server, Credentials::jwt("session.jwt"));
    let reset = |token: &str| ResetPassword {
        token: token.into(),
        password: "new-password-1".into(),
        email: None,
    };
    assert_eq!(
        c.reset_password(&reset("good.reset.token")).await.unwrap(),
        None
    );
    let err = c.reset_password(&reset("spent.token")).await.unwrap_err();
    assert!(
        err.status_line()
            .contains("invalid, expired or already used"),
        "{err}"
    );
}

#[tokio::test]
async fn v2_reset_request_and_admin_mint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/reset-password"))
        .and(body_json(json!({"identifier": "bob@x.io"})))
        .respond_with(ResponseTemplate::new(201).set_body_string("Created"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/user_1/reset-password"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "minted"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/users/user_old/reset-password"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw("<pre>Cannot POST</pre>", "text/html"),
        )
        .mount(&server)
        .await;
    let c = v2(&server, Credentials::api_token("sk_x"));
    c.send_reset_password_token("Bob@x.io").await.unwrap();
    let token = c.mint_reset_token("user_1").await.unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&token), "minted");
    let err = c.mint_reset_token("user_old").await.unwrap_err();
    assert_eq!(medusa_users::cli::exit::for_api(&err), 2);
    assert!(err.status_line().contains("cannot mint"), "{err}");
    // v1 has no such thing, and says so without asking.
    let server1 = MockServer::start().await;
    let err = v1(&server1, Credentials::api_token("t"))
        .mint_reset_token("usr_1")
        .await
        .unwrap_err();
    assert!(err.status_line().contains("cannot mint"), "{err}");
    assert!(requests(&server1).await.is_empty());
}

#[tokio::test]
async fn v2_self_delete_is_refused_before_sending() {
    let server = MockServer::start().await;
    let me = jwt(json!({"actor_id": "user_me", "exp": 4_102_444_800u64}));
    Mock::given(method("DELETE"))
        .and(path("/admin/users/user_other"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "user_other", "object": "user", "deleted": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = v2(&server, Credentials::jwt(me));
    let err = c.delete("user_me").await.unwrap_err();
    assert_eq!(medusa_users::cli::exit::for_api(&err), 2, "{err}");
    assert!(err.status_line().contains("your own account"), "{err}");
    assert!(c.delete("user_other").await.unwrap().deleted);
}

// ----- v2 create: invite → register → accept --------------------------------------------------

#[tokio::test]
async fn v2_create_invites_registers_and_accepts_without_ever_sending_email_on_accept() {
    let server = MockServer::start().await;
    let invite_token = jwt(json!({"id": "invite_1", "email": "new@x.io"}));
    let reg_token = jwt(json!({"actor_id": ""}));
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .and(query_param("email", "new@x.io"))
        .respond_with(empty_users())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/invites"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"invites": [], "count": 0, "offset": 0, "limit": 1})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites"))
        .and(body_json(json!({"email": "new@x.io"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"invite": v2_invite("invite_1", "new@x.io", &invite_token)})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/register"))
        .and(body_json(
            json!({"email": "new@x.io", "password": "new-password-1"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": reg_token})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .and(query_param("token", invite_token.as_str()))
        .and(header(
            "authorization",
            format!("Bearer {reg_token}").as_str(),
        ))
        .and(body_json(json!({"first_name": "Nia"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": v2_user("user_new", "new@x.io")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let steps = std::sync::Mutex::new(Vec::new());
    let user = v2(&server, Credentials::api_token("sk_x"))
        .create_with_progress(
            &CreateUser {
                email: " New@X.io ".into(),
                password: "new-password-1".into(),
                first_name: Some("Nia".into()),
                last_name: None,
                role: None,
            },
            &|step| steps.lock().unwrap().push(step.number()),
        )
        .await
        .unwrap();
    assert_eq!(user.id, "user_new");
    assert_eq!(user.role, None);
    assert_eq!(*steps.lock().unwrap(), [1, 2, 3]);
    // The v2 shape goes back out as v2 sent it.
    let out = serde_json::to_value(&user).unwrap();
    assert_eq!(out, v2_user("user_new", "new@x.io"));
}

#[tokio::test]
async fn v2_create_resumes_a_pending_invite_and_a_registered_login() {
    let server = MockServer::start().await;
    let invite_token = jwt(json!({"id": "invite_1", "email": "half@x.io"}));
    let login_token = jwt(json!({"actor_id": ""}));
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(empty_users())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/invites"))
        .and(query_param("email", "half@x.io"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "invites": [v2_invite("invite_1", "half@x.io", &invite_token)],
            "count": 1, "offset": 0, "limit": 1
        })))
        .mount(&server)
        .await;
    // The earlier run registered the login: register refuses, the same password logs in.
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/register"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"type": "unauthorized", "message": "Identity with email already exists"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": login_token})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .and(header(
            "authorization",
            format!("Bearer {login_token}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": v2_user("user_half", "half@x.io")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let user = v2(&server, Credentials::api_token("sk_x"))
        .create(&CreateUser {
            email: "half@x.io".into(),
            password: "half-password-1".into(),
            first_name: None,
            last_name: None,
            role: None,
        })
        .await
        .unwrap();
    assert_eq!(user.id, "user_half");
    let seen = requests(&server).await;
    assert!(
        !seen
            .iter()
            .any(|r| r.method.as_str() == "POST" && r.url.path() == "/admin/invites"),
        "no second invite"
    );
}

#[tokio::test]
async fn v2_create_stopped_at_accept_says_which_step_and_what_a_retry_does() {
    let server = MockServer::start().await;
    let invite_token = jwt(json!({"id": "invite_1", "email": "stuck@x.io"}));
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(empty_users())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "invites": [v2_invite("invite_1", "stuck@x.io", &invite_token)],
            "count": 1, "offset": 0, "limit": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/register"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token": jwt(json!({"actor_id": ""}))})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
        .mount(&server)
        .await;
    let err = v2(&server, Credentials::api_token("sk_x"))
        .create(&CreateUser {
            email: "stuck@x.io".into(),
            password: "stuck-password-1".into(),
            first_name: None,
            last_name: None,
            role: None,
        })
        .await
        .unwrap_err();
    let line = err.status_line();
    assert!(line.contains("step 3/3"), "{line}");
    assert!(line.contains("run the same create again"), "{line}");
}

#[tokio::test]
async fn v2_create_of_an_existing_user_is_a_duplicate_unless_it_is_the_same_login() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "users": [v2_user("user_done", "done@x.io")], "count": 1, "offset": 0, "limit": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass"))
        .and(body_json(
            json!({"email": "done@x.io", "password": "same-password-1"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token": jwt(json!({"actor_id": "user_done"}))})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass"))
        .respond_with(wrong_password())
        .mount(&server)
        .await;
    let c = v2(&server, Credentials::api_token("sk_x"));
    let new = |password: &str| CreateUser {
        email: "done@x.io".into(),
        password: password.into(),
        first_name: None,
        last_name: None,
        role: None,
    };
    // Run again after it finished: the same user, nothing new made.
    assert_eq!(
        c.create(&new("same-password-1")).await.unwrap().id,
        "user_done"
    );
    // Somebody else's account: a plain duplicate.
    let err = c.create(&new("other-password-1")).await.unwrap_err();
    assert_eq!(medusa_users::cli::exit::for_api(&err), 5);
    assert!(err.status_line().contains("already exists"), "{err}");
    let seen = requests(&server).await;
    assert!(
        !seen
            .iter()
            .any(|r| r.url.path().starts_with("/admin/invites"))
    );
}

// ----- invites --------------------------------------------------------------------------------

#[tokio::test]
async fn v1_invite_answers_ok_and_the_invite_is_found_in_the_list() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/admin/invites"))
        .and(body_json(json!({"user": "zoe@x.io", "role": "developer"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw("OK", "text/plain; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/admin/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"invites": [
            v1_invite("invite_a", "amy@x.io", "2026-11-27T10:00:00.000Z"),
            v1_invite("invite_z", "zoe@x.io", "2026-11-28T10:00:00.000Z"),
            v1_invite("invite_b", "bo@y.io", "2026-11-26T10:00:00.000Z"),
        ]})))
        .mount(&server)
        .await;
    let c = v1(&server, Credentials::api_token("t"));
    let invite = c
        .create_invite(&CreateInvite {
            email: "Zoe@X.io".into(),
            role: Some(Role::Developer),
        })
        .await
        .unwrap();
    assert_eq!(invite.id, "invite_z");

    // No paging or search on v1's side: done here, newest first, and the page says so.
    let page = c
        .list_invites(&InviteListParams {
            q: Some("X.IO".into()),
            limit: Some(1),
            offset: Some(1),
            ..InviteListParams::default()
        })
        .await
        .unwrap();
    assert!(!page.server_paged);
    assert_eq!(page.count, 2);
    assert_eq!(
        page.invites
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["invite_a"]
    );
    // And `--json` prints v1's own shape: `{invites}` only.
    let out = serde_json::to_value(&page).unwrap();
    assert_eq!(out.as_object().unwrap().len(), 1);
    assert_eq!(out["invites"][0]["user_email"], "amy@x.io");
}

#[tokio::test]
async fn revoking_an_unknown_invite_is_not_found_and_sends_no_delete() {
    for dialect in [Dialect::V1, Dialect::V2] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/admin/invites"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"invites": []})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/admin/invites/invite_nope"))
            .respond_with(ResponseTemplate::new(404).set_body_json(
                json!({"type": "not_found", "message": "Invite with id: invite_nope was not found"}),
            ))
            .mount(&server)
            .await;
        let token = if dialect == Dialect::V2 { "sk_x" } else { "t" };
        let c = client(
            &server,
            DialectChoice::Fixed(dialect),
            Credentials::api_token(token),
        );
        let err = c.revoke_invite("invite_nope").await.unwrap_err();
        assert_eq!(
            medusa_users::cli::exit::for_api(&err),
            4,
            "{dialect}: {err}"
        );
        assert!(
            !requests(&server)
                .await
                .iter()
                .any(|r| r.method.as_str() == "DELETE"),
            "{dialect}"
        );
    }
}

#[tokio::test]
async fn v2_accept_registers_the_invited_email_from_the_token() {
    let server = MockServer::start().await;
    let invite_token = jwt(json!({"id": "invite_1", "email": "ivy@x.io"}));
    let reg = jwt(json!({"actor_id": ""}));
    Mock::given(method("POST"))
        .and(path("/auth/user/emailpass/register"))
        .and(body_json(
            json!({"email": "ivy@x.io", "password": "ivy-password-1"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": reg})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .and(body_json(
            json!({"first_name": "Ivy", "last_name": "Invitee"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"user": v2_user("user_ivy", "ivy@x.io")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let user = v2(&server, Credentials::None)
        .accept_invite(&AcceptInvite {
            token: invite_token,
            password: "ivy-password-1".into(),
            first_name: Some("Ivy".into()),
            last_name: Some("Invitee".into()),
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "ivy@x.io");
    let err = v2(&server, Credentials::None)
        .accept_invite(&AcceptInvite {
            token: "not-a-jwt".into(),
            password: "ivy-password-1".into(),
            first_name: None,
            last_name: None,
        })
        .await
        .unwrap_err();
    assert_eq!(medusa_users::cli::exit::for_api(&err), 2, "{err}");
}

#[tokio::test]
async fn v1_accept_is_unauthenticated_and_its_errors_read_clearly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .and(body_json(
            json!({"token": "good", "user": {"password": "pw-1"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw("OK", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/admin/invites/accept"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"type": "invalid_data", "message": "Invalid invite"})),
        )
        .mount(&server)
        .await;
    let c = v1(&server, Credentials::api_token("admin-token"));
    let accept = |token: &str| AcceptInvite {
        token: token.into(),
        password: "pw-1".into(),
        first_name: None,
        last_name: None,
    };
    assert_eq!(c.accept_invite(&accept("good")).await.unwrap(), None);
    let err = c.accept_invite(&accept("used")).await.unwrap_err();
    assert!(
        err.status_line()
            .contains("accepted, revoked or has expired"),
        "{err}"
    );
    assert!(
        requests(&server)
            .await
            .iter()
            .all(|r| r.headers.get("x-medusa-access-token").is_none()),
        "accept carries no admin credentials"
    );
}
