//! Paging the invite list: loading a page, from the start, at a new size after a resize,
//! and switching between the Users and Invites tabs.

use crate::tui::app::{ApiRequest, App, Command, Purpose, Tab};

impl App {
    /// Switches the body to `tab` and loads it afresh: an invite accepted elsewhere shows as
    /// a new user on Users and as gone on Invites.
    pub(crate) fn switch_tab(&mut self, tab: Tab, cmds: &mut Vec<Command>) {
        if self.tab == tab {
            return;
        }
        self.tab = tab;
        self.search = None;
        self.goto = None;
        // Users may have come (an invite accepted) or gone meanwhile.
        self.drop_cache(cmds);
        match tab {
            Tab::Users => self.load_list(cmds),
            Tab::Invites => self.load_invites(cmds),
        }
    }

    pub(crate) fn load_invites(&mut self, cmds: &mut Vec<Command>) {
        if let Some(old) = self.invites.request.take() {
            self.pending.remove(&old);
            cmds.push(Command::Cancel(old));
        }
        self.invites.page_size = self.wanted_page_size();
        let id = self.send(
            Purpose::Invites,
            ApiRequest::ListInvites(self.invites.params()),
            cmds,
        );
        self.invites.request = Some(id);
    }

    pub(crate) fn reload_invites_from_start(&mut self, cmds: &mut Vec<Command>) {
        self.invites.offset = 0;
        self.invites.selected = 0;
        self.invites.land_last = false;
        self.invites.land_row = None;
        self.load_invites(cmds);
    }

    /// The window shows another number of rows: the page that holds the selected invite is
    /// loaded at the new size.
    pub(crate) fn repage_invites(&mut self, cmds: &mut Vec<Command>) {
        // While a repaged page is on its way, its row is where the selection is going.
        let row = self.invites.land_row.unwrap_or(self.invites.selected);
        let position = self.invites.offset.saturating_add(row as u64);
        let size = u64::from(self.wanted_page_size().max(1));
        self.invites.offset = position / size * size;
        self.invites.land_row = Some((position - self.invites.offset) as usize);
        self.load_invites(cmds);
    }

    pub(crate) fn select_invite(&mut self, row: usize) {
        if row != self.invites.selected {
            self.reveal_invite = false;
        }
        self.invites.selected = row;
    }

    pub(super) fn load_invite_page(&mut self, offset: u64, last: bool, cmds: &mut Vec<Command>) {
        self.invites.offset = offset;
        self.invites.land_last = last;
        self.invites.land_row = None;
        self.invites.selected = 0;
        self.reveal_invite = false;
        self.load_invites(cmds);
    }
}
