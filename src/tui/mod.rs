//! The interactive console. One event loop merges terminal input, worker replies, timers and
//! signals; every change goes through `App::update`, and the screen is redrawn only when
//! something changed (a key, a reply, a resize, a timer, or a spinner frame while requests are
//! pending or a retry counts down). While nothing happens, nothing runs.

pub mod app;
pub mod clipboard;
pub mod form;
pub mod forms;
pub mod keymap;
pub mod layout;
pub mod message;
mod screens;
mod terminal;
pub mod ui;
pub mod worker;

// The config's `[keys]` reader, at the path it had before it moved beside the table.
pub use keymap::config as keymap_config;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::Instant;

use self::app::{App, AppConfig, Command, Msg, Timer};
use self::worker::{Reply, WorkerContext, WorkerMsg};
use crate::connect::Connection;

/// Options of the TUI beyond the connection.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Rows per page (`--page-size`, else the profile's); `None` sizes pages to the window.
    pub page_size: Option<u32>,
    /// `--page-size` alone: it wins over every profile's after a switch.
    pub page_size_flag: Option<u32>,
    pub read_only: bool,
    /// Clicks and the wheel act (`--mouse`, `MEDUSA_USERS_MOUSE`, the config's `mouse`).
    pub mouse: bool,
    /// `--mouse` or `MEDUSA_USERS_MOUSE` as given: it wins over every profile's after a switch.
    pub mouse_flag: Option<bool>,
    /// The config profile in use.
    pub profile: Option<crate::config::ProfileBadge>,
    /// The config's profiles, for the switcher.
    pub profiles: Vec<crate::config::ProfileEntry>,
    /// The config's `[theme]`.
    pub theme: crate::config::theme::ThemeSpec,
    /// The keymap with the config's `[keys]` merged in.
    pub keymap: keymap::Keymap,
    /// The connection flags as given, to connect to another profile with.
    pub connect: crate::connect::ConnectArgs,
}

/// What the event loop needs from the terminal it runs on, besides drawing: the real one
/// ([`TerminalHost`]) or a test's.
pub trait Host {
    /// Puts `text` on the clipboard.
    fn copy(&mut self, text: &str);
    /// Gives the terminal back to the shell and stops the process (Ctrl-Z); returns once it
    /// continues (`fg`), with the terminal taken over again.
    fn suspend(&mut self) -> std::io::Result<()>;
}

/// The real terminal: the system clipboard or OSC 52, job control for Ctrl-Z.
#[derive(Default)]
pub struct TerminalHost {
    clipboard: clipboard::Clipboard,
}

impl Host for TerminalHost {
    fn copy(&mut self, text: &str) {
        self.clipboard.copy(text);
    }

    fn suspend(&mut self) -> std::io::Result<()> {
        terminal::suspend()
    }
}

/// Counters the loop keeps, so tests and benchmarks can prove that idle means idle.
#[derive(Debug, Default)]
pub struct LoopStats {
    pub draws: AtomicU64,
    pub wakeups: AtomicU64,
}

/// How often the spinner turns while requests are pending.
const SPINNER_PERIOD: Duration = Duration::from_millis(100);

