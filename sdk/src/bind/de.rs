//! The coercing deserializer over parsed JSON.
//!
//! A [`Node`] is either an owned [`Value`] (strings are moved into the input, never copied), a
//! borrowed one whose string leaves get their secret placeholders replaced as they are read (see
//! [`Replacer`]), or a value already opened by a coercion. Errors collect their path on the way up: each array
//! and object level adds its segment, so the happy path does no path bookkeeping at all.

use std::borrow::Cow;
use std::cell::Cell;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};
use serde_json::{Number, Value};

use super::coerce::{self, Int, JsonText};
use super::error::{Error, Found};
use crate::secrets::Secrets;

/// Replaces secret placeholders in borrowed variables as the binder reads them, and notes
/// whether any referenced secret is missing.
///
/// Every string and key of the variables passes through it exactly once: read as a leaf, or,
/// for content the input type skips (unknown fields, entries a visitor leaves unread), scanned
/// by [`Node::skip`]. So after a successful bind, `saw_missing` is false exactly when
/// [`Secrets::replace`] would have found no missing secret.
#[derive(Debug)]
pub(crate) struct Replacer<'a> {
    secrets: &'a Secrets,
    saw_missing: Cell<bool>,
}

impl<'a> Replacer<'a> {
    pub(crate) fn new(secrets: &'a Secrets) -> Self {
        Replacer {
            secrets,
            saw_missing: Cell::new(false),
        }
    }

    /// Whether a referenced secret was missing in what was read or skipped.
    pub(crate) fn saw_missing(&self) -> bool {
        self.saw_missing.get()
    }

    fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut missing = Vec::new();
        let replaced = self.secrets.replace_text(text, &mut missing);
        if !missing.is_empty() {
            self.saw_missing.set(true);
        }
        replaced
    }

    fn object(&self, value: &Value) -> Value {
        self.secrets.replace(value).unwrap_or_else(|_| {
            self.saw_missing.set(true);
            self.secrets.replace_unchecked(value)
        })
    }

    fn scan(&self, value: &Value) {
        let mut missing = Vec::new();
        super::collect_missing(value, self.secrets, &mut missing);
        if !missing.is_empty() {
            self.saw_missing.set(true);
        }
    }
}

/// A value not yet deserialised.
pub(crate) enum Node<'a> {
    /// An owned value: strings are moved out.
    Owned(Value),
    /// A borrowed value whose strings and keys still hold secret placeholders.
    Borrowed(&'a Value, &'a Replacer<'a>),
    /// A value a coercion has already opened.
    Opened(Kind<'a>),
}

/// A value opened for deserialisation, strings with placeholders replaced.
pub(crate) enum Kind<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    Array(Seq<'a>),
    Object(Entries<'a>),
}

impl<'a> Node<'a> {
    fn open(self) -> Kind<'a> {
        match self {
            Node::Owned(value) => open_owned(value),
            Node::Borrowed(value, replacer) => open_borrowed(value, replacer),
            Node::Opened(kind) => kind,
        }
    }

    /// Drops the node unread, first scanning borrowed content for missing secrets.
    fn skip(self) {
        match self {
            Node::Owned(_) => {}
            Node::Borrowed(value, replacer) => replacer.scan(value),
            Node::Opened(Kind::Array(mut seq)) => {
                while let Some(node) = seq.next() {
                    node.skip();
                }
            }
            Node::Opened(Kind::Object(mut entries)) => entries.skip_rest(),
            Node::Opened(_) => {}
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Node::Owned(value) => value.is_null(),
            Node::Borrowed(value, _) => value.is_null(),
            Node::Opened(kind) => matches!(kind, Kind::Null),
        }
    }
}

fn open_owned<'a>(value: Value) -> Kind<'a> {
    match value {
        Value::Null => Kind::Null,
        Value::Bool(b) => Kind::Bool(b),
        Value::Number(n) => Kind::Number(n),
        Value::String(s) => Kind::Str(Cow::Owned(s)),
        Value::Array(items) => Kind::Array(Seq::Owned(items.into_iter())),
        Value::Object(map) => Kind::Object(Entries::Owned(map.into_iter())),
    }
}

fn open_borrowed<'a>(value: &'a Value, replacer: &'a Replacer<'a>) -> Kind<'a> {
    match value {
        Value::Null => Kind::Null,
        Value::Bool(b) => Kind::Bool(*b),
        Value::Number(n) => Kind::Number(n.clone()),
        Value::String(s) => Kind::Str(replacer.text(s)),
        Value::Array(items) => Kind::Array(Seq::Borrowed(items.iter(), replacer)),
        Value::Object(map) if map.keys().any(|k| has_placeholder(k)) => {
            // Replaced keys may collide; replacing the whole object keeps exactly the
            // semantics of `Secrets::replace` for this rare shape.
            open_owned(replacer.object(value))
        }
        Value::Object(map) => Kind::Object(Entries::Borrowed(map.iter(), replacer)),
    }
}

