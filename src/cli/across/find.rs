//! `users find EMAIL`: where does this person have access? Their user and pending invites in
//! each store, as a table or JSON; a store that fails is a row with its error.

use serde_json::{Value, json};

use super::stores::{
    PROFILE_COLUMN, STORE_COLUMN, Store, counted, describe, label, open_store, print_results_json,
    targets,
};
use crate::api::Access;
use crate::cli::failure::Failure;
use crate::cli::output::{Column, table};
use crate::cli::{FindArgs, Globals, console, exit};
use crate::connect::ConnectArgs;

/// One store's row: which profile, which URL, and what it answered.
struct StoreResult {
    profile: String,
    url: String,
    outcome: Result<Access, Failure>,
}

/// `users find EMAIL`.
pub async fn find(args: ConnectArgs, _globals: Globals, find: FindArgs) -> i32 {
    let email = find.email.trim().to_owned();
    if let Err(f) = crate::cli::users::check_email(&email) {
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
        PROFILE_COLUMN,
        STORE_COLUMN,
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
    print_results_json(email, items)
}
