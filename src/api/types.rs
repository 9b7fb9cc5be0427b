//! Serde types for Medusa v1's admin-users API, shaped after what a real Medusa 1.20.11 sends
//! (see `tests/fixtures/medusa-v1/`). Unknown response fields are ignored, so a newer server that
//! adds keys (or the `password_hash: null` an update sometimes leaks) still decodes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::dialect::Dialect;

/// A user's role. Medusa v1 stores it as a Postgres enum with exactly these three values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    #[default]
    Member,
    Developer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Member, Role::Developer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Developer => "developer",
        }
    }

    /// The next role in [`Role::ALL`], wrapping; the forms cycle roles with it.
    pub fn next(self) -> Role {
        match self {
            Role::Admin => Role::Member,
            Role::Member => Role::Developer,
            Role::Developer => Role::Admin,
        }
    }

    pub fn previous(self) -> Role {
        self.next().next()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "developer" => Ok(Role::Developer),
            other => Err(format!(
                "unknown role {other:?}: expected one of admin, member, developer"
            )),
        }
    }
}

/// A timestamp exactly as the server wrote it (`2026-11-27T10:23:06.471Z`). Kept as text so that
/// `--json` output round-trips byte for byte; [`Timestamp::parsed`] gives a real date for display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Timestamp(pub String);

impl Timestamp {
    pub fn parsed(&self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339).ok()
    }

    /// `2026-11-27 10:23` (UTC), or the raw text when it is not RFC 3339.
    pub fn short(&self) -> String {
        match self.parsed() {
            Some(t) => {
                let t = t.to_offset(time::UtcOffset::UTC);
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute()
                )
            }
            None => self.0.clone(),
        }
    }

    /// `in 23 h (2026-11-28 10:22)` or `2 d ago (…)`; the raw text when it is not a date.
    /// Shared by the CLI's tables and the TUI, so both say an expiry the same way.
    pub fn when(&self, now: time::OffsetDateTime) -> String {
        match self.parsed() {
            Some(at) => format!("{} ({})", relative(at, now), self.short()),
            None => self.0.clone(),
        }
    }

    /// `in 23 h` / `2 d ago` alone (narrow tables); the raw text when it is not a date.
    pub fn relative_to(&self, now: time::OffsetDateTime) -> String {
        match self.parsed() {
            Some(at) => relative(at, now),
            None => self.0.clone(),
        }
    }
}

/// `in 5 min`, `in 23 h`, `in 6 d`, `3 h ago`, `just now`: the largest unit that is at least 1, rounded
/// down (23 h 59 min is `in 23 h`: it is not a day yet); hours up to two days, since "in 1 d"
/// would hide whether it is 24 or 47 hours.
pub fn relative(at: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let secs = (at - now).whole_seconds();
    let abs = secs.unsigned_abs();
    // A moment either way (a clock a second ahead of ours included) is "now", never "in 0 s".
    if abs < 5 {
        return "just now".to_owned();
    }
    let (n, unit) = match abs {
        0..60 => (abs, "s"),
        60..3600 => (abs / 60, "min"),
        3600..172_800 => (abs / 3600, "h"),
        _ => (abs / 86_400, "d"),
    };
    if secs >= 0 {
        format!("in {n} {unit}")
    } else {
        format!("{n} {unit} ago")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An admin user, in either dialect's shape. v1 users have a `role` and an `api_token`; v2
/// users have neither and an `avatar_url` instead. `wire` remembers which shape it came in, so
/// `--json` re-serialises exactly the keys (and key order) the server sent.
#[derive(custom_debug::Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "UserWire")]
pub struct User {
    pub id: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    /// v1 only.
    pub role: Option<Role>,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// v1 only. Medusa shows every user's token to every admin; we still keep it out of
    /// `Debug` output and logs, and the UI masks it until asked.
    #[debug(with = crate::secret::redacted_option)]
    pub api_token: Option<String>,
    /// v2 only.
    pub avatar_url: Option<String>,
    pub metadata: Option<Map<String, Value>>,
    /// The shape the server sent; decides how the user serialises again.
    pub wire: Dialect,
}

/// What both dialects may send for a user; unknown fields (a leaked `password_hash`) are
/// ignored.
#[derive(Deserialize)]
struct UserWire {
    id: String,
    #[serde(default)]
    created_at: Timestamp,
    #[serde(default)]
    updated_at: Timestamp,
    #[serde(default)]
    deleted_at: Option<Timestamp>,
    #[serde(default)]
    role: Option<Role>,
    email: String,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    api_token: Option<String>,
    #[serde(default)]
    avatar_url: Option<String>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

impl From<UserWire> for User {
    fn from(w: UserWire) -> Self {
        // Every v1 user has a role (a Postgres enum, never null); no v2 user has one.
        let wire = if w.role.is_some() {
            Dialect::V1
        } else {
            Dialect::V2
        };
        User {
            id: w.id,
            created_at: w.created_at,
            updated_at: w.updated_at,
            deleted_at: w.deleted_at,
            role: w.role,
            email: w.email,
            first_name: w.first_name,
            last_name: w.last_name,
            api_token: w.api_token,
            avatar_url: w.avatar_url,
            metadata: w.metadata,
            wire,
        }
    }
}

impl Serialize for User {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match self.wire {
            // The order of a v1 GET.
            Dialect::V1 => {
                map.serialize_entry("id", &self.id)?;
                map.serialize_entry("created_at", &self.created_at)?;
                map.serialize_entry("updated_at", &self.updated_at)?;
                map.serialize_entry("deleted_at", &self.deleted_at)?;
                map.serialize_entry("role", &self.role)?;
                map.serialize_entry("email", &self.email)?;
                map.serialize_entry("first_name", &self.first_name)?;
                map.serialize_entry("last_name", &self.last_name)?;
                map.serialize_entry("api_token", &self.api_token)?;
                map.serialize_entry("metadata", &self.metadata)?;
            }
            // The order of a v2 GET.
            Dialect::V2 => {
                map.serialize_entry("id", &self.id)?;
                map.serialize_entry("first_name", &self.first_name)?;
                map.serialize_entry("last_name", &self.last_name)?;
                map.serialize_entry("email", &self.email)?;
                map.serialize_entry("avatar_url", &self.avatar_url)?;
                map.serialize_entry("metadata", &self.metadata)?;
                map.serialize_entry("created_at", &self.created_at)?;
                map.serialize_entry("updated_at", &self.updated_at)?;
                map.serialize_entry("deleted_at", &self.deleted_at)?;
            }
        }
        map.end()
    }
}

impl User {
    /// The role as text, or `—` where the server has no roles (v2).
    pub fn role_label(&self) -> &'static str {
        self.role.map_or("—", Role::as_str)
    }

    /// "First Last", whichever parts exist; empty when neither does.
    pub fn full_name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        parts.join(" ")
    }
}

