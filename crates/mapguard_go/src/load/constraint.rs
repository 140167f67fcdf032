//! Build constraints: `//go:build` expressions, legacy `// +build` lines and the `_GOOS_GOARCH`
//! file-name rules, evaluated for one target the way the go command does.

/// What a file is built for: target OS and architecture, extra tags, and whether tests count.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub goos: String,
    pub goarch: String,
    pub tags: Vec<String>,
    pub tests: bool,
}

impl Default for BuildContext {
    fn default() -> Self {
        Self {
            goos: "linux".into(),
            goarch: "amd64".into(),
            tags: Vec::new(),
            tests: true,
        }
    }
}

const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];
const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];
const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

impl BuildContext {
    /// Whether a tag is satisfied: GOOS, GOARCH, `unix`, `gc`, `cgo`, release tags `go1.N` and user tags.
    pub fn tag(&self, tag: &str) -> bool {
        if tag == self.goos || tag == self.goarch || tag == "gc" || tag == "cgo" {
            return true;
        }
        if tag == "unix" {
            return UNIX_OS.contains(&self.goos.as_str());
        }
        if self.goos == "android" && tag == "linux"
            || self.goos == "illumos" && tag == "solaris"
            || self.goos == "ios" && tag == "darwin"
        {
            return true;
        }
        if let Some(minor) = tag.strip_prefix("go1.") {
            return minor
                .parse::<u32>()
                .is_ok_and(|m| m <= crate::GoVersion::LATEST.minor);
        }
        self.tags.iter().any(|t| t == tag)
    }

    /// Whether the file name alone admits the file (`_test.go`, `_GOOS`, `_GOARCH` suffixes).
    pub fn matches_file_name(&self, name: &str) -> bool {
        let Some(stem) = name.strip_suffix(".go") else {
            return false;
        };
        let stem = match stem.strip_suffix("_test") {
            Some(_) if !self.tests => return false,
            Some(stem) => stem,
            None => stem,
        };
        let parts: Vec<&str> = stem.split('_').collect();
        // The first element is the base name and never a constraint (e.g. `linux.go` is unconstrained).
        let n = parts.len();
        if n >= 3 && KNOWN_OS.contains(&parts[n - 2]) && KNOWN_ARCH.contains(&parts[n - 1]) {
            return self.tag(parts[n - 2]) && parts[n - 1] == self.goarch;
        }
        if n >= 2 {
            let last = parts[n - 1];
            if KNOWN_OS.contains(&last) {
                return self.tag(last);
            }
            if KNOWN_ARCH.contains(&last) {
                return last == self.goarch;
            }
        }
        true
    }

    /// Whether the constraint comments in a file's header admit it. Malformed expressions exclude
    /// the file, as the go command does.
    pub fn matches_header(&self, source: &[u8]) -> bool {
        let mut plus_build: Vec<&str> = Vec::new();
        for line in header_lines(source) {
            if let Some(expr) = line.strip_prefix("//go:build") {
                if !expr.is_empty() && !expr.starts_with([' ', '\t']) {
                    continue;
                }
                return parse_expr(expr).is_some_and(|e| e.eval(self));
            }
            if let Some(rest) = line.strip_prefix("// +build") {
                plus_build.push(rest);
            }
        }
        plus_build.iter().all(|line| self.plus_build_line(line))
    }

    fn plus_build_line(&self, line: &str) -> bool {
        line.split_whitespace().any(|alternative| {
            alternative
                .split(',')
                .all(|term| match term.strip_prefix('!') {
                    Some(tag) => !self.tag(tag),
                    None => self.tag(term),
                })
        })
    }
}

/// The comment lines before the package clause.
fn header_lines(source: &[u8]) -> impl Iterator<Item = &str> {
    let mut in_block = false;
    source
        .split(|&b| b == b'\n')
        .map(|line| std::str::from_utf8(line).unwrap_or("").trim())
        .take_while(move |line| {
            if in_block {
                in_block = !line.contains("*/");
                return true;
            }
            if line.starts_with("/*") {
                in_block = !line.contains("*/");
                return true;
            }
            line.is_empty() || line.starts_with("//")
        })
}

