//! The Invites tab, on both dialects: pure state updates (what each key sends, what each reply
//! changes) and TestBackend snapshots at 100×30, 80×24 and 60×20. The app's clock is fixed, so
//! "in 23 h" stays still in the snapshots.

use crate::support;

use crossterm::event::KeyCode;
use medusa_users::api::{
    ApiError, Capabilities, CreateInvite, Deleted, Dialect, Invite, InviteListParams, InviteOrder,
    InvitePage, Role, Timestamp,
};
use medusa_users::tui::app::{
    ApiReply, ApiRequest, App, AppConfig, Command, Level, Modal, Msg, RevokeDialog, Tab, Timer,
};
use medusa_users::tui::keymap::Context;
use support::render::{draw, help_texts, screen};
use support::tui_msgs::{code, ctrl, key, only_request, requests, type_text};
use support::{config, config_v2, page, user};

const SIZES: [(u16, u16); 3] = [(100, 30), (80, 24), (60, 20)];
const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-27 10:00 UTC);

fn copies(cmds: &[Command]) -> Vec<String> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Copy { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Invite `i` as `dialect` sends it: v1 with a role; the fourth one expired.
fn invite(i: u64, dialect: Dialect) -> Invite {
    let roles = [Role::Member, Role::Admin, Role::Developer];
    let expires = if i % 4 == 3 {
        NOW - time::Duration::hours(2)
    } else {
        NOW + time::Duration::hours(23 + 24 * (i % 3) as i64) + time::Duration::minutes(22)
    };
    let stamp = |t: time::OffsetDateTime| {
        Timestamp(
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
    };
    Invite {
        id: format!("invite_01TEST{i:016}"),
        email: format!("guest{i}@example.com"),
        role: (dialect == Dialect::V1).then(|| roles[(i % 3) as usize]),
        accepted: false,
        token: format!("tok{i}.eyJhbGciOiJIUzI1NiJ9.signature-of-invite-{i}"),
        expires_at: stamp(expires),
        metadata: None,
        created_at: stamp(NOW - time::Duration::hours(1 + i as i64)),
        updated_at: stamp(NOW - time::Duration::hours(1)),
        deleted_at: None,
        wire: dialect,
    }
}

fn invite_page(params: &InviteListParams, count: u64, dialect: Dialect) -> InvitePage {
    let offset = params.offset.unwrap_or(0);
    let limit = u64::from(params.limit.unwrap_or(20));
    let end = (offset + limit).min(count);
    InvitePage {
        invites: (offset..end).map(|i| invite(i, dialect)).collect(),
        count,
        offset,
        limit,
        server_paged: dialect == Dialect::V2,
    }
}

/// Answers the start-up requests, signed in as user 0, then opens the Invites tab and answers
/// it with `count` invites.
fn on_invites(cfg: AppConfig, count: u64) -> App {
    let dialect = if cfg
        .capabilities
        .as_ref()
        .is_some_and(|c| c.invites.server_query)
    {
        Dialect::V2
    } else {
        Dialect::V1
    };
    let (mut app, cmds) = App::new(cfg);
    app.now = Some(NOW);
    for (id, request) in requests(&cmds) {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user(0)),
            ApiRequest::List(p) => ApiReply::Page(page(
                p.offset.unwrap_or(0),
                u64::from(p.limit.unwrap_or(20)),
                12,
            )),
            ApiRequest::Capabilities => ApiReply::Capabilities(Capabilities::of(dialect)),
            other => panic!("unexpected start-up request {other:?}"),
        };
        app.update(Msg::Reply(id, Ok(reply)));
    }
    let (id, request) = only_request(&app.update(code(KeyCode::Tab)));
    let ApiRequest::ListInvites(params) = request else {
        panic!("Tab loads the invites: {request:?}");
    };
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Invites(invite_page(&params, count, dialect))),
    ));
    app
}

fn sized(cfg: AppConfig, size: (u16, u16)) -> AppConfig {
    AppConfig {
        size,
        page_size: None,
        ..cfg
    }
}

fn v1(size: (u16, u16)) -> App {
    on_invites(sized(config(true), size), 6)
}

fn v2(size: (u16, u16)) -> App {
    on_invites(sized(config_v2(true), size), 6)
}

