//! `dossier build` end to end: the PDF and DOCX of every fixture, read back in Rust (lopdf);
//! contents numbers against the pages headings really land on; determinism; drafts; masking.

use crate::common::*;

use std::path::Path;
use std::process::Command;

fn build(fixture: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", fixture.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}


#[test]
fn every_fixture_builds_pdf_and_docx_with_its_expected_text() {
    for name in ["dalian-2023-city", "dalian-2023-district", "liaoning-2024-enterprise", "inner-mongolia-2022-region"] {
        let fixture = root().join("fixtures").join(name);
        let out = built_fixture(name);
        let pdf = output(&out, "pdf");
        let docx = output(&out, "docx");
        assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
        let text = flat(&pdf_pages(&pdf).concat());
        for want in std::fs::read_to_string(fixture.join("expected-text.txt")).unwrap().lines().filter(|l| !l.is_empty()) {
            assert!(text.contains(&flat(want)), "{name}: PDF lacks {want}");
        }
        // Dalian's 附件1 asks for the 负责人's own telephone in full; ID numbers stay masked.
        let loaded = dossier::load::load(&fixture).unwrap();
        if let Some(v) = loaded.json.pointer("/applicant/legal_representative/mobile").and_then(|v| v.as_str()).filter(|_| name.starts_with("dalian")) {
            assert!(text.contains(v), "{name}: the contact's mobile is printed in full");
        }
        if let Some(v) = loaded.json.pointer("/applicant/legal_representative/id_number").and_then(|v| v.as_str()) {
            assert!(!text.contains(v), "{name}: the legal representative's ID printed unmasked");
        }
        assert!(pdf.file_name().unwrap().to_str().unwrap().ends_with(".pdf"));
    }
}

#[test]
fn contents_page_numbers_are_the_pages_headings_land_on() {
    let out = built_fixture("dalian-2023-city");
    let pdf = output(&out, "pdf");
    // The contents pages: a title run, a dot-leader run, then the page number.
    let pages = pdf_pages(&pdf);
    let mut entries = Vec::new();
    for page in &pages[1..3] {
        let lines: Vec<&str> = page.lines().map(str::trim).collect();
        for w in lines.windows(3) {
            if let (Ok(n), true) = (w[2].parse::<usize>(), !w[1].is_empty() && w[1].chars().all(|c| c == '·')) {
                entries.push((w[0].to_owned(), n));
            }
        }
    }
    assert!(entries.len() >= 20, "contents read back: {entries:?}");
    for (title, page) in &entries {
        let text = flat(&pages[page - 1]);
        assert!(text.contains(&flat(title)), "“{title}” is not on page {page}");
        // The printed page number on that page is the same number.
        assert!(text.contains(&format!("—{page}—")), "page {page} prints another number");
    }
}

#[test]
fn same_input_same_bytes() {
    let a = tempdir("build-det-a");
    let b = tempdir("build-det-b");
    for out in [&a, &b] {
        let r = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .args(["build", root().join("fixtures/dalian-2023-district").to_str().unwrap(), "-o", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(r.status.success());
    }
    for ext in ["pdf", "docx"] {
        assert_eq!(std::fs::read(output(&a, ext)).unwrap(), std::fs::read(output(&b, ext)).unwrap(), "{ext} differs");
    }
}

#[test]
fn blocking_findings_refuse_unless_draft_which_stamps_every_page() {
    let invalid = root().join("fixtures/invalid/credit-code-checksum");
    let out = tempdir("build-draft");
    let refused = build(&invalid, &out, &[]);
    assert_eq!(refused.code, 1);
    assert!(refused.stdout.contains("--draft"), "{}", refused.stdout);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing written");
    let draft = build(&invalid, &out, &["--draft"]);
    assert_eq!(draft.code, 0, "{}", draft.stderr);
    let pdf = output(&out, "pdf");
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 10);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("草稿"), "page {} without 草稿", i + 1);
    }
}

#[test]
fn the_submission_zip_is_one_bagit_folder_with_numbered_evidence_and_the_full_roster() {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let out = built_fixture("dalian-2023-city");
    let zip_path = output(&out, "zip");
    let stem = zip_path.file_stem().unwrap().to_str().unwrap().to_owned();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        files.insert(name, bytes);
    }
    assert!(files.keys().all(|n| n.starts_with(&format!("{stem}/"))), "one top-level folder named like the zip");
    let get = |p: &str| files.get(&format!("{stem}/{p}")).unwrap_or_else(|| panic!("{p} missing"));
    assert_eq!(get("bagit.txt"), b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
    // Every manifest line matches the file it names, and every payload file is listed.
    let manifest = String::from_utf8(get("manifest-sha256.txt").clone()).unwrap();
    let payload: Vec<&String> = files.keys().filter(|k| k.starts_with(&format!("{stem}/data/"))).collect();
    assert_eq!(manifest.lines().count(), payload.len());
    for line in manifest.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let digest: String = Sha256::digest(get(path)).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hash, digest, "{path}");
    }
    let info = String::from_utf8(get("bag-info.txt").clone()).unwrap();
    let octets: usize = payload.iter().map(|p| files[*p].len()).sum();
    assert!(info.contains(&format!("Payload-Oxum: {octets}.{}", payload.len())), "{info}");
    assert!(info.contains("Dossier-Policy: dalian-2023") && info.contains("External-Identifier: 52210211MJ0N3K722B"));
    assert!(info.contains("Bagging-Date: 2023-05-20"), "the commitment date when SOURCE_DATE_EPOCH is unset: {info}");
    assert!(payload.iter().any(|p| p.contains("/data/佐证材料/04-01_")), "evidence numbered as in the contents");
    for ext in ["pdf", "docx"] {
        assert!(files.contains_key(&format!("{stem}/data/{stem}.{ext}")));
    }
    // The bureau audits the roster: it travels in full (docs/personal-data.md).
    let roster = payload.iter().find(|p| p.contains("培训人员名单/")).expect("roster");
    let text = String::from_utf8(files[*roster].clone()).unwrap();
    assert!(!text.contains("********") && text.lines().count() > 1000);
    assert!(text.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| t.len() == 18 && t[..17].bytes().all(|b| b.is_ascii_digit())), "full ID numbers");
}

/// 待填写 left in a dossier is an advisory while editing, but `build` refuses to print it on
/// a submission (the PDF would say 填报单位（盖章）：待填写); `--draft` still renders it.
#[test]
fn placeholders_block_build_but_not_check_or_a_draft() {
    let dir = tempdir("placeholders");
    copy_dir(&root().join("fixtures/dalian-2023-city"), &dir);
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    let yaml = yaml
        .replacen("  name: 大连市甘井子区金桥职业培训学校\n", "  name: 待填写\n", 1)
        .replacen("  signer: 王立军\n", "  signer: 待填写\n", 1);
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    let check = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(check.code, 0, "placeholders are advisories in check: {}", check.stdout);
    let placeholders: Vec<_> = findings(&check.json()).into_iter().filter(|f| f.0 == "placeholder.unfilled").collect();
    assert_eq!(placeholders.len(), 2, "{placeholders:?}");
    let lines: Vec<u64> = placeholders.iter().map(|f| f.1).collect();
    assert_eq!(lines, [12, 752]);
    let out = dir.join("out");
    let refused = build(&dir, &out, &[]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.stdout.contains("有 2 处仍是“待填写”占位内容"), "{}", refused.stdout);
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(), "nothing written");
    let draft = build(&dir, &out, &["--draft"]);
    assert_eq!(draft.code, 0, "{}{}", draft.stdout, draft.stderr);
}
