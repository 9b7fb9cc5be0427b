//! v1's invite routes (CONTRACT.md, "Invites"): list, create, resend, delete and the
//! unauthenticated accept. Create, resend and accept answer a plain-text `OK`; the invite and
//! its token only show in the list (and, here, in the outbox).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{App, Fail, TEXT_TYPE, blocking, json_response, text};
use super::super::outbox::Event;
use super::super::password::hash_password;
use super::super::store::{AcceptRefused, Acceptance, InviteError};
use super::super::tokens::{self, InviteClaims};
use super::{render, validate};

fn ok() -> Response {
    text(StatusCode::OK, Some(TEXT_TYPE), "OK")
}

impl From<InviteError> for Fail {
    fn from(e: InviteError) -> Self {
        tracing::error!(error = %e, "cannot store an invite");
        Fail::Internal
    }
}

/// `GET /admin/invites`: every invite, the query is not read at all (recordings 212–216).
pub async fn list(app: &Arc<App>) -> Result<Response, Fail> {
    blocking(app, |app| {
        let invites: Vec<Value> = app.store.invites()?.iter().map(render::invite).collect();
        Ok(json_response(
            StatusCode::OK,
            &json!({ "invites": invites }),
        ))
    })
    .await
}

fn sign(
    app: &App,
    invite_id: &str,
    role: &str,
    user_email: &str,
) -> Result<String, jsonwebtoken::errors::Error> {
    tokens::mint_invite_token(
        &app.jwt_secret,
        &InviteClaims {
            invite_id: invite_id.to_owned(),
            role: role.to_owned(),
            user_email: user_email.to_owned(),
            iat: tokens::now_secs(),
        },
    )
}

/// `POST /admin/invites`: a new invite, or the pending one for exactly this e-mail renewed.
pub async fn create(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let input = validate::create_invite(&body)?;
    blocking(app, move |app| {
        let new_id = app.store.new_prefixed_id("invite");
        let row = app.store.invite(&input.user, &input.role, new_id, |id| {
            sign(app, id, &input.role, &input.user)
        })?;
        let Some(row) = row else {
            return Err(Fail::Invalid(
                "Can't invite a user with an existing account".to_owned(),
            ));
        };
        app.outbox
            .publish(Event::InviteCreated, &row.user_email, &row.token);
        tracing::info!(invite_id = %row.id, "invite issued");
        Ok(ok())
    })
    .await
}

/// `POST /admin/invites/:id/resend`: a 400, not a 404, for an unknown id; the body is ignored.
pub async fn resend(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        let row = app
            .store
            .resend_invite(&id, |row| sign(app, &row.id, &row.role, &row.user_email))?;
        let Some(row) = row else {
            return Err(Fail::Invalid("Invite doesn't exist".to_owned()));
        };
        // v1 emits invite.created again on resend.
        app.outbox
            .publish(Event::InviteCreated, &row.user_email, &row.token);
        Ok(ok())
    })
    .await
}

/// `DELETE /admin/invites/:id`: the same 200 for any id, echoing the path.
pub async fn delete(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        app.store.delete_invite(&id)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "invite", "deleted": true }),
        ))
    })
    .await
}

/// `POST /admin/invites/accept` (no authentication): body, then signature, then the row and
/// the users, in the real server's order. The token is never compared with the stored one.
pub async fn accept(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let input = validate::accept_invite(&body)?;
    let Some(claims) = tokens::verify_invite_token(&app.jwt_secret, &input.token) else {
        return Err(Fail::Invalid("Token is not valid".to_owned()));
    };
    let claim = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let (invite_id, claimed_email) = (claim("invite_id"), claim("user_email"));
    blocking(app, move |app| {
        // Medusa skips hashing an empty password: that user can never log in (recording 285).
        let password_hash = (!input.password.is_empty()).then(|| hash_password(&input.password));
        let acceptance = Acceptance {
            invite_id: &invite_id,
            claimed_email: &claimed_email,
            user_id: app.store.new_id(),
            first_name: input.first_name.clone(),
            last_name: input.last_name.clone(),
            password_hash,
        };
        match app.store.accept_invite(&acceptance) {
            Ok(Ok(user_id)) => {
                tracing::info!(%user_id, "invite accepted");
                Ok(ok())
            }
            Ok(Err(AcceptRefused::InvalidInvite)) => {
                Err(Fail::Invalid("Invalid invite".to_owned()))
            }
            Ok(Err(AcceptRefused::UserAlreadyJoined)) => {
                Err(Fail::Invalid("User already joined".to_owned()))
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot accept an invite");
                Err(Fail::Internal)
            }
        }
    })
    .await
}
