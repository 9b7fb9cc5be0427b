//! The TUI's state and its one `update` function: a message (a key, a paste, an API reply, a
//! timer) comes in, the state changes, and commands (API requests, timers, clipboard, quit)
//! go out. No I/O happens here, so every behaviour can be tested without a terminal or a
//! server, and rendering (`ui/`) only reads this state.

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use super::form::Form;
use super::forms;
use super::keymap::{Action, Context, Keymap};
use crate::api::{ApiError, ErrorKind, ListParams, Order, OrderField, Role, User, UserPage};

pub use super::message::*;

mod keys;
mod replies;

/// Debounce for search-as-you-type.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);
/// Width from which the detail pane sits beside the list; narrower, Enter opens it full screen.
pub const WIDE_MIN: u16 = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnState {
    Connecting,
    Online,
    Offline(String),
    SignedOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

/// What the header shows about the connection.
#[derive(Debug, Clone)]
pub struct Session {
    pub base_url: String,
    pub auth: &'static str,
    pub me: Option<User>,
    pub state: ConnState,
    pub sandbox: bool,
    pub read_only: bool,
    pub warnings: Vec<String>,
}

/// The user list: one server page at a time, plus the query that produced it.
#[derive(Debug, Clone)]
pub struct UserList {
    pub page: Option<UserPage>,
    pub selected: usize,
    pub offset: u64,
    pub page_size: u32,
    pub q: String,
    pub order: Order,
    pub role: Option<Role>,
    pub request: Option<RequestId>,
    /// Select this user when the next page arrives (a user just created).
    pub select_id: Option<String>,
}

impl UserList {
    fn params(&self) -> ListParams {
        ListParams {
            limit: Some(self.page_size),
            offset: Some(self.offset),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            order: Some(self.order),
            roles: self.role.into_iter().collect(),
            email: None,
        }
    }

    pub fn users(&self) -> &[User] {
        self.page
            .as_ref()
            .map(|p| p.users.as_slice())
            .unwrap_or(&[])
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.users().get(self.selected)
    }

    pub fn count(&self) -> u64 {
        self.page.as_ref().map_or(0, |p| p.count)
    }

    pub fn page_number(&self) -> u64 {
        self.offset / u64::from(self.page_size.max(1)) + 1
    }

    pub fn page_total(&self) -> u64 {
        self.count()
            .div_ceil(u64::from(self.page_size.max(1)))
            .max(1)
    }

    /// `21–40 of 137 · page 2/7`.
    pub fn summary(&self) -> String {
        let Some(page) = &self.page else {
            return if self.is_loading() { "loading…" } else { "" }.to_owned();
        };
        if page.count == 0 {
            return if self.q.is_empty() && self.role.is_none() {
                "no users".to_owned()
            } else {
                "no users match".to_owned()
            };
        }
        // Saturating: the numbers come from the server and must not panic the renderer.
        let shown = page.users.len() as u64;
        let first = if shown == 0 {
            page.offset
        } else {
            page.offset.saturating_add(1)
        };
        format!(
            "{first}–{} of {} · page {}/{}",
            page.offset.saturating_add(shown),
            page.count,
            self.page_number(),
            self.page_total()
        )
    }

    pub fn is_loading(&self) -> bool {
        self.request.is_some()
    }
}

/// The dialogs and screens that sit over the list, topmost last.
#[derive(Debug, Clone)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    Detail,
    Create {
        form: Form,
        request: Option<RequestId>,
    },
    Edit {
        user: User,
        form: Form,
        request: Option<RequestId>,
    },
    Delete {
        user: User,
        request: Option<RequestId>,
        error: Option<String>,
    },
    ResetRequest {
        user: User,
        request: Option<RequestId>,
        sent: bool,
        error: Option<String>,
    },
    ResetApply {
        user: User,
        form: Form,
        request: Option<RequestId>,
    },
    Login {
        form: Form,
        request: Option<RequestId>,
        reason: Option<String>,
    },
    Discard,
}

impl Modal {
    pub fn context(&self) -> Context {
        match self {
            Modal::Help { .. } => Context::Help,
            Modal::Detail => Context::Detail,
            Modal::Create { .. } | Modal::Edit { .. } => Context::Form,
            Modal::Delete { .. } => Context::Delete,
            Modal::ResetRequest { .. } => Context::ResetRequest,
            Modal::ResetApply { .. } => Context::ResetApply,
            Modal::Login { .. } => Context::Login,
            Modal::Discard => Context::Discard,
        }
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Modal::Create { form, .. }
            | Modal::Edit { form, .. }
            | Modal::ResetApply { form, .. }
            | Modal::Login { form, .. } => Some(form),
            _ => None,
        }
    }

    fn request(&self) -> Option<RequestId> {
        match self {
            Modal::Create { request, .. }
            | Modal::Edit { request, .. }
            | Modal::Delete { request, .. }
            | Modal::ResetRequest { request, .. }
            | Modal::ResetApply { request, .. }
            | Modal::Login { request, .. } => *request,
            _ => None,
        }
    }

    fn set_request(&mut self, id: Option<RequestId>) {
        match self {
            Modal::Create { request, .. }
            | Modal::Edit { request, .. }
            | Modal::Delete { request, .. }
            | Modal::ResetRequest { request, .. }
            | Modal::ResetApply { request, .. }
            | Modal::Login { request, .. } => *request = id,
            _ => {}
        }
    }
}

