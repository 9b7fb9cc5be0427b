//! `medusa-users users …`: the subcommands and their arguments (the `--help` text is in the doc
//! comments).

use clap::{Args, Subcommand};

use super::{JsonOutput, ListFormat, PasswordInput, UserOutput};
use crate::api::{Order, Role};

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
