//! Property tests of the TUI: random sessions of keys, pastes, resizes, ticks, timers and
//! server replies (to the ids the app really sent, and to ids it never sent), rendered after
//! every message at the terminal's size and at 1×1 and 0×0. The driver and every invariant it
//! checks live in `fuzz/harness/tui.rs`, shared with the `tui_keys` fuzz target.

#[path = "../../fuzz/harness/tui.rs"]
mod harness;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use harness::{Driver, ODD_SIZES, Op, Outcome, Setup, USEFUL_TEXT, error_of, press, user_of};
use medusa_users::api::{ApiError, Capabilities, Dialect, User, UserPage};
use medusa_users::tui::app::{ApiReply, ApiRequest, Modal};
use medusa_users::tui::keymap::Context;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

/// `cases` per property, or `PROPTEST_CASES` when set (for longer runs than `cargo test`'s).
fn config(cases: u32) -> Config {
    Config {
        // Shrinking a 200-step session takes long; a few hundred steps find a small one.
        max_shrink_iters: 2048,
        ..crate::support::proptest_config(cases)
    }
}

// ----- generators -------------------------------------------------------------------------

fn size() -> impl Strategy<Value = (u16, u16)> {
    // Rendering cost grows with the area (a 300×100 frame takes ~8 ms in a debug build), so
    // the huge sizes come up less often than the common ones.
    prop_oneof![
        2 => select(&ODD_SIZES[..]),
        2 => (0u16..=300, 0u16..=100),
        5 => (30u16..=140, 8u16..=50),
    ]
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(select(&USEFUL_TEXT[..]).prop_map(str::to_owned)),
        prop::option::of(
            select(&["admin@example.com", "", "not-an-email"][..]).prop_map(str::to_owned),
        ),
        prop::option::of(1u32..=50),
        size(),
    )
        .prop_map(
            |(has_credentials, read_only, sandbox, warning, login_email, page_size, size)| Setup {
                has_credentials,
                read_only,
                sandbox,
                warning,
                login_email,
                page_size,
                size,
            },
        )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&USEFUL_TEXT[..]).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[ -~]{0,12}",
    ]
}

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        6 => select(harness::KEY_CHARS.chars().collect::<Vec<_>>()).prop_map(KeyCode::Char),
        2 => any::<char>().prop_map(KeyCode::Char),
        8 => select(
            &[
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::Backspace,
                KeyCode::Delete,
                KeyCode::Insert,
                KeyCode::Null,
            ][..]
        ),
        1 => (1u8..=24).prop_map(KeyCode::F),
    ]
}

fn modifiers() -> impl Strategy<Value = KeyModifiers> {
    prop_oneof![
        6 => Just(KeyModifiers::NONE),
        2 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::SHIFT),
        1 => Just(KeyModifiers::ALT),
        1 => (0u8..=0x3f).prop_map(KeyModifiers::from_bits_truncate),
    ]
}

fn key() -> impl Strategy<Value = KeyEvent> {
    (
        key_code(),
        modifiers(),
        select(
            &[
                KeyEventKind::Press,
                KeyEventKind::Press,
                KeyEventKind::Repeat,
                KeyEventKind::Release,
            ][..],
        ),
    )
        .prop_map(|(code, mods, kind)| KeyEvent::new_with_kind(code, mods, kind))
}

fn user() -> impl Strategy<Value = User> {
    (
        any::<u8>(),
        prop_oneof![
            3 => (0u8..8).prop_map(|i| format!("user{i}@example.com")),
            1 => text(),
        ],
        prop::option::of(text()),
        prop::option::of(prop_oneof![Just("tok-0123456789abcdef".to_owned()), text()]),
    )
        .prop_map(|(i, email, first, token)| user_of(i, email, first, token))
}

