//! `dossier verify`: built submissions are accepted, tampered and hostile ones returned,
//! hand-made zips checked by file name; nothing is written; directories are walked.

use crate::common::*;

use std::io::Write;
use std::path::{Path, PathBuf};

fn built(fixture: &str, inbox: &Path) -> PathBuf {
    let zip = output(&built_fixture(fixture), "zip");
    let target = inbox.join(zip.file_name().unwrap());
    std::fs::copy(&zip, &target).unwrap();
    target
}

fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out: Vec<(PathBuf, u64)> = walk(dir);
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<(PathBuf, u64)> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { walk(&p) } else { vec![(p.clone(), std::fs::metadata(&p).unwrap().len())] }
        })
        .collect()
}

fn verdicts(out: &Run) -> Vec<(String, String)> {
    let json = out.json();
    let reports: Vec<serde_json::Value> = match json.get("dossiers") {
        Some(d) => d.as_array().unwrap().clone(),
        None => vec![json],
    };
    reports
        .iter()
        .map(|r| (Path::new(r["dossier"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned(), r["verdict"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn a_batch_gets_its_verdicts_and_nothing_is_written() {
    let inbox = tempdir("verify-inbox");
    let district = built("dalian-2023-district", &inbox);
    built("liaoning-2024-enterprise", &inbox);
    // Hostile, hand-made and tampered submissions in a subfolder: directories are walked.
    std::fs::create_dir_all(inbox.join("sub")).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(inbox.join("sub/evil.zip")).unwrap());
    zip.start_file("../../etc/cron.d/x", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"x").unwrap();
    zip.finish().unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(inbox.join("sub/handmade.zip")).unwrap());
    for name in ["材料/大连市职业技能培训品牌申报表.docx", "材料/营业执照.pdf"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"x").unwrap();
    }
    zip.finish().unwrap();
    // Tampered: one payload byte changed after bagging (the manifest no longer matches).
    let mut source = zip::ZipArchive::new(std::fs::File::open(&district).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(inbox.join("sub/tampered.zip")).unwrap());
    for i in 0..source.len() {
        let mut f = source.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut content).unwrap();
        if name.ends_with("data/dossier.yaml") {
            content = String::from_utf8(content).unwrap().replacen("trainees: 318", "trainees: 381", 1).into_bytes();
        }
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&content).unwrap();
    }
    zip.finish().unwrap();

    let before = listing(&inbox);
    let out = run(&["verify", "--format", "json", inbox.to_str().unwrap()]);
    assert_eq!(listing(&inbox), before, "verify wrote nothing");
    assert_eq!(out.code, 1, "returned submissions make exit 1");
    let got = verdicts(&out);
    let verdict = |name: &str| got.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{name}: {got:?}"));
    assert_eq!(verdict(&district.file_name().unwrap().to_string_lossy()), "受理");
    assert_eq!(verdict("海星船舶焊工.zip"), "受理");
    assert_eq!(verdict("evil.zip"), "退回");
    // No 评估表: a missing required material is 退回.
    assert_eq!(verdict("handmade.zip"), "退回");
    assert_eq!(verdict("tampered.zip"), "退回");
    let json = out.json();
    let tampered = json["dossiers"].as_array().unwrap().iter().find(|r| r["dossier"].as_str().unwrap().ends_with("tampered.zip")).unwrap();
    let rules: Vec<&str> = tampered["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"bag.invalid"), "{rules:?}");
    let handmade = json["dossiers"].as_array().unwrap().iter().find(|r| r["dossier"].as_str().unwrap().ends_with("handmade.zip")).unwrap();
    let missing: Vec<&str> = handmade["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "zip.material-missing").map(|f| f["message"].as_str().unwrap()).collect();
    assert!(missing.iter().any(|m| m.contains("评估表")) && !missing.iter().any(|m| m.contains("申报表")), "{missing:?}");
    // The text report ends each submission with its verdict.
    let text = run(&["verify", district.to_str().unwrap()]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("：受理"), "{}", text.stdout);
}

#[test]
fn liaoning_batch_rules_across_one_citys_submissions() {
    let inbox = tempdir("verify-batch");
    built("liaoning-2024-enterprise", &inbox);
    // A second Huludao enterprise brand training the same occupation.
    let second = tempdir("verify-batch-src");
    copy_dir(&root().join("fixtures/liaoning-2024-enterprise"), &second);
    let yaml = std::fs::read_to_string(second.join("dossier.yaml")).unwrap().replace("name: 海星船舶焊工", "name: 海星船舶电焊工");
    std::fs::write(second.join("dossier.yaml"), yaml).unwrap();
    let out = tempdir("verify-batch-out2");
    assert_eq!(run(&["build", second.to_str().unwrap(), "-o", out.to_str().unwrap()]).code, 0);
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "zip") {
            std::fs::copy(&p, inbox.join(p.file_name().unwrap())).unwrap();
        }
    }
    let r = run(&["verify", "--format", "json", inbox.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let json = r.json();
    for d in json["dossiers"].as_array().unwrap() {
        let rules: Vec<&str> = d["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert!(rules.contains(&"liaoning-2024.batch.distinct-types"), "{rules:?}");
        assert!(rules.contains(&"liaoning-2024.batch.homogeneous"), "{rules:?}");
        assert_eq!(d["verdict"], "退回");
        // A batch rule that ran reports its verdict, never not_applicable.
        for rule in ["liaoning-2024.batch.distinct-types", "liaoning-2024.batch.homogeneous"] {
            let o = d["outcomes"].as_array().unwrap().iter().find(|o| o["rule"] == rule).expect(rule);
            assert_eq!(o["status"], "fail", "{rule}: {o}");
        }
    }
    // Each submission alone is accepted, and its batch rules pass.
    let alone = run(&["verify", "--format", "json", std::fs::read_dir(&inbox).unwrap().next().unwrap().unwrap().path().to_str().unwrap()]);
    assert_eq!(alone.code, 0, "{}", alone.stdout);
    let d = &alone.json();
    for rule in ["liaoning-2024.batch.distinct-types", "liaoning-2024.batch.homogeneous"] {
        let o = d["outcomes"].as_array().unwrap().iter().find(|o| o["rule"] == rule).expect(rule);
        assert_eq!(o["status"], "pass", "{rule}: {o}");
    }
}

#[test]
fn the_summary_ranks_submissions_by_score_in_csv_and_xlsx() {
    let inbox = tempdir("verify-summary");
    built("dalian-2023-district", &inbox);
    built("dalian-2023-city", &inbox);
    let csv = inbox.join("汇总.csv");
    let xlsx = tempdir("verify-summary-x").join("汇总.xlsx");
    assert_eq!(run(&["verify", inbox.to_str().unwrap(), "--summary", csv.to_str().unwrap()]).code, 0);
    assert_eq!(run(&["verify", inbox.to_str().unwrap(), "--summary", xlsx.to_str().unwrap()]).code, 0);
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("审核意见") && lines[0].contains("评估得分"));
    assert_eq!(lines.len(), 3);
    // The city fixture scores higher than the district one, so it ranks first.
    assert!(lines[1].starts_with("1,金桥职校焊工.zip") && lines[2].starts_with("2,春晖家政育婴师.zip"), "{text}");
    // The XLSX reads back with the same rows.
    let table = dossier::load::roster::read(&xlsx, None).expect("xlsx readable");
    assert_eq!(table.rows.len(), 2);
    // The same batch gives the same bytes at the same SOURCE_DATE_EPOCH, a second apart.
    let again = |name: &str| {
        let path = xlsx.with_file_name(name);
        let out = bin().args(["verify", inbox.to_str().unwrap(), "--summary", path.to_str().unwrap()]).env("SOURCE_DATE_EPOCH", "1700000000").output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        std::fs::read(path).unwrap()
    };
    let first = again("a.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(first == again("b.xlsx"), "the summary XLSX is reproducible");
}

#[test]
fn the_html_report_is_self_contained_ranked_and_reproducible() {
    let inbox = tempdir("verify-report");
    built("dalian-2023-district", &inbox);
    built("dalian-2023-city", &inbox);
    let out = tempdir("verify-report-out");
    let html_at = |name: &str| {
        let path = out.join(name);
        let status = bin()
            .current_dir(root())
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .args([
                "verify",
                inbox.to_str().unwrap(),
                "--report",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(
            status.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        std::fs::read_to_string(path).unwrap()
    };
    let html = html_at("a.html");
    assert_eq!(
        html,
        html_at("b.html"),
        "same batch, same SOURCE_DATE_EPOCH, same bytes"
    );
    // 1790000000 is 2026-09-21 in China.
    assert!(
        html.contains("审核日期：2026年9月21日"),
        "review date from SOURCE_DATE_EPOCH"
    );
    // Self-contained: no scripts, no links to fetch; the one URL is the SVG namespace.
    for banned in ["<script", "<link", "src=", "@import", "url("] {
        assert!(!html.contains(banned), "{banned}");
    }
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    // Ranked by score: the city dossier (86) before the district one (78), in the table and cards.
    let city = html
        .find("1. 大连市甘井子区金桥职业培训学校")
        .expect("city card first");
    let district = html
        .find("2. 大连春晖家政服务有限公司")
        .expect("district card second");
    assert!(city < district);
    // Three charts (score, pass rate, employment rate), the rates with their threshold marks.
    assert_eq!(html.matches("<svg").count(), 3);
    assert_eq!(
        html.matches(r#"class="mark""#).count(),
        4,
        "one mark per submission in each rate chart"
    );
    // Scorecards: threshold rows with their clause, the score items, the verdict.
    assert!(
        html.contains("区级：培训合格率超过80%")
            && html.contains("《大连市培育建设职业技能培训品牌实施方案（试行）》三、（三）")
    );
    assert!(html.contains("评估表（附件2）：86 分"), "score heading");
    assert_eq!(
        html.matches(r#"<span class="pill ok">受理</span>"#).count(),
        1 + 2 + 2,
        "tile, table rows and cards"
    );
    // Personal data stays masked.
    assert!(
        !html
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|t| t.len() == 18 && t[..17].bytes().all(|b| b.is_ascii_digit()))
    );
}

#[test]
fn no_render_skips_the_comparison_and_says_so() {
    let inbox = tempdir("verify-no-render");
    built("dalian-2023-district", &inbox);
    let r = run(&[
        "verify",
        "--no-render",
        "--format",
        "json",
        inbox.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0);
    let json = r.json();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["bag.rendering-unchecked"]);
    assert_eq!(json["verdict"], "受理但有提示");
}

#[test]
fn the_summary_is_the_bureaus_sortable_file() {
    let inbox = tempdir("verify-summary-cols");
    built("dalian-2023-district", &inbox);
    let xlsx = tempdir("verify-summary-cols-x").join("汇总.xlsx");
    assert_eq!(run(&["verify", "--no-render", inbox.to_str().unwrap(), "--summary", xlsx.to_str().unwrap()]).code, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&xlsx).unwrap().permissions().mode() & 0o777, 0o600, "the bureau's own file");
    }
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("审核汇总").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {header:?}"));
    let row: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    assert!(matches!(row[col("合格率")], Data::Float(v) if *v > 0.9 && *v < 1.0), "a number, not text: {:?}", row[col("合格率")]);
    assert!(matches!(row[col("就业率")], Data::Float(_)), "{:?}", row[col("就业率")]);
    assert_eq!(row[col("统一社会信用代码")].to_string(), "912102045598043258");
    assert_eq!(row[col("联系人")].to_string(), "王冬梅");
    assert_eq!(row[col("联系电话")].to_string(), "15840933271", "in full: the bureau's own file");
    assert_eq!(row[col("层级")].to_string(), "区级", "by name, not the code district");
    assert!(row[col("原因")].to_string().contains("未重新生成"), "{:?}", row[col("原因")]);
    assert!(matches!(row[col("问题数")], Data::Float(n) if *n >= 1.0));
    let parts = zip_entries(&std::fs::read(&xlsx).unwrap());
    let part = |name: &str| String::from_utf8(parts.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap();
    assert!(part("xl/worksheets/sheet1.xml").contains("<autoFilter"), "autofilter");
    assert!(part("xl/styles.xml").contains("0.0%"), "percent format");
}
