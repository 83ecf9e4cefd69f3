//! A hand-made submission read in substance (issue 14): its roster through check's reader
//! and audits, its 申报表 DOCX by the labels of its table, the figures against the pack's
//! thresholds and against what the roster counts.

use crate::common::*;

use docx_rs::{Docx, Paragraph, Run as DocRun, Table, TableCell, TableRow};

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(DocRun::new().add_text(text)))
}

/// Dalian 附件1 as an applicant fills in the bureau's Word form, with the figures given.
fn application_form(figures: [&str; 7]) -> Vec<u8> {
    let [trainees, pass, subsidised, order, y2021, y2022, tier] = figures;
    let row = |cells: &[&str]| TableRow::new(cells.iter().map(|c| cell(c)).collect());
    let table = Table::new(vec![
        row(&["申报类型", tier, "建设单位", ""]),
        row(&["负 责 人", "李明", "手机", "13700098416"]),
        row(&["培训规模质量情况", "培训人数", "培训合格率", ""]),
        row(&["", "2021年-2022年", "2021年-2022年", ""]),
        row(&["", trainees, pass, ""]),
        row(&["", "享受职业培训补贴人数", "订单、定岗、定向式。培训比例", ""]),
        row(&["", "2021年-2022年", "2021年-2022年", ""]),
        row(&["", subsidised, order, ""]),
        row(&["培训后就业创业率", "2021年", "2022年", ""]),
        row(&["", y2021, y2022, ""]),
    ]);
    let mut out = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(Paragraph::new().add_run(DocRun::new().add_text("大连市职业技能培训品牌申报表")))
        .add_table(table)
        .build()
        .pack(&mut out)
        .unwrap();
    out.into_inner()
}

/// A complete hand-made Dalian zip: every required material by name, the district fixture's
/// roster (674 trainees), and the form.
fn hand_made(dir: &std::path::Path, name: &str, form: Vec<u8>) -> std::path::PathBuf {
    let roster = std::fs::read(root().join("fixtures/dalian-2023-district/rosters/培训人员名单.csv")).unwrap();
    let files: Vec<(String, Vec<u8>)> = vec![
        ("金石职校/申请报告.pdf".into(), b"x".to_vec()),
        ("金石职校/大连市职业技能培训品牌申报表.docx".into(), form),
        ("金石职校/评估表.pdf".into(), b"x".to_vec()),
        ("金石职校/营业执照.pdf".into(), b"x".to_vec()),
        ("金石职校/培训人员名单.csv".into(), roster),
    ];
    let path = dir.join(name);
    std::fs::write(&path, zip_of(&files)).unwrap();
    path
}

fn verify(zip: &std::path::Path) -> serde_json::Value {
    let r = run(&["verify", "--format", "json", zip.to_str().unwrap()]);
    r.json()
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_hand_made_form_is_read_by_its_labels_and_checked_against_the_roster_and_thresholds() {
    let dir = tempdir("substance");
    // The figures the roster gives (check on the district fixture: 674, 91.25%, 381, 63.35%,
    // 82.39%, 84.55%), written as applicants write them.
    let right = hand_made(&dir, "right.zip", application_form(["674人", "91.25%", "381", "63.35%", "82.39%", "84.55%", "区级"]));
    let report = verify(&right);
    assert_eq!(report["verdict"], "需人工审核", "{:?}", rules(&report));
    let figures = report["figures"].as_array().expect("figures read");
    let read: Vec<(String, Option<i64>, f64, Option<f64>)> = figures
        .iter()
        .map(|f| (f["measure"].as_str().unwrap().to_owned(), f["year"].as_i64(), f["value"].as_f64().unwrap(), f["roster"].as_f64()))
        .collect();
    assert_eq!(read.len(), 6, "{read:?}");
    assert_eq!(read[0], ("trainees".into(), None, 674.0, Some(674.0)));
    assert_eq!((read[1].0.as_str(), read[1].2), ("pass_rate", 91.25));
    assert_eq!((read[2].0.as_str(), read[2].2, read[2].3), ("subsidised", 381.0, Some(381.0)));
    assert_eq!((read[4].1, read[4].2), (Some(2021), 82.39));
    assert_eq!((read[5].1, read[5].2), (Some(2022), 84.55));
    assert!(figures.iter().all(|f| f["file"].as_str().unwrap().ends_with("大连市职业技能培训品牌申报表.docx")), "each figure names its file");
    // The text report shows them.
    let text = run(&["verify", right.to_str().unwrap()]).stdout;
    assert!(text.contains("表中数据（按标签读取）") && text.contains("培训人数：674 人"), "{text}");
    // And the bureau's HTML report.
    let html = dir.join("report.html");
    let r = run(&["verify", "--report", html.to_str().unwrap(), right.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("表中数据（按标签读取）") && page.contains("<td>674 人</td><td>674 人</td>"), "the figures in the report");

    // An order share that the roster does not bear out, and below the district's 不低于50%.
    let wrong = hand_made(&dir, "wrong.zip", application_form(["674", "91.25%", "381", "45%", "82.39%", "84.55%", "区级"]));
    let report = verify(&wrong);
    assert_eq!(report["verdict"], "退回", "{:?}", rules(&report));
    let found = rules(&report);
    assert!(found.contains(&"zip.form-roster-mismatch".to_owned()), "{found:?}");
    let share = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dalian-2023.district.order-share").expect("the threshold rule");
    assert_eq!(share["severity"], "error");
    assert!(share["message"].as_str().unwrap().contains("45%"), "{share}");
    assert_eq!(share["citation"]["clause"], "三、（三）2", "{share}");

    // The tier unknown: a tier's threshold the figure fails is an advisory naming the tier.
    let untiered = hand_made(&dir, "untiered.zip", application_form(["674", "91.25%", "381", "63.35%", "82.39%", "84.55%", ""]));
    let report = verify(&untiered);
    let city = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dalian-2023.city.trainees").expect("the city's 超过1000人");
    assert_eq!(city["severity"], "warning");
    assert!(city["message"].as_str().unwrap().contains("若按市级申报"), "{city}");
    assert_eq!(report["verdict"], "需人工审核", "{:?}", rules(&report));

    // A roster row whose ID fails its checksum is found at its cell, as check finds it.
    let roster = std::fs::read(root().join("fixtures/dalian-2023-district/rosters/培训人员名单.csv")).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&roster);
    let first_id = text.lines().nth(1).unwrap().split(',').nth(3).unwrap().to_owned();
    let broken_id = format!("{}{}", &first_id[..17], if first_id.ends_with('1') { '2' } else { '1' });
    let broken = text.replacen(&first_id, &broken_id, 1);
    let files: Vec<(String, Vec<u8>)> = vec![
        ("金石职校/申请报告.pdf".into(), b"x".to_vec()),
        ("金石职校/申报表.docx".into(), application_form(["674", "91.25%", "381", "63.35%", "82.39%", "84.55%", "区级"])),
        ("金石职校/评估表.pdf".into(), b"x".to_vec()),
        ("金石职校/营业执照.pdf".into(), b"x".to_vec()),
        ("金石职校/培训人员名单.csv".into(), broken.into_bytes()),
    ];
    let path = dir.join("broken-id.zip");
    std::fs::write(&path, zip_of(&files)).unwrap();
    let report = verify(&path);
    let id = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "roster.id-number").expect("the checksum");
    assert_eq!(id["cell"], "D2", "{id}");
    assert!(id["file"].as_str().unwrap().ends_with("培训人员名单.csv"), "{id}");
    assert_eq!(report["verdict"], "退回");
}

