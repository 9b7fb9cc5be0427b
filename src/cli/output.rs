//! Human output: an aligned table for lists, a key–value view for one user or invite, and the
//! lines the commands print about what they did. Secrets (API tokens, invite tokens) are masked
//! or left out here; `--json` prints the server's own shapes instead. Which fields a user has
//! (a role, an API token, an avatar) is the server's: [`UserFields`] comes from its
//! capabilities, so a v2 table has no ROLE column rather than a column of dashes.
//!
//! Every cell, key and value passes through [`neutralise`] here, at the one place text becomes
//! output, so no caller can forget it: a tab, a newline or an escape in a name shows as `\t`,
//! `\n`, `\e` and never breaks a row or drives the terminal. On a terminal a table is cut to
//! the terminal's width (long values end in `…`); piped, it is never cut.

use std::fmt::Write as _;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::api::{Capabilities, Invite, User, UserPage};
use crate::safe_text::neutralise;
use crate::secret::mask_token;

/// Spaces between two columns.
const GAP: usize = 2;

/// One column of a table: its title, and how narrow it may be cut before the other columns
/// have been cut to theirs (the id stays whole as long as anything else can give way, since
/// it is what the next command needs).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub title: &'static str,
    pub min: usize,
}

/// Pads `s` to `width` display columns (wide characters count double).
fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `s` cut to at most `width` display columns, ending in `…` when anything was cut. Whole
/// grapheme clusters only, so an emoji sequence or a letter with its accents is never split.
pub fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w > width - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Column widths that fit `budget` (the line width less the gaps): the column with the most
/// room above its `min` gives way first, so a column with a larger `min` (the e-mail) keeps
/// more than one with a smaller (the name); if that is not enough, every column down to one.
fn fit(natural: &[usize], mins: &[usize], budget: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    shrink(&mut widths, mins, budget);
    shrink(&mut widths, &vec![1; natural.len()], budget);
    widths
}

/// Takes one column at a time from the column with the most room above its floor until the
/// widths fit `budget` or every column is at its floor (on a tie the leftmost gives way).
fn shrink(widths: &mut [usize], floors: &[usize], budget: usize) {
    while widths.iter().sum::<usize>() > budget {
        let roomiest = (0..widths.len())
            .filter(|&i| widths[i] > floors[i])
            .max_by_key(|&i| (widths[i] - floors[i], std::cmp::Reverse(i)));
        match roomiest {
            Some(i) => widths[i] -= 1,
            None => return,
        }
    }
}

/// Rows aligned in columns, two spaces apart; the last column is not padded. With `max_width`
/// (a terminal), the table is cut to fit it.
pub fn table(columns: &[Column], rows: &[Vec<String>], max_width: Option<usize>) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| neutralise(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.title.width()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    if let Some(max) = max_width {
        let gaps = GAP * columns.len().saturating_sub(1);
        let mins: Vec<usize> = columns.iter().map(|c| c.min.max(1)).collect();
        widths = fit(&widths, &mins, max.saturating_sub(gaps));
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let last = cells.len().saturating_sub(1);
        let text: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let width = widths.get(i).copied().unwrap_or(0);
                let c = cut(c, width);
                if i == last { c } else { pad(&c, width) }
            })
            .collect();
        let _ = writeln!(out, "{}", text.join(&" ".repeat(GAP)).trim_end());
    };
    line(&columns.iter().map(|c| c.title).collect::<Vec<_>>());
    for row in &rows {
        line(&row.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}

/// The fields users have on this server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserFields {
    pub role: bool,
    pub api_token: bool,
    pub avatar_url: bool,
}

impl UserFields {
    pub fn of(caps: &Capabilities) -> UserFields {
        UserFields {
            role: caps.roles,
            api_token: caps.user_api_token,
            avatar_url: caps.avatar_url,
        }
    }
}

/// The user list's columns. At 80 columns a sandbox id (30), the role (9) and the date (16)
/// leave about 15 columns for e-mail and name, so those give way first.
const ID_COLUMN: Column = Column {
    title: "ID",
    min: 32,
};
const EMAIL_COLUMN: Column = Column {
    title: "EMAIL",
    min: 10,
};
const NAME_COLUMN: Column = Column {
    title: "NAME",
    min: 5,
};
const ROLE_COLUMN: Column = Column {
    title: "ROLE",
    min: 9,
};
const CREATED_COLUMN: Column = Column {
    title: "CREATED",
    min: 16,
};

