//! `medusa-users users …`: each subcommand is one client call (or a page loop), printed as a
//! table, a key–value view or the server's JSON.

use serde::Serialize;
use serde_json::{Map, Value};

use super::output::{page_summary, user_details, user_table};
use super::{CreateArgs, ListArgs, OutputArgs, ResetArgs, UpdateArgs, UsersCommand, exit, prompt};
use crate::api::{
    ApiError, Client, CreateUser, ListParams, ResetPassword, UpdateUser, User, UserEnvelope,
    is_plausible_email,
};
use crate::connect::{self, ConnectArgs, ConnectError, PasswordSource};

/// Why a command failed, and so which exit code it gets.
enum Failure {
    Api(ApiError),
    Usage(String),
    Other(String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl Failure {
    fn report(&self) -> i32 {
        match self {
            Failure::Api(e) => {
                eprintln!("error: {}", e.status_line());
                e.exit_code()
            }
            Failure::Usage(m) => {
                eprintln!("error: {m}");
                exit::USAGE
            }
            Failure::Other(m) => {
                eprintln!("error: {m}");
                exit::FAILURE
            }
        }
    }
}

pub async fn run(args: &ConnectArgs, cmd: UsersCommand) -> i32 {
    // Check what can be checked before asking for passwords or touching the network.
    if let Err(f) = precheck(&cmd, args.read_only) {
        return f.report();
    }
    let ask: &dyn Fn(&str) -> std::io::Result<String> = &prompt::hidden;
    let connection = match connect::connect(args, PasswordSource::Ask(ask)).await {
        Ok(c) => c,
        Err(ConnectError::Api(e)) => return Failure::Api(e).report(),
        Err(ConnectError::Usage(m)) => return Failure::Usage(m).report(),
        Err(e @ ConnectError::Sandbox(_)) => return Failure::Other(e.to_string()).report(),
    };
    for warning in &connection.warnings {
        eprintln!("warning: {warning}");
    }
    let anonymous = connection.client.credentials().is_none();
    let result = dispatch(&connection.client, cmd).await;
    if let Some(sandbox) = connection.sandbox {
        sandbox.shutdown().await;
    }
    match result {
        Ok(()) => exit::OK,
        Err(Failure::Api(e)) if anonymous && e.kind() == crate::api::ErrorKind::Unauthorized => {
            let code = Failure::Api(e).report();
            eprintln!(
                "hint: no credentials were given; set MEDUSA_API_TOKEN, pass --email, or run \
                 `medusa-users login` once"
            );
            code
        }
        Err(f) => f.report(),
    }
}

fn precheck(cmd: &UsersCommand, read_only: bool) -> Result<(), Failure> {
    // The client refuses mutations in read-only mode too; refusing here as well means no
    // preparatory request (delete's look-up, a login) is sent for a command that cannot run.
    let mutation = match cmd {
        UsersCommand::List(_) | UsersCommand::Get { .. } => None,
        UsersCommand::Create(_) => Some("create user"),
        UsersCommand::Update(_) => Some("update user"),
        UsersCommand::Delete { .. } => Some("delete user"),
        UsersCommand::PasswordToken { .. } => Some("send reset token"),
        UsersCommand::ResetPassword(_) => Some("reset password"),
    };
    if let Some(what) = mutation.filter(|_| read_only) {
        return Err(Failure::Api(ApiError::ReadOnly {
            what: what.to_owned(),
        }));
    }
    match cmd {
        UsersCommand::Create(a) if !is_plausible_email(&a.email) => Err(Failure::Usage(format!(
            "{:?} is not a valid e-mail address",
            a.email
        ))),
        UsersCommand::PasswordToken { email } if !is_plausible_email(email) => Err(Failure::Usage(
            format!("{email:?} is not a valid e-mail address"),
        )),
        UsersCommand::Update(a) => update_body(a).map(|_| ()),
        UsersCommand::Delete { yes: false, .. } if !prompt::stdin_is_terminal() => {
            Err(Failure::Usage(
                "refusing to delete without confirmation: stdin is not a terminal; pass --yes"
                    .into(),
            ))
        }
        _ => Ok(()),
    }
}

async fn dispatch(client: &Client, cmd: UsersCommand) -> Result<(), Failure> {
    match cmd {
        UsersCommand::List(args) => list(client, args).await,
        UsersCommand::Get { id, out } => {
            let user = client.retrieve(&id).await?;
            print_user(&user, &out)
        }
        UsersCommand::Create(args) => create(client, args).await,
        UsersCommand::Update(args) => {
            let body = update_body(&args)?;
            let user = client.update(&args.id, &body).await?;
            print_user(&user, &args.out)
        }
        UsersCommand::Delete { id, yes, out } => delete(client, &id, yes, &out).await,
        UsersCommand::PasswordToken { email } => {
            client.send_reset_password_token(&email).await?;
            eprintln!(
                "Requested a reset token for {email}. Medusa sends it through its notification \
                 plugin (no e-mail leaves without one); for security the server answers the same \
                 whether or not the address belongs to a user. Tokens expire after 15 minutes."
            );
            Ok(())
        }
        UsersCommand::ResetPassword(args) => reset_password(client, args).await,
    }
}

async fn list(client: &Client, args: ListArgs) -> Result<(), Failure> {
    let params = ListParams {
        limit: args.limit,
        offset: args.offset,
        q: args.q,
        order: args.order,
        roles: args.role,
        email: args.email.map(|e| e.trim().to_lowercase()),
    };
    let page = if args.all {
        client.list_all(&params).await?
    } else {
        client.list(&params).await?
    };
    if args.out.json {
        return print_json(&page);
    }
    print!("{}", user_table(&page.users));
    // The summary goes to stderr so piped output is rows only; flush first so that on a
    // terminal it still comes after the table.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    eprintln!("{}", page_summary(&page));
    Ok(())
}

async fn create(client: &Client, args: CreateArgs) -> Result<(), Failure> {
    let password = prompt::new_password(
        args.password.password_stdin,
        &format!("Password for {}", args.email),
    )
    .map_err(Failure::Usage)?;
    let user = client
        .create(&CreateUser {
            email: args.email.trim().to_owned(),
            password,
            first_name: args.first_name.filter(|s| !s.is_empty()),
            last_name: args.last_name.filter(|s| !s.is_empty()),
            role: args.role,
        })
        .await?;
    print_user(&user, &args.out)
}

/// The update body from the flags: `""` clears a name, `KEY=VALUE` sets a metadata string,
/// `KEY:=JSON` a JSON value, and `KEY=` removes the key (Medusa deletes keys set to "").
fn update_body(args: &UpdateArgs) -> Result<UpdateUser, Failure> {
    let name = |v: &Option<String>| {
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
        first_name: name(&args.first_name),
        last_name: name(&args.last_name),
        role: args.role,
        api_token: args.api_token.clone(),
        metadata: (!metadata.is_empty()).then_some(metadata),
    };
    if body.is_empty() {
        return Err(Failure::Usage(
            "nothing to update: give --first-name, --last-name, --role, --api-token or --metadata"
                .into(),
        ));
    }
    Ok(body)
}

async fn delete(client: &Client, id: &str, yes: bool, out: &OutputArgs) -> Result<(), Failure> {
    // Look first: Medusa answers 200 even for an id that does not exist, which would hide a
    // typo; and the confirmation should name the user, not just an id.
    let user = client.retrieve(id).await?;
    if !yes {
        let question = format!(
            "Delete {} user {} ({})? This cannot be undone from here.",
            user.role, user.email, user.id
        );
        let confirmed =
            prompt::confirm(&question).map_err(|e| Failure::Other(format!("cannot read: {e}")))?;
        if !confirmed {
            eprintln!("Not deleted.");
            return Ok(());
        }
    }
    let deleted = client.delete(&user.id).await?;
    if out.json {
        return print_json(&deleted);
    }
    println!("Deleted {} ({})", user.email, deleted.id);
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
    let password = prompt::new_password(args.password.password_stdin, "New password")
        .map_err(Failure::Usage)?;
    let user = client
        .reset_password(&ResetPassword {
            token,
            password,
            email: args.email,
        })
        .await?;
    if args.out.json {
        return print_json(&UserEnvelope { user });
    }
    println!(
        "Password changed for {}. Older reset tokens no longer work.",
        user.email
    );
    Ok(())
}

fn print_user(user: &User, out: &OutputArgs) -> Result<(), Failure> {
    if out.json {
        return print_json(&UserEnvelope { user: user.clone() });
    }
    print!("{}", user_details(user, out.show_tokens));
    Ok(())
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Other(format!("cannot encode JSON: {e}")))?;
    println!("{text}");
    Ok(())
}
