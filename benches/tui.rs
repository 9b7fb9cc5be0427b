//! The console's speed, in-process, on ratatui's `TestBackend` at 200×60:
//!
//! - a page flip, from the key to the frame that shows the new rows: with the page fetched
//!   ahead (`App::update` + one frame), and without it, where the page comes from an embedded
//!   sandbox over loopback HTTP (update, the spinner frame, the request, the reply, the frame);
//!   the loopback round trip alone is measured too;
//! - `render` with 20, 50, 100 and 1,000 users loaded (at most 55 of them fit on screen), the
//!   selection on the first and on the last row: the cost must not grow with rows off screen.
//!
//! Run: `cargo bench --bench tui`. It prints a table of medians and 95th percentiles.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use medusa_users::api::client::{ClientOptions, parse_base_url};
use medusa_users::api::{
    ApiError, Capabilities, Client, Credentials, Dialect, Role, Timestamp, User, UserPage,
};
use medusa_users::sandbox::{ADMIN_API_TOKEN, Sandbox, SandboxConfig};
use medusa_users::tui::app::{ApiReply, ApiRequest, App, AppConfig, Command, Msg};
use medusa_users::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZE: (u16, u16) = (200, 60);
const FLIPS: usize = 400;
const FLIPS_HTTP: usize = 200;
const RENDERS: usize = 400;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn user(i: u64) -> User {
    let first = ["Ada", "Bea", "Cy", "Dov", "Eli", "Fay", "Gus", "Hal"];
    let last = ["Lovelace", "Rivera", "Okafor", "Nguyen", "Kowalski"];
    User {
        id: format!("usr_01BENCH{i:020}"),
        created_at: Timestamp(format!(
            "2026-11-{:02}T10:{:02}:00.000Z",
            1 + i % 27,
            i % 60
        )),
        updated_at: Timestamp("2026-11-27T11:00:00.000Z".into()),
        deleted_at: None,
        role: Some([Role::Admin, Role::Member, Role::Developer][(i % 3) as usize]),
        email: format!("user{i}@example.com"),
        first_name: Some(first[(i % 8) as usize].to_owned()),
        last_name: Some(last[(i % 5) as usize].to_owned()),
        api_token: None,
        metadata: None,
        avatar_url: None,
        wire: Dialect::V1,
    }
}

fn page(offset: u64, limit: u64, count: u64) -> UserPage {
    UserPage {
        users: (offset..(offset + limit).min(count)).map(user).collect(),
        count,
        offset,
        limit,
    }
}

fn config(page_size: Option<u32>) -> AppConfig {
    AppConfig {
        base_url: "http://127.0.0.1:9000".into(),
        auth: "API token",
        has_credentials: true,
        login_email: None,
        sandbox: false,
        read_only: false,
        warnings: Vec::new(),
        page_size,
        size: SIZE,
        outbox: None,
        capabilities: Some(Capabilities::of(Dialect::V1)),
        admin_url: None,
        profile: None,
        profiles: Vec::new(),
        theme: Default::default(),
        keymap: Default::default(),
        mouse: false,
    }
}

/// Answers `cmds` from memory as a store of `count` users would, and what the answers cause;
/// `fetch_ahead: false` fails the pages fetched ahead (every list request not the list's own).
fn serve(app: &mut App, cmds: Vec<Command>, count: u64, fetch_ahead: bool) {
    for cmd in cmds {
        let Command::Api(id, request) = cmd else {
            continue;
        };
        let reply = match request {
            ApiRequest::Me => Ok(ApiReply::User(user(0))),
            ApiRequest::List(_) if !fetch_ahead && app.list.request != Some(id) => {
                Err(ApiError::Network {
                    message: "not fetched ahead in this run".into(),
                })
            }
            ApiRequest::List(p) => Ok(ApiReply::Page(page(
                p.offset.unwrap_or(0),
                u64::from(p.limit.unwrap_or(20)),
                count,
            ))),
            other => panic!("unexpected request {other:?}"),
        };
        let caused = app.update(Msg::Reply(id, reply));
        serve(app, caused, count, fetch_ahead);
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("test terminal")
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|f| ui::render(f, app))
        .expect("draw on the test backend");
}

struct Stats {
    median: Duration,
    p95: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
    }
}

fn row(what: &str, s: &Stats) {
    println!(
        "| {what:<60} | {:>10.1} µs | {:>10.1} µs |",
        s.median.as_secs_f64() * 1e6,
        s.p95.as_secs_f64() * 1e6
    );
}

/// n and p in turn between pages 1 and 2 of a store of 5,000 users, pages as tall as the
/// window; the pages fetched ahead are answered (or failed) between flips, outside the timing.
fn flip_prefetched() -> Stats {
    let (mut app, cmds) = App::new(config(None));
    serve(&mut app, cmds, 5_000, true);
    let mut term = terminal();
    draw(&mut term, &app);
    let mut samples = Vec::with_capacity(FLIPS);
    for i in 0..FLIPS {
        let before = app.list.page_number();
        let start = Instant::now();
        let cmds = app.update(key(if i % 2 == 0 { 'n' } else { 'p' }));
        draw(&mut term, &app);
        samples.push(start.elapsed());
        assert!(
            app.list.page_number() != before && !app.list.is_loading(),
            "the new rows are in this frame"
        );
        serve(&mut app, cmds, 5_000, true);
    }
    stats(samples)
}

