//! The TUI's forms — create user, edit user, log in, apply a reset token, invite — as fields, and
//! their validation into API requests. The rules are the server's own (e-mail format, role
//! enum, required password) plus the ones an operator needs (passwords typed twice match).

mod metadata;

pub use metadata::{MetaValue, format_metadata, metadata_changes, parse_metadata};

use super::form::{Field, Form};
use crate::api::{
    Capabilities, CreateInvite, CreateUser, ResetPassword, UpdateUser, User, is_plausible_email,
};

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
pub const AVATAR_URL: &str = "Avatar URL";

/// The shortest password a server that spends a reset token on a failed attempt (v2) is sent:
/// Medusa's own rule, checked here so a token is not burnt on it.
pub const MIN_RESET_PASSWORD: usize = 8;

/// The new-invite form: the e-mail, and a role (member first) where invites carry one (v1).
pub fn invite_form(caps: Option<&Capabilities>) -> Form {
    let mut fields = vec![Field::text(EMAIL, "")];
    if caps.is_some_and(|c| c.invites.roles) {
        fields.push(Field::role(ROLE, crate::api::Role::Member));
    }
    Form::new(fields)
}

/// The invite to send, or `None` with the errors set. The e-mail is lower-cased here (the
/// client does it too): Medusa compares invite e-mails exactly, so `Ann@x.io` invited would
/// never match the account `ann@x.io` logs in as.
pub fn validate_invite(form: &mut Form) -> Option<CreateInvite> {
    form.clear_errors();
    let email = check_email(form, EMAIL)?;
    Some(CreateInvite {
        email: email.to_lowercase(),
        role: form.field(ROLE).map(|f| f.role),
    })
}

/// The create form, with the fields this server has (`None`: not known yet, the v1 set).
pub fn create_form(caps: Option<&Capabilities>) -> Form {
    let mut fields = vec![
        Field::text(EMAIL, ""),
        Field::text(FIRST_NAME, ""),
        Field::text(LAST_NAME, ""),
    ];
    if caps.is_none_or(|c| c.roles) {
        fields.push(Field::role(ROLE, crate::api::Role::Member));
    }
    fields.push(Field::secret(PASSWORD, ""));
    fields.push(Field::secret(CONFIRM, ""));
    Form::new(fields)
}

/// The edit form, with the fields this server has: role and API token where users have them
/// (v1), the avatar URL where they have that (v2).
pub fn edit_form(user: &User, caps: Option<&Capabilities>) -> Form {
    let mut fields = vec![
        Field::read_only(EMAIL, &user.email),
        Field::text(FIRST_NAME, user.first_name.as_deref().unwrap_or("")),
        Field::text(LAST_NAME, user.last_name.as_deref().unwrap_or("")),
    ];
    if caps.is_none_or(|c| c.roles) {
        fields.push(Field::role(ROLE, user.role.unwrap_or_default()));
    }
    if caps.is_none_or(|c| c.user_api_token) {
        fields.push(Field::secret(
            API_TOKEN,
            user.api_token.as_deref().unwrap_or(""),
        ));
    }
    if caps.is_some_and(|c| c.avatar_url) {
        fields.push(
            Field::text(AVATAR_URL, user.avatar_url.as_deref().unwrap_or(""))
                .with_hint("an image URL; empty removes it"),
        );
    }
    fields.push(
        Field::text(METADATA, &format_metadata(user.metadata.as_ref())).with_hint(METADATA_HINT),
    );
    Form::new(fields)
}

pub fn login_form(email: &str) -> Form {
    let mut form = Form::new(vec![Field::text(EMAIL, email), Field::secret(PASSWORD, "")]);
    if !email.is_empty() {
        form.focus_on(PASSWORD);
    }
    form
}

/// How the metadata field reads, under it while it has the focus.
pub const METADATA_HINT: &str = "key=text, key:=JSON (level:=4, vip:=true, tags:=[\"a\"], \
    {…}). \\, is a comma in text; key:=\"…\" keeps spaces at the ends; \"a=b\"=text quotes \
    a key. Remove a pair to delete its key.";

