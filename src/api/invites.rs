//! Invites, in a shape both dialects fit: v1 `{id, user_email, role, accepted, token,
//! expires_at, metadata, created_at, updated_at, deleted_at}`, v2 `{id, email, accepted, token,
//! expires_at, metadata, created_at, updated_at, deleted_at}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::dialect::Dialect;
use super::types::{Role, Timestamp, parse_order, serialize_times};

/// A pending invite. `wire` remembers the server's shape so `--json` prints it back exactly.
#[derive(custom_debug::Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "InviteWire")]
pub struct Invite {
    pub id: String,
    pub email: String,
    /// v1 only.
    pub role: Option<Role>,
    pub accepted: bool,
    /// The secret that lets whoever holds it become this user. Shown only when asked.
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    pub expires_at: Timestamp,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    pub wire: Dialect,
}

#[derive(Deserialize)]
struct InviteWire {
    id: String,
    /// v2.
    #[serde(default)]
    email: Option<String>,
    /// v1.
    #[serde(default)]
    user_email: Option<String>,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    accepted: bool,
    #[serde(default)]
    token: String,
    #[serde(default)]
    expires_at: Timestamp,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    #[serde(default)]
    created_at: Timestamp,
    #[serde(default)]
    updated_at: Timestamp,
    #[serde(default)]
    deleted_at: Option<Timestamp>,
}

impl From<InviteWire> for Invite {
    fn from(w: InviteWire) -> Self {
        let wire = if w.user_email.is_some() {
            Dialect::V1
        } else {
            Dialect::V2
        };
        Invite {
            id: w.id,
            email: w.user_email.or(w.email).unwrap_or_default(),
            role: w.role,
            accepted: w.accepted,
            token: w.token,
            expires_at: w.expires_at,
            metadata: w.metadata,
            created_at: w.created_at,
            updated_at: w.updated_at,
            deleted_at: w.deleted_at,
            wire,
        }
    }
}

impl Serialize for Invite {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        let times = (&self.created_at, &self.updated_at, &self.deleted_at);
        match self.wire {
            Dialect::V1 => {
                map.serialize_entry("id", &self.id)?;
                serialize_times(&mut map, times)?;
                map.serialize_entry("user_email", &self.email)?;
                map.serialize_entry("role", &self.role)?;
                map.serialize_entry("accepted", &self.accepted)?;
                map.serialize_entry("token", &self.token)?;
                map.serialize_entry("expires_at", &self.expires_at)?;
                map.serialize_entry("metadata", &self.metadata)?;
            }
            Dialect::V2 => {
                map.serialize_entry("id", &self.id)?;
                map.serialize_entry("email", &self.email)?;
                map.serialize_entry("accepted", &self.accepted)?;
                map.serialize_entry("token", &self.token)?;
                map.serialize_entry("expires_at", &self.expires_at)?;
                map.serialize_entry("metadata", &self.metadata)?;
                serialize_times(&mut map, times)?;
            }
        }
        map.end()
    }
}

/// Whether an invite can still be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteStatus {
    Pending,
    Expired,
}

impl InviteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "pending",
            InviteStatus::Expired => "expired",
        }
    }
}

impl Invite {
    /// Pending or expired at `now`. An unreadable expiry counts as pending: the server decides.
    pub fn status_at(&self, now: time::OffsetDateTime) -> InviteStatus {
        match self.expires_at.parsed() {
            Some(expires) if expires <= now => InviteStatus::Expired,
            _ => InviteStatus::Pending,
        }
    }

    pub fn status(&self) -> InviteStatus {
        self.status_at(time::OffsetDateTime::now_utc())
    }
}

/// The admin dashboard's page that accepts an invite: `<admin>/invite?token=…` (the route
/// Medusa's dashboard serves, under whatever path the dashboard is mounted at, e.g. `/app`).
pub fn invite_link(admin: &url::Url, token: &str) -> url::Url {
    let mut link = admin.clone();
    let path = format!("{}/invite", admin.path().trim_end_matches('/'));
    link.set_path(&path);
    link.set_query(None);
    link.query_pairs_mut().append_pair("token", token);
    link
}

/// One page of invites. v1 has no pages: its whole list comes back as one, with `count` the
/// number of invites.
#[derive(Debug, Clone, PartialEq)]
pub struct InvitePage {
    pub invites: Vec<Invite>,
    pub count: u64,
    pub offset: u64,
    pub limit: u64,
    /// Whether the server paged and filtered this list; `false` (v1) means the page is the
    /// whole list, filtered and sorted here.
    pub server_paged: bool,
}

impl Serialize for InvitePage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("invites", &self.invites)?;
        // v1's list is only `{invites}`; v2's carries its paging.
        if self.server_paged {
            map.serialize_entry("count", &self.count)?;
            map.serialize_entry("offset", &self.offset)?;
            map.serialize_entry("limit", &self.limit)?;
        }
        map.end()
    }
}

/// Query for the invite list. On v1 the client applies it to the whole list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteListParams {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
    /// Part of the e-mail, case-insensitively.
    pub q: Option<String>,
    pub email: Option<String>,
    /// Newest first when not given.
    pub order: Option<InviteOrder>,
}

/// What the invite list can be sorted by (v2 sorts on the server, v1 here); which of them a
/// server offers is in its capabilities (`role` only where invites carry one: v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InviteOrderField {
    #[default]
    CreatedAt,
    Email,
    ExpiresAt,
    Role,
}

