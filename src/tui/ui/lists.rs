//! The frame both lists share (users and invites): the border with the title, the tab bar and
//! the page summary, the hit map of where the rows and the tab titles went, and the frame of
//! the detail pane beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use super::{Theme, fit};
use crate::safe_text::neutralise;
use crate::tui::app::{App, Tab};
use crate::tui::layout::ListHit;

/// ` Users │ Invites `, the active tab highlighted: in the list's bottom border on both tabs, at
/// every width (it is short), so the second tab is never a secret. The top border keeps the
/// active tab's name, sort and search, which must not be crowded out.
pub fn tab_bar(app: &App, theme: &Theme) -> Vec<Span<'static>> {
    let style = |tab: Tab| {
        if app.tab == tab {
            theme.title
        } else {
            theme.dim
        }
    };
    vec![
        Span::raw(" "),
        Span::styled(" Users ", style(Tab::Users)),
        Span::styled("│", theme.dim),
        Span::styled(" Invites ", style(Tab::Invites)),
        Span::raw(" "),
    ]
}

/// Records where either list drew its rows and its tab titles, for mouse clicks: `area` is the
/// list's box (the tabs sit in its bottom border, as [`tab_bar`] lays them out), `table` the
/// table inside it (a column header, then the rows from `first`).
pub fn record_hits(app: &App, area: Rect, table: Rect, first: usize, rows: usize, theme: &Theme) {
    let rows_area = Rect {
        y: table.y.saturating_add(1),
        height: table.height.saturating_sub(1),
        ..table
    };
    let mut hits = app.hits.get();
    hits.list = Some(ListHit {
        tab: app.tab,
        area: rows_area,
        first,
        shown: rows
            .saturating_sub(first)
            .min(usize::from(rows_area.height)),
    });
    // The bottom border's left title starts after the corner.
    let y = area.bottom().saturating_sub(1);
    let mut x = area.x.saturating_add(1);
    let end = area.right().saturating_sub(1);
    for (i, span) in tab_bar(app, theme).iter().enumerate() {
        let width = span.width() as u16;
        let rect = Rect {
            x,
            y,
            width: width.min(end.saturating_sub(x)),
            height: 1,
        };
        match i {
            1 => hits.users_tab = (rect.width > 0 && area.height > 0).then_some(rect),
            3 => hits.invites_tab = (rect.width > 0 && area.height > 0).then_some(rect),
            _ => {}
        }
        x = x.saturating_add(width);
    }
    app.hits.set(hits);
}

/// The border of either list: its title, the tab bar (and spinner) bottom left, the page
/// summary bottom right, highlighted while the list has the focus.
pub fn list_block(
    app: &App,
    title: Vec<Span<'static>>,
    loading: bool,
    summary: String,
    focused: bool,
    theme: &Theme,
) -> Block<'static> {
    Block::bordered()
        .border_style(if focused {
            theme.focus_border
        } else {
            theme.border
        })
        .title(Line::from(title))
        .title_bottom(Line::from(bottom_left(app, loading, theme)))
        .title_bottom(
            Line::from(if summary.is_empty() {
                summary
            } else {
                format!(" {summary} ")
            })
            .right_aligned(),
        )
}

/// The list's bottom-left: the tab bar, then the spinner while a page loads.
pub fn bottom_left(app: &App, loading: bool, theme: &Theme) -> Vec<Span<'static>> {
    let mut bottom = tab_bar(app, theme);
    if loading {
        bottom.push(Span::styled(
            format!("{} loading ", super::spinner(app)),
            theme.dim,
        ));
    }
    bottom
}

/// The detail pane when no row is selected: ` Details ` and `nothing` (" no user selected").
pub fn render_empty_detail(frame: &mut Frame, nothing: &str, area: Rect, theme: &Theme) {
    let block = Block::bordered()
        .border_style(theme.border)
        .title(" Details ");
    frame.render_widget(Paragraph::new(nothing).style(theme.dim).block(block), area);
}

/// The detail pane of one record: `lines` (wrapped, never cut) in a box titled with `title`
/// (the record's e-mail; server text, so neutralised and cut to the box).
pub fn render_detail_pane(
    frame: &mut Frame,
    title: &str,
    lines: Vec<Line<'_>>,
    area: Rect,
    theme: &Theme,
) {
    let title = fit(
        &neutralise(title),
        usize::from(area.width.saturating_sub(4)),
    );
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::from(Span::styled(format!(" {title} "), theme.strong)));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A list's table as built by its screen: the header, the rows to draw, their widths, and which
/// of those rows is selected.
pub struct ListTable<'a> {
    pub header: Vec<Cell<'a>>,
    pub rows: Vec<Row<'a>>,
    pub widths: Vec<Constraint>,
    /// The selected row among `rows` (ignored when there are none).
    pub selected: usize,
    /// How many rows the page has (the hit map's count; `rows` may be only those on screen).
    pub page_rows: usize,
}

/// Draws a list's table in `inner` (the inside of the list's block at `area`): the selected
/// row highlighted, one column left free on the right so the last column never touches the
/// scrollbar; where the rows went is recorded for the mouse.
pub fn render_list_table(
    frame: &mut Frame,
    app: &App,
    (area, inner): (Rect, Rect),
    table: ListTable<'_>,
    theme: &Theme,
) {
    let empty = table.rows.is_empty();
    let widget = Table::new(table.rows, table.widths)
        .header(Row::new(table.header).style(theme.header))
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    let table_area = Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let mut state = TableState::default().with_selected((!empty).then_some(table.selected));
    frame.render_stateful_widget(widget, table_area, &mut state);
    record_hits(
        app,
        area,
        table_area,
        state.offset(),
        table.page_rows,
        theme,
    );
}

/// What an empty list says instead of rows (why, and what to do), inside its block.
pub fn render_empty_list(frame: &mut Frame, inner: Rect, text: &str, theme: &Theme) {
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.dim)
            .wrap(Wrap { trim: true }),
        inner.inner(Margin::new(1, 1)),
    );
}

/// A row's e-mail cell, cut to `width`; a marked row (for a bulk action) starts with `✓`.
pub fn email_cell(email: &str, marked: bool, width: u16, theme: &Theme) -> Cell<'static> {
    let cut = |w: u16| fit(&neutralise(email), usize::from(w));
    if marked {
        Cell::from(Line::from(vec![
            Span::styled("✓ ", theme.key),
            Span::raw(cut(width.saturating_sub(2))),
        ]))
    } else {
        Cell::from(cut(width))
    }
}
