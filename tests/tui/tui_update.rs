//! Pure state-update tests of the TUI: state + message → new state + commands. No terminal,
//! no network; API replies are injected by hand.

use crate::support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use medusa_users::api::{ApiError, Deleted, Order, OrderField, Role};
use medusa_users::tui::app::{
    ApiReply, ApiRequest, App, BulkKind, BulkState, Command, ConnState, ExportDialog, HelpOverlay,
    Level, Modal, Msg, RequestId, ResetDialog, Timer,
};
use medusa_users::tui::keymap::Context;
use support::render;
use support::tui_msgs::{code, ctrl, key, keymap_with, only_request, requests, type_text};
use support::{config, page, user};

/// An app that has loaded page 1 of `count` users.
fn loaded(count: u64) -> App {
    loaded_with(config(true), count)
}

/// The app once page 1 is shown. The page after it is fetched ahead, and here that fails, so
/// paging in these tests waits for the server; the pages fetched ahead are tested on their own
/// (`prefetch_…`, `a_page_fetched_ahead_…`).
fn loaded_with(config: medusa_users::tui::app::AppConfig, count: u64) -> App {
    let (mut app, cmds) = App::new(config);
    let reqs = requests(&cmds);
    for (id, req) in reqs {
        match req {
            ApiRequest::Me => {
                app.update(Msg::Reply(id, Ok(ApiReply::User(user(0)))));
            }
            ApiRequest::List(_) => {
                let caused = app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, count)))));
                let ahead: Vec<Option<u64>> = requests(&caused)
                    .into_iter()
                    .map(|(_, r)| match r {
                        ApiRequest::List(p) => p.offset,
                        other => panic!("unexpected request after a page {other:?}"),
                    })
                    .collect();
                let expected = if count > 20 { vec![Some(20)] } else { vec![] };
                assert_eq!(ahead, expected, "the next page is fetched ahead");
                fail_prefetches(&mut app, &caused);
            }
            other => panic!("unexpected startup request {other:?}"),
        }
    }
    app
}

/// Fails, as an unreachable server would, the pages fetched ahead among `cmds` (every list
/// request but the list's own), checking that nothing shows and nothing else happens.
fn fail_prefetches(app: &mut App, cmds: &[Command]) {
    for (id, req) in requests(cmds) {
        if !matches!(req, ApiRequest::List(_)) || app.list.request == Some(id) {
            continue;
        }
        let (status, state, busy) = (app.status.clone(), app.session.state.clone(), app.is_busy());
        let caused = app.update(Msg::Reply(
            id,
            Err(ApiError::Network {
                message: "connection refused".into(),
            }),
        ));
        assert!(caused.is_empty(), "a failed prefetch causes {caused:?}");
        assert_eq!(app.status, status, "a failed prefetch is not shown");
        assert_eq!(app.session.state, state, "nor does it go offline");
        assert_eq!(app.is_busy(), busy);
        assert!(app.retry.is_none());
    }
}

#[test]
fn startup_asks_who_am_i_and_the_first_page_newest_first() {
    let (app, cmds) = App::new(config(true));
    let reqs = requests(&cmds);
    assert!(matches!(reqs[0].1, ApiRequest::Me));
    match &reqs[1].1 {
        ApiRequest::List(p) => {
            assert_eq!(p.limit, Some(20));
            assert_eq!(p.offset, Some(0));
            assert_eq!(p.order, Some(Order::desc(OrderField::CreatedAt)));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.is_busy());
    assert_eq!(app.session.state, ConnState::Connecting);
}

#[test]
fn without_credentials_the_login_screen_opens_and_nothing_is_sent() {
    let (app, cmds) = App::new(config(false));
    assert!(cmds.is_empty());
    assert_eq!(app.context(), Context::Login);
    assert!(!app.is_busy());
}

#[test]
fn paging_keeps_the_old_page_until_the_next_arrives_and_drops_stale_replies() {
    let mut app = loaded(137);
    assert_eq!(app.list.summary(), "1–20 of 137 · page 1/7");
    assert_eq!(app.session.state, ConnState::Online);
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.list.selected, 2);
    app.update(key('L'));
    assert_eq!(app.list.selected, 19);

    let cmds = app.update(key('n'));
    let (first_id, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::List(ref p) if p.offset == Some(20)));
    assert_eq!(
        app.list.users().len(),
        20,
        "old page stays on screen while loading"
    );
    assert!(app.list.is_loading());

    // A second page-down before the first answer: the first is cancelled and its reply ignored.
    let cmds = app.update(code(KeyCode::PageDown));
    assert!(cmds.contains(&Command::Cancel(first_id)));
    let (second_id, _) = only_request(&cmds);
    app.update(Msg::Reply(first_id, Ok(ApiReply::Page(page(20, 20, 137)))));
    assert_eq!(
        app.list.users()[0].id,
        user(0).id,
        "stale reply must not land"
    );
    let caused = app.update(Msg::Reply(second_id, Ok(ApiReply::Page(page(40, 20, 137)))));
    assert_eq!(app.list.summary(), "41–60 of 137 · page 3/7");
    assert_eq!(app.list.selected, 0);
    assert!(!app.is_busy(), "fetching ahead is not waiting");
    // Pages 4 and 2 are fetched ahead.
    let ahead = requests(&caused);
    assert_eq!(
        ahead
            .iter()
            .map(|(_, r)| match r {
                ApiRequest::List(p) => (p.offset, p.limit),
                other => panic!("{other:?}"),
            })
            .collect::<Vec<_>>(),
        [(Some(60), Some(20)), (Some(20), Some(20))]
    );

    // p goes back: page 2 is on its way already, so nothing more is asked; that request is
    // the page's now (the old page stays, the spinner turns). On the first page p says so
    // instead of loading.
    let cmds = app.update(key('p'));
    assert!(requests(&cmds).is_empty(), "{cmds:?}");
    assert_eq!(app.list.request, Some(ahead[1].0));
    assert!(app.is_busy());
    assert_eq!(app.list.summary(), "41–60 of 137 · page 3/7");
    app.update(Msg::Reply(
        ahead[1].0,
        Ok(ApiReply::Page(page(20, 20, 137))),
    ));
    assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
    let mut first = loaded(5);
    assert!(requests(&first.update(key('p'))).is_empty());
    assert_eq!(
        first.status.as_ref().unwrap().text,
        "already on the first page"
    );
    assert!(requests(&first.update(key('n'))).is_empty());
}

#[test]
fn search_is_debounced_then_sent_from_the_first_page() {
    let mut app = loaded(137);
    app.update(key('n'));
    app.update(key('/'));
    assert_eq!(app.context(), Context::Search);
    let cmds = type_text(&mut app, "ali");
    assert!(requests(&cmds).is_empty(), "typing alone sends nothing");
    assert!(cmds.contains(&Command::SetTimer(
        Timer::SearchDebounce,
        Duration::from_millis(300)
    )));
    assert_eq!(app.list.q, "ali");
    let cmds = app.update(Msg::Timer(Timer::SearchDebounce));
    match only_request(&cmds).1 {
        ApiRequest::List(p) => {
            assert_eq!(p.q.as_deref(), Some("ali"));
            assert_eq!(p.offset, Some(0));
        }
        other => panic!("{other:?}"),
    }
    // Enter keeps the search; Esc in the list then clears it.
    app.update(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.list.q, "ali");
    let cmds = app.update(code(KeyCode::Esc));
    assert!(matches!(only_request(&cmds).1, ApiRequest::List(ref p) if p.q.is_none()));
    assert_eq!(app.list.q, "");
}

#[test]
fn sort_cycles_columns_and_flips_direction() {
    let mut app = loaded(137);
    let order = |cmds: &[Command]| match only_request(cmds).1 {
        ApiRequest::List(p) => p.order.unwrap().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(order(&app.update(key('o'))), "email");
    assert_eq!(order(&app.update(key('O'))), "-email");
    assert_eq!(order(&app.update(key('o'))), "first_name");
    assert_eq!(order(&app.update(key('o'))), "last_name");
    assert_eq!(order(&app.update(key('o'))), "-created_at");
}

#[test]
fn role_filter_cycles_through_the_three_roles() {
    let mut app = loaded(137);
    let roles = |cmds: &[Command]| match only_request(cmds).1 {
        ApiRequest::List(p) => p.roles,
        other => panic!("{other:?}"),
    };
    assert_eq!(roles(&app.update(key('f'))), vec![Role::Admin]);
    assert_eq!(roles(&app.update(key('f'))), vec![Role::Member]);
    assert_eq!(roles(&app.update(key('f'))), vec![Role::Developer]);
    assert_eq!(roles(&app.update(key('f'))), vec![]);
}

#[test]
fn create_validates_inline_keeps_input_on_server_errors_and_selects_the_new_user() {
    let mut app = loaded(3);
    app.update(key('c'));
    assert_eq!(app.context(), Context::Form);
    type_text(&mut app, "not-an-email");
    let cmds = app.update(ctrl('s'));
    assert!(requests(&cmds).is_empty(), "invalid form is not sent");
    let Some(Modal::Create { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert!(form.field("Email").unwrap().error.is_some());
    assert!(form.field("Password").unwrap().error.is_some());

    // Fix the e-mail, fill the rest, submit with Enter on the last field.
    app.update(ctrl('u'));
    type_text(&mut app, "new@example.com");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "Nia");
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Right)); // Role: member -> developer
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "pw-1");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "pw-2");
    let cmds = app.update(code(KeyCode::Enter));
    assert!(requests(&cmds).is_empty(), "passwords differ");
    app.update(ctrl('u'));
    type_text(&mut app, "pw-1");
    let cmds = app.update(code(KeyCode::Enter));
    let (id, req) = only_request(&cmds);
    let ApiRequest::Create(body) = req else {
        panic!("{req:?}")
    };
    assert_eq!(body.email, "new@example.com");
    assert_eq!(body.first_name.as_deref(), Some("Nia"));
    assert_eq!(body.role, Some(Role::Developer));
    assert_eq!(body.password, "pw-1");

    // The server refuses: the message lands on the e-mail field, everything typed stays.
    app.update(Msg::Reply(
        id,
        Err(ApiError::invalid(
            "A user with the same email already exists.",
        )),
    ));
    let Some(Modal::Create { form, request, .. }) = app.modals.last() else {
        panic!()
    };
    assert!(request.is_none());
    assert_eq!(
        form.field("Email").unwrap().error.as_deref(),
        Some("A user with the same email already exists.")
    );
    assert_eq!(form.focus_label(), "Email");
    assert_eq!(form.value("First name"), "Nia");
    assert_eq!(form.value("Password"), "pw-1");

    // A network failure keeps the form too; the retry succeeds.
    let cmds = app.update(ctrl('s'));
    let (id, _) = only_request(&cmds);
    app.update(Msg::Reply(
        id,
        Err(ApiError::Network {
            message: "connection refused".into(),
        }),
    ));
    assert_eq!(app.context(), Context::Form);
    let cmds = app.update(ctrl('s'));
    let (id, _) = only_request(&cmds);
    let mut created = user(99);
    created.email = "new@example.com".into();
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(created.clone()))));
    assert_eq!(app.context(), Context::List);
    assert_eq!(
        app.status.as_ref().unwrap().text,
        format!("created new@example.com ({})", created.role_label())
    );
    let (list_id, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::List(ref p) if p.offset == Some(0)));
    let mut p = page(0, 20, 4);
    p.users.insert(2, created.clone());
    app.update(Msg::Reply(list_id, Ok(ApiReply::Page(p))));
    assert_eq!(
        app.list.selected_user().unwrap().id,
        created.id,
        "the new user is selected"
    );
}