fn page() -> impl Strategy<Value = UserPage> {
    let extreme = select(vec![u64::MAX, u64::MAX - 1, 1 << 63, 1 << 32]);
    let count =
        prop_oneof![4 => Just(0u64), 4 => 0u64..200, 4 => 0u64..100_000, 1 => extreme.clone()];
    let offset = prop_oneof![4 => Just(0u64), 4 => 0u64..300, 4 => 0u64..100_000, 1 => extreme];
    let users = prop_oneof![3 => vec(user(), 0..=6), 1 => vec(user(), 0..=60)];
    (users, count, offset, 0u64..=60, any::<bool>()).prop_map(
        |(users, count, offset, limit, consistent)| {
            // Half the pages tell the truth about their count; the rest say anything (count
            // below the rows shown, offset past the end, …).
            let count = if consistent {
                offset.saturating_add(users.len() as u64 + count % 50)
            } else {
                count
            };
            UserPage {
                users,
                count,
                offset,
                limit,
            }
        },
    )
}

fn error() -> impl Strategy<Value = ApiError> {
    (any::<u8>(), text(), 100u16..=599, 0u64..100_000)
        .prop_map(|(kind, message, status, secs)| error_of(kind, message, status, secs))
}

fn outcome() -> impl Strategy<Value = Outcome> {
    (
        prop_oneof![3 => Just(None), 2 => error().prop_map(Some)],
        page(),
        user(),
        any::<u8>(),
    )
        .prop_map(|(error, page, user, stray_kind)| Outcome {
            error,
            page,
            user,
            stray_kind,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        12 => key().prop_map(Op::Key),
        2 => text().prop_map(Op::Type),
        2 => Just(Op::TypeSecret),
        2 => prop_oneof![text(), "[\\n\\r\\t\\x00-\\x1f a-z]{0,20}".prop_map(String::from)].prop_map(Op::Paste),
        2 => size().prop_map(|(w, h)| Op::Resize(w, h)),
        2 => (any::<u8>(), 0..120u16, 0..40u16).prop_map(|(kind, x, y)| Op::Mouse { kind, x, y }),
        1 => Just(Op::Tick),
        1 => any::<usize>().prop_map(Op::FireTimer),
        8 => (any::<usize>(), outcome()).prop_map(|(i, o)| Op::Reply(i, o)),
        1 => (any::<bool>(), any::<usize>(), outcome())
            .prop_map(|(fresh, pick, outcome)| Op::Stray { fresh, pick, outcome }),
    ]
}

// ----- properties -------------------------------------------------------------------------

proptest! {
    // Each case is up to 200 messages, each rendered: a few dozen cases keep `cargo test`
    // quick; PROPTEST_CASES=1000 (or the fuzz target) goes further.
    #![proptest_config(config(40))]

    /// Any session: no panic, and after every message the selection is on a row, nothing
    /// waits for a request that is not in flight, Quit comes only from a quit key, ids are
    /// never reused, a read-only app sends no mutation, hidden secrets stay off screen; and
    /// once every request is answered, the app is not busy.
    #[test]
    fn random_sessions_keep_every_invariant(setup in setup(), ops in vec(op(), 0..200)) {
        let mut driver = Driver::new(&setup);
        driver.run(&ops);
        prop_assert!(driver.drain(200), "requests kept coming: {:?}", driver.outstanding());
        if !driver.quit {
            prop_assert!(!driver.app.is_busy());
            prop_assert!(!driver.app.list.is_loading());
        }
    }

    /// A read-only app, with keys aimed at every mutation (create, edit, delete, reset, then
    /// confirm/submit), never sends one and never opens a dialog that would.
    #[test]
    fn read_only_never_sends_a_mutation(
        size in size(),
        ops in vec(
            prop_oneof![
                3 => select(&['c', 'e', 'd', 'r', 'y', 's', 't', 'j', 'v'][..])
                    .prop_map(|c| Op::Key(press(KeyCode::Char(c), KeyModifiers::NONE))),
                1 => select(&[KeyCode::Enter, KeyCode::Tab, KeyCode::Esc][..])
                    .prop_map(|c| Op::Key(press(c, KeyModifiers::NONE))),
                1 => Just(Op::Key(press(KeyCode::Char('s'), KeyModifiers::CONTROL))),
                1 => select(&USEFUL_TEXT[..3]).prop_map(|t| Op::Type(t.to_owned())),
                2 => (any::<usize>(), outcome()).prop_map(|(i, o)| Op::Reply(i, o)),
            ],
            0..100,
        ),
    ) {
        let setup = Setup {
            has_credentials: true,
            read_only: true,
            sandbox: false,
            warning: None,
            login_email: None,
            page_size: Some(20),
            size,
        };
        let mut driver = Driver::new(&setup);
        driver.run(&ops);
        // The dialogs that lead to a mutation never open.
        for modal in &driver.app.modals {
            prop_assert!(
                !matches!(
                    modal,
                    Modal::Create { .. } | Modal::Edit { .. } | Modal::Delete(_)
                        | Modal::ResetRequest(_) | Modal::ResetApply { .. }
                ),
                "a mutation dialog opened in read-only mode"
            );
        }
    }

    /// A password typed into the login form shows as bullets at every size, through failed
    /// logins, focus changes and resizes; Ctrl-R on the field shows it (so the check can see
    /// it when it is there).
    #[test]
    fn login_password_stays_hidden_until_revealed(
        password in "[A-Za-z0-9]{8,20}",
        email in prop::option::of(Just("admin@example.com".to_owned())),
        ops in vec(
            prop_oneof![
                3 => size().prop_map(|(w, h)| Op::Resize(w, h)),
                2 => select(&[KeyCode::Tab, KeyCode::BackTab, KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right, KeyCode::Home, KeyCode::End, KeyCode::Enter][..])
                    .prop_map(|c| Op::Key(press(c, KeyModifiers::NONE))),
                1 => Just(Op::Key(press(KeyCode::Char('s'), KeyModifiers::CONTROL))),
                1 => Just(Op::Tick),
                2 => (any::<usize>(), error()).prop_map(|(i, e)| Op::Reply(i, Outcome {
                    error: Some(e),
                    page: UserPage { users: Vec::new(), count: 0, offset: 0, limit: 20 },
                    user: user_of(0, "a@example.com".into(), None, None),
                    stray_kind: 0,
                })),
            ],
            0..40,
        ),
    ) {
        let setup = Setup {
            has_credentials: false,
            read_only: false,
            sandbox: false,
            warning: None,
            login_email: email.clone(),
            page_size: Some(20),
            size: (100, 30),
        };
        let mut driver = Driver::new(&setup);
        prop_assert_eq!(driver.app.context(), Context::Login);
        if email.is_none() {
            driver.apply(&Op::Type("admin@example.com".into()));
            driver.apply(&Op::Key(press(KeyCode::Tab, KeyModifiers::NONE)));
        }
        prop_assert_eq!(login_focus(&driver), Some("Password"));
        driver.apply(&Op::Type(password.clone()));
        prop_assert!(!driver.screen.contains(&password));
        prop_assert!(driver.screen.contains(&"•".repeat(password.len())), "{}", driver.screen);
        for op in &ops {
            driver.apply(op);
            prop_assert!(!driver.quit);
            prop_assert!(
                !driver.screen.contains(&password),
                "password on screen after {:?}:\n{}",
                op,
                driver.screen
            );
        }
        // Revealed, at a size where the field has room, the same check does see it.
        if driver.app.context() == Context::Login {
            for _ in 0..2 {
                if login_focus(&driver) != Some("Password") {
                    driver.apply(&Op::Key(press(KeyCode::Tab, KeyModifiers::NONE)));
                }
            }
            driver.apply(&Op::Resize(100, 30));
            driver.apply(&Op::Key(press(KeyCode::Char('r'), KeyModifiers::CONTROL)));
            prop_assert!(driver.screen.contains(&password), "revealed but not shown:\n{}", driver.screen);
        }
    }
}

fn login_focus(driver: &Driver) -> Option<&'static str> {
    match driver.app.modals.last() {
        Some(Modal::Login { form, .. }) => Some(form.focus_label()),
        _ => None,
    }
}

