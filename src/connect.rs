//! Turning the global options (flags and environment) into a ready client: which backend,
//! which credentials, which transport rules. Shared by the CLI and the TUI so both read the
//! same flags the same way.

use std::time::Duration;

use clap::Args;
use secrecy::SecretString;
use url::Url;

use crate::api::client::{parse_base_url, parse_header};
use crate::api::retry::Backoff;
use crate::api::{Client, ClientOptions, Credentials, Dialect, DialectChoice};
use crate::sandbox::{self, Sandbox, SandboxConfig};
use crate::session_store::SessionStore;

/// The options every command shares (`medusa-users --url … users list`). Each command's help
/// lists them under their own heading, after the command's own options.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct ConnectArgs {
    /// Medusa backend URL
    #[arg(
        long,
        env = "MEDUSA_BACKEND_URL",
        global = true,
        value_name = "URL",
        default_value = crate::api::client::DEFAULT_BASE_URL
    )]
    pub url: Option<String>,

    /// API token of an admin user (sent as x-medusa-access-token). Goes before the
    /// command; prefer the environment variable, since command-line arguments are visible to
    /// other local users. (`users update --api-token` sets a user's token instead.)
    #[arg(
        long,
        env = "MEDUSA_API_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub api_token: Option<String>,

    /// Log in with this e-mail; the password comes from MEDUSA_ADMIN_PASSWORD or a prompt.
    /// Goes before the command: `users list --email` and `users create --email` are the
    /// commands' own (a filter, the new user's address).
    #[arg(long, env = "MEDUSA_ADMIN_EMAIL", value_name = "EMAIL")]
    pub email: Option<String>,

    /// Retries for failed requests that are safe to repeat
    #[arg(long, global = true, default_value_t = 2, value_name = "N")]
    pub max_retries: u32,

    /// Request timeout: seconds, or a duration such as 1500ms or 1m
    #[arg(long, global = true, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,

    /// Extra header on every request, 'Name: value' (repeatable)
    #[arg(short = 'H', long = "header", global = true, value_name = "HEADER")]
    pub headers: Vec<String>,

    /// Run against an embedded sandbox backend started in-process (seeded sample data)
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Do not verify TLS certificates (for self-signed test servers only)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Refuse every change (create, edit, delete, password resets): look, do not touch
    #[arg(long, global = true)]
    pub read_only: bool,

    /// The store to use: a profile from the config file (`medusa-users profiles list`)
    #[arg(long, env = "MEDUSA_PROFILE", global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Work across these profiles at once, comma-separated (`users find`, `users offboard`,
    /// `invites create`)
    #[arg(
        long,
        global = true,
        value_name = "A,B,…",
        value_delimiter = ',',
        conflicts_with = "all_profiles"
    )]
    pub profiles: Vec<String>,

    /// Work across every profile in the config file at once (`users find`, `users offboard`,
    /// `invites create`)
    #[arg(long, global = true)]
    pub all_profiles: bool,

    /// The config file (default: MEDUSA_USERS_CONFIG, else config.toml in your config
    /// directory; `medusa-users config path` says which is in use)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    /// The connection flags given on the command line or in the environment (the config file
    /// fills in only the others).
    #[arg(skip)]
    pub given: crate::config::Given,

    /// The password for `email`, when the profile says where it comes from.
    #[arg(skip)]
    pub password: Option<SecretString>,

    /// Which Medusa the backend is: auto (ask it once), 1 or 2
    #[arg(
        long,
        env = "MEDUSA_VERSION",
        global = true,
        default_value = "auto",
        value_name = "auto|1|2"
    )]
    pub medusa_version: DialectChoice,
}

/// Parses `30`, `30s`, `1500ms`, `1m`.
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<f64>() {
        if secs.is_finite() && secs > 0.0 {
            return Ok(Duration::from_secs_f64(secs));
        }
        return Err(format!("{raw:?} is not a positive number of seconds"));
    }
    match humantime::parse_duration(raw) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("the timeout must be longer than zero".into()),
        Err(e) => Err(format!("invalid duration {raw:?}: {e}")),
    }
}

/// Reads the config file and fills in, from the profile in use and `[defaults]`, the
/// connection settings the operator did not give (flag > environment > profile > defaults >
/// built-in). What it decided besides (the profile's badge, a page size) comes back.
pub fn apply_config(args: &mut ConnectArgs) -> Result<crate::config::Applied, ConnectError> {
    let usage = |e: crate::config::ConfigError| ConnectError::Usage(e.to_string());
    let loaded = crate::config::load(args.config.as_deref()).map_err(usage)?;
    let profile = match crate::config::chosen_profile(args, &loaded) {
        Some(name) => Some(loaded.profile(name).map_err(usage)?),
        None => None,
    };
    crate::config::apply(args, &loaded, profile.as_ref()).map_err(usage)
}

