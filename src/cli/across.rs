//! Work across stores: `users find EMAIL` answers "where does this person have access?" in
//! the current store or, with `--profiles a,b` / `--all-profiles`, in several at once. Every
//! store is asked concurrently; a store that fails is a row with its error, never hidden, and
//! the exit code is 0 only when every store answered (else the worst failure's).

use serde_json::{Value, json};

use super::failure::Failure;
use super::output::{Column, table};
use super::progress::Progress;
use super::{FindArgs, Globals, console, exit};
use crate::api::{Access, Client, Invite, Operation, User};
use crate::connect::{self, ConnectArgs, ConnectError, PasswordSource};

/// One store's row: which profile, which URL, and what it answered.
struct StoreResult {
    profile: String,
    url: String,
    outcome: Result<Access, Failure>,
}

/// `users find EMAIL`.
pub async fn find(args: ConnectArgs, _globals: Globals, find: FindArgs) -> i32 {
    let email = find.email.trim().to_owned();
    if let Err(f) = super::users::check_email(&email) {
        return f.report();
    }
    let targets = match targets(&args) {
        Ok(t) => t,
        Err(f) => return f.report(),
    };
    let names: Vec<String> = targets.iter().map(label).collect();
    let runs = targets.into_iter().map(|t| ask_store(t, email.clone()));
    let results = counted(&names, "answered", runs).await;
    let printed = if find.json {
        print_json(&email, &results)
    } else {
        print_table(&results)
    };
    if let Err(f) = printed {
        return f.report();
    }
    // Every row is printed; now each failure gets its error line, and the worst sets the code.
    let mut code = exit::OK;
    for r in &results {
        if let Err(f) = &r.outcome {
            console::error(&format!("{}: {}", r.profile, describe(f)));
            code = code.max(f.exit_code());
        }
    }
    code
}

/// The stores to ask: each profile named (or every one), or the one connection the flags and
/// the config give.
fn targets(args: &ConnectArgs) -> Result<Vec<ConnectArgs>, Failure> {
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
struct Store {
    profile: String,
    url: String,
    badge: Option<crate::config::ProfileBadge>,
    read_only: bool,
    connection: Result<connect::Connection, Failure>,
}

impl Store {
    async fn close(self) {
        if let Ok(c) = self.connection
            && let Some(sandbox) = c.sandbox
        {
            sandbox.shutdown().await;
        }
    }
}

/// Connects to one store as its profile says. Several stores at once cannot share a terminal,
/// so a profile that would need a password prompt fails with a message instead of asking.
async fn open_store(mut args: ConnectArgs) -> Store {
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
                PasswordSource::Ask(&super::prompt::hidden)
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
fn label(target: &ConnectArgs) -> String {
    target
        .profile
        .clone()
        .or_else(|| target.url.clone())
        .unwrap_or_else(|| "the store".to_owned())
}

/// Runs every store's work at once (`runs`, one per name, in the same order), counting the
/// stores as they finish on a progress bar that names the ones still pending, so a slow store
/// is visible by name. The bar is wiped when all are done, before anything is printed.
async fn counted<T>(
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

/// Asks one store about the person.
async fn ask_store(args: ConnectArgs, email: String) -> StoreResult {
    let Store {
        profile,
        url,
        connection,
        ..
    } = open_store(args).await;
    let outcome = match connection {
        Err(f) => Err(f),
        Ok(c) => {
            let found = c.client.access_of(&email).await.map_err(Failure::Api);
            if let Some(sandbox) = c.sandbox {
                sandbox.shutdown().await;
            }
            found
        }
    };
    StoreResult {
        profile,
        url,
        outcome,
    }
}

fn connect_failure(e: ConnectError) -> Failure {
    match e {
        ConnectError::Api(e) => Failure::Api(e),
        ConnectError::Usage(m) => Failure::Usage(m),
        e @ ConnectError::Sandbox(_) => Failure::Other(e.to_string()),
    }
}

fn describe(f: &Failure) -> String {
    match f {
        Failure::Api(e) => e.status_line(),
        Failure::Usage(m) | Failure::Other(m) | Failure::Interrupted(m) => m.clone(),
        Failure::StdoutClosed => "output closed".to_owned(),
        Failure::Hinted(inner, hint) => format!("{} ({hint})", describe(inner)),
    }
}

fn access(found: &Access) -> &'static str {
    found.kind()
}

fn detail(found: &Access) -> String {
    let mut parts = Vec::new();
    if let Some(u) = &found.user {
        let mut s = u.id.clone();
        if let Some(role) = u.role {
            s.push_str(&format!(" ({role})"));
        }
        parts.push(s);
    }
    for i in &found.invites {
        parts.push(format!(
            "invite {} {} {}",
            i.id,
            i.status().as_str(),
            i.expires_at.when(time::OffsetDateTime::now_utc())
        ));
    }
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join("; ")
    }
}

fn print_table(results: &[StoreResult]) -> Result<(), Failure> {
    let columns = [
        Column {
            title: "PROFILE",
            min: 8,
        },
        Column {
            title: "STORE",
            min: 16,
        },
        Column {
            title: "ACCESS",
            min: 7,
        },
        Column {
            title: "DETAIL",
            min: 20,
        },
    ];
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let (access, detail) = match &r.outcome {
                Ok(found) => (access(found).to_owned(), detail(found)),
                Err(f) => ("error".to_owned(), describe(f)),
            };
            vec![r.profile.clone(), r.url.clone(), access, detail]
        })
        .collect();
    console::print(&table(&columns, &rows, console::table_width()))?;
    Ok(())
}

