//! Audits across one batch: byte-identical zips once, a trainee subsidised through two
//! submissions in one year, by the full IDs the bags carry; IDs masked when shown.

use crate::common::*;

fn rules_of(d: &serde_json::Value) -> Vec<String> {
    d["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_zip_received_twice_is_verified_and_ranked_once_naming_both() {
    let zip = output(&built_fixture("dalian-2023-district"), "zip");
    let inbox = tempdir("cross-duplicate");
    std::fs::copy(&zip, inbox.join("金桥.zip")).unwrap();
    std::fs::copy(&zip, inbox.join("金桥(1).zip")).unwrap();
    let r = run(&["verify", "--no-render", "--format", "json", inbox.to_str().unwrap()]);
    let json = r.json();
    // One submission: the object of a single report, not a list of two.
    assert!(json.get("dossiers").is_none(), "{}", r.stdout);
    let dup = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "batch.duplicate").expect("batch.duplicate");
    let m = dup["message"].as_str().unwrap();
    assert!(m.contains("金桥.zip") && m.contains("金桥(1).zip") && m.contains("2 次"), "{m}");
    let text = run(&["verify", "--no-render", inbox.to_str().unwrap()]);
    assert!(text.stdout.contains("batch.duplicate") && !text.stdout.contains("申报材料 2/2"), "{}", text.stdout);
}

#[test]
fn a_trainee_subsidised_through_two_submissions_in_one_year_is_returned_with_the_clause() {
    let first = output(&built_fixture("dalian-2023-district"), "zip");
    // The same applicant's dossier with one sentence changed: another bag, the same roster.
    let src = tempdir("cross-subsidy-src");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &src);
    let yaml = std::fs::read_to_string(src.join("dossier.yaml")).unwrap().replacen("实训面积1100余平方米", "实训面积1300余平方米", 1);
    std::fs::write(src.join("dossier.yaml"), yaml).unwrap();
    let out = tempdir("cross-subsidy-out");
    let b = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}{}", b.stdout, b.stderr);
    let inbox = tempdir("cross-subsidy-inbox");
    std::fs::copy(&first, inbox.join("a.zip")).unwrap();
    std::fs::copy(output(&out, "zip"), inbox.join("b.zip")).unwrap();
    let r = run(&["verify", "--no-render", "--format", "json", inbox.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    for d in r.json()["dossiers"].as_array().unwrap() {
        assert_eq!(d["verdict"], "退回", "{:?}", rules_of(d));
        let f = d["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "batch.subsidised-twice").expect("subsidised twice");
        let m = f["message"].as_str().unwrap();
        let other = if d["dossier"].as_str().unwrap().ends_with("a.zip") { "b.zip" } else { "a.zip" };
        assert!(m.contains(other) && m.contains("每人每年 1 次"), "{m}");
        assert_eq!(f["citation"]["quote"], "培训补贴每人每年只能享受1次。");
        // Masked: no 18-digit run survives in the message.
        let digits = m.chars().fold((0, 0), |(run, best), c| if c.is_ascii_digit() { (run + 1, best.max(run + 1)) } else { (0, best) }).1;
        assert!(digits < 18, "an ID shown in full: {m}");
        assert!(m.contains('*'), "{m}");
    }
}
