//! Rosters: read every referenced table, check each row, and derive the yearly figures the
//! dossier declares. Every finding names its sheet, row and column.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::codes;
use crate::diag::{CellAt, Diagnostic, Text};
use crate::load::roster::{self, Cell, Column, Table, header_name};
use crate::load::source::Source;
use crate::model::{Dossier, YearFigures};

pub type Date = (i32, u32, u32);

/// One trainee row, parsed, with where each value sits.
#[derive(Debug, Clone)]
pub struct Record {
    pub table: usize,
    pub row: usize,
    pub name: String,
    pub id_number: String,
    pub group: String,
    pub occupation: String,
    /// Canonical level (level_5 … level_1, special_ability, training_certificate) or "".
    pub level: &'static str,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub hours: Option<f64>,
    pub training_type: String,
    pub passed: Option<bool>,
    pub subsidised: Option<bool>,
    pub amount: Option<f64>,
    pub order_directed: Option<bool>,
    pub employment: Option<Date>,
}

impl Record {
    /// The natural year a training counts in: the year it ended (else began).
    pub fn year(&self) -> Option<i32> {
        self.end.or(self.start).map(|d| d.0)
    }
}

pub struct LoadedTable {
    pub file: String,
    pub table: Table,
}

impl LoadedTable {
    pub fn at(&self, row: usize, column: Option<Column>) -> CellAt {
        let col = column.and_then(|c| self.table.column(c)).unwrap_or(0);
        self.at_column(row, col)
    }

    /// A cell by its 0-based column index.
    pub fn at_column(&self, row: usize, col: usize) -> CellAt {
        CellAt { file: self.file.clone(), cell: self.table.cell_ref(row, col), row, column: col + 1 }
    }
}

#[derive(Default)]
pub struct Rosters {
    pub tables: Vec<LoadedTable>,
    pub records: Vec<Record>,
    /// Figures per natural year, and which of them the columns allow.
    pub derived: BTreeMap<i32, YearFigures>,
    pub derivable: Derivable,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Derivable {
    pub passed: bool,
    pub subsidised: bool,
    pub order_directed: bool,
    pub employment: bool,
}

impl Rosters {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    pub fn cell(&self, record: &Record, column: Option<Column>) -> CellAt {
        self.tables[record.table].at(record.row, column)
    }
}

pub fn parse_date(text: &str) -> Option<Date> {
    let dates = dates_in(text);
    (dates.len() == 1).then(|| dates[0])
}

/// Every date written as 2022-03-01, 2022/3/1, 2022.03.01 or 2022年3月1日 in the text.
pub fn dates_in(text: &str) -> Vec<Date> {
    // Digits are ASCII, so runs of them can be found on bytes.
    let bytes = text.as_bytes();
    let mut numbers: Vec<(usize, u32)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            let mut n: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                n = n.saturating_mul(10).saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            numbers.push((i - start, n));
        } else {
            i += 1;
        }
    }
    let mut dates = Vec::new();
    let mut k = 0;
    while k + 2 < numbers.len() {
        let ((ly, y), (_, m), (_, d)) = (numbers[k], numbers[k + 1], numbers[k + 2]);
        if ly == 4 && codes::is_real_date(y as i32, m, d) {
            dates.push((y as i32, m, d));
            k += 3;
        } else {
            k += 1;
        }
    }
    // Compact forms: 20220301.
    if dates.is_empty() {
        for (len, n) in numbers {
            if len == 8 {
                let (y, m, d) = ((n / 10000) as i32, n / 100 % 100, n % 100);
                if codes::is_real_date(y, m, d) {
                    dates.push((y, m, d));
                }
            }
        }
    }
    dates
}

fn cell_date(cell: &Cell) -> Option<Date> {
    match cell {
        Cell::Date(y, m, d) => Some((*y, *m, *d)),
        // Excel serial day numbers (1900 system) for cells typed as plain numbers.
        Cell::Number(n) if (20000.0..80000.0).contains(n) => Some(from_serial(*n as i64)),
        other => parse_date(&other.text_ref()),
    }
}

/// Excel's 1900-system serial day number (days since 1899-12-30) to a date.
fn from_serial(serial: i64) -> Date {
    codes::civil_from_days(serial - 25_569)
}

