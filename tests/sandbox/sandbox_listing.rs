//! `GET /admin/users` with many users: paging, ordering (Postgres-like NULL and enum order),
//! search and filters; and concurrent writes.

use std::collections::HashSet;

use crate::support::sandbox::*;
use medusa_users::sandbox::{ADMIN_EMAIL, Sandbox, SandboxConfig};
use serde_json::{Value, json};

const SAMPLES: usize = 300;

async fn seeded() -> Sandbox {
    start(SandboxConfig {
        seed: SAMPLES,
        ..SandboxConfig::ephemeral()
    })
    .await
}

async fn list(sb: &Sandbox, query: &str) -> Value {
    let (status, page) = json(
        as_admin(client().get(format!("{}/admin/users?{query}", sb.url())))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{query}: {page}");
    page
}

fn users(page: &Value) -> &Vec<Value> {
    page["users"].as_array().unwrap()
}

fn field<'a>(page: &'a Value, key: &str) -> Vec<&'a Value> {
    users(page).iter().map(|u| &u[key]).collect()
}

#[tokio::test]
async fn pages_walk_every_user_once_newest_first() {
    let sb = seeded().await;
    let total = SAMPLES + 1;
    let all = list(&sb, "limit=0").await;
    assert_eq!(
        (all["count"].as_u64(), all["limit"].as_u64()),
        (Some(total as u64), Some(0))
    );
    assert_eq!(users(&all).len(), total);
    let created: Vec<&str> = field(&all, "created_at")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let mut walked = Vec::new();
    for offset in (0..total + 50).step_by(50) {
        let page = list(&sb, &format!("limit=50&offset={offset}")).await;
        assert_eq!(
            page["count"].as_u64(),
            Some(total as u64),
            "count is the total on every page"
        );
        assert_eq!(
            (page["offset"].as_u64(), page["limit"].as_u64()),
            (Some(offset as u64), Some(50))
        );
        walked.extend(field(&page, "id").into_iter().cloned());
    }
    assert_eq!(
        walked,
        field(&all, "id").into_iter().cloned().collect::<Vec<_>>()
    );
    let unique: HashSet<&str> = walked.iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(unique.len(), total);

    let past = list(&sb, "offset=10000").await;
    assert_eq!(users(&past).len(), 0);
    assert_eq!(past["count"].as_u64(), Some(total as u64));
    sb.shutdown().await;
}

