//! Human output: an aligned table for lists, a key–value view for one user. Secrets (API
//! tokens) are masked here; `--json` prints the server's own shapes instead.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::api::{User, UserPage};
use crate::secret::mask_token;

/// Pads `s` to `width` display columns (wide characters count double).
fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Rows aligned in columns, two spaces apart; the last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let text: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    (*c).to_owned()
                } else {
                    pad(c, widths[i])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", text.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// The user list as a table.
pub fn user_table(users: &[User]) -> String {
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.id.clone(),
                u.email.clone(),
                or_dash(&u.full_name()),
                u.role.to_string(),
                u.created_at.short(),
            ]
        })
        .collect();
    table(&["ID", "EMAIL", "NAME", "ROLE", "CREATED"], &rows)
}

/// `21–40 of 137`, or `no users` / `no users on this page (137 in all)`.
pub fn page_summary(page: &UserPage) -> String {
    let shown = page.users.len() as u64;
    if page.count == 0 {
        return "no users".to_owned();
    }
    if shown == 0 {
        return format!("no users on this page ({} in all)", page.count);
    }
    format!(
        "{}–{} of {}",
        page.offset + 1,
        page.offset + shown,
        page.count
    )
}

/// One user as aligned `key  value` lines. The API token is masked unless `reveal`.
pub fn user_details(user: &User, reveal: bool) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("id".into(), user.id.clone()),
        ("email".into(), user.email.clone()),
        (
            "first name".into(),
            or_dash(user.first_name.as_deref().unwrap_or("")),
        ),
        (
            "last name".into(),
            or_dash(user.last_name.as_deref().unwrap_or("")),
        ),
        ("role".into(), user.role.to_string()),
        (
            "api token".into(),
            match &user.api_token {
                Some(t) if reveal => t.clone(),
                Some(t) => mask_token(t),
                None => "—".into(),
            },
        ),
    ];
    match &user.metadata {
        Some(map) if !map.is_empty() => {
            for (k, v) in map {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                pairs.push((format!("metadata.{k}"), value));
            }
        }
        _ => pairs.push(("metadata".into(), "—".into())),
    }
    pairs.push(("created".into(), user.created_at.to_string()));
    pairs.push(("updated".into(), user.updated_at.to_string()));
    if let Some(deleted) = &user.deleted_at {
        pairs.push(("deleted".into(), deleted.to_string()));
    }
    let width = pairs.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in pairs {
        let _ = writeln!(out, "{}  {v}", pad(&k, width));
    }
    out
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Role, Timestamp};

    fn user(email: &str, first: Option<&str>) -> User {
        User {
            id: "usr_01".into(),
            created_at: Timestamp("2026-11-27T10:23:06.471Z".into()),
            updated_at: Timestamp("2026-11-27T10:23:06.471Z".into()),
            deleted_at: None,
            role: Role::Admin,
            email: email.into(),
            first_name: first.map(Into::into),
            last_name: None,
            api_token: Some("local-dev-admin-api-token".into()),
            metadata: None,
        }
    }

    #[test]
    fn table_aligns_wide_characters() {
        let out = table(
            &["A", "B"],
            &[
                vec!["日本".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "A     B");
        assert_eq!(lines[1], "日本  x");
        assert_eq!(lines[2], "ab    y");
    }

    #[test]
    fn user_table_and_summary() {
        let users = vec![
            user("alice@example.com", Some("Alice")),
            user("b@x.io", None),
        ];
        let out = user_table(&users);
        assert!(
            out.starts_with("ID      EMAIL              NAME   ROLE   CREATED\n"),
            "{out}"
        );
        assert!(
            out.contains("usr_01  b@x.io             —      admin  2026-11-27 10:23"),
            "{out}"
        );
        let page = UserPage {
            users,
            count: 137,
            offset: 20,
            limit: 20,
        };
        assert_eq!(page_summary(&page), "21–22 of 137");
        let empty = UserPage {
            users: vec![],
            count: 5,
            offset: 100,
            limit: 50,
        };
        assert_eq!(page_summary(&empty), "no users on this page (5 in all)");
    }

    #[test]
    fn details_mask_the_token_unless_revealed() {
        let u = user("alice@example.com", Some("Alice"));
        let masked = user_details(&u, false);
        assert!(!masked.contains("local-dev-admin-api-token"));
        assert!(masked.contains("api token   ••••••••oken"), "{masked}");
        assert!(user_details(&u, true).contains("local-dev-admin-api-token"));
    }
}
