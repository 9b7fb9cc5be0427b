//! Password hashes are Medusa v1's: the real server's hashes (recording 060) verify in the
//! sandbox, the sandbox's hashes verify with an independent scrypt-kdf check written here, and
//! reset tokens are keyed by the hash text on both sides.

use crate::support::sandbox::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use medusa_users::sandbox::password;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The real server's hashes by e-mail, at the time of recording 060.
fn recorded_hashes() -> Vec<(String, Option<String>)> {
    let users = recording("060-list-users-fields-bogus.json")["response"]["body"]["users"].clone();
    let emails = recording("046-list-users.json")["response"]["body"]["users"].clone();
    let email_of = |id: &Value| -> String {
        emails
            .as_array()
            .unwrap()
            .iter()
            .find(|u| &u["id"] == id)
            .map(|u| u["email"].as_str().unwrap().to_owned())
            .unwrap()
    };
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                email_of(&u["id"]),
                u["password_hash"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The passwords the recorded story had set by then.
const RECORDED_PASSWORDS: [(&str, &str); 4] = [
    ("admin@medusa-test.com", "supersecret"),
    ("alice@example.com", "alice-pass"),
    ("bob@example.com", "bob-pass"),
    ("carol@example.com", "carol-pass"),
];

/// scrypt-kdf's `verify`, written from the format description rather than borrowed from the
/// sandbox, so the two implementations check each other.
fn independent_verify(password: &str, stored: &str) -> bool {
    let bytes = STANDARD.decode(stored).unwrap();
    assert_eq!(bytes.len(), 96);
    assert_eq!(&bytes[..7], b"scrypt\0");
    let checksum = Sha256::digest(&bytes[..48]);
    assert_eq!(&checksum[..16], &bytes[48..64], "header checksum");
    let log_n = bytes[7];
    let r = u32::from_be_bytes(bytes[8..12].try_into().unwrap());
    let p = u32::from_be_bytes(bytes[12..16].try_into().unwrap());
    let mut derived = [0u8; 64];
    scrypt::scrypt(
        password.as_bytes(),
        &bytes[16..48],
        &scrypt::Params::new(log_n, r, p).unwrap(),
        &mut derived,
    )
    .unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&derived[32..]).unwrap();
    mac.update(&bytes[..64]);
    mac.verify_slice(&bytes[64..]).is_ok()
}

#[test]
fn the_real_servers_hashes_are_scrypt_kdf_with_log_n_1_r_1_p_1() {
    let hashes = recorded_hashes();
    assert_eq!(hashes.len(), 5);
    for (email, password) in RECORDED_PASSWORDS {
        let hash = hashes
            .iter()
            .find(|(e, _)| e == email)
            .unwrap()
            .1
            .clone()
            .unwrap();
        let params = password::parse(&hash).unwrap();
        assert_eq!((params.log_n, params.r, params.p), (1, 1, 1), "{email}");
        assert!(independent_verify(password, &hash), "{email}");
        assert!(password::verify_password(password, &hash), "{email}");
        assert!(!password::verify_password("wrong", &hash), "{email}");
    }
    // The user created with password "" has no hash at all.
    let empty = hashes
        .iter()
        .find(|(e, _)| e == "emptypass@example.com")
        .unwrap();
    assert_eq!(empty.1, None);
}

#[test]
fn a_recorded_reset_token_is_keyed_by_the_recorded_hash_text() {
    // Bob's token from the real run (cases 101–109), issued while his hash was the one in 060.
    let token = recording("106-reset-password.json")["request"]["body"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let hashes = recorded_hashes();
    let hash_of = |email: &str| {
        hashes
            .iter()
            .find(|(e, _)| e == email)
            .unwrap()
            .1
            .clone()
            .unwrap()
    };
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false; // long expired by now
    let decode = |key: &str| {
        jsonwebtoken::decode::<Map<String, Value>>(
            &token,
            &DecodingKey::from_secret(key.as_bytes()),
            &validation,
        )
    };
    let claims = decode(&hash_of("bob@example.com")).unwrap().claims;
    assert_eq!(claims["email"], "bob@example.com");
    assert!(decode(&hash_of("alice@example.com")).is_err());
}

#[tokio::test]
async fn sandbox_hashes_verify_independently_and_real_ones_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let (sb, db) = on_file(dir.path()).await;
    let http = client();
    let r = as_admin(http.post(format!("{}/admin/users", sb.url())))
        .json(&json!({"email": "hashme@example.com", "password": "p@ss w0rd ünicode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let stored = password_hash_in(&db, "hashme@example.com").unwrap();
    assert!(stored.starts_with("c2NyeXB0AAEAAAABAAAAA"), "{stored}");
    assert!(independent_verify("p@ss w0rd ünicode", &stored));
    assert!(!independent_verify("p@ss w0rd unicode", &stored));

    // A hash copied from the real server's database works here unchanged.
    let (_, real_alice_hash) = recorded_hashes()
        .into_iter()
        .find(|(e, _)| e == "alice@example.com")
        .unwrap();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n = conn
            .execute(
                "UPDATE \"user\" SET password_hash = ?1 WHERE email = 'hashme@example.com'",
                [real_alice_hash],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let login = |password: &'static str| {
        http.post(format!("{}/admin/auth", sb.url()))
            .json(&json!({"email": "hashme@example.com", "password": password}))
            .send()
    };
    assert_eq!(login("alice-pass").await.unwrap().status(), 200);
    assert_eq!(login("p@ss w0rd ünicode").await.unwrap().status(), 401);
    sb.shutdown().await;
}
