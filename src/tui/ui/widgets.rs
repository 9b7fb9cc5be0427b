//! Drawing pieces the dialogs share: a box of text sized to it, the answer line of a
//! confirmation, and a form (labelled fields, their errors and hints, the cursor).

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{Theme, centered, safe_span, width, wrap};
use crate::safe_text::neutralise;
use crate::tui::app::App;
use crate::tui::form::{FieldKind, Form};
use crate::tui::keymap::{Action, Context, Keymap};

/// `Press y to <verb>, n or Esc to cancel.`: the answer line of a confirmation dialog, with
/// the keys the keymap (and the config's `[keys]`) gives `context`.
/// The two lines of a production profile's typed confirmation: what to type and what Enter
/// does (`verb`), then the name as typed so far.
pub(crate) fn typed_name_lines(
    input: &tui_input::Input,
    profile: &str,
    verb: &str,
    theme: &Theme,
) -> [Line<'static>; 2] {
    [
        Line::from(vec![
            Span::styled("PRODUCTION", theme.badge_production),
            Span::raw(" Type the profile's name, "),
            safe_span(profile, theme.strong),
            Span::raw(", and press "),
            Span::styled("Enter", theme.key),
            Span::raw(format!(" to {verb}; ")),
            Span::styled("Esc", theme.key),
            Span::raw(" cancels."),
        ]),
        Line::from(vec![
            Span::styled("> ", theme.key),
            safe_span(input.value(), theme.strong),
            Span::styled("▏", theme.key),
        ]),
    ]
}

pub(crate) fn confirm_line(
    verb: &str,
    keymap: &Keymap,
    context: Context,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![Span::raw("Press ")];
    let yes = keymap.keys_for(context, Action::Confirm);
    spans.push(Span::styled(
        yes.first().cloned().unwrap_or_else(|| "y".into()),
        theme.key,
    ));
    spans.push(Span::raw(format!(" to {verb}, ")));
    // Two keys say enough; the help lists the rest.
    let cancel = keymap.keys_for(context, Action::Back);
    for (i, key) in cancel.iter().take(2).enumerate() {
        if i > 0 {
            spans.push(Span::raw(" or "));
        }
        spans.push(Span::styled(key.clone(), theme.key));
    }
    spans.push(Span::raw(" to cancel."));
    Line::from(spans)
}

/// `y copies the token, l the link, <key> <what>`: the keys of a dialog that shows a token,
/// as the keymap (and the config's `[keys]`) has them in `context`; the link only where an
/// admin URL makes one. `last` is the dialog's own next step (close it, use the token).
pub(crate) fn token_keys_line(
    app: &App,
    context: Context,
    (last, what): (Action, &str),
    theme: &Theme,
) -> Line<'static> {
    let key = |action: Action, fallback: &str| {
        let keys = app.keymap.keys_for(context, action);
        Span::styled(
            keys.first().cloned().unwrap_or_else(|| fallback.into()),
            theme.key,
        )
    };
    let mut spans = vec![
        key(Action::CopyToken, "y"),
        Span::raw(" copies the token, "),
    ];
    if app.admin_url.is_some() {
        spans.push(key(Action::CopyLink, "l"));
        spans.push(Span::raw(" the link, "));
    }
    spans.push(key(last, "Esc"));
    spans.push(Span::raw(format!(" {what}")));
    Line::from(spans)
}

/// A bordered box of text, as tall as its text needs (within the screen), centred. `build`
/// gets the width the text has, for lines it lays out itself; the rest wrap at words.
pub(crate) fn render_box<'a>(
    frame: &mut Frame,
    title: &str,
    width: u16,
    area: Rect,
    border: Style,
    build: impl FnOnce(usize) -> Vec<Line<'a>>,
) {
    let width = width.min(area.width.saturating_sub(2));
    let text_width = width.saturating_sub(4);
    let paragraph = Paragraph::new(build(usize::from(text_width))).wrap(Wrap { trim: false });
    let text_height = paragraph.line_count(text_width) as u16;
    let rect = centered(area, width, text_height + 4);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(border)
        .title(Line::from(Span::styled(title.to_owned(), border)));
    let inner = block.inner(rect).inner(Margin::new(1, 1));
    frame.render_widget(block, rect);
    frame.render_widget(paragraph, inner);
}

const LABEL_WIDTH: u16 = 19;

