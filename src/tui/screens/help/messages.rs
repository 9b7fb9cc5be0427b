//! The message log as drawn: every notice of the session, newest first, each wrapped in full.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::view::{bordered_with_position, help_rect, position, scroll_hints};
use crate::safe_text::neutralise;
use crate::tui::app::{App, Level};
use crate::tui::keymap::Context;
use crate::tui::ui::{Theme, wrap};

/// The message log as lines: newest first, each message wrapped in full.
pub(super) fn message_lines(app: &App, text_width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for status in app.log.iter().rev() {
        let (mark, style) = match status.level {
            Level::Info => ("✓", theme.ok),
            Level::Warn => ("!", theme.warn),
            Level::Error => ("✗", theme.error),
        };
        let text = neutralise(&status.text);
        for line in wrap(&text, text_width.max(4), &format!("{mark} "), "  ") {
            lines.push(Line::from(Span::styled(line, style)));
        }
    }
    lines
}

pub(crate) fn render_messages(
    frame: &mut Frame,
    app: &App,
    scroll: u16,
    area: Rect,
    theme: &Theme,
) {
    let rect = help_rect(area);
    frame.render_widget(Clear, rect);
    let inner = rect.inner(Margin::new(2, 1));
    let lines = message_lines(app, usize::from(inner.width), theme);
    let total = lines.len();
    let visible = inner.height;
    let scroll = scroll.min((total.min(usize::from(u16::MAX)) as u16).saturating_sub(visible));
    let block = bordered_with_position(
        Line::from(Span::styled(" Messages (newest first) ", theme.strong)),
        position(scroll, visible, total),
        &scroll_hints(app, Context::Messages, false, false),
        rect.width,
        theme,
    );
    frame.render_widget(block, rect);
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no messages yet", theme.dim)),
            inner,
        );
        return;
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
