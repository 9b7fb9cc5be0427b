//! How secrets look when they must be mentioned at all: in `Debug` output, on screen before
//! the operator asks to see them, and in logs (never).

/// What a secret prints as in `Debug` output.
pub const REDACTED: &str = "<redacted>";

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

    #[test]
    fn masks_hide_the_secret() {
        assert_eq!(bullets("abc"), "•••");
        assert_eq!(mask_token("local-dev-admin-api-token"), "••••••••oken");
        assert_eq!(mask_token("short"), "••••••••");
        assert!(!mask_token("supersecret-token").contains("supersecret"));
    }
}
