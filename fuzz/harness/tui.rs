//! A driver for the TUI's `App` shared by the `tui_keys` fuzz target and `tests/tui/prop_tui.rs`:
//! it applies a sequence of operations (keys, pastes, resizes, ticks, timers, replies to the
//! requests the app really sent, stray replies), renders after every message into a
//! `TestBackend` of the app's size (and 1×1 and 0×0), and checks the invariants after each
//! step. Generators (proptest strategies, fuzz bytes) only build `Op`s; every check is here.
//!
//! Included with `#[path]` by both, so it depends only on crates both have.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use medusa_users::api::{
    ApiError, ApiKey, Capabilities, Deleted, Dialect, Invite, InvitePage, Role, Timestamp, User,
    UserPage,
};
use medusa_users::tui::app::{
    ApiReply, ApiRequest, App, AppConfig, Command, Modal, Msg, RequestId, Timer,
};
use medusa_users::tui::form::FieldKind;
use medusa_users::tui::keymap::Action;
use medusa_users::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// How the app starts.
#[derive(Debug, Clone)]
pub struct Setup {
    pub has_credentials: bool,
    pub read_only: bool,
    pub sandbox: bool,
    pub warning: Option<String>,
    pub login_email: Option<String>,
    /// `--page-size`: 1..=50 in the generators (the app clamps 0 to 1 itself), or `None` to
    /// size pages to the window.
    pub page_size: Option<u32>,
    pub size: (u16, u16),
}

/// What the server answers, with material for every kind of reply; the driver picks the one
/// that fits the request it answers (a list gets the page, a delete `Deleted`, …).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub error: Option<ApiError>,
    pub page: UserPage,
    pub user: User,
    /// For stray replies, which reply variant to send regardless of any request.
    pub stray_kind: u8,
}

#[derive(Debug, Clone)]
pub enum Op {
    /// A terminal key event; releases are dropped as the event loop drops them.
    Key(KeyEvent),
    /// Plain key presses, one per character.
    Type(String),
    /// Typed into the focused field only when it is a secret one: a unique marker the driver
    /// remembers, to check that hidden secrets never reach the screen.
    TypeSecret,
    Paste(String),
    Resize(u16, u16),
    /// A mouse event at a cell (the app has `--mouse` on): `kind` picks a left click (most
    /// often), a wheel notch either way, a right click or a release.
    Mouse {
        kind: u8,
        x: u16,
        y: u16,
    },
    Tick,
    /// Fires one of the timers the app has set (none set: nothing happens).
    FireTimer(usize),
    /// Answers one of the requests in flight (picked by index, oldest first).
    Reply(usize, Outcome),
    /// A reply for an id that was never sent (`fresh`) or is no longer waited for.
    Stray {
        fresh: bool,
        pick: usize,
        outcome: Outcome,
    },
}

/// Sizes worth hitting on purpose.
pub const ODD_SIZES: [(u16, u16); 12] = [
    (0, 0),
    (1, 1),
    (1, 200),
    (200, 1),
    (300, 100),
    (29, 8),
    (30, 7),
    (30, 8),
    (89, 24),
    (90, 24),
    (60, 20),
    (100, 30),
];

/// Strings that drive the app somewhere: valid e-mails and passwords (so forms submit),
/// metadata, and text that stresses layout.
pub const USEFUL_TEXT: [&str; 16] = [
    "admin@example.com",
    "new.user@example.com",
    "s3cret-pass",
    "team=ops, level=4",
    "novalue",
    "a=1, a=2",
    "Zoë 👩‍💻 Ünïcødé",
    "\u{202e}dlrow\u{202c}",
    "مرحبا",
    "line\nbreak\r\n",
    "\u{1b}[2J\u{7}",
    "tab\there",
    "",
    "ｗｉｄｅ ｔｅｘｔ",
    "e\u{301}\u{301}",
    "a-very-long-value-that-does-not-fit-in-any-field-of-a-narrow-terminal-at-all",
];

