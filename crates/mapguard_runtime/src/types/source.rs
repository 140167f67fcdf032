//! Named types and integer constants declared at the top level of a Go source file
//! (`type T struct{...}`, `type ( A int; B = C )`, `const N = 16`), for sizing user types.

use super::layout::eval_const;
use super::lexer::{Tok, tokenize};
use super::parse::{Parser, TypeError, token_text};
use super::{GoType, TypeMap, TypeResolver};

/// A declaration that could not be read; the others are still available.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SourceTypesError {
    pub line: usize,
    pub message: String,
}

/// The top-level type and constant declarations of one Go file. Types are registered under both
/// `T` and `pkg.T` (`pkg` from the package clause). Generic type declarations are skipped.
#[derive(Debug, Clone, Default)]
pub struct SourceTypes {
    /// The package clause's name, if present.
    pub package: Option<String>,
    types: TypeMap,
    /// Declarations that could not be parsed.
    pub errors: Vec<SourceTypesError>,
}

impl SourceTypes {
    /// Reads declarations from Go source. Never fails as a whole: a file that does not tokenize
    /// yields one error and no types.
    pub fn parse(src: &str) -> Self {
        let mut out = Self::default();
        let line_of = |pos: usize| src[..pos.min(src.len())].matches('\n').count() + 1;
        let tokens = match tokenize(src) {
            Ok(t) => t,
            Err(e) => {
                out.errors.push(SourceTypesError {
                    line: line_of(e.pos),
                    message: e.message,
                });
                return out;
            }
        };
        let mut p = Parser::new(&tokens, src.len());
        let mut depth = 0usize;
        let mut consts: Vec<(String, String)> = Vec::new();
        while let Some(tok) = p.peek() {
            match tok {
                Tok::Punct("{" | "(" | "[") => {
                    depth += 1;
                    p.bump();
                }
                Tok::Punct("}" | ")" | "]") => {
                    depth = depth.saturating_sub(1);
                    p.bump();
                }
                Tok::Ident(word) if depth == 0 && word == "package" => {
                    p.bump();
                    if let Ok(name) = p.ident() {
                        out.package = Some(name);
                    }
                }
                Tok::Ident(word) if depth == 0 && (word == "type" || word == "const") => {
                    let is_type = word == "type";
                    p.bump();
                    let grouped = p.eat_punct("(");
                    loop {
                        p.skip_semis();
                        if grouped && p.eat_punct(")") || p.peek().is_none() {
                            break;
                        }
                        let start = p.peek_token().map_or(src.len(), |t| t.pos);
                        let result = if is_type {
                            type_spec(&mut p).map(|spec| {
                                if let Some((name, ty)) = spec {
                                    out.insert_type(&name, ty);
                                }
                            })
                        } else {
                            const_spec(&mut p).map(|c| consts.extend(c))
                        };
                        if let Err(e) = result {
                            out.errors.push(SourceTypesError {
                                line: line_of(e.pos.max(start)),
                                message: e.message,
                            });
                            skip_to_spec_end(&mut p, grouped);
                        }
                        if !grouped {
                            break;
                        }
                    }
                }
                _ => {
                    p.bump();
                }
            }
        }
        out.define_consts(consts);
        out
    }

    fn insert_type(&mut self, name: &str, ty: GoType) {
        if let Some(pkg) = &self.package {
            self.types.insert(format!("{pkg}.{name}"), ty.clone());
        }
        self.types.insert(name.to_owned(), ty);
    }

    /// Evaluates constants in as many passes as it takes for ones defined from others.
    fn define_consts(&mut self, mut pending: Vec<(String, String)>) {
        for _ in 0..8 {
            let before = pending.len();
            pending.retain(|(name, expr)| match eval_const(expr, &self.types) {
                Some(v) => {
                    if let Some(pkg) = &self.package {
                        self.types.insert_const(format!("{pkg}.{name}"), v);
                    }
                    self.types.insert_const(name.clone(), v);
                    false
                }
                None => true,
            });
            if pending.len() == before {
                break;
            }
        }
    }

    /// The table of types and constants read.
    pub fn types(&self) -> &TypeMap {
        &self.types
    }
}

impl TypeResolver for SourceTypes {
    fn resolve(&self, name: &str) -> Option<GoType> {
        self.types.resolve(name)
    }

    fn resolve_const(&self, name: &str) -> Option<u64> {
        self.types.resolve_const(name)
    }
}

