//! The TUI on a server without roles or user API tokens (Medusa v2), decided by capabilities:
//! pure state updates (what each key sends, what each reply changes) and TestBackend
//! snapshots at 100×30, 80×24 and 60×20. Review snapshot changes with `cargo insta review`.

use crate::support;

use crossterm::event::KeyCode;
use medusa_users::api::{ApiError, ApiKey, Capabilities, Deleted, Dialect, Timestamp, User};
use medusa_users::tui::app::{
    ApiReply, ApiRequest, App, AppConfig, Command, DeleteDialog, Modal, Msg,
};
use medusa_users::tui::keymap::Context;
use secrecy::SecretString;
use support::render::{draw, help_texts, screen};
use support::tui_msgs::{code, ctrl, key, only_request, requests, type_text};
use support::{config, config_v2, user};

const SIZES: [(u16, u16); 3] = [(100, 30), (80, 24), (60, 20)];

/// A user as Medusa v2 sends it: no role, no API token; every third has an avatar.
fn user_v2(i: u64) -> User {
    User {
        role: None,
        api_token: None,
        avatar_url: i
            .is_multiple_of(3)
            .then(|| format!("https://cdn.example.com/a/{i}.png")),
        wire: Dialect::V2,
        ..user(i)
    }
}

fn page_v2(offset: u64, limit: u64, count: u64) -> medusa_users::api::UserPage {
    let end = (offset + limit).min(count);
    medusa_users::api::UserPage {
        users: (offset..end).map(user_v2).collect(),
        count,
        offset,
        limit,
    }
}

/// Answers the start-up requests of `cfg` as a v2 store of `count` users would, signed in as
/// user 0, and selects the second row.
fn loaded_with(cfg: AppConfig, count: u64) -> App {
    let (mut app, cmds) = App::new(cfg);
    for (id, request) in requests(&cmds) {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user_v2(0)),
            ApiRequest::List(p) => ApiReply::Page(page_v2(
                p.offset.unwrap_or(0),
                u64::from(p.limit.unwrap_or(20)),
                count,
            )),
            ApiRequest::Capabilities => ApiReply::Capabilities(Capabilities::of(Dialect::V2)),
            other => panic!("unexpected start-up request {other:?}"),
        };
        app.update(Msg::Reply(id, Ok(reply)));
    }
    app.update(key('j'));
    app
}

fn loaded(size: (u16, u16)) -> App {
    let mut cfg = config_v2(true);
    cfg.size = size;
    cfg.page_size = None;
    loaded_with(cfg, 57)
}

fn check(name: &str, app: &App) {
    let terminal = draw(app, app.size);
    insta::assert_snapshot!(
        format!("{name}_{}x{}", app.size.0, app.size.1),
        terminal.backend()
    );
}

fn secret_key(i: usize, by: &str) -> ApiKey {
    ApiKey {
        id: format!("apk_{i}"),
        title: format!("deploy bot {i}"),
        redacted: format!("sk_…{i}{i}{i}"),
        kind: "secret".into(),
        created_by: Some(by.to_owned()),
        revoked_at: None,
        created_at: Timestamp("2026-11-27T10:00:00.000Z".into()),
    }
}

// ----- capabilities ------------------------------------------------------------------------

#[test]
fn unknown_capabilities_are_asked_first_and_shape_the_app() {
    let cfg = AppConfig {
        capabilities: None,
        ..config(true)
    };
    let (mut app, cmds) = App::new(cfg);
    let asked = requests(&cmds);
    assert!(
        matches!(asked[0].1, ApiRequest::Capabilities),
        "the dialect first: {asked:?}"
    );
    assert!(app.caps().is_none());
    // Until the answer, keys that depend on it do nothing and are not offered.
    assert!(!help_texts(&app).contains(&"filter by role"));
    app.update(Msg::Reply(
        asked[0].0,
        Ok(ApiReply::Capabilities(Capabilities::of(Dialect::V2))),
    ));
    assert_eq!(app.caps().map(|c| c.label), Some("Medusa v2"));
    // Without credentials the dialect is still asked, for the login screen.
    let (_, cmds) = App::new(AppConfig {
        capabilities: None,
        ..config(false)
    });
    assert!(matches!(
        requests(&cmds).as_slice(),
        [(_, ApiRequest::Capabilities)]
    ));
}

