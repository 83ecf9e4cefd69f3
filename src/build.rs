//! `dossier build`: check, build the document, lay it out, write PDF (and DOCX) atomically.

use std::path::Path;

use crate::document::compose::{self, Options as DocOptions};
use crate::fonts::FontSet;
use crate::layout::pages::layout;
use crate::load;
use crate::policy::Registry;
use crate::report::Report;
use crate::rules;
use crate::writer::pdf::PdfOptions;

pub struct Options<'a> {
    pub out: &'a Path,
    pub draft: bool,
    /// Findings shown in full on the terminal; the documents and the bag follow
    /// crate::privacy whatever it says, so verify's fresh rendering matches.
    pub unmasked: bool,
    pub font_dir: Option<&'a Path>,
    /// age recipients: when given, the submission is written only encrypted, as `.zip.age`.
    pub recipients: Vec<age::x25519::Recipient>,
}

pub struct Exit {
    pub exit_code: u8,
    pub message: String,
}

/// The date stamped in the outputs: SOURCE_DATE_EPOCH when set, else the commitment's date —
/// either way rebuilding the same dossier gives the same bytes.
pub fn epoch(json: &serde_json::Value) -> i64 {
    if let Some(e) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse().ok()) {
        return e;
    }
    let signed = json.pointer("/commitment/date").and_then(|d| d.as_str()).and_then(crate::rules::codes::parse_date);
    signed.map_or(0, |(y, m, d)| crate::rules::codes::days_from_civil(y, m, d) * 86_400)
}

pub use crate::document::compose::file_stem;

/// The terminal is a masked row of the table: masked unless `--unmasked`.
fn shown(report: Report, unmasked: bool) -> Report {
    if unmasked { Report { unmasked, ..report } } else { report.masked() }
}

pub fn build(path: &Path, registry: &Registry, opts: &Options) -> Result<Exit, String> {
    let loaded = match load::load(path) {
        Ok(l) => l,
        Err(e) => {
            let report = shown(Report::from_load_error(path.display().to_string(), &e), opts.unmasked);
            return Ok(Exit { exit_code: 2, message: report.to_text(e.text.as_deref()) });
        }
    };
    let checked = rules::check(&loaded, registry);
    // A submission must neither carry blocking problems nor print 待填写; a draft may.
    let refusal = match (checked.blocking(), checked.placeholders()) {
        (0, 0) => None,
        (0, n) => Some(format!("有 {n} 处仍是“待填写”占位内容，不能作为正式申报材料，未生成材料；填写后重试，或用 --draft 生成草稿。\n")),
        _ => Some("有阻止提交的问题，未生成材料；改正后重试，或用 --draft 生成草稿。\n".to_owned()),
    };
    if let Some(reason) = refusal.filter(|_| !opts.draft) {
        let report = shown(Report::from_checked(path.display().to_string(), &checked), opts.unmasked);
        let mut message = report.to_text(Some(&loaded.text));
        message.push_str(&reason);
        return Ok(Exit { exit_code: 1, message });
    }
    let pack = checked
        .policy
        .as_ref()
        .and_then(|p| registry.get(&p.id))
        .ok_or_else(|| "材料未指明有效的政策，无法生成".to_owned())?;
    let render_opts = RenderOptions { draft: opts.draft, unmasked: false, font_dir: opts.font_dir, epoch: epoch(&loaded.json) };
    let (pdf, docx, pages) = render_document(&loaded, &checked, pack, &render_opts)?;
    std::fs::create_dir_all(opts.out).map_err(|e| format!("无法创建输出目录 {}：{e}", opts.out.display()))?;
    let stem = file_stem(checked.model.as_ref().map_or("申报材料", |m| m.brand.name.as_str()));
    let pdf_path = opts.out.join(format!("{stem}.pdf"));
    let docx_path = opts.out.join(format!("{stem}.docx"));
    // The volume is saved straight into its file, its scans streamed from theirs and every
    // byte hashed as it is written; the bag copies the file and reuses the digests.
    let mut pdf_file = crate::Pending::create(&pdf_path, false)?;
    let written = match crate::writer::pdf::to_file(pdf, &mut pdf_file.file) {
        Ok(w) => w,
        Err(why) => return Err(pdf_file.abandon(why)),
    };
    // Its own handle: the file is renamed into place meanwhile.
    let pdf_copy = std::fs::File::open(&pdf_file.tmp).map_err(|e| format!("无法读取 {}：{}", pdf_path.display(), crate::lang::io_error_zh(&e)))?;
    // Synced and renamed on another thread (the disk waits) while the bag is written.
    let (zip_path, committed) = std::thread::scope(|s| {
        let committing = s.spawn(move || pdf_file.commit());
        let bag = || -> Result<std::path::PathBuf, String> {
            crate::atomic_write(&docx_path, &docx)?;
            let (payload, info) = submission(&loaded, &checked, pack, (pdf_copy, written), docx, &render_opts)?;
            // Encrypted, the plain zip never reaches the disk: only the sealed file travels.
            // Plain, it is written straight into its file, never held whole in memory.
            if opts.recipients.is_empty() {
                let zip_path = opts.out.join(format!("{stem}.zip"));
                crate::write_atomically_with(&zip_path, false, |file| {
                    let out = crate::package::zip_bag_into(std::io::BufWriter::new(file), &stem, payload, &info)?;
                    out.into_inner().map(drop).map_err(|e| crate::lang::io_error_zh(e.error()))
                })?;
                Ok(zip_path)
            } else {
                let zip_path = opts.out.join(format!("{stem}.zip.age"));
                let bag = crate::package::zip_bag(&stem, payload, &info)?;
                crate::atomic_write(&zip_path, &crate::crypt::encrypt(&bag, &opts.recipients)?)?;
                Ok(zip_path)
            }
        };
        let zip_path = bag();
        (zip_path, committing.join().unwrap_or_else(|_| Err("内部错误：PDF 未能写完".to_owned())))
    });
    committed?;
    let zip_path = zip_path?;
    Ok(Exit {
        exit_code: 0,
        message: format!(
            "已生成 {}（{} 页）、{} 和 {}\n",
            pdf_path.display(),
            pages,
            docx_path.display(),
            zip_path.display()
        ),
    })
}

