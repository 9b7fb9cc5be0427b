//! v2's invite routes (CONTRACT §3.4, §6): list (tokens included), retrieve, create, resend
//! (a new token voids the old one), delete (200 for any id) and accept, which creates the user
//! for the Bearer registration token's identity and deletes the invite. Accept answers every
//! failure past validation with the middleware's bare 401, as the real route does.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{App, Fail, blocking, internal, json_response};
use super::super::outbox::Event;
use super::super::store::{js_now, js_timestamp};
use super::auth::{self, Principal};
use super::db::invites::{self as db, Invite};
use super::db::users::{self as users_db, User};
use super::deviations;
use super::list;
use super::render;
use super::tokens;
use super::users::selected_fields;
use super::validate::{self, Spec, Ty};

fn invite_answer(i: &Invite, fields: Option<&str>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "invite": render::select(render::invite(i), fields) }),
    )
}

/// A fresh token for `id`, and when it (and so the invite) expires.
fn new_token(app: &App, id: &str, email: &str) -> Result<(String, String), Fail> {
    let now = time::OffsetDateTime::now_utc();
    let iat = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let (token, _exp) = tokens::mint_invite_token(&app.jwt_secret, id, email, iat)
        .map_err(internal("invite token"))?;
    let expires_at =
        js_timestamp(now + time::Duration::seconds(tokens::INVITE_TOKEN_TTL_SECS as i64));
    Ok((token, expires_at))
}

/// `GET /admin/invites`
pub async fn list(app: &Arc<App>, raw_query: &str) -> Result<Response, Fail> {
    let req = list::parse(raw_query, &list::INVITES)?;
    blocking(app, move |app| {
        let (rows, count) = app.store.read(|c| db::list_invites(c, &req.listing))?;
        Ok(req.answer("invites", rows.iter().map(render::invite), count))
    })
    .await
}

/// `GET /admin/invites/:id`
pub async fn get(app: &Arc<App>, id: String, raw_query: &str) -> Result<Response, Fail> {
    let fields = selected_fields(raw_query)?;
    blocking(app, move |app| {
        match app.store.read(|c| db::invite_by_id(c, &id))? {
            Some(i) => Ok(invite_answer(&i, fields.as_deref())),
            None => Err(Fail::NotFound(format!(
                "Invite with id: {id} was not found"
            ))),
        }
    })
    .await
}

const CREATE: [Spec; 3] = [
    Spec::required("email", Ty::Str),
    Spec::optional("metadata", Ty::Record),
    Spec::optional("roles", Ty::StrArray),
];

/// `POST /admin/invites`: the e-mail is neither checked for format nor lower-cased (§6).
pub async fn create(app: &Arc<App>, body: Value, raw_query: &str) -> Result<Response, Fail> {
    let fields = validate::body(&body, &CREATE)?;
    let selected = selected_fields(raw_query)?;
    if fields.contains_key("roles") {
        return Err((&deviations::INVITE_ROLES).into());
    }
    let email = fields
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let metadata = fields.get("metadata").and_then(Value::as_object).cloned();
    blocking(app, move |app| {
        let invite = app.store.write(|tx| -> Result<Invite, Fail> {
            if users_db::live_user_by_email(tx, &email)?.is_some() {
                return Err(Fail::Invalid(format!(
                    "User account for following email(s) already exist: {email}"
                )));
            }
            if db::invite_by_email(tx, &email)?.is_some() {
                return Err(Fail::Invalid(format!(
                    "Invite with email: {email}, already exists."
                )));
            }
            let id = app.store.new_prefixed_id("invite");
            let (token, expires_at) = new_token(app, &id, &email)?;
            let now = js_now();
            let invite = Invite {
                id,
                email: email.clone(),
                token,
                expires_at,
                metadata,
                created_at: now.clone(),
                updated_at: now,
            };
            db::insert_invite(tx, &invite)?;
            Ok(invite)
        })?;
        app.outbox
            .publish(Event::InviteCreated, &invite.email, &invite.token);
        tracing::info!(invite_id = %invite.id, "invite issued");
        Ok(invite_answer(&invite, selected.as_deref()))
    })
    .await
}