/// Characters that are keys somewhere in the keymap, for generators to favour.
pub const KEY_CHARS: &str = "jkgGnpoOfRvcedryYq?/stNn 12l";

/// Every invite token the driver hands out starts with this, so the checks can tell that no
/// token reached the status line or the message log.
pub const INVITE_TOKEN_MARK: &str = "inv-tok-";

/// Every kind of error the client returns.
pub fn error_of(kind: u8, message: String, status: u16, secs: u64) -> ApiError {
    match kind % 8 {
        0 => ApiError::Unauthorized { message },
        1 => ApiError::NotFound { message },
        2 => ApiError::InvalidData {
            kind: "invalid_data".into(),
            message,
        },
        3 => ApiError::Server { status, message },
        4 => ApiError::Network { message },
        5 => ApiError::Timeout {
            after: std::time::Duration::from_secs(secs),
            attempts: u32::from(status % 4),
        },
        6 => ApiError::Decode { status, message },
        _ => ApiError::ReadOnly { what: message },
    }
}

/// A user from a small pool of ids, so replies meet users already on screen (and the
/// signed-in user, for self-deletion).
pub fn user_of(i: u8, email: String, first: Option<String>, token: Option<String>) -> User {
    let roles = [Role::Admin, Role::Member, Role::Developer];
    User {
        id: format!("usr_{}", i % 8),
        created_at: Timestamp(if i.is_multiple_of(3) {
            "not a date".into()
        } else {
            format!("2026-11-{:02}T10:23:06.471Z", 1 + i % 28)
        }),
        updated_at: Timestamp("2026-11-27T10:23:06.471Z".into()),
        deleted_at: None,
        // Every fifth user comes in v2's shape: no role, no api_token field.
        role: (!i.is_multiple_of(5)).then(|| roles[usize::from(i % 3)]),
        email,
        first_name: first,
        last_name: i.is_multiple_of(2).then(|| "Lovelace".into()),
        api_token: token,
        metadata: i.is_multiple_of(4).then(|| {
            serde_json::json!({"team": "ops, east", "level": i, "nested": {"a": [1, 2]}})
                .as_object()
                .cloned()
                .unwrap_or_default()
        }),
        avatar_url: i
            .is_multiple_of(5)
            .then(|| "https://example.com/a.png".into()),
        wire: if i.is_multiple_of(5) {
            medusa_users::api::Dialect::V2
        } else {
            medusa_users::api::Dialect::V1
        },
    }
}

/// A key press.
pub fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press)
}

/// The text of a buffer, one line per row.
pub fn buffer_text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width).max(1);
    let mut out = String::with_capacity(buffer.content.len() + usize::from(buffer.area.height));
    for row in buffer.content.chunks(width) {
        for cell in row {
            out.push_str(cell.symbol());
        }
        out.push('\n');
    }
    out
}

pub struct Driver {
    pub app: App,
    read_only: bool,
    /// Requests sent and neither answered nor cancelled, with what they ask.
    outstanding: BTreeMap<RequestId, ApiRequest>,
    /// Ids answered or cancelled: replies to them are stale.
    retired: Vec<RequestId>,
    highest_id: RequestId,
    timers: BTreeSet<TimerKey>,
    /// The app asked to quit: the event loop would have stopped, so nothing more happens.
    pub quit: bool,
    terminal: Terminal<TestBackend>,
    tiny: Terminal<TestBackend>,
    empty: Terminal<TestBackend>,
    /// Markers typed into secret fields.
    secrets: Vec<String>,
    pub steps: usize,
    /// The last rendered screen of the app's size.
    pub screen: String,
}

/// `Timer` is not `Ord`; this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TimerKey {
    SearchDebounce,
    Reconnect,
    Countdown,
    Resize,
    FadeStatus,
}

