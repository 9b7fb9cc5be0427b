//! Rendering: reads the app state, draws the frame, changes nothing. Layout from top to
//! bottom: header (backend, who, connection), the list with its detail pane, a status line and
//! the key hints for whatever has the focus; dialogs are drawn over it.
//!
//! Here the frame (header, status line, hints) and the body's split by tab; each list and
//! dialog is drawn by its screen (`screens/*/view.rs`, which dialog by whom: `modals.rs`),
//! with the pieces they share: the lists' border and tab bar (`lists.rs`), boxes, forms and
//! confirmation lines (`widgets.rs`), text measuring (`text.rs`) and styles (`theme.rs`).
//!
//! Text that came from the server (names, e-mails, metadata, error messages) or from the
//! operator (search, filters) goes through [`neutralise`] before it is drawn, so no byte of it
//! reaches the terminal as a control sequence.

pub(crate) mod lists;
mod modals;
mod text;
mod theme;
pub(crate) mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, ConnState, Level};
use super::keymap::{Action, Context};
use super::layout::{FOOTER_HEIGHT, header_height};
pub use super::screens::help::view::max_scroll;
use super::screens::{invites, users};
use crate::safe_text::neutralise;
pub use text::{fit, width, wrap};
pub use theme::Theme;

/// Smallest area the full layout is drawn in; below it, a short notice (and no panic).
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Draws the frame, and records in `app.hits` where the list's rows and the tabs went (for
/// mouse clicks; nothing when the window is too small for the layout).
pub fn render(frame: &mut Frame, app: &App) {
    let theme = app.theme;
    let area = frame.area();
    app.hits.set(super::layout::HitMap::default());
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "medusa-users: terminal too small ({}×{})",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(header_height(!app.session.warnings.is_empty())),
        Constraint::Min(3),
        Constraint::Length(FOOTER_HEIGHT - 1),
        Constraint::Length(1),
    ])
    .areas(area);

    render_header(frame, app, header, &theme);
    match app.tab {
        super::app::Tab::Users => users::view::render_body(frame, app, body, &theme),
        super::app::Tab::Invites => invites::view::render_body(frame, app, body, &theme),
    }
    render_status(frame, app, status, &theme);
    render_hints(frame, app, hints, &theme);
    let last = app.modals.len().saturating_sub(1);
    for (i, modal) in app.modals.iter().enumerate() {
        modals::render_modal(frame, app, modal, i == last, area, &theme);
    }
}

pub(crate) fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}

