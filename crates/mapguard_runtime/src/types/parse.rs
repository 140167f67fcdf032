//! A recursive-descent parser for Go type expressions (the `Type` production of the Go spec).

use super::lexer::{LexError, Tok, Token, tokenize};
use super::{ArrayLen, Basic, ChanDir, Field, GoType};

/// Why a type expression could not be parsed. `pos` is a byte offset into the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at offset {pos}")]
pub struct TypeError {
    pub pos: usize,
    pub message: String,
}

impl From<LexError> for TypeError {
    fn from(e: LexError) -> Self {
        Self {
            pos: e.pos,
            message: e.message,
        }
    }
}

/// Deepest nesting accepted, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 200;

/// Parses one Go type expression, e.g. `map[string]*pkg.Session` or
/// ``struct { a, b int `json:"a"`; c []byte }``. Surrounding whitespace and comments are allowed;
/// anything after the type is an error.
pub fn parse_type(src: &str) -> Result<GoType, TypeError> {
    let tokens = tokenize(src)?;
    let mut p = Parser::new(&tokens, src.len());
    let ty = p.ty()?;
    p.skip_semis();
    if let Some(t) = p.peek_token() {
        return Err(p.error_at(
            t.pos,
            format!("unexpected {} after the type", describe(&t.tok)),
        ));
    }
    Ok(ty)
}

