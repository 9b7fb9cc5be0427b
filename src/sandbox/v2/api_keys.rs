//! v2's API keys (CONTRACT §3.1, recording 03): secret keys authenticate admin requests over
//! HTTP Basic until they are revoked; they are shown once, then redacted. A key must be
//! revoked before it can be deleted. `created_by` names the creator, so a console can offer to
//! revoke a deleted user's keys (§6).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{App, Fail, blocking, json_response};
use super::super::store::js_now;
use super::auth::Principal;
use super::db::api_keys::{self as db, ApiKey};
use super::list;
use super::render;
use super::users::selected_fields;
use super::validate::{self, Spec, Ty};

/// A new `sk_<64 hex>` or `pk_<64 hex>`.
pub fn new_token(kind: &str) -> String {
    let mut raw = [0u8; 32];
    rand::fill(&mut raw[..]);
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let prefix = if kind == "secret" { "sk" } else { "pk" };
    format!("{prefix}_{hex}")
}

/// Stores a new key; the key and its token (shown this once).
pub fn insert(
    app: &App,
    tx: &rusqlite::Connection,
    title: &str,
    kind: &str,
    token: &str,
    created_by: &str,
) -> rusqlite::Result<ApiKey> {
    let now = js_now();
    let key = ApiKey {
        id: app.store.new_prefixed_id("apk"),
        title: title.to_owned(),
        kind: kind.to_owned(),
        token: (kind == "publishable").then(|| token.to_owned()),
        redacted: db::redact(token),
        created_by: created_by.to_owned(),
        revoked_by: None,
        revoked_at: None,
        created_at: now.clone(),
        updated_at: now,
    };
    db::insert_key(tx, &key, token)?;
    Ok(key)
}

fn not_found(id: &str) -> Fail {
    Fail::NotFound(format!("ApiKey with id: {id} was not found"))
}

fn key_answer(k: &ApiKey, fields: Option<&str>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "api_key": render::select(render::key(k), fields) }),
    )
}

const CREATE: [Spec; 2] = [
    Spec::required("title", Ty::Str),
    Spec::required("type", Ty::Enum(&["publishable", "secret"])),
];

/// `POST /admin/api-keys`
pub async fn create(
    app: &Arc<App>,
    principal: &Principal,
    body: Value,
    raw_query: &str,
) -> Result<Response, Fail> {
    let fields = validate::body(&body, &CREATE)?;
    let _ = selected_fields(raw_query)?;
    let text = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (title, kind) = (text("title"), text("type"));
    let created_by = principal.actor_id().to_owned();
    blocking(app, move |app| {
        let token = new_token(&kind);
        let key = app
            .store
            .write(|tx| insert(app, tx, &title, &kind, &token, &created_by))?;
        tracing::info!(key_id = %key.id, kind = %key.kind, "API key created");
        Ok(json_response(
            StatusCode::OK,
            &json!({ "api_key": render::created_key(&key, &token) }),
        ))
    })
    .await
}

/// `GET /admin/api-keys`
pub async fn list(app: &Arc<App>, raw_query: &str) -> Result<Response, Fail> {
    let req = list::parse(raw_query, &list::API_KEYS)?;
    blocking(app, move |app| {
        let (rows, count) = app.store.read(|c| db::list_keys(c, &req.listing))?;
        Ok(req.answer("api_keys", rows.iter().map(render::key), count))
    })
    .await
}

/// `GET /admin/api-keys/:id`
pub async fn get(app: &Arc<App>, id: String, raw_query: &str) -> Result<Response, Fail> {
    let fields = selected_fields(raw_query)?;
    blocking(app, move |app| {
        match app.store.read(|c| db::key_by_id(c, &id))? {
            Some(k) => Ok(key_answer(&k, fields.as_deref())),
            None => Err(not_found(&id)),
        }
    })
    .await
}

/// `POST /admin/api-keys/:id` (a new title) and `POST /admin/api-keys/:id/revoke`.
pub async fn change(
    app: &Arc<App>,
    principal: &Principal,
    id: String,
    body: Value,
    raw_query: &str,
    revoke: bool,
) -> Result<Response, Fail> {
    const TITLE: [Spec; 1] = [Spec::required("title", Ty::Str)];
    const REVOKE: [Spec; 1] = [Spec::optional("revoke_in", Ty::Number)];
    let fields = validate::body(&body, if revoke { &REVOKE } else { &TITLE })?;
    let title = fields
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let selected = selected_fields(raw_query)?;
    let actor = principal.actor_id().to_owned();
    blocking(app, move |app| {
        let key = app.store.write(|tx| {
            let now = js_now();
            if revoke {
                db::revoke_key(tx, &id, &actor, &now)?;
            } else if let Some(t) = &title {
                db::set_title(tx, &id, t, &now)?;
            }
            db::key_by_id(tx, &id)
        })?;
        match key {
            Some(k) => Ok(key_answer(&k, selected.as_deref())),
            None => Err(not_found(&id)),
        }
    })
    .await
}

/// `DELETE /admin/api-keys/:id`: only revoked keys (recording 03#15); unknown ids are fine.
pub async fn delete(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        app.store.write(|tx| -> Result<(), Fail> {
            if let Some(k) = db::key_by_id(tx, &id)? {
                if k.revoked_at.is_none() {
                    return Err(Fail::Typed {
                        status: StatusCode::BAD_REQUEST,
                        kind: "not_allowed",
                        message: format!("Cannot delete api keys that are not revoked - {id}"),
                    });
                }
                db::delete_key(tx, &id)?;
            }
            Ok(())
        })?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "api_key", "deleted": true }),
        ))
    })
    .await
}
