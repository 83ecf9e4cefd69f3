//! Laid-out pages to PDF with printpdf: the bundled fonts embedded as subsets (only the
//! glyphs used) with ToUnicode maps, the evidence bound in (bind.rs), a nested outline, and
//! fixed metadata so the same input gives the same bytes.

use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
    TextItem,
};

use crate::fonts::{FontSet, ROLES, Role};
use crate::layout::pages::{Item, Laid, PAGE_H};

pub struct PdfOptions<'a> {
    pub title: &'a str,
    /// Seconds since the epoch for the document dates (SOURCE_DATE_EPOCH).
    pub epoch: i64,
    /// Stamp 草稿 on every page.
    pub draft: bool,
}

fn font_id(role: Role) -> printpdf::FontId {
    // Fixed resource names: random ones would change the bytes between runs.
    printpdf::FontId(
        match role {
            Role::Serif => "F1",
            Role::SerifBold => "F2",
            Role::Sans => "F3",
            Role::Kai => "F4",
        }
        .to_owned(),
    )
}

/// The bundled faces parsed once per process: parsing megabytes of font is most of the cost
/// of a rendering, and verify renders every submission of a batch.
fn parsed_bundled(role: Role, bytes: &[u8]) -> Option<ParsedFont> {
    use std::sync::OnceLock;
    static PARSED: [OnceLock<Option<ParsedFont>>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = ROLES.iter().position(|r| *r == role)?;
    PARSED[slot].get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new())).clone()
}

/// `files` are the document's bound evidence files, which the layout's image items draw.
pub fn write(laid: &Laid, files: Vec<crate::document::Bound>, fonts: &FontSet, opts: &PdfOptions) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(opts.title);
    let mut warnings = Vec::new();
    for role in ROLES {
        let f = fonts.get(role);
        let parsed = match f.bundled {
            Some(bundled) => parsed_bundled(bundled, &f.bytes),
            None => ParsedFont::from_bytes(&f.bytes, 0, &mut warnings),
        }
        .ok_or_else(|| format!("字体 {} 无法嵌入", f.name))?;
        doc.resources.fonts.map.insert(font_id(role), printpdf::font::PdfFont::new(parsed));
    }
    let when = printpdf::OffsetDateTime::from_unix_timestamp(opts.epoch).map_err(|e| e.to_string())?;
    let info = &mut doc.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.creator = format!("dossier {}", env!("CARGO_PKG_VERSION"));
    info.producer = info.creator.clone();
    let mut pages = Vec::new();
    for page in &laid.pages {
        let mut ops = Vec::new();
        let mut items: Vec<&Item> = page.items.iter().collect();
        let stamp;
        if opts.draft {
            stamp = Item::Text { x: 150.0 * crate::layout::pages::MM, y: 20.0 * crate::layout::pages::MM, size: 26.0, role: Role::Sans, text: "草稿".to_owned(), spacing: 0.0 };
            items.push(&stamp);
        }
        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
        ops.push(Op::SetOutlineColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) });
        for item in items {
            match item {
                Item::Text { x, y, size, role, text, spacing } => {
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont { font: PdfFontHandle::External(font_id(*role)), size: Pt(*size) });
                    ops.push(Op::SetCharacterSpacing { multiplier: *spacing });
                    ops.push(Op::SetTextCursor { pos: Point { x: Pt(*x), y: Pt(PAGE_H - y) } });
                    // Glyph ids from our own cached lookup: printpdf's per-character cmap search
                    // was a sixth of a rendering. The cid keeps the text extractable.
                    let font = fonts.get(*role);
                    let glyphs = text.chars().map(|c| printpdf::Codepoint { gid: font.glyph(c), offset: 0.0, cid: Some(c.to_string()) }).collect();
                    ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(glyphs)] });
                    ops.push(Op::EndTextSection);
                }
                // Drawn once the pages are PDF objects (bind.rs).
                Item::Image { .. } => {}
                Item::Rule { x1, y1, x2, y2, width } => {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint { p: Point { x: Pt(*x1), y: Pt(PAGE_H - y1) }, bezier: false },
                                LinePoint { p: Point { x: Pt(*x2), y: Pt(PAGE_H - y2) }, bezier: false },
                            ],
                            is_closed: false,
                        },
                    });
                }
            }
        }
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(pages);
    let save = PdfSaveOptions { subset_fonts: true, optimize: false, ..Default::default() };
    let mut lopdf_doc = doc.to_lopdf_document(&save, &mut Vec::new());
    super::bind::bind(&mut lopdf_doc, laid, files)?;
    super::bind::outline(&mut lopdf_doc, &laid.marks)?;
    compress_streams(&mut lopdf_doc);
    let mut bytes = Vec::new();
    lopdf_doc.save_to(&mut bytes).map_err(|e| format!("PDF 无法写出：{e}"))?;
    Ok(stable_id(bytes))
}

/// Flate every stream at a middling level: lopdf's own pass uses the best level, which costs
/// far more time for about 0.1 % in size, and verify re-renders a whole batch.
fn compress_streams(doc: &mut lopdf::Document) {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else { continue };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
        let Ok(compressed) = encoder.write_all(&stream.content).and_then(|()| encoder.finish()) else { continue };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// printpdf draws the trailer /ID from a process-wide counter, so two renderings in one
/// process (verify re-rendering a batch) differ there alone. Derive it from the content.
fn stable_id(mut bytes: Vec<u8>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let Some(at) = bytes.windows(5).rposition(|w| w == b"/ID[(") else { return bytes };
    let start = at + 5;
    // Two 32-character literal strings: (first)(second).
    let (a, b) = (start..start + 32, start + 34..start + 66);
    if bytes.len() < b.end + 1 || bytes[a.end] != b')' || bytes[b.start - 1] != b'(' || bytes[b.end] != b')' {
        return bytes;
    }
    for i in a.clone().chain(b.clone()) {
        bytes[i] = b'0';
    }
    let digest = Sha256::digest(&bytes);
    let hex: Vec<u8> = digest.iter().flat_map(|d| format!("{d:02X}").into_bytes()).collect();
    bytes[a].copy_from_slice(&hex[..32]);
    bytes[b].copy_from_slice(&hex[32..64]);
    bytes
}
