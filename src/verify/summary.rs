//! `--summary FILE.xlsx|.csv`: one row per submission, ranked by score (择优推荐) with returned
//! submissions last.

use std::path::Path;

use crate::report::Report;

const HEADER: &[&str] = &[
    "排名", "提交包", "审核意见", "原因", "申报单位", "统一社会信用代码", "联系人", "联系电话", "政策", "层级", "类型", "评估得分",
    "培训人数", "合格率", "就业率", "问题数", "错误", "提示",
];
/// Column widths in the XLSX, by HEADER.
const WIDTHS: &[f64] = &[6.0, 28.0, 12.0, 48.0, 30.0, 22.0, 10.0, 16.0, 16.0, 10.0, 12.0, 10.0, 10.0, 10.0, 10.0, 8.0, 8.0, 8.0];
/// The verdict's column, coloured.
const VERDICT: usize = 2;
/// Reasons named in full before “等 N 项”.
const REASONS: usize = 3;

/// By score, highest first (择优推荐), returned submissions last; ties by zip name.
pub fn ranked(reports: &[Report]) -> Vec<&Report> {
    let mut ranked: Vec<&Report> = reports.iter().collect();
    let returned = |r: &Report| r.verdict.as_deref() == Some(super::submission::RETURNED);
    let score = |r: &Report| r.score.as_ref().map_or(-1.0, |s| s.total);
    ranked.sort_by(|a, b| returned(a).cmp(&returned(b)).then(score(b).total_cmp(&score(a))).then(a.dossier.cmp(&b.dossier)));
    ranked
}

/// What the summary table shows of one submission (the HTML report's table shows the same).
pub(crate) struct Figures {
    pub zip: String,
    pub policy: String,
    pub tier: String,
    pub score: String,
    pub trainees: String,
    pub pass_rate: String,
}

pub(crate) fn figures(r: &Report) -> Figures {
    let metric = |k: &str| r.metrics.get(k).and_then(|m| m.value);
    let number = crate::rules::outcomes::format_number;
    Figures {
        zip: Path::new(&r.dossier).file_name().map_or(r.dossier.clone(), |n| n.to_string_lossy().into_owned()),
        policy: r.policy.as_ref().map_or(String::new(), |p| p.id.clone()),
        // By name (区级, 企业培训品牌), as the pack calls them; the code only without a pack.
        tier: match &r.bureau {
            Some(b) if !b.tier.is_empty() || !b.brand_type.is_empty() => {
                [b.tier.as_str(), b.brand_type.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("·")
            }
            _ => r.policy.as_ref().and_then(|p| p.tier.clone().or(p.brand_type.clone())).unwrap_or_default(),
        },
        score: r.score.as_ref().map_or(String::new(), |s| number(s.total)),
        trainees: metric("trainees.total").or(metric("trainees.each_year")).map_or(String::new(), number),
        pass_rate: metric("pass_rate.total").or(metric("pass_rate.each_year")).map_or(String::new(), |v| format!("{v:.1}%")),
    }
}

/// A summary cell: rates are numbers with a percent format, so they sort.
enum Cell {
    Text(String),
    Number(f64),
    /// A fraction (0.945), shown as 94.5%.
    Percent(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => crate::rules::outcomes::format_number(*n),
            Cell::Percent(p) => format!("{:.1}%", p * 100.0),
        }
    }
}

/// Why the verdict is what it is: the blocking findings, else the advisories.
fn reasons(r: &Report) -> String {
    use crate::diag::Severity;
    let errors: Vec<&str> = r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.message.get(r.lang)).collect();
    let shown = if errors.is_empty() { r.findings.iter().map(|f| f.message.get(r.lang)).collect() } else { errors };
    let mut out: Vec<String> = shown.iter().take(REASONS).map(|m| (*m).to_owned()).collect();
    if shown.len() > REASONS {
        out.push(format!("等 {} 项", shown.len()));
    }
    out.join("；")
}

