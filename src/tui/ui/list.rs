//! The user table (one server page) and the detail pane beside it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Cell, HighlightSpacing, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState,
    Table, TableState, Wrap,
};

use super::{Theme, spinner};
use crate::api::{OrderField, User};
use crate::secret::mask_token;
use crate::tui::app::App;
use crate::tui::keymap::Context;

pub fn render_body(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    if app.is_wide() {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(57), Constraint::Percentage(43)])
                .areas(area);
        render_table(frame, app, list, theme);
        render_detail(frame, app, app.list.selected_user(), detail, theme);
    } else {
        render_table(frame, app, area, theme);
    }
}

fn sort_mark(app: &App, field: OrderField) -> &'static str {
    match (app.list.order.field == field, app.list.order.descending) {
        (true, true) => " ▼",
        (true, false) => " ▲",
        _ => "",
    }
}

fn render_table(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let list = &app.list;
    let mut title = vec![Span::styled(" Users ", theme.strong)];
    if let Some(search) = &app.search {
        title.push(Span::styled(format!("/{}▏", search.value()), theme.key));
        title.push(Span::raw(" "));
    } else if !list.q.is_empty() {
        title.push(Span::styled(format!("search: {} ", list.q), theme.key));
    }
    if let Some(role) = list.role {
        title.push(Span::styled(format!("role: {role} "), theme.key));
    }
    let mut bottom = Vec::new();
    if list.is_loading() {
        bottom.push(Span::styled(
            format!(" {} loading ", spinner(app)),
            theme.dim,
        ));
    }
    let focused = matches!(app.context(), Context::List | Context::Search);
    let block = Block::bordered()
        .border_style(if focused {
            theme.focus_border
        } else {
            theme.border
        })
        .title(Line::from(title))
        .title_bottom(Line::from(bottom))
        .title_bottom(
            Line::from(match list.summary() {
                s if s.is_empty() => String::new(),
                s => format!(" {s} "),
            })
            .right_aligned(),
        );

    // Columns give way as the terminal narrows: Created first, then Name.
    let inner_width = area.width.saturating_sub(4);
    let show_created = inner_width >= 66;
    let show_name = inner_width >= 46;
    let mut header = vec![Cell::from(format!(
        "Email{}",
        sort_mark(app, OrderField::Email)
    ))];
    // E-mails are what operators scan for: give them their full width when it fits.
    let longest_email = list
        .users()
        .iter()
        .map(|u| unicode_width::UnicodeWidthStr::width(u.email.as_str()))
        .max()
        .unwrap_or(5)
        .max(8) as u16;
    let mut widths = vec![Constraint::Length(longest_email.min(inner_width * 3 / 5))];
    if show_name {
        let mark = match app.list.order.field {
            OrderField::FirstName => sort_mark(app, OrderField::FirstName),
            OrderField::LastName => sort_mark(app, OrderField::LastName),
            _ => "",
        };
        let label = match app.list.order.field {
            OrderField::LastName => "Name (by last)",
            _ => "Name",
        };
        header.push(Cell::from(format!("{label}{mark}")));
        widths.push(Constraint::Fill(1));
    }
    header.push(Cell::from("Role"));
    widths.push(Constraint::Length(9));
    if show_created {
        header.push(Cell::from(format!(
            "Created{}",
            sort_mark(app, OrderField::CreatedAt)
        )));
        widths.push(Constraint::Length(18));
    }
    let rows: Vec<Row> = list
        .users()
        .iter()
        .map(|u| {
            let mut cells = vec![Cell::from(u.email.clone())];
            if show_name {
                cells.push(Cell::from(u.full_name()));
            }
            cells.push(Cell::from(u.role.to_string()));
            if show_created {
                cells.push(Cell::from(u.created_at.short()));
            }
            Row::new(cells)
        })
        .collect();
    let empty = rows.is_empty();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header))
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::default().with_selected((!empty).then_some(list.selected));
    frame.render_stateful_widget(table, area, &mut state);

    if empty && list.page.is_some() {
        let inner = area.inner(ratatui::layout::Margin::new(2, 2));
        let text = if list.q.is_empty() && list.role.is_none() {
            "No users yet. Press c to create one."
        } else {
            "No user matches. Esc clears the search, f changes the role filter."
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim)
                .wrap(Wrap { trim: true }),
            inner,
        );
    }
    if list.count() > 0 && area.height > 4 {
        // The scrollbar does arithmetic on these; counts from a server can be anything, so
        // they are scaled into a range where that cannot overflow.
        let (length, position) = scrollbar_range(
            list.count(),
            list.offset.saturating_add(list.selected as u64),
        );
        let mut scroll = ScrollbarState::new(length).position(position);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area.inner(ratatui::layout::Margin::new(0, 1)),
            &mut scroll,
        );
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
        let block = Block::bordered()
            .border_style(theme.border)
            .title(" Details ");
        frame.render_widget(
            Paragraph::new(" no user selected")
                .style(theme.dim)
                .block(block),
            area,
        );
        return;
    };
    let label = |s: &str| Span::styled(format!("{s:<11}"), theme.label);
    let value_or_dash = |v: Option<&str>| match v {
        Some(s) if !s.is_empty() => Span::raw(s.to_owned()),
        _ => Span::styled("—", theme.dim),
    };
    let token = match &user.api_token {
        Some(t) if app.reveal_token => Span::raw(t.clone()),
        Some(t) => Span::raw(format!("{}  (v shows)", mask_token(t))),
        None => Span::styled("—", theme.dim),
    };
    let mut lines = vec![
        Line::from(vec![label("id"), Span::raw(user.id.clone())]),
        Line::from(vec![label("email"), Span::raw(user.email.clone())]),
        Line::from(vec![
            label("first name"),
            value_or_dash(user.first_name.as_deref()),
        ]),
        Line::from(vec![
            label("last name"),
            value_or_dash(user.last_name.as_deref()),
        ]),
        Line::from(vec![label("role"), Span::raw(user.role.to_string())]),
        Line::from(vec![label("api token"), token]),
    ];
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
                    Span::styled(format!("{k}: "), theme.dim),
                    Span::raw(text),
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
        Span::raw(user.created_at.to_string()),
    ]));
    lines.push(Line::from(vec![
        label("updated"),
        Span::raw(user.updated_at.to_string()),
    ]));
    if app.session.me.as_ref().is_some_and(|me| me.id == user.id) {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("this is you", theme.dim)));
    }
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::from(Span::styled(
            format!(" {} ", user.email),
            theme.strong,
        )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::scrollbar_range;

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
}