fn print_json(email: &str, results: &[StoreResult]) -> Result<(), Failure> {
    let items: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut v = json!({ "profile": r.profile, "url": r.url });
            match &r.outcome {
                Ok(found) => {
                    v["access"] = json!(access(found));
                    v["user"] = match &found.user {
                        Some(u) => json!({ "id": u.id, "email": u.email, "role": u.role.map(|r| r.to_string()) }),
                        None => Value::Null,
                    };
                    v["invites"] = found
                        .invites
                        .iter()
                        .map(|i| {
                            json!({
                                "id": i.id,
                                "email": i.email,
                                "status": i.status().as_str(),
                                "expires_at": i.expires_at.0,
                            })
                        })
                        .collect();
                }
                Err(f) => {
                    v["access"] = json!("error");
                    v["error"] = json!(describe(f));
                    v["exit_code"] = json!(f.exit_code());
                }
            }
            v
        })
        .collect();
    let text = serde_json::to_string_pretty(&json!({ "email": email, "results": items }))
        .map_err(|e| Failure::Other(e.to_string()))?;
    console::print(&format!("{text}\n"))?;
    Ok(())
}

/// What offboarding will do in one store.
#[derive(Debug, Default)]
struct Plan {
    user: Option<User>,
    invites: Vec<Invite>,
    keys: Vec<crate::api::ApiKey>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.user.is_none() && self.invites.is_empty() && self.keys.is_empty()
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for k in &self.keys {
            parts.push(format!(
                "revoke secret key \"{}\" ({})",
                k.title, k.redacted
            ));
        }
        for i in &self.invites {
            parts.push(format!("revoke invite {}", i.id));
        }
        if let Some(u) = &self.user {
            let role = u.role.map(|r| format!(" ({r})")).unwrap_or_default();
            parts.push(format!("delete user {}{role}", u.id));
        }
        if parts.is_empty() {
            "nothing to do".to_owned()
        } else {
            parts.join("; ")
        }
    }

    fn changes(&self) -> usize {
        self.keys.len() + self.invites.len() + usize::from(self.user.is_some())
    }
}

/// Looks up what offboarding `email` means in one store, refusing up front what cannot work
/// there (a read-only store, deleting the admin who is signed in where the server forbids it).
async fn plan_store(store: &Store, email: &str) -> Result<Plan, Failure> {
    let client = match &store.connection {
        Ok(c) => &c.client,
        Err(f) => return Err(f.clone()),
    };
    let found = client.access_of(email).await?;
    let caps = client.capabilities().await?;
    let keys = match &found.user {
        Some(u) if caps.secret_keys => client.secret_keys_created_by(&u.id).await?,
        _ => Vec::new(),
    };
    let plan = Plan {
        user: found.user,
        invites: found.invites,
        keys,
    };
    if plan.is_empty() {
        return Ok(plan);
    }
    Operation::DeleteUser
        .check(store.read_only)
        .map_err(Failure::Api)?;
    if let Some(u) = &plan.user
        && !caps.self_delete
        && client.is_self(&u.id).await?
    {
        return Err(Failure::Usage(format!(
            "{} is the admin signed in here, and this server does not let an admin delete \
             themselves; sign in as another admin",
            u.email
        )));
    }
    Ok(plan)
}

