//! Remembered logins: after an e-mail/password login, the JWT (valid 24 h on Medusa v1) is kept
//! per backend URL so the next start needs no password. The file is created 0600, written
//! atomically, and ignored (with a warning) if anyone but its owner can read it. Changes are
//! made under a lock (`sessions.json.lock` beside it), so two logins at once, from two
//! terminals or a login in the TUI and one in a script, both end up in the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
struct SessionsFile {
    #[serde(default)]
    sessions: BTreeMap<String, SavedSession>,
}

#[derive(custom_debug::Debug, Clone, Serialize, Deserialize)]
pub struct SavedSession {
    pub email: String,
    #[debug(with = crate::secret::redacted)]
    token: String,
    /// Which Medusa the backend turned out to be, so the next start need not ask it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<crate::api::Dialect>,
}

impl SavedSession {
    pub fn token(&self) -> SecretString {
        SecretString::from(self.token.clone())
    }
}

#[derive(Debug, Clone)]
pub struct SessionStore {
    path: PathBuf,
}

impl SessionStore {
    pub fn new(path: PathBuf) -> Self {
        SessionStore { path }
    }

    /// `sessions.json` in the user's config directory (`MEDUSA_USERS_SESSIONS` overrides it).
    pub fn default_location() -> Option<Self> {
        if let Some(path) = std::env::var_os("MEDUSA_USERS_SESSIONS") {
            return Some(SessionStore::new(PathBuf::from(path)));
        }
        crate::files::config_dir().map(|dir| SessionStore::new(dir.join("sessions.json")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read(&self) -> Result<SessionsFile, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SessionsFile::default());
            }
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.path)
                .map(|m| m.permissions().mode())
                .unwrap_or(0);
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{} is readable by other users (mode {:o}); not using it. Fix with: chmod 600 {}",
                    self.path.display(),
                    mode & 0o777,
                    self.path.display()
                ));
            }
        }
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid: {e}", self.path.display()))
    }

    fn write(&self, file: &SessionsFile) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(file).map_err(|e| e.to_string())?;
        crate::files::write_private(&self.path, &text)
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))
    }

    /// The saved session for a backend, if any.
    pub fn load(&self, base_url: &str) -> Result<Option<SavedSession>, String> {
        Ok(self.read()?.sessions.get(&key(base_url)).cloned())
    }

    /// Holds the sessions file's lock for a read-modify-write.
    fn lock(&self) -> Result<crate::files::Lock, String> {
        crate::files::Lock::exclusive(&self.path)
            .map_err(|e| format!("cannot lock {}: {e}", self.path.display()))
    }

    /// Remembers a login for a backend, with the dialect it speaks when that is known.
    pub fn save(
        &self,
        base_url: &str,
        email: &str,
        token: &SecretString,
        dialect: Option<crate::api::Dialect>,
    ) -> Result<(), String> {
        let _lock = self.lock()?;
        // A damaged or too-open file is replaced rather than merged.
        let mut file = self.read().unwrap_or_default();
        file.sessions.insert(
            key(base_url),
            SavedSession {
                email: email.to_owned(),
                token: token.expose_secret().to_owned(),
                dialect,
            },
        );
        self.write(&file)
    }

    /// Forgets the session for a backend; true when there was one.
    pub fn forget(&self, base_url: &str) -> Result<bool, String> {
        let _lock = self.lock()?;
        let mut file = self.read().unwrap_or_default();
        let had = file.sessions.remove(&key(base_url)).is_some();
        if had {
            self.write(&file)?;
        }
        Ok(had)
    }
}

/// Sessions are keyed by the URL without a trailing slash, so `…:9000` and `…:9000/` match.
fn key(base_url: &str) -> String {
    base_url.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_forgets_per_backend_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path().join("cfg/sessions.json"));
        assert!(store.load("http://a:9000").unwrap().is_none());
        store
            .save(
                "http://a:9000/",
                "ops@example.com",
                &SecretString::from("jwt-a"),
                Some(crate::api::Dialect::V2),
            )
            .unwrap();
        store
            .save(
                "http://b:9000",
                "dev@example.com",
                &SecretString::from("jwt-b"),
                None,
            )
            .unwrap();
        let a = store.load("http://a:9000").unwrap().unwrap();
        assert_eq!(a.email, "ops@example.com");
        assert_eq!(a.token().expose_secret(), "jwt-a");
        assert_eq!(
            a.dialect,
            Some(crate::api::Dialect::V2),
            "the dialect is remembered"
        );
        assert_eq!(store.load("http://b:9000").unwrap().unwrap().dialect, None);
        assert!(!format!("{a:?}").contains("jwt-a"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(store.forget("http://a:9000").unwrap());
        assert!(!store.forget("http://a:9000").unwrap());
        assert!(store.load("http://a:9000").unwrap().is_none());
        assert!(store.load("http://b:9000").unwrap().is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_not_trusted() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = SessionStore::new(dir.path().join("sessions.json"));
        store
            .save("http://a", "x@example.com", &SecretString::from("t"), None)
            .unwrap();
        std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.load("http://a").unwrap_err();
        assert!(err.contains("readable by other users"), "{err}");
        // Saving again replaces it with a private file.
        store
            .save("http://a", "x@example.com", &SecretString::from("t2"), None)
            .unwrap();
        assert_eq!(
            store
                .load("http://a")
                .unwrap()
                .unwrap()
                .token()
                .expose_secret(),
            "t2"
        );
    }

    #[test]
    fn simultaneous_saves_all_end_up_in_the_file() {
        // Without the lock, each writer read the file before the others wrote and put back only
        // its own entry: the last rename won and the other logins were lost.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/sessions.json");
        let n = 24;
        std::thread::scope(|s| {
            for i in 0..n {
                let path = path.clone();
                s.spawn(move || {
                    // A store per thread, as two processes would each have.
                    SessionStore::new(path)
                        .save(
                            &format!("http://backend-{i}:9000"),
                            &format!("ops{i}@example.com"),
                            &SecretString::from(format!("jwt-{i}")),
                            None,
                        )
                        .unwrap();
                });
            }
        });
        let store = SessionStore::new(path.clone());
        for i in 0..n {
            let saved = store
                .load(&format!("http://backend-{i}:9000"))
                .unwrap()
                .unwrap_or_else(|| panic!("backend {i} was lost"));
            assert_eq!(saved.token().expose_secret(), format!("jwt-{i}"));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for name in ["sessions.json", "sessions.json.lock"] {
                let mode = std::fs::metadata(dir.path().join("cfg").join(name))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
        }
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("cfg"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["sessions.json", "sessions.json.lock"],
            "no temporary files left"
        );
    }
}
