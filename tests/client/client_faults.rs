//! The client through a proxy that breaks connections on purpose, in front of a real sandbox:
//! a create whose answer is lost never makes a second user, and reads recover by retrying.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::retry::Backoff;
use medusa_users::api::{Client, CreateUser, Credentials, ErrorKind, ListParams};
use rand::{RngExt, SeedableRng};
use support::fault_proxy::{Fault, FaultProxy};
use support::target::Target;

fn client(url: &str, retries: u32, timeout: Duration) -> Client {
    Client::new(
        ClientOptions {
            base_url: parse_base_url(url).unwrap(),
            max_retries: retries,
            timeout,
            backoff: Backoff {
                base: Duration::from_millis(20),
                max: Duration::from_millis(200),
            },
            dialect: medusa_users::api::DialectChoice::Fixed(medusa_users::api::Dialect::V1),
            ..ClientOptions::default()
        },
        Credentials::api_token(medusa_users::sandbox::ADMIN_API_TOKEN),
    )
    .unwrap()
}

fn new_user(email: &str) -> CreateUser {
    CreateUser {
        email: email.to_owned(),
        password: "pw-123456".into(),
        first_name: Some("Fault".into()),
        last_name: None,
        role: None,
    }
}

fn posts(proxy: &FaultProxy) -> usize {
    proxy
        .seen()
        .iter()
        .filter(|s| s.method == "POST" && s.path == "/admin/users")
        .count()
}

#[tokio::test]
async fn create_whose_answer_was_lost_is_reconciled_not_repeated() {
    let target = Target::sandbox(0).await;
    let proxy = FaultProxy::start(&target.url).await;
    // The first create reaches the server, which makes the user; the answer never comes back.
    proxy.set_plan(|method, _, n| {
        if method == "POST" && n == 0 {
            Fault::DropAfterForward
        } else {
            Fault::Pass
        }
    });
    let c = client(&proxy.url(), 3, Duration::from_secs(5));
    let user = c.create(&new_user("lost@example.com")).await.unwrap();
    assert_eq!(user.email, "lost@example.com");
    assert_eq!(target.users_with_email("lost@example.com").await.len(), 1);
    assert_eq!(
        posts(&proxy),
        1,
        "the e-mail was looked up instead of creating again"
    );
    let seen = proxy.seen();
    assert!(
        seen[1].method == "GET" && seen[1].path.contains("email=lost%40example.com"),
        "{:?}",
        seen[1]
    );
    // Every attempt of the same create carried the same Idempotency-Key.
    assert!(seen[0].header("idempotency-key").is_some());
}

#[tokio::test]
async fn create_reset_before_the_server_read_it_is_sent_again_once() {
    let target = Target::sandbox(0).await;
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_plan(|method, _, n| {
        if method == "POST" && n == 0 {
            Fault::ResetAfterRead
        } else {
            Fault::Pass
        }
    });
    let c = client(&proxy.url(), 3, Duration::from_secs(5));
    c.create(&new_user("again@example.com")).await.unwrap();
    assert_eq!(target.users_with_email("again@example.com").await.len(), 1);
    assert_eq!(
        posts(&proxy),
        2,
        "not made the first time, so made the second"
    );
    let keys: Vec<_> = proxy
        .seen()
        .iter()
        .filter(|s| s.method == "POST")
        .map(|s| s.header("idempotency-key").map(str::to_owned))
        .collect();
    assert_eq!(keys[0], keys[1], "one key across the retries of one create");
}

#[tokio::test]
async fn a_slow_create_that_lands_after_the_retry_still_leaves_one_user() {
    let target = Target::sandbox(0).await;
    let proxy = FaultProxy::start(&target.url).await;
    // The first create is held 2 s and then delivered; the client gives up after 0.5 s and
    // retries. Whichever arrives second is refused by the server as a duplicate.
    proxy.set_plan(|method, _, n| {
        if method == "POST" && n == 0 {
            Fault::Delay(Duration::from_secs(2))
        } else {
            Fault::Pass
        }
    });
    let c = client(&proxy.url(), 3, Duration::from_millis(500));
    let user = c.create(&new_user("slow@example.com")).await.unwrap();
    assert_eq!(user.email, "slow@example.com");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(target.users_with_email("slow@example.com").await.len(), 1);
}

#[tokio::test]
async fn without_retries_a_lost_create_is_still_reported_truthfully() {
    let target = Target::sandbox(0).await;
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_plan(|method, _, _| {
        if method == "POST" {
            Fault::DropAfterForward
        } else {
            Fault::Pass
        }
    });
    let c = client(&proxy.url(), 0, Duration::from_secs(5));
    // The connection died, but the user exists: the client says so rather than failing.
    let user = c.create(&new_user("truth@example.com")).await.unwrap();
    assert_eq!(user.email, "truth@example.com");
    assert_eq!(posts(&proxy), 1);
}

#[tokio::test]
async fn reads_recover_from_resets_and_gateway_errors() {
    let target = Target::sandbox(3).await;
    let proxy = FaultProxy::start(&target.url).await;
    proxy.set_plan(|_, _, n| match n {
        0 => Fault::ResetBeforeRead,
        1 => Fault::Html(502),
        2 => Fault::TruncatedBody,
        _ => Fault::Pass,
    });
    let c = client(&proxy.url(), 3, Duration::from_secs(5));
    let page = c.list(&ListParams::default()).await.unwrap();
    assert_eq!(page.count, 4);
    assert_eq!(proxy.seen().len(), 4);

    // With the retries used up, the operator gets the last error, on one line.
    proxy.set_fault(Fault::Html(502));
    let err = c.list(&ListParams::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server);
    assert!(err.status_line().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn one_hundred_creates_through_a_proxy_dropping_30_percent_make_one_user_each() {
    let target = Target::sandbox(0).await;
    let proxy = FaultProxy::start(&target.url).await;
    let rng = Arc::new(Mutex::new(rand::rngs::StdRng::seed_from_u64(0x5eed)));
    let dropped = Arc::new(Mutex::new(0u32));
    {
        let (rng, dropped) = (rng.clone(), dropped.clone());
        proxy.set_plan(move |method, _, _| {
            if method == "POST" && rng.lock().unwrap().random_bool(0.3) {
                *dropped.lock().unwrap() += 1;
                Fault::DropAfterForward
            } else {
                Fault::Pass
            }
        });
    }
    let c = client(&proxy.url(), 5, Duration::from_secs(10));
    let mut tasks = Vec::new();
    for i in 0..100 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.create(&new_user(&format!("bulk-{i:03}@example.com")))
                .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        let user = task
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("create {i}: {e}"));
        assert_eq!(user.email, format!("bulk-{i:03}@example.com"));
    }
    let all = target
        .client()
        .list_all(&ListParams {
            q: Some("bulk-".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut emails: Vec<_> = all.users.iter().map(|u| u.email.clone()).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(all.users.len(), 100, "exactly one user per e-mail");
    assert_eq!(emails.len(), 100);
    let dropped = *dropped.lock().unwrap();
    assert!(
        dropped >= 15,
        "the proxy really dropped connections ({dropped})"
    );
    eprintln!(
        "100 creates, {dropped} connections dropped after forwarding, {} POSTs",
        posts(&proxy)
    );
}
