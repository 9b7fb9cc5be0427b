//! Dialogs drawn over the list: forms, the delete confirmation, the reset-password steps, the
//! login screen, the discard question, help, and the full-screen detail view.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{Theme, centered, list, spinner};
use crate::tui::app::{App, Modal};
use crate::tui::form::{FieldKind, Form};

pub fn render_modal(frame: &mut Frame, app: &App, modal: &Modal, area: Rect, theme: &Theme) {
    match modal {
        Modal::Help { scroll } => render_help(frame, app, *scroll, area, theme),
        Modal::Detail => {
            let inner = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(3),
                ..area
            };
            frame.render_widget(Clear, inner);
            list::render_detail(frame, app, app.list.selected_user(), inner, theme);
        }
        Modal::Create { form, request } => {
            let busy = request.map(|_| format!("{} creating…", spinner(app)));
            render_form(frame, " Create user ", &[], form, busy, area, theme);
        }
        Modal::Edit {
            user,
            form,
            request,
        } => {
            let busy = request.map(|_| format!("{} saving…", spinner(app)));
            let note = [Line::from(Span::styled(
                "Medusa does not let an e-mail change; create a new user for that.",
                theme.dim,
            ))];
            render_form(
                frame,
                &format!(" Edit {} ", user.email),
                &note,
                form,
                busy,
                area,
                theme,
            );
        }
        Modal::Delete {
            user,
            request,
            error,
        } => {
            let mut lines = vec![
                Line::from(vec![
                    Span::raw("Delete "),
                    Span::styled(user.email.clone(), theme.strong),
                    Span::raw(format!(" ({})?", user.role)),
                ]),
                Line::from(Span::styled(user.id.clone(), theme.dim)),
                Line::default(),
                Line::from("Medusa keeps the row (soft delete) but the user can no longer log in."),
            ];
            if app.session.me.as_ref().is_some_and(|me| me.id == user.id) {
                lines.push(Line::from(Span::styled(
                    "This is YOU: you will be signed out.",
                    theme.danger,
                )));
            }
            lines.push(Line::default());
            lines.push(match request {
                Some(_) => Line::from(format!("{} deleting…", spinner(app))),
                None => Line::from(vec![
                    Span::raw("Press "),
                    Span::styled("y", theme.key),
                    Span::raw(" to delete, "),
                    Span::styled("n", theme.key),
                    Span::raw(" or "),
                    Span::styled("Esc", theme.key),
                    Span::raw(" to cancel."),
                ]),
            });
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(format!("✗ {e}"), theme.error)));
            }
            render_box(frame, " Delete user ", lines, 64, area, theme.danger);
        }
        Modal::ResetRequest {
            user,
            request,
            sent,
            error,
        } => {
            let mut lines = vec![
                Line::from(vec![
                    Span::raw("Reset the password of "),
                    Span::styled(user.email.clone(), theme.strong),
                ]),
                Line::default(),
                Line::from(vec![
                    Span::styled("1. ", theme.key),
                    Span::raw(
                        "Send a reset token (s). Medusa does not show it: it hands it to its",
                    ),
                ]),
                Line::from("   notification plugin, which e-mails it to the user. Without such a"),
                Line::from("   plugin, the token only reaches the server's event subscribers."),
                Line::from(vec![
                    Span::styled("2. ", theme.key),
                    Span::raw("I have a token (t): paste it and choose the new password."),
                ]),
                Line::default(),
                Line::from(Span::styled(
                    "Tokens expire after 15 minutes and die when the password changes.",
                    theme.dim,
                )),
            ];
            if request.is_some() {
                lines.push(Line::from(format!("{} sending…", spinner(app))));
            } else if *sent {
                lines.push(Line::from(Span::styled(
                    format!(
                        "✓ Token requested for {}. Press t once it has arrived.",
                        user.email
                    ),
                    theme.ok,
                )));
            }
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(format!("✗ {e}"), theme.error)));
            }
            render_box(
                frame,
                " Reset password ",
                lines,
                76,
                area,
                theme.focus_border,
            );
        }
        Modal::ResetApply {
            user,
            form,
            request,
        } => {
            let busy = request.map(|_| format!("{} applying…", spinner(app)));
            let note = [Line::from(Span::styled(
                "An invalid token is expired (15 min), already used, or for another user.",
                theme.dim,
            ))];
            render_form(
                frame,
                &format!(" New password for {} ", user.email),
                &note,
                form,
                busy,
                area,
                theme,
            );
        }
        Modal::Login {
            form,
            request,
            reason,
        } => {
            let busy = request.map(|_| format!("{} logging in…", spinner(app)));
            let mut note = vec![Line::from(vec![
                Span::raw("Log in to "),
                Span::styled(app.session.base_url.clone(), theme.strong),
            ])];
            if let Some(r) = reason {
                note.push(Line::from(Span::styled(r.clone(), theme.warn)));
            }
            render_form(frame, " Log in ", &note, form, busy, area, theme);
        }
        Modal::Discard => {
            let lines = vec![
                Line::from("Discard what you typed?"),
                Line::default(),
                Line::from(vec![
                    Span::styled("y", theme.key),
                    Span::raw(" discard   "),
                    Span::styled("n", theme.key),
                    Span::raw(" keep editing"),
                ]),
            ];
            render_box(frame, " Unsaved changes ", lines, 40, area, theme.warn);
        }
    }
}

