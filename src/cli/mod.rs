//! The command-line face: `medusa-users users list|get|create|update|delete|password-token|
//! reset-password` and `medusa-users invites list|get|create|resend|revoke|accept` for scripts,
//! `medusa-users sandbox` to run the embedded backend, and `medusa-users completions|man`, which
//! describe the command line itself. With no subcommand the binary opens the TUI (see
//! `main.rs`).
//!
//! Commands never ask which Medusa version the server is: they ask the client's
//! [`crate::api::Capabilities`] what it can do, and refuse a flag that cannot work there with a
//! usage error before anything is sent.
// The doc comments here are clap's --help text, written for a terminal, not rustdoc:
// a bare URL or an <URL> placeholder is what the operator should read.
#![allow(rustdoc::bare_urls, rustdoc::invalid_html_tags)]

mod across;
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

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::api::{InviteOrder, Order, Role};
use crate::connect::ConnectArgs;

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

#[derive(Debug, Parser)]
#[command(
    name = "medusa-users",
    version,
    about = "Manage the admin users of a Medusa store from the terminal",
    long_about = "Manage the admin users of a Medusa store from the terminal.\n\n\
        With no command, opens the interactive console (TUI). The `users` commands do the same \
        for scripts; `sandbox` runs a local Medusa-compatible backend to try it all; \
        `completions` and `man` print shell completions and a manual page.",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Rows per page in the console (default: as many as the window shows, following it
    /// when it is resized)
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=500),
        help_heading = "Console options"
    )]
    pub page_size: Option<u32>,

    /// Click a row to select it (again to open it), click a tab, scroll with the wheel (or
    /// `mouse = true` in the config); the terminal's own text selection then needs Shift
    #[arg(
        long,
        env = "MEDUSA_USERS_MOUSE",
        value_parser = clap::builder::BoolishValueParser::new(),
        help_heading = "Console options"
    )]
    pub mouse: bool,

    /// `--mouse` or `MEDUSA_USERS_MOUSE` was given (set by [`parse::parse_from`]): it beats the
    /// config file's `mouse`.
    #[arg(skip)]
    pub mouse_given: bool,

    /// Say on stderr which Medusa the backend is and how that was decided
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,

    /// Where `--medusa-version` came from (set by [`parse::parse_from`], which sees clap's
    /// matches), so `--verbose` can say how the dialect was decided.
    #[arg(skip)]
    pub medusa_version_from: VersionFrom,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Whether the console takes the mouse: `--mouse` or `MEDUSA_USERS_MOUSE` (`1`, `true`;
    /// `0` or `false` turns it off), else the config's `mouse` from the profile or
    /// `[defaults]`, else off.
    pub fn mouse(&self, applied: &crate::config::Applied) -> bool {
        self.mouse_flag().or(applied.mouse).unwrap_or(false)
    }

    /// `--mouse` or `MEDUSA_USERS_MOUSE`, when given.
    pub fn mouse_flag(&self) -> Option<bool> {
        self.mouse_given.then_some(self.mouse)
    }
}

/// Where the `--medusa-version` value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VersionFrom {
    /// Not given: `auto`, unless `--sandbox` fixed it.
    #[default]
    Default,
    CommandLine,
    Environment,
    /// The config file (the profile in use, or `[defaults]`).
    Config,
}

/// What every command needs to know besides its own arguments.
#[derive(Debug, Clone, Copy, Default)]
pub struct Globals {
    pub verbose: bool,
    pub medusa_version_from: VersionFrom,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, create, update and delete admin users; reset passwords
    #[command(subcommand)]
    Users(UsersCommand),
    /// List, create, resend and revoke invites (how new admins join); accept one as the invitee
    #[command(subcommand)]
    Invites(InvitesCommand),
    /// Run the embedded Medusa-compatible sandbox backend in the foreground
    Sandbox(SandboxArgs),
    /// Log in with e-mail and password and remember the session (24 h) for this backend
    Login,
    /// Forget the remembered session for this backend
    Logout,
    /// Where the config file is, write a commented one, or check it
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The stores in the config file: list (and check) them, add or remove one
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Print a shell completion script on stdout (bash, zsh, fish, elvish, powershell); needs
    /// no server
    Completions {
        /// The shell to complete for
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of the whole command line on stdout, or write one page per
    /// command with --out; needs no server
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the config file in use (and whether it exists)
    Path,
    /// Write a commented config file with every setting (refuses to overwrite one)
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Validate the config file: exit 0 when it is valid, 2 with the line and column of the
    /// first problem when not
    Check,
    /// List the console's keys by screen and action, with the config's `[keys]` applied: the
    /// names a `[keys.SCREEN]` section uses
    Keys,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles: store, Medusa version, how it signs in, production
    List {
        /// Also ask each store (all at once) whether it answers and which Medusa it runs
        #[arg(long)]
        check: bool,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Print only the names, one a line (for shell completion)
        #[arg(long, conflicts_with_all = ["check", "json"])]
        names: bool,
    },
    /// Add a profile to the config file (created if needed), keeping its comments: `profiles
    /// add NAME --url URL [--medusa-version 1|2] [--api-token-env VAR | --email E]`
    Add(ProfileAddArgs),
    /// Remove a profile from the config file, keeping its comments
    #[command(visible_alias = "rm")]
    Remove {
        /// The profile's name
        name: String,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("sign_in").args(["api_token_env", "api_token_command", "login_email"])))]