#[test]
fn a_401_mid_edit_opens_login_over_the_form_then_retries_the_same_update() {
    let mut app = loaded(3);
    app.update(key('j'));
    let target = app.list.selected_user().unwrap().clone();
    app.update(key('e'));
    assert_eq!(app.context(), Context::Form);
    type_text(&mut app, "-Renamed");
    let cmds = app.update(ctrl('s'));
    let (id, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Update { ref id, .. } if *id == target.id));

    app.update(Msg::Reply(
        id,
        Err(ApiError::Unauthorized {
            message: "credentials missing, wrong or expired (HTTP 401)".into(),
        }),
    ));
    assert_eq!(app.context(), Context::Login);
    assert_eq!(app.session.state, ConnState::SignedOut);
    assert_eq!(app.modals.len(), 2, "the edit form is still underneath");
    // Esc cannot close a login that something waits for.
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Login);

    // The login form is prefilled with the signed-in e-mail; type the password.
    type_text(&mut app, "supersecret");
    let cmds = app.update(code(KeyCode::Enter));
    let (login_id, req) = only_request(&cmds);
    let ApiRequest::Login { email, .. } = req else {
        panic!()
    };
    assert_eq!(email, user(0).email);
    assert!(
        !format!("{cmds:?}").contains("supersecret"),
        "no password in debug output"
    );

    let cmds = app.update(Msg::Reply(login_id, Ok(ApiReply::LoggedIn)));
    let reqs = requests(&cmds);
    assert!(reqs.iter().any(|(_, r)| matches!(r, ApiRequest::Me)));
    let (update_id, retried) = reqs
        .iter()
        .find(|(_, r)| matches!(r, ApiRequest::Update { .. }))
        .cloned()
        .expect("the update is sent again");
    let ApiRequest::Update { body, .. } = retried else {
        panic!()
    };
    assert_eq!(
        body.first_name,
        Some(Some(format!(
            "{}-Renamed",
            target.first_name.clone().unwrap()
        )))
    );
    assert_eq!(
        app.context(),
        Context::Form,
        "back on the form while it saves"
    );

    let mut saved = target.clone();
    saved.first_name = Some("x-Renamed".into());
    app.update(Msg::Reply(update_id, Ok(ApiReply::User(saved))));
    assert_eq!(app.context(), Context::List);
    assert_eq!(app.list.users()[1].first_name.as_deref(), Some("x-Renamed"));
    assert_eq!(app.session.auth, "JWT");
}

/// On a production profile, y does nothing: the profile's name is typed, and only the exact
/// name sends the delete.
#[test]
fn production_delete_needs_the_profile_name_typed() {
    let mut app = loaded(3);
    app.session.profile = support::production_profile();
    app.update(key('j'));
    app.update(key('d'));
    assert_eq!(app.context(), Context::Delete);
    assert!(requests(&app.update(key('y'))).is_empty(), "y is text here");
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    assert_eq!(
        app.context(),
        Context::Delete,
        "a wrong name keeps the dialog"
    );
    app.update(code(KeyCode::Backspace));
    type_text(&mut app, "Shop");
    assert!(
        requests(&app.update(code(KeyCode::Enter))).is_empty(),
        "names match exactly"
    );
    for _ in 0..4 {
        app.update(code(KeyCode::Backspace));
    }
    type_text(&mut app, "shop");
    let cmds = app.update(code(KeyCode::Enter));
    let (_, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Delete(ref i) if *i == user(1).id));
    // Esc leaves without deleting; a profile that is not production keeps y.
    let mut app = loaded(3);
    app.session.profile = Some(medusa_users::config::ProfileBadge {
        name: "staging".into(),
        color: None,
        production: false,
        confirm_by_name: false,
    });
    app.update(key('d'));
    let (_, req) = only_request(&app.update(key('y')));
    assert!(matches!(req, ApiRequest::Delete(_)));
}

/// A bulk change on a production profile wants the name typed too, through the same rule as a
/// single delete: `y` is text, a wrong name is refused with what to type, Tab and Shift-Tab move
/// the role (letters and arrows being text), Esc cancels, the exact name starts the run.
#[test]
fn production_bulk_role_change_needs_the_profile_name_typed() {
    use medusa_users::api::UpdateUser;
    let mut app = loaded(5);
    app.session.profile = support::production_profile();
    app.update(key(' '));
    app.update(key(' '));
    app.update(key('e'));
    assert_eq!(app.context(), Context::Bulk);
    let bulk = |app: &App| match app.modals.last() {
        Some(Modal::Bulk(b)) => b.clone(),
        other => panic!("{other:?}"),
    };
    let start = user(0).role.unwrap();
    assert!(requests(&app.update(key('y'))).is_empty(), "y is text here");
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    let refused = bulk(&app);
    assert!(
        refused.error.as_deref().is_some_and(|e| e.contains("shop")),
        "a wrong name says what to type: {:?}",
        refused.error
    );
    app.update(code(KeyCode::Tab));
    assert_eq!(bulk(&app).kind, BulkKind::SetRole(start.next()));
    app.update(code(KeyCode::BackTab));
    app.update(code(KeyCode::BackTab));
    assert_eq!(bulk(&app).kind, BulkKind::SetRole(start.previous()));
    app.update(code(KeyCode::Backspace));
    type_text(&mut app, "shop");
    assert_eq!(bulk(&app).error, None, "typing clears the refusal");
    let (_, req) = only_request(&app.update(code(KeyCode::Enter)));
    assert_eq!(
        req,
        ApiRequest::Update {
            id: user(0).id,
            body: UpdateUser {
                role: Some(start.previous()),
                ..UpdateUser::default()
            }
        }
    );
    // Esc before the name is typed leaves without a request.
    let mut app = loaded(5);
    app.session.profile = support::production_profile();
    app.update(key(' '));
    app.update(key('d'));
    assert_eq!(app.context(), Context::Bulk);
    assert!(requests(&app.update(code(KeyCode::Esc))).is_empty());
    assert_eq!(app.context(), Context::List);
}

fn profile_entry(name: &str, production: bool) -> medusa_users::config::ProfileEntry {
    medusa_users::config::ProfileEntry {
        name: name.into(),
        url: Some(format!("https://{name}.example.com")),
        production,
        color: None,
    }
}

/// P opens the switcher on the profile in use; Enter on another asks the loop to switch, on
/// the same one says so and asks nothing. Without profiles P does nothing.
#[test]
fn the_profile_switcher_asks_to_switch_to_another_store() {
    let mut app = loaded(3);
    assert!(app.update(key('P')).is_empty());
    assert_eq!(app.context(), Context::List, "no profiles, no switcher");

    let mut cfg = config(true);
    cfg.profiles = vec![
        profile_entry("alpha", false),
        profile_entry("beta", true),
        profile_entry("gamma", false),
    ];
    cfg.profile = Some(medusa_users::config::ProfileBadge {
        name: "beta".into(),
        ..Default::default()
    });
    let (mut app, _) = App::new(cfg);
    app.update(key('P'));
    assert_eq!(app.context(), Context::Profiles);
    assert!(
        matches!(app.modals.last(), Some(Modal::Profiles { selected: 1 })),
        "on the one in use"
    );
    let cmds = app.update(code(KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::SwitchProfile(_))),
        "already there: {cmds:?}"
    );
    assert_eq!(app.context(), Context::List);
    app.update(key('P'));
    app.update(key('j'));
    app.update(key('j'));
    assert!(
        matches!(app.modals.last(), Some(Modal::Profiles { selected: 2 })),
        "stops at the end"
    );
    let cmds = app.update(code(KeyCode::Enter));
    assert!(
        cmds.contains(&Command::SwitchProfile("gamma".into())),
        "{cmds:?}"
    );
    // Esc closes without switching.
    app.update(key('P'));
    app.update(key('k'));
    let cmds = app.update(code(KeyCode::Esc));
    assert!(!cmds.iter().any(|c| matches!(c, Command::SwitchProfile(_))));
    assert_eq!(app.context(), Context::List);
}

fn deleted(id: String) -> ApiReply {
    ApiReply::Deleted(Deleted {
        id,
        object: "user".into(),
        deleted: true,
    })
}

/// Marks survive paging; d with marks asks once for all of them, then deletes one at a time;
/// a failure is recorded and the run goes on; the ones that succeeded are unmarked, the failed
/// one stays marked.
#[test]
fn bulk_delete_of_marked_users_across_pages_with_a_failure() {
    let mut app = loaded(45);
    app.update(key(' '));
    app.update(key(' '));
    assert_eq!(app.list.selected, 2, "Space moves down");
    let cmds = app.update(key('n'));
    let p = list_request(&cmds);
    let id = requests(&cmds)[0].0;
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Page(page(p.offset.unwrap(), 20, 45))),
    ));
    app.update(key(' '));
    let marked: Vec<String> = app.list.marked.iter().map(|u| u.id.clone()).collect();
    assert_eq!(
        marked,
        [user(0).id, user(1).id, user(20).id],
        "marks survive paging"
    );

    app.update(key('d'));
    assert_eq!(app.context(), Context::Bulk);
    assert!(
        requests(&app.update(code(KeyCode::Enter))).is_empty(),
        "Enter does not start it"
    );
    let (first, req) = only_request(&app.update(key('y')));
    assert!(matches!(req, ApiRequest::Delete(ref i) if *i == user(0).id));
    let (second, req) = only_request(&app.update(Msg::Reply(first, Ok(deleted(user(0).id)))));
    assert!(matches!(req, ApiRequest::Delete(ref i) if *i == user(1).id));
    let cmds = app.update(Msg::Reply(
        second,
        Err(ApiError::NotFound {
            message: "User with id: usr_1 was not found".into(),
        }),
    ));
    let (third, req) = only_request(&cmds);
    assert!(
        matches!(req, ApiRequest::Delete(ref i) if *i == user(20).id),
        "goes on after a failure"
    );
    let cmds = app.update(Msg::Reply(third, Ok(deleted(user(20).id))));
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::List(_))),
        "the list reloads after deleting"
    );
    let Some(Modal::Bulk(bulk)) = app.modals.last() else {
        panic!("the results stay on screen")
    };
    assert_eq!(bulk.state, BulkState::Done { stopped: false });
    assert_eq!(bulk.failed(), 1);
    assert!(matches!(&bulk.results[1], Err(e) if e.contains("not found")));
    let marked: Vec<String> = app.list.marked.iter().map(|u| u.id.clone()).collect();
    assert_eq!(marked, [user(1).id], "the failed one stays marked");
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::List);
}

/// Esc while a bulk action runs stops it after the user in progress; nothing more is sent.
#[test]
fn a_bulk_action_stops_after_the_user_in_progress() {
    let mut app = loaded(5);
    app.update(key('*'));
    assert_eq!(app.list.marked.len(), 5);
    app.update(key('r'));
    assert_eq!(app.context(), Context::Bulk);
    let (first, req) = only_request(&app.update(key('y')));
    assert!(matches!(req, ApiRequest::SendResetToken(ref e) if *e == user(0).email));
    assert!(requests(&app.update(code(KeyCode::Esc))).is_empty());
    let cmds = app.update(Msg::Reply(first, Ok(ApiReply::TokenSent { outbox: None })));
    assert!(requests(&cmds).is_empty(), "stopped: {cmds:?}");
    let Some(Modal::Bulk(bulk)) = app.modals.last() else {
        panic!("results shown")
    };
    assert_eq!(bulk.state, BulkState::Done { stopped: true });
    assert_eq!(app.list.marked.len(), 4, "the four not done stay marked");
    app.update(code(KeyCode::Esc));
    app.update(key('u'));
    assert!(app.list.marked.is_empty());
    // Read-only: nothing to mark for.
    let mut ro = loaded(3);
    ro.session.read_only = true;
    ro.update(key(' '));
    assert!(ro.list.marked.is_empty());
}

/// X asks for a file; Enter sends the list as it is (search kept, no paging) to the worker;
/// a failure keeps the path and says why; success closes with the count.
#[test]
fn export_asks_for_a_path_and_keeps_it_when_writing_fails() {
    let mut app = loaded(45);
    app.list.q = "ada".into();
    app.update(key('X'));
    assert_eq!(app.context(), Context::Export);
    // Every key is text here, q and y included.
    for _ in 0..40 {
        app.update(code(KeyCode::Backspace));
    }
    type_text(&mut app, "quarterly.json");
    let cmds = app.update(code(KeyCode::Enter));
    let (id, req) = only_request(&cmds);
    let ApiRequest::ExportUsers { params, path } = req else {
        panic!("{req:?}")
    };
    assert_eq!(path, std::path::PathBuf::from("quarterly.json"));
    assert_eq!(params.q.as_deref(), Some("ada"));
    assert_eq!((params.limit, params.offset), (None, None), "every page");
    app.update(Msg::Reply(
        id,
        Err(ApiError::Usage {
            message: "cannot write quarterly.json: Permission denied".into(),
        }),
    ));
    let Some(Modal::Export(ExportDialog {
        path,
        error,
        request,
    })) = app.modals.last()
    else {
        panic!("the prompt stays")
    };
    assert_eq!(path.value(), "quarterly.json");
    assert!(error.as_deref().unwrap().contains("Permission denied"));
    assert!(request.is_none());
    let (id, _) = only_request(&app.update(code(KeyCode::Enter)));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Exported {
            path: "quarterly.json".into(),
            rows: 7,
        }),
    ));
    assert_eq!(app.context(), Context::List);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("exported 7 users to quarterly.json")
    );
}

