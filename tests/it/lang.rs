//! `--lang en`: every finding message and hint, rule title and label in English; Chinese stays
//! the default. Chinese may appear only where English text quotes the user's data or the
//! policy's own words: between “ ” quotes and in citations.

use crate::common::*;

use std::path::PathBuf;

const CLEAN: &[&str] =
    &["dalian-2023-city", "dalian-2023-district", "inner-mongolia-2022-region", "liaoning-2024-enterprise"];

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// The text with everything between “ and ” removed (quoted user data and policy wording).
fn unquoted(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '“' => depth += 1,
            '”' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn cjk_outside_quotes(s: &str) -> Option<String> {
    let rest = unquoted(s);
    rest.chars().any(is_cjk).then_some(rest)
}

fn fixture_dirs() -> Vec<PathBuf> {
    let invalid = root().join("fixtures/invalid");
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&invalid).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 25);
    dirs.extend(CLEAN.iter().map(|c| root().join("fixtures").join(c)));
    dirs
}

fn check(args: &[&str]) -> Run {
    let r = run(args);
    assert!(r.code <= 2, "{args:?} crashed: {}", r.stderr);
    r
}

#[test]
fn json_messages_and_hints_are_english() {
    let mut bad = Vec::new();
    let mut seen = 0;
    for dir in fixture_dirs() {
        let path = dir.to_str().unwrap();
        let report = check(&["check", "--lang", "en", "--format", "json", path]).json();
        for f in report["findings"].as_array().unwrap() {
            seen += 1;
            for key in ["message", "hint"] {
                if let Some(rest) = f[key].as_str().and_then(cjk_outside_quotes) {
                    bad.push(format!("{path}: {} {key}: {rest}", f["rule"]));
                }
            }
        }
        for o in report["outcomes"].as_array().unwrap() {
            for key in ["title", "required", "actual"] {
                if let Some(rest) = o[key].as_str().and_then(cjk_outside_quotes) {
                    bad.push(format!("{path}: outcome {} {key}: {rest}", o["rule"]));
                }
            }
        }
        for (name, m) in report["metrics"].as_object().unwrap() {
            if let Some(rest) = cjk_outside_quotes(m["derivation"].as_str().unwrap_or("")) {
                bad.push(format!("{path}: metric {name}: {rest}"));
            }
        }
        if let Some(score) = report["score"].as_object() {
            for line in score["items"].as_array().unwrap().iter().chain(score["bonus"].as_array().unwrap()) {
                for key in ["title", "group", "basis"] {
                    if let Some(rest) = cjk_outside_quotes(line[key].as_str().unwrap_or("")) {
                        bad.push(format!("{path}: score {} {key}: {rest}", line["id"]));
                    }
                }
            }
        }
    }
    assert!(seen > 25, "the fixtures should produce findings, saw {seen}");
    assert!(bad.is_empty(), "Chinese outside quotes with --lang en:\n{}", bad.join("\n"));
}

#[test]
fn text_findings_are_english() {
    let mut bad = Vec::new();
    for dir in fixture_dirs() {
        let path = dir.to_str().unwrap();
        let out = check(&["check", "--lang", "en", path]).stdout;
        for line in out.lines() {
            // Finding headlines and their hints; source excerpts and citations quote the data.
            let checked = line.starts_with("error[") || line.starts_with("warning[") || line.contains(" = hint: ");
            if let Some(rest) = cjk_outside_quotes(line).filter(|_| checked) {
                bad.push(format!("{path}: {rest}"));
            }
            assert!(!line.starts_with("错误[") && !line.starts_with("提示["), "{path}: Chinese label: {line}");
            assert!(!line.contains("= 依据："), "{path}: Chinese citation label: {line}");
        }
        let verdict = out.lines().last().unwrap();
        assert!(
            verdict.contains("passed:") || verdict.contains("failed:") || verdict.contains("could not be checked"),
            "{path}: {verdict}"
        );
    }
    assert!(bad.is_empty(), "Chinese outside quotes with --lang en:\n{}", bad.join("\n"));
}

#[test]
fn clean_text_report_table_and_score_are_english() {
    let out = check(&["check", "--lang", "en", root().join("fixtures/dalian-2023-city").to_str().unwrap()]).stdout;
    assert!(out.contains("Figure") && out.contains("Required") && out.contains("Actual"), "{out}");
    assert!(out.contains("City level: more than 1,000 trainees over the last two years"), "{out}");
    assert!(out.contains("✓ met"), "{out}");
    assert!(out.contains("computed ") && out.contains("self-assessed"), "{out}");
    for line in out.lines() {
        assert!(!line.chars().any(is_cjk) || line.contains('('), "untranslated line: {line}");
    }
}

