//! The lock state at a point of a function, and how the states of two paths join.

use std::sync::Arc;

use mapguard_go::index::MapRef;

/// One held lock.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Held {
    /// The expression the lock is reached through: `s` for `s.mu`, empty for package variables.
    pub(crate) base: String,
    pub(crate) lock: MapRef,
    /// `Lock` (true) or `RLock` (false).
    pub(crate) write: bool,
}

/// Lock state at a point: known (possibly empty) or unknown (a closure run by unknown code).
/// The list is shared: a state is recorded at every access and call, and mostly not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum State {
    Known(Arc<Vec<Held>>),
    Unknown,
}

impl State {
    pub(crate) fn empty() -> Self {
        State::Known(Arc::default())
    }

    pub(crate) fn known(held: Vec<Held>) -> Self {
        State::Known(Arc::new(held))
    }

    /// The held lock `lock` reached through `base`, if any.
    pub(crate) fn holding(&self, base: &str, lock: &MapRef) -> Option<&Held> {
        match self {
            State::Known(held) => held.iter().find(|h| h.base == base && h.lock == *lock),
            State::Unknown => None,
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        matches!(self, State::Known(_))
    }

    /// Joins the states of two paths that started from `before` (`None`: the path does not reach
    /// the join). A lock held on both stays held; one released on a path that goes on is not held
    /// (that may be a bug, and is judged); one acquired on only one path (`if doLock {
    /// mu.Lock() }`) leaves the state unknown: the flag usually means the caller holds it, which
    /// cannot be checked, so such accesses are not judged.
    pub(crate) fn merge(before: &State, a: Option<State>, b: Option<State>) -> Option<State> {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(State::Known(a)), Some(State::Known(b))) => {
                let held_before =
                    |h: &Held| matches!(before, State::Known(list) if list.contains(h));
                let mut joined = Vec::new();
                for h in a.iter().chain(b.iter()) {
                    if joined.contains(h) {
                        continue;
                    }
                    if a.contains(h) && b.contains(h) {
                        joined.push(h.clone());
                    } else if !held_before(h) {
                        return Some(State::Unknown);
                    }
                }
                Some(State::known(joined))
            }
            _ => Some(State::Unknown),
        }
    }
}
