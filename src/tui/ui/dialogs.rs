//! Dialogs drawn over the list: forms, the delete confirmation, the reset-password steps, the
//! login screen, the discard question, help, the message log, and the full-screen detail view.
//! Their text is laid out for the width they get: paragraphs wrap (numbered items with a
//! hanging indent), hints under fields too, so nothing is cut and no line breaks mid-phrase.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::widgets::{confirm_line, render_box, render_form};
use super::{Theme, centered, fit, list, safe_span, spinner, width, wrap};
use crate::api::CreateFlow;
use crate::safe_text::neutralise;
use crate::tui::app::{App, Level, Modal};
use crate::tui::keymap::{Context, Key};
use crate::tui::screens::{bulk, everywhere, export, profiles};
use secrecy::ExposeSecret;

/// Draws one modal; `top` is whether it has the focus (only the focused form shows the
/// terminal cursor, so nothing looks as if typing would land in a field under a question).
pub fn render_modal(
    frame: &mut Frame,
    app: &App,
    modal: &Modal,
    top: bool,
    area: Rect,
    theme: &Theme,
) {
    if crate::tui::screens::invites::dialogs::render_modal(frame, app, modal, top, area, theme) {
        return;
    }
    match modal {
        Modal::Help {
            scroll,
            filter,
            editing,
        } => render_help(frame, app, *scroll, filter.value(), *editing, area, theme),
        Modal::Messages { scroll } => render_messages(frame, app, *scroll, area, theme),
        Modal::Profiles { selected } => {
            profiles::view::render_profiles(frame, app, *selected, area, theme);
        }
        Modal::Bulk(bulk) => bulk::view::render_bulk(frame, app, bulk, area, theme),
        Modal::Everywhere(dialog) => everywhere::view::render(frame, app, dialog, area, theme),
        Modal::Export { .. } => export::view::render(frame, app, modal, area, theme),
        Modal::Detail => {
            let inner = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(3),
                ..area
            };
            frame.render_widget(Clear, inner);
            list::render_detail(frame, app, app.list.selected_user(), inner, theme);
        }
        Modal::Create {
            form,
            request,
            step,
        } => {
            let busy = request.map(|_| {
                format!(
                    "{} {}",
                    spinner(app),
                    step.as_deref().unwrap_or("creating…")
                )
            });
            let mut note = Vec::new();
            if app
                .caps()
                .is_some_and(|c| c.create == CreateFlow::InviteRegisterAccept)
            {
                note.push(Line::from(Span::styled(
                    "This server has no create route: the console invites the address, \
                     registers its login with this password and accepts the invite. If a step \
                     fails, saving again resumes where it stopped; no second user is made.",
                    theme.dim,
                )));
            }
            render_form(frame, " Create user ", &note, form, busy, top, area, theme);
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
                &format!(" Edit {} ", neutralise(&user.email)),
                &note,
                form,
                busy,
                top,
                area,
                theme,
            );
        }
        Modal::Delete {
            user,
            request,
            error,
            keys,
            revoke_keys,
            step,
            typed_name,
        } => {
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
                        lines.push(Line::from(vec![
                            Span::styled("PRODUCTION", theme.badge_production),
                            Span::raw(" Type the profile's name, "),
                            safe_span(&profile.name, theme.strong),
                            Span::raw(", and press "),
                            Span::styled("Enter", theme.key),
                            Span::raw(" to delete; "),
                            Span::styled("Esc", theme.key),
                            Span::raw(" cancels."),
                        ]));
                        Line::from(vec![
                            Span::styled("> ", theme.key),
                            safe_span(input.value(), theme.strong),
                            Span::styled("▏", theme.key),
                        ])
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
        Modal::ResetRequest {
            user,
            request,
            sent,
            error,
            outbox,
            minted,
        } => {
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
                        let mut keys = vec![
                            Span::styled("y", theme.key),
                            Span::raw(" copies the token, "),
                        ];
                        if app.admin_url.is_some() {
                            keys.push(Span::styled("l", theme.key));
                            keys.push(Span::raw(" the link, "));
                        }
                        keys.push(Span::styled("t", theme.key));
                        keys.push(Span::raw(" uses it here"));
                        lines.push(Line::from(keys));
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
                &format!(" New password for {} ", neutralise(&user.email)),
                &note,
                form,
                busy,
                top,
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
                safe_span(&app.session.base_url, theme.strong),
            ])];
            if let Some(r) = reason {
                note.push(Line::from(safe_span(r, theme.warn)));
            }
            render_form(frame, " Log in ", &note, form, busy, top, area, theme);
        }
        Modal::Discard { quit } => {
            let (question, yes) = if *quit {
                ("Quit and lose what you typed?", " quit   ")
            } else {
                ("Discard what you typed?", " discard   ")
            };
            let mut answer = vec![
                Span::styled("y", theme.key),
                Span::raw(yes),
                Span::styled("n", theme.key),
                Span::raw("/"),
                Span::styled("Esc", theme.key),
                Span::raw(" keep editing"),
            ];
            if *quit {
                answer.push(Span::raw("   "));
                answer.push(Span::styled("Ctrl-C", theme.key));
                answer.push(Span::raw(" quit"));
            }
            let lines = vec![Line::from(question), Line::default(), Line::from(answer)];
            render_box(frame, " Unsaved changes ", 48, area, theme.warn, |_| lines);
        }
        // Drawn by `invites::render_modal` above.
        Modal::InviteDetail
        | Modal::InviteCreate { .. }
        | Modal::Revoke { .. }
        | Modal::InviteToken { .. } => {}
    }
}

