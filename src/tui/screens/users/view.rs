//! The user table (one server page) and the detail pane beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::api::{OrderField, User};
use crate::safe_text::neutralise;
use crate::secret::mask_token;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::layout::detail_width;
use crate::tui::screens::search::search_spans;
use crate::tui::ui::lists::{
    ListTable, email_cell, list_block, render_detail_pane, render_empty_detail, render_empty_list,
    render_list_table,
};
use crate::tui::ui::{Theme, fit};

pub fn render_body(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let detail = detail_width(area.width);
    if detail > 0 {
        let [list, pane] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail)]).areas(area);
        render_table(frame, app, list, theme);
        render_detail(frame, app, app.list.selected_user(), pane, theme);
    } else {
        render_table(frame, app, area, theme);
    }
}

/// `created ▼`: the sort, as the column header and the title show it.
fn sort_label(app: &App) -> String {
    let order = app.list.order;
    let field = match order.field {
        OrderField::CreatedAt => "created",
        OrderField::UpdatedAt => "updated",
        OrderField::Email => "e-mail",
        OrderField::FirstName => "first name",
        OrderField::LastName => "last name",
        OrderField::Role => "role",
    };
    format!("{field} {}", if order.descending { "▼" } else { "▲" })
}

/// The columns for a table `width` cells wide (inside its borders, after the selection
/// marker and the gap that keeps the last column off the scrollbar). They depend on the
/// window only, never on the rows, so they hold still from page to page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub email: u16,
    pub name: Option<u16>,
    /// Only where users have roles.
    pub role: Option<u16>,
    pub created: Option<u16>,
}

const ROLE_WIDTH: u16 = 9; // "developer"
const CREATED_WIDTH: u16 = 16; // "2026-11-27 10:23"

impl Columns {
    pub fn for_width(width: u16, roles: bool) -> Columns {
        let created = (width >= 70).then_some(CREATED_WIDTH);
        let role = roles.then_some(ROLE_WIDTH);
        let name_shown = width >= 40;
        let spacing = u16::from(roles) + u16::from(name_shown) + u16::from(created.is_some());
        let rest = width.saturating_sub(role.unwrap_or(0) + created.unwrap_or(0) + spacing);
        if name_shown {
            // E-mails are what operators scan for: 30 columns when there is room (most
            // addresses), half of a wide table, never more than three quarters.
            let email = (rest / 2).max(30).min(rest * 3 / 4).max(10);
            Columns {
                email,
                name: Some(rest.saturating_sub(email)),
                role,
                created,
            }
        } else {
            Columns {
                email: rest,
                name: None,
                role,
                created,
            }
        }
    }

    fn constraints(&self) -> Vec<Constraint> {
        let mut widths = vec![Constraint::Length(self.email)];
        widths.extend(self.name.map(Constraint::Length));
        widths.extend(self.role.map(Constraint::Length));
        widths.extend(self.created.map(Constraint::Length));
        widths
    }
}

