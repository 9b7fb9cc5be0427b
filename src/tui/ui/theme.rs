//! Styles. Terminal palette colours plus modifiers (reversed selection, bold titles), so the
//! console stays readable on light, dark and solarized themes; with `NO_COLOR` set, only the
//! modifiers remain.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub strong: Style,
    pub dim: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub key: Style,
    pub badge: Style,
    pub badge_warn: Style,
    /// A production store: the one badge that must never be missed.
    pub badge_production: Style,
    pub selected: Style,
    pub header: Style,
    pub border: Style,
    pub focus_border: Style,
    pub danger: Style,
    pub label: Style,
    /// `NO_COLOR` is set: colours from the config (a profile's) are left out too.
    pub no_color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let fg = |c: Color| {
            if no_color {
                Style::default()
            } else {
                Style::default().fg(c)
            }
        };
        let bold = Modifier::BOLD;
        Theme {
            title: Style::default().add_modifier(bold | Modifier::REVERSED),
            strong: Style::default().add_modifier(bold),
            dim: fg(Color::DarkGray),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow).add_modifier(bold),
            error: fg(Color::Red).add_modifier(bold),
            key: fg(Color::Cyan).add_modifier(bold),
            badge: fg(Color::Cyan).add_modifier(Modifier::REVERSED | bold),
            badge_warn: fg(Color::Yellow).add_modifier(Modifier::REVERSED | bold),
            // Reversed red even under NO_COLOR reads as a badge; with colour it is red.
            badge_production: fg(Color::Red).add_modifier(Modifier::REVERSED | bold),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            header: Style::default().add_modifier(bold | Modifier::UNDERLINED),
            border: fg(Color::DarkGray),
            focus_border: fg(Color::Cyan),
            danger: fg(Color::Red).add_modifier(bold),
            label: Style::default().add_modifier(bold),
            no_color,
        }
    }
}
