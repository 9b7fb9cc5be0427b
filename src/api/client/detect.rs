//! Which Medusa the server is: probed once on first use (or as `--medusa-version` said, or as a
//! remembered session says), what that Medusa can do, and credentials that cannot work there
//! refused before the server answers a puzzling 401.

use super::{Client, Credentials};
use crate::api::capabilities::Capabilities;
use crate::api::dialect::{self, Dialect, DialectChoice};
use crate::api::error::ApiError;
use crate::api::transport::{TokenStyle, is_secret_key};

impl Client {
    /// The dialect, probing the server the first time it is needed (unless it was given),
    /// and refusing credentials that cannot work on it.
    pub async fn dialect(&self) -> Result<Dialect, ApiError> {
        let dialect = self.detected().await?;
        self.check_credentials_fit(dialect)?;
        Ok(dialect)
    }

    /// The dialect, for the routes that take no credentials (login, resets, accepting an
    /// invite): whatever credentials were given do not matter there.
    pub(super) async fn detected(&self) -> Result<Dialect, ApiError> {
        let dialect = *self
            .dialect
            .get_or_try_init(|| async {
                let d = dialect::detect(&self.transport).await?;
                self.set_style(d);
                Ok::<_, ApiError>(d)
            })
            .await?;
        Ok(dialect)
    }

    /// The dialect if it is known already (given, detected, or remembered with a session).
    pub fn known_dialect(&self) -> Option<Dialect> {
        self.dialect.get().copied()
    }

    /// Tells the client the dialect (from a remembered session), skipping the probe. Ignored
    /// when one is known already.
    pub fn adopt(&self, dialect: Dialect) {
        if self.dialect.set(dialect).is_ok() {
            self.set_style(dialect);
        }
    }

    /// What `--medusa-version` said.
    pub fn dialect_choice(&self) -> DialectChoice {
        self.choice
    }

    fn set_style(&self, dialect: Dialect) {
        self.transport.set_token_style(match dialect {
            Dialect::V1 => TokenStyle::AccessTokenHeader,
            Dialect::V2 => TokenStyle::Basic,
        });
    }

    /// What the server can do.
    pub async fn capabilities(&self) -> Result<Capabilities, ApiError> {
        Ok(Capabilities::of(self.dialect().await?))
    }

    /// The capabilities once the dialect is known, without asking the server.
    pub fn known_capabilities(&self) -> Option<Capabilities> {
        self.known_dialect().map(Capabilities::of)
    }

    /// A v1 api_token on a v2 server (or a v2 secret key on v1) can never work: say so instead
    /// of letting the server answer a puzzling 401.
    fn check_credentials_fit(&self, dialect: Dialect) -> Result<(), ApiError> {
        let Credentials::ApiToken(token) = self.credentials() else {
            return Ok(());
        };
        let secret_key = is_secret_key(secrecy::ExposeSecret::expose_secret(&token));
        match (dialect, secret_key) {
            (Dialect::V2, false) => Err(ApiError::Unauthorized {
                message: "this is a Medusa v2 server: it takes a secret API key (sk_…) or an \
                          e-mail login, not a Medusa v1 user api_token"
                    .into(),
            }),
            (Dialect::V1, true) => Err(ApiError::Unauthorized {
                message: "this is a Medusa v1 server: sk_… secret keys are Medusa v2's; use a \
                          user's api_token or an e-mail login"
                    .into(),
            }),
            _ => Ok(()),
        }
    }
}
