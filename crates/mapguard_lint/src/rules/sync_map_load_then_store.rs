use mapguard_go::index::{Index, Type};
use mapguard_go::syntax::{self, Node};

use crate::context::{FunctionFacts, PackageContext};
use crate::declare_rule;
use crate::rule::{Rule, RuleInfo};

declare_rule! {
    /// ## What it does
    /// Finds a `sync.Map` `Store` of a key that the same function first `Load`ed, with no lock
    /// held across the two calls.
    ///
    /// ## Why is this bad?
    /// Each call is atomic; the pair is not. Two goroutines can both miss in `Load`, both build a
    /// value, and the second `Store` silently replaces the first: lost counter increments, two rate
    /// limiters for one client, a cache entry built twice.
    ///
    /// ## Example
    /// ```go
    /// if v, ok := s.limiters.Load(ip); ok {
    ///     return v.(*bucket)
    /// }
    /// b := newBucket()
    /// s.limiters.Store(ip, b)
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// v, _ := s.limiters.LoadOrStore(ip, newBucket())
    /// return v.(*bucket)
    /// ```
    /// For read-modify-write updates, loop on `CompareAndSwap`.
    ///
    /// ## Fix safety
    /// No automatic fix: `LoadOrStore` evaluates the new value eagerly, which may not be wanted.
    pub struct SyncMapLoadThenStore;
    code = "MG501", name = "sync-map-load-then-store", summary = "Load then Store of the same key on a sync.Map is not atomic",
    severity = Warning, fixable = false,
}

impl Rule for SyncMapLoadThenStore {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, ctx: &PackageContext<'_>) {
        for function in ctx.functions() {
            let src = ctx.file(function.file).text.as_str();
            if !src[function.node.byte_range()].contains(".Store(") || serialised(function) {
                continue;
            }
            check_function(ctx, function, src);
        }
    }
}

/// Functions whose Load and Store cannot race: the caller holds a lock (`…Locked`, "lock must
/// be held" docs), or the map is in a value the function is still building (`newHost`).
fn serialised(function: &FunctionFacts<'_>) -> bool {
    function.is_init_or_constructor()
        || function
            .decl
            .is_some_and(|decl| crate::concurrency::declared_contract(decl).is_some())
}

/// One method call on a `sync.Map`.
struct Call<'t> {
    node: Node<'t>,
    map: String,
    method: &'t str,
    key: Option<Node<'t>>,
}

fn check_function(ctx: &PackageContext<'_>, function: &FunctionFacts<'_>, src: &str) {
    let mut calls = Vec::new();
    let mut locks = Vec::new();
    for node in syntax::descendants(function.node).filter(|n| n.kind() == "call_expression") {
        let Some(selector) = node
            .child_by_field_id(syntax::FIELDS.function)
            .filter(|f| f.kind() == "selector_expression")
        else {
            continue;
        };
        let (Some(operand), Some(method)) = (
            selector.child_by_field_id(syntax::FIELDS.operand),
            selector.child_by_field_id(syntax::FIELDS.field),
        ) else {
            continue;
        };
        let method = syntax::text(method, src);
        if matches!(method, "Lock" | "Unlock") {
            let deferred = node.parent().is_some_and(|p| p.kind() == "defer_statement");
            locks.push((node.start_byte(), method, deferred));
            continue;
        }
        if !matches!(
            method,
            "Load"
                | "Store"
                | "LoadOrStore"
                | "LoadAndDelete"
                | "Delete"
                | "Swap"
                | "CompareAndSwap"
                | "CompareAndDelete"
        ) {
            continue;
        }
        if !function
            .scope
            .type_of(operand)
            .is_some_and(|t| is_sync_map(ctx.index, &t))
        {
            continue;
        }
        let key = node
            .child_by_field_id(syntax::FIELDS.arguments)
            .and_then(|a| syntax::named_children(a).next());
        calls.push(Call {
            node,
            map: squash(syntax::text(operand, src)),
            method,
            key,
        });
    }
    for (i, store) in calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.method == "Store")
    {
        let Some(store_key) = store.key else { continue };
        let key_text = squash(syntax::text(store_key, src));
        let load = calls[..i]
            .iter()
            .rev()
            .take_while(|c| {
                !(c.map == store.map
                    && c.method != "Load"
                    && c.key
                        .is_some_and(|k| squash(syntax::text(k, src)) == key_text))
            })
            .find(|c| {
                c.method == "Load"
                    && c.map == store.map
                    && c.key
                        .is_some_and(|k| squash(syntax::text(k, src)) == key_text)
            });
        let Some(load) = load else { continue };
        if reassigned_between(
            function.node,
            store_key,
            load.node.end_byte(),
            store.node.start_byte(),
            src,
        ) || locked_across(&locks, load.node.start_byte(), store.node.start_byte())
        {
            continue;
        }
        let message = format!(
            "Load then Store of key {} on sync.Map {} is not atomic: another goroutine can store between them",
            syntax::text(store_key, src),
            syntax::text(
                store
                    .node
                    .child_by_field_id(syntax::FIELDS.function)
                    .and_then(|f| f.child_by_field_id(syntax::FIELDS.operand))
                    .unwrap_or(store.node),
                src
            )
        );
        let related = ctx.location(function.file, load.node);
        let diagnostic = ctx
            .diagnostic(function.file, store.node, message)
            .with_related(related, "the Load of the same key")
            .with_help("use LoadOrStore, or CompareAndSwap in a loop for read-modify-write");
        ctx.push(diagnostic);
    }
}

/// `sync.Map`, `*sync.Map`, or a struct embedding one (its methods are promoted).
fn is_sync_map(index: &Index, ty: &Type) -> bool {
    let base = ty.pointee();
    if base.is_named("sync", "Map") {
        return true;
    }
    matches!(index.underlying(base), Type::Struct(fields) if fields.iter().any(|f| f.embedded && f.ty.pointee().is_named("sync", "Map")))
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether an identifier key is assigned between the two calls.
fn reassigned_between(
    function: Node<'_>,
    key: Node<'_>,
    start: usize,
    end: usize,
    src: &str,
) -> bool {
    if key.kind() != "identifier" {
        return false;
    }
    let name = syntax::text(key, src);
    syntax::descendants(function)
        .filter(|n| n.start_byte() >= start && n.end_byte() <= end)
        .filter(|n| {
            matches!(
                n.kind(),
                "assignment_statement"
                    | "short_var_declaration"
                    | "inc_statement"
                    | "dec_statement"
            )
        })
        .any(|stmt| {
            let left = stmt
                .child_by_field_id(syntax::FIELDS.left)
                .or_else(|| syntax::named_children(stmt).next());
            left.is_some_and(|l| {
                syntax::descendants(l)
                    .any(|n| n.kind() == "identifier" && syntax::text(n, src) == name)
            })
        })
}

/// Whether a `Lock()` before the Load is still held at the Store (unlocked only by `defer`).
fn locked_across(locks: &[(usize, &str, bool)], load: usize, store: usize) -> bool {
    let mut held = false;
    for &(at, method, deferred) in locks.iter().filter(|(at, _, _)| *at < store) {
        match (method, deferred) {
            ("Lock", false) if at < load => held = true,
            ("Unlock", false) => held = false,
            _ => {}
        }
    }
    held
}