#[test]
fn delete_needs_a_y_and_never_happens_on_enter() {
    let mut app = loaded(3);
    app.update(key('j'));
    app.update(key('d'));
    assert_eq!(app.context(), Context::Delete);
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    assert!(requests(&app.update(key('x'))).is_empty());
    assert_eq!(app.context(), Context::Delete);
    let cmds = app.update(key('y'));
    let (id, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Delete(ref i) if *i == user(1).id));
    // A second y while deleting does not send twice.
    assert!(requests(&app.update(key('y'))).is_empty());
    let cmds = app.update(Msg::Reply(
        id,
        Ok(ApiReply::Deleted(Deleted {
            id: user(1).id,
            object: "user".into(),
            deleted: true,
        })),
    ));
    assert_eq!(app.context(), Context::List);
    assert!(matches!(only_request(&cmds).1, ApiRequest::List(_)));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        format!("deleted {}", user(1).email)
    );
    // n cancels.
    app.update(key('d'));
    app.update(key('n'));
    assert_eq!(app.context(), Context::List);
}

#[test]
fn deleting_yourself_signs_you_out() {
    let mut app = loaded(3);
    app.update(key('d')); // row 0 is user(0), who is "me"
    let (id, _) = only_request(&app.update(key('y')));
    let cmds = app.update(Msg::Reply(
        id,
        Ok(ApiReply::Deleted(Deleted {
            id: user(0).id,
            object: "user".into(),
            deleted: true,
        })),
    ));
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::SignOut))
    );
    assert!(
        !requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::List(_))),
        "no reload as the deleted user: it waits for the next login"
    );
    assert_eq!(app.context(), Context::Login);
    assert_eq!(app.session.state, ConnState::SignedOut);
    assert!(app.session.me.is_none());
    let Some(Modal::Login { reason, .. }) = app.modals.last() else {
        panic!()
    };
    assert_eq!(
        reason.as_deref(),
        Some("you deleted your own user, so you were signed out")
    );
    // Esc cannot leave: the list is waiting for a login.
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Login);
}

#[test]
fn reset_password_sends_a_token_then_applies_one() {
    let mut app = loaded(3);
    app.update(key('j'));
    app.update(key('r'));
    assert_eq!(app.context(), Context::ResetRequest);
    let (id, req) = only_request(&app.update(key('s')));
    assert!(matches!(req, ApiRequest::SendResetToken(ref e) if *e == user(1).email));
    app.update(Msg::Reply(id, Ok(ApiReply::TokenSent { outbox: None })));
    let Some(Modal::ResetRequest(ResetDialog { sent, .. })) = app.modals.last() else {
        panic!()
    };
    assert!(*sent);

    app.update(key('t'));
    assert_eq!(app.context(), Context::ResetApply);
    app.update(Msg::Paste("eyJ.token.sig\n".into()));
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "new-pass");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "new-pass");
    let (id, req) = only_request(&app.update(code(KeyCode::Enter)));
    let ApiRequest::ResetPassword(body) = req else {
        panic!()
    };
    assert_eq!(body.token, "eyJ.token.sig");
    assert_eq!(body.email.as_deref(), Some(user(1).email.as_str()));

    app.update(Msg::Reply(
        id,
        Err(ApiError::InvalidData {
            kind: "invalid_token".into(),
            message: "the reset token is invalid, expired or already used; request a new one"
                .into(),
        }),
    ));
    let Some(Modal::ResetApply { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap().contains("expired"));
    let (id, _) = only_request(&app.update(ctrl('s')));
    app.update(Msg::Reply(id, Ok(ApiReply::User(user(1)))));
    assert_eq!(app.context(), Context::List);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("password changed")
    );
}

#[test]
fn network_failure_goes_offline_and_recovers_on_its_own() {
    let (mut app, cmds) = App::new(config(true));
    let list_id = requests(&cmds)
        .iter()
        .find(|(_, r)| matches!(r, ApiRequest::List(_)))
        .unwrap()
        .0;
    let cmds = app.update(Msg::Reply(
        list_id,
        Err(ApiError::Network {
            message: "cannot connect to 127.0.0.1:9: Connection refused".into(),
        }),
    ));
    assert!(matches!(app.session.state, ConnState::Offline(_)));
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(1))));
    assert_eq!(app.status.as_ref().unwrap().level, Level::Error);

    let cmds = app.update(Msg::Timer(Timer::Reconnect));
    let reqs = requests(&cmds);
    let (id, _) = reqs
        .iter()
        .find(|(_, r)| matches!(r, ApiRequest::List(_)))
        .unwrap();
    // Still down: the wait doubles.
    let cmds = app.update(Msg::Reply(
        *id,
        Err(ApiError::Timeout {
            after: Duration::from_secs(30),
            attempts: 1,
        }),
    ));
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(2))));
    let cmds = app.update(Msg::Timer(Timer::Reconnect));
    let (id, _) = requests(&cmds)
        .into_iter()
        .find(|(_, r)| matches!(r, ApiRequest::List(_)))
        .unwrap();
    app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, 3)))));
    assert_eq!(app.session.state, ConnState::Online);
    assert_eq!(app.list.users().len(), 3);
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let mut app = loaded(3);
    app.update(key('c'));
    app.update(code(KeyCode::Esc));
    assert_eq!(
        app.context(),
        Context::List,
        "an untouched form just closes"
    );
    app.update(key('c'));
    type_text(&mut app, "half@");
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Discard);
    app.update(key('n'));
    assert_eq!(app.context(), Context::Form);
    let Some(Modal::Create { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert_eq!(form.value("Email"), "half@");
    app.update(code(KeyCode::Esc));
    app.update(key('y'));
    assert_eq!(app.context(), Context::List);
}

#[test]
fn read_only_refuses_every_mutation_in_the_ui() {
    let mut cfg = config(true);
    cfg.read_only = true;
    let (mut app, _) = App::new(cfg);
    for k in ['c', 'e', 'd', 'r'] {
        let cmds = app.update(key(k));
        assert!(requests(&cmds).is_empty());
        assert_eq!(app.context(), Context::List, "{k}");
        assert!(
            app.status
                .as_ref()
                .unwrap()
                .text
                .starts_with("read-only mode")
        );
    }
}

#[test]
fn help_opens_and_closes_and_quit_quits() {
    let mut app = loaded(3);
    app.update(key('?'));
    assert_eq!(app.context(), Context::Help);
    app.update(key('j'));
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::List);
    let cmds = app.update(key('q'));
    assert!(cmds.contains(&Command::Quit));
    // Ctrl-C quits from inside a form as well.
    let mut app = loaded(3);
    app.update(key('c'));
    assert!(app.update(ctrl('c')).contains(&Command::Quit));
}

#[test]
fn copy_sends_the_selected_email_to_the_clipboard() {
    let mut app = loaded(3);
    let cmds = app.update(key('y'));
    assert!(cmds.contains(&Command::Copy {
        text: user(0).email
    }));
    let cmds = app.update(key('Y'));
    assert!(cmds.contains(&Command::Copy { text: user(0).id }));
}

#[test]
fn narrow_terminals_open_details_full_screen() {
    let mut cfg = config(true);
    cfg.size = (60, 20);
    let (mut app, _) = App::new(cfg);
    app.update(Msg::Reply(2, Ok(ApiReply::Page(page(0, 20, 3)))));
    let cmds = app.update(code(KeyCode::Enter));
    assert!(matches!(only_request(&cmds).1, ApiRequest::Retrieve(_)));
    assert_eq!(app.context(), Context::Detail);
    app.update(Msg::Resize(120, 40));
    assert_eq!(
        app.context(),
        Context::List,
        "wide again: the pane shows it"
    );
}

#[test]
fn a_gateway_saying_the_server_is_down_also_starts_reconnecting() {
    let mut app = loaded(3);
    let (id, _) = only_request(&app.update(key('R')));
    let cmds = app.update(Msg::Reply(
        id,
        Err(ApiError::Server {
            status: 503,
            message: "an HTML error page: 503 Service Unavailable".into(),
        }),
    ));
    assert!(matches!(app.session.state, ConnState::Offline(_)));
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(1))));
    // A 500 is an answer from a server that is up but unwell (Medusa answers reads with 500
    // while its database is down): the app stays online and tries the read again later.
    let mut app = loaded(3);
    let (id, _) = only_request(&app.update(key('R')));
    let server_error = || {
        Err(ApiError::Server {
            status: 500,
            message: "An unknown error occurred.".into(),
        })
    };
    let cmds = app.update(Msg::Reply(id, server_error()));
    assert_eq!(app.session.state, ConnState::Online);
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(1))));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "server trouble, retry in 1 s (R now): server error (HTTP 500): An unknown error occurred."
    );
    let (id, _) = only_request(&app.update(Msg::Timer(Timer::Reconnect)));
    let cmds = app.update(Msg::Reply(id, server_error()));
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(2))));
    let (id, _) = only_request(&app.update(Msg::Timer(Timer::Reconnect)));
    app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, 3)))));
    assert_eq!(
        app.status.as_ref().unwrap().text,
        "the server answers again"
    );
    // Once well, a stray timer does nothing.
    assert!(requests(&app.update(Msg::Timer(Timer::Reconnect))).is_empty());
}

#[test]
fn requests_have_an_identity_beyond_their_redacted_debug_text() {
    use secrecy::SecretString;
    let login = |pw: &str| ApiRequest::Login {
        email: "a@example.com".into(),
        password: SecretString::from(pw.to_owned()),
    };
    assert_eq!(
        format!("{:?}", login("one")),
        format!("{:?}", login("two")),
        "both print the same, redacted"
    );
    assert_ne!(
        login("one"),
        login("two"),
        "yet they are different requests"
    );
    assert_eq!(login("one"), login("one"));
    assert_ne!(
        Command::Api(1, login("one")),
        Command::Api(2, login("one")),
        "and a command is its id too"
    );

    // Two login attempts from the app: each its own id; a late answer to the first does not
    // count for the second.
    let (mut app, _) = App::new(config(false));
    type_text(&mut app, "admin@example.com");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "first-try");
    let (first, req1) = only_request(&app.update(code(KeyCode::Enter)));
    app.update(Msg::Reply(
        first,
        Err(ApiError::Unauthorized {
            message: "no".into(),
        }),
    ));
    app.update(ctrl('u'));
    type_text(&mut app, "second-try");
    let (second, req2) = only_request(&app.update(code(KeyCode::Enter)));
    assert_ne!(first, second);
    assert_ne!(req1, req2, "same e-mail, another password");
    app.update(Msg::Reply(first, Ok(ApiReply::LoggedIn)));
    assert_eq!(
        app.context(),
        Context::Login,
        "a stale answer logs nobody in"
    );
    app.update(Msg::Reply(second, Ok(ApiReply::LoggedIn)));
    assert_eq!(app.context(), Context::List);
}

#[test]
fn a_refused_api_token_is_named_as_such_on_the_login_screen() {
    let reason = |app: &App| match app.modals.last() {
        Some(Modal::Login { reason, .. }) => reason.clone().unwrap_or_default(),
        other => panic!("no login screen: {other:?}"),
    };
    let unauthorized = || {
        Err(ApiError::Unauthorized {
            message: "credentials missing, wrong or expired (HTTP 401)".into(),
        })
    };
    let mut app = loaded(3);
    let (id, _) = only_request(&app.update(key('R')));
    app.update(Msg::Reply(id, unauthorized()));
    let said = reason(&app);
    assert!(said.contains("refused the API token"), "{said}");
    assert!(!said.contains("missing"), "{said}");

    // Logged in (a JWT now), a later 401 means the session ended.
    type_text(&mut app, "supersecret");
    let (login, _) = only_request(&app.update(code(KeyCode::Enter)));
    app.update(Msg::Reply(login, Ok(ApiReply::LoggedIn)));
    assert_eq!(app.context(), Context::List);
    let (id, _) = only_request(&app.update(key('R')));
    app.update(Msg::Reply(id, unauthorized()));
    let said = reason(&app);
    assert!(said.contains("session has expired"), "{said}");
}