/// `canonical_level` of each distinct text once: a roster's level column holds a handful of
/// values, each matched against a dozen keywords.
#[derive(Default)]
struct Levels(Vec<(String, &'static str)>);

impl Levels {
    fn of(&mut self, text: &str) -> &'static str {
        if let Some((_, level)) = self.0.iter().find(|(t, _)| t == text) {
            return level;
        }
        let level = canonical_level(text);
        // Bounded: a column of all-different values is matched each time, as before.
        if self.0.len() < 16 {
            self.0.push((text.to_owned(), level));
        }
        level
    }
}

pub fn canonical_level(text: &str) -> &'static str {
    let t: std::borrow::Cow<str> = if text.contains(' ') { text.replace(' ', "").into() } else { text.into() };
    if t.contains("高级技师") || t.contains("一级") {
        "level_1"
    } else if t.contains("技师") || t.contains("二级") {
        "level_2"
    } else if t.contains("高级") || t.contains("三级") {
        "level_3"
    } else if t.contains("中级") || t.contains("四级") {
        "level_4"
    } else if t.contains("初级") || t.contains("五级") {
        "level_5"
    } else if t.contains("专项") {
        "special_ability"
    } else if t.contains("合格") || t.contains("结业") {
        "training_certificate"
    } else {
        ""
    }
}

fn yes(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(matches!(t, "是" | "Y" | "y" | "YES" | "Yes" | "yes" | "√" | "✓" | "有" | "1" | "享受" | "合格" | "通过" | "已取证" | "TRUE" | "true"))
}

/// Add calendar months, clamping the day (2022-01-31 + 1 month = 2022-02-28).
pub fn add_months((y, m, d): Date, months: u32) -> Date {
    let total = y * 12 + (m as i32 - 1) + months as i32;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let mut nd = d;
    while !codes::is_real_date(ny, nm, nd) {
        nd -= 1;
    }
    (ny, nm, nd)
}

/// Read every roster the dossier references, check rows, derive figures.
pub fn load(dossier: &Dossier, source: &Source, issues: &mut Vec<Diagnostic>) -> Rosters {
    let mut out = Rosters::default();
    for (i, r) in dossier.training.rosters.iter().enumerate() {
        if r.file.starts_with(super::fields::PLACEHOLDER) {
            continue;
        }
        let rel = r.file.replace('\\', "/");
        // Paths that escape the folder were already refused by the evidence checks.
        if !super::evidence::check_file(source, &r.file, "").is_empty() {
            continue;
        }
        let pointer = format!("/training/rosters/{i}/file");
        let sheet = r.sheet.as_deref().filter(|s| !s.starts_with(super::fields::PLACEHOLDER));
        let ext = Path::new(source.resolve(&rel)).extension().and_then(|e| e.to_str()).unwrap_or("").to_owned();
        let table = source
            .read(&rel, roster::MAX_ROSTER_BYTES + 1)
            .map_err(|e| roster::RosterError { message: Text::from(e), hint: None })
            .and_then(|bytes| roster::read_bytes(bytes, &ext, sheet));
        let path = Path::new(&source.shown(&rel)).to_owned();
        match table {
            Ok(table) => {
                let loaded = LoadedTable { file: path.display().to_string(), table };
                check_header(&loaded, &pointer, issues);
                let index = out.tables.len();
                out.tables.push(loaded);
                parse_rows(&mut out, index, issues);
                // Findings only need the header to name cells; free the rows now.
                out.tables[index].table.rows = Vec::new();
            }
            Err(e) => {
                issues.push(e.issue(&r.file, pointer));
            }
        }
    }
    check_duplicates(&out, issues);
    derive(&mut out);
    out
}

