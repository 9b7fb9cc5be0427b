//! The embedded sandbox: a Medusa-compatible admin API on loopback, stored in SQLite, so the
//! console runs with no store at all and the tests are hermetic.
//!
//! It speaks either dialect ([`SandboxConfig::dialect`]): Medusa 1.20.11 (users with roles,
//! `/admin/auth`, API tokens, v1 invites; see `tests/fixtures/medusa-v1/`) or Medusa 2.21.2
//! (emailpass auth, invites that create users, secret API keys; `tests/fixtures/medusa-v2/`),
//! answering like the real server (routes, auth methods, status codes, bodies, validation
//! messages), except for the deliberate differences in [`DEVIATIONS`] and [`V2_DEVIATIONS`].
//!
//! `express` is what both share (Express's answers, body reading, blocking work); `v1/` and
//! `v2/` route, authenticate and validate in their server's way. One database file serves both
//! dialects, each in its own tables.
//!
//! ```no_run
//! # async fn demo() -> Result<(), medusa_users::sandbox::SandboxError> {
//! use medusa_users::sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::ephemeral()).await?;
//! println!("API at {}", sandbox.url());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod deviations;
mod express;
mod jsdate;
mod outbox;
pub mod password;
mod query;
mod seed;
mod sessions;
mod store;
pub mod tokens;
mod v1;
mod v2;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use express::{App, log_request};

/// The sandbox answers as the dialect the client speaks: one enum for both sides.
pub use crate::api::Dialect;
pub use deviations::{DEVIATIONS, Deviation};
pub use outbox::newest_token as newest_outbox_token;
pub use seed::SAMPLE_PASSWORD;
pub use v2::V2_DEVIATIONS;
pub use v2::seed::V2_ADMIN_SECRET_KEY;

/// The admin every new sandbox database starts with (in both dialects).
pub const ADMIN_EMAIL: &str = "admin@medusa-test.com";
pub const ADMIN_PASSWORD: &str = "supersecret";
/// The v1 admin's `x-medusa-access-token`. (v2's counterpart is [`V2_ADMIN_SECRET_KEY`].)
pub const ADMIN_API_TOKEN: &str = "local-dev-admin-api-token";

/// The port a real Medusa listens on; the sandbox takes it by default so clients configured for
/// a local Medusa work unchanged.
pub const DEFAULT_PORT: u16 = 9000;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Default 127.0.0.1:9000; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// The SQLite file; `None` keeps everything in memory (tests).
    pub data: Option<PathBuf>,
    /// Password-reset events are appended here, one JSON line each.
    pub outbox: Option<PathBuf>,
    /// Sample users added when the database is new.
    pub seed: usize,
    /// Secret for admin JWTs; `None` uses the one stored in the database (made at random when
    /// the database is created).
    pub jwt_secret: Option<String>,
    /// Also print each reset event line on stdout (the foreground `medusa-users sandbox`).
    pub echo_events: bool,
    /// Which Medusa to answer as; v1 by default.
    pub dialect: Dialect,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, DEFAULT_PORT)),
            data: default_data_path(),
            outbox: None,
            seed: 0,
            jwt_secret: None,
            echo_events: false,
            dialect: Dialect::V1,
        }
    }
}

impl SandboxConfig {
    /// Loopback on a free port, in memory, no outbox, no sample users: for tests.
    pub fn ephemeral() -> Self {
        SandboxConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            data: None,
            outbox: None,
            seed: 0,
            jwt_secret: None,
            echo_events: false,
            dialect: Dialect::V1,
        }
    }
}

