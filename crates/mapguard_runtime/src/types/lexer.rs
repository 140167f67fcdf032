//! A Go tokenizer for type expressions and type declarations, with Go's automatic semicolons.

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Ident(String),
    /// An integer, float, imaginary or rune literal (its text).
    Number(String),
    /// An interpreted or raw string literal, quotes included.
    Str(String),
    /// An operator or delimiter, e.g. `[`, `<-`, `...`.
    Punct(&'static str),
    /// An explicit `;` or a newline that Go turns into one.
    Semi,
}

/// A token and its byte offset in the input.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) pos: usize,
}

/// A character the tokenizer cannot start a token with, or an unterminated literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub(crate) pos: usize,
    pub(crate) message: String,
}

const PUNCTS: [&str; 29] = [
    "...", "<<=", ">>=", "&^", "<-", "<<", ">>", "&&", "||", "==", "!=", "<=", ">=", ":=", "[",
    "]", "{", "}", "(", ")", "*", ".", ",", "~", "|", "=", "+", "-", "/",
];
const SINGLE_EXTRA: [&str; 7] = ["%", "&", "^", "<", ">", "!", ":"];

/// Splits `src` into tokens. Newlines become [`Tok::Semi`] after an identifier, literal, `)`, `]`
/// or `}` (Go's rule); comments are skipped (a comment spanning lines counts as a newline).
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    let bytes = src.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            insert_semi(&mut out, i);
            i += 1;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if src[i..].starts_with("//") {
            let end = src[i..].find('\n').map_or(bytes.len(), |e| i + e);
            i = end;
            continue;
        }
        if src[i..].starts_with("/*") {
            let Some(end) = src[i + 2..].find("*/") else {
                return Err(LexError {
                    pos: i,
                    message: "unterminated comment".to_owned(),
                });
            };
            if src[i + 2..i + 2 + end].contains('\n') {
                insert_semi(&mut out, i);
            }
            i += end + 4;
            continue;
        }
        let start = i;
        let ch = src[i..].chars().next().unwrap_or('\0');
        if ch == '_' || ch.is_alphabetic() {
            let len = src[i..]
                .char_indices()
                .find(|&(_, c)| !(c == '_' || c.is_alphanumeric()))
                .map_or(src.len() - i, |(e, _)| e);
            out.push(Token {
                tok: Tok::Ident(src[i..i + len].to_owned()),
                pos: start,
            });
            i += len;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let len = src[i..]
                .char_indices()
                .find(|&(e, c)| {
                    !(c.is_ascii_alphanumeric()
                        || c == '_'
                        || c == '.'
                        || ((c == '+' || c == '-')
                            && e > 0
                            && matches!(src.as_bytes()[i + e - 1], b'e' | b'E' | b'p' | b'P')))
                })
                .map_or(src.len() - i, |(e, _)| e);
            out.push(Token {
                tok: Tok::Number(src[i..i + len].to_owned()),
                pos: start,
            });
            i += len;
            continue;
        }
        if c == b'"' || c == b'\'' || c == b'`' {
            let end = string_end(src, i).ok_or_else(|| LexError {
                pos: i,
                message: "unterminated literal".to_owned(),
            })?;
            let text = src[i..end].to_owned();
            let tok = if c == b'\'' {
                Tok::Number(text)
            } else {
                Tok::Str(text)
            };
            out.push(Token { tok, pos: start });
            i = end;
            continue;
        }
        if c == b';' {
            out.push(Token {
                tok: Tok::Semi,
                pos: start,
            });
            i += 1;
            continue;
        }
        if let Some(p) = PUNCTS
            .iter()
            .chain(SINGLE_EXTRA.iter())
            .find(|p| src[i..].starts_with(**p))
        {
            out.push(Token {
                tok: Tok::Punct(p),
                pos: start,
            });
            i += p.len();
            continue;
        }
        return Err(LexError {
            pos: i,
            message: format!("unexpected character {ch:?}"),
        });
    }
    insert_semi(&mut out, src.len());
    Ok(out)
}

fn insert_semi(out: &mut Vec<Token>, pos: usize) {
    let needs = matches!(
        out.last().map(|t| &t.tok),
        Some(Tok::Ident(_) | Tok::Number(_) | Tok::Str(_) | Tok::Punct(")" | "]" | "}"))
    );
    if needs {
        out.push(Token {
            tok: Tok::Semi,
            pos,
        });
    }
}

/// The byte just past the literal that starts at `start` (a `"`, `'` or backquote).
fn string_end(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        let c = bytes[i];
        if c == quote {
            return Some(i + 1);
        }
        if quote != b'`' {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'\n' {
                return None;
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn newline_after_ident_is_a_semicolon() {
        assert_eq!(
            kinds("a int\n// c\nb string"),
            vec![
                Tok::Ident("a".into()),
                Tok::Ident("int".into()),
                Tok::Semi,
                Tok::Ident("b".into()),
                Tok::Ident("string".into()),
                Tok::Semi,
            ]
        );
    }

    #[test]
    fn tags_and_channels() {
        assert_eq!(
            kinds("<-chan `json:\"x\"`"),
            vec![
                Tok::Punct("<-"),
                Tok::Ident("chan".into()),
                Tok::Str("`json:\"x\"`".into()),
                Tok::Semi,
            ]
        );
    }

    #[test]
    fn unterminated_string_is_an_error() {
        assert!(tokenize("struct { a int \"x }").is_err());
        assert!(tokenize("/* open").is_err());
    }
}