impl TimerKey {
    fn of(timer: Timer) -> TimerKey {
        match timer {
            Timer::SearchDebounce => TimerKey::SearchDebounce,
            Timer::Reconnect => TimerKey::Reconnect,
            Timer::Countdown => TimerKey::Countdown,
            Timer::Resize => TimerKey::Resize,
            Timer::FadeStatus => TimerKey::FadeStatus,
        }
    }

    fn timer(self) -> Timer {
        match self {
            TimerKey::SearchDebounce => Timer::SearchDebounce,
            TimerKey::Reconnect => Timer::Reconnect,
            TimerKey::Countdown => Timer::Countdown,
            TimerKey::Resize => Timer::Resize,
            TimerKey::FadeStatus => Timer::FadeStatus,
        }
    }
}

impl Driver {
    pub fn new(setup: &Setup) -> Driver {
        let config = AppConfig {
            base_url: "http://127.0.0.1:9000".into(),
            auth: if setup.has_credentials {
                "API token"
            } else {
                "none"
            },
            has_credentials: setup.has_credentials,
            login_email: setup.login_email.clone(),
            sandbox: setup.sandbox,
            read_only: setup.read_only,
            warnings: setup.warning.iter().cloned().collect(),
            page_size: setup.page_size,
            size: setup.size,
            outbox: None,
            capabilities: None,
            admin_url: None,
            profile: None,
            profiles: Vec::new(),
            theme: Default::default(),
            keymap: Default::default(),
            mouse: true,
        };
        let (app, initial) = App::new(config);
        let mut driver = Driver {
            app,
            read_only: setup.read_only,
            outstanding: BTreeMap::new(),
            retired: Vec::new(),
            highest_id: 0,
            timers: BTreeSet::new(),
            quit: false,
            terminal: Terminal::new(TestBackend::new(setup.size.0, setup.size.1))
                .expect("test terminal"),
            tiny: Terminal::new(TestBackend::new(1, 1)).expect("test terminal"),
            empty: Terminal::new(TestBackend::new(0, 0)).expect("test terminal"),
            secrets: Vec::new(),
            steps: 0,
            screen: String::new(),
        };
        // Which Medusa it is gets asked in any case (the login screen needs it too); the
        // user and the list only with credentials.
        let reads = initial
            .iter()
            .filter(|c| !matches!(c, Command::Api(_, ApiRequest::Capabilities)))
            .count();
        assert_eq!(
            reads == 0,
            !setup.has_credentials,
            "reads at start exactly when there are credentials"
        );
        driver.after(None, initial);
        driver
    }

    /// Requests in flight, oldest first.
    pub fn outstanding(&self) -> Vec<(RequestId, ApiRequest)> {
        self.outstanding
            .iter()
            .map(|(id, r)| (*id, r.clone()))
            .collect()
    }

    pub fn run(&mut self, ops: &[Op]) {
        for op in ops {
            if self.quit {
                break;
            }
            self.apply(op);
        }
    }

