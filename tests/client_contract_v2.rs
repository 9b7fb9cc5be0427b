//! The client against Medusa v2: every operation on a fresh v2 sandbox and, when
//! `MEDUSA_V2_URL` is set (CI always sets it), on a real Medusa 2.21.2, with the server's state
//! checked after each change. The same body runs on both, so the sandbox is held to the real
//! server's behaviour. The client is never told the dialect: it finds out by itself.

mod support;

use medusa_users::api::{
    AcceptInvite, ApiError, CreateInvite, CreateUser, Credentials, Dialect, ErrorKind, Identity,
    InviteListParams, InviteStatus, ListParams, Order, OrderField, ResetPassword, Role, UpdateUser,
    User,
};
use serde_json::json;
use support::target::Target;
use support::v2::register_login;

fn new_user(email: &str, password: &str) -> CreateUser {
    CreateUser {
        email: email.to_owned(),
        password: password.to_owned(),
        first_name: Some("Vee".to_owned()),
        last_name: Some("Two".to_owned()),
        role: None,
    }
}

fn expect_kind<T: std::fmt::Debug>(
    r: Result<T, ApiError>,
    kind: ErrorKind,
    what: &str,
) -> ApiError {
    match r {
        Ok(v) => panic!("{what}: expected {kind:?}, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{what}: {e}");
            e
        }
    }
}

async fn make(t: &Target, tag: &str, password: &str) -> User {
    t.client()
        .create(&new_user(&t.unique_email(tag), password))
        .await
        .unwrap_or_else(|e| panic!("{}: create {tag}: {e}", t.name))
}

#[tokio::test]
async fn the_client_finds_out_it_is_v2_and_signs_in_both_ways() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        assert_eq!(c.dialect().await.unwrap(), Dialect::V2, "{n}");
        let caps = c.capabilities().await.unwrap();
        assert!(
            !caps.roles && caps.avatar_url && caps.secret_keys,
            "{n}: {caps:?}"
        );
        // A secret key belongs to no user.
        assert_eq!(c.identity().await.unwrap(), Identity::SecretKey, "{n}");
        let e = expect_kind(c.me().await, ErrorKind::NotFound, n);
        assert!(e.status_line().contains("secret API key"), "{n}: {e}");

        // E-mail and password: a JWT for the admin, who is a user.
        let jwt = t.client_with(Credentials::None);
        jwt.login(&t.email, &t.password).await.unwrap();
        let me = jwt.me().await.unwrap();
        assert_eq!(me.email, t.email, "{n}");
        assert_eq!(me.role, None, "{n}");
        assert!(me.id.starts_with("user_"), "{n}: {}", me.id);
        assert!(jwt.session_expires_at().is_some(), "{n}");
        let fresh = jwt.refresh_session().await.unwrap();
        assert!(fresh.is_some(), "{n}: a v2 session refreshes");
        assert_eq!(
            jwt.me().await.unwrap().id,
            me.id,
            "{n}: the fresh JWT works"
        );

        let e = expect_kind(
            t.client_with(Credentials::None)
                .login(&t.email, "wrong-password")
                .await,
            ErrorKind::Unauthorized,
            n,
        );
        assert!(e.status_line().contains("not accepted"), "{n}: {e}");
        // A v1-style token on v2 is named as such, not sent.
        let e = expect_kind(
            t.client_with(Credentials::api_token("local-dev-admin-api-token"))
                .list(&ListParams::default())
                .await,
            ErrorKind::Unauthorized,
            n,
        );
        assert!(e.status_line().contains("Medusa v2"), "{n}: {e}");
    }
}

