//! The contents of a new database: the admin every newcomer logs in with, and optionally a crowd
//! of sample users to page, search and sort. Samples are deterministic (same names, e-mails,
//! roles and order for the same count) so screenshots and tests can rely on them; only the
//! password salts and the dates, which follow the clock, differ between runs.

use serde_json::{Map, Value};

use super::password::hash_password;
use super::store::{InsertError, NewUser, Store, insert_user_tx, js_timestamp};
use super::{ADMIN_API_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD};

/// The password of every sample user.
pub const SAMPLE_PASSWORD: &str = "sandbox-password";

/// Sample users are created this far apart (minus a little jitter), the newest just now.
const SPACING_MS: i64 = 7 * 60 * 1000;

const FIRST_NAMES: [&str; 40] = [
    "Ada", "Alan", "Amara", "Anders", "Aiko", "Beatriz", "Bjorn", "Camille", "Chidi", "Dmitri",
    "Elena", "Emeka", "Farah", "Felix", "Grace", "Hana", "Hugo", "Imani", "Ingrid", "Jamal",
    "Jonas", "Kaito", "Keira", "Lars", "Leila", "Lucia", "Malik", "Mei", "Nadia", "Nils", "Olga",
    "Omar", "Priya", "Quentin", "Rosa", "Sanjay", "Sofia", "Tariq", "Yara", "Zoe",
];

const LAST_NAMES: [&str; 40] = [
    "Abara",
    "Andersen",
    "Bianchi",
    "Brooks",
    "Castillo",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fernandes",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hoffmann",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Kim",
    "Larsen",
    "Lopez",
    "Moreau",
    "Mwangi",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Petrov",
    "Quinn",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Usman",
    "Varga",
    "Wagner",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Zielinski",
];

const DOMAINS: [&str; 4] = ["example.com", "example.org", "example.net", "shop.example"];
const TEAMS: [&str; 5] = ["ops", "support", "catalog", "finance", "engineering"];

/// SplitMix64: a tiny, well-mixed hash so sample attributes look random but are fixed.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Sample user number `i` (0-based), without id, date and hash.
pub fn sample(i: usize) -> (String, Option<String>, Option<String>, &'static str) {
    let h = mix(i as u64);
    let combos = FIRST_NAMES.len() * LAST_NAMES.len();
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    // Walk the last names at another pace so neighbours do not share one.
    let last = LAST_NAMES[(i / FIRST_NAMES.len() + i * 7) % LAST_NAMES.len()];
    let round = i / combos;
    let domain = DOMAINS[(h % DOMAINS.len() as u64) as usize];
    let local = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
    let email = if round == 0 {
        format!("{local}@{domain}")
    } else {
        format!("{local}{round}@{domain}")
    };
    let role = match h % 20 {
        0 => "admin",
        1..=4 => "developer",
        _ => "member",
    };
    // A few people never filled in their surname.
    let last_name = (!h.is_multiple_of(13)).then(|| last.to_owned());
    (email, Some(first.to_owned()), last_name, role)
}

/// Creates the admin and `samples` sample users in one transaction.
pub fn seed(store: &Store, samples: usize) -> Result<(), InsertError> {
    let now = time::OffsetDateTime::now_utc();
    let at = |ms_ago: i64| js_timestamp(now - time::Duration::milliseconds(ms_ago));
    let span = SPACING_MS * i64::try_from(samples).unwrap_or(i64::MAX / SPACING_MS / 2);
    let admin = NewUser {
        id: store.new_id(),
        created_at: at(if samples == 0 { 0 } else { span + SPACING_MS }),
        email: ADMIN_EMAIL.to_owned(),
        first_name: None,
        last_name: None,
        role: "admin".to_owned(),
        password_hash: Some(hash_password(ADMIN_PASSWORD)),
        api_token: Some(ADMIN_API_TOKEN.to_owned()),
        metadata: None,
    };
    let mut users = Vec::with_capacity(samples);
    for i in 0..samples {
        let h = mix(i as u64);
        let (email, first_name, last_name, role) = sample(i);
        // Oldest first; jitter below half the spacing keeps the order.
        let jitter = i64::try_from(h % (SPACING_MS as u64 / 2)).unwrap_or(0);
        let ms_ago = SPACING_MS * i64::try_from(samples - 1 - i).unwrap_or(0) + jitter;
        let created = now - time::Duration::milliseconds(ms_ago);
        let created_ms = u64::try_from(created.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        let metadata = h.is_multiple_of(3).then(|| {
            let mut m = Map::new();
            m.insert(
                "team".to_owned(),
                Value::String(TEAMS[((h >> 8) % TEAMS.len() as u64) as usize].to_owned()),
            );
            m
        });
        users.push(NewUser {
            // The ULID carries the creation time, like one made at that moment would.
            id: format!(
                "usr_{}",
                ulid::Ulid::from_parts(created_ms, u128::from(h) << 16)
            ),
            created_at: js_timestamp(created),
            email,
            first_name,
            last_name,
            role: role.to_owned(),
            password_hash: Some(hash_password(SAMPLE_PASSWORD)),
            api_token: (role == "developer").then(|| format!("sandbox-dev-token-{i:05}")),
            metadata,
        });
    }
    store.write(|tx| {
        insert_user_tx(tx, &admin)?;
        for u in &users {
            insert_user_tx(tx, u)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_deterministic_unique_and_varied() {
        let all: Vec<_> = (0..5000).map(sample).collect();
        assert_eq!(sample(17), all[17]);
        let mut emails: Vec<&str> = all.iter().map(|s| s.0.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), all.len(), "e-mails are unique");
        for role in ["admin", "developer", "member"] {
            let n = all.iter().filter(|s| s.3 == role).count();
            assert!(n > 100, "{role}: {n}");
        }
        assert!(all.iter().any(|s| s.2.is_none()));
        assert!(
            all.iter()
                .all(|s| crate::sandbox::v1::email::is_email(&s.0))
        );
    }
}
