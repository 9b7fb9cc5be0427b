//! Reading the command line: clap's parser for [`Cli`], plus what clap cannot say by itself.
//!
//! - A connection flag that only exists before the command (`--api-token`, `--email`, since
//!   `users update --api-token` and `users list --email` mean something else) gets an error
//!   that says where it goes, instead of clap's "unexpected argument".
//! - A global flag does nothing on some commands (`sandbox` is not a client; `logout` only
//!   needs `--url`): those commands' help leaves it out, and giving it on the command line is
//!   a usage error rather than silently ignored.
//! - clap echoes arguments in its errors; an argument holding escapes is neutralised like any
//!   other untrusted text before it reaches the terminal.
//! - Every command's help ends with the exit codes.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};

use super::{Cli, EXIT_CODES_HELP, VersionFrom, console, exit};
use crate::config::CONNECTION_FLAGS;
use crate::safe_text::{is_unsafe_char, neutralise};

/// The settings besides the connection flags that a command may have no use for: how much it
/// says, and which profiles and config file it reads (clap ids: field names).
const PROFILE_AND_OUTPUT_FLAGS: [&str; 5] =
    ["verbose", "profile", "config", "profiles", "all_profiles"];

/// Every flag some command has no use for: the connection flags, then the others, in the order
/// a refusal names the first one given. (`--page-size` and `--mouse` are the console's, and no
/// command accepts them.)
fn ignorable_flags() -> impl Iterator<Item = &'static str> {
    CONNECTION_FLAGS.into_iter().chain(PROFILE_AND_OUTPUT_FLAGS)
}

/// For each command that ignores some of [`ignorable_flags`], the ones it does use; `None` for
/// a command that uses them all. Said this way round so that a flag added to the connection
/// flags is refused by the commands that connect to nothing without listing it again here.
fn used_flags(command: &str) -> Option<&'static [&'static str]> {
    match command {
        // The sandbox serves; it connects to nothing. It imitates one Medusa version.
        "sandbox" => Some(&["medusa_version"]),
        // The config file's commands read the file (--config) and nothing else.
        "config" => Some(&["config"]),
        // `profiles add` takes the store's --url and --medusa-version; nothing else connects.
        "profiles" => Some(&["url", "medusa_version", "config"]),
        // Logging in takes e-mail and password, to the backend at --url; --sandbox has its own
        // token and nothing to remember, and a login changes no data.
        "login" => Some(&[
            "url",
            "email",
            "max_retries",
            "timeout",
            "headers",
            "insecure",
            "medusa_version",
            "verbose",
            "profile",
            "config",
        ]),
        // Generated from the command line's definition alone: no server, no credentials.
        "completions" | "man" => Some(&[]),
        // Forgetting a session touches only the sessions file, for --url's backend.
        "logout" => Some(&["url", "profile", "config"]),
        _ => None,
    }
}

/// Whether the flag with clap id `id` does nothing with `command` (and is refused there).
fn is_inert(command: &str, id: &str) -> bool {
    used_flags(command)
        .is_some_and(|used| !used.contains(&id) && ignorable_flags().any(|flag| flag == id))
}

const USERS_CONNECT_HELP: &str = "Credentials go before the command: `medusa-users --api-token \
    TOKEN users …` (or MEDUSA_API_TOKEN), `medusa-users --email EMAIL users …` to log in with a \
    password, or a session remembered by `medusa-users login`.";

const INVITES_CONNECT_HELP: &str = "Credentials go before the command: `medusa-users --api-token \
    TOKEN invites …` (or MEDUSA_API_TOKEN), `medusa-users --email EMAIL invites …` to log in \
    with a password, or a session remembered by `medusa-users login`.";

const ACCEPT_HELP: &str = "This is the invitee's command: it needs no admin credentials, only the \
    token from the invite and --url. On Medusa v2 it registers your login and prints the new \
    user; on Medusa v1 the server only says it worked: log in with the invited e-mail and the \
    new password.";

