//! The help overlay (`?`, every key of every context, filtered with `/`) and the message log
//! (`m`, every notice of the session): two scrolling overlays. Here their keys; the drawing
//! is in `view.rs` (help) and `messages.rs` (the log).

use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};

use crate::tui::app::{App, Modal};
use crate::tui::keymap::Action;

pub(crate) mod messages;
pub(crate) mod view;

/// The help overlay (`Modal::Help`).
#[derive(Debug, Clone, Default)]
pub struct HelpOverlay {
    pub scroll: u16,
    /// Shows only the bindings that match (typed after `/`).
    pub filter: Input,
    /// The filter has the keys (`/` was pressed).
    pub editing: bool,
}

impl App {
    /// Scrolling the help overlay or the message log, within what the layout at this size
    /// has to show.
    pub(crate) fn scroll_overlay(&mut self, action: Action) {
        let page = self.size.1.saturating_sub(6).max(1);
        let max = crate::tui::ui::max_scroll(self);
        let Some(Modal::Help(HelpOverlay { scroll, .. }) | Modal::Messages { scroll }) =
            self.modals.last_mut()
        else {
            return;
        };
        *scroll = match action {
            Action::Down => scroll.saturating_add(1),
            Action::Up => scroll.saturating_sub(1),
            Action::NextPage => scroll.saturating_add(page),
            Action::PrevPage => scroll.saturating_sub(page),
            Action::First => 0,
            Action::Last => max,
            _ => *scroll,
        }
        .min(max);
    }

    /// A key over the help overlay or the message log: close, filter (help), or scroll.
    pub(crate) fn on_overlay_key(&mut self, action: Option<Action>) {
        match action {
            Some(Action::Back) => {
                self.modals.pop();
            }
            Some(Action::Filter) => {
                if let Some(Modal::Help(help)) = self.modals.last_mut() {
                    help.editing = true;
                }
            }
            Some(a) => self.scroll_overlay(a),
            None => {}
        }
    }

    /// A paste into the help filter, as if typed (control characters dropped).
    pub(crate) fn paste_into_help_filter(&mut self, text: &str) {
        if let Some(Modal::Help(help)) = self.modals.last_mut() {
            for c in text.chars().filter(|c| !c.is_control()) {
                help.filter.handle(InputRequest::InsertChar(c));
            }
            help.scroll = 0;
        }
    }

    pub(crate) fn on_help_filter_key(&mut self, key: KeyEvent, action: Option<Action>) {
        let Some(Modal::Help(HelpOverlay {
            scroll,
            filter,
            editing,
        })) = self.modals.last_mut()
        else {
            return;
        };
        match action {
            Some(Action::Submit) => *editing = false,
            Some(Action::Back) => {
                *editing = false;
                filter.reset();
                *scroll = 0;
            }
            _ => {
                if filter
                    .handle_event(&Event::Key(key))
                    .is_some_and(|s| s.value)
                {
                    *scroll = 0;
                }
            }
        }
    }
}