    pub fn apply(&mut self, op: &Op) {
        if self.quit {
            return;
        }
        match op {
            Op::Key(key) => {
                if key.kind != KeyEventKind::Release {
                    self.key(*key);
                }
            }
            Op::Type(text) => {
                for c in text.chars() {
                    if self.quit {
                        break;
                    }
                    self.key(press(KeyCode::Char(c), KeyModifiers::NONE));
                }
            }
            Op::TypeSecret => {
                let secret_focused = self.focused_field_kind() == Some(FieldKind::Secret);
                if secret_focused {
                    let marker = format!("Ѯ{}ѮZ", self.secrets.len());
                    self.secrets.push(marker.clone());
                    self.apply(&Op::Type(marker));
                }
            }
            Op::Paste(text) => self.message(Msg::Paste(text.clone())),
            Op::Resize(w, h) => self.message(Msg::Resize(*w, *h)),
            Op::Mouse { kind, x, y } => {
                use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
                let kind = match kind % 8 {
                    0..=3 => MouseEventKind::Down(MouseButton::Left),
                    4 => MouseEventKind::ScrollDown,
                    5 => MouseEventKind::ScrollUp,
                    6 => MouseEventKind::Down(MouseButton::Right),
                    _ => MouseEventKind::Up(MouseButton::Left),
                };
                self.message(Msg::Mouse(MouseEvent {
                    kind,
                    column: *x,
                    row: *y,
                    modifiers: KeyModifiers::NONE,
                }));
            }
            Op::Tick => self.message(Msg::Tick),
            Op::FireTimer(i) => {
                if let Some(t) = self
                    .timers
                    .iter()
                    .nth(i % self.timers.len().max(1))
                    .copied()
                {
                    self.timers.remove(&t);
                    self.message(Msg::Timer(t.timer()));
                }
            }
            Op::Reply(pick, outcome) => {
                if self.outstanding.is_empty() {
                    return;
                }
                let (id, request) = self
                    .outstanding
                    .iter()
                    .nth(pick % self.outstanding.len())
                    .map(|(id, r)| (*id, r.clone()))
                    .expect("picked");
                self.outstanding.remove(&id);
                self.retired.push(id);
                self.message(Msg::Reply(id, reply_for(&request, outcome)));
            }
            Op::Stray {
                fresh,
                pick,
                outcome,
            } => {
                let id = if *fresh || self.retired.is_empty() {
                    // Far above anything the app will send in a run.
                    u64::MAX - (*pick as u64 % 1000)
                } else {
                    self.retired[pick % self.retired.len()]
                };
                self.message(Msg::Reply(id, stray_reply(outcome)));
            }
        }
    }

    /// Answers every request in flight with a plain success (an empty first page for lists),
    /// including the ones those answers cause, until nothing is in flight. Returns whether it
    /// got there within `rounds` replies.
    pub fn drain(&mut self, rounds: usize) -> bool {
        let calm = Outcome {
            error: None,
            page: UserPage {
                users: Vec::new(),
                count: 0,
                offset: 0,
                limit: 20,
            },
            user: user_of(1, "drained@example.com".into(), None, None),
            stray_kind: 0,
        };
        for _ in 0..rounds {
            if self.quit || self.outstanding.is_empty() {
                break;
            }
            self.apply(&Op::Reply(0, calm.clone()));
        }
        self.quit || self.outstanding.is_empty()
    }

    /// Answers request `id` with `result` (whatever it asked).
    pub fn reply(&mut self, id: RequestId, result: Result<ApiReply, ApiError>) {
        if self.outstanding.remove(&id).is_some() {
            self.retired.push(id);
        }
        self.message(Msg::Reply(id, result));
    }

    fn focused_field_kind(&self) -> Option<FieldKind> {
        let Some(
            Modal::Create { form, .. }
            | Modal::Edit { form, .. }
            | Modal::ResetApply { form, .. }
            | Modal::Login { form, .. },
        ) = self.app.modals.last()
        else {
            return None;
        };
        form.focused().map(|f| f.kind)
    }

    fn key(&mut self, key: KeyEvent) {
        self.message(Msg::Key(key));
    }