#[test]
fn keys_a_v2_server_cannot_honour_are_neither_shown_nor_working() {
    let mut app = loaded((100, 30));
    let help = help_texts(&app);
    for hidden in [
        "filter by role",
        "show/hide the API token",
        "next role (on Role)",
    ] {
        assert!(!help.contains(&hidden), "{hidden:?} offered on v2");
    }
    for shown in [
        "mint a token now and show it (valid 15 minutes)",
        "also revoke the secret API keys the user created",
    ] {
        assert!(help.contains(&shown), "{shown:?} missing on v2");
    }
    // `f` is no key here: nothing is sent, no filter set.
    let cmds = app.update(key('f'));
    assert!(requests(&cmds).is_empty());
    assert_eq!(app.list.role, None);
    // The sort cycles over what v2 sorts by, never by role.
    for _ in 0..8 {
        let cmds = app.update(key('o'));
        let (_, request) = only_request(&cmds);
        let ApiRequest::List(p) = request else {
            panic!("{request:?}")
        };
        let order = p.order.unwrap();
        assert!(
            Capabilities::of(Dialect::V2).can_order_by(order.field),
            "{order:?}"
        );
    }
    // And v1 offers no minting, and keeps its role keys.
    let v1 = App::new(config(true)).0;
    let help = help_texts(&v1);
    assert!(help.contains(&"filter by role"));
    assert!(!help.contains(&"mint a token now and show it (valid 15 minutes)"));
}

#[test]
fn read_only_hides_every_mutating_key_but_explains_one_pressed() {
    let mut cfg = config_v2(true);
    cfg.read_only = true;
    let mut app = loaded_with(cfg, 10);
    let help = help_texts(&app);
    for hidden in ["create user", "edit user", "delete user", "reset password"] {
        assert!(!help.contains(&hidden), "{hidden:?} offered read-only");
    }
    let cmds = app.update(key('d'));
    assert!(requests(&cmds).is_empty());
    assert_eq!(app.context(), Context::List);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.starts_with("read-only mode"))
    );
}

// ----- create ------------------------------------------------------------------------------

#[test]
fn create_on_v2_has_no_role_shows_its_steps_and_keeps_input_on_failure() {
    let mut app = loaded((100, 30));
    app.update(key('c'));
    let Some(Modal::Create { form, .. }) = app.modals.last() else {
        panic!("no create form")
    };
    assert!(form.field("Role").is_none(), "v2 users have no role");
    type_text(&mut app, "New@Example.com");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "Nia");
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "long-enough-1");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "long-enough-1");
    let (id, request) = only_request(&app.update(ctrl('s')));
    let ApiRequest::Create(body) = request else {
        panic!("{request:?}")
    };
    assert_eq!(body.role, None);
    assert_eq!(body.first_name.as_deref(), Some("Nia"));

    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Progress("step 2/3: register the login…".into())),
    ));
    let Some(Modal::Create { step, .. }) = app.modals.last() else {
        panic!()
    };
    assert_eq!(step.as_deref(), Some("step 2/3: register the login…"));
    assert!(screen(&app).contains("step 2/3: register the login…"));
    check("create_step", &app);

    app.update(Msg::Reply(
        id,
        Err(ApiError::Server {
            status: 500,
            message: "step 3/3 (accept the invite) failed: invite and login are ready: run the \
                      same create again, same password, to finish"
                .into(),
        }),
    ));
    let Some(Modal::Create {
        form,
        step,
        request,
    }) = app.modals.last()
    else {
        panic!("the form closed on a failure")
    };
    assert_eq!(*step, None);
    assert_eq!(*request, None);
    assert_eq!(form.value("Email"), "New@Example.com");
    assert_eq!(form.value("Password"), "long-enough-1");
    assert!(
        form.error
            .as_deref()
            .is_some_and(|e| e.contains("step 3/3"))
    );
    // Saving again resumes: the same request, once.
    let (_, again) = only_request(&app.update(ctrl('s')));
    assert!(matches!(again, ApiRequest::Create(ref b) if b.email == "New@Example.com"));
}

// ----- delete ------------------------------------------------------------------------------

#[test]
fn deleting_yourself_is_refused_before_anything_is_sent() {
    let mut app = loaded((100, 30));
    app.update(key('k'));
    assert_eq!(
        app.list.selected_user().map(|u| u.id.clone()),
        Some(user(0).id)
    );
    let cmds = app.update(key('d'));
    assert!(requests(&cmds).is_empty());
    assert_eq!(app.context(), Context::List);
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("does not let you delete yourself"),
        "{status}"
    );
}

