//! The helpers test suites share, and the only place for them: sample users and pages, TUI
//! configs, backends (sandbox targets, fakes, the real servers), the CLI and tmux harnesses, the
//! fault-injection proxy. A top-level `tests/*.rs` binary includes it with `mod support;`, a
//! group binary (`tests/<group>/main.rs`) with `#[path = "../support/mod.rs"] mod support;`.

#![allow(dead_code)]

pub mod cli;
pub mod differential;
pub mod fake_v1_invites;
pub mod fake_v2;
pub mod fault_proxy;
pub mod pane;
pub mod real_v2;
pub mod render;
pub mod sandbox;
pub mod target;
pub mod tmux;
pub mod tui_msgs;
pub mod v2;

use medusa_users::api::{Capabilities, Dialect, Role, Timestamp, User, UserPage};
use medusa_users::tui::app::AppConfig;

/// A Medusa v1 user's keys, in the order the real server's `GET` sends them.
pub const V1_USER_KEYS: [&str; 10] = [
    "id",
    "created_at",
    "updated_at",
    "deleted_at",
    "role",
    "email",
    "first_name",
    "last_name",
    "api_token",
    "metadata",
];

/// A deterministic sample user; `user(0)` is the signed-in admin in TUI tests.
pub fn user(i: u64) -> User {
    let roles = [Role::Admin, Role::Member, Role::Developer];
    let first = ["Ada", "Bea", "Cy", "Dov", "Eli", "Fay", "Gus", "Hal"];
    let last = [
        "Lovelace", "Rivera", "Okafor", "Nguyen", "Kowalski", "Haddad",
    ];
    let minute = 59 - (i % 60);
    User {
        id: format!("usr_01TEST{i:020}"),
        created_at: Timestamp(format!(
            "2026-11-{:02}T10:{minute:02}:00.000Z",
            27 - (i / 60) % 20
        )),
        updated_at: Timestamp("2026-11-27T11:00:00.000Z".into()),
        deleted_at: None,
        role: Some(roles[(i % 3) as usize]),
        email: format!(
            "{}.{}{i}@example.com",
            first[(i % 8) as usize].to_lowercase(),
            last[(i % 6) as usize].to_lowercase()
        ),
        first_name: Some(first[(i % 8) as usize].to_owned()),
        last_name: Some(last[(i % 6) as usize].to_owned()),
        api_token: i
            .is_multiple_of(4)
            .then(|| format!("token-{i}-abcdefghijkl")),
        metadata: i.is_multiple_of(5).then(|| {
            serde_json::json!({"team": "ops", "level": i % 7})
                .as_object()
                .cloned()
                .unwrap_or_default()
        }),
        avatar_url: None,
        wire: medusa_users::api::Dialect::V1,
    }
}

/// A page of sample users as the server would send it.
pub fn page(offset: u64, limit: u64, count: u64) -> UserPage {
    let end = (offset + limit).min(count);
    UserPage {
        users: (offset..end).map(user).collect(),
        count,
        offset,
        limit,
    }
}

pub fn config(has_credentials: bool) -> AppConfig {
    AppConfig {
        base_url: "http://127.0.0.1:9000".into(),
        auth: if has_credentials { "API token" } else { "none" },
        has_credentials,
        login_email: None,
        sandbox: false,
        read_only: false,
        warnings: Vec::new(),
        page_size: Some(20),
        size: (100, 30),
        outbox: None,
        capabilities: Some(Capabilities::of(Dialect::V1)),
        admin_url: None,
        profile: None,
        profiles: Vec::new(),
        theme: Default::default(),
        keymap: Default::default(),
        mouse: true,
    }
}

/// A TUI config for a Medusa v2 backend (secret-key style credentials).
pub fn config_v2(has_credentials: bool) -> AppConfig {
    AppConfig {
        capabilities: Some(Capabilities::of(Dialect::V2)),
        ..config(has_credentials)
    }
}

/// A short random tag (hex), for search prefixes and names no other test uses.
pub fn tag(len: usize) -> String {
    uuid::Uuid::new_v4().simple().to_string()[..len].to_owned()
}

/// A search prefix no other test, and no earlier run against a shared server, has used.
pub fn unique_prefix(tag: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{tag}{}", &id[..10])
}

/// `s` with its first character upper-cased (e-mails differing only in case).
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A time as Medusa's JSON writes it: UTC, milliseconds, `2026-11-27T10:22:59.645Z`.
pub fn stamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `cases` per property, or `PROPTEST_CASES` when set (for longer runs than `cargo test`'s).
/// Failures print their minimal case; nothing is written next to the sources.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::Off)),
        ..proptest::test_runner::Config::default()
    }
}

/// Any JSON value, nested up to three levels, arrays and objects of fewer than `width` items,
/// strings (and keys) from `text` (JSON has no NaN or infinity, so no such numbers).
pub fn json_value<S>(
    text: fn() -> S,
    width: u32,
) -> impl proptest::strategy::Strategy<Value = serde_json::Value>
where
    S: proptest::strategy::Strategy<Value = String> + 'static,
{
    use proptest::collection::vec;
    use proptest::prelude::*;
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    let width = width as usize;
    leaf.prop_recursive(3, 24, width as u32, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..width).prop_map(Value::Array),
            vec((text(), inner), 0..width)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Sends `req` and reads the answer as JSON (panics when it cannot be sent or is not JSON).
pub async fn send_json(req: reqwest::RequestBuilder) -> serde_json::Value {
    req.send().await.unwrap().json().await.unwrap()
}

/// The badge of a production profile named `shop` whose changes want its name typed.
pub fn production_profile() -> Option<medusa_users::config::ProfileBadge> {
    Some(medusa_users::config::ProfileBadge {
        name: "shop".into(),
        color: None,
        production: true,
        confirm_by_name: true,
    })
}
