//! Password resets: the outbox file, the tokens it carries (Medusa's, verifiable with any JWT
//! library given the password hash) and their life cycle.

use std::collections::HashSet;

use crate::support::sandbox::*;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use medusa_users::sandbox::{ADMIN_EMAIL, ADMIN_PASSWORD, DEVIATIONS, SandboxConfig};
use serde_json::{Map, Value, json};

fn outbox_lines(path: &std::path::Path) -> Vec<Map<String, Value>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn bad_token_message() -> &'static str {
    DEVIATIONS
        .iter()
        .find(|d| d.id == "bad-reset-token")
        .and_then(|d| d.sandbox_message)
        .unwrap()
}

#[tokio::test]
async fn reset_events_go_to_an_owner_only_outbox_one_json_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("mail/outbox.jsonl");
    let sb = start(SandboxConfig {
        outbox: Some(outbox.clone()),
        ..file_config(dir.path())
    })
    .await;
    let http = client();
    let ask = |email: &str| {
        http.post(format!("{}/admin/users/password-token", sb.url()))
            .json(&json!({ "email": email }))
            .send()
    };
    for email in [
        "admin@medusa-test.com",
        "ghost@example.com",
        "ADMIN@MEDUSA-TEST.COM",
    ] {
        let r = ask(email).await.unwrap();
        assert_eq!(r.status(), 204, "{email}");
        assert_eq!(r.text().await.unwrap(), "");
    }
    let lines = outbox_lines(&outbox);
    assert_eq!(lines.len(), 2, "no event for an unknown address");
    for line in &lines {
        let keys: Vec<&str> = line.keys().map(String::as_str).collect();
        assert_eq!(keys, ["event", "email", "token"]);
        assert_eq!(line["event"], "user.password_reset");
        assert_eq!(line["email"], ADMIN_EMAIL);
    }
    let from_file: Vec<String> = lines
        .iter()
        .map(|l| l["token"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sb.reset_tokens("Admin@Medusa-Test.com"), from_file);
    assert!(sb.reset_tokens("ghost@example.com").is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&outbox).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    sb.shutdown().await;

    // Appended, not truncated, by the next run.
    let sb = start(SandboxConfig {
        outbox: Some(outbox.clone()),
        ..file_config(dir.path())
    })
    .await;
    let r = client()
        .post(format!("{}/admin/users/password-token", sb.url()))
        .json(&json!({"email": ADMIN_EMAIL}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(outbox_lines(&outbox).len(), 3);
    sb.shutdown().await;
}

#[tokio::test]
async fn reset_tokens_are_medusas_and_die_with_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let (sb, db) = on_file(dir.path()).await;
    let http = client();
    let url = sb.url();
    for _ in 0..2 {
        let r = http
            .post(format!("{url}/admin/users/password-token"))
            .json(&json!({"email": ADMIN_EMAIL}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    let issued = sb.reset_tokens(ADMIN_EMAIL);
    assert_eq!(issued.len(), 2);

    // Any JWT library verifies them with the password-hash text as the HS256 key.
    let hash = password_hash_in(&db, ADMIN_EMAIL).unwrap();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.required_spec_claims = HashSet::from(["exp".to_owned()]);
    let data = jsonwebtoken::decode::<Map<String, Value>>(
        &issued[0],
        &DecodingKey::from_secret(hash.as_bytes()),
        &validation,
    )
    .unwrap();
    let claims = data.claims;
    let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(keys, ["user_id", "email", "exp", "iat"]);
    assert_eq!(claims["email"], ADMIN_EMAIL);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        900
    );
    assert!(
        jsonwebtoken::decode::<Map<String, Value>>(
            &issued[0],
            &DecodingKey::from_secret(b"another hash"),
            &validation
        )
        .is_err()
    );

    // Use the newer token; the email comes from inside it.
    let (status, body) = json(
        http.post(format!("{url}/admin/users/reset-password"))
            .json(&json!({"token": issued[1], "password": "brand-new"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["email"], ADMIN_EMAIL);
    assert!(body["user"].get("password_hash").is_none());
    assert_ne!(password_hash_in(&db, ADMIN_EMAIL).unwrap(), hash);

    let login = |password: &'static str| {
        http.post(format!("{url}/admin/auth"))
            .json(&json!({"email": ADMIN_EMAIL, "password": password}))
            .send()
    };
    assert_eq!(login("brand-new").await.unwrap().status(), 200);
    assert_eq!(login(ADMIN_PASSWORD).await.unwrap().status(), 401);

    // Both tokens were signed with the old hash: both are dead now.
    for token in &issued {
        let (status, body) = json(
            http.post(format!("{url}/admin/users/reset-password"))
                .json(&json!({"token": token, "password": "again"}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(
            body,
            json!({"type": "invalid_data", "message": bad_token_message()})
        );
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_user_without_password_gets_no_token_and_an_explanation() {
    let sb = ephemeral().await;
    let http = client();
    let r = as_admin(http.post(format!("{}/admin/users", sb.url())))
        .json(&json!({"email": "nopass@example.com", "password": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, body) = json(
        http.post(format!("{}/admin/users/password-token", sb.url()))
            .json(&json!({"email": "nopass@example.com"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let d = DEVIATIONS
        .iter()
        .find(|d| d.id == "password-token-no-password")
        .unwrap();
    assert_eq!(Some(status), d.sandbox_status);
    assert_eq!(body["message"], d.sandbox_message.unwrap());
    assert!(sb.reset_tokens("nopass@example.com").is_empty());
    // And that user can never log in.
    let r = http
        .post(format!("{}/admin/auth", sb.url()))
        .json(&json!({"email": "nopass@example.com", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    sb.shutdown().await;
}
