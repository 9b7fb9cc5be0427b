//! The client's contract with a backend: every `admin.users` call, login and who-am-I, happy
//! paths and each error class, run against a fresh sandbox always and against a real Medusa v1
//! as well when `MEDUSA_V1_URL` is set (see `scripts/real-medusa-v1 env`).
//!
//! Against a shared real server every test works on users it made itself (unique e-mails, a
//! unique search prefix), and never changes the configured admin. Transport behaviour (retries,
//! headers, timeouts) is covered by `client_http.rs` against a scripted server instead.

mod support;

use std::collections::BTreeSet;
use std::fmt::Debug;

use medusa_users::api::{
    ApiError, CreateUser, Credentials, ErrorKind, ListParams, Order, OrderField, ResetPassword,
    Role, UpdateUser, User,
};
use secrecy::ExposeSecret;
use serde_json::{Map, Value, json};
use support::target::{Target, tidy};
use support::{capitalise, unique_prefix};

/// An id in Medusa's format that no user has.
const UNKNOWN_ID: &str = "usr_01CONTRACT0UNKNOWN0000000";

/// The message the client gives every kind of bad reset token.
const INVALID_TOKEN: &str =
    "the reset token is invalid, expired or already used; request a new one";

fn new_user(email: &str, password: &str) -> CreateUser {
    CreateUser {
        email: email.to_owned(),
        password: password.to_owned(),
        first_name: None,
        last_name: None,
        role: None,
    }
}

fn with_role(email: &str, role: Role) -> CreateUser {
    CreateUser {
        role: Some(role),
        ..new_user(email, "contract-pass-1")
    }
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

fn emails(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.email.clone()).collect()
}

/// Unwraps an error of the expected kind, with the target and the step in the failure message.
#[track_caller]
fn expect_err<T: Debug>(result: Result<T, ApiError>, kind: ErrorKind, what: &str) -> ApiError {
    match result {
        Ok(v) => panic!("{what}: expected a {kind:?} error, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{what}: wrong error class: {e}");
            e
        }
    }
}

#[track_caller]
fn expect_not_found<T: Debug>(result: Result<T, ApiError>, id: &str, what: &str) {
    let e = expect_err(result, ErrorKind::NotFound, what);
    assert_eq!(
        e.message(),
        format!("User with id: {id} was not found"),
        "{what}: Medusa's not-found message"
    );
}

#[track_caller]
fn expect_invalid<T: Debug>(result: Result<T, ApiError>, message: &str, what: &str) {
    let e = expect_err(result, ErrorKind::InvalidData, what);
    assert_eq!(e.message(), message, "{what}: message");
}

// ----- list ---------------------------------------------------------------------------------

