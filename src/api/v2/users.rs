//! `admin.users` on Medusa v2: who am I, list, retrieve, find by e-mail, update and delete,
//! refusing before sending what v2 would answer with a 500 (roles, per-user API tokens).

use serde::Serialize;

use crate::api::error::ApiError;
use crate::api::operation::Operation;
use crate::api::transport::{Call, Transport, id_path, to_json};
use crate::api::types::{
    Deleted, ListParams, OrderField, UpdateUser, User, UserEnvelope, UserPage,
};

pub(crate) async fn me(t: &Transport) -> Result<User, ApiError> {
    let env: UserEnvelope = t
        .execute(Call::get(
            "/admin/users/me".into(),
            Vec::new(),
            Operation::WhoAmI,
        ))
        .await
        .map_err(|e| match e {
            ApiError::NotFound { message } if message.contains("apk_") => ApiError::NotFound {
                message: "signed in with a secret API key, which belongs to no user".into(),
            },
            // A deleted user's JWT still passes the middleware; `/me` then finds nobody.
            ApiError::NotFound { .. } => ApiError::Unauthorized {
                message: "the signed-in user no longer exists (deleted)".into(),
            },
            other => other,
        })?;
    Ok(env.user)
}

/// v2 answers 500 to what it does not validate; refuse those here with a clear message.
fn check_list(params: &ListParams) -> Result<(), ApiError> {
    if !params.roles.is_empty() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no user roles, so there is no role filter",
        ));
    }
    if params.order.is_some_and(|o| o.field == OrderField::Role) {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no user roles to sort by",
        ));
    }
    Ok(())
}

pub(crate) async fn list(t: &Transport, params: &ListParams) -> Result<UserPage, ApiError> {
    check_list(params)?;
    let mut query = params.to_query();
    // v2 trims `q` itself; an empty one would still be sent as a filter.
    query.retain(|(k, v)| k != "q" || !v.trim().is_empty());
    t.execute(Call::get(
        "/admin/users".into(),
        query,
        Operation::ListUsers,
    ))
    .await
}

pub(crate) async fn retrieve(t: &Transport, id: &str) -> Result<User, ApiError> {
    let env: UserEnvelope = t
        .execute(Call::get(user_path(id)?, Vec::new(), Operation::GetUser))
        .await?;
    Ok(env.user)
}

/// The user with exactly this e-mail (v2's `email=` filter is exact and case-sensitive).
pub(crate) async fn find_by_email(t: &Transport, email: &str) -> Result<Option<User>, ApiError> {
    let page = list(
        t,
        &ListParams {
            email: Some(email.to_owned()),
            limit: Some(1),
            ..ListParams::default()
        },
    )
    .await?;
    Ok(page.users.into_iter().next())
}

#[derive(Serialize)]
struct UpdateBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    avatar_url: &'a Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: &'a Option<serde_json::Map<String, serde_json::Value>>,
}

pub(crate) async fn update(t: &Transport, id: &str, update: &UpdateUser) -> Result<User, ApiError> {
    if update.role.is_some() {
        return Err(ApiError::usage("this server (Medusa v2) has no user roles"));
    }
    if update.api_token.is_some() {
        return Err(ApiError::usage(
            "this server (Medusa v2) has no per-user API tokens; secret API keys replace them",
        ));
    }
    let body = UpdateBody {
        first_name: &update.first_name,
        last_name: &update.last_name,
        avatar_url: &update.avatar_url,
        metadata: &update.metadata,
    };
    let call = Call::post(user_path(id)?, to_json(&body)?, Operation::UpdateUser);
    let env: UserEnvelope = t.execute(call).await?;
    Ok(env.user)
}

/// Idempotent on v2: an unknown id answers 200 as well.
pub(crate) async fn delete(t: &Transport, id: &str) -> Result<Deleted, ApiError> {
    t.execute(Call::delete(user_path(id)?, Operation::DeleteUser))
        .await
}

pub(super) fn user_path(id: &str) -> Result<String, ApiError> {
    id_path("/admin/users", id, "a user")
}
