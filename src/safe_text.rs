//! Neutralising untrusted text before it reaches a terminal.
//!
//! Anything that came from the server (a name, metadata, an error message) or from an argument
//! may hold bytes that a terminal obeys: ESC starts a control sequence (colours, cursor moves,
//! OSC 52 clipboard writes, window titles), CR and BS overwrite what was printed, a tab or a
//! newline breaks a table row, and the Unicode bidi controls reorder everything after them
//! (the "Trojan Source" trick). Every output path, the CLI's and the TUI's alike, passes such
//! text through [`neutralise`], which keeps the information visible (`\e`, `\t`, `\u{202e}`) so
//! an operator can see that a value is strange, but leaves nothing for the terminal to act on.
//! `--json` output is exempt: serde_json already escapes control characters, and JSON must stay
//! exact.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as itself.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() // C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F)
        || is_bidi_control(c)
        || matches!(c, '\u{2028}' | '\u{2029}') // line and paragraph separators
}

/// Characters that change the direction of the text after them.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' // ARABIC LETTER MARK
            | '\u{200E}' | '\u{200F}' // LRM, RLM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
    )
}

/// `text` with every character a terminal would act on replaced by a visible escape:
/// `\e` for ESC, `\t`, `\n`, `\r`, `\0`, and `\u{…}` for the rest (a backslash already in
/// the text stays as it is). Borrowed when there is nothing to replace, which is almost always.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_unsafe_char(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            other => out.push_str(&format!("\\u{{{:x}}}", other as u32)),
        }
    }
    Cow::Owned(out)
}

/// [`neutralise`] into an owned `String`, for callers that store the result.
pub fn neutralised(text: &str) -> String {
    neutralise(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "Zoë 山田 🧑‍💻 <a@b.c>";
        assert!(matches!(neutralise(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escapes_become_visible() {
        assert_eq!(neutralise("a\u{1b}[31mred"), "a\\e[31mred");
        assert_eq!(neutralise("a\tb\nc\rd\0"), "a\\tb\\nc\\rd\\0");
        assert_eq!(neutralise("x\u{7f}\u{9b}y"), "x\\u{7f}\\u{9b}y");
        assert_eq!(neutralise("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(
            neutralise("\u{2066}\u{2069}\u{200f}"),
            "\\u{2066}\\u{2069}\\u{200f}"
        );
        assert_eq!(neutralise("l\u{2028}p\u{2029}"), "l\\u{2028}p\\u{2029}");
    }

    #[test]
    fn nothing_unsafe_survives_any_char() {
        for code in 0u32..0x3000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let out = neutralised(&c.to_string());
            assert!(!out.chars().any(is_unsafe_char), "{code:#x} -> {out:?}");
        }
    }
}