/// The URL without its scheme (`127.0.0.1:9000`), for narrow headers.
fn short_url(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

fn render_header(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let s = &app.session;
    let (state_text, state_mark, state_style) = match &s.state {
        ConnState::Connecting => ("◌ connecting", "◌", theme.dim),
        ConnState::Online => ("● online", "●", theme.ok),
        ConnState::Offline(_) => ("○ offline", "○", theme.error),
        ConnState::SignedOut => ("○ signed out", "○ signed out", theme.warn),
    };
    let [top, warning] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let url = neutralise(&s.base_url).into_owned();
    let email = s.me.as_ref().map(|me| neutralise(&me.email).into_owned());
    // Who, with the role where users have one.
    let who_full = s.me.as_ref().map(|me| match me.role {
        Some(role) => format!("{} ({role})", neutralise(&me.email)),
        None => neutralise(&me.email).into_owned(),
    });
    let dialect = s.caps.as_ref().map(|c| c.label);
    // From most to least detailed; the first that fits the width wins. Who is signed in and
    // the connection state stay to the end (they say where keys land and as whom), the URL
    // loses its scheme, then gets cut.
    let width = usize::from(top.width);
    let mut chosen = None;
    for detail in 0..7 {
        let who = match (&email, &who_full, detail) {
            (Some(_), Some(full), 0 | 1) => format!("{full} · {}", s.auth),
            (Some(_), Some(full), 2) => full.clone(),
            (Some(e), _, _) => e.clone(),
            (None, _, _) if s.state == ConnState::SignedOut => "not signed in".to_owned(),
            (None, _, 0..=2) if s.no_user => format!("{} (no user)", s.auth),
            (None, _, _) if s.no_user => s.auth.to_owned(),
            (None, _, _) => String::new(),
        };
        let compact = detail >= 4;
        let mut right = vec![Span::raw(who), Span::raw("  ")];
        // Which Medusa: in full while there is room, then as `v2`.
        match (dialect, detail) {
            (Some(d), 0..=2) => right.push(Span::styled(format!("{d}  "), theme.dim)),
            (Some(d), 3..=5) => {
                let short = d.rsplit(' ').next().unwrap_or(d);
                right.push(Span::styled(format!("{short} "), theme.dim));
            }
            _ => {}
        }
        if app.is_animating() {
            right.push(Span::styled(format!("{} ", spinner(app)), theme.dim));
        }
        right.push(Span::styled(
            if compact { state_mark } else { state_text },
            state_style,
        ));
        let production = s.profile.as_ref().is_some_and(|p| p.production);
        for (on, long, short, style) in [
            (production, " PRODUCTION ", " PROD ", theme.badge_production),
            (s.sandbox, " SANDBOX ", " SBX ", theme.badge),
            (s.read_only, " READ-ONLY ", " RO ", theme.badge_warn),
        ] {
            if on {
                right.push(Span::raw(" "));
                right.push(Span::styled(if detail < 3 { long } else { short }, style));
            }
        }
        right.push(Span::raw(" "));
        let right = Line::from(right);
        let url_room = width.saturating_sub(right.width() + 2);
        let url_text = match detail {
            0..=3 => url.clone(),
            4 => short_url(&url).to_owned(),
            _ => fit(short_url(&url), url_room),
        };
        let mut left = Vec::new();
        if detail == 0 {
            left.push(Span::styled(" medusa-users ", theme.title));
        }
        left.push(Span::raw(" "));
        if let Some(p) = &s.profile {
            // The profile's name, in its colour: which store this is, at a glance.
            let style = match (p.color, theme.no_color) {
                (Some(c), false) => theme.strong.fg(c),
                _ => theme.strong,
            };
            left.push(Span::styled(format!("[{}]", neutralise(&p.name)), style));
            left.push(Span::raw(" "));
        }
        left.push(Span::styled(url_text, theme.strong));
        let left = Line::from(left);
        if left.width() + right.width() < width || detail == 6 {
            chosen = Some((left, right));
            break;
        }
    }
    if let Some((left, right)) = chosen {
        // Last resort (a very long e-mail): the right part is cut from its start.
        let right = if right.width() > width {
            let text: String = right.spans.iter().map(|s| s.content.as_ref()).collect();
            Line::from(Span::raw(fit(&text, width)))
        } else {
            right
        };
        let right_width = (right.width() as u16).min(top.width);
        let [left_area, right_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(top);
        frame.render_widget(Paragraph::new(left), left_area);
        frame.render_widget(Paragraph::new(right).right_aligned(), right_area);
    }
    if let Some(w) = s.warnings.first() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(" ⚠ {}", neutralise(w)),
                theme.warn,
            ))),
            warning,
        );
    }
}

