//! The Invites tab as drawn: the invite table (one page) and the detail pane beside it (or
//! full screen on narrow terminals, see `dialogs.rs`). Every server string is neutralised.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};
use time::OffsetDateTime;

use crate::api::InviteOrderField;
use crate::api::{Invite, InviteStatus};
use crate::safe_text::neutralise;
use crate::secret::mask_token;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::layout::detail_width;
use crate::tui::ui::lists::{
    ListTable, email_cell, list_block, render_detail_pane, render_empty_detail, render_empty_list,
    render_list_table,
};
use crate::tui::ui::{Theme, fit};

/// The clock relative times are told by: the app's fixed one in tests, else the wall clock.
pub(super) fn now(app: &App) -> OffsetDateTime {
    app.now.unwrap_or_else(OffsetDateTime::now_utc)
}

pub fn render_body(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let detail = detail_width(area.width);
    if detail > 0 {
        let [list, pane] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail)]).areas(area);
        render_table(frame, app, list, theme);
        render_detail(frame, app, pane, theme);
    } else {
        render_table(frame, app, area, theme);
    }
}

/// Whether invites carry a role here (v1): the capabilities, or until they are known, the
/// invites themselves.
fn has_roles(app: &App) -> bool {
    match app.caps() {
        Some(caps) => caps.invites.roles,
        None => app.invites.invites().iter().any(|i| i.role.is_some()),
    }
}

/// The columns for a table `width` cells wide: the e-mail takes what the others leave; the
/// expiry is relative and absolute where there is room, relative alone where not; the created
/// date goes first when the e-mail would get too little.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    email: u16,
    role: bool,
    full_expiry: bool,
    created: bool,
}

const ROLE_WIDTH: u16 = 9; // "developer"
const STATUS_WIDTH: u16 = 7; // "pending"
const EXPIRY_FULL: u16 = 26; // "in 23 h (2026-11-28 10:22)"
const EXPIRY_SHORT: u16 = 10; // "47 min ago"
const CREATED_WIDTH: u16 = 16; // "2026-11-27 10:23"
const EMAIL_MIN: u16 = 20;

impl Columns {
    fn for_width(width: u16, role: bool) -> Columns {
        let fixed = STATUS_WIDTH + if role { ROLE_WIDTH + 1 } else { 0 } + 1;
        let rest = |expiry: u16, created: bool| {
            width
                .saturating_sub(fixed + expiry + 1)
                .saturating_sub(if created { CREATED_WIDTH + 1 } else { 0 })
        };
        for (full, created) in [(true, true), (true, false), (false, false)] {
            let expiry = if full { EXPIRY_FULL } else { EXPIRY_SHORT };
            let email = rest(expiry, created);
            if email >= EMAIL_MIN || !full {
                return Columns {
                    email,
                    role,
                    full_expiry: full,
                    created,
                };
            }
        }
        Columns {
            email: rest(EXPIRY_SHORT, false),
            role,
            full_expiry: false,
            created: false,
        }
    }

    fn constraints(&self) -> Vec<Constraint> {
        let mut widths = vec![Constraint::Length(self.email)];
        if self.role {
            widths.push(Constraint::Length(ROLE_WIDTH));
        }
        widths.push(Constraint::Length(STATUS_WIDTH));
        widths.push(Constraint::Length(if self.full_expiry {
            EXPIRY_FULL
        } else {
            EXPIRY_SHORT
        }));
        if self.created {
            widths.push(Constraint::Length(CREATED_WIDTH));
        }
        widths
    }
}

/// Whether the search runs here rather than on the server (v1 has no query parameters).
fn local_search(app: &App) -> bool {
    match app.caps() {
        Some(caps) => !caps.invites.server_query,
        None => app.invites.page.as_ref().is_some_and(|p| !p.server_paged),
    }
}

