//! Replies to the user list's own changes: a user created or saved, and where it now stands
//! in the list (so the selection lands on it).

use crate::api::{ListParams, User};
use crate::tui::app::{App, Command, Land, RequestId};

impl App {
    /// A user was created (through the form; on v2 through invite, register, accept).
    pub(crate) fn on_created(&mut self, id: RequestId, user: User, cmds: &mut Vec<Command>) {
        self.close_modal_for(id);
        if user.role.is_some() {
            self.info(format!("created {} ({})", user.email, user.role_label()));
        } else {
            self.info(format!("created {}", user.email));
        }
        self.locate(user, false, cmds);
    }

    /// A user was saved; `before` is how it was, to tell whether it moves in the list.
    pub(crate) fn on_updated(
        &mut self,
        id: RequestId,
        before: &User,
        user: User,
        cmds: &mut Vec<Command>,
    ) {
        self.close_modal_for(id);
        self.info(format!("saved {}", user.email));
        let moves = self.edit_may_move(before, &user);
        self.replace_user(user.clone());
        if moves {
            self.locate(user, true, cmds);
        } else {
            // The pages kept went when the save was sent; fetch them again.
            self.prefetch_neighbours(cmds);
        }
    }

    /// Where a created or saved user stands in the list asked for with `params`: its page is
    /// loaded with it selected, or the operator is told the view does not show it.
    pub(crate) fn on_located(
        &mut self,
        user: User,
        edited: bool,
        params: &ListParams,
        found: Option<u64>,
        cmds: &mut Vec<Command>,
    ) {
        // The view changed meanwhile (another search, sort or filter): the position is of a
        // list no longer shown.
        if *params != self.locate_params() {
            return;
        }
        match found {
            Some(position) => {
                let size = u64::from(self.list.page_size.max(1));
                let offset = position / size * size;
                let row = (position - offset) as usize;
                self.load_page(offset, Land::User { id: user.id, row }, cmds);
            }
            None => {
                let what = if edited { "saved" } else { "created" };
                let verb = if edited {
                    "no longer matches"
                } else {
                    "does not match"
                };
                let undo = if self.list.role.is_some() {
                    "Esc clears the search, f changes the role filter"
                } else {
                    "Esc clears the search"
                };
                self.warn(format!(
                    "{what} {}, but it {verb} the current view ({}); {undo}",
                    user.email,
                    self.list.filters()
                ));
                self.load_list(cmds);
            }
        }
    }
}
