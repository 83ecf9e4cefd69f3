//! `verify` re-renders with the options the bag records: a tampered PDF is 退回 with the page
//! and the differing text; a draft is 退回.

use crate::common::*;

use sha2::{Digest, Sha256, Sha512};
use std::io::Read;
use std::path::Path;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The bag `zip` with payload file `suffix` replaced by `bytes`, manifests and Payload-Oxum
/// recomputed: only a re-rendering can tell.
fn splice(zip: &Path, suffix: &str, bytes: &[u8], to: &Path) {
    let mut files = zip_entries(&std::fs::read(zip).unwrap());
    for (_, content) in files.iter_mut().filter(|(n, _)| n.ends_with(suffix)) {
        *content = bytes.to_vec();
    }
    let top = files[0].0.split('/').next().unwrap().to_owned();
    let payload: Vec<(String, Vec<u8>)> = files.iter().filter(|(n, _)| n.starts_with(&format!("{top}/data/"))).cloned().collect();
    let manifest = |sha512: bool| -> Vec<u8> {
        payload
            .iter()
            .map(|(n, c)| {
                let h = if sha512 { hex(&Sha512::digest(c)) } else { hex(&Sha256::digest(c)) };
                format!("{h}  {}\n", n.strip_prefix(&format!("{top}/")).unwrap())
            })
            .collect::<String>()
            .into_bytes()
    };
    let octets: usize = payload.iter().map(|(_, c)| c.len()).sum();
    for (name, content) in files.iter_mut() {
        if name.ends_with("/manifest-sha256.txt") {
            *content = manifest(false);
        } else if name.ends_with("/manifest-sha512.txt") {
            *content = manifest(true);
        } else if name.ends_with("/bag-info.txt") {
            let text = String::from_utf8(content.clone()).unwrap();
            *content = text
                .lines()
                .map(|l| if l.starts_with("Payload-Oxum: ") { format!("Payload-Oxum: {octets}.{}\n", payload.len()) } else { format!("{l}\n") })
                .collect::<String>()
                .into_bytes();
        }
    }
    files.retain(|(name, _)| !name.starts_with(&format!("{top}/tagmanifest")));
    std::fs::write(to, zip_of(&files)).unwrap();
}

fn findings_of(r: &Run) -> Vec<(String, String)> {
    r.json()["findings"].as_array().unwrap().iter().map(|f| (f["rule"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned())).collect()
}

#[test]
fn a_tampered_figure_is_returned_with_its_page() {
    let built = built_fixture("dalian-2023-district");
    let zip = output(&built, "zip");
    // The same dossier with one figure changed, rendered by the tool: its PDF goes into the
    // original bag as if someone had edited a figure in the 申报表 (培训人数 itself would fail the roster check at build).
    let src = tempdir("render-tamper-src");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &src);
    let yaml = std::fs::read_to_string(src.join("dossier.yaml")).unwrap().replacen("实训面积1100余平方米", "实训面积1300余平方米", 1);
    std::fs::write(src.join("dossier.yaml"), yaml).unwrap();
    let out = tempdir("render-tamper-out");
    let b = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}{}", b.stdout, b.stderr);
    let inbox = tempdir("render-tamper-inbox");
    let tampered = inbox.join("tampered.zip");
    splice(&zip, ".pdf", &std::fs::read(output(&out, "pdf")).unwrap(), &tampered);
    let r = run(&["verify", "--format", "json", tampered.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["verdict"], "退回");
    let got = findings_of(&r);
    let differs: Vec<&String> = got.iter().filter(|(rule, _)| rule == "bag.rendering-differs").map(|(_, m)| m).collect();
    assert!(!got.iter().any(|(rule, _)| rule == "bag.invalid"), "{got:?}");
    assert!(differs.iter().any(|m| m.contains("第 ") && m.contains("页：提交件")), "{got:?}");
    assert!(differs.iter().any(|m| m.contains("提交件“") && m.contains("1300") && m.contains("1100")), "{got:?}");
}

#[test]
fn a_tampered_docx_is_returned() {
    // The DOCX is compared by the text of its body, read from the fresh rendering's model.
    let zip = output(&built_fixture("dalian-2023-district"), "zip");
    let src = tempdir("render-tamper-docx-src");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &src);
    let yaml = std::fs::read_to_string(src.join("dossier.yaml")).unwrap().replacen("实训面积1100余平方米", "实训面积1300余平方米", 1);
    std::fs::write(src.join("dossier.yaml"), yaml).unwrap();
    let out = tempdir("render-tamper-docx-out");
    let b = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}{}", b.stdout, b.stderr);
    let tampered = tempdir("render-tamper-docx-inbox").join("tampered.zip");
    splice(&zip, ".docx", &std::fs::read(output(&out, "docx")).unwrap(), &tampered);
    let r = run(&["verify", "--format", "json", tampered.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["verdict"], "退回");
    let got = findings_of(&r);
    assert!(got.iter().any(|(rule, m)| rule == "bag.rendering-differs" && m.contains(".docx")), "{got:?}");
    assert!(!got.iter().any(|(rule, m)| rule == "bag.rendering-differs" && m.contains(".pdf")), "the PDF is the one built: {got:?}");
}

