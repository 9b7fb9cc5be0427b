//! The reset dialogs as drawn: the ways to reset, numbered as this server offers them, with
//! a minted token and its link when asked for; and the form that applies a token.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use secrecy::ExposeSecret;

use super::ResetDialog;
use crate::api::User;
use crate::safe_text::neutralise;
use crate::tui::app::{App, RequestId};
use crate::tui::form::Form;
use crate::tui::keymap::{Action, Context};
use crate::tui::ui::widgets::{render_box, render_form, token_keys_line};
use crate::tui::ui::{Theme, safe_span, spinner, wrap};

/// The reset dialog: the ways this server offers, numbered, and what came of the last one.
pub(crate) fn render_request(
    frame: &mut Frame,
    app: &App,
    dialog: &ResetDialog,
    area: Rect,
    theme: &Theme,
) {
    let ResetDialog {
        user,
        request,
        sent,
        error,
        outbox,
        minted,
    } = dialog;
    let sandbox_outbox = app.outbox.as_ref().filter(|_| app.session.sandbox);
    let email_token = app.caps().is_none_or(|c| c.reset.email_token);
    let mint = app.caps().is_some_and(|c| c.reset.admin_mint);
    render_box(
        frame,
        " Reset password ",
        76,
        area,
        theme.focus_border,
        |text_width| {
            let mut lines = vec![
                Line::from(vec![
                    Span::raw("Reset the password of "),
                    safe_span(&user.email, theme.strong),
                ]),
                Line::default(),
            ];
            let send = match sandbox_outbox {
                Some(path) => format!(
                    "E-mail a reset token (s). The sandbox sends no mail: it writes the \
                     token to {}.",
                    neutralise(&path.display().to_string())
                ),
                None => "E-mail a reset token (s). Medusa does not show it: it hands it \
                         to its notification plugin, which e-mails it to the user. \
                         Without such a plugin, the token only reaches the server's \
                         event subscribers."
                    .to_owned(),
            };
            let numbered = |n: usize, text: &str| -> Vec<Line<'static>> {
                wrap(text, text_width, "   ", "   ")
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        if i == 0 {
                            let rest: String = l.chars().skip(3).collect();
                            Line::from(vec![
                                Span::styled(format!("{n}. "), theme.key),
                                Span::raw(rest),
                            ])
                        } else {
                            Line::from(l)
                        }
                    })
                    .collect()
            };
            // Only the ways this server offers, numbered as shown.
            let mut ways = Vec::new();
            if email_token {
                ways.push(send);
            }
            if mint {
                ways.push(
                    "Mint a token now (m): shown here for you to pass on, with the \
                     dashboard's reset link when MEDUSA_ADMIN_URL is set."
                        .to_owned(),
                );
            }
            ways.push("I have a token (t): paste it and choose the new password.".into());
            for (n, way) in ways.iter().enumerate() {
                lines.extend(numbered(n + 1, way));
            }
            if let Some(token) = minted {
                let token = token.expose_secret();
                lines.push(Line::default());
                lines.push(Line::from(Span::styled(
                    "✓ Minted a token, valid for 15 minutes and once:",
                    theme.ok,
                )));
                lines.push(Line::from(safe_span(token, theme.strong)));
                if let Some(link) = app.reset_link(&user.email, token) {
                    lines.push(Line::from(safe_span(&link, theme.dim)));
                }
                lines.push(token_keys_line(
                    app,
                    Context::ResetRequest,
                    (Action::HaveToken, "uses it here"),
                    theme,
                ));
            }
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                "Tokens expire after 15 minutes and die when the password changes.",
                theme.dim,
            )));
            if request.is_some() {
                lines.push(Line::from(format!("{} working…", spinner(app))));
            } else if let Some(path) = outbox {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(
                            "✓ The sandbox wrote the token to {}. Press ",
                            neutralise(&path.display().to_string())
                        ),
                        theme.ok,
                    ),
                    Span::styled("f", theme.key),
                    Span::styled(" to fill it in.", theme.ok),
                ]));
            } else if *sent {
                lines.push(Line::from(vec![
                    Span::styled("✓ Token requested for ", theme.ok),
                    safe_span(&user.email, theme.ok),
                    Span::styled(". Press t once it has arrived.", theme.ok),
                ]));
            }
            if let Some(e) = error {
                lines.push(Line::from(safe_span(&format!("✗ {e}"), theme.error)));
            }
            lines
        },
    );
}

/// The form that applies a reset token: the token and the new password, twice.
#[allow(clippy::too_many_arguments)]
pub(crate) fn render_apply(
    frame: &mut Frame,
    app: &App,
    user: &User,
    form: &Form,
    request: &Option<RequestId>,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    let busy = request.map(|_| format!("{} applying…", spinner(app)));
    let note = [Line::from(Span::styled(
        "An invalid token is expired (15 min), already used, or for another user.",
        theme.dim,
    ))];
    render_form(
        frame,
        &format!(" New password for {} ", neutralise(&user.email)),
        &note,
        form,
        busy,
        top,
        area,
        theme,
    );
}
