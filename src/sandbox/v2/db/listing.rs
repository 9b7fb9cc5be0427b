//! One list query for every v2 table: filters, a search, an order and a page, turned into SQL
//! with bound arguments (no value is ever spliced into the text).

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Row, params_from_iter};

use crate::sandbox::store::push_sql_list;

/// A condition on one column, already validated. Column names come from code, never from
/// the request.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Eq(&'static str, String),
    Ne(&'static str, String),
    In(&'static str, Vec<String>),
    NotIn(&'static str, Vec<String>),
    /// `<`, `<=`, `>`, `>=` on text (timestamps are stored so that text order is time order).
    Cmp(&'static str, &'static str, String),
    /// `$like` / `$ilike`: the pattern as given.
    Like(&'static str, String),
    /// `q=`: `ILIKE '%q%'` on any of the columns. `%` and `_` in q stay wildcards, as on the
    /// real server (CONTRACT §6).
    Search(&'static [&'static str], String),
}

/// A validated list request.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub filters: Vec<Filter>,
    pub order: &'static str,
    pub descending: bool,
    pub limit: u64,
    pub offset: u64,
}

/// Columns sorted without regard to letter case (names), like the real server's collation
/// does for mixed-case text; ids and e-mails sort byte-wise.
const CASELESS: [&str; 3] = ["first_name", "last_name", "title"];

fn where_clause(filters: &[Filter]) -> (String, Vec<SqlValue>) {
    let mut sql = String::from("1 = 1");
    let mut args = Vec::new();
    let mut push_list = |sql: &mut String, col: &str, not: &str, values: &[String]| {
        sql.push_str(&format!(" AND {col} {not}IN "));
        push_sql_list(sql, &mut args, values);
    };
    let mut scalars = Vec::new();
    for f in filters {
        match f {
            Filter::In(col, values) => push_list(&mut sql, col, "", values),
            Filter::NotIn(col, values) => push_list(&mut sql, col, "NOT ", values),
            other => scalars.push(other),
        }
    }
    for f in scalars {
        match f {
            Filter::Eq(col, v) => {
                sql.push_str(&format!(" AND {col} = ?"));
                args.push(SqlValue::Text(v.clone()));
            }
            Filter::Ne(col, v) => {
                sql.push_str(&format!(" AND {col} IS NOT ?"));
                args.push(SqlValue::Text(v.clone()));
            }
            Filter::Cmp(col, op, v) => {
                sql.push_str(&format!(" AND {col} {op} ?"));
                args.push(SqlValue::Text(v.clone()));
            }
            Filter::Like(col, pattern) => {
                sql.push_str(&format!(" AND {col} LIKE ? ESCAPE '\\'"));
                args.push(SqlValue::Text(pattern.clone()));
            }
            Filter::Search(cols, q) => {
                let alternatives: Vec<String> = cols
                    .iter()
                    .map(|c| format!("{c} LIKE ? ESCAPE '\\'"))
                    .collect();
                sql.push_str(&format!(" AND ({})", alternatives.join(" OR ")));
                for _ in *cols {
                    args.push(SqlValue::Text(format!("%{q}%")));
                }
            }
            Filter::In(..) | Filter::NotIn(..) => {}
        }
    }
    (sql, args)
}

/// One page of `table` (already restricted to live rows by `base`) and the filtered total.
pub fn list<T>(
    c: &Connection,
    table: &str,
    columns: &str,
    base: &str,
    listing: &Listing,
    from_row: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<(Vec<T>, u64)> {
    let (filter, args) = where_clause(&listing.filters);
    let dir = if listing.descending { "DESC" } else { "ASC" };
    // Postgres puts NULLs last going up and first going down.
    let nulls = if listing.descending { "FIRST" } else { "LAST" };
    let collate = if CASELESS.contains(&listing.order) {
        " COLLATE NOCASE"
    } else {
        ""
    };
    let order = listing.order;
    let limit = i64::try_from(listing.limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(listing.offset).unwrap_or(i64::MAX);
    let rows = c
        .prepare(&format!(
            "SELECT {columns} FROM {table} WHERE {base} AND {filter} \
             ORDER BY {order}{collate} {dir} NULLS {nulls}, id {dir} LIMIT {limit} OFFSET {offset}"
        ))?
        .query_map(params_from_iter(args.iter()), from_row)?
        .collect::<rusqlite::Result<Vec<T>>>()?;
    let count: i64 = c
        .prepare(&format!(
            "SELECT count(*) FROM {table} WHERE {base} AND {filter}"
        ))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
    Ok((rows, u64::try_from(count).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_bind_their_values() {
        let (sql, args) = where_clause(&[
            Filter::Eq("email", "a'b".into()),
            Filter::In("id", vec!["x".into(), "y".into()]),
            Filter::In("id", vec![]),
            Filter::Search(&["email", "first_name"], "%".into()),
        ]);
        assert_eq!(
            sql,
            "1 = 1 AND id IN (?, ?) AND id IN (NULL) AND email = ? \
             AND (email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\')"
        );
        assert_eq!(args.len(), 5);
        assert!(!sql.contains("a'b"));
    }
}