/// Why a request was made; decides what its reply does.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum Purpose {
    Me,
    List,
    Detail,
    Create,
    Update,
    Delete(User),
    SendToken,
    ApplyReset,
    Login,
    SignOut,
}

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
    pub page_size: u32,
    pub size: (u16, u16),
}

pub struct App {
    pub keymap: Keymap,
    pub session: Session,
    pub list: UserList,
    /// The search box, while it has the focus.
    pub search: Option<Input>,
    pub reveal_token: bool,
    pub modals: Vec<Modal>,
    pub status: Option<Status>,
    pub spinner: usize,
    pub size: (u16, u16),
    pub quit: bool,
    pending: HashMap<RequestId, (Purpose, ApiRequest)>,
    /// Requests refused with a 401, to send again after login, with the index of the modal
    /// that waits for each (the login screen opens above it, so the index stays valid).
    after_login: Vec<(Purpose, ApiRequest, Option<usize>)>,
    next_id: RequestId,
    reconnect_attempt: u32,
    /// Reads failed with server errors and are scheduled again (see `retry_later`).
    retry_reads: bool,
    last_email: String,
}

impl App {
    /// A new app and the commands to run first (who am I, the first page — or the login
    /// screen when there are no credentials).
    pub fn new(config: AppConfig) -> (App, Vec<Command>) {
        let mut app = App {
            keymap: Keymap::default(),
            session: Session {
                base_url: config.base_url,
                auth: config.auth,
                me: None,
                state: ConnState::Connecting,
                sandbox: config.sandbox,
                read_only: config.read_only,
                warnings: config.warnings,
            },
            list: UserList {
                page: None,
                selected: 0,
                offset: 0,
                page_size: config.page_size.max(1),
                q: String::new(),
                order: Order::default(),
                role: None,
                request: None,
                select_id: None,
            },
            search: None,
            reveal_token: false,
            modals: Vec::new(),
            status: None,
            spinner: 0,
            size: config.size,
            quit: false,
            pending: HashMap::new(),
            after_login: Vec::new(),
            next_id: 1,
            reconnect_attempt: 0,
            retry_reads: false,
            last_email: config.login_email.clone().unwrap_or_default(),
        };
        let mut cmds = Vec::new();
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
            None if self.search.is_some() => Context::Search,
            None => Context::List,
        }
    }

    /// Whether requests are in flight (the spinner turns, and only then).
    pub fn is_busy(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn is_wide(&self) -> bool {
        self.size.0 >= WIDE_MIN
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        let mut cmds = Vec::new();
        match msg {
            Msg::Key(key) => self.on_key(key, &mut cmds),
            Msg::Paste(text) => self.on_paste(text, &mut cmds),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                // A detail screen opened on a narrow terminal is not needed once it is wide.
                if self.is_wide() && matches!(self.modals.last(), Some(Modal::Detail)) {
                    self.modals.pop();
                }
            }
            Msg::Reply(id, result) => self.on_reply(id, result, &mut cmds),
            Msg::Timer(Timer::SearchDebounce) => {
                if self.search.is_some() || self.list.request.is_none() {
                    self.reload_from_start(&mut cmds);
                }
            }
            Msg::Timer(Timer::Reconnect) => {
                if matches!(self.session.state, ConnState::Offline(_)) || self.retry_reads {
                    if self.session.me.is_none() {
                        self.send(Purpose::Me, ApiRequest::Me, &mut cmds);
                    }
                    self.load_list(&mut cmds);
                }
            }
            Msg::Tick => self.spinner = self.spinner.wrapping_add(1),
        }
        if self.quit {
            cmds.push(Command::Quit);
        }
        cmds
    }

    // ----- requests -----------------------------------------------------------------------

    fn send(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        cmds: &mut Vec<Command>,
    ) -> RequestId {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, (purpose, request.clone()));
        cmds.push(Command::Api(id, ApiRequestTag(request)));
        id
    }

    fn load_list(&mut self, cmds: &mut Vec<Command>) {
        if let Some(old) = self.list.request.take() {
            self.pending.remove(&old);
            cmds.push(Command::Cancel(old));
        }
        let id = self.send(Purpose::List, ApiRequest::List(self.list.params()), cmds);
        self.list.request = Some(id);
    }

    fn reload_from_start(&mut self, cmds: &mut Vec<Command>) {
        self.list.offset = 0;
        self.list.selected = 0;
        self.load_list(cmds);
    }

    fn open_login(&mut self, reason: Option<String>) {
        if let Some(Modal::Login { reason: r, .. }) = self.modals.last_mut() {
            if reason.is_some() {
                *r = reason;
            }
            return;
        }
        let email = self
            .session
            .me
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_else(|| self.last_email.clone());
        self.modals.push(Modal::Login {
            form: forms::login_form(&email),
            request: None,
            reason,
        });
    }

    fn modal_for(&mut self, id: RequestId) -> Option<&mut Modal> {
        self.modals.iter_mut().find(|m| m.request() == Some(id))
    }

    /// Closes the modal a finished request belonged to (and anything stacked on it).
    fn close_modal_for(&mut self, id: RequestId) {
        if let Some(i) = self.modals.iter().position(|m| m.request() == Some(id)) {
            self.modals.truncate(i);
        }
    }

    fn replace_user(&mut self, user: User) {
        if let Some(page) = &mut self.list.page
            && let Some(slot) = page.users.iter_mut().find(|u| u.id == user.id)
        {
            *slot = user.clone();
        }
        if self.session.me.as_ref().is_some_and(|me| me.id == user.id) {
            self.session.me = Some(user);
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Info,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Error,
        });
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
