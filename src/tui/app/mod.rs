//! The TUI's state and its one `update` function: a message (a key, a paste, an API reply, a
//! timer) comes in, the state changes, and commands (API requests, timers, clipboard, quit)
//! go out. No I/O happens here, so every behaviour can be tested without a terminal or a
//! server, and rendering (`ui/`) only reads this state.
//!
//! Here the [`App`], its construction and [`App::update`]. Beside it what every screen
//! shares: keys and pastes sent to the screen with the focus (`keys.rs`), replies sent where
//! their request's purpose says (`replies.rs`), the mouse (`mouse.rs`), the modal stack
//! (`modal.rs`), request bookkeeping (`requests.rs`), the connection (`connection.rs`) and
//! notices (`notices.rs`). Each screen's own state, keys, replies and drawing are in
//! `screens/`; the public types they define are re-exported here.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use super::form::Form;
use super::forms;
use super::keymap::{Action, Context, Keymap, Need, Offer, Resolved};
use crate::api::{ApiError, Capabilities, ErrorKind, Invite, ListParams, Operation, Order, User};

pub use super::message::*;
pub use crate::tui::screens::bulk::{Bulk, BulkItem, BulkKind, BulkState};
pub use crate::tui::screens::delete::DeleteDialog;
pub use crate::tui::screens::everywhere::Everywhere;
pub use crate::tui::screens::export::ExportDialog;
pub use crate::tui::screens::help::HelpOverlay;
pub use crate::tui::screens::invites::revoke::RevokeDialog;
pub use crate::tui::screens::invites::{InviteList, Tab};
pub use crate::tui::screens::reset::ResetDialog;
use crate::tui::screens::users::prefetch::PageCache;
pub use crate::tui::screens::users::{Land, UserList};

mod connection;
mod keys;
mod modal;
mod mouse;
mod notices;
pub(crate) mod production;
mod replies;
mod requests;

pub use connection::{ConnState, RetryWait, Session};
pub use modal::Modal;
pub use notices::{Level, Status};
pub(crate) use requests::Purpose;

/// Debounce for search-as-you-type.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);
/// A window being dragged sends many sizes; the page is sized to the one it settles on.
pub const RESIZE_SETTLE: Duration = Duration::from_millis(150);
/// How long a success notice stays in the status line (errors stay until dismissed).
pub const NOTICE_FADE: Duration = Duration::from_secs(4);
/// Notices kept for the message log (`m`).
pub const LOG_LIMIT: usize = 200;
/// The largest page the TUI asks for (the CLI's `--page-size` limit too).
pub const MAX_PAGE_SIZE: u32 = 500;
pub use super::layout::WIDE_MIN;

/// Startup settings for the app.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub base_url: String,
    pub auth: &'static str,
    pub has_credentials: bool,
    pub login_email: Option<String>,
    pub sandbox: bool,
    pub read_only: bool,
    pub warnings: Vec<String>,
    /// Rows per page; `None` sizes pages to the window (and follows it when it is resized).
    pub page_size: Option<u32>,
    pub size: (u16, u16),
    /// Where the embedded sandbox writes reset tokens (`--sandbox`), to say so in the reset
    /// dialog.
    pub outbox: Option<PathBuf>,
    /// What the server can do, when known before the first request (`--medusa-version`, a
    /// remembered session, the embedded sandbox); otherwise the app asks.
    pub capabilities: Option<Capabilities>,
    /// The store's admin dashboard (`MEDUSA_ADMIN_URL`), for reset links.
    pub admin_url: Option<String>,
    /// The config profile in use: its name and colour in the header, production's badge.
    pub profile: Option<crate::config::ProfileBadge>,
    /// The profiles the switcher offers (empty: no switcher).
    pub profiles: Vec<crate::config::ProfileEntry>,
    /// The config's `[theme]` overrides.
    pub theme: crate::config::theme::ThemeSpec,
    /// The keymap, the config's overrides merged in.
    pub keymap: Keymap,
    /// Mouse clicks and the wheel act (`--mouse`); off, mouse messages are ignored.
    pub mouse: bool,
}

