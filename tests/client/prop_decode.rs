//! Property tests of response decoding: every decoder of the client and the error classifier
//! on arbitrary and mutated bodies (the same checks the `decode_responses` fuzz target runs,
//! from `fuzz/harness/decode.rs`), and round trips of generated users and pages.

#[path = "../../fuzz/harness/decode.rs"]
mod harness;

use std::path::Path;
use std::sync::OnceLock;

use medusa_users::api::client::decode;
use medusa_users::api::{ApiError, ErrorKind, User, UserEnvelope, UserPage};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

use crate::support::{V1_USER_KEYS, proptest_config};

// ----- inputs -----------------------------------------------------------------------------

/// (status, content type, body) of one recorded real-Medusa answer.
type Recorded = (u16, Option<String>, Vec<u8>);

/// Every recorded answer.
fn fixtures() -> &'static [Recorded] {
    static FIXTURES: OnceLock<Vec<Recorded>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/medusa-v1");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("fixture").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") || name.starts_with('_') {
                continue;
            }
            let fixture: Value =
                serde_json::from_slice(&std::fs::read(&path).expect("read")).expect(&name);
            let response = &fixture["response"];
            let status = response["status"].as_u64().expect("status") as u16;
            let content_type = response["headers"]["content-type"]
                .as_str()
                .map(str::to_owned);
            let body = match &response["body"] {
                Value::String(s) if response["body_is_json"] != true => s.clone().into_bytes(),
                Value::Null if response["body_is_json"] != true => Vec::new(),
                other => serde_json::to_vec(other).unwrap(),
            };
            out.push((status, content_type, body));
        }
        out.sort();
        assert!(out.len() > 100, "fixtures missing from {}", dir.display());
        out
    })
}

/// A recorded body, cut, with a byte changed, or with bytes spliced in.
fn mutated_fixture_body() -> impl Strategy<Value = Vec<u8>> {
    (
        0..fixtures().len(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        0u8..4,
        vec(any::<u8>(), 0..8),
    )
        .prop_map(|(i, at, to, how, bytes)| {
            let mut body = fixtures()[i].2.clone();
            let at = at.index(body.len() + 1);
            match how {
                0 => body.truncate(at),
                1 if at < body.len() => body[at] ^= bytes.first().copied().unwrap_or(0x20) | 1,
                2 => {
                    body.splice(at..at, bytes);
                }
                _ => {
                    // Swap the tail for another piece of the same body (duplicated keys,
                    // unbalanced brackets, numbers run together).
                    let to = to.index(body.len() + 1);
                    let tail = body[to..].to_vec();
                    body.truncate(at);
                    body.extend(tail);
                }
            }
            body
        })
}

/// Text that stresses one-line rendering and JSON escaping.
const ODD_TEXT: &[&str] = &[
    "",
    " ",
    "Ada",
    "👩‍💻",
    "🏳️‍🌈 flag",
    "\u{202e}evil\u{202c}",
    "مرحبا بالعالم",
    "שלום",
    "e\u{301}\u{301}\u{301}",
    "a\u{0}b",
    "\u{1b}[31mred\u{1b}[0m",
    "line\nbreak\r\n",
    "\t\u{b}\u{c}\u{85}\u{2028}\u{2029}",
    "\u{feff}bom",
    "\\\"'",
    "<title>x</title>",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\u{7f}\u{9f}",
    "Ｆｕｌｌｗｉｄｔｈ",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => select(ODD_TEXT).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => vec(
            prop_oneof![any::<char>(), select(ODD_TEXT).prop_map(|s| s.chars().next().unwrap_or('x'))],
            0..40
        )
        .prop_map(|c| c.into_iter().collect()),
        1 => (select(ODD_TEXT), 50usize..400).prop_map(|(s, n)| format!("{s}{}", "x".repeat(n))),
    ]
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    crate::support::json_value(text, 6)
}

/// A user as the server could send it: every field present, null or missing (where the type
/// allows), in some key order, with keys the client does not know.
#[derive(Debug, Clone)]
struct UserJson {
    /// The object text as sent.
    text: String,
    /// What the client must serialise the decoded user back to (its own field order, defaults
    /// for missing fields, unknown keys dropped).
    canonical: Value,
}

/// `Some(Some(v))` sends v, `Some(None)` sends null, `None` leaves the key out.
fn sent<T: Strategy>(s: T) -> impl Strategy<Value = Option<Option<T::Value>>>
where
    T::Value: Clone + std::fmt::Debug,
{
    prop_oneof![
        3 => s.prop_map(|v| Some(Some(v))),
        1 => Just(Some(None)),
        1 => Just(None),
    ]
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-11-27T10:23:06.471Z".to_owned()),
        (
            2000u32..2100,
            1u32..13,
            1u32..29,
            0u32..24,
            0u32..60,
            0u32..1000
        )
            .prop_map(|(y, mo, d, h, mi, ms)| format!(
                "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00.{ms:03}Z"
            )),
        text(),
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    select(&[",", ", ", ",\n  ", " ,\t", "\r\n,"][..])
}

