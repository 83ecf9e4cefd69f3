//! The DOCX read back in Rust (zip + quick-xml): heading styles the TOC field can rebuild
//! from, mirror margins, repeated header rows, an unnumbered cover, the 22 × 28 grid, core
//! properties and deflated parts.

use crate::common::*;
use std::collections::BTreeMap;

use crate::common::xml::Element as El;

fn parse(xml: &str) -> El {
    crate::common::xml::parse_tree(xml)
}

struct Docx {
    parts: BTreeMap<String, String>,
    raw: Vec<u8>,
}

impl Docx {
    fn part(&self, name: &str) -> El {
        parse(self.parts.get(name).unwrap_or_else(|| panic!("no {name}")))
    }
}

fn docx_of(out: &std::path::Path) -> Docx {
    let raw = std::fs::read(output(out, "docx")).unwrap();
    let parts = zip_entries(&raw).into_iter().map(|(n, b)| (n, String::from_utf8(b).unwrap())).collect();
    Docx { parts, raw }
}

fn style_of(p: &El) -> Option<&str> {
    p.first("w:pPr")?.first("w:pStyle")?.attr("w:val")
}

#[test]
fn headings_use_outline_styles_and_the_toc_field_finds_every_entry() {
    let d = docx_of(&built_fixture("dalian-2023-city"));
    let styles = d.part("word/styles.xml");
    let style = |id: &str| styles.descendants("w:style").into_iter().find(|s| s.attr("w:styleId") == Some(id)).cloned().unwrap_or_else(|| panic!("no style {id}"));
    for (id, name, level, face) in [("Heading1", "heading 1", "0", "黑体"), ("Heading2", "heading 2", "1", "楷体_GB2312")] {
        let s = style(id);
        assert_eq!(s.first("w:name").and_then(|n| n.attr("w:val")), Some(name));
        let ppr = s.first("w:pPr").unwrap();
        assert_eq!(ppr.first("w:outlineLvl").and_then(|o| o.attr("w:val")), Some(level), "{id}");
        assert_eq!(s.descendants("w:rFonts")[0].attr("w:eastAsia"), Some(face), "{id}: the style module's face");
    }
    let doc = d.part("word/document.xml");
    let body = doc.first("w:document").and_then(|d| d.first("w:body")).unwrap();
    let paragraphs: Vec<&El> = body.all("w:p").collect();
    let instr: String = doc.descendants("w:instrText").iter().map(|t| t.text.as_str()).collect();
    assert!(instr.contains("TOC \\o \"1-2\" \\h"), "{instr}");
    // Every cached contents entry (TOC1/TOC2) names a paragraph in the heading style of its level.
    let mut entries = 0;
    for p in &paragraphs {
        let Some(toc) = style_of(p).filter(|s| s.starts_with("TOC")) else { continue };
        entries += 1;
        let text = p.descendants("w:t").first().map(|t| t.text.clone()).unwrap();
        let heading = format!("Heading{}", &toc[3..]);
        assert!(
            paragraphs.iter().any(|h| style_of(h) == Some(heading.as_str()) && h.texts() == text),
            "contents entry {text} has no {heading} paragraph"
        );
    }
    // 38 since 九 has its five sub-items (附件3).
    assert_eq!(entries, 38);
    // Headings keep with the paragraph after them.
    for h in paragraphs.iter().filter(|p| style_of(p).is_some_and(|s| s.starts_with("Heading"))) {
        assert!(h.first("w:pPr").unwrap().first("w:keepNext").is_some(), "{}", h.texts());
    }
}

#[test]
fn page_setup_mirrors_margins_grids_22_by_28_and_leaves_the_cover_unnumbered() {
    let d = docx_of(&built_fixture("dalian-2023-city"));
    let settings = d.part("word/settings.xml");
    let settings = settings.first("w:settings").unwrap();
    assert!(settings.first("w:mirrorMargins").is_some());
    assert!(settings.first("w:evenAndOddHeaders").is_some());
    let doc = d.part("word/document.xml");
    let sect = doc.descendants("w:sectPr").pop().unwrap();
    let names: Vec<&str> = sect.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.last(), Some(&"w:docGrid"), "schema order: {names:?}");
    assert!(names.iter().position(|n| *n == "w:footerReference") < names.iter().position(|n| *n == "w:pgSz"), "{names:?}");
    let grid = sect.first("w:docGrid").unwrap();
    assert_eq!(grid.attr("w:type"), Some("linesAndChars"));
    let pitch: f64 = grid.attr("w:linePitch").unwrap().parse().unwrap();
    let mar = sect.first("w:pgMar").unwrap();
    let num = |e: &El, a: &str| -> f64 { e.attr(a).unwrap().parse().unwrap() };
    let (top, bottom, left, right) = (num(mar, "w:top"), num(mar, "w:bottom"), num(mar, "w:left"), num(mar, "w:right"));
    let (w, h) = (num(sect.first("w:pgSz").unwrap(), "w:w"), num(sect.first("w:pgSz").unwrap(), "w:h"));
    assert_eq!(((h - top - bottom) / pitch).floor(), 22.0, "22 lines");
    // Character pitch = body size (16 pt) + charSpace/4096 pt.
    let char_pt = 16.0 + num(grid, "w:charSpace") / 4096.0;
    assert_eq!(((w - left - right) / 20.0 / char_pt).round(), 28.0, "28 characters");
    assert!((left / 56.6929 - 28.0).abs() < 0.1 && (top / 56.6929 - 37.0).abs() < 0.1, "binding and top margins");
    // The cover: a first-page footer without a PAGE field; the others carry one.
    assert!(sect.first("w:titlePg").is_some());
    let rels = d.part("word/_rels/document.xml.rels");
    let target = |kind: &str| {
        let id = sect.all("w:footerReference").find(|f| f.attr("w:type") == Some(kind)).unwrap().attr("r:id").unwrap().to_owned();
        let rel = rels.descendants("Relationship").into_iter().find(|r| r.attr("Id") == Some(id.as_str())).unwrap();
        format!("word/{}", rel.attr("Target").unwrap())
    };
    let has_page = |part: &str| d.part(part).descendants("w:instrText").iter().any(|t| t.text.trim() == "PAGE");
    assert!(!has_page(&target("first")));
    assert!(has_page(&target("default")) && has_page(&target("even")));
}

