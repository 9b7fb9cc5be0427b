//! Notices: the status line ([`Status`], at a [`Level`]) and the session's message log.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Success: fades after a few seconds.
    Info,
    /// Something the operator must know that is not a failure (a new user outside the current
    /// view); stays until dismissed.
    Warn,
    /// Stays until dismissed.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

impl App {
    /// A success notice: shown, logged, and faded after [`NOTICE_FADE`].
    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.notice(text.into(), Level::Info);
    }

    /// A notice that stays (until dismissed or replaced), and is logged.
    pub(crate) fn warn(&mut self, text: impl Into<String>) {
        self.notice(text.into(), Level::Warn);
    }

    /// An error: shown until dismissed (or replaced), and logged.
    pub fn error(&mut self, text: impl Into<String>) {
        self.notice(text.into(), Level::Error);
    }

    pub(super) fn notice(&mut self, text: String, level: Level) {
        let status = Status { text, level };
        if self.log.len() >= LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(status.clone());
        self.status = Some(status);
        self.status_serial += 1;
    }
}
