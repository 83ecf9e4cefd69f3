//! Hostile input: every case ends in a clear finding and exit code 2, never a panic or hang.

use crate::common::*;

fn refused(name: &str, bytes: &[u8]) -> (String, u64, u64, String) {
    let dir = tempdir(name);
    let file = dir.join("dossier.yaml");
    std::fs::write(&file, bytes).unwrap();
    let run = check_json(&dir);
    assert_eq!(run.code, 2, "{name}: {}", run.stdout);
    let report = run.json();
    assert_eq!(report["ran"], false);
    let f = findings(&report);
    assert_eq!(f.len(), 1, "{name}: {f:?}");
    f.into_iter().next().unwrap()
}

#[test]
fn gbk_text_is_named_with_its_position() {
    // "名称: 大连" saved as GBK by Notepad.
    let mut bytes = b"dossier_version: 1\nname: ".to_vec();
    bytes.extend([0xB4, 0xF3, 0xC1, 0xAC, b'\n']);
    let (rule, line, column, _) = refused("gbk", &bytes);
    assert_eq!((rule.as_str(), line, column), ("input.encoding", 2, 7));
    let run = check_json(&std::env::temp_dir().join(format!("dossier-test-{}-gbk", std::process::id())));
    assert!(run.stdout.contains("GBK"), "hint names GBK: {}", run.stdout);
}

#[test]
fn utf16_is_refused() {
    let (rule, ..) = refused("utf16", &[0xFF, 0xFE, b'a', 0, b':', 0]);
    assert_eq!(rule, "input.encoding");
}

#[test]
fn tab_indentation_is_named() {
    let (rule, line, column, _) = refused("tab", b"policy:\n\tid: dalian-2023\n");
    assert_eq!((rule.as_str(), line, column), ("yaml.tab", 2, 1));
}

#[test]
fn billion_laughs_is_stopped() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let (rule, ..) = refused("bomb", s.as_bytes());
    assert_eq!(rule, "yaml.alias-limit");
}

#[test]
fn ten_thousand_deep_nesting_is_stopped() {
    let flow = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_eq!(refused("deep-flow", flow.as_bytes()).0, "yaml.too-deep");
    // Block style at 10,000 levels would be 50 MB of indentation; 1,000 levels is 0.5 MB.
    let block: String = (0..1_000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(refused("deep-block", block.as_bytes()).0, "yaml.too-deep");
}

#[test]
fn fifty_megabytes_is_refused_before_parsing() {
    let mut big = b"x: ".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    assert_eq!(refused("big", &big).0, "input.too-large");
}

#[test]
fn syntax_error_has_position() {
    let (rule, line, ..) = refused("syntax", b"policy:\n  id: \"dalian-2023\n  tier: city\n");
    // The unterminated quote opens on line 2.
    assert_eq!((rule.as_str(), line), ("yaml.syntax", 2));
}

#[test]
fn empty_file_is_refused() {
    assert_eq!(refused("empty", b"").0, "yaml.empty");
    assert_eq!(refused("comment-only", b"# nothing\n").0, "yaml.empty");
}

#[test]
fn two_documents_are_refused() {
    assert_eq!(refused("two-docs", b"a: 1\n---\nb: 2\n").0, "yaml.syntax");
}

#[test]
fn missing_path_is_could_not_run() {
    let run = check_json(std::path::Path::new("/nonexistent/dossier"));
    assert_eq!(run.code, 2);
    assert_eq!(findings(&run.json())[0].0, "input.unreadable");
}

#[test]
fn bom_is_accepted_with_a_warning_and_duplicate_keys_block() {
    let dir = tempdir("bom-dup");
    std::fs::write(dir.join("dossier.yaml"), "\u{FEFF}dossier_version: 1\ndossier_version: 1\n").unwrap();
    let run = check_json(&dir);
    assert_eq!(run.code, 1);
    let f = findings(&run.json());
    assert!(f.iter().any(|(r, l, c, s)| r == "yaml.bom" && (*l, *c) == (1, 1) && s == "warning"), "{f:?}");
    assert!(f.iter().any(|(r, l, c, s)| r == "yaml.duplicate-key" && (*l, *c) == (2, 1) && s == "error"), "{f:?}");
}

#[test]
fn a_submission_out_of_time_goes_to_manual_review_and_a_broken_bag_is_still_returned() {
    let zip = output(&built_fixture("dalian-2023-district"), "zip");
    let r = run(&["verify", "--format", "json", "--time-budget", "0", zip.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let report = r.json();
    assert_eq!(report["verdict"], "需人工审核", "{report}");
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "verify.time-budget").expect("the budget finding");
    assert!(f["message"].as_str().unwrap().contains("未检查材料"), "{f}");
    // A broken bag out of time is returned for what was already found.
    let mut entries = zip_entries(&std::fs::read(&zip).unwrap());
    let pdf = entries.iter_mut().find(|(n, _)| n.ends_with(".pdf")).unwrap();
    let last = pdf.1.len() - 10;
    pdf.1[last] ^= 1;
    let dir = tempdir("hostile-budget");
    let broken = dir.join(zip.file_name().unwrap());
    std::fs::write(&broken, zip_of(&entries)).unwrap();
    let r = run(&["verify", "--format", "json", "--time-budget", "0", broken.to_str().unwrap()]);
    assert_eq!(r.json()["verdict"], "退回", "{}", r.stdout);
    // With the default budget the same submission is checked in full.
    let r = run(&["verify", "--format", "json", zip.to_str().unwrap()]);
    assert_eq!(r.json()["verdict"], "受理", "{}", r.stdout);
}