#[test]
fn a_draft_is_returned() {
    let out = tempdir("render-draft-out");
    let b = run(&["build", "--draft", root().join("fixtures/invalid/credit-code-checksum").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(b.code, 0, "{}{}", b.stdout, b.stderr);
    let r = run(&["verify", "--format", "json", output(&out, "zip").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["verdict"], "退回");
    assert!(findings_of(&r).iter().any(|(rule, m)| rule == "bag.draft" && m.contains("草稿")), "{:?}", findings_of(&r));
}

#[test]
fn the_bag_records_its_rendering_options() {
    let zip = output(&built_fixture("dalian-2023-district"), "zip");
    let mut a = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let name = a.file_names().filter_map(Result::ok).find(|n| n.ends_with("/bag-info.txt")).unwrap().into_owned();
    let mut info = String::new();
    a.by_name(&name).unwrap().read_to_string(&mut info).unwrap();
    assert!(info.contains("Dossier-Draft: false"), "{info}");
    assert!(info.contains(&format!("Dossier-Tool-Version: {}", env!("CARGO_PKG_VERSION"))), "{info}");
    assert!(info.lines().any(|l| l.starts_with("Dossier-Render-Epoch: ")), "{info}");
}

fn hand_zip(path: &Path, names: &[&str]) {
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (*n, hand_made_bytes(n))).collect();
    std::fs::write(path, zip_of(&files)).unwrap();
}

#[test]
fn hand_made_zips_are_returned_unless_complete_then_reviewed() {
    let inbox = tempdir("render-handmade");
    hand_zip(&inbox.join("empty.zip"), &[]);
    hand_zip(&inbox.join("photo.zip"), &["IMG_0001.jpg"]);
    hand_zip(&inbox.join("no-eval.zip"), &["春晖/申报表.docx", "春晖/申请报告.pdf", "春晖/营业执照.pdf", "春晖/培训人员名单.xlsx"]);
    hand_zip(
        &inbox.join("complete.zip"),
        &["春晖/申报表.docx", "春晖/评估表.pdf", "春晖/申请报告.pdf", "春晖/营业执照.pdf", "春晖/培训人员名单.xlsx"],
    );
    let verdict = |name: &str| {
        let r = run(&["verify", "--format", "json", inbox.join(name).to_str().unwrap()]);
        (r.json()["verdict"].as_str().unwrap().to_owned(), findings_of(&r))
    };
    assert_eq!(verdict("empty.zip").0, "退回");
    assert_eq!(verdict("photo.zip").0, "退回");
    let (v, f) = verdict("no-eval.zip");
    assert_eq!(v, "退回");
    assert!(f.iter().any(|(rule, m)| rule == "zip.material-missing" && m.contains("评估表")), "{f:?}");
    assert_eq!(verdict("complete.zip").0, "需人工审核");
    // The applicant is named from the top folder in the bureau's report.
    let html = inbox.join("r.html");
    let r = run(&["verify", "--report", html.to_str().unwrap(), inbox.join("complete.zip").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("春晖") && !page.contains("无法读取申报数据"), "{page}");
    assert!(page.contains("需人工审核"), "the report counts the verdict");
    // The batch's last line tallies the bureau's verdicts, not 通过/未通过.
    let batch = run(&["verify", inbox.to_str().unwrap()]);
    let last = batch.stdout.lines().last().unwrap_or_default().to_owned();
    assert_eq!(last, "共 4 份申报材料：受理 0，受理但有提示 0，需人工审核 1，退回 3，无法检查 0", "{}", batch.stdout);
    assert_eq!(batch.code, 1, "a returned submission exits 1");
}

/// A reproducible build (SOURCE_DATE_EPOCH at any second, not only midnight) is 受理: verify
/// re-renders with the time the bag records, not with the day of its Bagging-Date.
#[test]
fn a_build_under_source_date_epoch_verifies() {
    let out = tempdir("render-epoch-out");
    let b = bin()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", root().join("fixtures/dalian-2023-district").to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stdout));
    let zip = output(&out, "zip");
    let r = bin().env_remove("SOURCE_DATE_EPOCH").args(["verify", "--format", "json", zip.to_str().unwrap()]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(report["verdict"], "受理", "{report}");
}

#[test]
fn jpeg_evidence_travels_once_inside_the_pdf_and_a_swapped_scan_is_returned() {
    let built = built_fixture("dalian-2023-district");
    let zip = output(&built, "zip");
    let entries = zip_entries(&std::fs::read(&zip).unwrap());
    assert!(entries.iter().all(|(n, _)| !n.ends_with(".jpg")), "no JPEG stored beside the PDF");
    let list = entries.iter().find(|(n, _)| n.ends_with("仅装订在PDF中的佐证材料.txt")).expect("the list of files inside the PDF");
    let list = String::from_utf8(list.1.clone()).unwrap();
    assert!(list.contains("\t125205\t佐证材料/04-01_营业执照.jpg"), "{list}");
    let ok = run(&["verify", zip.to_str().unwrap(), "--format", "json"]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);

    // One byte of the licence scan changed inside the PDF, the bag's hashes recomputed.
    let (_, pdf) = entries.iter().find(|(n, _)| n.ends_with(".pdf") && !n.contains("佐证材料")).unwrap();
    let scan = std::fs::read(root().join("fixtures/dalian-2023-district/evidence/01-营业执照.jpg")).unwrap();
    let at = pdf.windows(scan.len()).position(|w| w == scan.as_slice()).expect("the scan is in the PDF");
    let mut forged = pdf.clone();
    forged[at + scan.len() / 2] ^= 0x55;
    let dir = tempdir("verify-swapped-scan");
    let to = dir.join("swapped.zip");
    splice(&zip, "春晖家政育婴师.pdf", &forged, &to);
    let r = run(&["verify", to.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let found = findings_of(&r);
    assert!(found.iter().any(|(rule, m)| rule == "bag.invalid" && m.contains("04-01_营业执照.jpg")), "{found:?}");
}
