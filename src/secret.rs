//! How secrets look when they must be mentioned at all: in `Debug` output, on screen before
//! the operator asks to see them, and in logs (never).

use std::fmt;

/// What a secret prints as in `Debug` output.
pub const REDACTED: &str = "<redacted>";

/// The one way a secret field shows in `Debug` output, for `custom_debug`'s derive:
/// `#[debug(with = crate::secret::redacted)] password: String`.
pub fn redacted<T: ?Sized>(_secret: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(REDACTED)
}

/// [`redacted`] for an optional secret: whether there is one stays visible.
pub fn redacted_option<T>(secret: &Option<T>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match secret {
        Some(_) => write!(f, "Some({REDACTED})"),
        None => f.write_str("None"),
    }
}

/// A masked rendering that shows only how long the secret is, one bullet per character, so a
/// password field can be checked for length without being readable over a shoulder.
pub fn bullets(secret: &str) -> String {
    "•".repeat(secret.chars().count())
}

/// A masked API token: the last four characters stay visible so an operator can tell tokens
/// apart without revealing them (`••••••••wxyz`). Short tokens are fully masked.
pub fn mask_token(token: &str) -> String {
    let n = token.chars().count();
    if n <= 8 {
        return "•".repeat(n.max(8));
    }
    let tail: String = token.chars().skip(n - 4).collect();
    format!("{}{tail}", "•".repeat(8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(custom_debug::Debug)]
    struct Login {
        email: String,
        #[debug(with = redacted)]
        password: String,
        #[debug(with = redacted_option)]
        token: Option<String>,
        #[debug(with = redacted_option)]
        none: Option<String>,
    }

    #[test]
    fn derived_debug_shows_that_a_secret_is_there_never_what_it_is() {
        let login = Login {
            email: "a@example.com".into(),
            password: "hunter2-password".into(),
            token: Some("tok-secret".into()),
            none: None,
        };
        let shown = format!("{login:?}");
        assert_eq!(
            shown,
            r#"Login { email: "a@example.com", password: <redacted>, token: Some(<redacted>), none: None }"#
        );
    }

    #[test]
    fn masks_hide_the_secret() {
        assert_eq!(bullets("abc"), "•••");
        assert_eq!(mask_token("local-dev-admin-api-token"), "••••••••oken");
        assert_eq!(mask_token("short"), "••••••••");
        assert!(!mask_token("supersecret-token").contains("supersecret"));
    }
}