fn check(name: &str, app: &App) {
    let terminal = draw(app, app.size);
    insta::assert_snapshot!(
        format!("{name}_{}x{}", app.size.0, app.size.1),
        terminal.backend()
    );
}

fn assert_no_token_in_notices(app: &App, token: &str) {
    for status in app.status.iter().chain(app.log.iter()) {
        assert!(!status.text.contains(token), "token in {:?}", status.text);
    }
}

// ----- tabs -----------------------------------------------------------------------------------

#[test]
fn tab_and_number_keys_switch_lists_and_each_switch_reloads() {
    let mut app = v1((100, 30));
    assert_eq!(app.tab, Tab::Invites);
    assert_eq!(app.context(), Context::Invites);
    let page_size = app.list.page_size;
    assert_eq!(
        app.invites.page_size, page_size,
        "the same rows as the users"
    );
    // Back to Users: the list reloads, so a user who accepted an invite meanwhile shows.
    let (_, request) = only_request(&app.update(key('1')));
    assert!(matches!(request, ApiRequest::List(_)), "{request:?}");
    assert_eq!(app.context(), Context::List);
    // `1` on Users does nothing; `2` goes to Invites and reloads them.
    assert!(requests(&app.update(key('1'))).is_empty());
    let (_, request) = only_request(&app.update(key('2')));
    assert_eq!(
        request,
        ApiRequest::ListInvites(InviteListParams {
            limit: Some(page_size),
            offset: Some(0),
            q: None,
            email: None,
            order: Some(InviteOrder::default()),
        })
    );
    assert!(requests(&app.update(key('2'))).is_empty());
    let (_, request) = only_request(&app.update(code(KeyCode::Tab)));
    assert!(matches!(request, ApiRequest::List(_)));
    assert_eq!(app.tab, Tab::Users);
}

#[test]
fn the_tab_titles_and_keys_show_in_title_footer_and_help() {
    for size in SIZES {
        let mut app = v1(size);
        let text = screen(&app);
        assert!(text.contains("Users │ Invites"), "{text}");
        assert!(text.contains("Tab users"), "{text}");
        app.update(key('1'));
        let text = screen(&app);
        assert!(text.contains("Users │ Invites"), "{text}");
        assert!(text.contains("Tab invites"), "{text}");
    }
    let app = v1((100, 30));
    let help = help_texts(&app);
    for what in [
        "switch to the Invites tab",
        "switch to the Users tab",
        "invite someone",
        "resend: a new token",
        "revoke the invite",
        "copy the invite token",
    ] {
        assert!(help.contains(&what), "{what} not in help");
    }
}

#[test]
fn users_tab_snapshots_show_both_tab_titles() {
    for size in SIZES {
        let mut app = v2(size);
        let (id, request) = only_request(&app.update(key('1')));
        let ApiRequest::List(p) = request else {
            panic!("{request:?}");
        };
        let users = page(p.offset.unwrap_or(0), u64::from(p.limit.unwrap_or(20)), 12);
        app.update(Msg::Reply(id, Ok(ApiReply::Page(users))));
        check("users_tab_v2", &app);
    }
}

// ----- the list ---------------------------------------------------------------------------------

#[test]
fn list_v1_has_a_role_column_and_searches_locally() {
    for size in SIZES {
        let app = v1(size);
        let text = screen(&app);
        assert!(text.contains("Role"), "{text}");
        assert!(text.contains("expired"), "{text}");
        assert!(text.contains("pending"), "{text}");
        check("list_v1", &app);
    }
    let mut app = v1((100, 30));
    app.update(key('/'));
    assert_eq!(app.context(), Context::Search);
    type_text(&mut app, "Guest1");
    assert_eq!(app.invites.q, "Guest1");
    assert!(app.list.q.is_empty(), "the user search is left alone");
    let (_, request) = only_request(&app.update(Msg::Timer(Timer::SearchDebounce)));
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    assert_eq!(params.q.as_deref(), Some("Guest1"));
    assert_eq!(params.offset, Some(0));
    let text = screen(&app);
    assert!(text.contains("(searched here)"), "{text}");
    check("search_v1", &app);
    // Esc clears the search and reloads.
    app.update(code(KeyCode::Esc));
    assert!(app.invites.q.is_empty());
}