/// `Name [TypeParams] [=] Type`; `None` for generic declarations.
fn type_spec(p: &mut Parser<'_>) -> Result<Option<(String, GoType)>, TypeError> {
    let name = p.ident()?;
    if p.at_punct("[") && is_type_params(p) {
        skip_balanced(p);
        let _ = p.ty()?;
        return Ok(None);
    }
    p.eat_punct("=");
    let ty = p.ty()?;
    Ok(Some((name, ty)))
}

/// After `type Name`, whether `[` opens type parameters (`[K comparable, V any]`) rather than an
/// array length (`[N]T`).
fn is_type_params(p: &Parser<'_>) -> bool {
    let mut probe = Parser::new(p_tokens(p), 0);
    probe.pos = p.pos + 1;
    if probe.ident().is_err() {
        return false;
    }
    !matches!(
        probe.peek(),
        Some(Tok::Punct(
            "]" | "*" | "+" | "-" | "/" | "%" | "<<" | ">>" | "&" | "|" | "^" | "."
        ))
    )
}

fn p_tokens<'a>(p: &Parser<'a>) -> &'a [super::lexer::Token] {
    p.tokens_all()
}

fn skip_balanced(p: &mut Parser<'_>) {
    let mut depth = 0usize;
    while let Some(tok) = p.bump() {
        match tok {
            Tok::Punct("[" | "(" | "{") => depth += 1,
            Tok::Punct("]" | ")" | "}") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// `IdentifierList [Type] = ExpressionList`: each name with its expression text. Specs without a
/// value (`iota` repetition) are skipped.
fn const_spec(p: &mut Parser<'_>) -> Result<Vec<(String, String)>, TypeError> {
    let mut names = vec![p.ident()?];
    while p.eat_punct(",") {
        names.push(p.ident()?);
    }
    if !p.at_punct("=") {
        if !matches!(p.peek(), None | Some(Tok::Semi | Tok::Punct(")"))) {
            let _ = p.ty()?;
        }
        if !p.eat_punct("=") {
            return Ok(Vec::new());
        }
    } else {
        p.bump();
    }
    let mut exprs: Vec<String> = vec![String::new()];
    let mut depth = 0usize;
    while let Some(tok) = p.peek() {
        match tok {
            Tok::Semi if depth == 0 => break,
            Tok::Punct(")") if depth == 0 => break,
            Tok::Punct(",") if depth == 0 => exprs.push(String::new()),
            other => {
                match other {
                    Tok::Punct("(" | "[" | "{") => depth += 1,
                    Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if let Some(last) = exprs.last_mut() {
                    last.push_str(&token_text(other));
                    last.push(' ');
                }
            }
        }
        p.bump();
    }
    Ok(names.into_iter().zip(exprs).collect())
}

fn skip_to_spec_end(p: &mut Parser<'_>, grouped: bool) {
    let mut depth = 0usize;
    while let Some(tok) = p.peek() {
        match tok {
            Tok::Semi if depth == 0 => return,
            Tok::Punct(")") if depth == 0 && grouped => return,
            Tok::Punct("(" | "[" | "{") => depth += 1,
            Tok::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
            _ => {}
        }
        p.bump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Arch, layout};

    const SRC: &str = r#"
package store

import "time"

const (
	idLen = 16
	slots = idLen * 2
)

// Session is one login.
type Session struct {
	ID      [idLen]byte `json:"id"`
	User    *User
	Created time.Time
	Tags    [slots]uint8
}

type (
	User struct{ Name string }
	Alias = Session
	Set[T comparable] map[T]struct{}
)

func (s *Session) Touch() { type inner int; _ = inner(1) }

type Broken struct { a int
"#;

    #[test]
    fn reads_types_and_constants_and_reports_broken_ones() {
        let types = SourceTypes::parse(SRC);
        assert_eq!(types.package.as_deref(), Some("store"));
        assert_eq!(types.resolve_const("slots"), Some(32));
        let std = crate::types::StdTypes;
        let chain = crate::types::ChainResolver::new().with(&types).with(&std);
        let size =
            |name: &str| layout(&GoType::Named(name.into()), Arch::Amd64, &chain).map(|l| l.size);
        assert_eq!(size("store.Session"), Ok(16 + 8 + 24 + 32));
        assert_eq!(size("Alias"), size("Session"));
        assert_eq!(size("User"), Ok(16));
        assert!(types.resolve("Set").is_none());
        assert!(
            types.resolve("inner").is_none(),
            "only top-level declarations"
        );
        assert_eq!(types.errors.len(), 1, "{:?}", types.errors);
    }
}
