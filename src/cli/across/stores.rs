//! The stores a command across stores asks: which ones (each profile named, every profile, or
//! the one connection), connecting to each without a prompt, running their work concurrently
//! behind one progress bar, and a failed store's one-line description.

use serde_json::{Value, json};

use crate::cli::console;
use crate::cli::failure::Failure;
use crate::cli::output::Column;
use crate::cli::progress::Progress;
use crate::connect::{self, ConnectArgs, ConnectError, PasswordSource};

/// The stores to ask: each profile named (or every one), or the one connection the flags and
/// the config give.
pub(super) fn targets(args: &ConnectArgs) -> Result<Vec<ConnectArgs>, Failure> {
    if args.profiles.is_empty() && !args.all_profiles {
        return Ok(vec![args.clone()]);
    }
    if args.sandbox || args.given.contains("url") || args.profile.is_some() {
        return Err(Failure::Usage(
            "--profiles / --all-profiles choose the stores: leave out --url, --sandbox and \
             --profile"
                .to_owned(),
        ));
    }
    let loaded =
        crate::config::load(args.config.as_deref()).map_err(|e| Failure::Usage(e.to_string()))?;
    let names = if args.all_profiles {
        let names = loaded.profile_names();
        if names.is_empty() {
            return Err(Failure::Usage(
                "--all-profiles: the config file has no profiles (`medusa-users profiles add`)"
                    .to_owned(),
            ));
        }
        names
    } else {
        for name in &args.profiles {
            loaded
                .profile(name)
                .map_err(|e| Failure::Usage(e.to_string()))?;
        }
        args.profiles.clone()
    };
    Ok(names
        .into_iter()
        .map(|name| {
            let mut one = args.clone();
            one.profile = Some(name);
            one.profiles.clear();
            one.all_profiles = false;
            // Each store signs in as its profile says: credentials from the environment
            // (MEDUSA_API_TOKEN, …) are one store's, never sent to every store.
            for id in ["url", "api_token", "email", "medusa_version"] {
                one.given.remove(id);
            }
            one.api_token = None;
            one.email = None;
            one.password = None;
            one
        })
        .collect())
}

/// One store, connected (or the reason it could not be).
pub(super) struct Store {
    pub(super) profile: String,
    pub(super) url: String,
    pub(super) badge: Option<crate::config::ProfileBadge>,
    pub(super) read_only: bool,
    pub(super) connection: Result<connect::Connection, Failure>,
}

impl Store {
    pub(super) async fn close(self) {
        if let Ok(c) = self.connection
            && let Some(sandbox) = c.sandbox
        {
            sandbox.shutdown().await;
        }
    }
}

/// Connects to one store as its profile says. Several stores at once cannot share a terminal,
/// so a profile that would need a password prompt fails with a message instead of asking.
pub(super) async fn open_store(mut args: ConnectArgs) -> Store {
    let mut profile = args.profile.clone().unwrap_or_else(|| "-".to_owned());
    let applied = connect::apply_config(&mut args);
    let mut badge = None;
    if let Ok(a) = &applied
        && let Some(p) = &a.profile
    {
        profile = p.name.clone();
        badge = Some(p.clone());
    }
    let url = args
        .url
        .clone()
        .unwrap_or_else(|| crate::api::client::DEFAULT_BASE_URL.to_owned());
    let connection = match applied {
        Err(e) => Err(connect_failure(e)),
        Ok(_) => {
            let no_prompt = |_: &str| -> std::io::Result<String> {
                Err(std::io::Error::other(
                    "no prompt while asking several stores: run `medusa-users login --profile \
                     NAME` once, or give the profile a password_env",
                ))
            };
            let ask: &(dyn Fn(&str) -> std::io::Result<String> + Sync) = &no_prompt;
            let password = if args.profile.is_some() && args.email.is_some() {
                PasswordSource::Ask(ask)
            } else {
                PasswordSource::Ask(&crate::cli::prompt::hidden)
            };
            connect::connect(&args, password)
                .await
                .map_err(connect_failure)
        }
    };
    Store {
        profile,
        url,
        badge,
        read_only: args.read_only,
        connection,
    }
}

/// How a store is named on the progress bar before it is connected: its profile, else its URL.
pub(super) fn label(target: &ConnectArgs) -> String {
    target
        .profile
        .clone()
        .or_else(|| target.url.clone())
        .unwrap_or_else(|| "the store".to_owned())
}

/// Runs every store's work at once (`runs`, one per name, in the same order), counting the
/// stores as they finish on a progress bar that names the ones still pending, so a slow store
/// is visible by name. The bar is wiped when all are done, before anything is printed.
pub(super) async fn counted<T>(
    names: &[String],
    verb: &str,
    runs: impl IntoIterator<Item = impl std::future::Future<Output = T>>,
) -> Vec<T> {
    let progress = Progress::stores(names, verb);
    let progress = &progress;
    futures::future::join_all(runs.into_iter().zip(names).map(|(run, name)| async move {
        let out = run.await;
        progress.store_done(name);
        out
    }))
    .await
}

/// The first two columns of every table across stores: the profile, then the store's URL.
pub(super) const PROFILE_COLUMN: Column = Column {
    title: "PROFILE",
    min: 8,
};
pub(super) const STORE_COLUMN: Column = Column {
    title: "STORE",
    min: 16,
};
/// What was done in a store, or how it failed (`users offboard`, `invites create --profiles`).
pub(super) const RESULT_COLUMN: Column = Column {
    title: "RESULT",
    min: 20,
};

/// Prints `{"email": …, "results": [one item a store, …]}` on stdout: what every command across
/// stores prints with `--json`, so scripts read them all the same way.
pub(super) fn print_results_json(email: &str, results: Vec<Value>) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(&json!({ "email": email, "results": results }))
        .map_err(|e| Failure::Other(e.to_string()))?;
    console::print(&format!("{text}\n"))?;
    Ok(())
}

fn connect_failure(e: ConnectError) -> Failure {
    match e {
        ConnectError::Api(e) => Failure::Api(e),
        ConnectError::Usage(m) => Failure::Usage(m),
        e @ ConnectError::Sandbox(_) => Failure::Other(e.to_string()),
    }
}

pub(super) fn describe(f: &Failure) -> String {
    match f {
        Failure::Api(e) => e.status_line(),
        Failure::Usage(m) | Failure::Other(m) | Failure::Interrupted(m) => m.clone(),
        Failure::StdoutClosed => "output closed".to_owned(),
        Failure::Hinted(inner, hint) => format!("{} ({hint})", describe(inner)),
    }
}
