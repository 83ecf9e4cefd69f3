//! Writes a dossier with a generated roster of N rows (default 100,000) for the roster
//! benchmark: `cargo run --release --example gen_roster -- OUT_DIR [ROWS]`.
//! The dossier is the Dalian district fixture with its figures set to what the roster holds.

use std::path::Path;

#[path = "support/mod.rs"]
mod support;
use support::copy_dir;

use rust_xlsxwriter::{Format, Workbook};

const HEADER: &[&str] = &[
    "序号", "姓名", "身份证号码", "人员类别", "培训职业（工种）", "等级", "培训类型", "培训起止日期", "课时", "证书编号", "是否享受补贴",
    "补贴金额（元）", "培训方式", "就业日期", "就业单位", "联系电话",
];

fn id(region: &str, birth: &str, seq: u32) -> String {
    let body = format!("{region}{birth}{seq:03}");
    let check = dossier::rules::codes::id_check_char(&body).expect("17 digits");
    format!("{body}{check}")
}


fn main() {
    let (out, rows) = support::args("target/bench-roster", 100_000);
    let rows = u32::try_from(rows).expect("rows fit in u32");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dalian-2023-district");
    let _ = std::fs::remove_dir_all(&out);
    copy_dir(&fixture, &out);
    for old in std::fs::read_dir(out.join("rosters")).expect("rosters") {
        std::fs::remove_file(old.expect("entry").path()).expect("remove");
    }
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("名单").expect("sheet");
    let text = Format::new().set_num_format("@");
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let mut per_year = [[0u32; 5]; 2]; // trainees, passed, subsidised, order, employed 3 m
    for n in 0..rows {
        let r = n + 1;
        let year = 2021 + (n % 2);
        let y = (n % 2) as usize;
        let birth = format!("{}{:02}{:02}", 1970 + n % 30, 1 + n % 12, 1 + n % 28);
        let pid = id(&format!("2102{:02}", 2 + n % 10), &birth, (n / 360) % 1000);
        let passed = n % 10 != 0;
        let subsidised = n % 3 == 0;
        let order = n % 5 < 3;
        let employed = n % 7 != 0;
        let month = 1 + (n / 2) % 10;
        let cells: [String; 16] = [
            r.to_string(),
            format!("学员{r}"),
            pid,
            "城镇登记失业人员".to_owned(),
            ["育婴员", "家政服务员", "养老护理员"][(n % 3) as usize].to_owned(),
            "四级/中级工".to_owned(),
            "就业技能培训".to_owned(),
            format!("{year}-{month:02}-01至{year}-{month:02}-25"),
            "120".to_owned(),
            if passed { format!("C{year}{r:07}") } else { String::new() },
            if subsidised { "是" } else { "否" }.to_owned(),
            if subsidised { "1000".to_owned() } else { String::new() },
            if order { "订单式培训" } else { "社会招生" }.to_owned(),
            if employed { format!("{year}-{:02}-28", month + 1) } else { String::new() },
            if employed { "大连某某家政服务有限公司".to_owned() } else { String::new() },
            format!("138{:08}", n),
        ];
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string_with_format(r, c as u16, v, &text).expect("cell");
            }
        }
        let counts = &mut per_year[y];
        counts[0] += 1;
        counts[1] += u32::from(passed);
        counts[2] += u32::from(subsidised);
        counts[3] += u32::from(order);
        counts[4] += u32::from(employed);
    }
    book.save(out.join("rosters/名单.xlsx")).expect("save roster");
    // Declare exactly what the roster holds, so the check measures reading, not disagreement.
    let yaml = std::fs::read_to_string(out.join("dossier.yaml")).expect("dossier");
    let start = yaml.find("  years:\n").expect("years");
    let end = start + yaml[start..].find("\n  key_fields:").expect("key_fields");
    let years: String = per_year
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "    - year: {}\n      trainees: {}\n      passed: {}\n      subsidised: {}\n      order_directed: {}\n      employed_3m: {}\n      employed_6m: {}\n",
                2021 + i, c[0], c[1], c[2], c[3], c[4], c[4]
            )
        })
        .collect();
    let yaml = format!("{}  years:\n{years}{}", &yaml[..start], &yaml[end..]);
    let start = yaml.find("  rosters:\n").expect("rosters");
    let end = start + yaml[start..].find("\n\n").expect("blank line");
    let yaml = format!("{}  rosters:\n    - file: rosters/名单.xlsx{}", &yaml[..start], &yaml[end..]);
    std::fs::write(out.join("dossier.yaml"), yaml).expect("write dossier");
    println!("{} rows → {}", rows, out.display());
}