/// `<user data dir>/medusa-users/sandbox.sqlite3`, when the platform has a data directory.
pub fn default_data_path() -> Option<PathBuf> {
    crate::files::data_dir().map(|dir| dir.join("sandbox.sqlite3"))
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(
        "address {addr} is already in use (another sandbox or Medusa?); pick another with --addr"
    )]
    AddrInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create the sandbox database {path}: {source}")]
    DatabaseFile {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the sandbox database {path}: {source}")]
    Database {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot migrate the sandbox database {path}: {message}")]
    Migrate { path: String, message: String },
    #[error("cannot seed the sandbox database {path}: {message}")]
    Seed { path: String, message: String },
    #[error("cannot open the outbox {path}: {source}")]
    Outbox {
        path: String,
        source: std::io::Error,
    },
    #[error("the sandbox server failed: {0}")]
    Server(String),
}

/// A running sandbox server. Dropping it stops the server too; [`Sandbox::shutdown`] also
/// waits for it.
pub struct Sandbox {
    addr: SocketAddr,
    dialect: Dialect,
    /// Whether this start seeded the database (for its dialect).
    created: bool,
    app: Arc<express::App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

fn label(path: Option<&Path>) -> String {
    path.map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string())
}

impl Sandbox {
    /// Binds, opens or creates the database (migrating and seeding it), starts serving and
    /// returns once connections are accepted.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        // Bind first: a taken port should not leave a fresh database behind.
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AddrInUse => SandboxError::AddrInUse { addr: config.addr },
                _ => SandboxError::Bind {
                    addr: config.addr,
                    source,
                },
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: config.addr,
            source,
        })?;

        let cfg = config.clone();
        let (store, jwt_secret, created) = tokio::task::spawn_blocking(move || open_store(&cfg))
            .await
            .map_err(|e| SandboxError::Server(e.to_string()))??;
        let outbox = outbox::Outbox::open(config.outbox.as_deref(), config.echo_events).map_err(
            |source| SandboxError::Outbox {
                path: label(config.outbox.as_deref()),
                source,
            },
        )?;
        let app = Arc::new(express::App {
            store,
            sessions: sessions::Sessions::new(),
            outbox,
            jwt_secret,
        });

        let (stop, stopped) = oneshot::channel::<()>();
        let router = router(Arc::clone(&app), config.dialect);
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                // A dropped sender (the Sandbox was dropped) stops the server as well.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "sandbox server stopped with an error");
            }
        });
        tracing::info!(%addr, dialect = %config.dialect, data = %label(config.data.as_deref()),
            "sandbox listening");
        Ok(Sandbox {
            addr,
            dialect: config.dialect,
            created,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Reset tokens issued so far for `email` (any letter case), oldest first (v1's
    /// `user.password_reset`, v2's `auth.password_reset`, also the admin-minted ones).
    pub fn reset_tokens(&self, email: &str) -> Vec<String> {
        self.app.outbox.reset_tokens_for(email)
    }

    /// Invite tokens issued (created, re-invited or resent) for `email` (any letter case),
    /// oldest first.
    pub fn invite_tokens(&self, email: &str) -> Vec<String> {
        self.app.outbox.invite_tokens_for(email)
    }

    /// The secret admin JWTs are signed with, for tests that mint their own.
    pub fn jwt_secret(&self) -> String {
        self.app.jwt_secret.clone()
    }

    /// Stops accepting connections, lets requests in flight finish (for at most a few seconds)
    /// and closes the database.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            // Idle keep-alive connections close at once; a client stuck mid-request must not
            // hang the caller.
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The server: one fallback handler for every request, since each dialect routes by itself in
/// Express's order ([`v1::handle`], [`v2::handle`]). Timing a request, answering a failure and
/// logging the request are the same for both dialects, so they are done here once.
fn router(app: Arc<App>, dialect: Dialect) -> axum::Router {
    axum::Router::new()
        .fallback(
            move |State(app): State<Arc<App>>, req: Request| async move {
                let started = Instant::now();
                let (parts, body) = req.into_parts();
                let answered = match dialect {
                    Dialect::V1 => v1::handle(&app, &parts, body).await,
                    Dialect::V2 => v2::handle(&app, &parts, body).await,
                };
                let response = match answered {
                    Ok(r) => r,
                    Err(f) => f.into_response(),
                };
                log_request(&parts, &response, started);
                response
            },
        )
        .with_state(app)
}

/// Opens, migrates and (when new to this dialect) seeds the database; the JWT secret to use,
/// and whether it was seeded now.
fn open_store(config: &SandboxConfig) -> Result<(store::Store, String, bool), SandboxError> {
    let path = config.data.as_deref();
    let name = label(path);
    if let Some(dir) = path
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| SandboxError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let (store, fresh) = store::Store::open(path)?;
    let db_err = |source: rusqlite::Error| SandboxError::Database {
        path: name.clone(),
        source,
    };
    let started = std::time::Instant::now();
    let mut seeded = false;
    if fresh {
        // A v2 sandbox's new database still gets v1's admin (so a v1 sandbox can open it
        // later), but the samples only on the side it serves.
        let v1_samples = if config.dialect == Dialect::V1 {
            config.seed
        } else {
            0
        };
        seed::seed(&store, v1_samples).map_err(|e| SandboxError::Seed {
            path: name.clone(),
            message: e.to_string(),
        })?;
        seeded = config.dialect == Dialect::V1;
    }
    if config.dialect == Dialect::V2 {
        seeded = v2::seed::seed_if_new(&store, config.seed).map_err(|e| SandboxError::Seed {
            path: name.clone(),
            message: e.to_string(),
        })?;
    }
    if seeded {
        tracing::info!(
            samples = config.seed,
            dialect = %config.dialect,
            millis = started.elapsed().as_millis() as u64,
            "sandbox database seeded"
        );
    }
    let stored = store.meta("jwt_secret").map_err(db_err)?;
    let secret = match (&config.jwt_secret, stored) {
        (Some(configured), _) => configured.clone(),
        (None, Some(stored)) => stored,
        (None, None) => {
            let mut raw = [0u8; 32];
            rand::fill(&mut raw[..]);
            let secret: String = raw.iter().map(|b| format!("{b:02x}")).collect();
            store.set_meta("jwt_secret", &secret).map_err(db_err)?;
            secret
        }
    };
    Ok((store, secret, seeded))
}

/// One line of the foreground sandbox's output. Its output is a log for whoever watches: a
/// reader that went away (`sandbox | head -3`) is no reason to stop serving, let alone to
/// panic as `println!` would, so a failed write is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Runs a sandbox in the foreground (`medusa-users sandbox`): prints where it listens, how to
/// log in and where data and reset events go, then serves until Ctrl-C or SIGTERM.
pub async fn run_foreground(config: SandboxConfig) -> Result<(), SandboxError> {
    let data = config.data.clone();
    let outbox = config.outbox.clone();
    let echo = config.echo_events;
    let seed = config.seed;
    let sandbox = Sandbox::start(config).await?;
    let stop = watch_stop_signals();
    say!(
        "Medusa v{} sandbox listening on {}",
        sandbox.dialect().number(),
        sandbox.url()
    );
    say!("  admin login  {ADMIN_EMAIL} / {ADMIN_PASSWORD}");
    match sandbox.dialect() {
        Dialect::V1 => say!("  API token    {ADMIN_API_TOKEN}  (header x-medusa-access-token)"),
        Dialect::V2 => {
            say!("  secret key   {V2_ADMIN_SECRET_KEY}  (Authorization: Basic, as the user name)");
        }
    }
    // Other tools (and tests) read these lines: keep their wording stable.
    match &data {
        Some(p) => say!("  data         {}", p.display()),
        None => say!("  data         in memory (gone when the sandbox stops)"),
    }
    match (&outbox, echo) {
        // The outbox gets invite tokens too; the label stays for the tools that read it.
        (Some(p), true) => say!(
            "  reset mail   appended to {} and printed here",
            p.display()
        ),
        (Some(p), false) => say!("  reset mail   appended to {}", p.display()),
        (None, true) => say!("  reset mail   printed here"),
        (None, false) => say!("  reset mail   not kept (no outbox configured)"),
    }
    if sandbox.created && seed > 0 {
        say!("  sample users {seed} on a new database, password {SAMPLE_PASSWORD}");
    } else if !sandbox.created {
        say!("  database     existing one reused (not seeded again)");
    }
    say!("Press Ctrl-C to stop.");
    stop.await;
    say!("Stopping the sandbox…");
    sandbox.shutdown().await;
    Ok(())
}

/// Watches Ctrl-C and SIGTERM from the moment it is called (not from the first poll), so a
/// supervisor that sends SIGTERM as soon as it reads "listening on" stops the sandbox cleanly.
fn watch_stop_signals() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut interrupt)) => Box::pin(async move {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = term.recv() => {}
                }
            }),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "cannot watch SIGTERM; stop with Ctrl-C");
                Box::pin(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
            }
        }
    }
    #[cfg(not(unix))]
    {
        Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