/// Carries out one store's plan: keys first (they would outlive the user), then invites, then
/// the user. What was done is kept when a step fails, so the result says where it stopped.
async fn carry_out(client: &Client, plan: &Plan) -> (Vec<String>, Option<Failure>) {
    let mut done = Vec::new();
    for k in &plan.keys {
        match client.revoke_api_key(&k.id).await {
            Ok(_) => done.push(format!("revoked key \"{}\"", k.title)),
            Err(e) => return (done, Some(Failure::Api(e))),
        }
    }
    for i in &plan.invites {
        match client.revoke_invite(&i.id).await {
            Ok(_) => done.push(format!("revoked invite {}", i.id)),
            Err(e) => return (done, Some(Failure::Api(e))),
        }
    }
    if let Some(u) = &plan.user {
        match client.delete(&u.id).await {
            Ok(_) => done.push(format!("deleted user {}", u.id)),
            Err(e) => return (done, Some(Failure::Api(e))),
        }
    }
    (done, None)
}

/// `users offboard EMAIL`: plan in every store, show the plan, confirm once, carry it out.
pub async fn offboard(args: ConnectArgs, off: super::OffboardArgs) -> i32 {
    let email = off.email.trim().to_owned();
    if let Err(f) = super::users::check_email(&email) {
        return f.report();
    }
    if !off.yes && !super::prompt::stdin_is_terminal() {
        return Failure::Usage(
            "refusing to offboard without confirmation: stdin is not a terminal; pass --yes".into(),
        )
        .report();
    }
    if let Err(refused) = Operation::DeleteUser.check(args.read_only) {
        return Failure::Api(refused).report();
    }
    let targets = match targets(&args) {
        Ok(t) => t,
        Err(f) => return f.report(),
    };
    let names: Vec<String> = targets.iter().map(label).collect();
    let email_ref = &email;
    let opened = counted(
        &names,
        "answered",
        targets.into_iter().map(|t| async move {
            let store = open_store(t).await;
            let plan = plan_store(&store, email_ref).await;
            (store, plan)
        }),
    )
    .await;
    let (stores, plans): (Vec<Store>, Vec<Result<Plan, Failure>>) = opened.into_iter().unzip();

    // The plan, a row per store, on stdout (stderr with --json, which keeps stdout for results).
    let rows: Vec<Vec<String>> = stores
        .iter()
        .zip(&plans)
        .map(|(s, p)| {
            let mut profile = s.profile.clone();
            if s.badge.as_ref().is_some_and(|b| b.production) {
                profile.push_str(" (PRODUCTION)");
            }
            let plan = match p {
                Ok(plan) => plan.describe(),
                Err(f) => format!("cannot: {}", describe(f)),
            };
            vec![profile, s.url.clone(), plan]
        })
        .collect();
    let columns = [
        Column {
            title: "PROFILE",
            min: 8,
        },
        Column {
            title: "STORE",
            min: 16,
        },
        Column {
            title: "PLAN",
            min: 20,
        },
    ];
    let plan_text = table(&columns, &rows, console::table_width());
    let printed = if off.json {
        console::print_stderr(&crate::safe_text::neutralise(&plan_text))
            .map_err(|e| Failure::Other(e.to_string()))
    } else {
        console::print(&plan_text).map_err(Failure::from)
    };
    if let Err(f) = printed {
        return f.report();
    }
    let changes: usize = plans.iter().flatten().map(Plan::changes).sum();
    let busy = plans.iter().flatten().filter(|p| !p.is_empty()).count();
    let mut code = exit::OK;
    if changes > 0 && !off.yes {
        let production = stores.iter().zip(&plans).any(|(s, p)| {
            p.as_ref().is_ok_and(|p| !p.is_empty())
                && s.badge.as_ref().is_some_and(|b| b.confirm_by_name)
        });
        let confirmed = if production {
            let _ = console::prompt(&format!(
                "A production store is among them. Type {email} to make {}: ",
                what_changes(changes, busy)
            ));
            super::prompt::stdin_line()
                .map(|a| a.trim().eq_ignore_ascii_case(&email))
                .unwrap_or(false)
        } else {
            super::prompt::confirm(&format!("Make {}?", what_changes(changes, busy)))
                .unwrap_or(false)
        };
        if !confirmed {
            console::note("nothing was changed");
            for s in stores {
                s.close().await;
            }
            return exit::USAGE;
        }
    }
    let runs = stores.iter().zip(&plans).map(|(s, p)| async move {
        match (&s.connection, p) {
            (Ok(c), Ok(plan)) if !plan.is_empty() => Some(carry_out(&c.client, plan).await),
            _ => None,
        }
    });
    let names: Vec<String> = stores.iter().map(|s| s.profile.clone()).collect();
    let outcomes = counted(&names, "done", runs).await;
    let mut results = Vec::new();
    for ((s, p), outcome) in stores.iter().zip(plans).zip(outcomes) {
        let (done, failure) = match (p, outcome) {
            (Err(f), _) => (Vec::new(), Some(f)),
            (Ok(_), Some((done, failure))) => (done, failure),
            (Ok(_), None) => (Vec::new(), None),
        };
        if let Some(f) = &failure {
            code = code.max(f.exit_code());
        }
        results.push((s.profile.clone(), s.url.clone(), done, failure));
    }
    for s in stores {
        s.close().await;
    }
    let printed = if off.json {
        let items: Vec<Value> = results
            .iter()
            .map(|(profile, url, done, failure)| {
                let mut v = json!({ "profile": profile, "url": url, "done": done });
                if let Some(f) = failure {
                    v["error"] = json!(describe(f));
                    v["exit_code"] = json!(f.exit_code());
                }
                v
            })
            .collect();
        serde_json::to_string_pretty(&json!({ "email": email, "results": items }))
            .map_err(|e| Failure::Other(e.to_string()))
            .and_then(|t| console::print(&format!("{t}\n")).map_err(Failure::from))
    } else {
        let rows: Vec<Vec<String>> = results
            .iter()
            .map(|(profile, url, done, failure)| {
                let mut text = if done.is_empty() {
                    "nothing done".to_owned()
                } else {
                    done.join("; ")
                };
                if let Some(f) = failure {
                    text = if done.is_empty() {
                        format!("FAILED: {}", describe(f))
                    } else {
                        format!("{text}; then FAILED: {}", describe(f))
                    };
                }
                vec![profile.clone(), url.clone(), text]
            })
            .collect();
        let columns = [
            Column {
                title: "PROFILE",
                min: 8,
            },
            Column {
                title: "STORE",
                min: 16,
            },
            Column {
                title: "RESULT",
                min: 20,
            },
        ];
        console::print(&format!(
            "\n{}",
            table(&columns, &rows, console::table_width())
        ))
        .map_err(Failure::from)
    };
    if let Err(f) = printed {
        return f.report().max(code);
    }
    for (profile, _, _, failure) in &results {
        if let Some(f) = failure {
            console::error(&format!("{profile}: {}", describe(f)));
        }
    }
    code
}