    /// One message through `update`, then every check and a render.
    pub fn message(&mut self, msg: Msg) {
        let quit_key = match &msg {
            Msg::Key(key) => {
                let action = self
                    .app
                    .keymap
                    .action(self.app.context(), key, &self.app.offer());
                // "Discard the changes and quit?" answered yes quits too.
                let confirms_quit = action == Some(Action::Confirm)
                    && matches!(self.app.modals.last(), Some(Modal::Discard { quit: true }));
                Some(QuitKey {
                    key: *key,
                    bound: action == Some(Action::Quit),
                    confirms_quit,
                })
            }
            _ => None,
        };
        let mouse = matches!(msg, Msg::Mouse(_));
        let modals = self.app.modals.len();
        let cmds = self.app.update(msg);
        if mouse {
            // The mouse selects, opens, pages and switches tabs: it never changes data, never
            // copies or quits, and never touches a dialog that was open.
            for cmd in &cmds {
                assert!(
                    matches!(cmd, Command::Api(_, r) if !r.is_mutation())
                        || matches!(cmd, Command::Cancel(_) | Command::SetTimer(..)),
                    "the mouse sent {cmd:?}"
                );
            }
            if modals > 0 {
                assert_eq!(self.app.modals.len(), modals, "a click changed a dialog");
                assert!(
                    cmds.is_empty() && self.app.unchanged(),
                    "a click behind a dialog"
                );
            }
        }
        self.steps += 1;
        self.after(quit_key, cmds);
    }

