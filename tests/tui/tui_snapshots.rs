//! Whole-screen snapshots of the TUI on ratatui's TestBackend, at 100×30 and at the smallest
//! supported 60×20 (and, for the list, the common 80×24, 120×35 and 200×50): the list, details,
//! each form and dialog, help, login and error states. Pages are sized to the window, as the
//! TUI does without `--page-size`. Review changes with `cargo insta review`.

use crate::support;

use crossterm::event::KeyCode;
use medusa_users::api::{ApiError, ListParams};
use medusa_users::tui::app::{ApiReply, ApiRequest, App, Command, Msg};
use medusa_users::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::render::{draw, screen};
use support::tui_msgs::{code, ctrl, key, keymap_with, type_text};
use support::{config, page, user};

const SIZES: [(u16, u16); 2] = [(100, 30), (60, 20)];

fn request_ids(cmds: &[Command]) -> Vec<u64> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::Api(id, _) => Some(*id),
            _ => None,
        })
        .collect()
}

/// Answers the list requests among `cmds` with pages of a store of `count` users, as the
/// server would (the limit and offset asked for), and the ones those answers cause (the
/// neighbouring pages fetched ahead).
fn answer_lists(app: &mut App, cmds: &[Command], count: u64) {
    answer_lists_failing(app, cmds, count, &|_| false);
}

/// [`answer_lists`], except that the requests `fail` picks fail (the network is down).
fn answer_lists_failing(
    app: &mut App,
    cmds: &[Command],
    count: u64,
    fail: &dyn Fn(&ListParams) -> bool,
) {
    for c in cmds {
        if let Command::Api(id, ApiRequest::List(p)) = c {
            let reply = if fail(p) {
                Err(ApiError::Network {
                    message: "connection refused".into(),
                })
            } else {
                Ok(ApiReply::Page(page(
                    p.offset.unwrap_or(0),
                    u64::from(p.limit.unwrap_or(20)),
                    count,
                )))
            };
            let more = app.update(Msg::Reply(*id, reply));
            answer_lists_failing(app, &more, count, fail);
        }
    }
}

/// An app at `size` that has loaded page 2 of 137 users (pages as tall as the window), signed
/// in as user 0, with the second row selected.
fn loaded(size: (u16, u16)) -> App {
    loaded_failing(size, &|_| false)
}

