//! `medusa-users invites …`: how new admins join, on both dialects. An admin lists, creates,
//! resends and revokes invites; the invitee accepts one with its token and a new password.
//!
//! Invite tokens are secrets (whoever holds one can become that admin), so human output leaves
//! them out or masks them unless `--show-tokens` asks; `--json` is the server's own objects,
//! which carry them, as `users … --json` carries API tokens. What differs between servers is
//! asked of the capabilities: whether invites carry a role, whether the server searches and
//! pages the list itself, whether a resend voids the token sent before.

use serde_json::Value;

use super::connection::{self, Needs, cannot_sort, not_here};
use super::failure::Failure;
use super::output::{
    InviteFields, invite_csv, invite_details, invite_table, range_summary, sentence,
};
use super::progress::Progress;
use super::users::{check_email, check_id, print_json, print_user};
use super::{
    AcceptArgs, Globals, InviteCreateArgs, InviteListArgs, InviteOutput, InvitesCommand,
    JsonOutput, ListFormat, console, list_format, prompt,
};
use crate::api::client::LIST_ALL_PAGE_SIZE;
use crate::api::{
    AcceptInvite, Capabilities, Client, CreateInvite, Invite, InviteListParams, InvitePage,
    Operation, Role,
};
use crate::connect::ConnectArgs;

pub async fn run(args: &ConnectArgs, globals: Globals, cmd: InvitesCommand) -> i32 {
    if let Err(f) = precheck(&cmd, args) {
        return f.report();
    }
    let needs = match cmd {
        InvitesCommand::Accept(_) => Needs::Nothing,
        _ => Needs::Admin,
    };
    let production = globals.production.clone();
    connection::run(args, globals, needs, move |client| async move {
        dispatch(&client, cmd, production.as_deref()).await
    })
    .await
}

fn precheck(cmd: &InvitesCommand, args: &ConnectArgs) -> Result<(), Failure> {
    let op = match cmd {
        InvitesCommand::List(_) => Operation::ListInvites,
        InvitesCommand::Get { .. } => Operation::GetInvite,
        InvitesCommand::Create(_) => Operation::CreateInvite,
        InvitesCommand::Resend { .. } => Operation::ResendInvite,
        InvitesCommand::Revoke { .. } => Operation::RevokeInvite,
        InvitesCommand::Accept(_) => Operation::AcceptInvite,
    };
    op.check(args.read_only).map_err(Failure::Api)?;
    if let Some(email) = args.email.as_deref().filter(|e| !e.trim().is_empty()) {
        check_email(email.trim())?;
    }
    match cmd {
        InvitesCommand::List(a) => list_format(a.format, a.json)
            .map(|_| ())
            .map_err(Failure::Usage),
        InvitesCommand::Get { id, .. } | InvitesCommand::Resend { id, .. } => {
            check_id(id, "invite")
        }
        InvitesCommand::Create(a) => check_email(a.email.trim()),
        InvitesCommand::Revoke { id, yes, .. } => {
            check_id(id, "invite")?;
            if !yes && !prompt::stdin_is_terminal() {
                return Err(Failure::Usage(
                    "refusing to revoke without confirmation: stdin is not a terminal; pass --yes"
                        .into(),
                ));
            }
            Ok(())
        }
        InvitesCommand::Accept(a) => match &a.token {
            Some(t) if t.trim().is_empty() => {
                Err(Failure::Usage("the invite token is empty".into()))
            }
            Some(_) => Ok(()),
            None if a.password.password_stdin => Err(Failure::Usage(
                "with --password-stdin, give the token with --token (stdin carries the password)"
                    .into(),
            )),
            None if !prompt::stdin_is_terminal() => Err(Failure::Usage(
                "no terminal to ask for the token on: pass --token".into(),
            )),
            None => Ok(()),
        },
    }
}

/// Runs a connected command; `production` names the production profile in use, whose
/// revocations want its name typed.
async fn dispatch(
    client: &Client,
    cmd: InvitesCommand,
    production: Option<&str>,
) -> Result<(), Failure> {
    match cmd {
        InvitesCommand::List(args) => list(client, args).await,
        InvitesCommand::Get { id, out } => {
            let caps = client.capabilities().await?;
            let invite = client.retrieve_invite(&id).await?;
            print_invite(&invite, &out, &caps)
        }
        InvitesCommand::Create(args) => create(client, args).await,
        InvitesCommand::Resend { id, out } => resend(client, &id, &out).await,
        InvitesCommand::Revoke { id, yes, out } => revoke(client, &id, yes, production, &out).await,
        InvitesCommand::Accept(args) => accept(client, args).await,
    }
}

