//! The TUI's state and its one `update` function: a message (a key, a paste, an API reply, a
//! timer) comes in, the state changes, and commands (API requests, timers, clipboard, quit)
//! go out. No I/O happens here, so every behaviour can be tested without a terminal or a
//! server, and rendering (`ui/`) only reads this state.

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::form::Form;
use super::forms;
use super::keymap::{Action, Context, Keymap};
use crate::api::{
    ApiError, CreateUser, Deleted, ErrorKind, ListParams, Order, OrderField, ResetPassword, Role,
    UpdateUser, User, UserPage,
};

/// Identifies one request, so its reply can be matched to what is still waiting for it.
pub type RequestId = u64;

/// What the TUI asks of the background worker.
#[derive(Clone)]
pub enum ApiRequest {
    List(ListParams),
    Retrieve(String),
    Create(CreateUser),
    Update {
        id: String,
        body: UpdateUser,
    },
    Delete(String),
    SendResetToken(String),
    ResetPassword(ResetPassword),
    Login {
        email: String,
        password: SecretString,
    },
    Me,
    /// Forget the credentials (after the signed-in user deleted themself).
    SignOut,
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiRequest::List(p) => write!(f, "List({p:?})"),
            ApiRequest::Retrieve(id) => write!(f, "Retrieve({id})"),
            ApiRequest::Create(c) => write!(f, "Create({c:?})"),
            ApiRequest::Update { id, body } => write!(f, "Update({id}, {body:?})"),
            ApiRequest::Delete(id) => write!(f, "Delete({id})"),
            ApiRequest::SendResetToken(e) => write!(f, "SendResetToken({e})"),
            ApiRequest::ResetPassword(r) => write!(f, "ResetPassword({r:?})"),
            ApiRequest::Login { email, .. } => write!(f, "Login({email}, <redacted>)"),
            ApiRequest::Me => write!(f, "Me"),
            ApiRequest::SignOut => write!(f, "SignOut"),
        }
    }
}

impl ApiRequest {
    /// Whether the request changes data on the server (refused in read-only mode).
    pub fn is_mutation(&self) -> bool {
        matches!(
            self,
            ApiRequest::Create(_)
                | ApiRequest::Update { .. }
                | ApiRequest::Delete(_)
                | ApiRequest::SendResetToken(_)
                | ApiRequest::ResetPassword(_)
        )
    }
}

/// The worker's answer to a request.
// Replies and messages move once per request; boxing the larger variants buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ApiReply {
    Page(UserPage),
    User(User),
    Deleted(Deleted),
    TokenSent,
    LoggedIn,
    SignedOut,
}

/// Timers the event loop runs for the app; each kind has at most one deadline at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// The search text settled: load results.
    SearchDebounce,
    /// Try the server again after a network failure.
    Reconnect,
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Reply(RequestId, Result<ApiReply, ApiError>),
    Timer(Timer),
    /// The spinner's frame advanced (sent only while requests are pending).
    Tick,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Api(RequestId, ApiRequestTag),
    Cancel(RequestId),
    Copy { text: String },
    SetTimer(Timer, Duration),
    Quit,
}

/// Commands carry the request itself; `ApiRequestTag` exists so `Command` can be compared in
/// tests without exposing secrets (`ApiRequest` is not `PartialEq`).
#[derive(Debug, Clone)]
pub struct ApiRequestTag(pub ApiRequest);

