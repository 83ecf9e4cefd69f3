//! SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF viewer): one run
//! holding the rule catalogue and every dossier's findings.

use std::path::Path;

use serde_json::{Value, json};

use super::catalogue::{RuleInfo, catalogue, unlisted};
use super::location::{dir_uri, place};
use super::{Report, TOOL, VERSION, detail};
use crate::diag::Severity;
use crate::lang::Lang;
use crate::policy::Registry;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Relative URIs resolve against the working directory, named here for consumers.
const BASE: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn rule_json(r: &RuleInfo) -> Value {
    json!({
        "id": r.id,
        "shortDescription": { "text": r.short },
        "fullDescription": { "text": r.full },
        "help": { "text": r.help },
        "defaultConfiguration": { "level": level(r.level) },
    })
}

/// The SARIF log for `reports`; paths are made relative to `cwd` (absolute `file:` URIs outside it).
pub fn render(reports: &[Report], registry: &Registry, cwd: Option<&Path>, lang: Lang) -> String {
    let mut rules = catalogue(registry, lang);
    let mut results = Vec::new();
    for report in reports {
        for f in &report.findings {
            // A rule no catalogue names (a pack rule id changed under us) still gets an entry.
            let index = match rules.iter().position(|r| r.id == f.rule) {
                Some(i) => i,
                None => {
                    rules.push(unlisted(&f.rule, f.severity, lang));
                    rules.len() - 1
                }
            };
            let file = place(&f.at.file, cwd);
            let mut artifact = json!({ "uri": file.uri() });
            if matches!(file, super::location::Place::Relative(_)) && cwd.is_some() {
                artifact["uriBaseId"] = json!(BASE);
            }
            let mut properties = json!({ "dossier": report.dossier });
            if !f.at.pointer.is_empty() {
                properties["pointer"] = json!(f.at.pointer);
            }
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": detail(f, report.lang) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": { "startLine": f.at.line.max(1), "startColumn": f.at.column.max(1) },
                    },
                }],
                "properties": properties,
            }));
        }
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": TOOL,
                "version": VERSION,
                "semanticVersion": VERSION,
                "rules": rules.iter().map(rule_json).collect::<Vec<_>>(),
            },
        },
    });
    if let Some(cwd) = cwd {
        run["originalUriBaseIds"] = json!({ BASE: { "uri": dir_uri(cwd) } });
    }
    run["results"] = Value::Array(results);
    // Columns count characters, as editors do.
    run["columnKind"] = json!("unicodeCodePoints");
    let log = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    serde_json::to_string_pretty(&log).expect("SARIF serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::diag::Diagnostic;
    use crate::policy::Registry;
    use crate::report::Report;

    /// A finding whose rule no catalogue lists gets an entry, so `ruleIndex` stays valid.
    #[test]
    fn unlisted_rules_join_the_catalogue() {
        let finding = Diagnostic::warning("custom.rule", "", "m").placed("d/dossier.yaml".to_owned(), 0, 0, None);
        let report = Report::of_findings("d".to_owned(), vec![finding]);
        let log: serde_json::Value = serde_json::from_str(&render(&[report], &Registry::embedded(), None, crate::lang::Lang::Zh)).unwrap();
        let run = &log["runs"][0];
        let result = &run["results"][0];
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "custom.rule");
        assert_eq!(run["tool"]["driver"]["rules"][index]["defaultConfiguration"]["level"], "warning");
        // Positions never fall below 1, which SARIF forbids.
        assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
        assert!(run.get("originalUriBaseIds").is_none());
    }
}