#[test]
fn list_v2_has_no_role_column_and_the_server_searches() {
    for size in SIZES {
        let app = v2(size);
        let text = screen(&app);
        assert!(!text.contains("Role"), "{text}");
        check("list_v2", &app);
    }
    let mut app = v2((100, 30));
    app.update(key('/'));
    type_text(&mut app, "guest");
    assert!(!screen(&app).contains("(searched here)"));
}

#[test]
fn the_detail_pane_masks_the_token_until_v_and_narrow_opens_a_screen() {
    let mut app = v1((100, 30));
    app.update(key('j'));
    let token = invite(1, Dialect::V1).token;
    let text = screen(&app);
    assert!(!text.contains(&token), "{text}");
    assert!(text.contains("(v shows)"), "{text}");
    assert!(text.contains("in 47 h (2026-11-29 09:22)"), "{text}");
    app.update(key('v'));
    check("detail_revealed_v1", &app);
    // Moving on hides it again.
    app.update(key('j'));
    assert!(!app.reveal_invite);

    let mut app = v2((60, 20));
    app.update(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::InviteDetail);
    check("detail_screen_v2", &app);
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Invites);
}

#[test]
fn paging_follows_the_window_like_the_users() {
    let mut app = on_invites(sized(config_v2(true), (80, 24)), 40);
    let size = app.invites.page_size;
    assert_eq!(size, 18);
    let (_, request) = only_request(&app.update(key('n')));
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    assert_eq!(params.offset, Some(18));
    // `G` goes to the last page and the last row.
    let (id, request) = only_request(&app.update(key('G')));
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    assert_eq!(params.offset, Some(36));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Invites(invite_page(&params, 40, Dialect::V2))),
    ));
    assert_eq!(app.invites.selected, 3);
    assert!(screen(&app).contains("37–40 of 40 · page 3/3"));
}

/// A resize keeps the selected invite: the page that holds it is loaded at the new size, and
/// until it arrives the selection stays on a row of the page shown (found by the fuzzer: a
/// window grown tall selected row 61 of a 30-row page).
#[test]
fn a_resize_keeps_the_selected_invite_and_a_valid_selection_meanwhile() {
    let mut app = on_invites(sized(config_v2(true), (80, 24)), 40);
    assert_eq!(app.invites.page_size, 18);
    let (id, request) = only_request(&app.update(key('n')));
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Invites(invite_page(&params, 40, Dialect::V2))),
    ));
    for _ in 0..15 {
        app.update(key('j'));
    }
    let chosen = app.invites.selected_invite().unwrap().id.clone();
    assert_eq!(app.invites.offset + app.invites.selected as u64, 33);
    // Grow the window, twice before the first page arrives.
    app.update(Msg::Resize(80, 40));
    app.update(Msg::Resize(80, 60));
    let mut last = None;
    for _ in 0..3 {
        let cmds = app.update(Msg::Timer(medusa_users::tui::app::Timer::Resize));
        last = requests(&cmds).into_iter().last().or(last);
        assert!(app.invites.selected < app.invites.invites().len());
    }
    let (id, request) = last.expect("the page at the new size");
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    assert!(app.invites.selected < app.invites.invites().len());
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Invites(invite_page(&params, 40, Dialect::V2))),
    ));
    assert_eq!(
        app.invites.selected_invite().map(|i| i.id.clone()),
        Some(chosen),
        "the same invite is selected at the new size"
    );
}

#[test]
fn empty_lists_say_how_to_invite() {
    for size in SIZES {
        let app = on_invites(sized(config(true), size), 0);
        assert!(screen(&app).contains("No pending invites. Press c to invite someone."));
        check("empty_v1", &app);
    }
    let mut cfg = sized(config_v2(true), (80, 24));
    cfg.read_only = true;
    let app = on_invites(cfg, 0);
    let text = screen(&app);
    assert!(text.contains("No pending invites."), "{text}");
    assert!(!text.contains("Press c"), "{text}");
}

