//! `medusa-users config path|init|check` and `medusa-users profiles list|add|remove`: the
//! config file and the stores it names. None of these needs a server, except `profiles list
//! --check`, which asks every store at once whether it answers.

use serde_json::json;

use super::failure::{self, Failure};
use super::output::{Column, table};
use super::{ConfigCommand, ProfileAddArgs, ProfilesCommand, console};
use crate::config::{self, Loaded, PathFrom, Settings, edit};
use crate::connect::ConnectArgs;

/// `config …`.
pub fn config(args: &ConnectArgs, cmd: ConfigCommand) -> i32 {
    failure::exit_code(match cmd {
        ConfigCommand::Path => path(args),
        ConfigCommand::Init { force } => init(args, force),
        ConfigCommand::Check => check(args),
        ConfigCommand::Keys => keys(args),
    })
}

/// `profiles …`.
pub async fn profiles(args: &ConnectArgs, cmd: ProfilesCommand) -> i32 {
    failure::exit_code(match cmd {
        ProfilesCommand::List { check, json, names } => list(args, check, json, names).await,
        ProfilesCommand::Add(add_args) => add(args, add_args),
        ProfilesCommand::Remove { name } => remove(args, &name),
    })
}

fn load(args: &ConnectArgs) -> Result<Loaded, Failure> {
    config::load(args.config.as_deref()).map_err(|e| Failure::Usage(e.to_string()))
}

fn located(args: &ConnectArgs) -> Result<(std::path::PathBuf, PathFrom), Failure> {
    config::locate(args.config.as_deref()).ok_or_else(|| {
        Failure::Other(
            "no config directory for this user (is HOME set?); pass --config FILE".into(),
        )
    })
}

fn path(args: &ConnectArgs) -> Result<(), Failure> {
    let (path, from) = located(args)?;
    console::print(&format!("{}\n", path.display()))?;
    let how = match from {
        PathFrom::Flag => "named by --config",
        PathFrom::Environment => "named by MEDUSA_USERS_CONFIG",
        PathFrom::Default => "the default location",
    };
    let state = if path.exists() {
        "exists"
    } else {
        "does not exist yet (`medusa-users config init` writes one)"
    };
    console::note(&format!("{how}; {state}"));
    Ok(())
}

