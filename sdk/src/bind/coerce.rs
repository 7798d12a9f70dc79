//! The scalar conversions of the coercion policy (see the module documentation of
//! [`crate::bind`]), each pure and without access to the value's path.

use std::fmt;
use std::num::IntErrorKind;

use serde_json::{Number, Value};

use super::error::Found;

/// An integer type a field may have, with the range used in error messages.
pub(crate) trait Int: Copy + fmt::Display + TryFrom<i128> {
    const MIN: Self;
    const MAX: Self;
}

macro_rules! int {
    ($($ty:ty),*) => {
        $(impl Int for $ty {
            const MIN: Self = <$ty>::MIN;
            const MAX: Self = <$ty>::MAX;
        })*
    };
}

int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128);

/// 2^127: floats at or beyond it do not fit an `i128`.
const I128_LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;

/// A JSON number as an exact integer: integral floats (`3.0`) count, fractions do not.
pub(crate) fn int_from_number(n: &Number) -> Result<i128, Found> {
    if let Some(u) = n.as_u64() {
        Ok(i128::from(u))
    } else if let Some(i) = n.as_i64() {
        Ok(i128::from(i))
    } else {
        n.as_f64().map_or(Err(Found::Number), int_from_float)
    }
}

/// A string holding an integer (`"3"`, `" -3 "`, `"3.0"`, `"1e3"`) as an exact integer.
pub(crate) fn int_from_str(s: &str) -> Result<i128, Found> {
    let text = s.trim();
    if text.is_empty() {
        return Err(Found::EmptyString);
    }

    match text.parse::<i128>() {
        Ok(i) => Ok(i),
        Err(err)
            if matches!(
                err.kind(),
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
            ) =>
        {
            Err(Found::OutOfRange)
        }
        Err(_) => float_from_str(text).and_then(int_from_float),
    }
}

fn int_from_float(f: f64) -> Result<i128, Found> {
    if !f.is_finite() {
        return Err(Found::NotNumeric);
    }
    if f.fract() != 0.0 {
        return Err(Found::Fraction);
    }
    if f.abs() >= I128_LIMIT {
        return Err(Found::OutOfRange);
    }
    // Exact: `f` is integral and within the range of i128.
    #[allow(clippy::cast_possible_truncation)]
    Ok(f as i128)
}

/// Narrows an exact integer to the field's type, never wrapping.
pub(crate) fn narrow<T: Int>(i: i128) -> Result<T, Found> {
    T::try_from(i).map_err(|_| Found::OutOfRange)
}

/// A string holding a finite decimal number (`"1.5"`, `"-2e3"`); `inf` and `NaN` are not numbers.
pub(crate) fn float_from_str(s: &str) -> Result<f64, Found> {
    let text = s.trim();
    if text.is_empty() {
        return Err(Found::EmptyString);
    }
    let numeric = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !numeric {
        return Err(Found::NotNumeric);
    }

    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        Ok(_) => Err(Found::OutOfRange),
        Err(_) => Err(Found::NotNumeric),
    }
}

/// Narrows a float to `f32`; finite values beyond its range are rejected, not made infinite.
pub(crate) fn to_f32(f: f64) -> Result<f32, Found> {
    if f.abs() > f64::from(f32::MAX) {
        return Err(Found::OutOfRange);
    }
    // Rounds to the nearest f32, which is what a 32-bit float field means.
    #[allow(clippy::cast_possible_truncation)]
    Ok(f as f32)
}

/// `"true"` / `"false"` in any letter case, surrounding whitespace ignored.
pub(crate) fn bool_from_str(s: &str) -> Result<bool, Found> {
    let text = s.trim();
    if text.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if text.eq_ignore_ascii_case("false") {
        Ok(false)
    } else if text.is_empty() {
        Err(Found::EmptyString)
    } else {
        Err(Found::NotBoolean)
    }
}

/// A number as text: integral values as canonical integer text (`1234.0` → `1234`, never an
/// exponent), other values as the shortest decimal text that reads back as the same float.
pub(crate) fn number_text(n: &Number) -> String {
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    match n.as_f64() {
        // `-0.0` is the integer zero. Otherwise Rust's `Display` for floats prints the
        // shortest round-trip digits, without an exponent and without a trailing `.0` for
        // integral values.
        Some(f) => {
            if f == 0.0 {
                "0".to_owned()
            } else {
                f.to_string()
            }
        }
        None => n.to_string(),
    }
}

/// The outcome of reading a string as the JSON text of an object or array.
pub(crate) enum JsonText {
    /// It parsed, and is of the kind asked for.
    Parsed(Value),
    /// It does not start like that kind of JSON at all.
    NotJson,
    /// It starts like it but does not parse, or parses to another kind.
    Invalid(Found),
}

/// Reads `s` as the JSON text of an object (`open` = `{`) or an array (`open` = `[`).
pub(crate) fn json_text(s: &str, open: char) -> JsonText {
    if !s.trim_start().starts_with(open) {
        return JsonText::NotJson;
    }
    match serde_json::from_str::<Value>(s) {
        Ok(value @ Value::Object(_)) if open == '{' => JsonText::Parsed(value),
        Ok(value @ Value::Array(_)) if open == '[' => JsonText::Parsed(value),
        Ok(_) => JsonText::NotJson,
        Err(err) => JsonText::Invalid(Found::InvalidJson {
            line: err.line(),
            column: err.column(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn integral_numbers_print_as_integers() {
        assert_eq!(number_text(&num("1234")), "1234");
        assert_eq!(number_text(&num("1234.0")), "1234");
        assert_eq!(number_text(&num("-0.0")), "0");
        assert_eq!(number_text(&num("1e21")), "1000000000000000000000");
        assert_eq!(number_text(&num("0.1")), "0.1");
        assert_eq!(number_text(&num("1.5e-7")), "0.00000015");
        assert_eq!(
            number_text(&num("-9223372036854775808")),
            "-9223372036854775808"
        );
    }

    #[test]
    fn integers_never_wrap() {
        assert_eq!(
            int_from_str("18446744073709551616").and_then(narrow::<u64>),
            Err(Found::OutOfRange)
        );
        assert_eq!(int_from_str("1e40"), Err(Found::OutOfRange));
        assert_eq!(
            int_from_str("1".repeat(60).as_str()),
            Err(Found::OutOfRange)
        );
        assert_eq!(int_from_number(&num("1e300")), Err(Found::OutOfRange));
        assert_eq!(
            int_from_number(&num("-1")).and_then(narrow::<u32>),
            Err(Found::OutOfRange)
        );
        assert_eq!(int_from_str(" 3 "), Ok(3));
        assert_eq!(int_from_str("3.0"), Ok(3));
        assert_eq!(int_from_str("3.5"), Err(Found::Fraction));
        assert_eq!(int_from_str("inf"), Err(Found::NotNumeric));
        assert_eq!(int_from_str("0x10"), Err(Found::NotNumeric));
    }

    #[test]
    fn floats_narrow_to_f32_without_infinity() {
        assert_eq!(to_f32(1.5), Ok(1.5));
        assert_eq!(to_f32(1e39), Err(Found::OutOfRange));
        assert_eq!(float_from_str("NaN"), Err(Found::NotNumeric));
        assert_eq!(float_from_str("1e999"), Err(Found::OutOfRange));
    }
}