fn user_json() -> impl Strategy<Value = UserJson> {
    let fields = (
        text(),
        prop_oneof![Just(None), timestamp().prop_map(Some)],
        prop_oneof![Just(None), timestamp().prop_map(Some)],
        sent(timestamp()),
        select(&["admin", "member", "developer"][..]),
        text(),
        (sent(text()), sent(text()), sent(text())),
        sent(vec((text(), json_value()), 0..6)),
    );
    let extra = vec(
        (
            text().prop_filter("unknown keys only", |k| !V1_USER_KEYS.contains(&k.as_str())),
            json_value(),
        ),
        0..4,
    );
    (fields, extra, separator())
        .prop_flat_map(
            |((id, created, updated, deleted, role, email, names, metadata), extra, sep)| {
                let (first, last, token) = names;
                let opt = |v: &Option<Option<String>>| match v {
                    Some(Some(s)) => Value::String(s.clone()),
                    _ => Value::Null,
                };
                // Unique keys, in the order generated (serde_json keeps insertion order).
                let metadata: Option<Option<Map<String, Value>>> =
                    metadata.map(|m| m.map(|pairs| pairs.into_iter().collect()));
                let canonical = json!({
                    "id": id,
                    "created_at": created.clone().unwrap_or_default(),
                    "updated_at": updated.clone().unwrap_or_default(),
                    "deleted_at": opt(&deleted),
                    "role": role,
                    "email": email,
                    "first_name": opt(&first),
                    "last_name": opt(&last),
                    "api_token": opt(&token),
                    "metadata": match &metadata {
                        Some(Some(m)) => Value::Object(m.clone()),
                        _ => Value::Null,
                    },
                });
                let mut pairs: Vec<(String, Value)> = vec![
                    ("id".into(), Value::String(id)),
                    ("role".into(), Value::String(role.into())),
                    ("email".into(), Value::String(email)),
                ];
                let mut maybe = |key: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        pairs.push((key.into(), v));
                    }
                };
                maybe("created_at", created.map(Value::String));
                maybe("updated_at", updated.map(Value::String));
                // `Some(None)` sends null.
                let nullable =
                    |v: Option<Option<String>>| v.map(|d| d.map_or(Value::Null, Value::String));
                maybe("deleted_at", nullable(deleted));
                maybe("first_name", nullable(first));
                maybe("last_name", nullable(last));
                maybe("api_token", nullable(token));
                maybe(
                    "metadata",
                    metadata.map(|d| d.map_or(Value::Null, Value::Object)),
                );
                let mut seen: Vec<String> = Vec::new();
                for (k, v) in extra {
                    if !seen.contains(&k) {
                        seen.push(k.clone());
                        pairs.push((k, v));
                    }
                }
                (Just(pairs).prop_shuffle(), Just(canonical), Just(sep))
            },
        )
        .prop_map(|(pairs, canonical, sep)| UserJson {
            text: object_text(&pairs, sep),
            canonical,
        })
}

fn object_text(pairs: &[(String, Value)], sep: &str) -> String {
    let members: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v))
        .collect();
    format!("{{{}}}", members.join(sep))
}

/// The status of an error answer and its body: random bytes, Medusa-shaped JSON, HTML pages
/// and text with markup fragments.
fn error_body() -> impl Strategy<Value = Vec<u8>> {
    let fragment = select(
        &[
            "<!DOCTYPE html>",
            "<html>",
            "<title>",
            "</title>",
            "<TITLE>",
            "</TiTlE>",
            "<pre>",
            "&nbsp;",
            "Error",
            "Unauthorized",
            "\n",
            "{",
            "}",
            "\"message\":",
            "\"type\":",
            "<",
            ">",
        ][..],
    );
    prop_oneof![
        vec(any::<u8>(), 0..300),
        vec(prop_oneof![fragment.prop_map(str::to_owned), text()], 0..12)
            .prop_map(|parts| parts.concat().into_bytes()),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            json_value()
        )
            .prop_map(|(kind, message, code)| {
                serde_json::to_vec(&json!({"type": kind, "message": message, "code": code}))
                    .unwrap()
            }),
        (0..fixtures().len()).prop_map(|i| fixtures()[i].2.clone()),
        mutated_fixture_body(),
    ]
}