/// The command line's clap [`Command`], as the binary uses it: footers added, and the global
/// flags that do nothing on a command hidden from its help.
pub fn command() -> Command {
    let mut cmd = Cli::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        // A command that already has an argument of a global's id does not get the global
        // copied in: give it a hidden copy, so the flag still parses (and is refused with a
        // clear message) but its help leaves it out.
        let hidden: Vec<clap::Arg> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set() && is_inert(&name, a.get_id().as_str()))
            .map(|a| a.clone().hide(true))
            .collect();
        cmd = cmd.mut_subcommand(&name, |sub| sub.args(hidden));
    }
    let cmd = cmd.mut_subcommand("users", |users| {
        users
            .mut_subcommands(|s| s.after_help(format!("{USERS_CONNECT_HELP}\n\n{EXIT_CODES_HELP}")))
    });
    let cmd = cmd.mut_subcommand("invites", |invites| {
        invites.mut_subcommands(|s| {
            let first = if s.get_name() == "accept" {
                ACCEPT_HELP
            } else {
                INVITES_CONNECT_HELP
            };
            s.after_help(format!("{first}\n\n{EXIT_CODES_HELP}"))
        })
    });
    with_exit_codes(cmd)
}

fn with_exit_codes(cmd: Command) -> Command {
    cmd.mut_subcommands(|s| {
        let s = if s.get_after_help().is_none() {
            s.after_help(EXIT_CODES_HELP)
        } else {
            s
        };
        with_exit_codes(s)
    })
}

/// Parses `args` (with the program name first). On `--help` or `--version` it prints them; on
/// a usage error it prints the error. Either way it returns the exit code to end with.
pub fn parse_from<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cmd = command();
    let matches = match cmd.clone().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return Err(report_clap_error(&cmd, &args, &e)),
    };
    if let Some(message) = inert_flag_given(&cmd, &matches) {
        usage_error(&message);
        return Err(exit::USAGE);
    }
    let mut cli =
        Cli::from_arg_matches(&matches).map_err(|e| report_clap_error(&cmd, &args, &e))?;
    cli.connect.given = CONNECTION_FLAGS
        .into_iter()
        .filter(|id| {
            matches!(
                matches.value_source(id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
        })
        .collect();
    cli.mouse_given = matches!(
        matches.value_source("mouse"),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    );
    cli.medusa_version_from = match matches.value_source("medusa_version") {
        Some(ValueSource::CommandLine) => VersionFrom::CommandLine,
        Some(ValueSource::EnvVariable) => VersionFrom::Environment,
        _ => VersionFrom::Default,
    };
    Ok(cli)
}

fn report_clap_error(cmd: &Command, args: &[OsString], e: &clap::Error) -> i32 {
    if e.kind() == ErrorKind::UnknownArgument
        && let Some(ContextValue::String(flag)) = e.get(ContextKind::InvalidArg)
        && let Some(message) = misplaced(cmd, flag, &command_path(cmd, args))
    {
        usage_error(&message);
        return exit::USAGE;
    }
    let plain = e.render().to_string();
    if plain.chars().any(|c| c != '\n' && is_unsafe_char(c)) {
        // An argument with escapes in it: print clap's text without colours, each line
        // neutralised (help and version never get here: they hold no argument).
        let text: Vec<String> = plain.lines().map(|l| neutralise(l).into_owned()).collect();
        let _ = console::print_stderr(&format!("{}\n", text.join("\n")));
    } else {
        // clap's own rendering (coloured on a terminal). A closed stdout under `--help | head`
        // is an error clap hands back, never a panic; nothing is left to tell.
        let _ = e.print();
    }
    e.exit_code()
}

/// An error line in clap's shape, so scripts and people see one kind of usage error.
fn usage_error(message: &str) {
    console::error(message);
    let _ = console::print_stderr("\nFor more information, try '--help'.\n");
}

/// The subcommand names in `args`, in order (`users list`): what the operator was running.
fn command_path(cmd: &Command, args: &[OsString]) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = cmd;
    for arg in args.iter().skip(1) {
        let Some(word) = arg.to_str() else { continue };
        if word == "--" {
            break;
        }
        if word.starts_with('-') {
            continue;
        }
        if let Some(sub) = current.find_subcommand(word) {
            path.push(sub.get_name().to_owned());
            current = sub;
        }
    }
    path
}