/// `invites create --email E --profiles a,b`: onboard one person to several stores at once.
/// A role applies where invites carry one (v1) and is noted as not applicable elsewhere.
pub async fn invite(args: ConnectArgs, create: super::InviteCreateArgs) -> i32 {
    let email = create.email.trim().to_lowercase();
    if let Err(f) = super::users::check_email(&email) {
        return f.report();
    }
    if let Err(refused) = Operation::CreateInvite.check(args.read_only) {
        return Failure::Api(refused).report();
    }
    let targets = match targets(&args) {
        Ok(t) => t,
        Err(f) => return f.report(),
    };
    let names: Vec<String> = targets.iter().map(label).collect();
    let runs = targets.into_iter().map(|t| {
        let email = email.clone();
        async move {
            let s = open_store(t).await;
            let outcome = invite_one(&s, email, create.role).await;
            (s, outcome)
        }
    });
    let (stores, outcomes): (Vec<Store>, Vec<_>) =
        counted(&names, "answered", runs).await.into_iter().unzip();

    let mut code = exit::OK;
    let printed = if create.out.json {
        let items: Vec<Value> = stores
            .iter()
            .zip(&outcomes)
            .map(|(s, o)| {
                let mut v = json!({ "profile": s.profile, "url": s.url });
                match o {
                    Ok((i, _)) => {
                        v["invite"] = json!({
                            "id": i.id,
                            "email": i.email,
                            "role": i.role.map(|r| r.to_string()),
                            "expires_at": i.expires_at.0,
                            "token": i.token,
                        });
                    }
                    Err(f) => {
                        v["error"] = json!(describe(f));
                        v["exit_code"] = json!(f.exit_code());
                    }
                }
                v
            })
            .collect();
        serde_json::to_string_pretty(&json!({ "email": email, "results": items }))
            .map_err(|e| Failure::Other(e.to_string()))
            .and_then(|t| console::print(&format!("{t}\n")).map_err(Failure::from))
    } else {
        let mut columns = vec![
            Column {
                title: "PROFILE",
                min: 8,
            },
            Column {
                title: "STORE",
                min: 16,
            },
            Column {
                title: "RESULT",
                min: 20,
            },
        ];
        if create.out.show_tokens {
            columns.push(Column {
                title: "TOKEN",
                min: 20,
            });
        }
        let rows: Vec<Vec<String>> = stores
            .iter()
            .zip(&outcomes)
            .map(|(s, o)| {
                let mut row = vec![s.profile.clone(), s.url.clone()];
                match o {
                    Ok((i, roles)) => {
                        let role = match (i.role, roles, create.role) {
                            (Some(r), _, _) => format!(" as {r}"),
                            (None, false, Some(_)) => " (no roles here)".to_owned(),
                            _ => String::new(),
                        };
                        row.push(format!(
                            "invited{role}: {}, expires {}",
                            i.id,
                            i.expires_at.when(time::OffsetDateTime::now_utc())
                        ));
                        if create.out.show_tokens {
                            row.push(i.token.clone());
                        }
                    }
                    Err(f) => {
                        row.push(format!("FAILED: {}", describe(f)));
                        if create.out.show_tokens {
                            row.push("-".to_owned());
                        }
                    }
                }
                row
            })
            .collect();
        let width = if create.out.show_tokens {
            None
        } else {
            console::table_width()
        };
        console::print(&table(&columns, &rows, width)).map_err(Failure::from)
    };
    for s in stores.iter().zip(&outcomes) {
        if let (store, Err(f)) = s {
            console::error(&format!("{}: {}", store.profile, describe(f)));
            code = code.max(f.exit_code());
        }
    }
    for s in stores {
        s.close().await;
    }
    if let Err(f) = printed {
        return f.report().max(code);
    }
    code
}

/// Invites `email` to one store: the invite, and whether invites carry a role there.
async fn invite_one(
    s: &Store,
    email: String,
    role: Option<crate::api::Role>,
) -> Result<(Invite, bool), Failure> {
    let client = match &s.connection {
        Ok(c) => &c.client,
        Err(f) => return Err(f.clone()),
    };
    Operation::CreateInvite
        .check(s.read_only)
        .map_err(Failure::Api)?;
    let caps = client.capabilities().await?;
    let role = match (role, caps.invites.roles) {
        (Some(r), true) => Some(r),
        (None, true) => Some(crate::api::Role::Member),
        (_, false) => None,
    };
    let invite = client
        .create_invite(&crate::api::CreateInvite { email, role })
        .await?;
    Ok((invite, caps.invites.roles))
}

/// `these 3 changes in 2 stores`, `this change in 1 store`.
fn what_changes(changes: usize, stores: usize) -> String {
    let store = if stores == 1 { "store" } else { "stores" };
    if changes == 1 {
        format!("this change in {stores} {store}")
    } else {
        format!("these {changes} changes in {stores} {store}")
    }
}