/// How the password for `--email` is obtained when the environment does not give it.
pub enum PasswordSource<'a> {
    /// Ask now (the CLI: a no-echo prompt on the terminal).
    Ask(&'a (dyn Fn(&str) -> std::io::Result<String> + Sync)),
    /// Leave it for later (the TUI shows its own login screen).
    Defer,
}

/// A ready connection: the client, and the sandbox that serves it when `--sandbox` was given
/// (it stops when this is dropped or shut down).
pub struct Connection {
    pub client: Client,
    pub sandbox: Option<Sandbox>,
    /// E-mail to log in with, when credentials are still needed (the TUI's login screen).
    pub login_email: Option<String>,
    /// Things the operator should know before acting: plain HTTP to a remote host, …
    pub warnings: Vec<String>,
    /// Where logins are remembered (none with `--sandbox`, which has its own token).
    pub sessions: Option<SessionStore>,
    /// Where the embedded sandbox writes password-reset tokens (with `--sandbox`).
    pub outbox: Option<std::path::PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("{0}")]
    Usage(String),
    #[error("cannot start the sandbox: {0}")]
    Sandbox(String),
    #[error(transparent)]
    Api(#[from] crate::api::ApiError),
}

impl ConnectArgs {
    pub fn client_options(&self, base_url: Url) -> Result<ClientOptions, ConnectError> {
        let headers = self
            .headers
            .iter()
            .map(|h| parse_header(h))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ConnectError::Usage)?;
        Ok(ClientOptions {
            base_url,
            max_retries: self.max_retries,
            timeout: self.timeout,
            backoff: Backoff::default(),
            headers,
            insecure: self.insecure,
            read_only: self.read_only,
            dialect: self.medusa_version,
        })
    }
}

/// Connects as the flags say: starts the sandbox if asked, picks credentials (API token, or a
/// login with e-mail and password), and logs in when it has a password.
pub async fn connect(
    args: &ConnectArgs,
    password: PasswordSource<'_>,
) -> Result<Connection, ConnectError> {
    let mut warnings = Vec::new();
    // `--sandbox --medusa-version 2` imitates v2; `auto` means v1, the default.
    let sandbox_dialect = match args.medusa_version {
        DialectChoice::Fixed(d) => d,
        DialectChoice::Auto => Dialect::V1,
    };
    let (sandbox, outbox) = if args.sandbox {
        let (sandbox, outbox) = start_embedded_sandbox(sandbox_dialect).await?;
        (Some(sandbox), Some(outbox))
    } else {
        (None, None)
    };
    let base_url = match (&sandbox, &args.url) {
        (Some(s), _) => parse_base_url(&s.url()).map_err(ConnectError::Usage)?,
        (None, Some(url)) => parse_base_url(url).map_err(ConnectError::Usage)?,
        (None, None) => {
            parse_base_url(crate::api::client::DEFAULT_BASE_URL).map_err(ConnectError::Usage)?
        }
    };
    if args.insecure {
        warnings.push("TLS certificate checks are OFF (--insecure)".to_owned());
    }
    if let Some(w) = plain_http_warning(&base_url) {
        warnings.push(w);
    }
    let mut options = args.client_options(base_url.clone())?;
    if sandbox.is_some() {
        // Our own sandbox: no need to ask what it speaks.
        options.dialect = DialectChoice::Fixed(sandbox_dialect);
    }

    let email = args.email.clone().filter(|e| !e.trim().is_empty());
    let sessions = if sandbox.is_some() {
        None
    } else {
        SessionStore::default_location()
    };
    let mut login_email = None;
    let mut remembered_dialect = None;
    let credentials = match (&args.api_token, &email, &sandbox) {
        (Some(token), None, _) if !token.is_empty() => Credentials::api_token(token.clone()),
        (_, Some(_), _) => Credentials::None,
        (_, None, Some(_)) => Credentials::api_token(match sandbox_dialect {
            Dialect::V1 => sandbox::ADMIN_API_TOKEN,
            Dialect::V2 => sandbox::V2_ADMIN_SECRET_KEY,
        }),
        // No credentials given: a session remembered from an earlier login, if any.
        _ => match sessions.as_ref().map(|s| s.load(base_url.as_str())) {
            Some(Ok(Some(saved))) => {
                login_email = Some(saved.email.clone());
                remembered_dialect = saved.dialect;
                Credentials::Jwt(saved.token())
            }
            Some(Err(problem)) => {
                warnings.push(problem);
                Credentials::None
            }
            _ => Credentials::None,
        },
    };
    let client = Client::new(options, credentials)?;
    if let Some(dialect) = remembered_dialect {
        // Asked once when the session was made; no need to probe again.
        client.adopt(dialect);
    }

    if let Some(email) = email {
        let from_env = std::env::var("MEDUSA_ADMIN_PASSWORD")
            .ok()
            .filter(|p| !p.is_empty())
            .map(SecretString::from)
            .or_else(|| args.password.clone());
        let password = match (from_env, password) {
            (Some(p), _) => Some(p),
            (None, PasswordSource::Ask(ask)) => Some(SecretString::from(
                ask(&format!("Password for {email}: "))
                    .map_err(|e| ConnectError::Usage(format!("cannot read the password: {e}")))?,
            )),
            (None, PasswordSource::Defer) => None,
        };
        match password {
            Some(p) => {
                client
                    .login(&email, secrecy::ExposeSecret::expose_secret(&p))
                    .await?;
            }
            None => login_email = Some(email),
        }
    }
    Ok(Connection {
        client,
        sandbox,
        login_email,
        warnings,
        sessions,
        outbox,
    })
}

