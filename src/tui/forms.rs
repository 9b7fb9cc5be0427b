//! The TUI's four forms — create user, edit user, log in, apply a reset token — as fields, and
//! their validation into API requests. The rules are the server's own (e-mail format, role
//! enum, required password) plus the ones an operator needs (passwords typed twice match).

use serde_json::{Map, Value};

use super::form::{Field, Form};
use crate::api::{CreateUser, ResetPassword, UpdateUser, User, is_plausible_email};

pub const EMAIL: &str = "Email";
pub const FIRST_NAME: &str = "First name";
pub const LAST_NAME: &str = "Last name";
pub const ROLE: &str = "Role";
pub const PASSWORD: &str = "Password";
pub const CONFIRM: &str = "Confirm password";
pub const API_TOKEN: &str = "API token";
pub const METADATA: &str = "Metadata";
pub const TOKEN: &str = "Reset token";
pub const NEW_PASSWORD: &str = "New password";

pub fn create_form() -> Form {
    Form::new(vec![
        Field::text(EMAIL, ""),
        Field::text(FIRST_NAME, ""),
        Field::text(LAST_NAME, ""),
        Field::role(ROLE, crate::api::Role::Member),
        Field::secret(PASSWORD, ""),
        Field::secret(CONFIRM, ""),
    ])
}

pub fn edit_form(user: &User) -> Form {
    Form::new(vec![
        Field::read_only(EMAIL, &user.email),
        Field::text(FIRST_NAME, user.first_name.as_deref().unwrap_or("")),
        Field::text(LAST_NAME, user.last_name.as_deref().unwrap_or("")),
        Field::role(ROLE, user.role),
        Field::secret(API_TOKEN, user.api_token.as_deref().unwrap_or("")),
        Field::text(METADATA, &format_metadata(user.metadata.as_ref()))
            .with_hint("key=value, key=value  (remove a pair to delete its key)"),
    ])
}

pub fn login_form(email: &str) -> Form {
    let mut form = Form::new(vec![Field::text(EMAIL, email), Field::secret(PASSWORD, "")]);
    if !email.is_empty() {
        form.focus_on(PASSWORD);
    }
    form
}

pub fn reset_apply_form() -> Form {
    Form::new(vec![
        Field::secret(TOKEN, "").with_hint("paste the token from the reset e-mail"),
        Field::secret(NEW_PASSWORD, ""),
        Field::secret(CONFIRM, ""),
    ])
}

fn check_email(form: &mut Form, label: &str) -> Option<String> {
    let email = form.value(label).trim().to_owned();
    if email.is_empty() {
        form.set_error(label, "required");
        None
    } else if !is_plausible_email(&email) {
        form.set_error(label, "not an e-mail address (name@example.com)");
        None
    } else {
        Some(email)
    }
}

fn check_new_password(form: &mut Form, label: &str) -> Option<String> {
    let password = form.value(label).to_owned();
    let confirm = form.value(CONFIRM).to_owned();
    if password.is_empty() {
        form.set_error(label, "required");
        return None;
    }
    if password != confirm {
        form.set_error(CONFIRM, "does not match");
        return None;
    }
    Some(password)
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The create request, or `None` with the field errors set.
pub fn validate_create(form: &mut Form) -> Option<CreateUser> {
    form.clear_errors();
    let email = check_email(form, EMAIL);
    let password = check_new_password(form, PASSWORD);
    let request = CreateUser {
        email: email?,
        password: password?,
        first_name: optional(form.value(FIRST_NAME)),
        last_name: optional(form.value(LAST_NAME)),
        role: Some(form.role(ROLE)),
    };
    (!form.has_field_errors()).then_some(request)
}

/// The update request with only what changed, or `None` with the field errors set. An
/// unchanged form gives an empty update (the caller closes the form without a request).
pub fn validate_edit(form: &mut Form, user: &User) -> Option<UpdateUser> {
    form.clear_errors();
    let mut update = UpdateUser::default();
    let name = |v: &str| optional(v);
    if name(form.value(FIRST_NAME)) != user.first_name.clone().filter(|s| !s.is_empty()) {
        update.first_name = Some(name(form.value(FIRST_NAME)));
    }
    if name(form.value(LAST_NAME)) != user.last_name.clone().filter(|s| !s.is_empty()) {
        update.last_name = Some(name(form.value(LAST_NAME)));
    }
    if form.role(ROLE) != user.role {
        update.role = Some(form.role(ROLE));
    }
    let token = form.value(API_TOKEN).trim().to_owned();
    if token != user.api_token.clone().unwrap_or_default() {
        if token.is_empty() {
            form.set_error(
                API_TOKEN,
                "Medusa v1 cannot remove an API token; type a new one to replace it",
            );
        } else {
            update.api_token = Some(token);
        }
    }
    match parse_metadata(form.value(METADATA)) {
        Ok(pairs) => update.metadata = metadata_changes(user.metadata.as_ref(), &pairs),
        Err(e) => form.set_error(METADATA, e),
    }
    (!form.has_field_errors()).then_some(update)
}

pub fn validate_login(form: &mut Form) -> Option<(String, String)> {
    form.clear_errors();
    let email = check_email(form, EMAIL);
    let password = form.value(PASSWORD).to_owned();
    if password.is_empty() {
        form.set_error(PASSWORD, "required");
    }
    let email = email?;
    (!form.has_field_errors()).then_some((email, password))
}

pub fn validate_reset(form: &mut Form, email: &str) -> Option<ResetPassword> {
    form.clear_errors();
    let token = form.value(TOKEN).trim().to_owned();
    if token.is_empty() {
        form.set_error(TOKEN, "paste the token from the reset e-mail");
    }
    let password = check_new_password(form, NEW_PASSWORD);
    if form.has_field_errors() {
        return None;
    }
    Some(ResetPassword {
        token,
        password: password?,
        email: Some(email.to_owned()),
    })
}

/// `team=ops, level=4`: string values as they are, others as JSON; commas and backslashes in
/// values are escaped with a backslash so the text parses back to the same pairs.
pub fn format_metadata(metadata: Option<&Map<String, Value>>) -> String {
    let Some(map) = metadata else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{k}={}", escape(&text))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(',', "\\,")
}

/// Parses `key=value, key=value` (with `\,` and `\\` escapes) into ordered pairs.
pub fn parse_metadata(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => current.push(next),
                None => current.push('\\'),
            },
            ',' => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in parts {
        if part.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("{:?} is not key=value", part.trim()));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("{:?} has an empty key", part.trim()));
        }
        if pairs.iter().any(|(k, _)| k == key) {
            return Err(format!("key {key:?} appears twice"));
        }
        pairs.push((key.to_owned(), value.trim().to_owned()));
    }
    Ok(pairs)
}

