//! Rewrites a parsed expression before it is turned into an evaluator.
//!
//! One walk over the tree does all of this:
//!
//! - placeholders for backtick names get their real names back (see [`super::source`]);
//! - calls of our own functions are pointed at the variant for their argument count, because a
//!   dsntk function has exactly one arity: `bpmnError("A", "B")` becomes a call of the entry
//!   that [`functions::internal_name`] gives for `bpmnError` with two arguments. Calls with an
//!   argument count we do not provide keep their name and evaluate like any unknown function;
//! - calls of dsntk's built-in functions are pointed at an entry that no variable can shadow
//!   (dsntk looks a called name up among the variables first, so inside the filter
//!   `data[date(item.date) = x]` the item's `date` field would hide the function);
//! - `=` and `!=` go through our comparison, because Camunda compares null with any value (to
//!   false, or true for `!=`) where dsntk gives null;
//! - the condition of `if` goes through our truth test, because Camunda takes the `else` branch
//!   for any condition that is not `true`, where dsntk gives null for a non-boolean one.

use std::collections::{BTreeSet, HashMap};

use dsntk_feel::Name;
use dsntk_feel::bif::is_built_in_function_name;
use dsntk_feel_parser::AstNode;

use super::functions::{self, CONDITION, EQUAL, NOT_EQUAL};

/// Rewrites a tree and remembers the built-in functions it calls.
#[derive(Debug)]
pub(crate) struct Rewriter<'a> {
    backtick_names: &'a HashMap<String, String>,
    built_ins: BTreeSet<String>,
}

impl<'a> Rewriter<'a> {
    /// A rewriter that restores the given placeholder names.
    pub(crate) fn new(backtick_names: &'a HashMap<String, String>) -> Self {
        Self {
            backtick_names,
            built_ins: BTreeSet::new(),
        }
    }

    /// The built-in functions the rewritten trees call, by their FEEL names.
    pub(crate) fn into_built_ins(self) -> BTreeSet<String> {
        self.built_ins
    }

    /// Applies every rewrite to `node` and everything below it.
    pub(crate) fn rewrite(&mut self, node: &mut AstNode) {
        self.restore_name(node);
        replace_operator(node);
        self.redirect_call(node);

        for child in children_mut(node) {
            self.rewrite(child);
        }
    }

    /// Gives a placeholder name its real backtick name back.
    fn restore_name(&self, node: &mut AstNode) {
        if self.backtick_names.is_empty() {
            return;
        }

        let name = match node {
            AstNode::Name(name)
            | AstNode::ContextEntryKey(name)
            | AstNode::ContextTypeEntryKey(name)
            | AstNode::ParameterName(name)
            | AstNode::QualifiedNameSegment(name) => name,
            _ => return,
        };
        if let Some(real) = self.backtick_names.get(name.as_str()) {
            *name = Name::from(real.as_str());
        }
    }

    /// Points a call at our variant for its argument count, or at the unshadowable entry of a
    /// built-in function.
    fn redirect_call(&mut self, node: &mut AstNode) {
        let AstNode::FunctionInvocation(callee, arguments) = node else {
            return;
        };
        let AstNode::Name(name) = callee.as_mut() else {
            return;
        };

        let count = match arguments.as_ref() {
            AstNode::PositionalParameters(items) | AstNode::NamedParameters(items) => items.len(),
            _ => return,
        };
        if let Some(internal) = functions::internal_name(name.as_str(), count) {
            *name = Name::from(internal);
        } else if is_built_in_function_name(name.as_str()) {
            self.built_ins.insert(name.to_string());
            *name = Name::from(functions::built_in_entry_name(name.as_str()));
        }
    }
}

/// Whether `node` (a tree before rewriting) defines a function anywhere but as a direct
/// argument of a call, like `sort(items, function(x, y) x < y)`.
///
/// A function defined only as a call argument has no name, so it cannot call itself; its
/// parameters get list elements, which come from JSON and are never functions. Any other
/// definition (`{f: function(n) f(n - 1)}`, `(function(g) g(g))(...)`) could recurse without
/// bound, whatever the stack.
pub(crate) fn defines_nameable_function(node: &mut AstNode, is_argument: bool) -> bool {
    if matches!(node, AstNode::FunctionDefinition(..)) && !is_argument {
        return true;
    }
    match node {
        AstNode::PositionalParameters(items) => items
            .iter_mut()
            .any(|item| defines_nameable_function(item, true)),
        AstNode::NamedParameter(_, value) => defines_nameable_function(value, true),
        _ => children_mut(node)
            .into_iter()
            .any(|child| defines_nameable_function(child, false)),
    }
}