// ----- help and the message log -------------------------------------------------------------

/// Width of a help column (keys, then what they do), and of the keys part.
const HELP_COLUMN: usize = 46;
const HELP_KEYS: usize = 16;

/// The help overlay's box for a screen `area`.
fn help_rect(area: Rect) -> Rect {
    centered(
        area,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// The help text laid out in columns for a box of `inner_width`: the sections (one per
/// context, filtered by `filter`) flowed into as many columns as fit, balanced in height.
fn help_columns(
    app: &App,
    filter: &str,
    inner_width: usize,
    theme: &Theme,
) -> Vec<Vec<Line<'static>>> {
    let filter = filter.to_lowercase();
    let count = (inner_width / HELP_COLUMN).clamp(1, 4);
    // Each column is drawn one narrower than its share (a gap between columns); a row is
    // two spaces, the keys, a space and what they do.
    let column_width = (inner_width / count).saturating_sub(1);
    let what_width = column_width.saturating_sub(HELP_KEYS + 3).max(4);
    let mut sections: Vec<Vec<Line<'static>>> = Vec::new();
    for context in Context::ALL {
        let title = context.title();
        let heading_matches = title.to_lowercase().contains(&filter);
        let mut lines = Vec::new();
        let offer = app.offer();
        for b in app.keymap.for_context(context, &offer) {
            let keys: Vec<String> = b.keys.iter().map(Key::label).collect();
            let keys = keys.join(" ");
            if !heading_matches
                && !keys.to_lowercase().contains(&filter)
                && !b.help.to_lowercase().contains(&filter)
            {
                continue;
            }
            for (i, part) in wrap(b.help, what_width, "", "").into_iter().enumerate() {
                let keys = if i == 0 {
                    fit(&keys, HELP_KEYS)
                } else {
                    String::new()
                };
                let pad = HELP_KEYS.saturating_sub(width(&keys));
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys}{}", " ".repeat(pad)), theme.key),
                    Span::raw(format!(" {part}")),
                ]));
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.insert(0, Line::from(Span::styled(title, theme.header)));
        lines.push(Line::default());
        sections.push(lines);
    }
    let total: usize = sections.iter().map(Vec::len).sum();
    let target = total.div_ceil(count);
    let mut columns: Vec<Vec<Line<'static>>> = vec![Vec::new()];
    for section in sections {
        let last = columns.len() - 1;
        if !columns[last].is_empty()
            && columns[last].len() + section.len() / 2 > target
            && columns.len() < count
        {
            columns.push(Vec::new());
        }
        let last = columns.len() - 1;
        columns[last].extend(section);
    }
    for column in &mut columns {
        if column.last().is_some_and(|l| l.width() == 0) {
            column.pop();
        }
    }
    columns
}