fn has_placeholder(text: &str) -> bool {
    text.contains("secrets.")
}

impl Kind<'_> {
    fn found(&self) -> Found {
        match self {
            Kind::Null => Found::Null,
            Kind::Bool(_) => Found::Bool,
            Kind::Number(_) => Found::Number,
            Kind::Str(s) if s.is_empty() => Found::EmptyString,
            Kind::Str(_) => Found::Str,
            Kind::Array(_) => Found::Array,
            Kind::Object(_) => Found::Object,
        }
    }
}

/// The elements of an array.
pub(crate) enum Seq<'a> {
    Owned(std::vec::IntoIter<Value>),
    Borrowed(std::slice::Iter<'a, Value>, &'a Replacer<'a>),
    /// A single value standing where an array was expected.
    One(Option<Box<Node<'a>>>),
}

impl<'a> Seq<'a> {
    fn len(&self) -> usize {
        match self {
            Seq::Owned(items) => items.len(),
            Seq::Borrowed(items, _) => items.len(),
            Seq::One(item) => usize::from(item.is_some()),
        }
    }

    fn next(&mut self) -> Option<Node<'a>> {
        match self {
            Seq::Owned(items) => items.next().map(Node::Owned),
            Seq::Borrowed(items, replacer) => items.next().map(|v| Node::Borrowed(v, replacer)),
            Seq::One(item) => item.take().map(|node| *node),
        }
    }

    /// The only element of a one-element array.
    fn into_only(mut self) -> Node<'a> {
        self.next().unwrap_or(Node::Owned(Value::Null))
    }
}

/// The entries of an object.
pub(crate) enum Entries<'a> {
    Owned(serde_json::map::IntoIter),
    /// Keys hold no placeholder (see [`open_borrowed`]).
    Borrowed(serde_json::map::Iter<'a>, &'a Replacer<'a>),
}

impl<'a> Entries<'a> {
    fn len(&self) -> usize {
        match self {
            Entries::Owned(entries) => entries.len(),
            Entries::Borrowed(entries, _) => entries.len(),
        }
    }

    fn next(&mut self) -> Option<(Cow<'a, str>, Node<'a>)> {
        match self {
            Entries::Owned(entries) => entries
                .next()
                .map(|(key, value)| (Cow::Owned(key), Node::Owned(value))),
            Entries::Borrowed(entries, replacer) => entries
                .next()
                .map(|(key, value)| (Cow::Borrowed(key.as_str()), Node::Borrowed(value, replacer))),
        }
    }

    /// Skips the entries not read (their keys hold no placeholder, see [`open_borrowed`]).
    fn skip_rest(&mut self) {
        if let Entries::Borrowed(..) = self {
            while let Some((_, node)) = self.next() {
                node.skip();
            }
        }
    }
}

/// The coercing deserializer for one value.
pub(crate) struct Deserializer<'a> {
    node: Node<'a>,
}

impl<'a> Deserializer<'a> {
    pub(crate) fn new(node: Node<'a>) -> Self {
        Deserializer { node }
    }

