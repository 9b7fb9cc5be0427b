//! The command line's shape, as clap parses it: the top level ([`Cli`]: connection flags,
//! console options, the subcommand) and the commands that need no store (`sandbox`, `config`,
//! `profiles`, `completions`, `man`). The `users` and `invites` commands' arguments are in
//! `users` and `invites`, the flag groups several commands share in `flags`. The doc comments are
//! the `--help` text.

mod flags;
mod invites;
mod users;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use super::EXIT_CODES_HELP;
use crate::connect::ConnectArgs;

pub use flags::{JsonOutput, ListFormat, PasswordInput, UserOutput, list_format};
pub use invites::{AcceptArgs, InviteCreateArgs, InviteListArgs, InviteOutput, InvitesCommand};
pub use users::{
    CreateArgs, DeleteArgs, FindArgs, ListArgs, OffboardArgs, PasswordTokenArgs, ResetArgs,
    UpdateArgs, UsersCommand,
};

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
    ///
    /// [`parse::parse_from`]: super::parse::parse_from
    #[arg(skip)]
    pub mouse_given: bool,

    /// Say on stderr which Medusa the backend is and how that was decided
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,

    /// Where `--medusa-version` came from (set by [`parse::parse_from`], which sees clap's
    /// matches), so `--verbose` can say how the dialect was decided.
    ///
    /// [`parse::parse_from`]: super::parse::parse_from
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
#[derive(Debug, Clone, Default)]
pub struct Globals {
    pub verbose: bool,
    pub medusa_version_from: VersionFrom,
    /// The profile in use when it is a production store whose changes want its name typed
    /// (`production = true`, `confirm_by_name` not turned off).
    pub production: Option<String>,
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
