//! v2 list queries: zod's checks with v2's messages (`validate`), then what the real server
//! leaves to the database and crashes on (negative pages, unknown orders, dates that are not
//! dates), answered from the deviations table, then the filters as SQL conditions.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::super::deviations::Deviation;
use super::super::express::{Fail, json_response};
use super::super::jsdate::parse_js_date;
use super::db::listing::{Filter, Listing};
use super::deviations;
use super::render;
use super::validate::{self, Spec, Ty};

/// What differs between the lists.
pub struct Resource {
    pub specs: &'static [Spec],
    pub default_limit: u64,
    /// Sortable columns; the first is the default order (ascending).
    pub order_fields: &'static [&'static str],
    pub order_deviation: &'static Deviation,
    /// Columns `q` searches.
    pub search: &'static [&'static str],
    /// Parameters that filter the column of their name.
    pub filters: &'static [&'static str],
}

/// A checked list request: the query for the database and the `fields=` selection.
pub struct ListRequest {
    pub listing: Listing,
    pub fields: Option<String>,
}

impl ListRequest {
    /// The answer to a list: `{"<key>": [each row, cut to `fields=`], "count", "offset",
    /// "limit"}`, the one shape every v2 list answers in (`count` counts every match).
    pub fn answer(
        &self,
        key: &str,
        rows: impl IntoIterator<Item = Map<String, Value>>,
        count: u64,
    ) -> Response {
        let items: Vec<Value> = rows
            .into_iter()
            .map(|row| render::select(row, self.fields.as_deref()))
            .collect();
        let mut page = Map::new();
        page.insert(key.to_owned(), Value::Array(items));
        page.insert("count".to_owned(), Value::from(count));
        page.insert("offset".to_owned(), Value::from(self.listing.offset));
        page.insert("limit".to_owned(), Value::from(self.listing.limit));
        json_response(StatusCode::OK, &Value::Object(page))
    }
}

/// The parameters every list takes first (`createFindParams`).
macro_rules! find_params {
    ($($rest:expr),* $(,)?) => {
        &[
            Spec::optional("fields", Ty::Str),
            Spec::optional("offset", Ty::Number),
            Spec::optional("limit", Ty::Number),
            Spec::optional("order", Ty::Str),
            $($rest),*
        ]
    };
}

pub const USERS: Resource = Resource {
    specs: find_params![
        Spec::optional("q", Ty::Str),
        Spec::optional("id", Ty::StrOrArray),
        Spec::optional("created_at", Ty::OpMap),
        Spec::optional("updated_at", Ty::OpMap),
        Spec::optional("deleted_at", Ty::OpMap),
        Spec::nullish("email", Ty::Str),
        Spec::nullish("first_name", Ty::Str),
        Spec::nullish("last_name", Ty::Str),
        // Accepted and ignored: deleted users cannot be listed (§6).
        Spec::optional("with_deleted", Ty::Str),
    ],
    default_limit: 50,
    order_fields: &[
        "id",
        "email",
        "first_name",
        "last_name",
        "avatar_url",
        "metadata",
        "created_at",
        "updated_at",
        "deleted_at",
    ],
    order_deviation: &deviations::UNKNOWN_USER_ORDER,
    search: &["email", "first_name", "last_name"],
    filters: &[
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        "email",
        "first_name",
        "last_name",
    ],
};

pub const INVITES: Resource = Resource {
    specs: find_params![
        Spec::optional("q", Ty::Str),
        Spec::optional("id", Ty::StrOrArray),
        Spec::optional("email", Ty::StrOrArray),
        Spec::optional("created_at", Ty::OpMap),
        Spec::optional("updated_at", Ty::OpMap),
        Spec::optional("deleted_at", Ty::OpMap),
        Spec::optional("$and", Ty::OpMap),
        Spec::optional("$or", Ty::OpMap),
    ],
    default_limit: 50,
    order_fields: &[
        "id",
        "email",
        "accepted",
        "token",
        "expires_at",
        "metadata",
        "created_at",
        "updated_at",
        "deleted_at",
    ],
    order_deviation: &deviations::UNKNOWN_INVITE_ORDER,
    search: &["email"],
    filters: &["id", "email", "created_at", "updated_at", "deleted_at"],
};

