//! `check --changed` (the pre-commit hooks): changed files → their dossier folders, each once.

use crate::common::*;

#[test]
fn a_roster_edit_or_a_deleted_evidence_file_checks_its_folder_once() {
    let tmp = tempdir("changed");
    let app = tmp.join("申报/金桥");
    copy_dir(&root().join("fixtures/dalian-2023-city"), &app);
    std::fs::write(tmp.join("README.md"), "说明\n").unwrap();

    // Only the roster changed: the folder is checked (once, though two of its files are named).
    let r = run_in(&tmp, &["check", "--changed", "--format", "json", "申报/金桥/rosters/培训人员名单.xlsx", "申报/金桥/dossier.yaml"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["dossier"].as_str(), Some("申报/金桥"), "one report, for the folder: {}", r.stdout);

    // A deleted evidence file: its folder is found from the path that no longer exists.
    std::fs::remove_file(app.join("evidence/10-场地证明.pdf")).unwrap();
    let r = run_in(&tmp, &["check", "--changed", "申报/金桥/evidence/10-场地证明.pdf"]);
    assert_eq!(r.code, 1, "the missing file blocks: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("10-场地证明.pdf"), "{}", r.stdout);

    // Files outside any dossier are not checked, and the output says so.
    let r = run_in(&tmp, &["check", "--changed", "README.md"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("1 个改动的文件不在任何申报材料目录中") && r.stderr.contains("没有改动涉及申报材料"), "{}", r.stderr);
    let r = run_in(&tmp, &["--lang", "en", "check", "--changed"]);
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("no change touches a dossier"), "{}", r.stderr);
}
