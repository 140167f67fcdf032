//! Sizes and alignment of Go types as the gc compiler lays them out
//! (cmd/compile/internal/types/size.go: `CalcSize`, `CalcStructSize`).

use super::lexer::{Tok, tokenize};
use super::parse::parse_int_literal;
use super::{Arch, ArrayLen, Basic, GoType, TypeResolver};

/// The memory layout of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Layout {
    /// `unsafe.Sizeof`.
    pub size: u64,
    /// `unsafe.Alignof` (at least 1).
    pub align: u64,
    /// Whether the garbage collector must scan the type (it holds a pointer word somewhere).
    /// Decides "noscan" allocation and the malloc header.
    pub has_pointers: bool,
}

impl Layout {
    /// A layout with no pointers.
    pub fn scalar(size: u64, align: u64) -> Self {
        Self {
            size,
            align,
            has_pointers: false,
        }
    }

    fn words(arch: Arch, words: u64) -> Self {
        Self {
            size: words * arch.ptr_size(),
            align: arch.ptr_size(),
            has_pointers: true,
        }
    }
}

/// Why a type could not be sized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// A named type the resolver does not know.
    #[error("unknown type `{0}`: its size is not known")]
    UnknownType(String),
    /// A generic instantiation the resolver does not know.
    #[error("generic type `{0}` cannot be sized without its instantiated definition")]
    Generic(String),
    /// A named type whose definition contains itself by value (invalid Go), or resolution too deep.
    #[error("type `{0}` contains itself")]
    Recursive(String),
    /// An array length that is not a constant the resolver knows.
    #[error("array length `{0}` is not a known constant")]
    UnknownConst(String),
    /// Bigger than the target's address space.
    #[error("type `{0}` is larger than the address space of {1}")]
    TooLarge(String, Arch),
}

/// Deepest chain of named types followed before giving up.
const MAX_NAMED_DEPTH: usize = 64;

/// Computes size, alignment and pointer-ness of `ty` on `arch`. Named types are looked up in
/// `resolver`; an unknown name is an error that names it. Pointers are not followed, so
/// self-referential types through pointers are fine; a type that contains itself by value is
/// reported as [`SizeError::Recursive`].
pub fn layout(ty: &GoType, arch: Arch, resolver: &dyn TypeResolver) -> Result<Layout, SizeError> {
    let mut cx = Cx {
        arch,
        resolver,
        stack: Vec::new(),
    };
    cx.layout(ty)
}

struct Cx<'a> {
    arch: Arch,
    resolver: &'a dyn TypeResolver,
    stack: Vec<String>,
}

impl Cx<'_> {
    fn layout(&mut self, ty: &GoType) -> Result<Layout, SizeError> {
        let arch = self.arch;
        Ok(match ty {
            GoType::Basic(b) => basic(*b, arch),
            GoType::String | GoType::Interface { .. } => Layout::words(arch, 2),
            GoType::Slice(_) => Layout::words(arch, 3),
            GoType::Pointer(_) | GoType::Map { .. } | GoType::Chan { .. } | GoType::Func { .. } => {
                Layout::words(arch, 1)
            }
            GoType::Opaque(l) => *l,
            GoType::Array { len, elem } => {
                let n = self.array_len(len)?;
                let e = self.layout(elem)?;
                let size = n
                    .checked_mul(e.size)
                    .filter(|&s| s <= arch.address_space())
                    .ok_or_else(|| SizeError::TooLarge(ty.to_string(), arch))?;
                Layout {
                    size,
                    align: e.align,
                    has_pointers: e.has_pointers && n > 0 && e.size > 0,
                }
            }
            GoType::Struct { fields } => {
                let mut layouts = Vec::with_capacity(fields.len());
                for field in fields {
                    layouts.push(self.layout(&field.ty)?);
                }
                struct_layout(&layouts).ok_or_else(|| SizeError::TooLarge(ty.to_string(), arch))?
            }
            GoType::Named(name) => self.named(name, false)?,
            GoType::Generic { .. } => self.named(&ty.to_string(), true)?,
        })
    }

    fn named(&mut self, name: &str, generic: bool) -> Result<Layout, SizeError> {
        if self.stack.iter().any(|n| n == name) || self.stack.len() >= MAX_NAMED_DEPTH {
            return Err(SizeError::Recursive(name.to_owned()));
        }
        let Some(def) = self.resolver.resolve(name) else {
            return Err(if generic {
                SizeError::Generic(name.to_owned())
            } else {
                SizeError::UnknownType(name.to_owned())
            });
        };
        self.stack.push(name.to_owned());
        let result = self.layout(&def);
        self.stack.pop();
        result
    }

    fn array_len(&self, len: &ArrayLen) -> Result<u64, SizeError> {
        match len {
            ArrayLen::Lit(n) => Ok(*n),
            ArrayLen::Expr(expr) => {
                eval_const(expr, self.resolver).ok_or_else(|| SizeError::UnknownConst(expr.clone()))
            }
        }
    }
}

