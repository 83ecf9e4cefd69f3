//! The document model to DOCX with docx-rs, in the geometry and faces of layout/style.rs (the
//! PDF's): A4, GB/T 9704 margins mirrored (w:mirrorMargins), the 22 × 28 document grid, fonts
//! named as Chinese offices have them (方正小标宋简体, 黑体, 楷体_GB2312, 仿宋_GB2312, with
//! w:eastAsia), "— N —" footers on the outer side of odd and even pages, one character in, none
//! on the cover (w:titlePg). Headings are in the styles heading 1 / heading 2 (Word: 标题 1 /
//! 标题 2) with outline levels; the contents is a TOC \o field over them, marked dirty, whose
//! cached entries carry the page numbers the PDF layout found. No w:sdt wrapper: LibreOffice
//! would print it as text. What docx-rs cannot write (table header rows, mirror margins, core
//! title and author, section order, deflated parts) is added to its parts before zipping.

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, HeightRule, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType, Tab, TabLeaderType, TabValueType, Table,
    TableCell, TableCellMargins, TableRow, VAlignType, VMergeType, WidthType,
};

use crate::document::{Align, Block, Cell, Document};
use crate::layout::pages::Laid;
use crate::layout::style::{self, Look, TWIP_MM, twips_mm, twips_pt};

/// The type area's width, where the contents' page numbers sit.
const AREA_TWIPS: usize = (style::AREA_W_MM * TWIP_MM) as usize;
/// 22 lines to the 225 mm type area.
const PITCH_TWIPS: i32 = (style::AREA_H_MM * TWIP_MM / style::LINES as f32) as i32;
const FANGSONG: &str = style::Face::FangSong.docx_name();

fn half_points(size: f32) -> usize {
    (size * 2.0).round() as usize
}

/// A first-line indent of the style's characters, in twips: characters of the 28-to-a-line
/// grid, as the PDF indents.
fn indent_twips(look: Look) -> i32 {
    twips_pt(look.indent * style::CHAR * look.size / style::BODY)
}

/// A run of `text` in the style's face and size.
fn styled(text: &str, look: Look) -> Run {
    run(text, look.face.docx_name(), half_points(look.size))
}

