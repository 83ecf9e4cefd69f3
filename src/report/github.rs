//! GitHub Actions workflow commands: one `::error`/`::warning` annotation line per finding.

use std::path::Path;

use super::location::place;
use super::{Report, detail};
use crate::diag::Severity;

/// Message data: `%`, CR and LF are escaped so the command stays on one line.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Property values additionally escape the separators `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation per finding of every report; paths relative to `cwd` (the repository root in CI).
pub fn render(reports: &[Report], cwd: Option<&Path>) -> String {
    let mut out = String::new();
    for (f, lang) in reports.iter().flat_map(|r| r.findings.iter().map(move |f| (f, r.lang))) {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},title={}::{}\n",
            escape_property(place(&f.at.file, cwd).path()),
            f.at.line.max(1),
            f.at.column.max(1),
            escape_property(&f.rule),
            escape_data(&detail(f, lang)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50%\r\nx: y, z"), "50%25%0D%0Ax: y, z");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
