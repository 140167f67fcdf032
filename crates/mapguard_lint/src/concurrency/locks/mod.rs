//! Lock state along a function body, in statement order.
//!
//! `Lock/RLock/Unlock/RUnlock` on a `sync.Mutex`, `sync.RWMutex`, `sync.Locker` (or a type that
//! embeds one) change the set of held locks; `defer …Unlock()` keeps the lock to the end; a
//! `TryLock()` condition holds the lock in its branch; branches merge conservatively (a lock is
//! held after an `if` only if every path that continues holds it). Closures called in place
//! inherit the state; `go` closures and callbacks registered for later start with no lock (see
//! `goroutines`); other closures are walked from no lock, relative to their own start, and their
//! accesses are not judged. Lock wrapper methods count as lock events (see `wrappers`).
//!
//! A lock is identified by the path used to reach it: the base expression text (`s`, `c.shard`,
//! empty for package variables) and the field or variable it names.

mod goroutines;
mod wrappers;

use std::collections::{HashMap, HashSet};

use mapguard_go::index::{FuncScope, Index, MapRef};
use mapguard_go::syntax::{self, Node};

pub(crate) use super::paths::{
    base_of, base_path, is_lock_type, lock_method, lock_path, lock_text, root_identifier, squash,
};
pub(crate) use super::state::{Held, State};
pub(crate) use goroutines::runs_later;
pub(crate) use wrappers::{LockWrappers, PackageNames};

use crate::context::FunctionFacts;

/// What runs where a statement launches a goroutine.
#[derive(Debug, Clone)]
pub(crate) struct Launch<'t> {
    /// The `go` statement or the `g.Go(…)` call.
    pub(crate) node: Node<'t>,
    /// The function literal that runs in the goroutine, when it is one.
    pub(crate) body: Option<Node<'t>>,
    /// Whether the launch is inside a loop of the spawning function (several goroutines).
    pub(crate) in_loop: bool,
}

/// Lock facts of one function.
#[derive(Debug, Default)]
pub(crate) struct LockFacts<'t> {
    /// State at each map access, by index into `FunctionFacts::accesses`.
    pub(crate) access_states: HashMap<usize, State>,
    /// Whether an access runs inside a goroutine launched by this function, by index.
    pub(crate) in_goroutine: HashMap<usize, Node<'t>>,
    /// State at method and function calls (`x.fLocked()`, `f()`), by call node start byte.
    pub(crate) call_states: Vec<(Node<'t>, State)>,
    pub(crate) launches: Vec<Launch<'t>>,
    /// Accesses that run detached from the function's own flow, concurrently with it and with
    /// its callers: in a goroutine it launches or a callback registered to run later.
    pub(crate) detached_accesses: HashSet<usize>,
    /// Calls (by start byte) that run detached: `go f()`, and calls inside detached closures.
    pub(crate) detached_calls: HashSet<usize>,
    /// Names of package functions and methods used other than by calling them (`s.handle` in
    /// `mux.HandleFunc(p, s.handle)`): identifiers and selectors, in walk order.
    pub(crate) value_refs: Vec<Node<'t>>,
    /// Accesses inside closures handed to unknown code: their state is relative to the closure's
    /// start (no lock), which is right for maps and locks the closure owns and unknown for others.
    pub(crate) opaque_accesses: HashSet<usize>,
    /// Locks the spawner holds from a launch (by start byte) until it waits for the goroutines
    /// (`mu.Lock(); for … { go … }; wg.Wait(); mu.Unlock()`): no other holder of them runs
    /// beside the goroutine.
    pub(crate) shields: HashMap<usize, Vec<Held>>,
}

/// Walks one function and records the lock state at every map access and call.
/// `entry` is the lock state the function starts with (locks its callers are known to hold).
pub(crate) fn analyze<'t>(
    function: &FunctionFacts<'t>,
    src: &str,
    index: &Index,
    package: &PackageNames,
    entry: Vec<Held>,
) -> LockFacts<'t> {
    let body = function.node.child_by_field_name("body");
    if let Some(body) = body
        && is_straight(&src[body.byte_range()], package)
    {
        return straight(function, body, src, package, entry);
    }
    let mut walker = Walker {
        root: function.node,
        wrappers: &package.wrappers,
        function_names: &package.function_names,
        called: HashSet::new(),
        scope: &function.scope,
        index,
        src,
        positions: access_positions(function),
        facts: LockFacts::default(),
        aliases: HashMap::new(),
        goroutine: None,
        detached: false,
        opaque: false,
        loop_depth: 0,
    };
    if let Some(body) = body {
        walker.block(body, State::known(entry));
    }
    walker.facts
}