/// [`loaded`], with the list requests `fail` picks failing.
fn loaded_failing(size: (u16, u16), fail: &dyn Fn(&ListParams) -> bool) -> App {
    let mut cfg = config(true);
    cfg.size = size;
    cfg.page_size = None;
    let (mut app, cmds) = App::new(cfg);
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(ids[0], Ok(ApiReply::User(user(0)))));
    answer_lists_failing(&mut app, &cmds, 137, fail);
    let cmds = app.update(key('n'));
    answer_lists_failing(&mut app, &cmds, 137, fail);
    app.update(key('j'));
    app
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
        // A user with metadata (a text and a number).
        while app.list.selected_user().unwrap().metadata.is_none() {
            app.update(key('j'));
        }
        app.update(key('e'));
        // To the metadata field: its hint explains the syntax, wrapped, never cut.
        for _ in 0..4 {
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
        app.update(Msg::Reply(ids[0], Ok(ApiReply::TokenSent { outbox: None })));
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

/// A production profile: its name in its colour on the left, a red PRODUCTION badge on the
/// right, at 80 and 120 columns (the badge shortens, never disappears).
#[test]
fn production_profile_header() {
    use medusa_users::config::ProfileBadge;
    use ratatui::style::{Color, Modifier};
    for size in [(120, 12), (80, 12), (60, 12)] {
        let mut cfg = config(true);
        cfg.size = size;
        cfg.profile = Some(ProfileBadge {
            name: "shop".into(),
            color: Some(Color::Magenta),
            production: true,
            confirm_by_name: true,
        });
        let (mut app, cmds) = App::new(cfg);
        let ids = request_ids(&cmds);
        app.update(Msg::Reply(ids[0], Ok(ApiReply::User(user(0)))));
        app.update(Msg::Reply(ids[1], Ok(ApiReply::Page(page(0, 20, 3)))));
        check("production_profile", &app);
        let terminal = draw(&app, size);
        let buffer = terminal.backend().buffer();
        let header: String = (0..size.0).map(|x| buffer[(x, 0)].symbol()).collect();
        let find = |text: &str| {
            header
                .find(text)
                .map(|byte| header[..byte].chars().count() as u16)
                .unwrap_or_else(|| panic!("{text:?} not in the header {header:?}"))
        };
        let name = &buffer[(find("[shop]") + 1, 0)];
        assert_eq!(name.fg, Color::Magenta, "{size:?}: the profile's colour");
        let badge = if size.0 >= 100 {
            " PRODUCTION "
        } else {
            " PROD "
        };
        let cell = &buffer[(find(badge) + 1, 0)];
        assert_eq!(cell.fg, Color::Red, "{size:?}");
        assert!(
            cell.modifier.contains(Modifier::REVERSED | Modifier::BOLD),
            "{size:?}: a solid red badge"
        );
    }
}

#[test]
fn production_delete_dialog_asks_for_the_name() {
    let mut app = loaded((80, 24));
    app.session.profile = support::production_profile();
    app.update(key('d'));
    type_text(&mut app, "sh");
    check("production_delete", &app);
}

#[test]
fn profile_switcher() {
    use medusa_users::config::{ProfileBadge, ProfileEntry};
    let mut cfg = config(true);
    cfg.size = (80, 24);
    cfg.profiles = ["staging", "shop", "eu-shop"]
        .iter()
        .map(|n| ProfileEntry {
            name: (*n).into(),
            url: Some(format!("https://{n}.example.com")),
            production: n.contains("shop"),
            color: None,
        })
        .collect();
    cfg.profile = Some(ProfileBadge {
        name: "staging".into(),
        ..ProfileBadge::default()
    });
    let (mut app, cmds) = App::new(cfg);
    answer_lists(&mut app, &cmds, 3);
    app.update(key('P'));
    app.update(key('j'));
    check("profile_switcher", &app);
}

/// Marked rows and the title's count; the bulk dialog before it starts and with its results.
#[test]
fn marks_and_the_bulk_dialog() {
    use medusa_users::api::{ApiError, Deleted};
    let mut app = loaded((80, 24));
    app.update(key(' '));
    app.update(key(' '));
    app.update(key(' '));
    check("marks", &app);
    app.update(key('d'));
    check("bulk_confirm", &app);
    let cmds = app.update(key('y'));
    let first = request_ids(&cmds)[0];
    let cmds = app.update(Msg::Reply(
        first,
        Ok(ApiReply::Deleted(Deleted {
            id: "x".into(),
            object: "user".into(),
            deleted: true,
        })),
    ));
    let second = request_ids(&cmds)[0];
    check("bulk_running", &app);
    let cmds = app.update(Msg::Reply(
        second,
        Err(ApiError::NotFound {
            message: "User was not found".into(),
        }),
    ));
    let third = request_ids(&cmds)[0];
    app.update(Msg::Reply(
        third,
        Ok(ApiReply::Deleted(Deleted {
            id: "y".into(),
            object: "user".into(),
            deleted: true,
        })),
    ));
    check("bulk_done", &app);
}

/// The config's `[theme]` reaches the screen: the selected row in the chosen colours.
#[test]
fn theme_overrides_style_the_selection() {
    use medusa_users::config::theme::parse_style;
    use ratatui::style::Color;
    let mut cfg = config(true);
    cfg.size = (80, 12);
    cfg.theme.selected = Some(parse_style("white on blue bold").unwrap());
    let (mut app, cmds) = App::new(cfg);
    answer_lists(&mut app, &cmds, 3);
    let terminal = draw(&app, app.size);
    let buffer = terminal.backend().buffer();
    // Row 3: the first user, selected (under the header and the column titles).
    let cell = &buffer[(5, 3)];
    if std::env::var_os("NO_COLOR").is_some() {
        assert_eq!(cell.bg, Color::Reset);
    } else {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::White, Color::Blue),
            "{buffer:?}"
        );
    }
}