fn render_status(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    if let Some(input) = &app.goto {
        let line = Line::from(vec![
            Span::styled(" go to page: ", theme.key),
            Span::raw(format!("{}▏", input.value())),
            Span::styled(
                format!("  (1–{}; Enter goes, Esc cancels)", app.list.page_total()),
                theme.dim,
            ),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let Some(status) = &app.status else {
        return;
    };
    let (mark, style) = match status.level {
        Level::Info => ("✓", theme.ok),
        Level::Warn => ("!", theme.warn),
        Level::Error => ("✗", theme.error),
    };
    let text = neutralise(&status.text);
    let in_list = matches!(app.context(), Context::List | Context::Invites);
    let dismiss = status.level != Level::Info && in_list;
    let room = usize::from(area.width).saturating_sub(4);
    let mut tail = Vec::new();
    let shown = if width(&text) > room {
        // Too long for the line: cut, and say where the whole text is (short: the text
        // matters more).
        let more = if in_list { "  m more" } else { "" };
        tail.push(Span::styled(more, theme.dim));
        fit(&text, room.saturating_sub(width(more)))
    } else {
        if dismiss && room >= width(&text) + 16 {
            tail.push(Span::styled("  (Esc dismisses)", theme.dim));
        }
        text.into_owned()
    };
    let mut spans = vec![Span::styled(format!(" {mark} {shown}"), style)];
    spans.extend(tail);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Hints that stay whatever the width: how to see details, get help and leave, and in dialogs
/// how to finish or back out.
const ESSENTIAL: [Action; 7] = [
    Action::Open,
    // The other tab: say it exists at every width.
    Action::NextTab,
    Action::Help,
    Action::Quit,
    Action::Submit,
    Action::Back,
    Action::Confirm,
];

/// After the essential ones, the hints most worth their room.
const PREFERRED: [Action; 6] = [
    Action::Search,
    Action::Create,
    Action::Edit,
    Action::Delete,
    Action::ResetPassword,
    Action::Resend,
];

fn render_hints(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let context = app.context();
    // Typing a production profile's name: the keymap's y/n are text there.
    let typing_name = app.typed_name_keys();
    if let Some(pairs) = typing_name {
        let mut spans = vec![Span::raw(" ")];
        for (key, what) in pairs {
            spans.push(Span::styled(key, theme.key));
            spans.push(Span::styled(format!(" {what}  "), theme.dim));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let offer = app.offer();
    if let Some(first) = app.pending_key {
        // Half a sequence typed: say so, and what can follow (as vim's showcmd and which-key).
        let mut spans = vec![
            Span::raw(" "),
            Span::styled(format!("{first}…"), theme.key),
            Span::raw("  "),
        ];
        for binding in app
            .keymap
            .for_context(context, &offer)
            .chain(app.keymap.for_context(Context::Global, &offer))
        {
            for key in binding.keys.iter().filter(|k| k.prefix == Some(first)) {
                let then = super::keymap::Key {
                    prefix: None,
                    ..*key
                };
                spans.push(Span::styled(then.label(), theme.key));
                spans.push(Span::styled(format!(" {}  ", binding.help), theme.dim));
            }
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let hints: Vec<(String, &str, Action)> = app
        .keymap
        .hints(context, &offer)
        .into_iter()
        .filter(|(_, _, action)| shown_now(app, *action))
        .collect();
    let hint_width = |h: &(String, &str, Action)| width(&h.0) + width(h.1) + 3;
    // Essential hints first, then what changes users, then the rest, each while it fits;
    // shown in table order.
    let rank = |action: Action| {
        ESSENTIAL
            .iter()
            .chain(PREFERRED.iter())
            .position(|a| *a == action)
            .unwrap_or(usize::MAX)
    };
    let mut order: Vec<usize> = (0..hints.len()).collect();
    order.sort_by_key(|&i| (rank(hints[i].2), i));
    let mut budget = usize::from(area.width).saturating_sub(1);
    let mut keep = vec![false; hints.len()];
    for i in order {
        if hint_width(&hints[i]) <= budget {
            budget -= hint_width(&hints[i]);
            keep[i] = true;
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (hint, _) in hints.into_iter().zip(&keep).filter(|(_, k)| **k) {
        spans.push(Span::styled(hint.0, theme.key));
        spans.push(Span::styled(format!(" {}  ", hint.1), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Whether a hint the backend allows also fits the dialog's state: a key that would do nothing
/// yet (copy before anything was minted) is not offered.
fn shown_now(app: &App, action: Action) -> bool {
    use super::app::Modal;
    // Keys about the selected invite, on an empty invite list.
    let about_invite = matches!(
        action,
        Action::Open | Action::Resend | Action::Delete | Action::CopyToken | Action::CopyLink
    );
    if about_invite && app.context() == Context::Invites && app.invites.selected_invite().is_none()
    {
        return false;
    }
    match (action, app.modals.last()) {
        (Action::FillToken, Some(Modal::ResetRequest(dialog))) => dialog.outbox.is_some(),
        (Action::CopyToken, Some(Modal::ResetRequest(dialog))) => dialog.minted.is_some(),
        (Action::CopyLink, Some(Modal::ResetRequest(dialog))) => {
            dialog.minted.is_some() && app.admin_url.is_some()
        }
        (Action::CopyLink, Some(Modal::InviteToken { .. })) => app.admin_url.is_some(),
        (Action::ToggleRevokeKeys, Some(Modal::Delete(dialog))) => {
            dialog.keys.as_ref().is_some_and(|k| !k.is_empty())
        }
        // A bulk action: `y` before it starts, Enter once it is done.
        (Action::Confirm, Some(Modal::Bulk(b))) => b.state == super::app::BulkState::Confirm,
        (Action::Submit, Some(Modal::Bulk(b))) => {
            matches!(b.state, super::app::BulkState::Done { .. })
        }
        _ => true,
    }
}

/// A rectangle of at most `width`×`height`, centred in `area` and clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A styled span of server or operator text, neutralised.
pub fn safe_span(text: &str, style: Style) -> Span<'static> {
    Span::styled(neutralise(text).into_owned(), style)
}