pub struct ProfileAddArgs {
    /// The profile's name (letters, digits, - _ .)
    pub name: String,
    /// Sign in with the API token (v1) or secret key (v2, sk_…) in this environment variable
    #[arg(long, value_name = "VAR")]
    pub api_token_env: Option<String>,
    /// Sign in with the API token or secret key this command prints (`pass show …`)
    #[arg(long, value_name = "COMMAND")]
    pub api_token_command: Option<String>,
    /// Sign in with this e-mail (`medusa-users login --profile NAME` remembers the session)
    #[arg(long = "email", value_name = "EMAIL", id = "login_email")]
    pub email: Option<String>,
    /// The badge colour in the console: a name (green), an index (42) or #rrggbb
    #[arg(long, value_name = "COLOR")]
    pub color: Option<String>,
    /// A production store: an unmistakable badge, and changes ask for the profile's name
    #[arg(long)]
    pub production: bool,
    /// Make it the default profile
    #[arg(long = "default")]
    pub make_default: bool,
    /// Overwrite a profile of the same name
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (medusa-users.1, medusa-users-users-list.1, …) into this
    /// directory instead of printing one page
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// What `users list` and `invites list` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ListFormat {
    /// An aligned table for people (cut to the terminal's width)
    #[default]
    Table,
    /// The server's own list object, exactly
    Json,
    /// A header row, then one row per item, for spreadsheets and scripts
    Csv,
}

/// The format `--format` and its older spelling `--json` ask for together. They may agree
/// (`--json --format json`); `--json --format csv` is a contradiction, refused before anything
/// is sent rather than letting one silently win.
pub fn list_format(format: Option<ListFormat>, json: bool) -> Result<ListFormat, String> {
    match (format, json) {
        (None, false) => Ok(ListFormat::Table),
        (None, true) | (Some(ListFormat::Json), _) => Ok(ListFormat::Json),
        (Some(other), false) => Ok(other),
        (Some(other), true) => Err(format!(
            "--json means --format json, which contradicts --format {}; give one of them",
            match other {
                ListFormat::Csv => "csv",
                _ => "table",
            }
        )),
    }
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List users, one page (or every page with --all)
    List(ListArgs),
    /// Where does this person have access? Their user and pending invites, in this store or
    /// (with --profiles a,b or --all-profiles) in several stores at once
    Find(FindArgs),
    /// Someone left: delete their user, revoke their pending invites and (where keys outlive
    /// users: Medusa v2) the secret API keys they created, in this store or in several at once
    /// (--profiles / --all-profiles), after one confirmation that lists every change
    Offboard(OffboardArgs),
    /// Show one user, or yourself with `me`
    Get {
        /// User id (usr_… on Medusa v1, user_… on v2), or `me` for the signed-in user (a secret
        /// API key belongs to no user: that is exit 4)
        id: String,
        #[command(flatten)]
        out: UserOutput,
    },
    /// Create a user; the password is prompted for (or read with --password-stdin). On Medusa
    /// v2 this is invite → register → accept, shown step by step, and resumable: run the same
    /// command again to finish an interrupted create
    Create(CreateArgs),
    /// Change a user's name, avatar, role, API token or metadata (what the server has)
    Update(UpdateArgs),
    /// Delete a user (asks first unless --yes)
    Delete(DeleteArgs),
    /// Have Medusa e-mail a password-reset token, or (--print) mint one and print it
    PasswordToken(PasswordTokenArgs),
    /// Set a new password with a reset token (token and password are prompted for if not given)
    ResetPassword(ResetArgs),
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// The person's e-mail (compared without regard to case)
    pub email: String,
    /// Print JSON ({"results": [{profile, url, access, …}]}) instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OffboardArgs {
    /// The person's e-mail (compared without regard to case)
    pub email: String,
    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Print the results as JSON ({"results": [{profile, url, done, error}]}); the plan goes
    /// to stderr
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// User id (usr_… on Medusa v1, user_… on v2)
    pub id: String,
    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Also revoke the secret API keys the user created, which would keep working after the
    /// user is gone (servers with secret keys: Medusa v2)
    #[arg(long)]
    pub revoke_keys: bool,
    #[command(flatten)]
    pub out: JsonOutput,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("user").required(true).args(["email", "id"])))]