// ----- issue 8: the list fills the window, paging a big store --------------------------------

/// An app of `size` with pages sized to the window (no `--page-size`), page 1 of `count`
/// users loaded.
fn fitted(size: (u16, u16), count: u64) -> App {
    let mut cfg = config(true);
    cfg.size = size;
    cfg.page_size = None;
    let (mut app, cmds) = App::new(cfg);
    answer(&mut app, &cmds, count);
    app
}

/// Answers every request among `cmds` as a store of `count` users would (lists with the
/// page asked for, who-am-I with user 0), except the pages fetched ahead, which fail (see
/// [`loaded_with`]); returns the commands the answers caused.
fn answer(app: &mut App, cmds: &[Command], count: u64) -> Vec<Command> {
    let mut caused = Vec::new();
    for (id, req) in requests(cmds) {
        let reply = match req {
            ApiRequest::Me => ApiReply::User(user(0)),
            ApiRequest::List(p) => ApiReply::Page(page(
                p.offset.unwrap_or(0),
                u64::from(p.limit.unwrap_or(20)),
                count,
            )),
            other => panic!("unexpected request {other:?}"),
        };
        caused.extend(app.update(Msg::Reply(id, Ok(reply))));
    }
    fail_prefetches(app, &caused);
    caused
}

fn list_request(cmds: &[Command]) -> medusa_users::api::ListParams {
    match only_request(cmds).1 {
        ApiRequest::List(p) => p,
        other => panic!("expected a list request, got {other:?}"),
    }
}

#[test]
fn the_page_is_as_tall_as_the_list_at_common_sizes() {
    for (size, rows) in [
        ((120, 35), 29),
        ((200, 50), 44),
        ((80, 24), 18),
        ((60, 20), 14),
    ] {
        let mut cfg = config(true);
        cfg.size = size;
        cfg.page_size = None;
        let (_, cmds) = App::new(cfg);
        let limit = requests(&cmds)
            .into_iter()
            .find_map(|(_, r)| match r {
                ApiRequest::List(p) => p.limit,
                _ => None,
            })
            .unwrap();
        assert_eq!(limit, rows, "{size:?}");
        let app = fitted(size, 500);
        assert_eq!(
            app.list.users().len(),
            rows as usize,
            "{size:?}: no empty rows"
        );
        assert_eq!(
            app.list.summary(),
            format!("1–{rows} of 500 · page 1/{}", 500u32.div_ceil(rows))
        );
    }
    // A warning line in the header takes a row from the list.
    let mut cfg = config(true);
    cfg.size = (120, 35);
    cfg.page_size = None;
    cfg.warnings = vec!["plain HTTP".into()];
    let (_, cmds) = App::new(cfg);
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::List(p) if p.limit == Some(28)))
    );
}

#[test]
fn a_resize_repages_around_the_selected_user() {
    let mut app = fitted((100, 30), 137); // 24 rows a page
    assert_eq!(app.list.page_size, 24);
    // Page 2, row 7: user 31.
    let cmds = app.update(key('n'));
    answer(&mut app, &cmds, 137);
    for _ in 0..7 {
        app.update(key('j'));
    }
    let chosen = app.list.selected_user().unwrap().id.clone();
    assert_eq!(chosen, user(31).id);

    // Only the width changes: the rows stay, nothing to do.
    assert!(app.update(Msg::Resize(140, 30)).is_empty());
    // Shorter: after the window settles, pages of 18 and the page that holds user 31.
    let cmds = app.update(Msg::Resize(80, 24));
    assert_eq!(
        cmds,
        vec![Command::SetTimer(Timer::Resize, Duration::from_millis(150))]
    );
    let cmds = app.update(Msg::Timer(Timer::Resize));
    let p = list_request(&cmds);
    assert_eq!((p.limit, p.offset), (Some(18), Some(18)));
    answer(&mut app, &cmds, 137);
    assert_eq!(
        app.list.selected_user().unwrap().id,
        chosen,
        "still selected"
    );
    assert_eq!(app.list.selected, 13);
    assert_eq!(app.list.summary(), "19–36 of 137 · page 2/8");

    // Taller: pages of 44, user 31 on page 1.
    app.update(Msg::Resize(200, 50));
    let cmds = app.update(Msg::Timer(Timer::Resize));
    let p = list_request(&cmds);
    assert_eq!((p.limit, p.offset), (Some(44), Some(0)));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.selected_user().unwrap().id, chosen);
    assert_eq!(app.list.users().len(), 44, "the window is full");

    // With --page-size, pages keep their size whatever the window.
    let mut fixed = loaded(137);
    assert!(fixed.update(Msg::Resize(80, 24)).is_empty());
    assert!(requests(&fixed.update(Msg::Timer(Timer::Resize))).is_empty());
    assert_eq!(fixed.list.page_size, 20);
}

#[test]
fn moving_while_a_repage_is_on_its_way_lands_where_the_operator_went() {
    let mut app = fitted((100, 30), 137); // 24 rows a page
    for _ in 0..3 {
        app.update(key('j'));
    }
    assert_eq!(app.list.selected_user().unwrap().id, user(3).id);
    // The window shrinks; the re-page for pages of 18 goes out, remembering user 3.
    app.update(Msg::Resize(80, 24));
    let cmds = app.update(Msg::Timer(Timer::Resize));
    assert_eq!(list_request(&cmds).limit, Some(18));
    // Before it arrives, the operator moves down twice on the page still shown.
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.list.selected_user().unwrap().id, user(5).id);
    answer(&mut app, &cmds, 137);
    assert_eq!(
        app.list.selected_user().unwrap().id,
        user(5).id,
        "the reply keeps the operator's move"
    );
    assert_eq!(app.list.selected, 5);
}

#[test]
fn j_and_k_cross_page_edges() {
    let mut app = loaded(45);
    app.update(key('L'));
    assert_eq!(app.list.selected, 19);
    // j on the last row: the next page, on its first row.
    let cmds = app.update(key('j'));
    assert_eq!(list_request(&cmds).offset, Some(20));
    // More j while it loads do not skip pages.
    assert!(requests(&app.update(key('j'))).is_empty());
    answer(&mut app, &cmds, 45);
    assert_eq!(app.list.selected, 0);
    assert_eq!(app.list.selected_user().unwrap().id, user(20).id);
    // k on the first row: the previous page, on its last row.
    let cmds = app.update(key('k'));
    assert_eq!(list_request(&cmds).offset, Some(0));
    answer(&mut app, &cmds, 45);
    assert_eq!(app.list.selected_user().unwrap().id, user(19).id);
    // On page 1, k on the first row stays.
    app.update(key('H'));
    assert!(requests(&app.update(key('k'))).is_empty());
    // On the last page, j on the last row stays.
    let cmds = app.update(key('G'));
    answer(&mut app, &cmds, 45);
    assert_eq!(app.list.selected_user().unwrap().id, user(44).id);
    assert!(requests(&app.update(key('j'))).is_empty());
}

#[test]
fn first_last_half_pages_and_go_to_page() {
    let mut app = loaded(137);
    // G: the last user (page 7, 17 rows); g: the first.
    let cmds = app.update(key('G'));
    assert_eq!(list_request(&cmds).offset, Some(120));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.selected_user().unwrap().id, user(136).id);
    assert_eq!(app.list.summary(), "121–137 of 137 · page 7/7");
    let cmds = app.update(code(KeyCode::Home));
    assert_eq!(list_request(&cmds).offset, Some(0));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.selected_user().unwrap().id, user(0).id);

    // Ctrl-D / Ctrl-U: half a page (10 rows), across page edges too.
    app.update(ctrl('d'));
    assert_eq!(app.list.selected, 10);
    let cmds = app.update(ctrl('d'));
    assert_eq!(list_request(&cmds).offset, Some(20));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.selected_user().unwrap().id, user(20).id);
    let cmds = app.update(ctrl('u'));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.selected_user().unwrap().id, user(10).id);

    // Ctrl-F / Ctrl-B: a page, as n / p.
    let cmds = app.update(ctrl('f'));
    assert_eq!(list_request(&cmds).offset, Some(20));
    answer(&mut app, &cmds, 137);
    let cmds = app.update(ctrl('b'));
    assert_eq!(list_request(&cmds).offset, Some(0));
    answer(&mut app, &cmds, 137);

    // `:` 5 Enter: page 5. Letters are not page numbers.
    app.update(key(':'));
    assert_eq!(app.context(), Context::GoToPage);
    type_text(&mut app, "57x");
    app.update(code(KeyCode::Backspace));
    assert_eq!(
        app.goto.as_ref().unwrap().value(),
        "5",
        "digits only, and editable"
    );
    let cmds = app.update(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::List);
    assert_eq!(list_request(&cmds).offset, Some(80));
    answer(&mut app, &cmds, 137);
    assert_eq!(app.list.summary(), "81–100 of 137 · page 5/7");
    // Past the end: the last page. Esc: nothing.
    app.update(key(':'));
    type_text(&mut app, "99");
    assert_eq!(
        list_request(&app.update(code(KeyCode::Enter))).offset,
        Some(120)
    );
    app.update(key(':'));
    type_text(&mut app, "2");
    assert!(requests(&app.update(code(KeyCode::Esc))).is_empty());
    assert_eq!(app.context(), Context::List);
    // 0 is no page.
    app.update(key(':'));
    type_text(&mut app, "0");
    assert!(requests(&app.update(code(KeyCode::Enter))).is_empty());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("no page \"0\"")
    );
}

// ----- issue 8: land on what you made ----------------------------------------------------------

/// Fills and submits the create form for `email`; returns the create request's id.
fn create_through_the_form(app: &mut App, email: &str) -> RequestId {
    app.update(key('c'));
    type_text(app, email);
    for _ in 0..4 {
        app.update(code(KeyCode::Tab));
    }
    type_text(app, "pw-12345");
    app.update(code(KeyCode::Tab));
    type_text(app, "pw-12345");
    only_request(&app.update(ctrl('s'))).0
}

#[test]
fn a_new_user_is_selected_on_the_page_that_holds_it_whatever_the_sort() {
    // The default view (newest first, no filter): the new user is the first row of page 1.
    let mut app = loaded(137);
    app.update(key('n'));
    let id = create_through_the_form(&mut app, "new@example.com");
    let mut created = user(500);
    created.email = "new@example.com".into();
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(created.clone()))));
    assert_eq!(list_request(&cmds).offset, Some(0));
    let (list_id, _) = only_request(&cmds);
    let mut first = page(0, 20, 138);
    first.users.insert(0, created.clone());
    first.users.pop();
    app.update(Msg::Reply(list_id, Ok(ApiReply::Page(first))));
    assert_eq!(app.list.selected_user().unwrap().id, created.id);

    // Sorted by e-mail: its place is looked up with the same sort, then its page loaded.
    let mut app = loaded(137);
    let cmds = app.update(key('o'));
    answer(&mut app, &cmds, 137);
    let id = create_through_the_form(&mut app, "mid@example.com");
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(created.clone()))));
    let (locate_id, req) = only_request(&cmds);
    match req {
        ApiRequest::Locate { params, id } => {
            assert_eq!(id, created.id);
            assert_eq!(params.order, Some(Order::asc(OrderField::Email)));
            assert_eq!((params.limit, params.offset), (None, None));
        }
        other => panic!("{other:?}"),
    }
    let cmds = app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(Some(67)))));
    let (list_id, p) = only_request(&cmds);
    assert!(matches!(p, ApiRequest::List(ref p) if p.offset == Some(60)));
    let mut fourth = page(60, 20, 138);
    fourth.users[7] = created.clone();
    app.update(Msg::Reply(list_id, Ok(ApiReply::Page(fourth))));
    assert_eq!(app.list.selected, 7);
    assert_eq!(app.list.selected_user().unwrap().id, created.id);
    assert!(app.status.as_ref().unwrap().text.starts_with("created "));
}