/// The parser state over a token slice; shared with the Go-source declaration reader.
pub(crate) struct Parser<'a> {
    tokens: &'a [Token],
    pub(crate) pos: usize,
    end: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(tokens: &'a [Token], end: usize) -> Self {
        Self {
            tokens,
            pos: 0,
            end,
            depth: 0,
        }
    }

    pub(crate) fn tokens_all(&self) -> &'a [Token] {
        self.tokens
    }

    pub(crate) fn peek(&self) -> Option<&'a Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, ahead: usize) -> Option<&'a Tok> {
        self.tokens.get(self.pos + ahead).map(|t| &t.tok)
    }

    pub(crate) fn peek_token(&self) -> Option<&'a Token> {
        self.tokens.get(self.pos)
    }

    pub(crate) fn bump(&mut self) -> Option<&'a Tok> {
        let t = self.tokens.get(self.pos).map(|t| &t.tok);
        self.pos += 1;
        t
    }

    pub(crate) fn at_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    pub(crate) fn at_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(q)) if q == name)
    }

    pub(crate) fn eat_punct(&mut self, p: &str) -> bool {
        if self.at_punct(p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_semis(&mut self) {
        while matches!(self.peek(), Some(Tok::Semi)) {
            self.pos += 1;
        }
    }

    fn here(&self) -> usize {
        self.peek_token().map_or(self.end, |t| t.pos)
    }

    pub(crate) fn error_at(&self, pos: usize, message: String) -> TypeError {
        TypeError { pos, message }
    }

    pub(crate) fn expected(&self, what: &str) -> TypeError {
        let found = match self.peek_token() {
            None => "end of input".to_owned(),
            // The semicolon Go inserts at the end of the text.
            Some(t) if t.tok == Tok::Semi && t.pos >= self.end => "end of input".to_owned(),
            Some(t) => describe(&t.tok),
        };
        self.error_at(self.here(), format!("expected {what}, found {found}"))
    }

    pub(crate) fn expect_punct(&mut self, p: &str) -> Result<(), TypeError> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{p}`")))
        }
    }

    pub(crate) fn ident(&mut self) -> Result<String, TypeError> {
        match self.peek() {
            Some(Tok::Ident(name)) if !is_keyword(name) => {
                self.pos += 1;
                Ok(name.clone())
            }
            _ => Err(self.expected("an identifier")),
        }
    }

    /// `Type`.
    pub(crate) fn ty(&mut self) -> Result<GoType, TypeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error_at(self.here(), "type nested too deeply".to_owned()));
        }
        self.depth += 1;
        let result = self.ty_inner();
        self.depth -= 1;
        result
    }

    fn ty_inner(&mut self) -> Result<GoType, TypeError> {
        match self.peek() {
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let inner = self.ty()?;
                self.expect_punct(")")?;
                Ok(inner)
            }
            Some(Tok::Punct("*")) => {
                self.pos += 1;
                Ok(GoType::Pointer(Box::new(self.ty()?)))
            }
            Some(Tok::Punct("[")) => self.array_or_slice(),
            Some(Tok::Punct("<-")) => {
                self.pos += 1;
                if !self.at_ident("chan") {
                    return Err(self.expected("`chan` after `<-`"));
                }
                self.pos += 1;
                Ok(GoType::Chan {
                    dir: ChanDir::Recv,
                    elem: Box::new(self.ty()?),
                })
            }
            Some(Tok::Ident(word)) => match word.as_str() {
                "map" => {
                    self.pos += 1;
                    self.expect_punct("[")?;
                    let key = self.ty()?;
                    self.expect_punct("]")?;
                    let value = self.ty()?;
                    Ok(GoType::Map {
                        key: Box::new(key),
                        value: Box::new(value),
                    })
                }
                "chan" => {
                    self.pos += 1;
                    let dir = if self.eat_punct("<-") {
                        ChanDir::Send
                    } else {
                        ChanDir::Both
                    };
                    Ok(GoType::Chan {
                        dir,
                        elem: Box::new(self.ty()?),
                    })
                }
                "struct" => self.struct_type(),
                "interface" => self.interface_type(),
                "func" => {
                    self.pos += 1;
                    let signature = self.signature()?;
                    Ok(GoType::Func { signature })
                }
                _ => self.type_name(),
            },
            _ => Err(self.expected("a type")),
        }
    }

    /// `TypeName [TypeArgs]`, with predeclared names normalised.
    fn type_name(&mut self) -> Result<GoType, TypeError> {
        let first = self.ident()?;
        let name = if self.at_punct(".") {
            self.pos += 1;
            let second = self.ident()?;
            format!("{first}.{second}")
        } else {
            first
        };
        if self.at_punct("[") && !matches!(self.peek_at(1), Some(Tok::Punct("]"))) {
            self.pos += 1;
            let mut args = vec![self.ty()?];
            while self.eat_punct(",") {
                if self.at_punct("]") {
                    break;
                }
                args.push(self.ty()?);
            }
            self.expect_punct("]")?;
            return Ok(GoType::Generic { name, args });
        }
        Ok(predeclared(&name).unwrap_or(GoType::Named(name)))
    }

    fn array_or_slice(&mut self) -> Result<GoType, TypeError> {
        self.expect_punct("[")?;
        if self.eat_punct("]") {
            return Ok(GoType::Slice(Box::new(self.ty()?)));
        }
        let len = self.array_len()?;
        self.expect_punct("]")?;
        Ok(GoType::Array {
            len,
            elem: Box::new(self.ty()?),
        })
    }

    /// The tokens up to the matching `]`, as a literal or a constant expression.
    fn array_len(&mut self) -> Result<ArrayLen, TypeError> {
        let start = self.here();
        if self.at_punct("...") {
            return Err(self.error_at(
                start,
                "`[...]` array length is only valid in composite literals".to_owned(),
            ));
        }
        let mut parts: Vec<String> = Vec::new();
        let mut nesting = 0usize;
        loop {
            match self.peek() {
                None | Some(Tok::Semi) => return Err(self.expected("`]`")),
                Some(Tok::Punct("]")) if nesting == 0 => break,
                Some(tok) => {
                    match tok {
                        Tok::Punct("(" | "[") => nesting += 1,
                        Tok::Punct(")" | "]") => nesting = nesting.saturating_sub(1),
                        _ => {}
                    }
                    parts.push(token_text(tok));
                    self.pos += 1;
                }
            }
        }
        if parts.is_empty() {
            return Err(self.error_at(start, "missing array length".to_owned()));
        }
        if let [single] = parts.as_slice()
            && let Some(n) = parse_int_literal(single)
        {
            return Ok(ArrayLen::Lit(n));
        }
        if parts.len() == 1 && single_is_number(&parts[0]) {
            return Err(self.error_at(start, format!("invalid array length {}", parts[0])));
        }
        Ok(ArrayLen::Expr(join_tokens(&parts)))
    }

    fn struct_type(&mut self) -> Result<GoType, TypeError> {
        self.pos += 1; // struct
        self.expect_punct("{")?;
        let mut fields = Vec::new();
        loop {
            self.skip_semis();
            if self.eat_punct("}") {
                break;
            }
            self.field_decl(&mut fields)?;
            if !self.at_punct("}") && !matches!(self.peek(), Some(Tok::Semi)) {
                return Err(self.expected("`;` or `}` after a struct field"));
            }
        }
        Ok(GoType::Struct { fields })
    }

    /// `IdentifierList Type [Tag]` or `EmbeddedField [Tag]`.
    fn field_decl(&mut self, fields: &mut Vec<Field>) -> Result<(), TypeError> {
        let start = self.pos;
        if let Ok(names) = self.identifier_list()
            && !self.at_field_end()
            && !self.at_punct(".")
        {
            let save = self.pos;
            match self.ty() {
                Ok(ty) if self.at_field_end() || matches!(self.peek(), Some(Tok::Str(_))) => {
                    let tag = self.tag();
                    for name in names {
                        fields.push(Field {
                            name: Some(name),
                            ty: ty.clone(),
                            tag: tag.clone(),
                        });
                    }
                    return Ok(());
                }
                Ok(_) => {}
                Err(e) if names.len() > 1 => return Err(e),
                Err(_) => {}
            }
            let _ = save;
        }
        // Embedded field: [*] TypeName [TypeArgs].
        self.pos = start;
        let pointer = self.eat_punct("*");
        let named = self.type_name()?;
        let ty = if pointer {
            GoType::Pointer(Box::new(named))
        } else {
            named
        };
        let tag = self.tag();
        fields.push(Field {
            name: None,
            ty,
            tag,
        });
        Ok(())
    }

    fn at_field_end(&self) -> bool {
        matches!(self.peek(), None | Some(Tok::Semi | Tok::Punct("}")))
    }

    fn tag(&mut self) -> Option<String> {
        match self.peek() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Some(s.clone())
            }
            _ => None,
        }
    }

    fn identifier_list(&mut self) -> Result<Vec<String>, TypeError> {
        let mut names = vec![self.ident()?];
        while self.eat_punct(",") {
            names.push(self.ident()?);
        }
        Ok(names)
    }

    /// `interface { ... }`: each element kept as normalised text.
    fn interface_type(&mut self) -> Result<GoType, TypeError> {
        self.pos += 1; // interface
        self.expect_punct("{")?;
        let mut elems = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut nesting = 0usize;
        loop {
            let Some(tok) = self.bump() else {
                return Err(self.expected("`}` closing the interface"));
            };
            match tok {
                Tok::Punct("}") if nesting == 0 => break,
                Tok::Semi if nesting == 0 => {
                    if !current.is_empty() {
                        elems.push(join_tokens(&current));
                        current.clear();
                    }
                }
                other => {
                    match other {
                        Tok::Punct("(" | "[" | "{") => nesting += 1,
                        Tok::Punct(")" | "]" | "}") => nesting = nesting.saturating_sub(1),
                        _ => {}
                    }
                    if !matches!(other, Tok::Semi) {
                        current.push(token_text(other));
                    }
                }
            }
        }
        if !current.is_empty() {
            elems.push(join_tokens(&current));
        }
        Ok(GoType::Interface { elems })
    }

    /// `Parameters [Result]` after `func`, returned as normalised text.
    fn signature(&mut self) -> Result<String, TypeError> {
        let mut text = self.parameters()?;
        if self.at_punct("(") {
            text.push(' ');
            text.push_str(&self.parameters()?);
        } else if self.starts_type() {
            let result = self.ty()?;
            text.push(' ');
            text.push_str(&result.to_string());
        }
        Ok(text)
    }

    /// `( [ParameterList [,]] )`: names and types kept as text.
    fn parameters(&mut self) -> Result<String, TypeError> {
        self.expect_punct("(")?;
        let mut items: Vec<String> = Vec::new();
        loop {
            if self.eat_punct(")") {
                break;
            }
            items.push(self.parameter()?);
            if !self.eat_punct(",") {
                self.expect_punct(")")?;
                break;
            }
        }
        Ok(format!("({})", items.join(", ")))
    }

    /// `[name] [...]Type`: tries `name Type` first, then a bare type.
    fn parameter(&mut self) -> Result<String, TypeError> {
        let start = self.pos;
        if matches!(self.peek(), Some(Tok::Ident(n)) if !is_keyword(n))
            && !matches!(self.peek_at(1), Some(Tok::Punct("," | ")" | ".")))
        {
            let name = self.ident()?;
            let variadic = self.eat_punct("...");
            if let Ok(ty) = self.ty()
                && (self.at_punct(",") || self.at_punct(")"))
            {
                let dots = if variadic { "..." } else { "" };
                return Ok(format!("{name} {dots}{ty}"));
            }
            self.pos = start;
        }
        let dots = if self.eat_punct("...") { "..." } else { "" };
        Ok(format!("{dots}{}", self.ty()?))
    }

    fn starts_type(&self) -> bool {
        match self.peek() {
            Some(Tok::Ident(n)) => !matches!(n.as_str(), "break" | "return" | "else"),
            Some(Tok::Punct(p)) => matches!(*p, "*" | "[" | "<-"),
            _ => false,
        }
    }
}

fn predeclared(name: &str) -> Option<GoType> {
    if let Some(basic) = Basic::from_name(name) {
        return Some(GoType::Basic(basic));
    }
    match name {
        "string" => Some(GoType::String),
        "any" => Some(GoType::any()),
        "error" => Some(GoType::error()),
        "unsafe.Pointer" => Some(GoType::Basic(Basic::UnsafePointer)),
        _ => None,
    }
}

pub(crate) fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "break"
            | "case"
            | "chan"
            | "const"
            | "continue"
            | "default"
            | "defer"
            | "else"
            | "fallthrough"
            | "for"
            | "func"
            | "go"
            | "goto"
            | "if"
            | "import"
            | "interface"
            | "map"
            | "package"
            | "range"
            | "return"
            | "select"
            | "struct"
            | "switch"
            | "type"
            | "var"
    )
}

/// Parses a Go integer literal (`42`, `0x2A`, `0o52`, `052`, `0b101010`, with `_` separators).
pub(crate) fn parse_int_literal(text: &str) -> Option<u64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let (digits, radix) = if let Some(rest) = lower.strip_prefix("0x") {
        (rest, 16)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (rest, 8)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (rest, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

fn single_is_number(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit())
}

pub(crate) fn token_text(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) | Tok::Number(s) | Tok::Str(s) => s.clone(),
        Tok::Punct(p) => (*p).to_owned(),
        Tok::Semi => ";".to_owned(),
    }
}

/// Joins token texts the way gofmt spaces them on one line.
fn join_tokens(parts: &[String]) -> String {
    let mut out = String::new();
    let word =
        |s: &str| s.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '`' || c == '"');
    for (i, part) in parts.iter().enumerate() {
        let prev = out.chars().last();
        let prev_word = prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ')');
        let slice_after_name = part == "["
            && parts.get(i + 1).is_some_and(|n| n == "]")
            && prev.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let space = match part.as_str() {
            "|" => true,
            _ if prev == Some('|') || prev == Some(',') => true,
            "(" => prev == Some(')'),
            _ => {
                (prev_word && word(part)) || slice_after_name || (prev == Some(')') && part == "*")
            }
        };
        if space && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(part);
        if part == "|" {
            out.push(' ');
        }
    }
    // Gluing punctuation can make new tokens (`/` then `*` opens a comment): fall back to spaces.
    let same = tokenize(&out).is_ok_and(|tokens| {
        let texts: Vec<String> = tokens
            .iter()
            .filter(|t| t.tok != Tok::Semi)
            .map(|t| token_text(&t.tok))
            .collect();
        texts == parts
    });
    if same { out } else { parts.join(" ") }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Number(s) => format!("number {s}"),
        Tok::Str(s) => format!("string {s}"),
        Tok::Punct(p) => format!("`{p}`"),
        Tok::Semi => "`;` or newline".to_owned(),
    }
}
