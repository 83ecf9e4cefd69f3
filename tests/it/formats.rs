//! `check --format sarif|github|junit`, several dossiers in one call, completions, the pre-commit
//! hook: on the invalid fixtures, against the positions in their expect.txt.

use crate::common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// (case name, relative dir, exit code, expected (rule, line:column)).
struct Case {
    name: String,
    dir: String,
    exit: i32,
    expected: Vec<(String, Option<(u64, u64)>)>,
}

fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.txt").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 25, "found {} invalid fixtures", dirs.len());
    dirs.iter()
        .map(|d| {
            let Expected { exit, findings: expected } = read_expect(d);
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            Case { dir: format!("fixtures/invalid/{name}"), name, exit, expected }
        })
        .collect()
}

fn json_of(dir: &str) -> Value {
    run(&["check", "--format", "json", dir]).json()
}

/// (rule, line, column, severity) of every finding of a JSON report.
fn expected_hits(case: &Case, got: &[(String, u64, u64, String)], failures: &mut Vec<String>, format: &str) {
    for (rule, pos) in &case.expected {
        let hit = got.iter().any(|(r, l, c, _)| r == rule && pos.is_none_or(|(el, ec)| (*l, *c) == (el, ec)));
        if !hit {
            failures.push(format!("{format} {}: missing {rule} at {pos:?}; got {got:?}", case.name));
        }
    }
}