/// "--api-token goes before the command: …" when `flag` is one of the top-level flags that
/// is not global (given after a command that has no flag of that name).
fn misplaced(cmd: &Command, flag: &str, path: &[String]) -> Option<String> {
    let long = flag.split('=').next()?.strip_prefix("--")?;
    let arg = cmd
        .get_arguments()
        .find(|a| !a.is_global_set() && a.get_long() == Some(long))?;
    if path.is_empty() {
        return None;
    }
    let command = path.join(" ");
    if arg.get_id() == "page_size" {
        return Some(format!(
            "--page-size is for the console only (`medusa-users --page-size N`, no command); \
             `{command}` has no pages to size"
        ));
    }
    if arg.get_id() == "mouse" {
        return Some(format!(
            "--mouse is for the console only (`medusa-users --mouse`, no command); \
             `{command}` has nothing to click"
        ));
    }
    if is_inert(&path[0], arg.get_id().as_str()) {
        return Some(format!(
            "--{long} does nothing with `{command}`; leave it out"
        ));
    }
    let value = arg
        .get_value_names()
        .and_then(|v| v.first())
        .map(|v| v.as_str().to_owned())
        .unwrap_or_else(|| "…".into());
    Some(format!(
        "--{long} goes before the command: medusa-users --{long} {value} {command}"
    ))
}

