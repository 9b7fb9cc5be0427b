//! Request validation with Medusa v1's messages. Medusa validates with class-validator
//! (`whitelist` + `forbidNonWhitelisted`) and joins the messages with ", ": first one
//! `property X should not exist` per unknown key, in body order, then each declared property in
//! declaration order, each with its constraints in decorator order. The recordings pin the
//! exact texts; the request DTOs of `@medusajs/medusa` 1.20 fix the orders.

use serde_json::{Map, Value};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::deviations::{self, Deviation};
use super::query::QueryValue;
use super::store::{Cmp, Column, ListQuery, UserChanges, js_timestamp};

pub const ROLES: [&str; 3] = ["admin", "member", "developer"];
const ROLE_MESSAGE: &str = "role must be one of the following values: admin, member, developer";
/// The list filter uses another enum declaration, hence another order.
const ROLE_FILTER_MESSAGE: &str =
    "each value in role must be one of the following values: member, admin, developer";

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

/// A validated `GET /admin/users` query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListParams {
    pub query: ListQuery,
    /// The `limit` echoed in the answer (0 for "no limit", like Medusa).
    pub limit: u64,
    /// `fields=`: the columns to send, or `None` for whole users.
    pub fields: Option<Vec<Column>>,
}

const LIST_PARAMS: [&str; 14] = [
    "expand",
    "fields",
    "limit",
    "offset",
    "q",
    "order",
    "id",
    "email",
    "first_name",
    "last_name",
    "role",
    "created_at",
    "updated_at",
    "deleted_at",
];

/// What Medusa's `IsType([String, [String]])` validator throws for an object-valued `id`; the
/// exception replaces all other messages (checked on a live 1.20.11).
const ID_TYPE_MESSAGE: &str = r#"{"message":"id must be one of: String,String","details":{"String":["String validation failed: [object Object] is not a string"],"undefined":["Cannot read properties of undefined (reading 'constructor')"]}}"#;

/// The largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