pub struct App {
    pub keymap: Keymap,
    /// The styles, the config's overrides applied.
    pub theme: super::ui::Theme,
    /// The config's profiles, for the switcher.
    pub profiles: Vec<crate::config::ProfileEntry>,
    pub session: Session,
    pub list: UserList,
    /// Which list the body shows.
    pub tab: Tab,
    pub invites: InviteList,
    /// The invite token is shown in the detail pane (`v`).
    pub reveal_invite: bool,
    /// The clock the renderer tells relative times by; `None` is the wall clock. Tests fix it
    /// so snapshots of "in 23 h" stay still.
    pub now: Option<time::OffsetDateTime>,
    /// The search box, while it has the focus.
    pub search: Option<Input>,
    /// The go-to-page prompt (`:`), while it has the focus.
    pub goto: Option<Input>,
    pub reveal_token: bool,
    /// The first key of a sequence (`g` of `g g`), waiting for the second; the footer shows it.
    pub pending_key: Option<char>,
    pub modals: Vec<Modal>,
    pub status: Option<Status>,
    /// Every notice of the session, newest last (at most [`LOG_LIMIT`]).
    pub log: VecDeque<Status>,
    /// The reads are scheduled again after a failure (the status line counts down).
    pub retry: Option<RetryWait>,
    pub spinner: usize,
    pub size: (u16, u16),
    pub(crate) pending: HashMap<RequestId, (Purpose, ApiRequest)>,
    /// Requests refused with a 401, to send again after login, with the index of the modal
    /// that waits for each (the login screen opens above it, so the index stays valid).
    pub(crate) after_login: Vec<(Purpose, ApiRequest, Option<usize>)>,
    next_id: RequestId,
    reconnect_attempt: u32,
    /// Reads failed with server errors and are scheduled again (see `retry_later`).
    retry_reads: bool,
    pub(crate) last_email: String,
    /// `--page-size`, when given: pages keep that size whatever the window.
    page_size_override: Option<u32>,
    /// Where the sandbox writes reset tokens, when known.
    pub outbox: Option<PathBuf>,
    /// The admin dashboard's URL (parsed once), for reset and invite links.
    pub admin_url: Option<url::Url>,
    /// Bumped by every new notice; `update` starts the fade timer when it moved.
    status_serial: u64,
    /// Mouse clicks and the wheel act (`--mouse`).
    pub mouse: bool,
    /// Where the last frame drew the list's rows and the tabs: written by the renderer, read
    /// by mouse clicks.
    pub hits: std::cell::Cell<super::layout::HitMap>,
    /// The last message changed nothing on screen (a click on nothing): no redraw needed.
    unchanged: bool,
    /// The neighbouring pages of the user list, fetched ahead.
    pub(crate) cache: PageCache,
}

impl App {
    /// A new app and the commands to run first (who am I, the first page — or the login
    /// screen when there are no credentials).
    pub fn new(config: AppConfig) -> (App, Vec<Command>) {
        let mut app = App {
            keymap: config.keymap.clone(),
            theme: super::ui::Theme::with_overrides(&config.theme),
            profiles: config.profiles,
            session: Session {
                base_url: config.base_url,
                auth: config.auth,
                me: None,
                no_user: false,
                state: ConnState::Connecting,
                sandbox: config.sandbox,
                read_only: config.read_only,
                warnings: config.warnings,
                caps: config.capabilities,
                profile: config.profile,
            },
            list: UserList {
                page: None,
                selected: 0,
                offset: 0,
                page_size: 1,
                q: String::new(),
                order: Order::default(),
                role: None,
                request: None,
                land: None,
                marked: Vec::new(),
            },
            tab: Tab::Users,
            invites: InviteList::default(),
            reveal_invite: false,
            now: None,
            search: None,
            goto: None,
            reveal_token: false,
            pending_key: None,
            modals: Vec::new(),
            status: None,
            log: VecDeque::new(),
            retry: None,
            spinner: 0,
            size: config.size,
            pending: HashMap::new(),
            after_login: Vec::new(),
            next_id: 1,
            reconnect_attempt: 0,
            retry_reads: false,
            last_email: config.login_email.clone().unwrap_or_default(),
            page_size_override: config.page_size.map(|n| n.clamp(1, MAX_PAGE_SIZE)),
            outbox: config.outbox,
            admin_url: None,
            status_serial: 0,
            mouse: config.mouse,
            hits: std::cell::Cell::new(super::layout::HitMap::default()),
            unchanged: false,
            cache: PageCache::default(),
        };
        // Before the page size: a warning takes a header row.
        if let Some(raw) = &config.admin_url {
            match url::Url::parse(raw) {
                Ok(url) if url.scheme().starts_with("http") => app.admin_url = Some(url),
                // Said in the header, so a link that does not show is not a mystery.
                _ => app.session.warnings.push(format!(
                    "MEDUSA_ADMIN_URL is not an http(s) URL ({raw}); reset and invite links are off"
                )),
            }
        }
        app.list.page_size = app.wanted_page_size();
        app.invites.page_size = app.list.page_size;
        let mut cmds = Vec::new();
        if app.session.caps.is_none() {
            app.send(Purpose::Capabilities, ApiRequest::Capabilities, &mut cmds);
        }
        if config.has_credentials {
            app.send(Purpose::Me, ApiRequest::Me, &mut cmds);
            app.load_list(&mut cmds);
        } else {
            app.session.state = ConnState::SignedOut;
            app.open_login(None);
        }
        (app, cmds)
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        match self.modals.last() {
            Some(m) => m.context(),
            None if self.goto.is_some() => Context::GoToPage,
            None if self.search.is_some() => Context::Search,
            None if self.tab == Tab::Invites => Context::Invites,
            None => Context::List,
        }
    }

