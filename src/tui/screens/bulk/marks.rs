//! Marks: `Space` marks or unmarks the selected user (or invite), `*` marks the page, `u`
//! clears; marks survive paging, searching and sorting.

use crate::tui::app::{App, Tab};
use crate::tui::keymap::Need;

impl App {
    /// `Space`: marks or unmarks the selected user (or invite), and moves down one row.
    pub(crate) fn toggle_mark(&mut self) {
        if self.refuse_unless_offered(Need::PreparesChanges, "marking for bulk changes") {
            return;
        }
        if self.tab == Tab::Invites {
            let Some(invite) = self.invites.selected_invite().cloned() else {
                return;
            };
            match self.invites.marked.iter().position(|i| i.id == invite.id) {
                Some(i) => {
                    self.invites.marked.remove(i);
                }
                None => self.invites.marked.push(invite),
            }
            if self.invites.selected + 1 < self.invites.invites().len() {
                let next = self.invites.selected + 1;
                self.select_invite(next);
            }
            return;
        }
        let Some(user) = self.list.selected_user().cloned() else {
            return;
        };
        match self.list.marked.iter().position(|u| u.id == user.id) {
            Some(i) => {
                self.list.marked.remove(i);
            }
            None => self.list.marked.push(user),
        }
        let rows = self.list.users().len();
        if self.list.selected + 1 < rows {
            self.list.selected += 1;
        }
    }

    /// `*`: marks every user (or invite) on the page.
    pub(crate) fn mark_page(&mut self) {
        if self.refuse_unless_offered(Need::PreparesChanges, "marking for bulk changes") {
            return;
        }
        if self.tab == Tab::Invites {
            for invite in self.invites.invites().to_vec() {
                if !self.invites.marked.iter().any(|i| i.id == invite.id) {
                    self.invites.marked.push(invite);
                }
            }
            return;
        }
        for user in self.list.users().to_vec() {
            if !self.list.marked.iter().any(|u| u.id == user.id) {
                self.list.marked.push(user);
            }
        }
    }

    pub(crate) fn clear_marks(&mut self) {
        let n = if self.tab == Tab::Invites {
            std::mem::take(&mut self.invites.marked).len()
        } else {
            std::mem::take(&mut self.list.marked).len()
        };
        if n > 0 {
            self.info(format!("cleared {n} mark{}", if n == 1 { "" } else { "s" }));
        }
    }

    pub fn is_marked(&self, id: &str) -> bool {
        self.list.marked.iter().any(|u| u.id == id)
    }

    pub fn is_invite_marked(&self, id: &str) -> bool {
        self.invites.marked.iter().any(|i| i.id == id)
    }
}