// ----- examples the generators rarely hit -------------------------------------------------

fn loaded_driver(size: (u16, u16), page: UserPage) -> Driver {
    let setup = Setup {
        has_credentials: true,
        read_only: false,
        sandbox: true,
        warning: Some("a warning".into()),
        login_email: None,
        page_size: Some(20),
        size,
    };
    let mut driver = Driver::new(&setup);
    for (id, request) in driver.outstanding() {
        let reply = match request {
            ApiRequest::Me => ApiReply::User(user_of(0, "me@example.com".into(), None, None)),
            ApiRequest::List(_) => ApiReply::Page(page.clone()),
            ApiRequest::Capabilities => ApiReply::Capabilities(Capabilities::of(Dialect::V1)),
            other => panic!("unexpected startup request {other:?}"),
        };
        driver.reply(id, Ok(reply));
    }
    driver
}

/// Every odd size, with a full page, each dialog open in turn.
#[test]
fn every_dialog_renders_at_every_odd_size() {
    let users: Vec<User> = (0..30)
        .map(|i| {
            user_of(
                i,
                format!("user{i}@example.com"),
                Some("Zoë 👩‍💻".into()),
                None,
            )
        })
        .collect();
    let page = UserPage {
        users,
        count: 1000,
        offset: 0,
        limit: 20,
    };
    let openers: [&[Op]; 8] = [
        &[],
        &[Op::Key(press(KeyCode::Char('?'), KeyModifiers::NONE))],
        &[Op::Key(press(KeyCode::Char('c'), KeyModifiers::NONE))],
        &[Op::Key(press(KeyCode::Char('e'), KeyModifiers::NONE))],
        &[Op::Key(press(KeyCode::Char('d'), KeyModifiers::NONE))],
        &[
            Op::Key(press(KeyCode::Char('r'), KeyModifiers::NONE)),
            Op::Key(press(KeyCode::Char('t'), KeyModifiers::NONE)),
        ],
        &[Op::Key(press(KeyCode::Enter, KeyModifiers::NONE))],
        &[Op::Key(press(KeyCode::Char('/'), KeyModifiers::NONE))],
    ];
    for (w, h) in ODD_SIZES {
        for opener in openers {
            let mut driver = loaded_driver((w, h), page.clone());
            driver.run(opener);
            driver.apply(&Op::TypeSecret);
            driver.apply(&Op::Key(press(KeyCode::Char('x'), KeyModifiers::NONE)));
            for (w2, h2) in ODD_SIZES {
                driver.apply(&Op::Resize(w2, h2));
            }
        }
    }
}