/// The same flips with nothing fetched ahead, the page answered from memory: the in-process
/// cost of the path that waits (two updates, two frames).
fn flip_waiting_in_memory() -> Stats {
    let (mut app, cmds) = App::new(config(None));
    serve(&mut app, cmds, 5_000, false);
    let mut term = terminal();
    draw(&mut term, &app);
    let mut samples = Vec::with_capacity(FLIPS);
    for i in 0..FLIPS {
        let start = Instant::now();
        let cmds = app.update(key(if i % 2 == 0 { 'n' } else { 'p' }));
        draw(&mut term, &app);
        let id = app.list.request.expect("waits for the page");
        let Some(Command::Api(_, ApiRequest::List(p))) = cmds
            .iter()
            .find(|c| matches!(c, Command::Api(i, _) if *i == id))
        else {
            panic!("no request for the page")
        };
        let reply = page(
            p.offset.unwrap_or(0),
            u64::from(p.limit.unwrap_or(20)),
            5_000,
        );
        let caused = app.update(Msg::Reply(id, Ok(ApiReply::Page(reply))));
        draw(&mut term, &app);
        samples.push(start.elapsed());
        serve(&mut app, caused, 5_000, false);
    }
    stats(samples)
}

/// The flips with nothing fetched ahead against an embedded sandbox over loopback HTTP, and
/// the round trip of one page alone.
fn flip_waiting_over_http() -> (Stats, Stats) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = rt
        .block_on(Sandbox::start(SandboxConfig {
            seed: 1_000,
            data: Some(dir.path().join("bench.sqlite3")),
            ..SandboxConfig::ephemeral()
        }))
        .expect("sandbox starts");
    let client = Client::new(
        ClientOptions {
            base_url: parse_base_url(&sandbox.url()).expect("url"),
            ..ClientOptions::default()
        },
        Credentials::api_token(ADMIN_API_TOKEN),
    )
    .expect("client");
    let fetch = |request: &ApiRequest| match request {
        ApiRequest::List(p) => rt.block_on(client.list(p)).expect("page over HTTP"),
        other => panic!("unexpected request {other:?}"),
    };
    let (mut app, cmds) = App::new(config(None));
    for cmd in cmds {
        if let Command::Api(id, request) = cmd {
            let reply = match request {
                ApiRequest::Me => ApiReply::User(user(0)),
                list => ApiReply::Page(fetch(&list)),
            };
            let caused = app.update(Msg::Reply(id, Ok(reply)));
            serve(&mut app, caused, 0, false);
        }
    }
    assert!(app.list.count() > 100, "the sandbox's users");
    let mut term = terminal();
    draw(&mut term, &app);
    let mut flips = Vec::with_capacity(FLIPS_HTTP);
    let mut trips = Vec::with_capacity(FLIPS_HTTP);
    for i in 0..FLIPS_HTTP {
        let start = Instant::now();
        let cmds = app.update(key(if i % 2 == 0 { 'n' } else { 'p' }));
        draw(&mut term, &app);
        let id = app.list.request.expect("waits for the page");
        let request = cmds
            .iter()
            .find_map(|c| match c {
                Command::Api(i, r) if *i == id => Some(r.clone()),
                _ => None,
            })
            .expect("the page's request");
        let trip = Instant::now();
        let reply = fetch(&request);
        trips.push(trip.elapsed());
        let caused = app.update(Msg::Reply(id, Ok(ApiReply::Page(reply))));
        draw(&mut term, &app);
        flips.push(start.elapsed());
        serve(&mut app, caused, 0, false);
    }
    rt.block_on(sandbox.shutdown());
    (stats(flips), stats(trips))
}

/// `render` with `loaded` users on the page, the selection on the first or the last row.
fn render(loaded: u64, last_row: bool) -> Stats {
    let size = u32::try_from(loaded).unwrap_or(u32::MAX);
    let (mut app, cmds) = App::new(config(Some(size)));
    for cmd in cmds {
        if let Command::Api(id, request) = cmd {
            let reply = match request {
                ApiRequest::Me => ApiReply::User(user(0)),
                // The whole page, even past the app's largest page size: what a server sends
                // is what is rendered.
                _ => ApiReply::Page(page(0, loaded, 5_000)),
            };
            app.update(Msg::Reply(id, Ok(reply)));
        }
    }
    assert_eq!(app.list.users().len() as u64, loaded);
    if last_row {
        app.update(key('L'));
        assert_eq!(app.list.selected as u64, loaded - 1);
    }
    let mut term = terminal();
    let mut samples = Vec::with_capacity(RENDERS);
    for _ in 0..RENDERS {
        let start = Instant::now();
        draw(&mut term, black_box(&app));
        samples.push(start.elapsed());
    }
    stats(samples)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would too: nothing to parse.
    println!(
        "medusa-users console, {}×{} TestBackend, in-process\n",
        SIZE.0, SIZE.1
    );
    println!("| {:<60} | {:>13} | {:>13} |", "", "median", "p95");
    println!("|{:-<62}|{:-<15}|{:-<15}|", "", "", "");
    row(
        "page flip, key → frame, page fetched ahead",
        &flip_prefetched(),
    );
    row(
        "page flip, key → frame, not fetched ahead (reply in memory)",
        &flip_waiting_in_memory(),
    );
    let (http, trip) = flip_waiting_over_http();
    row(
        "page flip, key → frame, not fetched ahead (sandbox, HTTP)",
        &http,
    );
    row("  of which the loopback round trip of the page", &trip);
    for loaded in [20, 50, 100, 1_000] {
        for last in [false, true] {
            let what = format!(
                "render, {loaded:>5} users loaded, selection on the {} row",
                if last { "last" } else { "first" }
            );
            row(&what, &render(loaded, last));
        }
    }
}
