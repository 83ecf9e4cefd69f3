//! `dossier build`: check, build the document, lay it out, write PDF (and DOCX) atomically.

use std::path::Path;

use crate::document::build::{self, Options as DocOptions};
use crate::layout::fonts::FontSet;
use crate::layout::pages::layout;
use crate::load;
use crate::policy::Registry;
use crate::report::Report;
use crate::rules;
use crate::writer::pdf::{PdfOptions, write};

pub struct Options<'a> {
    pub out: &'a Path,
    pub draft: bool,
    pub unmasked: bool,
    pub font_dir: Option<&'a Path>,
}

pub struct Outcome {
    pub exit_code: u8,
    pub message: String,
}

/// SOURCE_DATE_EPOCH when set, so rebuilding the same dossier gives the same bytes.
pub fn epoch() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// A file name from the brand: Chinese kept, path separators and Windows-reserved characters
/// replaced.
pub fn file_stem(brand: &str) -> String {
    let s: String = brand
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() { '_' } else { c })
        .collect();
    let s = s.trim().trim_matches('.').to_owned();
    if s.is_empty() { "申报材料".to_owned() } else { s }
}

pub fn build(path: &Path, registry: &Registry, opts: &Options) -> Result<Outcome, String> {
    let loaded = match load::load(path) {
        Ok(l) => l,
        Err(e) => {
            let report = Report::from_load_error(path.display().to_string(), &e);
            return Ok(Outcome { exit_code: 2, message: report.to_text(e.text.as_deref()) });
        }
    };
    let checked = rules::check(&loaded, registry);
    if checked.blocking() > 0 && !opts.draft {
        let report = Report::from_checked(path.display().to_string(), &checked);
        let mut message = report.to_text(Some(&loaded.text));
        message.push_str("有阻止提交的问题，未生成材料；改正后重试，或用 --draft 生成草稿。\n");
        return Ok(Outcome { exit_code: 1, message });
    }
    let pack = checked
        .policy
        .as_ref()
        .and_then(|p| registry.get(&p.id))
        .ok_or_else(|| "材料未指明有效的政策，无法生成".to_owned())?;
    let doc = build::build(&loaded, &checked, pack, &DocOptions { unmasked: opts.unmasked, draft: opts.draft })?;
    let fonts = FontSet::load(opts.font_dir)?;
    let missing = fonts.missing(&doc.text());
    if !missing.is_empty() {
        let list: String = missing.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect::<Vec<_>>().join("、");
        return Err(format!("字体中没有以下字符，无法排版：{list}；请改用其他写法，或用 --font-dir 提供包含这些字符的字体"));
    }
    let laid = layout(&doc, &fonts);
    let pdf = write(&laid, &fonts, &PdfOptions { title: &doc.title, epoch: epoch(), draft: opts.draft })?;
    std::fs::create_dir_all(opts.out).map_err(|e| format!("无法创建输出目录 {}：{e}", opts.out.display()))?;
    let stem = file_stem(checked.model.as_ref().map_or("申报材料", |m| m.brand.name.as_str()));
    let docx = crate::writer::docx::write(&doc, &laid.outline, epoch())?;
    let pdf_path = opts.out.join(format!("{stem}.pdf"));
    let docx_path = opts.out.join(format!("{stem}.docx"));
    crate::atomic_write(&pdf_path, &pdf)?;
    crate::atomic_write(&docx_path, &docx)?;
    Ok(Outcome {
        exit_code: 0,
        message: format!("已生成 {}（{} 页）和 {}\n", pdf_path.display(), laid.pages.len(), docx_path.display()),
    })
}
