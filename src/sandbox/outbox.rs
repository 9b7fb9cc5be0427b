//! Where password-reset tokens go. A real Medusa emits a `user.password_reset` event for a
//! notification plugin to mail; the sandbox has no mail, so each event becomes one JSON line
//! `{"event":"user.password_reset","email":…,"token":…}` in an outbox file (created owner-only:
//! a token resets a password), optionally echoed to stdout, and is kept in memory for tests.
//! Tokens never go through `tracing`.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub struct Outbox {
    file: Option<(PathBuf, Mutex<File>)>,
    echo: bool,
    issued: Mutex<Vec<(String, String)>>,
}

impl Outbox {
    pub fn open(path: Option<&Path>, echo: bool) -> std::io::Result<Outbox> {
        let file = match path {
            Some(p) => {
                if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                let mut options = OpenOptions::new();
                options.create(true).append(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                Some((p.to_owned(), Mutex::new(options.open(p)?)))
            }
            None => None,
        };
        Ok(Outbox {
            file,
            echo,
            issued: Mutex::new(Vec::new()),
        })
    }

    /// Records one reset event. A failed write is logged (without the token) and otherwise
    /// ignored: the real server's 204 does not depend on mail delivery either.
    pub fn publish(&self, email: &str, token: &str) {
        let line = serde_json::json!({
            "event": "user.password_reset",
            "email": email,
            "token": token,
        })
        .to_string();
        if let Some((path, file)) = &self.file {
            let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = writeln!(f, "{line}").and_then(|()| f.flush()) {
                tracing::warn!(path = %path.display(), error = %e, "cannot write a reset event to the outbox");
            }
        }
        if self.echo {
            println!("{line}");
        }
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((email.to_lowercase(), token.to_owned()));
    }

    /// Tokens issued for `email` (any case), oldest first.
    pub fn tokens_for(&self, email: &str) -> Vec<String> {
        let email = email.to_lowercase();
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|(e, _)| *e == email)
            .map(|(_, t)| t.clone())
            .collect()
    }
}