#[test]
fn an_invite_accepted_elsewhere_is_gone_after_a_refresh_and_the_user_shows() {
    let mut app = v2((100, 30));
    let (id, request) = only_request(&app.update(key('R')));
    let ApiRequest::ListInvites(params) = request else {
        panic!("{request:?}");
    };
    let mut page = invite_page(&params, 6, Dialect::V2);
    let accepted = page.invites.remove(0);
    page.count = 5;
    app.update(Msg::Reply(id, Ok(ApiReply::Invites(page))));
    assert!(!screen(&app).contains(&accepted.email));
    // Users reloads on the way back: the new user comes with that page.
    let (_, request) = only_request(&app.update(code(KeyCode::Tab)));
    assert!(matches!(request, ApiRequest::List(_)));
}

// ----- create -----------------------------------------------------------------------------------

#[test]
fn create_v1_sends_a_lower_cased_email_and_the_role() {
    let mut cfg = sized(config(true), (100, 30));
    cfg.admin_url = Some("https://admin.example.com/app".into());
    let mut app = on_invites(cfg, 6);
    app.update(key('c'));
    assert_eq!(app.context(), Context::InviteForm);
    type_text(&mut app, "Ann.New@Example.COM");
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Right));
    check("create_form_v1", &app);
    let (id, request) = only_request(&app.update(code(KeyCode::Enter)));
    assert_eq!(
        request,
        ApiRequest::CreateInvite(CreateInvite {
            email: "ann.new@example.com".into(),
            role: Some(Role::Member.next()),
        })
    );
    let new = Invite {
        email: "ann.new@example.com".into(),
        role: Some(Role::Member.next()),
        ..invite(40, Dialect::V1)
    };
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::Invite(new.clone()))));
    // The list reloads from its first page, where the newest invite is.
    let (_, request) = only_request(&cmds);
    assert!(matches!(request, ApiRequest::ListInvites(p) if p.offset == Some(0)));
    assert_eq!(app.context(), Context::InviteToken);
    let text = screen(&app);
    assert!(text.contains(&new.token), "{text}");
    assert!(
        text.contains("https://admin.example.com/app/invite?token="),
        "{text}"
    );
    check("token_dialog_v1", &app);
    assert_no_token_in_notices(&app, &new.token);
    assert_eq!(copies(&app.update(key('y'))), vec![new.token.clone()]);
    let link = copies(&app.update(key('l')));
    assert_eq!(
        link,
        vec![format!(
            "https://admin.example.com/app/invite?token={}",
            new.token
        )]
    );
    assert_no_token_in_notices(&app, &new.token);
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Invites);
}

#[test]
fn create_v2_has_no_role_and_shows_only_the_token_without_an_admin_url() {
    for size in SIZES {
        let mut app = v2(size);
        app.update(key('c'));
        check("create_form_v2", &app);
    }
    let mut app = v2((80, 24));
    app.update(key('c'));
    type_text(&mut app, "bob@example.com");
    // No role field: Right is text editing, not role cycling.
    app.update(code(KeyCode::Right));
    let (id, request) = only_request(&app.update(ctrl('s')));
    assert_eq!(
        request,
        ApiRequest::CreateInvite(CreateInvite {
            email: "bob@example.com".into(),
            role: None,
        })
    );
    let new = Invite {
        email: "bob@example.com".into(),
        ..invite(41, Dialect::V2)
    };
    app.update(Msg::Reply(id, Ok(ApiReply::Invite(new.clone()))));
    for size in SIZES {
        app.update(Msg::Resize(size.0, size.1));
        check("token_dialog_v2", &app);
    }
    let text = screen(&app);
    assert!(text.contains("set MEDUSA_ADMIN_URL"), "{text}");
    // No link to copy: `l` says why, and the footer does not offer it.
    assert!(!text.contains("copy link"), "{text}");
    assert!(copies(&app.update(key('l'))).is_empty());
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
}

#[test]
fn an_invalid_email_stays_in_the_form() {
    let mut app = v2((80, 24));
    app.update(key('c'));
    type_text(&mut app, "not-an-address");
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    assert!(screen(&app).contains("not an e-mail address"));
}

// ----- resend -----------------------------------------------------------------------------------

