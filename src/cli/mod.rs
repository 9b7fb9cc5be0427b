//! The command-line face: `medusa-users users list|get|create|update|delete|password-token|
//! reset-password` for scripts, and `medusa-users sandbox` to run the embedded backend.
//! With no subcommand the binary opens the TUI (see `main.rs`).

pub mod output;
mod prompt;
mod session;
mod users;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::api::{Order, Role};
use crate::connect::ConnectArgs;

/// Exit codes (README "Exit codes").
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "medusa-users",
    version,
    about = "Manage the admin users of a Medusa store from the terminal",
    long_about = "Manage the admin users of a Medusa store from the terminal.\n\n\
        With no command, opens the interactive console (TUI). The `users` commands do the same \
        for scripts; `sandbox` runs a local Medusa-compatible backend to try it all.",
    after_help = "Exit codes: 0 ok, 2 usage, 3 unauthorized, 4 not found, 5 invalid data, \
        6 server error, 7 network or timeout."
)]
pub struct Cli {
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Rows per page in the console
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub page_size: u32,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, create, update and delete admin users; reset passwords
    #[command(subcommand)]
    Users(UsersCommand),
    /// Run the embedded Medusa-compatible sandbox backend in the foreground
    Sandbox(SandboxArgs),
    /// Log in with e-mail and password and remember the session (24 h) for this backend
    Login,
    /// Forget the remembered session for this backend
    Logout,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users, one page (or every page with --all)
    List(ListArgs),
    /// Show one user
    Get {
        /// User id (usr_…)
        id: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Create a user; the password is prompted for (or read with --password-stdin)
    Create(CreateArgs),
    /// Change a user's name, role, API token or metadata
    Update(UpdateArgs),
    /// Delete a user (asks first unless --yes)
    Delete {
        /// User id (usr_…)
        id: String,
        /// Do not ask for confirmation
        #[arg(short, long)]
        yes: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Ask Medusa to send a password-reset token to an e-mail address
    PasswordToken {
        #[arg(long)]
        email: String,
    },
    /// Set a new password with a reset token (token and password are prompted for if not given)
    ResetPassword(ResetArgs),
}

#[derive(Debug, Clone, Args, Default)]
pub struct OutputArgs {
    /// Print the server's JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// Show API tokens unmasked in human output
    #[arg(long)]
    pub show_tokens: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Page size (the server's default is 50)
    #[arg(long)]
    pub limit: Option<u32>,
    /// Users to skip
    #[arg(long)]
    pub offset: Option<u64>,
    /// Search e-mail, first and last name
    #[arg(long)]
    pub q: Option<String>,
    /// Sort: email, first_name, last_name, role, created_at, updated_at; prefix - for descending
    #[arg(long, value_parser = |s: &str| s.parse::<Order>(), allow_hyphen_values = true)]
    pub order: Option<Order>,
    /// Only users with this role (repeatable)
    #[arg(long, value_parser = |s: &str| s.parse::<Role>())]
    pub role: Vec<Role>,
    /// Only the user with this exact e-mail
    #[arg(long)]
    pub email: Option<String>,
    /// Page through everything and print one list
    #[arg(long, conflicts_with_all = ["limit", "offset"])]
    pub all: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct PasswordInput {
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
    /// admin, member (the server's default) or developer
    #[arg(long, value_parser = |s: &str| s.parse::<Role>())]
    pub role: Option<Role>,
    #[command(flatten)]
    pub password: PasswordInput,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// User id (usr_…)
    pub id: String,
    /// New first name ("" clears it)
    #[arg(long)]
    pub first_name: Option<String>,
    /// New last name ("" clears it)
    #[arg(long)]
    pub last_name: Option<String>,
    #[arg(long, value_parser = |s: &str| s.parse::<Role>())]
    pub role: Option<Role>,
    /// Set the user's API token
    #[arg(long = "api-token", value_name = "TOKEN")]
    pub api_token: Option<String>,
    /// Set a metadata key (KEY=VALUE, repeatable); KEY= removes the key
    #[arg(long, value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The reset token (prompted for without echo when omitted; safer than the command line)
    #[arg(long)]
    pub token: Option<String>,
    /// The user's e-mail (defaults to the one inside the token)
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub password: PasswordInput,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (loopback by default)
    #[arg(long, default_value = "127.0.0.1:9000")]
    pub addr: SocketAddr,
    /// SQLite database file (default: in your data directory)
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// File that receives one JSON line per password-reset event (default: next to the data)
    #[arg(long, value_name = "FILE")]
    pub outbox: Option<PathBuf>,
    /// Sample users to add when the database is new
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: usize,
}

/// Runs a parsed command line that has a subcommand; returns the process exit code.
pub async fn run(cli: Cli) -> i32 {
    match cli.command {
        Some(Command::Users(cmd)) => users::run(&cli.connect, cmd).await,
        Some(Command::Sandbox(args)) => run_sandbox(args).await,
        Some(Command::Login) => session::login(&cli.connect).await,
        Some(Command::Logout) => session::logout(&cli.connect),
        None => exit::USAGE,
    }
}

async fn run_sandbox(args: SandboxArgs) -> i32 {
    let Some(data) = args.data.or_else(crate::sandbox::default_data_path) else {
        eprintln!("error: no data directory for this user; pass --data FILE");
        return exit::USAGE;
    };
    let outbox = args
        .outbox
        .unwrap_or_else(|| data.with_file_name("sandbox-outbox.jsonl"));
    let config = crate::sandbox::SandboxConfig {
        addr: args.addr,
        data: Some(data),
        outbox: Some(outbox),
        seed: args.seed,
        jwt_secret: None,
        echo_events: true,
    };
    match crate::sandbox::run_foreground(config).await {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
