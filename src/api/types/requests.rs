//! The bodies of `admin.users` create, update and reset-password, and the e-mail check made
//! before one is sent.

use serde::Serialize;
use serde_json::{Map, Value};

use super::Role;

/// `POST /admin/users`. The password is required by the server (an empty one is accepted and
/// makes a user who cannot log in, which the CLI and TUI refuse before sending).
#[derive(custom_debug::Debug, Clone, PartialEq, Serialize)]
pub struct CreateUser {
    pub email: String,
    #[debug(with = crate::secret::redacted)]
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// `POST /admin/users/:id`. Every field is optional; `Some(None)` on a name sends `null`,
/// which clears it. Metadata merges on the server, and a key set to `""` removes that key.
#[derive(custom_debug::Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[debug(with = crate::secret::redacted_option)]
    pub api_token: Option<String>,
    /// v2 only; `Some(None)` clears it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl UpdateUser {
    pub fn is_empty(&self) -> bool {
        self == &UpdateUser::default()
    }
}

/// `POST /admin/users/reset-password`. Without `email` the server uses the one inside the token.
#[derive(custom_debug::Debug, Clone, PartialEq, Serialize)]
pub struct ResetPassword {
    #[debug(with = crate::secret::redacted)]
    pub token: String,
    #[debug(with = crate::secret::redacted)]
    pub password: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The e-mail check Medusa's validator applies (class-validator `IsEmail`), reduced to what an
/// operator can get wrong: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_sends_null_to_clear_a_name() {
        let u = UpdateUser {
            first_name: Some(None),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&u).unwrap(), r#"{"first_name":null}"#);
        assert!(UpdateUser::default().is_empty());
    }

    #[test]
    fn email_plausibility_matches_the_servers_obvious_rejections() {
        assert!(is_plausible_email("alice@example.com"));
        assert!(is_plausible_email("Alice+tag@sub.example.co"));
        for bad in [
            "not-an-email",
            "a@b",
            "@x.com",
            "a b@x.com",
            "a@x..com",
            "a@x.c0m",
            "",
        ] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
    }
}