pub const API_KEYS: Resource = Resource {
    specs: find_params![
        Spec::optional("q", Ty::Str),
        Spec::optional("id", Ty::StrOrArray),
        Spec::optional("title", Ty::StrOrArray),
        Spec::optional("token", Ty::StrOrArray),
        Spec::optional("type", Ty::Enum(&["publishable", "secret"])),
        Spec::optional("created_at", Ty::OpMap),
        Spec::optional("updated_at", Ty::OpMap),
        Spec::optional("deleted_at", Ty::OpMap),
        Spec::optional("revoked_at", Ty::OpMap),
    ],
    default_limit: 20,
    order_fields: &[
        "id",
        "title",
        "token",
        "redacted",
        "type",
        "created_by",
        "revoked_by",
        "revoked_at",
        "created_at",
        "updated_at",
    ],
    order_deviation: &deviations::UNKNOWN_KEY_ORDER,
    search: &["title", "redacted"],
    filters: &[
        "id",
        "title",
        "token",
        "type",
        "created_at",
        "updated_at",
        "deleted_at",
        "revoked_at",
    ],
};

fn whole(params: &Map<String, Value>, key: &str, default: u64, d: &Deviation) -> Result<u64, Fail> {
    match params.get(key).and_then(Value::as_i64) {
        None => Ok(default),
        Some(n) => u64::try_from(n).map_err(|_| Fail::from(d)),
    }
}

/// Columns compared as dates; the rest as text.
const DATE_COLUMNS: [&str; 5] = [
    "created_at",
    "updated_at",
    "deleted_at",
    "revoked_at",
    "expires_at",
];

fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn list_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text_of).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

/// `createOperatorMap()`: a value, a list, or operators. Dates are normalised to the stored
/// format so that they compare as text.
fn op_map(column: &'static str, v: &Value, out: &mut Vec<Filter>) -> Result<(), Fail> {
    let is_date = DATE_COLUMNS.contains(&column);
    let norm = |s: String| -> Result<String, Fail> {
        if is_date {
            parse_js_date(&s).ok_or_else(|| Fail::from(&deviations::BAD_DATE_FILTER))
        } else {
            Ok(s)
        }
    };
    let norm_all = |items: Vec<String>| items.into_iter().map(norm).collect::<Result<Vec<_>, _>>();
    match v {
        Value::Object(ops) => {
            for (op, value) in ops {
                let one = || norm(text_of(value).unwrap_or_default());
                match op.as_str() {
                    "$eq" => out.push(Filter::Eq(column, one()?)),
                    "$ne" => out.push(Filter::Ne(column, one()?)),
                    "$in" => out.push(Filter::In(column, norm_all(list_of(value))?)),
                    "$nin" => out.push(Filter::NotIn(column, norm_all(list_of(value))?)),
                    "$gt" => out.push(Filter::Cmp(column, ">", one()?)),
                    "$gte" => out.push(Filter::Cmp(column, ">=", one()?)),
                    "$lt" => out.push(Filter::Cmp(column, "<", one()?)),
                    "$lte" => out.push(Filter::Cmp(column, "<=", one()?)),
                    "$like" | "$ilike" => {
                        out.push(Filter::Like(column, text_of(value).unwrap_or_default()));
                    }
                    "$re" | "$contains" => return Err((&deviations::UNSUPPORTED_FILTER).into()),
                    // zod's nested objects are not strict: unknown keys are dropped.
                    _ => {}
                }
            }
        }
        Value::Array(_) => out.push(Filter::In(column, norm_all(list_of(v))?)),
        other => out.push(Filter::Eq(
            column,
            norm(text_of(other).unwrap_or_default())?,
        )),
    }
    Ok(())
}