/// The form that applies a reset token; `token` prefills it (read from the sandbox's outbox).
pub fn reset_apply_form(token: Option<&str>) -> Form {
    let mut form = Form::new(vec![
        Field::secret(TOKEN, token.unwrap_or(""))
            .with_hint("paste the token from the reset e-mail"),
        Field::secret(NEW_PASSWORD, ""),
        Field::secret(CONFIRM, ""),
    ]);
    if token.is_some() {
        form.focus_on(NEW_PASSWORD);
    }
    form
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
        role: form.field(ROLE).map(|f| f.role),
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
    if let Some(role) = form.field(ROLE).map(|f| f.role)
        && Some(role) != user.role
    {
        update.role = Some(role);
    }
    if form.field(AVATAR_URL).is_some() {
        let avatar = optional(form.value(AVATAR_URL));
        if avatar != user.avatar_url.clone().filter(|s| !s.is_empty()) {
            // `null` clears it, as for the names.
            update.avatar_url = Some(avatar);
        }
    }
    let token = form.value(API_TOKEN).trim().to_owned();
    if form.field(API_TOKEN).is_some() && token != user.api_token.clone().unwrap_or_default() {
        if token.is_empty() {
            form.set_error(
                API_TOKEN,
                "Medusa v1 cannot remove an API token; type a new one to replace it",
            );
        } else {
            update.api_token = Some(token);
        }
    }
    // Only a metadata field the operator touched is sent: a save that renames someone must
    // not rewrite metadata that another admin may have changed since the form opened.
    if form.is_changed(METADATA) {
        match parse_metadata(form.value(METADATA)) {
            Ok(pairs) => update.metadata = metadata_changes(user.metadata.as_ref(), &pairs),
            Err(e) => form.set_error(METADATA, e),
        }
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

/// The reset request, or `None` with the field errors set. Where a failed attempt spends the
/// token (v2), a password the server would refuse is caught here, before sending.
pub fn validate_reset(
    form: &mut Form,
    email: &str,
    caps: Option<&Capabilities>,
) -> Option<ResetPassword> {
    form.clear_errors();
    let token = form.value(TOKEN).trim().to_owned();
    if token.is_empty() {
        form.set_error(TOKEN, "paste the token from the reset e-mail");
    }
    let password = check_new_password(form, NEW_PASSWORD);
    if let Some(p) = &password
        && caps.is_some_and(|c| c.reset.failed_apply_burns_token)
        && p.chars().count() < MIN_RESET_PASSWORD
    {
        form.set_error(
            NEW_PASSWORD,
            format!(
                "at least {MIN_RESET_PASSWORD} characters (a refused attempt would spend the token)"
            ),
        );
    }
    if form.has_field_errors() {
        return None;
    }
    Some(ResetPassword {
        token,
        password: password?,
        email: caps
            .is_none_or(|c| c.reset.apply_takes_email)
            .then(|| email.to_owned()),
    })
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
    use serde_json::{Value, json};

    fn user() -> User {
        User {
            id: "usr_1".into(),
            created_at: Timestamp::default(),
            updated_at: Timestamp::default(),
            deleted_at: None,
            role: Some(Role::Member),
            email: "alice@example.com".into(),
            first_name: Some("Alice".into()),
            last_name: None,
            api_token: Some("tok".into()),
            metadata: json!({"team": "ops, east", "level": 4})
                .as_object()
                .cloned(),
            avatar_url: None,
            wire: crate::api::Dialect::V1,
        }
    }

    #[test]
    fn metadata_round_trips_through_text() {
        let mut u = user();
        u.metadata = json!({"team": "ops, east", "level": 4, "nested": {"a": [1, "x,y"]},
            "path": "c:\\tmp", "empty": ""})
        .as_object()
        .cloned();
        let text = format_metadata(u.metadata.as_ref());
        assert_eq!(
            text,
            r#"team=ops\, east, level:=4, nested:={"a":[1,"x,y"]}, path=c:\\tmp, empty="#
        );
        let pairs = parse_metadata(&text).unwrap();
        assert_eq!(
            pairs[0],
            ("team".into(), MetaValue::Text("ops, east".into()))
        );
        assert_eq!(pairs[1], ("level".into(), MetaValue::Json(json!(4))));
        assert_eq!(metadata_changes(u.metadata.as_ref(), &pairs), None);
    }

    #[test]
    fn metadata_changes_are_minimal_and_typed() {
        let u = user();
        let pairs = parse_metadata("level:=5, floor=3, vip:=true").unwrap();
        let changes = metadata_changes(u.metadata.as_ref(), &pairs).unwrap();
        assert_eq!(
            Value::Object(changes),
            json!({"team": "", "level": 5, "floor": "3", "vip": true})
        );
        assert!(parse_metadata("novalue").is_err());
        assert!(parse_metadata("=x").is_err());
        assert!(parse_metadata("a=1, a=2").is_err());
        assert!(parse_metadata("a:=nope").is_err());
        assert!(parse_metadata("a:=1 2").is_err());
        assert_eq!(parse_metadata(" , ").unwrap(), vec![]);
    }

    #[test]
    fn an_untouched_metadata_field_sends_no_metadata() {
        // Values the old format could not carry: before, every save of this user sent them.
        let mut u = user();
        u.metadata = json!({"a=b": "v", "note": " x ", "x,y": 1})
            .as_object()
            .cloned();
        let mut f = edit_form(&u, None);
        f.focus_on(FIRST_NAME);
        let typed = crossterm::event::Event::Paste("e".into());
        assert!(f.input(&typed));
        let update = validate_edit(&mut f, &u).unwrap();
        assert_eq!(update.first_name, Some(Some("Alicee".into())));
        assert_eq!(update.metadata, None, "{update:?}");
    }

    #[test]
    fn a_touched_metadata_field_sends_only_its_changes() {
        let u = user();
        let mut f = edit_form(&u, None);
        f.focus_on(METADATA);
        let typed = crossterm::event::Event::Paste("9".into());
        assert!(f.input(&typed), "the field took the key");
        assert!(
            f.value(METADATA).ends_with("level:=49"),
            "{}",
            f.value(METADATA)
        );
        let update = validate_edit(&mut f, &u).unwrap();
        assert_eq!(
            update.metadata.map(Value::Object),
            Some(json!({"level": 49})),
            "the untouched team=ops\\, east is not sent"
        );
    }

    #[test]
    fn create_validation_marks_each_bad_field() {
        let mut f = create_form(None);
        assert!(validate_create(&mut f).is_none());
        assert_eq!(f.field(EMAIL).unwrap().error.as_deref(), Some("required"));
        assert!(f.field(PASSWORD).unwrap().error.is_some());
    }

    #[test]
    fn edit_sends_only_changes() {
        let u = user();
        let mut f = edit_form(&u, None);
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