/// What to send so the server's metadata becomes `pairs`: changed and new keys, and `""` for
/// removed keys (Medusa merges metadata and deletes keys set to ""). A value keeps its JSON type
/// when it was not a string and still parses as one (level=4 stays a number). `None` when nothing
/// changed.
pub fn metadata_changes(
    original: Option<&Map<String, Value>>,
    pairs: &[(String, String)],
) -> Option<Map<String, Value>> {
    let empty = Map::new();
    let original = original.unwrap_or(&empty);
    let mut changes = Map::new();
    for key in original.keys() {
        if !pairs.iter().any(|(k, _)| k == key) {
            changes.insert(key.clone(), Value::String(String::new()));
        }
    }
    for (key, text) in pairs {
        let value = match original.get(key) {
            Some(Value::String(_)) | None => Value::String(text.clone()),
            Some(_) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        };
        if original.get(key) != Some(&value) {
            changes.insert(key.clone(), value);
        }
    }
    (!changes.is_empty()).then_some(changes)
}

/// Where a server message about a form belongs: the field it names, if any.
pub fn field_for_server_message(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    if m.contains("email") {
        Some(EMAIL)
    } else if m.starts_with("first_name") {
        Some(FIRST_NAME)
    } else if m.starts_with("last_name") {
        Some(LAST_NAME)
    } else if m.starts_with("role") {
        Some(ROLE)
    } else if m.starts_with("password") {
        Some(PASSWORD)
    } else if m.starts_with("metadata") {
        Some(METADATA)
    } else if m.starts_with("api_token") {
        Some(API_TOKEN)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Role, Timestamp};
    use serde_json::json;

    fn user() -> User {
        User {
            id: "usr_1".into(),
            created_at: Timestamp::default(),
            updated_at: Timestamp::default(),
            deleted_at: None,
            role: Role::Member,
            email: "alice@example.com".into(),
            first_name: Some("Alice".into()),
            last_name: None,
            api_token: Some("tok".into()),
            metadata: json!({"team": "ops, east", "level": 4})
                .as_object()
                .cloned(),
        }
    }

    #[test]
    fn metadata_round_trips_through_text() {
        let u = user();
        let text = format_metadata(u.metadata.as_ref());
        assert_eq!(text, r"team=ops\, east, level=4");
        let pairs = parse_metadata(&text).unwrap();
        assert_eq!(pairs[0], ("team".into(), "ops, east".into()));
        assert_eq!(metadata_changes(u.metadata.as_ref(), &pairs), None);
    }

    #[test]
    fn metadata_changes_are_minimal_and_typed() {
        let u = user();
        let pairs = parse_metadata("level=5, floor=3").unwrap();
        let changes = metadata_changes(u.metadata.as_ref(), &pairs).unwrap();
        assert_eq!(
            Value::Object(changes),
            json!({"team": "", "level": 5, "floor": "3"})
        );
        assert!(parse_metadata("novalue").is_err());
        assert!(parse_metadata("=x").is_err());
        assert!(parse_metadata("a=1, a=2").is_err());
        assert_eq!(parse_metadata(" , ").unwrap(), vec![]);
    }

    #[test]
    fn create_validation_marks_each_bad_field() {
        let mut f = create_form();
        assert!(validate_create(&mut f).is_none());
        assert_eq!(f.field(EMAIL).unwrap().error.as_deref(), Some("required"));
        assert!(f.field(PASSWORD).unwrap().error.is_some());
    }

    #[test]
    fn edit_sends_only_changes() {
        let u = user();
        let mut f = edit_form(&u);
        let update = validate_edit(&mut f, &u).unwrap();
        assert!(update.is_empty(), "{update:?}");
    }

    #[test]
    fn server_messages_find_their_field() {
        assert_eq!(
            field_for_server_message("A user with the same email already exists."),
            Some(EMAIL)
        );
        assert_eq!(
            field_for_server_message("first_name must be a string"),
            Some(FIRST_NAME)
        );
        assert_eq!(field_for_server_message("An unknown error occurred."), None);
    }
}
