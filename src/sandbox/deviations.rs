//! Where the v1 sandbox deliberately answers differently from a real Medusa 1.20.11 (v2's
//! table, in the same shape, is `v2/deviations.rs`).
//!
//! The sandbox copies the real server's behaviour, warts included (a deleted user's JWT keeps
//! working, `DELETE` of an unknown id answers 200, …), because clients must cope with them. The
//! exceptions are listed here, in one table: answers where the real server crashes (HTTP 500
//! with no useful message) and one security leak. The handlers take their status and message
//! from these entries, and the replay test checks every recorded case that names an entry
//! against the entry instead of the recording, so an unlisted difference fails the test.

/// One deliberate difference from the real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// A short stable name.
    pub id: &'static str,
    /// Recorded cases (`case` in `recordings/_index.json`) whose answer the sandbox does not
    /// reproduce because of this entry. Empty when the behaviour was never recorded.
    pub cases: &'static [&'static str],
    /// The request that triggers it.
    pub request: &'static str,
    /// What the real server does.
    pub real: &'static str,
    /// What the sandbox does instead.
    pub sandbox: &'static str,
    /// The sandbox's HTTP status, when the deviation is about the answer.
    pub sandbox_status: Option<u16>,
    /// The `message` of the sandbox's `{"type":"invalid_data","message":…}` body.
    pub sandbox_message: Option<&'static str>,
    /// Why the sandbox differs.
    pub reason: &'static str,
}

// Where a behaviour is not in the recordings, "live" marks what was checked by hand against a
// running Medusa 1.20.11 (`scripts/real-medusa-v1`).

/// Why the sandbox answers where a real server (v1 or v2) crashes: one policy for both dialects.
pub(crate) const CRASH_REASON: &str = "The real server crashes (500 unknown_error, no hint). A sandbox \
    for development should say what is wrong; clients must treat both as a rejected request.";

pub const NEGATIVE_LIMIT: Deviation = Deviation {
    id: "negative-limit",
    cases: &["list-users-limit-negative"],
    request: "GET /admin/users?limit=-1 (also a fractional limit, or one above 2^53 - 1)",
    real: "500 unknown_error; live: limit=1.5 answers 200 with one row and echoes 1.5, \
           limit=99999999999999999999 answers 500",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("limit must be a whole number from 0 (no limit) to 9007199254740991"),
    reason: CRASH_REASON,
};

pub const NEGATIVE_OFFSET: Deviation = Deviation {
    id: "negative-offset",
    cases: &["list-users-offset-negative"],
    request: "GET /admin/users?offset=-1 (also a fractional offset, or one above 2^53 - 1)",
    real: "500 unknown_error; live: offset=0.5 answers 200 with no rows and echoes 0.5",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("offset must be a whole number from 0 to 9007199254740991"),
    reason: CRASH_REASON,
};

pub const UNKNOWN_ORDER: Deviation = Deviation {
    id: "unknown-order",
    cases: &["list-users-order-bogus"],
    request: "GET /admin/users?order=bogus (also order=, order=-, order=+email, and the \
              metadata and password_hash columns)",
    real: "500 unknown_error for a column that does not exist (live: also for an empty order, \
           - alone and +email); sorting by metadata or password_hash works there",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "order must be one of id, created_at, updated_at, deleted_at, role, email, first_name, \
         last_name, api_token, optionally prefixed with - for descending",
    ),
    reason: CRASH_REASON,
};

pub const UNKNOWN_EXPAND: Deviation = Deviation {
    id: "unknown-expand",
    cases: &["list-users-expand"],
    request: "GET /admin/users?expand=teams",
    real: "500 unknown_error (users have no relations)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("expand must be empty: users have no relations"),
    reason: CRASH_REASON,
};

pub const FIELDS_PASSWORD_HASH: Deviation = Deviation {
    id: "fields-password-hash",
    cases: &["list-users-fields-bogus"],
    request: "GET /admin/users?fields=password_hash",
    real: "200 with every user's password hash, which is also the signing key of that user's \
           reset tokens",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("fields must not include password_hash"),
    reason: "A security leak: any admin could mint reset tokens for anyone. Reproducing it \
             would teach clients to rely on it.",
};

pub const UNKNOWN_FIELD: Deviation = Deviation {
    id: "unknown-field",
    cases: &[],
    request: "GET /admin/users?fields=bogus",
    real: "500 unknown_error (live; not in the recordings). Names are not trimmed there \
           either: fields=%20email is a 500 too",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "fields must be a comma-separated list of id, created_at, updated_at, deleted_at, role, \
         email, first_name, last_name, api_token, metadata",
    ),
    reason: "An unknown column is a client mistake; say so instead of guessing.",
};

pub const BAD_RESET_TOKEN: Deviation = Deviation {
    id: "bad-reset-token",
    cases: &[
        "reset-password-wrong-email",
        "reset-password-reused-token",
        "reset-password-expired-token",
    ],
    request: "POST /admin/users/reset-password with a token whose signature does not verify \
              (reused after a reset, or another user's email) or that has expired; also for a \
              user without a password",
    real: "500 unknown_error",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("invalid or expired password reset token"),
    reason: CRASH_REASON,
};

pub const PASSWORD_TOKEN_NO_PASSWORD: Deviation = Deviation {
    id: "password-token-no-password",
    cases: &["password-token-null-hash-user"],
    request: "POST /admin/users/password-token for a user created with password \"\"",
    real: "500 unknown_error (signing with a NULL hash throws)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "this user has no password, so no reset token can be issued; give the user a password \
         another way",
    ),
    reason: CRASH_REASON,
};

