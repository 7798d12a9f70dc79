//! Prepares expression text for dsntk's parser so that names split the way Camunda's FEEL does.
//!
//! dsntk's lexer reads the longest run of words and name symbols (`a - b`, `x and y`,
//! `retries-1`) and then shortens it to the longest prefix that is a known name; when no prefix
//! is known, the whole run becomes one name. Camunda's FEEL instead treats names as identifiers
//! and `-`, `+`, `*`, `/` as operators. To get Camunda's behaviour we tell the parser every
//! identifier the expression uses, so runs always break after an identifier, and we also tell it
//! the multi-word function names (`string join`, `is defined`, `get or else`) that appear before
//! an opening parenthesis. The parse therefore depends only on the expression text, never on
//! the variables, which is what makes caching parsed expressions sound.
//!
//! Backtick names (`` `Content-Type` ``) are not supported by dsntk: each one is replaced with a
//! placeholder identifier that no FEEL identifier can spell, and [`Prepared::backtick_names`]
//! maps the placeholders back to the real names for the AST rewrite.

use std::collections::{BTreeSet, HashMap};

/// Starts every placeholder that stands for a backtick name.
///
/// `№` is a name start character for dsntk but neither a letter nor a digit, so it can never
/// start an identifier a user writes.
pub(crate) const PLACEHOLDER_PREFIX: char = '№';

/// Words that are FEEL keywords, never names.
const KEYWORDS: &[&str] = &[
    "and",
    "between",
    "else",
    "every",
    "external",
    "false",
    "for",
    "function",
    "if",
    "in",
    "instance",
    "null",
    "of",
    "or",
    "return",
    "satisfies",
    "some",
    "then",
    "true",
];

/// Function names that contain a keyword, so the generic multi-word rule cannot find them.
const KEYWORD_FUNCTION_NAMES: &[&[&str]] = &[
    &["date", "and", "time"],
    &["day", "of", "week"],
    &["day", "of", "year"],
    &["days", "and", "time", "duration"],
    &["get", "or", "else"],
    &["index", "of"],
    &["last", "day", "of", "month"],
    &["month", "of", "year"],
    &["week", "of", "year"],
    &["years", "and", "months", "duration"],
];

/// An expression ready for dsntk's parser.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    /// The text to parse: comments removed, backtick names replaced with placeholders.
    pub(crate) text: String,
    /// Every name the parser must know, so that it splits names like Camunda does.
    pub(crate) names: BTreeSet<String>,
    /// Placeholder identifier to the backtick name it stands for.
    pub(crate) backtick_names: HashMap<String, String>,
}

/// Why the expression text cannot be prepared: a literal or comment that is not closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not closed")]
pub(crate) struct Unclosed(&'static str);

const STRING_LITERAL: Unclosed = Unclosed("string literal");
const BACKTICK_NAME: Unclosed = Unclosed("backtick name");
const BLOCK_COMMENT: Unclosed = Unclosed("block comment");

/// One lexical element of the expression, as far as name splitting cares.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// An identifier or keyword.
    Word(String),
    /// A backtick name, already replaced with its placeholder.
    Placeholder(String),
    /// The gap between two tokens: whitespace or a comment.
    Gap,
    /// Any other character or literal.
    Other(char),
}

/// Strips one leading `=` and surrounding whitespace from a task-header expression.
pub(crate) fn strip_expression(expression: &str) -> &str {
    let trimmed = expression.trim();
    trimmed.strip_prefix('=').unwrap_or(trimmed).trim()
}

/// Prepares `expression` (already stripped) for dsntk's parser.
pub(crate) fn prepare(expression: &str) -> Result<Prepared, Unclosed> {
    let mut scanner = Scanner::new(expression);
    scanner.scan()?;

    let names = collect_names(&scanner.tokens);

    Ok(Prepared {
        text: scanner.text,
        names,
        backtick_names: scanner.backtick_names,
    })
}