    /// An exact integer of type `T`, from a number, a numeric string or a one-element array.
    fn integer<T: Int>(self) -> Result<T, Error> {
        let found = match self.node.open() {
            Kind::Number(n) => coerce::int_from_number(&n).and_then(coerce::narrow::<T>),
            Kind::Str(s) => coerce::int_from_str(&s).and_then(coerce::narrow::<T>),
            Kind::Array(seq) if seq.len() == 1 => {
                return Deserializer::new(seq.into_only())
                    .integer()
                    .map_err(|e| e.at_index(0));
            }
            other => Err(other.found()),
        };
        found.map_err(|found| match found {
            Found::OutOfRange => Error::expected(
                format_args!("an integer from {} to {}", T::MIN, T::MAX),
                found,
            ),
            _ => Error::expected("an integer", found),
        })
    }

    /// A finite float, from a number, a numeric string or a one-element array.
    fn float(self) -> Result<f64, Error> {
        let found = match self.node.open() {
            Kind::Number(n) => n.as_f64().ok_or(Found::Number),
            Kind::Str(s) => coerce::float_from_str(&s),
            Kind::Array(seq) if seq.len() == 1 => {
                return Deserializer::new(seq.into_only())
                    .float()
                    .map_err(|e| e.at_index(0));
            }
            other => Err(other.found()),
        };
        found.map_err(|found| Error::expected("a number", found))
    }
}

/// The object of a map or struct: an object, a string holding JSON object text, or a
/// one-element array holding either.
fn visit_object<'a, 'de, V: Visitor<'de>>(node: Node<'a>, visitor: V) -> Result<V::Value, Error> {
    match node.open() {
        Kind::Object(entries) => visit_entries(entries, visitor),
        Kind::Str(s) => match coerce::json_text(&s, '{') {
            JsonText::Parsed(Value::Object(map)) => {
                visit_entries(Entries::Owned(map.into_iter()), visitor)
            }
            JsonText::Parsed(_) | JsonText::NotJson => Err(Error::expected(
                "an object",
                Found::NotJsonText("JSON object text"),
            )),
            JsonText::Invalid(found) => Err(Error::expected("an object", found)),
        },
        Kind::Array(seq) if seq.len() == 1 => {
            visit_object(seq.into_only(), visitor).map_err(|e| e.at_index(0))
        }
        other => Err(Error::expected("an object", other.found())),
    }
}

fn visit_entries<'de, V: Visitor<'de>>(
    entries: Entries<'_>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut access = MapAccess {
        entries,
        value: None,
        key: None,
    };
    let value = visitor.visit_map(&mut access)?;

    // A visitor may stop reading early; what it left is still checked for missing secrets.
    if let Some(node) = access.value.take() {
        node.skip();
    }
    access.entries.skip_rest();
    Ok(value)
}

fn visit_elements<'de, V: Visitor<'de>>(
    seq: Seq<'_>,
    indexed: bool,
    visitor: V,
) -> Result<V::Value, Error> {
    let total = seq.len();
    let mut access = SeqAccess {
        seq,
        index: 0,
        indexed,
    };
    let value = visitor.visit_seq(&mut access)?;
    if access.seq.len() == 0 {
        Ok(value)
    } else {
        Err(Error::new(format!(
            "expected {} elements, found {total}",
            access.index
        )))
    }
}

/// The variant name among `variants` that `given` names, ignoring letter case when no variant
/// matches exactly; `given` itself when none does (so `#[serde(other)]` still applies).
fn variant_name<'v>(given: &'v str, variants: &'static [&'static str]) -> &'v str {
    if variants.contains(&given) {
        return given;
    }
    let lower = |s: &'v str| s.chars().flat_map(char::to_lowercase);
    variants
        .iter()
        .find(|v| v.chars().flat_map(char::to_lowercase).eq(lower(given)))
        .copied()
        .unwrap_or(given)
}

fn one_of(variants: &[&str]) -> String {
    let quoted: Vec<String> = variants.iter().map(|v| format!("`{v}`")).collect();
    format!("one of {}", quoted.join(", "))
}