fn render_table(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let list = &app.list;
    let columns = Columns::for_width(area.width.saturating_sub(5), has_roles(app));
    let sort = sort_label(app);
    // The sort shows in its column's header; when that column is hidden, in the title.
    let sorted_shown = match list.order.field {
        OrderField::Email => true,
        OrderField::FirstName | OrderField::LastName => columns.name.is_some(),
        OrderField::CreatedAt => columns.created.is_some(),
        _ => false,
    };
    let mut title = vec![Span::styled(" Users ", theme.strong)];
    if !sorted_shown {
        title.push(Span::styled(format!("· {sort} "), theme.dim));
    }
    if !list.marked.is_empty() {
        // Marks survive paging and searching: the title says how many, wherever they are.
        title.push(Span::styled(
            format!("· {} marked ", list.marked.len()),
            theme.key,
        ));
    }
    let role = list
        .role
        .map(|role| Span::styled(format!("role: {role} "), theme.key));
    // The search gets what the border has left, cut with `…`, so the role filter after it
    // always shows.
    let used: usize =
        title.iter().map(Span::width).sum::<usize>() + role.as_ref().map_or(0, Span::width) + 3;
    title.extend(search_spans(
        app,
        &list.q,
        usize::from(area.width).saturating_sub(used),
        theme,
    ));
    title.extend(role);
    let focused = matches!(
        app.context(),
        Context::List | Context::Search | Context::GoToPage
    );
    let block = list_block(
        app,
        title,
        list.is_loading(),
        list.summary(),
        focused,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mark = |field: OrderField| {
        if list.order.field == field {
            format!(" {}", if list.order.descending { "▼" } else { "▲" })
        } else {
            String::new()
        }
    };
    let mut header = vec![Cell::from(format!("Email{}", mark(OrderField::Email)))];
    if columns.name.is_some() {
        header.push(Cell::from(match list.order.field {
            OrderField::FirstName => format!("Name{}", mark(OrderField::FirstName)),
            OrderField::LastName => format!("Name (by last){}", mark(OrderField::LastName)),
            _ => "Name".to_owned(),
        }));
    }
    if columns.role.is_some() {
        header.push(Cell::from("Role"));
    }
    if columns.created.is_some() {
        header.push(Cell::from(format!(
            "Created{}",
            mark(OrderField::CreatedAt)
        )));
    }
    let cut = |text: &str, width: u16| fit(&neutralise(text), usize::from(width));
    // Only the rows on screen are built, so a frame costs the same whatever the page's size:
    // the window is where ratatui's table, from a fresh state, would scroll to (just far
    // enough down that the selected row is the last one shown).
    let users = list.users();
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let selected = list.selected.min(users.len().saturating_sub(1));
    let first = (selected + 1).saturating_sub(visible);
    let window = &users[first.min(users.len())..(first + visible).min(users.len())];
    let rows: Vec<Row> = window
        .iter()
        .map(|u| {
            let marked = app.is_marked(&u.id);
            let mut cells = vec![email_cell(&u.email, marked, columns.email, theme)];
            if let Some(w) = columns.name {
                let name = u.full_name();
                cells.push(if name.is_empty() {
                    Cell::from(Span::styled("—", theme.dim))
                } else {
                    Cell::from(cut(&name, w))
                });
            }
            if columns.role.is_some() {
                cells.push(Cell::from(u.role_label()));
            }
            if let Some(w) = columns.created {
                cells.push(Cell::from(cut(&u.created_at.short(), w)));
            }
            Row::new(cells)
        })
        .collect();
    let empty = rows.is_empty();
    let shown_rows = rows.len().min(usize::from(inner.height.saturating_sub(1)));
    let table = ListTable {
        header,
        rows,
        widths: columns.constraints(),
        selected: selected - first,
        page_rows: list.users().len(),
    };
    render_list_table(frame, app, (area, inner), table, theme);

    if empty && list.page.is_some() {
        let text = if list.q.is_empty() && list.role.is_none() {
            "No users yet. Press c to create one."
        } else if list.role.is_some() {
            "No user matches. Esc clears the search, f changes the role filter."
        } else {
            "No user matches. Esc clears the search."
        };
        render_empty_list(frame, inner, text, theme);
    }
    // A scrollbar only when some users are not on screen.
    let hidden = list.total() > shown_rows as u64;
    if hidden && !empty && area.height > 4 {
        // The scrollbar does arithmetic on these; counts from a server can be anything, so
        // they are scaled into a range where that cannot overflow.
        let (length, position) = scrollbar_range(list.total(), list.position());
        let mut scroll = ScrollbarState::new(length).position(position);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area.inner(Margin::new(0, 1)),
            &mut scroll,
        );
    }
}

/// Whether users have roles here: the server's capabilities, or until they are known, the
/// shape the users came in.
fn has_roles(app: &App) -> bool {
    match app.caps() {
        Some(caps) => caps.roles,
        None => app
            .list
            .users()
            .first()
            .is_none_or(|u| u.wire == crate::api::Dialect::V1),
    }
}

/// `(content length, position)` for the scrollbar, scaled down proportionally when the count
/// exceeds a million (no terminal is that tall, so nothing visible is lost).
fn scrollbar_range(count: u64, position: u64) -> (usize, usize) {
    const MAX: u64 = 1_000_000;
    let position = position.min(count.saturating_sub(1));
    if count <= MAX {
        return (count as usize, position as usize);
    }
    let scaled = (u128::from(position) * u128::from(MAX) / u128::from(count)) as usize;
    (MAX as usize, scaled)
}

