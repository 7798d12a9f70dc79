//! Moving a date-time to another time zone, which dsntk does not offer.
//!
//! dsntk knows the offset of a zone only for a given local date-time, so the local time of an
//! instant in the target zone is found by trying the offsets the zone has around that instant
//! and keeping the one that is consistent with the local time it gives.

use dsntk_feel::values::Value;
use jiff::SignedDuration;
use jiff::civil::DateTime;

const DAY_SECONDS: i64 = 24 * 3600;

/// `date_time` at the same instant in the zone `zone` (an IANA id such as `Europe/Berlin`).
///
/// A local date-time has no instant, so it keeps its clock time and gets the zone. Returns
/// `None` when `date_time` is not a date-time or the zone is unknown.
pub(crate) fn in_zone(date_time: &Value, zone: &str) -> Option<Value> {
    let Value::DateTime(date_time) = date_time else {
        return None;
    };
    let local = DateTime::new(
        i16::try_from(date_time.year()).ok()?,
        i8::try_from(date_time.month()).ok()?,
        i8::try_from(date_time.day()).ok()?,
        i8::try_from(date_time.hour()).ok()?,
        i8::try_from(date_time.minute()).ok()?,
        i8::try_from(date_time.second()).ok()?,
        i32::try_from(date_time.time().nanos()).ok()?,
    )
    .ok()?;

    let target = match date_time.feel_time_offset() {
        Some(offset) => local_time_of_instant(shift(local, -i64::from(offset))?, zone)?,
        None => local,
    };

    zoned(target, zone).ok()
}

/// The local date-time in `zone` of the instant whose UTC date-time is `utc`.
///
/// The zone's offset at that instant is one of the offsets the zone has around it; the right
/// one is the offset that the resulting local time itself has.
fn local_time_of_instant(utc: DateTime, zone: &str) -> Option<DateTime> {
    let candidates = [0, -DAY_SECONDS, DAY_SECONDS]
        .into_iter()
        .filter_map(|delta| zone_offset(shift(utc, delta)?, zone));

    for offset in candidates {
        let local = shift(utc, i64::from(offset))?;
        if zone_offset(local, zone) == Some(offset) {
            return Some(local);
        }
    }
    None
}

fn shift(date_time: DateTime, seconds: i64) -> Option<DateTime> {
    date_time
        .checked_add(SignedDuration::from_secs(seconds))
        .ok()
}

/// The offset in seconds of `zone` at the local date-time `local`.
fn zone_offset(local: DateTime, zone: &str) -> Option<i32> {
    match zoned(local, zone).ok()? {
        Value::DateTime(date_time) => date_time.feel_time_offset(),
        _ => None,
    }
}

fn zoned(local: DateTime, zone: &str) -> Result<Value, impl std::fmt::Display> {
    Value::try_from_xsd_date_time(&format!("{local}@{zone}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_time(text: &str) -> Value {
        Value::try_from_xsd_date_time(text).unwrap()
    }

    fn moved(from: &str, zone: &str) -> String {
        in_zone(&date_time(from), zone).unwrap().to_string()
    }

    #[test]
    fn keeps_the_instant() {
        assert_eq!(
            moved("2024-07-01T08:00:00Z", "Europe/Berlin"),
            "2024-07-01T10:00:00@Europe/Berlin"
        );
        assert_eq!(
            moved("2024-01-01T08:00:00+01:00", "America/New_York"),
            "2024-01-01T02:00:00@America/New_York"
        );
        assert_eq!(
            moved("2024-03-31T00:30:00Z", "Europe/Berlin"),
            "2024-03-31T01:30:00@Europe/Berlin"
        );
        assert_eq!(
            moved("2024-03-31T01:30:00Z", "Europe/Berlin"),
            "2024-03-31T03:30:00@Europe/Berlin"
        );
    }

    #[test]
    fn local_date_times_keep_their_clock_time() {
        assert_eq!(
            moved("2024-07-01T08:00:00", "Europe/Berlin"),
            "2024-07-01T08:00:00@Europe/Berlin"
        );
    }

    #[test]
    fn unknown_zones_give_none() {
        assert!(in_zone(&date_time("2024-07-01T08:00:00Z"), "Mars/Olympus").is_none());
    }
}
