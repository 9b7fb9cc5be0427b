//! An admin user in either dialect's shape (and the wire form both decode from), the list page,
//! the `{"user"}` envelope, a delete's answer, and one person's access to a store.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Role, Timestamp, serialize_times};
use crate::api::dialect::Dialect;

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
        let times = (&self.created_at, &self.updated_at, &self.deleted_at);
        match self.wire {
            // The order of a v1 GET.
            Dialect::V1 => {
                map.serialize_entry("id", &self.id)?;
                serialize_times(&mut map, times)?;
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
                serialize_times(&mut map, times)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
