//! Request validation with Medusa v1's messages. Medusa validates with class-validator
//! (`whitelist` + `forbidNonWhitelisted`) and joins the messages with ", ": first one
//! `property X should not exist` per unknown key, in body order, then each declared property in
//! declaration order, each with its constraints in decorator order. The recordings pin the
//! exact texts; the request DTOs of `@medusajs/medusa` 1.20 fix the orders.

use serde_json::{Map, Value};

use super::super::deviations::{self, Deviation};
use super::super::store::UserChanges;
use super::email::is_email;

pub const ROLES: [&str; 3] = ["admin", "member", "developer"];
const ROLE_MESSAGE: &str = "role must be one of the following values: admin, member, developer";

/// Why a request was rejected: a 400 `invalid_data` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl From<&Deviation> for Invalid {
    fn from(d: &Deviation) -> Self {
        Invalid(d.message().to_owned())
    }
}

/// Collects messages in class-validator's order.
struct Checker<'a> {
    body: &'a Map<String, Value>,
    errors: Vec<String>,
    /// The body was not an object at all; that one message is the whole answer.
    not_an_object: bool,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> Checker<'a> {
    fn new(body: &'a Value, allowed: &[&str]) -> Self {
        let Some(body) = body.as_object() else {
            // A JSON array (the only other thing body-parser's strict mode lets through).
            return Checker {
                body: &EMPTY,
                errors: vec!["an unknown value was passed to the validate function".to_owned()],
                not_an_object: true,
            };
        };
        let errors = body
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .map(|k| format!("property {k} should not exist"))
            .collect();
        Checker {
            body,
            errors,
            not_an_object: false,
        }
    }

    /// `None` is JavaScript's `undefined`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.body.get(key)
    }

    fn fail(&mut self, message: impl Into<String>) {
        if !self.not_an_object {
            self.errors.push(message.into());
        }
    }

    fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors.join(", ")))
        }
    }

    /// `@IsEmail()`; the address lower-cased is what Medusa stores and looks up.
    fn email(&mut self, key: &str) -> Option<String> {
        match self.get(key).and_then(Value::as_str) {
            Some(e) if is_email(e) => Some(e.to_owned()),
            _ => {
                self.fail(format!("{key} must be an email"));
                None
            }
        }
    }

    /// `@IsString()`.
    fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key).and_then(Value::as_str) {
            Some(s) => Some(s.to_owned()),
            None => {
                self.fail(format!("{key} must be a string"));
                None
            }
        }
    }

    /// `@IsOptional() @IsString()`: `None` absent, `Some(None)` null.
    fn optional_string(&mut self, key: &str) -> Option<Option<String>> {
        match self.get(key)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.clone())),
            _ => {
                self.fail(format!("{key} must be a string"));
                None
            }
        }
    }

    /// `@IsOptional() @IsEnum(UserRoles)`. A null role passes class-validator but would store
    /// a user without a role; the sandbox refuses it (see [`deviations::NULL_ROLE`]).
    fn optional_role(&mut self) -> Option<String> {
        match self.get("role")? {
            Value::String(r) if ROLES.contains(&r.as_str()) => Some(r.clone()),
            Value::Null => {
                self.fail(deviations::NULL_ROLE.message());
                None
            }
            _ => {
                self.fail(ROLE_MESSAGE);
                None
            }
        }
    }
}

/// `@IsNotEmpty()`: anything but `""`, null and undefined.
fn not_empty(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null)) && v.and_then(Value::as_str) != Some("")
}

/// `POST /admin/auth` and `POST /admin/auth/token`.
#[derive(Clone)]
pub struct Login {
    pub email: String,
    pub password: String,
}

pub fn login(body: &Value) -> Result<Login, Invalid> {
    let mut c = Checker::new(body, &["email", "password"]);
    if !not_empty(c.get("email")) {
        c.fail("email should not be empty");
    }
    let email = c.email("email");
    if !not_empty(c.get("password")) {
        c.fail("password should not be empty");
    }
    let password = c.string("password");
    c.finish()?;
    match (email, password) {
        (Some(email), Some(password)) => Ok(Login { email, password }),
        _ => Err(Invalid("email must be an email".to_owned())),
    }
}

/// `POST /admin/users`.
#[derive(Clone)]
pub struct CreateUser {
    pub email: String,
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: String,
    /// The body's keys, for the response's key order.
    pub provided: Vec<&'static str>,
}

pub fn create_user(body: &Value) -> Result<CreateUser, Invalid> {
    const ALLOWED: [&str; 5] = ["email", "first_name", "last_name", "role", "password"];
    let mut c = Checker::new(body, &ALLOWED);
    let email = c.email("email");
    let first_name = c.optional_string("first_name").flatten();
    let last_name = c.optional_string("last_name").flatten();
    let role = c.optional_role();
    let password = c.string("password");
    let provided = ALLOWED.into_iter().filter(|k| c.get(k).is_some()).collect();
    c.finish()?;
    match (email, password) {
        (Some(email), Some(password)) => Ok(CreateUser {
            email,
            password,
            first_name,
            last_name,
            role: role.unwrap_or_else(|| "member".to_owned()),
            provided,
        }),
        _ => Err(Invalid("email must be an email".to_owned())),
    }
}

