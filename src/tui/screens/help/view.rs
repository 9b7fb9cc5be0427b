//! The help overlay as drawn: the keys of every context this session offers, flowed into as
//! many columns as fit, filtered by what was typed after `/`; and how far it (or the message
//! log) can scroll.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::messages::message_lines;
use crate::tui::app::{App, HelpOverlay, Modal};
use crate::tui::keymap::{Action, Context, Key};
use crate::tui::ui::{Theme, centered, fit, safe_span, width, wrap};

/// Width of a help column (keys, then what they do), and of the keys part.
const HELP_COLUMN: usize = 46;

const HELP_KEYS: usize = 16;

/// The help overlay's box for a screen `area`.
pub(super) fn help_rect(area: Rect) -> Rect {
    centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// The help text laid out in columns for a box of `inner_width`: the sections (one per
/// context, filtered by `filter`) flowed into as many columns as fit, balanced in height.
fn help_columns(
    app: &App,
    filter: &str,
    inner_width: usize,
    theme: &Theme,
) -> Vec<Vec<Line<'static>>> {
    let filter = filter.to_lowercase();
    let count = (inner_width / HELP_COLUMN).clamp(1, 4);
    // Each column is drawn one narrower than its share (a gap between columns); a row is
    // two spaces, the keys, a space and what they do.
    let column_width = (inner_width / count).saturating_sub(1);
    let what_width = column_width.saturating_sub(HELP_KEYS + 3).max(4);
    let mut sections: Vec<Vec<Line<'static>>> = Vec::new();
    for context in Context::ALL {
        let title = context.title();
        let heading_matches = title.to_lowercase().contains(&filter);
        let mut lines = Vec::new();
        let offer = app.offer();
        for b in app.keymap.for_context(context, &offer) {
            let keys: Vec<String> = b.keys.iter().map(Key::label).collect();
            let keys = keys.join(" ");
            if !heading_matches
                && !keys.to_lowercase().contains(&filter)
                && !b.help.to_lowercase().contains(&filter)
            {
                continue;
            }
            for (i, part) in wrap(b.help, what_width, "", "").into_iter().enumerate() {
                let keys = if i == 0 {
                    fit(&keys, HELP_KEYS)
                } else {
                    String::new()
                };
                let pad = HELP_KEYS.saturating_sub(width(&keys));
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys}{}", " ".repeat(pad)), theme.key),
                    Span::raw(format!(" {part}")),
                ]));
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.insert(0, Line::from(Span::styled(title, theme.header)));
        lines.push(Line::default());
        sections.push(lines);
    }
    let total: usize = sections.iter().map(Vec::len).sum();
    let target = total.div_ceil(count);
    let mut columns: Vec<Vec<Line<'static>>> = vec![Vec::new()];
    for section in sections {
        let last = columns.len() - 1;
        if !columns[last].is_empty()
            && columns[last].len() + section.len() / 2 > target
            && columns.len() < count
        {
            columns.push(Vec::new());
        }
        let last = columns.len() - 1;
        columns[last].extend(section);
    }
    for column in &mut columns {
        if column.last().is_some_and(|l| l.width() == 0) {
            column.pop();
        }
    }
    columns
}

/// How far the overlay on top (help, messages) can scroll, for the app to clamp to.
pub fn max_scroll(app: &App) -> u16 {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let theme = app.theme;
    let (lines, visible) = match app.modals.last() {
        Some(Modal::Help(HelpOverlay { filter, .. })) => {
            let rect = help_rect(area);
            let columns = help_columns(
                app,
                filter.value(),
                usize::from(rect.width.saturating_sub(4)),
                &theme,
            );
            let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
            (tallest, rect.height.saturating_sub(2))
        }
        Some(Modal::Messages { .. }) => {
            let rect = help_rect(area);
            let lines = message_lines(app, usize::from(rect.width.saturating_sub(4)), &theme);
            (lines.len(), rect.height.saturating_sub(2))
        }
        _ => (0, 0),
    };
    (lines.min(usize::from(u16::MAX)) as u16).saturating_sub(visible)
}

