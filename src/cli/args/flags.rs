//! Flag groups several commands share: how a list prints (`--format`, `--json`), how one user or
//! a sentence prints, and where a password comes from.

use clap::Args;

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
pub struct PasswordInput {
    /// Read the password from the first line of standard input instead of prompting
    #[arg(long)]
    pub password_stdin: bool,
}