/// The user list as a table, cut to `max_width` when given (a terminal). The ROLE column is
/// there only where users have roles.
pub fn user_table(users: &[User], max_width: Option<usize>, fields: UserFields) -> String {
    let mut columns = vec![ID_COLUMN, EMAIL_COLUMN, NAME_COLUMN];
    if fields.role {
        columns.push(ROLE_COLUMN);
    }
    columns.push(CREATED_COLUMN);
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            let mut row = vec![u.id.clone(), u.email.clone(), or_dash(&u.full_name())];
            if fields.role {
                row.push(u.role_label().to_owned());
            }
            row.push(u.created_at.short());
            row
        })
        .collect();
    table(&columns, &rows, max_width)
}

/// `21–40 of 137`, or `no users` / `no users on this page (137 in all)`.
pub fn page_summary(page: &UserPage) -> String {
    range_summary(page.users.len() as u64, page.offset, page.count, "users")
}

/// `21–40 of 137`, or `no NOUN` / `no NOUN on this page (137 in all)`.
pub fn range_summary(shown: u64, offset: u64, count: u64, noun: &str) -> String {
    if count == 0 {
        return format!("no {noun}");
    }
    if shown == 0 {
        return format!("no {noun} on this page ({count} in all)");
    }
    format!("{}–{} of {count}", offset + 1, offset + shown)
}

/// One user as aligned `key  value` lines, with the fields this server's users have. The API
/// token is masked unless `reveal`.
pub fn user_details(user: &User, reveal: bool, fields: UserFields) -> String {
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
    ];
    if fields.role {
        pairs.push(("role".into(), user.role_label().to_owned()));
    }
    if fields.api_token {
        pairs.push((
            "api token".into(),
            match &user.api_token {
                Some(t) if reveal => t.clone(),
                Some(t) => mask_token(t),
                None => "—".into(),
            },
        ));
    }
    if fields.avatar_url {
        pairs.push((
            "avatar url".into(),
            or_dash(user.avatar_url.as_deref().unwrap_or("")),
        ));
    }
    push_metadata(&mut pairs, user.metadata.as_ref());
    pairs.push(("created".into(), user.created_at.to_string()));
    pairs.push(("updated".into(), user.updated_at.to_string()));
    if let Some(deleted) = &user.deleted_at {
        pairs.push(("deleted".into(), deleted.to_string()));
    }
    key_values(&pairs)
}

/// `metadata.KEY  value` for each key, or `metadata  —`.
fn push_metadata(
    pairs: &mut Vec<(String, String)>,
    metadata: Option<&serde_json::Map<String, serde_json::Value>>,
) {
    match metadata {
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
}

/// Aligned `key  value` lines, every key and value neutralised.
fn key_values(pairs: &[(String, String)]) -> String {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (neutralise(k).into_owned(), neutralise(v).into_owned()))
        .collect();
    let width = pairs.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in pairs {
        let _ = writeln!(out, "{}  {v}", pad(&k, width));
    }
    out
}

// ----- invites -------------------------------------------------------------------------------

/// What the invite table and view show besides the fixed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteFields {
    /// Invites carry a role on this server.
    pub role: bool,
    /// Show the token (asked for with --show-tokens).
    pub token: bool,
}

/// The invite list as a table: ID, EMAIL, ROLE (where invites have roles), STATUS, EXPIRES,
/// CREATED, and TOKEN only when asked. At 80 columns a whole invite id (33) leaves about 37
/// columns for the rest, so their floors are small: a cut expiry still says `in 23 h…`, a cut
/// date still has its day. (The caller does not cut a table with tokens: a cut token is no
/// use.)
pub fn invite_table(
    invites: &[Invite],
    max_width: Option<usize>,
    fields: InviteFields,
    now: time::OffsetDateTime,
) -> String {
    let column = |title, min| Column { title, min };
    let mut columns = vec![column("ID", 33), column("EMAIL", 8)];
    if fields.role {
        columns.push(column("ROLE", 6));
    }
    columns.push(column("STATUS", 7));
    columns.push(column("EXPIRES", 8));
    columns.push(column("CREATED", 8));
    if fields.token {
        columns.push(column("TOKEN", 8));
    }
    let rows: Vec<Vec<String>> = invites
        .iter()
        .map(|i| {
            let mut row = vec![i.id.clone(), i.email.clone()];
            if fields.role {
                row.push(i.role.map_or("—", |r| r.as_str()).to_owned());
            }
            row.push(i.status_at(now).as_str().to_owned());
            row.push(i.expires_at.when(now));
            row.push(i.created_at.short());
            if fields.token {
                row.push(i.token.clone());
            }
            row
        })
        .collect();
    table(&columns, &rows, max_width)
}

