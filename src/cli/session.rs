//! `medusa-users login` / `logout`: remember or forget a JWT for a backend, so later commands
//! (and the TUI) need no password.

use secrecy::SecretString;

use super::{exit, prompt};
use crate::api::client::{DEFAULT_BASE_URL, parse_base_url};
use crate::api::{Client, Credentials, is_plausible_email};
use crate::connect::ConnectArgs;
use crate::session_store::SessionStore;

fn base_url(args: &ConnectArgs) -> Result<url::Url, String> {
    parse_base_url(args.url.as_deref().unwrap_or(DEFAULT_BASE_URL))
}

fn store() -> Result<SessionStore, String> {
    SessionStore::default_location().ok_or_else(|| "no config directory (is HOME set?)".to_owned())
}

pub async fn login(args: &ConnectArgs) -> i32 {
    let result = async {
        let url = base_url(args).map_err(|e| (exit::USAGE, e))?;
        let email = match &args.email {
            Some(e) => e.trim().to_owned(),
            None if prompt::stdin_is_terminal() => {
                eprint!("E-mail: ");
                prompt::stdin_line().map_err(|e| (exit::FAILURE, format!("cannot read: {e}")))?
            }
            None => {
                return Err((
                    exit::USAGE,
                    "give --email (or MEDUSA_ADMIN_EMAIL)".to_owned(),
                ));
            }
        };
        if !is_plausible_email(&email) {
            return Err((
                exit::USAGE,
                format!("{email:?} is not a valid e-mail address"),
            ));
        }
        let password = match std::env::var("MEDUSA_ADMIN_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
        {
            Some(p) => p,
            None if prompt::stdin_is_terminal() => {
                prompt::hidden(&format!("Password for {email}: "))
                    .map_err(|e| (exit::FAILURE, format!("cannot read the password: {e}")))?
            }
            None => {
                return Err((
                    exit::USAGE,
                    "no terminal to ask for the password on: set MEDUSA_ADMIN_PASSWORD".to_owned(),
                ));
            }
        };
        let options = args
            .client_options(url.clone())
            .map_err(|e| (exit::USAGE, e.to_string()))?;
        let client = Client::new(options, Credentials::None)
            .map_err(|e| (e.exit_code(), e.status_line()))?;
        let token: SecretString = client
            .login(&email, &password)
            .await
            .map_err(|e| (e.exit_code(), e.status_line()))?;
        let store = store().map_err(|e| (exit::FAILURE, e))?;
        store
            .save(url.as_str(), &email, &token)
            .map_err(|e| (exit::FAILURE, e))?;
        eprintln!(
            "Logged in to {} as {email}; the session is remembered in {} (Medusa JWTs last 24 h).",
            url.as_str().trim_end_matches('/'),
            store.path().display()
        );
        Ok(())
    }
    .await;
    match result {
        Ok(()) => exit::OK,
        Err((code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}

pub fn logout(args: &ConnectArgs) -> i32 {
    let result = base_url(args).and_then(|url| {
        let store = store()?;
        let had = store.forget(url.as_str())?;
        Ok((url, had))
    });
    match result {
        Ok((url, true)) => {
            eprintln!(
                "Forgot the session for {}.",
                url.as_str().trim_end_matches('/')
            );
            exit::OK
        }
        Ok((url, false)) => {
            eprintln!(
                "No remembered session for {}.",
                url.as_str().trim_end_matches('/')
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
