//! Measuring, cutting and wrapping text by the columns a terminal gives it (wide characters
//! take two, combining marks and joiners none). Widths are those of whole strings, which is
//! how ratatui lays out the graphemes, so a cut string never overflows the cell it was cut for.

use unicode_width::UnicodeWidthStr;

/// Display width of `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` if it fits in `max` columns, else its longest start that fits with `…` after it.
/// Never cuts inside a character, never leaves a joiner or combining mark dangling at the cut.
pub fn fit(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        if text[..next].width() > max - 1 {
            break;
        }
        end = next;
    }
    let mut cut = text[..end].to_owned();
    // A zero-width character at the end belongs to what was cut off (a ZWJ sequence, an
    // accent on the next letter): drop it, and what it would have joined.
    while cut
        .chars()
        .last()
        .is_some_and(|c| c == '\u{200d}' || c.to_string().width() == 0)
    {
        cut.pop();
    }
    cut.push('…');
    cut
}

/// Words of `text` wrapped to `max` columns: the first line starts with `first`, the rest
/// with `indent` (a hanging indent for numbered items). A word longer than a line is cut.
pub fn wrap(text: &str, max: usize, first: &str, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        let prefix_width = line.width();
        let needed = if empty {
            word.width()
        } else {
            word.width() + 1
        };
        if !empty && prefix_width + needed > max {
            lines.push(std::mem::replace(&mut line, indent.to_owned()));
            empty = true;
        }
        let room = max.saturating_sub(line.width() + usize::from(!empty));
        if !empty {
            line.push(' ');
        }
        line.push_str(&fit(word, room.max(1)));
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_columns_with_an_ellipsis() {
        assert_eq!(fit("alice@example.com", 20), "alice@example.com");
        assert_eq!(fit("alice@example.com", 8), "alice@e…");
        assert_eq!(width(&fit("山田太郎さん", 7)), 7);
        assert_eq!(fit("山田太郎さん", 7), "山田太…");
        assert_eq!(fit("山田", 3), "山…");
        assert_eq!(fit("abc", 0), "");
        // A ZWJ sequence is never left half-joined.
        let cut = fit("👩‍💻👩‍💻 dev", 3);
        assert!(width(&cut) <= 3, "{cut:?}");
        assert!(!cut.contains("\u{200d}…"), "{cut:?}");
    }

    #[test]
    fn wrap_keeps_a_hanging_indent() {
        let lines = wrap("Send a reset token now please", 14, "1. ", "   ");
        assert_eq!(lines, vec!["1. Send a", "   reset token", "   now please"]);
        assert!(lines.iter().all(|l| width(l) <= 14));
        assert_eq!(wrap("", 10, "", ""), vec![""]);
        assert!(
            wrap("averyveryverylongword", 8, "", "")
                .iter()
                .all(|l| width(l) <= 8)
        );
    }
}