/// Lays out struct fields in order: each field at its alignment; a non-empty struct ending in a
/// zero-size field gets one byte of padding (Go issue 9401); the size rounds up to the largest
/// field alignment. `None` on overflow.
pub(crate) fn struct_layout(fields: &[Layout]) -> Option<Layout> {
    let mut offset: u64 = 0;
    let mut align: u64 = 1;
    let mut has_pointers = false;
    for f in fields {
        offset = align_up(offset, f.align)?.checked_add(f.size)?;
        align = align.max(f.align);
        has_pointers |= f.has_pointers;
    }
    if offset > 0 && fields.last().is_some_and(|f| f.size == 0) {
        offset += 1;
    }
    Some(Layout {
        size: align_up(offset, align)?,
        align,
        has_pointers,
    })
}

pub(crate) fn align_up(n: u64, align: u64) -> Option<u64> {
    let align = align.max(1);
    n.checked_add(align - 1).map(|v| v / align * align)
}

fn basic(b: Basic, arch: Arch) -> Layout {
    let word = arch.ptr_size();
    let reg = arch.reg_size();
    let (size, align) = match b {
        Basic::Bool | Basic::Int8 | Basic::Uint8 => (1, 1),
        Basic::Int16 | Basic::Uint16 => (2, 2),
        Basic::Int32 | Basic::Uint32 | Basic::Float32 => (4, 4),
        Basic::Int64 | Basic::Uint64 | Basic::Float64 => (8, reg),
        Basic::Complex64 => (8, 4),
        Basic::Complex128 => (16, reg),
        Basic::Int | Basic::Uint | Basic::Uintptr => (word, word),
        Basic::UnsafePointer => return Layout::words(arch, 1),
    };
    Layout::scalar(size, align)
}

/// Evaluates an integer constant expression of literals, named constants (via the resolver),
/// parentheses, unary `+ - ^` and binary `* / % << >> & &^ + - | ^`. `None` if anything is unknown,
/// negative or overflows.
pub(crate) fn eval_const(expr: &str, resolver: &dyn TypeResolver) -> Option<u64> {
    let tokens: Vec<Tok> = tokenize(expr)
        .ok()?
        .into_iter()
        .map(|t| t.tok)
        .filter(|t| *t != Tok::Semi)
        .collect();
    let mut ev = ConstEval {
        tokens: &tokens,
        pos: 0,
        resolver,
        depth: 0,
    };
    let v = ev.binary(0)?;
    if ev.pos != tokens.len() {
        return None;
    }
    u64::try_from(v).ok()
}

struct ConstEval<'a> {
    tokens: &'a [Tok],
    pos: usize,
    resolver: &'a dyn TypeResolver,
    depth: usize,
}

