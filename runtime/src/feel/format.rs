//! Camunda's `string()` formats.
//!
//! They differ from the JSON forms: numbers keep their decimal scale (`119.00`), durations use
//! days (`P1DT2H30M`), zoned date-times name their zone (`2024-07-01T10:00:00@Europe/Berlin`),
//! and lists and contexts show their items, strings in quotes (`["A", "B"]`).

use dsntk_feel::FeelNumber;
use dsntk_feel::values::Value;

/// The text `string(value)` gives, or `None` where Camunda gives null.
pub(crate) fn to_feel_string(value: &Value) -> Option<String> {
    match value {
        Value::Null(_) => None,
        Value::String(text) => Some(text.clone()),
        other => nested(other),
    }
}

/// The text of a value inside a list or context: strings are quoted there.
fn nested(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null(_) => "null".to_string(),
        Value::String(text) => format!("\"{}\"", text.replace('"', "\\\"")),
        Value::Boolean(flag) => flag.to_string(),
        Value::Number(number) => plain_number(number),
        Value::Date(date) => date.to_string(),
        Value::Time(time) => time.to_string(),
        Value::DateTime(date_time) => date_time.to_string(),
        Value::DaysAndTimeDuration(duration) => duration.to_string(),
        Value::YearsAndMonthsDuration(duration) => duration.to_string(),
        Value::List(items) => list(items)?,
        Value::Context(context) => {
            let entries = context
                .iter()
                .map(|(name, value)| Some(format!("{name}:{}", nested(value)?)))
                .collect::<Option<Vec<_>>>()?;
            format!("{{{}}}", entries.join(", "))
        }
        _ => return None,
    };
    Some(text)
}

fn list(items: &[Value]) -> Option<String> {
    let items = items.iter().map(nested).collect::<Option<Vec<_>>>()?;
    Some(format!("[{}]", items.join(", ")))
}

/// A number in plain notation that keeps its decimal scale: `119.00`, `-0.5`, `1200`.
pub(crate) fn plain_number(number: &FeelNumber) -> String {
    // dsntk's `Debug` shows the exact decimal: sign, coefficient, `E`, exponent (`+11900E-2`).
    let exact = format!("{number:?}");
    let Some((mantissa, exponent)) = exact.split_once('E') else {
        return number.to_string();
    };
    let Ok(exponent) = exponent.parse::<i64>() else {
        return number.to_string();
    };

    let negative = mantissa.starts_with('-');
    let digits = mantissa.trim_start_matches(['+', '-']);
    let plain = shift_decimal_point(digits, exponent);
    if negative { format!("-{plain}") } else { plain }
}

/// Places the decimal point `exponent` digits from the right end of `digits`.
fn shift_decimal_point(digits: &str, exponent: i64) -> String {
    let Ok(scale) = usize::try_from(-exponent) else {
        let zeros = usize::try_from(exponent).unwrap_or_default();
        return format!("{digits}{}", "0".repeat(zeros));
    };
    if scale == 0 {
        return digits.to_string();
    }

    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits.to_string()
    };
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> FeelNumber {
        text.parse().unwrap()
    }

    #[test]
    fn numbers_keep_their_scale() {
        assert_eq!(plain_number(&number("119.00")), "119.00");
        assert_eq!(plain_number(&(number("100") * number("1.19"))), "119.00");
        assert_eq!(plain_number(&number("-0.05")), "-0.05");
        assert_eq!(plain_number(&number("12345")), "12345");
        assert_eq!(plain_number(&number("1.2e3")), "1200");
    }

    #[test]
    fn lists_quote_their_strings() {
        let list = Value::List(vec![
            Value::String("A".into()),
            Value::String("B".into()),
            Value::Null(None),
            Value::Number(number("1.50")),
        ]);
        assert_eq!(to_feel_string(&list).unwrap(), r#"["A", "B", null, 1.50]"#);
    }

    #[test]
    fn null_has_no_string() {
        assert_eq!(to_feel_string(&Value::Null(None)), None);
    }

    #[test]
    fn temporal_values_use_feel_forms() {
        let zoned = Value::try_from_xsd_date_time("2024-07-01T10:00:00@Europe/Berlin").unwrap();
        let duration = Value::try_from_xsd_duration("PT26H30M").unwrap();
        assert_eq!(
            to_feel_string(&zoned).unwrap(),
            "2024-07-01T10:00:00@Europe/Berlin"
        );
        assert_eq!(to_feel_string(&duration).unwrap(), "P1DT2H30M");
    }
}
