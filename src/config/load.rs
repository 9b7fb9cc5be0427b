//! Finding the config file (`--config`, `MEDUSA_USERS_CONFIG`, the default location), reading
//! and checking it, and what the loaded config says about its profiles.

use std::path::{Path, PathBuf};

use ratatui::style::Color;

use super::{CONFIG_ENV, ConfigError, ConfigFile, Settings};

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