#[derive(Debug)]
enum Expr {
    Tag(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn eval(&self, ctx: &BuildContext) -> bool {
        match self {
            Expr::Tag(tag) => ctx.tag(tag),
            Expr::Not(e) => !e.eval(ctx),
            Expr::And(a, b) => a.eval(ctx) && b.eval(ctx),
            Expr::Or(a, b) => a.eval(ctx) || b.eval(ctx),
        }
    }
}

/// Parses a `//go:build` expression: `||` binds looser than `&&`, `!` tightest.
fn parse_expr(text: &str) -> Option<Expr> {
    let tokens = tokenize(text)?;
    let mut parser = ExprParser {
        tokens: &tokens,
        pos: 0,
    };
    let expr = parser.or()?;
    (parser.pos == tokens.len()).then_some(expr)
}

fn tokenize(text: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' | '\r' => {
                chars.next();
            }
            '(' | ')' | '!' => {
                tokens.push(c.to_string());
                chars.next();
            }
            '&' | '|' => {
                chars.next();
                if chars.next() != Some(c) {
                    return None;
                }
                tokens.push(format!("{c}{c}"));
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut tag = String::new();
                while let Some(&c) = chars
                    .peek()
                    .filter(|c| c.is_alphanumeric() || **c == '_' || **c == '.')
                {
                    tag.push(c);
                    chars.next();
                }
                tokens.push(tag);
            }
            _ => return None,
        }
    }
    Some(tokens)
}

struct ExprParser<'a> {
    tokens: &'a [String],
    pos: usize,
}

impl ExprParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Option<Expr> {
        let mut left = self.and()?;
        while self.peek() == Some("||") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<Expr> {
        let mut left = self.unary()?;
        while self.peek() == Some("&&") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Expr> {
        let token = self.peek()?.to_string();
        self.pos += 1;
        match token.as_str() {
            "!" => Some(Expr::Not(Box::new(self.unary()?))),
            "(" => {
                let inner = self.or()?;
                (self.peek() == Some(")")).then(|| self.pos += 1)?;
                Some(inner)
            }
            ")" | "&&" | "||" => None,
            _ => Some(Expr::Tag(token)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> BuildContext {
        BuildContext::default()
    }

    #[test]
    fn go_build_expressions() {
        let c = ctx();
        assert!(c.matches_header(b"//go:build linux && (amd64 || arm64)\n\npackage p"));
        assert!(!c.matches_header(b"//go:build windows\n\npackage p"));
        assert!(!c.matches_header(b"// Copyright\n\n//go:build ignore\n\npackage p"));
        assert!(c.matches_header(b"//go:build unix && !js && go1.21\npackage p"));
        assert!(
            !c.matches_header(b"//go:build linux &&\npackage p"),
            "malformed excludes"
        );
        assert!(
            c.matches_header(b"package p\n//go:build windows\n"),
            "only the header counts"
        );
    }

    #[test]
    fn plus_build_lines() {
        let c = ctx();
        assert!(c.matches_header(b"// +build linux,amd64 darwin\n\npackage p"));
        assert!(!c.matches_header(b"// +build !linux\n\npackage p"));
    }

    #[test]
    fn file_names() {
        let mut c = ctx();
        assert!(c.matches_file_name("map_linux_amd64.go"));
        assert!(!c.matches_file_name("map_windows.go"));
        assert!(!c.matches_file_name("map_arm64.go"));
        assert!(c.matches_file_name("linux.go"));
        assert!(c.matches_file_name("x_test.go"));
        assert!(!c.matches_file_name("x_windows_test.go"));
        c.tests = false;
        assert!(!c.matches_file_name("x_test.go"));
        assert!(!c.matches_file_name("x.txt"));
    }
}