macro_rules! deserialize_integer {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.integer::<$ty>()?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for Deserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool(b) => visitor.visit_bool(b),
            Kind::Number(n) => visit_number(&n, visitor),
            Kind::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Kind::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Kind::Array(seq) => visit_elements(seq, true, visitor),
            Kind::Object(entries) => visit_entries(entries, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let found = match self.node.open() {
            Kind::Bool(b) => return visitor.visit_bool(b),
            Kind::Str(s) => match coerce::bool_from_str(&s) {
                Ok(b) => return visitor.visit_bool(b),
                Err(found) => found,
            },
            Kind::Array(seq) if seq.len() == 1 => {
                return Deserializer::new(seq.into_only())
                    .deserialize_bool(visitor)
                    .map_err(|e| e.at_index(0));
            }
            other => other.found(),
        };
        Err(Error::expected("a boolean", found))
    }

    deserialize_integer! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let f = coerce::to_f32(self.float()?)
            .map_err(|found| Error::expected("a 32-bit float", found))?;
        visitor.visit_f32(f)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    /// Visitors asking for `&str` parse it (URLs, addresses, dates), and some quote the text
    /// they reject: their errors are scrubbed of it.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Str(s) => visitor.visit_str(&s).map_err(|e: Error| e.scrub(&s)),
            other => Deserializer::new(Node::Opened(other)).deserialize_string(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Kind::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Kind::Number(n) => visitor.visit_string(coerce::number_text(&n)),
            Kind::Bool(b) => visitor.visit_str(if b { "true" } else { "false" }),
            Kind::Array(seq) if seq.len() == 1 => Deserializer::new(seq.into_only())
                .deserialize_string(visitor)
                .map_err(|e| e.at_index(0)),
            other => Err(Error::expected("a string", other.found())),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Str(Cow::Owned(s)) => visitor.visit_string(s),
            Kind::Str(Cow::Borrowed(s)) => visitor.visit_str(s),
            Kind::Array(seq) => visit_elements(seq, true, visitor),
            other => Err(Error::expected(
                "a string or an array of bytes",
                other.found(),
            )),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Null => visitor.visit_unit(),
            other => Err(Error::expected("null", other.found())),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Array(seq) => visit_elements(seq, true, visitor),
            Kind::Str(s) => match coerce::json_text(&s, '[') {
                JsonText::Parsed(Value::Array(items)) => {
                    visit_elements(Seq::Owned(items.into_iter()), true, visitor)
                }
                JsonText::Invalid(found) => Err(Error::expected("an array", found)),
                JsonText::Parsed(_) | JsonText::NotJson => {
                    let one = Node::Opened(Kind::Str(s));
                    visit_elements(Seq::One(Some(Box::new(one))), false, visitor)
                }
            },
            Kind::Null => Err(Error::expected("an array", Found::Null)),
            other => {
                let one = Node::Opened(other);
                visit_elements(Seq::One(Some(Box::new(one))), false, visitor)
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_object(self.node, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visit_object(self.node, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node.open() {
            Kind::Str(s) => {
                let name = variant_name(&s, variants);
                visitor.visit_enum(StrDeserializer::<Error>::new(name))
            }
            Kind::Object(mut entries) if entries.len() == 1 => match entries.next() {
                Some((key, content)) => visitor.visit_enum(EnumAccess {
                    variants,
                    key,
                    content,
                }),
                None => Err(Error::expected(one_of(variants), Found::Keys(0))),
            },
            Kind::Object(entries) => Err(Error::expected(
                format_args!(
                    "{} (as a string, or an object with one key)",
                    one_of(variants)
                ),
                Found::Keys(entries.len()),
            )),
            Kind::Array(seq) if seq.len() == 1 => Deserializer::new(seq.into_only())
                .deserialize_enum(_name, variants, visitor)
                .map_err(|e| e.at_index(0)),
            other => Err(Error::expected(one_of(variants), other.found())),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.node.skip();
        visitor.visit_unit()
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else if let Some(f) = n.as_f64() {
        visitor.visit_f64(f)
    } else {
        Err(Error::expected("a number", Found::Number))
    }
}

/// The elements of an array, each error marked with its index.
struct SeqAccess<'a> {
    seq: Seq<'a>,
    index: usize,
    /// False when a single value stands for the array: its errors keep the field's path.
    indexed: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(node) = self.seq.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Deserializer::new(node))
            .map(Some)
            .map_err(|e| if self.indexed { e.at_index(index) } else { e })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.seq.len())
    }
}

/// The entries of an object, each error marked with its key.
struct MapAccess<'a> {
    entries: Entries<'a>,
    value: Option<Node<'a>>,
    key: Option<Cow<'a, str>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        match seed.deserialize(KeyDeserializer { key: &key }) {
            Ok(k) => {
                self.value = Some(value);
                self.key = Some(key);
                Ok(Some(k))
            }
            // An unknown field names itself.
            Err(e) if e.has_path() => Err(e),
            Err(e) => Err(e.at_key(key.into_owned())),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self.key.take();
        let Some(node) = self.value.take() else {
            return Err(Error::new("a value was asked for before its key"));
        };
        seed.deserialize(Deserializer::new(node))
            .map_err(|e| match key {
                Some(key) => e.at_key(key.into_owned()),
                None => e,
            })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged variant: `{"Variant": content}`.
struct EnumAccess<'a> {
    variants: &'static [&'static str],
    key: Cow<'a, str>,
    content: Node<'a>,
}