/// An overlay's box: the title on top, the scroll position bottom left and the first of
/// `hints` that fits beside it bottom right.
pub(super) fn bordered_with_position<'a>(
    title: Line<'a>,
    position: String,
    hints: &[String],
    box_width: u16,
    theme: &Theme,
) -> Block<'a> {
    let room = usize::from(box_width).saturating_sub(width(&position) + 4);
    let mut block = Block::bordered()
        .border_style(theme.focus_border)
        .title(title)
        .title_bottom(Line::from(Span::styled(position, theme.dim)));
    if let Some(hint) = hints.iter().find(|h| width(h) <= room) {
        block =
            block.title_bottom(Line::from(Span::styled(hint.clone(), theme.dim)).right_aligned());
    }
    block
}

/// An overlay's bottom-right hints, longest first, with the keys the keymap (and the config's
/// `[keys]`) gives `context`: ` j/k PgDn/PgUp g/G scroll · / filter · Esc closes ` by default.
/// `filter` adds the filter's key (help only); `jumps` the top and bottom keys.
pub(super) fn scroll_hints(app: &App, context: Context, filter: bool, jumps: bool) -> Vec<String> {
    let key = |action: Action| {
        app.keymap
            .keys_for(context, action)
            .first()
            .cloned()
            .unwrap_or_default()
    };
    let pair = |a: Action, b: Action| format!("{}/{}", key(a), key(b));
    let mut scroll = format!(
        "{} {}",
        pair(Action::Down, Action::Up),
        pair(Action::NextPage, Action::PrevPage)
    );
    if jumps {
        scroll.push_str(&format!(" {}", pair(Action::First, Action::Last)));
    }
    // The short form, for a narrow box, drops the scrolling keys: `/ filter · Esc closes`.
    let mut short = Vec::new();
    if filter {
        short.push(format!("{} filter", key(Action::Filter)));
    }
    short.push(format!("{} closes", key(Action::Back)));
    let short = short.join(" · ");
    vec![format!(" {scroll} scroll · {short} "), format!(" {short} ")]
}

/// ` 12–31 of 80 `, or ` all 20 ` when everything shows.
pub(super) fn position(scroll: u16, visible: u16, total: usize) -> String {
    let total = total.min(usize::from(u16::MAX)) as u16;
    if total <= visible {
        format!(" all {total} lines ")
    } else {
        format!(
            " lines {}–{} of {total} ",
            scroll + 1,
            (scroll + visible).min(total)
        )
    }
}

pub(crate) fn render_help(
    frame: &mut Frame,
    app: &App,
    help: &HelpOverlay,
    area: Rect,
    theme: &Theme,
) {
    let (scroll, filter, editing) = (help.scroll, help.filter.value(), help.editing);
    let rect = help_rect(area);
    frame.render_widget(Clear, rect);
    let inner = rect.inner(Margin::new(2, 1));
    let columns = help_columns(app, filter, usize::from(inner.width), theme);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let visible = inner.height;
    let scroll = scroll.min((tallest.min(usize::from(u16::MAX)) as u16).saturating_sub(visible));
    let mut title = vec![Span::styled(" Keys ", theme.strong)];
    if editing || !filter.is_empty() {
        title.push(Span::styled("· filter: ", theme.dim));
        title.push(safe_span(filter, theme.key));
        if editing {
            title.push(Span::styled("▏", theme.key));
        }
        title.push(Span::raw(" "));
    }
    let hints = if editing {
        let key = |action: Action| {
            app.keymap
                .keys_for(Context::HelpFilter, action)
                .first()
                .cloned()
                .unwrap_or_default()
        };
        vec![
            format!(
                " {} keeps the filter · {} clears it ",
                key(Action::Submit),
                key(Action::Back)
            ),
            format!(" {} clears ", key(Action::Back)),
        ]
    } else {
        scroll_hints(app, Context::Help, true, true)
    };
    let block = bordered_with_position(
        Line::from(title),
        position(scroll, visible, tallest),
        &hints,
        rect.width,
        theme,
    );
    frame.render_widget(block, rect);
    if tallest == 0 {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("no key matches ", theme.dim),
                safe_span(&format!("{filter:?}"), theme.dim),
            ])),
            inner,
        );
        return;
    }
    let count = columns.len() as u16;
    let column_width = inner.width / count.max(1);
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + column_width * i as u16;
        let rect = Rect {
            x,
            width: column_width.saturating_sub(1),
            ..inner
        };
        frame.render_widget(Paragraph::new(column).scroll((scroll, 0)), rect);
    }
}
