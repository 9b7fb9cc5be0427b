//! `medusa-users login` / `logout`: remember or forget a JWT for a backend, so later commands
//! (and the TUI) need no password.

use secrecy::SecretString;

use super::failure::{self, Failure};
use super::prompt;
use super::{Globals, console};
use crate::api::client::{DEFAULT_BASE_URL, parse_base_url};
use crate::api::{Client, Credentials, is_plausible_email};
use crate::connect::ConnectArgs;
use crate::session_store::SessionStore;

fn base_url(args: &ConnectArgs) -> Result<url::Url, Failure> {
    parse_base_url(args.url.as_deref().unwrap_or(DEFAULT_BASE_URL)).map_err(Failure::Usage)
}

fn store() -> Result<SessionStore, Failure> {
    SessionStore::default_location()
        .ok_or_else(|| Failure::Other("no config directory (is HOME set?)".to_owned()))
}

fn cannot_read(e: std::io::Error) -> Failure {
    Failure::Other(format!("cannot read from the terminal: {e}"))
}

pub async fn login(args: &ConnectArgs, globals: Globals) -> i32 {
    failure::exit_code(try_login(args, globals).await)
}

async fn try_login(args: &ConnectArgs, globals: Globals) -> Result<(), Failure> {
    let url = base_url(args)?;
    let email = match &args.email {
        Some(e) => e.trim().to_owned(),
        None if prompt::stdin_is_terminal() => {
            console::prompt("E-mail: ").map_err(cannot_read)?;
            prompt::stdin_line().map_err(cannot_read)?.trim().to_owned()
        }
        None => {
            return Err(Failure::Usage(
                "give --email before the command (or set MEDUSA_ADMIN_EMAIL)".to_owned(),
            ));
        }
    };
    if !is_plausible_email(&email) {
        return Err(Failure::Usage(format!(
            "{email:?} is not a valid e-mail address"
        )));
    }
    let password = match std::env::var("MEDUSA_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| {
            args.password
                .as_ref()
                .map(|p| secrecy::ExposeSecret::expose_secret(p).to_owned())
        }) {
        Some(p) => p,
        None if prompt::stdin_is_terminal() => {
            prompt::hidden(&format!("Password for {email}: ")).map_err(cannot_read)?
        }
        None => {
            return Err(Failure::Usage(
                "no terminal to ask for the password on: set MEDUSA_ADMIN_PASSWORD".to_owned(),
            ));
        }
    };
    let options = args
        .client_options(url.clone())
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let client = Client::new(options, Credentials::None)?;
    if globals.verbose {
        super::connection::announce(&client, globals.medusa_version_from).await?;
    }
    let token: SecretString = client.login(&email, &password).await?;
    let store = store()?;
    store
        .save(url.as_str(), &email, &token, client.known_dialect())
        .map_err(Failure::Other)?;
    console::note(&format!(
        "Logged in to {} as {email}; the session is remembered in {} (Medusa JWTs last 24 h).",
        url.as_str().trim_end_matches('/'),
        store.path().display()
    ));
    Ok(())
}

pub fn logout(args: &ConnectArgs) -> i32 {
    failure::exit_code(try_logout(args))
}

fn try_logout(args: &ConnectArgs) -> Result<(), Failure> {
    let url = base_url(args)?;
    let had = store()?.forget(url.as_str()).map_err(Failure::Other)?;
    let backend = url.as_str().trim_end_matches('/');
    if had {
        console::note(&format!("Forgot the session for {backend}."));
    } else {
        console::note(&format!("No remembered session for {backend}."));
    }
    Ok(())
}
