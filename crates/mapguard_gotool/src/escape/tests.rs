use super::*;

/// Real Go 1.26 output for `sample_esc.go.txt` (`go build -gcflags=-m=2`).
const SAMPLE: &str = include_str!("sample_m2.txt");

fn find<'r>(report: &'r EscapeReport, kind: EscapeKind, subject: &str) -> &'r Escape {
    report
        .escapes
        .iter()
        .find(|e| e.kind == kind && e.subject == subject)
        .unwrap_or_else(|| panic!("no {kind:?} {subject}"))
}

#[test]
fn verdicts_get_their_explanations() {
    let report = parse_escape_output(SAMPLE);
    assert_eq!(report.packages, ["example.com/esc"]);
    assert!(report.other.is_empty(), "{:?}", report.other);

    let local = find(&report, EscapeKind::DoesNotEscape, "make(map[string]int)");
    assert_eq!(local.position.to_string(), "./esc.go:8:11");
    assert!(local.flows.is_empty());

    let moved = find(&report, EscapeKind::MovedToHeap, "m");
    assert_eq!(moved.position.to_string(), "./esc.go:32:2");
    assert_eq!(moved.function.as_deref(), Some("Moved"));
    assert_eq!(moved.flows.len(), 1);
    assert_eq!(moved.flows[0].to, "~r0");
    assert_eq!(moved.flows[0].from, "&m");
    let reasons: Vec<&str> = moved.flows[0]
        .steps
        .iter()
        .map(|s| s.reason.as_str())
        .collect();
    assert_eq!(reasons, ["address-of", "return"]);
    assert_eq!(
        moved.flows[0].steps[1].at.as_ref().unwrap().to_string(),
        "./esc.go:33:2"
    );

    let captured = find(&report, EscapeKind::EscapesToHeap, "map[int]int{}");
    assert_eq!(captured.flows.len(), 2);
    assert_eq!(captured.flows[1].to, "{storage for func literal}");
    assert_eq!(captured.flows[1].steps[0].reason, "captured by a closure");
    assert_eq!(captured.flows[1].steps[0].expr, "m");

    let key = find(&report, EscapeKind::LeakingParam, "k");
    assert_eq!(key.function.as_deref(), Some("Stored"));
    assert_eq!(key.flows[0].steps[0].reason, "key of map put");
    assert_eq!(key.flows[0].steps[0].expr, "global[k]");

    let param = find(&report, EscapeKind::LeakingParam, "m");
    assert_eq!(param.detail.as_deref(), Some("to result ~r0 level=0"));

    let by_value = find(&report, EscapeKind::CapturedByValue, "m");
    assert_eq!(by_value.function.as_deref(), Some("Captured"));
    assert_eq!(
        by_value.detail.as_deref(),
        Some("(addr=false assign=false width=8)")
    );
}

#[test]
fn every_verdict_line_is_counted_once() {
    let report = parse_escape_output(SAMPLE);
    let verdict_lines = SAMPLE
        .lines()
        .filter(|l| {
            let Some((_, m)) = split_position(l) else {
                return false;
            };
            !m.starts_with(' ')
                && !m.ends_with(':')
                && (m.ends_with(" escapes to heap")
                    || m.ends_with(" does not escape")
                    || m.starts_with("moved to heap: ")
                    || m.starts_with("leaking param")
                    || m.contains(" capturing by "))
        })
        .count();
    assert_eq!(report.escapes.len(), verdict_lines);
}

#[test]
fn steps_with_parentheses_in_the_expression() {
    let step = parse_step("f(a, (b)) (call parameter) at ./x.go:3:4");
    assert_eq!(step.expr, "f(a, (b))");
    assert_eq!(step.reason, "call parameter");
    assert_eq!(step.at.unwrap().to_string(), "./x.go:3:4");
    let step = parse_step("weird");
    assert_eq!(step.expr, "weird");
    assert!(step.at.is_none());
}

#[test]
fn paths_with_colons_and_junk_lines() {
    let report = parse_escape_output(
        "C:\\src\\a.go:3:4: moved to heap: x\n\
         go: downloading something\n\
         ./a.go:x:1: not a position\n\
         ./a.go:5:2: undefined: y\n\
         :1:2: moved to heap: z\n",
    );
    assert_eq!(report.escapes.len(), 1);
    assert_eq!(report.escapes[0].position.file, "C:\\src\\a.go");
    assert_eq!(report.other.len(), 1);
    assert_eq!(report.other[0].1, "undefined: y");
}

#[test]
fn older_arrow_spelling() {
    let flow = parse_flow("{heap} = &v:");
    assert_eq!((flow.to.as_str(), flow.from.as_str()), ("{heap}", "&v"));
}
