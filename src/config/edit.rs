//! `profiles add` and `profiles remove`: edits of the config file that keep everything else in
//! it (comments, order, layout) as the operator wrote it.

use toml_edit::{DocumentMut, Item, Table, value};

use super::{ConfigError, parse};

/// A new profile, as `profiles add` was given it.
#[derive(Debug, Clone, Default)]
pub struct NewProfile {
    pub name: String,
    pub url: String,
    pub medusa_version: Option<String>,
    pub api_token_env: Option<String>,
    pub api_token_command: Option<String>,
    pub email: Option<String>,
    pub color: Option<String>,
    pub production: bool,
}

/// The file's text with `profile` added; an existing profile of that name is an error unless
/// `replace`.
pub fn add_profile(text: &str, profile: &NewProfile, replace: bool) -> Result<String, String> {
    check_name(&profile.name)?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or("`profiles` in the config file is not a table")?;
    if profiles.contains_key(&profile.name) && !replace {
        return Err(format!(
            "there is already a profile {:?}; pass --replace to overwrite it",
            profile.name
        ));
    }
    let mut table = Table::new();
    table["url"] = value(&profile.url);
    if let Some(v) = &profile.medusa_version {
        table["medusa_version"] = value(v);
    }
    if let Some(v) = &profile.email {
        table["email"] = value(v);
    }
    if let Some(v) = &profile.api_token_env {
        table["api_token_env"] = value(v);
    }
    if let Some(v) = &profile.api_token_command {
        table["api_token_command"] = value(v);
    }
    if let Some(v) = &profile.color {
        table["color"] = value(v);
    }
    if profile.production {
        table["production"] = value(true);
    }
    profiles.insert(&profile.name, Item::Table(table));
    let out = doc.to_string();
    // What is written must load: the same checks as any other read (a file that is not
    // private is assumed, so a plaintext secret elsewhere cannot slip through).
    parse(&out, None, true).map_err(|e: ConfigError| e.message)?;
    Ok(out)
}

/// The file's text without the profile `name` (and with `default_profile` removed when it named
/// it, since it would no longer load).
pub fn remove_profile(text: &str, name: &str) -> Result<(String, bool), String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let removed = doc
        .get_mut("profiles")
        .and_then(Item::as_table_like_mut)
        .and_then(|t| t.remove(name))
        .is_some();
    if !removed {
        return Err(format!("there is no profile {name:?}"));
    }
    let was_default = doc.get("default_profile").and_then(Item::as_str) == Some(name);
    if was_default {
        doc.remove("default_profile");
    }
    Ok((doc.to_string(), was_default))
}

/// The file's text with `default_profile = name` (added at the top, or changed in place).
pub fn set_default(text: &str, name: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    match doc.get_mut("default_profile") {
        Some(item) => *item = value(name),
        // A top-level key is written before every table, where TOML needs it.
        None => {
            doc.insert("default_profile", value(name));
        }
    }
    Ok(doc.to_string())
}

/// Profile names are table keys and shell words: keep them plain.
fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "profile name {name:?}: use letters, digits, - _ and . (at most 64)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "# my stores\ndefault_profile = \"a\"\n\n[profiles.a] # first\nurl = \"http://a.test\"\n";

    #[test]
    fn adding_keeps_comments_and_layout() {
        let p = NewProfile {
            name: "b".into(),
            url: "https://b.test".into(),
            api_token_env: Some("B_KEY".into()),
            production: true,
            ..NewProfile::default()
        };
        let out = add_profile(FILE, &p, false).unwrap();
        assert!(out.starts_with(FILE), "{out}");
        assert!(out.contains("[profiles.b]\nurl = \"https://b.test\"\napi_token_env = \"B_KEY\"\nproduction = true\n"), "{out}");
        assert!(
            add_profile(&out, &p, false)
                .unwrap_err()
                .contains("already")
        );
        assert!(
            add_profile(
                FILE,
                &NewProfile {
                    name: "x y".into(),
                    ..p
                },
                false
            )
            .is_err()
        );
    }

    #[test]
    fn removing_the_default_profile_removes_the_pointer() {
        let (out, was_default) = remove_profile(FILE, "a").unwrap();
        assert!(was_default);
        assert!(
            !out.contains("profiles.a") && !out.contains("default_profile"),
            "{out}"
        );
        assert!(remove_profile(FILE, "zz").is_err());
    }
}