#[test]
fn resend_notices_say_what_happens_to_the_old_token() {
    for (app, voids) in [(v1((100, 30)), false), (v2((100, 30)), true)] {
        let mut app = app;
        let selected = app.invites.selected_invite().unwrap().clone();
        let (id, request) = only_request(&app.update(key('r')));
        assert_eq!(request, ApiRequest::ResendInvite(selected.id.clone()));
        // A second `r` while the first is in flight sends nothing.
        assert!(requests(&app.update(key('r'))).is_empty());
        let renewed = Invite {
            token: "tok-renewed.signature".into(),
            ..selected
        };
        app.update(Msg::Reply(id, Ok(ApiReply::Invite(renewed))));
        let status = app.status.clone().unwrap().text;
        if voids {
            assert!(status.contains("the old token no longer works"), "{status}");
        } else {
            assert!(status.contains("older tokens keep working"), "{status}");
        }
        assert_no_token_in_notices(&app, "tok-renewed");
        assert_eq!(app.context(), Context::InviteToken);
        for size in SIZES {
            app.update(Msg::Resize(size.0, size.1));
            check(if voids { "resent_v2" } else { "resent_v1" }, &app);
        }
    }
}

// ----- revoke -----------------------------------------------------------------------------------

#[test]
fn revoke_asks_first_naming_the_email_and_reloads() {
    let mut app = v1((100, 30));
    app.update(key('j'));
    let target = app.invites.selected_invite().unwrap().clone();
    app.update(key('d'));
    assert_eq!(app.context(), Context::Revoke);
    assert!(screen(&app).contains(&target.email));
    for size in SIZES {
        app.update(Msg::Resize(size.0, size.1));
        check("revoke_v1", &app);
    }
    // A stray Enter never revokes.
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    app.update(key('n'));
    assert_eq!(app.context(), Context::Invites);
    app.update(key('d'));
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Invites);
    app.update(key('d'));
    let (id, request) = only_request(&app.update(key('y')));
    assert_eq!(request, ApiRequest::RevokeInvite(target.id.clone()));
    let cmds = app.update(Msg::Reply(
        id,
        Ok(ApiReply::Deleted(Deleted {
            id: target.id.clone(),
            object: "invite".into(),
            deleted: true,
        })),
    ));
    assert!(matches!(only_request(&cmds).1, ApiRequest::ListInvites(_)));
    assert_eq!(app.context(), Context::Invites);
    let status = app.status.clone().unwrap().text;
    assert!(status.contains(&target.email), "{status}");
}

#[test]
fn revoke_v2_snapshot_and_a_failure_stays_in_the_dialog() {
    let mut app = v2((80, 24));
    app.update(key('d'));
    let (id, _) = only_request(&app.update(key('y')));
    app.update(Msg::Reply(
        id,
        Err(medusa_users::api::ApiError::NotFound {
            message: "no pending invite with id invite_x".into(),
        }),
    ));
    assert!(matches!(
        app.modals.last(),
        Some(Modal::Revoke(RevokeDialog { error: Some(_), .. }))
    ));
    check("revoke_failed_v2", &app);
}

/// On a production profile the revoke wants the profile's name typed, as a delete does: `y`
/// is text, a wrong name keeps the dialog and says why, the name revokes, the footer says so.
#[test]
fn production_revoke_needs_the_profile_name_typed() {
    let mut app = v1((100, 30));
    app.session.profile = support::production_profile();
    let target = app.invites.selected_invite().unwrap().clone();
    app.update(key('d'));
    assert_eq!(app.context(), Context::Revoke);
    let shown = screen(&app);
    assert!(shown.contains("Type the profile's name"), "{shown}");
    assert!(shown.contains("Enter revoke"), "the footer: {shown}");
    assert!(requests(&app.update(key('y'))).is_empty(), "y is text here");
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    assert!(
        matches!(app.modals.last(), Some(Modal::Revoke(RevokeDialog { error: Some(e), .. })) if e.contains("shop")),
        "a wrong name keeps the dialog and says what to type"
    );
    app.update(code(KeyCode::Backspace));
    type_text(&mut app, "shop");
    let (_, request) = only_request(&app.update(code(KeyCode::Enter)));
    assert_eq!(request, ApiRequest::RevokeInvite(target.id));
    // Esc leaves without revoking.
    let mut app = v1((100, 30));
    app.session.profile = support::production_profile();
    app.update(key('d'));
    assert!(requests(&app.update(code(KeyCode::Esc))).is_empty());
    assert_eq!(app.context(), Context::Invites);
}