#[test]
fn loading_spinner_keeps_the_old_page() {
    // Fetching page 3 ahead failed (silently), so `n` waits for it; a page fetched ahead
    // would show at once.
    let mut app = loaded_failing((100, 30), &|p| {
        p.offset.unwrap_or(0) / u64::from(p.limit.unwrap_or(1)) == 2
    });
    assert_eq!(app.list.page_number(), 2);
    assert!(app.status.is_none(), "a failed prefetch is not an error");
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

// ----- issue 8 ---------------------------------------------------------------------------------

/// The list at the sizes operators use: every row of the window holds a user, the sort shows
/// (in its column, or in the title when that column is hidden), the footer says how to open
/// details and keeps help and quit.
#[test]
fn the_list_fills_common_windows() {
    for size in [(80, 24), (120, 35), (200, 50)] {
        let app = loaded(size);
        check("fills", &app);
        let text = screen_text(&draw(&app, size));
        let footer = text.lines().last().unwrap();
        for hint in ["Enter details", "? help", "q quit"] {
            assert!(footer.contains(hint), "{size:?}: {footer:?}");
        }
        assert!(
            text.contains("created ▼") || text.contains("Created ▼"),
            "{size:?}: the default sort shows"
        );
    }
}

/// The text of a drawn screen, one line per row, as a terminal shows it: the cell after a
/// wide character is part of it, not a space.
fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                out.push_str(cell.symbol());
            }
            skip = skip
                .max(unicode_width::UnicodeWidthStr::width(cell.symbol()))
                .saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

/// At 60×20 in the sandbox, with a long e-mail, the header still says who is signed in.
#[test]
fn a_narrow_header_keeps_who_is_signed_in() {
    let mut cfg = config(true);
    cfg.size = (60, 20);
    cfg.page_size = None;
    cfg.sandbox = true;
    cfg.base_url = "http://127.0.0.1:40411".into();
    let (mut app, cmds) = App::new(cfg);
    let mut me = user(0);
    me.email = "admin@medusa-test.com".into();
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(ids[0], Ok(ApiReply::User(me.clone()))));
    answer_lists(&mut app, &cmds, 137);
    check("narrow_header", &app);
    let header = screen_text(&draw(&app, (60, 20)))
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(
        header.contains("admin@medusa-test.com") && header.contains("SBX"),
        "{header}"
    );
    // Even an e-mail that takes the whole line is shown, cut, rather than dropped.
    me.email = "a.very.long.address.for.an.administrator@a-long-domain.example.com".into();
    app.update(Msg::Resize(60, 20));
    app.session.me = Some(me);
    let header = screen_text(&draw(&app, (60, 20)))
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(header.contains("a.very.long.address"), "{header}");
}

/// Columns come from the window: two pages with e-mails of very different lengths put Role
/// in the same column; cut values end in `…`, a user without a name shows `—`, wide
/// characters (CJK, an emoji ZWJ sequence) take their two columns and shift nothing.
#[test]
fn columns_hold_still_and_cut_with_an_ellipsis() {
    let size = (100, 30);
    let mut app = loaded(size);
    let role_column = |app: &App| {
        let t = draw(app, size);
        let buffer = t.backend().buffer();
        // The x of "Role" in the header row.
        (0..size.0)
            .find(|&x| {
                (0..4).all(|i| buffer[(x + i, 2)].symbol() == ["R", "o", "l", "e"][usize::from(i)])
            })
            .expect("a Role header")
    };
    let before = role_column(&app);
    let page = app.list.page.as_mut().unwrap();
    page.users[0].email = "x@y.io".into();
    page.users[1].email = "a-very-long-address-that-does-not-fit@subdomain.example.com".into();
    page.users[2].first_name = None;
    page.users[2].last_name = None;
    page.users[3].first_name = Some("山田".into());
    page.users[3].last_name = Some("太郎花子さん".into());
    page.users[4].first_name = Some("👩‍💻👩‍💻".into());
    page.users[4].last_name = Some("Devs".into());
    assert_eq!(role_column(&app), before, "the columns did not move");
    check("columns", &app);
    let text = screen_text(&draw(&app, size));
    assert!(text.contains("a-very-long-address-that-does…"), "{text}");
    assert!(
        text.contains("┌ a-very-long-address-that-does-not-fit@s… ┐"),
        "{text}"
    );
    let row = |i: usize| text.lines().nth(3 + i).unwrap().to_owned();
    assert!(row(2).contains(" — "), "{}", row(2));
    // Every row ends the same way: role, a free column, the scrollbar, whatever came first.
    for i in 0..6 {
        let r = row(i);
        // The detail pane (44), the scrollbar (1), the free column (1), then Role (9).
        let tail: String = r
            .chars()
            .rev()
            .take(44 + 2 + 9)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(
            tail.starts_with("admin     ")
                || tail.starts_with("member    ")
                || tail.starts_with("developer "),
            "row {i}: {r:?}"
        );
    }
}