impl ConstEval<'_> {
    fn binary(&mut self, min_prec: u8) -> Option<i128> {
        self.depth += 1;
        if self.depth > 100 {
            return None;
        }
        let mut lhs = self.unary()?;
        while let Some(Tok::Punct(op)) = self.tokens.get(self.pos) {
            let prec = match *op {
                "*" | "/" | "%" | "<<" | ">>" | "&" | "&^" => 5,
                "+" | "-" | "|" | "^" => 4,
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            self.pos += 1;
            let rhs = self.binary(prec + 1)?;
            lhs = match *op {
                "*" => lhs.checked_mul(rhs)?,
                "/" => lhs.checked_div(rhs)?,
                "%" => lhs.checked_rem(rhs)?,
                "<<" => lhs.checked_shl(u32::try_from(rhs).ok().filter(|&s| s < 100)?)?,
                ">>" => lhs.checked_shr(u32::try_from(rhs).ok().filter(|&s| s < 127)?)?,
                "&" => lhs & rhs,
                "&^" => lhs & !rhs,
                "+" => lhs.checked_add(rhs)?,
                "-" => lhs.checked_sub(rhs)?,
                "|" => lhs | rhs,
                _ => lhs ^ rhs,
            };
            if lhs.unsigned_abs() > u128::from(u64::MAX) {
                return None;
            }
        }
        self.depth -= 1;
        Some(lhs)
    }

    fn unary(&mut self) -> Option<i128> {
        let tok = self.tokens.get(self.pos)?;
        self.pos += 1;
        match tok {
            Tok::Punct("-") => self.unary()?.checked_neg(),
            Tok::Punct("+") => self.unary(),
            Tok::Punct("^") => Some(!self.unary()?),
            Tok::Punct("(") => {
                let v = self.binary(0)?;
                (self.tokens.get(self.pos) == Some(&Tok::Punct(")"))).then_some(())?;
                self.pos += 1;
                Some(v)
            }
            Tok::Number(text) => parse_int_literal(text).map(i128::from),
            Tok::Ident(first) => {
                let name = if self.tokens.get(self.pos) == Some(&Tok::Punct(".")) {
                    let Some(Tok::Ident(second)) = self.tokens.get(self.pos + 1) else {
                        return None;
                    };
                    self.pos += 2;
                    format!("{first}.{second}")
                } else {
                    first.clone()
                };
                self.resolver.resolve_const(&name).map(i128::from)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{NoTypes, TypeMap, parse_type};

    fn size_of(src: &str, arch: Arch) -> (u64, u64, bool) {
        let l = layout(&parse_type(src).unwrap(), arch, &NoTypes).unwrap();
        (l.size, l.align, l.has_pointers)
    }

    #[test]
    fn basic_and_builtin_types_on_64_and_32_bit() {
        assert_eq!(size_of("int64", Arch::Amd64), (8, 8, false));
        assert_eq!(size_of("int64", Arch::I386), (8, 4, false));
        assert_eq!(size_of("complex64", Arch::Arm64), (8, 4, false));
        assert_eq!(size_of("string", Arch::Amd64), (16, 8, true));
        assert_eq!(size_of("string", Arch::Arm), (8, 4, true));
        assert_eq!(size_of("[]byte", Arch::Amd64), (24, 8, true));
        assert_eq!(size_of("any", Arch::Amd64), (16, 8, true));
        assert_eq!(size_of("error", Arch::I386), (8, 4, true));
        assert_eq!(size_of("map[string]int", Arch::Amd64), (8, 8, true));
        assert_eq!(size_of("func(int) error", Arch::Amd64), (8, 8, true));
        assert_eq!(size_of("chan int", Arch::I386), (4, 4, true));
        assert_eq!(size_of("unsafe.Pointer", Arch::Amd64), (8, 8, true));
        assert_eq!(size_of("uintptr", Arch::Amd64), (8, 8, false));
    }

    #[test]
    fn struct_padding_follows_the_gc_compiler() {
        assert_eq!(size_of("struct{}", Arch::Amd64), (0, 1, false));
        assert_eq!(
            size_of("struct{ a int8; b int64; c int8 }", Arch::Amd64),
            (24, 8, false)
        );
        assert_eq!(
            size_of("struct{ a int8; b int64; c int8 }", Arch::I386),
            (16, 4, false)
        );
        // A trailing zero-size field costs a byte (Go issue 9401), then alignment.
        assert_eq!(
            size_of("struct{ a int64; b struct{} }", Arch::Amd64),
            (16, 8, false)
        );
        assert_eq!(
            size_of("struct{ a int32; b [0]int64 }", Arch::Amd64),
            (16, 8, false)
        );
        assert_eq!(
            size_of("struct{ a int32; b [0]int64 }", Arch::I386),
            (8, 4, false)
        );
        assert_eq!(
            size_of("struct{ b struct{}; a int64 }", Arch::Amd64),
            (8, 8, false)
        );
        assert_eq!(size_of("[0]*int", Arch::Amd64), (0, 8, false));
        assert_eq!(
            size_of("[3]struct{ p *int; b bool }", Arch::Amd64),
            (48, 8, true)
        );
    }

    #[test]
    fn named_types_resolve_and_unknown_ones_are_named_in_the_error() {
        let mut types = TypeMap::default();
        types.insert(
            "Session",
            parse_type("struct{ id [16]byte; user *User; n int32 }").unwrap(),
        );
        types.insert_const("N", 10);
        let ty = parse_type("[2*N + 1]pkg.Session").unwrap();
        types.insert("pkg.Session", GoType::Named("Session".into()));
        let l = layout(&ty, Arch::Amd64, &types).unwrap();
        assert_eq!(l.size, 21 * 32);
        let err = layout(
            &parse_type("map[string]Missing").unwrap(),
            Arch::Amd64,
            &types,
        );
        assert!(err.is_ok(), "maps are one pointer whatever their types");
        let err = layout(&parse_type("[4]Missing").unwrap(), Arch::Amd64, &types).unwrap_err();
        assert_eq!(err, SizeError::UnknownType("Missing".into()));
        assert!(err.to_string().contains("Missing"));
    }

    #[test]
    fn recursion_by_value_is_an_error_but_through_pointers_is_fine() {
        let mut types = TypeMap::default();
        types.insert("Node", parse_type("struct{ next *Node; v int }").unwrap());
        types.insert("Bad", parse_type("struct{ inner Bad }").unwrap());
        types.insert("A", GoType::Named("B".into()));
        types.insert("B", GoType::Named("A".into()));
        assert_eq!(
            layout(&GoType::Named("Node".into()), Arch::Amd64, &types)
                .unwrap()
                .size,
            16
        );
        assert!(matches!(
            layout(&GoType::Named("Bad".into()), Arch::Amd64, &types),
            Err(SizeError::Recursive(_))
        ));
        assert!(matches!(
            layout(&GoType::Named("A".into()), Arch::Amd64, &types),
            Err(SizeError::Recursive(_))
        ));
    }

    #[test]
    fn huge_arrays_are_rejected() {
        let ty = parse_type("[1 << 62][1 << 62]byte").unwrap();
        assert!(matches!(
            layout(&ty, Arch::Amd64, &NoTypes),
            Err(SizeError::TooLarge(..))
        ));
        let ty = parse_type("[1 << 33]byte").unwrap();
        assert!(layout(&ty, Arch::I386, &NoTypes).is_err());
    }
}
