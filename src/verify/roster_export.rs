//! `verify --roster-export FILE.xlsx`: every trainee of the batch with the submission they
//! came from, in full, for the bureau's real-name (实名制) checks and cross-submission audits.
//! The bureau's own file: written mode 0600.

use std::path::{Path, PathBuf};

use crate::load::roster::{self, Column};

const HEADER: [&str; 10] =
    ["提交包", "申报单位", "名单文件", "行号", "姓名", "身份证号", "联系电话", "培训职业（工种）", "等级", "结业日期"];
const COLUMNS: [Column; 6] = [Column::Name, Column::IdNumber, Column::Phone, Column::Occupation, Column::Level, Column::End];

/// Rows of one submission: its rosters as the bag carries them. A submission that cannot be
/// opened has none (its verdict says why).
fn rows_of(zip: &Path) -> Vec<Vec<String>> {
    use super::archive::{Archive, Limits};
    let limits = Limits::default();
    let Ok(bytes) = std::fs::read(zip) else { return Vec::new() };
    let Ok(bytes) = crate::crypt::open_submission(bytes, limits.max_total_bytes) else { return Vec::new() };
    let Ok(mut archive) = Archive::open(bytes, limits) else { return Vec::new() };
    let names: Vec<String> = archive.entries.iter().map(|e| e.name.clone()).collect();
    let top = names.first().and_then(|n| n.split('/').next()).unwrap_or("").to_owned();
    let applicant = archive
        .read(&format!("{top}/bag-info.txt"))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("Source-Organization:").map(|v| v.trim().to_owned())))
        .unwrap_or_default();
    let shown = zip.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let prefix = format!("{top}/data/培训人员名单/");
    let mut out = Vec::new();
    for name in names.iter().filter(|n| n.starts_with(&prefix) && n.to_lowercase().ends_with(".csv")) {
        let Ok(bytes) = archive.read(name) else { continue };
        let Ok(table) = roster::read_bytes(bytes, "csv", None) else { continue };
        let file = name.strip_prefix(&format!("{top}/data/")).unwrap_or(name).to_owned();
        for row in &table.rows {
            let mut cells = vec![shown.clone(), applicant.clone(), file.clone(), row.number.to_string()];
            for c in COLUMNS {
                cells.push(table.column(c).and_then(|i| row.cells.get(i)).map(|c| c.text()).unwrap_or_default());
            }
            if cells[4..].iter().any(|c| !c.is_empty()) {
                out.push(cells);
            }
        }
    }
    out
}

/// Write the export; the number of trainees in it.
pub fn write(path: &Path, zips: &[PathBuf]) -> Result<usize, String> {
    use rayon::prelude::*;
    use rust_xlsxwriter::Format;
    let rows: Vec<Vec<String>> = zips.par_iter().map(|z| rows_of(z)).collect::<Vec<_>>().into_iter().flatten().collect();
    let mut book = super::summary::workbook();
    let sheet = book.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| format!("无法写入 {}：{e}", path.display());
    sheet.set_name("培训人员花名册").map_err(err)?;
    let bold = Format::new().set_bold();
    // Text cells throughout: an ID number must never become 2.10204E+17.
    let text = Format::new().set_num_format("@");
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string_with_format(r as u32 + 1, c as u16, v, &text).map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    for (c, w) in [24.0, 28.0, 24.0, 6.0, 10.0, 22.0, 16.0, 18.0, 8.0, 12.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(err)?;
    }
    let bytes = book.save_to_buffer().map_err(err)?;
    crate::privacy::write_private(path, &bytes)?;
    Ok(rows.len())
}