#[test]
fn delete_lists_the_users_secret_keys_and_revokes_them_first_when_asked() {
    let mut app = loaded((100, 30));
    let target = user_v2(1);
    let (keys_id, request) = only_request(&app.update(key('d')));
    assert_eq!(request, ApiRequest::KeysCreatedBy(target.id.clone()));
    // `k` does nothing until there are keys to revoke.
    app.update(key('k'));
    assert!(matches!(
        app.modals.last(),
        Some(Modal::Delete(DeleteDialog {
            revoke_keys: false,
            ..
        }))
    ));
    app.update(Msg::Reply(
        keys_id,
        Ok(ApiReply::Keys(vec![
            secret_key(1, &target.id),
            secret_key(2, &target.id),
        ])),
    ));
    let shown = screen(&app);
    assert!(shown.contains("deploy bot 2"), "{shown}");
    app.update(key('k'));
    check("delete_keys", &app);
    let (id, request) = only_request(&app.update(key('y')));
    assert_eq!(
        request,
        ApiRequest::DeleteRevokingKeys {
            id: target.id.clone(),
            keys: vec!["apk_1".into(), "apk_2".into()],
        }
    );
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Progress("revoking key 2/2…".into())),
    ));
    assert!(screen(&app).contains("revoking key 2/2…"));
    let cmds = app.update(Msg::Reply(
        id,
        Ok(ApiReply::Deleted(Deleted {
            id: target.id.clone(),
            object: "user".into(),
            deleted: true,
        })),
    ));
    assert_eq!(app.context(), Context::List);
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("revoked 2 secret keys"), "{status}");
    assert!(status.contains("stay valid until they expire"), "{status}");
    assert!(
        requests(&cmds)
            .iter()
            .any(|(_, r)| matches!(r, ApiRequest::List(_))),
        "the list reloads"
    );
}

#[test]
fn delete_without_revoking_sends_a_plain_delete() {
    let mut app = loaded((100, 30));
    let (keys_id, _) = only_request(&app.update(key('d')));
    app.update(Msg::Reply(
        keys_id,
        Ok(ApiReply::Keys(vec![secret_key(1, &user_v2(1).id)])),
    ));
    let (_, request) = only_request(&app.update(key('y')));
    assert_eq!(request, ApiRequest::Delete(user_v2(1).id));
}

// ----- reset -------------------------------------------------------------------------------

#[test]
fn reset_mints_a_token_copies_it_and_applies_it_checked_before_sending() {
    let mut cfg = config_v2(true);
    cfg.admin_url = Some("https://shop.example.com/app".into());
    let mut app = loaded_with(cfg, 10);
    let target = user_v2(1);
    app.update(key('r'));
    let (id, request) = only_request(&app.update(key('m')));
    assert_eq!(request, ApiRequest::MintResetToken(target.id.clone()));
    app.update(Msg::Reply(
        id,
        Ok(ApiReply::Minted(SecretString::from("tok.minted.1"))),
    ));
    let shown = screen(&app);
    assert!(
        shown.contains("tok.minted.1"),
        "the token is shown\n{shown}"
    );
    assert!(shown.contains("https://shop.example.com/app/reset-password?token=tok.minted.1"));
    check("reset_minted", &app);

    let cmds = app.update(key('y'));
    assert!(cmds.contains(&Command::Copy {
        text: "tok.minted.1".into()
    }));
    let cmds = app.update(key('l'));
    assert!(cmds.iter().any(|c| matches!(c, Command::Copy { text }
        if text.starts_with("https://shop.example.com/app/reset-password?token=tok.minted.1&email="))));
    // Copying never puts the token in the status line or the message log.
    assert!(app.log.iter().all(|s| !s.text.contains("tok.minted.1")));

    // `t` uses the minted token.
    app.update(key('t'));
    let Some(Modal::ResetApply { form, .. }) = app.modals.last() else {
        panic!("no apply form")
    };
    assert_eq!(form.value("Reset token"), "tok.minted.1");
    // A password the server would refuse is caught here: a refused v2 attempt spends the token.
    type_text(&mut app, "short");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "short");
    let cmds = app.update(ctrl('s'));
    assert!(requests(&cmds).is_empty(), "nothing sent");
    let Some(Modal::ResetApply { form, .. }) = app.modals.last() else {
        panic!()
    };
    assert!(
        form.field("New password")
            .and_then(|f| f.error.as_deref())
            .is_some_and(|e| e.contains("at least 8")),
        "{:?}",
        form.field("New password")
    );
    type_text(&mut app, "-but-long");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "-but-long");
    let (_, request) = only_request(&app.update(ctrl('s')));
    let ApiRequest::ResetPassword(body) = request else {
        panic!("{request:?}")
    };
    assert_eq!(body.password, "short-but-long");
    assert_eq!(body.email, None, "v2 reads the user from the token");
}

#[test]
fn v1_offers_no_minting() {
    let (mut app, cmds) = App::new(config(true));
    for (id, request) in requests(&cmds) {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user(0)),
            _ => ApiReply::Page(support::page(0, 20, 5)),
        };
        app.update(Msg::Reply(id, Ok(reply)));
    }
    app.update(key('r'));
    assert_eq!(app.context(), Context::ResetRequest);
    assert!(requests(&app.update(key('m'))).is_empty());
}