/// `GET /admin/users`: one page plus the filtered total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<User>,
    pub count: u64,
    pub offset: u64,
    pub limit: u64,
}

/// `{"user": {...}}`, the envelope of retrieve, create, update and reset-password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserEnvelope {
    pub user: User,
}

/// `DELETE /admin/users/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    pub id: String,
    pub object: String,
    pub deleted: bool,
}

/// A column the server can sort by. Medusa accepts any column name and answers 500 to an
/// unknown one, so the client only offers the ones that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderField {
    CreatedAt,
    UpdatedAt,
    Email,
    FirstName,
    LastName,
    Role,
}

impl OrderField {
    pub const ALL: [OrderField; 6] = [
        OrderField::CreatedAt,
        OrderField::UpdatedAt,
        OrderField::Email,
        OrderField::FirstName,
        OrderField::LastName,
        OrderField::Role,
    ];

    pub fn column(self) -> &'static str {
        match self {
            OrderField::CreatedAt => "created_at",
            OrderField::UpdatedAt => "updated_at",
            OrderField::Email => "email",
            OrderField::FirstName => "first_name",
            OrderField::LastName => "last_name",
            OrderField::Role => "role",
        }
    }
}

/// A sort order, written the way Medusa takes it: `email` ascending, `-created_at` descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Order {
    pub field: OrderField,
    pub descending: bool,
}

impl Order {
    pub const fn asc(field: OrderField) -> Self {
        Order {
            field,
            descending: false,
        }
    }

    pub const fn desc(field: OrderField) -> Self {
        Order {
            field,
            descending: true,
        }
    }
}

impl Default for Order {
    /// The server's own default: newest first.
    fn default() -> Self {
        Order::desc(OrderField::CreatedAt)
    }
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(self.field.column())
    }
}

impl FromStr for Order {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        OrderField::ALL
            .into_iter()
            .find(|f| f.column() == name)
            .map(|field| Order { field, descending })
            .ok_or_else(|| {
                let names: Vec<&str> = OrderField::ALL.iter().map(|f| f.column()).collect();
                format!(
                    "unknown order {s:?}: expected one of {} (prefix - for descending)",
                    names.join(", ")
                )
            })
    }
}

/// Query parameters of `GET /admin/users`. `None` leaves a parameter to the server's default
/// (limit 50, offset 0, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
    pub q: Option<String>,
    pub order: Option<Order>,
    pub roles: Vec<Role>,
    pub email: Option<String>,
}

impl ListParams {
    /// The query string pairs, in a stable order. `role` repeats (`role=a&role=b`); the server's
    /// query parser turns a repeated key into an array, and a single one still filters.
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit".to_owned(), limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset".to_owned(), offset.to_string()));
        }
        if let Some(q) = self.q.as_ref().filter(|q| !q.is_empty()) {
            pairs.push(("q".to_owned(), q.clone()));
        }
        if let Some(order) = self.order {
            pairs.push(("order".to_owned(), order.to_string()));
        }
        for role in &self.roles {
            pairs.push(("role".to_owned(), role.as_str().to_owned()));
        }
        if let Some(email) = &self.email {
            pairs.push(("email".to_owned(), email.clone()));
        }
        pairs
    }
}

