//! v1's user routes: list, retrieve, create, update and delete under `/admin/users`.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::super::express::{App, Fail, blocking, json_bytes, json_response};
use super::super::password::hash_password;
use super::super::query;
use super::super::store::{InsertError, NewUser, js_now};
use super::auth::user_envelope;
use super::{list_params, render, validate};

/// `GET /admin/users`
pub async fn list(app: &Arc<App>, raw_query: &str) -> Result<Response, Fail> {
    let params = list_params::list(&query::parse(raw_query))?;
    let bytes = blocking(app, move |app| {
        let (rows, count) = app.store.list(&params.query)?;
        let users: Vec<Value> = rows
            .iter()
            .map(|u| match &params.fields {
                Some(columns) => render::projected(u, columns),
                None => render::user(u),
            })
            .collect();
        let page = json!({
            "users": users,
            "count": count,
            "offset": params.query.offset,
            "limit": params.limit,
        });
        Ok(page.to_string().into_bytes())
    })
    .await?;
    Ok(json_bytes(StatusCode::OK, bytes))
}

fn not_found(id: &str) -> Fail {
    Fail::NotFound(format!("User with id: {id} was not found"))
}

/// `GET /admin/users/:id`
pub async fn get(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| match app.store.live_user(&id)? {
        Some(u) => Ok(user_envelope(&u)),
        None => Err(not_found(&id)),
    })
    .await
}

/// `POST /admin/users`
pub async fn create(app: &Arc<App>, body: Value) -> Result<Response, Fail> {
    let input = validate::create_user(&body)?;
    blocking(app, move |app| {
        // Medusa skips hashing an empty password and stores NULL: that user can never log in.
        let password_hash = (!input.password.is_empty()).then(|| hash_password(&input.password));
        let new = NewUser {
            id: app.store.new_id(),
            created_at: js_now(),
            email: input.email.to_lowercase(),
            first_name: input.first_name.clone(),
            last_name: input.last_name.clone(),
            role: input.role.clone(),
            password_hash,
            api_token: None,
            metadata: None,
        };
        match app.store.insert_user(&new) {
            Ok(row) => Ok(json_response(
                StatusCode::OK,
                &json!({ "user": render::created_user(&row, &input.provided) }),
            )),
            Err(InsertError::DuplicateEmail) => Err(Fail::Invalid(
                "A user with the same email already exists.".to_owned(),
            )),
            Err(InsertError::Sql(e)) => Err(e.into()),
        }
    })
    .await
}

/// `POST /admin/users/:id`: the body is validated before the user is looked up (case 092).
pub async fn update(app: &Arc<App>, id: String, body: Value) -> Result<Response, Fail> {
    let (changes, set_something) = validate::update_user(&body)?;
    blocking(app, move |app| {
        match app.store.update_user(&id, &changes)? {
            Some((row, _changed)) => Ok(json_response(
                StatusCode::OK,
                &json!({ "user": render::updated_user(&row, set_something) }),
            )),
            None => Err(not_found(&id)),
        }
    })
    .await
}

/// `DELETE /admin/users/:id`: a soft delete that answers the same for unknown ids.
pub async fn delete(app: &Arc<App>, id: String) -> Result<Response, Fail> {
    blocking(app, move |app| {
        app.store.soft_delete(&id)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "id": id, "object": "user", "deleted": true }),
        ))
    })
    .await
}
