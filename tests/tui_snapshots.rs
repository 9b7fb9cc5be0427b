//! Whole-screen snapshots of the TUI on ratatui's TestBackend, at 100×30 and at the smallest
//! supported 60×20: the list, details, each form and dialog, help, login and error states.
//! Review changes with `cargo insta review`.

mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use medusa_users::api::ApiError;
use medusa_users::tui::app::{ApiReply, App, Command, Msg};
use medusa_users::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{config, page, user};

const SIZES: [(u16, u16); 2] = [(100, 30), (60, 20)];

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

fn request_ids(cmds: &[Command]) -> Vec<u64> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Api(id, _) => Some(*id),
            _ => None,
        })
        .collect()
}

/// An app at `size` that has loaded page 2 of 137 users, signed in as user 0.
fn loaded(size: (u16, u16)) -> App {
    let mut cfg = config(true);
    cfg.size = size;
    let (mut app, cmds) = App::new(cfg);
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(ids[0], Ok(ApiReply::User(user(0)))));
    app.update(Msg::Reply(ids[1], Ok(ApiReply::Page(page(0, 20, 137)))));
    let ids = request_ids(&app.update(key('n')));
    app.update(Msg::Reply(ids[0], Ok(ApiReply::Page(page(20, 20, 137)))));
    app.update(key('j'));
    app
}

fn draw(app: &App, size: (u16, u16)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal.draw(|f| ui::render(f, app)).unwrap();
    terminal
}

/// Snapshots `app` at its size, named `<name>_<w>x<h>`.
fn check(name: &str, app: &App) {
    let terminal = draw(app, app.size);
    insta::assert_snapshot!(
        format!("{name}_{}x{}", app.size.0, app.size.1),
        terminal.backend()
    );
}

#[test]
fn list_with_detail_pane() {
    for size in SIZES {
        check("list", &loaded(size));
    }
}

#[test]
fn detail_revealed_token_and_narrow_detail_screen() {
    for size in SIZES {
        let mut app = loaded(size);
        // Row 4 of page 2 is user 24: it has an API token and metadata.
        for _ in 0..3 {
            app.update(key('j'));
        }
        app.update(key('v'));
        app.update(code(KeyCode::Enter));
        check("detail", &app);
    }
}

#[test]
fn search_and_filters_in_the_title() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('f'));
        app.update(key('o'));
        app.update(key('/'));
        type_text(&mut app, "ada");
        check("search", &app);
    }
}

#[test]
fn empty_result() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('/'));
        type_text(&mut app, "nobody");
        let ids =
            request_ids(&app.update(Msg::Timer(medusa_users::tui::app::Timer::SearchDebounce)));
        app.update(code(KeyCode::Enter));
        app.update(Msg::Reply(ids[0], Ok(ApiReply::Page(page(0, 20, 0)))));
        check("empty", &app);
    }
}

#[test]
fn create_form_with_inline_errors() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('c'));
        type_text(&mut app, "not-an-email");
        app.update(code(KeyCode::Tab));
        type_text(&mut app, "Zoë");
        app.update(ctrl('s'));
        check("create_errors", &app);
    }
}

#[test]
fn create_form_with_a_server_error_keeps_input() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('c'));
        type_text(&mut app, "ada.lovelace0@example.com");
        app.update(code(KeyCode::Tab));
        type_text(&mut app, "Ada");
        for _ in 0..3 {
            app.update(code(KeyCode::Tab));
        }
        type_text(&mut app, "secret-pw");
        app.update(code(KeyCode::Tab));
        type_text(&mut app, "secret-pw");
        let ids = request_ids(&app.update(code(KeyCode::Enter)));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::invalid(
                "A user with the same email already exists.",
            )),
        ));
        check("create_server_error", &app);
    }
}

#[test]
fn edit_form() {
    for size in SIZES {
        let mut app = loaded(size);
        for _ in 0..4 {
            app.update(key('j'));
        }
        app.update(key('e'));
        for _ in 0..5 {
            app.update(code(KeyCode::Tab));
        }
        check("edit", &app);
    }
}

