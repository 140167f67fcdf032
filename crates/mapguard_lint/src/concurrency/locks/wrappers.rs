//! Lock wrappers: methods whose whole body takes or releases one of the receiver's locks, and the
//! package names the walker needs.

use std::collections::{HashMap, HashSet};

use mapguard_go::index::{FuncDecl, FuncScope, Index};
use mapguard_go::syntax::{self, Node};

use super::{Held, Walker, lock_method, lock_path, squash};
use crate::context::PackageContext;

/// Methods whose whole body takes or releases one of the receiver's locks (`func (s *S)
/// lockShares() { s.sharesMu.Lock() }`): calls to them are lock events.
#[derive(Debug, Default)]
pub(crate) struct LockWrappers {
    /// By declaration: the lock's path below the receiver (`.sharesMu`'s base rest, usually
    /// empty), the lock, and whether the call acquires it.
    by_decl: HashMap<*const FuncDecl, (String, Held, bool)>,
    pub(super) names: HashSet<String>,
}

/// Finds the package's lock wrapper methods.
pub(crate) fn lock_wrappers(ctx: &PackageContext<'_>) -> LockWrappers {
    let mut wrappers = LockWrappers::default();
    for function in ctx.functions() {
        let Some(decl) = function.decl else { continue };
        let Some(receiver) = &decl.receiver else {
            continue;
        };
        let Some(body) = function.node.child_by_field_name("body") else {
            continue;
        };
        let mut items = syntax::block_items(body)
            .into_iter()
            .filter(|n| n.kind() != "comment");
        let (Some(statement), None) = (items.next(), items.next()) else {
            continue;
        };
        let Some(call) = syntax::named_children(statement).next().filter(|c| {
            statement.kind() == "expression_statement" && c.kind() == "call_expression"
        }) else {
            continue;
        };
        let src = ctx.file(function.file).text.as_str();
        let Some((held, acquire)) = plain_lock_event(&function.scope, ctx.index, call, src) else {
            continue;
        };
        let Some(rest) = held.base.strip_prefix(receiver.name.as_str()) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('.')) {
            continue;
        }
        wrappers.names.insert(decl.name.clone());
        wrappers
            .by_decl
            .insert(decl as *const FuncDecl, (rest.to_string(), held, acquire));
    }
    wrappers
}

/// `X.Lock()`, `X.RLock()`, `X.Unlock()`, `X.RUnlock()` on a lock: the lock and whether the call
/// acquires it.
fn plain_lock_event(
    scope: &FuncScope<'_>,
    index: &Index,
    call: Node<'_>,
    src: &str,
) -> Option<(Held, bool)> {
    let function = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "selector_expression")?;
    let (acquire, write) = lock_method(syntax::text(function.child_by_field_name("field")?, src))?;
    let (base, lock) = lock_path(
        scope,
        index,
        function.child_by_field_name("operand")?,
        src,
        &HashMap::new(),
    )?;
    Some((Held { base, lock, write }, acquire))
}

/// What the walker needs to know of the package: its lock wrappers and the names of its
/// functions and methods (to notice them used as values).
#[derive(Debug, Default)]
pub(crate) struct PackageNames {
    pub(crate) wrappers: LockWrappers,
    pub(crate) function_names: HashSet<String>,
}

impl PackageNames {
    pub(crate) fn new(ctx: &PackageContext<'_>) -> Self {
        Self {
            wrappers: lock_wrappers(ctx),
            function_names: ctx
                .pkg
                .funcs
                .keys()
                .cloned()
                .chain(ctx.pkg.methods.keys().map(|(_, m)| m.clone()))
                .collect(),
        }
    }
}

impl Walker<'_, '_, '_> {
    /// `s.lockShares()` where `lockShares` only locks one of the receiver's locks.
    pub(super) fn wrapper_event(&self, function: Node<'_>, method: &str) -> Option<(Held, bool)> {
        if !self.wrappers.names.contains(method) {
            return None;
        }
        let operand = function.child_by_field_name("operand")?;
        let ty = self.scope.type_of(operand)?;
        let decl = self.index.method(&ty, method)?;
        let (rest, held, acquire) = self.wrappers.by_decl.get(&(decl as *const FuncDecl))?;
        let base = format!("{}{rest}", squash(syntax::text(operand, self.src)));
        Some((
            Held {
                base,
                ..held.clone()
            },
            *acquire,
        ))
    }
}
