//! Dates the way JavaScript's `new Date(string)` reads them, for the date filters of both
//! dialects' lists.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::store::js_timestamp;

/// What `new Date(string)` accepts in practice: RFC 3339, and ISO dates or date-times without
/// an offset (taken as UTC). The result in the stored timestamp format.
pub fn parse_js_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339) {
        return in_range(t);
    }
    let (date_part, time_part) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut it = date_part.split('-');
    let year: i32 = it.next()?.parse().ok()?;
    let month: u8 = it.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u8 = it.next().map_or(Some(1), |d| d.parse().ok())?;
    if it.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let time = match time_part {
        None => Time::MIDNIGHT,
        Some(t) => {
            let t = t.strip_suffix(['Z', 'z']).unwrap_or(t);
            let (hms, millis) = match t.split_once('.') {
                Some((hms, frac)) => {
                    let digits: String = frac.chars().take(3).collect();
                    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    (hms, format!("{digits:0<3}").parse::<u16>().ok()?)
                }
                None => (t, 0),
            };
            let mut parts = hms.split(':');
            let h: u8 = parts.next()?.parse().ok()?;
            let m: u8 = parts.next()?.parse().ok()?;
            let sec: u8 = parts.next().map_or(Some(0), |x| x.parse().ok())?;
            if parts.next().is_some() {
                return None;
            }
            Time::from_hms_milli(h, m, sec, millis).ok()?
        }
    };
    in_range(PrimitiveDateTime::new(date, time).assume_utc())
}

/// Stored timestamps compare as text, which works for four-digit years.
fn in_range(t: OffsetDateTime) -> Option<String> {
    let t = t.to_offset(time::UtcOffset::UTC);
    (0..=9999).contains(&t.year()).then(|| js_timestamp(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_like_new_date() {
        for (input, out) in [
            ("2000-01-01", "2000-01-01T00:00:00.000Z"),
            ("2026-11-27T10:23:06.471Z", "2026-11-27T10:23:06.471Z"),
            ("2026-11-27T12:23:06+02:00", "2026-11-27T10:23:06.000Z"),
            ("2026-11-27 10:23", "2026-11-27T10:23:00.000Z"),
            ("2026-11", "2026-11-01T00:00:00.000Z"),
        ] {
            assert_eq!(parse_js_date(input).as_deref(), Some(out), "{input}");
        }
        for bad in ["soon", "2026-13-01", "2026-02-30", "", "12:00"] {
            assert_eq!(parse_js_date(bad), None, "{bad}");
        }
    }
}