/// bag-info labels for the rendering options `build` used.
pub const DRAFT_FIELD: &str = "Dossier-Draft";
pub const TOOL_FIELD: &str = "Dossier-Tool-Version";
/// The exact time stamped in the PDF and DOCX (Bagging-Date has only the day): a build under
/// SOURCE_DATE_EPOCH at any second re-renders the same.
pub const EPOCH_FIELD: &str = "Dossier-Render-Epoch";

pub struct RenderOptions<'a> {
    pub draft: bool,
    pub unmasked: bool,
    pub font_dir: Option<&'a Path>,
    /// Seconds since the epoch stamped in the documents.
    pub epoch: i64,
}

/// What `verify` compares a submission with: the PDF as objects, its streams not yet
/// compressed (`writer::pdf::compress_streams`), and the text runs of the DOCX's body
/// (`writer::docx::body_text`).
pub fn render(
    loaded: &load::Loaded,
    checked: &rules::Checked,
    pack: &crate::policy::Pack,
    opts: &RenderOptions,
) -> Result<(lopdf::Document, String), String> {
    let (mut doc, fonts, laid) = laid_out(loaded, checked, pack, opts)?;
    let author = checked.model.as_ref().map_or("", |m| m.applicant.name.as_str());
    let docx = crate::writer::docx::body_text(&doc, &laid, &crate::writer::docx::DocxOptions { title: &doc.title, author, epoch: opts.epoch });
    let files = std::mem::take(&mut doc.files);
    let pdf = crate::writer::pdf::objects(&laid, files, &fonts, &PdfOptions { title: &doc.title, author, epoch: opts.epoch, draft: opts.draft })?;
    Ok((pdf, docx))
}

/// The PDF (as objects, for `build` to save into its file), the DOCX and the page count.
fn render_document(
    loaded: &load::Loaded,
    checked: &rules::Checked,
    pack: &crate::policy::Pack,
    opts: &RenderOptions,
) -> Result<(lopdf::Document, Vec<u8>, usize), String> {
    let (mut doc, fonts, laid) = laid_out(loaded, checked, pack, opts)?;
    let author = checked.model.as_ref().map_or("", |m| m.applicant.name.as_str());
    // The evidence bytes move into the PDF rather than being copied there.
    let files = std::mem::take(&mut doc.files);
    let (doc, laid) = (&doc, &laid);
    let pdf_opts = PdfOptions { title: &doc.title, author, epoch: opts.epoch, draft: opts.draft };
    // The DOCX beside the PDF, on the second core (the fonts' caches go with the PDF).
    let (docx, pdf) = rayon::join(
        || crate::writer::docx::write(doc, laid, &crate::writer::docx::DocxOptions { title: &doc.title, author, epoch: opts.epoch }),
        move || crate::writer::pdf::document(laid, files, &fonts, &pdf_opts),
    );
    Ok((pdf?, docx?, laid.pages.len()))
}

/// The document built, its fonts, and its pages laid out: what both writers read.
fn laid_out(
    loaded: &load::Loaded,
    checked: &rules::Checked,
    pack: &crate::policy::Pack,
    opts: &RenderOptions,
) -> Result<(crate::document::Document, FontSet, crate::layout::pages::Laid), String> {
    let doc = compose::compose(loaded, checked, pack, &DocOptions { unmasked: opts.unmasked, draft: opts.draft })?;
    let fonts = FontSet::load(opts.font_dir)?;
    let missing = fonts.missing(&doc.text());
    if !missing.is_empty() {
        let list: String = missing.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect::<Vec<_>>().join("、");
        return Err(format!("字体中没有以下字符，无法排版：{list}；请改用其他写法，或用 --font-dir 提供包含这些字符的字体"));
    }
    let laid = layout(&doc, &fonts);
    Ok((doc, fonts, laid))
}

pub use crate::document::compose::roster_bag_path;

