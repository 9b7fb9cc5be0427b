//! `GET /admin/users` query validation with Medusa v1's messages and order (see `validate` for
//! how class-validator orders them), then the checks the real server skips and crashes on.

use super::super::deviations;
use super::super::jsdate::parse_js_date;
use super::super::query::QueryValue;
use super::super::store::{Cmp, Column, ListQuery};
use super::validate::{Invalid, ROLES};

/// The list filter uses another enum declaration than the bodies, hence another order.
const ROLE_FILTER_MESSAGE: &str =
    "each value in role must be one of the following values: member, admin, developer";

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

#[cfg(test)]
mod tests {
    use super::super::validate::msg;
    use super::*;
    use crate::sandbox::query;

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
}