/// One invite as aligned `key  value` lines; the token is masked unless `fields.token`.
pub fn invite_details(invite: &Invite, fields: InviteFields, now: time::OffsetDateTime) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("id".into(), invite.id.clone()),
        ("email".into(), invite.email.clone()),
    ];
    if fields.role {
        pairs.push((
            "role".into(),
            invite.role.map_or("—", |r| r.as_str()).to_owned(),
        ));
    }
    pairs.push(("status".into(), invite.status_at(now).as_str().to_owned()));
    pairs.push(("expires".into(), invite.expires_at.when(now)));
    pairs.push((
        "token".into(),
        if fields.token {
            invite.token.clone()
        } else {
            mask_token(&invite.token)
        },
    ));
    push_metadata(&mut pairs, invite.metadata.as_ref());
    pairs.push(("created".into(), invite.created_at.to_string()));
    pairs.push(("updated".into(), invite.updated_at.to_string()));
    key_values(&pairs)
}

/// A sentence for the operator (`Deleted a@b.c (usr_…)`) as one neutralised line: it names
/// server data, which must not drive the terminal here either.
pub fn sentence(text: &str) -> String {
    format!("{}\n", neutralise(text))
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".to_owned()
    } else {
        s.to_owned()
    }
}

// ----- CSV -----------------------------------------------------------------------------------

/// The characters a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`) or that
/// some strip before looking for one (tab, carriage return). A name such as
/// `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` would otherwise run when the export is opened.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell: the exact value, except that one that a spreadsheet would take for a formula
/// gets a leading `'` (OWASP's rule for CSV injection), and on a terminal (`terminal`) it is
/// also neutralised as every other cell a terminal shows is: CSV is exact data for files and
/// pipes, but server text never drives the operator's terminal.
pub fn csv_cell(value: &str, terminal: bool) -> String {
    let guarded = if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if terminal {
        neutralise(&guarded).into_owned()
    } else {
        guarded
    }
}

/// Metadata as compact JSON (its keys in the server's order), or an empty cell for none.
fn metadata_json(metadata: Option<&serde_json::Map<String, serde_json::Value>>) -> String {
    metadata
        .map(|m| serde_json::Value::Object(m.clone()).to_string())
        .unwrap_or_default()
}

/// `header` then `rows` as CSV, quoted where needed by the csv crate, every cell through
/// [`csv_cell`].
fn csv(header: &[&str], rows: &[Vec<String>], terminal: bool) -> Result<Vec<u8>, String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| format!("cannot write CSV: {e}");
    out.write_record(header).map_err(failed)?;
    for row in rows {
        out.write_record(row.iter().map(|c| csv_cell(c, terminal)))
            .map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| format!("cannot write CSV: {}", e.error()))
}

/// The user list as CSV: id, email, first_name, last_name, role (where users have roles),
/// avatar_url (where they have avatars), created_at, updated_at (as the server sent them) and
/// metadata. A missing value is an empty cell. The API token is left out: it is a secret,
/// and `--format json` has it for whoever needs it.
pub fn user_csv(users: &[User], fields: UserFields, terminal: bool) -> Result<Vec<u8>, String> {
    let mut header = vec!["id", "email", "first_name", "last_name"];
    if fields.role {
        header.push("role");
    }
    if fields.avatar_url {
        header.push("avatar_url");
    }
    header.extend(["created_at", "updated_at", "metadata"]);
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            let mut row = vec![
                u.id.clone(),
                u.email.clone(),
                u.first_name.clone().unwrap_or_default(),
                u.last_name.clone().unwrap_or_default(),
            ];
            if fields.role {
                row.push(u.role.map(|r| r.as_str().to_owned()).unwrap_or_default());
            }
            if fields.avatar_url {
                row.push(u.avatar_url.clone().unwrap_or_default());
            }
            row.push(u.created_at.0.clone());
            row.push(u.updated_at.0.clone());
            row.push(metadata_json(u.metadata.as_ref()));
            row
        })
        .collect();
    csv(&header, &rows, terminal)
}

