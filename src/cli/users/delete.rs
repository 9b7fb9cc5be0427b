//! `users delete`: look the user up, warn about what outlives them (sessions, secret keys),
//! confirm, revoke their keys if asked, delete.

use super::print_json;
use crate::api::Client;
use crate::cli::connection::not_here;
use crate::cli::failure::Failure;
use crate::cli::output::sentence;
use crate::cli::{DeleteArgs, console, prompt};

pub(super) async fn delete(
    client: &Client,
    args: DeleteArgs,
    production: Option<&str>,
) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    if args.revoke_keys && !caps.secret_keys {
        return Err(not_here("--revoke-keys", &caps, "has no secret API keys"));
    }
    // Look first: Medusa answers 200 even for an id that does not exist, which would hide a
    // typo; and the confirmation should name the user, not just an id.
    let user = client.retrieve(&args.id).await?;
    if !caps.self_delete && client.is_self(&user.id).await? {
        return Err(Failure::Usage(format!(
            "{} is you: this server does not let an admin delete their own account; sign in \
             as another admin to do it",
            user.email
        )));
    }
    // Secret keys outlive the user who made them; name them before asking.
    let keys = client.secret_keys_created_by(&user.id).await?;
    let key_names: Vec<String> = keys
        .iter()
        .map(|k| format!("\"{}\" ({})", k.title, k.redacted))
        .collect();
    let sessions_warning = caps.deleted_sessions_stay_valid.then(|| {
        format!(
            "{}'s existing sessions stay valid until they expire (up to 24 h after their last \
             login): until then they can still act as an admin",
            user.email
        )
    });
    let names = key_names.join(", ");
    if !args.yes {
        if let Some(warning) = &sessions_warning {
            console::warning(warning);
        }
        if !key_names.is_empty() {
            console::warning(&if args.revoke_keys {
                format!(
                    "these secret API keys {} created will be revoked first: {names}",
                    user.email
                )
            } else {
                format!(
                    "secret API keys {} created keep working after the delete: {names} (add \
                     --revoke-keys to revoke them in the same step)",
                    user.email
                )
            });
        }
        let kind = if caps.roles {
            format!("{} user", user.role_label())
        } else {
            "user".to_owned()
        };
        let question = format!(
            "Delete {kind} {} ({})? This cannot be undone from here.",
            user.email, user.id
        );
        prompt::confirm_change_or_keep(
            &question,
            production,
            &format!("not deleted: {} was kept", user.email),
        )?;
    }
    // Revoke before deleting: if a revoke fails, the user is still there and the command can
    // simply be run again; the other way round, keys of a deleted user would be left working.
    let mut report = Vec::new();
    if args.revoke_keys {
        for key in &keys {
            client.revoke_api_key(&key.id).await?;
            report.push(format!(
                "Revoked secret API key \"{}\" ({})",
                key.title, key.redacted
            ));
        }
    }
    let deleted = client.delete(&user.id).await?;
    if args.out.json {
        print_json(&deleted)?;
        for line in &report {
            console::note(line);
        }
    } else {
        report.push(format!("Deleted {} ({})", user.email, deleted.id));
        let text: String = report.iter().map(|l| sentence(l)).collect();
        console::print(&text)?;
    }
    // After the result, what the operator must know about the user just deleted (the prompt
    // said it before; with --yes nobody was asked).
    if let Some(warning) = &sessions_warning {
        console::warning(warning);
    }
    if !args.revoke_keys && !key_names.is_empty() {
        console::warning(&format!(
            "secret API keys {} created still work: {names}; revoke them in the admin \
             dashboard's secret API key settings",
            user.email
        ));
    }
    Ok(())
}
