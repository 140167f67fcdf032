//! Where named types get their definitions: the [`TypeResolver`] trait and ready-made resolvers.

use std::collections::HashMap;

use super::{Basic, Field, GoType, Layout};

/// Supplies definitions of named types (and integer constants used as array lengths).
///
/// `name` is spelled as in the type expression: `T` or `pkg.T` (a generic instantiation is asked
/// for by its full text, e.g. `pkg.Set[string]`). Return the *underlying* type expression; it may
/// refer to further named types, which are resolved in turn.
pub trait TypeResolver {
    /// The definition of a named type, if known.
    fn resolve(&self, name: &str) -> Option<GoType>;

    /// The value of an integer constant (`N` or `pkg.N`), if known.
    fn resolve_const(&self, _name: &str) -> Option<u64> {
        None
    }
}

/// Knows no named types.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTypes;

impl TypeResolver for NoTypes {
    fn resolve(&self, _name: &str) -> Option<GoType> {
        None
    }
}

/// A table of named types and constants, filled by hand, from `--size Name=bytes`, or from Go
/// source ([`super::SourceTypes`]).
#[derive(Debug, Clone, Default)]
pub struct TypeMap {
    types: HashMap<String, GoType>,
    consts: HashMap<String, u64>,
}

impl TypeMap {
    /// Defines (or redefines) a named type.
    pub fn insert(&mut self, name: impl Into<String>, ty: GoType) {
        self.types.insert(name.into(), ty);
    }

    /// Defines a type known only by its size: aligned to the largest power of two that divides
    /// `size`, capped at the word size `max_align`; `has_pointers` as given.
    pub fn insert_size(
        &mut self,
        name: impl Into<String>,
        size: u64,
        has_pointers: bool,
        max_align: u64,
    ) {
        let align = if size == 0 {
            1
        } else {
            (1u64 << size.trailing_zeros().min(63)).min(max_align.max(1))
        };
        self.insert(
            name,
            GoType::Opaque(Layout {
                size,
                align,
                has_pointers,
            }),
        );
    }

    /// Defines an integer constant.
    pub fn insert_const(&mut self, name: impl Into<String>, value: u64) {
        self.consts.insert(name.into(), value);
    }

    /// Number of types defined.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Whether no type is defined.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

impl TypeResolver for TypeMap {
    fn resolve(&self, name: &str) -> Option<GoType> {
        self.types.get(name).cloned()
    }

    fn resolve_const(&self, name: &str) -> Option<u64> {
        self.consts.get(name).copied()
    }
}

/// Tries several resolvers in order; the first answer wins.
#[derive(Default)]
pub struct ChainResolver<'a> {
    resolvers: Vec<&'a dyn TypeResolver>,
}

impl<'a> ChainResolver<'a> {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a resolver (consulted after the ones already added).
    #[must_use]
    pub fn with(mut self, resolver: &'a dyn TypeResolver) -> Self {
        self.resolvers.push(resolver);
        self
    }
}

impl TypeResolver for ChainResolver<'_> {
    fn resolve(&self, name: &str) -> Option<GoType> {
        self.resolvers.iter().find_map(|r| r.resolve(name))
    }

    fn resolve_const(&self, name: &str) -> Option<u64> {
        self.resolvers.iter().find_map(|r| r.resolve_const(name))
    }
}

/// A few standard-library types that commonly sit in map keys and values, with their definitions
/// as of Go 1.19–1.27 (same layout in every release of that range):
/// `time.Time` (src/time/time.go), `time.Duration`, `time.Month`, `time.Weekday`, `sync.Mutex`,
/// `sync.RWMutex` (src/sync/{mutex,rwmutex}.go), `sync.Once` (src/sync/once.go),
/// `net/netip.Addr` spelled `netip.Addr` (src/net/netip/netip.go).
#[derive(Debug, Clone, Copy, Default)]
pub struct StdTypes;

impl TypeResolver for StdTypes {
    fn resolve(&self, name: &str) -> Option<GoType> {
        let basic = |b| GoType::Basic(b);
        let field = |name: &str, ty: GoType| Field {
            name: Some(name.to_owned()),
            ty,
            tag: None,
        };
        let strukt = |fields: Vec<Field>| GoType::Struct { fields };
        Some(match name {
            // wall uint64; ext int64; loc *Location
            "time.Time" => strukt(vec![
                field("wall", basic(Basic::Uint64)),
                field("ext", basic(Basic::Int64)),
                field(
                    "loc",
                    GoType::Pointer(Box::new(GoType::Named("time.Location".into()))),
                ),
            ]),
            "time.Duration" => basic(Basic::Int64),
            "time.Month" | "time.Weekday" => basic(Basic::Int),
            // state int32; sema uint32 (1.24+: wraps internal/sync.Mutex with the same fields)
            "sync.Mutex" => strukt(vec![
                field("state", basic(Basic::Int32)),
                field("sema", basic(Basic::Uint32)),
            ]),
            // w Mutex; writerSem, readerSem uint32; readerCount, readerWait atomic.Int32
            "sync.RWMutex" => strukt(vec![
                field("w", GoType::Named("sync.Mutex".into())),
                field("writerSem", basic(Basic::Uint32)),
                field("readerSem", basic(Basic::Uint32)),
                field("readerCount", basic(Basic::Int32)),
                field("readerWait", basic(Basic::Int32)),
            ]),
            // done atomic.Uint32; m Mutex
            "sync.Once" => strukt(vec![
                field("done", basic(Basic::Uint32)),
                field("m", GoType::Named("sync.Mutex".into())),
            ]),
            // addr uint128{hi, lo uint64}; z unique.Handle[addrDetail] (one pointer)
            "netip.Addr" => strukt(vec![
                field("hi", basic(Basic::Uint64)),
                field("lo", basic(Basic::Uint64)),
                field(
                    "z",
                    GoType::Pointer(Box::new(GoType::Named("netip.addrDetail".into()))),
                ),
            ]),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Arch, layout, parse_type};

    #[test]
    fn std_types_have_their_go_sizes() {
        let size = |src: &str, arch| {
            layout(&parse_type(src).unwrap(), arch, &StdTypes)
                .unwrap()
                .size
        };
        assert_eq!(size("time.Time", Arch::Amd64), 24);
        assert_eq!(size("time.Time", Arch::I386), 20);
        assert_eq!(size("sync.Mutex", Arch::Amd64), 8);
        assert_eq!(size("sync.RWMutex", Arch::Amd64), 24);
        assert_eq!(size("netip.Addr", Arch::Amd64), 24);
    }

    #[test]
    fn chains_ask_in_order_and_sizes_pick_an_alignment() {
        let mut a = TypeMap::default();
        a.insert_size("T", 12, false, 8);
        let mut b = TypeMap::default();
        b.insert_size("T", 100, true, 8);
        b.insert_size("U", 64, true, 8);
        let chain = ChainResolver::new().with(&a).with(&b);
        let t = layout(&GoType::Named("T".into()), Arch::Amd64, &chain).unwrap();
        assert_eq!((t.size, t.align, t.has_pointers), (12, 4, false));
        let u = layout(&GoType::Named("U".into()), Arch::I386, &chain).unwrap();
        assert_eq!(u.align, 8, "alignment is fixed when the size is given");
    }
}