#[test]
fn default_is_still_chinese() {
    let path = root().join("fixtures/invalid/rate-mismatch");
    let text = check(&["check", path.to_str().unwrap()]).stdout;
    assert!(text.starts_with("错误[figures.rate-mismatch]"), "{text}");
    assert!(text.contains("提示："), "{text}");
    let explicit = check(&["check", "--lang", "zh", path.to_str().unwrap()]).stdout;
    assert_eq!(text, explicit);
    let json = check(&["check", "--format", "json", path.to_str().unwrap()]).json();
    assert!(json["findings"][0]["message"].as_str().unwrap().contains("年申报的"));
}

#[test]
fn english_keeps_the_data() {
    let path = root().join("fixtures/invalid/rate-mismatch");
    let zh = check(&["check", "--format", "json", path.to_str().unwrap()]).json();
    let en = check(&["check", "--lang", "en", "--format", "json", path.to_str().unwrap()]).json();
    let numbers = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|p| p.chars().any(|c| c.is_ascii_digit())).map(str::to_owned).collect()
    };
    let (zf, ef) = (&zh["findings"][0], &en["findings"][0]);
    assert_eq!(zf["rule"], ef["rule"]);
    assert_eq!(zf["line"], ef["line"]);
    let mut a = numbers(zf["message"].as_str().unwrap());
    let mut b = numbers(ef["message"].as_str().unwrap());
    a.sort();
    b.sort();
    assert_eq!(a, b, "{} / {}", zf["message"], ef["message"]);
}