/// A bordered box of wrapped text, as tall as its text needs (within the screen), centred.
fn render_box(
    frame: &mut Frame,
    title: &str,
    lines: Vec<Line>,
    width: u16,
    area: Rect,
    border: Style,
) {
    let width = width.min(area.width.saturating_sub(2));
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let text_height = paragraph.line_count(width.saturating_sub(4)) as u16;
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

/// A form: one row per field (label, value), an error or hint line under a field when it has
/// one, then the form-wide error and progress. The focused field gets the terminal cursor.
fn render_form(
    frame: &mut Frame,
    title: &str,
    notes: &[Line],
    form: &Form,
    busy: Option<String>,
    area: Rect,
    theme: &Theme,
) {
    // One row per field, plus a row under a field for its error or hint.
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
        let below = |text: String, style: Style| {
            Line::from(Span::styled(
                format!("{:w$}{text}", "", w = LABEL_WIDTH as usize),
                style,
            ))
        };
        if let Some(e) = &field.error {
            rows.push((below(format!("↳ {e}"), theme.error), None));
        } else if focused && let Some(hint) = field.hint {
            rows.push((below(hint.to_owned(), theme.dim), None));
        } else if focused && field.kind == FieldKind::Role {
            rows.push((below("←/→ or Space to change".to_owned(), theme.dim), None));
        }
    }
    // Notes above and messages below the fields wrap to the dialog's width.
    let mut below = Vec::new();
    if let Some(e) = &form.error {
        below.push(Line::from(Span::styled(format!("✗ {e}"), theme.error)));
    }
    if let Some(b) = busy {
        below.push(Line::from(Span::styled(b, theme.dim)));
    }
    let width = 72u16.min(area.width.saturating_sub(2));
    let text_width = width.saturating_sub(4);
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
        let Some(field) = field_index.and_then(|i| form.fields.get(i).map(|f| (i, f))) else {
            continue;
        };
        let (i, field) = field;
        if value_width == 0 {
            continue;
        }
        let focused = i == form.focus;
        let cursor = field.cursor_column();
        let scroll = match field.kind {
            FieldKind::Secret if !field.revealed => cursor.saturating_sub(value_width as usize - 1),
            _ => field.input.visual_scroll(value_width as usize),
        };
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
            Paragraph::new(field.display())
                .style(style)
                .scroll((0, scroll as u16)),
            value_rect,
        );
        if focused && matches!(field.kind, FieldKind::Text | FieldKind::Secret) {
            let x = value_x + (cursor.saturating_sub(scroll) as u16).min(value_width - 1);
            frame.set_cursor_position((x, y));
        }
    }
}

fn render_help(frame: &mut Frame, app: &App, scroll: u16, area: Rect, theme: &Theme) {
    let rect = centered(
        area,
        80.min(area.width.saturating_sub(2)),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, rect);
    let mut lines = Vec::new();
    for (heading, keys, what) in app.keymap.help_rows() {
        match heading {
            Some(h) => {
                if !lines.is_empty() {
                    lines.push(Line::default());
                }
                lines.push(Line::from(Span::styled(h, theme.header)));
            }
            None => lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), theme.key),
                Span::raw(what),
            ])),
        }
    }
    let visible = rect.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    let block = Block::bordered()
        .border_style(theme.focus_border)
        .title(Line::from(Span::styled(" Keys ", theme.strong)))
        .title_bottom(
            Line::from(Span::styled(" j/k scroll · Esc closes ", theme.dim)).right_aligned(),
        );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max_scroll), 0)),
        rect,
    );
}
