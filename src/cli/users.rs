//! `medusa-users users …`: each subcommand is one client call (or a page loop, or v2's
//! three-step create), printed as a table, a key–value view or the server's JSON. What a flag
//! may do is decided on the server's capabilities: a flag that cannot work there is a usage
//! error (2) before anything is sent.

use std::sync::atomic::{AtomicU8, Ordering};

use secrecy::ExposeSecret;
use serde::Serialize;
use serde_json::{Map, Value};

use super::connection::{self, Needs, not_here};
use super::failure::Failure;
use super::output::{UserFields, page_summary, sentence, user_csv, user_details, user_table};
use super::{
    CreateArgs, DeleteArgs, Globals, ListArgs, ListFormat, PasswordTokenArgs, ResetArgs,
    UpdateArgs, UserOutput, UsersCommand, console, list_format, prompt,
};
use crate::api::client::MIN_NEW_PASSWORD_CHARS;
use crate::api::{
    ApiError, Client, CreateFlow, CreateStep, CreateUser, Identity, ListParams, Operation,
    ResetPassword, UpdateUser, User, UserEnvelope, is_plausible_email,
};
use crate::connect::ConnectArgs;

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
    connection::run(args, globals, needs, move |client| async move {
        dispatch(&client, cmd).await
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

/// `--admin-url`: an http(s) address the reset link can be built on.
fn admin_url(raw: &str) -> Result<url::Url, Failure> {
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

fn precheck(cmd: &UsersCommand, args: &ConnectArgs) -> Result<(), Failure> {
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

async fn dispatch(client: &Client, cmd: UsersCommand) -> Result<(), Failure> {
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
        UsersCommand::Delete(args) => delete(client, args).await,
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

async fn list(client: &Client, args: ListArgs) -> Result<(), Failure> {
    let format = list_format(args.format, args.json).map_err(Failure::Usage)?;
    let caps = client.capabilities().await?;
    if !args.role.is_empty() && !caps.roles {
        return Err(not_here(
            "--role",
            &caps,
            "has no user roles, so there is no role to filter by",
        ));
    }
    if let Some(order) = args.order
        && !caps.can_order_by(order.field)
    {
        let fields: Vec<&str> = caps.order_fields.iter().map(|f| f.column()).collect();
        return Err(Failure::Usage(format!(
            "--order {order}: this server ({}) cannot sort users by {}; choose one of {} \
             (prefix - for descending)",
            caps.label,
            order.field.column(),
            fields.join(", ")
        )));
    }
    if caps.search_wildcards
        && let Some(q) = args.search.as_deref().filter(|q| q.contains(['%', '_']))
    {
        console::note(&format!(
            "note: this server does not escape % and _ in a search: in \"{q}\" they match any \
             characters, so more users may match than the text says"
        ));
    }
    let params = ListParams {
        limit: args.limit,
        offset: args.offset,
        q: args.search,
        order: args.order,
        roles: args.role,
        email: args.email.map(|e| e.trim().to_lowercase()),
    };
    let page = if args.all {
        client.list_all(&params).await?
    } else {
        client.list(&params).await?
    };
    match format {
        // Streamed: with --all the result can be large, and the text need not exist twice.
        ListFormat::Json => return Ok(console::print_json(&page)?),
        ListFormat::Csv => {
            let csv = user_csv(
                &page.users,
                UserFields::of(&caps),
                console::stdout_is_terminal(),
            )
            .map_err(Failure::Other)?;
            console::print_bytes(&csv)?;
        }
        ListFormat::Table => console::print(&user_table(
            &page.users,
            console::table_width(),
            UserFields::of(&caps),
        ))?,
    }
    // The summary goes to stderr so piped output is rows only; `print` has flushed, so on a
    // terminal it still comes after the table.
    console::note(&page_summary(&page));
    Ok(())
}

async fn create(client: &Client, args: CreateArgs) -> Result<(), Failure> {
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

async fn update(client: &Client, args: UpdateArgs) -> Result<(), Failure> {
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
fn update_body(args: &UpdateArgs) -> Result<UpdateUser, Failure> {
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

async fn delete(client: &Client, args: DeleteArgs) -> Result<(), Failure> {
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
        let confirmed =
            prompt::confirm(&question).map_err(|e| Failure::Other(format!("cannot read: {e}")))?;
        if !confirmed {
            // A refused confirmation is a usage outcome (2), so a script or a shell `&&` chain
            // never takes "not deleted" for success.
            return Err(Failure::Usage(format!(
                "not deleted: {} was kept (only y or yes confirms)",
                user.email
            )));
        }
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

/// `password-token --print`: mint a token as an admin and print it, the one place a token is
/// printed, because the operator asked for it.
async fn mint_token(client: &Client, args: PasswordTokenArgs) -> Result<(), Failure> {
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

async fn reset_password(client: &Client, args: ResetArgs) -> Result<(), Failure> {
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