#[test]
fn policies_and_explain_in_english() {
    let list = check(&["policies", "--lang", "en"]).stdout;
    assert!(list.contains("Dalian implementation plan"), "{list}");
    assert!(list.contains("city=City level"), "{list}");
    let rules = check(&["policies", "dalian-2023", "--lang", "en"]).stdout;
    assert!(rules.contains("City level: pass rate above 80%"), "{rules}");
    assert!(rules.contains("[blocking]"), "{rules}");
    for line in rules.lines().filter(|l| l.contains("  [")) {
        assert!(cjk_outside_quotes(line).is_none(), "untranslated rule line: {line}");
    }
    for pack in ["liaoning-2024", "inner-mongolia-2022"] {
        let rules = check(&["policies", pack, "--lang", "en"]).stdout;
        for line in rules.lines().filter(|l| l.contains("  [")) {
            assert!(cjk_outside_quotes(line).is_none(), "untranslated rule line: {line}");
        }
    }
    let explained = check(&["explain", "dalian-2023.city.trainees", "--lang", "en"]).stdout;
    assert!(explained.contains("City level: more than 1,000 trainees over the last two years"), "{explained}");
    assert!(explained.contains("Source: ") && explained.contains("Policy: "), "{explained}");
    let item = check(&["--lang", "en", "explain", "dalian-2023:2.2"]).stdout;
    assert!(item.contains("Training performance — Pass rate"), "{item}");
    // Chinese by default.
    let zh = check(&["explain", "dalian-2023.city.trainees"]).stdout;
    assert!(zh.contains("市级：近两年培训总人数超过1000人") && zh.contains("依据："), "{zh}");
    let unknown = run(&["explain", "no.such.rule", "--lang", "en"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.starts_with("error: no rule “no.such.rule”"), "{}", unknown.stderr);
}

#[test]
fn sarif_rule_descriptions_in_english() {
    let path = root().join("fixtures/invalid/rate-mismatch");
    let log: serde_json::Value =
        serde_json::from_str(&check(&["check", "--lang", "en", "--format", "sarif", path.to_str().unwrap()]).stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        let short = r["shortDescription"]["text"].as_str().unwrap();
        assert!(cjk_outside_quotes(short).is_none(), "{}: {short}", r["id"]);
    }
    let rate = rules.iter().find(|r| r["id"] == "figures.rate-mismatch").unwrap();
    assert_eq!(rate["shortDescription"]["text"], "Rate does not match the counts");
    let message = log["runs"][0]["results"][0]["message"]["text"].as_str().unwrap();
    assert!(message.contains("Hint: "), "{message}");
    assert!(cjk_outside_quotes(message).is_none(), "{message}");
    // Chinese by default.
    let zh: serde_json::Value =
        serde_json::from_str(&check(&["check", "--format", "sarif", path.to_str().unwrap()]).stdout).unwrap();
    let rate = zh["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().find(|r| r["id"] == "figures.rate-mismatch").unwrap().clone();
    assert_eq!(rate["shortDescription"]["text"], "比率与人数不符");
}

#[test]
fn ci_formats_and_many_dossiers_in_english() {
    let a = root().join("fixtures/invalid/rate-mismatch");
    let b = root().join("fixtures/invalid/phone-malformed");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let github = check(&["check", "--lang", "en", "--format", "github", a, b]).stdout;
    for line in github.lines() {
        let message = line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).map_or("", |(_, m)| m);
        let message = message.split("%0ASource: ").next().unwrap();
        assert!(cjk_outside_quotes(message).is_none(), "{line}");
    }
    let junit = check(&["check", "--lang", "en", "--format", "junit", a, b]).stdout;
    assert!(junit.contains(": error[figures.rate-mismatch]: "), "{junit}");
    assert!(!junit.contains("错误["), "{junit}");
    let text = check(&["check", "--lang", "en", a, b]).stdout;
    assert!(text.contains("== Dossier 1/2: "), "{text}");
    assert!(text.trim_end().ends_with("2 dossiers: 0 passed, 2 failed, 0 could not be checked"), "{text}");
    let many = check(&["check", "--lang", "en", "--format", "json", a, b]).json();
    for d in many["dossiers"].as_array().unwrap() {
        for f in d["findings"].as_array().unwrap() {
            assert!(cjk_outside_quotes(f["message"].as_str().unwrap()).is_none(), "{}", f["message"]);
        }
    }
}

/// Every embedded pack says everything in English too: titles, choices, notes one for one.
#[test]
fn embedded_packs_are_fully_translated() {
    use dossier::policy::Registry;
    let registry = Registry::embedded();
    let missing = std::cell::RefCell::new(Vec::new());
    let notes = |what: String, zh: &[String], en: &[String]| {
        if zh.len() != en.len() {
            missing.borrow_mut().push(format!("{what}: {} notes, {} notes_en", zh.len(), en.len()));
        }
        for n in en {
            if cjk_outside_quotes(n).is_some() {
                missing.borrow_mut().push(format!("{what}: Chinese outside quotes in {n}"));
            }
        }
    };
    for pack in registry.all() {
        notes(format!("{} lookback", pack.id), &pack.lookback.notes, &pack.lookback.notes_en);
        let mut titles: Vec<(String, Option<&String>)> = vec![(pack.id.clone(), pack.title_en.as_ref())];
        for c in pack.tiers.iter().chain(&pack.brand_types).chain(&pack.scopes) {
            titles.push((format!("{} choice {}", pack.id, c.id), c.name_en.as_ref()));
        }
        for rule in &pack.rules {
            titles.push((rule.id.clone(), rule.title_en.as_ref()));
            notes(rule.id.clone(), &rule.notes, &rule.notes_en);
            if let dossier::policy::Check::Notice { notice_en, .. } = &rule.check {
                titles.push((format!("{} notice", rule.id), notice_en.as_ref()));
            }
        }
        if let Some(r) = &pack.relaxation {
            titles.push((r.id.clone(), r.title_en.as_ref()));
            notes(r.id.clone(), &r.notes, &r.notes_en);
        }
        if let Some(s) = &pack.scoring {
            titles.push((format!("{} scoring", pack.id), s.title_en.as_ref()));
            for item in &s.items {
                titles.push((format!("{}:{}", pack.id, item.id), item.title_en.as_ref()));
                titles.push((format!("{}:{} group", pack.id, item.id), item.group_en.as_ref()));
                notes(format!("{}:{}", pack.id, item.id), &item.notes, &item.notes_en);
            }
            for b in &s.bonus {
                titles.push((format!("{}:{}", pack.id, b.id), b.title_en.as_ref()));
                notes(format!("{}:{}", pack.id, b.id), &b.notes, &b.notes_en);
            }
        }
        for (what, en) in titles {
            match en {
                None => missing.borrow_mut().push(format!("{what}: no English title")),
                Some(t) if cjk_outside_quotes(t).is_some() => {
                    missing.borrow_mut().push(format!("{what}: Chinese outside quotes in {t}"))
                }
                _ => {}
            }
        }
    }
    let missing = missing.into_inner();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn policy_file_errors_in_english() {
    let dir = tempdir("lang-bad-pack");
    let pack = dir.join("bad.yaml");
    std::fs::write(&pack, "id: x\nversion: \"1\"\n").unwrap();
    let en = run(&["policies", "--lang", "en", "--policy-file", pack.to_str().unwrap()]);
    assert_eq!(en.code, 2);
    assert!(en.stderr.starts_with("error: the policy pack ") && en.stderr.contains("line 1, column 1: "), "{}", en.stderr);
    assert!(cjk_outside_quotes(&en.stderr).is_none(), "{}", en.stderr);
    let zh = run(&["policies", "--policy-file", pack.to_str().unwrap()]);
    assert!(zh.stderr.starts_with("错误：政策包 ") && zh.stderr.contains("第 1 行第 1 列："), "{}", zh.stderr);
}
