//! `users create`: one call on v1; on v2 the invite → register → accept steps, named as they
//! run, with a hint that says what an interrupted or failed create left and how to finish or
//! clean up.

use std::sync::atomic::{AtomicU8, Ordering};

use super::print_user;
use crate::api::{Client, CreateFlow, CreateStep, CreateUser, ListParams, User};
use crate::cli::connection::not_here;
use crate::cli::failure::Failure;
use crate::cli::{CreateArgs, console, prompt};

pub(super) async fn create(client: &Client, args: CreateArgs) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    if args.role.is_some() && !caps.roles {
        return Err(not_here("--role", &caps, "has no user roles"));
    }
    let password = prompt::new_password(
        args.password.password_stdin,
        &format!("Password for {}", args.email),
    )
    .map_err(Failure::Usage)?;
    let body = CreateUser {
        email: args.email.trim().to_owned(),
        password,
        first_name: args.first_name.filter(|s| !s.is_empty()),
        last_name: args.last_name.filter(|s| !s.is_empty()),
        role: args.role,
    };
    let user = match caps.create {
        CreateFlow::Direct => client.create(&body).await?,
        CreateFlow::InviteRegisterAccept => create_in_steps(client, &body).await?,
    };
    print_user(client, &user, &args.out).await
}

/// v2's invite → register → accept, each step named on stderr as it starts. A failure after
/// step 1 began gets a hint saying what was left, what running the command again does, and how
/// to clean up instead: the client's error names the step and the cause, but a long cause can
/// push the rest past the end of the error line, and a timeout says nothing of the step at all.
/// Ctrl-C is caught while the steps run (not before, so a password prompt still dies at once)
/// for the same reason: an abandoned create may leave a pending invite and a login, and the
/// operator should be told which and how to remove them, not left to guess.
async fn create_in_steps(client: &Client, body: &CreateUser) -> Result<User, Failure> {
    let reached = AtomicU8::new(0);
    let progress = |step: CreateStep| {
        reached.store(step.number(), Ordering::Relaxed);
        console::note(&format!("step {}/3: {}…", step.number(), step.describe()));
    };
    let email = body.email.trim().to_lowercase();
    let outcome = tokio::select! {
        outcome = client.create_with_progress(body, &progress) => outcome,
        // If the handler cannot be installed, the create simply runs without it.
        Ok(()) = tokio::signal::ctrl_c() => {
            let step = reached.load(Ordering::Relaxed);
            let message = match step {
                0 => "interrupted (Ctrl-C) before anything was sent".to_owned(),
                n => format!("interrupted (Ctrl-C) during step {n}/3 of the create"),
            };
            let failure = Failure::Interrupted(message);
            return Err(match step {
                0 => failure,
                n => failure.with_hint(leftovers_hint(client, &email, n).await),
            });
        }
    };
    match outcome {
        Ok(user) => Ok(user),
        Err(e) if e.kind() == crate::api::ErrorKind::Usage => Err(e.into()),
        Err(e) => match reached.load(Ordering::Relaxed) {
            0 => Err(e.into()),
            n => Err(Failure::Api(e).with_hint(leftovers_hint(client, &email, n).await)),
        },
    }
}

/// What an abandoned v2 create left, looked up (briefly: the server may be what failed) so the
/// hint can name the invite to revoke. `step` is the step that was running (1–3).
async fn leftovers_hint(client: &Client, email: &str, step: u8) -> String {
    let look = std::time::Duration::from_secs(5);
    let invites = crate::api::InviteListParams {
        email: Some(email.to_owned()),
        ..crate::api::InviteListParams::default()
    };
    let users = ListParams {
        email: Some(email.to_owned()),
        ..ListParams::default()
    };
    // None: the lookup failed or took too long, so the hint cannot say for sure.
    let invite: Option<Option<String>> =
        match tokio::time::timeout(look, client.list_invites(&invites)).await {
            Ok(Ok(page)) => Some(page.invites.into_iter().next().map(|i| i.id)),
            _ => None,
        };
    if step == 3
        && let Ok(Ok(page)) = tokio::time::timeout(look, client.list(&users)).await
        && let Some(user) = page.users.first()
    {
        return format!(
            "the user {email} was made ({}) before the stop; nothing is left to clean up",
            user.id
        );
    }
    let revoke = match &invite {
        Some(Some(id)) => format!("`medusa-users invites revoke {id}`"),
        _ => format!(
            "`medusa-users invites revoke ID` (the ID from `medusa-users invites list --search \
             {email}`)"
        ),
    };
    let login = "a login for it may have been registered as well, with no user: no API call \
                 removes one, and only the same password can finish a create for that e-mail \
                 (finishing it and then `medusa-users users delete ID` removes the login too)";
    match (step, &invite) {
        (1, Some(None)) => "the create stopped at step 1/3 (invite) before the invite was made: \
                            nothing was left; run the same command again"
            .to_owned(),
        (1, _) => format!(
            "the create stopped at step 1/3 (invite): the invite for {email} may be pending. Run \
             the same command again to finish (it never makes a second invite or user), or \
             revoke the invite: {revoke}"
        ),
        (_, Some(None)) => format!(
            "the create stopped at step {step}/3 and no invite for {email} is pending: run the \
             same command again (same e-mail and password) to start over; {login}"
        ),
        (2, _) => format!(
            "the create stopped at step 2/3: the invite for {email} is pending. Once the cause is \
             fixed, run the same command again (same e-mail and password) to finish; to give up, \
             revoke the invite: {revoke}; {login}"
        ),
        _ => format!(
            "the create stopped at step 3/3: the invite for {email} is pending and its login is \
             registered. Run the same command again with the same password to finish; to give \
             up, revoke the invite: {revoke}; the login stays (no API call removes it), and only \
             the same password can finish a create for {email} later"
        ),
    }
}
