//! class-validator's `@IsEmail()`, which Medusa v1 applies to every e-mail it is sent.

/// class-validator's `@IsEmail()`: validator.js `isEmail` with its default options (UTF-8
/// local part allowed, a top-level domain required, no IP domains, no display names).
pub fn is_email(s: &str) -> bool {
    if s.encode_utf16().count() > 254 {
        return false;
    }
    let Some((user, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if user.len() > 64 || domain.len() > 254 || !is_fqdn(domain) {
        return false;
    }
    if user.len() >= 2 && user.starts_with('"') && user.ends_with('"') {
        return is_quoted_local_part(&user[1..user.len() - 1]);
    }
    user.split('.').all(|part| {
        !part.is_empty()
            && part.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || "!#$%&'*+-/=?^_`{|}~".contains(c)
                    || is_utf8_letter_range(c)
            })
    })
}

/// `\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF` from validator.js (astral characters, which
/// JavaScript sees as surrogate pairs, fall outside it).
fn is_utf8_letter_range(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFEF}')
}

fn is_quoted_local_part(inner: &str) -> bool {
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            c if c.is_control() && c != '\t' => return false,
            _ => {}
        }
    }
    true
}

/// validator.js `isFQDN` with `require_tld: true`, no underscores, no trailing dot.
fn is_fqdn(domain: &str) -> bool {
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() < 2 {
        return false;
    }
    let tld = parts[parts.len() - 1];
    let tld_ok = (tld.chars().count() >= 2
        && tld
            .chars()
            .all(|c| c.is_ascii_alphabetic() || is_tld_letter(c)))
        || (tld.len() >= 4
            && tld.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("xn"))
            && tld[2..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !tld_ok {
        return false;
    }
    parts.iter().all(|part| {
        !part.is_empty()
            && part.chars().count() <= 63
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || u32::from(c) >= 0xA1)
            && !part.chars().any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}'))
            && !part.starts_with('-')
            && !part.ends_with('-')
    })
}

fn is_tld_letter(c: char) -> bool {
    matches!(c, '\u{A1}'..='\u{A8}' | '\u{AA}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFEF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validation_like_validator_js() {
        for good in [
            "alice@example.com",
            "Alice@Example.com",
            "a.b+tag@sub.example.co",
            "dave@example.com",
            "ünï@example.com",
            "x@xn--80ak6aa92e.com",
            "\"quoted name\"@example.com",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "not-an-email",
            "nope",
            "a@b",
            "@x.com",
            "a b@x.com",
            "a..b@x.com",
            ".a@x.com",
            "a@x..com",
            "a@-x.com",
            "a@x.c",
            "a@x.123",
            "a@127.0.0.1",
            "a@x_y.com",
            "",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(!is_email(&format!("{}@x.com", "a".repeat(65))));
    }
}
