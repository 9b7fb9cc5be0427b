//! Which Medusa the backend is, and how the client finds out.
//!
//! Only this module and the dialect implementations (`v1.rs`, `v2/`) ever look at the
//! dialect; the CLI and the TUI ask [`super::Capabilities`] what the server can do.

use std::fmt;
use std::str::FromStr;

use super::error::ApiError;
use super::operation::Operation;
use super::transport::{Auth, Call, Transport};

/// The two admin APIs medusa-users speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Dialect {
    /// Medusa 1.x (tested against 1.20.11).
    #[default]
    #[serde(rename = "1")]
    V1,
    /// Medusa 2.x (tested against 2.21.2).
    #[serde(rename = "2")]
    V2,
}

impl Dialect {
    /// For headers and log lines: "Medusa v1".
    pub fn label(self) -> &'static str {
        match self {
            Dialect::V1 => "Medusa v1",
            Dialect::V2 => "Medusa v2",
        }
    }

    /// The major version as a flag takes it: "1", "2".
    pub fn number(self) -> &'static str {
        match self {
            Dialect::V1 => "1",
            Dialect::V2 => "2",
        }
    }

    /// The release the client (and the sandbox that imitates it) was proven against.
    pub fn medusa_version(self) -> &'static str {
        match self {
            Dialect::V1 => "1.20.11",
            Dialect::V2 => "2.21.2",
        }
    }
}

impl FromStr for Dialect {
    type Err = String;

    /// `1`, `v1`, `2`, `v2` (what `--medusa-version` takes, `auto` aside).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<DialectChoice>()? {
            DialectChoice::Fixed(d) => Ok(d),
            DialectChoice::Auto => Err("a Medusa version is needed here: 1 or 2".to_owned()),
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// `--medusa-version auto|1|2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialectChoice {
    #[default]
    Auto,
    Fixed(Dialect),
}

impl FromStr for DialectChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().trim_start_matches('v') {
            "auto" | "" => Ok(DialectChoice::Auto),
            "1" => Ok(DialectChoice::Fixed(Dialect::V1)),
            "2" => Ok(DialectChoice::Fixed(Dialect::V2)),
            _ => Err(format!(
                "unknown Medusa version {:?}: expected auto, 1 or 2",
                s.trim()
            )),
        }
    }
}

impl fmt::Display for DialectChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialectChoice::Auto => f.write_str("auto"),
            DialectChoice::Fixed(Dialect::V1) => f.write_str("1"),
            DialectChoice::Fixed(Dialect::V2) => f.write_str("2"),
        }
    }
}

/// Asks the server which dialect it speaks, with two requests that need no credentials and
/// change nothing:
/// 1. `GET /auth/user/providers`: v2 lists its auth providers as JSON; v1 has no such route.
/// 2. `GET /admin/auth`: v1 answers an unauthenticated call with the bare text
///    `Unauthorized` (v2 would say `{"message":"Unauthorized"}`).
///
/// Anything else is not a Medusa we know, and the error says what was tried.
pub(crate) async fn detect(transport: &Transport) -> Result<Dialect, ApiError> {
    let probe = Call::get(
        "/auth/user/providers".into(),
        Vec::new(),
        Operation::DetectDialect,
    )
    .with_auth(Auth::None);
    let v2_answer = match transport.execute_raw(probe).await {
        Ok(answer) if answer.is_json() => {
            tracing::info!("GET /auth/user/providers answered JSON: Medusa v2");
            return Ok(Dialect::V2);
        }
        Ok(answer) => format!("{} without JSON", answer.status),
        // Down, or failing: say that (the caller retries) rather than "not a Medusa".
        Err(
            e @ (ApiError::Network { .. } | ApiError::Timeout { .. } | ApiError::Server { .. }),
        ) => {
            return Err(e);
        }
        Err(e) => short(&e),
    };
    let probe =
        Call::get("/admin/auth".into(), Vec::new(), Operation::DetectDialect).with_auth(Auth::None);
    let v1_answer = match transport.attempt(&probe, None).await {
        Ok(answer) => answer.status.to_string(),
        Err(failed) => match failed.error {
            ApiError::Unauthorized { .. }
                if !failed
                    .content_type
                    .as_deref()
                    .is_some_and(|c| c.contains("json")) =>
            {
                tracing::info!("GET /admin/auth answered a v1-style 401: Medusa v1");
                return Ok(Dialect::V1);
            }
            e @ (ApiError::Network { .. } | ApiError::Timeout { .. } | ApiError::Server { .. }) => {
                return Err(e);
            }
            other => short(&other),
        },
    };
    Err(ApiError::Decode {
        status: 0,
        message: format!(
            "not a Medusa backend? check the URL, or pass --medusa-version 1|2 (tried GET \
             /auth/user/providers: {v2_answer}; GET /admin/auth: {v1_answer})"
        ),
    })
}

/// An answer in a few characters: "HTTP 404", "HTTP 401 JSON".
fn short(e: &ApiError) -> String {
    match e {
        ApiError::Unauthorized { .. } => "401".into(),
        ApiError::NotFound { .. } => "404".into(),
        ApiError::InvalidData { .. } => "4xx".into(),
        ApiError::Server { status, .. } | ApiError::Decode { status, .. } => status.to_string(),
        other => other.status_line(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_parses() {
        assert_eq!("auto".parse::<DialectChoice>(), Ok(DialectChoice::Auto));
        assert_eq!(
            "2".parse::<DialectChoice>(),
            Ok(DialectChoice::Fixed(Dialect::V2))
        );
        assert_eq!(
            "v1".parse::<DialectChoice>(),
            Ok(DialectChoice::Fixed(Dialect::V1))
        );
        assert!("3".parse::<DialectChoice>().is_err());
        assert_eq!(" V2 ".parse::<Dialect>(), Ok(Dialect::V2));
        assert!("auto".parse::<Dialect>().is_err());
        assert_eq!(Dialect::default(), Dialect::V1);
        assert_eq!(Dialect::V2.number(), "2");
    }
}
