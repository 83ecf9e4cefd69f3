//! Rosters: every format institutions send, row checks at their cells, figures derived and
//! cross-checked, the subsidy audits of both subsidy documents, and masking.

use crate::common::*;

use std::path::{Path, PathBuf};

const HEADER: &str = "序号,姓名,身份证号码,人员类别,培训职业（工种）,等级,培训类型,培训起止日期,课时,证书编号,是否享受补贴,补贴金额（元）,培训方式,就业日期,联系电话";

fn id(region: &str, birth: &str, seq: u32) -> String {
    valid_id(region, birth, seq)
}

/// A copy of a fixture whose roster is replaced by `name` with `bytes`.
fn with_roster(fixture: &str, case: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = tempdir(&format!("roster-{case}"));
    copy_dir(&root().join("fixtures").join(fixture), &dir);
    for old in std::fs::read_dir(dir.join("rosters")).unwrap() {
        std::fs::remove_file(old.unwrap().path()).unwrap();
    }
    std::fs::write(dir.join("rosters").join(name), bytes).unwrap();
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    let start = yaml.find("  rosters:\n").unwrap();
    let end = start + yaml[start..].find("\n\n").unwrap();
    let yaml = format!("{}  rosters:\n    - file: rosters/{name}{}", &yaml[..start], &yaml[end..]);
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    dir
}

fn csv(rows: &[String]) -> Vec<u8> {
    format!("{HEADER}\n{}\n", rows.join("\n")).into_bytes()
}

#[allow(clippy::too_many_arguments, reason = "one argument per roster column the tests vary")]
fn row(n: u32, id: &str, group: &str, occupation: &str, level: &str, kind: &str, period: &str, hours: u32, subsidised: &str, amount: &str) -> String {
    format!("{n},学员{n},{id},{group},{occupation},{level},{kind},{period},{hours},C{n},{subsidised},{amount},订单式培训,,13800000000")
}

/// With `--lang en`, no Chinese outside “ ” quotes (quoted cells and pack names) in any finding's
/// message or hint, nor in the outcomes' actual values.
fn english_only(dir: &Path) {
    let is_cjk = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}');
    let unquoted = |s: &str| {
        let mut depth = 0usize;
        s.chars()
            .filter(|c| match c {
                '“' => {
                    depth += 1;
                    false
                }
                '”' => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => depth == 0,
            })
            .collect::<String>()
    };
    let r = run(&["check", "--lang", "en", "--format", "json", dir.to_str().unwrap()]).json();
    let mut texts: Vec<String> = Vec::new();
    for f in r["findings"].as_array().unwrap() {
        texts.extend(["message", "hint"].iter().filter_map(|k| f[*k].as_str().map(str::to_owned)));
    }
    for o in r["outcomes"].as_array().unwrap() {
        texts.extend(o["actual"].as_str().map(str::to_owned));
    }
    for t in texts {
        assert!(!unquoted(&t).chars().any(is_cjk), "Chinese outside quotes with --lang en: {t}");
    }
}

fn report(dir: &Path) -> serde_json::Value {
    check_json(dir).json()
}

fn has(report: &serde_json::Value, rule: &str, cell: &str) -> bool {
    report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == rule && f["cell"].as_str().is_some_and(|c| c == cell))
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| format!("{}@{}", f["rule"].as_str().unwrap(), f["cell"].as_str().unwrap_or(""))).collect()
}

#[test]
fn fixture_rosters_in_four_formats_agree_with_the_declared_figures() {
    // XLSX, GBK CSV, UTF-8-BOM CSV, XLSX with a title row: each checks clean and is "both".
    for name in ["dalian-2023-city", "dalian-2023-district", "liaoning-2024-enterprise", "inner-mongolia-2022-region"] {
        let r = report(&root().join("fixtures").join(name));
        assert_eq!(r["ok"], true, "{name}: {:?}", rules(&r));
        assert_eq!(r["metrics"]["trainees.total"]["source"].as_str().or(r["metrics"]["trainees.each_year"]["source"].as_str()), Some("both"), "{name}");
        let roster_rules: Vec<_> = r["outcomes"].as_array().unwrap().iter().filter(|o| o["kind"] == "roster").collect();
        assert!(!roster_rules.is_empty() && roster_rules.iter().all(|o| o["status"] == "pass"), "{name}: {roster_rules:?}");
    }
}