// ----- properties -------------------------------------------------------------------------

proptest! {
    #![proptest_config(proptest_config(256))]

    /// No decoder panics on any bytes, and each failure is a one-line `Decode` error.
    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(body in vec(any::<u8>(), 0..600)) {
        harness::check_decoders(&body);
    }

    #[test]
    fn decoders_never_panic_on_mutated_real_bodies(body in mutated_fixture_body()) {
        harness::check_decoders(&body);
    }

    /// Any status, content type and body: the right class of error, one bounded line,
    /// a documented exit code.
    #[test]
    fn error_responses_classify_into_one_bounded_line(
        status in 100u16..=599,
        ct in 0..harness::CONTENT_TYPES.len(),
        body in error_body(),
    ) {
        harness::check_error_response(status, harness::CONTENT_TYPES[ct], &body);
    }

    /// A Medusa JSON error keeps the server's message (cut to one line) on the statuses
    /// that read it.
    #[test]
    fn medusa_error_messages_are_kept(
        status in prop_oneof![Just(400u16), Just(404), 402u16..=499, 500u16..=599],
        message in text().prop_filter("a message", |m| !m.trim().is_empty()),
    ) {
        let body = serde_json::to_vec(&json!({"type": "invalid_data", "message": message})).unwrap();
        let e = harness::check_error_response(status, Some("application/json"), &body);
        // Escapes are kept visible, neutralised (`\e`), not dropped.
        let one_line = medusa_users::safe_text::neutralised(
            &message.split_whitespace().collect::<Vec<_>>().join(" "),
        );
        let shown = e.message();
        if one_line.chars().count() <= harness::MAX_LINE_CHARS {
            prop_assert_eq!(shown, one_line);
        } else {
            prop_assert!(shown.ends_with('…'));
            let kept = shown.trim_end_matches('…');
            prop_assert!(one_line.starts_with(kept));
        }
    }

    /// A user with any text, metadata, key order and unknown keys decodes, and serialises
    /// back to the same values in the client's own field order.
    #[test]
    fn user_round_trips(user in user_json()) {
        let body = format!("{{\"user\":{}}}", user.text);
        let env: UserEnvelope = decode(body.as_bytes()).map_err(|e| {
            TestCaseError::fail(format!("{e:?} on {body}"))
        })?;
        let back = serde_json::to_value(&env.user).unwrap();
        prop_assert_eq!(&back, &user.canonical);
        // Same order too: the struct's fields, then metadata in the server's order.
        prop_assert_eq!(
            serde_json::to_string(&env.user).unwrap(),
            serde_json::to_string(&user.canonical).unwrap()
        );
        let keys: Vec<&str> = back.as_object().unwrap().keys().map(String::as_str).collect();
        prop_assert_eq!(keys, V1_USER_KEYS.to_vec());
        // And what it serialised to decodes to the same user again.
        let again: User = decode(&serde_json::to_vec(&env.user).unwrap()).unwrap();
        prop_assert!(again == env.user);
    }

    /// A page of N users decodes to N users, with its numbers and each user intact.
    #[test]
    fn page_keeps_every_user(
        users in vec(user_json(), 0..6),
        count in any::<u64>(),
        offset in any::<u64>(),
        limit in any::<u64>(),
        extra in vec((text(), json_value()), 0..3),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        sep in separator(),
    ) {
        let users_text = format!(
            "[{}]",
            users.iter().map(|u| u.text.as_str()).collect::<Vec<_>>().join(sep)
        );
        let mut members: Vec<String> = order
            .iter()
            .map(|i| match i {
                0 => format!("\"users\":{users_text}"),
                1 => format!("\"count\":{count}"),
                2 => format!("\"offset\":{offset}"),
                _ => format!("\"limit\":{limit}"),
            })
            .collect();
        let mut seen = vec!["users", "count", "offset", "limit"];
        for (k, v) in &extra {
            if !seen.contains(&k.as_str()) {
                seen.push(k);
                members.push(format!("{}:{v}", Value::String(k.clone())));
            }
        }
        let body = format!("{{{}}}", members.join(sep));
        let page: UserPage = decode(body.as_bytes()).map_err(|e| {
            TestCaseError::fail(format!("{e:?} on {body}"))
        })?;
        prop_assert_eq!(page.users.len(), users.len());
        prop_assert_eq!((page.count, page.offset, page.limit), (count, offset, limit));
        for (decoded, sent) in page.users.iter().zip(&users) {
            prop_assert_eq!(&serde_json::to_value(decoded).unwrap(), &sent.canonical);
        }
    }

    /// A user missing a required field, or with a role the server does not have, is a
    /// `Decode` error, never a user with made-up values.
    #[test]
    fn incomplete_users_are_refused(
        user in user_json(),
        drop in select(&["id", "email"][..]),
        bad_role in text().prop_filter("not a role", |r| !["admin", "member", "developer"].contains(&r.as_str())),
        how in any::<bool>(),
    ) {
        let mut value: Map<String, Value> = serde_json::from_str(&user.text).unwrap();
        if how {
            value.remove(drop);
        } else {
            value.insert("role".into(), Value::String(bad_role));
        }
        let body = serde_json::to_vec(&json!({ "user": value })).unwrap();
        let e = decode::<UserEnvelope>(&body).err();
        prop_assert!(matches!(e, Some(ApiError::Decode { .. })), "{:?}", e);
        prop_assert_eq!(e.unwrap().kind(), ErrorKind::Decode);
    }

    /// A user without a role is a Medusa v2 user: it decodes with no role, and goes back out
    /// in v2's shape (no `role`, no `api_token`, an `avatar_url`), never with a made-up role.
    #[test]
    fn users_without_a_role_are_v2_users(user in user_json()) {
        let mut value: Map<String, Value> = serde_json::from_str(&user.text).unwrap();
        value.remove("role");
        value.remove("api_token");
        let body = serde_json::to_vec(&json!({ "user": value })).unwrap();
        let decoded = decode::<UserEnvelope>(&body).unwrap().user;
        prop_assert_eq!(decoded.role, None);
        prop_assert_eq!(decoded.wire, medusa_users::api::Dialect::V2);
        let out: Map<String, Value> =
            serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
        prop_assert!(!out.contains_key("role") && !out.contains_key("api_token"));
        prop_assert!(out.contains_key("avatar_url"));
    }
}