#[tokio::test]
async fn create_runs_invite_register_accept_and_a_rerun_makes_no_second_user() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let email = t.unique_email("v2-create");
        let steps = std::sync::Mutex::new(Vec::new());
        let user = c
            .create_with_progress(&new_user(&email.to_uppercase(), "create-pass-1"), &|s| {
                steps.lock().unwrap().push(s.number());
            })
            .await
            .unwrap();
        assert_eq!(*steps.lock().unwrap(), [1, 2, 3], "{n}");
        assert_eq!(user.email, email, "{n}: lower-cased");
        assert_eq!(
            (user.first_name.as_deref(), user.last_name.as_deref()),
            (Some("Vee"), Some("Two")),
            "{n}"
        );
        // The server's state: one user, no invite left, and the password works.
        assert_eq!(t.users_with_email(&email).await.len(), 1, "{n}");
        let invites = c
            .list_invites(&InviteListParams {
                email: Some(email.clone()),
                ..InviteListParams::default()
            })
            .await
            .unwrap();
        assert!(invites.invites.is_empty(), "{n}: accepted invites are gone");
        let as_new = t.client_with(Credentials::None);
        as_new.login(&email, "create-pass-1").await.unwrap();
        assert_eq!(as_new.me().await.unwrap().id, user.id, "{n}");

        // Run again: the same user, still one.
        let again = c.create(&new_user(&email, "create-pass-1")).await.unwrap();
        assert_eq!(again.id, user.id, "{n}");
        assert_eq!(t.users_with_email(&email).await.len(), 1, "{n}");
        // Another password: somebody else's account, a duplicate.
        let e = expect_kind(
            c.create(&new_user(&email, "other-pass-1")).await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(e.status_line().contains("already exists"), "{n}: {e}");
        assert_eq!(t.users_with_email(&email).await.len(), 1, "{n}");
        t.clean_up(&[user.id]).await;
    }
}

#[tokio::test]
async fn a_create_stopped_after_the_invite_or_the_register_is_finished_by_a_rerun() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        // Stopped after step 1: an invite is pending.
        let email = t.unique_email("v2-half1");
        let invite = c
            .create_invite(&CreateInvite {
                email: email.clone(),
                role: None,
            })
            .await
            .unwrap();
        let user = c.create(&new_user(&email, "half-pass-1")).await.unwrap();
        assert_eq!(t.users_with_email(&email).await.len(), 1, "{n}");
        let e = expect_kind(c.retrieve_invite(&invite.id).await, ErrorKind::NotFound, n);
        assert!(!e.status_line().is_empty());

        // Stopped after step 2: the login is registered too (same password).
        let email2 = t.unique_email("v2-half2");
        c.create_invite(&CreateInvite {
            email: email2.clone(),
            role: None,
        })
        .await
        .unwrap();
        let reg = register_login(&t.url, &email2, "half-pass-2").await;
        assert_eq!(reg.status(), 200, "{n}");
        let user2 = c.create(&new_user(&email2, "half-pass-2")).await.unwrap();
        assert_eq!(t.users_with_email(&email2).await.len(), 1, "{n}");
        // A rerun with another password cannot take over the half-made login.
        let email3 = t.unique_email("v2-half3");
        register_login(&t.url, &email3, "first-pass-3").await;
        let e = expect_kind(
            c.create(&new_user(&email3, "other-pass-3")).await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(e.status_line().contains("step 2/3"), "{n}: {e}");
        assert!(t.users_with_email(&email3).await.is_empty(), "{n}");
        t.clean_up(&[user.id, user2.id]).await;
    }
}