/// No scrollbar when every user is on screen.
#[test]
fn the_scrollbar_shows_only_when_users_are_hidden() {
    let mut cfg = config(true);
    cfg.page_size = None;
    let (mut app, cmds) = App::new(cfg);
    answer_lists(&mut app, &cmds, 5);
    let text = screen_text(&draw(&app, (100, 30)));
    assert!(!text.contains('█') && !text.contains('║'), "{text}");
    let app = loaded((100, 30));
    let text = screen_text(&draw(&app, (100, 30)));
    assert!(text.contains('█'));
}

/// Server text with escapes, tabs and bidi controls in every field, and in an error: drawn
/// as visible escapes, never as the control characters themselves.
#[test]
fn hostile_server_text_is_neutralised_everywhere() {
    let evil = "Ev\u{1b}[31mil\t\u{202e}x";
    let size = (120, 35);
    let mut app = loaded(size);
    {
        let page = app.list.page.as_mut().unwrap();
        let u = &mut page.users[1];
        u.email = format!("{evil}@example.com");
        u.first_name = Some(evil.into());
        u.last_name = Some(evil.into());
        u.api_token = Some(evil.into());
        u.metadata = serde_json::json!({ evil: evil }).as_object().cloned();
        u.created_at = medusa_users::api::Timestamp(evil.into());
    }
    app.update(key('v'));
    let ids = request_ids(&app.update(key('R')));
    app.update(Msg::Reply(
        ids[0],
        Err(ApiError::InvalidData {
            kind: "x".into(),
            message: evil.into(),
        }),
    ));
    // (The API client's one-line error text already drops ESC; the bidi control is left.)
    let check_clean = |app: &App, what: &str, shown: &str| {
        let text = screen_text(&draw(app, size));
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && medusa_users::safe_text::is_unsafe_char(c)),
            "{what}: a control character on screen:\n{text}"
        );
        assert!(text.contains(shown), "{what}: shown as {shown:?}:\n{text}");
    };
    check_clean(&app, "list, detail pane, status line", "\\e[31m");
    check_clean(&app, "status line", "\\u{202e}x  (Esc dismisses)");
    app.update(key('e'));
    check_clean(&app, "edit form", "\\e[31m");
    app.update(code(KeyCode::Esc));
    app.update(key('d'));
    check_clean(&app, "delete dialog", "\\e[31m");
    app.update(code(KeyCode::Esc));
    app.update(key('m'));
    check_clean(&app, "message log", "\\u{202e}x");
}

#[test]
fn help_in_columns_filtered_and_the_message_log() {
    let mut app = loaded((200, 50));
    app.update(key('?'));
    check("help_wide", &app);
    app.update(key('/'));
    type_text(&mut app, "page");
    check("help_filtered", &app);

    let mut app = loaded((80, 24));
    app.update(key('y'));
    let ids = request_ids(&app.update(key('R')));
    app.update(Msg::Reply(
        ids[0],
        Err(ApiError::Server {
            status: 500,
            message: "a very long server message that does not fit on the status line of an \
                      80-column terminal, so the operator needs the message log to read all of it"
                .into(),
        }),
    ));
    check("long_status", &app);
    app.update(key('m'));
    check("messages", &app);
}

#[test]
fn sandbox_reset_says_where_the_token_went() {
    let mut cfg = config(true);
    cfg.sandbox = true;
    cfg.page_size = None;
    cfg.outbox = Some("/home/op/.local/share/medusa-users/sandbox-outbox.jsonl".into());
    let (mut app, cmds) = App::new(cfg);
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(ids[0], Ok(ApiReply::User(user(0)))));
    answer_lists(&mut app, &cmds, 30);
    app.update(key('r'));
    check("reset_sandbox", &app);
    let ids = request_ids(&app.update(key('s')));
    app.update(Msg::Reply(
        ids[0],
        Ok(ApiReply::TokenSent {
            outbox: Some("/home/op/.local/share/medusa-users/sandbox-outbox.jsonl".into()),
        }),
    ));
    check("reset_sandbox_sent", &app);
}

/// The discard question over a form: the terminal cursor is not left in the field below, so
/// nothing suggests that typing would go there.
#[test]
fn no_cursor_in_a_form_under_a_question() {
    let size = (100, 30);
    let mut app = loaded(size);
    app.update(key('c'));
    type_text(&mut app, "half");
    let mut t = draw(&app, size);
    assert!(t.backend().cursor_visible(), "the form has the cursor");
    app.update(code(KeyCode::Esc));
    t.draw(|f| ui::render(f, &app)).unwrap();
    assert!(!t.backend().cursor_visible(), "the question has no cursor");
    // Esc keeps editing; Ctrl-C asks the other question.
    app.update(code(KeyCode::Esc));
    assert!(
        !app.update(ctrl('c')).contains(&Command::Quit),
        "typed input: Ctrl-C asks first"
    );
    check("quit_question", &app);
}

