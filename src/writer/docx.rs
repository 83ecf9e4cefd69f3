//! The document model to DOCX with docx-rs: A4, GB/T 9704 margins, fonts named as Chinese
//! offices have them (方正小标宋简体, 黑体, 楷体_GB2312, 仿宋_GB2312, with w:eastAsia), "— N —"
//! footers on the outer side of odd and even pages, and the contents as a TOC field marked
//! dirty — its cached entries carry the page numbers the PDF layout found, and Word refreshes
//! them. No w:sdt wrapper: LibreOffice would print it as text.

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrText, LineSpacing, LineSpacingType, PageMargin,
    Paragraph, Run, RunFonts, SpecialIndentType, Tab, TabLeaderType, TabValueType, Table, TableCell, TableRow, VMergeType,
    WidthType,
};

use crate::document::{Align, Block, Cell, Document};
use crate::layout::pages::Laid;

/// 1 mm in twentieths of a point.
const TWIP_MM: f32 = 56.692_91;
const BODY_HALF_PT: usize = 32;
/// The type area's width, where the contents' page numbers sit.
const AREA_TWIPS: usize = (156.0 * TWIP_MM) as usize;
/// 22 lines to the 225 mm type area.
const PITCH_TWIPS: i32 = (225.0 * TWIP_MM / 22.0) as i32;

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";

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

fn page_number_footer(alignment: AlignmentType) -> Footer {
    let size = 28;
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
            .add_run(run("— ", FANGSONG, size))
            .add_run(field)
            .add_run(run(" —", FANGSONG, size)),
    )
}

/// The PDF layout gives the page each contents entry's heading starts on, and the pages each
/// evidence item is bound on: the DOCX is the editable text of the same volume and quotes them.
/// The evidence itself is bound only into the PDF.
pub fn write(doc: &Document, laid: &Laid, epoch: i64) -> Result<Vec<u8>, String> {
    let outline = &laid.outline;
    let margin = PageMargin {
        top: (37.0 * TWIP_MM) as i32,
        bottom: (35.0 * TWIP_MM) as i32,
        left: (28.0 * TWIP_MM) as i32,
        right: (26.0 * TWIP_MM) as i32,
        header: (15.0 * TWIP_MM) as i32,
        footer: (28.0 * TWIP_MM - 7.0 * TWIP_MM) as i32,
        gutter: 0,
    };
    let mut docx = Docx::new()
        .page_size((210.0 * TWIP_MM) as u32, (297.0 * TWIP_MM) as u32)
        .page_margin(margin)
        .default_fonts(fonts(FANGSONG))
        .default_size(BODY_HALF_PT)
        .footer(page_number_footer(AlignmentType::Right))
        .even_footer(page_number_footer(AlignmentType::Left))
        .created_at(&iso_date(epoch))
        .updated_at(&iso_date(epoch));
    for block in &doc.blocks {
        match block {
            Block::Cover { title, fields } => {
                for _ in 0..4 {
                    docx = docx.add_paragraph(Paragraph::new().line_spacing(exact_pitch()));
                }
                for t in title {
                    docx = docx.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(t, XIAOBIAOSONG, 52)));
                }
                for _ in 0..8 {
                    docx = docx.add_paragraph(Paragraph::new().line_spacing(exact_pitch()));
                }
                for (label, value) in fields {
                    docx = docx.add_paragraph(
                        Paragraph::new().line_spacing(exact_pitch()).add_run(run(&format!("{label}：{value}"), FANGSONG, BODY_HALF_PT)),
                    );
                }
            }
            Block::Contents => {
                let last = outline.len().saturating_sub(1);
                for (i, (level, text, page)) in outline.iter().enumerate() {
                    let indent = if *level == 1 { 0 } else { 640 };
                    let mut p = Paragraph::new()
                        .line_spacing(exact_pitch())
                        .indent(Some(indent), None, None, None)
                        .add_tab(Tab::new().val(TabValueType::Right).leader(TabLeaderType::Dot).pos(AREA_TWIPS));
                    if i == 0 {
                        p = p.add_run(
                            Run::new()
                                .add_field_char(FieldCharType::Begin, true)
                                .add_instr_text(InstrText::Unsupported("TOC \\o \"1-2\" \\h \\z".to_owned()))
                                .add_field_char(FieldCharType::Separate, false),
                        );
                    }
                    p = p.add_run(run(text, FANGSONG, BODY_HALF_PT)).add_run(Run::new().add_tab()).add_run(run(
                        &page.to_string(),
                        FANGSONG,
                        BODY_HALF_PT,
                    ));
                    if i == last {
                        p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
                    }
                    docx = docx.add_paragraph(p);
                }
            }
            Block::Title(t) => {
                docx = docx.add_paragraph(
                    Paragraph::new().align(AlignmentType::Center).line_spacing(LineSpacing::new().before(200).after(200)).add_run(run(
                        t,
                        XIAOBIAOSONG,
                        44,
                    )),
                );
            }
            Block::Heading { level, text } => {
                let font = match level {
                    1 => HEITI,
                    2 => KAITI,
                    _ => FANGSONG,
                };
                let indent = if *level == 1 { 0 } else { 640 };
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .outline_lvl(usize::from(level.saturating_sub(1)))
                        .keep_next(true)
                        .line_spacing(exact_pitch())
                        .indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None)
                        .add_run(run(text, font, BODY_HALF_PT)),
                );
            }
            Block::Paragraph(text) => {
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Both)
                        .line_spacing(exact_pitch())
                        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                        .add_run(run(text, FANGSONG, BODY_HALF_PT)),
                );
            }
            Block::Line { text, align: a } => {
                docx = docx.add_paragraph(
                    Paragraph::new().align(align(a)).line_spacing(exact_pitch()).add_run(run(text, FANGSONG, BODY_HALF_PT)),
                );
            }
            Block::Table(t) => docx = docx.add_table(table(t, laid)),
            Block::Evidence(_) => {}
            Block::PageBreak => {
                docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| format!("无法生成 DOCX：{e}"))?;
    Ok(out.into_inner())
}