fn fields(caps: &Capabilities, show_tokens: bool) -> InviteFields {
    InviteFields {
        role: caps.invites.roles,
        token: show_tokens,
    }
}

async fn list(client: &Client, args: InviteListArgs) -> Result<(), Failure> {
    let format = list_format(args.format, args.json).map_err(Failure::Usage)?;
    let caps = client.capabilities().await?;
    if let Some(order) = args.order
        && !caps.invites.can_order_by(order.field)
    {
        let fields: Vec<&str> = caps
            .invites
            .order_fields
            .iter()
            .map(|f| f.as_str())
            .collect();
        return Err(cannot_sort(
            order,
            &caps,
            "invites",
            order.field.as_str(),
            &fields,
        ));
    }
    let params = InviteListParams {
        limit: args.limit,
        offset: args.offset,
        q: args.search.clone().filter(|q| !q.trim().is_empty()),
        email: None,
        order: args.order,
    };
    // v2 searches invites on the server with the same unescaped LIKE as users: say so, as
    // `users list` does. v1 searches here, where the text matches literally.
    if caps.invites.server_query
        && caps.search_wildcards
        && let Some(q) = params.q.as_deref().filter(|q| q.contains(['%', '_']))
    {
        console::note(&format!(
            "note: this server does not escape % and _ in a search: in \"{q}\" they match any \
             characters, so more invites may match than the text says"
        ));
    }
    if !caps.invites.server_query
        && (params.q.is_some() || params.limit.is_some() || params.offset.is_some())
    {
        console::note(
            "note: this server returns every invite at once; the search and paging are done \
             here",
        );
    }
    let page = if args.all {
        list_all(client, &params).await?
    } else {
        client.list_invites(&params).await?
    };
    let now = time::OffsetDateTime::now_utc();
    match format {
        ListFormat::Json => return print_json(&page),
        ListFormat::Csv => {
            let csv = invite_csv(
                &page.invites,
                fields(&caps, args.show_tokens),
                now,
                console::stdout_is_terminal(),
            )
            .map_err(Failure::Other)?;
            console::print_bytes(&csv)?;
        }
        ListFormat::Table => {
            // Tokens are for copying: a table that shows them is never cut to the terminal.
            let width = if args.show_tokens {
                None
            } else {
                console::table_width()
            };
            console::print(&invite_table(
                &page.invites,
                width,
                fields(&caps, args.show_tokens),
                now,
            ))?;
        }
    }
    console::note(&range_summary(
        page.invites.len() as u64,
        page.offset,
        page.count,
        "invites",
    ));
    Ok(())
}

/// Every invite matching `params` (its limit and offset are ignored): one list, as `--all
/// --json` prints it. Invites that move between pages while paging are de-duplicated by id.
async fn list_all(client: &Client, params: &InviteListParams) -> Result<InvitePage, Failure> {
    let mut invites: Vec<Invite> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut offset = 0u64;
    // Dropped (wiped) when this returns, before the list is printed.
    let progress = Progress::items("invites");
    loop {
        let page = client
            .list_invites(&InviteListParams {
                limit: Some(LIST_ALL_PAGE_SIZE),
                offset: Some(offset),
                ..params.clone()
            })
            .await?;
        let got = page.invites.len() as u64;
        progress.set_total(page.count);
        progress.advance(got);
        for invite in page.invites {
            if seen.insert(invite.id.clone()) {
                invites.push(invite);
            }
        }
        offset += got;
        if got == 0 || offset >= page.count {
            let total = invites.len() as u64;
            return Ok(InvitePage {
                invites,
                count: page.count.max(total),
                offset: 0,
                limit: total,
                server_paged: page.server_paged,
            });
        }
    }
}

async fn create(client: &Client, args: InviteCreateArgs) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    let role = match args.role {
        Some(_) if !caps.invites.roles => {
            return Err(not_here("--role", &caps, "has no roles for invites"));
        }
        // The v1 server requires a role and has no default of its own.
        None if caps.invites.roles => Some(Role::Member),
        role => role,
    };
    let invite = client
        .create_invite(&CreateInvite {
            email: args.email,
            role,
        })
        .await?;
    print_invite(&invite, &args.out, &caps)?;
    if !args.out.json {
        console::note(&format!(
            "Invited {}; the invite is valid for {}. The invitee accepts it with `medusa-users \
             invites accept --token TOKEN` ({}).",
            invite.email,
            validity(caps.invites.valid_hours),
            if args.out.show_tokens {
                "the token is above"
            } else {
                "--show-tokens shows the token"
            }
        ));
    }
    Ok(())
}

