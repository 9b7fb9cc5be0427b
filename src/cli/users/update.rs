//! `users update`: the update body from the flags (names, avatar, role, API token, metadata),
//! checked against what the server's users have.

use serde_json::{Map, Value};

use super::print_user;
use crate::api::{Client, UpdateUser};
use crate::cli::UpdateArgs;
use crate::cli::connection::not_here;
use crate::cli::failure::Failure;

pub(super) async fn update(client: &Client, args: UpdateArgs) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    if args.role.is_some() && !caps.roles {
        return Err(not_here("--role", &caps, "has no user roles"));
    }
    if args.api_token.is_some() && !caps.user_api_token {
        return Err(not_here(
            "--api-token",
            &caps,
            "has no per-user API tokens (secret API keys replace them)",
        ));
    }
    if args.avatar_url.is_some() && !caps.avatar_url {
        return Err(not_here(
            "--avatar-url",
            &caps,
            "has no avatar URL for users",
        ));
    }
    let body = update_body(&args)?;
    let user = client.update(&args.id, &body).await?;
    print_user(client, &user, &args.out).await
}

/// The update body from the flags: `""` clears a name or the avatar, `KEY=VALUE` sets a
/// metadata string, `KEY:=JSON` a JSON value, and `KEY=` removes the key (Medusa deletes keys
/// set to "").
pub(super) fn update_body(args: &UpdateArgs) -> Result<UpdateUser, Failure> {
    let clearable = |v: &Option<String>| {
        v.as_ref()
            .map(|s| if s.is_empty() { None } else { Some(s.clone()) })
    };
    let mut metadata = Map::new();
    for pair in &args.metadata {
        let (key, value) = if let Some((k, json)) = pair.split_once(":=") {
            let value: Value = serde_json::from_str(json).map_err(|e| {
                Failure::Usage(format!("--metadata {pair:?}: the value is not JSON: {e}"))
            })?;
            (k, value)
        } else if let Some((k, v)) = pair.split_once('=') {
            (k, Value::String(v.to_owned()))
        } else {
            return Err(Failure::Usage(format!(
                "--metadata {pair:?}: expected KEY=VALUE, KEY:=JSON or KEY= (to remove)"
            )));
        };
        if key.trim().is_empty() {
            return Err(Failure::Usage(format!("--metadata {pair:?}: empty key")));
        }
        metadata.insert(key.trim().to_owned(), value);
    }
    let body = UpdateUser {
        first_name: clearable(&args.first_name),
        last_name: clearable(&args.last_name),
        role: args.role,
        api_token: args.api_token.clone(),
        avatar_url: clearable(&args.avatar_url),
        metadata: (!metadata.is_empty()).then_some(metadata),
    };
    if body.is_empty() {
        return Err(Failure::Usage(
            "nothing to update: give --first-name, --last-name, --avatar-url, --role, \
             --api-token or --metadata"
                .into(),
        ));
    }
    Ok(body)
}
