//! Checks shared by the `decode_responses` fuzz target and `tests/client/prop_decode.rs`: every
//! response decoder of the client, and the error classifier, on one arbitrary body.
//!
//! Included with `#[path]` by both, so it depends only on crates both have.

#![allow(dead_code)]

use medusa_users::api::client::{AccessToken, decode};
use medusa_users::api::{ApiError, Deleted, ErrorKind, UserEnvelope, UserPage};

/// The content types an error answer is classified with.
pub const CONTENT_TYPES: [Option<&str>; 6] = [
    None,
    Some("application/json; charset=utf-8"),
    Some("text/html; charset=utf-8"),
    Some("text/plain"),
    Some("\u{0}garbage;;=\u{fffd}"),
    Some(""),
];

/// The longest status line or message the error type promises.
pub const MAX_LINE_CHARS: usize = 320;

/// Every 2xx decoder on `body`: none may panic, and a failure is always `ApiError::Decode`.
pub fn check_decoders(body: &[u8]) {
    fn one<T: serde::de::DeserializeOwned>(body: &[u8]) {
        if let Err(e) = decode::<T>(body) {
            assert_eq!(e.kind(), ErrorKind::Decode, "{e:?}");
            check_error_lines(&e);
        }
    }
    one::<UserPage>(body);
    one::<UserEnvelope>(body);
    one::<Deleted>(body);
    one::<AccessToken>(body);
    one::<Option<serde_json::Value>>(body);
    // A body of only whitespace is a 204: "nothing", never an error.
    if body.iter().all(u8::is_ascii_whitespace) {
        assert!(matches!(
            decode::<Option<serde_json::Value>>(body),
            Ok(None)
        ));
    }
}

/// `ApiError::from_response` on one non-2xx answer, and the promises of what it returns.
pub fn check_error_response(status: u16, content_type: Option<&str>, body: &[u8]) -> ApiError {
    let e = ApiError::from_response(status, content_type, body);
    check_error_lines(&e);
    let expected = match status {
        401 => ErrorKind::Unauthorized,
        404 => ErrorKind::NotFound,
        400..=499 => {
            // A 4xx is invalid data, unless it is an HTML page with no Medusa message.
            if e.kind() == ErrorKind::Decode {
                ErrorKind::Decode
            } else {
                ErrorKind::InvalidData
            }
        }
        _ => ErrorKind::Server,
    };
    assert_eq!(e.kind(), expected, "HTTP {status}: {e:?}");
    e
}

/// One line of printable text, bounded, with an exit code the README documents.
pub fn check_error_lines(e: &ApiError) {
    for (what, line) in [("status_line", e.status_line()), ("message", e.message())] {
        // No line break, and no other control character either: the CLI prints these lines
        // to stderr, where an escape sequence from a hostile server would reach the terminal.
        assert!(
            !line.contains(char::is_control),
            "{what} has a control character: {line:?}"
        );
        assert!(
            line.chars().count() <= MAX_LINE_CHARS,
            "{what} is {} chars long",
            line.chars().count()
        );
    }
    assert!(
        (2..=7).contains(&medusa_users::cli::exit::for_api(e)),
        "{e:?}"
    );
}

/// Splits a fuzz input into (status, content type, body): two bytes of status folded into
/// 100..=599, one byte choosing the content type, the rest is the body.
pub fn split_input(data: &[u8]) -> (u16, Option<&'static str>, &[u8]) {
    let (head, body) = data.split_at(data.len().min(3));
    let raw = u16::from_be_bytes([
        head.first().copied().unwrap_or(0),
        head.get(1).copied().unwrap_or(0),
    ]);
    let status = 100 + raw % 500;
    let ct = CONTENT_TYPES[usize::from(head.get(2).copied().unwrap_or(0)) % CONTENT_TYPES.len()];
    (status, ct, body)
}

/// What the fuzz target runs on each input.
pub fn check_all(data: &[u8]) {
    check_decoders(data);
    let (status, ct, body) = split_input(data);
    check_decoders(body);
    check_error_response(status, ct, body);
}