/// How long before it expires a remembered session is swapped for a fresh one.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(2 * 60 * 60);

/// Swaps a remembered session that expires soon for a fresh one, where the server can
/// (Medusa v2's `/auth/token/refresh`), and remembers the new one. Quietly does nothing where
/// it cannot; a failure is logged, not fatal: the old token is still tried, and an expired one
/// gets the usual "log in again".
pub async fn refresh_remembered_session(connection: &Connection) {
    let (Some(store), Some(email)) = (&connection.sessions, &connection.login_email) else {
        return;
    };
    let Some(expires) = connection.client.session_expires_at() else {
        return;
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let left = expires.saturating_sub(now);
    if left <= 0 || left > i64::try_from(REFRESH_BEFORE_EXPIRY.as_secs()).unwrap_or(i64::MAX) {
        return;
    }
    match connection.client.refresh_session().await {
        Ok(Some(token)) => {
            let url = connection.client.base_url().as_str();
            if let Err(e) = store.save(url, email, &token, connection.client.known_dialect()) {
                tracing::warn!("refreshed session not remembered: {e}");
            } else {
                tracing::info!("session refreshed ({left} s were left)");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::info!("session not refreshed: {}", e.status_line()),
    }
}

/// How many sample users `--sandbox` seeds into a new sandbox database.
pub const SANDBOX_SEED: usize = 137;

/// The sandbox, and the outbox file it writes reset tokens to.
async fn start_embedded_sandbox(
    dialect: Dialect,
) -> Result<(Sandbox, std::path::PathBuf), ConnectError> {
    let data = sandbox::default_data_path().ok_or_else(|| {
        ConnectError::Sandbox("no data directory for this user (is HOME set?)".into())
    })?;
    let outbox = data.with_file_name("sandbox-outbox.jsonl");
    let config = SandboxConfig {
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        data: Some(data),
        outbox: Some(outbox.clone()),
        seed: SANDBOX_SEED,
        jwt_secret: None,
        echo_events: false,
        dialect,
    };
    Sandbox::start(config)
        .await
        .map(|sandbox| (sandbox, outbox))
        .map_err(|e| ConnectError::Sandbox(e.to_string()))
}

/// A warning when credentials would cross the network in clear text: plain `http://` to a
/// host that is not this machine.
pub fn plain_http_warning(url: &Url) -> Option<String> {
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str().unwrap_or("");
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| {
        format!("plain HTTP to {host}: credentials and data travel unencrypted; use https://")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("1.5").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn plain_http_is_flagged_only_off_this_machine() {
        let warn = |u: &str| plain_http_warning(&Url::parse(u).unwrap());
        assert!(warn("http://localhost:9000").is_none());
        assert!(warn("http://127.0.0.1:9000").is_none());
        assert!(warn("http://[::1]:9000").is_none());
        assert!(warn("https://shop.example.com").is_none());
        assert!(
            warn("http://shop.example.com")
                .unwrap()
                .contains("shop.example.com")
        );
        assert!(warn("http://10.0.0.5:9000").is_some());
    }
}