/// The evidence files a submission carries only inside its PDF (JPEGs, embedded as they are):
/// one line each, `SHA-256<TAB>bytes<TAB>path`, after `#` comment lines.
pub const IN_PDF_LIST: &str = "佐证材料/仅装订在PDF中的佐证材料.txt";
const IN_PDF_HEADER: &str = "# 以下佐证材料（JPEG）按原样逐字节装订在 PDF 中，不在本目录重复存放；可用 pdfimages -all 原样提取。\n# SHA-256\t字节数\t文件\n";

/// The BagIt submission's payload and bag-info: dossier, renderings, rosters in full,
/// numbered evidence (JPEGs inside the PDF only).
fn submission(
    loaded: &load::Loaded,
    checked: &rules::Checked,
    pack: &crate::policy::Pack,
    (pdf_file, pdf): (std::fs::File, crate::writer::pdf::Written),
    docx: Vec<u8>,
    rendered: &RenderOptions,
) -> Result<(Vec<crate::package::Entry>, crate::package::BagInfo), String> {
    use crate::package::{BagInfo, Body, Entry};
    let stem = file_stem(checked.model.as_ref().map_or("申报材料", |m| m.brand.name.as_str()));
    let read = |rel: &str| loaded.source.read(rel, u64::MAX);
    let crate::writer::pdf::Written { len, sha256, sha512, streamed } = pdf;
    let mut payload = vec![
        Entry::new(crate::load::DOSSIER_FILE, std::fs::read(&loaded.file).map_err(|e| e.to_string())?),
        Entry { path: format!("{stem}.pdf"), body: Body::File { file: pdf_file, len, sha256, sha512 } },
        Entry::new(format!("{stem}.docx"), docx),
    ];
    for r in checked.model.iter().flat_map(|m| &m.training.rosters) {
        let path = loaded.dir.join(r.file.replace('\\', "/"));
        if let Ok(table) = crate::load::roster::read(&path, r.sheet.as_deref()) {
            payload.push(Entry::new(roster_bag_path(&r.file), crate::privacy::roster_csv(&table)));
        }
    }
    // The JPEGs the PDF writer streamed were hashed on the way: (digest, bytes) by file.
    let streamed: std::collections::HashMap<std::path::PathBuf, String> = streamed.into_iter().collect();
    // A JPEG is listed by its digest, read one at a time: never all of them held at once.
    let mut jpegs: Vec<(String, String)> = Vec::new();
    for e in crate::document::compose::number_evidence(&loaded.json, &pack.evidence_outline) {
        let src = e.file.replace('\\', "/");
        // Only files the check proved to be inside the folder; a draft may lack some.
        if !rules::evidence::check_file(&loaded.source, &e.file, "").is_empty() {
            continue;
        }
        // A JPEG is bound into the PDF byte for byte: carried once, there.
        if matches!(checked.evidence.get(&e.file).and_then(|m| m.printable.as_ref()), Some(crate::load::media::Printable::Jpeg(_))) {
            jpegs.push((e.place, src));
            continue;
        }
        payload.push(Entry::new(e.place, read(&src)?));
    }
    let in_pdf: String = {
        use rayon::prelude::*;
        use sha2::{Digest, Sha256};
        let lines: Vec<String> = jpegs
            .par_iter()
            .map(|(place, src)| {
                let on_disk = loaded.source.dir().map(|d| d.join(src));
                if let Some((digest, len)) = on_disk.as_ref().and_then(|p| Some((streamed.get(p)?, std::fs::metadata(p).ok()?.len()))) {
                    return Ok(format!("{digest}\t{len}\t{place}\n"));
                }
                let bytes = read(src)?;
                let digest = crate::hex(&Sha256::digest(&bytes));
                Ok(format!("{digest}\t{}\t{place}\n", bytes.len()))
            })
            .collect::<Result<_, String>>()?;
        lines.concat()
    };
    if !in_pdf.is_empty() {
        payload.push(Entry::new(IN_PDF_LIST, format!("{IN_PDF_HEADER}{in_pdf}").into_bytes()));
    }
    let model = checked.model.as_ref();
    let fields = vec![
        ("Source-Organization".to_owned(), model.map_or(String::new(), |m| m.applicant.name.clone())),
        ("External-Identifier".to_owned(), model.map_or(String::new(), |m| m.applicant.credit_code.clone())),
        ("External-Description".to_owned(), format!("{}（职业技能培训品牌申报材料）", model.map_or("", |m| m.brand.name.as_str()))),
        ("Dossier-Policy".to_owned(), pack.id.clone()),
        ("Dossier-Policy-Version".to_owned(), pack.version.clone()),
        ("Bag-Software-Agent".to_owned(), format!("dossier {}", env!("CARGO_PKG_VERSION"))),
        // What changes the rendering, so verify re-renders exactly as build did.
        (DRAFT_FIELD.to_owned(), rendered.draft.to_string()),
        (TOOL_FIELD.to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
        (EPOCH_FIELD.to_owned(), rendered.epoch.to_string()),
    ];
    Ok((payload, BagInfo { fields, epoch: rendered.epoch }))
}