#[test]
fn a_new_user_outside_the_view_is_explained_and_the_view_kept() {
    let mut app = loaded(137);
    app.update(key('/'));
    type_text(&mut app, "ada");
    let cmds = app.update(Msg::Timer(Timer::SearchDebounce));
    answer(&mut app, &cmds, 30);
    app.update(code(KeyCode::Enter));
    let id = create_through_the_form(&mut app, "zed@example.com");
    let mut created = user(501);
    created.email = "zed@example.com".into();
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(created))));
    let (locate_id, req) = only_request(&cmds);
    assert!(
        matches!(req, ApiRequest::Locate { ref params, .. } if params.q.as_deref() == Some("ada"))
    );
    let cmds = app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(None))));
    let status = app.status.clone().unwrap();
    assert_eq!(status.level, Level::Warn, "stays until dismissed");
    assert!(
        status.text.contains("zed@example.com")
            && status
                .text
                .contains("does not match the current view (search \"ada\")"),
        "{status:?}"
    );
    assert!(
        !cmds.contains(&Command::SetTimer(
            Timer::FadeStatus,
            medusa_users::tui::app::NOTICE_FADE
        )),
        "it does not fade"
    );
    assert_eq!(app.list.q, "ada", "the search is kept");
}

#[test]
fn an_edit_that_moves_the_user_follows_it() {
    // Sorted by first name, a rename moves the user: its new place is looked up.
    let mut app = loaded(137);
    for _ in 0..2 {
        let cmds = app.update(key('o'));
        answer(&mut app, &cmds, 137);
    }
    assert_eq!(app.list.order, Order::asc(OrderField::FirstName));
    app.update(key('e'));
    app.update(ctrl('u'));
    type_text(&mut app, "Zara");
    let (id, _) = only_request(&app.update(ctrl('s')));
    let mut saved = user(0);
    saved.first_name = Some("Zara".into());
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(saved.clone()))));
    let (locate_id, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Locate { ref id, .. } if *id == saved.id));
    let cmds = app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(Some(130)))));
    assert_eq!(list_request(&cmds).offset, Some(120));
    // Position 130 is row 10 of the page from 120; the page arrives with the user there.
    let (list_id, _) = only_request(&cmds);
    let mut seventh = page(120, 20, 137);
    seventh.users[10] = saved.clone();
    app.update(Msg::Reply(list_id, Ok(ApiReply::Page(seventh))));
    assert_eq!(app.list.offset, 120, "the page that holds it is shown");
    assert_eq!(app.list.selected, 10);
    assert_eq!(app.list.selected_user().unwrap().id, saved.id);
    assert_eq!(
        app.list.selected_user().unwrap().first_name.as_deref(),
        Some("Zara")
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some(format!("saved {}", saved.email).as_str()),
        "the save is confirmed, with no warning"
    );

    // Someone else's change moved it again before the page came: it is found by id, not by
    // the row the look-up predicted.
    let mut app = loaded(137);
    for _ in 0..2 {
        let cmds = app.update(key('o'));
        answer(&mut app, &cmds, 137);
    }
    app.update(key('e'));
    app.update(ctrl('u'));
    type_text(&mut app, "Zara");
    let (id, _) = only_request(&app.update(ctrl('s')));
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(saved.clone()))));
    let (locate_id, _) = only_request(&cmds);
    let cmds = app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(Some(130)))));
    let (list_id, _) = only_request(&cmds);
    let mut seventh = page(120, 20, 137);
    seventh.users[12] = saved.clone();
    app.update(Msg::Reply(list_id, Ok(ApiReply::Page(seventh))));
    assert_eq!(app.list.selected, 12);
    assert_eq!(app.list.selected_user().unwrap().id, saved.id);

    // An edit that cannot move it (newest first, no filter): no look-up.
    let mut app = loaded(3);
    app.update(key('e'));
    type_text(&mut app, "x");
    let (id, _) = only_request(&app.update(ctrl('s')));
    let mut saved = user(0);
    saved.first_name = Some("Adax".into());
    assert!(requests(&app.update(Msg::Reply(id, Ok(ApiReply::User(saved))))).is_empty());

    // A look-up answered after the view changed is ignored.
    let mut app = loaded(137);
    let cmds = app.update(key('o'));
    answer(&mut app, &cmds, 137);
    let id = create_through_the_form(&mut app, "late@example.com");
    let (locate_id, _) = only_request(&app.update(Msg::Reply(id, Ok(ApiReply::User(user(502))))));
    let cmds = app.update(key('O'));
    answer(&mut app, &cmds, 137);
    assert!(
        requests(&app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(Some(99)))))).is_empty()
    );
}

#[test]
fn an_edit_that_takes_the_user_out_of_the_view_says_so() {
    // Only admins shown; the first row (an admin) is made a member, so it leaves the view.
    let mut app = loaded(137);
    let cmds = app.update(key('f'));
    assert_eq!(list_request(&cmds).roles, vec![Role::Admin]);
    answer(&mut app, &cmds, 46);
    let before = app.list.selected_user().unwrap().clone();
    assert_eq!(before.role, Some(Role::Admin));
    app.update(key('e'));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Right));
    let (id, req) = only_request(&app.update(ctrl('s')));
    let new_role = match req {
        ApiRequest::Update { body, .. } => body.role.expect("the role is sent"),
        other => panic!("{other:?}"),
    };
    assert_ne!(new_role, Role::Admin);
    let mut saved = before.clone();
    saved.role = Some(new_role);
    let cmds = app.update(Msg::Reply(id, Ok(ApiReply::User(saved.clone()))));
    let (locate_id, req) = only_request(&cmds);
    assert!(
        matches!(req, ApiRequest::Locate { ref params, ref id }
            if *id == saved.id && params.roles == vec![Role::Admin]),
        "looked up under the view's filter: {req:?}"
    );
    let cmds = app.update(Msg::Reply(locate_id, Ok(ApiReply::Located(None))));
    let status = app.status.clone().unwrap();
    assert_eq!(status.level, Level::Warn, "stays until dismissed");
    assert_eq!(
        status.text,
        format!(
            "saved {}, but it no longer matches the current view (role admin); Esc clears the \
             search, f changes the role filter",
            saved.email
        )
    );
    assert_eq!(app.list.role, Some(Role::Admin), "the filter is kept");
    // The view reloads without it, on the page being shown.
    assert_eq!(list_request(&cmds).roles, vec![Role::Admin]);
}

// ----- issue 8: messages -----------------------------------------------------------------------

#[test]
fn success_notices_fade_errors_stay_and_everything_is_logged() {
    let mut app = loaded(3);
    let cmds = app.update(key('y'));
    assert!(cmds.contains(&Command::SetTimer(
        Timer::FadeStatus,
        medusa_users::tui::app::NOTICE_FADE
    )));
    app.update(Msg::Timer(Timer::FadeStatus));
    assert!(app.status.is_none(), "faded");

    // An error does not fade: the timer (left from before) leaves it.
    let (id, _) = only_request(&app.update(key('R')));
    let cmds = app.update(Msg::Reply(
        id,
        Err(ApiError::NotFound {
            message: "gone".into(),
        }),
    ));
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Command::SetTimer(Timer::FadeStatus, _)))
    );
    app.update(Msg::Timer(Timer::FadeStatus));
    assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
    app.update(code(KeyCode::Esc));
    assert!(app.status.is_none(), "Esc dismisses it");

    // Both are in the log, newest last, in full; m shows it.
    let texts: Vec<&str> = app.log.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[0].starts_with("copied e-mail"));
    assert!(texts[1].contains("gone"));
    app.update(key('m'));
    assert_eq!(app.context(), Context::Messages);
    app.update(key('q'));
    assert_eq!(app.context(), Context::List);
}

#[test]
fn an_old_success_line_goes_when_a_dialog_opens() {
    let mut app = loaded(3);
    app.update(key('y'));
    assert!(app.status.is_some());
    app.update(key('e'));
    assert!(
        app.status.is_none(),
        "the edit form opened: the copy notice is old news"
    );
    // Errors stay.
    app.update(code(KeyCode::Esc));
    let (id, _) = only_request(&app.update(key('R')));
    app.update(Msg::Reply(
        id,
        Err(ApiError::NotFound {
            message: "gone".into(),
        }),
    ));
    app.update(key('d'));
    assert_eq!(app.status.as_ref().unwrap().level, Level::Error);
}

#[test]
fn a_forms_server_error_goes_once_the_field_changes() {
    let mut app = loaded(3);
    let id = create_through_the_form(&mut app, "taken@example.com");
    app.update(Msg::Reply(
        id,
        Err(ApiError::invalid(
            "A user with the same email already exists.",
        )),
    ));
    let form = |app: &App| match app.modals.last() {
        Some(Modal::Create { form, .. }) => form.clone(),
        other => panic!("{other:?}"),
    };
    let f = form(&app);
    assert_eq!(f.focus_label(), "Email");
    assert!(f.field("Email").unwrap().error.is_some());
    assert!(f.error.is_none(), "said once, under its field");
    // Changing another field leaves it; changing the e-mail takes it away.
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "Al");
    assert!(form(&app).field("Email").unwrap().error.is_some());
    app.update(code(KeyCode::BackTab));
    type_text(&mut app, "x");
    assert!(form(&app).field("Email").unwrap().error.is_none());

    // A form-wide error (the network) goes with any change.
    let (id, _) = only_request(&app.update(ctrl('s')));
    app.update(Msg::Reply(
        id,
        Err(ApiError::Network {
            message: "connection reset".into(),
        }),
    ));
    assert!(form(&app).error.is_some());
    type_text(&mut app, "y");
    assert!(form(&app).error.is_none());
}

#[test]
fn the_retry_countdown_counts_down() {
    let mut app = loaded(3);
    let (id, _) = only_request(&app.update(key('R')));
    app.update(Msg::Reply(
        id,
        Err(ApiError::Network {
            message: "refused".into(),
        }),
    ));
    let (id, _) = only_request(&app.update(Msg::Timer(Timer::Reconnect)));
    let cmds = app.update(Msg::Reply(
        id,
        Err(ApiError::Network {
            message: "refused".into(),
        }),
    ));
    assert!(cmds.contains(&Command::SetTimer(Timer::Reconnect, Duration::from_secs(2))));
    assert!(cmds.contains(&Command::SetTimer(Timer::Countdown, Duration::from_secs(1))));
    let text = |app: &App| app.status.as_ref().unwrap().text.clone();
    assert!(
        text(&app).starts_with("offline, retry in 2 s (R now)"),
        "{}",
        text(&app)
    );
    assert!(
        app.is_animating() && !app.is_busy(),
        "the spinner turns while waiting"
    );
    let cmds = app.update(Msg::Timer(Timer::Countdown));
    assert!(
        text(&app).starts_with("offline, retry in 1 s"),
        "{}",
        text(&app)
    );
    assert!(cmds.contains(&Command::SetTimer(Timer::Countdown, Duration::from_secs(1))));
    let cmds = app.update(Msg::Timer(Timer::Countdown));
    assert!(
        text(&app).starts_with("offline, retrying…"),
        "{}",
        text(&app)
    );
    assert!(cmds.is_empty(), "the countdown is over");
    let (id, _) = only_request(&app.update(Msg::Timer(Timer::Reconnect)));
    app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, 3)))));
    assert!(!app.is_animating());
    assert_eq!(text(&app), "back online");
}

// ----- issue 8: sandbox resets, help, Ctrl-Z, forms ------------------------------------------