fn rows(reports: &[Report]) -> Vec<Vec<Cell>> {
    let metric = |r: &Report, k: &str| r.metrics.get(k).and_then(|m| m.value);
    let text = |s: &str| Cell::Text(s.to_owned());
    let optional = |v: Option<f64>, f: fn(f64) -> Cell| v.map_or(Cell::Text(String::new()), f);
    ranked(reports)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = figures(r);
            let b = r.bureau.clone().unwrap_or_default();
            let rate = |name: &str| metric(r, &format!("{name}.total")).or(metric(r, &format!("{name}.each_year")));
            vec![
                Cell::Number((i + 1) as f64),
                Cell::Text(f.zip),
                text(r.verdict.as_deref().unwrap_or("")),
                Cell::Text(reasons(r)),
                text(r.subject.as_deref().unwrap_or("")),
                Cell::Text(b.credit_code),
                Cell::Text(b.contact),
                Cell::Text(b.phone),
                Cell::Text(f.policy),
                Cell::Text(b.tier),
                Cell::Text(b.brand_type),
                optional(r.score.as_ref().map(|s| s.total), Cell::Number),
                optional(rate("trainees"), Cell::Number),
                optional(rate("pass_rate"), |v| Cell::Percent(v / 100.0)),
                optional(rate("employment_rate"), |v| Cell::Percent(v / 100.0)),
                Cell::Number(r.findings.len() as f64),
                Cell::Number(r.summary.errors as f64),
                Cell::Number(r.summary.warnings as f64),
            ]
        })
        .collect()
}

pub fn write(path: &Path, reports: &[Report]) -> Result<(), String> {
    let rows = rows(reports);
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if is_xlsx { xlsx(&rows)? } else { csv(&rows) };
    // The bureau's own file, with applicants' contacts in full: owner-only.
    crate::write_atomically(path, &bytes, true)
}

fn csv(rows: &[Vec<Cell>]) -> Vec<u8> {
    // With a BOM, so Excel on Chinese Windows opens it as UTF-8.
    let mut w = ::csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(HEADER);
    for r in rows {
        let _ = w.write_record(r.iter().map(Cell::text));
    }
    w.into_inner().unwrap_or_default()
}

/// A workbook stamped with SOURCE_DATE_EPOCH when it is set, so the same batch gives the same
/// bytes (the library stamps the wall clock otherwise).
pub(crate) fn workbook() -> rust_xlsxwriter::Workbook {
    let mut book = rust_xlsxwriter::Workbook::new();
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok());
    if let Some(at) = epoch.and_then(|e| rust_xlsxwriter::ExcelDateTime::from_timestamp(e).ok()) {
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&at));
    }
    book
}

fn xlsx(rows: &[Vec<Cell>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Color, Format};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = workbook();
    let sheet = book.add_worksheet().set_name("审核汇总").map_err(err)?;
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
    let percent = Format::new().set_num_format("0.0%");
    // IDs, codes and phones stay text: a credit code must never become a number.
    let plain = Format::new().set_num_format("@");
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c16) = ((i + 1) as u32, c as u16);
            match cell {
                Cell::Text(v) if c == VERDICT => {
                    let colour = match v.as_str() {
                        super::submission::ACCEPTED => 0xC6EFCE,
                        super::submission::ADVISORIES | super::submission::REVIEW => 0xFFEB9C,
                        _ => 0xFFC7CE,
                    };
                    sheet.write_string_with_format(r, c16, v, &fill(colour)).map_err(err)?
                }
                Cell::Text(v) => sheet.write_string_with_format(r, c16, v, &plain).map_err(err)?,
                Cell::Number(n) => sheet.write_number(r, c16, *n).map_err(err)?,
                Cell::Percent(p) => sheet.write_number_with_format(r, c16, *p, &percent).map_err(err)?,
            };
        }
    }
    for (c, w) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofilter(0, 0, rows.len() as u32, (HEADER.len() - 1) as u16).map_err(err)?;
    book.save_to_buffer().map_err(err)
}