/// `POST /admin/users/:id`. `set_something` is whether the body had any key, which decides
/// the response shape (see `render::updated_user`).
pub fn update_user(body: &Value) -> Result<(UserChanges, bool), Invalid> {
    let mut c = Checker::new(
        body,
        &["first_name", "last_name", "role", "api_token", "metadata"],
    );
    let first_name = c.optional_string("first_name");
    let last_name = c.optional_string("last_name");
    let role = c.optional_role();
    let api_token = c.optional_string("api_token");
    let metadata = match c.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => Some(m.clone()),
        Some(_) => {
            c.fail("metadata must be an object");
            None
        }
    };
    let set_something = !c.body.is_empty();
    c.finish()?;
    Ok((
        UserChanges {
            first_name,
            last_name,
            role,
            api_token,
            metadata,
        },
        set_something,
    ))
}

/// `POST /admin/users/password-token`: the e-mail.
pub fn password_token(body: &Value) -> Result<String, Invalid> {
    let mut c = Checker::new(body, &["email"]);
    let email = c.email("email");
    c.finish()?;
    email.ok_or_else(|| Invalid("email must be an email".to_owned()))
}

/// `POST /admin/users/reset-password`.
#[derive(Clone)]
pub struct ResetPassword {
    pub email: Option<String>,
    pub token: String,
    pub password: String,
}

pub fn reset_password(body: &Value) -> Result<ResetPassword, Invalid> {
    let mut c = Checker::new(body, &["email", "token", "password"]);
    let email = match c.get("email") {
        None | Some(Value::Null) => None,
        Some(_) => c.email("email"),
    };
    let token = c.string("token");
    let password = c.string("password");
    c.finish()?;
    match (token, password) {
        (Some(token), Some(password)) => Ok(ResetPassword {
            email,
            token,
            password,
        }),
        _ => Err(Invalid("token must be a string".to_owned())),
    }
}

/// `POST /admin/invites`: both fields required, no default role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateInvite {
    pub user: String,
    pub role: String,
}

pub fn create_invite(body: &Value) -> Result<CreateInvite, Invalid> {
    let mut c = Checker::new(body, &["user", "role"]);
    let user = c.email("user");
    let role = match c.get("role") {
        Some(Value::String(r)) if ROLES.contains(&r.as_str()) => Some(r.clone()),
        _ => {
            c.fail(ROLE_MESSAGE);
            None
        }
    };
    c.finish()?;
    match (user, role) {
        (Some(user), Some(role)) => Ok(CreateInvite { user, role }),
        _ => Err(Invalid("user must be an email".to_owned())),
    }
}

