//! Code that runs elsewhere than in statement order: goroutines, callbacks registered for later,
//! closures handed to unknown code, and local closures that lock.

use mapguard_go::syntax::{self, Node};

use super::{Held, Launch, State, Walker};

impl<'t> Walker<'_, '_, 't> {
    pub(super) fn go_statement(&mut self, stmt: Node<'t>, state: State) -> State {
        let call = syntax::named_children(stmt).next();
        let function = call.and_then(|c| c.child_by_field_name("function"));
        let literal = function
            .filter(|f| f.kind() == "func_literal")
            .or_else(|| function.and_then(|f| self.stored_literal(f)));
        self.facts.launches.push(Launch {
            node: stmt,
            body: literal,
            in_loop: self.loop_depth > 0,
        });
        if let Some(call) = call {
            // Arguments are evaluated by the spawner, under its locks.
            if let Some(args) = call.child_by_field_name("arguments") {
                self.simple(args, state.clone());
            }
            if literal.is_none() {
                // `go c.evictLocked()`: the call itself runs in the new goroutine, with no lock.
                self.record_calls_in(call, State::empty());
                self.facts.detached_calls.insert(call.start_byte());
            }
        }
        if let Some(body) = literal.and_then(|l| l.child_by_field_name("body")) {
            self.in_goroutine(stmt, body, &state);
        }
        state
    }

    /// The locks held at a launch that stay held until a later `Wait()` of the spawner.
    fn shield(&self, launch: Node<'t>, state: &State) -> Vec<Held> {
        let State::Known(held) = state else {
            return Vec::new();
        };
        if held.is_empty() {
            return Vec::new();
        }
        let after = launch.end_byte();
        let calls: Vec<Node<'t>> = syntax::descendants(self.root)
            .filter(|n| n.kind() == "call_expression" && n.start_byte() >= after)
            .collect();
        let Some(wait) = calls.iter().find(|c| {
            c.child_by_field_name("function")
                .is_some_and(|f| syntax::text(f, self.src).ends_with(".Wait"))
        }) else {
            return Vec::new();
        };
        let released: Vec<Held> = calls
            .iter()
            .filter(|c| c.start_byte() < wait.start_byte())
            .filter_map(|c| self.lock_event(*c))
            .filter(|(_, acquire)| !acquire)
            .map(|(h, _)| h)
            .collect();
        held.iter()
            .filter(|h| {
                !released
                    .iter()
                    .any(|r| r.base == h.base && r.lock == h.lock)
            })
            .cloned()
            .collect()
    }