/// Splits the expression into tokens and writes the text dsntk will parse.
struct Scanner {
    chars: Vec<char>,
    position: usize,
    text: String,
    tokens: Vec<Token>,
    backtick_names: HashMap<String, String>,
}

impl Scanner {
    fn new(source: &str) -> Self {
        Self {
            chars: source.chars().collect(),
            position: 0,
            text: String::with_capacity(source.len()),
            tokens: Vec::new(),
            backtick_names: HashMap::new(),
        }
    }

    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.position + offset).copied()
    }

    fn scan(&mut self) -> Result<(), Unclosed> {
        while let Some(ch) = self.peek(0) {
            match ch {
                '/' if self.peek(1) == Some('/') => self.line_comment(),
                '/' if self.peek(1) == Some('*') => self.block_comment()?,
                '"' => self.string_literal()?,
                '`' => self.backtick_name()?,
                ch if ch.is_whitespace() => self.whitespace(),
                ch if ch.is_ascii_digit() => self.number(),
                ch if is_identifier_start(ch) => self.word(),
                other => {
                    self.text.push(other);
                    self.tokens.push(Token::Other(other));
                    self.position += 1;
                }
            }
        }
        Ok(())
    }

    fn push_gap(&mut self) {
        self.text.push(' ');
        if self.tokens.last() != Some(&Token::Gap) {
            self.tokens.push(Token::Gap);
        }
    }

    fn whitespace(&mut self) {
        while self.peek(0).is_some_and(char::is_whitespace) {
            self.position += 1;
        }
        self.push_gap();
    }

    fn line_comment(&mut self) {
        while self.peek(0).is_some_and(|ch| ch != '\n') {
            self.position += 1;
        }
        self.push_gap();
    }

    fn block_comment(&mut self) -> Result<(), Unclosed> {
        self.position += 2;
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some('*'), Some('/')) => break,
                (Some(_), _) => self.position += 1,
                (None, _) => return Err(BLOCK_COMMENT),
            }
        }
        self.position += 2;
        self.push_gap();
        Ok(())
    }

    fn string_literal(&mut self) -> Result<(), Unclosed> {
        let start = self.position;
        self.position += 1;
        loop {
            match self.peek(0) {
                Some('\\') => self.position += 2,
                Some('"') => break,
                Some(_) => self.position += 1,
                None => return Err(STRING_LITERAL),
            }
        }
        self.position += 1;
        self.text.extend(&self.chars[start..self.position]);
        self.tokens.push(Token::Other('"'));
        Ok(())
    }

    fn backtick_name(&mut self) -> Result<(), Unclosed> {
        self.position += 1;
        let start = self.position;
        while self.peek(0).is_some_and(|ch| ch != '`') {
            self.position += 1;
        }
        if self.peek(0).is_none() {
            return Err(BACKTICK_NAME);
        }
        let name: String = self.chars[start..self.position].iter().collect();
        self.position += 1;

        let placeholder = format!("{PLACEHOLDER_PREFIX}{}", self.backtick_names.len());
        self.text.push_str(&placeholder);
        self.tokens.push(Token::Placeholder(placeholder.clone()));
        self.backtick_names.insert(placeholder, name);
        Ok(())
    }

    /// Copies a number literal: digits, an optional fraction and an optional exponent.
    fn number(&mut self) {
        let start = self.position;
        self.digits();
        if self.peek(0) == Some('.') && self.peek(1).is_some_and(|ch| ch.is_ascii_digit()) {
            self.position += 1;
            self.digits();
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
            if self.peek(1 + sign).is_some_and(|ch| ch.is_ascii_digit()) {
                self.position += 1 + sign;
                self.digits();
            }
        }
        self.text.extend(&self.chars[start..self.position]);
        self.tokens.push(Token::Other('0'));
    }

    fn digits(&mut self) {
        while self.peek(0).is_some_and(|ch| ch.is_ascii_digit()) {
            self.position += 1;
        }
    }

    fn word(&mut self) {
        let start = self.position;
        while self.peek(0).is_some_and(is_identifier_part) {
            self.position += 1;
        }
        let word: String = self.chars[start..self.position].iter().collect();
        self.text.push_str(&word);
        self.tokens.push(Token::Word(word));
    }
}

