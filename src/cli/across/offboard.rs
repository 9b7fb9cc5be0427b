//! `users offboard EMAIL`: someone left. Plan in every store (their secret keys, pending
//! invites and user), show the plan, confirm once, then carry it out store by store.

use serde_json::{Value, json};

use super::stores::{
    PROFILE_COLUMN, RESULT_COLUMN, STORE_COLUMN, Store, counted, describe, label, open_store,
    print_results_json, targets,
};
use crate::api::{Client, Invite, Operation, User};
use crate::cli::failure::Failure;
use crate::cli::output::{Column, table};
use crate::cli::{console, exit};
use crate::connect::ConnectArgs;

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
pub async fn offboard(args: ConnectArgs, off: crate::cli::OffboardArgs) -> i32 {
    let email = off.email.trim().to_owned();
    if let Err(f) = crate::cli::users::check_email(&email) {
        return f.report();
    }
    if !off.yes && !crate::cli::prompt::stdin_is_terminal() {
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
        PROFILE_COLUMN,
        STORE_COLUMN,
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
            crate::cli::prompt::stdin_line()
                .map(|a| a.trim().eq_ignore_ascii_case(&email))
                .unwrap_or(false)
        } else {
            crate::cli::prompt::confirm(&format!("Make {}?", what_changes(changes, busy)))
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
        print_results_json(&email, items)
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
        let columns = [PROFILE_COLUMN, STORE_COLUMN, RESULT_COLUMN];
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

/// `these 3 changes in 2 stores`, `this change in 1 store`.
fn what_changes(changes: usize, stores: usize) -> String {
    let store = if stores == 1 { "store" } else { "stores" };
    if changes == 1 {
        format!("this change in {stores} {store}")
    } else {
        format!("these {changes} changes in {stores} {store}")
    }
}
