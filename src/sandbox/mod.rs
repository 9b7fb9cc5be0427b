//! The embedded sandbox: a Medusa-v1-compatible admin-users API on loopback, stored in SQLite,
//! so the console runs with no store at all and the tests are hermetic.
//!
//! It answers like a real Medusa 1.20.11 (same routes, auth methods, status codes, bodies and
//! validation messages; see `tests/fixtures/medusa-v1/`), except for the few deliberate
//! differences listed in [`DEVIATIONS`].
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
mod outbox;
pub mod password;
mod query;
mod render;
mod seed;
mod server;
mod sessions;
mod store;
pub mod tokens;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use deviations::{DEVIATIONS, Deviation};
pub use seed::SAMPLE_PASSWORD;

/// The admin every new sandbox database starts with.
pub const ADMIN_EMAIL: &str = "admin@medusa-test.com";
pub const ADMIN_PASSWORD: &str = "supersecret";
/// The admin's `x-medusa-access-token`.
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
        }
    }
}

/// `<user data dir>/medusa-users/sandbox.sqlite3`, when the platform has a data directory.
pub fn default_data_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "medusa-users")
        .map(|dirs| dirs.data_dir().join("sandbox.sqlite3"))
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
    /// Whether this start created (and seeded) the database.
    created: bool,
    app: Arc<server::App>,
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
        let app = Arc::new(server::App {
            store,
            sessions: sessions::Sessions::new(),
            outbox,
            jwt_secret,
        });

        let (stop, stopped) = oneshot::channel::<()>();
        let router = server::router(Arc::clone(&app));
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                // A dropped sender (the Sandbox was dropped) stops the server as well.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "sandbox server stopped with an error");
            }
        });
        tracing::info!(%addr, data = %label(config.data.as_deref()), "sandbox listening");
        Ok(Sandbox {
            addr,
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

    /// Reset tokens issued so far for `email` (any letter case), oldest first.
    pub fn reset_tokens(&self, email: &str) -> Vec<String> {
        self.app.outbox.tokens_for(email)
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

/// Opens, migrates and (when new) seeds the database; the JWT secret to use, and whether the
/// database was new.
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
    if fresh {
        let started = std::time::Instant::now();
        seed::seed(&store, config.seed).map_err(|e| SandboxError::Seed {
            path: name.clone(),
            message: e.to_string(),
        })?;
        tracing::info!(
            samples = config.seed,
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
    Ok((store, secret, fresh))
}

/// Runs a sandbox in the foreground (`medusa-users sandbox`): prints where it listens, how to
/// log in and where data and reset events go, then serves until Ctrl-C or SIGTERM.
pub async fn run_foreground(config: SandboxConfig) -> Result<(), SandboxError> {
    let data = config.data.clone();
    let outbox = config.outbox.clone();
    let echo = config.echo_events;
    let seed = config.seed;
    let sandbox = Sandbox::start(config).await?;
    println!("Medusa v1 sandbox listening on {}", sandbox.url());
    println!("  admin login  {ADMIN_EMAIL} / {ADMIN_PASSWORD}");
    println!("  API token    {ADMIN_API_TOKEN}  (header x-medusa-access-token)");
    // Other tools (and tests) read these lines: keep their wording stable.
    match &data {
        Some(p) => println!("  data         {}", p.display()),
        None => println!("  data         in memory (gone when the sandbox stops)"),
    }
    match (&outbox, echo) {
        (Some(p), true) => println!(
            "  reset mail   appended to {} and printed here",
            p.display()
        ),
        (Some(p), false) => println!("  reset mail   appended to {}", p.display()),
        (None, true) => println!("  reset mail   printed here"),
        (None, false) => println!("  reset mail   not kept (no outbox configured)"),
    }
    if sandbox.created && seed > 0 {
        println!("  sample users {seed} on a new database, password {SAMPLE_PASSWORD}");
    } else if !sandbox.created {
        println!("  database     existing one reused (not seeded again)");
    }
    println!("Press Ctrl-C to stop.");
    wait_for_stop_signal().await;
    println!("Stopping the sandbox…");
    sandbox.shutdown().await;
    Ok(())
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch SIGTERM; stop with Ctrl-C");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