/// Runs the TUI on the real terminal until the operator quits (or SIGTERM/SIGHUP arrives).
/// The terminal is restored on every way out, panics included (ratatui's hook). Switching
/// profiles (`P`) connects to the other store and starts the console afresh on it, in the same
/// terminal; a switch that cannot connect stays on the store in use and says why.
pub async fn run(connection: Connection, options: TuiOptions) -> color_eyre::Result<()> {
    let mut terminal = terminal::enter(options.mouse)?;
    let mut connection = connection;
    let mut options = options;
    let mut events = with_debug_keys(EventStream::new());
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let stats = Arc::new(LoopStats::default());
    let mut notice: Option<String> = None;
    let mut host = TerminalHost::default();
    let result = loop {
        let size = terminal.size()?;
        let (mut app, initial) = App::new(app_config(&connection, &options, size));
        if let Some(n) = notice.take() {
            app.error(n);
        }
        let client = connection.client.clone();
        let outbox = connection
            .outbox
            .clone()
            .or_else(|| local_sandbox_outbox(client.base_url()));
        let (to_worker, replies) = worker::spawn(
            client,
            WorkerContext {
                sessions: connection.sessions.clone(),
                outbox,
                profiles_from: (!options.profiles.is_empty()).then(|| options.connect.clone()),
            },
        );
        let end = event_loop(
            &mut terminal,
            &mut app,
            initial,
            &mut events,
            to_worker,
            replies,
            &mut host,
            &mut shutdown,
            &stats,
        )
        .await;
        match end {
            Ok(LoopEnd::SwitchProfile(name)) => match switch_to(&name, &options).await {
                Ok((next, switched)) => {
                    if let Some(sandbox) = std::mem::replace(&mut connection, next).sandbox {
                        sandbox.shutdown().await;
                    }
                    options.profile = switched.profile;
                    options.page_size = switched.page_size;
                    options.read_only = switched.read_only;
                    options.mouse = switched.mouse;
                    terminal::set_mouse(options.mouse)?;
                }
                Err(e) => notice = Some(format!("cannot switch to {name}: {e}")),
            },
            Ok(LoopEnd::Quit) => break Ok(()),
            Err(e) => break Err(e),
        }
    };

    terminal::leave()?;
    if let Some(sandbox) = connection.sandbox {
        sandbox.shutdown().await;
    }
    tracing::info!(
        "tui exited after {} draws, {} wake-ups",
        stats.draws.load(Ordering::Relaxed),
        stats.wakeups.load(Ordering::Relaxed)
    );
    result
}

/// The app's start-up configuration for a connection.
fn app_config(
    connection: &Connection,
    options: &TuiOptions,
    size: ratatui::layout::Size,
) -> AppConfig {
    let client = &connection.client;
    AppConfig {
        base_url: client
            .base_url()
            .to_string()
            .trim_end_matches('/')
            .to_owned(),
        auth: client.credentials().describe(),
        has_credentials: !client.credentials().is_none(),
        login_email: connection.login_email.clone(),
        sandbox: connection.sandbox.is_some(),
        read_only: options.read_only,
        warnings: connection.warnings.clone(),
        page_size: options.page_size,
        size: (size.width, size.height),
        outbox: connection.outbox.clone(),
        capabilities: client.known_capabilities(),
        admin_url: std::env::var("MEDUSA_ADMIN_URL").ok(),
        profile: options.profile.clone(),
        profiles: options.profiles.clone(),
        theme: options.theme.clone(),
        keymap: options.keymap.clone(),
        mouse: options.mouse,
    }
}

/// What a profile switch changes besides the connection.
struct Switched {
    profile: Option<crate::config::ProfileBadge>,
    page_size: Option<u32>,
    read_only: bool,
    mouse: bool,
}

/// Connects to the profile `name` as `medusa-users --profile NAME` would (flags the operator
/// gave that are not about which store, such as --timeout, still apply).
async fn switch_to(name: &str, options: &TuiOptions) -> Result<(Connection, Switched), String> {
    let (connection, applied, args) = connect_profile(&options.connect, name).await?;
    Ok((
        connection,
        Switched {
            profile: applied.profile,
            page_size: options.page_size_flag.or(applied.page_size),
            read_only: args.read_only,
            mouse: options.mouse_flag.or(applied.mouse).unwrap_or(false),
        },
    ))
}

/// Connects to the profile `name` as `medusa-users --profile NAME` would, from the flags the
/// console was started with (those about which store, and its credentials, are the profile's;
/// the rest, such as --timeout, still apply). A login it needs is left for the login screen.
pub async fn connect_profile(
    template: &crate::connect::ConnectArgs,
    name: &str,
) -> Result<
    (
        Connection,
        crate::config::Applied,
        crate::connect::ConnectArgs,
    ),
    String,
