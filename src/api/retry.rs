//! When to try a request again, and how long to wait first.
//!
//! The rules, from the foundation issue: retry what is safe. A connection that failed before the
//! request was sent is always safe to retry. 409, 429 and 502/503/504 mean the server (or a proxy
//! in front of it) did not complete the work, so they are retried too. A timeout or a connection
//! lost *after* sending leaves the outcome unknown: only idempotent requests (GET, DELETE) are
//! retried then; a create reconciles first (see `Client::create`).

use std::time::Duration;

/// Exponential backoff with jitter: attempt `n` (0-based) waits a random time in
/// `[d/2, d]` where `d = min(max, base * 2^n)`. The jitter spreads out clients that failed
/// together, so they do not all come back at the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(250),
            max: Duration::from_secs(8),
        }
    }
}

impl Backoff {
    /// The ceiling of the wait before retry number `attempt` (0 = the first retry).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The actual wait: jittered within `[ceiling/2, ceiling]`.
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos < 2 {
            return ceiling;
        }
        Duration::from_nanos(rand::random_range(nanos / 2..=nanos))
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptFailure {
    /// The connection could not be made: the request never left.
    ConnectFailed,
    /// No answer in time, after the request may have been sent.
    TimedOut,
    /// The connection broke after the request may have been sent.
    ConnectionLost,
    /// The server answered with this status.
    Status(u16),
    /// The client refused to send it (read-only mode).
    Refused,
}

impl AttemptFailure {
    /// Whether the server certainly did not act on the request (so even a create may be sent
    /// again without looking first).
    pub fn request_not_processed(self) -> bool {
        matches!(
            self,
            AttemptFailure::ConnectFailed
                | AttemptFailure::Refused
                | AttemptFailure::Status(409 | 429 | 503)
        )
    }

    /// Whether to try again, given whether the request is idempotent.
    pub fn is_retriable(self, idempotent: bool) -> bool {
        match self {
            AttemptFailure::ConnectFailed => true,
            AttemptFailure::Status(409 | 429 | 502 | 503 | 504) => true,
            AttemptFailure::Status(_) | AttemptFailure::Refused => false,
            AttemptFailure::TimedOut | AttemptFailure::ConnectionLost => idempotent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_then_caps() {
        let b = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        assert_eq!(b.ceiling(0), Duration::from_millis(100));
        assert_eq!(b.ceiling(1), Duration::from_millis(200));
        assert_eq!(b.ceiling(3), Duration::from_millis(800));
        assert_eq!(b.ceiling(4), Duration::from_secs(1));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn delay_is_jittered_within_half_to_full_ceiling() {
        let b = Backoff::default();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let d = b.delay(2);
            assert!(d >= b.ceiling(2) / 2 && d <= b.ceiling(2), "{d:?}");
            seen.insert(d);
        }
        assert!(
            seen.len() > 100,
            "jitter should vary: {} distinct",
            seen.len()
        );
    }

    #[test]
    fn retry_rules() {
        use AttemptFailure::*;
        assert!(ConnectFailed.is_retriable(false));
        for s in [409, 429, 502, 503, 504] {
            assert!(Status(s).is_retriable(false), "{s}");
        }
        for s in [400, 401, 404, 500] {
            assert!(!Status(s).is_retriable(true), "{s}");
        }
        assert!(TimedOut.is_retriable(true));
        assert!(!TimedOut.is_retriable(false));
        assert!(!ConnectionLost.is_retriable(false));
        assert!(ConnectFailed.request_not_processed());
        assert!(!Status(504).request_not_processed());
        assert!(!TimedOut.request_not_processed());
    }
}
