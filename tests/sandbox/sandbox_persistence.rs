//! The database file: what survives a restart, seeding, and start-up errors.

use std::time::{Duration, Instant};

use crate::support::sandbox::*;
use medusa_users::sandbox::{
    ADMIN_API_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD, SAMPLE_PASSWORD, Sandbox, SandboxConfig,
    SandboxError,
};
use reqwest::header::SET_COOKIE;
use serde_json::json;

#[tokio::test]
async fn users_and_jwts_survive_a_restart_sessions_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        seed: 25,
        ..file_config(dir.path())
    };
    let http = client();

    let sb = start(config.clone()).await;
    let url = sb.url();
    let secret = sb.jwt_secret();
    let r = http
        .post(format!("{url}/admin/auth"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, t) = token_login(&http, &url, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let token = t["access_token"].as_str().unwrap().to_owned();
    let (status, _) = admin_post(
        &http,
        format!("{url}/admin/users"),
        &json!({"email": "keep@example.com", "password": "keep-pass", "role": "developer"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, before) = admin_get(&http, format!("{url}/admin/users?limit=0")).await;
    assert_eq!(before["count"], 27, "admin + 25 samples + keep");
    sb.shutdown().await;
    // Closed cleanly: the WAL is folded back into the file, which only its owner can read.
    let db = config.data.clone().unwrap();
    assert!(!db.with_extension("sqlite3-wal").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    // Same file, another seed count: the existing database is reused as it is.
    let sb = start(SandboxConfig {
        seed: 500,
        ..config
    })
    .await;
    let url = sb.url();
    assert_eq!(
        sb.jwt_secret(),
        secret,
        "the JWT secret lives in the database"
    );
    let (_, after) = admin_get(&http, format!("{url}/admin/users?limit=0")).await;
    assert_eq!(after, before, "same users, same timestamps, same order");
    let r = http
        .get(format!("{url}/admin/auth"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "a JWT from before the restart still works");
    let r = http
        .get(format!("{url}/admin/auth"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "sessions live in memory");
    let r = http
        .post(format!("{url}/admin/auth"))
        .json(&json!({"email": "keep@example.com", "password": "keep-pass"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "password hashes persisted");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_new_database_has_the_admin_and_deterministic_samples() {
    let http = client();
    let mut listings = Vec::new();
    for _ in 0..2 {
        let sb = start(SandboxConfig {
            seed: 120,
            ..SandboxConfig::ephemeral()
        })
        .await;
        let (status, page) = admin_get(&http, format!("{}/admin/users?limit=0", sb.url())).await;
        assert_eq!(status, 200);
        assert_eq!(page["count"], 121);
        let users = page["users"].as_array().unwrap();
        // The admin is the oldest user; samples follow, newest first.
        let admin = users.last().unwrap();
        assert_eq!(admin["email"], ADMIN_EMAIL);
        assert_eq!(admin["role"], "admin");
        assert_eq!(admin["api_token"], ADMIN_API_TOKEN);
        for role in ["admin", "member", "developer"] {
            assert!(
                users.iter().filter(|u| u["role"] == role).count() >= 3,
                "{role}"
            );
        }
        assert!(
            users.iter().all(
                |u| u["email"].as_str().unwrap() == u["email"].as_str().unwrap().to_lowercase()
            )
        );
        // A sample user can log in with the documented password.
        let sample = users[0]["email"].as_str().unwrap();
        let r = http
            .post(format!("{}/admin/auth", sb.url()))
            .json(&json!({"email": sample, "password": SAMPLE_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{sample}");
        let summary: Vec<(String, String, String)> = users
            .iter()
            .map(|u| {
                (
                    u["email"].as_str().unwrap().to_owned(),
                    u["role"].as_str().unwrap().to_owned(),
                    u["last_name"].to_string(),
                )
            })
            .collect();
        listings.push(summary);
        sb.shutdown().await;
    }
    assert_eq!(listings[0], listings[1], "seeding is deterministic");
}

#[tokio::test]
async fn seeding_ten_thousand_users_takes_seconds() {
    let started = Instant::now();
    let sb = start(SandboxConfig {
        seed: 10_000,
        ..SandboxConfig::ephemeral()
    })
    .await;
    let elapsed = started.elapsed();
    let (_, page) = json(
        as_admin(client().get(format!("{}/admin/users?limit=1", sb.url())))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page["count"], 10_001);
    // Generous for a loaded debug build; typically well under the bound.
    assert!(
        elapsed < Duration::from_secs(20),
        "seeding took {elapsed:?}"
    );
    eprintln!("seeded 10,000 users in {elapsed:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_configured_jwt_secret_wins() {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(SandboxConfig {
        jwt_secret: Some("configured-secret".to_owned()),
        ..file_config(dir.path())
    })
    .await;
    assert_eq!(sb.jwt_secret(), "configured-secret");
    sb.shutdown().await;
    // Without one, the database's own secret is used (not the configured one of a past run).
    let sb = start(file_config(dir.path())).await;
    assert_ne!(sb.jwt_secret(), "configured-secret");
    assert_eq!(sb.jwt_secret().len(), 64);
    sb.shutdown().await;
}

#[tokio::test]
async fn start_up_errors_say_what_and_where() {
    let sb = ephemeral().await;
    let err = Sandbox::start(SandboxConfig {
        addr: sb.addr(),
        ..SandboxConfig::ephemeral()
    })
    .await
    .unwrap_err();
    assert!(matches!(err, SandboxError::AddrInUse { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains(&sb.addr().to_string()) && msg.contains("--addr"),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
    sb.shutdown().await;

    // A directory where the database file should be.
    let dir = tempfile::tempdir().unwrap();
    let err = Sandbox::start(SandboxConfig {
        data: Some(dir.path().to_owned()),
        ..SandboxConfig::ephemeral()
    })
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains(&dir.path().display().to_string()),
        "{err}"
    );

    // A file that is not a database.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(
        &junk,
        "this is not sqlite, just some text that is long enough to matter",
    )
    .unwrap();
    let err = Sandbox::start(SandboxConfig {
        data: Some(junk.clone()),
        ..SandboxConfig::ephemeral()
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("junk.sqlite3"), "{err}");
}

#[tokio::test]
async fn the_data_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/sandbox.sqlite3");
    let sb = start(SandboxConfig {
        data: Some(nested.clone()),
        ..SandboxConfig::ephemeral()
    })
    .await;
    assert!(nested.exists());
    sb.shutdown().await;
    assert!(
        medusa_users::sandbox::default_data_path()
            .is_none_or(|p| p.ends_with("medusa-users/sandbox.sqlite3"))
    );
}