#[test]
fn in_the_sandbox_the_reset_token_is_filled_in_from_the_outbox() {
    let mut cfg = config(true);
    cfg.sandbox = true;
    cfg.outbox = Some("/data/medusa-users/sandbox-outbox.jsonl".into());
    let (mut app, cmds) = App::new(cfg);
    answer(&mut app, &cmds, 3);
    app.update(key('j'));
    app.update(key('r'));
    // `f` does nothing before a token was seen in the outbox.
    assert!(requests(&app.update(key('f'))).is_empty());
    let (id, _) = only_request(&app.update(key('s')));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::TokenSent {
            outbox: Some("/data/medusa-users/sandbox-outbox.jsonl".into()),
        }),
    ));
    let (id, req) = only_request(&app.update(key('f')));
    assert_eq!(
        req,
        ApiRequest::OutboxToken {
            email: user(1).email
        }
    );
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::OutboxToken(Some(
            "eyJ.outbox.token".to_owned().into(),
        ))),
    ));
    let Some(Modal::ResetApply { form, .. }) = app.modals.last() else {
        panic!("{:?}", app.modals.last())
    };
    assert_eq!(form.value("Reset token"), "eyJ.outbox.token");
    assert_eq!(
        form.focus_label(),
        "New password",
        "straight to the new password"
    );

    // No token there (yet): the dialog says so and stays.
    let mut app = loaded(3);
    app.update(key('r'));
    let (id, _) = only_request(&app.update(key('s')));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::TokenSent {
            outbox: Some("/tmp/o.jsonl".into()),
        }),
    ));
    let (id, _) = only_request(&app.update(key('f')));
    app.update(Msg::Reply(id, Ok(ApiReply::OutboxToken(None))));
    let Some(Modal::ResetRequest(ResetDialog { error, .. })) = app.modals.last() else {
        panic!()
    };
    assert!(error.as_deref().unwrap().contains("no reset token for"));
}

#[test]
fn help_scrolls_pages_jumps_and_filters() {
    let mut cfg = config(true);
    cfg.size = (60, 20);
    let (mut app, cmds) = App::new(cfg);
    answer(&mut app, &cmds, 3);
    app.update(key('?'));
    let scroll = |app: &App| match app.modals.last() {
        Some(Modal::Help(HelpOverlay { scroll, .. })) => *scroll,
        other => panic!("{other:?}"),
    };
    app.update(key('j'));
    assert_eq!(scroll(&app), 1);
    app.update(code(KeyCode::PageDown));
    assert_eq!(scroll(&app), 15);
    app.update(key(' '));
    assert_eq!(scroll(&app), 29);
    app.update(code(KeyCode::PageUp));
    assert_eq!(scroll(&app), 15);
    app.update(key('G'));
    let bottom = scroll(&app);
    assert!(bottom > 29);
    app.update(key('j'));
    assert_eq!(scroll(&app), bottom, "not past the end");
    app.update(key('k'));
    assert_eq!(scroll(&app), bottom - 1, "one up from the end is one up");
    app.update(key('g'));
    assert_eq!(scroll(&app), 0);

    // `/` then typing filters (letters are text now, not keys); Enter keeps it, Esc clears.
    app.update(key('/'));
    assert_eq!(app.context(), Context::HelpFilter);
    type_text(&mut app, "page");
    let filter = |app: &App| match app.modals.last() {
        Some(Modal::Help(HelpOverlay { filter, .. })) => filter.value().to_owned(),
        _ => panic!(),
    };
    assert_eq!(filter(&app), "page");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.context(), Context::Help);
    assert_eq!(filter(&app), "page");
    app.update(key('/'));
    app.update(code(KeyCode::Esc));
    assert_eq!(filter(&app), "");
    assert_eq!(app.context(), Context::Help);
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::List);
}

#[test]
fn ctrl_z_suspends_from_anywhere_without_touching_the_state() {
    let mut app = loaded(3);
    assert_eq!(app.update(ctrl('z')), vec![Command::Suspend]);
    app.update(key('c'));
    type_text(&mut app, "half");
    assert_eq!(app.update(ctrl('z')), vec![Command::Suspend]);
    let Some(Modal::Create { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert_eq!(form.value("Email"), "half", "nothing typed by Ctrl-Z");
    app.update(key('?'));
    assert_eq!(app.update(ctrl('z')), vec![Command::Suspend]);
}

#[test]
fn leaving_a_changed_form_asks_once_and_keeps_the_typing() {
    let mut app = loaded(3);
    app.update(key('c'));
    type_text(&mut app, "half@");
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Discard);
    // Typing in the question lands nowhere; a paste neither.
    type_text(&mut app, "zzz");
    app.update(Msg::Paste("pasted".into()));
    assert_eq!(app.context(), Context::Discard);
    // A second Esc keeps editing, with what was typed.
    app.update(code(KeyCode::Esc));
    assert_eq!(app.context(), Context::Form);
    let Some(Modal::Create { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert_eq!(form.value("Email"), "half@");
    assert_eq!(app.modals.len(), 1, "no question left stacked");

    // Ctrl-C asks too, a second Ctrl-C quits.
    assert!(!app.update(ctrl('c')).contains(&Command::Quit));
    assert_eq!(app.context(), Context::Discard);
    assert!(app.update(ctrl('c')).contains(&Command::Quit));
    // `y` in that question quits as well; `n` keeps editing.
    let mut app = loaded(3);
    app.update(key('c'));
    type_text(&mut app, "x");
    app.update(ctrl('c'));
    app.update(key('n'));
    assert_eq!(app.context(), Context::Form);
    app.update(ctrl('c'));
    assert!(app.update(key('y')).contains(&Command::Quit));
    // An untouched form: Ctrl-C quits at once.
    let mut app = loaded(3);
    app.update(key('c'));
    assert!(app.update(ctrl('c')).contains(&Command::Quit));
}

#[test]
fn a_key_that_belongs_to_no_user_is_not_an_error() {
    // Medusa v2's secret API keys: who-am-I answers 404.
    let mut cfg = config(true);
    cfg.auth = "secret key";
    let (mut app, cmds) = App::new(cfg);
    for (id, req) in requests(&cmds) {
        let reply = match req {
            ApiRequest::Me => Err(ApiError::NotFound {
                message: "signed in with a secret API key, which belongs to no user".into(),
            }),
            ApiRequest::List(_) => Ok(ApiReply::Page(page(0, 20, 3))),
            other => panic!("{other:?}"),
        };
        app.update(Msg::Reply(id, reply));
    }
    assert!(app.status.is_none(), "{:?}", app.status);
    assert!(app.session.no_user);
    assert_eq!(app.session.state, ConnState::Online);
    // Refused later, the key is named as such.
    let (id, _) = only_request(
        &requests(&app.update(key('R')))
            .into_iter()
            .filter(|(_, r)| matches!(r, ApiRequest::List(_)))
            .map(|(id, r)| Command::Api(id, r))
            .collect::<Vec<_>>(),
    );
    app.update(Msg::Reply(
        id,
        Err(ApiError::Unauthorized {
            message: "x".into(),
        }),
    ));
    let Some(Modal::Login { reason, .. }) = app.modals.last() else {
        panic!()
    };
    assert!(
        reason
            .as_deref()
            .unwrap()
            .contains("refused the secret API key")
    );
}

/// The config's `[keys]` move an action to other keys: the old key stops working there, the
/// new one works, other screens keep theirs, and the dialog's own text names the new keys.
#[test]
fn config_key_overrides_rebind_actions() {
    let mut cfg = config(true);
    cfg.keymap = keymap_with(&[("list", "delete", &["x"]), ("delete", "confirm", &["o"])]);
    let mut app = loaded_with(cfg, 3);
    app.update(key('d'));
    assert_eq!(app.context(), Context::List, "d no longer deletes");
    app.update(key('x'));
    assert_eq!(app.context(), Context::Delete);
    assert!(
        requests(&app.update(key('y'))).is_empty(),
        "y no longer confirms"
    );
    assert_eq!(app.context(), Context::Delete);
    let (_, req) = only_request(&app.update(key('o')));
    assert!(matches!(req, ApiRequest::Delete(_)), "{req:?}");
    assert_eq!(
        app.keymap
            .keys_for(Context::Detail, medusa_users::tui::keymap::Action::Delete),
        vec!["d".to_owned()],
        "the detail pane keeps its own binding"
    );
}

/// A two-key sequence from the config (`first = "g g"`): the first `g` waits, the second
/// completes it; any other key drops the half sequence and does its own work.
#[test]
fn key_sequences_wait_for_their_second_key() {
    let mut cfg = config(true);
    cfg.keymap = keymap_with(&[("list", "first", &["g g"])]);
    let mut app = loaded_with(cfg, 3);
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.list.selected, 2);
    app.update(key('g'));
    assert_eq!(app.pending_key, Some('g'));
    assert_eq!(app.list.selected, 2, "one g does nothing yet");
    app.update(key('g'));
    assert_eq!(app.pending_key, None);
    assert_eq!(app.list.selected, 0, "g g goes to the first user");
    app.update(key('g'));
    app.update(key('j'));
    assert_eq!(app.pending_key, None);
    assert_eq!(app.list.selected, 1, "g j: the g is dropped, j moves down");
    // In the search box a g is text, never half a sequence.
    app.update(key('/'));
    app.update(key('g'));
    assert_eq!(app.pending_key, None);
    assert_eq!(app.list.q, "g");
}

/// w asks every store of the config about the selected user; R asks again; Enter on another
/// store switches to it; with no profiles, w is not offered and does nothing.
#[test]
fn everywhere_asks_every_store_and_switches_to_one() {
    use medusa_users::config::{ProfileBadge, ProfileEntry};
    let mut app = loaded(3);
    assert!(
        requests(&app.update(key('w'))).is_empty(),
        "no profiles: nothing to ask"
    );
    assert_eq!(app.context(), Context::List);

    let mut cfg = config(true);
    cfg.profiles = ["staging", "shop"]
        .iter()
        .map(|n| ProfileEntry {
            name: (*n).into(),
            url: None,
            production: false,
            color: None,
        })
        .collect();
    cfg.profile = Some(ProfileBadge {
        name: "staging".into(),
        ..ProfileBadge::default()
    });
    let mut app = loaded_with(cfg, 3);
    app.update(key('j'));
    let (id, req) = only_request(&app.update(key('w')));
    assert_eq!(app.context(), Context::Everywhere);
    assert_eq!(
        req,
        ApiRequest::Everywhere {
            email: user(1).email,
            profiles: vec!["staging".into(), "shop".into()],
        }
    );
    assert!(
        requests(&app.update(key('R'))).is_empty(),
        "one look-up at a time"
    );
    app.update(Msg::Reply(id, Ok(ApiReply::Everywhere(vec![]))));
    let (_, again) = only_request(&app.update(key('R')));
    assert!(matches!(again, ApiRequest::Everywhere { .. }));
    // Enter on the store in use says so; on the other, switches.
    let cmds = app.update(code(KeyCode::Enter));
    assert!(!cmds.iter().any(|c| matches!(c, Command::SwitchProfile(_))));
    assert_eq!(app.context(), Context::List);
    app.update(key('w'));
    app.update(key('j'));
    let cmds = app.update(code(KeyCode::Enter));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::SwitchProfile(n) if n == "shop")),
        "{cmds:?}"
    );
}

// ----- the mouse (--mouse) -------------------------------------------------------------------

