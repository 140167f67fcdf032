//! What a rule is: metadata with its documentation, and a check over one package.

use mapguard_diagnostics::Severity;

use crate::context::PackageContext;

/// A rule's identity and docs, declared once in the rule's file by [`declare_rule!`].
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    /// Markdown with the sections What it does / Why is this bad? / Example / Use instead / Fix safety.
    pub docs: &'static str,
    pub severity: Severity,
    /// Severity in `_test.go` files unless `mapguard.toml` sets `tests`; `None`: unchanged.
    pub test_severity: Option<Severity>,
    pub fixable: bool,
}

impl RuleInfo {
    pub fn meta(&self) -> mapguard_diagnostics::RuleMeta {
        mapguard_diagnostics::RuleMeta {
            code: self.code.to_string(),
            name: self.name.to_string(),
            summary: self.summary.to_string(),
            docs: self.docs.to_string(),
            default_severity: self.severity,
            fixable: self.fixable,
        }
    }
}

/// A static check over one package. Rules report through the context and never print.
pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;
    fn check(&self, ctx: &PackageContext<'_>);
}

/// Declares a rule struct with its documentation taken from the doc comment.
#[macro_export]
macro_rules! declare_rule {
    (@opt $value:expr) => { Some($value) };
    (@opt) => { None };
    (
        $(#[doc = $doc:literal])+
        pub struct $name:ident;
        code = $code:literal, name = $rule_name:literal, summary = $summary:literal,
        severity = $severity:ident, fixable = $fixable:literal
        $(, test_severity = $test_severity:ident)? $(,)?
    ) => {
        $(#[doc = $doc])+
        pub(crate) struct $name;

        impl $name {
            pub(crate) const INFO: $crate::rule::RuleInfo = $crate::rule::RuleInfo {
                code: $code,
                name: $rule_name,
                summary: $summary,
                docs: concat!($($doc, "\n"),+),
                severity: mapguard_diagnostics::Severity::$severity,
                test_severity: $crate::declare_rule!(@opt $(mapguard_diagnostics::Severity::$test_severity)?),
                fixable: $fixable,
            };
        }
    };
}