    fn after(&mut self, quit_key: Option<QuitKey>, cmds: Vec<Command>) {
        let quits = cmds.iter().filter(|c| **c == Command::Quit).count();
        match quit_key {
            Some(QuitKey {
                confirms_quit: true,
                ..
            }) => assert_eq!(quits, 1, "yes to \"discard and quit?\" quits"),
            Some(QuitKey { key, bound, .. }) => {
                // A quit key quits, except on a form with changes, where it asks first.
                let asked = bound
                    && quits == 0
                    && matches!(self.app.modals.last(), Some(Modal::Discard { quit: true }));
                assert_eq!(
                    quits,
                    usize::from(bound && !asked),
                    "Quit after {key:?} in {:?}: keymap says {bound}",
                    self.app.context()
                );
                if bound {
                    let mut mods = key.modifiers;
                    mods.remove(KeyModifiers::SHIFT);
                    let q = key.code == KeyCode::Char('q') && mods.is_empty();
                    let ctrl_c = key.code == KeyCode::Char('c') && mods == KeyModifiers::CONTROL;
                    assert!(q || ctrl_c, "{key:?} quits");
                }
            }
            None => assert_eq!(quits, 0, "Quit without a key: {cmds:?}"),
        }
        for cmd in cmds {
            match cmd {
                Command::Api(id, request) => {
                    assert!(
                        id > self.highest_id,
                        "request id {id} reused (highest so far {})",
                        self.highest_id
                    );
                    self.highest_id = id;
                    if self.read_only {
                        assert!(
                            !request.is_mutation(),
                            "read-only app sent a mutation: {request:?}"
                        );
                    }
                    self.outstanding.insert(id, request);
                }
                Command::Cancel(id) => {
                    assert!(
                        self.outstanding.remove(&id).is_some(),
                        "cancelled {id}, which is not in flight"
                    );
                    self.retired.push(id);
                }
                Command::SetTimer(timer, _) => {
                    self.timers.insert(TimerKey::of(timer));
                }
                Command::Suspend => {}
                // The fuzzed app has no profiles: no switch can be asked for.
                Command::SwitchProfile(name) => panic!("switch to {name:?} without profiles"),
                Command::Copy { text } => {
                    // What is on screen to copy: the selected user's e-mail or id, the
                    // selected invite's token, or the token of the dialog on top.
                    let app = &self.app;
                    let user = app.list.selected_user();
                    let invite = app.invites.selected_invite();
                    let dialog = match app.modals.last() {
                        Some(Modal::InviteToken { invite, .. }) => Some(invite.token.clone()),
                        // The only token `reply_for` mints.
                        Some(Modal::ResetRequest(dialog)) if dialog.minted.is_some() => {
                            Some("tok-minted".to_owned())
                        }
                        _ => None,
                    };
                    // `J`: the selected user as JSON, whose API token only while shown.
                    let as_json = user.is_some_and(|u| {
                        serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
                            v["id"] == u.id.as_str()
                                && (app.reveal_token || v["api_token"].is_null())
                        })
                    });
                    assert!(
                        user.is_some_and(|u| u.email == text || u.id == text)
                            || as_json
                            || invite.is_some_and(|i| i.token == text)
                            || dialog.as_deref() == Some(text.as_str()),
                        "copied {text:?}, which is not the selected user's e-mail or id, nor \
                         the token on screen"
                    );
                }
                Command::Quit => self.quit = true,
            }
        }
        self.check_state();
        self.render();
    }

    fn check_state(&self) {
        let app = &self.app;
        let rows = app.list.users().len();
        if rows == 0 {
            assert_eq!(app.list.selected, 0, "selection on an empty page");
        } else {
            assert!(
                app.list.selected < rows,
                "selected row {} of {rows}",
                app.list.selected
            );
        }
        let invites = app.invites.invites().len();
        if invites == 0 {
            assert_eq!(app.invites.selected, 0, "invite selection on an empty page");
        } else {
            assert!(
                app.invites.selected < invites,
                "selected invite {} of {invites}",
                app.invites.selected
            );
        }
        if self.outstanding.is_empty() {
            assert!(!app.is_busy(), "busy with every request answered");
        }
        // An invite token is shown only in its dialog and the detail pane, never in the
        // status line or the message log (which keep it for the rest of the session).
        for status in app.status.iter().chain(app.log.iter()) {
            assert!(
                !status.text.contains(INVITE_TOKEN_MARK),
                "an invite token in a notice: {:?}",
                status.text
            );
        }
        // A dialog shows its spinner only while its request is in flight, or while it waits
        // for a login (a 401 keeps the request for after the login screen above it).
        for (i, modal) in app.modals.iter().enumerate() {
            let request = match modal {
                Modal::Create { request, .. }
                | Modal::Edit { request, .. }
                | Modal::ResetApply { request, .. }
                | Modal::InviteCreate { request, .. }
                | Modal::Login { request, .. } => *request,
                Modal::Delete(dialog) => dialog.request,
                Modal::ResetRequest(dialog) => dialog.request,
                Modal::Revoke(dialog) => dialog.request,
                _ => None,
            };
            if let Some(id) = request {
                let login_above = app.modals[i + 1..]
                    .iter()
                    .any(|m| matches!(m, Modal::Login { .. }));
                assert!(
                    self.outstanding.contains_key(&id) || login_above,
                    "dialog {i} ({:?}) waits for {id}, which is not in flight",
                    modal_name(modal)
                );
            }
        }
        if let Some(id) = app.list.request {
            assert!(
                self.outstanding.contains_key(&id),
                "the list waits for {id}, which is not in flight"
            );
        }
        if let Some(id) = app.invites.request {
            assert!(
                self.outstanding.contains_key(&id),
                "the invite list waits for {id}, which is not in flight"
            );
        }
    }

    /// Renders at the app's size, 1×1 and 0×0, and checks that no hidden secret is on screen.
    pub fn render(&mut self) {
        let (w, h) = self.app.size;
        let size = self.terminal.backend().buffer().area;
        if (size.width, size.height) != (w, h) {
            self.terminal.backend_mut().resize(w, h);
        }
        let app = &self.app;
        let frame = self
            .terminal
            .draw(|f| ui::render(f, app))
            .expect("draw on the test backend");
        assert_eq!(
            (frame.area.width, frame.area.height),
            (w, h),
            "frame of the app's size"
        );
        self.screen = buffer_text(frame.buffer);
        self.tiny
            .draw(|f| ui::render(f, app))
            .expect("draw on the test backend");
        self.empty
            .draw(|f| ui::render(f, app))
            .expect("draw on the test backend");
        self.check_secrets();
    }

    fn check_secrets(&self) {
        for modal in &self.app.modals {
            let (Modal::Create { form, .. }
            | Modal::Edit { form, .. }
            | Modal::ResetApply { form, .. }
            | Modal::InviteCreate { form, .. }
            | Modal::Login { form, .. }) = modal
            else {
                continue;
            };
            for field in &form.fields {
                if field.kind != FieldKind::Secret || field.revealed {
                    continue;
                }
                for marker in &self.secrets {
                    if field.value().contains(marker.as_str()) {
                        assert!(
                            !self.screen.contains(marker.as_str()),
                            "hidden secret {marker:?} of {:?} on screen:\n{}",
                            field.label,
                            self.screen
                        );
                    }
                }
            }
        }
    }
}

