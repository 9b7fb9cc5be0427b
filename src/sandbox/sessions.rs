//! Cookie sessions, shaped like express-session's: `connect.sid=s%3A<id>.<signature>`, where the
//! signature is HMAC-SHA256 of the id (base64, no padding) under a secret. Like a Medusa with
//! no Redis, sessions live in process memory: a restart logs every cookie user out (JWTs and API
//! tokens survive). What a session holds is the dialect's business: v1 keeps the user id, v2 the
//! auth context (the login JWT's claims, as JSON).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::query::percent_decode;

pub const COOKIE_NAME: &str = "connect.sid";
/// Medusa v1's session cookie lifetime.
pub const SESSION_TTL: Duration = Duration::from_secs(10 * 60 * 60);

#[derive(Debug, Clone)]
struct Session {
    subject: String,
    expires: Instant,
}

/// A session found from a request's cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    pub sid: String,
    pub subject: String,
}

pub struct Sessions {
    secret: [u8; 32],
    map: Mutex<HashMap<String, Session>>,
}

impl Default for Sessions {
    fn default() -> Self {
        Self::new()
    }
}

impl Sessions {
    pub fn new() -> Self {
        let mut secret = [0u8; 32];
        rand::fill(&mut secret[..]);
        Sessions {
            secret,
            map: Mutex::new(HashMap::new()),
        }
    }

    // HMAC takes a key of any length: the expect states an invariant, not a data check.
    #[allow(clippy::expect_used)]
    fn sign(&self, sid: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret)
            .expect("HMAC accepts keys of any length");
        mac.update(sid.as_bytes());
        STANDARD_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock cannot leave the map half-updated (every operation
        // is a single insert or remove), so a poisoned lock is still usable.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a session holding `subject`; the `Set-Cookie` header value.
    pub fn create(&self, subject: &str) -> String {
        let mut raw = [0u8; 24];
        rand::fill(&mut raw[..]);
        let sid = URL_SAFE_NO_PAD.encode(raw);
        let now = Instant::now();
        {
            let mut map = self.lock();
            map.retain(|_, s| s.expires > now);
            map.insert(
                sid.clone(),
                Session {
                    subject: subject.to_owned(),
                    expires: now + SESSION_TTL,
                },
            );
        }
        let value = encode_uri_component(&format!("s:{sid}.{}", self.sign(&sid)));
        let expires = time::OffsetDateTime::now_utc() + SESSION_TTL;
        format!(
            "{COOKIE_NAME}={value}; Path=/; Expires={}; HttpOnly",
            http_date(expires)
        )
    }

    /// The live session named by a request's `Cookie` headers (several are read as one), if
    /// its signature checks out: the session strategy both dialects try first.
    pub fn find_in_headers(&self, headers: &HeaderMap) -> Option<SessionRef> {
        let cookies: Vec<&str> = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if cookies.is_empty() {
            return None;
        }
        self.find(&cookies.join("; "))
    }

    /// The live session named by a `Cookie` header, if its signature checks out.
    pub fn find(&self, cookie_header: &str) -> Option<SessionRef> {
        let raw = cookie_header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name.trim() == COOKIE_NAME).then_some(value.trim())
        })?;
        let decoded = percent_decode(raw.trim_matches('"'))?;
        let signed = decoded.strip_prefix("s:")?;
        let (sid, signature) = signed.rsplit_once('.')?;
        // Compare as HMAC tags in constant time, not as strings.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret).ok()?;
        mac.update(sid.as_bytes());
        mac.verify_slice(&STANDARD_NO_PAD.decode(signature).ok()?)
            .ok()?;
        let now = Instant::now();
        let mut map = self.lock();
        match map.get(sid) {
            Some(s) if s.expires > now => Some(SessionRef {
                sid: sid.to_owned(),
                subject: s.subject.clone(),
            }),
            Some(_) => {
                map.remove(sid);
                None
            }
            None => None,
        }
    }

    pub fn destroy(&self, sid: &str) {
        self.lock().remove(sid);
    }
}

/// The `Set-Cookie` value of Express's `res.clearCookie` for the session cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
}

/// JavaScript's `encodeURIComponent`.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `Fri, 27 Nov 2026 20:23:02 GMT`
pub fn http_date(t: time::OffsetDateTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[usize::from(t.weekday().number_days_from_monday())],
        t.day(),
        MONTHS[usize::from(u8::from(t.month()) - 1)],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie_of(set_cookie: &str) -> String {
        set_cookie.split(';').next().unwrap().to_owned()
    }

    #[test]
    fn cookie_round_trips_and_is_express_shaped() {
        let s = Sessions::new();
        let set = s.create("usr_1");
        assert!(set.starts_with("connect.sid=s%3A"), "{set}");
        assert!(set.ends_with("; HttpOnly"));
        assert!(set.contains("; Path=/; Expires="));
        let found = s.find(&format!("other=1; {}", cookie_of(&set))).unwrap();
        assert_eq!(found.subject, "usr_1");
        s.destroy(&found.sid);
        assert_eq!(s.find(&cookie_of(&set)), None);
    }

    #[test]
    fn forged_or_foreign_cookies_are_ignored() {
        let a = Sessions::new();
        let b = Sessions::new();
        let set = a.create("usr_1");
        assert_eq!(b.find(&cookie_of(&set)), None, "another secret");
        let tampered = cookie_of(&set).replace("s%3A", "s%3AX");
        assert_eq!(a.find(&tampered), None);
        assert_eq!(a.find("connect.sid=garbage"), None);
        assert_eq!(a.find(""), None);
    }

    #[test]
    fn http_date_format() {
        let t = time::macros::datetime!(2026-11-27 20:23:02 UTC);
        assert_eq!(http_date(t), "Fri, 27 Nov 2026 20:23:02 GMT");
    }
}