#[tokio::test]
async fn list_pages_searches_sorts_and_refuses_what_v2_has_not() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let tag = format!("v2list{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
        let mut made = Vec::new();
        for i in 0..3 {
            made.push(
                c.create(&new_user(&format!("{tag}-{i}@example.com"), "list-pass-1"))
                    .await
                    .unwrap(),
            );
        }
        let page = c
            .list(&ListParams {
                q: Some(tag.clone()),
                limit: Some(2),
                offset: Some(0),
                order: Some(Order::desc(OrderField::Email)),
                ..ListParams::default()
            })
            .await
            .unwrap();
        assert_eq!(page.count, 3, "{n}");
        assert_eq!(page.users.len(), 2, "{n}");
        assert_eq!(page.users[0].email, format!("{tag}-2@example.com"), "{n}");
        let rest = c
            .list(&ListParams {
                q: Some(tag.clone()),
                limit: Some(2),
                offset: Some(2),
                order: Some(Order::desc(OrderField::Email)),
                ..ListParams::default()
            })
            .await
            .unwrap();
        assert_eq!(rest.users.len(), 1, "{n}");
        assert_eq!(rest.users[0].email, format!("{tag}-0@example.com"), "{n}");
        let all = c
            .list_all(&ListParams {
                q: Some(tag.clone()),
                ..ListParams::default()
            })
            .await
            .unwrap();
        assert_eq!(all.users.len(), 3, "{n}");
        // What v2 does not have is refused here (a real v2 would answer 500 or 400).
        let e = expect_kind(
            c.list(&ListParams {
                roles: vec![Role::Admin],
                ..ListParams::default()
            })
            .await,
            ErrorKind::Usage,
            n,
        );
        assert_eq!(medusa_users::cli::exit::for_api(&e), 2);
        t.clean_up(&made.into_iter().map(|u| u.id).collect::<Vec<_>>())
            .await;
    }
}

#[tokio::test]
async fn update_changes_names_avatar_and_merges_metadata() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let user = make(&t, "v2-update", "update-pass-1").await;
        let meta = |v: serde_json::Value| v.as_object().cloned();
        let changed = c
            .update(
                &user.id,
                &UpdateUser {
                    first_name: Some(Some("Ada".into())),
                    last_name: Some(None),
                    avatar_url: Some(Some("https://example.com/ada.png".into())),
                    metadata: meta(json!({"team": "ops", "level": 3, "nested": {"a": 1}})),
                    ..UpdateUser::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(changed.first_name.as_deref(), Some("Ada"), "{n}");
        let now = c.retrieve(&user.id).await.unwrap();
        assert_eq!(now.first_name.as_deref(), Some("Ada"), "{n}");
        assert_eq!(now.last_name, None, "{n}");
        assert_eq!(
            now.avatar_url.as_deref(),
            Some("https://example.com/ada.png"),
            "{n}"
        );
        // Merged one level deep; "" removes a key; a nested object is replaced whole.
        c.update(
            &user.id,
            &UpdateUser {
                metadata: meta(json!({"team": "", "nested": {"b": 2}})),
                ..UpdateUser::default()
            },
        )
        .await
        .unwrap();
        let now = c.retrieve(&user.id).await.unwrap();
        assert_eq!(
            serde_json::Value::Object(now.metadata.clone().unwrap_or_default()),
            json!({"level": 3, "nested": {"b": 2}}),
            "{n}"
        );
        let e = expect_kind(
            c.update(
                &user.id,
                &UpdateUser {
                    role: Some(Role::Admin),
                    ..UpdateUser::default()
                },
            )
            .await,
            ErrorKind::Usage,
            n,
        );
        assert!(e.status_line().contains("no user roles"), "{n}: {e}");
        t.clean_up(&[user.id]).await;
    }
}

#[tokio::test]
async fn delete_removes_the_user_refuses_yourself_and_finds_their_secret_keys() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let user = make(&t, "v2-delete", "delete-pass-1").await;
        // The user makes a secret key, which would outlive them.
        let as_user = t.client_with(Credentials::None);
        let jwt = as_user.login(&user.email, "delete-pass-1").await.unwrap();
        let key = t.secret_key_made_with(&jwt, "made-by-user").await;
        let key_id = key["api_key"]["id"].as_str().unwrap().to_owned();
        let key_token = key["api_key"]["token"].as_str().unwrap().to_owned();
        let keys = c.secret_keys_created_by(&user.id).await.unwrap();
        assert_eq!(
            keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            [key_id.as_str()],
            "{n}"
        );
        // Yourself: refused before sending, and you still exist.
        let e = expect_kind(as_user.delete(&user.id).await, ErrorKind::Usage, n);
        assert!(e.status_line().contains("your own account"), "{n}: {e}");
        assert_eq!(c.retrieve(&user.id).await.unwrap().id, user.id, "{n}");

        let deleted = c.delete(&user.id).await.unwrap();
        assert!(deleted.deleted, "{n}");
        expect_kind(c.retrieve(&user.id).await, ErrorKind::NotFound, n);
        assert!(t.users_with_email(&user.email).await.is_empty(), "{n}");
        // The key still works until revoked; then it does not.
        let with_key = t.client_with(Credentials::api_token(key_token));
        with_key.list(&ListParams::default()).await.unwrap();
        c.revoke_api_key(&key_id).await.unwrap();
        expect_kind(
            with_key.list(&ListParams::default()).await,
            ErrorKind::Unauthorized,
            n,
        );
        assert!(
            c.secret_keys_created_by(&user.id).await.unwrap().is_empty(),
            "{n}"
        );
    }
}