/// How far the overlay on top (help, messages) can scroll, for the app to clamp to.
pub fn max_scroll(app: &App) -> u16 {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let theme = app.theme;
    let (lines, visible) = match app.modals.last() {
        Some(Modal::Help { filter, .. }) => {
            let rect = help_rect(area);
            let columns = help_columns(
                app,
                filter.value(),
                usize::from(rect.width.saturating_sub(4)),
                &theme,
            );
            let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
            (tallest, rect.height.saturating_sub(2))
        }
        Some(Modal::Messages { .. }) => {
            let rect = help_rect(area);
            let lines = message_lines(app, usize::from(rect.width.saturating_sub(4)), &theme);
            (lines.len(), rect.height.saturating_sub(2))
        }
        _ => (0, 0),
    };
    (lines.min(usize::from(u16::MAX)) as u16).saturating_sub(visible)
}

/// An overlay's box: the title on top, the scroll position bottom left and the first of
/// `hints` that fits beside it bottom right.
fn bordered_with_position<'a>(
    title: Line<'a>,
    position: String,
    hints: &[&'static str],
    box_width: u16,
    theme: &Theme,
) -> Block<'a> {
    let room = usize::from(box_width).saturating_sub(width(&position) + 4);
    let mut block = Block::bordered()
        .border_style(theme.focus_border)
        .title(title)
        .title_bottom(Line::from(Span::styled(position, theme.dim)));
    if let Some(hint) = hints.iter().find(|h| width(h) <= room) {
        block = block.title_bottom(Line::from(Span::styled(*hint, theme.dim)).right_aligned());
    }
    block
}

/// ` 12–31 of 80 `, or ` all 20 ` when everything shows.
fn position(scroll: u16, visible: u16, total: usize) -> String {
    let total = total.min(usize::from(u16::MAX)) as u16;
    if total <= visible {
        format!(" all {total} lines ")
    } else {
        format!(
            " lines {}–{} of {total} ",
            scroll + 1,
            (scroll + visible).min(total)
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn render_help(
    frame: &mut Frame,
    app: &App,
    scroll: u16,
    filter: &str,
    editing: bool,
    area: Rect,
    theme: &Theme,
) {
    let rect = help_rect(area);
    frame.render_widget(Clear, rect);
    let inner = rect.inner(Margin::new(2, 1));
    let columns = help_columns(app, filter, usize::from(inner.width), theme);
    let tallest = columns.iter().map(Vec::len).max().unwrap_or(0);
    let visible = inner.height;
    let scroll = scroll.min((tallest.min(usize::from(u16::MAX)) as u16).saturating_sub(visible));
    let mut title = vec![Span::styled(" Keys ", theme.strong)];
    if editing || !filter.is_empty() {
        title.push(Span::styled("· filter: ", theme.dim));
        title.push(safe_span(filter, theme.key));
        if editing {
            title.push(Span::styled("▏", theme.key));
        }
        title.push(Span::raw(" "));
    }
    let hints: &[&str] = if editing {
        &[" Enter keeps the filter · Esc clears it ", " Esc clears "]
    } else {
        &[
            " j/k PgDn/PgUp g/G scroll · / filter · Esc closes ",
            " / filter · Esc closes ",
        ]
    };
    let block = bordered_with_position(
        Line::from(title),
        position(scroll, visible, tallest),
        hints,
        rect.width,
        theme,
    );
    frame.render_widget(block, rect);
    if tallest == 0 {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("no key matches ", theme.dim),
                safe_span(&format!("{filter:?}"), theme.dim),
            ])),
            inner,
        );
        return;
    }
    let count = columns.len() as u16;
    let column_width = inner.width / count.max(1);
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + column_width * i as u16;
        let rect = Rect {
            x,
            width: column_width.saturating_sub(1),
            ..inner
        };
        frame.render_widget(Paragraph::new(column).scroll((scroll, 0)), rect);
    }
}

/// The message log as lines: newest first, each message wrapped in full.
fn message_lines(app: &App, text_width: usize, theme: &Theme) -> Vec<Line<'static>> {
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

fn render_messages(frame: &mut Frame, app: &App, scroll: u16, area: Rect, theme: &Theme) {
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
        &[" j/k PgDn/PgUp scroll · Esc closes ", " Esc closes "],
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
