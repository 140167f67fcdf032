//! Go 1.26's `new(expr)`, which tree-sitter-go 0.25 cannot parse: its grammar wants a type as
//! the first argument of `new` and `make` (tree-sitter/tree-sitter-go#189 and #193, unreleased),
//! so `new(int64(500))` or a call of a local function named `make` become `ERROR` nodes.
//!
//! When a file's parse has errors, [`respell`] finds the calls of `new` and `make` whose first
//! argument is not a type and renames them, in a copy of the source, to an identifier of the
//! same length (`New`, `Make`) that the grammar parses as an ordinary call. Offsets do not move,
//! and node text is read from the original source, so the tree still says `new`.

/// A copy of `source` with the `new`/`make` calls that do not take a type renamed, or `None`
/// when there is no such call.
pub(super) fn respell(source: &[u8]) -> Option<Vec<u8>> {
    let mut copy: Option<Vec<u8>> = None;
    for call in builtin_calls(source) {
        let argument = source[call.arguments..call.first_end].trim_ascii();
        if argument.is_empty() || is_type(argument) {
            continue;
        }
        let copy = copy.get_or_insert_with(|| source.to_vec());
        copy[call.name] = copy[call.name].to_ascii_uppercase();
    }
    copy
}

/// A call of `new` or `make`: where its name starts, where its arguments start and where the
/// first one ends.
#[derive(Debug, PartialEq)]
struct BuiltinCall {
    name: usize,
    arguments: usize,
    first_end: usize,
}

/// Whether Go source text is a type: tree-sitter parses `type _ <text>` without an error.
fn is_type(text: &[u8]) -> bool {
    let mut decl = b"package p\ntype _ ".to_vec();
    decl.extend_from_slice(text);
    decl.push(b'\n');
    super::parse_tree_sitter(&decl).is_some_and(|tree| !tree.root_node().has_error())
}

/// The calls of `new` and `make` (not selectors like `x.new(`) outside comments and literals.
fn builtin_calls(source: &[u8]) -> Vec<BuiltinCall> {
    // Open brackets; a call's `(` carries the call, its first argument's end still unknown.
    let mut open: Vec<Option<BuiltinCall>> = Vec::new();
    let mut calls = Vec::new();
    let mut previous = b' ';
    let mut i = 0;
    while i < source.len() {
        let byte = source[i];
        match byte {
            b'/' if source.get(i + 1) == Some(&b'/') => i = skip_to(source, i + 2, b"\n"),
            b'/' if source.get(i + 1) == Some(&b'*') => i = skip_to(source, i + 2, b"*/"),
            b'"' | b'\'' => i = skip_quoted(source, i + 1, byte),
            b'`' => i = skip_to(source, i + 1, b"`"),
            b'(' | b'[' | b'{' => {
                open.push(None);
                i += 1;
            }
            b')' | b']' | b'}' => {
                if let Some(Some(mut call)) = open.pop() {
                    if call.first_end == 0 {
                        call.first_end = i;
                    }
                    calls.push(call);
                }
                i += 1;
            }
            b',' => {
                if let Some(Some(call)) = open.last_mut()
                    && call.first_end == 0
                {
                    call.first_end = i;
                }
                i += 1;
            }
            _ if is_identifier_byte(byte) && !byte.is_ascii_digit() => {
                let start = i;
                while i < source.len() && is_identifier_byte(source[i]) {
                    i += 1;
                }
                let name = &source[start..i];
                if (name == b"new" || name == b"make")
                    && previous != b'.'
                    && source.get(i) == Some(&b'(')
                {
                    open.push(Some(BuiltinCall {
                        name: start,
                        arguments: i + 1,
                        first_end: 0,
                    }));
                    i += 1;
                }
            }
            _ => i += 1,
        }
        if !byte.is_ascii_whitespace() {
            previous = byte;
        }
    }
    calls.sort_by_key(|c| c.name);
    calls
}

fn is_identifier_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The index just past the next `end` at or after `from` (or the end of the source).
fn skip_to(source: &[u8], from: usize, end: &[u8]) -> usize {
    source
        .get(from..)
        .and_then(|rest| rest.windows(end.len()).position(|w| w == end))
        .map_or(source.len(), |at| from + at + end.len())
}

/// The index just past a `"…"` or `'…'` literal whose body starts at `from` (escapes skipped;
/// a newline ends an unterminated one).
fn skip_quoted(source: &[u8], from: usize, quote: u8) -> usize {
    let mut i = from;
    while i < source.len() {
        match source[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            byte if byte == quote => return i + 1,
            _ => i += 1,
        }
    }
    source.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(source: &str) -> Vec<String> {
        let Some(copy) = respell(source.as_bytes()) else {
            return Vec::new();
        };
        let copy = String::from_utf8(copy).unwrap();
        copy.match_indices("New(")
            .chain(copy.match_indices("Make("))
            .filter(|(at, _)| {
                !source[*at..].starts_with("New") && !source[*at..].starts_with("Make")
            })
            .map(|(at, _)| source[at..].split('\n').next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn renames_only_calls_without_a_type() {
        let source = "package p\n\
            var a = new(int64(500))\n\
            var b = new(map[string]int)\n\
            var c = new(pkg.T)\n\
            var d = x.new(1)\n\
            var e = new(0)\n\
            var f = make([]int, 0, n(1))\n\
            var g = make(f(x), 2)\n\
            var h = new(struct{ a int })\n\
            var i = new(List[int])\n\
            // new(1) in a comment\n\
            var j = \"new(1)\" + `new(2)`\n\
            var k = new(new(7))\n";
        assert_eq!(
            renamed(source),
            [
                "new(int64(500))",
                "new(0)",
                "new(new(7))",
                "new(7))",
                "make(f(x), 2)",
            ]
        );
        assert_eq!(respell(b"package p\nvar m = new(T)\n"), None);
    }

    #[test]
    fn respelled_files_parse_without_errors() {
        let source = "package p\n\nfunc f(v V) *int64 {\n\tp := new(int64(500))\n\tq := new(v.Get(1))\n\treturn new(*p + *q)\n}\n";
        assert!(
            super::super::parse_tree_sitter(source.as_bytes())
                .unwrap()
                .root_node()
                .has_error()
        );
        let copy = respell(source.as_bytes()).unwrap();
        assert_eq!(copy.len(), source.len());
        let tree = super::super::parse(source.as_bytes()).unwrap();
        assert!(!tree.root_node().has_error());
        assert!(super::super::first_error(&tree).is_none());
    }
}