pub fn list(params: &[(String, QueryValue)]) -> Result<ListParams, Invalid> {
    let get = |k: &str| params.iter().find(|(name, _)| name == k).map(|(_, v)| v);
    let ids = match get("id") {
        None => None,
        Some(QueryValue::Str(s)) => Some(vec![s.clone()]),
        Some(QueryValue::List(items)) => Some(items.clone()),
        Some(QueryValue::Obj(_)) => return Err(Invalid(ID_TYPE_MESSAGE.to_owned())),
    };
    let mut errors: Vec<String> = params
        .iter()
        .filter(|(k, _)| !LIST_PARAMS.contains(&k.as_str()))
        .map(|(k, _)| format!("property {k} should not exist"))
        .collect();
    let string = |k: &str, errors: &mut Vec<String>| match get(k) {
        None => None,
        Some(QueryValue::Str(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(format!("{k} must be a string"));
            None
        }
    };
    let number = |k: &str, errors: &mut Vec<String>| {
        let n = match get(k)? {
            QueryValue::Str(s) => js_number(s),
            // JavaScript's Number(["5"]) is 5; any other array is NaN.
            QueryValue::List(items) if items.len() == 1 => js_number(&items[0]),
            _ => None,
        };
        if n.is_none() {
            errors.push(format!(
                "{k} must be a number conforming to the specified constraints"
            ));
        }
        n
    };
    // The order Medusa 1.20.11 reports them in (the DTO's own properties, then the inherited
    // paging ones), as seen on a live server.
    let q = string("q", &mut errors);
    let order = string("order", &mut errors);
    let mut dates = Vec::new();
    for column in [Column::UpdatedAt, Column::CreatedAt, Column::DeletedAt] {
        let name = column.name();
        match get(name) {
            None => {}
            Some(QueryValue::Obj(pairs)) => {
                const OPERATORS: [(&str, Cmp); 4] = [
                    ("lt", Cmp::Lt),
                    ("gt", Cmp::Gt),
                    ("gte", Cmp::Gte),
                    ("lte", Cmp::Lte),
                ];
                for (op, _) in pairs {
                    if !OPERATORS.iter().any(|(o, _)| o == op) {
                        errors.push(format!("property {op} should not exist"));
                    }
                }
                for (op, cmp) in OPERATORS {
                    for (_, value) in pairs.iter().filter(|(k, _)| k == op) {
                        match parse_js_date(value) {
                            Some(t) => dates.push((column, cmp, t)),
                            None => errors.push(format!("{op} must be a Date instance")),
                        }
                    }
                }
            }
            Some(_) => errors.push(format!(
                "nested property {name} must be either object or array"
            )),
        }
    }
    let email = string("email", &mut errors);
    let first_name = string("first_name", &mut errors);
    let last_name = string("last_name", &mut errors);
    let roles = match get("role") {
        None => None,
        Some(QueryValue::Str(r)) => Some(vec![r.clone()]),
        Some(QueryValue::List(items)) => Some(items.clone()),
        // Not an array: `each` validates the object itself, which is no role.
        Some(QueryValue::Obj(_)) => Some(vec![String::new()]),
    };
    if roles
        .as_ref()
        .is_some_and(|rs| rs.iter().any(|r| !ROLES.contains(&r.as_str())))
    {
        errors.push(ROLE_FILTER_MESSAGE.to_owned());
    }
    let fields = string("fields", &mut errors);
    let expand = string("expand", &mut errors);
    let offset = number("offset", &mut errors);
    let limit = number("limit", &mut errors);
    if !errors.is_empty() {
        return Err(Invalid(errors.join(", ")));
    }

    // Past class-validator, the real server passes these straight to the database and crashes
    // on bad values; the sandbox says what is wrong instead (see `deviations`).
    let whole = |n: f64| (0.0..=MAX_SAFE_INTEGER).contains(&n) && n.fract() == 0.0;
    let limit = match limit {
        None => 50,
        Some(n) if whole(n) => n as u64,
        Some(_) => return Err((&deviations::NEGATIVE_LIMIT).into()),
    };
    let offset = match offset {
        None => 0,
        Some(n) if whole(n) => n as u64,
        Some(_) => return Err((&deviations::NEGATIVE_OFFSET).into()),
    };
    let (order, descending) = match order.as_deref() {
        None => (Column::CreatedAt, true),
        Some(o) => {
            let (name, descending) = match o.strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (o, false),
            };
            // An empty `order=` is a crash on the real server too.
            match Column::from_name(name).filter(|c| c.sortable()) {
                Some(c) => (c, descending),
                None => return Err((&deviations::UNKNOWN_ORDER).into()),
            }
        }
    };
    if expand.as_deref().is_some_and(|e| !e.is_empty()) {
        return Err((&deviations::UNKNOWN_EXPAND).into());
    }
    let fields = match fields.as_deref() {
        None => None,
        Some(list) => {
            // Medusa always adds the key and created_at (recording 059; also for other sort
            // orders and for an empty `fields=`). Names are not trimmed: " email" is unknown.
            let mut columns = vec![Column::Id, Column::CreatedAt];
            for name in list.split(',').filter(|n| !n.is_empty()) {
                if name == "password_hash" {
                    return Err((&deviations::FIELDS_PASSWORD_HASH).into());
                }
                match Column::from_name(name) {
                    Some(c) => columns.push(c),
                    None => return Err((&deviations::UNKNOWN_FIELD).into()),
                }
            }
            Some(columns)
        }
    };
    Ok(ListParams {
        query: ListQuery {
            limit: (limit > 0).then_some(limit),
            offset,
            q: q.filter(|q| !q.is_empty()),
            order,
            descending,
            ids,
            email,
            first_name,
            last_name,
            roles,
            dates,
        },
        limit,
        fields,
    })
}

/// JavaScript's `Number(string)`, `None` for NaN and the infinities (which `@IsNumber()`
/// rejects).
fn js_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0.0);
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return u64::from_str_radix(digits, radix).ok().map(|n| n as f64);
        }
    }
    // Rust also reads "inf" and "NaN"; JavaScript's only words are the infinities, rejected
    // anyway.
    if t.chars().any(|c| c.is_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// What `new Date(string)` accepts in practice: RFC 3339, and ISO dates or date-times without
/// an offset (taken as UTC). The result in the stored timestamp format.
fn parse_js_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return in_range(t);
    }
    let (date_part, time_part) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut it = date_part.split('-');
    let year: i32 = it.next()?.parse().ok()?;
    let month: u8 = it.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u8 = it.next().map_or(Some(1), |d| d.parse().ok())?;
    if it.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let time = match time_part {
        None => Time::MIDNIGHT,
        Some(t) => {
            let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
            let (hms, millis) = match t.split_once('.') {
                Some((hms, frac)) => {
                    let digits: String = frac.chars().take(3).collect();
                    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    (hms, format!("{digits:0<3}").parse::<u16>().ok()?)
                }
                None => (t, 0),
            };
            let mut parts = hms.split(':');
            let h: u8 = parts.next()?.parse().ok()?;
            let m: u8 = parts.next()?.parse().ok()?;
            let sec: u8 = parts.next().map_or(Some(0), |x| x.parse().ok())?;
            if parts.next().is_some() {
                return None;
            }
            Time::from_hms_milli(h, m, sec, millis).ok()?
        }
    };
    in_range(PrimitiveDateTime::new(date, time).assume_utc())
}

/// Stored timestamps compare as text, which works for four-digit years.
fn in_range(t: OffsetDateTime) -> Option<String> {
    let t = t.to_offset(time::UtcOffset::UTC);
    (0..=9999).contains(&t.year()).then(|| js_timestamp(t))
}

