//! The command-line face: `medusa-users users list|get|create|update|delete|password-token|
//! reset-password` and `medusa-users invites list|get|create|resend|revoke|accept` for scripts,
//! `medusa-users sandbox` to run the embedded backend, and `medusa-users completions|man`, which
//! describe the command line itself. With no subcommand the binary opens the TUI (see
//! `main.rs`).
//!
//! Commands never ask which Medusa version the server is: they ask the client's
//! [`crate::api::Capabilities`] what it can do, and refuse a flag that cannot work there with a
//! usage error before anything is sent.
//!
//! The clap definition of the command line lives in `args` (re-exported here); this module
//! runs a parsed command line: it sends each command to the module that carries it out.
// The doc comments of the clap definitions (`args`) are clap's --help text, written for a
// terminal, not rustdoc: a bare URL or an <URL> placeholder is what the operator should read.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags)]

mod across;
mod args;
mod config_cmd;
mod connection;
pub mod console;
mod docs;
mod failure;
mod invites;
pub mod output;
pub mod parse;
pub mod progress;
mod prompt;
mod session;
mod users;

pub use args::{
    AcceptArgs, Cli, Command, ConfigCommand, CreateArgs, DeleteArgs, FindArgs, Globals,
    InviteCreateArgs, InviteListArgs, InviteOutput, InvitesCommand, JsonOutput, ListArgs,
    ListFormat, ManArgs, OffboardArgs, PasswordInput, PasswordTokenArgs, ProfileAddArgs,
    ProfilesCommand, ResetArgs, SandboxArgs, UpdateArgs, UserOutput, UsersCommand, VersionFrom,
    list_format,
};

/// Exit codes (README "Exit codes"); the API error classes get theirs from [`exit::for_api`].
pub mod exit {
    pub const OK: i32 = 0;
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
    /// 128 + SIGINT: what a shell reports for a command Ctrl-C stopped, kept when the command
    /// catches Ctrl-C to say what it left behind.
    pub const INTERRUPTED: i32 = 130;

    /// The exit code for an API error (see README: 3 unauthorized, 4 not found, 5 invalid
    /// data, 6 server error, 7 network or timeout). The client classifies errors; what a
    /// class means to a shell is decided here, in the CLI.
    pub fn for_api(error: &crate::api::ApiError) -> i32 {
        use crate::api::ErrorKind;
        match error.kind() {
            ErrorKind::Unauthorized => 3,
            ErrorKind::NotFound => 4,
            ErrorKind::InvalidData => 5,
            ErrorKind::Server | ErrorKind::Decode => 6,
            ErrorKind::Network | ErrorKind::Timeout => 7,
            // The invocation asked for something its own --read-only forbids, or for
            // something that cannot work: refused before sending.
            ErrorKind::ReadOnly | ErrorKind::Usage => USAGE,
        }
    }
}

/// The exit-code footer of every `--help` (the README's table, in one paragraph).
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 ok (also when the reader closes the output \
    early, as `| head` does), 1 unexpected failure, 2 usage (bad flags, invalid input, a refused \
    confirmation), 3 unauthorized, 4 not found, 5 invalid data (the server said no), 6 server \
    error, 7 network or timeout, 130 stopped by Ctrl-C (what was left is said).";

/// Runs a parsed command line that has a subcommand; returns the process exit code.
pub async fn run(mut cli: Cli) -> i32 {
    let mut globals = Globals {
        verbose: cli.verbose,
        medusa_version_from: cli.medusa_version_from,
        production: None,
    };
    let across = !cli.connect.profiles.is_empty() || cli.connect.all_profiles;
    match cli.command {
        Some(Command::Users(UsersCommand::Find(args))) => {
            return across::find(cli.connect, globals, args).await;
        }
        Some(Command::Users(UsersCommand::Offboard(args))) => {
            return across::offboard(cli.connect, args).await;
        }
        Some(Command::Invites(InvitesCommand::Create(args))) if across => {
            return across::invite(cli.connect, args).await;
        }
        _ => {}
    }
    if across {
        console::error(
            "--profiles and --all-profiles work with `users find`, `users offboard` and \
             `invites create`; leave them out",
        );
        return exit::USAGE;
    }
    if matches!(
        cli.command,
        Some(Command::Users(_) | Command::Invites(_) | Command::Login | Command::Logout)
    ) {
        match crate::connect::apply_config(&mut cli.connect) {
            Ok(applied) => {
                for w in &applied.warnings {
                    console::warning(w);
                }
                if applied.version_from_config
                    && globals.medusa_version_from == VersionFrom::Default
                {
                    globals.medusa_version_from = VersionFrom::Config;
                }
                globals.production = applied
                    .profile
                    .filter(|p| p.confirm_by_name)
                    .map(|p| p.name);
            }
            Err(e) => {
                console::error(&e.to_string());
                return exit::USAGE;
            }
        }
    }
    match cli.command {
        Some(Command::Users(cmd)) => users::run(&cli.connect, globals, cmd).await,
        Some(Command::Invites(cmd)) => invites::run(&cli.connect, globals, cmd).await,
        Some(Command::Sandbox(args)) => run_sandbox(args, cli.connect.medusa_version).await,
        Some(Command::Login) => session::login(&cli.connect, globals).await,
        Some(Command::Logout) => session::logout(&cli.connect),
        Some(Command::Config(cmd)) => config_cmd::config(&cli.connect, cmd),
        Some(Command::Profiles(cmd)) => config_cmd::profiles(&cli.connect, cmd).await,
        Some(Command::Completions { shell }) => failure::exit_code(docs::completions(shell)),
        Some(Command::Man(args)) => failure::exit_code(docs::man(args)),
        None => exit::USAGE,
    }
}

/// `--medusa-version` picks the Medusa the sandbox imitates (`auto` means v1, the default).
async fn run_sandbox(args: SandboxArgs, version: crate::api::DialectChoice) -> i32 {
    let Some(data) = args.data.or_else(crate::sandbox::default_data_path) else {
        console::error("no data directory for this user; pass --data FILE");
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
        dialect: match version {
            crate::api::DialectChoice::Fixed(d) => d,
            crate::api::DialectChoice::Auto => crate::sandbox::Dialect::V1,
        },
    };
    match crate::sandbox::run_foreground(config).await {
        Ok(()) => exit::OK,
        Err(e) => {
            console::error(&e.to_string());
            exit::FAILURE
        }
    }
}
