//! Which setting wins when connecting: a flag, the environment, the chosen profile,
//! `[defaults]`, the built-in default. [`apply`] fills in what the operator did not give, and
//! says what else the config decided (the profile's badge, the console's settings).

use std::collections::BTreeSet;

use ratatui::style::Color;
use secrecy::SecretString;

use super::{
    ConfigError, KeyOverrides, Loaded, Profile, ProfileEntry, Settings, run_secret_command, theme,
};
use crate::connect::ConnectArgs;

/// What the console and the CLI show and enforce about the profile in use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileBadge {
    pub name: String,
    pub color: Option<Color>,
    pub production: bool,
    /// Changes are confirmed by typing `name` (production profiles, unless configured off).
    pub confirm_by_name: bool,
}

/// Which connection flags the operator gave (on the command line or in the environment):
/// those are never overridden by the config.
pub type Given = BTreeSet<&'static str>;

/// The connection flags whose source [`apply`] respects (clap's argument ids), in the order
/// `cli::parse` names the first one given to a command that has no use for it.
pub const CONNECTION_FLAGS: [&str; 10] = [
    "url",
    "api_token",
    "email",
    "max_retries",
    "timeout",
    "headers",
    "sandbox",
    "insecure",
    "read_only",
    "medusa_version",
];

/// What applying the config decided, besides the connection flags it filled in.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub profile: Option<ProfileBadge>,
    pub page_size: Option<u32>,
    /// The console's `mouse` setting (the profile's, else `[defaults]`'s).
    pub mouse: Option<bool>,
    /// The medusa_version came from the config (for `--verbose`).
    pub version_from_config: bool,
    /// Every profile in the file (the console's switcher).
    pub profiles: Vec<ProfileEntry>,
    /// The console's style overrides.
    pub theme: theme::ThemeSpec,
    /// The console's key overrides.
    pub keys: KeyOverrides,
    pub warnings: Vec<String>,
}

/// Which profile a command uses: the one named (flag or `MEDUSA_PROFILE`), else the file's
/// `default_profile` unless a backend was given explicitly (`--url`, `--sandbox`), whose
/// credentials must not go to another host.
pub fn chosen_profile<'a>(args: &'a ConnectArgs, loaded: &'a Loaded) -> Option<&'a str> {
    if let Some(name) = args.profile.as_deref() {
        return Some(name);
    }
    if args.given.contains("url") || args.sandbox {
        return None;
    }
    loaded.file.default_profile.as_deref()
}

/// Fills in the connection flags the operator did not give from `profile`, then `[defaults]`.
/// Credentials are taken as a whole: if any credential was given (`--api-token`, `--email` or
/// their variables), the config's are not used.
pub fn apply(
    args: &mut ConnectArgs,
    loaded: &Loaded,
    profile: Option<&Profile>,
) -> Result<Applied, ConfigError> {
    if args.sandbox && profile.is_some() && args.profile.is_some() {
        return Err(ConfigError::plain(
            None,
            "--sandbox runs its own backend: leave --profile (or MEDUSA_PROFILE) out",
        ));
    }
    let defaults = &loaded.file.defaults;
    let layers: Vec<&Settings> = profile
        .map(|p| &p.settings)
        .into_iter()
        .chain([defaults])
        .collect();
    macro_rules! pick {
        ($field:ident) => {
            layers.iter().find_map(|l| l.$field.clone())
        };
    }
    let given = args.given.clone();
    let free = |id: &str| !given.contains(id);
    let mut applied = Applied {
        page_size: pick!(page_size),
        mouse: pick!(mouse),
        warnings: loaded.warnings(),
        profiles: loaded.entries(),
        theme: loaded.file.theme.clone(),
        keys: loaded.file.keys.clone(),
        ..Applied::default()
    };
    if args.sandbox {
        // The sandbox is its own backend, with its own credentials: only transport settings
        // (timeouts, read-only) apply.
    } else {
        if free("url")
            && let Some(url) = pick!(url)
        {
            args.url = Some(url);
        }
        if free("medusa_version")
            && let Some(v) = pick!(medusa_version)
        {
            args.medusa_version = v;
            applied.version_from_config = true;
        }
        if free("api_token") && free("email") {
            let source = layers.iter().find(|l| l.names_credentials());
            if let Some(source) = source {
                credentials(args, source, profile.map(|p| p.name.as_str()))?;
            }
        }
        if free("headers")
            && let Some(h) = pick!(headers)
        {
            args.headers = h;
        }
        if free("insecure")
            && let Some(v) = pick!(insecure)
        {
            args.insecure = v;
        }
    }
    if free("max_retries")
        && let Some(v) = pick!(max_retries)
    {
        args.max_retries = v;
    }
    if free("timeout")
        && let Some(v) = pick!(timeout)
    {
        args.timeout = v;
    }
    if free("read_only")
        && let Some(v) = pick!(read_only)
    {
        args.read_only = v;
    }
    if let Some(p) = profile {
        let production = p.production();
        applied.profile = Some(ProfileBadge {
            name: p.name.clone(),
            color: p.settings.color.or(defaults.color),
            production,
            confirm_by_name: production
                && p.settings
                    .confirm_by_name
                    .or(defaults.confirm_by_name)
                    .unwrap_or(true),
        });
    }
    Ok(applied)
}

/// Sets the credentials a layer names, reading secrets from where it says.
fn credentials(
    args: &mut ConnectArgs,
    layer: &Settings,
    profile: Option<&str>,
) -> Result<(), ConfigError> {
    let whose = match profile {
        Some(n) => format!("profile {n:?}"),
        None => "[defaults]".to_owned(),
    };
    let fail = |m: String| ConfigError::plain(None, format!("{whose}: {m}"));
    if let Some(token) = &layer.api_token {
        args.api_token = Some(token.clone());
    } else if let Some(var) = &layer.api_token_env {
        match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => args.api_token = Some(v.trim().to_owned()),
            _ => {
                return Err(fail(format!(
                    "api_token_env = {var:?}, but {var} is not set"
                )));
            }
        }
    } else if let Some(cmd) = &layer.api_token_command {
        let token = run_secret_command(cmd).map_err(|m| fail(format!("api_token_command: {m}")))?;
        args.api_token = Some(token);
    } else if let Some(email) = &layer.email {
        args.email = Some(email.clone());
        if let Some(var) = &layer.password_env {
            match std::env::var(var) {
                Ok(v) if !v.is_empty() => args.password = Some(SecretString::from(v)),
                _ => {
                    return Err(fail(format!(
                        "password_env = {var:?}, but {var} is not set"
                    )));
                }
            }
        } else if let Some(cmd) = &layer.password_command {
            let password =
                run_secret_command(cmd).map_err(|m| fail(format!("password_command: {m}")))?;
            args.password = Some(SecretString::from(password));
        }
    }
    Ok(())
}