    /// What the keys may offer now: the backend's capabilities and read-only mode.
    pub fn offer(&self) -> Offer<'_> {
        Offer::new(self.session.caps.as_ref(), self.session.read_only)
            .with_profiles(!self.profiles.is_empty())
    }

    /// The capabilities, when known.
    pub fn caps(&self) -> Option<&Capabilities> {
        self.session.caps.as_ref()
    }

    /// Whether the spinner turns: requests are in flight, or a retry is counting down.
    pub fn is_animating(&self) -> bool {
        self.is_busy() || self.retry.is_some()
    }

    pub fn is_wide(&self) -> bool {
        self.size.0 >= WIDE_MIN
    }

    /// How many users the list shows in the window as it is now.
    pub fn visible_rows(&self) -> u32 {
        super::layout::list_rows(self.size.0, self.size.1, !self.session.warnings.is_empty())
    }

    /// The page size to ask for: `--page-size`, or as many rows as the window shows.
    pub fn wanted_page_size(&self) -> u32 {
        self.page_size_override
            .unwrap_or_else(|| self.visible_rows())
            .clamp(1, MAX_PAGE_SIZE)
    }

    /// The page size of the list on screen.
    fn active_page_size(&self) -> u32 {
        match self.tab {
            Tab::Users => self.list.page_size,
            Tab::Invites => self.invites.page_size,
        }
    }

    /// Whether the last [`App::update`] changed nothing on screen, so the frame need not be
    /// drawn again. Only mouse messages say so (a click on nothing, a wheel at the list's
    /// end); every other message redraws.
    pub fn unchanged(&self) -> bool {
        self.unchanged
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        let mut cmds = Vec::new();
        let serial = self.status_serial;
        self.unchanged = false;
        match msg {
            Msg::Key(key) => self.on_key(key, &mut cmds),
            Msg::Mouse(event) => self.on_mouse(event, &mut cmds),
            Msg::Paste(text) => self.on_paste(text, &mut cmds),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                // A detail screen opened on a narrow terminal is not needed once it is wide.
                if self.is_wide()
                    && matches!(
                        self.modals.last(),
                        Some(Modal::Detail | Modal::InviteDetail)
                    )
                {
                    self.modals.pop();
                }
                if self.wanted_page_size() != self.active_page_size() {
                    cmds.push(Command::SetTimer(Timer::Resize, RESIZE_SETTLE));
                }
            }
            Msg::Timer(Timer::Resize) => {
                if self.wanted_page_size() != self.active_page_size() {
                    match self.tab {
                        Tab::Users => self.repage(&mut cmds),
                        Tab::Invites => self.repage_invites(&mut cmds),
                    }
                }
            }
            Msg::Timer(Timer::FadeStatus) => {
                if self.status.as_ref().is_some_and(|s| s.level == Level::Info) {
                    self.status = None;
                }
            }
            Msg::Timer(Timer::Countdown) => {
                if let Some(retry) = &mut self.retry
                    && retry.remaining > 0
                {
                    let before = retry.text();
                    retry.remaining -= 1;
                    let after = retry.text();
                    if retry.remaining > 0 {
                        cmds.push(Command::SetTimer(Timer::Countdown, Duration::from_secs(1)));
                    }
                    if let Some(status) = &mut self.status
                        && status.text == before
                    {
                        status.text = after;
                    }
                }
            }
            Msg::Reply(id, result) => self.on_reply(id, result, &mut cmds),
            Msg::Timer(Timer::SearchDebounce) => match self.tab {
                Tab::Users => {
                    if self.search.is_some() || self.list.request.is_none() {
                        self.reload_from_start(&mut cmds);
                    }
                }
                Tab::Invites => {
                    if self.search.is_some() || self.invites.request.is_none() {
                        self.reload_invites_from_start(&mut cmds);
                    }
                }
            },
            Msg::Timer(Timer::Reconnect) => {
                if let Some(retry) = self.retry.take()
                    && let Some(status) = &mut self.status
                    && status.text == retry.text()
                {
                    status.text = RetryWait {
                        remaining: 0,
                        ..retry
                    }
                    .text();
                }
                if matches!(self.session.state, ConnState::Offline(_)) || self.retry_reads {
                    if self.session.caps.is_none() && !self.is_pending(&ApiRequest::Capabilities) {
                        self.send(Purpose::Capabilities, ApiRequest::Capabilities, &mut cmds);
                    }
                    if self.session.me.is_none() {
                        self.send(Purpose::Me, ApiRequest::Me, &mut cmds);
                    }
                    match self.tab {
                        Tab::Users => self.load_list(&mut cmds),
                        Tab::Invites => self.load_invites(&mut cmds),
                    }
                }
            }
            Msg::Tick => self.spinner = self.spinner.wrapping_add(1),
        }
        if self.status_serial != serial
            && self.status.as_ref().is_some_and(|s| s.level == Level::Info)
        {
            cmds.push(Command::SetTimer(Timer::FadeStatus, NOTICE_FADE));
        }
        cmds
    }
}

/// Whether a key event should reach the app at all: presses and repeats, not releases.
pub fn is_press(key: &KeyEvent) -> bool {
    key.kind != crossterm::event::KeyEventKind::Release
}

/// Ctrl-C, for the loop's last-resort quit.
pub fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL)
}
