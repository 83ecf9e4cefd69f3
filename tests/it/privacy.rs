//! Personal data (docs/personal-data.md): in full in the bag and the bureau's files, the
//! applicant's contacts in full in the PDF, masked in every shown format; age encryption
//! end to end, decrypted in memory only.

use crate::common::*;

use std::path::{Path, PathBuf};

const CONTACT: &str = "15842706613";
/// The 负责人's (legal representative's) mobile, which 附件1 prints.
const BOSS_MOBILE: &str = "13904115826";

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A trainee's ID number from the fixture's roster, as the bag carries it.
fn build_plain(name: &str, extra: &[&str]) -> PathBuf {
    let out = tempdir(name);
    let r = run(&[&["build", root().join("fixtures/dalian-2023-city").to_str().unwrap(), "-o", out.to_str().unwrap()], extra].concat());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    out
}

fn find(dir: &Path, suffix: &str) -> PathBuf {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().ends_with(suffix)).unwrap()
}

fn full_ids(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() == 18 && t[..17].bytes().all(|b| b.is_ascii_digit()) && &t[6..8] >= "19" && &t[6..8] <= "20")
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_bag_carries_trainees_in_full_and_the_pdf_the_applicants_contact() {
    let out = build_plain("privacy-bag", &[]);
    let zip = std::fs::read(find(&out, ".zip")).unwrap();
    let files = zip_entries(&zip);
    let roster = files.iter().find(|(n, _)| n.contains("/data/培训人员名单/")).expect("roster in the bag");
    let text = String::from_utf8(roster.1.clone()).unwrap();
    assert!(!text.contains("********"), "roster not masked");
    assert!(full_ids(&text).len() > 1000, "every trainee's ID in full");
    // The PDF: the 负责人's mobile in full, as 附件1 asks (uncompressed text is not guaranteed, so read the
    // DOCX body, which holds the same text).
    let docx = std::fs::read(find(&out, ".docx")).unwrap();
    let body = zip_entries(&docx).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1;
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains(BOSS_MOBILE), "the applicant's 负责人 mobile in full in the DOCX");
    assert!(full_ids(&body).is_empty(), "no ID number printed");
}

