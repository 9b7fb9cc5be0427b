//! Reset tokens: `users password-token --print` (an admin mints one and sees it, with the
//! dashboard's reset link) and `users reset-password` (apply one, checked first where a failed
//! attempt spends it).

use secrecy::ExposeSecret;
use serde_json::Value;

use super::print_json;
use crate::api::client::MIN_NEW_PASSWORD_CHARS;
use crate::api::{ApiError, Client, ResetPassword, UserEnvelope, is_plausible_email};
use crate::cli::connection;
use crate::cli::failure::Failure;
use crate::cli::output::sentence;
use crate::cli::{PasswordTokenArgs, ResetArgs, console, prompt};

/// `--admin-url`: an http(s) address the reset link can be built on.
pub(super) fn admin_url(raw: &str) -> Result<url::Url, Failure> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Failure::Usage(format!("--admin-url {raw:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Failure::Usage(format!(
            "--admin-url {raw:?}: expected the admin dashboard's http(s) address, such as \
             https://shop.example.com/app"
        )));
    }
    Ok(url)
}

/// `password-token --print`: mint a token as an admin and print it, the one place a token is
/// printed, because the operator asked for it.
pub(super) async fn mint_token(client: &Client, args: PasswordTokenArgs) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    if !caps.reset.admin_mint {
        return Err(Failure::Usage(format!(
            "--print: this server ({}) cannot mint reset tokens (Medusa 2.20 or newer can); \
             leave --print out to have the token e-mailed",
            caps.label
        )));
    }
    let link_base = args.admin_url.as_deref().map(admin_url).transpose()?;
    let user = match (&args.id, &args.email) {
        (Some(id), _) => client.retrieve(id).await?,
        (None, Some(email)) => {
            client
                .find_by_email(email)
                .await?
                .ok_or_else(|| ApiError::NotFound {
                    message: format!("no user has the e-mail {}", email.trim().to_lowercase()),
                })?
        }
        (None, None) => return Err(Failure::Usage("give --email or --id".into())),
    };
    let token = client.mint_reset_token(&user.id).await?;
    let token = token.expose_secret();
    let mut out = sentence(token);
    if let Some(base) = link_base {
        out.push_str(&sentence(
            crate::api::reset_link(&base, token, &user.email).as_str(),
        ));
    }
    console::print(&out)?;
    let valid = crate::api::jwt_claims(token)
        .and_then(|c| c.get("exp").and_then(Value::as_i64))
        .and_then(|exp| time::OffsetDateTime::from_unix_timestamp(exp).ok())
        .map(|exp| {
            let ts = crate::api::Timestamp(
                exp.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            );
            format!(
                "valid until {} UTC ({})",
                ts.short(),
                crate::api::relative(exp, time::OffsetDateTime::now_utc())
            )
        })
        .unwrap_or_else(|| "valid for 15 minutes".to_owned());
    console::note(&format!(
        "Reset token for {} ({}), {valid}. It works once, and a newer token voids it. Apply it \
         with `medusa-users users reset-password --token TOKEN --password-stdin`.",
        user.email, user.id
    ));
    Ok(())
}

pub(super) async fn reset_password(client: &Client, args: ResetArgs) -> Result<(), Failure> {
    let token = match args.token {
        Some(t) => t,
        None if args.password.password_stdin => {
            return Err(Failure::Usage(
                "with --password-stdin, give the token with --token (stdin carries the password)"
                    .into(),
            ));
        }
        None => {
            if !prompt::stdin_is_terminal() {
                return Err(Failure::Usage(
                    "no terminal to ask for the token on: pass --token".into(),
                ));
            }
            prompt::hidden("Reset token: ")
                .map_err(|e| Failure::Other(format!("cannot read: {e}")))?
        }
    };
    let token = token.trim().to_owned();
    if token.is_empty() {
        return Err(Failure::Usage("the reset token is empty".into()));
    }
    if let Some(email) = &args.email
        && !is_plausible_email(email)
    {
        return Err(Failure::Usage(format!(
            "{email:?} is not a valid e-mail address"
        )));
    }
    let caps = connection::capabilities_for_anyone(client).await?;
    let password = prompt::new_password(args.password.password_stdin, "New password")
        .map_err(Failure::Usage)?;
    if caps.reset.failed_apply_burns_token && password.chars().count() < MIN_NEW_PASSWORD_CHARS {
        return Err(Failure::Usage(format!(
            "the new password must have at least {MIN_NEW_PASSWORD_CHARS} characters; nothing \
             was sent, so the token still works (on this server a failed reset spends it)"
        )));
    }
    if args.email.is_some() && !caps.reset.apply_takes_email {
        console::note("note: this server takes the e-mail from the token; --email is not sent");
    }
    let user = client
        .reset_password(&ResetPassword {
            token,
            password,
            email: args.email.filter(|_| caps.reset.apply_takes_email),
        })
        .await?;
    match (user, args.out.json) {
        (Some(user), true) => print_json(&UserEnvelope { user })?,
        // v2 answers without the user; print its own answer.
        (None, true) => print_json(&serde_json::json!({ "success": true }))?,
        (Some(user), false) => console::print(&sentence(&format!(
            "Password changed for {}. Older reset tokens no longer work.",
            user.email
        )))?,
        (None, false) => console::print(&sentence(
            "Password changed; log in with the new password. Older reset tokens no longer work.",
        ))?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reset_link_follows_the_dashboard_route() {
        let link = |base: &str| {
            crate::api::reset_link(&admin_url(base).unwrap(), "a.b-c_d", "ada@example.com")
                .to_string()
        };
        assert_eq!(
            link("https://shop.example.com/app"),
            "https://shop.example.com/app/reset-password?token=a.b-c_d&email=ada%40example.com"
        );
        assert_eq!(
            link("https://shop.example.com/app/"),
            "https://shop.example.com/app/reset-password?token=a.b-c_d&email=ada%40example.com"
        );
        assert_eq!(
            link("http://localhost:9000"),
            "http://localhost:9000/reset-password?token=a.b-c_d&email=ada%40example.com"
        );
        assert!(admin_url("ftp://x.example.com").is_err());
        assert!(admin_url("not a url").is_err());
        assert!(admin_url("mailto:a@b.co").is_err());
    }
}