    /// The body of a local function literal called here whose body locks or unlocks
    /// (`lock := func() { … mu.Lock() … }; lock()`).
    pub(super) fn local_lock_helper(&self, call: Node<'t>) -> Option<Node<'t>> {
        let function = call
            .child_by_field_id(syntax::FIELDS.function)
            .filter(|f| f.kind_id() == syntax::KINDS.identifier)?;
        let literal = self.stored_literal(function)?;
        let body = literal.child_by_field_name("body")?;
        syntax::descendants(body)
            .any(|n| n.kind_id() == syntax::KINDS.call_expression && self.lock_event(n).is_some())
            .then_some(body)
    }

    /// `work := func(…) {…}; go work(x)`: the literal a local function variable holds.
    fn stored_literal(&self, function: Node<'t>) -> Option<Node<'t>> {
        if function.kind() != "identifier" {
            return None;
        }
        let local = self.scope.local(
            syntax::text(function, self.src),
            function.start_byte() as u32,
        )?;
        // Locals are declared inside the function being walked.
        let name = self
            .root
            .descendant_for_byte_range(local.decl as usize, local.decl as usize)?;
        let list = name.parent().filter(|p| p.kind() == "expression_list")?;
        let decl = list
            .parent()
            .filter(|d| d.kind() == "short_var_declaration")?;
        let index = syntax::named_children(list).position(|n| n == name)?;
        syntax::named_children(decl.child_by_field_name("right")?)
            .nth(index)
            .filter(|v| v.kind() == "func_literal")
    }

    fn in_goroutine(&mut self, launch: Node<'t>, body: Node<'t>, state: &State) {
        let shield = self.shield(launch, state);
        if !shield.is_empty() {
            self.facts.shields.insert(launch.start_byte(), shield);
        }
        // A stored literal was first walked where it was declared; it runs here instead.
        let (start, end) = (body.start_byte(), body.end_byte());
        let inside: Vec<usize> = self
            .positions
            .iter()
            .filter(|((s, e), _)| *s >= start && *e <= end)
            .flat_map(|(_, indices)| indices.iter().copied())
            .collect();
        for i in inside {
            self.facts.access_states.remove(&i);
            self.facts.opaque_accesses.remove(&i);
        }
        let outer = self.goroutine.replace(launch);
        let depth = std::mem::replace(&mut self.loop_depth, 0);
        self.detached_block(body);
        self.loop_depth = depth;
        self.goroutine = outer;
    }

    /// Walks a body that runs detached, starting with no lock.
    fn detached_block(&mut self, body: Node<'t>) {
        // A goroutine or later callback starts with no lock wherever it is launched from.
        let outer = std::mem::replace(&mut self.detached, true);
        let opaque = std::mem::replace(&mut self.opaque, false);
        self.block(body, State::empty());
        self.detached = outer;
        self.opaque = opaque;
    }

    /// A function literal not run by a `go` statement: called in place, or handed to other code.
    pub(super) fn closure(&mut self, literal: Node<'t>, state: &State) {
        let Some(body) = literal.child_by_field_name("body") else {
            return;
        };
        let parent = literal.parent();
        let called_in_place = parent.is_some_and(|p| {
            p.kind() == "call_expression" && p.child_by_field_name("function") == Some(literal)
        });
        if called_in_place {
            self.block(body, state.clone());
            return;
        }
        let call = parent
            .and_then(|p| p.parent())
            .filter(|c| c.kind() == "call_expression");
        let callee = call
            .and_then(|c| c.child_by_field_name("function"))
            .map_or("", |f| syntax::text(f, self.src));
        let method = callee.rsplit('.').next().unwrap_or("");
        // errgroup and WaitGroup `Go`, errgroup `TryGo`, worker pools (`conc` `Go`, `ants` `Submit`).
        if matches!(method, "Go" | "TryGo" | "Submit") {
            if let Some(call) = call {
                self.facts.launches.push(Launch {
                    node: call,
                    body: Some(literal),
                    in_loop: self.loop_depth > 0,
                });
                self.in_goroutine(call, body, state);
            }
        } else if is_later_callback(callee, method) {
            self.detached_block(body);
        } else {
            let outer = std::mem::replace(&mut self.opaque, true);
            self.block(body, State::empty());
            self.opaque = outer;
        }
    }

    /// `g.Go(f)` / `wg.Go(f)` with a named function: a launch without a literal body.
    pub(super) fn record_launch_call(&mut self, call: Node<'t>) {
        let callee = call
            .child_by_field_id(syntax::FIELDS.function)
            .map_or("", |f| syntax::text(f, self.src));
        if !(callee.ends_with(".Go") || callee.ends_with(".TryGo") || callee.ends_with(".Submit")) {
            return;
        }
        let has_literal = call
            .child_by_field_id(syntax::FIELDS.arguments)
            .is_some_and(|a| {
                syntax::named_children(a).any(|n| n.kind_id() == syntax::KINDS.func_literal)
            });
        if !has_literal {
            self.facts.launches.push(Launch {
                node: call,
                body: None,
                in_loop: self.loop_depth > 0,
            });
        }
    }
}

/// Calls that run the function they are given later or on another goroutine: callbacks and
/// goroutine launchers (`g.Go(f)`).
pub(crate) fn runs_later(callee: &str, method: &str) -> bool {
    is_later_callback(callee, method) || matches!(method, "Go" | "TryGo" | "Submit")
}

/// Callbacks that run later, on another goroutine, with none of the caller's locks.
fn is_later_callback(callee: &str, method: &str) -> bool {
    callee == "time.AfterFunc"
        || matches!(
            method,
            "HandleFunc"
                | "Handle"
                | "AfterFunc"
                | "OnEvicted"
                | "Subscribe"
                | "RegisterOnShutdown"
        )
}