fn check_header(t: &LoadedTable, pointer: &str, issues: &mut Vec<Diagnostic>) {
    let header_row = t.table.header_row;
    for &col in &t.table.unnamed {
        issues.push(
            Diagnostic::warning("roster.unnamed-column", pointer, Text::new(format!("{} 列有数据但没有列名，该列不参与统计", roster::column_letter(col)), format!("column {} holds data but has no header; it is not counted", roster::column_letter(col))))
                .in_cell(t.at_column(header_row, col))
                .with_hint(Text::new("请在表头填写列名（如“结业日期”）；两行表头时，合并单元格下的每一列都要有自己的列名",
                    "give the column a header (e.g. “结业日期”); with a two-row header, every column under a merged cell needs its own name")),
        );
    }
    for (col, row, text) in &t.table.unrecognised {
        let (header_row, col) = (*row, *col);
        let cell = CellAt { file: t.file.clone(), cell: t.table.cell_ref(header_row, col), row: header_row, column: col + 1 };
        issues.push(
            Diagnostic::warning("roster.unknown-column", pointer, Text::new(format!("未识别的列“{text}”，该列不参与统计"), format!("unrecognised column “{text}”; it is not counted")))
                .in_cell(cell)
                .with_hint(Text::new("可识别的列名如：姓名、身份证号、人员类别、培训职业（工种）、等级、培训起止日期、课时、证书编号、是否享受补贴、补贴金额、培训方式、就业日期、就业单位",
                    "recognised column names include: “姓名” (name), “身份证号” (ID number), “人员类别” (person category), “培训职业（工种）” (occupation), “等级” (level), “培训起止日期” (training period), “课时” (class hours), “证书编号” (certificate number), “是否享受补贴” (subsidised), “补贴金额” (subsidy amount), “培训方式” (training mode), “就业日期” (employment date), “就业单位” (employer)")),
        );
    }
    let has = |c: Column| t.table.column(c).is_some();
    let mut missing: Vec<&str> = [Column::Name, Column::IdNumber, Column::Occupation]
        .into_iter()
        .filter(|c| !has(*c))
        .map(header_name)
        .collect();
    if !has(Column::Period) && !has(Column::End) && !has(Column::Start) {
        missing.push(header_name(Column::Period));
    }
    if !missing.is_empty() {
        let cell = CellAt { file: t.file.clone(), cell: t.table.cell_ref(header_row, 0), row: header_row, column: 1 };
        issues.push(
            Diagnostic::error("roster.missing-column", pointer, Text::new(format!("名单缺少必需的列：{}", missing.join("、")), format!(
                    "the roster lacks required columns: {}",
                    missing.iter().map(|m| format!("“{m}”")).collect::<Vec<_>>().join(", ")
                )))
                .in_cell(cell),
        );
    }
}

