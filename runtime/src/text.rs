//! Text from outside (the engine, a panic) made fit for logs and messages.

use std::any::Any;
use std::fmt::{self, Write as _};

/// `text` cut to at most `max_chars` characters (never inside one), marked with `…` when cut.
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The message a panic was raised with, when it was raised with text.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Text from the engine, written to logs with its control characters escaped (`\n`,
/// `\u{1b}`), so a line break or a terminal escape in an element id or job type cannot forge
/// a log line or restyle a terminal.
pub(crate) struct Printable<'a>(pub(crate) &'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_default())?;
            } else {
                f.write_char(c)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_cuts_on_a_character_boundary_and_marks_the_cut() {
        assert_eq!(truncate("short", 300), "short");
        assert_eq!(truncate("héllo", 2), "hé…");
    }

    #[test]
    fn panic_messages_are_read_from_str_and_string_payloads() {
        let text: Box<dyn Any + Send> = Box::new("boom");
        let owned: Box<dyn Any + Send> = Box::new(String::from("bang"));
        let other: Box<dyn Any + Send> = Box::new(7);

        assert_eq!(panic_message(text.as_ref()), Some("boom"));
        assert_eq!(panic_message(owned.as_ref()), Some("bang"));
        assert_eq!(panic_message(other.as_ref()), None);
    }

    #[test]
    fn printable_text_escapes_control_characters_only() {
        let text = "Task_1\n2026-01-01 ERROR forged\u{1b}[2J é\t";

        assert_eq!(
            Printable(text).to_string(),
            r"Task_1\n2026-01-01 ERROR forged\u{1b}[2J é\t"
        );
    }
}