/// A flag given on the command line to a command on which it does nothing.
fn inert_flag_given(cmd: &Command, matches: &ArgMatches) -> Option<String> {
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    let Some((name, _)) = matches.subcommand() else {
        // The console shows which Medusa it is in its header; there is no line to add.
        return given("verbose").then(|| {
            "--verbose is for commands (`medusa-users -v users list`); the console shows the \
             Medusa version in its header"
                .to_owned()
        });
    };
    if given("page_size") {
        return Some(format!(
            "--page-size is for the console only (`medusa-users --page-size N`, no command); \
             `{name}` has no pages to size"
        ));
    }
    if given("mouse") {
        return Some(format!(
            "--mouse is for the console only (`medusa-users --mouse`, no command); `{name}` \
             has nothing to click"
        ));
    }
    let id = ignorable_flags().find(|id| is_inert(name, id) && given(id))?;
    let long = cmd
        .get_arguments()
        .find(|a| a.get_id() == id)
        .and_then(|a| a.get_long())
        .unwrap_or(id);
    Some(match name {
        "sandbox" => format!(
            "--{long} does nothing with `sandbox`: the sandbox is a server, not a client; \
             leave it out"
        ),
        _ => format!("--{long} does nothing with `{name}`; leave it out"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_commands(cmd: &Command) -> Vec<&Command> {
        let mut out = vec![cmd];
        for sub in cmd.get_subcommands() {
            out.extend(all_commands(sub));
        }
        out
    }

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_flag_and_argument_has_a_description() {
        let cmd = command();
        for c in all_commands(&cmd) {
            for arg in c.get_arguments() {
                if arg.is_hide_set() {
                    continue;
                }
                assert!(
                    arg.get_help()
                        .is_some_and(|h| !h.to_string().trim().is_empty()),
                    "`{}` {:?} has no description",
                    c.get_name(),
                    arg.get_id()
                );
            }
            assert!(
                c.get_about().is_some(),
                "`{}` has no description",
                c.get_name()
            );
        }
    }

    #[test]
    fn every_help_ends_with_the_exit_codes_including_1() {
        let cmd = command();
        for c in all_commands(&cmd) {
            let footer = c
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(
                footer.contains(EXIT_CODES_HELP),
                "`{}`: {footer:?}",
                c.get_name()
            );
        }
        assert!(EXIT_CODES_HELP.contains("1 unexpected failure"));
    }

    fn parse(args: &[&str]) -> Result<Cli, i32> {
        parse_from(std::iter::once("medusa-users").chain(args.iter().copied()))
    }

    #[test]
    fn search_has_a_long_name_and_keeps_q() {
        for flag in ["--search", "--q"] {
            let cli = parse(&["users", "list", flag, "ada"]).unwrap_or_else(|c| panic!("{c}"));
            let Some(super::super::Command::Users(super::super::UsersCommand::List(list))) =
                cli.command
            else {
                panic!("not users list")
            };
            assert_eq!(list.search.as_deref(), Some("ada"));
        }
    }

    #[test]
    fn misplaced_flags_say_where_they_go() {
        let cmd = command();
        let path = |words: &[&str]| -> Vec<String> {
            command_path(
                &cmd,
                &std::iter::once("medusa-users")
                    .chain(words.iter().copied())
                    .map(OsString::from)
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            path(&["--url", "u", "users", "list", "--api-token", "x"]),
            ["users", "list"]
        );
        assert_eq!(
            misplaced(&cmd, "--api-token", &path(&["users", "list"])).as_deref(),
            Some("--api-token goes before the command: medusa-users --api-token TOKEN users list")
        );
        assert_eq!(
            misplaced(&cmd, "--email=a@b.c", &path(&["users", "get", "x"])).as_deref(),
            Some("--email goes before the command: medusa-users --email EMAIL users get")
        );
        assert!(
            misplaced(&cmd, "--page-size", &path(&["users", "list"]))
                .unwrap()
                .contains("console only")
        );
        assert!(misplaced(&cmd, "--bogus", &path(&["users", "list"])).is_none());
        // A flag that is global is never misplaced (clap accepts it anywhere).
        assert!(misplaced(&cmd, "--url", &path(&["users", "list"])).is_none());
    }

    #[test]
    fn inert_flags_are_refused_and_hidden() {
        for args in [
            &["sandbox", "--url", "http://x"][..],
            &["--timeout", "5", "sandbox"],
            &["sandbox", "--read-only"],
            &["logout", "--medusa-version", "1"],
            &["--api-token", "t", "sandbox"],
            &["logout", "--timeout", "5"],
            &["--sandbox", "login"],
            &["--page-size", "30", "users", "list"],
            &["--sandbox", "completions", "bash"],
            &["man", "--url", "http://x"],
        ] {
            assert_eq!(parse(args).err(), Some(exit::USAGE), "{args:?}");
        }
        assert!(parse(&["--url", "http://x", "logout"]).is_ok());
        assert!(parse(&["completions", "zsh"]).is_ok());
        assert!(parse(&["man", "--out", "/tmp/x"]).is_ok());
        assert!(parse(&["sandbox", "--seed", "5"]).is_ok());
        assert!(parse(&["users", "list", "--url", "http://x", "--timeout", "5"]).is_ok());

        let mut cmd = command();
        let help = cmd
            .find_subcommand_mut("sandbox")
            .unwrap()
            .render_help()
            .to_string();
        for flag in [
            "--url",
            "--timeout",
            "--max-retries",
            "--header",
            "--insecure",
        ] {
            assert!(!help.contains(flag), "sandbox help shows {flag}:\n{help}");
        }
        assert!(help.contains("--seed"), "{help}");
        // Which Medusa the sandbox imitates (shown among the global options; tests/cli/cli_scripts.rs).
        assert!(parse(&["sandbox", "--medusa-version", "2"]).is_ok());
    }
}