// ----- copy from the list -----------------------------------------------------------------------

#[test]
fn y_and_l_copy_the_selected_invites_token_and_link() {
    let mut cfg = sized(config_v2(true), (100, 30));
    cfg.admin_url = Some("https://admin.example.com/app/".into());
    let mut app = on_invites(cfg, 3);
    let token = app.invites.selected_invite().unwrap().token.clone();
    assert_eq!(copies(&app.update(key('y'))), vec![token.clone()]);
    assert_eq!(
        copies(&app.update(key('l'))),
        vec![format!(
            "https://admin.example.com/app/invite?token={token}"
        )]
    );
    assert_no_token_in_notices(&app, &token);
}

// ----- read-only ---------------------------------------------------------------------------------

#[test]
fn read_only_hides_every_mutating_key_on_both_tabs() {
    for cfg in [config(true), config_v2(true)] {
        for size in SIZES {
            let mut cfg = sized(cfg.clone(), size);
            cfg.read_only = true;
            let mut app = on_invites(cfg, 6);
            let help = help_texts(&app);
            for what in ["invite someone", "resend: a new token", "revoke the invite"] {
                assert!(!help.contains(&what), "{what} in read-only help");
            }
            let text = screen(&app);
            assert!(!text.contains("c invite"), "{text}");
            assert!(!text.contains("r resend"), "{text}");
            assert!(!text.contains("d revoke"), "{text}");
            if size == (100, 30) {
                let name = if app.caps().is_some_and(|c| c.invites.roles) {
                    "read_only_v1"
                } else {
                    "read_only_v2"
                };
                check(name, &app);
            }
            // Pressed from habit: nothing is sent, and the status line says why.
            for k in ['c', 'r', 'd'] {
                assert!(requests(&app.update(key(k))).is_empty());
                assert_eq!(app.context(), Context::Invites);
                assert!(app.status.as_ref().unwrap().text.contains("read-only"));
            }
        }
    }
}

#[test]
fn role_keys_in_the_invite_form_need_invite_roles() {
    let app = v2((100, 30));
    let help = app.keymap.help_rows(&app.offer());
    let invite_form_rows: Vec<_> = help
        .iter()
        .skip_while(|r| r.0 != Some("Invite form"))
        .skip(1)
        .take_while(|r| r.0.is_none())
        .map(|r| r.2)
        .collect();
    assert!(!invite_form_rows.contains(&"next role (on Role)"));
    let app = v1((100, 30));
    let help = app.keymap.help_rows(&app.offer());
    let invite_form_rows: Vec<_> = help
        .iter()
        .skip_while(|r| r.0 != Some("Invite form"))
        .skip(1)
        .take_while(|r| r.0.is_none())
        .map(|r| r.2)
        .collect();
    assert!(invite_form_rows.contains(&"next role (on Role)"));
}

#[test]
fn o_sorts_invites_by_created_email_and_expiry_and_shows_it() {
    for cfg in [config(true), config_v2(true)] {
        let mut app = on_invites(cfg, 6);
        assert!(screen(&app).contains("Invites · created ▼"));
        let mut seen = Vec::new();
        for _ in 0..3 {
            let (_, request) = only_request(&app.update(key('o')));
            let ApiRequest::ListInvites(params) = request else {
                panic!("{request:?}")
            };
            assert_eq!(params.offset, Some(0), "a new sort starts at the top");
            seen.push(params.order.unwrap().param());
        }
        assert_eq!(seen, ["email", "expires_at", "-created_at"]);
        let (_, request) = only_request(&app.update(key('O')));
        let ApiRequest::ListInvites(params) = request else {
            panic!("{request:?}")
        };
        assert_eq!(params.order.unwrap().param(), "created_at");
        assert!(screen(&app).contains("Invites · created ▲"));
    }
}

