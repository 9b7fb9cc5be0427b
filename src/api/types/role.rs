//! A v1 user's (or invite's) role: admin, member or developer.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role. Medusa v1 stores it as a Postgres enum with exactly these three values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    #[default]
    Member,
    Developer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Member, Role::Developer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Developer => "developer",
        }
    }

    /// The next role in [`Role::ALL`], wrapping; the forms cycle roles with it.
    pub fn next(self) -> Role {
        match self {
            Role::Admin => Role::Member,
            Role::Member => Role::Developer,
            Role::Developer => Role::Admin,
        }
    }

    pub fn previous(self) -> Role {
        self.next().next()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "developer" => Ok(Role::Developer),
            other => Err(format!(
                "unknown role {other:?}: expected one of admin, member, developer"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_parses_case_insensitively_and_cycles() {
        assert_eq!("ADMIN".parse::<Role>().unwrap(), Role::Admin);
        assert!("owner".parse::<Role>().is_err());
        assert_eq!(Role::Developer.next(), Role::Admin);
        assert_eq!(Role::Admin.previous(), Role::Developer);
    }
}
