//! `medusa-users users …`: each subcommand is one client call (or a page loop, or v2's
//! three-step create), printed as a table, a key–value view or the server's JSON. What a flag
//! may do is decided on the server's capabilities: a flag that cannot work there is a usage
//! error (2) before anything is sent.
//!
//! Here: running a `users` command (checks first, then connecting, then the verb) and what the
//! other commands borrow (the id and e-mail checks, printing a user or JSON). The verbs with more
//! to them than a call and a print have a module each: `list`, `create`, `update`, `delete`,
//! `password` (reset tokens); `precheck` is what is refused before anything is asked or sent.

mod create;
mod delete;
mod list;
mod password;
mod precheck;
mod update;

use serde::Serialize;

use super::connection::{self, Needs};
use super::failure::Failure;
use super::output::{UserFields, user_details};
use super::{Globals, PasswordTokenArgs, UserOutput, UsersCommand, console};
use crate::api::{ApiError, Client, Identity, User, UserEnvelope, is_plausible_email};
use crate::connect::ConnectArgs;
use create::create;
use delete::delete;
use list::list;
use password::{mint_token, reset_password};
use precheck::precheck;
use update::update;

/// How `users get` names the signed-in user.
const ME: &str = "me";

pub async fn run(args: &ConnectArgs, globals: Globals, cmd: UsersCommand) -> i32 {
    // Check what can be checked before asking for passwords or touching the network.
    if let Err(f) = precheck(&cmd, args) {
        return f.report();
    }
    let needs = match cmd {
        // Applying a reset token and asking for one take no credentials.
        UsersCommand::ResetPassword(_) => Needs::Nothing,
        UsersCommand::PasswordToken(PasswordTokenArgs { print: false, .. }) => Needs::Nothing,
        _ => Needs::Admin,
    };
    let production = globals.production.clone();
    connection::run(args, globals, needs, move |client| async move {
        dispatch(&client, cmd, production.as_deref()).await
    })
    .await
}

/// A user id as the server needs it: not empty. (The client refuses an empty id too, but as
/// invalid data; caught here it is a usage error, like every check made before sending.)
pub(super) fn check_id(id: &str, what: &str) -> Result<(), Failure> {
    if id.trim().is_empty() {
        return Err(Failure::Usage(format!("the {what} id is empty")));
    }
    Ok(())
}

pub(super) fn check_email(email: &str) -> Result<(), Failure> {
    if is_plausible_email(email) {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "{email:?} is not a valid e-mail address"
        )))
    }
}

/// Runs a connected command; `production` names the production profile in use, whose
/// deletions want its name typed.
async fn dispatch(
    client: &Client,
    cmd: UsersCommand,
    production: Option<&str>,
) -> Result<(), Failure> {
    match cmd {
        UsersCommand::List(args) => list(client, args).await,
        // It may ask many stores: `cli::run` sends it to `across::find` before connecting.
        UsersCommand::Find(_) | UsersCommand::Offboard(_) => Err(Failure::Other(
            "users find and offboard run before connecting; this is a bug".to_owned(),
        )),
        UsersCommand::Get { id, out } => {
            let user = if id.trim() == ME {
                me(client).await?
            } else {
                client.retrieve(&id).await?
            };
            print_user(client, &user, &out).await
        }
        UsersCommand::Create(args) => create(client, args).await,
        UsersCommand::Update(args) => update(client, args).await,
        UsersCommand::Delete(args) => delete(client, args, production).await,
        UsersCommand::PasswordToken(args) if args.print => mint_token(client, args).await,
        UsersCommand::PasswordToken(args) => {
            // The group makes --email required without --id, and --id requires --print.
            let Some(email) = args.email else {
                return Err(Failure::Usage("give --email (or --id with --print)".into()));
            };
            client.send_reset_password_token(&email).await?;
            console::note(&format!(
                "Requested a reset token for {email}. Medusa sends it through its notification \
                 plugin (no e-mail leaves without one); for security the server answers the same \
                 whether or not the address belongs to a user. Tokens expire after 15 minutes."
            ));
            Ok(())
        }
        UsersCommand::ResetPassword(args) => reset_password(client, args).await,
    }
}

/// The signed-in user. A v2 secret API key belongs to nobody: that is "not found" (4), like
/// any id that names no user, with a message that says why.
async fn me(client: &Client) -> Result<User, Failure> {
    match client.identity().await? {
        Identity::User(user) => Ok(*user),
        Identity::SecretKey => Err(Failure::Api(ApiError::NotFound {
            message: "signed in with a secret API key, which belongs to no user; give a user id \
                      instead of `me`"
                .into(),
        })),
    }
}

/// One user, as the key–value view (with the fields this server's users have) or `{"user"}`.
pub(super) async fn print_user(
    client: &Client,
    user: &User,
    out: &UserOutput,
) -> Result<(), Failure> {
    if out.json {
        return print_json(&UserEnvelope { user: user.clone() });
    }
    let caps = connection::capabilities_for_anyone(client).await?;
    console::print(&user_details(user, out.show_tokens, UserFields::of(&caps)))?;
    Ok(())
}

/// JSON exactly as serde writes it: control characters in strings are already escaped
/// (`\u001b`), so nothing in it can drive a terminal, and it must stay byte-exact for `jq`.
pub(super) fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Other(format!("cannot encode JSON: {e}")))?;
    console::print(&format!("{text}\n"))?;
    Ok(())
}