fn parse_rows(out: &mut Rosters, index: usize, issues: &mut Vec<Diagnostic>) {
    let t = &out.tables[index];
    let col = |c: Column| t.table.column(c);
    let pointer = "/training/rosters";
    let mut levels = Levels::default();
    out.records.reserve(t.table.rows.len());
    for row in &t.table.rows {
        let cells = &row.cells;
        let at = |c: Column| t.at(row.number, Some(c));
        let name = cell_in(cells, col(Column::Name)).text();
        // Excel's 合计/小计 row sums the columns above it: not a trainee.
        if let Some(i) = total_row(cells) {
            issues.push(
                Diagnostic::warning("roster.total-row", pointer, Text::new(format!("第 {} 行是“{}”行，不是学员，不计入统计", row.number, cells[i].text()), format!("row {} is a “{}” (total) row, not a trainee; not counted", row.number, cells[i].text())))
                    .in_cell(t.at_column(row.number, i)),
            );
            continue;
        }
        if name.starts_with("示例") {
            issues.push(Diagnostic::warning("roster.example-row", pointer, Text::new("示例行，不计入统计；填写完毕后请删除", "example row, not counted; delete it once the roster is filled in"))
                    .in_cell(at(Column::Name)));
            continue;
        }
        let id_cell = cell_in(cells, col(Column::IdNumber));
        let id_text = id_cell.text();
        if name.is_empty() || id_cell.is_empty() {
            let which = if name.is_empty() { Column::Name } else { Column::IdNumber };
            issues.push(Diagnostic::error("roster.missing-value", pointer, Text::new(format!("第 {} 行缺少{}", row.number, header_name(which)), format!("row {} lacks “{}”", row.number, header_name(which))))
                .in_cell(at(which)));
        }
        let mut id_ok = false;
        let mut mangled = false;
        // A submission's roster carries masked IDs: they cannot be checked, only counted.
        let masked = id_text.contains('*');
        if !id_cell.is_empty() && !masked {
            let as_number = matches!(id_cell, Cell::Number(_)) || id_text.as_bytes().windows(2).any(|w| w.eq_ignore_ascii_case(b"E+"));
            let lost_digits = id_text.len() == 18 && id_text.ends_with("000") && codes::id_number_problem(&id_text).is_some();
            if as_number || lost_digits {
                mangled = true;
                issues.push(
                    Diagnostic::error("roster.id-as-number", pointer, Text::new(format!("身份证号被存成了数字（{}），末几位已丢失", id_text), format!("the ID number was stored as a number ({}); its last digits are lost", id_text)))
                        .in_cell(at(Column::IdNumber))
                        .with_hint(Text::new("Excel 只保留 15 位有效数字：请把该列设置为“文本”格式，按原件重新录入身份证号",
                            "Excel keeps only 15 significant digits: format the column as Text and re-enter the ID numbers from the originals")),
                );
            } else if let Some(problem) = codes::id_number_problem(&id_text) {
                let problem_en = codes::id_number_problem_en(&id_text).unwrap_or_default();
                issues.push(
                    Diagnostic::error("roster.id-number", pointer, Text::new(format!("{}：{}", id_text, problem), format!("{}: {}", id_text, problem_en)))
                        .in_cell(at(Column::IdNumber)),
                );
            } else {
                id_ok = true;
                if let Some((zh, en)) = codes::id_address_warning(&id_text) {
                    issues.push(Diagnostic::warning("roster.id-address", pointer, Text::new(zh, en)).in_cell(at(Column::IdNumber)));
                }
            }
        }
        // Dates: a period column, or separate start and end columns.
        let (mut start, mut end) = (cell_date(cell_in(cells, col(Column::Start))), cell_date(cell_in(cells, col(Column::End))));
        let period = cell_in(cells, col(Column::Period));
        let date_col = if col(Column::Period).is_some() { Column::Period } else { Column::End };
        if !period.is_empty() {
            let found = match period {
                Cell::Date(y, m, d) => vec![(*y, *m, *d)],
                other => dates_in(&other.text_ref()),
            };
            match found.as_slice() {
                [s, e] => (start, end) = (Some(*s), Some(*e)),
                [one] => (start, end) = (Some(*one), Some(*one)),
                _ => issues.push(
                    Diagnostic::error("roster.date", pointer, Text::new(format!("无法识别的培训起止日期“{}”", period.text()), format!("unrecognised training period “{}”", period.text())))
                        .in_cell(at(Column::Period))
                        .with_hint(Text::new("写作 2022-03-01至2022-04-15", "write it as “2022-03-01至2022-04-15” (the start date, “至”, the end date)")),
                ),
            }
        } else if start.is_none() && end.is_none() && (col(Column::Period).is_some() || col(Column::End).is_some()) {
            issues.push(Diagnostic::error("roster.date", pointer, Text::new(format!("第 {} 行缺少培训日期", row.number), format!("row {} lacks the training dates", row.number)))
                .in_cell(at(date_col)));
        }
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            issues.push(
                Diagnostic::error("roster.date-order", pointer, Text::new(format!("培训开始日期 {} 晚于结束日期 {}", fmt(s), fmt(e)), format!("the training start date {} is after the end date {}", fmt(s), fmt(e))))
                    .in_cell(at(date_col)),
            );
        }
        let employment_cell = cell_in(cells, col(Column::EmploymentDate));
        let employment = cell_date(employment_cell);
        if !employment_cell.is_empty() && employment.is_none() {
            issues.push(
                Diagnostic::error("roster.date", pointer, Text::new(format!("无法识别的就业日期“{}”", employment_cell.text()), format!("unrecognised employment date “{}”", employment_cell.text())))
                    .in_cell(at(Column::EmploymentDate)),
            );
        }
        if let (Some(s), Some(emp)) = (start, employment)
            && emp < s
        {
            issues.push(
                Diagnostic::error("roster.date-order", pointer, Text::new(format!("就业日期 {} 早于培训开始日期 {}", fmt(emp), fmt(s)), format!("the employment date {} is before the training start date {}", fmt(emp), fmt(s))))
                    .in_cell(at(Column::EmploymentDate)),
            );
        }
        if id_ok
            && let (Some((by, bm, bd)), Some(on)) = (codes::id_birth_date(&id_text), start.or(end))
        {
            let age = on.0 - by - i32::from((on.1, on.2) < (bm, bd));
            // The 17th digit is odd for men. Retirement ages in force for these years: 60 and 55.
            let male = id_text.as_bytes()[16] % 2 == 1;
            let limit = if male { 60 } else { 55 };
            if (by, bm, bd) > on {
                issues.push(
                    Diagnostic::warning("roster.age", pointer, Text::new(format!("身份证号中的出生日期 {} 晚于培训开始日期 {}", fmt((by, bm, bd)), fmt(on)), format!("the birth date {} in the ID number is after the training start date {}", fmt((by, bm, bd)), fmt(on))))
                        .in_cell(at(Column::IdNumber)),
                );
            } else if !(16..limit).contains(&age) {
                issues.push(
                    Diagnostic::warning("roster.age", pointer, Text::new(format!("培训开始时 {age} 岁，不在法定劳动年龄（16—{limit} 岁）内"), format!("aged {age} when training started, outside the legal working age (16 to {limit})")))
                        .in_cell(at(Column::IdNumber)),
                );
            }
        }
        let phone = cell_in(cells, col(Column::Phone)).text_ref();
        if !phone.is_empty() && !phone.contains('*') && !codes::phone_is_well_formed(&phone) {
            issues.push(Diagnostic::error("roster.phone", pointer, Text::new(format!("电话号码格式不正确：{}", phone), format!("malformed phone number: {}", phone)))
                .in_cell(at(Column::Phone)));
        }
        let hours_cell = cell_in(cells, col(Column::Hours));
        let hours = match hours_cell {
            Cell::Number(n) => Some(*n),
            other => other.text_ref().trim_end_matches("课时").trim_end_matches("学时").parse().ok(),
        };
        let amount_cell = cell_in(cells, col(Column::SubsidyAmount));
        let amount = match amount_cell {
            Cell::Number(n) => Some(*n),
            other => other.text().replace(',', "").trim_end_matches('元').parse().ok(),
        };
        let cert = cell_in(cells, col(Column::CertificateNumber)).text_ref();
        let passed = yes(&cell_in(cells, col(Column::Passed)).text_ref()).or_else(|| col(Column::CertificateNumber).map(|_| !cert.is_empty()));
        let subsidised = yes(&cell_in(cells, col(Column::Subsidised)).text_ref()).or_else(|| col(Column::SubsidyAmount).map(|_| amount.is_some_and(|a| a > 0.0)));
        let mode = cell_in(cells, col(Column::Mode)).text_ref();
        let order_directed = col(Column::Mode).map(|_| ["订单", "定岗", "定向"].iter().any(|k| mode.contains(k)));
        let level_text = cell_in(cells, col(Column::Level)).text_ref();
        // Upper case, so a lower-case x names the same person; a masked ID is made specific
        // again with the name.
        // An ID Excel turned into a number names no one: two of them (210204000000000000) are not
        // the same person, so the key is made unique to its row.
        let id_key = if masked {
            format!("{}|{}", id_text.to_ascii_uppercase(), name)
        } else if mangled {
            format!("{}#{}:{}", id_text, index, row.number)
        } else {
            let mut key = id_text;
            key.make_ascii_uppercase();
            key
        };
        let record = Record {
            table: index,
            row: row.number,
            name,
            id_number: id_key,
            group: cell_in(cells, col(Column::Group)).text(),
            occupation: cell_in(cells, col(Column::Occupation)).text(),
            level: levels.of(&level_text),
            start,
            end,
            hours,
            training_type: cell_in(cells, col(Column::TrainingType)).text(),
            passed,
            subsidised,
            amount,
            order_directed,
            employment,
        };
        out.records.push(record);
    }
    let has = |c: Column| col(c).is_some();
    out.derivable.passed |= has(Column::Passed) || has(Column::CertificateNumber);
    out.derivable.subsidised |= has(Column::Subsidised) || has(Column::SubsidyAmount);
    out.derivable.order_directed |= has(Column::Mode);
    out.derivable.employment |= has(Column::EmploymentDate);
}

