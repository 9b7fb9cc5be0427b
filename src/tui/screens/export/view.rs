//! The export prompt as drawn: what will be written, the file's path, then progress or what
//! went wrong.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::ExportDialog;
use crate::safe_text::neutralise;
use crate::tui::app::App;
use crate::tui::ui::widgets::render_box;
use crate::tui::ui::{Theme, safe_span, spinner};

/// The export prompt: every page of the list as it is now, to the file typed.
pub(crate) fn render(
    frame: &mut Frame,
    app: &App,
    dialog: &ExportDialog,
    area: Rect,
    theme: &Theme,
) {
    let ExportDialog {
        path,
        request,
        error,
    } = dialog;
    let list = &app.list;
    let mut what = format!(
        "Every page of the list as it is now: {} users",
        list.count()
    );
    if list.is_filtered() {
        what.push_str(&format!(" ({})", list.filters()));
    }
    what.push('.');
    let mut lines = vec![
        Line::from(neutralise(&what).into_owned()),
        Line::default(),
        Line::from(Span::styled("File (.csv, or .json for JSON):", theme.label)),
        Line::from(vec![
            Span::styled("> ", theme.key),
            safe_span(path.value(), theme.strong),
            Span::styled(if request.is_none() { "▏" } else { "" }, theme.key),
        ]),
        Line::default(),
    ];
    lines.push(match request {
        Some(_) => Line::from(format!("{} exporting…", spinner(app))),
        None => Line::from(vec![
            Span::styled("Enter", theme.key),
            Span::raw(" exports, "),
            Span::styled("Esc", theme.key),
            Span::raw(" cancels. The file is readable by you alone."),
        ]),
    });
    if let Some(e) = error {
        lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    render_box(frame, " Export users ", 72, area, theme.border, |_| lines);
}