fn is_identifier_start(ch: char) -> bool {
    ch.is_alphabetic() || ch == '_'
}

fn is_identifier_part(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Finds the names the parser must know: every identifier, every placeholder and every
/// multi-word function name.
fn collect_names(tokens: &[Token]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut index = 0;
    while index < tokens.len() {
        match &tokens[index] {
            Token::Word(_) => index = collect_run(tokens, index, &mut names),
            Token::Placeholder(placeholder) => {
                names.insert(placeholder.clone());
                index += 1;
            }
            Token::Gap | Token::Other(_) => index += 1,
        }
    }
    names
}

/// Handles one run of words separated only by gaps, starting at `start`; returns the index
/// after the run.
fn collect_run(tokens: &[Token], start: usize, names: &mut BTreeSet<String>) -> usize {
    let mut words = Vec::new();
    let mut index = start;
    while let Some(token) = tokens.get(index) {
        match token {
            Token::Word(word) => words.push(word.as_str()),
            Token::Gap => {}
            Token::Placeholder(_) | Token::Other(_) => break,
        }
        index += 1;
    }

    let called = tokens.get(index) == Some(&Token::Other('('));
    let function_words = if called { function_name_len(&words) } else { 0 };
    let (plain, function) = words.split_at(words.len() - function_words);

    names.extend(
        plain
            .iter()
            .filter(|word| !is_keyword(word))
            .map(|word| (*word).to_string()),
    );
    if function.len() > 1 {
        names.insert(function.join(" "));
    }
    index
}

/// How many trailing words of a run that is followed by `(` form the function name.
fn function_name_len(words: &[&str]) -> usize {
    let known = KEYWORD_FUNCTION_NAMES
        .iter()
        .find(|name| words.ends_with(name));
    if let Some(name) = known {
        return name.len();
    }

    words
        .iter()
        .rev()
        .take_while(|word| !is_keyword(word))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(expression: &str) -> Vec<String> {
        prepare(expression).unwrap().names.into_iter().collect()
    }

    #[test]
    fn strips_one_leading_equals_sign_and_whitespace() {
        assert_eq!(strip_expression("  = a + 1 "), "a + 1");
        assert_eq!(strip_expression("a"), "a");
        assert_eq!(strip_expression("==a"), "=a");
    }

    #[test]
    fn every_identifier_becomes_a_name_but_keywords_do_not() {
        assert_eq!(
            names("if job.retries - 1 > 0 then x else null"),
            ["job", "retries", "x"]
        );
    }

    #[test]
    fn multi_word_function_names_are_names() {
        assert_eq!(
            names("if is defined(a) then string join(b, \",\") else get or else(c, 1)"),
            ["a", "b", "c", "get or else", "is defined", "string join"]
        );
    }

    #[test]
    fn single_word_function_names_are_left_to_the_parser() {
        assert_eq!(names("date(x) + duration(\"P1D\")"), ["x"]);
    }

    #[test]
    fn strings_and_comments_contribute_no_names() {
        let prepared = prepare("\"a b // c\" /* d e */ + f // g").unwrap();
        assert_eq!(prepared.names.into_iter().collect::<Vec<_>>(), ["f"]);
        assert_eq!(prepared.text, "\"a b // c\"   + f  ");
    }

    #[test]
    fn backtick_names_become_placeholders() {
        let prepared = prepare("headers.`Content-Type`").unwrap();
        assert_eq!(prepared.text, "headers.№0");
        assert_eq!(prepared.backtick_names["№0"], "Content-Type");
        assert!(prepared.names.contains("№0"));
    }

    #[test]
    fn unclosed_literals_are_errors() {
        assert_eq!(prepare("\"abc"), Err(STRING_LITERAL));
        assert_eq!(prepare("`abc"), Err(BACKTICK_NAME));
        assert_eq!(prepare("/* abc"), Err(BLOCK_COMMENT));
    }
}