/// The column of a 合计/小计/总计 label among a row's first filled cells, if the row is one.
fn total_row(cells: &[Cell]) -> Option<usize> {
    cells.iter().enumerate().filter(|(_, c)| !c.is_empty()).take(3).find_map(|(i, c)| {
        let text = c.text_ref();
        // Every label has 计: one search turns away a trainee's row.
        if !text.contains('计') {
            return None;
        }
        // Compared as it is read, without collecting the text: every row passes here.
        let t = text.chars().filter(|ch| !ch.is_whitespace() && *ch != '\u{3000}');
        ["合计", "小计", "总计", "共计", "合计：", "合计:"].iter().any(|w| t.clone().eq(w.chars())).then_some(i)
    })
}

fn cell_in(cells: &[Cell], index: Option<usize>) -> &Cell {
    const EMPTY: Cell = Cell::Empty;
    index.and_then(|i| cells.get(i)).unwrap_or(&EMPTY)
}

pub fn fmt((y, m, d): Date) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn check_duplicates(r: &Rosters, issues: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str, &str, Option<Date>), &Record> = HashMap::with_capacity(r.records.len());
    for rec in &r.records {
        if rec.id_number.is_empty() {
            continue;
        }
        let key = (rec.id_number.as_str(), rec.occupation.as_str(), rec.level, rec.start);
        if let Some(first) = seen.get(&key) {
            issues.push(
                Diagnostic::error(
                    "roster.duplicate-row",
                    "/training/rosters",
                    Text::new(format!(
                        "与{}第 {} 行重复（同一人、同一职业等级、同一开班日期）",
                        if first.table == rec.table { String::new() } else { r.tables[first.table].file.clone() },
                        first.row
                    ), format!(
                    "duplicates row {}{} (same person, occupation level and start date)",
                    first.row,
                    if first.table == rec.table { String::new() } else { format!(" of {}", r.tables[first.table].file) }
                )),
                )
                .in_cell(r.cell(rec, Some(Column::IdNumber))),
            );
        } else {
            seen.insert(key, rec);
        }
    }
}