/// A body whose lock state cannot change: no lock call (`Lock`, `RLock`, `Unlock`, `TryLock`,
/// a wrapper), no function literal, no goroutine launch. Text tests, so a comment that mentions
/// one only costs the full walk.
fn is_straight(body: &str, package: &PackageNames) -> bool {
    !["Lock", "func", "go ", "go\t", ".Go(", ".TryGo(", ".Submit("]
        .iter()
        .any(|word| body.contains(word))
        && !package
            .wrappers
            .names
            .iter()
            .any(|name| body.contains(name.as_str()))
}

/// The facts of a straight body (see [`is_straight`]): every access and call holds the entry
/// state, so one pass over its nodes replaces the walk in statement order.
fn straight<'t>(
    function: &FunctionFacts<'t>,
    body: Node<'t>,
    src: &str,
    package: &PackageNames,
    entry: Vec<Held>,
) -> LockFacts<'t> {
    let kinds = &*syntax::KINDS;
    let state = State::known(entry);
    let positions = access_positions(function);
    let mut facts = LockFacts::default();
    let mut called = HashSet::new();
    for n in syntax::descendants(body) {
        let kind = n.kind_id();
        if kind == kinds.call_expression {
            if let Some(callee) = n.child_by_field_id(syntax::FIELDS.function) {
                called.insert(callee.id());
            }
            facts.call_states.push((n, state.clone()));
        } else if (kind == kinds.identifier || kind == kinds.selector_expression)
            && is_value_ref(n, src, &package.function_names, &called)
        {
            facts.value_refs.push(n);
        }
        if let Some(indices) = positions.get(&(n.start_byte(), n.end_byte())) {
            for &i in indices {
                facts
                    .access_states
                    .entry(i)
                    .or_insert_with(|| state.clone());
            }
        }
    }
    facts
}

/// Whether an identifier or selector names a package function or method (`names`) other than
/// as the function a call calls (`called`: those functions' node ids).
fn is_value_ref(n: Node<'_>, src: &str, names: &HashSet<String>, called: &HashSet<usize>) -> bool {
    let name = if n.kind_id() == syntax::KINDS.selector_expression {
        n.child_by_field_id(syntax::FIELDS.field)
            .map_or("", |f| syntax::text(f, src))
    } else {
        syntax::text(n, src)
    };
    names.contains(name) && !called.contains(&n.id())
}

/// A function's map accesses by the (start, end) of their node.
fn access_positions(function: &FunctionFacts<'_>) -> HashMap<(usize, usize), Vec<usize>> {
    function
        .accesses
        .iter()
        .enumerate()
        .fold(HashMap::new(), |mut map, (i, a)| {
            map.entry((a.node.start_byte(), a.node.end_byte()))
                .or_insert_with(Vec::new)
                .push(i);
            map
        })
}

struct Walker<'s, 'a, 't> {
    /// The function being walked.
    root: Node<'t>,
    wrappers: &'s LockWrappers,
    function_names: &'s HashSet<String>,
    /// Function expressions of the calls seen so far (`Node::id`), which are not value uses.
    called: HashSet<usize>,
    scope: &'s FuncScope<'a>,
    index: &'s Index,
    src: &'s str,
    /// Map accesses by the (start, end) of their node.
    positions: HashMap<(usize, usize), Vec<usize>>,
    facts: LockFacts<'t>,
    /// Locals that alias a lock (`mu := &s.mu`), by declaration offset.
    aliases: HashMap<u32, (String, MapRef)>,
    /// The goroutine launch whose body is being walked.
    goroutine: Option<Node<'t>>,
    /// Whether the code being walked runs detached (a goroutine or a later callback).
    detached: bool,
    /// Whether the code being walked is a closure handed to unknown code.
    opaque: bool,
    loop_depth: usize,
}