fn init(args: &ConnectArgs, force: bool) -> Result<(), Failure> {
    let (path, _) = located(args)?;
    if path.exists() && !force {
        return Err(Failure::Usage(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    crate::files::write_private(&path, config::DEFAULT_CONFIG.as_bytes())
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    console::note(&format!("wrote {}", path.display()));
    Ok(())
}

fn check(args: &ConnectArgs) -> Result<(), Failure> {
    let loaded = load(args)?;
    for w in loaded.warnings() {
        console::warning(&w);
    }
    let path = loaded
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if !loaded.exists {
        console::note(&format!("{path}: no config file (built-in defaults apply)"));
        return Ok(());
    }
    let n = loaded.file.profiles.len();
    let default = match &loaded.file.default_profile {
        Some(d) => format!(", default {d:?}"),
        None => String::new(),
    };
    console::note(&format!(
        "{path}: valid, {n} profile{}{default}",
        if n == 1 { "" } else { "s" }
    ));
    Ok(())
}

/// Every binding as `screen  action  keys  what it does`, the config's overrides applied.
fn keys(args: &ConnectArgs) -> Result<(), Failure> {
    use crate::tui::keymap::Keymap;
    use crate::tui::keymap_config::{action_name, context_name};
    let loaded = load(args)?;
    let keymap = Keymap::with_overrides(&loaded.file.keys).map_err(Failure::Usage)?;
    let rows: Vec<Vec<String>> = keymap
        .bindings
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            vec![
                context_name(b.context),
                action_name(b.action),
                keys.join(" "),
                b.help.to_owned(),
            ]
        })
        .collect();
    let columns = [
        Column {
            title: "SCREEN",
            min: 6,
        },
        Column {
            title: "ACTION",
            min: 6,
        },
        Column {
            title: "KEYS",
            min: 4,
        },
        Column {
            title: "WHAT IT DOES",
            min: 12,
        },
    ];
    Ok(console::print(&table(
        &columns,
        &rows,
        console::table_width(),
    ))?)
}

/// How a profile signs in, in words (never the secret itself).
pub fn sign_in(s: &Settings) -> String {
    if let Some(e) = &s.email {
        format!("e-mail {e}")
    } else if let Some(v) = &s.api_token_env {
        format!("token from ${v}")
    } else if s.api_token_command.is_some() {
        "token from a command".to_owned()
    } else if s.api_token.is_some() {
        "token in the file".to_owned()
    } else {
        "remembered login".to_owned()
    }
}

async fn list(args: &ConnectArgs, check: bool, json_out: bool, names: bool) -> Result<(), Failure> {
    let loaded = load(args)?;
    if names {
        let mut out = String::new();
        for name in loaded.profile_names() {
            out.push_str(&name);
            out.push('\n');
        }
        return Ok(console::print(&out)?);
    }
    let default = loaded.file.default_profile.clone();
    let profiles: Vec<(String, Settings)> = loaded
        .file
        .profiles
        .iter()
        .map(|(n, s)| (n.clone(), s.get_ref().clone()))
        .collect();
    let checks = if check {
        let probes = profiles.iter().map(|(_, s)| probe(s, &loaded));
        Some(futures::future::join_all(probes).await)
    } else {
        None
    };
    if json_out {
        let items: Vec<serde_json::Value> = profiles
            .iter()
            .enumerate()
            .map(|(i, (name, s))| {
                let mut v = json!({
                    "name": name,
                    "url": s.url.clone().or_else(|| loaded.file.defaults.url.clone()),
                    "medusa_version": s.medusa_version.map(|v| v.to_string()),
                    "sign_in": sign_in(s),
                    "production": s.production.unwrap_or(false),
                    "default": default.as_deref() == Some(name),
                });
                if let Some(c) = checks.as_ref().and_then(|c| c.get(i)) {
                    v["reachable"] = json!(c.is_ok());
                    match c {
                        Ok(label) => v["server"] = json!(label),
                        Err(e) => v["error"] = json!(e),
                    }
                }
                v
            })
            .collect();
        let text = serde_json::to_string_pretty(&json!({ "profiles": items }))
            .map_err(|e| Failure::Other(e.to_string()))?;
        console::print(&format!("{text}\n"))?;
        return unanswered(checks.as_deref());
    }
    if profiles.is_empty() {
        let where_ = loaded
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        console::note(&format!(
            "no profiles in {where_}; add one with `medusa-users profiles add NAME --url URL`"
        ));
        return Ok(());
    }
    let mut columns = vec![
        Column {
            title: "NAME",
            min: 8,
        },
        Column {
            title: "URL",
            min: 16,
        },
        Column {
            title: "VERSION",
            min: 4,
        },
        Column {
            title: "SIGN-IN",
            min: 10,
        },
        Column {
            title: "FLAGS",
            min: 5,
        },
    ];
    if checks.is_some() {
        columns.push(Column {
            title: "CHECK",
            min: 10,
        });
    }
    let rows: Vec<Vec<String>> = profiles
        .iter()
        .enumerate()
        .map(|(i, (name, s))| {
            let mut flags = Vec::new();
            if default.as_deref() == Some(name) {
                flags.push("default");
            }
            if s.production.unwrap_or(false) {
                flags.push("PRODUCTION");
            }
            if s.read_only.unwrap_or(false) {
                flags.push("read-only");
            }
            let mut row = vec![
                name.clone(),
                s.url
                    .clone()
                    .or_else(|| loaded.file.defaults.url.clone())
                    .unwrap_or_else(|| "-".into()),
                s.medusa_version
                    .map_or_else(|| "auto".to_owned(), |v| v.to_string()),
                sign_in(s),
                if flags.is_empty() {
                    "-".into()
                } else {
                    flags.join(",")
                },
            ];
            if let Some(c) = checks.as_ref().and_then(|c| c.get(i)) {
                row.push(match c {
                    Ok(label) => format!("ok, {label}"),
                    Err(e) => format!("failed: {e}"),
                });
            }
            row
        })
        .collect();
    console::print(&table(&columns, &rows, console::table_width()))?;
    unanswered(checks.as_deref())
}

/// After every row is printed: exit 1 if any store checked did not answer.
fn unanswered(checks: Option<&[Result<String, String>]>) -> Result<(), Failure> {
    let Some(checks) = checks else { return Ok(()) };
    match checks.iter().filter(|c| c.is_err()).count() {
        0 => Ok(()),
        failed => Err(Failure::Other(format!(
            "{failed} of {} stores did not answer",
            checks.len()
        ))),
    }
}

/// Whether the store answers, and which Medusa it runs (the no-credentials probe).
async fn probe(settings: &Settings, loaded: &Loaded) -> Result<String, String> {
    let mut args = ConnectArgs {
        url: settings
            .url
            .clone()
            .or_else(|| loaded.file.defaults.url.clone()),
        ..ConnectArgs::default()
    };
    args.max_retries = 0;
    args.timeout = settings
        .timeout
        .or(loaded.file.defaults.timeout)
        .unwrap_or(std::time::Duration::from_secs(10));
    args.insecure = settings.insecure.unwrap_or(false);
    args.medusa_version = crate::api::DialectChoice::Auto;
    let url = crate::api::client::parse_base_url(args.url.as_deref().unwrap_or_default())?;
    let options = args.client_options(url).map_err(|e| e.to_string())?;
    let client = crate::api::Client::new(options, crate::api::Credentials::None)
        .map_err(|e| e.status_line())?;
    client.dialect().await.map_err(|e| e.status_line())?;
    client
        .known_capabilities()
        .map(|c| c.label.to_string())
        .ok_or_else(|| "no answer".to_owned())
}

fn add(args: &ConnectArgs, a: ProfileAddArgs) -> Result<(), Failure> {
    let (path, _) = located(args)?;
    // A file that does not exist yet (wherever it was named) starts as the commented sample.
    let text = if path.exists() {
        load(args)?.text().to_owned()
    } else {
        config::DEFAULT_CONFIG.to_owned()
    };
    // `--url` and `--medusa-version` are the global flags, read here as the profile's.
    let url = match (&args.url, args.given.contains("url")) {
        (Some(url), true) => url.clone(),
        _ => {
            return Err(Failure::Usage(
                "give the store's address: profiles add NAME --url URL".to_owned(),
            ));
        }
    };
    crate::api::client::parse_base_url(&url).map_err(|e| Failure::Usage(format!("--url: {e}")))?;
    let profile = edit::NewProfile {
        name: a.name.clone(),
        url,
        medusa_version: args
            .given
            .contains("medusa_version")
            .then(|| args.medusa_version.to_string()),
        api_token_env: a.api_token_env,
        api_token_command: a.api_token_command,
        email: a.email,
        color: a.color,
        production: a.production,
    };
    let mut out = edit::add_profile(&text, &profile, a.replace).map_err(Failure::Usage)?;
    if a.make_default {
        out = edit::set_default(&out, &a.name).map_err(Failure::Usage)?;
    }
    crate::files::write_private(&path, out.as_bytes())
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    console::note(&format!("added profile {:?} to {}", a.name, path.display()));
    Ok(())
}

fn remove(args: &ConnectArgs, name: &str) -> Result<(), Failure> {
    let (path, _) = located(args)?;
    let loaded = load(args)?;
    if !loaded.exists {
        return Err(Failure::Usage(format!(
            "{} does not exist: there is no profile to remove",
            path.display()
        )));
    }
    let (out, was_default) = edit::remove_profile(loaded.text(), name).map_err(Failure::Usage)?;
    crate::files::write_private(&path, out.as_bytes())
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
    console::note(&format!("removed profile {name:?} from {}", path.display()));
    if was_default {
        console::note("it was the default profile: there is no default now");
    }
    Ok(())
}
