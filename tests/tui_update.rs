//! Pure state-update tests of the TUI: state + message → new state + commands. No terminal,
//! no network; API replies are injected by hand.

mod support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use medusa_users::api::{ApiError, Deleted, Order, OrderField, Role};
use medusa_users::tui::app::{
    ApiReply, ApiRequest, App, Command, ConnState, Level, Modal, Msg, RequestId, Timer,
};
use medusa_users::tui::keymap::Context;
use support::{config, page, user};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str) -> Vec<Command> {
    let mut all = Vec::new();
    for c in text.chars() {
        all.extend(app.update(key(c)));
    }
    all
}

/// The API requests among commands, with their ids.
fn requests(cmds: &[Command]) -> Vec<(RequestId, ApiRequest)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Api(id, tag) => Some((*id, tag.0.clone())),
            _ => None,
        })
        .collect()
}

fn only_request(cmds: &[Command]) -> (RequestId, ApiRequest) {
    let reqs = requests(cmds);
    assert_eq!(reqs.len(), 1, "expected one request, got {reqs:?}");
    reqs.into_iter().next().unwrap()
}

/// An app that has loaded page 1 of `count` users.
fn loaded(count: u64) -> App {
    let (mut app, cmds) = App::new(config(true));
    let reqs = requests(&cmds);
    for (id, req) in reqs {
        match req {
            ApiRequest::Me => {
                app.update(Msg::Reply(id, Ok(ApiReply::User(user(0)))));
            }
            ApiRequest::List(_) => {
                app.update(Msg::Reply(id, Ok(ApiReply::Page(page(0, 20, count)))));
            }
            other => panic!("unexpected startup request {other:?}"),
        }
    }
    app
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
    app.update(key('G'));
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
    app.update(Msg::Reply(second_id, Ok(ApiReply::Page(page(40, 20, 137)))));
    assert_eq!(app.list.summary(), "41–60 of 137 · page 3/7");
    assert_eq!(app.list.selected, 0);
    assert!(!app.is_busy());

    // p goes back; on the first page it says so instead of loading.
    let cmds = app.update(key('p'));
    assert!(matches!(only_request(&cmds).1, ApiRequest::List(ref p) if p.offset == Some(20)));
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
        format!("created new@example.com ({})", created.role)
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
        !format!("{:?}", cmds).contains("supersecret"),
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
    app.update(Msg::Reply(id, Ok(ApiReply::TokenSent)));
    let Some(Modal::ResetRequest { sent, .. }) = app.modals.last() else {
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
