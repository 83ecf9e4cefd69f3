//! The document model to DOCX with docx-rs, in the geometry and faces of layout/style.rs (the
//! PDF's): A4, GB/T 9704 margins, fonts named as Chinese offices have them (方正小标宋简体, 黑体,
//! 楷体_GB2312, 仿宋_GB2312, with w:eastAsia), "— N —" footers on the outer side of odd and even
//! pages, one character in, and the contents as a TOC field marked
//! dirty — its cached entries carry the page numbers the PDF layout found, and Word refreshes
//! them. No w:sdt wrapper: LibreOffice would print it as text.

use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, InstrText, LineSpacing, LineSpacingType, PageMargin,
    Paragraph, Run, RunFonts, SpecialIndentType, Tab, TabLeaderType, TabValueType, Table, TableCell, TableRow, VMergeType,
    WidthType,
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

/// A first-line indent of `chars` characters of the style's size, in twips.
fn indent_twips(look: Look) -> i32 {
    twips_pt(look.indent * look.size)
}

/// A run of `text` in the style's face and size.
fn styled(text: &str, look: Look) -> Run {
    run(text, look.face.docx_name(), half_points(look.size))
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
            .indent(left, None, right, None)
            .line_spacing(LineSpacing::new().line(twips_pt(look.size)).line_rule(LineSpacingType::Exact))
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
        top: twips_mm(style::TOP_MM),
        bottom: twips_mm(style::BOTTOM_MM),
        left: twips_mm(style::BINDING_MM),
        right: twips_mm(style::OUTER_MM),
        header: twips_mm(15.0),
        // Word measures the footer from the page's lower edge to the footer line's foot: the
        // page number's baseline, where the PDF sets it.
        footer: twips_pt(style::PAGE_H - style::PAGE_NUMBER_BASELINE),
        gutter: 0,
    };
    let body = style::BODY_TEXT;
    let mut docx = Docx::new()
        .page_size(twips_mm(style::PAGE_W_MM) as u32, twips_mm(style::PAGE_H_MM) as u32)
        .page_margin(margin)
        .default_fonts(fonts(body.face.docx_name()))
        .default_size(half_points(body.size))
        .footer(page_number_footer(AlignmentType::Right))
        .even_footer(page_number_footer(AlignmentType::Left))
        .created_at(&iso_date(epoch))
        .updated_at(&iso_date(epoch));
    for block in &doc.blocks {
        match block {
            Block::Cover { title, fields } => {
                // The title and the fields start where the PDF's do, as space before them.
                let (t_look, f_look) = (style::COVER_TITLE, style::COVER_FIELD);
                let title_pitch = t_look.size * style::COVER_TITLE_PITCH;
                let mut at = style::AREA_H * style::COVER_TITLE_AT;
                for t in title {
                    let spacing = LineSpacing::new().before(twips_pt(at) as u32).line(twips_pt(title_pitch)).line_rule(LineSpacingType::Exact);
                    docx = docx.add_paragraph(Paragraph::new().align(AlignmentType::Center).line_spacing(spacing).add_run(styled(t, t_look)));
                    at = 0.0;
                }
                let mut gap = style::AREA_H * (style::COVER_FIELDS_AT - style::COVER_TITLE_AT) - title.len() as f32 * title_pitch;
                for (label, value) in fields {
                    let spacing = exact_pitch().before(twips_pt(gap.max(0.0)) as u32);
                    docx = docx.add_paragraph(Paragraph::new().line_spacing(spacing).add_run(styled(&format!("{label}：{value}"), f_look)));
                    gap = 0.0;
                }
            }
            Block::Contents => {
                let last = outline.len().saturating_sub(1);
                let look = style::CONTENTS;
                for (i, (level, text, page)) in outline.iter().enumerate() {
                    let indent = if *level == 1 { 0 } else { twips_pt(style::CONTENTS_INDENT * look.size) };
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
                    p = p.add_run(styled(text, look)).add_run(Run::new().add_tab()).add_run(styled(&page.to_string(), look));
                    if i == last {
                        p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
                    }
                    docx = docx.add_paragraph(p);
                }
            }
            Block::Title(t) => {
                // One and a half pitches, half a pitch after: as the PDF sets it.
                let pitch = style::PITCH * style::TITLE_PITCH;
                let spacing = LineSpacing::new().line(twips_pt(pitch)).line_rule(LineSpacingType::Exact).after(twips_pt(style::PITCH * 0.5) as u32);
                docx = docx.add_paragraph(Paragraph::new().align(AlignmentType::Center).line_spacing(spacing).add_run(styled(t, style::TITLE)));
            }
            Block::Heading { level, text } => {
                let look = style::heading(*level);
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .outline_lvl(usize::from(level.saturating_sub(1)))
                        .keep_next(true)
                        .line_spacing(exact_pitch())
                        .indent(None, Some(SpecialIndentType::FirstLine(indent_twips(look))), None, None)
                        .add_run(styled(text, look)),
                );
            }
            Block::Paragraph(text) => {
                let look = style::BODY_TEXT;
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Both)
                        .line_spacing(exact_pitch())
                        .indent(None, Some(SpecialIndentType::FirstLine(indent_twips(look))), None, None)
                        .add_run(styled(text, look)),
                );
            }
            Block::Line { text, align: a } => {
                docx = docx.add_paragraph(Paragraph::new().align(align(a)).line_spacing(exact_pitch()).add_run(styled(text, style::LINE)));
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
    let p = Paragraph::new().align(align(&cell.align)).add_run(styled(&text, style::TABLE));
    TableCell::new().add_paragraph(p)
}