impl<'t> Walker<'_, '_, 't> {
    /// Walks a block; `None` when no path reaches its end.
    fn block(&mut self, block: Node<'t>, state: State) -> Option<State> {
        let mut state = Some(state);
        // Statements, with tree-sitter-go's `statement_list` wrappers flattened (no allocation).
        let items = syntax::named_children(block).flat_map(|child| {
            let list = child.kind() == "statement_list";
            std::iter::once(child).filter(move |_| !list).chain(
                list.then(|| syntax::named_children(child))
                    .into_iter()
                    .flatten(),
            )
        });
        for item in items {
            let current = state?;
            state = self.statement(item, current);
        }
        state
    }

    fn statement(&mut self, stmt: Node<'t>, state: State) -> Option<State> {
        match stmt.kind() {
            "comment" | "empty_statement" => Some(state),
            "block" | "statement_list" => self.block(stmt, state),
            "labeled_statement" => {
                match syntax::named_children(stmt).find(|n| n.kind() != "label_name") {
                    Some(inner) => self.statement(inner, state),
                    None => Some(state),
                }
            }
            "if_statement" => self.if_statement(stmt, state),
            "for_statement" => {
                let header: Vec<Node<'t>> = syntax::named_children(stmt)
                    .filter(|n| n.kind() != "block")
                    .collect();
                let mut state = state;
                for part in header {
                    state = self.simple(part, state);
                }
                self.loop_depth += 1;
                let body = stmt
                    .child_by_field_name("body")
                    .and_then(|b| self.block(b, state.clone()));
                self.loop_depth -= 1;
                State::merge(&state, Some(state.clone()), body)
            }
            "expression_switch_statement" | "type_switch_statement" | "select_statement" => {
                self.switch(stmt, state)
            }
            "return_statement" => {
                self.simple(stmt, state);
                None
            }
            "go_statement" => Some(self.go_statement(stmt, state)),
            "defer_statement" => Some(self.defer_statement(stmt, state)),
            "break_statement" | "continue_statement" | "goto_statement" => None,
            "expression_statement" if is_panic(stmt, self.src) => {
                self.simple(stmt, state);
                None
            }
            _ => Some(self.simple(stmt, state)),
        }
    }

    fn if_statement(&mut self, stmt: Node<'t>, state: State) -> Option<State> {
        let mut state = state;
        if let Some(init) = stmt.child_by_field_name("initializer") {
            state = self.simple(init, state);
        }
        let mut then_state = state.clone();
        if let Some(condition) = stmt.child_by_field_name("condition") {
            state = self.simple(condition, state);
            then_state = state.clone();
            if let Some(held) = self.try_lock(condition)
                && let State::Known(list) = &mut then_state
            {
                std::sync::Arc::make_mut(list).push(held);
            }
        }
        // `if !mu.TryLock() { return }`: the lock is held on the path that goes on.
        let before = state.clone();
        let mut else_state = state;
        if let Some(held) = stmt
            .child_by_field_name("condition")
            .and_then(|c| self.failed_try_lock(c))
            && let State::Known(list) = &mut else_state
        {
            std::sync::Arc::make_mut(list).push(held);
        }
        let consequence = stmt
            .child_by_field_name("consequence")
            .and_then(|c| self.block(c, then_state));
        let alternative = match stmt.child_by_field_name("alternative") {
            Some(alt) => self.statement(alt, else_state),
            None => Some(else_state),
        };
        State::merge(&before, consequence, alternative)
    }

    /// `if !mu.TryLock()`: the lock that is held when the condition is false.
    fn failed_try_lock(&self, condition: Node<'_>) -> Option<Held> {
        let negated = condition.kind() == "unary_expression"
            && condition
                .child_by_field_name("operator")
                .is_some_and(|o| syntax::text(o, self.src) == "!");
        if !negated {
            return None;
        }
        self.try_lock_call(condition.child_by_field_name("operand")?)
    }