#[tokio::test]
async fn resets_by_mint_and_by_email_and_a_refused_password_keeps_the_token() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let user = make(&t, "v2-reset", "reset-pass-old").await;
        let anon = t.client_with(Credentials::None);
        let token = c.mint_reset_token(&user.id).await.unwrap();
        let reset = |password: &str| ResetPassword {
            token: secrecy::ExposeSecret::expose_secret(&token).to_owned(),
            password: password.to_owned(),
            email: None,
        };
        // Too short: refused before sending, so the token is not burnt…
        expect_kind(
            anon.reset_password(&reset("short")).await,
            ErrorKind::Usage,
            n,
        );
        // …and still works.
        assert_eq!(
            anon.reset_password(&reset("reset-pass-new")).await.unwrap(),
            None,
            "{n}"
        );
        let again = expect_kind(
            anon.reset_password(&reset("reset-pass-3rd")).await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(again.status_line().contains("already used"), "{n}: {again}");
        expect_kind(
            anon.login(&user.email, "reset-pass-old").await,
            ErrorKind::Unauthorized,
            n,
        );
        anon.login(&user.email, "reset-pass-new").await.unwrap();

        // By e-mail: the token arrives where the server hands it out.
        let known = t.tokens_for("reset", &user.email).len();
        t.client_with(Credentials::None)
            .send_reset_password_token(&user.email)
            .await
            .unwrap();
        let mailed = t.wait_token("reset", &user.email, known).await;
        t.client_with(Credentials::None)
            .reset_password(&ResetPassword {
                token: mailed,
                password: "reset-pass-mail".into(),
                email: None,
            })
            .await
            .unwrap();
        t.client_with(Credentials::None)
            .login(&user.email, "reset-pass-mail")
            .await
            .unwrap();
        // An unknown e-mail is answered the same way (nothing leaks).
        t.client_with(Credentials::None)
            .send_reset_password_token(&t.unique_email("nobody"))
            .await
            .unwrap();
        t.clean_up(&[user.id]).await;
    }
}