fn mouse(kind: crossterm::event::MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn click(column: u16, row: u16) -> Msg {
    use crossterm::event::{MouseButton, MouseEventKind};
    mouse(MouseEventKind::Down(MouseButton::Left), column, row)
}

fn wheel_down() -> Msg {
    mouse(crossterm::event::MouseEventKind::ScrollDown, 10, 10)
}

fn wheel_up() -> Msg {
    mouse(crossterm::event::MouseEventKind::ScrollUp, 10, 10)
}

/// Where the last frame drew row `row` of the list: a point inside it.
fn row_point(app: &App, row: usize) -> (u16, u16) {
    let list = app.hits.get().list.expect("the list was drawn");
    let first = list.first;
    (list.area.x + 4, list.area.y + (row - first) as u16)
}

#[test]
fn a_click_selects_the_row_drawn_there_and_a_click_on_the_selected_row_opens_it() {
    let mut app = loaded(137);
    let lines = render::lines(&app);
    let (x, y) = row_point(&app, 5);
    // The row the hit map names is the one on screen there.
    assert!(
        lines[usize::from(y)].contains(&app.list.users()[5].email),
        "{y}: {lines:#?}"
    );
    let cmds = app.update(click(x, y));
    assert!(cmds.is_empty(), "selecting sends nothing: {cmds:?}");
    assert_eq!(app.list.selected, 5);
    assert!(!app.unchanged(), "a new selection is drawn");
    render::lines(&app);
    // Again on the selected row: opens it as Enter does (the detail is fetched afresh).
    let (id, request) = only_request(&app.update(click(x, y)));
    assert!(
        matches!(&request, ApiRequest::Retrieve(u) if *u == user(5).id),
        "{request:?}"
    );
    assert!(!request.is_mutation());
    let _ = id;

    // Narrow: the detail opens full screen, as Enter does there.
    let mut app = loaded(137);
    app.update(Msg::Resize(80, 24));
    render::lines(&app);
    let (x, y) = row_point(&app, 0);
    app.update(click(x, y));
    assert!(matches!(app.modals.last(), Some(Modal::Detail)));
}

#[test]
fn clicks_on_nothing_do_nothing_and_ask_for_no_frame() {
    let mut app = loaded(5);
    render::lines(&app);
    let list = app.hits.get().list.unwrap();
    let misses = [
        (0, 0),                               // the header
        (list.area.x + 3, list.area.y - 1),   // the column header
        (list.area.x + 3, list.area.y + 5),   // below the last of 5 rows
        (list.area.right() + 5, list.area.y), // the detail pane
        (2, app.size.1 - 1),                  // the key hints
    ];
    for (x, y) in misses {
        let cmds = app.update(click(x, y));
        assert!(cmds.is_empty(), "({x},{y}): {cmds:?}");
        assert_eq!(app.list.selected, 0);
        assert!(app.unchanged(), "({x},{y}) changed nothing: no redraw");
    }
    // Other buttons, and releases, do nothing either.
    use crossterm::event::{MouseButton, MouseEventKind};
    let (x, y) = row_point(&app, 2);
    for kind in [
        MouseEventKind::Down(MouseButton::Right),
        MouseEventKind::Up(MouseButton::Left),
        MouseEventKind::Moved,
    ] {
        assert!(app.update(mouse(kind, x, y)).is_empty());
        assert!(app.unchanged());
        assert_eq!(app.list.selected, 0);
    }
    // A key always redraws, as before.
    app.update(key('j'));
    assert!(!app.unchanged());
}

#[test]
fn the_wheel_moves_three_rows_a_notch_across_page_edges_like_j_and_k() {
    let mut app = loaded(137);
    render::lines(&app);
    assert!(app.update(wheel_down()).is_empty());
    assert_eq!(app.list.selected, 3);
    assert!(!app.unchanged());
    app.update(wheel_up());
    assert_eq!(app.list.selected, 0);
    // At the top of the first page the wheel up does nothing, and draws nothing.
    assert!(app.update(wheel_up()).is_empty());
    assert!(app.unchanged());

    // Two rows from the page's end: the notch reaches the last row, then j's next page.
    app.update(key('L'));
    app.update(key('k'));
    assert_eq!(app.list.selected, 18);
    let (id, request) = only_request(&app.update(wheel_down()));
    assert!(
        matches!(request, ApiRequest::List(ref p) if p.offset == Some(20)),
        "{request:?}"
    );
    assert_eq!(app.list.selected, 19);
    let caused = app.update(Msg::Reply(id, Ok(ApiReply::Page(page(20, 20, 137)))));
    // The neighbours fetched ahead fail here, so the wheel's paging waits for the server.
    fail_prefetches(&mut app, &caused);
    assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
    assert_eq!(
        app.list.selected, 0,
        "lands on the next page's first row, as j does"
    );
    // And up past the top: the previous page, on its last row, as k does.
    let (id, request) = only_request(&app.update(wheel_up()));
    assert!(
        matches!(request, ApiRequest::List(ref p) if p.offset == Some(0)),
        "{request:?}"
    );
    app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, 137)))));
    assert_eq!(app.list.selected, 19);

    // At the very end the wheel down does nothing.
    let mut app = loaded(5);
    app.update(key('L'));
    assert!(app.update(wheel_down()).is_empty());
    assert!(app.unchanged());
    assert_eq!(app.list.selected, 4);
}

#[test]
fn a_click_on_a_tab_title_switches_to_that_tab() {
    let mut app = loaded(137);
    let lines = render::lines(&app);
    let hits = app.hits.get();
    let (users, invites) = (hits.users_tab.unwrap(), hits.invites_tab.unwrap());
    // The rectangles hold the titles as drawn.
    let text = |r: ratatui::layout::Rect| -> String {
        lines[usize::from(r.y)]
            .chars()
            .skip(usize::from(r.x))
            .take(usize::from(r.width))
            .collect()
    };
    assert_eq!(text(users), " Users ");
    assert_eq!(text(invites), " Invites ");
    // The tab in use: nothing to do.
    assert!(app.update(click(users.x + 2, users.y)).is_empty());
    assert!(app.unchanged());
    let (_, request) = only_request(&app.update(click(invites.x + 1, invites.y)));
    assert!(matches!(request, ApiRequest::ListInvites(_)), "{request:?}");
    assert_eq!(app.context(), Context::Invites);
    render::lines(&app);
    let users = app.hits.get().users_tab.unwrap();
    let (_, request) = only_request(&app.update(click(users.x + 1, users.y)));
    assert!(matches!(request, ApiRequest::List(_)), "{request:?}");
    assert_eq!(app.context(), Context::List);
}

#[test]
fn while_a_dialog_or_the_search_box_has_the_keys_the_mouse_does_nothing() {
    let mut app = loaded(137);
    render::lines(&app);
    let (x, y) = row_point(&app, 3);
    let invites = app.hits.get().invites_tab.unwrap();
    // Delete asks; a click on the list behind it (even where the selected row is) neither
    // confirms, nor closes, nor moves the selection the dialog is about.
    app.update(key('d'));
    render::lines(&app);
    for msg in [
        click(x, y),
        click(x, row_point(&app, 0).1),
        click(invites.x + 1, invites.y),
        wheel_down(),
        click(0, 0),
    ] {
        let cmds = app.update(msg);
        assert!(cmds.is_empty(), "{cmds:?}");
        assert!(app.unchanged());
        assert!(matches!(app.modals.last(), Some(Modal::Delete(_))));
        assert_eq!(app.list.selected, 0);
    }
    app.update(code(KeyCode::Esc));
    // Help, and the search box.
    for open in [key('?'), key('/')] {
        app.update(open);
        render::lines(&app);
        assert!(app.update(click(x, y)).is_empty());
        assert!(app.update(wheel_down()).is_empty());
        assert!(app.unchanged());
        assert_eq!(app.list.selected, 0);
        app.update(code(KeyCode::Esc));
    }
    assert_eq!(app.context(), Context::List);
}

#[test]
fn without_mouse_on_clicks_and_the_wheel_are_ignored() {
    let mut app = loaded_with(
        medusa_users::tui::app::AppConfig {
            mouse: false,
            ..config(true)
        },
        137,
    );
    render::lines(&app);
    let (x, y) = row_point(&app, 3);
    let invites = app.hits.get().invites_tab.unwrap();
    for msg in [click(x, y), wheel_down(), click(invites.x + 1, invites.y)] {
        assert!(app.update(msg).is_empty());
        assert!(app.unchanged());
    }
    assert_eq!(app.list.selected, 0);
    assert_eq!(app.context(), Context::List);
}

/// With marks, e changes the role of every marked user: the role is picked with ←/→ in the
/// dialog, one update at a time, then the list reloads; without roles (v2) it is refused.
#[test]
fn bulk_role_change_of_marked_users() {
    use medusa_users::api::{Role, UpdateUser};
    let mut app = loaded(5);
    app.update(key(' '));
    app.update(key(' '));
    app.update(key('e'));
    assert_eq!(app.context(), Context::Bulk);
    let start = match app.modals.last() {
        Some(Modal::Bulk(b)) => b.kind,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        start,
        BulkKind::SetRole(user(0).role.unwrap()),
        "starts at the first marked user's role"
    );
    let mut wanted = user(0).role.unwrap();
    while wanted != Role::Developer {
        app.update(code(KeyCode::Right));
        wanted = wanted.next();
    }
    let (first, req) = only_request(&app.update(key('y')));
    let body = UpdateUser {
        role: Some(Role::Developer),
        ..UpdateUser::default()
    };
    assert_eq!(
        req,
        ApiRequest::Update {
            id: user(0).id,
            body: body.clone()
        }
    );
    let (second, req) = only_request(&app.update(Msg::Reply(first, Ok(ApiReply::User(user(0))))));
    assert_eq!(
        req,
        ApiRequest::Update {
            id: user(1).id,
            body
        }
    );
    let cmds = app.update(Msg::Reply(second, Ok(ApiReply::User(user(1)))));
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::List(_))),
        "the list reloads: roles changed"
    );
    assert!(app.list.marked.is_empty(), "done users are unmarked");

    // v2: no roles, so no bulk role change (and no role keys in its dialog).
    let (mut app, cmds) = App::new(support::config_v2(true));
    for (id, request) in requests(&cmds) {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user(0)),
            ApiRequest::List(_) => ApiReply::Page(page(0, 20, 3)),
            ApiRequest::Capabilities => ApiReply::Capabilities(
                medusa_users::api::Capabilities::of(medusa_users::api::Dialect::V2),
            ),
            other => panic!("{other:?}"),
        };
        app.update(Msg::Reply(id, Ok(reply)));
    }
    app.update(key(' '));
    app.update(key('e'));
    assert_eq!(app.context(), Context::List, "refused: no roles here");
}

// ----- issue 12: pages fetched ahead ---------------------------------------------------------

/// The list requests among `cmds` as (offset, search) pairs, in order.
fn list_offsets(cmds: &[Command]) -> Vec<(Option<u64>, Option<String>)> {
    requests(cmds)
        .into_iter()
        .map(|(_, r)| match r {
            ApiRequest::List(p) => (p.offset, p.q),
            other => panic!("expected list requests only, got {other:?}"),
        })
        .collect()
}