pub const NULL_ROLE: Deviation = Deviation {
    id: "null-role",
    cases: &[],
    request: "POST /admin/users or POST /admin/users/:id with \"role\": null",
    real: "not recorded; live: {\"role\": null} passes validation (an unknown id answers 404, \
           not 400), and the role column is nullable, so the user would lose its role",
    sandbox: "400 invalid_data with the role enum message",
    sandbox_status: Some(400),
    sandbox_message: Some("role must be one of the following values: admin, member, developer"),
    reason: "A user without a role breaks every client that decodes users; the API documents \
             role as one of three values.",
};

pub const MALFORMED_PATH_ESCAPE: Deviation = Deviation {
    id: "malformed-path-escape",
    cases: &[],
    request: "GET /admin/users/%E0%A4%A (an id with a broken %-escape)",
    real: "500 unknown_error (live)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("the user id in the path has a malformed %-escape"),
    reason: CRASH_REASON,
};

pub const TIMESTAMP_PRECISION: Deviation = Deviation {
    id: "timestamp-precision",
    cases: &[],
    request: "GET /admin/users?created_at[gt]=<a user's created_at, as the API shows it>",
    real: "includes that user (live): Postgres keeps microseconds the JSON does not show",
    sandbox: "excludes that user: timestamps are stored with the milliseconds the API shows",
    sandbox_status: None,
    sandbox_message: None,
    reason: "Storing invisible microseconds would only make the sandbox harder to reason about.",
};

pub const COOKIE_ON_EVERY_RESPONSE: Deviation = Deviation {
    id: "cookie-on-every-response",
    cases: &[],
    request: "any request without a session cookie",
    real: "sets a fresh, empty connect.sid session cookie (saveUninitialized)",
    sandbox: "sets connect.sid only on a successful POST /admin/auth",
    sandbox_status: None,
    sandbox_message: None,
    reason: "An empty session authenticates nothing; storing one per request only costs memory.",
};

pub const NO_STACK_TRACE: Deviation = Deviation {
    id: "no-stack-trace",
    cases: &[],
    request: "a POST with Content-Type application/json and a body that is not JSON",
    real: "400 HTML error page with a Node stack trace (development mode)",
    sandbox: "400 HTML error page with the SyntaxError line only",
    sandbox_status: Some(400),
    sandbox_message: None,
    reason: "The stack trace names files of a Node install that does not exist here.",
};

pub const INVITE_LIST_ORDER: Deviation = Deviation {
    id: "invite-list-order",
    cases: &[],
    request: "GET /admin/invites",
    real: "no ORDER BY: rows come in the database's storage order, which changes after an \
           update (recordings 211 and 261 list the same invites in different orders)",
    sandbox: "oldest first (created_at, then id)",
    sandbox_status: None,
    sandbox_message: None,
    reason: "An order that shifts with storage details cannot be reproduced; a stable one \
             keeps tests and screens steady. Clients must not rely on either.",
};

/// Every deliberate deviation, for tests and documentation.
pub const DEVIATIONS: &[Deviation] = &[
    NEGATIVE_LIMIT,
    NEGATIVE_OFFSET,
    UNKNOWN_ORDER,
    UNKNOWN_EXPAND,
    FIELDS_PASSWORD_HASH,
    UNKNOWN_FIELD,
    BAD_RESET_TOKEN,
    PASSWORD_TOKEN_NO_PASSWORD,
    NULL_ROLE,
    MALFORMED_PATH_ESCAPE,
    TIMESTAMP_PRECISION,
    COOKIE_ON_EVERY_RESPONSE,
    NO_STACK_TRACE,
    INVITE_LIST_ORDER,
];

impl Deviation {
    /// The v1 deviation that covers a recorded case, if any.
    pub fn for_case(case: &str) -> Option<&'static Deviation> {
        DEVIATIONS.iter().find(|d| d.cases.contains(&case))
    }

    /// The v2 deviation that covers a recorded exchange (`<file stem>#<index>`), if any.
    pub fn for_v2_case(case: &str) -> Option<&'static Deviation> {
        crate::sandbox::V2_DEVIATIONS
            .iter()
            .find(|d| d.cases.contains(&case))
    }

    /// The message handlers send; every answering deviation has one.
    pub(crate) fn message(&self) -> &'static str {
        self.sandbox_message.unwrap_or(self.sandbox)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_cases_are_unique() {
        let mut ids: Vec<&str> = DEVIATIONS.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), DEVIATIONS.len());
        let mut cases: Vec<&str> = DEVIATIONS
            .iter()
            .flat_map(|d| d.cases.iter().copied())
            .collect();
        let n = cases.len();
        cases.sort_unstable();
        cases.dedup();
        assert_eq!(cases.len(), n, "a case is covered by two deviations");
    }

    #[test]
    fn recorded_deviations_say_how_the_sandbox_answers() {
        for d in DEVIATIONS.iter().filter(|d| !d.cases.is_empty()) {
            assert!(d.sandbox_status.is_some(), "{}", d.id);
            assert!(d.sandbox_message.is_some(), "{}", d.id);
        }
        assert_eq!(
            Deviation::for_case("list-users-order-bogus"),
            Some(&UNKNOWN_ORDER)
        );
        assert_eq!(Deviation::for_case("list-users"), None);
    }
}
