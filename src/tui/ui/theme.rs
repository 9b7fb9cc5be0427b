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

impl Theme {
    /// The built-in theme with the config's `[theme]` overrides. Under `NO_COLOR` the
    /// overrides keep their modifiers and lose their colours, like the built-in styles.
    pub fn with_overrides(spec: &crate::config::theme::ThemeSpec) -> Theme {
        let mut theme = Theme::default();
        let no_color = theme.no_color;
        let apply = |slot: &mut Style, over: Option<Style>| {
            if let Some(mut s) = over {
                if no_color {
                    s.fg = None;
                    s.bg = None;
                }
                *slot = s;
            }
        };
        apply(&mut theme.title, spec.title);
        apply(&mut theme.strong, spec.strong);
        apply(&mut theme.dim, spec.dim);
        apply(&mut theme.ok, spec.ok);
        apply(&mut theme.warn, spec.warn);
        apply(&mut theme.error, spec.error);
        apply(&mut theme.key, spec.key);
        apply(&mut theme.badge, spec.badge);
        apply(&mut theme.badge_warn, spec.badge_warn);
        apply(&mut theme.badge_production, spec.badge_production);
        apply(&mut theme.selected, spec.selected);
        apply(&mut theme.header, spec.header);
        apply(&mut theme.border, spec.border);
        apply(&mut theme.focus_border, spec.focus_border);
        apply(&mut theme.danger, spec.danger);
        apply(&mut theme.label, spec.label);
        theme
    }
}
