//! Issue 18: the seven inputs that took the tool down and the three malformed submissions
//! that were accepted. Each hostile input is generated here, in memory or under a temp dir;
//! each run must end normally (no panic, no abort), in under 10 s, with the verdict said.

use crate::common::*;

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zip::write::SimpleFileOptions;

const BUDGET: Duration = Duration::from_secs(10);

/// Run the binary and check it ended by itself, with one of `codes`, within the budget.
fn timed(args: &[&str], codes: &[i32]) -> Run {
    let t = Instant::now();
    let r = run(args);
    let took = t.elapsed();
    assert!(codes.contains(&r.code), "{args:?}: exit {} (want {codes:?})\n{}\n{}", r.code, r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    assert!(took < BUDGET, "{args:?} took {took:?}");
    r
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(*name, SimpleFileOptions::default().compression_level(Some(1))).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A minimal XLSX: one sheet (its XML given) and a shared-strings part.
fn xlsx(sheet: &[u8], shared: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared),
    ])
}

fn sheet_xml(rows: &str) -> Vec<u8> {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#).into_bytes()
}

const SHARED: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>name</t></si></sst>"#;

/// A copy of the city fixture whose roster is replaced by `bytes` saved as `name`.
fn fixture_with_roster(tag: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = tempdir(tag);
    copy_dir(&root().join("fixtures/dalian-2023-city"), &dir);
    std::fs::write(dir.join("rosters").join(name), bytes).unwrap();
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    std::fs::write(dir.join("dossier.yaml"), yaml.replace("rosters/培训人员名单.xlsx", &format!("rosters/{name}"))).unwrap();
    dir
}

fn roster_error(bytes: Vec<u8>, ext: &str) -> String {
    match dossier::load::roster::read_bytes(bytes, ext, None) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.message.zh,
    }
}

// 1. An unrecognised header right of the last data column made `build` index past the row.
#[test]
fn header_right_of_the_data_builds() {
    let table = dossier::load::roster::read(&root().join("fixtures/dalian-2023-city/rosters/培训人员名单.xlsx"), None).unwrap();
    let width = table.columns.iter().map(|c| c.1 + 1).max().unwrap();
    let mut header = vec![String::new(); width];
    for (c, i) in &table.columns {
        header[*i] = dossier::load::roster::header_name(*c).to_owned();
    }
    header.push("X".to_owned());
    let mut csv = header.join(",") + "\n";
    for row in &table.rows {
        let cells: Vec<String> = (0..width).map(|i| row.cells.get(i).map(|c| c.text()).unwrap_or_default()).collect();
        csv += &(cells.join(",") + "\n");
    }
    let dir = fixture_with_roster("h18-extra-header", "名单.csv", csv.as_bytes());
    let out = tempdir("h18-extra-header-out");
    timed(&["build", "--draft", dir.to_str().unwrap(), "-o", out.to_str().unwrap()], &[0]);
    assert!(std::fs::read_dir(&out).unwrap().any(|e| e.unwrap().path().extension().is_some_and(|x| x == "zip")));
}

