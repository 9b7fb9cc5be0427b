//! Work across stores: `users find EMAIL` answers "where does this person have access?" in
//! the current store or, with `--profiles a,b` / `--all-profiles`, in several at once. Every
//! store is asked concurrently; a store that fails is a row with its error, never hidden, and
//! the exit code is 0 only when every store answered (else the worst failure's).

use serde_json::{Value, json};

use super::failure::Failure;
use super::output::{Column, table};
use super::{FindArgs, Globals, console, exit};
use crate::api::{ApiError, Client, Invite, InviteListParams, User};
use crate::connect::{self, ConnectArgs, ConnectError, PasswordSource};

/// What one store said about the person.
#[derive(Debug)]
struct Found {
    user: Option<User>,
    invites: Vec<Invite>,
}

/// One store's row: which profile, which URL, and what it answered.
struct StoreResult {
    profile: String,
    url: String,
    outcome: Result<Found, Failure>,
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
    let results =
        futures::future::join_all(targets.into_iter().map(|t| ask_store(t, email.clone()))).await;
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

/// Connects to one store (no prompts: many stores at once cannot share a terminal) and asks it.
async fn ask_store(mut args: ConnectArgs, email: String) -> StoreResult {
    let mut profile = args.profile.clone().unwrap_or_else(|| "-".to_owned());
    let applied = connect::apply_config(&mut args);
    if let Ok(a) = &applied
        && let Some(p) = &a.profile
    {
        profile = p.name.clone();
    }
    let url = args
        .url
        .clone()
        .unwrap_or_else(|| crate::api::client::DEFAULT_BASE_URL.to_owned());
    let outcome = match applied {
        Err(e) => Err(connect_failure(e)),
        Ok(_) => {
            let no_prompt = |_: &str| -> std::io::Result<String> {
                Err(std::io::Error::other(
                    "no prompt while asking several stores: run `medusa-users login --profile \
                     NAME` once, or give the profile a password_env",
                ))
            };
            let ask: &dyn Fn(&str) -> std::io::Result<String> = &no_prompt;
            let password = if args.profile.is_some() && args.email.is_some() {
                PasswordSource::Ask(ask)
            } else {
                PasswordSource::Ask(&super::prompt::hidden)
            };
            match connect::connect(&args, password).await {
                Err(e) => Err(connect_failure(e)),
                Ok(connection) => {
                    let found = look_up(&connection.client, &email).await;
                    if let Some(sandbox) = connection.sandbox {
                        sandbox.shutdown().await;
                    }
                    found.map_err(Failure::Api)
                }
            }
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

/// The person's user and pending invites in one store.
async fn look_up(client: &Client, email: &str) -> Result<Found, ApiError> {
    let user = client.find_by_email(email).await?;
    let mut invites = Vec::new();
    let mut offset = 0u64;
    loop {
        let page = client
            .list_invites(&InviteListParams {
                q: Some(email.to_lowercase()),
                limit: Some(100),
                offset: Some(offset),
                ..InviteListParams::default()
            })
            .await?;
        let got = page.invites.len() as u64;
        invites.extend(
            page.invites
                .into_iter()
                .filter(|i| !i.accepted && i.email.eq_ignore_ascii_case(email)),
        );
        offset += got;
        if got == 0 || offset >= page.count {
            break;
        }
    }
    Ok(Found { user, invites })
}

fn describe(f: &Failure) -> String {
    match f {
        Failure::Api(e) => e.status_line(),
        Failure::Usage(m) | Failure::Other(m) | Failure::Interrupted(m) => m.clone(),
        Failure::StdoutClosed => "output closed".to_owned(),
        Failure::Hinted(inner, hint) => format!("{} ({hint})", describe(inner)),
    }
}

fn access(found: &Found) -> &'static str {
    match (&found.user, found.invites.is_empty()) {
        (Some(_), _) => "user",
        (None, false) => "invited",
        (None, true) => "none",
    }
}

fn detail(found: &Found) -> String {
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