#[tokio::test]
async fn list_pages_counts_searches_sorts_and_filters() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let prefix = unique_prefix("lst");
        // Five users, made one after the other so their created_at order is known.
        let roles = [
            Role::Member,
            Role::Developer,
            Role::Admin,
            Role::Member,
            Role::Developer,
        ];
        let mut made = Vec::new();
        for (i, role) in roles.into_iter().enumerate() {
            let mut req = with_role(&t.unique_email(&prefix), role);
            if i == 2 {
                req.first_name = Some(format!("First{prefix}"));
                req.last_name = Some(format!("Last{prefix}"));
            }
            made.push(c.create(&req).await.unwrap());
        }
        let ids: Vec<String> = made.iter().map(|u| u.id.clone()).collect();
        let all_emails: BTreeSet<String> = made.iter().map(|u| u.email.clone()).collect();
        let q = |extra: ListParams| ListParams {
            q: Some(prefix.clone()),
            ..extra
        };

        // The server's defaults: limit 50, offset 0, newest first.
        let page = c.list(&q(ListParams::default())).await.unwrap();
        assert_eq!(
            (page.count, page.offset, page.limit),
            (5, 0, 50),
            "{n}: defaults"
        );
        let newest_first: Vec<String> = made.iter().rev().map(|u| u.email.clone()).collect();
        assert_eq!(
            emails(&page.users),
            newest_first,
            "{n}: default order is created_at descending"
        );

        // Paging: limit and offset are echoed, count is the filtered total.
        let page = c
            .list(&q(ListParams {
                limit: Some(2),
                offset: Some(0),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(page.users.len(), 2, "{n}: first page");
        assert_eq!((page.count, page.offset, page.limit), (5, 0, 2), "{n}");
        let mut seen: Vec<String> = emails(&page.users);
        for offset in [2, 4] {
            let page = c
                .list(&q(ListParams {
                    limit: Some(2),
                    offset: Some(offset),
                    ..Default::default()
                }))
                .await
                .unwrap();
            assert_eq!(
                (page.count, page.offset, page.limit),
                (5, offset, 2),
                "{n}: page at {offset}"
            );
            seen.extend(emails(&page.users));
        }
        assert_eq!(seen.len(), 5, "{n}: the pages hold every user once");
        assert_eq!(
            seen.into_iter().collect::<BTreeSet<_>>(),
            all_emails,
            "{n}: the pages hold exactly the users made"
        );

        // Past the end: an empty page with the real count.
        let page = c
            .list(&q(ListParams {
                limit: Some(2),
                offset: Some(10),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert!(page.users.is_empty(), "{n}: past the end: {:?}", page.users);
        assert_eq!(
            (page.count, page.offset, page.limit),
            (5, 10, 2),
            "{n}: past the end"
        );

        // limit=0 means no limit on Medusa v1 (and is echoed as 0).
        let page = c
            .list(&q(ListParams {
                limit: Some(0),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(
            (page.users.len(), page.count, page.limit),
            (5, 5, 0),
            "{n}: limit=0"
        );

        // order=email ascending, order=-created_at descending.
        let page = c
            .list(&q(ListParams {
                order: Some(Order::asc(OrderField::Email)),
                ..Default::default()
            }))
            .await
            .unwrap();
        let sorted: Vec<String> = all_emails.iter().cloned().collect();
        assert_eq!(emails(&page.users), sorted, "{n}: order=email");
        let page = c
            .list(&q(ListParams {
                order: Some(Order::desc(OrderField::CreatedAt)),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(emails(&page.users), newest_first, "{n}: order=-created_at");
        assert!(
            page.users
                .windows(2)
                .all(|w| w[0].created_at.parsed() >= w[1].created_at.parsed()),
            "{n}: created_at must not increase down the page"
        );

        // Role filters, one role and two.
        let page = c
            .list(&q(ListParams {
                roles: vec![Role::Developer],
                ..Default::default()
            }))
            .await
            .unwrap();
        let expected: BTreeSet<String> = made
            .iter()
            .filter(|u| u.role == Some(Role::Developer))
            .map(|u| u.email.clone())
            .collect();
        assert_eq!(page.count, 2, "{n}: role=developer count");
        assert_eq!(
            emails(&page.users).into_iter().collect::<BTreeSet<_>>(),
            expected,
            "{n}: role=developer"
        );
        let page = c
            .list(&q(ListParams {
                roles: vec![Role::Admin, Role::Developer],
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(page.count, 3, "{n}: role=admin&role=developer count");
        assert!(
            page.users.iter().all(|u| u.role != Some(Role::Member)),
            "{n}: role=admin&role=developer: {:?}",
            page.users
        );

        // The exact e-mail filter, alone (no q), hit and miss.
        let target_user = &made[3];
        let page = c
            .list(&ListParams {
                email: Some(target_user.email.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.count, 1, "{n}: email filter count");
        assert_eq!(page.users.len(), 1, "{n}: email filter");
        assert_eq!(page.users[0].id, target_user.id, "{n}: email filter");
        let page = c
            .list(&ListParams {
                email: Some(format!("nobody-{prefix}@example.com")),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            (page.users.len(), page.count),
            (0, 0),
            "{n}: email filter, no match"
        );

        // q also searches first and last names, case-insensitively.
        for needle in [
            format!("first{prefix}").to_uppercase(),
            format!("LAST{prefix}"),
        ] {
            let page = c
                .list(&ListParams {
                    q: Some(needle.clone()),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(page.count, 1, "{n}: q={needle}");
            assert_eq!(page.users[0].id, made[2].id, "{n}: q={needle}");
        }

        tidy(&c, &ids).await;
    }
}

#[tokio::test]
async fn list_all_returns_exactly_the_matching_users_as_one_list() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let prefix = unique_prefix("all");
        let creates = (0..30).map(|i| {
            let c = c.clone();
            let role = Role::ALL[i % 3];
            let email = t.unique_email(&prefix);
            async move { c.create(&with_role(&email, role)).await }
        });
        let made: Vec<User> = futures::future::try_join_all(creates).await.unwrap();
        let ids: Vec<String> = made.iter().map(|u| u.id.clone()).collect();

        // limit and offset are ignored: list_all always starts at the beginning.
        let page = c
            .list_all(&ListParams {
                q: Some(prefix.clone()),
                limit: Some(3),
                offset: Some(7),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            (page.users.len(), page.count, page.offset, page.limit),
            (30, 30, 0, 30),
            "{n}: users, count, offset, limit"
        );
        let got: BTreeSet<String> = page.users.iter().map(|u| u.id.clone()).collect();
        assert_eq!(got.len(), 30, "{n}: no duplicates");
        assert_eq!(
            got,
            ids.iter().cloned().collect::<BTreeSet<_>>(),
            "{n}: exactly the users made"
        );

        // Filters still apply.
        let page = c
            .list_all(&ListParams {
                q: Some(prefix.clone()),
                roles: vec![Role::Developer],
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((page.users.len(), page.count), (10, 10), "{n}: developers");
        assert!(
            page.users.iter().all(|u| u.role == Some(Role::Developer)),
            "{n}"
        );

        tidy(&c, &ids).await;
    }
}

/// More than one page of `LIST_ALL_PAGE_SIZE` (500): only a private sandbox has a known total.
#[tokio::test]
async fn list_all_pages_through_a_large_sandbox() {
    let t = Target::sandbox(1200).await;
    let page = t.client().list_all(&ListParams::default()).await.unwrap();
    assert_eq!(page.users.len(), 1201, "1200 samples plus the admin");
    assert_eq!((page.count, page.offset, page.limit), (1201, 0, 1201));
    let ids: BTreeSet<&str> = page.users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids.len(), 1201, "no user twice");
    assert!(
        page.users
            .windows(2)
            .all(|w| w[0].created_at.parsed() >= w[1].created_at.parsed()),
        "the server's newest-first order survives paging"
    );
}

// ----- retrieve, create ----------------------------------------------------------------------

#[tokio::test]
async fn retrieve_finds_a_user_and_reports_unknown_ids_like_medusa() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let me = c.me().await.unwrap();
        let got = c.retrieve(&me.id).await.unwrap();
        assert_eq!(got, me, "{n}: retrieve(me.id) is me");

        let made = c
            .create(&new_user(&t.unique_email("get"), "contract-pass-1"))
            .await
            .unwrap();
        assert_eq!(c.retrieve(&made.id).await.unwrap(), made, "{n}: retrieve");

        expect_not_found(c.retrieve(UNKNOWN_ID).await, UNKNOWN_ID, n);
        // Any string is an id to Medusa; the client keeps it inside the users route.
        expect_not_found(c.retrieve("not-an-id").await, "not-an-id", n);
        tidy(&c, &[made.id]).await;
    }
}

#[tokio::test]
async fn create_stores_a_lower_cased_member_and_refuses_duplicates_and_bad_emails() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let email = t.unique_email("Create");
        let shouted = email.to_uppercase();

        let user = c
            .create(&new_user(&shouted, "contract-pass-1"))
            .await
            .unwrap();
        assert!(user.id.starts_with("usr_"), "{n}: id {}", user.id);
        assert_eq!(user.email, email.to_lowercase(), "{n}: stored lower-cased");
        assert_eq!(user.role, Some(Role::Member), "{n}: default role");
        assert_eq!(
            (&user.first_name, &user.last_name),
            (&None, &None),
            "{n}: names"
        );
        assert_eq!(user.api_token, None, "{n}: no token");
        assert_eq!(user.metadata, None, "{n}: no metadata");
        assert_eq!(user.deleted_at, None, "{n}: not deleted");
        assert!(user.created_at.parsed().is_some(), "{n}: created_at");
        assert_eq!(
            c.retrieve(&user.id).await.unwrap(),
            user,
            "{n}: create returns what is stored"
        );

        // Duplicates, whatever the case.
        for dup in [email.to_lowercase(), shouted.clone(), capitalise(&email)] {
            expect_invalid(
                c.create(&new_user(&dup, "contract-pass-2")).await,
                "A user with the same email already exists.",
                &format!("{n}: duplicate {dup}"),
            );
        }

        // Every field.
        let full = c
            .create(&CreateUser {
                email: t.unique_email("create-full"),
                password: "contract-pass-1".into(),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                role: Some(Role::Developer),
            })
            .await
            .unwrap();
        assert_eq!(
            (
                full.first_name.as_deref(),
                full.last_name.as_deref(),
                full.role
            ),
            (Some("Ada"), Some("Lovelace"), Some(Role::Developer)),
            "{n}: every field"
        );

        // Invalid e-mails are the server's to reject (the client sends what it is given).
        for bad in ["not-an-email", "two@@example.com"] {
            expect_invalid(
                c.create(&new_user(bad, "contract-pass-1")).await,
                "email must be an email",
                &format!("{n}: create {bad:?}"),
            );
        }
        tidy(&c, &[user.id, full.id]).await;
    }
}

/// Medusa v1 accepts `password: ""` and makes a user who can never log in. The CLI and TUI
/// refuse it; the client sends it, so this is what the server does with it.
#[tokio::test]
async fn a_user_created_without_password_cannot_log_in_or_get_a_reset_token() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let email = t.unique_email("nopass");
        let user = c.create(&new_user(&email, "")).await.unwrap();
        let anon = t.client_with(Credentials::None);
        expect_err(
            anon.login(&email, "").await,
            ErrorKind::InvalidData,
            &format!("{n}: login with an empty password"),
        );
        expect_err(
            anon.login(&email, "anything").await,
            ErrorKind::Unauthorized,
            &format!("{n}: login"),
        );
        let err = anon.send_reset_password_token(&email).await.unwrap_err();
        if t.sandbox.is_some() {
            // The sandbox's deliberate deviation "password-token-no-password".
            assert_eq!(err.kind(), ErrorKind::InvalidData, "{n}: {err}");
            assert!(
                err.message().contains("no password"),
                "{n}: the sandbox explains: {err}"
            );
        } else {
            assert_eq!(
                err,
                ApiError::Server {
                    status: 500,
                    message: "the server could not make a reset token; Medusa v1 fails this way \
                              for users created with an empty password"
                        .into()
                },
                "{n}: Medusa's 500, explained by the client"
            );
        }
        tidy(&c, &[user.id]).await;
    }
}

// ----- update --------------------------------------------------------------------------------

#[tokio::test]
async fn update_changes_names_role_token_and_merges_metadata() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let user = c
            .create(&new_user(&t.unique_email("upd"), "contract-pass-1"))
            .await
            .unwrap();

        // Names and role.
        let updated = c
            .update(
                &user.id,
                &UpdateUser {
                    first_name: Some(Some("Grace".into())),
                    last_name: Some(Some("Hopper".into())),
                    role: Some(Role::Admin),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (
                updated.first_name.as_deref(),
                updated.last_name.as_deref(),
                updated.role
            ),
            (Some("Grace"), Some("Hopper"), Some(Role::Admin)),
            "{n}: names and role"
        );
        assert_eq!(updated.email, user.email, "{n}: e-mail unchanged");

        // null clears a name and leaves the other alone.
        let updated = c
            .update(
                &user.id,
                &UpdateUser {
                    first_name: Some(None),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (updated.first_name.as_deref(), updated.last_name.as_deref()),
            (None, Some("Hopper")),
            "{n}: first_name null"
        );

        // Metadata merges; a key set to "" is removed.
        let meta = |v: Value| UpdateUser {
            metadata: Some(object(v)),
            ..Default::default()
        };
        let steps = [
            (
                json!({"team": "ops", "level": 3, "tags": ["a", "b"]}),
                json!({"team": "ops", "level": 3, "tags": ["a", "b"]}),
            ),
            (
                json!({"level": 4, "nested": {"x": true}}),
                json!({"team": "ops", "level": 4, "tags": ["a", "b"], "nested": {"x": true}}),
            ),
            (
                json!({"team": ""}),
                json!({"level": 4, "tags": ["a", "b"], "nested": {"x": true}}),
            ),
        ];
        for (sent, expected) in steps {
            let body = meta(sent.clone());
            let updated = c.update(&user.id, &body).await.unwrap();
            assert_eq!(
                updated.metadata,
                Some(object(expected.clone())),
                "{n}: metadata after sending {sent}"
            );
            assert_eq!(
                c.retrieve(&user.id).await.unwrap().metadata,
                Some(object(expected)),
                "{n}: stored metadata after sending {sent}"
            );
        }

        // An API token, which then authenticates as this user.
        let token = format!("contract-{}", uuid::Uuid::new_v4().simple());
        let updated = c
            .update(
                &user.id,
                &UpdateUser {
                    api_token: Some(token.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(updated.api_token.as_deref(), Some(token.as_str()), "{n}");
        let as_user = t.client_with(Credentials::api_token(token));
        assert_eq!(
            as_user.me().await.unwrap().id,
            user.id,
            "{n}: the new token is theirs"
        );

        // An empty update changes nothing.
        let before = c.retrieve(&user.id).await.unwrap();
        let after = c.update(&user.id, &UpdateUser::default()).await.unwrap();
        assert_eq!(
            (
                &after.first_name,
                &after.last_name,
                after.role,
                &after.api_token,
                &after.metadata
            ),
            (
                &before.first_name,
                &before.last_name,
                before.role,
                &before.api_token,
                &before.metadata
            ),
            "{n}: {{}} is a no-op"
        );

        // Unknown id.
        expect_not_found(
            c.update(
                UNKNOWN_ID,
                &UpdateUser {
                    first_name: Some(Some("X".into())),
                    ..Default::default()
                },
            )
            .await,
            UNKNOWN_ID,
            n,
        );
        tidy(&c, &[user.id]).await;
    }
}

// ----- delete --------------------------------------------------------------------------------

#[tokio::test]
async fn delete_hides_the_user_and_repeating_it_is_harmless() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let user = c
            .create(&new_user(&t.unique_email("del"), "contract-pass-1"))
            .await
            .unwrap();
        let deleted = c.delete(&user.id).await.unwrap();
        assert_eq!(
            (
                deleted.id.as_str(),
                deleted.object.as_str(),
                deleted.deleted
            ),
            (user.id.as_str(), "user", true),
            "{n}: delete answer"
        );
        expect_not_found(c.retrieve(&user.id).await, &user.id, n);
        let page = c
            .list(&ListParams {
                email: Some(user.email.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.count, 0, "{n}: a deleted user is not listed");
        // The deleted user cannot log in.
        expect_err(
            t.client_with(Credentials::None)
                .login(&user.email, "contract-pass-1")
                .await,
            ErrorKind::Unauthorized,
            &format!("{n}: deleted user's login"),
        );

        // Medusa answers 200 deleted:true again, and for ids that never existed.
        for id in [user.id.as_str(), UNKNOWN_ID] {
            let again = c.delete(id).await.unwrap();
            assert_eq!(
                (again.id.as_str(), again.object.as_str(), again.deleted),
                (id, "user", true),
                "{n}: delete {id} again"
            );
        }
    }
}

// ----- password reset ------------------------------------------------------------------------

#[tokio::test]
async fn send_reset_password_token_answers_alike_for_known_and_unknown_emails() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let user = c
            .create(&new_user(&t.unique_email("tok"), "contract-pass-1"))
            .await
            .unwrap();
        // No credentials needed: it is an open route.
        let anon = t.client_with(Credentials::None);
        anon.send_reset_password_token(&user.email).await.unwrap();
        anon.send_reset_password_token(&user.email.to_uppercase())
            .await
            .unwrap_or_else(|e| panic!("{n}: upper-case e-mail: {e}"));
        let unknown = t.unique_email("tok-nobody");
        anon.send_reset_password_token(&unknown)
            .await
            .unwrap_or_else(|e| panic!("{n}: unknown e-mail: {e}"));
        expect_invalid(
            anon.send_reset_password_token("not-an-email").await,
            "email must be an email",
            &format!("{n}: malformed e-mail"),
        );
        // Two tokens for the known user (any case), none for the unknown address.
        t.wait_reset_token(&user.email, 1).await;
        assert!(
            t.reset_tokens_for(&unknown).is_empty(),
            "{n}: no token for an unknown e-mail"
        );
        tidy(&c, &[user.id]).await;
    }
}

/// Asks for a reset token for `email` and waits for it to arrive (about 3 s on a real Medusa,
/// whose event bus delivers in batches).
async fn fresh_reset_token(t: &Target, email: &str) -> String {
    let known = t.reset_tokens_for(email).len();
    t.client_with(Credentials::None)
        .send_reset_password_token(email)
        .await
        .unwrap_or_else(|e| panic!("{}: password-token for {email}: {e}", t.name));
    t.wait_reset_token(email, known).await
}

#[tokio::test]
async fn reset_password_with_a_token_changes_the_password() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let email = t.unique_email("reset");
        let user = c.create(&new_user(&email, "old-password-1")).await.unwrap();
        let token = fresh_reset_token(&t, &email).await;

        // No e-mail given: the server uses the one inside the token. No credentials needed.
        let anon = t.client_with(Credentials::None);
        let changed = anon
            .reset_password(&ResetPassword {
                token,
                password: "new-password-2".into(),
                email: None,
            })
            .await
            .unwrap()
            .expect("Medusa v1 answers a reset with the user");
        assert_eq!(
            (changed.id.as_str(), changed.email.as_str()),
            (user.id.as_str(), email.as_str()),
            "{n}: the reset answers with the user"
        );

        let login = t.client_with(Credentials::None);
        login
            .login(&email, "new-password-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: login with the new password: {e}"));
        assert_eq!(login.me().await.unwrap().id, user.id, "{n}");
        expect_err(
            t.client_with(Credentials::None)
                .login(&email, "old-password-1")
                .await,
            ErrorKind::Unauthorized,
            &format!("{n}: the old password"),
        );

        // A token that is not one at all.
        expect_invalid(
            anon.reset_password(&ResetPassword {
                token: "garbage".into(),
                password: "third-password-3".into(),
                email: None,
            })
            .await,
            INVALID_TOKEN,
            &format!("{n}: garbage token"),
        );
        t.client_with(Credentials::None)
            .login(&email, "new-password-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: a refused reset changes nothing: {e}"));
        tidy(&c, &[user.id]).await;
    }
}

#[tokio::test]
async fn reset_password_accepts_the_tokens_own_email() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let email = t.unique_email("reset-own");
        let user = c.create(&new_user(&email, "own-password-1")).await.unwrap();
        let token = fresh_reset_token(&t, &email).await;
        let changed = t
            .client_with(Credentials::None)
            .reset_password(&ResetPassword {
                token,
                password: "own-password-2".into(),
                email: Some(email.clone()),
            })
            .await
            .unwrap()
            .expect("Medusa v1 answers a reset with the user");
        assert_eq!(changed.id, user.id, "{n}");
        t.client_with(Credentials::None)
            .login(&email, "own-password-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: the new password: {e}"));
        tidy(&c, &[user.id]).await;
    }
}

/// A token is good for one user and one reset. Medusa answers a spent token, or a token sent
/// with another user's e-mail, with a 500; the client reads both as "invalid token".
#[tokio::test]
async fn a_spent_or_misdirected_reset_token_is_invalid() {
    for t in Target::all(0).await {
        let c = t.client();
        let n = t.name;
        let email = t.unique_email("reset-a");
        let other = t.unique_email("reset-b");
        let a = c.create(&new_user(&email, "a-password-1")).await.unwrap();
        let b = c.create(&new_user(&other, "b-password-1")).await.unwrap();
        let token = fresh_reset_token(&t, &email).await;
        let anon = t.client_with(Credentials::None);

        // A's token with B's e-mail: refused, and B keeps the password.
        expect_invalid(
            anon.reset_password(&ResetPassword {
                token: token.clone(),
                password: "hijacked-9".into(),
                email: Some(other.clone()),
            })
            .await,
            INVALID_TOKEN,
            &format!("{n}: another user's e-mail"),
        );
        t.client_with(Credentials::None)
            .login(&other, "b-password-1")
            .await
            .unwrap_or_else(|e| panic!("{n}: B's password is unchanged: {e}"));

        // The failed try did not spend it: A's reset works, once.
        let reset = ResetPassword {
            token,
            password: "a-password-2".into(),
            email: None,
        };
        assert_eq!(
            anon.reset_password(&reset).await.unwrap().unwrap().id,
            a.id,
            "{n}"
        );
        expect_invalid(
            anon.reset_password(&ResetPassword {
                password: "a-password-3".into(),
                ..reset
            })
            .await,
            INVALID_TOKEN,
            &format!("{n}: the spent token"),
        );
        t.client_with(Credentials::None)
            .login(&email, "a-password-2")
            .await
            .unwrap_or_else(|e| panic!("{n}: A's password is the one from the first reset: {e}"));
        tidy(&c, &[a.id, b.id]).await;
    }
}

#[tokio::test]
async fn login_turns_the_credentials_into_a_jwt() {
    for t in Target::all(0).await {
        let n = t.name;
        let client = t.client_with(Credentials::None);
        let jwt = client.login(&t.email, &t.password).await.unwrap();
        assert!(
            matches!(client.credentials(), Credentials::Jwt(ref s) if s.expose_secret() == jwt.expose_secret()),
            "{n}: the client now uses the JWT: {:?}",
            client.credentials()
        );
        assert_eq!(jwt.expose_secret().split('.').count(), 3, "{n}: a JWT");
        let me = client.me().await.unwrap();
        assert_eq!(me.email, t.email, "{n}: me() after login");
        client.list(&ListParams::default()).await.unwrap();

        // The same JWT in a new client.
        let other = t.client_with(Credentials::jwt(jwt.expose_secret()));
        assert_eq!(other.me().await.unwrap().id, me.id, "{n}: JWT reused");

        // A failed login leaves the credentials alone.
        let anon = t.client_with(Credentials::None);
        let e = expect_err(
            anon.login(&t.email, "definitely-not-the-password").await,
            ErrorKind::Unauthorized,
            &format!("{n}: wrong password"),
        );
        assert_eq!(e.message(), "e-mail or password not accepted", "{n}");
        assert!(
            anon.credentials().is_none(),
            "{n}: still no credentials after a failed login"
        );
        expect_err(
            anon.login(&t.unique_email("nobody"), "whatever-1").await,
            ErrorKind::Unauthorized,
            &format!("{n}: unknown e-mail"),
        );
        expect_invalid(
            anon.login("not-an-email", "whatever-1").await,
            "email must be an email",
            &format!("{n}: malformed e-mail"),
        );
    }
}

#[tokio::test]
async fn each_auth_method_is_accepted_or_refused_as_medusa_does() {
    for t in Target::all(0).await {
        let n = t.name;
        // API token.
        let admin = t.client().me().await.unwrap();
        assert_eq!(admin.email, t.email, "{n}: me() with the API token");
        // JWT.
        let jwt = t
            .client_with(Credentials::None)
            .login(&t.email, &t.password)
            .await
            .unwrap();
        let by_jwt = t.client_with(Credentials::Jwt(jwt));
        assert_eq!(
            by_jwt.me().await.unwrap().id,
            admin.id,
            "{n}: me() with a JWT"
        );

        // Writes are aimed at a user of our own, never at the admin of a shared server.
        let victim = t
            .client()
            .create(&new_user(&t.unique_email("victim"), "contract-pass-1"))
            .await
            .unwrap();
        let refused = [
            ("no credentials", Credentials::None),
            (
                "a wrong API token",
                Credentials::api_token("not-a-real-token"),
            ),
            ("a garbage JWT", Credentials::jwt("not.a.jwt")),
            // The API token is not a bearer token.
            (
                "the API token as a JWT",
                Credentials::jwt(t.api_token.clone()),
            ),
        ];
        for (what, credentials) in refused {
            let c = t.client_with(credentials);
            let ctx = format!("{n}: {what}");
            expect_err(c.me().await, ErrorKind::Unauthorized, &ctx);
            expect_err(
                c.list(&ListParams::default()).await,
                ErrorKind::Unauthorized,
                &ctx,
            );
            expect_err(c.retrieve(&victim.id).await, ErrorKind::Unauthorized, &ctx);
            expect_err(
                c.create(&new_user(&t.unique_email("noauth"), "contract-pass-1"))
                    .await,
                ErrorKind::Unauthorized,
                &ctx,
            );
            expect_err(
                c.update(
                    &victim.id,
                    &UpdateUser {
                        first_name: Some(Some("Mallory".into())),
                        ..Default::default()
                    },
                )
                .await,
                ErrorKind::Unauthorized,
                &ctx,
            );
            expect_err(c.delete(&victim.id).await, ErrorKind::Unauthorized, &ctx);
        }
        // None of that touched the user.
        assert_eq!(
            t.client().retrieve(&victim.id).await.unwrap(),
            victim,
            "{n}: unchanged"
        );
        tidy(&t.client(), &[victim.id]).await;
    }
}

/// Medusa v1 lets users delete themselves, and their JWT keeps working afterwards, except for
/// `GET /admin/auth`, which answers a bare 400 "Bad Request"; the client reports that as
/// unauthorized, "no longer exists".
#[tokio::test]
async fn a_user_who_deleted_themself_is_told_they_no_longer_exist() {
    for t in Target::all(0).await {
        let n = t.name;
        let email = t.unique_email("selfdel");
        let token = format!("contract-{}", uuid::Uuid::new_v4().simple());
        let admin = t.client();
        let user = admin
            .create(&CreateUser {
                role: Some(Role::Admin),
                ..new_user(&email, "self-delete-1")
            })
            .await
            .unwrap();
        admin
            .update(
                &user.id,
                &UpdateUser {
                    api_token: Some(token.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();

        let own = t.client_with(Credentials::None);
        own.login(&email, "self-delete-1").await.unwrap();
        assert_eq!(own.me().await.unwrap().id, user.id, "{n}: signed in");
        let deleted = own.delete(&user.id).await.unwrap();
        assert!(deleted.deleted, "{n}: self-delete allowed");

        let e = expect_err(
            own.me().await,
            ErrorKind::Unauthorized,
            &format!("{n}: me() after deleting oneself"),
        );
        assert!(
            e.message().contains("no longer exists"),
            "{n}: the client explains: {e}"
        );
        // The quirk: the JWT still reads the list.
        own.list(&ListParams {
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{n}: a deleted user's JWT still lists users: {e}"));
        // Their API token and password are dead, though.
        expect_err(
            t.client_with(Credentials::api_token(token)).me().await,
            ErrorKind::Unauthorized,
            &format!("{n}: a deleted user's API token"),
        );
        expect_err(
            t.client_with(Credentials::None)
                .login(&email, "self-delete-1")
                .await,
            ErrorKind::Unauthorized,
            &format!("{n}: a deleted user's login"),
        );
        expect_not_found(admin.retrieve(&user.id).await, &user.id, n);
    }
}
