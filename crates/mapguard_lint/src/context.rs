//! What a rule sees of one package: its files, the module index, per-function facts computed
//! once and shared by every rule, and where findings go.

use std::cell::{OnceCell, RefCell};

use mapguard_diagnostics::{Diagnostic, LineIndex, Location, TextRange};
use mapguard_go::index::{FuncDecl, FuncScope, Index, MapAccess, PackageIndex, map_accesses};
use mapguard_go::syntax::{self, Node};
use mapguard_go::{GoVersion, Package, SourceFile};

use crate::rule::RuleInfo;
use crate::settings::Settings;

/// One function or method declaration with its scope and map operations.
pub struct FunctionFacts<'a> {
    pub file: usize,
    pub node: Node<'a>,
    pub decl: Option<&'a FuncDecl>,
    pub scope: FuncScope<'a>,
    pub accesses: Vec<MapAccess<'a>>,
}

impl FunctionFacts<'_> {
    /// `init`, or a function whose name says it builds a new value (`New…`, `new…`, `make…`).
    pub fn is_init_or_constructor(&self) -> bool {
        let Some(decl) = self.decl else {
            // `init` functions are not in the index: there can be many per package.
            return self.node.kind() == "function_declaration";
        };
        if decl.receiver.is_some() {
            return false;
        }
        let name = decl.name.as_str();
        name == "init"
            || name.starts_with("New")
            || name.starts_with("new")
            || name.starts_with("make")
            || name.starts_with("Make")
    }

    pub fn display_name(&self) -> String {
        self.decl
            .map_or_else(|| "init".to_string(), FuncDecl::display_name)
    }
}

/// The context of one rule run over one package.
pub struct PackageContext<'a> {
    pub package: &'a Package,
    pub index: &'a Index,
    pub pkg: &'a PackageIndex,
    pub go_version: GoVersion,
    settings: &'a Settings,
    functions: OnceCell<Vec<FunctionFacts<'a>>>,
    concurrency: OnceCell<crate::concurrency::ConcurrencyFacts<'a>>,
    line_indexes: Vec<OnceCell<LineIndex>>,
    current: RefCell<Option<&'static RuleInfo>>,
    found: RefCell<Vec<Diagnostic>>,
}

impl<'a> PackageContext<'a> {
    pub fn new(
        package: &'a Package,
        index: &'a Index,
        pkg: &'a PackageIndex,
        go_version: GoVersion,
        settings: &'a Settings,
    ) -> Self {
        Self {
            package,
            index,
            pkg,
            go_version,
            settings,
            functions: OnceCell::new(),
            concurrency: OnceCell::new(),
            line_indexes: package.files.iter().map(|_| OnceCell::new()).collect(),
            current: RefCell::new(None),
            found: RefCell::new(Vec::new()),
        }
    }

    pub fn files(&self) -> &'a [SourceFile] {
        &self.package.files
    }

    pub fn file(&self, file: usize) -> &'a SourceFile {
        &self.package.files[file]
    }

    /// Every function and method of the package, with scopes and map accesses (computed once).
    pub fn functions(&self) -> &[FunctionFacts<'a>] {
        self.functions.get_or_init(|| {
            let mut out = Vec::new();
            for (file_index, file) in self.package.files.iter().enumerate() {
                for node in syntax::named_children(file.tree.root_node()) {
                    if !matches!(node.kind(), "function_declaration" | "method_declaration") {
                        continue;
                    }
                    let decl = self.pkg.all_funcs().find(|f| {
                        f.site.file == file_index && f.range.0 as usize == node.start_byte()
                    });
                    let scope = FuncScope::new(self.index, self.pkg, file_index, &file.text, node);
                    let accesses = node
                        .child_by_field_name("body")
                        .map(|b| map_accesses(&scope, b))
                        .unwrap_or_default();
                    out.push(FunctionFacts {
                        file: file_index,
                        node,
                        decl,
                        scope,
                        accesses,
                    });
                }
            }
            out
        })
    }

    /// Where the concurrency rules keep their shared facts (see `concurrency::facts`).
    pub(crate) fn concurrency_cell(&self) -> &OnceCell<crate::concurrency::ConcurrencyFacts<'a>> {
        &self.concurrency
    }

    /// A location for a node of a file.
    pub fn location(&self, file: usize, node: Node<'_>) -> Location {
        self.location_of_range(file, node.start_byte(), node.end_byte())
    }

    pub fn location_of_range(&self, file: usize, start: usize, end: usize) -> Location {
        let source = self.file(file);
        let index = self.line_indexes[file].get_or_init(|| LineIndex::new(&source.text));
        let range = TextRange::new(
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(end).unwrap_or(u32::MAX),
        );
        Location::new(source.display.clone(), index, range)
    }

    /// Starts a diagnostic for the running rule at a node; finish it with [`Self::push`].
    pub fn diagnostic(
        &self,
        file: usize,
        node: Node<'_>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let info = self.current.borrow().expect("a rule is running");
        let severity = self.settings.severity(info, self.file(file).is_test);
        Diagnostic::new(
            info.code,
            info.name,
            severity,
            message,
            self.location(file, node),
        )
    }

    /// Records a finding.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.found.borrow_mut().push(diagnostic);
    }

    /// Reports a finding with only a message.
    pub fn report(&self, file: usize, node: Node<'_>, message: impl Into<String>) {
        self.push(self.diagnostic(file, node, message));
    }

    pub(crate) fn run(&self, rule: &dyn crate::rule::Rule) {
        *self.current.borrow_mut() = Some(rule.info());
        rule.check(self);
        *self.current.borrow_mut() = None;
    }

    pub(crate) fn found_mut(&self) -> std::cell::RefMut<'_, Vec<Diagnostic>> {
        self.found.borrow_mut()
    }
}