    fn switch(&mut self, stmt: Node<'t>, state: State) -> Option<State> {
        let mut state = state;
        let mut has_default = false;
        let mut result: Option<State> = None;
        for child in syntax::named_children(stmt) {
            match child.kind() {
                "expression_case" | "type_case" | "default_case" | "communication_case" => {
                    has_default |= child.kind() == "default_case";
                    let mut case_state = Some(state.clone());
                    for item in syntax::named_children(child) {
                        let Some(current) = case_state else { break };
                        let is_header = child.child_by_field_name("value") == Some(item)
                            || child.child_by_field_name("communication") == Some(item)
                            || child.child_by_field_name("type") == Some(item);
                        case_state = if is_header {
                            Some(self.simple(item, current))
                        } else {
                            self.statement(item, current)
                        };
                    }
                    result = State::merge(&state, result, case_state);
                }
                "comment" => {}
                _ => state = self.simple(child, state),
            }
        }
        // A select without default blocks until a case runs; a switch without one may run none.
        if !has_default && stmt.kind() != "select_statement" {
            result = State::merge(&state, result, Some(state.clone()));
        }
        result
    }

    fn defer_statement(&mut self, stmt: Node<'t>, state: State) -> State {
        let Some(call) = syntax::named_children(stmt).next() else {
            return state;
        };
        if self.lock_event(call).is_some() {
            // `defer mu.Unlock()`: the lock stays held until the function returns.
            return state;
        }
        // Deferred calls run at return; the state where they are registered approximates it.
        self.simple(call, state.clone());
        state
    }

    /// A statement or expression without nested statements: lock events, accesses and calls in
    /// source order; closures inside are walked by how they run.
    fn simple(&mut self, node: Node<'t>, state: State) -> State {
        let mut state = state;
        let mut skip_until = 0;
        let kinds = &*syntax::KINDS;
        for n in syntax::descendants(node) {
            if n.start_byte() < skip_until {
                continue;
            }
            let kind = n.kind_id();
            match kind {
                _ if kind == kinds.func_literal => {
                    skip_until = n.end_byte();
                    self.closure(n, &state);
                }
                _ if kind == kinds.short_var_declaration || kind == kinds.var_spec => {
                    self.record_alias(n)
                }
                _ if kind == kinds.identifier || kind == kinds.selector_expression => {
                    self.note_value_ref(n);
                }
                _ if kind == kinds.call_expression => {
                    if let Some(function) = n.child_by_field_id(syntax::FIELDS.function) {
                        self.called.insert(function.id());
                    }
                    if let Some((held, acquire)) = self.lock_event(n) {
                        state = apply(state, held, acquire);
                    } else if let Some(body) = self.local_lock_helper(n) {
                        // `lock := func() { if needLock { mu.Lock() } }; lock()`: the helper's
                        // lock events happen here.
                        state = self.block(body, state.clone()).unwrap_or(state);
                    } else {
                        if self.detached {
                            self.facts.detached_calls.insert(n.start_byte());
                        }
                        let at_call = if self.opaque {
                            State::Unknown
                        } else {
                            state.clone()
                        };
                        self.facts.call_states.push((n, at_call));
                        self.record_launch_call(n);
                    }
                }
                _ => {}
            }
            self.record_accesses_at(n, &state);
        }
        state
    }

    /// Records `n` when it names a package function or method and is not what a call calls.
    fn note_value_ref(&mut self, n: Node<'t>) {
        if is_value_ref(n, self.src, self.function_names, &self.called) {
            self.facts.value_refs.push(n);
        }
    }

    fn record_calls_in(&mut self, node: Node<'t>, state: State) {
        for n in syntax::descendants(node).filter(|n| n.kind_id() == syntax::KINDS.call_expression)
        {
            self.facts.call_states.push((n, state.clone()));
        }
    }

    /// Records the state of the accesses whose statement starts at `node`.
    fn record_accesses_at(&mut self, node: Node<'t>, state: &State) {
        if self.positions.is_empty() {
            return;
        }
        let Some(indices) = self.positions.get(&(node.start_byte(), node.end_byte())) else {
            return;
        };
        for &i in indices {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                self.facts.access_states.entry(i)
            {
                slot.insert(state.clone());
                if let Some(launch) = self.goroutine {
                    self.facts.in_goroutine.insert(i, launch);
                }
                if self.detached {
                    self.facts.detached_accesses.insert(i);
                }
                if self.opaque {
                    self.facts.opaque_accesses.insert(i);
                }
            }
        }
    }

