//! Secret API keys on Medusa v2: the working keys a user created (they outlive the user) and
//! revoking one.

use serde::Deserialize;

use crate::api::error::ApiError;
use crate::api::invites::ApiKey;
use crate::api::operation::Operation;
use crate::api::transport::{Call, Transport, id_path};

#[derive(Deserialize)]
struct ApiKeyList {
    api_keys: Vec<ApiKey>,
}

/// The secret keys `user_id` created that still work: they keep working after the user is
/// deleted, so deleting someone offers to revoke them.
pub(crate) async fn secret_keys_created_by(
    t: &Transport,
    user_id: &str,
) -> Result<Vec<ApiKey>, ApiError> {
    let query = vec![
        ("type".to_owned(), "secret".to_owned()),
        ("limit".to_owned(), "1000".to_owned()),
    ];
    let list: ApiKeyList = t
        .execute(Call::get(
            "/admin/api-keys".into(),
            query,
            Operation::ListSecretKeys,
        ))
        .await?;
    Ok(list
        .api_keys
        .into_iter()
        .filter(|k| k.created_by.as_deref() == Some(user_id) && k.revoked_at.is_none())
        .collect())
}

pub(crate) async fn revoke_api_key(t: &Transport, id: &str) -> Result<ApiKey, ApiError> {
    #[derive(Deserialize)]
    struct Envelope {
        api_key: ApiKey,
    }
    let call = Call::post(
        format!("{}/revoke", id_path("/admin/api-keys", id, "an API key")?),
        serde_json::json!({}),
        Operation::RevokeSecretKey,
    )
    .idempotent();
    let env: Envelope = t.execute(call).await?;
    Ok(env.api_key)
}
