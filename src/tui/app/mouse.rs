//! The mouse (`--mouse`): a click on a row selects it, a click on the selected row opens it
//! (as Enter), a click on a tab title switches to it, the wheel moves the selection three rows
//! a notch (as three presses of `j`/`k`, so it goes past a page's edge the way they do).
//! Clicks are hit-tested against where the last frame drew the rows and tabs ([`HitMap`],
//! recorded by the renderer). Only the list itself listens: while a dialog, the search box or
//! the page prompt has the keys, the mouse does nothing, so it never starts or confirms a
//! change.
//!
//! [`HitMap`]: crate::tui::layout::HitMap

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::*;

/// Rows the selection moves per wheel notch.
pub const WHEEL_ROWS: usize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent, cmds: &mut Vec<Command>) {
        let before = self.mouse_view();
        let sent = cmds.len();
        if self.mouse && matches!(self.context(), Context::List | Context::Invites) {
            match event.kind {
                MouseEventKind::Down(MouseButton::Left) => {
                    self.click(event.column, event.row, cmds);
                }
                MouseEventKind::ScrollDown => self.wheel(Action::Down, cmds),
                MouseEventKind::ScrollUp => self.wheel(Action::Up, cmds),
                _ => {}
            }
        }
        self.unchanged = cmds.len() == sent && self.mouse_view() == before;
    }

    fn click(&mut self, x: u16, y: u16, cmds: &mut Vec<Command>) {
        let hits = self.hits.get();
        if let Some(tab) = hits.tab_at(x, y) {
            self.switch_tab(tab, cmds);
            return;
        }
        let Some((tab, row)) = hits.row_at(x, y) else {
            return;
        };
        // A frame of the other list (cannot happen: switching redraws), or a row that is gone.
        if tab != self.tab {
            return;
        }
        match tab {
            Tab::Users if row < self.list.users().len() => {
                if row == self.list.selected {
                    self.on_list_action(Action::Open, cmds);
                } else {
                    self.select(row);
                }
            }
            Tab::Invites if row < self.invites.invites().len() => {
                if row == self.invites.selected {
                    self.on_invites_action(Action::Open, cmds);
                } else {
                    self.select_invite(row);
                }
            }
            _ => {}
        }
    }

    fn wheel(&mut self, action: Action, cmds: &mut Vec<Command>) {
        for _ in 0..WHEEL_ROWS {
            match self.tab {
                Tab::Users => self.on_list_action(action, cmds),
                Tab::Invites => self.on_invites_action(action, cmds),
            }
        }
    }

    /// What a mouse event can change, to tell whether it changed anything.
    fn mouse_view(&self) -> impl PartialEq + use<> {
        (
            self.tab,
            self.list.selected,
            self.list.offset,
            self.list.request,
            self.invites.selected,
            self.invites.offset,
            self.invites.request,
            self.modals.len(),
            self.status_serial,
        )
    }
}