pub struct PasswordTokenArgs {
    /// The user's e-mail. Without --print the server sends the token there (and answers the
    /// same for addresses it does not know)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// The user's id, instead of the e-mail (with --print)
    #[arg(long, value_name = "ID", requires = "print")]
    pub id: Option<String>,
    /// Mint the token as an admin and print it on stdout instead of having it e-mailed
    /// (servers that can: Medusa 2.20 or newer). It is valid for 15 minutes and works once
    #[arg(long)]
    pub print: bool,
    /// The admin dashboard's address (Medusa v2 serves it at /app: https://shop.example.com/app):
    /// also print the reset link, <URL>/reset-password?token=…
    #[arg(long, value_name = "URL", requires = "print")]
    pub admin_url: Option<String>,
}

/// `--json` for commands whose human output is a sentence.
#[derive(Debug, Clone, Args, Default)]
pub struct JsonOutput {
    /// Print the server's JSON instead of a sentence
    #[arg(long)]
    pub json: bool,
}

/// Output flags for commands that print one user.
#[derive(Debug, Clone, Args, Default)]
pub struct UserOutput {
    /// Print the server's JSON ({"user": …}) instead of a key–value view
    #[arg(long)]
    pub json: bool,
    /// Show the API token unmasked in the key–value view (JSON always has it)
    #[arg(long)]
    pub show_tokens: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Users per page (the server's default is 50)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Users to skip before the page starts
    #[arg(long, value_name = "N")]
    pub offset: Option<u64>,
    /// Search e-mail, first and last name (the server's `q`; on Medusa v2, % and _ match any
    /// characters)
    #[arg(long, visible_alias = "q", value_name = "TEXT")]
    pub search: Option<String>,
    /// Sort: email, first_name, last_name, created_at, updated_at, and role where users have
    /// roles (Medusa v1); prefix - for descending
    #[arg(
        long,
        value_name = "FIELD",
        value_parser = |s: &str| s.parse::<Order>(),
        allow_hyphen_values = true
    )]
    pub order: Option<Order>,
    /// Only users with this role: admin, member or developer (repeatable; servers with roles:
    /// Medusa v1)
    #[arg(long, value_name = "ROLE", value_parser = |s: &str| s.parse::<Role>())]
    pub role: Vec<Role>,
    /// Only the user with this exact e-mail (a filter; to log in as someone, put --email
    /// before the command)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Page through everything and print one list
    #[arg(long, conflicts_with_all = ["limit", "offset"])]
    pub all: bool,
    /// table (the default), json (the server's list object: {"users", "count", "offset",
    /// "limit"}) or csv (a header row, then id, email, first_name, last_name, role where users
    /// have roles, avatar_url where they have avatars, created_at, updated_at, metadata as
    /// JSON; cells starting with = + - @ get a leading ' so spreadsheets do not run them)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ListFormat>,
    /// The same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PasswordInput {
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The new user's e-mail address
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// First name
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// Last name
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// admin, member (the server's default) or developer (servers with roles: Medusa v1)
    #[arg(long, value_name = "ROLE", value_parser = |s: &str| s.parse::<Role>())]
    pub role: Option<Role>,
    #[command(flatten)]
    pub password: PasswordInput,
    #[command(flatten)]
    pub out: UserOutput,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// User id (usr_…)
    pub id: String,
    /// New first name ("" clears it)
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// New last name ("" clears it)
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    /// New avatar URL ("" clears it; servers with avatars: Medusa v2)
    #[arg(long, value_name = "URL")]
    pub avatar_url: Option<String>,
    /// New role: admin, member or developer (servers with roles: Medusa v1)
    #[arg(long, value_name = "ROLE", value_parser = |s: &str| s.parse::<Role>())]
    pub role: Option<Role>,
    /// Set the user's API token (this user's; the token you connect with goes before the
    /// command; servers with per-user tokens: Medusa v1)
    #[arg(long = "api-token", value_name = "TOKEN")]
    pub api_token: Option<String>,
    /// Set a metadata key (repeatable): KEY=VALUE sets a string, KEY:=JSON a JSON value
    /// (KEY:=42, KEY:='{"a":1}'), KEY= removes the key. Medusa merges what you send into the
    /// stored metadata one level deep: keys you leave out stay, and a nested object you send
    /// replaces the stored one whole.
    #[arg(long, value_name = "KEY=VALUE|KEY:=JSON")]
    pub metadata: Vec<String>,
    #[command(flatten)]
    pub out: UserOutput,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The reset token (prompted for without echo when omitted; safer than the command line)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The user's e-mail (defaults to the one inside the token; Medusa v2 always uses the
    /// token's)
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    #[command(flatten)]
    pub password: PasswordInput,
    #[command(flatten)]
    pub out: JsonOutput,
}

