//! The index resolves types across files and packages of a module, and names maps by identity.

use std::path::Path;

use mapguard_go::index::{FuncScope, Index, MapRef, Type};
use mapguard_go::{LoadOptions, load, syntax};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn resolves_selector_chains_and_cross_package_types() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(
        dir.path(),
        "store/store.go",
        "package store\n\ntype Entry struct{ Data [200]byte }\n\ntype Items map[string]*Entry\n\nfunc New() *Cache { return &Cache{items: Items{}} }\n\ntype Cache struct {\n\titems Items\n}\n",
    );
    write(
        dir.path(),
        "srv/srv.go",
        "package srv\n\nimport (\n\t\"sync\"\n\t\"example.com/m/store\"\n)\n\nvar registry = make(map[string]int)\n\ntype Server struct {\n\tmu sync.Mutex\n\tcache *store.Cache\n\tbyID map[int]string\n}\n\nfunc (s *Server) Handle(ids []int) {\n\tlocal := make(map[int]bool, len(ids))\n\tfor _, id := range ids {\n\t\ts.byID[id] = \"x\"\n\t\tlocal[id] = true\n\t}\n\tregistry[\"a\"]++\n\tc := store.New()\n\t_ = c\n}\n",
    );
    let program = load(&["./...".to_string()], dir.path(), &LoadOptions::default());
    assert!(program.errors.is_empty(), "{:?}", program.errors);
    assert_eq!(program.packages.len(), 2);
    let index = Index::build(&program);
    let srv = program.packages.iter().find(|p| p.name == "srv").unwrap();
    let pkg = index.package(&srv.import_path).unwrap();
    let file = &srv.files[0];
    let func = syntax::descendants(file.tree.root_node())
        .find(|n| n.kind() == "method_declaration")
        .unwrap();
    let scope = FuncScope::new(&index, pkg, 0, &file.text, func);

    let mut refs = Vec::new();
    for node in syntax::descendants(func).filter(|n| n.kind() == "index_expression") {
        let operand = node.child_by_field_name("operand").unwrap();
        refs.push(scope.map_ref(operand));
    }
    assert_eq!(
        refs,
        vec![
            Some(MapRef::Field {
                pkg: "example.com/m/srv".into(),
                type_name: "Server".into(),
                field: "byID".into()
            }),
            Some(MapRef::Local {
                name: "local".into(),
                decl: u32::try_from(file.text.find("local :=").unwrap()).unwrap()
            }),
            Some(MapRef::Global {
                pkg: "example.com/m/srv".into(),
                name: "registry".into()
            }),
        ]
    );
    let c = scope.locals().iter().find(|l| l.name == "c").unwrap();
    assert_eq!(
        c.ty,
        Some(Type::Pointer(Box::new(Type::named(
            "example.com/m/store",
            "Cache"
        ))))
    );
    let items = index.field(c.ty.as_ref().unwrap(), "items").unwrap();
    let (_, value) = index.map_types(&items.field.ty).unwrap();
    assert_eq!(
        value,
        &Type::Pointer(Box::new(Type::named("example.com/m/store", "Entry")))
    );
    let id = scope.locals().iter().find(|l| l.name == "id").unwrap();
    assert_eq!(id.ty, Some(Type::named("", "int")));
}

#[test]
fn ancestor_walk_matches_parent_links() {
    let src =
        "package p\nfunc f(m map[string]int) { for k := range m { if k != \"\" { m[k]++ } } }\n";
    let tree = syntax::parse(src.as_bytes()).unwrap();
    let mut visited = 0;
    syntax::walk_with_ancestors(tree.root_node(), |node, ancestors| {
        visited += 1;
        assert_eq!(ancestors.last().copied(), node.parent());
        if let Some(grand) = ancestors.len().checked_sub(2).map(|i| ancestors[i]) {
            assert_eq!(Some(grand), node.parent().and_then(|p| p.parent()));
        }
    });
    assert_eq!(visited, syntax::descendants(tree.root_node()).count());
}

/// Go 1.26's `new(expr)`, which tree-sitter-go 0.25 cannot parse: no syntax warning, and the
/// pointer's type comes from the expression.
#[test]
fn go_1_26_new_of_an_expression() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n\ngo 1.26\n");
    write(
        dir.path(),
        "p/p.go",
        "package p\n\ntype Config struct{ Retries *int64 }\n\nfunc f(n int) *Config {\n\tm := map[string]int{}\n\tp := new(int64(500))\n\tq := new(m)\n\tr := new(map[string]bool)\n\t_, _ = q, r\n\treturn &Config{Retries: new(int64(n))}\n}\n",
    );
    let program = load(&["./...".to_string()], dir.path(), &LoadOptions::default());
    assert!(program.errors.is_empty(), "{:?}", program.errors);
    assert!(program.warnings.is_empty(), "{:?}", program.warnings);
    let index = Index::build(&program);
    let package = &program.packages[0];
    let file = &package.files[0];
    let func = syntax::descendants(file.tree.root_node())
        .find(|n| n.kind() == "function_declaration")
        .unwrap();
    let scope = FuncScope::new(
        &index,
        index.package(&package.import_path).unwrap(),
        0,
        &file.text,
        func,
    );
    let at = u32::try_from(file.text.find("_, _ =").unwrap()).unwrap();
    let ty = |name: &str| {
        scope
            .local(name, at)
            .and_then(|l| l.ty.clone())
            .map(|t| t.to_string())
    };
    assert_eq!(ty("p").as_deref(), Some("*int64"));
    assert_eq!(ty("q").as_deref(), Some("*map[string]int"));
    assert_eq!(ty("r").as_deref(), Some("*map[string]bool"));
}
