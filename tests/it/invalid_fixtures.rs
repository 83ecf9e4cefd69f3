//! fixtures/invalid/<case>/: each holds one defect and an `expect.txt` naming the exit code and
//! every `RULE LINE:COLUMN` the check must report. No other blocking finding may appear.

use crate::common::*;

use std::collections::BTreeSet;

#[test]
fn every_invalid_fixture_reports_its_rule_at_its_position() {
    let root = root().join("fixtures/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 25, "expected the generated cases, found {}", cases.len());
    let mut failures = Vec::new();
    for dir in &cases {
        let expected = read_expect(dir);
        let run = check_json(dir);
        let report = run.json();
        let got = findings(&report);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if run.code != expected.exit {
            failures.push(format!("{name}: exit {} (want {})", run.code, expected.exit));
        }
        for (rule, pos) in &expected.findings {
            let hit = got.iter().any(|(r, l, c, _)| r == rule && pos.is_none_or(|(el, ec)| (*l, *c) == (el, ec)));
            if !hit {
                failures.push(format!("{name}: missing {rule} at {pos:?}; got {got:?}"));
            }
        }
        let wanted: BTreeSet<&str> = expected.findings.iter().map(|(r, _)| r.as_str()).collect();
        let extra: Vec<_> = got.iter().filter(|(r, _, _, s)| s == "error" && !wanted.contains(r.as_str())).collect();
        if !extra.is_empty() {
            failures.push(format!("{name}: unexpected blocking findings {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_output_shows_the_line_and_a_caret() {
    let dir = root().join("fixtures/invalid/credit-code-checksum");
    let run = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("错误[code.credit-code]")).expect("finding printed");
    assert!(lines[at + 1].contains("dossier.yaml:13:16"), "{}", lines[at + 1]);
    assert_eq!(lines[at + 3].trim_start(), "13 |   credit_code: \"912102045598043259\"");
    // The caret sits under the value: gutter "   | " then 15 columns of key, then 20 carets.
    assert!(lines[at + 4].ends_with(&format!("|{}{}", " ".repeat(16), "^".repeat(20))), "{:?}", lines[at + 4]);
    assert!(run.stdout.lines().last().unwrap().contains("未通过"));
}

#[test]
fn clean_fixtures_check_clean_under_their_packs() {
    for name in ["dalian-2023-city", "dalian-2023-district", "liaoning-2024-enterprise", "inner-mongolia-2022-region"] {
        let run = check_json(&root().join("fixtures").join(name));
        let report = run.json();
        assert_eq!(run.code, 0, "{name}: {:?}", findings(&report));
        assert_eq!(report["ok"], true);
        assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{name}: {:?}", findings(&report));
        assert!(report["policy"]["id"].as_str().unwrap().len() > 3);
        // Every threshold of the pack that applies was evaluated and passed.
        let outcomes = report["outcomes"].as_array().unwrap();
        assert!(outcomes.iter().filter(|o| o["kind"] == "threshold").count() >= 3, "{name}");
        // Batch rules need the city's other submissions: only `verify` decides them.
        assert!(
            outcomes.iter().all(|o| o["status"] == if o["kind"] == "batch" { "not_applicable" } else { "pass" }),
            "{name}: {outcomes:?}"
        );
    }
}
