//! `dossier init` skeletons and the schema the binary prints.

use crate::common::*;

#[test]
fn schema_command_prints_the_bundled_schema() {
    let run = run(&["schema"]);
    assert_eq!(run.code, 0);
    let on_disk = std::fs::read_to_string(root().join("schemas/dossier.schema.json")).unwrap();
    assert_eq!(run.stdout, on_disk);
}

/// yaml-language-server shows title and description: every property must have both.
#[test]
fn every_schema_property_has_a_chinese_title_and_description() {
    fn visit(node: &serde_json::Value, path: &str, missing: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(props) = map.get("properties").and_then(|p| p.as_object()) {
                    for (key, prop) in props {
                        let has_cjk = |k: &str| prop[k].as_str().is_some_and(|s| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
                        if !has_cjk("title") || !has_cjk("description") {
                            missing.push(format!("{path}/properties/{key}"));
                        }
                    }
                }
                for (k, v) in map {
                    // if/then only restate constraints of properties declared elsewhere.
                    if k != "if" && k != "then" {
                        visit(v, &format!("{path}/{k}"), missing);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    visit(v, &format!("{path}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("schemas/dossier.schema.json")).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let mut missing = Vec::new();
    visit(&schema, "", &mut missing);
    assert!(missing.is_empty(), "properties without Chinese title/description: {missing:?}");
}

#[test]
fn skeletons_pass_the_schema_and_leave_only_placeholders_and_thresholds() {
    for (policy, tier) in [
        ("dalian-2023", "city"),
        ("dalian-2023", "district"),
        ("liaoning-2024", "enterprise"),
        ("liaoning-2024", "college"),
        ("liaoning-2024", "other"),
        ("inner-mongolia-2022", "region"),
        ("inner-mongolia-2022", "league"),
    ] {
        let dir = tempdir(&format!("init-{policy}-{tier}"));
        let target = dir.join("new");
        let init = run(&["init", target.to_str().unwrap(), "--policy", policy, "--tier", tier, "--year", "2024"]);
        assert_eq!(init.code, 0, "{}", init.stderr);
        let text = std::fs::read_to_string(target.join("dossier.yaml")).unwrap();
        assert!(text.starts_with("# yaml-language-server: $schema=dossier.schema.json\n"));
        assert!(target.join("dossier.schema.json").is_file());
        assert!(target.join("rosters/培训人员名单.xlsx").is_file());
        // Every key line is preceded by a Chinese comment.
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate().skip(1) {
            let t = line.trim_start().trim_start_matches("- ");
            if !t.starts_with('#') && t.contains(':') {
                let prev = lines[i - 1].trim_start();
                assert!(prev.starts_with("# ") || lines[i - 1].trim_start().starts_with("- "), "line {} has no comment: {line}", i + 1);
            }
        }
        let report = check_json(&target).json();
        let f = findings(&report);
        assert!(f.iter().any(|x| x.0 == "placeholder.unfilled"));
        // The skeleton passes the schema and every format check: what is left is placeholders
        // (warnings), the roster template's example row and the evaluation table's empty
        // self-assessment (warnings), and the policy's
        // thresholds, which empty figures cannot meet.
        for (rule, line, _, severity) in &f {
            let ok = match severity.as_str() {
                "warning" => {
                    rule == "placeholder.unfilled" || rule == "roster.example-row" || rule.starts_with("score.") || rule.starts_with(policy)
                }
                _ => rule.starts_with(&format!("{policy}.")),
            };
            assert!(ok, "{policy}/{tier}: unexpected {severity} {rule} at line {line}");
        }
        // Refuses to overwrite.
        let again = run(&["init", target.to_str().unwrap(), "--policy", policy, "--tier", tier]);
        assert_eq!(again.code, 2);
    }
}

#[test]
fn init_rejects_unknown_policy_and_tier() {
    let dir = tempdir("init-bad");
    assert_eq!(run(&["init", dir.join("a").to_str().unwrap(), "--policy", "nowhere-2020", "--tier", "city"]).code, 2);
    let wrong_tier = run(&["init", dir.join("b").to_str().unwrap(), "--policy", "dalian-2023", "--tier", "region"]);
    assert_eq!(wrong_tier.code, 2);
    assert!(wrong_tier.stderr.contains("city=市级"), "{}", wrong_tier.stderr);
}

/// Issue 13 case 10: the policy's own year by default, an evidence folder, and every value the
/// skeleton chose for the applicant (enum choices, minimum numbers) a placeholder to confirm.
#[test]
fn init_defaults_to_the_policys_year_and_marks_prefilled_values() {
    for (policy, tier, year) in [("dalian-2023", "city", 2023), ("liaoning-2024", "enterprise", 2024), ("inner-mongolia-2022", "region", 2022)] {
        let dir = tempdir(&format!("init-default-{policy}"));
        let target = dir.join("new");
        let init = bin().args(["init", target.to_str().unwrap(), "--policy", policy, "--tier", tier]).env("SOURCE_DATE_EPOCH", "1893456000").output().unwrap();
        assert!(init.status.success());
        let text = std::fs::read_to_string(target.join("dossier.yaml")).unwrap();
        assert!(text.contains(&format!("\n  application_year: {year}\n")), "{policy}");
        assert!(target.join("evidence").is_dir(), "{policy}: no evidence/ folder");
        let marked: Vec<u64> = text.lines().enumerate().filter(|(_, l)| l.ends_with("  # 待确认")).map(|(i, _)| i as u64 + 1).collect();
        assert!(text.contains("area_m2: 1  # 待确认"), "{policy}: the dummy area is marked");
        assert!(marked.len() > 10, "{policy}: {} marked", marked.len());
        let report = check_json(&target).json();
        let f = findings(&report);
        for line in &marked {
            assert!(f.iter().any(|(r, l, _, s)| r == "placeholder.unfilled" && l == line && s == "warning"), "{policy}: line {line} not reported");
        }
        // build refuses placeholders, --draft renders them.
        if policy == "dalian-2023" {
            let out = dir.join("out");
            let build = run(&["build", target.to_str().unwrap(), "-o", out.to_str().unwrap()]);
            assert_eq!(build.code, 1, "{}{}", build.stdout, build.stderr);
        }
        // Confirming a value is deleting its marker.
        let confirmed = text.replace("  # 待确认", "");
        std::fs::write(target.join("dossier.yaml"), confirmed).unwrap();
        let f = findings(&check_json(&target).json());
        assert!(f.iter().all(|(r, l, ..)| r != "placeholder.unfilled" || !marked.contains(l)), "{policy}");
    }
}
