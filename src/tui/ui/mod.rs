//! Rendering: reads the app state, draws the frame, changes nothing. Layout from top to
//! bottom: header (backend, who, connection), the list with its detail pane, a status line and
//! the key hints for whatever has the focus; dialogs are drawn over it.

mod dialogs;
mod list;
mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, ConnState, Level};
use super::keymap::Context;
pub use theme::Theme;

/// Smallest area the full layout is drawn in; below it, a short notice (and no panic).
pub const MIN_WIDTH: u16 = 30;
pub const MIN_HEIGHT: u16 = 8;

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(frame: &mut Frame, app: &App) {
    let theme = Theme::default();
    let area = frame.area();
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
    let header_height = if app.session.warnings.is_empty() {
        1
    } else {
        2
    };
    let [header, body, status, hints] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    render_header(frame, app, header, &theme);
    list::render_body(frame, app, body, &theme);
    render_status(frame, app, status, &theme);
    render_hints(frame, app, hints, &theme);
    for modal in &app.modals {
        dialogs::render_modal(frame, app, modal, area, &theme);
    }
}

fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}

fn render_header(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let s = &app.session;
    let (state_text, state_style) = match &s.state {
        ConnState::Connecting => ("◌ connecting", theme.dim),
        ConnState::Online => ("● online", theme.ok),
        ConnState::Offline(_) => ("○ offline", theme.error),
        ConnState::SignedOut => ("○ signed out", theme.warn),
    };
    let [top, warning] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    // From most to least detailed; the first that fits the width wins. The URL and the
    // connection state always stay: they tell the operator where their keys land.
    let mut chosen = None;
    for detail in 0..5 {
        let who = match (&s.me, detail) {
            (_, 4) => String::new(),
            (Some(me), 0 | 1) => format!("{} ({}) · {}", me.email, me.role, s.auth),
            (Some(me), 2) => format!("{} ({})", me.email, me.role),
            (Some(me), _) => me.email.clone(),
            (None, _) if s.state == ConnState::SignedOut => "not signed in".to_owned(),
            (None, _) => String::new(),
        };
        let mut right = vec![Span::raw(who), Span::raw("  ")];
        if app.is_busy() {
            right.push(Span::styled(format!("{} ", spinner(app)), theme.dim));
        }
        right.push(Span::styled(state_text, state_style));
        if s.sandbox {
            right.push(Span::raw(" "));
            right.push(Span::styled(
                if detail < 3 { " SANDBOX " } else { " SBX " },
                theme.badge,
            ));
        }
        if s.read_only {
            right.push(Span::raw(" "));
            right.push(Span::styled(
                if detail < 3 { " READ-ONLY " } else { " RO " },
                theme.badge_warn,
            ));
        }
        right.push(Span::raw(" "));
        let mut left = Vec::new();
        if detail == 0 {
            left.push(Span::styled(" medusa-users ", theme.title));
        }
        left.push(Span::raw(" "));
        left.push(Span::styled(s.base_url.clone(), theme.strong));
        let (left, right) = (Line::from(left), Line::from(right));
        if left.width() + right.width() < top.width as usize || detail == 4 {
            chosen = Some((left, right));
            break;
        }
    }
    if let Some((left, right)) = chosen {
        let right_width = (right.width() as u16).min(top.width);
        let [left_area, right_area] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(top);
        frame.render_widget(Paragraph::new(left), left_area);
        frame.render_widget(Paragraph::new(right).right_aligned(), right_area);
    }
    if let Some(w) = s.warnings.first() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(format!(" ⚠ {w}"), theme.warn))),
            warning,
        );
    }
}

fn render_status(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let line = match &app.status {
        Some(status) => {
            let (mark, style) = match status.level {
                Level::Info => ("✓", theme.ok),
                Level::Error => ("✗", theme.error),
            };
            let mut spans = vec![Span::styled(format!(" {mark} {}", status.text), style)];
            if status.level == Level::Error && app.context() == Context::List {
                spans.push(Span::styled("  (Esc dismisses)", theme.dim));
            }
            Line::from(spans)
        }
        None => Line::default(),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn render_hints(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    use super::keymap::Action;
    let context = app.context();
    let hints: Vec<(String, &str, Action)> = app
        .keymap
        .hints(context)
        .into_iter()
        .filter(|(_, _, action)| {
            let mutation = matches!(
                action,
                Action::Create | Action::Edit | Action::Delete | Action::ResetPassword
            );
            !(app.session.read_only && mutation)
        })
        .collect();
    // Hints that do not fit are left out, but help (which lists everything) always shows.
    let help = hints.iter().find(|h| h.2 == Action::Help).cloned();
    let width = |h: &(String, &str, Action)| h.0.chars().count() + h.1.chars().count() + 3;
    let mut budget = (area.width as usize)
        .saturating_sub(1)
        .saturating_sub(help.as_ref().map_or(0, width));
    let mut spans = vec![Span::raw(" ")];
    let push = |spans: &mut Vec<Span<'static>>, (key, what, _): (String, &str, Action)| {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {what}  "), theme.dim));
    };
    for hint in hints.iter().filter(|h| h.2 != Action::Help) {
        if width(hint) > budget {
            break;
        }
        budget -= width(hint);
        push(&mut spans, hint.clone());
    }
    if let Some(help) = help {
        push(&mut spans, help);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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