/// A reply for an id the app never sent, of every kind, changes nothing.
#[test]
fn replies_nobody_asked_for_change_nothing() {
    let page = UserPage {
        users: (0..3)
            .map(|i| user_of(i, format!("u{i}@example.com"), None, None))
            .collect(),
        count: 3,
        offset: 0,
        limit: 20,
    };
    let mut driver = loaded_driver((100, 30), page);
    let before = driver.screen.clone();
    for kind in 0..6 {
        for error in [
            None,
            Some(ApiError::Unauthorized {
                message: "x".into(),
            }),
        ] {
            driver.apply(&Op::Stray {
                fresh: true,
                pick: kind,
                outcome: Outcome {
                    error,
                    page: UserPage {
                        users: Vec::new(),
                        count: 0,
                        offset: 0,
                        limit: 20,
                    },
                    user: user_of(1, "stray@example.com".into(), None, None),
                    stray_kind: kind as u8,
                },
            });
            assert_eq!(
                driver.screen, before,
                "stray reply kind {kind} changed the screen"
            );
            assert_eq!(driver.app.context(), Context::List);
        }
    }
}

/// Regression, fixed in 2a2258b (found by `read_only_never_sends_a_mutation`, which checks
/// the selection after every message): a reload that came back empty past the end (rows
/// deleted under us) kept the old selection on a page with no rows until the last page arrived.
/// Keys: 30 users, page size 20, `n`, `j`, `j`, `R`, reply `{users: [], count: 5, offset: 20}`.
#[test]
fn selection_on_an_emptied_page() {
    let users: Vec<User> = (0..20)
        .map(|i| user_of(i, format!("u{i}@example.com"), None, None))
        .collect();
    let mut driver = loaded_driver(
        (100, 30),
        UserPage {
            users,
            count: 30,
            offset: 0,
            limit: 20,
        },
    );
    let page = |users: Vec<User>, offset| Outcome {
        error: None,
        page: UserPage {
            users,
            count: 30,
            offset,
            limit: 20,
        },
        user: user_of(1, "x@example.com".into(), None, None),
        stray_kind: 0,
    };
    let second: Vec<User> = (20..30)
        .map(|i| user_of(i, format!("u{i}@example.com"), None, None))
        .collect();
    driver.apply(&Op::Key(press(KeyCode::Char('n'), KeyModifiers::NONE)));
    driver.apply(&Op::Reply(0, page(second, 20)));
    driver.apply(&Op::Key(press(KeyCode::Char('j'), KeyModifiers::NONE)));
    driver.apply(&Op::Key(press(KeyCode::Char('j'), KeyModifiers::NONE)));
    assert_eq!(driver.app.list.selected, 2);
    driver.apply(&Op::Key(press(KeyCode::Char('R'), KeyModifiers::NONE)));
    let mut emptied = page(Vec::new(), 20);
    emptied.page.count = 5;
    // The driver checks the selection after the reply: no rows, so row 0.
    driver.apply(&Op::Reply(0, emptied));
    assert!(driver.app.list.users().is_empty());
    assert!(driver.app.list.is_loading(), "the last page is on its way");
}