#[test]
fn a_server_error_on_the_invite_list_is_read_again_by_itself() {
    let mut app = on_invites(config_v2(true), 6);
    let (id, _) = only_request(&app.update(key('R')));
    let cmds = app.update(Msg::Reply(
        id,
        Err(ApiError::Server {
            status: 500,
            message: "An unknown error occurred.".into(),
        }),
    ));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::SetTimer(Timer::Reconnect, _))),
        "a retry is scheduled: {cmds:?}"
    );
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.starts_with("server trouble, retry in"), "{status}");
    // When the wait is over, the tab in view is read again, not the users.
    let (_, request) = only_request(&app.update(Msg::Timer(Timer::Reconnect)));
    assert!(matches!(request, ApiRequest::ListInvites(_)), "{request:?}");
}

#[test]
fn with_the_mouse_a_click_selects_an_invite_and_the_wheel_moves_through_them() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let at = |kind, column, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut app = on_invites(sized(config(true), (80, 24)), 30);
    let lines: Vec<String> = screen(&app).lines().map(str::to_owned).collect();
    let list = app.hits.get().list.expect("the invite list was drawn");
    assert_eq!(list.tab, Tab::Invites);
    let y = list.area.y + 2;
    assert!(
        lines[usize::from(y)].contains("guest2@example.com"),
        "{lines:#?}"
    );
    let click = || at(MouseEventKind::Down(MouseButton::Left), list.area.x + 3, y);
    assert!(app.update(click()).is_empty());
    assert_eq!(app.invites.selected, 2);
    // Again: opens it (full screen on a narrow terminal), as Enter does; nothing is sent.
    assert!(app.update(click()).is_empty());
    assert!(matches!(app.modals.last(), Some(Modal::InviteDetail)));
    app.update(code(KeyCode::Esc));
    app.update(at(MouseEventKind::ScrollDown, 0, 0));
    assert_eq!(app.invites.selected, 5);
}

/// Marks in the invites tab: Space marks (and moves down), r resends and d revokes every marked
/// invite after one confirmation, one request at a time; a failure stays marked, the list
/// reloads, and the users tab's marks are untouched.
#[test]
fn bulk_resend_and_revoke_of_marked_invites() {
    let mut app = v2((100, 30));
    app.update(key(' '));
    app.update(key(' '));
    assert_eq!(app.invites.marked.len(), 2);
    assert!(screen(&app).contains("2 marked"), "{}", screen(&app));
    assert!(app.list.marked.is_empty(), "the users' marks are their own");
    let ids: Vec<String> = app.invites.marked.iter().map(|i| i.id.clone()).collect();

    app.update(key('r'));
    assert_eq!(app.context(), Context::Bulk);
    assert!(
        screen(&app).contains("Resend (a new token for each, the old one void) 2 marked invites")
    );
    let (first, req) = only_request(&app.update(key('y')));
    assert_eq!(req, ApiRequest::ResendInvite(ids[0].clone()));
    let resent = app.invites.marked[0].clone();
    let (second, req) = only_request(&app.update(Msg::Reply(first, Ok(ApiReply::Invite(resent)))));
    assert_eq!(req, ApiRequest::ResendInvite(ids[1].clone()));
    let cmds = app.update(Msg::Reply(
        second,
        Err(ApiError::NotFound {
            message: "Invite was not found".into(),
        }),
    ));
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::ListInvites(_))),
        "the invites reload"
    );
    let marked: Vec<String> = app.invites.marked.iter().map(|i| i.id.clone()).collect();
    assert_eq!(marked, [ids[1].clone()], "the failed one stays marked");
    app.update(code(KeyCode::Esc));

    // Revoke what is still marked.
    app.update(key('d'));
    assert!(
        screen(&app).contains("Revoke 1 marked invite:"),
        "{}",
        screen(&app)
    );
    let (id, req) = only_request(&app.update(key('y')));
    assert_eq!(req, ApiRequest::RevokeInvite(ids[1].clone()));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Deleted(Deleted {
            id: ids[1].clone(),
            object: "invite".into(),
            deleted: true,
        })),
    ));
    assert!(app.invites.marked.is_empty());
    app.update(code(KeyCode::Esc));
    app.update(key(' '));
    app.update(key('u'));
    assert!(app.invites.marked.is_empty(), "u clears");
}