/// Checks a list query for `resource`.
pub fn parse(raw: &str, resource: &Resource) -> Result<ListRequest, Fail> {
    let params = validate::query(raw, resource.specs)?;
    if params.contains_key("$and") || params.contains_key("$or") {
        return Err((&deviations::UNSUPPORTED_FILTER).into());
    }
    let limit = whole(
        &params,
        "limit",
        resource.default_limit,
        &deviations::NEGATIVE_LIMIT,
    )?;
    let offset = whole(&params, "offset", 0, &deviations::NEGATIVE_OFFSET)?;
    let (order, descending) = match params.get("order").and_then(Value::as_str) {
        None => (resource.order_fields[0], false),
        Some(o) => {
            let (name, descending) = match o.strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (o, false),
            };
            match resource.order_fields.iter().find(|f| **f == name) {
                Some(f) => (*f, descending),
                None => return Err(resource.order_deviation.into()),
            }
        }
    };
    let mut filters = Vec::new();
    if let Some(q) = params.get("q").and_then(Value::as_str) {
        // Trimmed, and an empty q filters nothing (§6).
        let q = q.trim();
        if !q.is_empty() {
            filters.push(Filter::Search(resource.search, q.to_owned()));
        }
    }
    for spec in resource.specs {
        let Some(v) = params.get(spec.name) else {
            continue;
        };
        let Some(column) = resource.filters.iter().find(|c| **c == spec.name).copied() else {
            continue;
        };
        match spec.ty {
            Ty::OpMap => op_map(column, v, &mut filters)?,
            Ty::StrOrArray => filters.push(Filter::In(column, list_of(v))),
            Ty::Str | Ty::Enum(_) => {
                if let Some(s) = text_of(v) {
                    filters.push(Filter::Eq(column, s));
                }
            }
            _ => {}
        }
    }
    let fields = params
        .get("fields")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(ListRequest {
        listing: Listing {
            filters,
            order,
            descending,
            limit,
            offset,
        },
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(r: Result<ListRequest, Fail>) -> String {
        match r {
            Err(Fail::Invalid(m)) => m,
            _ => panic!("not a 400"),
        }
    }

    #[test]
    fn defaults_and_filters() {
        let r = parse("", &USERS).unwrap();
        assert_eq!((r.listing.limit, r.listing.offset), (50, 0));
        assert_eq!((r.listing.order, r.listing.descending), ("id", false));
        let r = parse(
            "order=-email&id[]=a&id[]=b&email=A@x.co&created_at%5B%24gte%5D=2000-01-01&q=%20ivy%20",
            &USERS,
        )
        .unwrap();
        assert_eq!((r.listing.order, r.listing.descending), ("email", true));
        assert_eq!(
            r.listing.filters,
            [
                Filter::Search(USERS.search, "ivy".into()),
                Filter::In("id", vec!["a".into(), "b".into()]),
                Filter::Cmp("created_at", ">=", "2000-01-01T00:00:00.000Z".into()),
                Filter::Eq("email", "A@x.co".into()),
            ]
        );
        assert_eq!(parse("limit=0", &USERS).unwrap().listing.limit, 0);
        assert!(parse("with_deleted=true", &USERS).is_ok());
        assert_eq!(parse("", &API_KEYS).unwrap().listing.limit, 20);
    }

    #[test]
    fn crashes_of_the_real_server_are_deviations() {
        for (q, d) in [
            ("limit=-1", &deviations::NEGATIVE_LIMIT),
            ("offset=-1", &deviations::NEGATIVE_OFFSET),
            ("order=nope", &deviations::UNKNOWN_USER_ORDER),
            ("order=role", &deviations::UNKNOWN_USER_ORDER),
            ("order=", &deviations::UNKNOWN_USER_ORDER),
            ("order=-", &deviations::UNKNOWN_USER_ORDER),
            ("order=EMAIL", &deviations::UNKNOWN_USER_ORDER),
            ("order=%20email", &deviations::UNKNOWN_USER_ORDER),
            ("order=email,first_name", &deviations::UNKNOWN_USER_ORDER),
            ("created_at[$gte]=soon", &deviations::BAD_DATE_FILTER),
            ("created_at[$re]=x", &deviations::UNSUPPORTED_FILTER),
        ] {
            assert_eq!(msg(parse(q, &USERS)), d.message(), "{q}");
        }
        assert_eq!(
            msg(parse("order=bogus", &INVITES)),
            deviations::UNKNOWN_INVITE_ORDER.message()
        );
        assert_eq!(
            msg(parse("limit=-1", &INVITES)),
            deviations::NEGATIVE_LIMIT.message()
        );
        assert_eq!(
            msg(parse("$or=x", &INVITES)),
            deviations::UNSUPPORTED_FILTER.message()
        );
        assert_eq!(
            msg(parse("expand=x", &USERS)),
            "Invalid request: Unrecognized fields: 'expand'"
        );
    }
}