#[test]
fn go_to_page_prompt_and_retry_countdown() {
    let mut app = loaded((100, 30));
    app.update(key(':'));
    type_text(&mut app, "4");
    check("goto", &app);
    app.update(code(KeyCode::Esc));
    let ids = request_ids(&app.update(key('R')));
    app.update(Msg::Reply(
        ids[0],
        Err(ApiError::Network {
            message: "connection refused".into(),
        }),
    ));
    // Before the tick: the first wait is one second, so one tick takes it to "retrying…".
    check("countdown", &app);
    app.update(Msg::Timer(medusa_users::tui::app::Timer::Countdown));
    let status = app.status.as_ref().map(|s| s.text.as_str()).unwrap_or("");
    assert!(
        status.starts_with("offline, retrying… (R now)"),
        "the tick counted down to the retry: {status:?}"
    );
}

/// Signed in with a key that belongs to no user (Medusa v2): the header says so, no error.
#[test]
fn header_for_a_key_without_a_user() {
    let mut cfg = config(true);
    cfg.auth = "secret key";
    cfg.page_size = None;
    let (mut app, cmds) = App::new(cfg);
    let ids = request_ids(&cmds);
    app.update(Msg::Reply(
        ids[0],
        Err(ApiError::NotFound {
            message: "no user".into(),
        }),
    ));
    answer_lists(&mut app, &cmds, 3);
    let header = screen_text(&draw(&app, (100, 30)))
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(header.contains("secret key (no user)"), "{header}");
    assert!(app.status.is_none());
}

/// Half a `g g` typed: the footer shows the pending key and what can follow it.
#[test]
fn a_pending_key_sequence_in_the_footer() {
    let mut app = loaded((80, 24));
    app.keymap = keymap_with(&[("list", "first", &["g g", "Home"])]);
    app.update(key('g'));
    check("pending_sequence", &app);
}

/// The help overlay and the message log name their keys as the config's `[keys]` set them,
/// not the defaults: the hints in their bottom border come from the keymap.
#[test]
fn overlay_hints_name_the_configured_keys() {
    let mut app = loaded((100, 30));
    app.keymap = keymap_with(&[
        ("help", "down", &["n"]),
        ("help", "filter", &["f"]),
        ("messages", "back", &["x"]),
    ]);
    app.update(key('?'));
    let shown = screen(&app);
    assert!(
        shown.contains("n/k PgDn/PgUp g/G scroll · f filter · Esc closes"),
        "{shown}"
    );
    app.update(code(KeyCode::Esc));
    app.update(key('m'));
    let shown = screen(&app);
    assert!(shown.contains("j/k PgDn/PgUp scroll · x closes"), "{shown}");
}

/// w: one person's access in every store, while asking and once every store answered (a user,
/// an invite only, nothing, and a store that could not be asked).
#[test]
fn everywhere_dialog() {
    use medusa_users::api::{Access, Invite, Timestamp};
    use medusa_users::config::{ProfileBadge, ProfileEntry};
    use medusa_users::tui::app::StoreAccess;
    for size in [(80, 24), (120, 30)] {
        let mut cfg = config(true);
        cfg.size = size;
        cfg.profiles = ["staging", "shop", "eu-shop", "lab"]
            .iter()
            .map(|n| ProfileEntry {
                name: (*n).into(),
                url: Some(format!("https://{n}.example.com")),
                production: n.contains("shop"),
                color: None,
            })
            .collect();
        cfg.profile = Some(ProfileBadge {
            name: "staging".into(),
            ..ProfileBadge::default()
        });
        let (mut app, cmds) = App::new(cfg);
        app.now = Some(time::macros::datetime!(2026-12-01 12:00 UTC));
        answer_lists(&mut app, &cmds, 3);
        let cmds = app.update(key('w'));
        let id = request_ids(&cmds)[0];
        check("everywhere_asking", &app);
        let person = app.list.selected_user().cloned().unwrap();
        let invite = Invite {
            id: "invite_01".into(),
            email: person.email.clone(),
            role: None,
            accepted: false,
            token: "tok".into(),
            expires_at: Timestamp("2026-12-08T12:00:00.000Z".into()),
            metadata: None,
            created_at: Timestamp("2026-12-01T12:00:00.000Z".into()),
            updated_at: Timestamp("2026-12-01T12:00:00.000Z".into()),
            deleted_at: None,
            wire: medusa_users::api::Dialect::V2,
        };
        let stores = vec![
            StoreAccess {
                profile: "staging".into(),
                outcome: Ok(Access {
                    user: Some(person.clone()),
                    invites: vec![],
                }),
            },
            StoreAccess {
                profile: "shop".into(),
                outcome: Ok(Access {
                    user: None,
                    invites: vec![invite],
                }),
            },
            StoreAccess {
                profile: "eu-shop".into(),
                outcome: Ok(Access {
                    user: None,
                    invites: vec![],
                }),
            },
            StoreAccess {
                profile: "lab".into(),
                outcome: Err("cannot connect to https://lab.example.com".into()),
            },
        ];
        app.update(Msg::Reply(id, Ok(ApiReply::Everywhere(stores))));
        check("everywhere", &app);
    }
}