#[test]
fn delete_dialog() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('d'));
        check("delete", &app);
    }
}

#[test]
fn reset_password_dialogs() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('r'));
        let ids = request_ids(&app.update(key('s')));
        app.update(Msg::Reply(ids[0], Ok(ApiReply::TokenSent)));
        check("reset_request", &app);
        app.update(key('t'));
        app.update(Msg::Paste("eyJhbGciOiJIUzI1NiJ9.payload.signature".into()));
        app.update(code(KeyCode::Tab));
        type_text(&mut app, "new-password");
        app.update(code(KeyCode::Tab));
        type_text(&mut app, "new-password");
        let ids = request_ids(&app.update(code(KeyCode::Enter)));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::InvalidData {
                kind: "invalid_token".into(),
                message: "the reset token is invalid, expired or already used; request a new one"
                    .into(),
            }),
        ));
        check("reset_apply_error", &app);
    }
}

#[test]
fn discard_question() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('c'));
        type_text(&mut app, "half");
        app.update(code(KeyCode::Esc));
        check("discard", &app);
    }
}

#[test]
fn help_overlay() {
    for size in SIZES {
        let mut app = loaded(size);
        app.update(key('?'));
        check("help", &app);
    }
}

#[test]
fn login_screen_at_startup_and_after_a_401() {
    for size in SIZES {
        let mut cfg = config(false);
        cfg.size = size;
        cfg.login_email = Some("admin@medusa-test.com".into());
        let (mut app, _) = App::new(cfg);
        type_text(&mut app, "wrong");
        let ids = request_ids(&app.update(code(KeyCode::Enter)));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::Unauthorized {
                message: "e-mail or password not accepted".into(),
            }),
        ));
        check("login_failed", &app);

        let mut app = loaded(size);
        let ids = request_ids(&app.update(key('R')));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::Unauthorized {
                message: "credentials missing, wrong or expired (HTTP 401)".into(),
            }),
        ));
        check("login_after_401", &app);
    }
}

#[test]
fn offline_and_error_states() {
    for size in SIZES {
        let mut app = loaded(size);
        let ids = request_ids(&app.update(key('R')));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::Network {
                message: "cannot connect to 127.0.0.1:9000: Connection refused (os error 111)"
                    .into(),
            }),
        ));
        check("offline", &app);

        let mut app = loaded(size);
        let ids = request_ids(&app.update(key('R')));
        app.update(Msg::Reply(
            ids[0],
            Err(ApiError::Server {
                status: 500,
                message: "An unknown error occurred.".into(),
            }),
        ));
        check("server_error", &app);
    }
}

#[test]
fn read_only_sandbox_with_warning_header() {
    let mut cfg = config(true);
    cfg.read_only = true;
    cfg.sandbox = true;
    cfg.warnings = vec![
        "plain HTTP to shop.example.com: credentials and data travel unencrypted; use https://"
            .into(),
    ];
    let (mut app, cmds) = App::new(cfg);
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(ids[0], Ok(ApiReply::User(user(0)))));
    app.update(Msg::Reply(ids[1], Ok(ApiReply::Page(page(0, 20, 3)))));
    check("read_only", &app);
}

#[test]
fn loading_spinner_keeps_the_old_page() {
    let mut app = loaded((100, 30));
    app.update(key('n'));
    app.update(Msg::Tick);
    check("loading", &app);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let app = loaded((100, 30));
    for (w, h) in [
        (1, 1),
        (2, 1),
        (10, 3),
        (29, 7),
        (30, 8),
        (45, 12),
        (59, 19),
        (200, 60),
    ] {
        let terminal = draw(&app, (w, h));
        let text: String = terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        if w >= ui::MIN_WIDTH && h >= ui::MIN_HEIGHT {
            assert!(text.contains("Users"), "{w}x{h}");
        } else if w >= 12 && h >= 3 {
            assert!(text.contains("medusa-users"), "{w}x{h}: {text}");
        }
    }
}
