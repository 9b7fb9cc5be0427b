//! The delete dialog as drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::DeleteDialog;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::ui::widgets::{confirm_line, render_box, typed_name_lines};
use crate::tui::ui::{Theme, safe_span, spinner};

/// The delete question: who, what stays valid, their secret API keys, and the answer
/// (the profile's name, typed, on production).
pub(crate) fn render(
    frame: &mut Frame,
    app: &App,
    dialog: &DeleteDialog,
    area: Rect,
    theme: &Theme,
) {
    let DeleteDialog {
        user,
        request,
        error,
        keys,
        revoke_keys,
        step,
        typed_name,
    } = dialog;
    let caps = app.caps();
    let mut head = vec![Span::raw("Delete "), safe_span(&user.email, theme.strong)];
    if user.role.is_some() {
        head.push(Span::raw(format!(" ({})", user.role_label())));
    }
    head.push(Span::raw("?"));
    let mut lines = vec![
        Line::from(head),
        Line::from(safe_span(&user.id, theme.dim)),
        Line::default(),
        Line::from("Medusa keeps the row (soft delete) but the user can no longer log in."),
    ];
    if caps.is_some_and(|c| c.deleted_sessions_stay_valid) {
        lines.push(Line::from(Span::styled(
            "Sessions this user already holds stay valid until they expire (up to 24 h).",
            theme.warn,
        )));
    }
    if caps.is_some_and(|c| c.secret_keys) {
        lines.push(Line::default());
        match keys {
            None => lines.push(Line::from(Span::styled(
                format!(
                    "{} looking up the secret API keys this user created…",
                    spinner(app)
                ),
                theme.dim,
            ))),
            Some(keys) if keys.is_empty() => lines.push(Line::from(Span::styled(
                "This user created no secret API keys.",
                theme.dim,
            ))),
            Some(keys) => {
                lines.push(Line::from(Span::styled(
                    format!(
                        "Secret API keys this user created ({}) keep working after the \
                         user is gone:",
                        keys.len()
                    ),
                    theme.warn,
                )));
                for key in keys.iter().take(8) {
                    lines.push(Line::from(vec![
                        Span::raw("  • "),
                        safe_span(&key.title, theme.strong),
                        Span::raw("  "),
                        safe_span(&key.redacted, theme.dim),
                    ]));
                }
                if keys.len() > 8 {
                    lines.push(Line::from(format!("  … and {} more", keys.len() - 8)));
                }
                lines.push(Line::from(vec![
                    Span::styled(if *revoke_keys { "[x]" } else { "[ ]" }, theme.key),
                    Span::raw(" revoke them before deleting ("),
                    Span::styled(if typed_name.is_some() { "Tab" } else { "k" }, theme.key),
                    Span::raw(" toggles)"),
                ]));
            }
        }
    }
    if app.session.me.as_ref().is_some_and(|me| me.id == user.id) {
        lines.push(Line::from(Span::styled(
            "This is YOU: you will be signed out.",
            theme.danger,
        )));
    }
    lines.push(Line::default());
    let last = match request {
        Some(_) => Line::from(format!(
            "{} {}",
            spinner(app),
            step.as_deref().unwrap_or("deleting…")
        )),
        None => match (typed_name, &app.session.profile) {
            (Some(input), Some(profile)) => {
                let [ask, typed] = typed_name_lines(input, &profile.name, "delete", theme);
                lines.push(ask);
                typed
            }
            _ => confirm_line("delete", &app.keymap, Context::Delete, theme),
        },
    };
    lines.push(last);
    if let Some(e) = error {
        lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    render_box(frame, " Delete user ", 72, area, theme.danger, |_| lines);
}
