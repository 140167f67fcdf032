//! Prints the tree-sitter tree of a Go file (a debugging aid).
fn main() {
    let path = std::env::args().nth(1).expect("usage: dump FILE.go");
    let text = std::fs::read_to_string(path).expect("readable file");
    let tree = mapguard_go::syntax::parse(text.as_bytes()).expect("parse");
    let mut out = String::new();
    for node in mapguard_go::syntax::descendants(tree.root_node()) {
        let mut depth = 0;
        let mut p = node.parent();
        while let Some(n) = p {
            depth += 1;
            p = n.parent();
        }
        let field = node.parent().and_then(|p| {
            let mut c = p.walk();
            p.children(&mut c)
                .position(|x| x == node)
                .and_then(|i| p.field_name_for_child(u32::try_from(i).ok()?))
        });
        out.push_str(&format!(
            "{}{}{} {:?}\n",
            "  ".repeat(depth),
            field.map(|f| format!("{f}: ")).unwrap_or_default(),
            node.kind(),
            &text[node.byte_range()].chars().take(30).collect::<String>()
        ));
    }
    std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes()).expect("stdout");
}