fn derive(r: &mut Rosters) {
    let d = r.derivable;
    for rec in &r.records {
        let Some(year) = rec.year() else { continue };
        let y = r.derived.entry(year).or_insert_with(|| YearFigures {
            year,
            passed: 0,
            subsidised: d.subsidised.then_some(0),
            order_directed: d.order_directed.then_some(0),
            employed_3m: d.employment.then_some(0),
            employed_6m: d.employment.then_some(0),
            ..Default::default()
        });
        y.trainees += 1;
        y.passed += i64::from(rec.passed == Some(true));
        let bump = |v: &mut Option<i64>, yes: bool| {
            if let Some(n) = v.as_mut() {
                *n += i64::from(yes);
            }
        };
        bump(&mut y.subsidised, rec.subsidised == Some(true));
        bump(&mut y.order_directed, rec.order_directed == Some(true));
        let finished = rec.end.or(rec.start);
        let within = |months| matches!((rec.employment, finished), (Some(e), Some(f)) if e <= add_months(f, months));
        bump(&mut y.employed_3m, within(3));
        bump(&mut y.employed_6m, within(6));
    }
}

/// Declared figures that disagree with the roster.
pub fn mismatches(dossier: &Dossier, r: &Rosters, years: &[i32]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (i, declared) in dossier.training.years.iter().enumerate() {
        if !years.contains(&declared.year) {
            continue;
        }
        let derived = r.derived.get(&declared.year).cloned().unwrap_or(YearFigures { year: declared.year, ..Default::default() });
        let d = r.derivable;
        // (field, its name, declared, counted, whether the roster can count it)
        #[allow(clippy::type_complexity, reason = "a local table, its columns named above")]
        let pairs: [(&str, &str, Option<i64>, Option<i64>, bool); 6] = [
            ("trainees", "培训人数", Some(declared.trainees), Some(derived.trainees), true),
            ("passed", "合格人数", Some(declared.passed), Some(derived.passed), d.passed),
            ("subsidised", "享受补贴人数", declared.subsidised, derived.subsidised, d.subsidised),
            ("order_directed", "订单、定岗、定向式培训人数", declared.order_directed, derived.order_directed, d.order_directed),
            ("employed_3m", "三个月内就业创业人数", declared.employed_3m, derived.employed_3m, d.employment),
            ("employed_6m", "六个月内就业创业人数", declared.employed_6m, derived.employed_6m, d.employment),
        ];
        for (field, label, dec, der, derivable) in pairs {
            if let (Some(a), Some(b), true) = (dec, der, derivable)
                && a != b
            {
                out.push((
                    format!("/training/years/{i}/{field}"),
                    format!("{} 年{label}申报 {a} 人，名单统计 {b} 人", declared.year),
                    format!("{}: {field} declared as {a}, the roster counts {b}", declared.year),
                ));
            }
        }
    }
    out
}