/// Every field of one user; the API token masked unless revealed with `v`.
pub fn render_detail(frame: &mut Frame, app: &App, user: Option<&User>, area: Rect, theme: &Theme) {
    let Some(user) = user else {
        render_empty_detail(frame, " no user selected", area, theme);
        return;
    };
    let label = |s: &str| Span::styled(format!("{s:<11}"), theme.label);
    let value_or_dash = |v: Option<&str>| match v {
        Some(s) if !s.is_empty() => Span::raw(neutralise(s).into_owned()),
        _ => Span::styled("—", theme.dim),
    };
    let token = match &user.api_token {
        Some(t) if app.reveal_token => Span::raw(neutralise(t).into_owned()),
        Some(t) => Span::raw(format!("{}  (v shows)", neutralise(&mask_token(t)))),
        None => Span::styled("—", theme.dim),
    };
    let mut lines = vec![
        Line::from(vec![
            label("id"),
            Span::raw(neutralise(&user.id).into_owned()),
        ]),
        Line::from(vec![
            label("email"),
            Span::raw(neutralise(&user.email).into_owned()),
        ]),
        Line::from(vec![
            label("first name"),
            value_or_dash(user.first_name.as_deref()),
        ]),
        Line::from(vec![
            label("last name"),
            value_or_dash(user.last_name.as_deref()),
        ]),
    ];
    let caps = app.caps();
    if caps.map_or(user.role.is_some(), |c| c.roles) {
        lines.push(Line::from(vec![
            label("role"),
            Span::raw(user.role_label()),
        ]));
    }
    if caps.map_or(user.wire == crate::api::Dialect::V1, |c| c.user_api_token) {
        lines.push(Line::from(vec![label("api token"), token]));
    }
    if caps.is_some_and(|c| c.avatar_url) {
        lines.push(Line::from(vec![
            label("avatar url"),
            value_or_dash(user.avatar_url.as_deref()),
        ]));
    }
    match &user.metadata {
        Some(map) if !map.is_empty() => {
            lines.push(Line::from(label("metadata")));
            for (k, v) in map {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(format!("{}: ", neutralise(k)), theme.dim),
                    Span::raw(neutralise(&text).into_owned()),
                ]));
            }
        }
        _ => lines.push(Line::from(vec![
            label("metadata"),
            Span::styled("—", theme.dim),
        ])),
    }
    lines.push(Line::from(vec![
        label("created"),
        Span::raw(neutralise(&user.created_at.0).into_owned()),
    ]));
    lines.push(Line::from(vec![
        label("updated"),
        Span::raw(neutralise(&user.updated_at.0).into_owned()),
    ]));
    if app.session.me.as_ref().is_some_and(|me| me.id == user.id) {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("this is you", theme.dim)));
    }
    render_detail_pane(frame, &user.email, lines, area, theme);
}

#[cfg(test)]
mod tests {
    use super::{Columns, scrollbar_range};

    #[test]
    fn scrollbar_range_scales_huge_counts() {
        assert_eq!(scrollbar_range(137, 40), (137, 40));
        assert_eq!(scrollbar_range(137, 500), (137, 136));
        assert_eq!(
            scrollbar_range(u64::MAX, u64::MAX - 1),
            (1_000_000, 999_999)
        );
        assert_eq!(scrollbar_range(2_000_000, 1_000_000), (1_000_000, 500_000));
    }

    #[test]
    fn columns_fill_the_width_and_give_way_as_it_narrows() {
        for width in 0..300u16 {
            for roles in [true, false] {
                let c = Columns::for_width(width, roles);
                assert_eq!(c.role.is_some(), roles);
                let spacing =
                    u16::from(roles) + u16::from(c.name.is_some()) + u16::from(c.created.is_some());
                let used = c.email
                    + c.name.unwrap_or(0)
                    + c.role.unwrap_or(0)
                    + c.created.unwrap_or(0)
                    + spacing;
                if width >= 40 {
                    assert_eq!(used, width, "{width}: {c:?}");
                }
            }
        }
        assert_eq!(Columns::for_width(39, true).name, None);
        assert!(Columns::for_width(69, true).created.is_none());
        assert!(Columns::for_width(70, true).created.is_some());
        // Without a role column, the e-mail and name get its room.
        assert!(Columns::for_width(100, false).email > Columns::for_width(100, true).email);
    }
}