fn iso_date(epoch: i64) -> String {
    let (y, m, d) = crate::rules::codes::civil_from_days(epoch.div_euclid(86_400));
    let secs = epoch.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Cells placed on the column grid, with vertical merges written as restart/continue cells.
fn table(t: &crate::document::Table, laid: &Laid) -> Table {
    let total: f32 = t.widths.iter().sum::<f32>().max(0.001);
    let grid: Vec<usize> = t.widths.iter().map(|w| (w / total * AREA_TWIPS as f32) as usize).collect();
    let ncols = grid.len();
    // Which grid columns each row's rowspans still cover: (until row, colspan).
    let mut covering: Vec<Option<(usize, usize)>> = vec![None; ncols];
    let mut rows = Vec::new();
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells = Vec::new();
        let mut col = 0;
        let mut source = row.iter();
        while col < ncols {
            if let Some((_, span)) = covering[col].filter(|(until, _)| *until > r) {
                let width: usize = grid[col..col + span].iter().sum();
                cells.push(TableCell::new().vertical_merge(VMergeType::Continue).grid_span(span).width(width, WidthType::Dxa));
                col += span;
                continue;
            }
            let Some(cell) = source.next() else { break };
            let span = cell.colspan.clamp(1, ncols - col);
            let width: usize = grid[col..col + span].iter().sum();
            let mut tc = table_cell(cell, laid).grid_span(span).width(width, WidthType::Dxa);
            if cell.rowspan > 1 {
                tc = tc.vertical_merge(VMergeType::Restart);
                covering[col] = Some((r + cell.rowspan, span));
            }
            cells.push(tc);
            col += span;
        }
        let mut tr = TableRow::new(cells);
        if r >= t.header_rows {
            tr = tr.cant_split();
        }
        rows.push(tr);
    }
    Table::new(rows).set_grid(grid).width(AREA_TWIPS, WidthType::Dxa)
}

fn table_cell(cell: &Cell, laid: &Laid) -> TableCell {
    let text = cell.pages_of.as_deref().map_or_else(|| cell.text.clone(), |no| laid.pages_of(no));
    // A line break inside a cell (`{br}` in the markup) is a paragraph of its own in Word.
    text.split('\n').fold(TableCell::new(), |tc, line| tc.add_paragraph(Paragraph::new().align(align(&cell.align)).add_run(run(line, FANGSONG, 24))))
}
