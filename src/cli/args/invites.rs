//! `medusa-users invites …`: the subcommands and their arguments (the `--help` text is in the
//! doc comments).

use clap::{Args, Subcommand};

use super::{JsonOutput, ListFormat, PasswordInput, UserOutput};
use crate::api::{InviteOrder, Role};

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