/// e with marks: the role picker in the bulk dialog.
#[test]
fn bulk_role_change_dialog() {
    let mut app = loaded((80, 24));
    app.update(key(' '));
    app.update(key(' '));
    app.update(key('e'));
    app.update(code(KeyCode::Right));
    check("bulk_role", &app);
}

/// What a text snapshot cannot show, asserted cell by cell (as oxker does): the selected row is
/// reversed and its neighbours are not, an error line is red and bold, and in a form the
/// terminal's cursor stands right after what was typed in the focused field, and follows it.
#[test]
fn cells_show_the_selection_the_error_colour_and_the_form_cursor() {
    use ratatui::backend::Backend;
    use ratatui::style::{Color, Modifier};
    let size = (100, 30);
    let no_color = std::env::var_os("NO_COLOR").is_some();
    let lines = |t: &Terminal<TestBackend>| -> Vec<String> {
        let b = t.backend().buffer();
        (0..size.1)
            .map(|y| (0..size.0).map(|x| b[(x, y)].symbol()).collect())
            .collect()
    };
    // Where `text` is on the screen, in cells.
    let place = |lines: &[String], text: &str| -> (u16, u16) {
        lines
            .iter()
            .enumerate()
            .find_map(|(y, line)| {
                line.find(text)
                    .map(|byte| (line[..byte].chars().count() as u16, y as u16))
            })
            .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{}", lines.join("\n")))
    };

    // The selection: `loaded` leaves it on the page's second row.
    let app = loaded(size);
    let t = draw(&app, size);
    let (x, y) = place(&lines(&t), "▶");
    let buffer = t.backend().buffer();
    let reversed = |y: u16| buffer[(x + 2, y)].modifier.contains(Modifier::REVERSED);
    assert!(reversed(y), "the selected row is reversed");
    assert!(!reversed(y - 1), "the row above it is not");
    assert!(!reversed(y + 1), "the row below it is not");

    // An error, in the status line.
    let mut app = loaded(size);
    let ids = request_ids(&app.update(key('R')));
    app.update(Msg::Reply(
        ids[0],
        Err(ApiError::Server {
            status: 500,
            message: "An unknown error occurred.".into(),
        }),
    ));
    let t = draw(&app, size);
    let (x, y) = place(&lines(&t), "server error (HTTP 500)");
    let cell = &t.backend().buffer()[(x, y)];
    assert!(cell.modifier.contains(Modifier::BOLD), "{cell:?}");
    if !no_color {
        assert_eq!(cell.fg, Color::Red, "{cell:?}");
    }

    // The cursor in the new-user form: after the typed text, and where ← moves it.
    let mut app = loaded(size);
    app.update(key('c'));
    type_text(&mut app, "ada@exa");
    let mut t = draw(&app, size);
    let (x, y) = place(&lines(&t), "ada@exa");
    let cursor = t.backend_mut().get_cursor_position().unwrap();
    assert!(t.backend().cursor_visible());
    assert_eq!((cursor.x, cursor.y), (x + 7, y), "after the typed text");
    app.update(code(KeyCode::Left));
    app.update(code(KeyCode::Left));
    t.draw(|f| ui::render(f, &app)).unwrap();
    let cursor = t.backend_mut().get_cursor_position().unwrap();
    assert_eq!((cursor.x, cursor.y), (x + 5, y), "two to the left");
}
