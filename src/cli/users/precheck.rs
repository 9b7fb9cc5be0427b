//! What a `users` command refuses before asking for a password or touching the network: a
//! change in read-only mode, an empty id, an implausible e-mail, flags that contradict each other,
//! a delete nobody can confirm.

use super::password::admin_url;
use super::update::update_body;
use super::{check_email, check_id};
use crate::api::Operation;
use crate::cli::failure::Failure;
use crate::cli::{UsersCommand, list_format, prompt};
use crate::connect::ConnectArgs;

pub(super) fn precheck(cmd: &UsersCommand, args: &ConnectArgs) -> Result<(), Failure> {
    // The client refuses mutations in read-only mode too; refusing here as well means no
    // preparatory request (delete's look-up, a login) is sent for a command that cannot run.
    let op = match cmd {
        UsersCommand::List(_) | UsersCommand::Find(_) => Operation::ListUsers,
        UsersCommand::Get { .. } => Operation::GetUser,
        UsersCommand::Create(_) => Operation::CreateUser,
        UsersCommand::Update(_) => Operation::UpdateUser,
        UsersCommand::Delete(_) | UsersCommand::Offboard(_) => Operation::DeleteUser,
        // Minting voids the user's earlier tokens: a change, like sending one.
        UsersCommand::PasswordToken(a) if a.print => Operation::MintResetToken,
        UsersCommand::PasswordToken(_) => Operation::SendResetToken,
        UsersCommand::ResetPassword(_) => Operation::ResetPassword,
    };
    op.check(args.read_only).map_err(Failure::Api)?;
    // The address to log in with, before a password is asked for it.
    if let Some(email) = args.email.as_deref().filter(|e| !e.trim().is_empty()) {
        check_email(email.trim())?;
    }
    match cmd {
        UsersCommand::Get { id, .. } => check_id(id, "user"),
        UsersCommand::Create(a) => check_email(&a.email),
        UsersCommand::PasswordToken(a) => {
            if let Some(email) = &a.email {
                check_email(email)?;
            }
            if let Some(id) = &a.id {
                check_id(id, "user")?;
            }
            if let Some(url) = &a.admin_url {
                admin_url(url)?;
            }
            Ok(())
        }
        UsersCommand::Update(a) => {
            check_id(&a.id, "user")?;
            update_body(a).map(|_| ())
        }
        UsersCommand::Delete(a) => {
            check_id(&a.id, "user")?;
            if !a.yes && !prompt::stdin_is_terminal() {
                return Err(Failure::Usage(
                    "refusing to delete without confirmation: stdin is not a terminal; pass --yes"
                        .into(),
                ));
            }
            Ok(())
        }
        UsersCommand::ResetPassword(a) => match &a.email {
            Some(email) => check_email(email),
            None => Ok(()),
        },
        UsersCommand::List(a) => list_format(a.format, a.json)
            .map(|_| ())
            .map_err(Failure::Usage),
        UsersCommand::Find(a) => check_email(a.email.trim()),
        UsersCommand::Offboard(a) => check_email(a.email.trim()),
    }
}
