//! The TUI's `App` under random sessions: the input bytes pick the start (credentials or not,
//! read-only or not, page size, terminal size) and up to 200 operations (keys with any
//! modifiers, typing, pastes, resizes, ticks, timers, replies of every kind to the requests
//! the app sent, stray replies). After every message the app is rendered at its size, 1×1
//! and 0×0, and the invariants are checked: see `fuzz/harness/tui.rs` (shared with
//! `tests/tui/prop_tui.rs`).

#![no_main]

#[path = "../harness/tui.rs"]
mod harness;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use harness::{Driver, ODD_SIZES, Op, Outcome, Setup, USEFUL_TEXT};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use medusa_users::api::{User, UserPage};

const MAX_OPS: usize = 200;

fn text(u: &mut Unstructured) -> Result<String> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 | 1 => (*u.choose(&USEFUL_TEXT)?).to_owned(),
        2 => u.arbitrary::<String>()?.chars().take(80).collect(),
        _ => {
            let n = u.int_in_range(0..=12usize)?;
            (0..n)
                .map(|_| Ok(char::from(u.int_in_range(0..=0x7fu8)?)))
                .collect::<Result<String>>()?
        }
    })
}

fn size(u: &mut Unstructured) -> Result<(u16, u16)> {
    Ok(match u.int_in_range(0..=2u8)? {
        0 => *u.choose(&ODD_SIZES)?,
        1 => (u.int_in_range(0..=300)?, u.int_in_range(0..=100)?),
        _ => (u.int_in_range(30..=140)?, u.int_in_range(8..=50)?),
    })
}

fn key(u: &mut Unstructured) -> Result<KeyEvent> {
    const CODES: [KeyCode; 16] = [
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
    ];
    let code = match u.int_in_range(0..=9u8)? {
        0..=3 => {
            let chars: Vec<char> = harness::KEY_CHARS.chars().collect();
            KeyCode::Char(*u.choose(&chars)?)
        }
        4 => KeyCode::Char(u.arbitrary()?),
        5 => KeyCode::F(u.int_in_range(1..=24)?),
        _ => *u.choose(&CODES)?,
    };
    let modifiers = match u.int_in_range(0..=9u8)? {
        0..=5 => KeyModifiers::NONE,
        6 | 7 => KeyModifiers::CONTROL,
        8 => KeyModifiers::from_bits_truncate(u.arbitrary()?),
        _ => *u.choose(&[KeyModifiers::SHIFT, KeyModifiers::ALT])?,
    };
    let kind = *u.choose(&[
        KeyEventKind::Press,
        KeyEventKind::Press,
        KeyEventKind::Repeat,
        KeyEventKind::Release,
    ])?;
    Ok(KeyEvent::new_with_kind(code, modifiers, kind))
}

fn user(u: &mut Unstructured) -> Result<User> {
    let i: u8 = u.arbitrary()?;
    let email = if u.ratio(3, 4)? {
        format!("user{}@example.com", i % 8)
    } else {
        text(u)?
    };
    let first = if u.arbitrary()? { Some(text(u)?) } else { None };
    let token = match u.int_in_range(0..=2u8)? {
        0 => None,
        1 => Some("tok-0123456789abcdef".to_owned()),
        _ => Some(text(u)?),
    };
    Ok(harness::user_of(i, email, first, token))
}

fn page(u: &mut Unstructured) -> Result<UserPage> {
    let n = u.int_in_range(0..=60usize)?;
    let users = (0..n).map(|_| user(u)).collect::<Result<Vec<_>>>()?;
    const EXTREME: [u64; 4] = [u64::MAX, u64::MAX - 1, 1 << 63, 1 << 32];
    let offset: u64 = match u.int_in_range(0..=9u8)? {
        0..=2 => 0,
        3..=5 => u.int_in_range(0..=300)?,
        6..=8 => u.int_in_range(0..=100_000)?,
        _ => *u.choose(&EXTREME)?,
    };
    let count: u64 = if u.arbitrary()? {
        offset.saturating_add(users.len() as u64 + u.int_in_range(0..=49)?)
    } else {
        match u.int_in_range(0..=9u8)? {
            0..=2 => 0,
            3..=5 => u.int_in_range(0..=200)?,
            6..=8 => u.int_in_range(0..=u64::from(u32::MAX))?,
            _ => *u.choose(&EXTREME)?,
        }
    };
    Ok(UserPage {
        users,
        count,
        offset,
        limit: u.int_in_range(0..=60)?,
    })
}

fn outcome(u: &mut Unstructured) -> Result<Outcome> {
    let error = if u.ratio(2, 5)? {
        Some(harness::error_of(
            u.arbitrary()?,
            text(u)?,
            u.int_in_range(100..=599)?,
            u.int_in_range(0..=100_000)?,
        ))
    } else {
        None
    };
    // Pages are the costliest part to build: only when the reply may use one.
    let page = if u.arbitrary()? {
        page(u)?
    } else {
        UserPage {
            users: Vec::new(),
            count: 0,
            offset: 0,
            limit: 20,
        }
    };
    Ok(Outcome {
        error,
        page,
        user: user(u)?,
        stray_kind: u.arbitrary()?,
    })
}

fn op(u: &mut Unstructured) -> Result<Op> {
    Ok(match u.int_in_range(0..=32u8)? {
        0..=11 => Op::Key(key(u)?),
        12 | 13 => Op::Type(text(u)?),
        14 | 15 => Op::TypeSecret,
        16 | 17 => Op::Paste(text(u)?),
        18 | 19 => {
            let (w, h) = size(u)?;
            Op::Resize(w, h)
        }
        20 => Op::Tick,
        21 => Op::FireTimer(u.arbitrary()?),
        22..=29 => Op::Reply(u.arbitrary()?, outcome(u)?),
        31 | 32 => Op::Mouse {
            kind: u.arbitrary()?,
            x: u.int_in_range(0..=150)?,
            y: u.int_in_range(0..=60)?,
        },
        _ => Op::Stray {
            fresh: u.arbitrary()?,
            pick: u.arbitrary()?,
            outcome: outcome(u)?,
        },
    })
}

fn setup(u: &mut Unstructured) -> Result<Setup> {
    Ok(Setup {
        has_credentials: u.arbitrary()?,
        read_only: u.arbitrary()?,
        sandbox: u.arbitrary()?,
        warning: if u.arbitrary()? { Some(text(u)?) } else { None },
        login_email: match u.int_in_range(0..=2u8)? {
            0 => None,
            1 => Some("admin@example.com".to_owned()),
            _ => Some(text(u)?),
        },
        page_size: if u.arbitrary()? {
            Some(u.int_in_range(1..=50)?)
        } else {
            None
        },
        size: size(u)?,
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(setup) = setup(&mut u) else {
        return;
    };
    let mut ops = Vec::new();
    while ops.len() < MAX_OPS && !u.is_empty() {
        match op(&mut u) {
            Ok(op) => ops.push(op),
            Err(_) => break,
        }
    }
    if std::env::var_os("MEDUSA_FUZZ_DEBUG").is_some() {
        eprintln!("{setup:#?}\n{ops:#?}");
    }
    let mut driver = Driver::new(&setup);
    driver.run(&ops);
    assert!(driver.drain(200), "requests kept coming");
    if !driver.quit {
        assert!(
            !driver.app.is_busy(),
            "busy after every request was answered"
        );
    }
});
