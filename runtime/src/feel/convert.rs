//! Conversion between JSON and dsntk's FEEL values.
//!
//! Results follow what Camunda's connector runtime writes: whole numbers that fit an `i64` are
//! JSON integers, other numbers are doubles, dates are ISO dates, date-times carry their offset
//! (a zone id is reduced to its offset, a zero offset is `Z`), days-time durations look like
//! `java.time.Duration` (`PT26H30M`, never a day unit) and years-months durations like
//! `java.time.Period` (`P3Y9M`).

use dsntk_feel::context::FeelContext;
use dsntk_feel::values::Value;
use dsntk_feel::{FeelNumber, Name};
use serde_json::{Map, Number, Value as Json};

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// Converts a JSON object into a FEEL context.
pub(crate) fn context_from_json(object: &Map<String, Json>) -> FeelContext {
    let mut context = FeelContext::default();
    for (key, value) in object {
        context.set_entry(&Name::from(key.as_str()), value_from_json(value));
    }
    context
}

/// Converts a JSON value into a FEEL value.
pub(crate) fn value_from_json(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null(None),
        Json::Bool(flag) => Value::Boolean(*flag),
        Json::Number(number) => number_from_json(number),
        Json::String(text) => Value::String(text.clone()),
        Json::Array(items) => Value::List(items.iter().map(value_from_json).collect()),
        Json::Object(object) => Value::Context(context_from_json(object)),
    }
}

/// Converts a JSON number exactly: integers stay integers and a double keeps its shortest
/// decimal form, so `0.1` is exactly one tenth.
fn number_from_json(number: &Number) -> Value {
    if let Some(integer) = number.as_i64() {
        return Value::Number(FeelNumber::from(integer));
    }
    if let Some(integer) = number.as_u64() {
        return Value::Number(FeelNumber::from(integer));
    }

    match number.to_string().parse::<FeelNumber>() {
        Ok(parsed) => Value::Number(parsed),
        Err(_) => Value::Null(None),
    }
}

/// Converts a FEEL value into JSON; values without a JSON form (functions, ranges) become null.
pub(crate) fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Boolean(flag) => Json::Bool(*flag),
        Value::Number(number) => number_to_json(number),
        Value::String(text) => Json::String(text.clone()),
        Value::Date(date) => Json::String(date.to_string()),
        Value::DateTime(_) | Value::Time(_) => temporal_to_json(value),
        Value::DaysAndTimeDuration(duration) => Json::String(java_duration(duration.as_nanos())),
        Value::YearsAndMonthsDuration(duration) => Json::String(java_period(duration.as_months())),
        Value::List(items) => Json::Array(items.iter().map(value_to_json).collect()),
        Value::Context(context) => Json::Object(context_to_json(context)),
        _ => Json::Null,
    }
}

/// Converts a FEEL context into a JSON object.
pub(crate) fn context_to_json(context: &FeelContext) -> Map<String, Json> {
    context
        .iter()
        .map(|(name, value)| (name.to_string(), value_to_json(value)))
        .collect()
}

/// A whole number that fits an `i64` becomes a JSON integer, anything else a double.
fn number_to_json(number: &FeelNumber) -> Json {
    if number.is_integer()
        && let Ok(integer) = i64::try_from(number)
    {
        return Json::from(integer);
    }

    number
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Json::Null, Json::Number)
}

/// Writes a date-time or time in ISO form with its offset, or without one when it is local.
fn temporal_to_json(value: &Value) -> Json {
    let (text, offset) = match value {
        Value::DateTime(date_time) => (
            format!(
                "{}T{}",
                date_time.date(),
                iso_local_time(
                    date_time.hour(),
                    date_time.minute(),
                    date_time.second(),
                    date_time.time().nanos()
                )
            ),
            date_time.feel_time_offset(),
        ),
        Value::Time(time) => (
            iso_local_time(time.hour(), time.minute(), time.second(), time.nanos()),
            time.feel_time_offset(),
        ),
        _ => return Json::Null,
    };

    let suffix = offset.map(iso_offset).unwrap_or_default();
    Json::String(format!("{text}{suffix}"))
}

/// `HH:mm:ss` with as many fraction digits as needed.
pub(crate) fn iso_local_time(hour: u8, minute: u8, second: u8, nanos: u64) -> String {
    let fraction = fraction_digits(nanos);
    format!("{hour:02}:{minute:02}:{second:02}{fraction}")
}