// 2. uniqueCount="4294967295" made calamine reserve 103 GB.
#[test]
fn lying_shared_string_count_is_refused() {
    let shared = String::from_utf8(SHARED.to_vec()).unwrap().replace(r#"uniqueCount="1""#, r#"uniqueCount="4294967295""#);
    let book = xlsx(&sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#), shared.as_bytes());
    assert!(roster_error(book.clone(), "xlsx").contains("uniqueCount"));
    let dir = fixture_with_roster("h18-sst", "名单.xlsx", &book);
    let r = timed(&["check", dir.to_str().unwrap()], &[1, 2]);
    assert!(r.stdout.contains("uniqueCount"), "{}", r.stdout);
}

// 3. A sheet that unpacks to a gigabyte: columns past the limit stop it at the first row,
// and a part past the size limit is stopped while inflating, whatever it holds.
#[test]
fn xlsx_bombs_are_refused() {
    let wide: String = (0..16_384).map(|c| format!(r#"<c r="{}1"><v>1</v></c>"#, dossier::load::roster::column_letter(c))).collect();
    let book = xlsx(&sheet_xml(&format!(r#"<row r="1">{wide}</row>"#)), SHARED);
    assert!(roster_error(book, "xlsx").contains("列上限"));
    // 300 MB of whitespace inside the sheet: a few hundred KB compressed.
    let mut sheet = sheet_xml("").to_vec();
    let tail = sheet.split_off(sheet.len() - "</sheetData></worksheet>".len());
    sheet.resize(sheet.len() + (300 << 20), b' ');
    sheet.extend(tail);
    let book = xlsx(&sheet, SHARED);
    assert!(book.len() < 4 << 20, "{}", book.len());
    let t = Instant::now();
    assert!(roster_error(book.clone(), "xlsx").contains("压缩炸弹"));
    assert!(t.elapsed() < BUDGET);
    let dir = fixture_with_roster("h18-xlsx-bomb", "名单.xlsx", &book);
    let r = timed(&["check", dir.to_str().unwrap()], &[1, 2]);
    assert!(r.stdout.contains("压缩炸弹"), "{}", r.stdout);
}

// 4. 600,000 lines of "x" printed 149 MB of findings; rows past the limit are refused, and
// findings past 200 per rule are folded into a count.
#[test]
fn findings_per_rule_are_bounded() {
    let big = "姓名,身份证号,性别\n".to_owned() + &"x\n".repeat(600_000);
    assert!(roster_error(big.clone().into_bytes(), "csv").contains("行上限"));
    let dir = fixture_with_roster("h18-many-rows", "名单.csv", big.as_bytes());
    let r = timed(&["check", dir.to_str().unwrap()], &[1, 2]);
    assert!(r.stdout.len() < 1 << 20, "{} bytes", r.stdout.len());
    let many = "姓名,身份证号,性别\n".to_owned() + &"x,1,?\n".repeat(20_000);
    let dir = fixture_with_roster("h18-many-findings", "名单.csv", many.as_bytes());
    let r = timed(&["check", "--format", "json", dir.to_str().unwrap()], &[1]);
    let json = r.json();
    let findings = json["findings"].as_array().unwrap();
    let mut per_rule = std::collections::BTreeMap::<(String, String), usize>::new();
    for f in findings {
        *per_rule.entry((f["rule"].as_str().unwrap().into(), f["file"].as_str().unwrap().into())).or_default() += 1;
    }
    assert!(per_rule.values().all(|n| *n <= dossier::rules::MAX_FINDINGS_PER_RULE + 1), "{per_rule:?}");
    assert!(findings.iter().any(|f| f["message"].as_str().unwrap().contains("未逐一列出")));
}

// 5. One 1 MB anchored string and 600 aliases: the expansion is counted in bytes.
#[test]
fn aliases_of_a_long_string_are_stopped() {
    let text = format!("a: &b {}\nl: [{}]\n", "x".repeat(1 << 20), vec!["*b"; 600].join(", "));
    let dir = tempdir("h18-alias-bytes");
    std::fs::write(dir.join("dossier.yaml"), text).unwrap();
    let r = timed(&["check", "--format", "json", dir.to_str().unwrap()], &[2]);
    assert_eq!(findings(&r.json())[0].0, "yaml.alias-limit");
}

// 6. Layout was quadratic in paragraph length: 200k characters now build in seconds.
#[test]
fn long_paragraphs_lay_out_in_linear_time() {
    let dir = tempdir("h18-long-para");
    copy_dir(&root().join("fixtures/dalian-2023-city"), &dir);
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    let long = "培训品牌建设，".repeat(30_000);
    let yaml: String = yaml.lines().map(|l| if l.starts_with("  introduction: ") { format!("  introduction: {long}\n") } else { format!("{l}\n") }).collect();
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    let out = tempdir("h18-long-para-out");
    timed(&["build", "--draft", dir.to_str().unwrap(), "-o", out.to_str().unwrap()], &[0]);
}

fn verify_verdict(tag: &str, zip: &[u8]) -> (String, String) {
    let dir = tempdir(tag);
    let path = dir.join("submission.zip");
    std::fs::write(&path, zip).unwrap();
    let r = timed(&["verify", "--format", "json", path.to_str().unwrap()], &[0, 1, 2]);
    let json = r.json();
    let report = json.get("dossiers").and_then(|d| d[0].as_object().cloned()).map_or(json.clone(), serde_json::Value::Object);
    (report["verdict"].as_str().unwrap_or("").to_owned(), r.stdout)
}

// 7. A DOCX whose document.xml unpacks to 300 MB: nested office files are vetted by content.
#[test]
fn docx_bomb_is_returned_whatever_its_name() {
    let mut body = b"<w:document>".to_vec();
    body.resize(300 << 20, b' ');
    let docx = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", &body)]);
    for name in ["材料/申报表.docx", "材料/营业执照.pdf"] {
        let (verdict, out) = verify_verdict("h18-docx-bomb", &zip_of(&[(name, &docx)]));
        assert_eq!(verdict, "退回", "{out}");
        assert!(out.contains("zip.bomb"), "{out}");
    }
    // A plain zip under another name is a nested archive.
    let (verdict, out) = verify_verdict("h18-nested", &zip_of(&[("材料/名单.pdf", &zip_of(&[("a.txt", b"x")]))]));
    assert_eq!(verdict, "退回", "{out}");
    assert!(out.contains("zip.nested-archive"), "{out}");
}

fn built_bag(tag: &str) -> Vec<u8> {
    let out = tempdir(tag);
    assert_eq!(run(&["build", root().join("fixtures/dalian-2023-district").to_str().unwrap(), "-o", out.to_str().unwrap()]).code, 0);
    let zip = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "zip")).unwrap();
    std::fs::read(zip).unwrap()
}

/// The bag without the entries `drop` names, everything else copied raw.
fn without(bag: &[u8], drop: impl Fn(&str) -> bool) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bag)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let f = src.by_index_raw(i).unwrap();
        if !drop(&String::from_utf8_lossy(f.name_raw())) {
            out.raw_copy_file(f).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

// 8. A bag with bagit.txt deleted is still a bag, and a broken one.
#[test]
fn bag_without_bagit_txt_is_returned() {
    let bag = built_bag("h18-bag");
    assert_ne!(verify_verdict("h18-bag-ok", &bag).0, "退回", "the intact bag is accepted");
    let (verdict, out) = verify_verdict("h18-no-bagit", &without(&bag, |n| n.ends_with("/bagit.txt")));
    assert_eq!(verdict, "退回", "{out}");
    assert!(out.contains("bagit.txt"), "{out}");
}

// 9. Local-header names that differ from the central directory's.
#[test]
fn local_names_that_differ_are_returned() {
    let mut zip = zip_of(&[("材料/申报表.pdf", b"%PDF-1.7"), ("材料/营业执照.pdf", b"%PDF-1.7")]);
    // The first local header's name starts at byte 30: "材料/" → "材料\\"... change the slash.
    let slash = 30 + "材料".len();
    assert_eq!(zip[slash], b'/');
    zip[slash] = b'_';
    let refused = dossier::verify::archive::Archive::open(zip.clone(), Default::default()).err().unwrap();
    assert_eq!(refused[0].rule(), "zip.ambiguous");
    let (verdict, out) = verify_verdict("h18-local-names", &zip);
    assert_eq!(verdict, "退回", "{out}");
    assert!(out.contains("本地文件头"), "{out}");
}

// 10. A second end-of-central-directory record inside the comment (Python sees 0 entries).
#[test]
fn second_end_record_in_the_comment_is_returned() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("材料/申报表.pdf", SimpleFileOptions::default()).unwrap();
    zip.write_all(b"%PDF-1.7").unwrap();
    let mut fake = b"PK\x05\x06".to_vec();
    fake.extend([0u8; 18]);
    zip.set_raw_comment(fake.into_boxed_slice()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let (verdict, out) = verify_verdict("h18-two-eocd", &bytes);
    assert_eq!(verdict, "退回", "{out}");
    assert!(out.contains("zip.ambiguous"), "{out}");
}
