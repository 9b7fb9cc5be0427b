//! Where the v2 sandbox deliberately answers differently from a real Medusa 2.21.2, in the same
//! shape as v1's table (`sandbox::deviations`). Mostly requests the real server crashes on (500
//! with no hint, CONTRACT.md §3.2 and §6); the sandbox says what is wrong instead. Cases are
//! named `<recording file>#<exchange index>`.

use crate::sandbox::deviations::{CRASH_REASON, Deviation};

pub const NEGATIVE_LIMIT: Deviation = Deviation {
    id: "v2-negative-limit",
    cases: &["06-list-users#21"],
    request: "GET /admin/users?limit=-1 (also the invites and API-key lists)",
    real: "500 unknown_error (limit goes through parseInt and on to the database unchecked)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("limit must be a whole number, 0 or more"),
    reason: CRASH_REASON,
};

pub const NEGATIVE_OFFSET: Deviation = Deviation {
    id: "v2-negative-offset",
    cases: &["06-list-users#23"],
    request: "GET /admin/users?offset=-1 (also the invites and API-key lists)",
    real: "500 unknown_error",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("offset must be a whole number, 0 or more"),
    reason: CRASH_REASON,
};

pub const UNKNOWN_USER_ORDER: Deviation = Deviation {
    id: "v2-unknown-order",
    cases: &["06-list-users#14"],
    request: "GET /admin/users?order=nope (also order=role, an empty order, - alone, another \
              letter case such as EMAIL, a leading space, several fields such as \
              email,first_name)",
    real: "500 unknown_error (recorded for nope; the others live, §6)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "order must be one of id, email, first_name, last_name, avatar_url, metadata, \
         created_at, updated_at, deleted_at, optionally prefixed with - for descending",
    ),
    reason: CRASH_REASON,
};

pub const UNKNOWN_INVITE_ORDER: Deviation = Deviation {
    id: "v2-unknown-invite-order",
    cases: &[],
    request: "GET /admin/invites?order=bogus (and the same mistakes as for users)",
    real: "500 unknown_error (live, §6)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "order must be one of id, email, accepted, token, expires_at, metadata, created_at, \
         updated_at, deleted_at, optionally prefixed with - for descending",
    ),
    reason: CRASH_REASON,
};

pub const UNKNOWN_KEY_ORDER: Deviation = Deviation {
    id: "v2-unknown-api-key-order",
    cases: &[],
    request: "GET /admin/api-keys?order=bogus",
    real: "not probed; the users and invites lists answer 500 for it",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "order must be one of id, title, token, redacted, type, created_by, revoked_by, \
         revoked_at, created_at, updated_at, optionally prefixed with - for descending",
    ),
    reason: CRASH_REASON,
};

/// The message both RBAC deviations answer with.
const RBAC_MESSAGE: &str = "roles need Medusa's experimental RBAC module (MEDUSA_FF_RBAC), which \
    this sandbox does not have, like a default Medusa 2.21; leave roles out";

pub const INVITE_ROLES: Deviation = Deviation {
    id: "v2-invite-roles",
    cases: &[],
    request: "POST /admin/invites with a roles field",
    real: "500 unknown_error and no invite (live, §6; with RBAC on, roles are accepted)",
    sandbox: "400 invalid_data, no invite",
    sandbox_status: Some(400),
    sandbox_message: Some(RBAC_MESSAGE),
    reason: CRASH_REASON,
};

pub const USER_ROLES: Deviation = Deviation {
    id: "v2-user-roles",
    cases: &[],
    request: "GET or POST /admin/users/:id/roles, DELETE /admin/users/:id/roles/:role_id",
    real: "500 unknown_error without RBAC (GET live, §3.3; recording 12 is an RBAC server)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(RBAC_MESSAGE),
    reason: CRASH_REASON,
};

pub const BAD_DATE_FILTER: Deviation = Deviation {
    id: "v2-bad-date-filter",
    cases: &[],
    request: "GET /admin/users?created_at[$gte]=soon (any date filter that is not a date)",
    real: "not recorded: the text goes to Postgres as a timestamp, which refuses it (a 500)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "date filters (created_at, updated_at, deleted_at, revoked_at) take dates such as \
         2026-01-31 or 2026-01-31T12:00:00Z",
    ),
    reason: CRASH_REASON,
};

pub const UNSUPPORTED_FILTER: Deviation = Deviation {
    id: "v2-unsupported-filter",
    cases: &[],
    request: "list filters with the $re or $contains operators, and the invites list's $and / \
              $or",
    real: "filters with them (not recorded)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some(
        "the sandbox does not implement the $re and $contains operators or $and / $or; \
         filter with $eq, $ne, $in, $nin, $like, $ilike, $gt, $gte, $lt or $lte",
    ),
    reason: "A clear refusal is better than a list silently filtered another way.",
};

pub const MALFORMED_PATH_ESCAPE: Deviation = Deviation {
    id: "v2-malformed-path-escape",
    cases: &[],
    request: "GET /admin/users/%E0%A4%A (an id with a broken %-escape)",
    real: "not probed on 2.21 (1.20 answers 500 unknown_error)",
    sandbox: "400 invalid_data",
    sandbox_status: Some(400),
    sandbox_message: Some("the id in the path has a malformed %-escape"),
    reason: CRASH_REASON,
};

pub const SECRET_KEY_COST: Deviation = Deviation {
    id: "v2-secret-key-cost",
    cases: &[],
    request: "any request authenticated with a secret API key (HTTP Basic sk_…)",
    real: "about 40–60 ms extra per request: the server scrypts the key against every \
           candidate (§2)",
    sandbox: "no extra cost: the sandbox keeps a SHA-256 of each secret key",
    sandbox_status: None,
    sandbox_message: None,
    reason: "The cost protects stolen databases; a sandbox has none worth slowing down for, \
             and tests run faster. Clients should still prefer a JWT on a real server.",
};

pub const OTHER_ROUTES: Deviation = Deviation {
    id: "v2-other-routes",
    cases: &[],
    request: "any route outside the admin users, invites, API keys and the emailpass auth \
              routes (products, orders, /store, /admin/rbac, MFA, OAuth providers …)",
    real: "served (or, for /admin/rbac without the flag, 404)",
    sandbox: "Express's HTML 404 page (after authentication under /admin, as there)",
    sandbox_status: Some(404),
    sandbox_message: None,
    reason: "The sandbox exists for the admin-users console; the rest of a store is out of its \
             scope.",
};

/// Every deliberate v2 deviation, for tests and documentation.
pub const V2_DEVIATIONS: &[Deviation] = &[
    NEGATIVE_LIMIT,
    NEGATIVE_OFFSET,
    UNKNOWN_USER_ORDER,
    UNKNOWN_INVITE_ORDER,
    UNKNOWN_KEY_ORDER,
    INVITE_ROLES,
    USER_ROLES,
    BAD_DATE_FILTER,
    UNSUPPORTED_FILTER,
    MALFORMED_PATH_ESCAPE,
    SECRET_KEY_COST,
    OTHER_ROUTES,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_apart_from_v1s() {
        let mut ids: Vec<&str> = V2_DEVIATIONS.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), V2_DEVIATIONS.len());
        for d in crate::sandbox::DEVIATIONS {
            assert!(!ids.contains(&d.id), "{} is in both tables", d.id);
        }
        for d in V2_DEVIATIONS.iter().filter(|d| !d.cases.is_empty()) {
            assert!(
                d.sandbox_status.is_some() && d.sandbox_message.is_some(),
                "{}",
                d.id
            );
        }
    }
}
