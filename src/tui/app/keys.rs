//! Keys and pastes: one match over the contexts sends each to the screen that has the focus
//! (`screens/`), after the keys every screen shares (quit, suspend) and the dialogs where keys
//! are text (a production profile's name, the export path). Also the read-only refusals every
//! screen asks for.

use crossterm::event::{KeyEvent, KeyModifiers};

use super::*;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent, cmds: &mut Vec<Command>) {
        let context = self.context();
        // Where keys are text, every key but the Ctrl chords (Ctrl-C still quits) goes to
        // the text: a production profile's name being typed, the export path.
        if !key.modifiers.contains(KeyModifiers::CONTROL) {
            if self.typed_name_keys().is_some() {
                self.on_production_name_key(key, cmds);
                return;
            }
            if context == Context::Export {
                self.on_export_key(key, cmds);
                return;
            }
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
            Context::Detail => self.on_detail_key(action, cmds),
            Context::Invites => {
                if let Some(a) = action {
                    self.on_invites_action(a, cmds);
                }
            }
            Context::InviteDetail => self.on_invite_detail_key(action, cmds),
            Context::Revoke => self.on_revoke_key(action, cmds),
            Context::InviteToken => self.on_invite_token_key(action, cmds),
            Context::Search => self.on_search_key(key, action, cmds),
            Context::GoToPage => self.on_goto_key(key, action, cmds),
            Context::Help | Context::Messages => self.on_overlay_key(action),
            Context::HelpFilter => self.on_help_filter_key(key, action),
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                self.on_form_key(key, action, cmds);
            }
            Context::Profiles => self.on_profiles_action(action, cmds),
            Context::Everywhere => self.on_everywhere_action(action, cmds),
            Context::Bulk => self.on_bulk_key(action, cmds),
            // Only Ctrl chords get here (the others went to the path above).
            Context::Export => {}
            Context::Delete => self.on_delete_key(action, cmds),
            Context::ResetRequest => self.on_reset_request_key(action, cmds),
            Context::Discard => self.on_discard_key(action, cmds),
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

    /// A paste goes where typing would: a form's field, the search, the help filter or the
    /// page number. Control characters never land in an input.
    pub(super) fn on_paste(&mut self, text: String, cmds: &mut Vec<Command>) {
        match self.context() {
            Context::Form | Context::InviteForm | Context::ResetApply | Context::Login => {
                if let Some(form) = self.modals.last_mut().and_then(Modal::form_mut) {
                    form.input(&crossterm::event::Event::Paste(text));
                }
            }
            Context::Search => self.paste_into_search(&text, cmds),
            Context::HelpFilter => self.paste_into_help_filter(&text),
            Context::GoToPage => self.paste_into_goto(&text),
            _ => {}
        }
    }
}
