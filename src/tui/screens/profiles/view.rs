//! The profile switcher as drawn: every store in the config, the one in use marked,
//! production in red; its lines are the Everywhere dialog's too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::ui::widgets::render_box;
use crate::tui::ui::{Theme, safe_span};

/// One line per profile of the config: the cursor, the name in its colour, `detail`'s spans,
/// the production badge and "(in use)", the selected line highlighted. The switcher and the
/// Everywhere dialog both list stores this way.
pub(crate) fn profile_lines(
    app: &App,
    selected: usize,
    max_name: usize,
    theme: &Theme,
    detail: impl Fn(&crate::config::ProfileEntry) -> Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    let current = app.session.profile.as_ref().map(|p| p.name.as_str());
    let name_width = app
        .profiles
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .min(max_name);
    app.profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let marker = if i == selected { "▶ " } else { "  " };
            let name_style = match (p.color, theme.no_color) {
                (Some(c), false) => theme.strong.fg(c),
                _ => theme.strong,
            };
            let mut spans = vec![
                Span::raw(marker),
                Span::styled(
                    format!("{:<name_width$}", crate::safe_text::neutralise(&p.name)),
                    name_style,
                ),
                Span::raw("  "),
            ];
            spans.extend(detail(p));
            if p.production {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(" PRODUCTION ", theme.badge_production));
            }
            if Some(p.name.as_str()) == current {
                spans.push(Span::styled("  (in use)", theme.ok));
            }
            let line = Line::from(spans);
            if i == selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect()
}

/// The profile switcher: every store in the config, the one in use marked, production in red.
pub(crate) fn render_profiles(
    frame: &mut Frame,
    app: &App,
    selected: usize,
    area: Rect,
    theme: &Theme,
) {
    let rows = profile_lines(app, selected, 24, theme, |p| {
        vec![safe_span(p.url.as_deref().unwrap_or("-"), theme.dim)]
    });
    let mut lines = rows;
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("Enter", theme.key),
        Span::raw(" switches (the console starts afresh on that store), "),
        Span::styled("Esc", theme.key),
        Span::raw(" closes."),
    ]));
    render_box(frame, " Stores (profiles) ", 76, area, theme.border, |_| {
        lines
    });
}