impl PartialEq for ApiRequestTag {
    fn eq(&self, other: &Self) -> bool {
        format!("{:?}", self.0) == format!("{:?}", other.0)
    }
}

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
        let shown = page.users.len() as u64;
        let first = if shown == 0 {
            page.offset
        } else {
            page.offset + 1
        };
        format!(
            "{first}–{} of {} · page {}/{}",
            page.offset + shown,
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
                if matches!(self.session.state, ConnState::Offline(_)) {
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

    // ----- keys ---------------------------------------------------------------------------

    fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let context = self.context();
        let action = self.keymap.action(context, &key);
        if action == Some(Action::Quit) {
            self.quit = true;
            return;
        }
        match context {
            Context::List => {
                if let Some(a) = action {
                    self.on_list_action(a, cmds);
                }
            }
            Context::Search => self.on_search_key(key, action, cmds),
            Context::Detail => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(
                    a @ (Action::RevealToken
                    | Action::Edit
                    | Action::Delete
                    | Action::ResetPassword),
                ) => {
                    self.on_list_action(a, cmds);
                }
                _ => {}
            },
            Context::Help => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(Action::ScrollDown) => self.scroll_help(1),
                Some(Action::ScrollUp) => self.scroll_help(-1),
                _ => {}
            },
            Context::Form | Context::ResetApply | Context::Login => {
                self.on_form_key(key, action, cmds);
            }
            Context::Delete => match action {
                Some(Action::Confirm) => self.confirm_delete(cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::ResetRequest => match action {
                Some(Action::SendToken) => self.send_reset_token(cmds),
                Some(Action::HaveToken) => {
                    if let Some(Modal::ResetRequest { user, .. }) = self.modals.pop() {
                        self.modals.push(Modal::ResetApply {
                            user,
                            form: forms::reset_apply_form(),
                            request: None,
                        });
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Discard => match action {
                Some(Action::Confirm) => {
                    self.modals.pop();
                    self.modals.pop();
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
        }
    }

    fn scroll_help(&mut self, by: i32) {
        if let Some(Modal::Help { scroll }) = self.modals.last_mut() {
            *scroll = scroll.saturating_add_signed(by as i16);
        }
    }

    fn on_list_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let rows = self.list.users().len();
        match action {
            Action::Down => self.select(
                self.list
                    .selected
                    .saturating_add(1)
                    .min(rows.saturating_sub(1)),
            ),
            Action::Up => self.select(self.list.selected.saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(rows.saturating_sub(1)),
            Action::NextPage => {
                let next = self.list.offset + u64::from(self.list.page_size);
                if next < self.list.count() {
                    self.list.offset = next;
                    self.list.selected = 0;
                    self.load_list(cmds);
                } else {
                    self.info("already on the last page");
                }
            }
            Action::PrevPage => {
                if self.list.offset > 0 {
                    self.list.offset = self
                        .list
                        .offset
                        .saturating_sub(u64::from(self.list.page_size));
                    self.list.selected = 0;
                    self.load_list(cmds);
                } else {
                    self.info("already on the first page");
                }
            }
            Action::Search => self.search = Some(Input::new(self.list.q.clone())),
            Action::SortField => {
                let fields = [
                    OrderField::CreatedAt,
                    OrderField::Email,
                    OrderField::FirstName,
                    OrderField::LastName,
                ];
                let i = fields
                    .iter()
                    .position(|f| *f == self.list.order.field)
                    .unwrap_or(0);
                let field = fields[(i + 1) % fields.len()];
                self.list.order = if field == OrderField::CreatedAt {
                    Order::desc(field)
                } else {
                    Order::asc(field)
                };
                self.reload_from_start(cmds);
            }
            Action::SortDirection => {
                self.list.order.descending = !self.list.order.descending;
                self.reload_from_start(cmds);
            }
            Action::RoleFilter => {
                self.list.role = match self.list.role {
                    None => Some(Role::Admin),
                    Some(Role::Admin) => Some(Role::Member),
                    Some(Role::Member) => Some(Role::Developer),
                    Some(Role::Developer) => None,
                };
                self.reload_from_start(cmds);
            }
            Action::Refresh => {
                self.load_list(cmds);
                if self.session.me.is_none() {
                    self.send(Purpose::Me, ApiRequest::Me, cmds);
                }
            }
            Action::Open => {
                if let Some(user) = self.list.selected_user() {
                    let id = user.id.clone();
                    self.send(Purpose::Detail, ApiRequest::Retrieve(id), cmds);
                    if !self.is_wide() {
                        self.modals.push(Modal::Detail);
                    }
                }
            }
            Action::RevealToken => self.reveal_token = !self.reveal_token,
            Action::Create => {
                if self.refuse_if_read_only("creating users") {
                    return;
                }
                self.modals.push(Modal::Create {
                    form: forms::create_form(),
                    request: None,
                });
            }
            Action::Edit => self.open_for_selected("editing users", |user| Modal::Edit {
                form: forms::edit_form(&user),
                user,
                request: None,
            }),
            Action::Delete => self.open_for_selected("deleting users", |user| Modal::Delete {
                user,
                request: None,
                error: None,
            }),
            Action::ResetPassword => {
                self.open_for_selected("resetting passwords", |user| Modal::ResetRequest {
                    user,
                    request: None,
                    sent: false,
                    error: None,
                });
            }
            Action::CopyEmail | Action::CopyId => {
                if let Some(user) = self.list.selected_user() {
                    let (text, what) = if action == Action::CopyEmail {
                        (user.email.clone(), "e-mail")
                    } else {
                        (user.id.clone(), "user id")
                    };
                    self.info(format!("copied {what} {text} to the clipboard"));
                    cmds.push(Command::Copy { text });
                }
            }
            Action::DismissStatus => {
                if self.status.is_some() {
                    self.status = None;
                } else if !self.list.q.is_empty() {
                    self.list.q.clear();
                    self.reload_from_start(cmds);
                }
            }
            Action::Help => self.modals.push(Modal::Help { scroll: 0 }),
            _ => {}
        }
    }

    /// Opens a dialog about the selected user, unless read-only mode forbids `what`.
    fn open_for_selected(&mut self, what: &str, modal: impl FnOnce(User) -> Modal) {
        if self.refuse_if_read_only(what) {
            return;
        }
        if let Some(user) = self.list.selected_user().cloned() {
            self.modals.push(modal(user));
        }
    }

    fn select(&mut self, row: usize) {
        if row != self.list.selected {
            self.reveal_token = false;
        }
        self.list.selected = row;
    }

    fn refuse_if_read_only(&mut self, what: &str) -> bool {
        if self.session.read_only {
            self.error(format!("read-only mode: {what} is disabled"));
        }
        self.session.read_only
    }

    fn on_search_key(&mut self, key: KeyEvent, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
            Some(Action::Submit) => {
                self.search = None;
                // Results for the final text may still be on their way (debounce).
                cmds.push(Command::SetTimer(Timer::SearchDebounce, Duration::ZERO));
            }
            Some(Action::Back) => {
                self.search = None;
                if !self.list.q.is_empty() {
                    self.list.q.clear();
                    self.reload_from_start(cmds);
                }
            }
            _ => {
                if let Some(input) = &mut self.search
                    && input
                        .handle_event(&Event::Key(key))
                        .is_some_and(|s| s.value)
                {
                    self.list.q = input.value().trim().to_owned();
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
        }
    }

    fn on_paste(&mut self, text: String, cmds: &mut Vec<Command>) {
        let event = Event::Paste(text);
        match self.context() {
            Context::Form | Context::ResetApply | Context::Login => {
                if let Some(form) = self.modals.last_mut().and_then(Modal::form_mut) {
                    form.input(&event);
                }
            }
            Context::Search => {
                if let (Some(input), Event::Paste(text)) = (&mut self.search, &event) {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    self.list.q = input.value().trim().to_owned();
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
            _ => {}
        }
    }

    fn on_form_key(&mut self, key: KeyEvent, action: Option<Action>, cmds: &mut Vec<Command>) {
        let Some(modal) = self.modals.last_mut() else {
            return;
        };
        let busy = modal.request().is_some();
        let Some(form) = modal.form_mut() else {
            return;
        };
        match action {
            Some(Action::NextField) => form.next(),
            Some(Action::PrevField) => form.previous(),
            Some(Action::RevealSecret) => form.toggle_reveal(),
            Some(Action::RoleNext) if form.focused_is_role() => form.cycle_role(true),
            Some(Action::RolePrev) if form.focused_is_role() => form.cycle_role(false),
            Some(Action::Advance) if !form.on_last_field() => form.next(),
            Some(Action::Advance | Action::Submit) => {
                if !busy {
                    self.submit_form(cmds);
                }
            }
            Some(Action::Back) => self.leave_form(),
            _ => {
                form.input(&Event::Key(key));
            }
        }
    }

    /// Esc on a form: close it, asking first when something was typed. The login screen only
    /// closes when there is nothing waiting on it.
    fn leave_form(&mut self) {
        match self.modals.last() {
            Some(Modal::Login { .. }) => {
                let signed_in = !matches!(self.session.state, ConnState::SignedOut);
                if signed_in && self.after_login.is_empty() {
                    self.modals.pop();
                } else {
                    self.error("log in to continue (Ctrl-C quits)");
                }
            }
            Some(
                Modal::Create { form, .. }
                | Modal::Edit { form, .. }
                | Modal::ResetApply { form, .. },
            ) if form.is_dirty() => {
                self.modals.push(Modal::Discard);
            }
            _ => {
                self.modals.pop();
            }
        }
    }

    fn submit_form(&mut self, cmds: &mut Vec<Command>) {
        let Some(modal) = self.modals.last_mut() else {
            return;
        };
        let (purpose, request) = match modal {
            Modal::Create { form, .. } => match forms::validate_create(form) {
                Some(body) => (Purpose::Create, ApiRequest::Create(body)),
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            Modal::Edit { form, user, .. } => match forms::validate_edit(form, user) {
                Some(body) if body.is_empty() => {
                    self.modals.pop();
                    self.info("nothing changed");
                    return;
                }
                Some(body) => (
                    Purpose::Update,
                    ApiRequest::Update {
                        id: user.id.clone(),
                        body,
                    },
                ),
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            Modal::ResetApply { form, user, .. } => {
                match forms::validate_reset(form, &user.email) {
                    Some(body) => (Purpose::ApplyReset, ApiRequest::ResetPassword(body)),
                    None => {
                        form.focus_first_error();
                        return;
                    }
                }
            }
            Modal::Login { form, .. } => match forms::validate_login(form) {
                Some((email, password)) => {
                    self.last_email = email.clone();
                    (
                        Purpose::Login,
                        ApiRequest::Login {
                            email,
                            password: SecretString::from(password),
                        },
                    )
                }
                None => {
                    form.focus_first_error();
                    return;
                }
            },
            _ => return,
        };
        let id = self.send(purpose, request, cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    fn confirm_delete(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::Delete {
            user,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let user = user.clone();
        let id = self.send(
            Purpose::Delete(user.clone()),
            ApiRequest::Delete(user.id),
            cmds,
        );
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
    }

    fn send_reset_token(&mut self, cmds: &mut Vec<Command>) {
        let Some(Modal::ResetRequest {
            user,
            request: None,
            ..
        }) = self.modals.last()
        else {
            return;
        };
        let email = user.email.clone();
        let id = self.send(Purpose::SendToken, ApiRequest::SendResetToken(email), cmds);
        if let Some(modal) = self.modals.last_mut() {
            modal.set_request(Some(id));
        }
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

    // ----- replies ------------------------------------------------------------------------

    fn on_reply(
        &mut self,
        id: RequestId,
        result: Result<ApiReply, ApiError>,
        cmds: &mut Vec<Command>,
    ) {
        // A reply nobody waits for any more (a superseded page, a cancelled search) is dropped.
        let Some((purpose, request)) = self.pending.remove(&id) else {
            return;
        };
        if let Purpose::List = purpose
            && self.list.request != Some(id)
        {
            return;
        }
        match result {
            Ok(reply) => {
                if !matches!(purpose, Purpose::SignOut) {
                    self.session.state = ConnState::Online;
                    self.reconnect_attempt = 0;
                }
                self.on_success(id, purpose, reply, cmds);
            }
            Err(error) => self.on_failure(id, purpose, request, error, cmds),
        }
    }

    fn on_success(
        &mut self,
        id: RequestId,
        purpose: Purpose,
        reply: ApiReply,
        cmds: &mut Vec<Command>,
    ) {
        match (purpose, reply) {
            (Purpose::List, ApiReply::Page(page)) => {
                self.list.request = None;
                let past_end = page.users.is_empty() && page.count > 0 && page.offset > 0;
                self.list.page = Some(page);
                if past_end {
                    // Rows were deleted under us: go to the last page that exists.
                    let size = u64::from(self.list.page_size);
                    self.list.offset = (self.list.count() - 1) / size * size;
                    self.load_list(cmds);
                    return;
                }
                if let Some(want) = self.list.select_id.take()
                    && let Some(row) = self.list.users().iter().position(|u| u.id == want)
                {
                    self.list.selected = row;
                }
                self.list.selected = self
                    .list
                    .selected
                    .min(self.list.users().len().saturating_sub(1));
            }
            (Purpose::Me, ApiReply::User(user)) => self.session.me = Some(user),
            (Purpose::Detail, ApiReply::User(user)) => self.replace_user(user),
            (Purpose::Create, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!("created {} ({})", user.email, user.role));
                self.list.select_id = Some(user.id);
                self.reload_from_start(cmds);
            }
            (Purpose::Update, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!("saved {}", user.email));
                self.replace_user(user);
            }
            (Purpose::Delete(user), ApiReply::Deleted(_)) => {
                self.close_modal_for(id);
                self.info(format!("deleted {}", user.email));
                let was_me = self.session.me.as_ref().is_some_and(|me| me.id == user.id);
                if was_me {
                    // Medusa keeps a deleted user's JWT working; carrying on as a deleted user
                    // would be wrong, so sign out here. The list reloads after the next login
                    // (sent now, it would only fail and bury the reason under a generic 401).
                    self.session.me = None;
                    self.session.state = ConnState::SignedOut;
                    self.send(Purpose::SignOut, ApiRequest::SignOut, cmds);
                    self.after_login.push((
                        Purpose::List,
                        ApiRequest::List(self.list.params()),
                        None,
                    ));
                    self.open_login(Some(
                        "you deleted your own user, so you were signed out".into(),
                    ));
                } else {
                    self.load_list(cmds);
                }
            }
            (Purpose::SendToken, ApiReply::TokenSent) => {
                if let Some(Modal::ResetRequest {
                    request,
                    sent,
                    error,
                    ..
                }) = self.modal_for(id)
                {
                    *request = None;
                    *sent = true;
                    *error = None;
                }
            }
            (Purpose::ApplyReset, ApiReply::User(user)) => {
                self.close_modal_for(id);
                self.info(format!(
                    "password changed for {}; older reset tokens are void",
                    user.email
                ));
            }
            (Purpose::Login, ApiReply::LoggedIn) => {
                self.close_modal_for(id);
                self.session.auth = "JWT";
                self.session.state = ConnState::Online;
                self.send(Purpose::Me, ApiRequest::Me, cmds);
                let queued = std::mem::take(&mut self.after_login);
                let had_list_retry = queued.iter().any(|(p, _, _)| matches!(p, Purpose::List));
                for (purpose, request, modal) in queued {
                    self.resend(purpose, request, modal, cmds);
                }
                if !had_list_retry && self.list.page.is_none() && self.list.request.is_none() {
                    self.load_list(cmds);
                }
                self.info("logged in");
            }
            (Purpose::SignOut, _) => self.session.auth = "none",
            (purpose, reply) => {
                tracing::warn!("unexpected reply {reply:?} for {purpose:?}");
            }
        }
    }

    /// Sends a request again after a login, re-attaching it to whatever waits for it.
    fn resend(
        &mut self,
        purpose: Purpose,
        request: ApiRequest,
        modal: Option<usize>,
        cmds: &mut Vec<Command>,
    ) {
        let is_list = matches!(purpose, Purpose::List);
        let id = self.send(purpose, request, cmds);
        if is_list {
            self.list.request = Some(id);
        } else if let Some(m) = modal.and_then(|i| self.modals.get_mut(i)) {
            m.set_request(Some(id));
        }
    }

    fn on_failure(
        &mut self,
        id: RequestId,
        purpose: Purpose,
        request: ApiRequest,
        error: ApiError,
        cmds: &mut Vec<Command>,
    ) {
        if let Purpose::List = purpose {
            self.list.request = None;
        }
        let kind = error.kind();
        if kind == ErrorKind::Unauthorized && !matches!(purpose, Purpose::Login | Purpose::SignOut)
        {
            // Keep the request; it runs again once the operator has logged in, and the form
            // that sent it stays as it was, input and all.
            let modal = self.modals.iter().position(|m| m.request() == Some(id));
            self.after_login.push((purpose, request, modal));
            self.session.state = ConnState::SignedOut;
            self.open_login(Some(format!("{} — log in to continue", error.message())));
            return;
        }
        // The server is unreachable, or a gateway in front of it says it is down: the app
        // keeps trying on its own, with growing waits, until it answers again.
        let unreachable = matches!(kind, ErrorKind::Network | ErrorKind::Timeout)
            || matches!(
                error,
                ApiError::Server {
                    status: 502..=504,
                    ..
                }
            );
        if unreachable {
            self.go_offline(&error, cmds);
        }
        match purpose {
            Purpose::List | Purpose::Me | Purpose::SignOut => {
                if !unreachable {
                    self.error(error.status_line());
                }
            }
            Purpose::Detail => {
                if kind == ErrorKind::NotFound {
                    self.error("that user no longer exists; list refreshed");
                    self.load_list(cmds);
                } else {
                    self.error(error.status_line());
                }
            }
            Purpose::Create | Purpose::Update | Purpose::ApplyReset | Purpose::Login => {
                let message = match (&purpose, kind) {
                    (Purpose::Login, ErrorKind::Unauthorized) => {
                        "e-mail or password not accepted".to_owned()
                    }
                    _ => error.message(),
                };
                let field = forms::field_for_server_message(&message);
                match self.modal_for(id) {
                    Some(modal) => {
                        modal.set_request(None);
                        if let Some(form) = modal.form_mut() {
                            form.error = Some(message.clone());
                            if let Some(label) = field.filter(|_| kind == ErrorKind::InvalidData) {
                                form.set_error(label, message);
                                form.focus_on(label);
                            }
                        }
                    }
                    None => self.error(error.status_line()),
                }
            }
            Purpose::Delete(_) | Purpose::SendToken => match self.modal_for(id) {
                Some(
                    Modal::Delete {
                        request, error: e, ..
                    }
                    | Modal::ResetRequest {
                        request, error: e, ..
                    },
                ) => {
                    *request = None;
                    *e = Some(error.message());
                }
                _ => self.error(error.status_line()),
            },
        }
    }

    fn go_offline(&mut self, error: &ApiError, cmds: &mut Vec<Command>) {
        let wait =
            Duration::from_secs(1u64 << self.reconnect_attempt.min(5)).min(Duration::from_secs(30));
        self.reconnect_attempt += 1;
        self.session.state = ConnState::Offline(error.message());
        self.error(format!(
            "offline, retry in {} s (R now): {}",
            wait.as_secs(),
            error.status_line()
        ));
        cmds.push(Command::SetTimer(Timer::Reconnect, wait));
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
