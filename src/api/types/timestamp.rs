//! Timestamps as the server wrote them, and how far away one is (`in 5 min`, `3 h ago`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A timestamp exactly as the server wrote it (`2026-11-27T10:23:06.471Z`). Kept as text so that
/// `--json` output round-trips byte for byte; [`Timestamp::parsed`] gives a real date for display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Timestamp(pub String);

impl Timestamp {
    pub fn parsed(&self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339).ok()
    }

    /// `2026-11-27 10:23` (UTC), or the raw text when it is not RFC 3339.
    pub fn short(&self) -> String {
        match self.parsed() {
            Some(t) => {
                let t = t.to_offset(time::UtcOffset::UTC);
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    t.year(),
                    u8::from(t.month()),
                    t.day(),
                    t.hour(),
                    t.minute()
                )
            }
            None => self.0.clone(),
        }
    }

    /// `in 23 h (2026-11-28 10:22)` or `2 d ago (…)`; the raw text when it is not a date.
    /// Shared by the CLI's tables and the TUI, so both say an expiry the same way.
    pub fn when(&self, now: time::OffsetDateTime) -> String {
        match self.parsed() {
            Some(at) => format!("{} ({})", relative(at, now), self.short()),
            None => self.0.clone(),
        }
    }

    /// `in 23 h` / `2 d ago` alone (narrow tables); the raw text when it is not a date.
    pub fn relative_to(&self, now: time::OffsetDateTime) -> String {
        match self.parsed() {
            Some(at) => relative(at, now),
            None => self.0.clone(),
        }
    }
}

/// Writes a record's `created_at`, `updated_at` and `deleted_at` (`times`, in that order).
/// Users and invites, in both dialects, send their three times together in this order, so their
/// `--json` serialisers write them with this one helper.
pub(crate) fn serialize_times<M: serde::ser::SerializeMap>(
    map: &mut M,
    times: (&Timestamp, &Timestamp, &Option<Timestamp>),
) -> Result<(), M::Error> {
    let (created_at, updated_at, deleted_at) = times;
    map.serialize_entry("created_at", created_at)?;
    map.serialize_entry("updated_at", updated_at)?;
    map.serialize_entry("deleted_at", deleted_at)
}

/// `in 5 min`, `in 23 h`, `in 6 d`, `3 h ago`, `just now`: the largest unit that is at least 1, rounded
/// down (23 h 59 min is `in 23 h`: it is not a day yet); hours up to two days, since "in 1 d"
/// would hide whether it is 24 or 47 hours.
pub fn relative(at: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let secs = (at - now).whole_seconds();
    let abs = secs.unsigned_abs();
    // A moment either way (a clock a second ahead of ours included) is "now", never "in 0 s".
    if abs < 5 {
        return "just now".to_owned();
    }
    let (n, unit) = match abs {
        0..60 => (abs, "s"),
        60..3600 => (abs / 60, "min"),
        3600..172_800 => (abs / 3600, "h"),
        _ => (abs / 86_400, "d"),
    };
    if secs >= 0 {
        format!("in {n} {unit}")
    } else {
        format!("{n} {unit} ago")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_short_form() {
        let t = Timestamp("2026-11-27T10:23:06.471Z".into());
        assert_eq!(t.short(), "2026-11-27 10:23");
        assert_eq!(Timestamp("yesterday".into()).short(), "yesterday");
    }
}