impl<'de, 'a> de::EnumAccess<'de> for EnumAccess<'a> {
    type Error = Error;
    type Variant = VariantAccess<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let name = variant_name(&self.key, self.variants);
        let variant = seed
            .deserialize(StrDeserializer::<Error>::new(name))
            .map_err(|e| e.at_key(self.key.as_ref()))?;
        Ok((
            variant,
            VariantAccess {
                key: self.key,
                content: self.content,
            },
        ))
    }
}

struct VariantAccess<'a> {
    key: Cow<'a, str>,
    content: Node<'a>,
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.content.open() {
            Kind::Null => Ok(()),
            other => Err(Error::expected("null", other.found()).at_key(self.key.into_owned())),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let key = self.key;
        seed.deserialize(Deserializer::new(self.content))
            .map_err(|e| e.at_key(key.into_owned()))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let key = self.key;
        de::Deserializer::deserialize_seq(Deserializer::new(self.content), visitor)
            .map_err(|e| e.at_key(key.into_owned()))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let key = self.key;
        visit_object(self.content, visitor).map_err(|e| e.at_key(key.into_owned()))
    }
}

/// An object key; keys are strings, so numbers and booleans are parsed from them.
struct KeyDeserializer<'k> {
    key: &'k str,
}

impl KeyDeserializer<'_> {
    fn integer<T: Int>(&self) -> Result<T, Error> {
        coerce::int_from_str(self.key)
            .and_then(coerce::narrow::<T>)
            .map_err(|found| match found {
                Found::OutOfRange => Error::expected(
                    format_args!("an integer from {} to {}", T::MIN, T::MAX),
                    found,
                ),
                _ => Error::expected("an integer", found),
            })
    }
}

macro_rules! deserialize_key_integer {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.integer::<$ty>()?)
        })*
    };
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.key)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let b =
            coerce::bool_from_str(self.key).map_err(|found| Error::expected("a boolean", found))?;
        visitor.visit_bool(b)
    }

    deserialize_key_integer! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let f = coerce::float_from_str(self.key)
            .and_then(coerce::to_f32)
            .map_err(|found| Error::expected("a 32-bit float", found))?;
        visitor.visit_f32(f)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let f =
            coerce::float_from_str(self.key).map_err(|found| Error::expected("a number", found))?;
        visitor.visit_f64(f)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(StrDeserializer::<Error>::new(variant_name(
            self.key, variants,
        )))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier
    }
}