fn cancels(cmds: &[Command]) -> Vec<RequestId> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Cancel(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// Answers the list requests among `cmds` with pages of `count` users, and the requests those
/// answers cause, as a server would.
fn serve(app: &mut App, cmds: &[Command], count: u64) {
    for (id, req) in requests(cmds) {
        if let ApiRequest::List(p) = req {
            let reply = ApiReply::Page(page(
                p.offset.unwrap_or(0),
                u64::from(p.limit.unwrap_or(20)),
                count,
            ));
            let caused = app.update(Msg::Reply(id, Ok(reply)));
            serve(app, &caused, count);
        }
    }
}

/// The app once page 1 of `count` users is shown and page 2 has been fetched ahead.
fn prefetched(count: u64) -> App {
    let (mut app, cmds) = App::new(config(true));
    for (id, req) in requests(&cmds) {
        if let ApiRequest::Me = req {
            app.update(Msg::Reply(id, Ok(ApiReply::User(user(0)))));
        }
    }
    serve(&mut app, &cmds, count);
    assert_eq!(app.cached_offsets(), [20]);
    app
}

#[test]
fn the_neighbouring_pages_are_fetched_ahead_once_a_page_is_shown() {
    let mut app = loaded(137);
    // Page 3 arrives: pages 4 and 2 are asked for, with the same query and page size.
    let cmds = app.update(key('n'));
    let cmds2 = app.update(key('n'));
    assert!(cancels(&cmds2).contains(&only_request(&cmds).0));
    let (id, _) = only_request(&cmds2);
    let caused = app.update(Msg::Reply(id, Ok(ApiReply::Page(page(40, 20, 137)))));
    let ahead = requests(&caused);
    assert_eq!(ahead.len(), 2, "{ahead:?}");
    for ((_, r), offset) in ahead.iter().zip([60, 20]) {
        let ApiRequest::List(p) = r else {
            panic!("{r:?}")
        };
        assert_eq!(p.offset, Some(offset));
        assert_eq!(p.limit, Some(20));
        assert_eq!(p.order, Some(Order::desc(OrderField::CreatedAt)));
        assert!(p.q.is_none() && p.roles.is_empty());
    }
    assert!(!app.is_busy() && !app.is_animating(), "no spinner for them");
    // Answered: kept, two at most; nothing changes on screen.
    for ((id, _), offset) in ahead.iter().zip([60, 20]) {
        let caused = app.update(Msg::Reply(*id, Ok(ApiReply::Page(page(offset, 20, 137)))));
        assert!(caused.is_empty());
    }
    assert_eq!(app.cached_offsets(), [20, 60]);
    assert_eq!(app.list.summary(), "41–60 of 137 · page 3/7");

    // A search narrows the list: its pages ahead carry the search.
    app.update(key('/'));
    type_text(&mut app, "ali");
    let cmds = app.update(Msg::Timer(Timer::SearchDebounce));
    let caused = app.update(Msg::Reply(
        only_request(&cmds).0,
        Ok(ApiReply::Page(page(0, 20, 50))),
    ));
    assert_eq!(list_offsets(&caused), [(Some(20), Some("ali".into()))]);

    // The first and last pages have one neighbour; a single page has none.
    let app = loaded(5);
    assert!(app.cached_offsets().is_empty());
    assert!(!app.is_busy());
}

#[test]
fn a_page_fetched_ahead_shows_at_once_and_is_revalidated() {
    let mut app = prefetched(137);
    app.update(key('j'));
    // n: page 2 is on screen in the same update, nothing to wait for; it is asked for again
    // in the background, and page 3 fetched ahead (page 1, just left, is kept).
    let cmds = app.update(key('n'));
    assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
    assert_eq!(app.list.selected_user().unwrap().id, user(20).id);
    assert!(!app.list.is_loading());
    assert!(!app.is_busy() && !app.is_animating(), "no spinner");
    assert!(app.is_revalidating());
    assert_eq!(list_offsets(&cmds), [(Some(20), None), (Some(40), None)]);
    assert_eq!(app.cached_offsets(), [0]);
    let reqs = requests(&cmds);
    let (revalidate, ahead) = (reqs[0].0, reqs[1].0);

    // The operator moves on the page meanwhile; the same answer changes nothing.
    app.update(key('j'));
    app.update(key('j'));
    let caused = app.update(Msg::Reply(
        revalidate,
        Ok(ApiReply::Page(page(20, 20, 137))),
    ));
    assert!(caused.is_empty());
    assert_eq!(app.list.selected_user().unwrap().id, user(22).id);
    assert!(!app.is_revalidating());
    app.update(Msg::Reply(ahead, Ok(ApiReply::Page(page(40, 20, 137)))));
    assert_eq!(app.cached_offsets(), [0, 40]);

    // Back with p, then forward with n: both at once; this time the server's answer differs
    // (a user was added at the top), so the rows are replaced, the selection stays on the
    // same user, and the pages kept are fetched again.
    let cmds = app.update(key('p'));
    assert_eq!(app.list.summary(), "1–20 of 137 · page 1/7");
    assert_eq!(list_offsets(&cmds), [(Some(0), None)], "page 2 is kept");
    assert_eq!(app.cached_offsets(), [20], "only neighbours are kept");
    app.update(Msg::Reply(
        requests(&cmds)[0].0,
        Ok(ApiReply::Page(page(0, 20, 137))),
    ));
    let cmds = app.update(key('n'));
    assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
    assert_eq!(list_offsets(&cmds), [(Some(20), None), (Some(40), None)]);
    assert_eq!(app.cached_offsets(), [0]);
    let ahead = requests(&cmds)[1].0;
    app.update(key('j'));
    app.update(key('j'));
    app.update(key('j'));
    assert_eq!(app.list.selected_user().unwrap().id, user(23).id);
    let mut fresh = page(19, 20, 138);
    fresh.offset = 20;
    let caused = app.update(Msg::Reply(requests(&cmds)[0].0, Ok(ApiReply::Page(fresh))));
    assert!(
        cancels(&caused).contains(&ahead),
        "fetched for the old rows"
    );
    assert_eq!(app.list.users()[0].id, user(19).id, "the fresh rows");
    assert_eq!(app.list.selected_user().unwrap().id, user(23).id);
    assert_eq!(app.list.selected, 4);
    assert_eq!(app.list.count(), 138);
    assert_eq!(app.cached_offsets(), Vec::<u64>::new());
    assert_eq!(
        list_offsets(&caused),
        [(Some(40), None), (Some(0), None)],
        "the neighbours are fetched again"
    );
}

#[test]
fn j_and_k_over_a_page_edge_use_the_pages_fetched_ahead() {
    let mut app = prefetched(45);
    app.update(key('L'));
    let cmds = app.update(key('j'));
    assert_eq!(app.list.selected_user().unwrap().id, user(20).id);
    serve(&mut app, &cmds, 45);
    assert_eq!(app.cached_offsets(), [0, 40]);
    // k on the first row: the previous page at once, on its last row.
    app.update(key('k'));
    assert_eq!(app.list.selected_user().unwrap().id, user(19).id);
    assert!(!app.list.is_loading());
}

#[test]
fn another_query_discards_the_pages_fetched_ahead_and_their_late_replies() {
    // A sort: the page kept is dropped, the prefetch in flight cancelled and, should its
    // answer come anyway, ignored.
    let mut app = prefetched(137);
    let cmds = app.update(key('n'));
    let ahead = requests(&cmds)[1].0;
    let revalidate = requests(&cmds)[0].0;
    let cmds = app.update(key('o'));
    assert!(app.cached_offsets().is_empty());
    let cancelled = cancels(&cmds);
    assert!(cancelled.contains(&ahead) && cancelled.contains(&revalidate));
    let (sorted, _) = only_request(&cmds);
    app.update(Msg::Reply(ahead, Ok(ApiReply::Page(page(40, 20, 137)))));
    app.update(Msg::Reply(revalidate, Ok(ApiReply::Page(page(7, 20, 137)))));
    assert!(app.cached_offsets().is_empty());
    assert_eq!(
        app.list.users()[0].id,
        user(20).id,
        "late replies do not land"
    );
    app.update(Msg::Reply(sorted, Ok(ApiReply::Page(page(0, 20, 137)))));
    assert_eq!(app.list.summary(), "1–20 of 137 · page 1/7");

    // Typing a search changes the query before the debounce sends it: a page fetched ahead
    // for the old query that arrives in between is not kept, and n does not use one.
    let mut app = loaded(137);
    let cmds = app.update(key('R'));
    let (refresh, _) = only_request(&cmds);
    let caused = app.update(Msg::Reply(refresh, Ok(ApiReply::Page(page(0, 20, 137)))));
    let (ahead, _) = only_request(&caused);
    app.update(key('/'));
    type_text(&mut app, "ali");
    app.update(Msg::Reply(ahead, Ok(ApiReply::Page(page(20, 20, 137)))));
    assert!(app.cached_offsets().is_empty());

    // A filter, a refresh, a page-size change from a resize and a tab switch each start
    // afresh.
    for change in ["f", "R", "resize", "tab"] {
        let mut app = prefetched(137);
        let cmds = match change {
            "resize" => {
                let mut cfg = config(true);
                cfg.page_size = None;
                let (mut fitted, cmds) = App::new(cfg);
                serve(&mut fitted, &cmds, 137);
                assert!(!fitted.cached_offsets().is_empty());
                app = fitted;
                app.update(Msg::Resize(80, 24));
                app.update(Msg::Timer(Timer::Resize))
            }
            "tab" => app.update(code(KeyCode::Tab)),
            c => app.update(key(c.chars().next().unwrap())),
        };
        assert!(app.cached_offsets().is_empty(), "{change}");
        assert!(!requests(&cmds).is_empty(), "{change}");
    }
}

#[test]
fn changing_data_empties_the_pages_fetched_ahead() {
    // A delete: the page kept may have moved; the prefetch in flight is cancelled.
    let mut app = prefetched(137);
    let cmds = app.update(key('n'));
    let ahead = requests(&cmds)[1].0;
    app.update(key('d'));
    let cmds = app.update(key('y'));
    let (delete, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Delete(ref id) if *id == user(20).id));
    assert!(app.cached_offsets().is_empty());
    assert!(cancels(&cmds).contains(&ahead));
    // After it the list is loaded again, and its neighbours fetched ahead anew.
    let cmds = app.update(Msg::Reply(delete, Ok(deleted(user(20).id))));
    let (reload, _) = only_request(&cmds);
    let caused = app.update(Msg::Reply(reload, Ok(ApiReply::Page(page(21, 20, 136)))));
    assert_eq!(list_offsets(&caused), [(Some(40), None), (Some(0), None)]);

    // An edit: the pages kept go when it is sent, and are fetched again once it is saved.
    let mut app = prefetched(137);
    app.update(key('e'));
    type_text(&mut app, "x");
    let cmds = app.update(ctrl('s'));
    let (save, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::Update { .. }));
    assert!(app.cached_offsets().is_empty());
    let caused = app.update(Msg::Reply(save, Ok(ApiReply::User(user(0)))));
    assert!(app.cached_offsets().is_empty());
    assert_eq!(list_offsets(&caused), [(Some(20), None)]);

    // A bulk action too.
    let mut app = prefetched(137);
    app.update(key(' '));
    app.update(key('d'));
    let cmds = app.update(key('y'));
    assert!(matches!(only_request(&cmds).1, ApiRequest::Delete(_)));
    assert!(app.cached_offsets().is_empty());
}

#[test]
fn fetching_ahead_fails_silently() {
    for error in [
        ApiError::Unauthorized {
            message: "expired".into(),
        },
        ApiError::Server {
            status: 500,
            message: "db down".into(),
        },
        ApiError::Server {
            status: 503,
            message: "gateway".into(),
        },
        ApiError::Network {
            message: "refused".into(),
        },
        ApiError::Timeout {
            after: Duration::from_secs(30),
            attempts: 3,
        },
    ] {
        // A prefetch…
        let (mut app, cmds) = App::new(config(true));
        let mut ahead = None;
        for (id, req) in requests(&cmds) {
            let reply = match req {
                ApiRequest::Me => ApiReply::User(user(0)),
                _ => ApiReply::Page(page(0, 20, 137)),
            };
            let caused = app.update(Msg::Reply(id, Ok(reply)));
            ahead = ahead.or(requests(&caused).first().map(|(id, _)| *id));
        }
        let caused = app.update(Msg::Reply(ahead.unwrap(), Err(error.clone())));
        assert!(caused.is_empty(), "{error:?}: {caused:?}");
        assert!(app.status.is_none() && app.log.is_empty(), "{error:?}");
        assert_eq!(app.session.state, ConnState::Online, "{error:?}");
        assert!(app.retry.is_none() && app.modals.is_empty(), "{error:?}");
        assert!(app.cached_offsets().is_empty());
        // …and so n waits for the server, as before.
        let cmds = app.update(key('n'));
        assert_eq!(list_offsets(&cmds), [(Some(20), None)]);
        assert!(app.list.is_loading());

        // A revalidation: the page shown from the cache stays; but refused credentials are
        // said (the login screen, the page asked for again after it), as for any page.
        let mut app = prefetched(137);
        let cmds = app.update(key('n'));
        let caused = app.update(Msg::Reply(requests(&cmds)[0].0, Err(error.clone())));
        if matches!(error, ApiError::Unauthorized { .. }) {
            assert_eq!(app.context(), Context::Login);
            assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
            continue;
        }
        assert!(caused.is_empty(), "{error:?}: {caused:?}");
        assert!(app.status.is_none() && app.retry.is_none() && app.modals.is_empty());
        assert_eq!(app.session.state, ConnState::Online);
        assert_eq!(app.list.summary(), "21–40 of 137 · page 2/7");
    }
}

#[test]
fn search_results_as_you_type_supersede_the_earlier_ones() {
    let mut app = loaded(137);
    app.update(key('/'));
    type_text(&mut app, "a");
    let first = app.update(Msg::Timer(Timer::SearchDebounce));
    let (first, _) = only_request(&first);
    type_text(&mut app, "l");
    let cmds = app.update(Msg::Timer(Timer::SearchDebounce));
    assert!(cancels(&cmds).contains(&first));
    let (second, req) = only_request(&cmds);
    assert!(matches!(req, ApiRequest::List(ref p) if p.q.as_deref() == Some("al")));
    // The answer to the newer search comes first; the older one, late, is dropped.
    let caused = app.update(Msg::Reply(second, Ok(ApiReply::Page(page(0, 20, 30)))));
    assert_eq!(list_offsets(&caused), [(Some(20), Some("al".into()))]);
    assert!(
        app.update(Msg::Reply(first, Ok(ApiReply::Page(page(50, 20, 137)))))
            .is_empty()
    );
    assert_eq!(app.list.summary(), "1–20 of 30 · page 1/2");
    assert_eq!(app.list.q, "al");
}
