//! `dossier build` end to end: the PDF and DOCX of every fixture, read back with poppler's
//! pdftotext; contents numbers against the pages headings really land on; determinism;
//! drafts; masking.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8"]);
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext runs (.ci/run installs poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn build(fixture: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", fixture.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn output(out: &Path, ext: &str) -> PathBuf {
    std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == ext)).expect("file written")
}

#[test]
fn every_fixture_builds_pdf_and_docx_with_its_expected_text() {
    for name in ["dalian-2023-city", "dalian-2023-district", "liaoning-2024-enterprise", "inner-mongolia-2022-region"] {
        let fixture = root().join("fixtures").join(name);
        let out = tempdir(&format!("build-{name}"));
        let r = build(&fixture, &out, &[]);
        assert_eq!(r.code, 0, "{name}: {}{}", r.stdout, r.stderr);
        let pdf = output(&out, "pdf");
        let docx = output(&out, "docx");
        assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
        let text = flat(&pdftotext(&pdf, None));
        for want in std::fs::read_to_string(fixture.join("expected-text.txt")).unwrap().lines().filter(|l| !l.is_empty()) {
            assert!(text.contains(&flat(want)), "{name}: PDF lacks {want}");
        }
        // Mobile and ID numbers never appear in full.
        let loaded = dossier::load::load(&fixture).unwrap();
        for pointer in ["/applicant/contacts/0/mobile", "/applicant/legal_representative/id_number"] {
            if let Some(v) = loaded.json.pointer(pointer).and_then(|v| v.as_str()) {
                assert!(!text.contains(v), "{name}: {pointer} printed unmasked");
            }
        }
        assert!(pdf.file_name().unwrap().to_str().unwrap().ends_with(".pdf"));
    }
}

#[test]
fn contents_page_numbers_are_the_pages_headings_land_on() {
    let out = tempdir("build-contents");
    assert_eq!(build(&root().join("fixtures/dalian-2023-city"), &out, &[]).code, 0);
    let pdf = output(&out, "pdf");
    // The contents pages: every line ending in a number after a dot leader.
    let mut entries = Vec::new();
    for page in 2..=3 {
        for line in pdftotext(&pdf, Some(page)).lines() {
            let line = line.trim();
            if let Some((head, num)) = line.rsplit_once(' ') {
                if let (Ok(n), true) = (num.parse::<usize>(), head.contains('·')) {
                    let title = head.trim_end_matches(['·', ' ']).trim();
                    entries.push((title.to_owned(), n));
                }
            }
        }
    }
    assert!(entries.len() >= 20, "contents read back: {entries:?}");
    for (title, page) in &entries {
        let text = flat(&pdftotext(&pdf, Some(*page)));
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
    let pages = pdftotext(&pdf, None).matches('\u{c}').count();
    assert!(pages >= 10);
    for page in 1..=pages {
        assert!(pdftotext(&pdf, Some(page)).contains("草稿"), "page {page} without 草稿");
    }
}

#[test]
fn the_submission_zip_is_one_bagit_folder_with_numbered_evidence_and_a_masked_roster() {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let fixture = root().join("fixtures/dalian-2023-city");
    let out = tempdir("build-bag");
    assert_eq!(build(&fixture, &out, &[]).code, 0);
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
    let roster = payload.iter().find(|p| p.contains("培训人员名单/")).expect("masked roster");
    let text = String::from_utf8(files[*roster].clone()).unwrap();
    assert!(text.contains("********") && text.lines().count() > 1000);
    assert!(!text.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| t.len() == 18 && t[..17].bytes().all(|b| b.is_ascii_digit())), "no full ID number");
}
