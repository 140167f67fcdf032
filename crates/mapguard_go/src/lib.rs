//! Loading Go packages, parsing them with tree-sitter, and the semantic index rules query.
