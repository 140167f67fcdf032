//! Diagnostics: findings, fixes and their renderers (text, JSON, SARIF, GitHub). Knows nothing of Go.
