//! Type expressions as Go engineers write them parse, print back in Go syntax, and bad ones fail
//! with a position.

use mapguard_runtime::types::{ArrayLen, Basic, ChanDir, GoType, parse_type};

fn roundtrip(src: &str) -> String {
    parse_type(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .to_string()
}

#[test]
fn go_type_expressions_round_trip() {
    for (src, printed) in [
        ("map[string]*Session", "map[string]*Session"),
        ("map[string]*pkg.Session", "map[string]*pkg.Session"),
        ("map[[16]byte][]int", "map[[16]uint8][]int"),
        ("map[int64]struct{}", "map[int64]struct{}"),
        ("map[string]map[int]bool", "map[string]map[int]bool"),
        ("map[any]error", "map[any]error"),
        ("map[string]interface{}", "map[string]any"),
        ("chan<- int", "chan<- int"),
        ("<-chan []string", "<-chan []string"),
        ("chan (<-chan int)", "chan (<-chan int)"),
        (
            "func(a, b int, rest ...string) (int, error)",
            "func(a, b int, rest ...string) (int, error)",
        ),
        ("func(int, string) error", "func(int, string) error"),
        ("func()", "func()"),
        (
            "map[string]func(ctx context.Context) error",
            "map[string]func(ctx context.Context) error",
        ),
        (
            "interface{ Read(p []byte) (n int, err error); Close() error }",
            "interface { Read(p []byte) (n int, err error); Close() error }",
        ),
        ("(*int)", "*int"),
        ("[0x10]byte", "[16]uint8"),
        ("[1_000]rune", "[1000]int32"),
        ("pkg.Set[string]", "pkg.Set[string]"),
        ("map[K]List[V]", "map[K]List[V]"),
        ("unsafe.Pointer", "unsafe.Pointer"),
    ] {
        assert_eq!(roundtrip(src), printed, "{src}");
    }
}

#[test]
fn struct_fields_tags_embedding_and_comments() {
    let src = "struct {
        // the key
        ID, Parent [16]byte `json:\"id\"`
        *Embedded
        pkg.Other \"tag\"
        Generic[int]
        list [4]int /* four */; n int
        _ struct{}
    }";
    let GoType::Struct { fields } = parse_type(src).unwrap() else {
        panic!("not a struct")
    };
    let names: Vec<_> = fields
        .iter()
        .map(|f| f.name.as_deref().unwrap_or("-"))
        .collect();
    assert_eq!(names, ["ID", "Parent", "-", "-", "-", "list", "n", "_"]);
    assert_eq!(fields[1].tag.as_deref(), Some("`json:\"id\"`"));
    assert_eq!(
        fields[2].ty,
        GoType::Pointer(Box::new(GoType::Named("Embedded".into())))
    );
    assert_eq!(fields[4].ty.to_string(), "Generic[int]");
    assert_eq!(
        fields[5].ty,
        GoType::Array {
            len: ArrayLen::Lit(4),
            elem: Box::new(GoType::Basic(Basic::Int))
        }
    );
}

#[test]
fn constant_array_lengths_are_kept_as_expressions() {
    let ty = parse_type("[2*N]pkg.T").unwrap();
    assert!(matches!(ty, GoType::Array { len: ArrayLen::Expr(ref e), .. } if e == "2*N"));
}

#[test]
fn channel_directions() {
    assert!(matches!(
        parse_type("chan int").unwrap(),
        GoType::Chan {
            dir: ChanDir::Both,
            ..
        }
    ));
    assert!(matches!(
        parse_type("chan<- int").unwrap(),
        GoType::Chan {
            dir: ChanDir::Send,
            ..
        }
    ));
    assert!(matches!(
        parse_type("<-chan int").unwrap(),
        GoType::Chan {
            dir: ChanDir::Recv,
            ..
        }
    ));
}

#[test]
fn bad_expressions_fail_with_a_position() {
    for src in [
        "",
        "map[string",
        "map[string]",
        "[]",
        "[...]int",
        "struct { a int",
        "map[string]int junk",
        "*",
        "chan<-",
        "[1.5]int",
        "func(",
        "interface {",
        "map[string]int\x00",
        "struct { a int \"unterminated }",
        "[99999999999999999999999]int",
    ] {
        let err = parse_type(src).expect_err(src);
        assert!(err.pos <= src.len(), "{src}: {err}");
    }
}

#[test]
fn negative_lengths_parse_but_cannot_be_sized() {
    use mapguard_runtime::types::{Arch, NoTypes, SizeError, layout};
    let ty = parse_type("[-1]int").unwrap();
    assert!(matches!(
        layout(&ty, Arch::Amd64, &NoTypes),
        Err(SizeError::UnknownConst(_))
    ));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let src = format!("{}int", "*".repeat(100_000));
    assert!(parse_type(&src).is_err());
    let src = format!("{}int{}", "map[string]".repeat(5000), "");
    assert!(parse_type(&src).is_err());
}
