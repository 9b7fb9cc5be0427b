//! v2's JSON shapes, with the key orders the real server produces (recordings 01, 03, 04), and
//! the `fields=` selection: `a,b` picks (in that order, `id` always), `+x` adds to the
//! defaults, `-x` removes, `*` is the defaults; unknown names and `password_hash` are dropped
//! silently (recordings 06#15–20).

use serde_json::{Map, Value, json};

use super::db::api_keys::ApiKey;
use super::db::invites::Invite;
use super::db::users::User;

fn opt(s: &Option<String>) -> Value {
    s.clone().map_or(Value::Null, Value::String)
}

/// Metadata is `jsonb` on the real server, which keeps object keys shorter-first, then in
/// byte order, at every depth (recording 08#1 adds `extra` before `level`).
fn jsonb(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), jsonb(&m[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(jsonb).collect()),
        other => other.clone(),
    }
}

fn meta(m: &Option<Map<String, Value>>) -> Value {
    m.as_ref()
        .map_or(Value::Null, |m| jsonb(&Value::Object(m.clone())))
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn user(u: &User) -> Map<String, Value> {
    object(json!({
        "id": u.id,
        "first_name": opt(&u.first_name),
        "last_name": opt(&u.last_name),
        "email": u.email,
        "avatar_url": opt(&u.avatar_url),
        "metadata": meta(&u.metadata),
        "created_at": u.created_at,
        "updated_at": u.updated_at,
        "deleted_at": opt(&u.deleted_at),
    }))
}

/// `accepted` is always false and `deleted_at` null: accepted and deleted invites are gone.
pub fn invite(i: &Invite) -> Map<String, Value> {
    object(json!({
        "id": i.id,
        "email": i.email,
        "accepted": false,
        "token": i.token,
        "expires_at": i.expires_at,
        "metadata": meta(&i.metadata),
        "created_at": i.created_at,
        "updated_at": i.updated_at,
        "deleted_at": null,
    }))
}

/// The create answer, the only one with a secret key's token.
pub fn created_key(k: &ApiKey, token: &str) -> Value {
    json!({
        "id": k.id,
        "token": token,
        "redacted": k.redacted,
        "title": k.title,
        "type": k.kind,
        "last_used_at": null,
        "created_by": k.created_by,
        "revoked_by": opt(&k.revoked_by),
        "revoked_at": opt(&k.revoked_at),
        "created_at": k.created_at,
        "updated_at": k.updated_at,
        "deleted_at": null,
    })
}

/// List, retrieve and revoke answers: a secret key's token is `""`.
pub fn key(k: &ApiKey) -> Map<String, Value> {
    object(json!({
        "id": k.id,
        "title": k.title,
        "token": k.token.clone().unwrap_or_default(),
        "redacted": k.redacted,
        "type": k.kind,
        "last_used_at": null,
        "updated_at": k.updated_at,
        "created_at": k.created_at,
        "created_by": k.created_by,
        "revoked_at": opt(&k.revoked_at),
        "revoked_by": opt(&k.revoked_by),
        "sales_channels": [],
    }))
}

/// The keys `fields=` selects from `full` (whose order is the default one), in answer order.
pub fn select(full: Map<String, Value>, fields: Option<&str>) -> Value {
    let defaults: Vec<String> = full.keys().cloned().collect();
    let Some(list) = fields.filter(|f| !f.is_empty()) else {
        return Value::Object(full);
    };
    let mut explicit: Vec<&str> = Vec::new();
    let mut plus: Vec<&str> = Vec::new();
    let mut minus: Vec<&str> = Vec::new();
    for name in list.split(',') {
        if let Some(n) = name.strip_prefix('+') {
            plus.push(n);
        } else if let Some(n) = name.strip_prefix('-') {
            minus.push(n);
        } else if name == "*" {
            plus.extend(defaults.iter().map(String::as_str));
        } else if !name.is_empty() && !explicit.contains(&name) {
            explicit.push(name);
        }
    }
    let mut chosen: Vec<&str> = if explicit.is_empty() {
        defaults.iter().map(String::as_str).collect()
    } else {
        if !explicit.contains(&"id") {
            explicit.insert(0, "id");
        }
        explicit
    };
    for p in plus {
        if !chosen.contains(&p) {
            chosen.push(p);
        }
    }
    chosen.retain(|c| !minus.contains(c));
    let mut out = Map::new();
    for name in chosen {
        if let Some(v) = full.get(name) {
            out.insert(name.to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    fn full() -> Map<String, Value> {
        user(&User {
            id: "user_1".into(),
            first_name: Some("Ivy".into()),
            last_name: None,
            email: "ivy@x.co".into(),
            avatar_url: None,
            metadata: None,
            created_at: "t".into(),
            updated_at: "t".into(),
            deleted_at: None,
        })
    }

    #[test]
    fn metadata_keys_in_jsonb_order() {
        let v = jsonb(&json!({"level": 2, "team": "ops", "extra": {"bb": 1, "a": 2}}));
        assert_eq!(
            v.to_string(),
            r#"{"team":"ops","extra":{"a":2,"bb":1},"level":2}"#
        );
    }

    #[test]
    fn field_selection_as_recorded() {
        let all = keys(&Value::Object(full()))
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        assert_eq!(
            keys(&select(full(), Some("id,email,first_name"))),
            ["id", "email", "first_name"]
        );
        assert_eq!(keys(&select(full(), Some("email"))), ["id", "email"]);
        assert_eq!(keys(&select(full(), Some("nope"))), ["id"]);
        assert_eq!(keys(&select(full(), Some("password_hash"))), ["id"]);
        assert_eq!(keys(&select(full(), Some("*"))), all);
        assert_eq!(keys(&select(full(), Some("+metadata"))), all);
        assert_eq!(
            keys(&select(full(), Some("-avatar_url,-metadata"))),
            [
                "id",
                "first_name",
                "last_name",
                "email",
                "created_at",
                "updated_at",
                "deleted_at"
            ]
        );
        assert_eq!(keys(&select(full(), None)), all);
    }
}
