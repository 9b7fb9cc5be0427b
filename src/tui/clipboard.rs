//! Where copies go: the system clipboard when this process runs on the operator's own desktop,
//! otherwise the terminal's (OSC 52), which reaches the operator's machine over SSH and through
//! tmux (`set -g set-clipboard on`). A copy never fails loudly: the status line has already
//! said what was copied, and OSC 52 is always tried when the system clipboard is not there.

use std::io::Write;

/// How copies are delivered, chosen at the first copy (not at start: connecting to a desktop
/// clipboard costs time the first frame should not wait for).
#[derive(Default)]
pub struct Clipboard {
    /// The desktop's clipboard, once looked for; kept for the console's lifetime because on
    /// X11 the owner must stay alive to hand the text to whoever pastes it.
    system: Option<Option<arboard::Clipboard>>,
}

impl Clipboard {
    /// `MEDUSA_USERS_CLIPBOARD=osc52` forces the terminal; otherwise the desktop clipboard is
    /// used where there is one. Over SSH the remote machine's clipboard is not the operator's,
    /// so the terminal's is used there.
    fn system() -> Option<arboard::Clipboard> {
        let forced_terminal = std::env::var("MEDUSA_USERS_CLIPBOARD").is_ok_and(|v| v == "osc52");
        let over_ssh =
            std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
        if forced_terminal || over_ssh {
            return None;
        }
        arboard::Clipboard::new()
            .inspect_err(|e| tracing::debug!("no system clipboard ({e}); using OSC 52"))
            .ok()
    }

    pub fn copy(&mut self, text: &str) {
        if let Some(system) = self.system.get_or_insert_with(Clipboard::system).as_mut() {
            match system.set_text(text) {
                Ok(()) => return,
                Err(e) => tracing::debug!("system clipboard refused the copy ({e}); using OSC 52"),
            }
        }
        osc52_copy(text);
    }
}

/// Copies through the terminal (OSC 52).
fn osc52_copy(text: &str) {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}