#[test]
fn a_liaoning_form_is_read_per_year_and_open_thresholds_are_advisories() {
    let dir = tempdir("substance-liaoning");
    let row = |cells: &[&str]| TableRow::new(cells.iter().map(|c| cell(c)).collect());
    let table = Table::new(vec![
        row(&["培训情况", "年份", "2022 年", "2023 年"]),
        row(&["", "培训人数", "1,200", "900"]),
        row(&["", "培训合格率", "92%", "79.5%"]),
        row(&["", "培训后就业率", "66%", "70%"]),
    ]);
    let mut form = std::io::Cursor::new(Vec::new());
    Docx::new().add_table(table).build().pack(&mut form).unwrap();
    let files: Vec<(String, Vec<u8>)> = vec![
        ("沈阳焊工/沈阳市人社局推荐报告.pdf".into(), b"x".to_vec()),
        ("沈阳焊工/辽宁省职业技能培训品牌申报表.docx".into(), form.into_inner()),
        ("沈阳焊工/依托单位工作情况.docx".into(), b"x".to_vec()),
        ("沈阳焊工/就业跟踪情况表.xlsx".into(), b"x".to_vec()),
    ];
    let path = dir.join("liaoning.zip");
    std::fs::write(&path, zip_of(&files)).unwrap();
    let report = verify(&path);
    assert_eq!(report["policy"]["id"], "liaoning-2024");
    let figures: Vec<(String, i64, f64)> = report["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .map(|f| (f["measure"].as_str().unwrap().to_owned(), f["year"].as_i64().unwrap(), f["value"].as_f64().unwrap()))
        .collect();
    assert_eq!(
        figures,
        [("trainees", 2022, 1200.0), ("trainees", 2023, 900.0), ("pass_rate", 2022, 92.0), ("pass_rate", 2023, 79.5), ("employment_rate_6m", 2022, 66.0), ("employment_rate_6m", 2023, 70.0)]
            .map(|(m, y, v)| (m.to_owned(), y, v))
    );
    // The brand type is not named, so each type's threshold the figures miss is an advisory
    // naming the type and the year.
    let findings = report["findings"].as_array().unwrap();
    let industry = findings.iter().find(|f| f["message"].as_str().unwrap().contains("2023年 900")).expect("900 trainees in 2023 short of a type's minimum");
    assert_eq!(industry["severity"], "warning", "{industry}");
    assert!(findings.iter().any(|f| f["message"].as_str().unwrap().contains("2023年 79.5%")), "{findings:?}");
    assert!(!findings.iter().any(|f| f["message"].as_str().unwrap().contains("2022年 1200") && f["rule"].as_str().unwrap().contains("pass")), "{findings:?}");
}
