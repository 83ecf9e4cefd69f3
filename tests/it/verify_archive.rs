//! Received zips: every kind of hostile archive is refused for the right reason, in memory,
//! without writing anything; a real submission validates as a BagIt bag, and tampering shows.

use crate::common::*;

use std::io::Write;

use dossier::verify::archive::{Archive, Limits, Refusal, decode_name};
use dossier::verify::bag::validate;
use zip::write::SimpleFileOptions;

/// Replace every occurrence of `from` by `to` (same length) in the raw archive bytes.
fn patch(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    bytes
}

fn refusals(bytes: Vec<u8>) -> Vec<Refusal> {
    match Archive::open(bytes, Limits::default()) {
        Ok(_) => Vec::new(),
        Err(r) => r,
    }
}

fn rules(bytes: Vec<u8>) -> Vec<&'static str> {
    refusals(bytes).iter().map(Refusal::rule).collect()
}

#[test]
fn path_traversal_absolute_and_drive_letters() {
    assert_eq!(rules(zip_of(&[("ok/../../evil.txt", b"x")])), ["zip.unsafe-path"]);
    assert_eq!(rules(zip_of(&[("/etc/passwd", b"x")])), ["zip.unsafe-path"]);
    assert_eq!(rules(zip_of(&[("C:\\Windows\\evil.dll", b"x")])), ["zip.unsafe-path"]);
    assert!(rules(zip_of(&[("材料/佐证材料/01.pdf", b"x")])).is_empty());
}

#[test]
fn symlinks_encryption_duplicates_and_nested_archives() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.add_symlink("link", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    assert_eq!(rules(zip.finish().unwrap().into_inner()), ["zip.symlink"]);
    // General purpose flag bit 0 set in both headers: encrypted.
    let plain = zip_of(&[("a.txt", b"secret")]);
    let mut encrypted = plain.clone();
    encrypted[6] |= 1;
    let central = plain.windows(4).position(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    encrypted[central + 8] |= 1;
    assert!(rules(encrypted).contains(&"zip.encrypted"));
    let dup = patch(zip_of(&[("a.txt", b"1"), ("b.txt", b"2")]), b"b.txt", b"a.txt");
    assert!(rules(dup).contains(&"zip.duplicate-name"));
    assert_eq!(rules(zip_of(&[("材料/附件.zip", b"PK")])), ["zip.nested-archive"]);
}

#[test]
fn zip_bombs_truncated_and_non_zips() {
    let zeros = vec![0u8; 20 << 20];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("bomb.txt", SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
    zip.write_all(&zeros).unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 100_000);
    assert_eq!(rules(bomb), ["zip.bomb"]);
    let tight = Limits { max_entry_bytes: 1000, ..Limits::default() };
    assert!(Archive::open(zip_of(&[("big.txt", &[7u8; 5000])]), tight).is_err());
    let whole = zip_of(&[("a.txt", b"hello")]);
    assert_eq!(rules(whole[..whole.len() - 30].to_vec()), ["zip.unreadable"]);
    assert_eq!(rules(b"this is not a zip file at all".to_vec()), ["zip.unreadable"]);
    assert_eq!(rules(Vec::new()), ["zip.unreadable"]);
}

#[test]
fn windows_names_are_gb18030_and_the_unicode_path_field_wins() {
    let gbk = encoding_rs::GBK.encode("佐证材料.pdf").0.into_owned();
    let placeholder = "x".repeat(gbk.len());
    let bytes = patch(zip_of(&[(&placeholder, b"%PDF")]), placeholder.as_bytes(), &gbk);
    let mut archive = Archive::open(bytes, Limits::default()).unwrap();
    assert_eq!(archive.entries[0].name, "佐证材料.pdf");
    assert_eq!(archive.read("佐证材料.pdf").unwrap(), b"%PDF");
    // Info-ZIP Unicode Path: id 0x7075, version 1, CRC of the raw name, then UTF-8.
    let mut extra = vec![0x75, 0x70];
    let name = "申报表.docx".as_bytes();
    extra.extend(((name.len() + 5) as u16).to_le_bytes());
    extra.push(1);
    extra.extend([0, 0, 0, 0]);
    extra.extend(name);
    assert_eq!(decode_name(b"\xc9\xea.docx", Some(&extra)), "申报表.docx");
}

#[test]
fn a_built_submission_validates_and_tampering_shows() {
    let out = tempdir("verify-bag");
    let r = run(&["build", root().join("fixtures/dalian-2023-district").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let zip_path = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "zip")).unwrap();
    let bytes = std::fs::read(&zip_path).unwrap();
    let mut archive = Archive::open(bytes.clone(), Limits::default()).expect("a clean submission opens");
    let report = validate(&archive.read_all().0, &archive.entries);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.top, zip_path.file_stem().unwrap().to_str().unwrap());
    assert!(report.info.iter().any(|(k, v)| k == "Dossier-Policy" && v == "dalian-2023"));
    // Re-pack with one payload file changed: the manifest catches it.
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut f = source.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut content).unwrap();
        if name.ends_with("dossier.yaml") {
            content.extend(b"\n# changed after bagging\n");
        }
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(&content).unwrap();
    }
    let mut tampered = Archive::open(zip.finish().unwrap().into_inner(), Limits::default()).unwrap();
    let report = validate(&tampered.read_all().0, &tampered.entries);
    assert!(report.problems.iter().any(|p| p.contains("dossier.yaml") && p.contains("校验值")), "{:?}", report.problems);
    assert!(report.problems.iter().any(|p| p.contains("Payload-Oxum")), "{:?}", report.problems);
}
