//! Where password-reset and invite tokens go. A real Medusa emits an event for a notification
//! plugin to mail; the sandbox has no mail, so each event becomes one JSON line
//! `{"event":…,"email":…,"token":…}` in an outbox file (created owner-only: a token resets a
//! password or creates an admin), optionally echoed to stdout, and is kept in memory for tests.
//! Tokens never go through `tracing`.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The events the sandbox delivers, named as the real servers name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// v1 `POST /admin/users/password-token`.
    UserPasswordReset,
    /// v2 `POST /auth/user/emailpass/reset-password` and `POST /admin/users/:id/reset-password`.
    AuthPasswordReset,
    /// v1 create, re-invite and resend (v1 emits `invite.created` for all three); v2 create.
    InviteCreated,
    /// v2 `POST /admin/invites/:id/resend`.
    InviteResent,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::UserPasswordReset => "user.password_reset",
            Event::AuthPasswordReset => "auth.password_reset",
            Event::InviteCreated => "invite.created",
            Event::InviteResent => "invite.resent",
        }
    }

    fn is_reset(self) -> bool {
        matches!(self, Event::UserPasswordReset | Event::AuthPasswordReset)
    }
}

struct Issued {
    event: Event,
    /// Lower-cased, for look-ups in any letter case.
    email: String,
    token: String,
}

pub struct Outbox {
    file: Option<(PathBuf, Mutex<File>)>,
    echo: bool,
    issued: Mutex<Vec<Issued>>,
}

impl Outbox {
    pub fn open(path: Option<&Path>, echo: bool) -> std::io::Result<Outbox> {
        let file = match path {
            Some(p) => {
                if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                Some((p.to_owned(), Mutex::new(crate::files::append_private(p)?)))
            }
            None => None,
        };
        Ok(Outbox {
            file,
            echo,
            issued: Mutex::new(Vec::new()),
        })
    }

    /// Records one event. A failed write is logged (without the token) and otherwise ignored:
    /// the real server's answer does not depend on mail delivery either.
    pub fn publish(&self, event: Event, email: &str, token: &str) {
        let line = serde_json::json!({
            "event": event.name(),
            "email": email,
            "token": token,
        })
        .to_string();
        if let Some((path, file)) = &self.file {
            let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = writeln!(f, "{line}").and_then(|()| f.flush()) {
                tracing::warn!(path = %path.display(), event = event.name(), error = %e,
                    "cannot write an event to the outbox");
            }
        }
        if self.echo {
            // Not println!: a closed stdout would panic inside the request handler.
            let _ = writeln!(std::io::stdout(), "{line}");
        }
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Issued {
                event,
                email: email.to_lowercase(),
                token: token.to_owned(),
            });
    }

    fn tokens(&self, email: &str, pick: impl Fn(Event) -> bool) -> Vec<String> {
        let email = email.to_lowercase();
        self.issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|i| i.email == email && pick(i.event))
            .map(|i| i.token.clone())
            .collect()
    }

    /// Password-reset tokens issued for `email` (any case), oldest first.
    pub fn reset_tokens_for(&self, email: &str) -> Vec<String> {
        self.tokens(email, Event::is_reset)
    }

    /// Invite tokens issued (created or resent) for `email` (any case), oldest first.
    pub fn invite_tokens_for(&self, email: &str) -> Vec<String> {
        self.tokens(email, |e| !e.is_reset())
    }
}

/// The newest password-reset token an outbox file holds for `email` (any case), reading the
/// file as `Outbox::publish` writes it; other events (invites) and lines that are not events
/// are skipped. `Ok(None)` when
/// the file has none (or does not exist yet).
pub fn newest_token(path: &Path, email: &str) -> std::io::Result<Option<String>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let email = email.to_lowercase();
    let mut newest = None;
    for line in BufReader::new(file).lines() {
        let line = line?;
        let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let field = |name: &str| event.get(name).and_then(serde_json::Value::as_str);
        let reset = [Event::UserPasswordReset, Event::AuthPasswordReset]
            .iter()
            .any(|e| field("event") == Some(e.name()));
        if reset
            && field("email").is_some_and(|e| e.to_lowercase() == email)
            && let Some(token) = field("token")
        {
            newest = Some(token.to_owned());
        }
    }
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_event_and_lookups_ignore_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.jsonl");
        let outbox = Outbox::open(Some(&path), false).unwrap();
        outbox.publish(Event::UserPasswordReset, "A@x.co", "t1");
        outbox.publish(Event::InviteCreated, "a@x.co", "i1");
        outbox.publish(Event::InviteResent, "a@x.co", "i2");
        assert_eq!(outbox.reset_tokens_for("a@X.co"), ["t1"]);
        assert_eq!(outbox.invite_tokens_for("A@x.co"), ["i1", "i2"]);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            lines[0],
            serde_json::json!({"event": "user.password_reset", "email": "A@x.co", "token": "t1"})
        );
        assert_eq!(lines[2]["event"], "invite.resent");
    }

    #[test]
    fn the_newest_reset_token_for_an_email_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.jsonl");
        assert_eq!(newest_token(&path, "a@b.co").unwrap(), None);
        let outbox = Outbox::open(Some(&path), false).unwrap();
        outbox.publish(Event::UserPasswordReset, "A@b.co", "first");
        outbox.publish(Event::UserPasswordReset, "other@b.co", "other");
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| writeln!(f, "not json"))
            .unwrap();
        outbox.publish(Event::AuthPasswordReset, "a@b.co", "second");
        outbox.publish(Event::InviteCreated, "a@b.co", "an-invite");
        assert_eq!(
            newest_token(&path, "a@B.co").unwrap().as_deref(),
            Some("second")
        );
        assert_eq!(newest_token(&path, "nobody@b.co").unwrap(), None);
    }
}
