//! Go spelling of types, as `gofmt` would print them on one line.

use std::fmt;

use super::{ArrayLen, ChanDir, GoType};

impl fmt::Display for GoType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GoType::Basic(b) => f.write_str(b.name()),
            GoType::String => f.write_str("string"),
            GoType::Array { len, elem } => write!(f, "[{len}]{elem}"),
            GoType::Slice(elem) => write!(f, "[]{elem}"),
            GoType::Struct { fields } => {
                if fields.is_empty() {
                    return f.write_str("struct{}");
                }
                f.write_str("struct { ")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    match &field.name {
                        Some(name) => write!(f, "{name} {}", field.ty)?,
                        None => write!(f, "{}", field.ty)?,
                    }
                    if let Some(tag) = &field.tag {
                        write!(f, " {tag}")?;
                    }
                }
                f.write_str(" }")
            }
            GoType::Pointer(elem) => write!(f, "*{elem}"),
            GoType::Interface { elems } => {
                if elems.is_empty() {
                    f.write_str("any")
                } else if elems.len() == 1 && elems[0] == "Error() string" {
                    f.write_str("error")
                } else {
                    write!(f, "interface {{ {} }}", elems.join("; "))
                }
            }
            GoType::Map { key, value } => write!(f, "map[{key}]{value}"),
            GoType::Chan { dir, elem } => {
                let paren = matches!(
                    (dir, elem.as_ref()),
                    (
                        ChanDir::Both,
                        GoType::Chan {
                            dir: ChanDir::Recv,
                            ..
                        }
                    )
                );
                match dir {
                    ChanDir::Both => f.write_str("chan ")?,
                    ChanDir::Send => f.write_str("chan<- ")?,
                    ChanDir::Recv => f.write_str("<-chan ")?,
                }
                if paren {
                    write!(f, "({elem})")
                } else {
                    write!(f, "{elem}")
                }
            }
            GoType::Func { signature } => write!(f, "func{signature}"),
            GoType::Named(name) => f.write_str(name),
            GoType::Generic { name, args } => {
                write!(f, "{name}[")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str("]")
            }
            GoType::Opaque(layout) => write!(f, "opaque{{{} bytes}}", layout.size),
        }
    }
}

impl fmt::Display for ArrayLen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArrayLen::Lit(n) => write!(f, "{n}"),
            ArrayLen::Expr(e) => f.write_str(e),
        }
    }
}