fn render_table(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let list = &app.invites;
    let now = now(app);
    let columns = Columns::for_width(area.width.saturating_sub(5), has_roles(app));
    let order = list.order;
    let field = match order.field {
        InviteOrderField::CreatedAt => "created",
        InviteOrderField::Email => "e-mail",
        InviteOrderField::ExpiresAt => "expiry",
        InviteOrderField::Role => "role",
    };
    let mut title = vec![
        Span::styled(" Invites ", theme.strong),
        Span::styled(
            format!("· {field} {} ", if order.descending { "▼" } else { "▲" }),
            theme.dim,
        ),
    ];
    if !list.marked.is_empty() {
        title.push(Span::styled(
            format!("· {} marked ", list.marked.len()),
            theme.key,
        ));
    }
    let local = local_search(app);
    // v1 has no search parameter: the console filters the whole list itself, and says so.
    let note = (local && (app.search.is_some() || !list.q.is_empty()))
        .then(|| Span::styled("(searched here) ", theme.dim));
    let used: usize =
        title.iter().map(Span::width).sum::<usize>() + note.as_ref().map_or(0, Span::width) + 3;
    title.extend(crate::tui::screens::search::search_spans(
        app,
        &list.q,
        usize::from(area.width).saturating_sub(used),
        theme,
    ));
    title.extend(note);
    let focused = matches!(app.context(), Context::Invites | Context::Search);
    let block = list_block(
        app,
        title,
        list.is_loading(),
        list.summary(),
        focused,
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut header = vec![Cell::from("Email")];
    if columns.role {
        header.push(Cell::from("Role"));
    }
    header.push(Cell::from("Status"));
    header.push(Cell::from("Expires"));
    if columns.created {
        header.push(Cell::from("Created"));
    }
    let cut = |text: &str, width: u16| fit(&neutralise(text), usize::from(width));
    let rows: Vec<Row> = list
        .invites()
        .iter()
        .map(|i| {
            let mut cells = vec![email_cell(
                &i.email,
                app.is_invite_marked(&i.id),
                columns.email,
                theme,
            )];
            if columns.role {
                cells.push(Cell::from(
                    i.role.map(|r| r.to_string()).unwrap_or_default(),
                ));
            }
            cells.push(status_cell(i, now, theme));
            let expiry = if columns.full_expiry {
                cut(&i.expires_at.when(now), EXPIRY_FULL)
            } else {
                cut(&i.expires_at.relative_to(now), EXPIRY_SHORT)
            };
            cells.push(Cell::from(expiry));
            if columns.created {
                cells.push(Cell::from(cut(&i.created_at.short(), CREATED_WIDTH)));
            }
            Row::new(cells)
        })
        .collect();
    let empty = rows.is_empty();
    let table = ListTable {
        header,
        rows,
        widths: columns.constraints(),
        selected: list.selected,
        page_rows: list.invites().len(),
    };
    render_list_table(frame, app, (area, inner), table, theme);

    if empty && list.page.is_some() {
        let text = if !list.q.is_empty() {
            "No invite matches. Esc clears the search."
        } else if app.session.read_only {
            "No pending invites."
        } else {
            "No pending invites. Press c to invite someone."
        };
        render_empty_list(frame, inner, text, theme);
    }
}

fn status_cell(invite: &Invite, now: OffsetDateTime, theme: &Theme) -> Cell<'static> {
    match invite.status_at(now) {
        InviteStatus::Pending => Cell::from("pending"),
        InviteStatus::Expired => Cell::from(Span::styled("expired", theme.warn)),
    }
}

/// Every field of the selected invite; the token masked unless revealed with `v`.
pub fn render_detail(frame: &mut Frame, app: &App, area: Rect, theme: &Theme) {
    let Some(invite) = app.invites.selected_invite() else {
        render_empty_detail(frame, " no invite selected", area, theme);
        return;
    };
    let now = now(app);
    // Nine columns: a whole invite id (33) still fits beside it in the narrowest pane (42).
    let label = |s: &str| Span::styled(format!("{s:<9}"), theme.label);
    let raw = |s: &str| Span::raw(neutralise(s).into_owned());
    let mut lines = vec![
        Line::from(vec![label("id"), raw(&invite.id)]),
        Line::from(vec![label("email"), raw(&invite.email)]),
    ];
    if has_roles(app) || invite.role.is_some() {
        lines.push(Line::from(vec![
            label("role"),
            Span::raw(invite.role.map(|r| r.to_string()).unwrap_or_default()),
        ]));
    }
    let status = match invite.status_at(now) {
        InviteStatus::Pending => Span::raw("pending"),
        InviteStatus::Expired => Span::styled("expired", theme.warn),
    };
    lines.push(Line::from(vec![label("status"), status]));
    lines.push(Line::from(vec![
        label("expires"),
        raw(&invite.expires_at.when(now)),
    ]));
    lines.push(Line::from(vec![
        label("created"),
        raw(&invite.created_at.when(now)),
    ]));
    lines.push(Line::from(vec![
        label("accepted"),
        Span::raw(if invite.accepted { "yes" } else { "no" }),
    ]));
    let token = if app.reveal_invite {
        raw(&invite.token)
    } else {
        Span::raw(format!(
            "{}  (v shows)",
            neutralise(&mask_token(&invite.token))
        ))
    };
    lines.push(Line::from(vec![label("token"), token]));
    render_detail_pane(frame, &invite.email, lines, area, theme);
}

#[cfg(test)]
mod tests {
    use super::Columns;

    #[test]
    fn columns_give_way_as_the_table_narrows() {
        // Beside the detail pane at 100 columns: relative expiry only.
        let c = Columns::for_width(51, true);
        assert!(!c.full_expiry && !c.created && c.email >= 20, "{c:?}");
        // 80 columns, v1: the full expiry, no created date.
        let c = Columns::for_width(75, true);
        assert!(c.full_expiry && !c.created, "{c:?}");
        // Wide: everything.
        let c = Columns::for_width(120, true);
        assert!(c.full_expiry && c.created, "{c:?}");
        for w in 0..200 {
            let _ = Columns::for_width(w, w % 2 == 0);
        }
    }
}