// ----- regressions ------------------------------------------------------------------------

/// The bodies the seed corpus of the fuzz target starts from all pass the checks.
#[test]
fn every_recorded_answer_passes_the_fuzz_checks() {
    for (status, content_type, body) in fixtures() {
        harness::check_decoders(body);
        if !(200..300).contains(status) {
            harness::check_error_response(*status, content_type.as_deref(), body);
        }
    }
}

/// Regression, fixed in 2a2258b (found by `error_responses_classify_into_one_bounded_line`
/// and by the fuzz target): `html_summary` sliced `html[start + 7..end]` with the positions of
/// the first `<title>` and the first `</title>`, so an HTML error body with `</title>` first
/// panicked the client instead of reporting an error.
#[test]
fn html_summary_with_closing_title_first() {
    for (status, ct, body) in [
        (502, None, &b"<html></title><title>"[..]),
        (400, Some("text/html"), b"</title><title>"),
        (401, Some("text/html"), b"</title>x<title>"),
        (404, Some("text/html"), b"</TITLE><Title>"),
    ] {
        harness::check_error_response(status, ct, body);
    }
    // The fuzz target's own find, minimised by `cargo fuzz tmin`: HTTP 358, text/html,
    // body "o</title>\0ea<title>\0\x01".
    harness::check_all(b"\x01\x02no</title>\0ea<title>\0\x01");
}

/// Regression, fixed in 2a2258b (found by `user_round_trips` with arbitrary f64 metadata):
/// a float in a user's metadata came back up to 1 ULP off, because serde_json parses long
/// decimals imprecisely without its `float_roundtrip` feature, so `users get --json` and an
/// edit that kept the metadata showed or sent a number the server never had.
#[test]
fn metadata_floats_round_trip() {
    for text in ["-3.132015754703483e-66", "1.3009397280793015e-130"] {
        let sent: f64 = text.parse().unwrap();
        let body = format!(
            r#"{{"user":{{"id":"u","role":"admin","email":"","metadata":{{"k":{text}}}}}}}"#
        );
        let env: UserEnvelope = decode(body.as_bytes()).unwrap();
        let got = env.user.metadata.unwrap()["k"].as_f64().unwrap();
        assert_eq!(got.to_bits(), sent.to_bits(), "{text} came back as {got:e}");
    }
}

/// Regression, fixed in 2a2258b (found while writing the one-line property): `status_line()`
/// and `message()` dropped line breaks but kept every other control character of the server's
/// text, and the CLI prints `error: {status_line}` to stderr, so a hostile server or proxy
/// could send escape sequences to the operator's terminal. `check_error_lines` now checks this
/// on every input; this is the minimal one.
#[test]
fn status_line_has_no_control_characters() {
    let e = ApiError::from_response(500, Some("text/plain"), b"\x1b]0;pwned\x07\x1b[2J");
    for line in [e.status_line(), e.message()] {
        assert!(!line.contains(char::is_control), "{line:?}");
    }
}
