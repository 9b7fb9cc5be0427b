//! The invite dialogs as drawn: the invite full screen (narrow terminals), the new-invite
//! form and the token of a new or resent invite (the revoke question is drawn in
//! `revoke.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::view::{now, render_detail};
use crate::safe_text::neutralise;
use crate::tui::app::{App, Modal};
use crate::tui::keymap::{Action, Context};
use crate::tui::ui::widgets::{render_box, render_form, token_keys_line};
use crate::tui::ui::{Theme, safe_span, spinner};

/// The invite modals; `false` when `modal` is not one of them.
pub fn render_modal(
    frame: &mut Frame,
    app: &App,
    modal: &Modal,
    top: bool,
    area: Rect,
    theme: &Theme,
) -> bool {
    match modal {
        Modal::InviteDetail => {
            let inner = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(3),
                ..area
            };
            frame.render_widget(Clear, inner);
            render_detail(frame, app, inner, theme);
        }
        Modal::InviteCreate { form, request } => {
            let busy = request.map(|_| format!("{} inviting…", spinner(app)));
            let hours = app.caps().map_or(168, |c| c.invites.valid_hours);
            let valid = match hours {
                h if h >= 48 && h % 24 == 0 => format!("{} days", h / 24),
                h => format!("{h} hours"),
            };
            let note = [Line::from(Span::styled(
                format!(
                    "The invite is valid for {valid}. Medusa e-mails it only through a \
                     notification plugin; the token is shown next, for you to pass on."
                ),
                theme.dim,
            ))];
            render_form(
                frame,
                " Invite someone ",
                &note,
                form,
                busy,
                top,
                area,
                theme,
            );
        }
        Modal::Revoke(dialog) => super::revoke::render(frame, app, dialog, area, theme),
        Modal::InviteToken { invite, resent } => {
            let now = now(app);
            let voids = app
                .caps()
                .is_some_and(|c| c.invites.resend_voids_old_tokens);
            let title = if *resent {
                " Invite resent "
            } else {
                " Invite created "
            };
            render_box(frame, title, 76, area, theme.focus_border, |_| {
                let mut head = vec![
                    Span::styled(
                        if *resent {
                            "✓ New token for "
                        } else {
                            "✓ Invited "
                        },
                        theme.ok,
                    ),
                    safe_span(&invite.email, theme.strong),
                ];
                if let Some(role) = invite.role {
                    head.push(Span::raw(format!(" ({role})")));
                }
                let mut lines = vec![Line::from(head)];
                if *resent {
                    lines.push(Line::from(Span::styled(
                        if voids {
                            "The old token no longer works."
                        } else {
                            "Older tokens keep working until the invite is accepted, revoked \
                             or expires."
                        },
                        theme.warn,
                    )));
                }
                lines.push(Line::default());
                lines.push(Line::from(
                    "The token lets whoever holds it become an admin; pass it on privately:",
                ));
                lines.push(Line::from(safe_span(&invite.token, theme.strong)));
                match app.invite_link(&invite.token) {
                    Some(link) => lines.push(Line::from(safe_span(&link, theme.dim))),
                    None => lines.push(Line::from(Span::styled(
                        "(set MEDUSA_ADMIN_URL for a link to the dashboard's invite page)",
                        theme.dim,
                    ))),
                }
                lines.push(Line::from(format!(
                    "Expires {}",
                    neutralise(&invite.expires_at.when(now))
                )));
                lines.push(Line::default());
                lines.push(token_keys_line(
                    app,
                    Context::InviteToken,
                    (Action::Back, "closes"),
                    theme,
                ));
                lines
            });
        }
        _ => return false,
    }
    true
}