#[test]
fn shown_formats_mask_planted_numbers_in_every_spelling() {
    let dir = tempdir("privacy-formats");
    let src = root().join("fixtures/dalian-2023-city");
    for e in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&src).unwrap();
        std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(e.path(), dir.join(rel)).unwrap();
    }
    // Planted where findings quote them: an invalid half-width ID with a lowercase x, a
    // mobile where a date belongs.
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    let yaml = yaml.replacen("id_number: \"210211197003121539\"", "id_number: \"21021119700312153x\"", 1);
    let yaml = yaml.replacen("established: \"2011-06-08\"", "established: \"13812345678\"", 1);
    // A leader's ID typed with a Chinese input method: full-width digits.
    let yaml = yaml.replacen("id_number: \"210211197306152332\"", "id_number: \"２１０２１１１９７３０６１５２３３２\"", 1);
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    let text = run(&["check", dir.to_str().unwrap()]).stdout;
    assert!(text.contains("从第 1 个字符起含全角数字，请全部改为半角数字"), "全角 hint at the ID: {text}");
    for format in ["text", "json", "sarif", "github", "junit"] {
        let r = run(&["check", "--format", format, dir.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{format}: {}", r.stdout);
        for full in ["21021119700312153x", "13812345678", "210211197306152332", "15842706613", "２１０２１１１９７３０６１５２３３２"] {
            assert!(!r.stdout.contains(full), "{format}: {full} shown in full");
        }
        assert!(r.stdout.contains("138****5678"), "{format}: the mobile masked");
        assert!(r.stdout.contains("210211********2332"), "{format}: the full-width ID masked in ASCII");
        let unmasked = run(&["check", "--format", format, "--unmasked", dir.to_str().unwrap()]);
        assert!(unmasked.stdout.contains("13812345678"), "{format} --unmasked shows it");
    }
}

#[test]
fn keygen_build_verify_decrypt_end_to_end() {
    let keys = tempdir("privacy-keys");
    let bureau = keys.join("bureau.key");
    let k = run(&["keygen", bureau.to_str().unwrap()]);
    assert_eq!(k.code, 0, "{}", k.stderr);
    let recipient = k.stdout.trim().to_owned();
    assert!(recipient.starts_with("age1"), "{recipient}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&bureau).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(run(&["keygen", bureau.to_str().unwrap()]).code, 2, "never overwrites a key");
    let other = keys.join("other.key");
    assert_eq!(run(&["keygen", other.to_str().unwrap()]).code, 0);

    let out = build_plain("privacy-sealed", &["--recipient", &recipient]);
    assert!(std::fs::read_dir(&out).unwrap().all(|e| !e.unwrap().path().to_string_lossy().ends_with(".zip")), "no plain zip");
    let sealed_path = find(&out, ".zip.age");
    let sealed = std::fs::read(&sealed_path).unwrap();
    // No plaintext personal data: IDs, phones, names.
    let plain = build_plain("privacy-plain", &[]);
    let zip = std::fs::read(find(&plain, ".zip")).unwrap();
    let roster = zip_entries(&zip).into_iter().find(|(n, _)| n.contains("培训人员名单")).unwrap().1;
    let roster = String::from_utf8(roster).unwrap();
    for id in full_ids(&roster).iter().take(50) {
        assert!(!contains(&sealed, id), "{id} in the ciphertext");
    }
    assert!(!sealed.starts_with(b"PK"), "not a zip");
    for s in [CONTACT, "210211197306152332", "王立军", "金桥职校", "培训人员名单"] {
        assert!(!contains(&sealed, s), "{s} in the ciphertext");
    }

    // verify --identity: accepted, and nothing written anywhere it could write.
    let inbox = tempdir("privacy-inbox");
    let target = inbox.join(sealed_path.file_name().unwrap());
    std::fs::copy(&sealed_path, &target).unwrap();
    let tmp = tempdir("privacy-tmp");
    let count = |d: &Path| walkdir::WalkDir::new(d).into_iter().count();
    let before = (count(&inbox), count(&tmp), count(&keys));
    let o = bin().current_dir(&inbox).env("TMPDIR", &tmp).args(["verify", "--format", "json", "--identity", bureau.to_str().unwrap(), inbox.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["verdict"], "受理", "{json}");
    assert_eq!((count(&inbox), count(&tmp), count(&keys)), before, "no plaintext byte on disk");

    // Without an identity, or with another bureau's: exit 2, clearly.
    let none = run(&["verify", target.to_str().unwrap()]);
    assert_eq!(none.code, 2);
    assert!(none.stdout.contains("已加密") && none.stdout.contains("--identity"), "{}", none.stdout);
    let wrong = run(&["verify", "--identity", other.to_str().unwrap(), target.to_str().unwrap()]);
    assert_eq!(wrong.code, 2, "{}", wrong.stdout);
    assert!(wrong.stdout.contains("不是加密给本单位的"), "{}", wrong.stdout);

    // Truncated and altered ciphertexts are returned, without a panic.
    for (name, bytes) in [
        ("cut.zip.age", sealed[..sealed.len() / 2].to_vec()),
        ("head.zip.age", sealed[..40].to_vec()),
        ("flip.zip.age", {
            let mut b = sealed.clone();
            let i = b.len() - 100;
            b[i] ^= 0x20;
            b
        }),
    ] {
        let p = inbox.join(name);
        std::fs::write(&p, bytes).unwrap();
        let r = run(&["verify", "--format", "json", "--identity", bureau.to_str().unwrap(), p.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.json()["verdict"], "退回", "{name}");
        std::fs::remove_file(&p).unwrap();
    }

    // The roster export: every trainee in full, mode 0600, with a warning.
    let export = keys.join("roster.xlsx");
    let r = run(&["verify", "--identity", bureau.to_str().unwrap(), "--roster-export", export.to_str().unwrap(), target.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("个人信息"), "{}", r.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&export).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let xlsx = std::fs::read(&export).unwrap();
    let shared = zip_entries(&xlsx).into_iter().find(|(n, _)| n == "xl/sharedStrings.xml").unwrap().1;
    let shared = String::from_utf8(shared).unwrap();
    let first = &full_ids(&roster)[0];
    assert!(shared.contains(first.as_str()) && shared.contains("金桥"), "trainee and applicant in the export");

    // decrypt: plaintext only under -o.
    let dest = tempdir("privacy-decrypted");
    let d = run(&["decrypt", "--identity", bureau.to_str().unwrap(), target.to_str().unwrap(), "-o", dest.to_str().unwrap()]);
    assert_eq!(d.code, 0, "{}", d.stderr);
    let zip_out = find(&dest, ".zip");
    assert_eq!(std::fs::read(&zip_out).unwrap(), zip, "the same bag as a plain build");
    let stem = zip_out.file_stem().unwrap().to_owned();
    assert!(dest.join(&stem).join("bagit.txt").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [dest.join(&stem).join("data/培训人员名单"), dest.join(&stem).join("data")] {
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o700, "{}", p.display());
        }
        assert_eq!(std::fs::metadata(dest.join(&stem).join("bagit.txt")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let again = run(&["decrypt", "--identity", other.to_str().unwrap(), target.to_str().unwrap(), "-o", keys.join("x").to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(!keys.join("x").exists(), "nothing written on failure");
}

/// One spelling per way people write numbers: half-width, full-width (a Chinese input
/// method), in groups with spaces, and a lowercase x.
fn full_width(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
}

fn grouped(s: &str, cuts: &[usize]) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if cuts.contains(&i) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn xlsx_strings(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    zip_entries(&bytes).into_iter().filter(|(n, _)| n.starts_with("xl/")).map(|(_, b)| String::from_utf8_lossy(&b).into_owned()).collect()
}

#[test]
fn planted_numbers_follow_the_table_in_every_output() {
    // The applicant's side: a roster with IDs and phones in every spelling.
    let dir = tempdir("privacy-table");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &dir);
    let csv_path = dir.join("rosters/培训人员名单.csv");
    let gbk = std::fs::read(&csv_path).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&gbk);
    let mut rows: Vec<Vec<String>> = text.lines().map(|l| l.split(',').map(str::to_owned).collect()).collect();
    let (id1, tel1) = (rows[1][3].clone(), rows[1][16].clone());
    let (id2, tel2) = (rows[2][3].clone(), rows[2][16].clone());
    rows[1][3] = full_width(&id1);
    rows[1][16] = full_width(&tel1);
    rows[2][3] = grouped(&id2, &[6, 14]);
    rows[2][16] = grouped(&tel2, &[3, 7]);
    let x_row = rows.iter().position(|r| r.len() > 3 && r[3].ends_with('X')).expect("an ID ending in X");
    let id3 = rows[x_row][3].clone();
    rows[x_row][3] = id3.replace('X', "x");
    std::fs::write(&csv_path, rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n")).unwrap();
    let planted = [rows[1][3].clone(), rows[1][16].clone(), rows[2][3].clone(), rows[2][16].clone(), id1.clone(), tel1.clone(), id2.clone(), tel2.clone()];
    let masked = [
        format!("{}********{}", &id1[..6], &id1[14..]),
        format!("{}****{}", &tel1[..3], &tel1[7..]),
        format!("{} ******** {}", &id2[..6], &id2[14..]),
        format!("{} **** {}", &tel2[..3], &tel2[7..]),
    ];
    for format in ["text", "json", "sarif", "github", "junit"] {
        let r = run(&["check", "--format", format, dir.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{format}: {}", r.stdout);
        for full in &planted {
            assert!(!r.stdout.contains(full.as_str()), "{format}: {full} shown in full");
        }
        for m in &masked {
            assert!(r.stdout.contains(m.as_str()), "{format}: {m} missing:\n{}", r.stdout);
        }
        let unmasked = run(&["check", "--format", format, "--unmasked", dir.to_str().unwrap()]);
        for full in [&rows[1][3], &rows[2][3], &rows[2][16]] {
            assert!(unmasked.stdout.contains(full.as_str()), "{format} --unmasked shows {full} as written");
        }
    }

    // The bag: every trainee in full (the lowercase x as written); the PDF and DOCX: no
    // trainee at all, the applicant's contact mobile in full.
    (rows[1][3], rows[1][16], rows[2][3], rows[2][16]) = (id1.clone(), tel1.clone(), id2.clone(), tel2.clone());
    std::fs::write(&csv_path, rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n")).unwrap();
    let id3 = id3.replace('X', "x");
    let ok = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    let out = tempdir("privacy-table-out");
    assert_eq!(run(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]).code, 0);
    let zip = std::fs::read(output(&out, "zip")).unwrap();
    let bag_roster = zip_entries(&zip).into_iter().find(|(n, _)| n.contains("/data/培训人员名单/")).unwrap().1;
    let bag_roster = String::from_utf8(bag_roster).unwrap();
    for full in [&id1, &tel1, &id2, &tel2, &id3] {
        assert!(bag_roster.contains(full.as_str()), "the bag carries {full} in full");
    }
    let pdf_text = flat(&pdf_pages(&output(&out, "pdf")).concat());
    let docx = std::fs::read(output(&out, "docx")).unwrap();
    let body = String::from_utf8(zip_entries(&docx).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1).unwrap();
    for (name, shown) in [("PDF", &pdf_text), ("DOCX", &body)] {
        // The 申报表's 负责人 row: the legal representative's own mobile, in full.
        assert!(shown.contains("13904262187"), "{name}: the applicant's mobile in full");
        assert!(full_ids(shown).is_empty(), "{name}: no ID number printed");
        for full in [&tel1, &tel2] {
            assert!(!shown.contains(full.as_str()), "{name}: trainee phone {full} printed");
        }
    }

    // The bureau's side: the same trainees subsidised through two submissions, so verify's
    // findings quote their IDs.
    let twin = tempdir("privacy-table-twin");
    copy_dir(&dir, &twin);
    let yaml = std::fs::read_to_string(twin.join("dossier.yaml")).unwrap().replacen("实训面积1100余平方米", "实训面积1300余平方米", 1);
    std::fs::write(twin.join("dossier.yaml"), yaml).unwrap();
    let out2 = tempdir("privacy-table-out2");
    assert_eq!(run(&["build", twin.to_str().unwrap(), "-o", out2.to_str().unwrap()]).code, 0);
    let inbox = tempdir("privacy-table-inbox");
    std::fs::copy(output(&out, "zip"), inbox.join("a.zip")).unwrap();
    std::fs::copy(output(&out2, "zip"), inbox.join("b.zip")).unwrap();
    let subsidised: Vec<String> = full_ids(&bag_roster).into_iter().collect();
    let files = tempdir("privacy-table-files");
    let (report, summary, export) = (files.join("report.html"), files.join("summary.xlsx"), files.join("roster.xlsx"));
    let mut shown = Vec::new();
    for format in ["text", "json", "sarif", "junit", "github"] {
        let mut args = vec!["verify", "--no-render", "--format", format];
        if format == "json" {
            args.extend(["--report", report.to_str().unwrap(), "--summary", summary.to_str().unwrap(), "--roster-export", export.to_str().unwrap()]);
        }
        args.push(inbox.to_str().unwrap());
        let r = run(&args);
        assert_eq!(r.code, 1, "{format}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains("batch.subsidised-twice"), "{format}: {}", r.stdout);
        shown.push((format.to_owned(), r.stdout + &r.stderr));
    }
    shown.push(("html".to_owned(), std::fs::read_to_string(&report).unwrap()));
    for (format, text) in &shown {
        assert!(text.contains(&format!("{}********{}", &id1[..6], &id1[14..])) || text.contains("********"), "{format}: a masked ID shown");
        for full in subsidised.iter().chain([&tel1, &tel2]) {
            assert!(!text.contains(full.as_str()), "{format}: {full} shown in full");
        }
    }
    // The bureau's own files: in full, mode 0600.
    let summary_text = xlsx_strings(&summary);
    assert!(summary_text.contains("15840933271"), "the summary holds the contact's mobile in full");
    let export_text = xlsx_strings(&export);
    for full in [&id1, &id2, &id3, &tel1] {
        assert!(export_text.contains(full.as_str()), "the roster export holds {full} in full");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [&summary, &export] {
            assert_eq!(std::fs::metadata(p).unwrap().permissions().mode() & 0o777, 0o600, "{}", p.display());
        }
    }
}
