//! What every command that talks to a server does around its own work: connect as the global
//! flags say (start the sandbox, log in), print the connection's warnings, say which Medusa it
//! is under `--verbose`, run the command, stop the sandbox, and turn the outcome into an exit
//! code (with a hint when a 401 came from giving no credentials at all).

use std::future::Future;

use super::failure::Failure;
use super::{Globals, VersionFrom, console, exit, prompt};
use crate::api::{Capabilities, Client, DialectChoice, ErrorKind};
use crate::connect::{self, ConnectArgs, ConnectError, PasswordSource};

/// Whether the command acts as an admin (most do) or needs no credentials at all (accepting an
/// invite, applying a reset token): only the first get the "no credentials" hint on a 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Admin,
    Nothing,
}

/// Connects, runs `body` with the client, and returns the exit code.
pub async fn run<F, Fut>(args: &ConnectArgs, globals: Globals, needs: Needs, body: F) -> i32
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<(), Failure>>,
{
    let ask: &(dyn Fn(&str) -> std::io::Result<String> + Sync) = &prompt::hidden;
    let connection = match connect::connect(args, PasswordSource::Ask(ask)).await {
        Ok(c) => c,
        Err(ConnectError::Api(e)) => return Failure::Api(e).report(),
        Err(ConnectError::Usage(m)) => return Failure::Usage(m).report(),
        Err(e @ ConnectError::Sandbox(_)) => return Failure::Other(e.to_string()).report(),
    };
    for warning in &connection.warnings {
        console::warning(warning);
    }
    connect::refresh_remembered_session(&connection).await;
    let client = connection.client.clone();
    let anonymous = client.credentials().is_none();
    let result = async {
        if globals.verbose {
            announce(&client, globals.medusa_version_from).await?;
        }
        body(client).await
    }
    .await;
    if let Some(sandbox) = connection.sandbox {
        sandbox.shutdown().await;
    }
    match result {
        Ok(()) => exit::OK,
        Err(Failure::Api(e))
            if anonymous && needs == Needs::Admin && e.kind() == ErrorKind::Unauthorized =>
        {
            Failure::Api(e)
                .with_hint(
                    "no credentials were given; set MEDUSA_API_TOKEN, pass --email, or run \
                     `medusa-users login` once",
                )
                .report()
        }
        Err(f) => f.report(),
    }
}

/// `--verbose`: one line on stderr, `Medusa v2 at http://… (detected)`. Finding the dialect
/// may ask the server (the probe sends no credentials); if that fails, the command would fail
/// the same way, so the error ends it here. Credentials that do not fit the dialect are the
/// command's to report: the line is printed all the same.
pub async fn announce(client: &Client, from: VersionFrom) -> Result<(), Failure> {
    if let Err(e) = client.dialect().await
        && client.known_dialect().is_none()
    {
        return Err(e.into());
    }
    let Some(caps) = client.known_capabilities() else {
        return Ok(());
    };
    let how = match (client.dialect_choice(), from) {
        (DialectChoice::Auto, _) => "detected".to_owned(),
        (choice, VersionFrom::CommandLine) => format!("--medusa-version {choice}"),
        (choice, VersionFrom::Environment) => format!("MEDUSA_VERSION={choice}"),
        (choice, VersionFrom::Config) => format!("medusa_version = {choice} in the config file"),
        // Fixed without being asked: `--sandbox` knows what its own sandbox speaks.
        (_, VersionFrom::Default) => "the embedded sandbox".to_owned(),
    };
    let url = client.base_url().as_str().trim_end_matches('/').to_owned();
    tracing::info!("{} at {url} ({how})", caps.label);
    console::note(&format!("{} at {url} ({how})", caps.label));
    Ok(())
}

/// What the server can do, for a command that needs no credentials: credentials that do not
/// fit the server (a v1 token given to a v2 server) are no reason to refuse it.
pub async fn capabilities_for_anyone(client: &Client) -> Result<Capabilities, Failure> {
    match client.capabilities().await {
        Ok(caps) => Ok(caps),
        Err(e) => client.known_capabilities().ok_or(Failure::Api(e)),
    }
}

/// A usage error that names the flag and the server: `--role: this server (Medusa v2) has no
/// user roles; leave --role out`. The label is for the reader only; the decision was made on
/// the capabilities.
pub fn not_here(flag: &str, caps: &Capabilities, what: &str) -> Failure {
    Failure::Usage(format!(
        "{flag}: this server ({}) {what}; leave {flag} out",
        caps.label
    ))
}

/// `--order ORDER` naming a field this server cannot sort `things` (users, invites) by: the
/// refusal names the field and the ones it can sort by (`fields`), for both lists alike.
pub fn cannot_sort(
    order: impl std::fmt::Display,
    caps: &Capabilities,
    things: &str,
    field: &str,
    fields: &[&str],
) -> Failure {
    Failure::Usage(format!(
        "--order {order}: this server ({}) cannot sort {things} by {field}; choose one of {} \
         (prefix - for descending)",
        caps.label,
        fields.join(", ")
    ))
}
