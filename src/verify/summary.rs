//! `--summary FILE.xlsx|.csv`: one row per submission, ranked by score (择优推荐) with returned
//! submissions last.

use std::path::Path;

use crate::report::Report;

const HEADER: &[&str] = &["排名", "提交包", "申报单位", "政策", "层级/类型", "审核意见", "评估得分", "培训人数", "合格率", "错误", "提示"];

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
    let metric = |k: &str| r.metrics.get(k).and_then(|m| m["value"].as_f64());
    let number = crate::rules::policy::format_number;
    Figures {
        zip: Path::new(&r.dossier).file_name().map_or(r.dossier.clone(), |n| n.to_string_lossy().into_owned()),
        policy: r.policy.as_ref().map_or(String::new(), |p| p.id.clone()),
        tier: r.policy.as_ref().and_then(|p| p.tier.clone().or(p.brand_type.clone())).unwrap_or_default(),
        score: r.score.as_ref().map_or(String::new(), |s| number(s.total)),
        trainees: metric("trainees.total").or(metric("trainees.each_year")).map_or(String::new(), number),
        pass_rate: metric("pass_rate.total").or(metric("pass_rate.each_year")).map_or(String::new(), |v| format!("{v:.1}%")),
    }
}

fn rows(reports: &[Report]) -> Vec<Vec<String>> {
    ranked(reports)
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = figures(r);
            vec![
                (i + 1).to_string(),
                f.zip,
                r.subject.clone().unwrap_or_default(),
                f.policy,
                f.tier,
                r.verdict.clone().unwrap_or_default(),
                f.score,
                f.trainees,
                f.pass_rate,
                r.summary.errors.to_string(),
                r.summary.warnings.to_string(),
            ]
        })
        .collect()
}

pub fn write(path: &Path, reports: &[Report]) -> Result<(), String> {
    let rows = rows(reports);
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if is_xlsx { xlsx(&rows)? } else { csv(&rows) };
    crate::atomic_write(path, &bytes)
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    // With a BOM, so Excel on Chinese Windows opens it as UTF-8.
    let mut w = ::csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let _ = w.write_record(HEADER);
    for r in rows {
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

fn xlsx(rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("审核汇总").map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0xDDEBF7));
    let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(|e| e.to_string())?;
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = ((i + 1) as u32, c as u16);
            let number = v.parse::<f64>().ok().filter(|_| c != 1);
            match (c, number) {
                (5, _) => {
                    let colour = match v.as_str() {
                        super::submission::ACCEPTED => 0xC6EFCE,
                        super::submission::ADVISORIES | super::submission::REVIEW => 0xFFEB9C,
                        _ => 0xFFC7CE,
                    };
                    sheet.write_string_with_format(r, c, v, &fill(colour)).map_err(|e| e.to_string())?
                }
                (_, Some(n)) => sheet.write_number(r, c, n).map_err(|e| e.to_string())?,
                _ => sheet.write_string(r, c, v).map_err(|e| e.to_string())?,
            };
        }
    }
    for (c, w) in [6.0, 28.0, 30.0, 16.0, 12.0, 14.0, 10.0, 10.0, 10.0, 8.0, 8.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(|e| e.to_string())?;
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}
