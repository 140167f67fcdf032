//! Shared by MG101–MG105: the lock state at every map access and call, each map's guard, and
//! which accesses are judged at all (constructors, `init`, fresh values, lock-contract functions
//! and closures run by unknown code are not).

mod callers;
pub(crate) mod guards;
pub(crate) mod locks;

use std::collections::HashMap;
use std::sync::LazyLock;

use mapguard_go::index::{FuncDecl, MapRef};
use mapguard_go::syntax::{self, Node};
use regex::Regex;

use crate::context::{FunctionFacts, PackageContext};
use guards::Guard;
use locks::{Held, LockFacts, State};

/// One access to a package map (package var or field of this package's types).
#[derive(Debug, Clone)]
pub(crate) struct AccessSite {
    /// Index into `PackageContext::functions()`.
    pub(crate) function: usize,
    /// Index into that function's `accesses`.
    pub(crate) access: usize,
    pub(crate) target: MapRef,
    /// The path the map is reached through (`s` for `s.items`; empty for package vars).
    pub(crate) base: String,
    pub(crate) state: State,
    /// Whether the access counts as evidence and can be a finding.
    pub(crate) judged: bool,
}

impl AccessSite {
    /// Whether the access holds `lock` through its own base (in write mode when `write`).
    pub(crate) fn holds(&self, lock: &MapRef, write: bool) -> bool {
        self.state
            .holding(&self.base, lock)
            .is_some_and(|h| h.write || !write)
    }
}

/// The concurrency facts of one package.
pub(crate) struct ConcurrencyFacts<'a> {
    pub(crate) locks: Vec<LockFacts<'a>>,
    pub(crate) sites: Vec<AccessSite>,
    pub(crate) guards: HashMap<MapRef, Guard>,
}

/// What a function's name or doc says about locks its callers must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contract {
    /// The lock named by the doc (`mu`, `s.statsMu` → `statsMu`), if any.
    pub(crate) lock: Option<String>,
}

static CONTRACT_DOC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:caller|callers)\s+(?:must\s+)?(?:hold|holds|have\s+locked)\s+(?:the\s+)?(?:\w+\.)?(?P<a>\w+)
      | must\s+be\s+called\s+with\s+(?:the\s+)?(?:\w+\.)?(?P<b>\w+)\s+(?:held|locked)
      | (?:\w+\.)?(?P<c>\w+)\s+must\s+be\s+(?:held|locked)
      | \+checklocks:(?:\w+\.)?(?P<d>\w+)
      | requires\s+(?:\w+\.)?(?P<e>\w+)\s+(?:to\s+be\s+)?(?:held|locked)
      | (?:with|while)\s+(?:\w+\.)?(?P<f>\w+)\s+(?:is\s+)?(?:held|locked)",
    )
    .expect("valid regex")
});

/// The lock contract of a function: documented, or implied by a `…Locked` name.
pub(crate) fn contract(function: &FunctionFacts<'_>) -> Option<Contract> {
    function.decl.and_then(declared_contract)
}

/// The lock contract a declaration states.
pub(crate) fn declared_contract(decl: &FuncDecl) -> Option<Contract> {
    if let Some(caps) = decl.doc.as_deref().and_then(|d| CONTRACT_DOC.captures(d)) {
        let lock = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .find_map(|g| caps.name(g))
            .map(|m| m.as_str().to_string());
        return Some(Contract { lock });
    }
    (decl.name.ends_with("Locked") && decl.name != "Locked").then_some(Contract { lock: None })
}

/// Computes (once per package) the lock state at every access and every map's guard.
pub(crate) fn facts<'c, 'a>(ctx: &'c PackageContext<'a>) -> &'c ConcurrencyFacts<'a> {
    ctx.concurrency_cell().get_or_init(|| build(ctx))
}

fn build<'a>(ctx: &PackageContext<'a>) -> ConcurrencyFacts<'a> {
    let functions = ctx.functions();
    let analyze = |f: &FunctionFacts<'a>, entry: Vec<Held>| {
        locks::analyze(f, &ctx.file(f.file).text, ctx.index, entry)
    };
    let mut locks: Vec<LockFacts<'a>> = functions.iter().map(|f| analyze(f, Vec::new())).collect();
    // Unexported helpers called only with a lock held run with it held (two rounds follow
    // helpers of helpers).
    let mut entries: Vec<Vec<Held>> = vec![Vec::new(); functions.len()];
    for _ in 0..2 {
        let next = callers::entry_locks(ctx, &locks);
        if next == entries {
            break;
        }
        for (i, entry) in next.iter().enumerate() {
            if *entry != entries[i] {
                locks[i] = analyze(&functions[i], entry.clone());
            }
        }
        entries = next;
    }
    let mut sites = Vec::new();
    for (fi, (function, facts)) in functions.iter().zip(&locks).enumerate() {
        let src = ctx.file(function.file).text.as_str();
        let excluded = function.is_init_or_constructor() || contract(function).is_some();
        for (ai, access) in function.accesses.iter().enumerate() {
            if !is_package_map(ctx, &access.target) {
                continue;
            }
            let state = facts
                .access_states
                .get(&ai)
                .cloned()
                .unwrap_or(State::Unknown);
            let base = locks::base_of(access.map_expr, src);
            let fresh = is_fresh(function, access.map_expr, src);
            sites.push(AccessSite {
                function: fi,
                access: ai,
                target: access.target.clone(),
                judged: !excluded && !fresh && state.is_known(),
                base,
                state,
            });
        }
    }
    let mut facts = ConcurrencyFacts {
        locks,
        sites,
        guards: HashMap::new(),
    };
    facts.guards = guards::infer(ctx, &facts);
    facts
}

/// Package variables and fields of this package's types.
fn is_package_map(ctx: &PackageContext<'_>, target: &MapRef) -> bool {
    match target {
        MapRef::Global { pkg, .. } | MapRef::Field { pkg, .. } => *pkg == ctx.pkg.path,
        MapRef::Local { .. } => false,
    }
}

/// Whether a map is reached through a local holding a value this function allocated
/// (`s := &Server{…}; s.items[k] = v`): not shared yet.
fn is_fresh(function: &FunctionFacts<'_>, map_expr: Node<'_>, src: &str) -> bool {
    let mut base = map_expr;
    while base.kind() == "selector_expression" {
        match base.child_by_field_name("operand") {
            Some(operand) => base = operand,
            None => return false,
        }
    }
    if base.kind() != "identifier" || base == map_expr {
        return false;
    }
    let Some(local) = function
        .scope
        .local(syntax::text(base, src), base.start_byte() as u32)
    else {
        return false;
    };
    if local.is_param {
        return false;
    }
    let Some(name) = function
        .node
        .descendant_for_byte_range(local.decl as usize, local.decl as usize)
    else {
        return false;
    };
    let Some(list) = name.parent().filter(|p| p.kind() == "expression_list") else {
        return false;
    };
    let Some(decl) = list
        .parent()
        .filter(|d| d.kind() == "short_var_declaration")
    else {
        return false;
    };
    let position = syntax::named_children(list).position(|n| n == name);
    let value = decl
        .child_by_field_name("right")
        .and_then(|r| position.and_then(|i| syntax::named_children(r).nth(i)));
    value.is_some_and(|v| {
        let inner = if v.kind() == "unary_expression" {
            v.child_by_field_name("operand").unwrap_or(v)
        } else {
            v
        };
        inner.kind() == "composite_literal"
            || (inner.kind() == "call_expression"
                && inner
                    .child_by_field_name("function")
                    .is_some_and(|f| matches!(syntax::text(f, src), "new" | "make")))
    })
}
