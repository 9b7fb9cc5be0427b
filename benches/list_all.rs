//! `users list --all` over 10,000 users: the client paging through a sandbox in-process, and the
//! real binary end to end (process start, paging, JSON out). Run: `cargo bench --bench list_all`.

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::{Client, Credentials, ListParams};
use medusa_users::sandbox::{ADMIN_API_TOKEN, Sandbox, SandboxConfig};

const USERS: usize = 10_000;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = rt
        .block_on(Sandbox::start(SandboxConfig {
            seed: USERS,
            data: Some(dir.path().join("bench.sqlite3")),
            ..SandboxConfig::ephemeral()
        }))
        .expect("sandbox starts");
    let url = sandbox.url();
    let client = Client::new(
        ClientOptions {
            base_url: parse_base_url(&url).expect("url"),
            ..ClientOptions::default()
        },
        Credentials::api_token(ADMIN_API_TOKEN),
    )
    .expect("client");
    let all = rt
        .block_on(client.list_all(&ListParams::default()))
        .expect("list_all");
    assert_eq!(all.users.len(), USERS + 1, "every user, the admin included");

    let mut group = c.benchmark_group("list_all_10k_users");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("client_list_all", |b| {
        b.to_async(&rt).iter(|| async {
            let page = client
                .list_all(&ListParams::default())
                .await
                .expect("list_all");
            assert_eq!(page.users.len(), USERS + 1);
        });
    });
    let binary = env!("CARGO_BIN_EXE_medusa-users");
    group.bench_function("cli_users_list_all_json", |b| {
        b.iter(|| {
            let status = Command::new(binary)
                .args(["--url", &url, "users", "list", "--all", "--json"])
                .env("MEDUSA_API_TOKEN", ADMIN_API_TOKEN)
                .stdout(Stdio::null())
                .status()
                .expect("run the binary");
            assert!(status.success());
        });
    });
    group.finish();
    rt.block_on(sandbox.shutdown());
}

criterion_group!(benches, bench);
criterion_main!(benches);
