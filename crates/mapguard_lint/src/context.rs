//! What a rule sees of one package: its files, the module index, per-function facts computed
//! once and shared by every rule, and where findings go.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};

use mapguard_diagnostics::{Diagnostic, LineIndex, Location, TextRange};
use mapguard_go::index::{AccessCollector, FuncDecl, FuncScope, Index, MapAccess, PackageIndex};
use mapguard_go::syntax::{self, Node};
use mapguard_go::{GoVersion, Package, SourceFile};
use rayon::prelude::*;

use crate::rule::RuleInfo;
use crate::settings::Settings;

/// One function or method declaration with its scope and map operations.
pub struct FunctionFacts<'a> {
    pub file: usize,
    pub node: Node<'a>,
    pub decl: Option<&'a FuncDecl>,
    pub scope: FuncScope<'a>,
    pub accesses: Vec<MapAccess<'a>>,
    /// The `short_var_declaration` and `var_declaration` nodes of the body, in source order.
    pub declarations: Vec<Node<'a>>,
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
    function_names: OnceCell<HashSet<&'a str>>,
    /// Maps that leak, shared by MG201 and MG202.
    growing: OnceCell<Vec<crate::rules::Leak>>,
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
            function_names: OnceCell::new(),
            growing: OnceCell::new(),
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

    /// Every function and method of the package, with scopes and map accesses (computed once,
    /// in parallel: one walk per function gives both).
    pub fn functions(&self) -> &[FunctionFacts<'a>] {
        self.functions.get_or_init(|| {
            let k = &*syntax::KINDS;
            // The first declaration listed at each place, as a search in `all_funcs` order finds.
            let mut decls: HashMap<(usize, usize), &'a FuncDecl> = HashMap::new();
            for decl in self.pkg.all_funcs() {
                decls
                    .entry((decl.site.file, decl.range.0 as usize))
                    .or_insert(decl);
            }
            let mut nodes = Vec::new();
            for (file_index, file) in self.package.files.iter().enumerate() {
                for node in file.tree.root_node().named_children() {
                    let id = node.kind_id();
                    if id == k.function_declaration || id == k.method_declaration {
                        nodes.push((file_index, node));
                    }
                }
            }
            nodes
                .into_par_iter()
                .with_max_len(8)
                .map(|(file_index, node)| {
                    let file = &self.package.files[file_index];
                    let mut accesses = AccessCollector::new(node);
                    let mut declarations = Vec::new();
                    let scope = FuncScope::with_visitor(
                        self.index,
                        self.pkg,
                        file_index,
                        &file.text,
                        node,
                        |n, ancestors| {
                            if accesses.in_body(n, ancestors).is_none() {
                                return;
                            }
                            let id = n.kind_id();
                            if id == k.short_var_declaration || id == k.var_declaration {
                                declarations.push(n);
                            }
                            accesses.visit(n, ancestors);
                        },
                    );
                    let accesses = accesses.finish(&scope);
                    FunctionFacts {
                        file: file_index,
                        node,
                        decl: decls.get(&(file_index, node.start_byte())).copied(),
                        scope,
                        accesses,
                        declarations,
                    }
                })
                .collect()
        })
    }

    /// The names of the package's functions and methods (methods without their receiver type),
    /// computed once: only these names can refer to a function declared in the package.
    pub fn function_names(&self) -> &HashSet<&'a str> {
        self.function_names.get_or_init(|| {
            let pkg: &'a PackageIndex = self.pkg;
            pkg.funcs
                .keys()
                .map(String::as_str)
                .chain(pkg.methods.keys().map(|(_, m)| m.as_str()))
                .collect()
        })
    }

    /// Where the concurrency rules keep their shared facts (see `concurrency::facts`).
    pub(crate) fn concurrency_cell(&self) -> &OnceCell<crate::concurrency::ConcurrencyFacts<'a>> {
        &self.concurrency
    }

    /// Where the growth analysis shared by MG201 and MG202 keeps its result.
    pub(crate) fn growing_cell(&self) -> &OnceCell<Vec<crate::rules::Leak>> {
        &self.growing
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
