//! Every attribute name the derive reads.

use std::fmt;

use syn::{Ident, Path};

#[derive(Copy, Clone)]
pub(crate) struct Symbol(pub(crate) &'static str);

macro_rules! symbols {
    ($($name:ident = $text:literal,)*) => {
        $(pub(crate) const $name: Symbol = Symbol($text);)*
    };
}

symbols! {
    TEMPLATE = "template",
    VALIDATE = "validate",
    SERDE = "serde",
    DOC = "doc",

    // container
    CRATE = "crate",
    ID = "id",
    NAME = "name",
    VERSION = "version",
    DESCRIPTION = "description",
    DOCUMENTATION_REF = "documentation_ref",
    ICON = "icon",
    KEYWORDS = "keywords",
    GROUPS = "groups",
    GROUP = "group",
    ENGINE_VERSION = "engine_version",
    CATEGORY = "category",
    DEFAULT_RESULT_VARIABLE = "default_result_variable",
    DEFAULT_RESULT_EXPRESSION = "default_result_expression",
    DISCRIMINATOR = "discriminator",
    LABEL = "label",
    TOOLTIP = "tooltip",
    OPEN_BY_DEFAULT = "open_by_default",

    // field
    PLACEHOLDER = "placeholder",
    TYPE = "type",
    FEEL = "feel",
    DEFAULT = "default",
    OPTIONAL = "optional",
    BINDING = "binding",
    CONDITION = "condition",
    CHOICES = "choices",
    CHOICE = "choice",
    VALUE = "value",
    NESTED_PATH = "nested_path",
    SKIP = "skip",

    // condition
    PROPERTY = "property",
    EQUALS = "equals",
    ONE_OF = "one_of",
    IS_ACTIVE = "is_active",
    ALL_MATCH = "all_match",

    // validate
    NOT_EMPTY = "not_empty",
    MIN_LENGTH = "min_length",
    MAX_LENGTH = "max_length",
    PATTERN = "pattern",
    MESSAGE = "message",
    RANGE = "range",
    MIN = "min",
    MAX = "max",
    URL = "url",

    // serde
    RENAME = "rename",
    RENAME_ALL = "rename_all",
    RENAME_ALL_FIELDS = "rename_all_fields",
    TAG = "tag",
    CONTENT = "content",
    UNTAGGED = "untagged",
    FLATTEN = "flatten",
    SKIP_DESERIALIZING = "skip_deserializing",
    DESERIALIZE = "deserialize",
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