#[test]
fn sarif_on_every_invalid_fixture() {
    let mut failures = Vec::new();
    for case in cases() {
        let run = run(&["check", "--format", "sarif", &case.dir]);
        assert_eq!(run.code, case.exit, "{}", case.name);
        let log = run.json();
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "dossier");
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for r in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                assert!(!r[key]["text"].as_str().unwrap().is_empty(), "{r}");
            }
            assert!(["error", "warning"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        }
        // Pack rules carry their clause.
        let dalian = rules.iter().find(|r| r["id"] == "dalian-2023.district.trainees").expect("pack rules listed");
        assert!(dalian["help"]["text"].as_str().unwrap().starts_with("依据："), "{dalian}");
        for id in ["schema.required", "yaml.syntax", "input.encoding", "code.id-number", "date.invalid", "file.missing",
            "evidence.unknown-id", "figures.rate-mismatch", "placeholder.unfilled", "policy.unknown", "score.unclaimed",
            "liaoning-2024.enterprise.trainees", "inner-mongolia-2022.region.trainees"]
        {
            assert!(ids.contains(&id), "catalogue lacks {id}");
        }
        let report = json_of(&case.dir);
        let want = findings(&report);
        let results = runs[0]["results"].as_array().unwrap();
        assert_eq!(results.len(), want.len(), "{}", case.name);
        let mut got = Vec::new();
        for (result, (rule, line, column, severity)) in results.iter().zip(&want) {
            let id = result["ruleId"].as_str().unwrap();
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(ids.get(index), Some(&id), "{}: ruleIndex of {id}", case.name);
            assert_eq!(result["level"], severity.as_str());
            assert!(!result["message"]["text"].as_str().unwrap().is_empty());
            let loc = &result["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], format!("{}/dossier.yaml", case.dir), "{}", case.name);
            let (l, c) = (loc["region"]["startLine"].as_u64().unwrap(), loc["region"]["startColumn"].as_u64().unwrap());
            assert_eq!((id, l, c), (rule.as_str(), *line, *column), "{}", case.name);
            got.push((id.to_owned(), l, c, severity.clone()));
        }
        expected_hits(&case, &got, &mut failures, "sarif");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sarif_is_deterministic_and_clean_fixtures_have_no_results() {
    let a = run(&["check", "--format", "sarif", "fixtures/dalian-2023-city"]);
    let b = run(&["check", "--format", "sarif", "fixtures/dalian-2023-city"]);
    assert_eq!(a.code, 0);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.json()["runs"][0]["results"].as_array().unwrap().len(), 0);
}

/// Copy a fixture to `<tmp>/<name>/` and return the temp root.
fn copy_fixture(case: &str, tag: &str, name: &str) -> PathBuf {
    let tmp = tempdir(tag);
    let to = tmp.join(name);
    std::fs::create_dir_all(&to).unwrap();
    std::fs::copy(root().join("fixtures/invalid").join(case).join("dossier.yaml"), to.join("dossier.yaml")).unwrap();
    tmp
}

#[test]
fn sarif_uris_are_relative_and_percent_encoded() {
    let tmp = copy_fixture("credit-code-checksum", "sarif-uri", "大连 申报#1");
    let run = run_in(&tmp, &["check", "--format", "sarif", "./大连 申报#1/dossier.yaml", root().join("fixtures/invalid/syntax-error").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let log = run.json();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let uri = |i: usize| results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_owned();
    assert_eq!(uri(0), "%E5%A4%A7%E8%BF%9E%20%E7%94%B3%E6%8A%A5%231/dossier.yaml");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    // Outside the working directory: an absolute file URI.
    // (The copy lacks its evidence files, so the syntax error is the last result, not the second.)
    let last = uri(results.len() - 1);
    assert!(last.starts_with("file:///") && last.ends_with("/fixtures/invalid/syntax-error/dossier.yaml"), "{last}");
    let base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
    for r in results {
        assert!(r["ruleIndex"].as_u64().is_some());
    }
    let _ = std::fs::remove_dir_all(tmp);
}

/// `::error file=F,line=L,col=C,title=T::M` → (command, properties, message).
fn parse_annotation(line: &str) -> (String, BTreeMap<String, String>, String) {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest.split_once("::").unwrap();
    let (command, props) = head.split_once(' ').unwrap();
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect();
    (command.to_owned(), props, message.to_owned())
}

#[test]
fn github_annotations_on_every_invalid_fixture() {
    let mut failures = Vec::new();
    for case in cases() {
        let run = run(&["check", "--format", "github", &case.dir]);
        assert_eq!(run.code, case.exit, "{}", case.name);
        assert!(!run.stdout.contains('\r'));
        let want = findings(&json_of(&case.dir));
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), want.len(), "{}: one line per finding", case.name);
        let mut got = Vec::new();
        for (line, (rule, l, c, severity)) in lines.iter().zip(&want) {
            let (command, props, message) = parse_annotation(line);
            assert_eq!(command, severity.as_str());
            assert_eq!(props["file"], format!("{}/dossier.yaml", case.dir));
            assert_eq!(props["title"], *rule);
            assert_eq!((props["line"].parse::<u64>().unwrap(), props["col"].parse::<u64>().unwrap()), (*l, *c));
            assert!(!message.is_empty() && !message.contains('\n'));
            got.push((rule.clone(), *l, *c, severity.clone()));
        }
        expected_hits(&case, &got, &mut failures, "github");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn github_escapes_property_separators_and_newlines() {
    let tmp = copy_fixture("credit-code-checksum", "github-escape", "a,b:c%d");
    let escaped = run_in(&tmp, &["check", "--format", "github", "a,b:c%d"]);
    assert_eq!(escaped.code, 1);
    let line = escaped.stdout.lines().next().unwrap();
    assert!(line.starts_with("::error file=a%2Cb%3Ac%25d/dossier.yaml,line=13,col=16,title=code.credit-code::"), "{line}");
    let _ = std::fs::remove_dir_all(tmp);
    // A hint becomes a second line of the message, encoded.
    let hinted = run(&["check", "--format", "github", "fixtures/invalid/syntax-error"]);
    assert!(hinted.stdout.contains("%0A提示："), "{}", hinted.stdout);
}

use crate::common::xml::Element;

/// Parse with quick-xml; any error (mismatched tags, bad entities, stray text) fails the test.
fn parse_xml(xml: &str) -> Element {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    for c in xml.chars() {
        assert!(!c.is_control() || "\t\n\r".contains(c), "character {c:?} is not allowed in XML 1.0");
    }
    let mut document = crate::common::xml::parse_tree(xml);
    assert!(document.text.trim().is_empty(), "text outside the root element");
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

#[test]
fn junit_on_every_invalid_fixture() {
    let mut failures = Vec::new();
    for case in cases() {
        let run = run(&["check", "--format", "junit", &case.dir]);
        assert_eq!(run.code, case.exit, "{}", case.name);
        let root_el = parse_xml(&run.stdout);
        assert_eq!(root_el.name, "testsuites");
        let suites: Vec<&Element> = root_el.all("testsuite").collect();
        assert_eq!(suites.len(), 1);
        let suite = suites[0];
        assert_eq!(suite.attrs["name"], case.dir);
        let testcases: Vec<&Element> = suite.all("testcase").collect();
        assert_eq!(suite.attrs["tests"], testcases.len().to_string());
        // A dossier that could not be read did not run: its test cases are errors, not failures.
        let (holder_name, count, other) = if case.exit == 2 { ("error", "errors", "failures") } else { ("failure", "failures", "errors") };
        let failing = testcases.iter().filter(|t| t.all(holder_name).next().is_some()).count();
        assert_eq!(suite.attrs[count], failing.to_string(), "{}", case.name);
        assert_eq!(root_el.attrs[count], failing.to_string());
        assert_eq!(suite.attrs[other], "0", "{}", case.name);
        let skipped = testcases.iter().filter(|t| t.all("skipped").next().is_some()).count();
        assert_eq!(suite.attrs["skipped"], skipped.to_string(), "{}", case.name);
        let report = json_of(&case.dir);
        let want = findings(&report);
        for t in &testcases {
            assert_eq!(t.attrs["classname"], case.dir);
        }
        // Every evaluated policy rule is a test case; one that does not apply is skipped.
        for o in report["outcomes"].as_array().unwrap() {
            let t = testcases.iter().find(|t| t.attrs["name"] == o["rule"].as_str().unwrap());
            assert!(t.is_some(), "{}: {o}", case.name);
            if o["status"] == "not_applicable" && !want.iter().any(|w| w.0 == o["rule"].as_str().unwrap()) {
                assert!(t.unwrap().all("skipped").next().is_some(), "{}: {o}", case.name);
            }
        }
        for (rule, line, column, severity) in &want {
            let t = testcases.iter().find(|t| t.attrs["name"] == *rule).unwrap_or_else(|| panic!("{}: no test case {rule}", case.name));
            let place = format!("{}/dossier.yaml:{line}:{column}:", case.dir);
            let holder = if severity == "error" { t.all(holder_name).next() } else { t.all(holder_name).next().or_else(|| t.all("system-out").next()) };
            match holder {
                Some(el) if el.text.contains(&place) => {}
                _ => failures.push(format!("junit {}: {rule} at {place} not reported in {t:?}", case.name)),
            }
            if severity == "error" && t.all(holder_name).next().is_none_or(|f| f.attrs["message"].is_empty()) {
                failures.push(format!("junit {}: {rule} has no failure message", case.name));
            }
        }
        for (rule, _) in &case.expected {
            if !testcases.iter().any(|t| t.attrs["name"] == *rule) {
                failures.push(format!("junit {}: no test case for expected {rule}", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const BAD: &str = "fixtures/invalid/credit-code-checksum";
const CLEAN: &str = "fixtures/dalian-2023-city";
const CLEAN2: &str = "fixtures/liaoning-2024-enterprise";
const UNREADABLE: &str = "fixtures/invalid/syntax-error";

#[test]
fn many_dossiers_exit_with_the_worst_code() {
    assert_eq!(run(&["check", CLEAN, CLEAN2]).code, 0);
    assert_eq!(run(&["check", CLEAN, BAD, CLEAN2]).code, 1);
    assert_eq!(run(&["check", UNREADABLE, BAD, CLEAN]).code, 2);
    assert_eq!(run(&["check", CLEAN, "fixtures/no-such-dossier"]).code, 2);
    for format in ["json", "sarif", "github", "junit"] {
        assert_eq!(run(&["check", "--format", format, CLEAN, BAD]).code, 1, "{format}");
        assert_eq!(run(&["check", "--format", format, BAD, UNREADABLE]).code, 2, "{format}");
    }
}

#[test]
fn many_dossiers_text_groups_findings_per_dossier() {
    let grouped = run(&["check", BAD, CLEAN, UNREADABLE]);
    let lines: Vec<&str> = grouped.stdout.lines().collect();
    let header = |i: usize, d: &str| {
        lines
            .iter()
            .position(|l| *l == format!("== 申报材料 {i}/3：{d} =="))
            .unwrap_or_else(|| panic!("no header for {d}:\n{}", grouped.stdout))
    };
    let (a, b, c) = (header(1, BAD), header(2, CLEAN), header(3, UNREADABLE));
    assert!(a < b && b < c);
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap();
    let credit = at("错误[code.credit-code]");
    let syntax = at("错误[yaml.syntax]");
    assert!(a < credit && credit < b, "credit-code finding under its dossier");
    assert!(c < syntax, "syntax finding under its dossier");
    assert_eq!(*lines.last().unwrap(), "共 3 份申报材料：通过 1，未通过 1，无法检查 1");
    // One dossier: no header, as before.
    let one = run(&["check", BAD]);
    assert!(!one.stdout.contains("== 申报材料"));
}

#[test]
fn many_dossiers_json_sarif_junit_github() {
    let single = run(&["check", "--format", "json", BAD]).json();
    assert_eq!(single["dossier"], BAD);
    assert!(single.get("dossiers").is_none());

    let many = run(&["check", "--format", "json", BAD, CLEAN]).json();
    assert_eq!(many["tool"], "dossier");
    assert!(many["version"].is_string());
    assert_eq!(many["ok"], false);
    let dossiers = many["dossiers"].as_array().unwrap();
    assert_eq!(dossiers.len(), 2);
    assert_eq!(dossiers[0]["dossier"], BAD);
    assert_eq!(dossiers[1]["ok"], true);
    assert_eq!(run(&["check", "--format", "json", CLEAN, CLEAN2]).json()["ok"], true);

    let sarif = run(&["check", "--format", "sarif", BAD, UNREADABLE]).json();
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "one run for all dossiers");
    let uris: Vec<&str> = runs[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [format!("{BAD}/dossier.yaml"), format!("{UNREADABLE}/dossier.yaml")]);

    let junit = parse_xml(&run(&["check", "--format", "junit", BAD, CLEAN, UNREADABLE]).stdout);
    let names: Vec<&str> = junit.all("testsuite").map(|s| s.attrs["name"].as_str()).collect();
    assert_eq!(names, [BAD, CLEAN, UNREADABLE]);

    let github = run(&["check", "--format", "github", BAD, UNREADABLE]).stdout;
    let files: Vec<String> = github.lines().map(|l| parse_annotation(l).1["file"].clone()).collect();
    assert_eq!(files, [format!("{BAD}/dossier.yaml"), format!("{UNREADABLE}/dossier.yaml")]);
}

#[test]
fn check_takes_file_paths_as_pre_commit_passes_them() {
    let run = run(&["check", &format!("{BAD}/dossier.yaml"), &format!("{CLEAN}/dossier.yaml")]);
    assert_eq!(run.code, 1);
    let hook = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    // Both hooks (rust and system) get every staged file and map it to its folder.
    for line in ["entry: dossier check --changed", "always_run: true", "pass_filenames: true"] {
        assert_eq!(hook.lines().filter(|l| l.trim() == line).count(), 2, "both hooks need {line}");
    }
    for line in ["language: rust", "language: system"] {
        assert!(hook.lines().any(|l| l.trim() == line), "hook lacks {line}");
    }
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = run(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("dossier") && run.stdout.contains("check"), "{shell}");
    }
    assert_eq!(run(&["completions", "cmd"]).code, 2);
}

#[test]
fn check_needs_a_path() {
    let run = run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(Path::new(&root().join("docs/ci.md")).is_file());
}

#[test]
fn junit_errors_for_what_could_not_run_and_skips_what_does_not_apply() {
    let x = run(&["check", "--format", "junit", UNREADABLE, CLEAN]);
    let root_el = parse_xml(&x.stdout);
    let suites: Vec<&Element> = root_el.all("testsuite").collect();
    let (unreadable, clean) = (suites[0], suites[1]);
    assert_eq!(unreadable.attrs["failures"], "0");
    assert_ne!(unreadable.attrs["errors"], "0", "{}", x.stdout);
    assert!(unreadable.all("testcase").any(|t| t.all("error").next().is_some()));
    assert!(unreadable.all("testcase").all(|t| t.all("failure").next().is_none()));
    let skipped = clean.all("testcase").filter(|t| t.all("skipped").next().is_some()).count();
    assert!(skipped > 0, "the other tier's rules are skipped: {}", x.stdout);
    assert_eq!(clean.attrs["skipped"], skipped.to_string());
    let total: usize = suites.iter().map(|s| s.attrs["errors"].parse::<usize>().unwrap()).sum();
    assert_eq!(root_el.attrs["errors"], total.to_string());
}
