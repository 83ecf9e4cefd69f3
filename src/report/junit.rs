//! JUnit XML for CI test reporters: a `<testsuite>` per dossier, a `<testcase>` per rule that
//! was evaluated or reported something. Blocking findings fail their test case; advisories are
//! listed in `<system-out>` without failing it, matching the exit code.

use std::fmt::Write as _;

use super::xml::{attr, text};
use super::{Report, detail};
use crate::finding::{Finding, Severity};
use crate::lang::Lang;

fn line(f: &Finding, lang: Lang) -> String {
    format!("{}:{}:{}: {}[{}]: {}\n", f.file, f.line, f.column, f.severity.label(lang), f.rule, detail(f, lang))
}

/// Rule ids in a stable order: evaluated policy rules, then rules that only produced findings.
fn cases(report: &Report) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for id in report.outcomes.iter().map(|o| o.rule.as_str()).chain(report.findings.iter().map(|f| f.rule.as_str())) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

fn suite(out: &mut String, report: &Report) -> (usize, usize) {
    let ids = cases(report);
    let failing = ids
        .iter()
        .filter(|id| report.findings.iter().any(|f| f.rule == **id && f.severity == Severity::Error))
        .count();
    let name = attr(&report.dossier);
    let _ = writeln!(out, "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failing}\" errors=\"0\" skipped=\"0\">", ids.len());
    let policy = report.policy.as_ref().map_or("", |p| p.id.as_str());
    let _ = writeln!(out, "    <properties>");
    let _ = writeln!(out, "      <property name=\"policy\" value=\"{}\"/>", attr(policy));
    let _ = writeln!(out, "      <property name=\"ok\" value=\"{}\"/>", report.ok);
    let _ = writeln!(out, "      <property name=\"ran\" value=\"{}\"/>", report.ran);
    let _ = writeln!(out, "    </properties>");
    for id in &ids {
        let found: Vec<&Finding> = report.findings.iter().filter(|f| f.rule == *id).collect();
        let _ = write!(out, "    <testcase classname=\"{name}\" name=\"{}\"", attr(id));
        if found.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let errors: Vec<&&Finding> = found.iter().filter(|f| f.severity == Severity::Error).collect();
        if let Some(first) = errors.first() {
            let message = match errors.len() {
                1 => first.message.clone(),
                n => match report.lang {
                    Lang::Zh => format!("{}（另有 {} 处）", first.message, n - 1),
                    Lang::En => format!("{} ({} more)", first.message, n - 1),
                },
            };
            let body: String = found.iter().map(|f| line(f, report.lang)).collect();
            let _ = writeln!(out, "      <failure message=\"{}\" type=\"{}\">{}</failure>", attr(&message), attr(id), text(&body));
        } else {
            let body: String = found.iter().map(|f| line(f, report.lang)).collect();
            let _ = writeln!(out, "      <system-out>{}</system-out>", text(&body));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    (ids.len(), failing)
}

/// The JUnit document for `reports`, one test suite each.
pub fn render(reports: &[Report]) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for report in reports {
        let (t, f) = suite(&mut suites, report);
        tests += t;
        failures += f;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dossier\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}
