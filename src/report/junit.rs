//! JUnit XML for CI test reporters: a `<testsuite>` per dossier, a `<testcase>` per rule that
//! was evaluated or reported something. Blocking findings fail their test case; advisories are
//! listed in `<system-out>` without failing it, matching the exit code.

use std::fmt::Write as _;

use super::{Report, detail};
use crate::finding::{Finding, Severity};
use crate::lang::Lang;

/// Characters XML 1.0 cannot carry at all become U+FFFD.
fn allowed(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
        _ => c,
    }
}

fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(allowed) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A bare CR would be normalised away by parsers.
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(allowed) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute-value normalisation would turn these into spaces.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    out
}

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

#[cfg(test)]
mod tests {
    use super::{attr, text};

    #[test]
    fn escapes_markup_and_drops_illegal_characters() {
        assert_eq!(text("a<b>&c\u{1}"), "a&lt;b&gt;&amp;c\u{FFFD}");
        assert_eq!(attr("\"x\"\n'y'"), "&quot;x&quot;&#10;&apos;y&apos;");
    }
}
