//! Users as JSON, with the key orders the real server produces (recordings 005, 030–032, 059,
//! 075): clients should not care, but a faithful sandbox keeps diffs against the real server
//! empty. The password hash is never written out.

use serde_json::{Map, Value};

use super::super::store::{Column, InviteRow, UserRow};

fn value(u: &UserRow, c: Column) -> Value {
    let opt = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    match c {
        Column::Id => Value::String(u.id.clone()),
        Column::CreatedAt => Value::String(u.created_at.clone()),
        Column::UpdatedAt => Value::String(u.updated_at.clone()),
        Column::DeletedAt => opt(&u.deleted_at),
        Column::Role => Value::String(u.role.clone()),
        Column::Email => Value::String(u.email.clone()),
        Column::FirstName => opt(&u.first_name),
        Column::LastName => opt(&u.last_name),
        Column::ApiToken => opt(&u.api_token),
        Column::Metadata => u.metadata.clone().map_or(Value::Null, Value::Object),
    }
}

/// `GET /admin/users/:id`, login, `GET /admin/auth`, list items, reset-password.
pub fn user(u: &UserRow) -> Value {
    projected(u, &Column::ALL)
}

/// Only the given columns, in `GET` order (`fields=`; recording 059).
pub fn projected(u: &UserRow, columns: &[Column]) -> Value {
    let mut m = Map::new();
    for c in Column::ALL.into_iter().filter(|c| columns.contains(c)) {
        m.insert(c.name().to_owned(), value(u, c));
    }
    Value::Object(m)
}

/// `POST /admin/users`: TypeORM returns the entity it built, so the fields the request set come
/// first (in entity column order), then the generated id, then the defaults, then the
/// timestamps. `provided` lists the body's keys.
pub fn created_user(u: &UserRow, provided: &[&str]) -> Value {
    let mut m = Map::new();
    for c in Column::entity_columns().filter(|c| provided.contains(&c.name())) {
        m.insert(c.name().to_owned(), value(u, c));
    }
    m.insert("id".to_owned(), value(u, Column::Id));
    for c in Column::entity_columns() {
        if !m.contains_key(c.name()) {
            m.insert(c.name().to_owned(), value(u, c));
        }
    }
    for c in [Column::CreatedAt, Column::UpdatedAt, Column::DeletedAt] {
        m.insert(c.name().to_owned(), value(u, c));
    }
    Value::Object(m)
}

/// `POST /admin/users/:id`: the `GET` shape, plus the `"password_hash": null` the real server
/// appends whenever the body set something (recordings 075–086; not for `{}`, 087). It is
/// always null there, so nothing leaks.
pub fn updated_user(u: &UserRow, body_set_something: bool) -> Value {
    let mut v = user(u);
    if body_set_something && let Value::Object(m) = &mut v {
        m.insert("password_hash".to_owned(), Value::Null);
    }
    v
}

/// A v1 invite as `GET /admin/invites` lists it (recording 211): `deleted_at` is always null
/// (rows are hard-deleted) and `accepted` always false (accept deletes the row).
pub fn invite(i: &InviteRow) -> Value {
    serde_json::json!({
        "id": i.id,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "deleted_at": null,
        "user_email": i.user_email,
        "role": i.role,
        "accepted": false,
        "token": i.token,
        "expires_at": i.expires_at,
        "metadata": i.metadata.clone().map_or(Value::Null, Value::Object),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> UserRow {
        UserRow {
            id: "usr_1".into(),
            created_at: "2026-11-27T10:23:06.471Z".into(),
            updated_at: "2026-11-27T10:23:06.471Z".into(),
            deleted_at: None,
            role: "member".into(),
            email: "alice@example.com".into(),
            first_name: Some("Alice".into()),
            last_name: None,
            api_token: None,
            metadata: None,
            password_hash: Some("secret-hash".into()),
        }
    }

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn get_order_and_no_hash() {
        let v = user(&row());
        assert_eq!(
            keys(&v),
            [
                "id",
                "created_at",
                "updated_at",
                "deleted_at",
                "role",
                "email",
                "first_name",
                "last_name",
                "api_token",
                "metadata"
            ]
        );
        assert!(!v.to_string().contains("secret-hash"));
    }

    #[test]
    fn create_order_follows_the_request() {
        // Recording 032: {email, password, first_name, role}
        let v = created_user(&row(), &["email", "password", "first_name", "role"]);
        assert_eq!(
            keys(&v),
            [
                "role",
                "email",
                "first_name",
                "id",
                "last_name",
                "api_token",
                "metadata",
                "created_at",
                "updated_at",
                "deleted_at"
            ]
        );
        // Recording 031: {email, password}
        let v = created_user(&row(), &["email", "password"]);
        assert_eq!(keys(&v)[..3], ["email", "id", "role"]);
    }

    #[test]
    fn update_leaks_a_null_hash_only_when_something_was_set() {
        assert_eq!(updated_user(&row(), true)["password_hash"], Value::Null);
        assert!(updated_user(&row(), false).get("password_hash").is_none());
    }
}