/// `POST /admin/invites/:id/resend`: a 400 naming the id when there is no such (pending)
/// invite.
pub async fn resend(app: &Arc<App>, id: String, raw_query: &str) -> Result<Response, Fail> {
    let selected = selected_fields(raw_query)?;
    blocking(app, move |app| {
        let invite = app.store.write(|tx| -> Result<Invite, Fail> {
            let Some(mut invite) = db::invite_by_id(tx, &id)? else {
                return Err(Fail::Invalid(format!(
                    "The following invites do not exist: {id}"
                )));
            };
            let (token, expires_at) = new_token(app, &invite.id, &invite.email)?;
            let now = js_now();
            db::renew_invite(tx, &invite.id, &token, &expires_at, &now)?;
            invite.token = token;
            invite.expires_at = expires_at;
            invite.updated_at = now;
            Ok(invite)
        })?;
        app.outbox
            .publish(Event::InviteResent, &invite.email, &invite.token);
        Ok(invite_answer(&invite, selected.as_deref()))
    })
    .await
}

/// `DELETE /admin/invites/:id`: the same answer for any id.
pub async fn delete(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        app.store.write(|tx| db::delete_invite(tx, &id))?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "invite", "deleted": true }),
        ))
    })
    .await
}

const ACCEPT: [Spec; 3] = [
    Spec::nullish("email", Ty::Str),
    Spec::nullish("first_name", Ty::Str),
    Spec::nullish("last_name", Ty::Str),
];
const ACCEPT_QUERY: [Spec; 2] = [
    Spec::optional("fields", Ty::Str),
    Spec::required("token", Ty::Str),
];

/// `POST /admin/invites/accept?token=…` with the invitee's registration token as Bearer.
/// A body `email` replaces the invited address (§6); the identity's own e-mail is never
/// compared with the invite's (whoever holds the token owns the account, §3.4).
pub async fn accept(
    app: &Arc<App>,
    principal: Principal,
    body: Value,
    raw_query: &str,
) -> Result<Response, Fail> {
    let fields = validate::body(&body, &ACCEPT)?;
    let query = validate::query(raw_query, &ACCEPT_QUERY)?;
    if !principal.actor_id().is_empty() {
        return Err(Fail::Invalid(
            "The user is already authenticated and cannot accept an invite.".to_owned(),
        ));
    }
    let text = |map: &serde_json::Map<String, Value>, k: &str| {
        map.get(k).and_then(Value::as_str).map(str::to_owned)
    };
    let token = text(&query, "token").unwrap_or_default();
    let fields_param = text(&query, "fields");
    let (email, first_name, last_name) = (
        text(fields, "email"),
        text(fields, "first_name"),
        text(fields, "last_name"),
    );
    let identity_id = principal.context.auth_identity_id.clone();
    blocking(app, move |app| {
        let user = app.store.write(|tx| -> Result<Option<User>, Fail> {
            let Some(claims) = tokens::verify(&app.jwt_secret, &token) else {
                return Ok(None);
            };
            let invite_id = claims.get("id").and_then(Value::as_str).unwrap_or_default();
            let Some(invite) = db::invite_by_id(tx, invite_id)?
                .filter(|i| i.token == token && js_now() <= i.expires_at)
            else {
                return Ok(None);
            };
            let Some(identity) =
                users_db::identity_by_id(tx, &identity_id)?.filter(|i| i.user_id.is_none())
            else {
                return Ok(None);
            };
            let email = email.unwrap_or(invite.email);
            if users_db::live_user_by_email(tx, &email)?.is_some() {
                return Ok(None);
            }
            let now = js_now();
            let user = User {
                id: app.store.new_prefixed_id("user"),
                first_name,
                last_name,
                email,
                avatar_url: None,
                metadata: None,
                created_at: now.clone(),
                updated_at: now,
                deleted_at: None,
            };
            users_db::insert_user(tx, &user)?;
            users_db::link_identity(tx, &identity.id, &user.id)?;
            db::delete_invite(tx, &invite.id)?;
            Ok(Some(user))
        })?;
        match user {
            Some(u) => {
                tracing::info!(user_id = %u.id, "invite accepted");
                Ok(json_response(
                    StatusCode::OK,
                    &json!({ "user": render::select(render::user(&u), fields_param.as_deref()) }),
                ))
            }
            None => Ok(auth::unauthorized()),
        }
    })
    .await
}