/// `POST /admin/invites/accept`.
#[derive(Clone)]
pub struct AcceptInvite {
    pub token: String,
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// The nested `user` is validated in place, so its messages come where `user` is declared,
/// without a `user.` prefix (recordings 248 and 251).
pub fn accept_invite(body: &Value) -> Result<AcceptInvite, Invalid> {
    let mut c = Checker::new(body, &["token", "user"]);
    if !not_empty(c.get("token")) {
        c.fail("token should not be empty");
    }
    let token = c.string("token");
    let mut user = None;
    match c.get("user") {
        None | Some(Value::Null) => c.fail("user should not be empty"),
        Some(v @ (Value::Object(_) | Value::Array(_))) => {
            // An array has no password; class-validator would report its items, which no
            // client sends.
            let empty = Value::Object(Map::new());
            let nested_body = if v.is_object() { v } else { &empty };
            let mut nested = Checker::new(nested_body, &["first_name", "last_name", "password"]);
            let first_name = nested.optional_string("first_name").flatten();
            let last_name = nested.optional_string("last_name").flatten();
            let password = nested.string("password");
            for m in std::mem::take(&mut nested.errors) {
                c.fail(m);
            }
            user = password.map(|p| (p, first_name, last_name));
        }
        Some(v) => {
            if !not_empty(Some(v)) {
                c.fail("user should not be empty");
            }
            c.fail("nested property user must be either object or array");
        }
    }
    c.finish()?;
    match (token, user) {
        (Some(token), Some((password, first_name, last_name))) => Ok(AcceptInvite {
            token,
            password,
            first_name,
            last_name,
        }),
        _ => Err(Invalid("token must be a string".to_owned())),
    }
}

/// The rejection message, for the tests of v1's checks (here and in `list_params`). The parsed
/// types hold passwords and have no `Debug`, so there is no `unwrap_err`.
#[cfg(test)]
pub(super) fn msg<T>(r: Result<T, Invalid>) -> String {
    match r {
        Err(e) => e.0,
        Ok(_) => panic!("accepted"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn login_messages_in_medusas_order() {
        assert_eq!(
            msg(login(&json!({}))),
            "email should not be empty, email must be an email, password should not be empty, password must be a string"
        );
        assert_eq!(
            msg(login(&json!({"email": "admin@medusa-test.com"}))),
            "password should not be empty, password must be a string"
        );
        assert_eq!(
            msg(login(&json!({"email": "x", "password": "y"}))),
            "email must be an email"
        );
        assert_eq!(
            msg(login(&json!({"email": "a@b.co", "password": "", "x": 1}))),
            "property x should not exist, password should not be empty"
        );
        assert!(login(&json!({"email": "a@b.co", "password": "p"})).is_ok());
        assert_eq!(
            msg(login(&json!([]))),
            "an unknown value was passed to the validate function"
        );
        assert_eq!(
            msg(update_user(&json!([{"role": "x"}]))),
            "an unknown value was passed to the validate function"
        );
    }

    #[test]
    fn create_messages() {
        assert_eq!(
            msg(create_user(&json!({}))),
            "email must be an email, password must be a string"
        );
        assert_eq!(
            msg(create_user(
                &json!({"email": "a@b.co", "password": "x", "nickname": "u"})
            )),
            "property nickname should not exist"
        );
        assert_eq!(
            msg(create_user(
                &json!({"email": "a@b.co", "password": "x", "first_name": 42})
            )),
            "first_name must be a string"
        );
        assert_eq!(
            msg(create_user(
                &json!({"email": "a@b.co", "password": "x", "role": "owner"})
            )),
            ROLE_MESSAGE
        );
        let ok =
            create_user(&json!({"email": "A@B.co", "password": "", "first_name": null})).unwrap();
        assert_eq!(ok.role, "member");
        assert_eq!(ok.provided, ["email", "first_name", "password"]);
    }

    #[test]
    fn update_messages_and_changes() {
        assert_eq!(
            msg(update_user(&json!({"email": "n@x.co", "metadata": "x"}))),
            "property email should not exist, metadata must be an object"
        );
        assert_eq!(
            msg(update_user(&json!({"metadata": [1]}))),
            "metadata must be an object"
        );
        assert_eq!(msg(update_user(&json!({"role": null}))), ROLE_MESSAGE);
        let (c, set) = update_user(&json!({"first_name": null, "api_token": "t"})).unwrap();
        assert!(set);
        assert_eq!(c.first_name, Some(None));
        assert_eq!(c.api_token, Some(Some("t".into())));
        let (c, set) = update_user(&json!({})).unwrap();
        assert!(!set);
        assert_eq!(c, UserChanges::default());
    }

    #[test]
    fn invite_messages_as_recorded() {
        let roles = ROLE_MESSAGE;
        for (body, expected) in [
            (json!({"user": "a@b.co", "role": "owner"}), roles.to_owned()),
            (json!({"user": "a@b.co"}), roles.to_owned()),
            (
                json!({"user": "nope", "role": "member"}),
                "user must be an email".to_owned(),
            ),
            (
                json!({"user": 42, "role": "member"}),
                "user must be an email".to_owned(),
            ),
            (
                json!({"email": "a@b.co", "role": "member"}),
                "property email should not exist, user must be an email".to_owned(),
            ),
            (json!({}), format!("user must be an email, {roles}")),
            (
                json!({"user": "a@b.co", "role": "member", "first_name": "X"}),
                "property first_name should not exist".to_owned(),
            ),
        ] {
            assert_eq!(msg(create_invite(&body)), expected, "{body}");
        }
        assert_eq!(
            create_invite(&json!({"user": "A@b.co", "role": "admin"})).unwrap(),
            CreateInvite {
                user: "A@b.co".into(),
                role: "admin".into()
            }
        );
    }

    #[test]
    fn accept_messages_as_recorded() {
        for (body, expected) in [
            (
                json!({"user": {"password": "x"}}),
                "token should not be empty, token must be a string",
            ),
            (json!({"token": "t"}), "user should not be empty"),
            (
                json!({"token": "t", "user": {}}),
                "password must be a string",
            ),
            (
                json!({"token": "t", "user": "x"}),
                "nested property user must be either object or array",
            ),
            (
                json!({"token": "t", "user": {"password": "x"}, "role": "admin"}),
                "property role should not exist",
            ),
            (
                json!({"token": "t", "user": {"password": "x", "email": "e@x.co"}}),
                "property email should not exist",
            ),
            (
                json!({"token": "", "user": {"password": "x"}}),
                "token should not be empty",
            ),
        ] {
            assert_eq!(msg(accept_invite(&body)), expected, "{body}");
        }
        let ok = accept_invite(&json!({"token": "t", "user": {"password": "", "first_name": "A"}}))
            .unwrap();
        assert_eq!(
            (ok.password.as_str(), ok.first_name.as_deref()),
            ("", Some("A"))
        );
    }

    #[test]
    fn reset_messages() {
        assert_eq!(
            msg(reset_password(&json!({}))),
            "token must be a string, password must be a string"
        );
        assert_eq!(
            msg(reset_password(
                &json!({"email": "nope", "token": "t", "password": "p"})
            )),
            "email must be an email"
        );
        assert_eq!(msg(password_token(&json!({}))), "email must be an email");
    }
}