/// Replaces `=`, `!=` and the condition of `if` with calls of our variants.
fn replace_operator(node: &mut AstNode) {
    match node {
        AstNode::Eq(left, right) => *node = call(EQUAL, vec![take(left), take(right)]),
        AstNode::Nq(left, right) => *node = call(NOT_EQUAL, vec![take(left), take(right)]),
        AstNode::If(condition, _, _) => **condition = call(CONDITION, vec![take(condition)]),
        _ => {}
    }
}

fn take(node: &mut AstNode) -> AstNode {
    std::mem::replace(node, AstNode::Null)
}

/// A call of our variant `name` with `arguments`.
fn call(name: &str, arguments: Vec<AstNode>) -> AstNode {
    let internal = functions::internal_name(name, arguments.len()).unwrap_or_default();
    AstNode::FunctionInvocation(
        Box::new(AstNode::Name(Name::from(internal))),
        Box::new(AstNode::PositionalParameters(arguments)),
    )
}

/// The direct children of `node`.
fn children_mut(node: &mut AstNode) -> Vec<&mut AstNode> {
    match node {
        AstNode::Add(a, b)
        | AstNode::And(a, b)
        | AstNode::ContextEntry(a, b)
        | AstNode::ContextTypeEntry(a, b)
        | AstNode::Div(a, b)
        | AstNode::Eq(a, b)
        | AstNode::Every(a, b)
        | AstNode::Exp(a, b)
        | AstNode::Filter(a, b)
        | AstNode::For(a, b)
        | AstNode::FormalParameter(a, b)
        | AstNode::FunctionDefinition(a, b)
        | AstNode::FunctionInvocation(a, b)
        | AstNode::FunctionType(a, b)
        | AstNode::Ge(a, b)
        | AstNode::Gt(a, b)
        | AstNode::In(a, b)
        | AstNode::InstanceOf(a, b)
        | AstNode::IterationContextSingle(a, b)
        | AstNode::Le(a, b)
        | AstNode::Lt(a, b)
        | AstNode::Mul(a, b)
        | AstNode::NamedParameter(a, b)
        | AstNode::Nq(a, b)
        | AstNode::Or(a, b)
        | AstNode::Out(a, b)
        | AstNode::Path(a, b)
        | AstNode::QuantifiedContext(a, b)
        | AstNode::Range(a, b)
        | AstNode::Some(a, b)
        | AstNode::Sub(a, b) => vec![a.as_mut(), b.as_mut()],

        AstNode::Between(a, b, c)
        | AstNode::If(a, b, c)
        | AstNode::IterationContextInterval(a, b, c) => vec![a.as_mut(), b.as_mut(), c.as_mut()],

        AstNode::EvaluatedExpression(a)
        | AstNode::FunctionBody(a, _)
        | AstNode::IntervalEnd(a, _)
        | AstNode::IntervalStart(a, _)
        | AstNode::ListType(a)
        | AstNode::Neg(a)
        | AstNode::RangeType(a)
        | AstNode::Satisfies(a)
        | AstNode::UnaryGe(a)
        | AstNode::UnaryGt(a)
        | AstNode::UnaryLe(a)
        | AstNode::UnaryLt(a)
        | AstNode::UnaryEq(a)
        | AstNode::UnaryNe(a) => vec![a.as_mut()],

        AstNode::CommaList(items)
        | AstNode::Context(items)
        | AstNode::ContextType(items)
        | AstNode::ExpressionList(items)
        | AstNode::FormalParameters(items)
        | AstNode::IterationContexts(items)
        | AstNode::List(items)
        | AstNode::NamedParameters(items)
        | AstNode::NegatedList(items)
        | AstNode::ParameterTypes(items)
        | AstNode::PositionalParameters(items)
        | AstNode::QualifiedName(items)
        | AstNode::QuantifiedContexts(items) => items.iter_mut().collect(),

        AstNode::At(_)
        | AstNode::Boolean(_)
        | AstNode::ContextEntryKey(_)
        | AstNode::ContextTypeEntryKey(_)
        | AstNode::FeelType(_)
        | AstNode::Irrelevant
        | AstNode::Name(_)
        | AstNode::Null
        | AstNode::Numeric(..)
        | AstNode::ParameterName(_)
        | AstNode::QualifiedNameSegment(_)
        | AstNode::String(_) => Vec::new(),
    }
}
