//! Medusa v2's three-step create and its one-shot reset tokens through a proxy that breaks
//! requests on purpose, in front of the v2 sandbox and (when `MEDUSA_V2_URL` is set) a real
//! Medusa 2.21.2. Whatever step is interrupted, and however, the create finishes the same user
//! (by itself when retries are on, or when run again), never makes a second one, and never
//! leaves an invite behind; a reset is never resent blindly, so a token is only spent once.

mod support;

use std::time::Duration;

use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::retry::Backoff;
use medusa_users::api::{
    Client, CreateUser, Credentials, ErrorKind, InviteListParams, ResetPassword,
};
use support::fault_proxy::{Fault, FaultProxy};
use support::target::Target;

fn client(url: &str, retries: u32, credentials: Credentials) -> Client {
    Client::new(
        ClientOptions {
            base_url: parse_base_url(url).unwrap(),
            max_retries: retries,
            timeout: Duration::from_secs(10),
            backoff: Backoff {
                base: Duration::from_millis(20),
                max: Duration::from_millis(200),
            },
            ..ClientOptions::default()
        },
        credentials,
    )
    .unwrap()
}

/// The three steps' requests, as the proxy sees them.
const STEPS: [(&str, &str); 3] = [
    ("invite", "/admin/invites"),
    ("register", "/auth/user/emailpass/register"),
    ("accept", "/admin/invites/accept"),
];

fn faults() -> Vec<Fault> {
    vec![
        // Forwarded, the server acted, the answer lost.
        Fault::DropAfterForward,
        // Cut before the server read it.
        Fault::ResetBeforeRead,
        // A gateway failing in front of a server that may or may not have acted.
        Fault::Html(502),
    ]
}

fn is_step(method: &str, path: &str, step_path: &str) -> bool {
    method == "POST" && path.split('?').next() == Some(step_path)
}

async fn pending_invites(t: &Target, email: &str) -> usize {
    t.client()
        .list_invites(&InviteListParams {
            email: Some(email.to_owned()),
            ..InviteListParams::default()
        })
        .await
        .unwrap()
        .invites
        .len()
}

fn new_user(email: &str) -> CreateUser {
    CreateUser {
        email: email.to_owned(),
        password: "fault-pass-1".into(),
        first_name: Some("Fay".into()),
        last_name: None,
        role: None,
    }
}

#[tokio::test]
async fn an_interrupted_step_is_resumed_by_the_client_itself() {
    for t in Target::all_v2(0).await {
        for (step, step_path) in STEPS {
            for fault in faults() {
                let what = format!("{}: {step} {fault:?}", t.name);
                let proxy = FaultProxy::start(&t.url).await;
                let mut hit = false;
                let once = fault.clone();
                proxy.set_plan(move |method, path, _| {
                    if !hit && is_step(method, path, step_path) {
                        hit = true;
                        once.clone()
                    } else {
                        Fault::Pass
                    }
                });
                let email = t.unique_email(&format!("flt-{step}"));
                let c = client(&proxy.url(), 2, Credentials::api_token(t.api_token.clone()));
                let user = c
                    .create(&new_user(&email))
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(user.email, email, "{what}");
                assert_eq!(
                    t.users_with_email(&email).await.len(),
                    1,
                    "{what}: one user"
                );
                assert_eq!(
                    pending_invites(&t, &email).await,
                    0,
                    "{what}: no invite left"
                );
                t.client_with(Credentials::None)
                    .login(&email, "fault-pass-1")
                    .await
                    .unwrap_or_else(|e| panic!("{what}: the new user logs in: {e}"));
                t.clean_up(&[user.id]).await;
            }
        }
    }
}

#[tokio::test]
async fn a_create_that_gave_up_is_finished_by_running_it_again() {
    for t in Target::all_v2(0).await {
        for (step, step_path) in STEPS {
            let what = format!("{}: {step}", t.name);
            let proxy = FaultProxy::start(&t.url).await;
            // Every attempt at this step fails: the client gives up and says where it stopped.
            proxy.set_plan(move |method, path, _| {
                if is_step(method, path, step_path) {
                    Fault::ResetBeforeRead
                } else {
                    Fault::Pass
                }
            });
            let email = t.unique_email(&format!("gave-{step}"));
            let c = client(&proxy.url(), 0, Credentials::api_token(t.api_token.clone()));
            let err = c.create(&new_user(&email)).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Network, "{what}: {err}");
            if step != "invite" {
                let line = err.status_line();
                assert!(
                    line.contains("step") && line.contains("run the same create"),
                    "{what}: {line}"
                );
            }
            assert!(
                t.users_with_email(&email).await.is_empty(),
                "{what}: no user yet"
            );

            // The operator runs the same create again, the network fine now.
            proxy.set_fault(Fault::Pass);
            let user = c
                .create(&new_user(&email))
                .await
                .unwrap_or_else(|e| panic!("{what}: rerun: {e}"));
            assert_eq!(t.users_with_email(&email).await.len(), 1, "{what}");
            assert_eq!(pending_invites(&t, &email).await, 0, "{what}");
            t.clean_up(&[user.id]).await;
        }
    }
}

#[tokio::test]
async fn a_reset_is_never_resent_so_its_token_is_spent_at_most_once() {
    for t in Target::all_v2(0).await {
        let n = t.name;
        let admin = t.client();
        let user = admin
            .create(&new_user(&t.unique_email("rst-fault")))
            .await
            .unwrap();
        let proxy = FaultProxy::start(&t.url).await;
        let through = client(&proxy.url(), 3, Credentials::None);
        let reset = |token: &secrecy::SecretString, password: &str| ResetPassword {
            token: secrecy::ExposeSecret::expose_secret(token).to_owned(),
            password: password.to_owned(),
            email: None,
        };

        // Cut before it reached the server: a network error, not resent, and the token still
        // works afterwards.
        let token = admin.mint_reset_token(&user.id).await.unwrap();
        let only_updates = |fault: Fault| {
            move |method: &str, path: &str, _: u64| {
                if method == "POST" && path == "/auth/user/emailpass/update" {
                    fault.clone()
                } else {
                    Fault::Pass
                }
            }
        };
        proxy.set_plan(only_updates(Fault::ResetAfterRead));
        let err = through
            .reset_password(&reset(&token, "after-cut-1"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Network, "{n}: {err}");
        let updates = proxy
            .seen()
            .iter()
            .filter(|s| s.path == "/auth/user/emailpass/update")
            .count();
        assert_eq!(updates, 1, "{n}: a reset is sent once");
        proxy.set_fault(Fault::Pass);
        through
            .reset_password(&reset(&token, "after-cut-1"))
            .await
            .unwrap_or_else(|e| panic!("{n}: the token was not burnt: {e}"));
        t.client_with(Credentials::None)
            .login(&user.email, "after-cut-1")
            .await
            .unwrap();

        // Forwarded and the answer lost: the password did change; the operator is told the
        // connection broke, not that the token is invalid.
        let token = admin.mint_reset_token(&user.id).await.unwrap();
        proxy.set_plan(only_updates(Fault::DropAfterForward));
        let err = through
            .reset_password(&reset(&token, "after-drop-1"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Network, "{n}: {err}");
        t.client_with(Credentials::None)
            .login(&user.email, "after-drop-1")
            .await
            .unwrap_or_else(|e| panic!("{n}: the reset happened: {e}"));
        t.clean_up(&[user.id]).await;
    }
}
