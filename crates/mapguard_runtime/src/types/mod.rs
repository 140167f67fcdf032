//! Go types as mapguard sees them: a syntax tree for type expressions, the target architecture, and
//! the memory layout (size, alignment, pointer-ness) the gc compiler gives each type.
//!
//! ```
//! use mapguard_runtime::types::{layout, parse_type, Arch, NoTypes};
//! let ty = parse_type("struct { id int64; name string; ok bool }").unwrap();
//! let l = layout(&ty, Arch::Amd64, &NoTypes).unwrap();
//! assert_eq!((l.size, l.align, l.has_pointers), (32, 8, true));
//! ```

mod arch;
mod display;
pub(crate) mod layout;
mod lexer;
mod parse;
mod resolver;
mod source;

pub use arch::{Arch, UnknownArch};
pub use layout::{Layout, SizeError, layout};
pub use parse::{TypeError, parse_type};
pub use resolver::{ChainResolver, NoTypes, StdTypes, TypeMap, TypeResolver};
pub use source::{SourceTypes, SourceTypesError};

/// A Go type expression, as written in source.
///
/// Predeclared identifiers are normalised: `byte` is `Uint8`, `rune` is `Int32`, `any` is the empty
/// interface, `error` is the interface `{ Error() string }`, `unsafe.Pointer` is
/// [`Basic::UnsafePointer`]. Every other identifier is [`GoType::Named`] and is sized through a
/// [`TypeResolver`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GoType {
    /// A predeclared numeric, boolean or `unsafe.Pointer` type.
    Basic(Basic),
    /// `string`.
    String,
    /// `[len]elem`.
    Array { len: ArrayLen, elem: Box<GoType> },
    /// `[]elem`.
    Slice(Box<GoType>),
    /// `struct { ... }`, fields in declaration order (`a, b int` gives two fields).
    Struct { fields: Vec<Field> },
    /// `*elem`.
    Pointer(Box<GoType>),
    /// `interface { ... }`; `elems` holds each method, embedded interface or type term as
    /// normalised source text. Empty for `interface{}` / `any`.
    Interface { elems: Vec<String> },
    /// `map[key]value`.
    Map {
        key: Box<GoType>,
        value: Box<GoType>,
    },
    /// `chan T`, `chan<- T`, `<-chan T`.
    Chan { dir: ChanDir, elem: Box<GoType> },
    /// `func(...) ...`; `signature` is the normalised text after `func`, e.g. `(int, string) error`.
    Func { signature: String },
    /// A declared type: `T` or `pkg.T`.
    Named(String),
    /// A generic instantiation `T[A, B]` or `pkg.T[A]`. Sized only if a resolver knows its text.
    Generic { name: String, args: Vec<GoType> },
    /// A type known only by its layout (for example from `--size Name=bytes`).
    Opaque(Layout),
}

/// Predeclared scalar types (plus `unsafe.Pointer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basic {
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex64,
    Complex128,
    UnsafePointer,
}

impl Basic {
    /// The predeclared type for an identifier (`byte` and `rune` included).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "bool" => Self::Bool,
            "int" => Self::Int,
            "int8" => Self::Int8,
            "int16" => Self::Int16,
            "int32" | "rune" => Self::Int32,
            "int64" => Self::Int64,
            "uint" => Self::Uint,
            "uint8" | "byte" => Self::Uint8,
            "uint16" => Self::Uint16,
            "uint32" => Self::Uint32,
            "uint64" => Self::Uint64,
            "uintptr" => Self::Uintptr,
            "float32" => Self::Float32,
            "float64" => Self::Float64,
            "complex64" => Self::Complex64,
            "complex128" => Self::Complex128,
            _ => return None,
        })
    }

    /// The Go spelling.
    pub fn name(self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Int => "int",
            Self::Int8 => "int8",
            Self::Int16 => "int16",
            Self::Int32 => "int32",
            Self::Int64 => "int64",
            Self::Uint => "uint",
            Self::Uint8 => "uint8",
            Self::Uint16 => "uint16",
            Self::Uint32 => "uint32",
            Self::Uint64 => "uint64",
            Self::Uintptr => "uintptr",
            Self::Float32 => "float32",
            Self::Float64 => "float64",
            Self::Complex64 => "complex64",
            Self::Complex128 => "complex128",
            Self::UnsafePointer => "unsafe.Pointer",
        }
    }
}

/// The length of an array type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ArrayLen {
    /// An integer literal.
    Lit(u64),
    /// A constant expression (`N`, `2*pkg.N`, `1<<4`), evaluated at layout time with
    /// [`TypeResolver::resolve_const`].
    Expr(String),
}

/// One struct field. Embedded fields have `name: None`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: Option<String>,
    pub ty: GoType,
    /// The tag's literal text including quotes, if any.
    pub tag: Option<String>,
}

/// Channel direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChanDir {
    Both,
    Send,
    Recv,
}

impl GoType {
    /// The empty interface (`any`).
    pub fn any() -> Self {
        Self::Interface { elems: Vec::new() }
    }

    /// The predeclared `error` interface.
    pub fn error() -> Self {
        Self::Interface {
            elems: vec!["Error() string".to_owned()],
        }
    }

    /// For `map[K]V`, the key and value types.
    pub fn as_map(&self) -> Option<(&GoType, &GoType)> {
        match self {
            Self::Map { key, value } => Some((key, value)),
            _ => None,
        }
    }
}