#[derive(Debug, Subcommand)]
pub enum InvitesCommand {
    /// List invites with their status and expiry (tokens only with --show-tokens)
    List(InviteListArgs),
    /// Show one invite
    Get {
        /// Invite id (invite_…)
        id: String,
        #[command(flatten)]
        out: InviteOutput,
    },
    /// Invite someone to become an admin user; they accept with `invites accept`
    Create(InviteCreateArgs),
    /// Renew an invite: a new token and a new expiry
    Resend {
        /// Invite id (invite_…)
        id: String,
        #[command(flatten)]
        out: InviteOutput,
    },
    /// Revoke an invite so it can no longer be accepted (asks first unless --yes)
    #[command(visible_alias = "delete")]
    Revoke {
        /// Invite id (invite_…)
        id: String,
        /// Do not ask for confirmation (needed when stdin is not a terminal)
        #[arg(short, long)]
        yes: bool,
        #[command(flatten)]
        out: JsonOutput,
    },
    /// Accept an invite as the invitee and choose a password (needs no admin credentials)
    Accept(AcceptArgs),
}

/// Output flags for commands that print one invite.
#[derive(Debug, Clone, Args, Default)]
pub struct InviteOutput {
    /// Print the server's JSON ({"invite": …}, token included) instead of a key–value view
    #[arg(long)]
    pub json: bool,
    /// Show the invite token in the key–value view (whoever holds it can become this admin)
    #[arg(long)]
    pub show_tokens: bool,
}

#[derive(Debug, Args)]
pub struct InviteListArgs {
    /// Invites per page (the server's default; Medusa v1 has no pages, so this is done here)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Invites to skip before the page starts
    #[arg(long, value_name = "N")]
    pub offset: Option<u64>,
    /// Only invites whose e-mail contains this text
    #[arg(long, visible_alias = "q", value_name = "TEXT")]
    pub search: Option<String>,
    /// Sort: created_at (the default, newest first), email, expires_at, and role where invites
    /// carry one (Medusa v1); prefix - for descending
    #[arg(
        long,
        value_name = "FIELD",
        value_parser = |s: &str| s.parse::<InviteOrder>(),
        allow_hyphen_values = true
    )]
    pub order: Option<InviteOrder>,
    /// Page through everything and print one list
    #[arg(long, conflicts_with_all = ["limit", "offset"])]
    pub all: bool,
    /// Add a TOKEN column (whoever holds a token can become that admin; a token column in
    /// CSV too); the table is then not cut to the terminal's width, so tokens stay whole
    #[arg(long)]
    pub show_tokens: bool,
    /// table (the default), json (the server's list object: {"invites": …}, tokens included)
    /// or csv (a header row, then id, email, role where invites have roles, status, accepted,
    /// expires_at, created_at, updated_at, metadata as JSON, and token with --show-tokens;
    /// cells starting with = + - @ get a leading ' so spreadsheets do not run them)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ListFormat>,
    /// The same as --format json
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InviteCreateArgs {
    /// The invitee's e-mail address (lower-cased: Medusa compares invite e-mails exactly)
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// admin, member (the default) or developer (servers whose invites carry roles: Medusa v1)
    #[arg(long, value_name = "ROLE", value_parser = |s: &str| s.parse::<Role>())]
    pub role: Option<Role>,
    #[command(flatten)]
    pub out: InviteOutput,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The invite token (prompted for without echo when omitted; safer than the command line)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Your first name
    #[arg(long, value_name = "NAME")]
    pub first_name: Option<String>,
    /// Your last name
    #[arg(long, value_name = "NAME")]
    pub last_name: Option<String>,
    #[command(flatten)]
    pub password: PasswordInput,
    #[command(flatten)]
    pub out: UserOutput,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (loopback by default)
    #[arg(long, default_value = "127.0.0.1:9000", value_name = "ADDR")]
    pub addr: SocketAddr,
    /// SQLite database file (default: sandbox.sqlite3 in your data directory)
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// File that receives one JSON line per reset or invite token (default: next to the data)
    #[arg(long, value_name = "FILE")]
    pub outbox: Option<PathBuf>,
    /// Sample users to add when the database is new
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: usize,
}

/// Runs a parsed command line that has a subcommand; returns the process exit code.
pub async fn run(mut cli: Cli) -> i32 {
    let mut globals = Globals {
        verbose: cli.verbose,
        medusa_version_from: cli.medusa_version_from,
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
