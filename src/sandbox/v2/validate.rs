//! Request validation with Medusa v2's messages. v2 validates bodies and queries with strict
//! zod schemas and formats the issues itself (`zodValidator` in `@medusajs/framework`): one
//! message per issue in schema order, then `Unrecognized fields: 'a, b'` for unknown keys in
//! request order, at most three joined with "; ", behind `Invalid request: `. The recordings pin
//! the texts, e.g. `Expected type: 'number' for field 'limit', got: 'abc'` (2.21 shows the value
//! it got, not its type).

use serde_json::{Map, Value};

use super::super::express::Fail;
use super::super::query::{self, QueryValue};

/// What a field must be. `Number` is a query's `parseInt`-ed number (limit, offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Record,
    StrArray,
    Enum(&'static [&'static str]),
    Number,
    /// `string | string[]` (ids and e-mails in list filters).
    StrOrArray,
    /// `createOperatorMap()`: a value, a list, or `{$gte: …}`-style operators.
    OpMap,
}

#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// `.nullish()`: `null` is allowed too.
    pub nullable: bool,
}

impl Spec {
    pub const fn optional(name: &'static str, ty: Ty) -> Spec {
        Spec {
            name,
            ty,
            required: false,
            nullable: false,
        }
    }

    pub const fn required(name: &'static str, ty: Ty) -> Spec {
        Spec {
            name,
            ty,
            required: true,
            nullable: false,
        }
    }

    pub const fn nullish(name: &'static str, ty: Ty) -> Spec {
        Spec {
            name,
            ty,
            required: false,
            nullable: true,
        }
    }
}

/// JavaScript's `String(value)`, which the messages show.
pub fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Null => String::new(),
                other => js_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
        other => other.to_string(),
    }
}

/// A 400 `invalid_data` with v2's prefix.
pub fn invalid(message: impl std::fmt::Display) -> Fail {
    Fail::Invalid(format!("Invalid request: {message}"))
}

/// Issues in zod's order.
#[derive(Debug, Default)]
struct Issues(Vec<String>);

impl Issues {
    fn finish(self) -> Result<(), Fail> {
        if self.0.is_empty() {
            return Ok(());
        }
        let shown: Vec<String> = self.0.into_iter().take(3).collect();
        Err(invalid(shown.join("; ")))
    }
}

fn type_name(ty: Ty) -> &'static str {
    match ty {
        Ty::Str | Ty::Enum(_) => "string",
        Ty::Record | Ty::OpMap => "record",
        Ty::StrArray => "array",
        Ty::Number => "number",
        Ty::StrOrArray => "string, array",
    }
}

fn check_value(spec: &Spec, v: &Value, issues: &mut Issues) {
    let ok = match (spec.ty, v) {
        (_, Value::Null) => spec.nullable,
        (Ty::Str, Value::String(_)) | (Ty::Record, Value::Object(_)) => true,
        (Ty::StrArray, Value::Array(items)) => items.iter().all(Value::is_string),
        (Ty::StrOrArray, Value::String(_)) => true,
        (Ty::StrOrArray, Value::Array(items)) => items.iter().all(Value::is_string),
        (Ty::OpMap, Value::String(_) | Value::Array(_) | Value::Object(_)) => true,
        (Ty::Number, Value::Number(_)) => true,
        (Ty::Enum(options), Value::String(s)) => {
            if !options.contains(&s.as_str()) {
                issues.0.push(format!(
                    "Expected: '{}' for field '{}', but got: '{s}'",
                    options.join(", "),
                    spec.name
                ));
            }
            true
        }
        _ => false,
    };
    if !ok {
        issues.0.push(format!(
            "Expected type: '{}' for field '{}', got: '{}'",
            type_name(spec.ty),
            spec.name,
            js_string(v)
        ));
    }
}

/// Checks `object` against `specs`, strictly; `Ok` when it passes.
fn check_object(
    object: &Map<String, Value>,
    specs: &[Spec],
    raw_numbers: &Map<String, Value>,
) -> Result<(), Fail> {
    let mut issues = Issues::default();
    for spec in specs {
        match object.get(spec.name) {
            None if spec.required => issues.0.push(format!("Field '{}' is required", spec.name)),
            None => {}
            Some(v) if spec.ty == Ty::Number && !v.is_number() => {
                // parseInt gave NaN, or the value was no string at all: zod reports what the
                // client sent.
                let sent = raw_numbers.get(spec.name).unwrap_or(v);
                issues.0.push(format!(
                    "Expected type: 'number' for field '{}', got: '{}'",
                    spec.name,
                    js_string(sent)
                ));
            }
            Some(v) => check_value(spec, v, &mut issues),
        }
    }
    let unknown: Vec<&str> = object
        .keys()
        .filter(|k| !specs.iter().any(|s| s.name == k.as_str()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        issues
            .0
            .push(format!("Unrecognized fields: '{}'", unknown.join(", ")));
    }
    issues.finish()
}

/// A body against a strict schema; the body's object when it passes.
pub fn body<'a>(body: &'a Value, specs: &[Spec]) -> Result<&'a Map<String, Value>, Fail> {
    match body {
        Value::Object(map) => {
            check_object(map, specs, &Map::new())?;
            Ok(map)
        }
        other => Err(invalid(format!(
            "Expected type: 'object' for field '', got: '{}'",
            js_string(other)
        ))),
    }
}