/// `POST /admin/users`. The password is required by the server (an empty one is accepted and
/// makes a user who cannot log in, which the CLI and TUI refuse before sending).
#[derive(custom_debug::Debug, Clone, PartialEq, Serialize)]
pub struct CreateUser {
    pub email: String,
    #[debug(with = crate::secret::redacted)]
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `POST /admin/users/:id`. Every field is optional; `Some(None)` on a name sends `null`,
/// which clears it. Metadata merges on the server, and a key set to `""` removes that key.
#[derive(custom_debug::Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[debug(with = crate::secret::redacted_option)]
    pub api_token: Option<String>,
    /// v2 only; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl UpdateUser {
    pub fn is_empty(&self) -> bool {
        self == &UpdateUser::default()
    }
}

/// `POST /admin/users/reset-password`. Without `email` the server uses the one inside the token.
#[derive(custom_debug::Debug, Clone, PartialEq, Serialize)]
pub struct ResetPassword {
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    #[debug(with = crate::secret::redacted)]
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The e-mail check Medusa's validator applies (class-validator `IsEmail`), reduced to what an
/// operator can get wrong: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_round_trips_through_medusa_syntax() {
        let o: Order = "-created_at".parse().unwrap();
        assert_eq!(o, Order::desc(OrderField::CreatedAt));
        assert_eq!(o.to_string(), "-created_at");
        let o: Order = "email".parse().unwrap();
        assert_eq!(o, Order::asc(OrderField::Email));
        assert!("bogus".parse::<Order>().unwrap_err().contains("email"));
    }

    #[test]
    fn role_parses_case_insensitively_and_cycles() {
        assert_eq!("ADMIN".parse::<Role>().unwrap(), Role::Admin);
        assert!("owner".parse::<Role>().is_err());
        assert_eq!(Role::Developer.next(), Role::Admin);
        assert_eq!(Role::Admin.previous(), Role::Developer);
    }

    #[test]
    fn user_decodes_with_unknown_fields_and_reserialises_in_get_order() {
        let body = r#"{"user":{"role":"member","email":"a@b.co","first_name":null,"id":"usr_1",
            "last_name":null,"api_token":"s3cr3t-value","metadata":{"k":1},"created_at":"2026-11-27T10:23:06.471Z",
            "updated_at":"2026-11-27T10:23:06.471Z","deleted_at":null,"password_hash":null}}"#;
        let env: UserEnvelope = serde_json::from_str(body).unwrap();
        assert_eq!(env.user.api_token.as_deref(), Some("s3cr3t-value"));
        let out = serde_json::to_string(&env.user).unwrap();
        assert!(out.starts_with(r#"{"id":"usr_1","created_at":"2026-11-27T10:23:06.471Z""#));
        assert!(!out.contains("password_hash"));
        assert!(!format!("{:?}", env.user).contains("s3cr3t"));
    }

    #[test]
    fn list_params_serialise_like_medusa_js() {
        let p = ListParams {
            limit: Some(20),
            offset: Some(40),
            q: Some("ali".into()),
            order: Some(Order::asc(OrderField::Email)),
            roles: vec![Role::Admin, Role::Developer],
            email: None,
        };
        let q = p.to_query();
        assert_eq!(
            q,
            vec![
                ("limit".into(), "20".into()),
                ("offset".into(), "40".into()),
                ("q".into(), "ali".into()),
                ("order".into(), "email".into()),
                ("role".into(), "admin".into()),
                ("role".into(), "developer".into()),
            ]
        );
    }

    #[test]
    fn update_sends_null_to_clear_a_name() {
        let u = UpdateUser {
            first_name: Some(None),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"first_name":null}"#);
        assert!(UpdateUser::default().is_empty());
    }

    #[test]
    fn email_plausibility_matches_the_servers_obvious_rejections() {
        assert!(is_plausible_email("alice@example.com"));
        assert!(is_plausible_email("Alice+tag@sub.example.co"));
        for bad in [
            "not-an-email",
            "a@b",
            "@x.com",
            "a b@x.com",
            "a@x..com",
            "a@x.c0m",
            "",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn timestamp_short_form() {
        let t = Timestamp("2026-11-27T10:23:06.471Z".into());
        assert_eq!(t.short(), "2026-11-27 10:23");
        assert_eq!(Timestamp("yesterday".into()).short(), "yesterday");
    }
}

/// One person's access to one store: their user, if any, and their pending invites.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub user: Option<User>,
    pub invites: Vec<crate::api::Invite>,
}

impl Access {
    /// `user`, `invited` or `none`.
    pub fn kind(&self) -> &'static str {
        match (&self.user, self.invites.is_empty()) {
            (Some(_), _) => "user",
            (None, false) => "invited",
            (None, true) => "none",
        }
    }
}
