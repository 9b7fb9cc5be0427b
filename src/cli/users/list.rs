//! `users list`: one page or every page, checked against what the server can filter and sort
//! by, printed as a table, JSON or CSV.

use crate::api::{Client, ListParams};
use crate::cli::connection::{cannot_sort, not_here};
use crate::cli::failure::Failure;
use crate::cli::output::{UserFields, page_summary, user_csv, user_table};
use crate::cli::{ListArgs, ListFormat, console, list_format};

pub(super) async fn list(client: &Client, args: ListArgs) -> Result<(), Failure> {
    let format = list_format(args.format, args.json).map_err(Failure::Usage)?;
    let caps = client.capabilities().await?;
    if !args.role.is_empty() && !caps.roles {
        return Err(not_here(
            "--role",
            &caps,
            "has no user roles, so there is no role to filter by",
        ));
    }
    if let Some(order) = args.order
        && !caps.can_order_by(order.field)
    {
        let fields: Vec<&str> = caps.order_fields.iter().map(|f| f.column()).collect();
        return Err(cannot_sort(
            order,
            &caps,
            "users",
            order.field.column(),
            &fields,
        ));
    }
    if caps.search_wildcards
        && let Some(q) = args.search.as_deref().filter(|q| q.contains(['%', '_']))
    {
        console::note(&format!(
            "note: this server does not escape % and _ in a search: in \"{q}\" they match any \
             characters, so more users may match than the text says"
        ));
    }
    let params = ListParams {
        limit: args.limit,
        offset: args.offset,
        q: args.search,
        order: args.order,
        roles: args.role,
        email: args.email.map(|e| e.trim().to_lowercase()),
    };
    let page = if args.all {
        client.list_all(&params).await?
    } else {
        client.list(&params).await?
    };
    match format {
        // Streamed: with --all the result can be large, and the text need not exist twice.
        ListFormat::Json => return Ok(console::print_json(&page)?),
        ListFormat::Csv => {
            let csv = user_csv(
                &page.users,
                UserFields::of(&caps),
                console::stdout_is_terminal(),
            )
            .map_err(Failure::Other)?;
            console::print_bytes(&csv)?;
        }
        ListFormat::Table => console::print(&user_table(
            &page.users,
            console::table_width(),
            UserFields::of(&caps),
        ))?,
    }
    // The summary goes to stderr so piped output is rows only; `print` has flushed, so on a
    // terminal it still comes after the table.
    console::note(&page_summary(&page));
    Ok(())
}