impl InviteOrderField {
    pub const ALL: [InviteOrderField; 4] = [
        InviteOrderField::CreatedAt,
        InviteOrderField::Email,
        InviteOrderField::ExpiresAt,
        InviteOrderField::Role,
    ];

    /// The field as Medusa v2's `order` parameter (and `--order`) names it.
    pub fn as_str(self) -> &'static str {
        match self {
            InviteOrderField::CreatedAt => "created_at",
            InviteOrderField::Email => "email",
            InviteOrderField::ExpiresAt => "expires_at",
            InviteOrderField::Role => "role",
        }
    }
}

/// A sort of the invite list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteOrder {
    pub field: InviteOrderField,
    pub descending: bool,
}

impl Default for InviteOrder {
    /// Newest first.
    fn default() -> Self {
        InviteOrder {
            field: InviteOrderField::CreatedAt,
            descending: true,
        }
    }
}

impl InviteOrder {
    /// `-created_at`, `email`: the `order` parameter.
    pub fn param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.field.as_str()
        )
    }

    /// Sorts `invites` as the server would (v1 has no order parameter): by the field, then by
    /// id, so the order is stable from page to page.
    pub fn sort(self, invites: &mut [Invite]) {
        invites.sort_by(|a, b| {
            let by_field = match self.field {
                InviteOrderField::CreatedAt => a.created_at.cmp(&b.created_at),
                InviteOrderField::Email => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
                InviteOrderField::ExpiresAt => a.expires_at.cmp(&b.expires_at),
                InviteOrderField::Role => a
                    .role
                    .map(|r| r.to_string())
                    .cmp(&b.role.map(|r| r.to_string())),
            };
            let by_field = if self.descending {
                by_field.reverse()
            } else {
                by_field
            };
            by_field.then_with(|| a.id.cmp(&b.id))
        });
    }
}

impl std::fmt::Display for InviteOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.param())
    }
}

/// `--order`: `email`, `-expires_at` (prefix - for descending, as for users).
impl std::str::FromStr for InviteOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (field, descending) = parse_order(s, &InviteOrderField::ALL, InviteOrderField::as_str)?;
        Ok(InviteOrder { field, descending })
    }
}

/// A new invite.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateInvite {
    pub email: String,
    /// v1 needs one (the CLI defaults it to member); v2 has none.
    pub role: Option<Role>,
}

/// Accepting an invite, as the invitee.
#[derive(custom_debug::Debug, Clone, PartialEq)]
pub struct AcceptInvite {
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    #[debug(with = crate::secret::redacted)]
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// A v2 secret API key, as the key list shows it (the token itself is never listed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub redacted: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub revoked_at: Option<Timestamp>,
    #[serde(default)]
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_decode_and_round_trip() {
        let v1 = r#"{"id":"invite_1","created_at":"2026-11-27T10:00:00.000Z","updated_at":"2026-11-27T10:00:00.000Z","deleted_at":null,"user_email":"A@x.io","role":"admin","accepted":false,"token":"t","expires_at":"2026-12-04T10:00:00.000Z","metadata":null}"#;
        let i: Invite = serde_json::from_str(v1).unwrap();
        assert_eq!(i.email, "A@x.io");
        assert_eq!(i.role, Some(Role::Admin));
        assert_eq!(serde_json::to_string(&i).unwrap(), v1);
        let v2 = r#"{"id":"invite_2","email":"b@x.io","accepted":false,"token":"t","expires_at":"2026-11-28T10:00:00.000Z","metadata":{"k":"v"},"created_at":"2026-11-27T10:00:00.000Z","updated_at":"2026-11-27T10:00:00.000Z","deleted_at":null}"#;
        let i: Invite = serde_json::from_str(v2).unwrap();
        assert_eq!(i.role, None);
        assert_eq!(serde_json::to_string(&i).unwrap(), v2);
        assert!(!format!("{i:?}").contains("\"t\""));
    }

    #[test]
    fn a_local_sort_orders_by_the_field_then_by_id() {
        let invite = |id: &str, email: &str, created: &str| -> Invite {
            serde_json::from_value(serde_json::json!({
                "id": id, "email": email, "token": "t",
                "expires_at": "2026-11-28T10:00:00.000Z", "created_at": created
            }))
            .unwrap()
        };
        let mut all = vec![
            invite("i3", "b@x.io", "2026-11-27T10:00:00.000Z"),
            invite("i1", "C@x.io", "2026-11-27T11:00:00.000Z"),
            invite("i2", "a@x.io", "2026-11-27T10:00:00.000Z"),
        ];
        let ids = |all: &[Invite]| all.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        InviteOrder::default().sort(&mut all);
        assert_eq!(ids(&all), ["i1", "i2", "i3"], "newest first, then by id");
        let by_email = InviteOrder {
            field: InviteOrderField::Email,
            descending: false,
        };
        by_email.sort(&mut all);
        assert_eq!(ids(&all), ["i2", "i3", "i1"], "case does not matter");
        assert_eq!(by_email.param(), "email");
        assert_eq!(InviteOrder::default().param(), "-created_at");
    }

    #[test]
    fn status_follows_expiry() {
        let i: Invite = serde_json::from_str(
            r#"{"id":"i","email":"e","token":"t","expires_at":"2026-11-28T10:00:00.000Z"}"#,
        )
        .unwrap();
        let before = time::macros::datetime!(2026-11-28 09:59 UTC);
        let after = time::macros::datetime!(2026-11-28 10:01 UTC);
        assert_eq!(i.status_at(before), InviteStatus::Pending);
        assert_eq!(i.status_at(after), InviteStatus::Expired);
    }
}
