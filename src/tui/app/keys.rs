//! Keys and pastes: what each action does in the context that has the focus. One match over
//! the contexts sends a key to its screen (`screens/`); the smallest dialogs' answers (close,
//! confirm, toggle) are given inline. Also the read-only refusals every screen asks for.

use crossterm::event::{Event, KeyEvent};
use secrecy::ExposeSecret;

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let context = self.context();
        // Typing a production profile's name: every key is text, except Enter, Esc, Tab and
        // the Ctrl chords (Ctrl-C still quits).
        if matches!(context, Context::Delete | Context::Revoke)
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
            && matches!(
                self.modals.last(),
                Some(
                    Modal::Delete {
                        typed_name: Some(_),
                        request: None,
                        ..
                    } | Modal::Revoke {
                        typed_name: Some(_),
                        request: None,
                        ..
                    }
                )
            )
        {
            self.on_production_name_key(key, cmds);
            return;
        }
        if context == Context::Export
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
        {
            self.on_export_key(key, cmds);
            return;
        }
        if context == Context::Bulk
            && !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
            && matches!(
                self.modals.last(),
                Some(Modal::Bulk(Bulk {
                    typed_name: Some(_),
                    state: BulkState::Confirm,
                    ..
                }))
            )
        {
            self.on_bulk_key(key, None, cmds);
            return;
        }
        let pending = self.pending_key.take();
        let action = match self.keymap.resolve(context, pending, &key, &self.offer()) {
            Resolved::Action(a) => Some(a),
            Resolved::Pending(first) => {
                self.pending_key = Some(first);
                return;
            }
            Resolved::Nothing => None,
        };
        match action {
            Some(Action::Quit) => {
                if !self.ask_before_quitting() {
                    cmds.push(Command::Quit);
                }
                return;
            }
            Some(Action::Suspend) => {
                cmds.push(Command::Suspend);
                return;
            }
            _ => {}
        }
        match context {
            Context::List => {
                if let Some(a) = action {
                    self.on_list_action(a, cmds);
                }
            }
            Context::Invites => {
                if let Some(a) = action {
                    self.on_invites_action(a, cmds);
                }
            }
            Context::InviteDetail => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(
                    a @ (Action::RevealToken
                    | Action::Resend
                    | Action::Delete
                    | Action::CopyToken
                    | Action::CopyLink),
                ) => self.on_invites_action(a, cmds),
                _ => {}
            },
            Context::Revoke => match action {
                Some(Action::Confirm) => self.confirm_revoke(cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::InviteToken => match action {
                Some(a @ (Action::CopyToken | Action::CopyLink)) => {
                    if let Some(Modal::InviteToken { invite, .. }) = self.modals.last() {
                        let invite = invite.clone();
                        self.copy_invite(&invite, a, cmds);
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Search => self.on_search_key(key, action, cmds),
            Context::GoToPage => self.on_goto_key(key, action, cmds),
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
            Context::Help | Context::Messages => match action {
                Some(Action::Back) => {
                    self.modals.pop();
                }
                Some(Action::Filter) => {
                    if let Some(Modal::Help { editing, .. }) = self.modals.last_mut() {
                        *editing = true;
                    }
                }
                Some(a) => self.scroll_overlay(a),
                None => {}
            },
            Context::HelpFilter => self.on_help_filter_key(key, action),
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                self.on_form_key(key, action, cmds);
            }
            Context::Profiles => self.on_profiles_action(action, cmds),
            Context::Everywhere => self.on_everywhere_action(action, cmds),
            Context::Bulk => self.on_bulk_key(key, action, cmds),
            // Only Ctrl chords get here (the others went to the path above).
            Context::Export => {}
            Context::Delete => match action {
                Some(Action::Confirm) => self.confirm_delete(cmds),
                Some(Action::ToggleRevokeKeys) => {
                    if let Some(Modal::Delete {
                        keys: Some(keys),
                        revoke_keys,
                        request: None,
                        ..
                    }) = self.modals.last_mut()
                        && !keys.is_empty()
                    {
                        *revoke_keys = !*revoke_keys;
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::ResetRequest => match action {
                Some(Action::SendToken) => self.send_reset_token(cmds),
                Some(Action::HaveToken) => {
                    // A token minted here is the one to use.
                    let minted = match self.modals.last() {
                        Some(Modal::ResetRequest {
                            minted: Some(t), ..
                        }) => Some(t.expose_secret().to_owned()),
                        _ => None,
                    };
                    self.open_reset_apply(minted.as_deref());
                }
                Some(Action::FillToken) => self.fill_token(cmds),
                Some(Action::MintToken) => self.mint_token(cmds),
                Some(a @ (Action::CopyToken | Action::CopyLink)) => self.copy_minted(a, cmds),
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Discard => match action {
                Some(Action::Confirm) => {
                    let quit = matches!(self.modals.pop(), Some(Modal::Discard { quit: true }));
                    self.modals.pop();
                    if quit {
                        cmds.push(Command::Quit);
                    }
                }
                Some(Action::Back) => {
                    self.modals.pop();
                }
                _ => {}
            },
            Context::Global => {}
        }
    }

    /// Says so and answers true when the keymap's offer (read-only mode, via
    /// [`Operation::changes_data`]) rules out `need`; `activity` names it for the operator.
    pub(crate) fn refuse_unless_offered(&mut self, need: Need, activity: &str) -> bool {
        let refused = !self.offer().allows(need);
        if refused {
            self.error(format!("read-only mode: {activity} is disabled"));
        }
        refused
    }

    /// [`App::refuse_unless_offered`] for an operation on the server.
    pub(crate) fn refuse_unless_allowed(&mut self, op: Operation) -> bool {
        self.refuse_unless_offered(Need::Performs(op), op.activity())
    }

    pub(super) fn on_paste(&mut self, text: String, cmds: &mut Vec<Command>) {
        let event = Event::Paste(text);
        match self.context() {
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                if let Some(form) = self.modals.last_mut().and_then(Modal::form_mut) {
                    form.input(&event);
                }
            }
            Context::Search => {
                if let (Some(input), Event::Paste(text)) = (&mut self.search, &event) {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    let q = input.value().trim().to_owned();
                    *self.query_mut() = q;
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
            Context::HelpFilter => {
                if let (Some(Modal::Help { filter, scroll, .. }), Event::Paste(text)) =
                    (self.modals.last_mut(), &event)
                {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        filter.handle(tui_input::InputRequest::InsertChar(c));
                    }
                    *scroll = 0;
                }
            }
            Context::GoToPage => {
                if let (Some(input), Event::Paste(text)) = (&mut self.goto, &event) {
                    let room = 20usize.saturating_sub(input.value().len());
                    for c in text.chars().filter(char::is_ascii_digit).take(room) {
                        input.handle(tui_input::InputRequest::InsertChar(c));
                    }
                }
            }
            _ => {}
        }
    }
}
