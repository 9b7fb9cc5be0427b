//! The search box (`/`, on either list: search as you type, debounced) and the go-to-page
//! prompt (`:`): their keys, the query of the list on screen, and the search as the list's
//! title shows it.

use crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::text::Span;
use std::time::Duration;
use tui_input::InputRequest;
use tui_input::backend::crossterm::EventHandler;

use crate::safe_text::neutralise;
use crate::tui::app::{App, Command, Land, SEARCH_DEBOUNCE, Tab, Timer};
use crate::tui::keymap::Action;
use crate::tui::ui::{Theme, fit};

impl App {
    /// The search text of the list on screen.
    pub fn query(&self) -> &str {
        match self.tab {
            Tab::Users => &self.list.q,
            Tab::Invites => &self.invites.q,
        }
    }

    pub(crate) fn query_mut(&mut self) -> &mut String {
        match self.tab {
            Tab::Users => &mut self.list.q,
            Tab::Invites => &mut self.invites.q,
        }
    }

    /// Loads the list on screen from its first page (the search changed).
    fn reload_active_from_start(&mut self, cmds: &mut Vec<Command>) {
        match self.tab {
            Tab::Users => self.reload_from_start(cmds),
            Tab::Invites => self.reload_invites_from_start(cmds),
        }
    }

    pub(crate) fn on_search_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        cmds: &mut Vec<Command>,
    ) {
        match action {
            Some(Action::Submit) => {
                self.search = None;
                // Results for the final text may still be on their way (debounce).
                cmds.push(Command::SetTimer(Timer::SearchDebounce, Duration::ZERO));
            }
            Some(Action::Back) => {
                self.search = None;
                if !self.query().is_empty() {
                    self.query_mut().clear();
                    self.reload_active_from_start(cmds);
                }
            }
            _ => {
                if let Some(input) = &mut self.search
                    && input
                        .handle_event(&Event::Key(key))
                        .is_some_and(|s| s.value)
                {
                    let q = input.value().trim().to_owned();
                    *self.query_mut() = q;
                    cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
                }
            }
        }
    }

    /// The `:` prompt: digits, then Enter goes to that page (the last one if it is past it).
    pub(crate) fn on_goto_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        cmds: &mut Vec<Command>,
    ) {
        match action {
            Some(Action::Submit) => {
                let typed = self.goto.take().map(|i| i.value().to_owned());
                match typed.as_deref().map(str::parse::<u64>) {
                    Some(Ok(n)) if n > 0 => {
                        let page = n.min(self.list.page_total());
                        let offset = (page - 1).saturating_mul(u64::from(self.list.page_size));
                        if offset != self.list.offset || self.list.is_loading() {
                            self.load_page(offset, Land::Row(0), cmds);
                        } else {
                            self.select(0);
                        }
                    }
                    Some(_) if typed.as_deref().is_some_and(|t| !t.is_empty()) => {
                        self.error(format!(
                            "no page {:?}: pages are 1 to {}",
                            typed.unwrap_or_default(),
                            self.list.page_total()
                        ));
                    }
                    _ => {}
                }
            }
            Some(Action::Back) => self.goto = None,
            _ => {
                let digit = matches!(key.code, KeyCode::Char(c) if c.is_ascii_digit());
                let editing = matches!(
                    key.code,
                    KeyCode::Backspace
                        | KeyCode::Delete
                        | KeyCode::Left
                        | KeyCode::Right
                        | KeyCode::Home
                        | KeyCode::End
                );
                if let Some(input) = &mut self.goto
                    && (editing || (digit && input.value().len() < GOTO_MAX_DIGITS))
                {
                    input.handle_event(&Event::Key(key));
                }
            }
        }
    }

    /// A paste into the search box: searched for as if typed (control characters dropped).
    pub(crate) fn paste_into_search(&mut self, text: &str, cmds: &mut Vec<Command>) {
        let Some(input) = &mut self.search else {
            return;
        };
        for c in text.chars().filter(|c| !c.is_control()) {
            input.handle(InputRequest::InsertChar(c));
        }
        let q = input.value().trim().to_owned();
        *self.query_mut() = q;
        cmds.push(Command::SetTimer(Timer::SearchDebounce, SEARCH_DEBOUNCE));
    }

    /// A paste into the `:` prompt: its digits, as many as fit.
    pub(crate) fn paste_into_goto(&mut self, text: &str) {
        let Some(input) = &mut self.goto else {
            return;
        };
        let room = GOTO_MAX_DIGITS.saturating_sub(input.value().len());
        for c in text.chars().filter(char::is_ascii_digit).take(room) {
            input.handle(InputRequest::InsertChar(c));
        }
    }
}

/// The longest page number the `:` prompt takes (more than any `u64` page count needs).
const GOTO_MAX_DIGITS: usize = 20;

/// The title's search part, at most `room` columns: the box being typed in (its end, with the
/// cursor, stays visible), or the search in force.
pub fn search_spans(app: &App, q: &str, room: usize, theme: &Theme) -> Vec<Span<'static>> {
    if let Some(search) = &app.search {
        let typed = neutralise(search.value()).into_owned();
        let shown = if typed.chars().count() + 3 > room {
            // Keep the end: that is where the cursor is.
            let keep = room.saturating_sub(4);
            let tail: String = typed
                .chars()
                .rev()
                .take(keep)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("/…{tail}▏ ")
        } else {
            format!("/{typed}▏ ")
        };
        vec![Span::styled(shown, theme.key)]
    } else if !q.is_empty() {
        let text = format!("search: {}", neutralise(q));
        vec![Span::styled(
            format!("{} ", fit(&text, room.saturating_sub(1))),
            theme.key,
        )]
    } else {
        Vec::new()
    }
}