#[tokio::test]
async fn invites_are_listed_resent_accepted_and_revoked() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let c = t.client();
        let email = t.unique_email("v2-invite");
        let invite = c
            .create_invite(&CreateInvite {
                email: email.to_uppercase(),
                role: None,
            })
            .await
            .unwrap();
        assert_eq!(invite.email, email, "{n}: lower-cased");
        assert_eq!(invite.status(), InviteStatus::Pending, "{n}");
        let listed = c
            .list_invites(&InviteListParams {
                q: Some(email.clone()),
                ..InviteListParams::default()
            })
            .await
            .unwrap();
        assert!(listed.server_paged, "{n}");
        assert_eq!(
            listed
                .invites
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>(),
            [invite.id.as_str()],
            "{n}"
        );
        // Resend: a new token, the old one void.
        let resent = c.resend_invite(&invite.id).await.unwrap();
        assert_ne!(resent.token, invite.token, "{n}");
        let accept = |token: &str| AcceptInvite {
            token: token.to_owned(),
            password: "invitee-pass-1".into(),
            first_name: Some("Ivy".into()),
            last_name: None,
        };
        let anon = t.client_with(Credentials::None);
        expect_kind(
            anon.accept_invite(&accept(&invite.token)).await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(t.users_with_email(&email).await.is_empty(), "{n}");
        let user = anon
            .accept_invite(&accept(&resent.token))
            .await
            .unwrap()
            .expect("v2 answers the new user");
        assert_eq!(user.email, email, "{n}");
        assert_eq!(user.first_name.as_deref(), Some("Ivy"), "{n}");
        assert_eq!(t.users_with_email(&email).await.len(), 1, "{n}");
        expect_kind(c.retrieve_invite(&invite.id).await, ErrorKind::NotFound, n);
        t.client_with(Credentials::None)
            .login(&email, "invitee-pass-1")
            .await
            .unwrap();

        // Revoke: gone; an unknown id is not found (and nothing is deleted).
        let other = c
            .create_invite(&CreateInvite {
                email: t.unique_email("v2-revoke"),
                role: None,
            })
            .await
            .unwrap();
        assert!(c.revoke_invite(&other.id).await.unwrap().deleted, "{n}");
        expect_kind(c.retrieve_invite(&other.id).await, ErrorKind::NotFound, n);
        expect_kind(c.revoke_invite(&other.id).await, ErrorKind::NotFound, n);
        // Inviting someone who has an account is the server's "no".
        let e = expect_kind(
            c.create_invite(&CreateInvite {
                email: email.clone(),
                role: None,
            })
            .await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(e.status_line().contains("already exist"), "{n}: {e}");
        t.clean_up(&[user.id]).await;
    }
}

/// Invites on v1 (sandbox and real 1.20.11): `OK` answers resolved through the list, the list
/// paged and searched here, roles kept, the invitee made by accept.
#[tokio::test]
async fn v1_invites_are_created_found_resent_accepted_and_revoked() {
    for t in Target::all(0).await {
        let n = t.name;
        let c = t.client();
        assert_eq!(c.dialect().await.unwrap(), Dialect::V1, "{n}");
        let email = t.unique_email("v1-invite");
        let invite = c
            .create_invite(&CreateInvite {
                email: email.to_uppercase(),
                role: Some(Role::Developer),
            })
            .await
            .unwrap();
        assert_eq!(invite.email, email, "{n}");
        assert_eq!(invite.role, Some(Role::Developer), "{n}");
        let page = c
            .list_invites(&InviteListParams {
                q: Some(email.clone()),
                ..InviteListParams::default()
            })
            .await
            .unwrap();
        assert!(!page.server_paged, "{n}");
        assert_eq!(page.invites.len(), 1, "{n}");
        let resent = c.resend_invite(&invite.id).await.unwrap();
        assert_eq!(resent.id, invite.id, "{n}");
        let anon = t.client_with(Credentials::None);
        let accepted = anon
            .accept_invite(&AcceptInvite {
                token: resent.token.clone(),
                password: "invitee-pass-1".into(),
                first_name: Some("Vic".into()),
                last_name: None,
            })
            .await
            .unwrap();
        assert_eq!(accepted, None, "{n}: v1 answers only OK");
        let made = t.users_with_email(&email).await;
        assert_eq!(made.len(), 1, "{n}");
        assert_eq!(made[0].role, Some(Role::Developer), "{n}");
        expect_kind(c.retrieve_invite(&invite.id).await, ErrorKind::NotFound, n);
        let e = expect_kind(
            anon.accept_invite(&AcceptInvite {
                token: resent.token,
                password: "invitee-pass-1".into(),
                first_name: None,
                last_name: None,
            })
            .await,
            ErrorKind::InvalidData,
            n,
        );
        assert!(
            e.status_line().contains("invite token is invalid"),
            "{n}: {e}"
        );

        let other = c
            .create_invite(&CreateInvite {
                email: t.unique_email("v1-revoke"),
                role: None,
            })
            .await
            .unwrap();
        assert_eq!(other.role, Some(Role::Member), "{n}: v1's default role");
        assert!(c.revoke_invite(&other.id).await.unwrap().deleted, "{n}");
        expect_kind(c.revoke_invite(&other.id).await, ErrorKind::NotFound, n);
        t.clean_up(&[made[0].id.clone()]).await;
    }
}