> {
    let mut args = template.clone();
    args.profile = Some(name.to_owned());
    args.sandbox = false;
    for id in ["url", "api_token", "email", "medusa_version", "sandbox"] {
        args.given.remove(id);
    }
    args.api_token = None;
    args.email = None;
    args.password = None;
    args.url = Some(crate::api::client::DEFAULT_BASE_URL.to_owned());
    args.medusa_version = crate::api::DialectChoice::Auto;
    let applied = crate::connect::apply_config(&mut args).map_err(|e| e.to_string())?;
    let connection = crate::connect::connect(&args, crate::connect::PasswordSource::Defer)
        .await
        .map_err(|e| match e {
            crate::connect::ConnectError::Api(e) => e.status_line(),
            other => other.to_string(),
        })?;
    Ok((connection, applied, args))
}

/// Why the loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoopEnd {
    Quit,
    /// The operator picked another profile.
    SwitchProfile(String),
}

/// The outbox of a sandbox started apart (`medusa-users sandbox`) on this machine, where it
/// writes by default: when the backend is on loopback and that file exists, reset tokens may
/// arrive there. (Whether they do is seen when one does: see the worker.)
fn local_sandbox_outbox(url: &url::Url) -> Option<PathBuf> {
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    let path = crate::sandbox::default_data_path()?.with_file_name("sandbox-outbox.jsonl");
    (loopback && path.is_file()).then_some(path)
}

/// The loop itself, generic over the backend and the input stream so tests can drive it
/// with a `TestBackend` and scripted events.
#[allow(clippy::too_many_arguments)]
pub async fn event_loop<B, S>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    initial: Vec<Command>,
    mut events: S,
    to_worker: mpsc::UnboundedSender<WorkerMsg>,
    mut replies: mpsc::UnboundedReceiver<Reply>,
    host: &mut (dyn Host + Send),
    shutdown: impl std::future::Future<Output = ()>,
    stats: &LoopStats,
) -> color_eyre::Result<LoopEnd>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let mut timers: HashMap<Timer, Instant> = HashMap::new();
    let mut spinner = tokio::time::interval(SPINNER_PERIOD);
    spinner.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    let Effects {
        mut suspend,
        mut switch,
        mut quit,
    } = execute(initial, &to_worker, &mut timers, host);
    let mut dirty = true;
    let mut first_data_logged = false;
    loop {
        if let Some(name) = switch.take() {
            return Ok(LoopEnd::SwitchProfile(name));
        }
        if quit {
            break;
        }
        if std::mem::take(&mut suspend) {
            host.suspend()?;
            // The shell drew over the screen, and the window may have changed size meanwhile.
            terminal.clear()?;
            let size = terminal.size()?;
            let commands = app.update(Msg::Resize(size.width, size.height));
            Effects {
                suspend,
                switch,
                quit,
            } = execute(commands, &to_worker, &mut timers, host);
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| ui::render(frame, app))?;
            stats.draws.fetch_add(1, Ordering::Relaxed);
            dirty = false;
            if !first_data_logged && app.list.page.is_some() {
                first_data_logged = true;
                if let Some(t) = crate::startup::elapsed() {
                    tracing::info!(
                        "startup: first frame with data after {:.1} ms",
                        t.as_secs_f64() * 1000.0
                    );
                }
                if crate::startup::exit_after_first_data() {
                    break;
                }
            }
        }
        let next_timer = timers
            .iter()
            .min_by_key(|(_, at)| **at)
            .map(|(t, at)| (*t, *at));
        let deadline = next_timer.map(|(_, at)| at).unwrap_or_else(Instant::now);
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => event_to_msg(event),
                Some(Err(e)) => return Err(e.into()),
                // The terminal's input is gone (closed pty): nothing more can happen.
                None => break,
            },
            Some((id, result)) = replies.recv() => Some(Msg::Reply(id, result)),
            _ = spinner.tick(), if app.is_animating() => Some(Msg::Tick),
            _ = tokio::time::sleep_until(deadline), if next_timer.is_some() => {
                next_timer.map(|(t, _)| {
                    timers.remove(&t);
                    Msg::Timer(t)
                })
            }
            () = &mut shutdown => break,
        };
        stats.wakeups.fetch_add(1, Ordering::Relaxed);
        if let Some(msg) = msg {
            let commands = app.update(msg);
            // A click on nothing changes nothing: no frame for it.
            dirty |= !app.unchanged();
            Effects {
                suspend,
                switch,
                quit,
            } = execute(commands, &to_worker, &mut timers, host);
        }
    }
    Ok(LoopEnd::Quit)
}

