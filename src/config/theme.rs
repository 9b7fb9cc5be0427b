//! The `[theme]` section: a style per element of the console, written as words:
//! `"cyan bold"`, `"white on red bold"`, `"reversed"`, `"#ffaa00 underlined"`, `"default"`.
//! Colours are the terminal's palette names (`red`, `lightblue`, `darkgray`), an index (`42`)
//! or `#rrggbb`; modifiers are `bold`, `dim`, `italic`, `underlined`, `reversed`,
//! `crossed_out`. A word that is neither is an error at load, with its line and column.

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Deserializer};

/// One style override per element; an element left out keeps the built-in style.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeSpec {
    #[serde(default, deserialize_with = "style")]
    pub title: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub strong: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub dim: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub ok: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub warn: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub error: Option<Style>,
    /// Keys in hints and help.
    #[serde(default, deserialize_with = "style")]
    pub key: Option<Style>,
    /// The SANDBOX badge.
    #[serde(default, deserialize_with = "style")]
    pub badge: Option<Style>,
    /// The READ-ONLY badge.
    #[serde(default, deserialize_with = "style")]
    pub badge_warn: Option<Style>,
    /// The PRODUCTION badge.
    #[serde(default, deserialize_with = "style")]
    pub badge_production: Option<Style>,
    /// The selected row.
    #[serde(default, deserialize_with = "style")]
    pub selected: Option<Style>,
    /// Column headers.
    #[serde(default, deserialize_with = "style")]
    pub header: Option<Style>,
    #[serde(default, deserialize_with = "style")]
    pub border: Option<Style>,
    /// The border of the pane that has the focus.
    #[serde(default, deserialize_with = "style")]
    pub focus_border: Option<Style>,
    /// Destructive dialogs (delete).
    #[serde(default, deserialize_with = "style")]
    pub danger: Option<Style>,
    /// Form labels.
    #[serde(default, deserialize_with = "style")]
    pub label: Option<Style>,
}

fn style<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Style>, D::Error> {
    let raw = String::deserialize(d)?;
    parse_style(&raw)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `"white on red bold"` → a style. `default` (or `none`) alone is the terminal's own style.
pub fn parse_style(raw: &str) -> Result<Style, String> {
    let mut style = Style::default();
    let mut words = raw.split_whitespace().peekable();
    let mut fg_set = false;
    if words.peek().is_none() {
        return Err("an empty style: write `default` for the terminal's own".to_owned());
    }
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        let modifier = match lower.as_str() {
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underlined" | "underline" => Some(Modifier::UNDERLINED),
            "reversed" | "reverse" => Some(Modifier::REVERSED),
            "crossed_out" | "strikethrough" => Some(Modifier::CROSSED_OUT),
            _ => None,
        };
        if let Some(m) = modifier {
            style = style.add_modifier(m);
            continue;
        }
        match lower.as_str() {
            "default" | "none" => continue,
            "on" => {
                let Some(bg) = words.next() else {
                    return Err(format!("{raw:?}: `on` needs a colour after it"));
                };
                style = style.bg(colour(bg, raw)?);
            }
            _ if !fg_set => {
                style = style.fg(colour(word, raw)?);
                fg_set = true;
            }
            _ => {
                return Err(format!(
                    "{raw:?}: {word:?} is neither a modifier (bold, dim, italic, underlined, \
                     reversed, crossed_out) nor the background (`on COLOUR`)"
                ));
            }
        }
    }
    Ok(style)
}

fn colour(word: &str, raw: &str) -> Result<Color, String> {
    word.parse::<Color>().map_err(|_| {
        format!(
            "{raw:?}: {word:?} is not a colour (a name such as red or lightblue, an index such \
             as 42, or #rrggbb)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_make_styles_and_mistakes_are_named() {
        assert_eq!(
            parse_style("white on red bold"),
            Ok(Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD))
        );
        assert_eq!(
            parse_style("reversed"),
            Ok(Style::default().add_modifier(Modifier::REVERSED))
        );
        assert_eq!(
            parse_style("#ffaa00"),
            Ok(Style::default().fg(Color::Rgb(255, 170, 0)))
        );
        assert!(
            parse_style("red blue")
                .unwrap_err()
                .contains("\"blue\" is neither")
        );
        assert!(parse_style("sparkly").unwrap_err().contains("not a colour"));
        assert!(parse_style("on").unwrap_err().contains("needs a colour"));
        assert!(parse_style("").is_err());
    }
}