#[test]
fn row_checks_name_sheet_row_and_column() {
    let good = id("210204", "19900101", 12);
    let mut bad_check = id("210204", "19900101", 14);
    bad_check.replace_range(17..18, if bad_check.ends_with('1') { "2" } else { "1" });
    let child = id("210204", "20100101", 16);
    let rows = vec![
        row(1, &good, "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(2, &bad_check, "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(3, "1.10105E+17", "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(4, "210204199001010000", "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(5, &child, "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(6, &good, "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-03-01至2022-04-15", 120, "否", ""),
        row(7, &id("210204", "19880202", 18), "城镇登记失业人员", "焊工", "四级", "就业技能培训", "2022-05-01至2022-04-15", 120, "否", ""),
        row(8, &id("210204", "19880202", 20), "城镇登记失业人员", "焊工", "四级", "就业技能培训", "二〇二二年春", 120, "否", ""),
        "9,示例：张三,11010519491231002X,,焊工,四级,,2022-03-01至2022-04-15,120,,否,,,,".to_owned(),
    ];
    let mut bytes = csv(&rows);
    // An extra, unknown column.
    bytes = String::from_utf8(bytes).unwrap().replacen("联系电话", "联系电话,籍贯", 1).into_bytes();
    let dir = with_roster("dalian-2023-district", "rows", "名单.csv", &bytes);
    let r = report(&dir);
    for (rule, cell) in [
        ("roster.id-number", "C3"),
        ("roster.id-as-number", "C4"),
        ("roster.id-as-number", "C5"),
        ("roster.age", "C6"),
        ("roster.duplicate-row", "C7"),
        ("roster.date-order", "H8"),
        ("roster.date", "H9"),
        ("roster.example-row", "B10"),
        ("roster.unknown-column", "P1"),
    ] {
        assert!(has(&r, rule, cell), "{rule} at {cell}: {:?}", rules(&r));
    }
    // Nothing personal in the output beyond the masked form.
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains(&good) && !text.contains(&bad_check), "unmasked ID in output");
    let file = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "roster.id-number").unwrap();
    assert!(file["file"].as_str().unwrap().ends_with("rosters/名单.csv") && file["line"] == 3 && file["column"] == 3);
    let unmasked = run(&["check", "--format", "json", "--unmasked", dir.to_str().unwrap()]).json();
    assert_eq!(unmasked["unmasked"], true);
    assert!(serde_json::to_string(&unmasked).unwrap().contains(&bad_check));
    // Text output: sheet!cell, no source excerpt from dossier.yaml.
    let out = run(&["check", dir.to_str().unwrap()]).stdout;
    assert!(out.contains("rosters/名单.csv:C3"), "{out}");
    english_only(&dir);
}

#[test]
fn a_missing_column_is_an_error_and_gbk_is_read() {
    let body = "姓名,身份证号,人员类别,等级\n李四,110105194912310021,农村劳动者,四级\n";
    let gbk: Vec<u8> = encoding_gbk(body);
    let dir = with_roster("dalian-2023-district", "missing-col", "名单.csv", &gbk);
    let r = report(&dir);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "roster.missing-column").expect("missing column");
    assert!(f["message"].as_str().unwrap().contains("培训职业"), "{f}");
    assert!(has(&r, "roster.id-number", "B2"), "GBK decoded and checked: {:?}", rules(&r));
    english_only(&dir);
}

fn encoding_gbk(s: &str) -> Vec<u8> {
    // GB18030 for the handful of characters used here, via the library the tool itself uses.
    let (bytes, _, _) = encoding_rs::GB18030.encode(s);
    bytes.into_owned()
}

#[test]
fn xlsx_id_numbers_stored_as_numbers_are_caught() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("名单").unwrap();
    for (c, h) in ["姓名", "身份证号", "培训职业（工种）", "等级", "培训起止日期"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "王五").unwrap();
    sheet.write_number(1, 1, 110105194912310021.0).unwrap();
    sheet.write_string(1, 2, "焊工").unwrap();
    sheet.write_string(1, 3, "四级").unwrap();
    sheet.write_string(1, 4, "2022-03-01至2022-04-15").unwrap();
    let dir = with_roster("dalian-2023-district", "xlsx-number", "名单.xlsx", &book.save_to_buffer().unwrap());
    let r = report(&dir);
    assert!(has(&r, "roster.id-as-number", "名单!B2"), "{:?}", rules(&r));
    english_only(&dir);
}

