//! The config file (TOML): settings for every connection (`[defaults]`) and named profiles
//! (`[profiles.NAME]`), one per store. When connecting, a setting comes from the first of: a
//! flag, the environment, the chosen profile, `[defaults]`, the built-in default
//! ([`apply`]). The file is optional; a file that is there must be valid: every error names the
//! file, the line and the column, and unknown keys are errors, never silently ignored.
//!
//! One module a job: `schema` (the file's types and the checks made while reading a value),
//! `load` (finding, reading and checking the file, its profiles), `precedence` (which layer
//! wins: [`apply`]), `error` (a located [`ConfigError`]); `edit` changes the file keeping its
//! comments, `theme` reads the console's styles.

pub mod edit;
mod error;
mod load;
mod precedence;
mod schema;
mod secret_source;
pub mod theme;

pub use error::ConfigError;
pub use load::{Loaded, PathFrom, Profile, ProfileEntry, default_path, load, locate, parse};
pub use precedence::{Applied, CONNECTION_FLAGS, Given, ProfileBadge, apply, chosen_profile};
pub use schema::{ConfigFile, KeyOverrides, Settings};
pub use secret_source::run_secret_command;

/// Environment variable naming the config file (as `--config` does).
pub const CONFIG_ENV: &str = "MEDUSA_USERS_CONFIG";
/// Environment variable naming the profile (as `--profile` does).
pub const PROFILE_ENV: &str = "MEDUSA_PROFILE";
/// What `config init` writes: every setting, commented.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");