/// `24 h`, `7 days`: hours up to a day, whole days beyond.
fn validity(hours: u32) -> String {
    if hours > 24 && hours.is_multiple_of(24) {
        format!("{} days", hours / 24)
    } else {
        format!("{hours} h")
    }
}

async fn resend(client: &Client, id: &str, out: &InviteOutput) -> Result<(), Failure> {
    let caps = client.capabilities().await?;
    let invite = client.resend_invite(id).await?;
    print_invite(&invite, out, &caps)?;
    if !out.json {
        let older = if caps.invites.resend_voids_old_tokens {
            "The token sent before no longer works."
        } else {
            "Tokens sent before keep working until the invite is accepted, revoked or expires."
        };
        console::note(&format!(
            "Sent a new token for {} ({}). {older}",
            invite.email, invite.id
        ));
    }
    Ok(())
}

async fn revoke(
    client: &Client,
    id: &str,
    yes: bool,
    production: Option<&str>,
    out: &JsonOutput,
) -> Result<(), Failure> {
    // Both servers answer 200 for any id: look first, so a typo is "not found" and the
    // question names the invitee.
    let invite = client.retrieve_invite(id).await?;
    if !yes {
        let question = format!(
            "Revoke the invite for {} ({})? Its token will stop working.",
            invite.email, invite.id
        );
        prompt::confirm_change_or_keep(
            &question,
            production,
            &format!("not revoked: the invite for {} was kept", invite.email),
        )?;
    }
    let revoked = client.revoke_invite(&invite.id).await?;
    if out.json {
        return print_json(&revoked);
    }
    console::print(&sentence(&format!(
        "Revoked the invite for {} ({})",
        invite.email, revoked.id
    )))?;
    Ok(())
}

async fn accept(client: &Client, args: AcceptArgs) -> Result<(), Failure> {
    let token = match args.token {
        Some(t) => t,
        None => prompt::hidden("Invite token: ")
            .map_err(|e| Failure::Other(format!("cannot read: {e}")))?,
    };
    let token = token.trim().to_owned();
    if token.is_empty() {
        return Err(Failure::Usage("the invite token is empty".into()));
    }
    // Both dialects' invite tokens are JWTs naming the invited address; it is only read, for
    // the prompt and the closing line (the server checks the token).
    let invited = crate::api::jwt_claims(&token).and_then(|c| {
        ["email", "user_email"]
            .iter()
            .find_map(|k| c.get(*k).and_then(Value::as_str).map(str::to_owned))
    });
    let what = match &invited {
        Some(email) => format!("Password for {email}"),
        None => "New password".to_owned(),
    };
    let password =
        prompt::new_password(args.password.password_stdin, &what).map_err(Failure::Usage)?;
    let accepted = client
        .accept_invite(&AcceptInvite {
            token,
            password,
            first_name: args.first_name.filter(|s| !s.is_empty()),
            last_name: args.last_name.filter(|s| !s.is_empty()),
        })
        .await?;
    match accepted {
        Some(user) => {
            print_user(client, &user, &args.out).await?;
            if !args.out.json {
                console::note(&format!(
                    "Welcome, {}: log in with `medusa-users --email {} login`.",
                    user.email, user.email
                ));
            }
        }
        // v1 answers a bare OK: there is no user to print.
        None if args.out.json => print_json(&serde_json::json!({ "success": true }))?,
        None => {
            let who = invited.as_deref().unwrap_or("the invited e-mail");
            console::print(&sentence(&format!(
                "Invite accepted: log in as {who} with the new password (medusa-users --email \
                 {who} login)."
            )))?;
        }
    }
    Ok(())
}

/// `{"invite": …}`, v2's envelope (v1 has no single-invite answer; its invite goes in the same
/// envelope, in v1's own shape). A struct, not `json!`, so the invite's keys keep their order.
#[derive(serde::Serialize)]
struct InviteEnvelope<'a> {
    invite: &'a Invite,
}

/// One invite, as the key–value view (token masked unless asked) or `{"invite": …}`.
fn print_invite(invite: &Invite, out: &InviteOutput, caps: &Capabilities) -> Result<(), Failure> {
    if out.json {
        return print_json(&InviteEnvelope { invite });
    }
    let now = time::OffsetDateTime::now_utc();
    console::print(&invite_details(invite, fields(caps, out.show_tokens), now))?;
    Ok(())
}
