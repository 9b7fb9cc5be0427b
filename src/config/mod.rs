//! The config file (TOML): settings for every connection (`[defaults]`) and named profiles
//! (`[profiles.NAME]`), one per store. When connecting, a setting comes from the first of: a
//! flag, the environment, the chosen profile, `[defaults]`, the built-in default
//! ([`apply`]). The file is optional; a file that is there must be valid: every error names the
//! file, the line and the column, and unknown keys are errors, never silently ignored.

pub mod edit;
mod secret_source;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::style::Color;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use crate::api::DialectChoice;
use crate::connect::ConnectArgs;

pub use secret_source::run_secret_command;

/// Environment variable naming the config file (as `--config` does).
pub const CONFIG_ENV: &str = "MEDUSA_USERS_CONFIG";
/// Environment variable naming the profile (as `--profile` does).
pub const PROFILE_ENV: &str = "MEDUSA_PROFILE";
/// What `config init` writes: every setting, commented.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when none is named (`--profile`, `MEDUSA_PROFILE`) and no backend is
    /// given (`--url`, `MEDUSA_BACKEND_URL`, `--sandbox`).
    pub default_profile: Option<String>,
    #[serde(default)]
    pub defaults: Settings,
    #[serde(default)]
    pub profiles: BTreeMap<String, toml::Spanned<Settings>>,
    /// Styles for the console's elements (see [`theme::ThemeSpec`]).
    #[serde(default)]
    pub theme: theme::ThemeSpec,
    /// Key overrides per screen: `[keys.list] delete = ["x", "Delete"]` (the console checks
    /// the names and conflicts, see `tui::keymap_config`).
    #[serde(default, deserialize_with = "key_overrides")]
    pub keys: KeyOverrides,
}

/// `[keys]`: screen → action → keys, as the help names them.
pub type KeyOverrides = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// One key may be written alone (`delete = "x"`) or as a list (`delete = ["x", "Delete"]`).
fn key_overrides<'de, D: Deserializer<'de>>(d: D) -> Result<KeyOverrides, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let raw = BTreeMap::<String, BTreeMap<String, OneOrMany>>::deserialize(d)?;
    let overrides: KeyOverrides = raw
        .into_iter()
        .map(|(screen, actions)| {
            let actions = actions
                .into_iter()
                .map(|(action, keys)| match keys {
                    OneOrMany::One(k) => (action, vec![k]),
                    OneOrMany::Many(ks) => (action, ks),
                })
                .collect();
            (screen, actions)
        })
        .collect();
    // Checked here, with the file's position, rather than when the console starts: a bad key
    // is a bad file for every command, as a bad colour is.
    crate::tui::keymap::Keymap::with_overrides(&overrides).map_err(serde::de::Error::custom)?;
    Ok(overrides)
}

/// One layer of settings: `[defaults]` or a profile. Every field is optional: a missing one
/// falls through to the next layer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default, deserialize_with = "url")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "parsed")]
    pub medusa_version: Option<DialectChoice>,
    #[serde(default, deserialize_with = "duration")]
    pub timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    #[serde(default, deserialize_with = "headers")]
    pub headers: Option<Vec<String>>,
    pub insecure: Option<bool>,
    pub read_only: Option<bool>,
    #[serde(default, deserialize_with = "page_size")]
    pub page_size: Option<u32>,
    /// Log in with this e-mail (a remembered login is used first; else the password comes
    /// from `password_env`, `password_command` or a prompt).
    pub email: Option<String>,
    pub password_env: Option<String>,
    pub password_command: Option<String>,
    /// An API token (v1) or secret key (v2, `sk_…`) written in the file: only accepted when
    /// the file is readable by its owner alone, and then with a warning.
    pub api_token: Option<String>,
    /// The environment variable that holds the API token or secret key.
    pub api_token_env: Option<String>,
    /// A command that prints the API token or secret key (`pass show medusa/shop`).
    pub api_token_command: Option<String>,
    /// The colour of the profile's badge in the console: a name (`green`, `lightblue`), an
    /// index (`42`) or `#rrggbb`.
    #[serde(default, alias = "colour", deserialize_with = "parsed")]
    pub color: Option<Color>,
    /// A production store: shown unmistakably, and changes ask for the profile's name.
    pub production: Option<bool>,
    /// On a production profile, whether a change is confirmed by typing the profile's name
    /// (default) or by the usual yes/no.
    pub confirm_by_name: Option<bool>,
    /// The console takes clicks and the wheel (`--mouse`); off by default, which leaves the
    /// terminal's own text selection alone.
    pub mouse: Option<bool>,
}

impl Settings {
    fn names_credentials(&self) -> bool {
        self.email.is_some()
            || self.api_token.is_some()
            || self.api_token_env.is_some()
            || self.api_token_command.is_some()
    }
}