/// The invite list as CSV: id, email, role (where invites have roles), status (pending or
/// expired at `now`), accepted, expires_at, created_at, updated_at, metadata, and the token
/// only when `fields.token` (`--show-tokens`), as in the table.
pub fn invite_csv(
    invites: &[Invite],
    fields: InviteFields,
    now: time::OffsetDateTime,
    terminal: bool,
) -> Result<Vec<u8>, String> {
    let mut header = vec!["id", "email"];
    if fields.role {
        header.push("role");
    }
    header.extend([
        "status",
        "accepted",
        "expires_at",
        "created_at",
        "updated_at",
        "metadata",
    ]);
    if fields.token {
        header.push("token");
    }
    let rows: Vec<Vec<String>> = invites
        .iter()
        .map(|i| {
            let mut row = vec![i.id.clone(), i.email.clone()];
            if fields.role {
                row.push(i.role.map(|r| r.as_str().to_owned()).unwrap_or_default());
            }
            row.push(i.status_at(now).as_str().to_owned());
            row.push(i.accepted.to_string());
            row.push(i.expires_at.0.clone());
            row.push(i.created_at.0.clone());
            row.push(i.updated_at.0.clone());
            row.push(metadata_json(i.metadata.as_ref()));
            if fields.token {
                row.push(i.token.clone());
            }
            row
        })
        .collect();
    csv(&header, &rows, terminal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Role, Timestamp};

    const V1: UserFields = UserFields {
        role: true,
        api_token: true,
        avatar_url: false,
    };

    fn user(email: &str, first: Option<&str>) -> User {
        User {
            id: "usr_01".into(),
            created_at: Timestamp("2026-11-27T10:23:06.471Z".into()),
            updated_at: Timestamp("2026-11-27T10:23:06.471Z".into()),
            deleted_at: None,
            role: Some(Role::Admin),
            email: email.into(),
            first_name: first.map(Into::into),
            last_name: None,
            api_token: Some("local-dev-admin-api-token".into()),
            avatar_url: None,
            metadata: None,
            wire: crate::api::Dialect::V1,
        }
    }

    #[test]
    fn table_aligns_wide_characters() {
        let columns = [Column { title: "A", min: 1 }, Column { title: "B", min: 1 }];
        let out = table(
            &columns,
            &[
                vec!["日本".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
            None,
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
        let out = user_table(&users, None, V1);
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
        let masked = user_details(&u, false, V1);
        assert!(!masked.contains("local-dev-admin-api-token"));
        assert!(masked.contains("api token   ••••••••oken"), "{masked}");
        assert!(user_details(&u, true, V1).contains("local-dev-admin-api-token"));
    }

    fn hostile(text: &str) -> User {
        let mut u = user(&format!("{text}@example.com"), Some(text));
        u.id = format!("usr_{text}");
        u.last_name = Some(text.into());
        u.api_token = Some(format!("tok{text}en-0123456789"));
        u.metadata = serde_json::json!({ text: text, "n": {"k": text} })
            .as_object()
            .cloned();
        u
    }

    const HOSTILE: &str = "a\u{1b}[31mb\tc\nd\re\u{9b}f\u{202e}g";

    fn assert_inert(out: &str) {
        for c in out.chars() {
            assert!(
                c == '\n' || !crate::safe_text::is_unsafe_char(c),
                "{c:?} reached the output:\n{out}"
            );
        }
        assert!(
            out.contains("a\\e[31mb\\tc\\nd\\re\\u{9b}f\\u{202e}g"),
            "{out}"
        );
    }

    #[test]
    fn table_cells_are_neutralised_and_rows_stay_whole() {
        let users = vec![hostile(HOSTILE), user("plain@example.com", Some("P"))];
        for width in [None, Some(200)] {
            let out = user_table(&users, width, V1);
            assert_inert(&out);
            assert_eq!(out.lines().count(), 3, "header and two rows:\n{out}");
        }
    }

    #[test]
    fn details_keys_and_values_are_neutralised() {
        let u = hostile(HOSTILE);
        for reveal in [false, true] {
            let out = user_details(&u, reveal, V1);
            assert_inert(&out);
            assert!(out.contains(&format!("metadata.{}", "a\\e[31mb")), "{out}");
            assert_eq!(out.lines().count(), 10, "{out}");
        }
        assert_inert(&sentence(&format!("Deleted {HOSTILE}")));
    }

    #[test]
    fn cut_is_width_aware_and_never_splits_a_grapheme() {
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcdef", 1), "…");
        assert_eq!(cut("abcdef", 0), "");
        // CJK: two columns each; a half-fitting character is left out, not split.
        assert_eq!(cut("日本語です", 6), "日本…");
        assert_eq!(cut("日本語です", 5), "日本…");
        assert_eq!(cut("日本語です", 4), "日…");
        // An emoji ZWJ sequence is one grapheme, kept whole or dropped whole.
        let coder = "🧑\u{200d}💻";
        assert_eq!(cut(&format!("{coder}{coder}x"), 4), format!("{coder}…"));
        assert_eq!(cut("e\u{301}tude", 3), "e\u{301}t…");
        for s in ["日本語です", "🧑\u{200d}💻🧑\u{200d}💻ab", "abcdefgh"] {
            for w in 0..10 {
                assert!(cut(s, w).width() <= w, "{s:?} at {w}: {:?}", cut(s, w));
            }
        }
    }

    fn wide_users() -> Vec<User> {
        let mut a = user(
            "konstantin.papadopoulos-wright@very-long-domain.example.com",
            None,
        );
        a.first_name = Some("Konstantin".into());
        a.last_name = Some("Papadopoulos-Wright".into());
        a.id = "usr_01M8E9RKDWX1E7NYV2FFTSW000".into();
        let mut b = user("山田太郎@例え.jp", Some("山田"));
        b.last_name = Some("太郎🧑\u{200d}💻".into());
        b.id = "usr_01M8E9RKDWX1E7NYV2FFTSW001".into();
        vec![a, b]
    }

    #[test]
    fn on_a_terminal_the_table_fits_and_cuts_with_an_ellipsis() {
        let users = wide_users();
        for width in [80, 100, 120] {
            let out = user_table(&users, Some(width), V1);
            for line in out.lines() {
                assert!(
                    line.width() <= width,
                    "{width}: {line:?} is {}",
                    line.width()
                );
            }
            // The id, the role and the date stay whole; e-mail and name give way.
            assert!(
                out.contains("usr_01M8E9RKDWX1E7NYV2FFTSW000"),
                "{width}:\n{out}"
            );
            assert!(out.contains("2026-11-27 10:23"), "{width}:\n{out}");
            assert!(out.contains('…'), "{width}:\n{out}");
        }
        // Columns stay aligned with wide characters: ROLE starts at the same column everywhere.
        let out = user_table(&users, Some(80), V1);
        let starts: Vec<usize> = out
            .lines()
            .map(|l| {
                let byte = l
                    .find(if l.starts_with("ID") { "ROLE" } else { "admin" })
                    .unwrap();
                l[..byte].width()
            })
            .collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{starts:?}\n{out}");
        // Wide enough: nothing is cut.
        let out = user_table(&users, Some(400), V1);
        assert!(!out.contains('…'), "{out}");
        assert_eq!(out, user_table(&users, None, V1));
    }

    #[test]
    fn a_very_narrow_terminal_cuts_everything_but_stays_within_bounds() {
        for width in [30, 45, 60] {
            let out = user_table(&wide_users(), Some(width), V1);
            for line in out.lines() {
                assert!(line.width() <= width, "{width}: {line:?}");
            }
        }
    }

    const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-27 10:00 UTC);

    fn invite(email: &str, expires: &str, role: Option<Role>) -> Invite {
        Invite {
            id: "invite_01M8E8F7HXT5VM8B27MM98HDY8".into(),
            email: email.into(),
            role,
            accepted: false,
            token: "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6Imludml0ZSJ9.secret-signature".into(),
            expires_at: Timestamp(expires.into()),
            metadata: None,
            created_at: Timestamp("2026-11-26T10:00:00.000Z".into()),
            updated_at: Timestamp("2026-11-26T10:00:00.000Z".into()),
            deleted_at: None,
            wire: crate::api::Dialect::V2,
        }
    }

    #[test]
    fn relative_times_round_down_and_keep_hours_up_to_two_days() {
        let at = |secs: i64| crate::api::relative(NOW + time::Duration::seconds(secs), NOW);
        assert_eq!(at(30), "in 30 s");
        assert_eq!(at(15 * 60 - 1), "in 14 min");
        assert_eq!(at(24 * 3600 - 60), "in 23 h");
        assert_eq!(at(47 * 3600), "in 47 h");
        assert_eq!(at(7 * 86_400), "in 7 d");
        assert_eq!(at(-3 * 3600), "3 h ago");
        assert_eq!(at(0), "just now");
        assert_eq!(at(1), "just now", "a server clock a second ahead");
        assert_eq!(at(-4), "just now");
        assert_eq!(at(5), "in 5 s");
        assert_eq!(
            Timestamp("2026-11-28T10:00:00.000Z".into()).when(NOW),
            "in 24 h (2026-11-28 10:00)"
        );
        assert_eq!(Timestamp("soon".into()).when(NOW), "soon");
    }

    #[test]
    fn the_invite_table_has_role_and_token_columns_only_when_asked() {
        let invites = vec![
            invite("a@example.com", "2026-11-28T09:00:00.000Z", None),
            invite("b@example.com", "2026-11-27T09:00:00.000Z", None),
        ];
        let plain = InviteFields {
            role: false,
            token: false,
        };
        let out = invite_table(&invites, None, plain, NOW);
        let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
        assert_eq!(header, ["ID", "EMAIL", "STATUS", "EXPIRES", "CREATED"]);
        assert!(out.contains("pending  in 23 h (2026-11-28 09:00)"), "{out}");
        assert!(out.contains("expired  1 h ago (2026-11-27 09:00)"), "{out}");
        assert!(!out.contains("secret-signature"), "{out}");
        let all = InviteFields {
            role: true,
            token: true,
        };
        let mut with_role = invites.clone();
        with_role[0].role = Some(Role::Developer);
        let out = invite_table(&with_role, None, all, NOW);
        let header: Vec<&str> = out.lines().next().unwrap().split_whitespace().collect();
        assert_eq!(
            header,
            [
                "ID", "EMAIL", "ROLE", "STATUS", "EXPIRES", "CREATED", "TOKEN"
            ]
        );
        assert!(out.contains("developer"), "{out}");
        assert!(out.contains("secret-signature"), "{out}");
        // On an 80-column terminal the id stays whole and nothing overflows, roles and all.
        let roles = InviteFields {
            role: true,
            token: false,
        };
        let out = invite_table(&with_role, Some(80), roles, NOW);
        for line in out.lines() {
            assert!(line.width() <= 80, "{line:?}\n{out}");
        }
        assert!(out.contains("invite_01M8E8F7HXT5VM8B27MM98HDY8"), "{out}");
        assert!(out.contains("in 23 h"), "{out}");
    }

    #[test]
    fn invite_details_mask_the_token_and_neutralise_the_email() {
        let i = invite(
            &format!("{HOSTILE}@example.com"),
            "2026-11-28T10:00:00.000Z",
            None,
        );
        let fields = InviteFields {
            role: false,
            token: false,
        };
        let out = invite_details(&i, fields, NOW);
        assert_inert(&out);
        assert!(!out.contains("secret-signature"), "{out}");
        assert!(out.contains("token     ••••••••ture"), "{out}");
        assert!(!out.contains("role"), "{out}");
        let out = invite_details(
            &i,
            InviteFields {
                role: true,
                token: true,
            },
            NOW,
        );
        assert!(
            out.contains("secret-signature") && out.contains("role"),
            "{out}"
        );
        let table = invite_table(&[i], None, fields, NOW);
        assert_inert(&table);
        assert_eq!(table.lines().count(), 2, "{table}");
    }

    #[test]
    fn v2_users_have_no_role_or_token_rows_but_an_avatar() {
        let mut u = user("v2@example.com", Some("Vee"));
        u.avatar_url = Some("https://example.invalid/a.png".into());
        let v2 = UserFields {
            role: false,
            api_token: false,
            avatar_url: true,
        };
        let out = user_details(&u, false, v2);
        assert!(!out.contains("role") && !out.contains("api token"), "{out}");
        assert!(
            out.contains("avatar url  https://example.invalid/a.png"),
            "{out}"
        );
        let table = user_table(&[u], None, v2);
        assert!(
            table.starts_with("ID      EMAIL           NAME  CREATED\n"),
            "{table}"
        );
    }
    fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn csv_cells_that_look_like_formulas_get_a_quote_and_nothing_else_changes() {
        for (raw, want) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("", ""),
            ("Zoë, \"Z\"\nnext", "Zoë, \"Z\"\nnext"),
        ] {
            assert_eq!(csv_cell(raw, false), want, "{raw:?}");
        }
        // On a terminal the same cell is also neutralised.
        assert_eq!(csv_cell("\tx\u{1b}[2J", true), "'\\tx\\e[2J");
        assert_eq!(csv_cell("a\nb", true), "a\\nb");
    }

    #[test]
    fn user_csv_round_trips_through_a_csv_parser() {
        let mut hostile = user("h@example.com", Some("=cmd|' /C calc'!A0"));
        hostile.last_name = Some("O'Brien, \"Bob\"\nJr.".into());
        hostile.metadata = serde_json::json!({"b": 1, "a": "x,y"}).as_object().cloned();
        let plain = user("p@example.com", None);
        let rows = parse_csv(&user_csv(&[hostile, plain], V1, false).unwrap());
        assert_eq!(
            rows[0],
            [
                "id",
                "email",
                "first_name",
                "last_name",
                "role",
                "created_at",
                "updated_at",
                "metadata"
            ]
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][2], "'=cmd|' /C calc'!A0");
        assert_eq!(rows[1][3], "O'Brien, \"Bob\"\nJr.");
        assert_eq!(rows[1][4], "admin");
        assert_eq!(rows[1][5], "2026-11-27T10:23:06.471Z");
        assert_eq!(rows[1][7], r#"{"b":1,"a":"x,y"}"#);
        assert_eq!(rows[2][2], "");
        assert_eq!(rows[2][7], "");
        // The API token never goes into CSV.
        let all = String::from_utf8(user_csv(&[user("a@b.co", None)], V1, false).unwrap()).unwrap();
        assert!(!all.contains("local-dev-admin-api-token"), "{all}");
    }

    #[test]
    fn user_csv_columns_follow_the_servers_fields() {
        let v2 = UserFields {
            role: false,
            api_token: false,
            avatar_url: true,
        };
        let mut u = user("v2@example.com", Some("Vee"));
        u.avatar_url = Some("https://example.invalid/a.png".into());
        let rows = parse_csv(&user_csv(&[u], v2, false).unwrap());
        assert_eq!(
            rows[0],
            [
                "id",
                "email",
                "first_name",
                "last_name",
                "avatar_url",
                "created_at",
                "updated_at",
                "metadata"
            ]
        );
        assert_eq!(rows[1][4], "https://example.invalid/a.png");
    }

    #[test]
    fn csv_on_a_terminal_keeps_one_line_per_row_and_nothing_unsafe() {
        let users = vec![hostile(HOSTILE), user("plain@example.com", Some("P"))];
        let out = String::from_utf8(user_csv(&users, V1, true).unwrap()).unwrap();
        assert_eq!(out.lines().count(), 3, "{out}");
        for c in out.chars() {
            assert!(
                c == '\n' || !crate::safe_text::is_unsafe_char(c),
                "{c:?}:\n{out}"
            );
        }
        // Piped, the same values are exact.
        let exact = parse_csv(&user_csv(&users, V1, false).unwrap());
        assert_eq!(exact[1][2], HOSTILE);
    }

    #[test]
    fn invite_csv_has_role_and_token_columns_only_when_asked() {
        let mut with_role = invite("=x@example.com", "2026-11-28T09:00:00.000Z", None);
        with_role.role = Some(Role::Developer);
        let plain = InviteFields {
            role: false,
            token: false,
        };
        let rows =
            parse_csv(&invite_csv(std::slice::from_ref(&with_role), plain, NOW, false).unwrap());
        assert_eq!(
            rows[0],
            [
                "id",
                "email",
                "status",
                "accepted",
                "expires_at",
                "created_at",
                "updated_at",
                "metadata"
            ]
        );
        assert_eq!(rows[1][1], "'=x@example.com");
        assert_eq!(rows[1][2], "pending");
        assert_eq!(rows[1][3], "false");
        assert_eq!(rows[1][4], "2026-11-28T09:00:00.000Z");
        let all = InviteFields {
            role: true,
            token: true,
        };
        let rows = parse_csv(&invite_csv(&[with_role], all, NOW, false).unwrap());
        assert_eq!(rows[0][2], "role");
        assert_eq!(rows[1][2], "developer");
        assert_eq!(rows[0].last().map(String::as_str), Some("token"));
        assert!(rows[1].last().unwrap().ends_with("secret-signature"));
    }
}