// ----- screens -----------------------------------------------------------------------------

#[test]
fn the_v2_list_has_no_role_column_and_names_the_dialect() {
    for size in SIZES {
        let app = loaded(size);
        let shown = screen(&app);
        assert!(!shown.contains("Role"), "{shown}");
        assert!(
            shown.contains("v2"),
            "the header names the dialect\n{shown}"
        );
        check("list", &app);
    }
}

#[test]
fn edit_form_on_v2_offers_the_avatar_url_and_no_role_or_token() {
    for size in [(100, 30), (60, 20)] {
        let mut app = loaded(size);
        app.update(key('j'));
        app.update(key('j'));
        app.update(key('e'));
        let Some(Modal::Edit { form, user, .. }) = app.modals.last() else {
            panic!()
        };
        assert!(form.field("Role").is_none());
        assert!(form.field("API token").is_none());
        assert_eq!(
            form.value("Avatar URL"),
            user.avatar_url.as_deref().unwrap_or("")
        );
        check("edit", &app);
    }
}

#[test]
fn editing_the_avatar_sends_it_and_emptying_it_clears_it() {
    let mut app = loaded((100, 30));
    // User 3 has an avatar.
    app.update(key('j'));
    app.update(key('j'));
    app.update(key('e'));
    app.update(code(KeyCode::Tab));
    app.update(code(KeyCode::Tab));
    for _ in 0..60 {
        app.update(code(KeyCode::Backspace));
    }
    let (_, request) = only_request(&app.update(ctrl('s')));
    let ApiRequest::Update { body, .. } = request else {
        panic!("{request:?}")
    };
    assert_eq!(body.avatar_url, Some(None), "null clears it");
    assert_eq!(body.role, None);
    assert_eq!(body.api_token, None);
}

#[test]
fn a_login_that_needs_mfa_says_so_instead_of_wrong_password() {
    let cfg = AppConfig {
        capabilities: Some(Capabilities::of(Dialect::V2)),
        ..config(false)
    };
    let (mut app, _) = App::new(cfg);
    assert_eq!(app.context(), Context::Login);
    type_text(&mut app, "admin@example.com");
    app.update(code(KeyCode::Tab));
    type_text(&mut app, "the-right-password");
    let (id, _) = only_request(&app.update(code(KeyCode::Enter)));
    app.update(Msg::Reply(
        id,
        Err(ApiError::Unauthorized {
            message: medusa_users::api::MFA_REQUIRED.into(),
        }),
    ));
    let Some(Modal::Login { form, .. }) = app.modals.last() else {
        panic!("the login screen closed")
    };
    let said = form.error.clone().unwrap_or_default()
        + form
            .fields
            .iter()
            .filter_map(|f| f.error.as_deref())
            .collect::<String>()
            .as_str();
    assert!(said.contains("second factor (MFA)"), "{said}");
    assert!(!said.contains("not accepted"), "{said}");
}

#[test]
fn a_long_search_is_cut_in_the_title_and_the_role_filter_stays() {
    let mut cfg = config(true);
    cfg.size = (60, 20);
    let (mut app, cmds) = App::new(cfg);
    for (id, request) in requests(&cmds) {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user(0)),
            _ => ApiReply::Page(support::page(0, 20, 137)),
        };
        app.update(Msg::Reply(id, Ok(reply)));
    }
    app.update(key('f'));
    app.update(key('/'));
    type_text(&mut app, "a-very-long-search-that-cannot-fit-in-the-title");
    app.update(code(KeyCode::Enter));
    let shown = screen(&app);
    let title = shown.lines().nth(1).unwrap_or("");
    assert!(title.contains("role: admin"), "{title}");
    assert!(
        title.contains('…'),
        "the search is cut with an ellipsis: {title}"
    );
    assert!(title.ends_with('┐'), "the border is whole: {title}");
}

#[test]
fn a_bad_admin_url_is_said_in_the_header_and_offers_no_link() {
    let mut cfg = config_v2(true);
    cfg.admin_url = Some("shop.example.com/app".into());
    let app = loaded_with(cfg, 5);
    assert!(
        app.session
            .warnings
            .iter()
            .any(|w| w.contains("MEDUSA_ADMIN_URL is not an http(s) URL")),
        "{:?}",
        app.session.warnings
    );
    assert_eq!(app.reset_link("a@example.com", "tok"), None);
    assert!(screen(&app).contains("MEDUSA_ADMIN_URL is not an http(s) URL"));
}
