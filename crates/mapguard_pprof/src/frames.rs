//! What a Go function name in a heap profile stack tells about maps.

/// Frames `runtime/pprof` strips from the top of heap stacks: `runtime.` and (Go 1.24+)
/// `internal/runtime/` (go1.24.4 src/runtime/pprof/protomem.go:39).
pub fn is_runtime(function: &str) -> bool {
    function.starts_with("runtime.") || function.starts_with("internal/runtime/")
}

/// Runtime frames that allocate map storage, when a profiler kept them (godeltaprof keeps
/// `internal/runtime/maps.*` on Go 1.24+): classic `runtime/map*.go` and Swiss
/// `internal/runtime/maps`.
pub fn is_map_runtime(function: &str) -> bool {
    if function.starts_with("internal/runtime/maps.") {
        return true;
    }
    let Some(name) = function.strip_prefix("runtime.") else {
        return false;
    };
    const PREFIXES: [&str; 11] = [
        "makemap",
        "mapassign",
        "mapclone",
        "moveToBmap",
        "hashGrow",
        "growWork",
        "evacuate",
        "makeBucketArray",
        "(*hmap)",
        "mapclear",
        "maps_",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Non-runtime symbols that are map internals under another name: the runtime's map functions
/// linknamed into reflect and maps (`reflect.mapassign*`, `reflect.makemap`, `maps.clone`), so
/// they stay in the stack as its leaf.
pub fn is_map_leaf(function: &str) -> bool {
    function.starts_with("reflect.mapassign")
        || function == "reflect.makemap"
        || function == "maps.clone"
}

/// The package path of a function name: `encoding/json.(*decodeState).object` → `encoding/json`.
pub fn package_path(function: &str) -> &str {
    let base = function.split('[').next().unwrap_or(function);
    let slash = base.rfind('/').map_or(0, |i| i + 1);
    match base[slash..].find('.') {
        Some(dot) => &base[..slash + dot],
        None => base,
    }
}

/// Whether a function belongs to the standard library: its package path's first element has no
/// dot and it is not `main` (module paths such as `github.com/x/y` have one).
pub fn is_std(function: &str) -> bool {
    let path = package_path(function);
    let first = path.split('/').next().unwrap_or(path);
    path != "main" && !first.contains('.') && !function.starts_with("main.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_function_names() {
        assert!(is_runtime("internal/runtime/maps.newarray"));
        assert!(is_map_runtime("internal/runtime/maps.(*table).reset"));
        assert!(is_map_runtime("runtime.mapassign_faststr"));
        assert!(is_map_runtime("runtime.(*hmap).newoverflow"));
        assert!(!is_map_runtime("runtime.mallocgc"));
        assert!(is_map_leaf("reflect.mapassign_faststr0"));
        assert!(is_map_leaf("maps.clone"));
        assert!(!is_map_leaf("maps.Clone[go.shape.map[string]int]"));
        assert_eq!(
            package_path("encoding/json.(*decodeState).object"),
            "encoding/json"
        );
        assert_eq!(package_path("github.com/a/b.(*T).M"), "github.com/a/b");
        assert!(is_std("encoding/json.Unmarshal"));
        assert!(is_std(
            "maps.Clone[go.shape.map[string]int,go.shape.string]"
        ));
        assert!(!is_std("main.main"));
        assert!(!is_std("github.com/a/b.F"));
    }
}