/// A run set 28 characters to the line as the PDF sets it: 16 pt glyphs a little tighter,
/// whole twips rounded down so the 28th still fits. The paragraphs carrying it do not snap to
/// the character grid: Word would compress them to it anyway, but LibreOffice gives every
/// glyph wider than a grid cell two cells (17 characters to the line).
fn gridded(text: &str, look: Look) -> Run {
    styled(text, look).character_spacing(((style::CHAR - look.size) * 20.0).floor() as i32)
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn run(text: &str, font: &str, half_points: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(half_points)
}

fn exact_pitch() -> LineSpacing {
    LineSpacing::new().line(PITCH_TWIPS).line_rule(LineSpacingType::Exact)
}

fn align(a: &Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

/// The page number one character in from the type area's outer edge, like the PDF's.
fn page_number_footer(alignment: AlignmentType) -> Footer {
    let look = style::PAGE_NUMBER;
    let size = half_points(look.size);
    let inset = twips_pt(style::PAGE_NUMBER_INSET);
    let (left, right) = if matches!(alignment, AlignmentType::Right) { (None, Some(inset)) } else { (Some(inset), None) };
    let field = Run::new()
        .fonts(fonts(FANGSONG))
        .size(size)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::Unsupported("PAGE".to_owned()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(alignment)
            .snap_to_grid(false)
            .indent(left, None, right, None)
            .line_spacing(LineSpacing::new().line(twips_pt(look.size)).line_rule(LineSpacingType::Exact))
            .add_run(run("— ", FANGSONG, size))
            .add_run(field)
            .add_run(run(" —", FANGSONG, size)),
    )
}

/// What the DOCX's core properties say: the title, the applicant as author, the date.
pub struct DocxOptions<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub epoch: i64,
}

/// Paragraph style ids: Word shows `heading N` as 标题 N in a Chinese interface, and its
/// "更新目录" rebuilds `TOC \o` from them.
const HEADING: [&str; 2] = ["Heading1", "Heading2"];
const TOC_STYLE: [&str; 2] = ["TOC1", "TOC2"];

fn heading_style(level: u8) -> Style {
    let look = style::heading(level);
    Style::new(HEADING[usize::from(level - 1)], StyleType::Paragraph)
        .name(format!("heading {level}"))
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .ui_priority(9)
        .outline_lvl(usize::from(level - 1))
        .snap_to_grid(false)
        .fonts(fonts(look.face.docx_name()))
        .size(half_points(look.size))
        .line_spacing(exact_pitch())
        .indent(None, Some(SpecialIndentType::FirstLine(indent_twips(look))), None, None)
}

/// The contents entries' styles, which Word gives the entries it regenerates.
fn toc_style(level: u8) -> Style {
    let look = style::CONTENTS;
    let indent = if level == 1 { 0 } else { twips_pt(style::CONTENTS_INDENT * style::CHAR) };
    Style::new(TOC_STYLE[usize::from(level - 1)], StyleType::Paragraph)
        .name(format!("toc {level}"))
        .based_on("Normal")
        .next("Normal")
        .ui_priority(39)
        .snap_to_grid(false)
        .fonts(fonts(look.face.docx_name()))
        .size(half_points(look.size))
        .line_spacing(exact_pitch())
        .indent(Some(indent), None, None, None)
}

/// The PDF layout gives the page each contents entry's heading starts on, and the pages each
/// evidence item is bound on: the DOCX is the editable text of the same volume and quotes them.
/// The evidence itself is bound only into the PDF.
pub fn write(doc: &Document, laid: &Laid, opts: &DocxOptions) -> Result<Vec<u8>, String> {
    package(parts(doc, laid, opts)).map_err(|e| format!("无法生成 DOCX：{e}"))
}

/// The text runs of the body part (word/document.xml) in order, each as written there
/// (XML-escaped) and ended by U+0001: what verify compares a received DOCX by, read from the
/// model [`write`] builds, without writing its XML.
pub fn body_text(doc: &Document, laid: &Laid, opts: &DocxOptions) -> String {
    use docx_rs::{DocumentChild, ParagraphChild, RunChild, TableCellContent, TableChild, TableRowChild};
    fn paragraph(p: &Paragraph, out: &mut String) {
        for child in &p.children {
            let ParagraphChild::Run(run) = child else { continue };
            for c in &run.children {
                if let RunChild::Text(t) = c {
                    out.push_str(&t.text);
                    out.push('\u{1}');
                }
            }
        }
    }
    fn table(t: &Table, out: &mut String) {
        for TableChild::TableRow(row) in &t.rows {
            for TableRowChild::TableCell(cell) in &row.cells {
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(p) => paragraph(p, out),
                        TableCellContent::Table(t) => table(t, out),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut out = String::new();
    for child in &model(doc, laid, opts).document.children {
        match child {
            DocumentChild::Paragraph(p) => paragraph(p, &mut out),
            DocumentChild::Table(t) => table(t, &mut out),
            _ => {}
        }
    }
    out
}

fn parts(doc: &Document, laid: &Laid, opts: &DocxOptions) -> docx_rs::XMLDocx {
    let mut xml = model(doc, laid, opts).build();
    xml.document = section_order(&mark_header_rows(xml.document));
    xml.styles = normal_style(&xml.styles);
    xml.settings = settings(&xml.settings);
    xml.doc_props.core = core_properties(opts);
    xml
}

/// The document as docx-rs's model, before its parts are written.
fn model(doc: &Document, laid: &Laid, opts: &DocxOptions) -> Docx {
    let outline = &laid.outline;
    let margin = PageMargin {
        top: twips_mm(style::TOP_MM),
        bottom: twips_mm(style::BOTTOM_MM),
        // Inside and outside: w:mirrorMargins swaps them on even pages, as the PDF binds them.
        left: twips_mm(style::BINDING_MM),
        right: twips_mm(style::OUTER_MM),
        header: twips_mm(15.0),
        // Word measures the footer from the page's lower edge to the footer line's foot: the
        // page number's baseline, where the PDF sets it.
        footer: twips_pt(style::PAGE_H - style::PAGE_NUMBER_BASELINE),
        gutter: 0,
    };
    let body = style::BODY_TEXT;
    // 22 lines of 28 characters: the character pitch is the body size plus charSpace/4096 pt.
    let grid = DocGrid::new()
        .grid_type(DocGridType::LinesAndChars)
        .line_pitch(PITCH_TWIPS as usize)
        .char_space(((style::CHAR - body.size) * 4096.0).round() as isize);
    let mut docx = Docx::new()
        .page_size(twips_mm(style::PAGE_W_MM) as u32, twips_mm(style::PAGE_H_MM) as u32)
        .page_margin(margin)
        .default_fonts(fonts(body.face.docx_name()))
        .default_size(half_points(body.size))
        .add_style(heading_style(1))
        .add_style(heading_style(2))
        .add_style(toc_style(1))
        .add_style(toc_style(2))
        .footer(page_number_footer(AlignmentType::Right))
        .even_footer(page_number_footer(AlignmentType::Left))
        // The cover prints no number (w:titlePg with an empty first-page footer).
        .first_footer(Footer::new().add_paragraph(Paragraph::new()))
        .created_at(&iso_date(opts.epoch))
        .updated_at(&iso_date(opts.epoch));
    docx.document = docx.document.doc_grid(grid);
    // A page break becomes "page break before" on the next paragraph: a paragraph holding only
    // a break would print an empty line at the next page's top, one line the PDF does not have.
    let mut break_before = false;
    let mut page_fresh = false;
    let mut header_rows = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Cover { title, fields } => {
                // The title and the fields start where the PDF's do, as space before them.
                let (t_look, f_look) = (style::COVER_TITLE, style::COVER_FIELD);
                let title_pitch = t_look.size * style::COVER_TITLE_PITCH;
                let mut at = style::AREA_H * style::COVER_TITLE_AT;
                for t in title {
                    let spacing = LineSpacing::new().before(twips_pt(at) as u32).line(twips_pt(title_pitch)).line_rule(LineSpacingType::Exact);
                    let p = Paragraph::new().align(AlignmentType::Center).snap_to_grid(false).line_spacing(spacing).add_run(styled(t, t_look));
                    docx = add(docx, p, &mut break_before, &mut page_fresh);
                    at = 0.0;
                }
                let mut gap = style::AREA_H * (style::COVER_FIELDS_AT - style::COVER_TITLE_AT) - title.len() as f32 * title_pitch;
                for (label, value) in fields {
                    let spacing = exact_pitch().before(twips_pt(gap.max(0.0)) as u32);
                    let p = Paragraph::new().snap_to_grid(false).line_spacing(spacing).add_run(styled(&format!("{label}：{value}"), f_look));
                    docx = add(docx, p, &mut break_before, &mut page_fresh);
                    gap = 0.0;
                }
            }
            Block::Contents => {
                let last = outline.len().saturating_sub(1);
                for (i, (level, text, page)) in outline.iter().enumerate() {
                    let level = (*level).clamp(1, 2);
                    let mut p = Paragraph::new()
                        .style(TOC_STYLE[usize::from(level - 1)])
                        .add_tab(Tab::new().val(TabValueType::Right).leader(TabLeaderType::Dot).pos(AREA_TWIPS));
                    if i == 0 {
                        p = p.add_run(
                            Run::new()
                                .add_field_char(FieldCharType::Begin, true)
                                .add_instr_text(InstrText::Unsupported("TOC \\o \"1-2\" \\h \\z".to_owned()))
                                .add_field_char(FieldCharType::Separate, false),
                        );
                    }
                    let look = style::CONTENTS;
                    p = p.add_run(gridded(text, look)).add_run(Run::new().add_tab()).add_run(styled(&page.to_string(), look));
                    if i == last {
                        p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
                    }
                    docx = add(docx, p, &mut break_before, &mut page_fresh);
                }
            }
            Block::Title(t) => {
                // One and a half pitches, half a pitch after: as the PDF sets it.
                let pitch = style::PITCH * style::TITLE_PITCH;
                let spacing = LineSpacing::new().line(twips_pt(pitch)).line_rule(LineSpacingType::Exact).after(twips_pt(style::PITCH * 0.5) as u32);
                let p = Paragraph::new().align(AlignmentType::Center).keep_next(true).snap_to_grid(false).line_spacing(spacing).add_run(styled(t, style::TITLE));
                docx = add(docx, p, &mut break_before, &mut page_fresh);
            }
            Block::Heading { level, text } => {
                let look = style::heading(*level);
                let p = if *level <= 2 {
                    Paragraph::new().style(HEADING[usize::from(*level - 1)])
                } else {
                    Paragraph::new()
                        .outline_lvl(usize::from(level.saturating_sub(1)))
                        .snap_to_grid(false)
                        .line_spacing(exact_pitch())
                        .indent(None, Some(SpecialIndentType::FirstLine(indent_twips(look))), None, None)
                };
                // Kept with the next paragraph, as the PDF keeps a heading with a line after it.
                let p = p.keep_next(true).add_run(gridded(text, look));
                docx = add(docx, p, &mut break_before, &mut page_fresh);
            }
            Block::Paragraph(text) => {
                let look = style::BODY_TEXT;
                let p = Paragraph::new()
                    .align(AlignmentType::Both)
                    .snap_to_grid(false)
                    .line_spacing(exact_pitch())
                    .indent(None, Some(SpecialIndentType::FirstLine(indent_twips(look))), None, None)
                    .add_run(gridded(text, look));
                docx = add(docx, p, &mut break_before, &mut page_fresh);
            }
            Block::Line { text, align: a } => {
                let p = Paragraph::new().align(align(a)).snap_to_grid(false).line_spacing(exact_pitch()).add_run(gridded(text, style::LINE));
                docx = add(docx, p, &mut break_before, &mut page_fresh);
            }
            Block::Table(t) => {
                if std::mem::take(&mut break_before) {
                    // A table cannot carry "page break before": a hairline paragraph holds the break.
                    let hair = LineSpacing::new().line(20).line_rule(LineSpacingType::Exact);
                    docx = docx.add_paragraph(Paragraph::new().snap_to_grid(false).line_spacing(hair).add_run(Run::new().add_break(BreakType::Page)));
                }
                // The n-th table, laid out as the PDF's n-th.
                let (cols, splits) = (laid.table_cols.get(header_rows.len()), laid.table_splits.get(header_rows.len()));
                header_rows.push(t.header_rows.min(t.rows.len()));
                docx = docx.add_table(table(t, laid, cols, splits));
                // Half a pitch after the table, as in the PDF (and Word needs a paragraph between
                // tables); off the line grid, which would round it up to a whole pitch.
                let after = LineSpacing::new().line(twips_pt(style::PITCH * 0.5)).line_rule(LineSpacingType::Exact);
                docx = docx.add_paragraph(Paragraph::new().snap_to_grid(false).line_spacing(after));
                page_fresh = false;
            }
            Block::Evidence(_) => {}
            Block::PageBreak => {
                // As in the PDF: a break on a page that holds nothing yet starts no new page.
                if !page_fresh {
                    break_before = true;
                    page_fresh = true;
                }
            }
        }
    }
    docx
}

/// Add a paragraph, carrying a pending page break; the page then holds something.
fn add(docx: Docx, p: Paragraph, break_before: &mut bool, page_fresh: &mut bool) -> Docx {
    let p = if std::mem::take(break_before) { p.page_break_before(true) } else { p };
    *page_fresh = false;
    docx.add_paragraph(p)
}

/// Header rows are the rows written with no property (table() sets one on every other row):
/// mark them w:tblHeader, which docx-rs cannot write, so Word repeats them on each page.
fn mark_header_rows(document: Vec<u8>) -> Vec<u8> {
    let Ok(text) = String::from_utf8(document) else { unreachable!("docx-rs writes UTF-8") };
    text.replace("<w:trPr />", "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>").into_bytes()
}

/// Paragraph defaults, and the Normal style stating the body's size and face: LibreOffice sizes
/// the character grid from Normal, not from the document defaults.
fn normal_style(xml: &[u8]) -> Vec<u8> {
    let body = style::BODY_TEXT;
    let rpr = format!(
        "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{}\" /><w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" /></w:rPr>",
        body.face.docx_name(),
        size = half_points(body.size)
    );
    // No extra space between Chinese and Latin text or digits (the PDF sets none), and the
    // widow and orphan rule stated as the PDF layout keeps it, not left to the application.
    let widows = if style::WIDOW_CONTROL { "<w:widowControl />" } else { "<w:widowControl w:val=\"0\" />" };
    let defaults = format!("<w:pPrDefault><w:pPr>{widows}<w:autoSpaceDE w:val=\"0\" /><w:autoSpaceDN w:val=\"0\" /></w:pPr></w:pPrDefault>");
    let text = String::from_utf8_lossy(xml).replacen("<w:pPrDefault><w:pPr><w:rPr /></w:pPr></w:pPrDefault>", &defaults, 1);
    let normal = "<w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\" /><w:rPr />";
    text.replacen(normal, &normal.replace("<w:rPr />", &rpr), 1).into_bytes()
}

/// The section properties in the schema's order (references first, the grid last), which
/// docx-rs does not keep: Word and LibreOffice may drop what comes out of order.
fn section_order(document: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(document);
    let (Some(start), Some(end)) = (text.rfind("<w:sectPr>"), text.rfind("</w:sectPr>")) else { return document.to_vec() };
    let inner = &text[start + "<w:sectPr>".len()..end];
    // Split the children: each is one empty element `<w:x ... />`.
    let children: Vec<&str> = inner.split_inclusive("/>").filter(|c| !c.trim().is_empty()).collect();
    let rank = |c: &str| {
        let name = c.trim_start().trim_start_matches('<').split([' ', '/']).next().unwrap_or("");
        ["w:headerReference", "w:footerReference", "w:type", "w:pgSz", "w:pgMar", "w:pgNumType", "w:cols", "w:titlePg", "w:textDirection", "w:docGrid"]
            .iter()
            .position(|n| *n == name)
            .unwrap_or(6)
    };
    let mut sorted = children.clone();
    sorted.sort_by_key(|c| rank(c));
    format!("{}<w:sectPr>{}{}", &text[..start], sorted.concat(), &text[end..]).into_bytes()
}

/// docx-rs's settings with w:mirrorMargins, in the order the schema gives: zoom,
/// mirrorMargins, defaultTabStop, evenAndOddHeaders, characterSpacingControl, then compat.
fn settings(xml: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(xml);
    let (Some(open_end), Some(compat_at), Some(compat_end)) =
        (text.find("<w:settings").and_then(|i| text[i..].find('>').map(|j| i + j + 1)), text.find("<w:compat>"), text.find("</w:compat>"))
    else {
        return xml.to_vec();
    };
    let compat = &text[compat_at..compat_end + "</w:compat>".len()];
    format!(
        "{}<w:zoom w:percent=\"100\" /><w:mirrorMargins /><w:defaultTabStop w:val=\"{}\" /><w:evenAndOddHeaders /><w:characterSpacingControl w:val=\"compressPunctuation\" />{compat}</w:settings>",
        &text[..open_end],
        twips_pt(style::CHAR * 2.0)
    )
    .into_bytes()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Title, the applicant as creator and last editor, created and modified at SOURCE_DATE_EPOCH.
fn core_properties(opts: &DocxOptions) -> Vec<u8> {
    let (title, author, when) = (xml_escape(opts.title), xml_escape(opts.author), iso_date(opts.epoch));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
<cp:revision>1</cp:revision>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>"
    )
    .into_bytes()
}

/// The parts zipped deflated (docx-rs stores them: 352 KB for the city bundle), in docx-rs's
/// order, with a fixed time stamp so the same input gives the same bytes.
fn package(xml: docx_rs::XMLDocx) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), xml.document),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), xml.footnotes),
    ];
    for (i, h) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (name, bytes) in xml.media {
        parts.push((format!("word/media/{name}.png"), bytes));
    }
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // As the PDF's streams: fast, since verify re-renders it (see writer/pdf.rs).
        .compression_level(Some(3))
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn iso_date(epoch: i64) -> String {
    let (y, m, d) = crate::rules::codes::civil_from_days(epoch.div_euclid(86_400));
    let secs = epoch.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Cells placed on the column grid, with vertical merges written as restart/continue cells.
/// A table with the columns the PDF's layout gave it (`cols`, in points), else the template's;
/// rows the PDF lets continue on the next page (`splits`) may split in Word too.
fn table(t: &crate::document::Table, laid: &Laid, cols: Option<&Vec<f32>>, splits: Option<&Vec<bool>>) -> Table {
    let widths = cols.filter(|c| c.len() == t.widths.len()).unwrap_or(&t.widths);
    let total: f32 = widths.iter().sum::<f32>().max(0.001);
    let grid: Vec<usize> = widths.iter().map(|w| (w / total * AREA_TWIPS as f32) as usize).collect();
    let ncols = grid.len();
    // Which grid columns each row's rowspans still cover: (until row, colspan).
    let mut covering: Vec<Option<(usize, usize)>> = vec![None; ncols];
    let mut rows = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells = Vec::new();
        let mut col = 0;
        let mut source = row.iter();
        // A part row across the table goes over with the row under it, as in the PDF.
        let part_row = r >= t.header_rows && r + 1 < t.rows.len() && row.len() == 1 && row[0].colspan >= ncols;
        while col < ncols {
            if let Some((_, span)) = covering[col].filter(|(until, _)| *until > r) {
                let width: usize = grid[col..col + span].iter().sum();
                // Its empty paragraph at the cells' leading, off the grid: no taller than the PDF's row.
                let empty = Paragraph::new().snap_to_grid(false).line_spacing(cell_leading());
                cells.push(TableCell::new().vertical_merge(VMergeType::Continue).grid_span(span).width(width, WidthType::Dxa).add_paragraph(empty));
                col += span;
                continue;
            }
            let Some(cell) = source.next() else { break };
            let span = cell.colspan.clamp(1, ncols - col);
            let width: usize = grid[col..col + span].iter().sum();
            let mut tc = table_cell(cell, laid, part_row).grid_span(span).width(width, WidthType::Dxa);
            if cell.rowspan > 1 {
                tc = tc.vertical_merge(VMergeType::Restart);
                covering[col] = Some((r + cell.rowspan, span));
            }
            cells.push(tc);
            col += span;
        }
        let mut tr = TableRow::new(cells);
        if r >= t.header_rows {
            tr = if splits.and_then(|s| s.get(r)).copied().unwrap_or(false) {
                // May split, and still not a header row to mark_header_rows: a property of
                // its own (a height of at least nothing).
                tr.row_height(0.0).height_rule(HeightRule::AtLeast)
            } else {
                tr.cant_split()
            };
        }
        rows.push(tr);
    }
    let pad = twips_mm(style::PAD / style::MM) as usize;
    Table::new(rows).set_grid(grid).width(AREA_TWIPS, WidthType::Dxa).margins(TableCellMargins::new().margin(pad, pad, pad, pad))
}

/// A table cell's line: the PDF's leading, exact.
fn cell_leading() -> LineSpacing {
    LineSpacing::new().line(twips_pt(style::TABLE_SIZE * style::TABLE_LEADING)).line_rule(LineSpacingType::Exact)
}

fn table_cell(cell: &Cell, laid: &Laid, keep_next: bool) -> TableCell {
    let text = cell.pages_of.as_deref().map_or_else(|| cell.text.clone(), |no| laid.pages_of(no));
    // The PDF's leading, off the line grid; text centred in the cell's height like the PDF's.
    // A line break inside a cell (`{br}` in the markup) is a paragraph of its own in Word.
    let leading = cell_leading();
    text.split('\n').fold(TableCell::new().vertical_align(VAlignType::Center), |tc, line| {
        tc.add_paragraph(Paragraph::new().align(align(&cell.align)).keep_next(keep_next).snap_to_grid(false).line_spacing(leading.clone()).add_run(styled(line, style::TABLE)))
    })
}