fn modal_name(modal: &Modal) -> &'static str {
    match modal {
        Modal::Help(_) => "help",
        Modal::Messages { .. } => "messages",
        Modal::Profiles { .. } => "profiles",
        Modal::Everywhere(_) => "everywhere",
        Modal::Bulk(_) => "bulk",
        Modal::Export(_) => "export",
        Modal::Detail => "detail",
        Modal::Create { .. } => "create",
        Modal::Edit { .. } => "edit",
        Modal::Delete(_) => "delete",
        Modal::ResetRequest(_) => "reset request",
        Modal::ResetApply { .. } => "reset apply",
        Modal::Login { .. } => "login",
        Modal::Discard { .. } => "discard",
        Modal::InviteDetail => "invite detail",
        Modal::InviteCreate { .. } => "invite create",
        Modal::Revoke(_) => "revoke",
        Modal::InviteToken { .. } => "invite token",
    }
}

/// An invite made from a user of the outcome (its e-mail, role and dates, so the fuzzed text
/// reaches the invite screens too).
pub fn invite_of(user: &User) -> Invite {
    Invite {
        id: format!("invite_{}", user.id),
        email: user.email.clone(),
        role: user.role,
        accepted: false,
        token: format!("{INVITE_TOKEN_MARK}{}", user.id),
        expires_at: user.updated_at.clone(),
        metadata: None,
        created_at: user.created_at.clone(),
        updated_at: user.updated_at.clone(),
        deleted_at: None,
        wire: user.wire,
    }
}

/// The outcome's page as invites; `server_paged` varies so both dialects' titles show.
pub fn invite_page(outcome: &Outcome) -> InvitePage {
    let page = &outcome.page;
    InvitePage {
        invites: page.users.iter().map(invite_of).collect(),
        count: page.count,
        offset: page.offset,
        limit: page.limit,
        server_paged: !outcome.stray_kind.is_multiple_of(2),
    }
}