#[test]
fn table_header_rows_repeat_and_leading_rows_only() {
    let d = docx_of(&built_fixture("dalian-2023-city"));
    let doc = d.part("word/document.xml");
    let tables = doc.descendants("w:tbl");
    assert!(!tables.is_empty());
    let mut marked = 0;
    for t in tables {
        let flags: Vec<bool> = t.all("w:tr").map(|r| r.first("w:trPr").is_some_and(|p| p.first("w:tblHeader").is_some())).collect();
        let n = flags.iter().take_while(|f| **f).count();
        assert!(flags[n..].iter().all(|f| !f), "header rows lead the table: {flags:?}");
        assert!(n < flags.len(), "a table is more than its header");
        marked += n;
    }
    assert!(marked >= 10, "{marked} header rows");
}

#[test]
fn core_properties_name_the_title_and_applicant_and_parts_are_deflated() {
    let out = build_at_epoch(tempdir("docx-core"));
    let d = docx_of(&out);
    let core = d.part("docProps/core.xml");
    let core = core.first("cp:coreProperties").unwrap();
    let text = |n: &str| core.first(n).map(|e| e.text.clone()).unwrap_or_default();
    assert_eq!(text("dc:title"), "金桥职校焊工评选材料");
    assert_eq!(text("dc:creator"), "大连市甘井子区金桥职业培训学校");
    assert_eq!(text("dcterms:created"), "2023-11-14T22:13:20Z");
    assert_eq!(text("dcterms:modified"), "2023-11-14T22:13:20Z");
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(&d.raw)).unwrap();
    let mut plain = 0;
    for i in 0..a.len() {
        let f = a.by_index(i).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{:?}", f.name());
        plain += f.size();
    }
    assert!((d.raw.len() as u64) * 4 < plain, "{} bytes for {plain} of XML", d.raw.len());
    // The same input, the same bytes.
    assert_eq!(d.raw, std::fs::read(output(&build_at_epoch(tempdir("docx-core-again")), "docx")).unwrap());
}

/// The city fixture built into `out` at SOURCE_DATE_EPOCH 1700000000.
fn build_at_epoch(out: std::path::PathBuf) -> std::path::PathBuf {
    let r = bin()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", root().join("fixtures/dalian-2023-city").to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    out
}

/// The 佐证材料目录's part rows (四、其他佐证材料（办学资质）…) keep with the row under them in
/// Word too, and no item row does.
#[test]
fn evidence_index_part_rows_keep_with_the_next_row() {
    let d = docx_of(&built_fixture("liaoning-2024-enterprise"));
    let doc = d.part("word/document.xml");
    let keeps = |row: &El| row.descendants("w:p").iter().all(|p| p.first("w:pPr").is_some_and(|pr| pr.first("w:keepNext").is_some()));
    let index = doc.descendants("w:tbl").into_iter().find(|t| t.texts().contains("其他佐证材料（办学资质）")).expect("the index");
    let rows: Vec<&El> = index.all("w:tr").collect();
    let parts: Vec<&&El> = rows.iter().filter(|r| r.all("w:tc").count() == 1).collect();
    assert!(parts.len() >= 5, "{} part rows", parts.len());
    assert!(parts.iter().all(|r| keeps(r)), "every part row keeps with the next");
    assert!(rows.iter().filter(|r| r.all("w:tc").count() > 1).all(|r| !keeps(r)), "item rows do not");
}

#[test]
fn paragraphs_and_tables_keep_the_pdfs_measures_off_the_line_grid() {
    for fixture in ["dalian-2023-city", "liaoning-2024-enterprise"] {
        let d = docx_of(&built_fixture(fixture));
        let doc = d.part("word/document.xml");
        // Every paragraph not in a style that sets it is off the grid: on it, Word and
        // LibreOffice round a half-pitch spacer under a table up to a whole pitch.
        for p in doc.descendants("w:p").into_iter().filter(|p| style_of(p).is_none()) {
            let snap = p.first("w:pPr").and_then(|ppr| ppr.first("w:snapToGrid")).and_then(|s| s.attr("w:val"));
            assert!(matches!(snap, Some("false" | "0")), "{fixture}: a paragraph on the line grid: {:?}", p.texts());
        }
        // Each table's columns are the ones the PDF's layout gave it, in proportion.
        let laid = crate::forms::laid(fixture);
        let tables = doc.descendants("w:tbl");
        assert_eq!(tables.len(), laid.table_cols.len(), "{fixture}: one laid-out table each");
        for (t, cols) in tables.iter().zip(&laid.table_cols) {
            let grid: Vec<f32> = t.descendants("w:gridCol").iter().map(|c| c.attr("w:w").unwrap().parse().unwrap()).collect();
            let (gt, ct): (f32, f32) = (grid.iter().sum(), cols.iter().sum());
            assert_eq!(grid.len(), cols.len(), "{fixture}");
            for (g, c) in grid.iter().zip(cols) {
                assert!((g / gt - c / ct).abs() < 0.002, "{fixture}: DOCX columns {grid:?}, PDF {cols:?}");
            }
        }
    }
}
