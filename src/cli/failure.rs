//! Why a command failed, and so which exit code it gets (README "Exit codes"). Every command
//! returns a [`Failure`]; [`Failure::report`] prints its one `error: …` line and picks the code,
//! so the table in the README is decided here and nowhere else.

use super::console::{self, Output};
use super::exit;
use crate::api::ApiError;

#[derive(Debug, Clone)]
pub enum Failure {
    /// The client's error: its exit code is the API error class (3–7, or 2 for read-only).
    Api(ApiError),
    /// Bad input caught before anything was sent, or a confirmation that was refused: 2.
    Usage(String),
    /// Something unexpected on this side (a file that cannot be written, a terminal that
    /// cannot be read): 1.
    Other(String),
    /// Ctrl-C stopped a command that catches it to say what it left (a multi-step create):
    /// 130, as a shell reports a command killed by SIGINT.
    Interrupted(String),
    /// The reader closed standard output: the command is over, quietly, with 0.
    StdoutClosed,
    /// A failure and what the operator can do about it: the error line, then `hint: …`.
    Hinted(Box<Failure>, String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

impl From<Output> for Failure {
    fn from(e: Output) -> Self {
        match e {
            Output::Closed => Failure::StdoutClosed,
            Output::Failed(e) => Failure::Other(format!("cannot write the output: {e}")),
        }
    }
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Api(e) => super::exit::for_api(e),
            Failure::Usage(_) => exit::USAGE,
            Failure::Other(_) => exit::FAILURE,
            Failure::Interrupted(_) => exit::INTERRUPTED,
            Failure::StdoutClosed => exit::OK,
            Failure::Hinted(inner, _) => inner.exit_code(),
        }
    }

    /// This failure with a `hint: …` line after its error line.
    pub fn with_hint(self, hint: impl Into<String>) -> Failure {
        Failure::Hinted(Box::new(self), hint.into())
    }

    /// Prints the error line (nothing for a closed stdout) and returns the exit code.
    pub fn report(&self) -> i32 {
        match self {
            Failure::Api(e) => console::error(&e.status_line()),
            Failure::Usage(m) | Failure::Other(m) | Failure::Interrupted(m) => console::error(m),
            Failure::StdoutClosed => {}
            Failure::Hinted(inner, hint) => {
                inner.report();
                console::note(&format!("hint: {hint}"));
            }
        }
        self.exit_code()
    }
}

/// The exit code of a finished command.
pub fn exit_code(result: Result<(), Failure>) -> i32 {
    match result {
        Ok(()) => exit::OK,
        Err(f) => f.report(),
    }
}
