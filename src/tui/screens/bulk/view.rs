//! The bulk dialog as drawn: the users (or invites) it acts on, then its progress, then a
//! result for each.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::App;
use crate::tui::keymap::{Action, Context};
use crate::tui::ui::widgets::{confirm_line, render_box};
use crate::tui::ui::{Theme, safe_span, spinner};

/// A bulk action: the users it acts on, then its progress, then a result per user.
pub(crate) fn render_bulk(
    frame: &mut Frame,
    app: &App,
    bulk: &crate::tui::app::Bulk,
    area: Rect,
    theme: &Theme,
) {
    use crate::tui::app::{BulkKind, BulkState};
    let total = bulk.items.len();
    // Room for the list: what the screen leaves after the box's other lines.
    let room = usize::from(area.height.saturating_sub(12)).max(3);
    let mut lines = vec![Line::from(vec![Span::raw(format!(
        "{} {total} marked {}{}:",
        match bulk.kind {
            BulkKind::Delete => "Delete",
            BulkKind::ResetEmail => "Send a password-reset e-mail to",
            BulkKind::SetRole(_) => "Change the role of",
            BulkKind::ResendInvites => "Resend (a new token for each, the old one void)",
            BulkKind::RevokeInvites => "Revoke",
        },
        if bulk.kind.on_invites() {
            "invite"
        } else {
            "user"
        },
        if total == 1 { "" } else { "s" }
    ))])];
    for (i, item) in bulk.items.iter().enumerate().take(room) {
        let (mark, style) = match bulk.results.get(i) {
            Some(Ok(())) => ("✓ ", theme.ok),
            Some(Err(_)) => ("✗ ", theme.error),
            None if matches!(bulk.state, BulkState::Running { index, .. } if index == i) => {
                ("… ", theme.key)
            }
            None => ("  ", theme.dim),
        };
        let mut spans = vec![
            Span::styled(mark, style),
            safe_span(item.email(), theme.strong),
        ];
        if let (BulkKind::SetRole(_), Some(role)) = (bulk.kind, item.role()) {
            spans.push(Span::styled(format!("  ({role})"), theme.dim));
        }
        if let Some(Err(e)) = bulk.results.get(i) {
            spans.push(Span::raw("  "));
            spans.push(safe_span(e, theme.error));
        }
        lines.push(Line::from(spans));
    }
    if total > room {
        lines.push(Line::from(Span::styled(
            format!("  … and {} more", total - room),
            theme.dim,
        )));
    }
    lines.push(Line::default());
    match &bulk.state {
        BulkState::Confirm => {
            if bulk.kind == BulkKind::Delete
                && app.caps().is_some_and(|c| c.deleted_sessions_stay_valid)
            {
                lines.push(Line::from(Span::styled(
                    "Sessions these users already hold stay valid until they expire (24 h).",
                    theme.warn,
                )));
            }
            if let BulkKind::SetRole(role) = bulk.kind {
                let (prev, next) = (
                    app.keymap.key_for(Context::Bulk, Action::RolePrev),
                    app.keymap.key_for(Context::Bulk, Action::RoleNext),
                );
                let keys = if bulk.typed_name.is_some() {
                    "Tab".to_owned()
                } else {
                    format!("{}/{}", prev.unwrap_or_default(), next.unwrap_or_default())
                };
                lines.push(Line::from(vec![
                    Span::styled("New role: ", theme.label),
                    Span::styled(format!("◀ {role} ▶"), theme.strong),
                    Span::styled(format!("  ({keys} changes it)"), theme.dim),
                ]));
            }
            match (&bulk.typed_name, &app.session.profile) {
                (Some(input), Some(profile)) => {
                    lines.push(Line::from(vec![
                        Span::styled("PRODUCTION", theme.badge_production),
                        Span::raw(" Type the profile's name, "),
                        safe_span(&profile.name, theme.strong),
                        Span::raw(", and press "),
                        Span::styled("Enter", theme.key),
                        Span::raw(" to go; "),
                        Span::styled("Esc", theme.key),
                        Span::raw(" cancels."),
                    ]));
                    lines.push(Line::from(vec![
                        Span::styled("> ", theme.key),
                        safe_span(input.value(), theme.strong),
                        Span::styled("▏", theme.key),
                    ]));
                }
                _ => lines.push(confirm_line(
                    &bulk.kind.verb(),
                    &app.keymap,
                    Context::Bulk,
                    theme,
                )),
            }
        }
        BulkState::Running { index, .. } => {
            let done = bulk.done_count();
            let width = 30usize;
            let filled = width * done / total.max(1);
            lines.push(Line::from(vec![
                Span::styled("█".repeat(filled), theme.key),
                Span::styled("░".repeat(width - filled), theme.dim),
                Span::raw(format!(
                    " {done}/{total}  {} {}…",
                    spinner(app),
                    bulk.kind.doing()
                )),
            ]));
            lines.push(Line::from(if bulk.stop_asked {
                Span::styled(format!("stopping after user {}…", index + 1), theme.warn)
            } else {
                Span::styled("Esc stops after the user in progress.", theme.dim)
            }));
        }
        BulkState::Done { stopped } => {
            let failed = bulk.failed();
            let done = bulk.done_count();
            let mut text = format!("{} done, {failed} failed", done - failed);
            if *stopped {
                text.push_str(&format!(", stopped before {} more", total - done));
            }
            lines.push(Line::from(Span::styled(
                text,
                if failed > 0 { theme.error } else { theme.ok },
            )));
            if failed > 0 || *stopped {
                lines.push(Line::from(Span::styled(
                    "Users not done stay marked: d or r tries them again.",
                    theme.dim,
                )));
            }
            lines.push(Line::from(vec![
                Span::styled("Esc", theme.key),
                Span::raw(" or "),
                Span::styled("Enter", theme.key),
                Span::raw(" closes."),
            ]));
        }
    }
    if let Some(e) = &bulk.error {
        lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    let border = if matches!(bulk.kind, BulkKind::Delete | BulkKind::RevokeInvites) {
        theme.danger
    } else {
        theme.border
    };
    render_box(frame, " Bulk action ", 76, area, border, |_| lines);
}