/// class-validator's `@IsEmail()`: validator.js `isEmail` with its default options (UTF-8
/// local part allowed, a top-level domain required, no IP domains, no display names).
pub fn is_email(s: &str) -> bool {
    if s.encode_utf16().count() > 254 {
        return false;
    }
    let Some((user, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if user.len() > 64 || domain.len() > 254 || !is_fqdn(domain) {
        return false;
    }
    if user.len() >= 2 && user.starts_with('"') && user.ends_with('"') {
        return is_quoted_local_part(&user[1..user.len() - 1]);
    }
    user.split('.').all(|part| {
        !part.is_empty()
            && part.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || "!#$%&'*+-/=?^_`{|}~".contains(c)
                    || is_utf8_letter_range(c)
            })
    })
}

/// `\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF` from validator.js (astral characters, which
/// JavaScript sees as surrogate pairs, fall outside it).
fn is_utf8_letter_range(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFEF}')
}

fn is_quoted_local_part(inner: &str) -> bool {
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            c if c.is_control() && c != '\t' => return false,
            _ => {}
        }
    }
    true
}

/// validator.js `isFQDN` with `require_tld: true`, no underscores, no trailing dot.
fn is_fqdn(domain: &str) -> bool {
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() < 2 {
        return false;
    }
    let tld = parts[parts.len() - 1];
    let tld_ok = (tld.chars().count() >= 2
        && tld
            .chars()
            .all(|c| c.is_ascii_alphabetic() || is_tld_letter(c)))
        || (tld.len() >= 4
            && tld.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("xn"))
            && tld[2..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !tld_ok {
        return false;
    }
    parts.iter().all(|part| {
        !part.is_empty()
            && part.chars().count() <= 63
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || u32::from(c) >= 0xA1)
            && !part.chars().any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}'))
            && !part.starts_with('-')
            && !part.ends_with('-')
    })
}