/// What a field shows, neutralised, and where its cursor sits in that text (in columns).
fn field_text(field: &crate::tui::form::Field) -> (String, usize) {
    match field.kind {
        FieldKind::Secret if !field.revealed => (field.display(), field.cursor_column()),
        FieldKind::Role => (field.display(), 0),
        _ => {
            let value = field.value();
            let before: String = value.chars().take(field.input.cursor()).collect();
            (neutralise(value).into_owned(), width(&neutralise(&before)))
        }
    }
}

/// A form: one row per field (label, value), its error or hint under it (wrapped), then the
/// form-wide error and progress. The focused field gets the terminal cursor when the form is
/// on top.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_form(
    frame: &mut Frame,
    title: &str,
    notes: &[Line],
    form: &Form,
    busy: Option<String>,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    let width = 72u16.min(area.width.saturating_sub(2));
    let text_width = width.saturating_sub(4);
    let below_width = usize::from(text_width.saturating_sub(LABEL_WIDTH));
    // One row per field, plus rows under a field for its error or hint.
    let mut rows: Vec<(Line, Option<usize>)> = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "› " } else { "  " };
        let label = Span::styled(
            format!(
                "{marker}{:<width$}",
                field.label,
                width = LABEL_WIDTH as usize - 2
            ),
            if focused { theme.key } else { theme.label },
        );
        rows.push((Line::from(label), Some(i)));
        let below = match (&field.error, field.hint) {
            (Some(e), _) => Some((format!("↳ {}", neutralise(e)), theme.error)),
            (None, Some(hint)) if focused => Some((hint.to_owned(), theme.dim)),
            _ if focused && field.kind == FieldKind::Role => {
                Some(("←/→ or Space to change".to_owned(), theme.dim))
            }
            _ => None,
        };
        if let Some((text, style)) = below {
            let pad = " ".repeat(usize::from(LABEL_WIDTH));
            for line in wrap(&text, below_width.max(1), "", "") {
                rows.push((
                    Line::from(Span::styled(format!("{pad}{line}"), style)),
                    None,
                ));
            }
        }
    }
    // Notes above and messages below the fields wrap to the dialog's width.
    let mut below = Vec::new();
    if let Some(e) = &form.error {
        below.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    if let Some(b) = busy {
        below.push(Line::from(Span::styled(b, theme.dim)));
    }
    let notes = Paragraph::new(notes.to_vec()).wrap(Wrap { trim: false });
    let below = Paragraph::new(below).wrap(Wrap { trim: false });
    let notes_height = notes.line_count(text_width) as u16;
    let below_height = below.line_count(text_width) as u16;
    let gap = |h: u16| if h > 0 { h + 1 } else { 0 };
    let height = gap(notes_height) + rows.len() as u16 + gap(below_height) + 4;
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_style(theme.focus_border)
        .title(Line::from(Span::styled(title.to_owned(), theme.strong)));
    let inner = block.inner(rect).inner(Margin::new(1, 1));
    frame.render_widget(block, rect);

    let [notes_area, fields_area, _, below_area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(gap(notes_height)),
        ratatui::layout::Constraint::Length(rows.len() as u16),
        ratatui::layout::Constraint::Length(u16::from(below_height > 0)),
        ratatui::layout::Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(notes, notes_area);
    frame.render_widget(below, below_area);

    let value_x = fields_area.x + LABEL_WIDTH;
    let value_width = fields_area.width.saturating_sub(LABEL_WIDTH + 1);
    for (row, (line, field_index)) in rows.into_iter().enumerate() {
        let y = fields_area.y + row as u16;
        if y >= fields_area.bottom() {
            break;
        }
        frame.render_widget(
            Paragraph::new(line),
            Rect {
                x: fields_area.x,
                y,
                width: fields_area.width,
                height: 1,
            },
        );
        let Some((i, field)) = field_index.and_then(|i| form.fields.get(i).map(|f| (i, f))) else {
            continue;
        };
        if value_width == 0 {
            continue;
        }
        let focused = i == form.focus;
        let (text, cursor) = field_text(field);
        let scroll = cursor.saturating_sub(usize::from(value_width) - 1);
        let style = match (field.kind, focused) {
            (FieldKind::ReadOnly, _) => theme.dim,
            (_, true) => Style::default().add_modifier(ratatui::style::Modifier::UNDERLINED),
            _ => Style::default(),
        };
        let value_rect = Rect {
            x: value_x,
            y,
            width: value_width,
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(style)
                .scroll((0, scroll.min(usize::from(u16::MAX)) as u16)),
            value_rect,
        );
        if top && focused && matches!(field.kind, FieldKind::Text | FieldKind::Secret) {
            let x = value_x + (cursor.saturating_sub(scroll) as u16).min(value_width - 1);
            frame.set_cursor_position((x, y));
        }
    }
}