/// The config in force: where it came from, what it says.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The file read, or the file that would be read (absent at the default location).
    pub path: Option<PathBuf>,
    pub exists: bool,
    pub from: PathFrom,
    pub file: ConfigFile,
    /// Readable by its owner alone (so it may hold a secret).
    private: bool,
    text: String,
}

/// How the config file's path was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathFrom {
    Flag,
    Environment,
    #[default]
    Default,
}

/// A config error, located where it can be: `FILE:LINE:COLUMN: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    pub line_column: Option<(usize, usize)>,
    pub message: String,
}

impl ConfigError {
    fn render(&self) -> String {
        let path = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config".to_owned());
        match self.line_column {
            Some((line, column)) => format!("{path}:{line}:{column}: {}", self.message),
            None => format!("{path}: {}", self.message),
        }
    }

    fn plain(path: Option<&Path>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.map(Path::to_path_buf),
            line_column: None,
            message: message.into(),
        }
    }
}

/// `config.toml` in the platform's config directory (`~/.config/medusa-users` on Linux).
pub fn default_path() -> Option<PathBuf> {
    crate::files::config_dir().map(|d| d.join("config.toml"))
}

/// The file to read: `--config`, else `MEDUSA_USERS_CONFIG`, else the default location.
pub fn locate(flag: Option<&Path>) -> Option<(PathBuf, PathFrom)> {
    if let Some(p) = flag {
        return Some((p.to_path_buf(), PathFrom::Flag));
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(p), PathFrom::Environment));
    }
    default_path().map(|p| (p, PathFrom::Default))
}

/// Reads and checks the config file. A missing file is an empty config at the default
/// location, and an error where the operator named it.
pub fn load(flag: Option<&Path>) -> Result<Loaded, ConfigError> {
    let Some((path, from)) = locate(flag) else {
        return Ok(Loaded::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        // Nothing there (or no directory to hold it): no config, at the default location.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) && from == PathFrom::Default =>
        {
            return Ok(Loaded {
                path: Some(path),
                from,
                ..Loaded::default()
            });
        }
        Err(e) => {
            let named = match from {
                PathFrom::Flag => " (named by --config)",
                PathFrom::Environment => " (named by MEDUSA_USERS_CONFIG)",
                PathFrom::Default => "",
            };
            return Err(ConfigError::plain(
                Some(&path),
                format!("cannot read the config file{named}: {e}"),
            ));
        }
    };
    let private = is_private(&path);
    parse(&text, Some(&path), private).map(|file| Loaded {
        path: Some(path),
        exists: true,
        from,
        file,
        private,
        text,
    })
}

/// Parses and checks config text (`path` only names it in errors).
pub fn parse(text: &str, path: Option<&Path>, private: bool) -> Result<ConfigFile, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
        path: path.map(Path::to_path_buf),
        line_column: e.span().map(|s| line_column(text, s.start)),
        message: e.message().trim_end().to_owned(),
    })?;
    check(&file, text, path, private)?;
    Ok(file)
}

/// What the types alone cannot say: the default profile exists, a profile has one way to
/// sign in, and a secret written in the file is in a private file.
fn check(
    file: &ConfigFile,
    text: &str,
    path: Option<&Path>,
    private: bool,
) -> Result<(), ConfigError> {
    let at = |offset: usize, message: String| ConfigError {
        path: path.map(Path::to_path_buf),
        line_column: Some(line_column(text, offset)),
        message,
    };
    if let Some(name) = &file.default_profile
        && !file.profiles.contains_key(name)
    {
        let offset = text.find("default_profile").unwrap_or(0);
        return Err(at(
            offset,
            format!(
                "default_profile = {name:?}, but there is no [profiles.{name}] ({})",
                known_profiles(file)
            ),
        ));
    }
    let layers = std::iter::once(("[defaults]".to_owned(), &file.defaults, 0)).chain(
        file.profiles
            .iter()
            .map(|(n, s)| (format!("profile {n:?}"), s.get_ref(), s.span().start)),
    );
    for (what, settings, offset) in layers {
        let ways = [
            settings.email.is_some(),
            settings.api_token.is_some(),
            settings.api_token_env.is_some(),
            settings.api_token_command.is_some(),
        ];
        if ways.iter().filter(|w| **w).count() > 1 {
            return Err(at(
                offset,
                format!(
                    "{what} names more than one way to sign in; keep one of email, api_token, \
                     api_token_env, api_token_command"
                ),
            ));
        }
        if settings.password_env.is_some() && settings.password_command.is_some() {
            return Err(at(
                offset,
                format!("{what} has both password_env and password_command; keep one"),
            ));
        }
        if (settings.password_env.is_some() || settings.password_command.is_some())
            && settings.email.is_none()
        {
            return Err(at(
                offset,
                format!("{what} says where a password comes from but has no email to log in with"),
            ));
        }
        if settings.api_token.is_some() && !private {
            return Err(at(
                offset,
                format!(
                    "{what} holds a plaintext api_token but the file is readable by other \
                     users; run `chmod 600` on it, or use api_token_env / api_token_command"
                ),
            ));
        }
    }
    Ok(())
}

