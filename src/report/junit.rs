//! JUnit XML for CI test reporters: a `<testsuite>` per dossier, a `<testcase>` per rule that
//! was evaluated or reported something. Blocking findings fail their test case; advisories are
//! listed in `<system-out>` without failing it, matching the exit code. A dossier that could not
//! be read at all has `<error>`s (it did not run), and rules that do not apply are `<skipped>`.

use std::fmt::Write as _;

use super::xml::{attr, text};
use super::{Report, detail};
use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;

fn line(f: &Diagnostic, lang: Lang) -> String {
    format!("{}:{}:{}: {}[{}]: {}\n", f.at.file, f.at.line, f.at.column, f.severity.label(lang), f.rule, detail(f, lang))
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

/// Tests, failures, errors and skipped of one suite.
#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn suite(out: &mut String, report: &Report, registry: &crate::policy::Registry) -> Counts {
    let mut ids = cases(report);
    // The pack's rules that were not evaluated do not apply to this application: skipped.
    let pack = report.policy.as_ref().filter(|_| report.ran).and_then(|p| registry.get(&p.id));
    let unevaluated: Vec<&str> = pack.map_or(Vec::new(), |p| p.rules.iter().map(|r| r.id.as_str()).filter(|id| !ids.contains(id)).collect());
    ids.extend(unevaluated.iter().copied());
    let blocked = |id: &str| report.findings.iter().any(|f| f.rule == id && f.severity == Severity::Error);
    let not_applicable = |id: &str| {
        unevaluated.contains(&id)
            || (report.outcomes.iter().any(|o| o.rule == id && o.status == crate::rules::outcomes::Status::NotApplicable)
                && !report.findings.iter().any(|f| f.rule == id))
    };
    let failing = ids.iter().filter(|id| blocked(id)).count();
    // Could not run: its blocking findings are errors, not failures of a check.
    let (failures, errors) = if report.ran { (failing, 0) } else { (0, failing) };
    let skipped = ids.iter().filter(|id| not_applicable(id)).count();
    let counts = Counts { tests: ids.len(), failures, errors, skipped };
    let name = attr(&report.dossier);
    let _ = writeln!(out, "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">", ids.len());
    let policy = report.policy.as_ref().map_or("", |p| p.id.as_str());
    let _ = writeln!(out, "    <properties>");
    let _ = writeln!(out, "      <property name=\"policy\" value=\"{}\"/>", attr(policy));
    let _ = writeln!(out, "      <property name=\"ok\" value=\"{}\"/>", report.ok);
    let _ = writeln!(out, "      <property name=\"ran\" value=\"{}\"/>", report.ran);
    let _ = writeln!(out, "    </properties>");
    let element = if report.ran { "failure" } else { "error" };
    for id in &ids {
        let found: Vec<&Diagnostic> = report.findings.iter().filter(|f| f.rule == *id).collect();
        let _ = write!(out, "    <testcase classname=\"{name}\" name=\"{}\"", attr(id));
        if found.is_empty() {
            if not_applicable(id) {
                let why = report.lang.pick("不适用于本申报", "not applicable to this application");
                let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", attr(why));
            } else {
                out.push_str("/>\n");
            }
            continue;
        }
        out.push_str(">\n");
        let errors: Vec<&&Diagnostic> = found.iter().filter(|f| f.severity == Severity::Error).collect();
        if let Some(first) = errors.first() {
            let message = match errors.len() {
                1 => first.message.get(report.lang).to_owned(),
                n => match report.lang {
                    Lang::Zh => format!("{}（另有 {} 处）", first.message.get(report.lang), n - 1),
                    Lang::En => format!("{} ({} more)", first.message.get(report.lang), n - 1),
                },
            };
            let body: String = found.iter().map(|f| line(f, report.lang)).collect();
            let _ = writeln!(out, "      <{element} message=\"{}\" type=\"{}\">{}</{element}>", attr(&message), attr(id), text(&body));
        } else {
            let body: String = found.iter().map(|f| line(f, report.lang)).collect();
            let _ = writeln!(out, "      <system-out>{}</system-out>", text(&body));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
    counts
}

/// The JUnit document for `reports`, one test suite each.
pub fn render(reports: &[Report], registry: &crate::policy::Registry) -> String {
    let mut suites = String::new();
    let mut all = Counts::default();
    for report in reports {
        let c = suite(&mut suites, report, registry);
        all.tests += c.tests;
        all.failures += c.failures;
        all.errors += c.errors;
        all.skipped += c.skipped;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dossier\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{suites}</testsuites>\n",
        all.tests, all.failures, all.errors, all.skipped
    )
}