/// JavaScript's `parseInt(s)` (base 10, or 16 after `0x`): leading whitespace and sign, then as
/// many digits as there are; `None` for NaN. `1.5` is 1, `1e2` is 1 (CONTRACT §6).
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let end = digits
        .char_indices()
        .find(|(_, c)| !c.is_digit(radix))
        .map_or(digits.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let magnitude = i64::from_str_radix(&digits[..end], radix).unwrap_or(i64::MAX);
    Some(if negative { -magnitude } else { magnitude })
}

/// A query string as qs gives it to zod.
fn query_value(v: &QueryValue) -> Value {
    match v {
        QueryValue::Str(s) => Value::String(s.clone()),
        QueryValue::List(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        QueryValue::Obj(pairs) => Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        ),
    }
}

/// A query string against a strict schema: the parameters, with `Number` fields parsed.
pub fn query(raw: &str, specs: &[Spec]) -> Result<Map<String, Value>, Fail> {
    let mut params: Map<String, Value> = query::parse(raw)
        .iter()
        .map(|(k, v)| (k.clone(), query_value(v)))
        .collect();
    let raw_numbers = params.clone();
    for spec in specs.iter().filter(|s| s.ty == Ty::Number) {
        // `z.preprocess`: a non-empty string goes through parseInt, anything else stays.
        if let Some(Value::String(s)) = params.get(spec.name)
            && !s.is_empty()
        {
            let parsed = parse_int(s).map_or(Value::Null, Value::from);
            params.insert(spec.name.to_owned(), parsed);
        }
    }
    check_object(&params, specs, &raw_numbers)?;
    Ok(params)
}

/// An optional string field: `None` absent, `Some(None)` null.
pub fn nullable_string(map: &Map<String, Value>, key: &str) -> Option<Option<String>> {
    match map.get(key)? {
        Value::String(s) => Some(Some(s.clone())),
        _ => Some(None),
    }
}

/// `fields` alone, for the routes that take nothing else (retrieve, create, update).
pub const SELECT: [Spec; 1] = [Spec::optional("fields", Ty::Str)];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn msg(r: Result<impl std::fmt::Debug, Fail>) -> String {
        match r {
            Err(Fail::Invalid(m)) => m,
            Err(_) => panic!("another failure"),
            Ok(v) => panic!("accepted: {v:?}"),
        }
    }

    const UPDATE: [Spec; 4] = [
        Spec::nullish("first_name", Ty::Str),
        Spec::nullish("last_name", Ty::Str),
        Spec::nullish("avatar_url", Ty::Str),
        Spec::nullish("metadata", Ty::Record),
    ];

    #[test]
    fn body_messages_as_recorded() {
        for (b, expected) in [
            (json!({"role": "admin"}), "Unrecognized fields: 'role'"),
            (
                json!({"first_name": 123}),
                "Expected type: 'string' for field 'first_name', got: '123'",
            ),
            (
                json!({"metadata": "x"}),
                "Expected type: 'record' for field 'metadata', got: 'x'",
            ),
            (
                json!({"email": "a", "token": "x", "password": "y"}),
                "Unrecognized fields: 'email, token, password'",
            ),
        ] {
            assert_eq!(
                msg(body(&b, &UPDATE)),
                format!("Invalid request: {expected}")
            );
        }
        assert!(body(&json!({"first_name": null, "metadata": {}}), &UPDATE).is_ok());
        let email = [Spec::required("email", Ty::Str)];
        assert_eq!(
            msg(body(&json!({}), &email)),
            "Invalid request: Field 'email' is required"
        );
        let key = [
            Spec::required("title", Ty::Str),
            Spec::required("type", Ty::Enum(&["publishable", "secret"])),
        ];
        assert_eq!(
            msg(body(&json!({"title": "x", "type": "admin"}), &key)),
            "Invalid request: Expected: 'publishable, secret' for field 'type', but got: 'admin'"
        );
        let many = [
            Spec::required("a", Ty::Str),
            Spec::required("b", Ty::Str),
            Spec::required("c", Ty::Str),
            Spec::required("d", Ty::Str),
        ];
        assert_eq!(
            msg(body(&json!({}), &many)).matches("; ").count(),
            2,
            "three at most"
        );
    }

    #[test]
    fn queries_parse_numbers_like_parse_int() {
        let specs = [
            Spec::optional("limit", Ty::Number),
            Spec::optional("email", Ty::Str),
        ];
        assert_eq!(
            msg(query("limit=abc", &specs)),
            "Invalid request: Expected type: 'number' for field 'limit', got: 'abc'"
        );
        assert_eq!(
            msg(query("limit=", &specs)),
            "Invalid request: Expected type: 'number' for field 'limit', got: ''"
        );
        assert_eq!(
            msg(query("foo=bar&expand=x", &specs)),
            "Invalid request: Unrecognized fields: 'foo, expand'"
        );
        assert_eq!(
            msg(query("email[]=a&email[]=b", &specs)),
            "Invalid request: Expected type: 'string' for field 'email', got: 'a,b'"
        );
        for (q, n) in [
            ("limit=1.5", 1),
            ("limit=1e2", 1),
            ("limit=0x10", 16),
            ("limit=-1", -1),
        ] {
            assert_eq!(query(q, &specs).unwrap()["limit"], json!(n), "{q}");
        }
        assert_eq!(parse_int("  7px"), Some(7));
        assert_eq!(parse_int("-"), None);
    }
}
