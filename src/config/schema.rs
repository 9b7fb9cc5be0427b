//! The config file's schema: the whole file, one layer of settings (`[defaults]` or a profile),
//! `[keys]`, and the deserializers that check a value where it is read, so that its error
//! carries the value's line and column.

use std::collections::BTreeMap;
use std::time::Duration;

use ratatui::style::Color;
use serde::{Deserialize, Deserializer};

use super::theme;
use crate::api::DialectChoice;

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
    pub(super) fn names_credentials(&self) -> bool {
        self.email.is_some()
            || self.api_token.is_some()
            || self.api_token_env.is_some()
            || self.api_token_command.is_some()
    }
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
