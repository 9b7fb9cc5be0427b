//! `invites create --email E --profiles a,b`: onboard one person to several stores at once, an
//! invite in each, with its role where invites carry one.

use serde_json::{Value, json};

use super::stores::{
    PROFILE_COLUMN, RESULT_COLUMN, STORE_COLUMN, Store, counted, describe, label, open_store,
    print_results_json, targets,
};
use crate::api::{Invite, Operation};
use crate::cli::failure::Failure;
use crate::cli::output::{Column, table};
use crate::cli::{console, exit};
use crate::connect::ConnectArgs;

/// `invites create --email E --profiles a,b`: onboard one person to several stores at once.
/// A role applies where invites carry one (v1) and is noted as not applicable elsewhere.
pub async fn invite(args: ConnectArgs, create: crate::cli::InviteCreateArgs) -> i32 {
    let email = create.email.trim().to_lowercase();
    if let Err(f) = crate::cli::users::check_email(&email) {
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
        print_results_json(&email, items)
    } else {
        let mut columns = vec![PROFILE_COLUMN, STORE_COLUMN, RESULT_COLUMN];
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