#[test]
fn declared_figures_that_disagree_with_the_roster_block() {
    let rows = vec![row(1, &id("210204", "19900101", 12), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000")];
    let dir = with_roster("dalian-2023-district", "mismatch", "名单.csv", &csv(&rows));
    let r = report(&dir);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dalian-2023.roster.consistency").expect("mismatch");
    assert_eq!(f["severity"], "error");
    let msg = f["message"].as_str().unwrap();
    assert!(msg.contains("申报") && msg.contains("名单统计 1 人"), "{msg}");
    assert!(f["pointer"].as_str().unwrap().starts_with("/training/years/"));
    assert!(r["metrics"]["trainees.total"]["source"] == "both");
    english_only(&dir);
}

#[test]
fn dalian_2011_subsidy_audits() {
    let a = id("210204", "19900101", 12);
    let b = id("210204", "19910101", 14);
    let c = id("210204", "19920101", 16);
    let d = id("210204", "19930101", 18);
    let rows = vec![
        // a: two subsidies in one year.
        row(1, &a, "农村劳动者", "焊工", "五级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000"),
        row(2, &a, "农村劳动者", "电工", "五级", "就业技能培训", "2021-06-01至2021-07-15", 120, "是", "1000"),
        // b: three initial occupations over two years, and an upgrade outside them.
        row(3, &b, "农村劳动者", "焊工", "五级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000"),
        row(4, &b, "农村劳动者", "电工", "五级", "就业技能培训", "2022-03-01至2022-04-15", 120, "是", "1000"),
        row(5, &b, "农村劳动者", "钳工", "五级", "就业技能培训", "2023-03-01至2023-04-15", 120, "是", "1000"),
        row(6, &b, "农村劳动者", "车工", "四级", "就业技能培训", "2024-03-01至2024-04-15", 120, "是", "1000"),
        // c: not an eligible group; entrepreneurship at 199 hours; then 200 hours is fine.
        row(7, &c, "企业在职职工", "焊工", "五级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000"),
        row(8, &c, "城镇登记失业人员", "创业培训", "培训合格", "创业培训", "2022-03-01至2022-06-15", 199, "是", "1000"),
        row(9, &d, "城镇登记失业人员", "创业培训", "培训合格", "创业培训", "2022-03-01至2022-06-15", 200, "是", "1000"),
        // d: a student subsidised twice.
        row(10, &d, "普通高校在校生", "电工", "五级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000"),
        row(11, &d, "普通高校在校生", "焊工", "五级", "就业技能培训", "2023-03-01至2023-04-15", 120, "是", "1000"),
        // e: in none of the listed groups: an advisory, 二、（一） being a priority list.
        row(12, &id("210204", "19940101", 20), "个体经营者", "焊工", "五级", "就业技能培训", "2021-03-01至2021-04-15", 120, "是", "1000"),
    ];
    let dir = with_roster("dalian-2023-district", "dalian-2011", "名单.csv", &csv(&rows));
    let r = report(&dir);
    for (rule, cell) in [
        ("dalian-2011.subsidy.once-per-year", "K3"),
        ("dalian-2011.subsidy.occupations", "E6"),
        ("dalian-2011.subsidy.occupations", "E7"),
        ("dalian-2011.subsidy.groups", "D13"),
        ("dalian-2011.entrepreneurship.hours", "I9"),
        ("dalian-2011.student.once", "K12"),
    ] {
        assert!(has(&r, rule, cell), "{rule} at {cell}: {:?}", rules(&r));
    }
    assert!(!has(&r, "dalian-2011.entrepreneurship.hours", "I10"), "200 class hours is 不低于200");
    // 二、（二）4 subsidises enterprise employees (through the enterprise): row 7 is not blocked.
    assert!(!has(&r, "dalian-2011.subsidy.groups", "D8"), "a subsidised 企业在职职工 is eligible: {:?}", rules(&r));
    let g = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dalian-2011.subsidy.groups").unwrap();
    assert_eq!(g["severity"], "warning", "二、（一） is a priority list, not a limit");
    assert!(g["message"].as_str().unwrap().contains("重点对象而非限定"), "{}", g["message"]);
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "dalian-2011.subsidy.once-per-year").unwrap();
    assert_eq!(f["citation"]["seed"], "002_2b83dbca0160a92b.txt");
    english_only(&dir);
}

#[test]
fn huludao_2019_subsidy_audits() {
    let a = id("211403", "19900101", 12);
    let b = id("211403", "19910101", 14);
    let t = "岗位技能提升培训";
    let rows = vec![
        // a: three subsidies in 2022 is the limit (不超过3次); a fourth is not.
        row(1, &a, "企业职工", "焊工", "五级", t, "2022-01-05至2022-02-15", 120, "是", "1500"),
        row(2, &a, "企业职工", "电工", "五级", t, "2022-03-05至2022-04-15", 120, "是", "1500"),
        row(3, &a, "企业职工", "钳工", "五级", t, "2022-05-05至2022-06-15", 120, "是", "1500"),
        row(4, &a, "企业职工", "车工", "五级", t, "2022-07-05至2022-08-15", 120, "是", "1500"),
        // b: same occupation and level twice; a wrong amount; an apprenticeship at its rate.
        row(5, &b, "企业职工", "焊工", "四级", t, "2022-01-05至2022-02-15", 120, "是", "2000"),
        row(6, &b, "企业职工", "焊工", "四级", t, "2023-01-05至2023-02-15", 120, "是", "2000"),
        row(7, &b, "企业职工", "电工", "三级", t, "2023-03-05至2023-04-15", 120, "是", "2600"),
        row(8, &b, "企业职工", "钳工", "四级", "企业新型学徒制", "2023-05-05至2023-12-15", 400, "是", "5000"),
    ];
    let dir = with_roster("liaoning-2024-enterprise", "huludao", "名单.csv", &csv(&rows));
    let r = report(&dir);
    for (rule, cell) in [("huludao-2019.subsidy.per-year", "K5"), ("huludao-2019.subsidy.no-repeat", "F7"), ("huludao-2019.subsidy.amounts", "L8")] {
        assert!(has(&r, rule, cell), "{rule} at {cell}: {:?}", rules(&r));
    }
    let found = |rule: &str| r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).count();
    assert_eq!(found("huludao-2019.subsidy.per-year"), 1, "three a year is allowed");
    assert_eq!(found("huludao-2019.subsidy.amounts"), 1, "1500/2000 and the apprenticeship 5000 are right");
    // Dalian's rules do not apply in Huludao.
    assert_eq!(found("dalian-2011.subsidy.once-per-year"), 0);
    english_only(&dir);
}

