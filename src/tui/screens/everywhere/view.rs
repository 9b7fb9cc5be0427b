//! The Everywhere dialog: one person's access in every store of the config, a row a store.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Everywhere};
use crate::tui::keymap::{Action, Context};
use crate::tui::screens::profiles::view::profile_lines;
use crate::tui::ui::widgets::render_box;
use crate::tui::ui::{Theme, safe_span, spinner};

pub(crate) fn render(frame: &mut Frame, app: &App, dialog: &Everywhere, area: Rect, theme: &Theme) {
    let now = app.now.unwrap_or_else(time::OffsetDateTime::now_utc);
    let mut lines = profile_lines(app, dialog.selected, 20, theme, |profile| {
        let mut spans = Vec::new();
        let answer = dialog
            .stores
            .as_ref()
            .and_then(|stores| stores.iter().find(|s| s.profile == profile.name));
        match answer.map(|a| &a.outcome) {
            None if dialog.request.is_some() => {
                spans.push(Span::styled(format!("{} asking…", spinner(app)), theme.dim));
            }
            None => spans.push(Span::styled("not asked", theme.dim)),
            Some(Err(reason)) => spans.push(safe_span(&format!("✗ {reason}"), theme.error)),
            Some(Ok(access)) => {
                if let Some(user) = &access.user {
                    let role = user.role.map(|r| format!(" ({r})")).unwrap_or_default();
                    spans.push(Span::styled(format!("user{role}"), theme.ok));
                    spans.push(Span::raw("  "));
                    spans.push(safe_span(&user.id, theme.dim));
                }
                for invite in &access.invites {
                    if access.user.is_some() {
                        spans.push(Span::raw(" · "));
                    }
                    let status = invite.status_at(now).as_str();
                    spans.push(Span::styled(format!("invite {status}"), theme.warn));
                    spans.push(Span::styled(
                        format!(", expires {}", invite.expires_at.short()),
                        theme.dim,
                    ));
                }
                if access.user.is_none() && access.invites.is_empty() {
                    spans.push(Span::styled("no access", theme.dim));
                }
            }
        }
        spans
    });
    lines.push(Line::default());
    if let Some(e) = &dialog.error {
        lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
    }
    let key = |action| {
        app.keymap
            .key_for(Context::Everywhere, action)
            .unwrap_or_default()
    };
    lines.push(Line::from(vec![
        Span::styled(key(Action::Submit), theme.key),
        Span::raw(" switches to that store, "),
        Span::styled(key(Action::Refresh), theme.key),
        Span::raw(" asks again, "),
        Span::styled(key(Action::Back), theme.key),
        Span::raw(" closes."),
    ]));
    let title = format!(
        " Where {} has access ",
        crate::safe_text::neutralise(&dialog.email)
    );
    render_box(frame, &title, 90, area, theme.border, |_| lines);
}
