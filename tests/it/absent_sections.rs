//! The contract between `check` and `build`: a dossier that leaves out a section the schema
//! calls optional and passes `check` must build, and the texts it does have must all be printed.

use crate::common::*;
use serde_json::Value;

/// Sections the schema calls optional (the contract test varies them too).
pub(crate) const OPTIONAL: &[&str] = &[
    "/report",
    "/leadership",
    "/service",
    "/service/follow_up",
    "/service/management_software",
    "/service/performance_evaluation",
    "/reputation",
];

pub(crate) fn remove(json: &mut Value, pointer: &str) -> bool {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() { Some(&mut *json) } else { json.pointer_mut(parent) };
    parent.and_then(Value::as_object_mut).is_some_and(|m| m.remove(key).is_some())
}

/// Every text of `report` and the brand introduction, as the applicant wrote them.
fn prose(json: &Value) -> Vec<String> {
    let mut out: Vec<String> = json["report"].as_object().into_iter().flatten().filter_map(|(_, v)| v.as_str()).map(str::to_owned).collect();
    out.extend(json["brand"]["introduction"].as_str().map(str::to_owned));
    out
}

/// Write `fixture` without the sections at `pointers`; check it, and if it passes, build it
/// and find every remaining text in the PDF. Returns whether check passed.
fn check_then_build(fixture: &str, pointers: &[&str], tag: &str) -> bool {
    let src = root().join("fixtures").join(fixture);
    let dir = tempdir(&format!("absent-{fixture}-{tag}"));
    copy_dir(&src, &dir);
    let mut json = dossier::load::load(&src).expect("fixture loads").json;
    let removed = pointers.iter().filter(|p| remove(&mut json, p)).count();
    if removed == 0 {
        return false;
    }
    // JSON is YAML: the loader reads it as it is.
    std::fs::write(dir.join("dossier.yaml"), serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let check = run(&["check", dir.to_str().unwrap()]);
    assert!(check.code == 0 || check.code == 1, "{fixture} without {pointers:?}: check could not run: {}", check.stderr);
    if check.code != 0 {
        return false;
    }
    let out = dir.join("out");
    let build = run(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(build.code, 0, "{fixture} without {pointers:?}: check passed but build failed: {}{}", build.stdout, build.stderr);
    // Page numbers ("— N —") interrupt a paragraph that runs across pages: drop them.
    let pages = pdf_pages(&output(&out, "pdf"));
    let body: Vec<String> = pages.iter().flat_map(|p| p.lines()).filter(|l| !is_page_number(l)).map(str::to_owned).collect();
    let text = flat(&body.concat());
    for p in prose(&json) {
        assert!(text.contains(&flat(&p)), "{fixture} without {pointers:?}: text not in the PDF: {p}");
    }
    true
}

fn is_page_number(line: &str) -> bool {
    let l = flat(line);
    l.strip_prefix('—').and_then(|r| r.strip_suffix('—')).is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn each_optional_section_left_out_in_turn_still_builds() {
    let passed: Vec<&str> = OPTIONAL.iter().copied().filter(|p| check_then_build("dalian-2023-city", &[p], &p.replace('/', "_"))).collect();
    // Most of them are truly optional for Dalian: the contract is exercised, not skipped.
    assert!(passed.len() >= 5, "check passed only without {passed:?}");
}

#[test]
fn every_optional_section_left_out_at_once_still_builds() {
    let built: Vec<&str> = ["dalian-2023-city", "dalian-2023-district", "inner-mongolia-2022-region", "liaoning-2024-enterprise"]
        .into_iter()
        .filter(|f| check_then_build(f, OPTIONAL, "all"))
        .collect();
    eprintln!("built without every optional section: {built:?}");
    assert!(!built.is_empty(), "no fixture passes check without its optional sections");
}