/// 004_… 二、（一）5 sets amounts by level only for enterprise employees' job-skill upgrading;
/// 下岗失业人员 fall under 二、（二）2 (the city's catalogue, not in the text): an 800 元 row is
/// not blocked, and one advisory asks for the catalogue check.
#[test]
fn huludao_amounts_apply_only_to_enterprise_upgrading() {
    let a = id("211403", "19900101", 12);
    let b = id("211403", "19910101", 14);
    let rows = vec![
        row(1, &a, "下岗失业人员", "焊工", "五级", "就业技能培训", "2022-01-05至2022-02-15", 120, "是", "800"),
        row(2, &b, "企业职工", "电工", "五级", "岗位技能提升培训", "2022-03-05至2022-04-15", 120, "是", "800"),
    ];
    let dir = with_roster("liaoning-2024-enterprise", "huludao-groups", "名单.csv", &csv(&rows));
    let r = report(&dir);
    let amounts: Vec<&serde_json::Value> =
        r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "huludao-2019.subsidy.amounts").collect();
    let errors: Vec<&str> = amounts.iter().filter(|f| f["severity"] == "error").map(|f| f["cell"].as_str().unwrap()).collect();
    assert_eq!(errors, ["L3"], "only the enterprise employee's 800 元 is against the 1500 元 schedule: {amounts:?}");
    let advisory = amounts.iter().find(|f| f["severity"] == "warning").expect("an advisory for the unemployed row");
    assert_eq!(advisory["cell"], "L2");
    let msg = advisory["message"].as_str().unwrap();
    assert!(msg.contains("二、（二）2") && msg.contains("市级政府补贴专业目录"), "{msg}");
    assert_eq!(advisory["citation"]["clause"], "二、（二）2");
    // With only the unemployed row, the audit passes.
    let dir = with_roster("liaoning-2024-enterprise", "huludao-unemployed", "名单.csv", &csv(&rows[..1]));
    let r = report(&dir);
    let outcome = r["outcomes"].as_array().unwrap().iter().find(|o| o["rule"] == "huludao-2019.subsidy.amounts").unwrap();
    assert_eq!(outcome["status"], "pass");
    assert!(!r["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "huludao-2019.subsidy.amounts" && f["severity"] == "error"));
    english_only(&dir);
}

/// GB 11643 4.1: the first six digits are a GB/T 2260 code. An impossible province is an
/// error; a code no revision listed is a warning (the real-name check decides); a current or
/// historical code passes, and so does GB 11643's own 1880 example.
#[test]
fn id_address_codes_in_the_roster() {
    let rows = vec![
        row(1, &id("000000", "19800101", 1), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
        row(2, &id("990101", "19800101", 2), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
        row(3, &id("210299", "19800101", 3), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
        row(4, &id("210222", "19800101", 4), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
        row(5, &id("210211", "19800101", 5), "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
        row(6, "440524188001010014", "农村劳动者", "育婴员", "四级", "就业技能培训", "2021-03-01至2021-04-15", 120, "否", ""),
    ];
    let dir = with_roster("dalian-2023-district", "id-address", "名单.csv", &csv(&rows));
    let r = report(&dir);
    let at = |rule: &str| -> Vec<String> {
        r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).map(|f| f["cell"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(at("roster.id-number"), ["C2", "C3"], "000000 and 99xxxx: impossible provinces");
    assert_eq!(at("roster.id-address"), ["C4"], "210299: a possible province, an unknown code");
    let f = r["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "roster.id-address").unwrap();
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("“210299”"), "{}", f["message"]);
    english_only(&dir);
}

/// Issue 13 case 8: a column of IDs Excel stored as numbers is one cause, one finding; two of
/// them are not the same person subsidised twice; a 合计 row is skipped with a note.
#[test]
fn mangled_ids_fold_into_one_finding_and_name_no_one() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("名单").unwrap();
    for (c, h) in ["序号", "姓名", "身份证号", "培训职业（工种）", "等级", "培训起止日期", "是否享受补贴"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let n = 188u32;
    for i in 0..n {
        let r = i + 1;
        sheet.write_number(r, 0, f64::from(r)).unwrap();
        sheet.write_string(r, 1, format!("学员{r}")).unwrap();
        // Excel keeps 15 digits: every one of these ends …000 once stored.
        sheet.write_number(r, 2, 210204199001010000.0).unwrap();
        sheet.write_string(r, 3, "焊工").unwrap();
        sheet.write_string(r, 4, "五级").unwrap();
        sheet.write_string(r, 5, "2021-03-01至2021-04-15").unwrap();
        sheet.write_string(r, 6, "是").unwrap();
    }
    // The total row Excel users add under the data.
    sheet.write_string(n + 1, 0, "合计").unwrap();
    sheet.write_number(n + 1, 6, f64::from(n)).unwrap();
    let dir = with_roster("dalian-2023-district", "mangled-ids", "名单.xlsx", &book.save_to_buffer().unwrap());
    let r = report(&dir);
    let all = r["findings"].as_array().unwrap();
    let folded: Vec<_> = all.iter().filter(|f| f["rule"] == "roster.id-as-number").collect();
    assert_eq!(folded.len(), 1, "{folded:?}");
    assert_eq!(folded[0]["cell"], "名单!C2");
    let msg = folded[0]["message"].as_str().unwrap();
    assert!(msg.contains(&format!("（另有 {} 处，第 3、4、5、6、7、8、9、10、11、12、… 行）", n - 1)), "{msg}");
    // No audit treats the mangled IDs as one person, no duplicate rows either.
    for f in all {
        let m = f["message"].as_str().unwrap();
        assert!(!m.contains("享受补贴") || !m.contains(" 次"), "spurious: {f}");
        assert_ne!(f["rule"], "roster.duplicate-row", "{f}");
    }
    // The 合计 row: one note at its cell, no errors on that row.
    let row = n + 2;
    let at_total: Vec<_> = all.iter().filter(|f| f["line"] == row && f["cell"].is_string()).collect();
    assert_eq!(at_total.len(), 1, "{at_total:?}");
    assert_eq!((at_total[0]["rule"].as_str(), at_total[0]["severity"].as_str(), at_total[0]["cell"].as_str()), (Some("roster.total-row"), Some("warning"), Some(format!("名单!A{row}").as_str())));
    english_only(&dir);
}

/// Issue 13 case 4: 培训起止日期 merged over 开班日期/结业日期 (XLSX merged cells, or the CSV
/// equivalent) is read as two columns; a column with data under no header is a located warning.
#[test]
fn two_row_headers_are_understood_in_xlsx_and_csv() {
    let ids: Vec<String> = (0..3).map(|i| id("210204", "19900101", 12 + 2 * i)).collect();
    // XLSX: 姓名 … merged down over both header rows, 培训起止日期 merged across two columns.
    let xlsx = |end_header: &str| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("名单").unwrap();
        let fmt = rust_xlsxwriter::Format::new();
        for (c, h) in ["姓名", "身份证号", "培训职业（工种）", "等级"].iter().enumerate() {
            sheet.merge_range(0, c as u16, 1, c as u16, h, &fmt).unwrap();
        }
        sheet.merge_range(0, 4, 0, 5, "培训起止日期", &fmt).unwrap();
        sheet.write_string(1, 4, "开班日期").unwrap();
        if !end_header.is_empty() {
            sheet.write_string(1, 5, end_header).unwrap();
        }
        for (i, idn) in ids.iter().enumerate() {
            let r = 2 + i as u32;
            sheet.write_string(r, 0, format!("学员{i}")).unwrap();
            sheet.write_string(r, 1, idn).unwrap();
            sheet.write_string(r, 2, "焊工").unwrap();
            sheet.write_string(r, 3, "四级").unwrap();
            sheet.write_string(r, 4, "2022-03-01").unwrap();
            sheet.write_string(r, 5, "2022-04-15").unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    let mut csv_text = String::from("姓名,身份证号,培训职业（工种）,等级,培训起止日期,\n,,,,开班日期,结业日期\n");
    for (i, idn) in ids.iter().enumerate() {
        csv_text.push_str(&format!("学员{i},{idn},焊工,四级,2022-03-01,2022-04-15\n"));
    }
    for (case, name, bytes) in [("two-row-xlsx", "名单.xlsx", xlsx("结业日期")), ("two-row-csv", "名单.csv", csv_text.clone().into_bytes())] {
        let dir = with_roster("dalian-2023-district", case, name, &bytes);
        let r = report(&dir);
        let roster_findings: Vec<String> = rules(&r).into_iter().filter(|f| f.starts_with("roster.")).collect();
        assert!(roster_findings.is_empty(), "{case}: {roster_findings:?}");
        // Counted: three trainees in 2022, by their end dates.
        let counted = r["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "dalian-2023.roster.consistency" && f["message"].as_str().unwrap().contains("2022 年") && f["message"].as_str().unwrap().contains("名单统计 3 人"));
        assert!(counted, "{case}: {}", r["findings"]);
    }
    // The end-date column's header left empty: a warning at the header cell over the data.
    let dir = with_roster("dalian-2023-district", "two-row-empty", "名单.xlsx", &xlsx(""));
    let r = report(&dir);
    assert!(has(&r, "roster.unnamed-column", "名单!F2"), "{:?}", rules(&r));
    let csv_empty = csv_text.replacen("开班日期,结业日期", "开班日期,", 1);
    let dir = with_roster("dalian-2023-district", "two-row-empty-csv", "名单.csv", csv_empty.as_bytes());
    assert!(has(&report(&dir), "roster.unnamed-column", "F2"), "{:?}", rules(&report(&dir)));
    english_only(&dir);
}