    /// `mu := &s.mu` / `mu := s.mu` (a pointer field): later `mu.Lock()` locks `s.mu`.
    fn record_alias(&mut self, decl: Node<'t>) {
        let names: Vec<Node<'t>> = match decl.kind() {
            "short_var_declaration" => decl
                .child_by_field_name("left")
                .map(|l| syntax::named_children(l).collect())
                .unwrap_or_default(),
            _ => syntax::field_children(decl, "name"),
        };
        let values: Vec<Node<'t>> = decl
            .child_by_field_name(if decl.kind() == "short_var_declaration" {
                "right"
            } else {
                "value"
            })
            .map(|l| syntax::named_children(l).collect())
            .unwrap_or_default();
        for (name, value) in names.into_iter().zip(values) {
            let target = if value.kind() == "unary_expression" {
                value.child_by_field_name("operand").unwrap_or(value)
            } else {
                value
            };
            if let Some(lock) = self.lock_path(target) {
                self.aliases.insert(name.start_byte() as u32, lock);
            }
        }
    }

    /// `X.Lock()`-style calls: the lock and whether it is acquired (`Some(held)`) or released.
    fn lock_event(&self, call: Node<'_>) -> Option<(Held, bool)> {
        let function = call
            .child_by_field_id(syntax::FIELDS.function)
            .filter(|f| f.kind_id() == syntax::KINDS.selector_expression)?;
        let method = syntax::text(function.child_by_field_id(syntax::FIELDS.field)?, self.src);
        let Some((acquire, write)) = lock_method(method) else {
            return self.wrapper_event(function, method);
        };
        let (base, lock) = self.lock_path(function.child_by_field_name("operand")?)?;
        Some((Held { base, lock, write }, acquire))
    }

    /// `if mu.TryLock()` / `if s.mu.TryRLock()`: the lock held inside the branch.
    fn try_lock(&self, condition: Node<'_>) -> Option<Held> {
        let negated = syntax::text(condition, self.src)
            .trim_start()
            .starts_with('!');
        if negated {
            return None;
        }
        let call = syntax::descendants(condition).find(|n| n.kind() == "call_expression")?;
        self.try_lock_call(call)
    }

    /// `X.TryLock()` / `X.TryRLock()`: the lock it takes when it succeeds.
    fn try_lock_call(&self, call: Node<'_>) -> Option<Held> {
        let function = call
            .child_by_field_name("function")
            .filter(|f| f.kind() == "selector_expression")?;
        let write = match syntax::text(function.child_by_field_name("field")?, self.src) {
            "TryLock" => true,
            "TryRLock" => false,
            _ => return None,
        };
        let (base, lock) = self.lock_path(function.child_by_field_name("operand")?)?;
        Some(Held { base, lock, write })
    }

    /// The path of a lock expression: `s.mu` → (`s`, field `mu`); `s` embedding a mutex →
    /// (`s`, field `Mutex`); `mu` (package var) → (``, `mu`); an alias local → what it aliases.
    fn lock_path(&self, expr: Node<'_>) -> Option<(String, MapRef)> {
        lock_path(self.scope, self.index, expr, self.src, &self.aliases)
    }
}

fn apply(state: State, held: Held, acquire: bool) -> State {
    match state {
        State::Unknown => State::Unknown,
        State::Known(mut list) => {
            let list_mut = std::sync::Arc::make_mut(&mut list);
            list_mut.retain(|h| !(h.base == held.base && h.lock == held.lock));
            if acquire {
                list_mut.push(held);
            }
            State::Known(list)
        }
    }
}

/// Calls that do not return: `panic`, `os.Exit`, `log.Fatal*`/`Panic*`, and the test helpers
/// `t.Fatal*`, `t.FailNow`, `t.Skip*`.
fn is_panic(stmt: Node<'_>, src: &str) -> bool {
    syntax::named_children(stmt).next().is_some_and(|call| {
        call.kind() == "call_expression"
            && call.child_by_field_name("function").is_some_and(|f| {
                let callee = syntax::text(f, src);
                let method = callee.rsplit('.').next().unwrap_or(callee);
                callee == "panic"
                    || callee == "os.Exit"
                    || (f.kind() == "selector_expression"
                        && matches!(
                            method,
                            "Fatal"
                                | "Fatalf"
                                | "Fatalln"
                                | "FailNow"
                                | "Skip"
                                | "Skipf"
                                | "SkipNow"
                                | "Panic"
                                | "Panicf"
                                | "Panicln"
                        ))
            })
    })
}