#[tokio::test]
async fn ordering_follows_postgres() {
    let sb = seeded().await;
    let emails_up = emails(&list(&sb, "limit=0&order=email").await);
    let mut sorted = emails_up.clone();
    sorted.sort();
    assert_eq!(emails_up, sorted);
    let mut emails_down = emails(&list(&sb, "limit=0&order=-email").await);
    emails_down.reverse();
    assert_eq!(emails_down, sorted);

    // NULLs last going up, first going down: the admin has no first name.
    let up = list(&sb, "limit=0&order=first_name").await;
    assert_eq!(users(&up).last().unwrap()["email"], ADMIN_EMAIL);
    let names: Vec<String> = field(&up, "first_name")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_lowercase))
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
    let down = list(&sb, "limit=0&order=-first_name").await;
    assert_eq!(users(&down)[0]["email"], ADMIN_EMAIL);

    // The role enum sorts in declaration order: admin, member, developer.
    let rank = |r: &Value| {
        ["admin", "member", "developer"]
            .iter()
            .position(|x| r == x)
            .unwrap()
    };
    let roles: Vec<usize> = field(&list(&sb, "limit=0&order=role").await, "role")
        .into_iter()
        .map(rank)
        .collect();
    assert!(roles.windows(2).all(|w| w[0] <= w[1]), "{roles:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn search_and_filters_agree_with_the_full_list() {
    let sb = seeded().await;
    let all = list(&sb, "limit=0").await;
    let all_users = users(&all);
    let matching = |pred: &dyn Fn(&Value) -> bool| -> Vec<String> {
        all_users
            .iter()
            .filter(|u| pred(u))
            .map(|u| u["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let contains = |v: &Value, needle: &str| {
        v.as_str()
            .is_some_and(|s| s.to_lowercase().contains(needle))
    };

    // q: case-insensitive substring of e-mail, first or last name.
    let page = list(&sb, "limit=0&q=ANDERS").await;
    let expected = matching(&|u| {
        contains(&u["email"], "anders")
            || contains(&u["first_name"], "anders")
            || contains(&u["last_name"], "anders")
    });
    assert!(!expected.is_empty());
    assert_eq!(emails(&page), expected);
    assert_eq!(page["count"].as_u64(), Some(expected.len() as u64));

    // q with paging: count is the filtered total.
    let page = list(&sb, "limit=2&q=example.org").await;
    let expected = matching(&|u| contains(&u["email"], "example.org"));
    assert_eq!(page["count"].as_u64(), Some(expected.len() as u64));
    assert_eq!(emails(&page), expected[..2]);

    let page = list(&sb, "limit=0&role=admin&role[]=developer").await;
    assert_eq!(
        emails(&page),
        matching(&|u| u["role"] == "admin" || u["role"] == "developer")
    );

    let picked: Vec<&str> = [3, 7, 11]
        .iter()
        .map(|&i| all_users[i]["id"].as_str().unwrap())
        .collect();
    let page = list(
        &sb,
        &format!("id[]={}&id[]={}&id[]={}", picked[0], picked[1], picked[2]),
    )
    .await;
    assert_eq!(
        field(&page, "id"),
        [3, 7, 11]
            .iter()
            .map(|&i| &all_users[i]["id"])
            .collect::<Vec<_>>()
    );

    let pivot = all_users[100]["created_at"].as_str().unwrap();
    let page = list(&sb, &format!("limit=0&created_at[lt]={pivot}")).await;
    assert_eq!(
        emails(&page),
        matching(&|u| u["created_at"].as_str().unwrap() < pivot)
    );
    let page = list(&sb, &format!("limit=0&created_at[gte]={pivot}")).await;
    assert_eq!(
        emails(&page),
        matching(&|u| u["created_at"].as_str().unwrap() >= pivot)
    );

    let one = all_users[5]["email"].as_str().unwrap();
    assert_eq!(emails(&list(&sb, &format!("email={one}")).await), [one]);
    // Exact match, like Postgres `=`: another letter case finds nothing.
    assert_eq!(
        list(&sb, &format!("email={}", one.to_uppercase())).await["count"],
        0
    );

    let page = list(&sb, "limit=3&fields=email,role&order=email").await;
    for u in users(&page) {
        let keys: Vec<&str> = u.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "created_at", "role", "email"]);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn concurrent_creates_of_one_email_make_exactly_one_user() {
    let sb = ephemeral().await;
    let url = sb.url();
    let mut tasks = Vec::new();
    for i in 0..24 {
        let url = url.clone();
        let email = if i % 2 == 0 {
            "Race@Example.com"
        } else {
            "race@example.COM"
        };
        tasks.push(tokio::spawn(async move {
            json(
                as_admin(client().post(format!("{url}/admin/users")))
                    .json(&json!({"email": email, "password": "pw"}))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }));
    }
    let mut created = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            200 => created += 1,
            400 => assert_eq!(
                body["message"],
                "A user with the same email already exists."
            ),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(created, 1);
    let page = list(&sb, "email=race@example.com").await;
    assert_eq!(page["count"], 1);

    // Different e-mails at once all succeed.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            as_admin(client().post(format!("{url}/admin/users")))
                .json(&json!({"email": format!("user{i}@example.com"), "password": "pw"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(list(&sb, "limit=1").await["count"], 42);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_search_drops_the_name_and_email_filters_like_medusa() {
    let sb = seeded().await;
    // Medusa v1 replaces email/first_name/last_name filters with its q= match; role stays.
    let filtered = list(&sb, "first_name=NoSuchName").await;
    assert_eq!(filtered["count"], 0);
    let with_q = list(&sb, "q=example&first_name=NoSuchName").await;
    let only_q = list(&sb, "q=example").await;
    assert!(only_q["count"].as_u64().unwrap() > 0);
    assert_eq!(with_q["count"], only_q["count"]);
    let with_role = list(&sb, "q=example&role=admin").await;
    assert!(with_role["count"].as_u64().unwrap() < only_q["count"].as_u64().unwrap());
    assert!(field(&with_role, "role").iter().all(|r| *r == "admin"));
}