/// `.nnn` for a non-zero nanosecond part, trailing zeros removed; empty for zero.
fn fraction_digits(nanos: u64) -> String {
    if nanos == 0 {
        return String::new();
    }
    let digits = format!("{nanos:09}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// An offset in seconds as `Z`, `+02:00` or `-03:30:15`.
pub(crate) fn iso_offset(offset: i32) -> String {
    if offset == 0 {
        return "Z".to_string();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let total = offset.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total % 3600 / 60, total % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}

/// Formats a duration given in nanoseconds like `java.time.Duration::toString`: hours,
/// minutes and seconds only, each part carrying its own sign.
pub(crate) fn java_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "PT0S".to_string();
    }

    let seconds = nanos.div_euclid(NANOS_PER_SECOND);
    let fraction = nanos.rem_euclid(NANOS_PER_SECOND);
    let effective = if seconds < 0 && fraction > 0 {
        seconds + 1
    } else {
        seconds
    };
    let hours = effective / 3600;
    let minutes = effective % 3600 / 60;
    let secs = effective % 60;

    let mut text = String::from("PT");
    if hours != 0 {
        text.push_str(&format!("{hours}H"));
    }
    if minutes != 0 {
        text.push_str(&format!("{minutes}M"));
    }
    if secs == 0 && fraction == 0 && text.len() > 2 {
        return text;
    }

    text.push_str(&java_duration_seconds(seconds, secs, fraction));
    text.push('S');
    text
}

/// The seconds part of [`java_duration`], with the fraction counted towards zero.
fn java_duration_seconds(seconds: i64, secs: i64, fraction: i64) -> String {
    if fraction == 0 {
        return secs.to_string();
    }

    let (whole, digits) = if seconds < 0 {
        let whole = if secs == 0 {
            "-0".to_string()
        } else {
            secs.to_string()
        };
        (whole, NANOS_PER_SECOND - fraction)
    } else {
        (secs.to_string(), fraction)
    };
    let digits = format!("{digits:09}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Formats a duration given in months like `java.time.Period::toString`.
pub(crate) fn java_period(months: i64) -> String {
    if months == 0 {
        return "P0D".to_string();
    }

    let (years, months) = (months / 12, months % 12);
    let mut text = String::from("P");
    if years != 0 {
        text.push_str(&format!("{years}Y"));
    }
    if months != 0 {
        text.push_str(&format!("{months}M"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(json: Json) -> Json {
        value_to_json(&value_from_json(&json))
    }

    #[test]
    fn json_values_survive_a_round_trip() {
        let json = json!({
            "a": [1, 2.5, 0.1, -7, null, true, "x"],
            "b": {"c d": {"e-f": 10.0}},
            "big": 18_446_744_073_709_551_615_u64,
        });
        let back = round_trip(json);
        assert_eq!(back["a"], json!([1, 2.5, 0.1, -7, null, true, "x"]));
        assert_eq!(back["b"], json!({"c d": {"e-f": 10}}));
        assert_eq!(back["big"], json!(18_446_744_073_709_551_615_f64));
    }

    #[test]
    fn whole_numbers_are_integers_and_others_doubles() {
        let whole: FeelNumber = "119.00".parse().unwrap();
        let fraction: FeelNumber = "11.90".parse().unwrap();
        assert_eq!(number_to_json(&whole), json!(119));
        assert_eq!(number_to_json(&fraction), json!(11.9));
    }

    #[test]
    fn durations_are_written_like_java() {
        let hour = 3600 * NANOS_PER_SECOND;
        assert_eq!(java_duration(0), "PT0S");
        assert_eq!(java_duration(30 * NANOS_PER_SECOND), "PT30S");
        assert_eq!(java_duration(24 * hour), "PT24H");
        assert_eq!(
            java_duration(26 * hour + 30 * 60 * NANOS_PER_SECOND),
            "PT26H30M"
        );
        assert_eq!(java_duration(1_500_000_000), "PT1.5S");
        assert_eq!(java_duration(-90 * NANOS_PER_SECOND), "PT-1M-30S");
        assert_eq!(java_duration(-500_000_000), "PT-0.5S");
        assert_eq!(java_duration(-1_500_000_000), "PT-1.5S");
    }

    #[test]
    fn periods_are_written_like_java() {
        assert_eq!(java_period(45), "P3Y9M");
        assert_eq!(java_period(24), "P2Y");
        assert_eq!(java_period(0), "P0D");
        assert_eq!(java_period(-14), "P-1Y-2M");
    }

    #[test]
    fn offsets_are_written_like_iso() {
        assert_eq!(iso_offset(0), "Z");
        assert_eq!(iso_offset(7200), "+02:00");
        assert_eq!(iso_offset(-12_600), "-03:30");
    }

    #[test]
    fn temporal_values_are_iso_strings() {
        let date_time = Value::try_from_xsd_date_time("2024-07-01T10:00:00@Europe/Berlin").unwrap();
        let utc = Value::try_from_xsd_date_time("2024-03-20T09:31:31.939Z").unwrap();
        let local = Value::try_from_xsd_date_time("2024-03-20T09:31:31").unwrap();
        let date = Value::try_from_xsd_date("2024-02-19").unwrap();
        assert_eq!(
            value_to_json(&date_time),
            json!("2024-07-01T10:00:00+02:00")
        );
        assert_eq!(value_to_json(&utc), json!("2024-03-20T09:31:31.939Z"));
        assert_eq!(value_to_json(&local), json!("2024-03-20T09:31:31"));
        assert_eq!(value_to_json(&date), json!("2024-02-19"));
    }
}