fn known_profiles(file: &ConfigFile) -> String {
    if file.profiles.is_empty() {
        "the file has no profiles".to_owned()
    } else {
        let names: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
        format!("profiles: {}", names.join(", "))
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn is_private(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

impl Loaded {
    pub fn profile_names(&self) -> Vec<String> {
        self.file.profiles.keys().cloned().collect()
    }

    /// The profile `name`, or an error that lists the ones there are.
    pub fn profile(&self, name: &str) -> Result<Profile, ConfigError> {
        match self.file.profiles.get(name) {
            Some(s) => Ok(Profile {
                name: name.to_owned(),
                settings: s.get_ref().clone(),
            }),
            None => Err(ConfigError::plain(
                self.path.as_deref(),
                format!(
                    "no profile {name:?}{} ({})",
                    if self.exists {
                        ""
                    } else {
                        " (the file does not exist)"
                    },
                    known_profiles(&self.file)
                ),
            )),
        }
    }

    /// The text read (for `profiles add/remove`, which keep its comments).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A warning for each plaintext secret (accepted only because the file is private).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(path) = &self.path
            && self.private
        {
            for (name, s) in &self.file.profiles {
                if s.get_ref().api_token.is_some() {
                    out.push(format!(
                        "profile {name:?} keeps its api_token in {} as plain text; \
                         api_token_env or api_token_command keep it out of the file",
                        path.display()
                    ));
                }
            }
            if self.file.defaults.api_token.is_some() {
                out.push(format!(
                    "[defaults] keeps an api_token in {} as plain text",
                    path.display()
                ));
            }
        }
        out
    }
}

/// A profile as the console's switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileEntry {
    pub name: String,
    pub url: Option<String>,
    pub production: bool,
    pub color: Option<Color>,
}

impl Loaded {
    /// Every profile, for the console's switcher.
    pub fn entries(&self) -> Vec<ProfileEntry> {
        let defaults = &self.file.defaults;
        self.file
            .profiles
            .iter()
            .map(|(name, s)| {
                let s = s.get_ref();
                ProfileEntry {
                    name: name.clone(),
                    url: s.url.clone().or_else(|| defaults.url.clone()),
                    production: s.production.or(defaults.production).unwrap_or(false),
                    color: s.color.or(defaults.color),
                }
            })
            .collect()
    }
}

/// A named store from the config.
#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub settings: Settings,
}

impl Profile {
    pub fn production(&self) -> bool {
        self.settings.production.unwrap_or(false)
    }
}

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

/// The connection flags whose source [`apply`] respects (clap's argument ids).
pub const CONNECTION_FLAGS: [&str; 10] = [
    "url",
    "api_token",
    "email",
    "max_retries",
    "timeout",
    "headers",
    "insecure",
    "read_only",
    "medusa_version",
    "sandbox",
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

// Deserializers that check a value where it is read, so its error carries the value's line
// and column.

fn parsed<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let raw = ScalarText::deserialize(d)?.0;
    raw.parse::<T>()
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("{raw:?}: {e}")))
}

/// A string, or a number written bare (`medusa_version = 2`, `color = 42`).
struct ScalarText(String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(i64),
        }
        match Raw::deserialize(d) {
            Ok(Raw::Text(s)) => Ok(ScalarText(s)),
            Ok(Raw::Number(n)) => Ok(ScalarText(n.to_string())),
            Err(_) => Err(serde::de::Error::custom("expected a string or a number")),
        }
    }
}

fn url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw = String::deserialize(d)?;
    crate::api::client::parse_base_url(&raw)
        .map_err(serde::de::Error::custom)
        .map(|_| Some(raw))
}

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let raw = ScalarText::deserialize(d)?.0;
    crate::connect::parse_duration(&raw)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn headers<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let raw = Vec::<String>::deserialize(d)?;
    for h in &raw {
        crate::api::client::parse_header(h).map_err(serde::de::Error::custom)?;
    }
    Ok(Some(raw))
}

fn page_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let n = u32::deserialize(d)?;
    if (1..=500).contains(&n) {
        Ok(Some(n))
    } else {
        Err(serde::de::Error::custom(format!(
            "page_size = {n}: expected 1 to 500"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("a\nbé c", 5), (2, 3));
        assert_eq!(line_column("abc", 0), (1, 1));
        assert_eq!(line_column("abc", 99), (1, 4));
    }
}