/// What the loop itself must do after a batch of commands: the terminal is its to give up
/// (suspend), to hand over (another profile) or to restore (quit). Quitting is decided here
/// only, from the app's `Command::Quit`.
#[derive(Debug, Default)]
struct Effects {
    suspend: bool,
    switch: Option<String>,
    quit: bool,
}

/// Carries out the app's commands, and says what is left for the loop to do.
fn execute(
    commands: Vec<Command>,
    to_worker: &mpsc::UnboundedSender<WorkerMsg>,
    timers: &mut HashMap<Timer, Instant>,
    host: &mut (dyn Host + Send),
) -> Effects {
    let mut effects = Effects::default();
    for command in commands {
        match command {
            Command::Api(id, request) => {
                tracing::debug!("request {id}: {request:?}");
                let _ = to_worker.send(WorkerMsg::Run(id, request));
            }
            Command::Cancel(id) => {
                let _ = to_worker.send(WorkerMsg::Cancel(id));
            }
            Command::Copy { text } => host.copy(&text),
            Command::SetTimer(timer, after) => {
                timers.insert(timer, Instant::now() + after);
            }
            Command::Suspend => effects.suspend = true,
            Command::Quit => effects.quit = true,
            Command::SwitchProfile(name) => effects.switch = Some(name),
        }
    }
    effects
}

/// `MEDUSA_USERS_DEBUG_KEYS=1` turns F12 into a panic and F11 into an error exit, so tests can
/// prove the terminal comes back on both. Without the variable the stream is untouched.
fn with_debug_keys<S>(events: S) -> impl Stream<Item = std::io::Result<Event>> + Unpin
where
    S: Stream<Item = std::io::Result<Event>> + Unpin,
{
    let debug = std::env::var_os("MEDUSA_USERS_DEBUG_KEYS").is_some_and(|v| v == "1");
    events.map(move |event| {
        if debug && let Ok(Event::Key(key)) = &event {
            match key.code {
                crossterm::event::KeyCode::F(12) => panic!("debug panic (MEDUSA_USERS_DEBUG_KEYS)"),
                crossterm::event::KeyCode::F(11) => {
                    return Err(std::io::Error::other(
                        "debug error exit (MEDUSA_USERS_DEBUG_KEYS)",
                    ));
                }
                _ => {}
            }
        }
        event
    })
}

/// Terminal events the app cares about; focus changes, mouse releases, drags and moves cause
/// no redraw (mouse events arrive only with `--mouse`).
fn event_to_msg(event: Event) -> Option<Msg> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match event {
        Event::Key(key) if app::is_press(&key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Mouse(mouse) => matches!(
            mouse.kind,
            MouseEventKind::Down(MouseButton::Left)
                | MouseEventKind::ScrollDown
                | MouseEventKind::ScrollUp
        )
        .then_some(Msg::Mouse(mouse)),
        _ => None,
    }
}

/// Resolves on SIGTERM or SIGHUP (and SIGINT sent from outside; in raw mode Ctrl-C is a key),
/// or when the terminal hangs up without a signal.
async fn shutdown_signal() {
    tokio::select! {
        () = signals() => {}
        () = terminal::hangup() => tracing::info!("terminal hung up: leaving"),
    }
}

async fn signals() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM: leaving"),
            _ = hup.recv() => tracing::info!("SIGHUP: leaving"),
            _ = int.recv() => tracing::info!("SIGINT: leaving"),
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}