fn is_tld_letter(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{A8}' | '\u{AA}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::query;
    use serde_json::json;

    /// The rejection message. (The parsed types hold passwords and have no `Debug`.)
    fn msg<T>(r: Result<T, Invalid>) -> String {
        match r {
            Err(e) => e.0,
            Ok(_) => panic!("accepted"),
        }
    }

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

    fn list_q(q: &str) -> Result<ListParams, Invalid> {
        list(&query::parse(q))
    }

    #[test]
    fn list_defaults_and_messages() {
        let p = list_q("").unwrap();
        assert_eq!((p.limit, p.query.limit, p.query.offset), (50, Some(50), 0));
        assert_eq!(
            (p.query.order, p.query.descending),
            (Column::CreatedAt, true)
        );
        let p = list_q("limit=0").unwrap();
        assert_eq!((p.limit, p.query.limit), (0, None));
        assert_eq!(
            msg(list_q("limit=abc")),
            "limit must be a number conforming to the specified constraints"
        );
        assert_eq!(
            msg(list_q("foo=bar&bar=1")),
            "property foo should not exist, property bar should not exist"
        );
        assert_eq!(msg(list_q("role=owner")), ROLE_FILTER_MESSAGE);
        assert_eq!(msg(list_q("role=admin&role=boss")), ROLE_FILTER_MESSAGE);
        assert_eq!(msg(list_q("q=a&q=b")), "q must be a string");
        assert_eq!(
            msg(list_q("created_at=2000")),
            "nested property created_at must be either object or array"
        );
        assert_eq!(
            msg(list_q("created_at[gt]=soon")),
            "gt must be a Date instance"
        );
        assert_eq!(
            msg(list_q("limit=-1&foo=1")),
            "property foo should not exist"
        );
    }

    #[test]
    fn list_messages_in_the_order_a_live_server_gives_them() {
        // Everything wrong at once (probed on a live Medusa 1.20.11).
        assert_eq!(
            msg(list_q(
                "limit=abc&offset=abc&fields=a&fields=b&expand=a&expand=b&q=a&q=b&order=a&order=b\
                 &email=a&email=b&first_name=a&first_name=b&last_name=a&last_name=b&role=x\
                 &created_at=1&updated_at=1&deleted_at=1&zz=1"
            )),
            "property zz should not exist, q must be a string, order must be a string, \
             nested property updated_at must be either object or array, \
             nested property created_at must be either object or array, \
             nested property deleted_at must be either object or array, email must be a string, \
             first_name must be a string, last_name must be a string, \
             each value in role must be one of the following values: member, admin, developer, \
             fields must be a string, expand must be a string, \
             offset must be a number conforming to the specified constraints, \
             limit must be a number conforming to the specified constraints"
        );
        assert_eq!(
            msg(list_q(
                "created_at[gt]=x&created_at[lt]=y&created_at[foo]=1&updated_at[gte]=z"
            )),
            "gte must be a Date instance, property foo should not exist, lt must be a Date instance, \
             gt must be a Date instance"
        );
        assert_eq!(msg(list_q("role[foo]=admin")), ROLE_FILTER_MESSAGE);
        assert_eq!(msg(list_q("id[a]=1&zz=1&limit=abc")), ID_TYPE_MESSAGE);
        assert_eq!(msg(list_q("role=")), ROLE_FILTER_MESSAGE);
    }

    #[test]
    fn list_deviations_use_the_table() {
        for (q, d) in [
            ("limit=-1", &deviations::NEGATIVE_LIMIT),
            ("limit=1.5", &deviations::NEGATIVE_LIMIT),
            ("limit=99999999999999999999", &deviations::NEGATIVE_LIMIT),
            ("offset=0.5", &deviations::NEGATIVE_OFFSET),
            ("order=", &deviations::UNKNOWN_ORDER),
            ("order=-", &deviations::UNKNOWN_ORDER),
            ("order=%2Bemail", &deviations::UNKNOWN_ORDER),
            ("fields=%20email", &deviations::UNKNOWN_FIELD),
            ("offset=-1", &deviations::NEGATIVE_OFFSET),
            ("order=bogus", &deviations::UNKNOWN_ORDER),
            ("order=metadata", &deviations::UNKNOWN_ORDER),
            ("expand=teams", &deviations::UNKNOWN_EXPAND),
            ("fields=password_hash", &deviations::FIELDS_PASSWORD_HASH),
            ("fields=id,nope", &deviations::UNKNOWN_FIELD),
        ] {
            assert_eq!(msg(list_q(q)), d.sandbox_message.unwrap(), "{q}");
        }
    }

    #[test]
    fn list_filters() {
        let p = list_q("order=-email&fields=email&id[]=a&id[]=b&role=admin&created_at[gte]=2000-01-01&limit=%2010%20&offset=5")
            .unwrap();
        assert_eq!((p.query.order, p.query.descending), (Column::Email, true));
        assert_eq!(
            p.fields.unwrap(),
            [Column::Id, Column::CreatedAt, Column::Email]
        );
        assert_eq!(
            list_q("fields=").unwrap().fields.unwrap(),
            [Column::Id, Column::CreatedAt]
        );
        assert_eq!(
            list_q("fields=email,,role").unwrap().fields.unwrap(),
            [Column::Id, Column::CreatedAt, Column::Email, Column::Role]
        );
        assert_eq!(p.query.ids.unwrap(), ["a", "b"]);
        assert_eq!(p.query.roles.unwrap(), ["admin"]);
        assert_eq!(
            p.query.dates,
            [(
                Column::CreatedAt,
                Cmp::Gte,
                "2000-01-01T00:00:00.000Z".to_owned()
            )]
        );
        assert_eq!((p.limit, p.query.offset), (10, 5));
    }

    #[test]
    fn dates_like_new_date() {
        for (input, out) in [
            ("2000-01-01", "2000-01-01T00:00:00.000Z"),
            ("2026-11-27T10:23:06.471Z", "2026-11-27T10:23:06.471Z"),
            ("2026-11-27T12:23:06+02:00", "2026-11-27T10:23:06.000Z"),
            ("2026-11-27 10:23", "2026-11-27T10:23:00.000Z"),
            ("2026-11", "2026-11-01T00:00:00.000Z"),
        ] {
            assert_eq!(parse_js_date(input).as_deref(), Some(out), "{input}");
        }
        for bad in ["soon", "2026-13-01", "2026-02-30", "", "12:00"] {
            assert_eq!(parse_js_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_like_javascript() {
        assert_eq!(js_number(""), Some(0.0));
        assert_eq!(js_number(" 12 "), Some(12.0));
        assert_eq!(js_number("1e2"), Some(100.0));
        assert_eq!(js_number("0x10"), Some(16.0));
        assert_eq!(js_number("-1"), Some(-1.0));
        for bad in ["abc", "inf", "NaN", "Infinity", "1,5"] {
            assert_eq!(js_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn email_validation_like_validator_js() {
        for good in [
            "alice@example.com",
            "Alice@Example.com",
            "a.b+tag@sub.example.co",
            "dave@example.com",
            "ünï@example.com",
            "x@xn--80ak6aa92e.com",
            "\"quoted name\"@example.com",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "not-an-email",
            "nope",
            "a@b",
            "@x.com",
            "a b@x.com",
            "a..b@x.com",
            ".a@x.com",
            "a@x..com",
            "a@-x.com",
            "a@x.c",
            "a@x.123",
            "a@127.0.0.1",
            "a@x_y.com",
            "",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(!is_email(&format!("{}@x.com", "a".repeat(65))));
    }
}
