//! A config error, located where it can be: the file, the line and the column.

use std::path::{Path, PathBuf};

/// A config error, located where it can be: `FILE:LINE:COLUMN: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    pub line_column: Option<(usize, usize)>,
    pub message: String,
}

impl ConfigError {
    fn render(&self) -> String {
        let path = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config".to_owned());
        match self.line_column {
            Some((line, column)) => format!("{path}:{line}:{column}: {}", self.message),
            None => format!("{path}: {}", self.message),
        }
    }

    pub(super) fn plain(path: Option<&Path>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.map(Path::to_path_buf),
            line_column: None,
            message: message.into(),
        }
    }
}