/// The reply the worker would send for `request`: the outcome's error, or the success that
/// fits the request.
pub fn reply_for(request: &ApiRequest, outcome: &Outcome) -> Result<ApiReply, ApiError> {
    // Signing out only forgets credentials: it cannot fail.
    if matches!(request, ApiRequest::SignOut) {
        return Ok(ApiReply::SignedOut);
    }
    if let Some(e) = &outcome.error {
        return Err(e.clone());
    }
    Ok(match request {
        ApiRequest::List(_) => ApiReply::Page(outcome.page.clone()),
        ApiRequest::Retrieve(_)
        | ApiRequest::Create(_)
        | ApiRequest::Update { .. }
        | ApiRequest::ResetPassword(_)
        | ApiRequest::Me => ApiReply::User(outcome.user.clone()),
        ApiRequest::ListInvites(_) => ApiReply::Invites(invite_page(outcome)),
        ApiRequest::CreateInvite(_) | ApiRequest::ResendInvite(_) => {
            ApiReply::Invite(invite_of(&outcome.user))
        }
        ApiRequest::RevokeInvite(id) => ApiReply::Deleted(Deleted {
            id: id.clone(),
            object: "invite".into(),
            deleted: true,
        }),
        ApiRequest::Delete(id) | ApiRequest::DeleteRevokingKeys { id, .. } => {
            ApiReply::Deleted(Deleted {
                id: id.clone(),
                object: "user".into(),
                deleted: true,
            })
        }
        // Either dialect, so both kinds of screens are explored.
        ApiRequest::Capabilities => {
            ApiReply::Capabilities(Capabilities::of(if outcome.stray_kind.is_multiple_of(2) {
                Dialect::V1
            } else {
                Dialect::V2
            }))
        }
        ApiRequest::MintResetToken(_) => ApiReply::Minted("tok-minted".to_owned().into()),
        ApiRequest::KeysCreatedBy(_) => ApiReply::Keys(
            (0..outcome.stray_kind % 4)
                .map(|i| ApiKey {
                    id: format!("apk_{i}"),
                    title: format!("key \u{1b}[31m{i}"),
                    redacted: "sk_…abc".into(),
                    kind: "secret".into(),
                    created_by: Some(outcome.user.id.clone()),
                    revoked_at: None,
                    created_at: Timestamp(String::new()),
                })
                .collect(),
        ),
        ApiRequest::SendResetToken(_) => ApiReply::TokenSent {
            outbox: (!outcome.stray_kind.is_multiple_of(2))
                .then(|| std::path::PathBuf::from("/tmp/outbox.jsonl")),
        },
        ApiRequest::Login { .. } => ApiReply::LoggedIn,
        ApiRequest::SignOut => ApiReply::SignedOut,
        // Nothing is written: the harness only answers as the worker would.
        ApiRequest::ExportUsers { path, .. } => ApiReply::Exported {
            path: path.clone(),
            rows: outcome.page.users.len(),
        },
        // One store answers with the fuzzed user and an invite, one with an error, so hostile
        // text reaches every cell of the dialog.
        ApiRequest::Everywhere { profiles, .. } => ApiReply::Everywhere(
            profiles
                .iter()
                .enumerate()
                .map(|(i, profile)| medusa_users::tui::app::StoreAccess {
                    profile: profile.clone(),
                    outcome: if i % 2 == 0 {
                        Ok(medusa_users::api::Access {
                            user: Some(outcome.user.clone()),
                            invites: vec![invite_of(&outcome.user)],
                        })
                    } else {
                        Err(format!("store \u{1b}[31m{i} down"))
                    },
                })
                .collect(),
        ),
        ApiRequest::Locate { .. } => ApiReply::Located(
            (!outcome.stray_kind.is_multiple_of(3)).then(|| u64::from(outcome.stray_kind) * 7),
        ),
        ApiRequest::OutboxToken { .. } => ApiReply::OutboxToken(
            outcome
                .stray_kind
                .is_multiple_of(2)
                .then(|| "tok-from-outbox".to_owned().into()),
        ),
    })
}

/// Any reply at all, for ids nobody waits for.
pub fn stray_reply(outcome: &Outcome) -> Result<ApiReply, ApiError> {
    if let Some(e) = &outcome.error {
        return Err(e.clone());
    }
    Ok(match outcome.stray_kind % 11 {
        0 => ApiReply::Page(outcome.page.clone()),
        1 => ApiReply::User(outcome.user.clone()),
        2 => ApiReply::Deleted(Deleted {
            id: outcome.user.id.clone(),
            object: "user".into(),
            deleted: true,
        }),
        3 => ApiReply::TokenSent { outbox: None },
        4 => ApiReply::LoggedIn,
        5 => ApiReply::Located(Some(3)),
        6 => ApiReply::OutboxToken(None),
        7 => ApiReply::Progress("step 2/3: register the login…".into()),
        8 => ApiReply::Invites(invite_page(outcome)),
        9 => ApiReply::Invite(invite_of(&outcome.user)),
        _ => ApiReply::SignedOut,
    })
}

/// A key, and whether it should quit: bound to `Quit` where it was pressed, or the yes to
/// "discard the changes and quit?".
struct QuitKey {
    key: KeyEvent,
    bound: bool,
    confirms_quit: bool,
}