/// Found by `random_sessions_keep_every_invariant` once quitting became a command: the yes to
/// "discard the changes and quit?" quits, though `y` is not a quit key. Keys: `c` (a new-user
/// form), some text, Ctrl-C (the question), `y`.
#[test]
fn yes_to_discard_and_quit_quits() {
    let mut driver = loaded_driver(
        (100, 30),
        UserPage {
            users: rows(3),
            count: 3,
            offset: 0,
            limit: 20,
        },
    );
    driver.apply(&Op::Key(press(KeyCode::Char('c'), KeyModifiers::NONE)));
    for c in "admin@ex".chars() {
        driver.apply(&Op::Key(press(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    driver.apply(&Op::Key(press(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(matches!(
        driver.app.modals.last(),
        Some(medusa_users::tui::app::Modal::Discard { quit: true })
    ));
    // The driver asserts that exactly this `y` sends Quit.
    driver.apply(&Op::Key(press(KeyCode::Char('y'), KeyModifiers::NONE)));
}

/// Starts an app (signed in, `page_size`, `size`) and answers its first list request with
/// `page`.
fn after_first_page(size: (u16, u16), page_size: u32, page: UserPage) -> Driver {
    let setup = Setup {
        has_credentials: true,
        read_only: false,
        sandbox: false,
        warning: None,
        login_email: None,
        page_size: Some(page_size),
        size,
    };
    let mut driver = Driver::new(&setup);
    let (list, _) = driver
        .outstanding()
        .into_iter()
        .find(|(_, r)| matches!(r, ApiRequest::List(_)))
        .expect("a list request at start");
    driver.reply(list, Ok(ApiReply::Page(page)));
    driver
}

fn rows(n: u8) -> Vec<User> {
    (0..n)
        .map(|i| user_of(i, format!("u{i}@example.com"), None, None))
        .collect()
}

// Counts and offsets near u64::MAX (found with the extreme values the generators send, after
// `decode_responses` showed that any u64 decodes): the app trusted a page's `count` and
// `offset`, and arithmetic on them overflowed (debug builds panicked, release builds wrapped).
// Medusa echoes the requested offset and counts real rows, so it takes a broken server or a
// proxy.

/// Regression, fixed in 2a2258b: `UserList::summary` (`page.offset + 1`, `page.offset +
/// shown`) panicked while rendering. Input: first list reply `{users: [3 users], count: 5,
/// offset: 18446744073709551615}`; any size of at least 30×8.
#[test]
fn huge_offset_in_the_summary() {
    let driver = after_first_page(
        (100, 30),
        20,
        UserPage {
            users: rows(3),
            count: 5,
            offset: u64::MAX,
            limit: 20,
        },
    );
    assert!(
        driver.screen.contains("of 5"),
        "summary missing:\n{}",
        driver.screen
    );
}

/// Regression, fixed in c8cab3b (found by `tui_keys`, minimised with `cargo fuzz tmin`): an
/// empty page past the end with count 2^63 moved the list to offset ≈ 2^63, and the list's
/// scrollbar (`ScrollbarState::new(count).position(offset + selected)` in ui/list.rs)
/// overflowed inside ratatui's `Scrollbar::part_lengths`. Input: page size 25, terminal 32×17,
/// first list reply `{users: [], count: 9223372036854775808, offset: 9223372036854775808}`.
#[test]
fn huge_count_in_the_scrollbar() {
    after_first_page(
        (32, 17),
        25,
        UserPage {
            users: Vec::new(),
            count: 1 << 63,
            offset: 1 << 63,
            limit: 0,
        },
    );
}

/// Regression, fixed in c8cab3b: `n` on the last page of a huge count overflowed
/// `self.list.offset + page_size` in the NextPage key handler. Input: page size 2, terminal
/// 20×5, first list reply `{users: [], count: 18446744073709551615, offset: 1}` (the app moves
/// to offset 18446744073709551614), its reload answered with one row, then `n`.
#[test]
fn next_page_after_a_huge_count() {
    let mut driver = after_first_page(
        (20, 5),
        2,
        UserPage {
            users: Vec::new(),
            count: u64::MAX,
            offset: 1,
            limit: 2,
        },
    );
    assert_eq!(driver.app.list.offset, u64::MAX - 1);
    let reload = driver.app.list.request.expect("the last page reloads");
    driver.reply(
        reload,
        Ok(ApiReply::Page(UserPage {
            users: rows(1),
            count: u64::MAX,
            offset: u64::MAX - 1,
            limit: 2,
        })),
    );
    driver.apply(&Op::Key(press(KeyCode::Char('n'), KeyModifiers::NONE)));
    assert_eq!(
        driver.app.list.offset,
        u64::MAX - 1,
        "there is no page after it"
    );
    assert!(!driver.app.list.is_loading());
}

// ----- the edit form's metadata text ------------------------------------------------------

/// Any JSON value a server could store in metadata, nested a few levels.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    crate::support::json_value(text, 4)
}

/// Keys and text values with what the text syntax treats specially, often.
fn meta_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => text(),
        2 => "[ a=,:\"\\\\\t{}\\[\\]]{0,6}",
        1 => Just(String::new()),
    ]
}

fn metadata_map() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
    vec(
        (
            meta_text(),
            prop_oneof![
                meta_text().prop_map(serde_json::Value::String),
                json_value()
            ],
        ),
        0..6,
    )
    .prop_map(|pairs| pairs.into_iter().collect())
}

proptest! {
    #![proptest_config(config(512))]

    /// The edit form shows metadata as text and reads it back on save: that must give the
    /// same map, or a save that did not touch the field would rewrite the user's metadata.
    #[test]
    fn metadata_text_parses_back_to_the_same_map(map in metadata_map()) {
        use medusa_users::tui::forms::{MetaValue, format_metadata, parse_metadata};
        let text = format_metadata(Some(&map));
        let pairs = parse_metadata(&text)
            .map_err(|e| TestCaseError::fail(format!("{text:?} does not parse: {e}")))?;
        let back: serde_json::Map<String, serde_json::Value> = pairs
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    MetaValue::Text(s) => serde_json::Value::String(s),
                    MetaValue::Json(v) => v,
                };
                (k, v)
            })
            .collect();
        // Same keys in the same order, each with the same value.
        prop_assert_eq!(
            back.iter().collect::<Vec<_>>(),
            map.iter().collect::<Vec<_>>(),
            "through {:?}",
            text
        );
    }
}
