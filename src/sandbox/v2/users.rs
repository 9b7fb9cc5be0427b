//! v2's user routes (CONTRACT §3.3): list, `/me`, retrieve, update (POST, strict, shallow
//! metadata merge), idempotent delete that refuses only self-deletion, the admin's reset-token
//! mint (2.20+) and the auth-provider list. There is no create: users come from invites.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{App, Fail, blocking, json_response};
use super::auth::Principal;
use super::auth_routes::issue_reset_token;
use super::db::users::{self as db, UserPatch};
use super::deviations;
use super::list;
use super::render;
use super::validate::{self, SELECT, Spec, Ty};

fn not_found(id: &str) -> Fail {
    Fail::NotFound(format!("User with id: {id} was not found"))
}

/// `?fields=` of a retrieve or an update, checked strictly.
pub fn selected_fields(raw_query: &str) -> Result<Option<String>, Fail> {
    let params = validate::query(raw_query, &SELECT)?;
    Ok(params
        .get("fields")
        .and_then(Value::as_str)
        .map(str::to_owned))
}

fn user_answer(u: &db::User, fields: Option<&str>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "user": render::select(render::user(u), fields) }),
    )
}

/// `GET /admin/users`
pub async fn list(app: &Arc<App>, raw_query: &str) -> Result<Response, Fail> {
    let req = list::parse(raw_query, &list::USERS)?;
    blocking(app, move |app| {
        let (rows, count) = app.store.read(|c| db::list_users(c, &req.listing))?;
        Ok(req.answer("users", rows.iter().map(render::user), count))
    })
    .await
}

/// `GET /admin/users/:id`, and `/me` with the actor's id (an API key's id finds no user:
/// 404, recording 03#6).
pub async fn get(app: &Arc<App>, id: String, raw_query: &str) -> Result<Response, Fail> {
    let fields = selected_fields(raw_query)?;
    blocking(app, move |app| {
        match app.store.read(|c| db::live_user(c, &id))? {
            Some(u) => Ok(user_answer(&u, fields.as_deref())),
            None => Err(not_found(&id)),
        }
    })
    .await
}

const UPDATE: [Spec; 4] = [
    Spec::nullish("first_name", Ty::Str),
    Spec::nullish("last_name", Ty::Str),
    Spec::nullish("avatar_url", Ty::Str),
    Spec::nullish("metadata", Ty::Record),
];

/// `POST /admin/users/:id`: the body is checked before the user is looked up (recording
/// 11#13), and any admin may update anyone (no RBAC).
pub async fn update(
    app: &Arc<App>,
    id: String,
    body: Value,
    raw_query: &str,
) -> Result<Response, Fail> {
    let fields = validate::body(&body, &UPDATE)?;
    let patch = UserPatch {
        first_name: validate::nullable_string(fields, "first_name"),
        last_name: validate::nullable_string(fields, "last_name"),
        avatar_url: validate::nullable_string(fields, "avatar_url"),
        metadata: fields.get("metadata").map(|m| m.as_object().cloned()),
    };
    let selected = selected_fields(raw_query)?;
    blocking(app, move |app| {
        match app.store.write(|tx| db::update_user(tx, &id, &patch))? {
            Some(u) => Ok(user_answer(&u, selected.as_deref())),
            // Another wording than retrieve's, as on the real server.
            None => Err(Fail::NotFound(format!("User with id \"{id}\" not found"))),
        }
    })
    .await
}

/// `DELETE /admin/users/:id`: 200 for unknown and deleted ids too; the user's identities go
/// with it. A deleted user's JWTs keep working until they expire, as on the real server.
pub async fn delete(app: &Arc<App>, principal: &Principal, id: String) -> Result<Response, Fail> {
    if principal.actor_id() == id {
        return Err(Fail::Typed {
            status: StatusCode::BAD_REQUEST,
            kind: "not_allowed",
            message: "A user cannot delete itself".to_owned(),
        });
    }
    blocking(app, move |app| {
        app.store.write(|tx| db::delete_user(tx, &id))?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "user", "deleted": true }),
        ))
    })
    .await
}

/// `POST /admin/users/:id/reset-password` (2.20+): the reset token in the answer, and to the
/// outbox like a user-requested one.
pub async fn reset_password(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        let identity = app.store.read(|c| {
            let Some(user) = db::live_user(c, &id)? else {
                return Ok(None);
            };
            Ok(Some(match db::identity_of_user(c, &id)? {
                Some(i) => Some(i.email),
                None => db::identity_by_email(c, &user.email)?.map(|i| i.email),
            }))
        })?;
        let email = match identity {
            None => return Err(not_found(&id)),
            Some(None) => {
                return Err(Fail::NotFound(format!(
                    "No emailpass identity found for user with id: {id}"
                )));
            }
            Some(Some(email)) => email,
        };
        match issue_reset_token(app, &email)? {
            Some(token) => Ok(json_response(StatusCode::OK, &json!({ "token": token }))),
            None => Err(not_found(&id)),
        }
    })
    .await
}

/// `GET /admin/users/:id/auth-providers`: `[]` for an unknown user (§6).
pub async fn auth_providers(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        let linked = app.store.read(|c| db::identity_of_user(c, &id))?.is_some();
        let providers: Vec<&str> = if linked { vec!["emailpass"] } else { vec![] };
        Ok(json_response(
            StatusCode::OK,
            &json!({ "providers": providers }),
        ))
    })
    .await
}

/// `/admin/users/:id/roles…` without RBAC, where the real server crashes.
pub fn roles() -> Fail {
    (&deviations::USER_ROLES).into()
}
