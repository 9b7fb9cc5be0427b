//! Sandbox latency over loopback with 10,000 users, as a client sees it (request, server work,
//! JSON over HTTP/1.1 keep-alive). Run: `cargo bench --bench sandbox` (add `-- --quick` for a
//! short run).

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use medusa_users::sandbox::{ADMIN_API_TOKEN, Sandbox, SandboxConfig};

const USERS: usize = 10_000;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // A file database, as `medusa-users sandbox` uses: WAL plus the read-connection pool.
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = rt
        .block_on(Sandbox::start(SandboxConfig {
            seed: USERS,
            data: Some(dir.path().join("bench.sqlite3")),
            ..SandboxConfig::ephemeral()
        }))
        .expect("sandbox starts");
    let http = reqwest::Client::new();
    let url = sandbox.url();
    let get = |path: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let resp = http
                .get(format!("{url}{path}"))
                .header("x-medusa-access-token", ADMIN_API_TOKEN)
                .send()
                .await
                .expect("request");
            assert_eq!(resp.status(), 200, "{path}");
            resp.bytes().await.expect("body")
        }
    };
    // An id from the middle of the table, and a search that finds a few dozen users.
    let page: serde_json::Value = serde_json::from_slice(
        &rt.block_on(get(format!("/admin/users?limit=1&offset={}", USERS / 2))),
    )
    .expect("json");
    let id = page["users"][0]["id"].as_str().expect("an id").to_owned();
    let found: serde_json::Value =
        serde_json::from_slice(&rt.block_on(get("/admin/users?q=nakamura&limit=1".to_owned())))
            .expect("json");
    assert!(
        found["count"].as_u64().unwrap_or(0) > 0,
        "the search finds users"
    );

    let mut group = c.benchmark_group("sandbox_10k_users");
    group.measurement_time(Duration::from_secs(5));
    for (name, path) in [
        ("list_limit_50", "/admin/users?limit=50".to_owned()),
        (
            "list_limit_50_offset_9950",
            "/admin/users?limit=50&offset=9950".to_owned(),
        ),
        ("list_q_nakamura", "/admin/users?q=nakamura".to_owned()),
        ("get_user_by_id", format!("/admin/users/{id}")),
    ] {
        group.bench_function(name, |b| b.to_async(&rt).iter(|| get(path.clone())));
    }
    group.finish();
    rt.block_on(sandbox.shutdown());
}

criterion_group!(benches, bench);
criterion_main!(benches);
