//! "Discard what you typed?": asked over a form with changes when Esc would close it, or when
//! Ctrl-C would quit (`y` then quits): its keys and its drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::app::{App, Command, Modal};
use crate::tui::keymap::Action;
use crate::tui::ui::Theme;
use crate::tui::ui::widgets::render_box;

impl App {
    /// Ctrl-C on a form with changes asks first (a second Ctrl-C, or `y`, quits). Returns
    /// whether it asked.
    pub(crate) fn ask_before_quitting(&mut self) -> bool {
        let dirty = matches!(
            self.modals.last(),
            Some(
                Modal::Create { form, .. }
                    | Modal::Edit { form, .. }
                    | Modal::InviteCreate { form, .. }
                    | Modal::ResetApply { form, .. }
            ) if form.is_dirty()
        );
        if dirty {
            self.modals.push(Modal::Discard { quit: true });
        }
        dirty
    }

    /// `y` discards (and closes the form under the question, or quits after Ctrl-C); `n` or
    /// Esc goes back to the form.
    pub(crate) fn on_discard_key(&mut self, action: Option<Action>, cmds: &mut Vec<Command>) {
        match action {
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
        }
    }
}

/// "Discard what you typed?" (or, after Ctrl-C, "Quit and lose it?").
pub(crate) fn render(frame: &mut Frame, quit: bool, area: Rect, theme: &Theme) {
    let (question, yes) = if quit {
        ("Quit and lose what you typed?", " quit   ")
    } else {
        ("Discard what you typed?", " discard   ")
    };
    let mut answer = vec![
        Span::styled("y", theme.key),
        Span::raw(yes),
        Span::styled("n", theme.key),
        Span::raw("/"),
        Span::styled("Esc", theme.key),
        Span::raw(" keep editing"),
    ];
    if quit {
        answer.push(Span::raw("   "));
        answer.push(Span::styled("Ctrl-C", theme.key));
        answer.push(Span::raw(" quit"));
    }
    let lines = vec![Line::from(question), Line::default(), Line::from(answer)];
    render_box(frame, " Unsaved changes ", 48, area, theme.warn, |_| lines);
}
