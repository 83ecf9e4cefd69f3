//! Page layout to GB/T 9704-2012: A4, top margin 37 mm, binding margin 28 mm, type area
//! 156 × 225 mm, 22 lines of 28 characters in 16 pt, page numbers "— N —" in 14 pt on the
//! outer side. The result is a list of pages of positioned text and rules, which the PDF
//! writer draws as is and whose heading pages the contents and the DOCX quote.

use std::collections::BTreeMap;

use crate::fonts::{FontSet, Role};
use super::linebreak::{break_lines, first_line};
use crate::document::{Align, Block, Cell, Document, Evidence, Table};

pub const MM: f32 = 72.0 / 25.4;
pub const PAGE_W: f32 = 210.0 * MM;
pub const PAGE_H: f32 = 297.0 * MM;
const TOP: f32 = 37.0 * MM;
const BINDING: f32 = 28.0 * MM;
pub const AREA_W: f32 = 156.0 * MM;
const AREA_H: f32 = 225.0 * MM;
const BODY: f32 = 16.0;
/// 22 lines to the type area.
const PITCH: f32 = AREA_H / 22.0;
/// 28 characters to the line: 16 pt glyphs set slightly tighter.
const CHAR: f32 = AREA_W / 28.0;
const TABLE_SIZE: f32 = 12.0;
const TABLE_LEADING: f32 = 1.35;
const PAD: f32 = 1.2 * MM;
/// Evidence captions: small, above the scan, never over it.
const CAPTION: f32 = 10.5;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text whose baseline starts at (x, y), y measured from the page top; `spacing` is the
    /// extra space after each character (negative to fit 28 to a line).
    Text { x: f32, y: f32, size: f32, role: Role, text: String, spacing: f32 },
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
    /// Page `page` of bound file `file` (Document::files), fitted into the box whose top-left
    /// corner is (x, y).
    Image { file: usize, page: usize, x: f32, y: f32, w: f32, h: f32 },
}

/// A PDF bookmark: headings by level, evidence items one level below their heading; `y` is
/// the top of the line, from the page top.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub level: u8,
    pub text: String,
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based physical page number, as printed ("— N —"); the cover prints none.
    pub number: usize,
    pub items: Vec<Item>,
    pub show_number: bool,
}

#[derive(Debug, Clone)]
pub struct Laid {
    pub pages: Vec<Page>,
    /// (level, heading text, page number) for the contents.
    pub outline: Vec<(u8, String, usize)>,
    /// The PDF outline, nested: headings and evidence items in document order.
    pub marks: Vec<Mark>,
    /// First and last page of each bound evidence item, by number.
    pub evidence_pages: BTreeMap<String, (usize, usize)>,
}

impl Laid {
    /// How a contents cell prints an evidence item's pages: 35, 35–38, or 电子件.
    pub fn pages_of(&self, no: &str) -> String {
        pages_text(&self.evidence_pages, no)
    }
}

fn pages_text(map: &BTreeMap<String, (usize, usize)>, no: &str) -> String {
    match map.get(no) {
        Some((a, b)) if a == b => a.to_string(),
        Some((a, b)) => format!("{a}–{b}"),
        None => "电子件".to_owned(),
    }
}

struct Cursor<'a> {
    fonts: &'a FontSet,
    pages: Vec<Page>,
    /// Distance already used below the type area's top, on the current page.
    used: f32,
    outline: Vec<(u8, String, usize)>,
    marks: Vec<Mark>,
    evidence_pages: BTreeMap<String, (usize, usize)>,
    /// Last pass's evidence pages, printed by `{pages:…}` cells.
    known_pages: &'a BTreeMap<String, (usize, usize)>,
}

impl Cursor<'_> {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn left(&self) -> f32 {
        // Odd pages bind on the left, even pages on the right.
        if self.pages.len() % 2 == 1 { BINDING } else { PAGE_W - BINDING - AREA_W }
    }

    fn new_page(&mut self, show_number: bool) {
        let number = self.pages.len() + 1;
        self.pages.push(Page { number, items: Vec::new(), show_number });
        self.used = 0.0;
    }

    fn room(&self) -> f32 {
        AREA_H - self.used
    }

    fn ensure(&mut self, height: f32) {
        if height > self.room() + 0.01 && self.used > 0.0 {
            self.new_page(true);
        }
    }

    fn width(&self, text: &str, role: Role, size: f32, spacing: f32) -> f32 {
        let f = self.fonts.get(role);
        text.chars().map(|c| f.advance(c) * size + spacing).sum()
    }

    /// Set lines of text in `role`/`size` on the fixed pitch, breaking them to `width`.
    #[allow(clippy::too_many_arguments, reason = "the typographic parameters of one run of text, all set by its caller's style")]
    fn text_lines(&mut self, text: &str, role: Role, size: f32, pitch: f32, indent_chars: f32, align: Align, spacing: f32) {
        let em = size + spacing;
        let first_indent = indent_chars * em;
        let fonts = self.fonts;
        let f = fonts.get(role);
        let width = AREA_W;
        // Break the first line shorter by the indent: break, then re-break the remainder.
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() {
            let avail = if first { width - first_indent } else { width };
            let Some(r) = first_line(rest, avail, |c| f.advance(c) * size + spacing) else { break };
            let line = &rest[r.clone()];
            self.ensure(pitch);
            let w = self.width(line, role, size, spacing);
            let x0 = self.left();
            let x = match align {
                Align::Center => x0 + (width - w) / 2.0,
                Align::Right => x0 + width - w,
                _ => x0 + if first { first_indent } else { 0.0 },
            };
            let y = TOP + self.used + pitch * 0.78;
            let next = rest[r.end..].trim_start_matches([' ', '\n']);
            // Justified text fills the line to both margins, except a paragraph's last line.
            let n = line.chars().count();
            let line_spacing = if align == Align::Justify && !next.is_empty() && n > 1 {
                let room = avail - w;
                spacing + (room / (n - 1) as f32).clamp(0.0, size * 0.5)
            } else {
                spacing
            };
            self.page().items.push(Item::Text { x, y, size, role, text: line.to_owned(), spacing: line_spacing });
            self.used += pitch;
            rest = next;
            first = false;
        }
    }
}

/// Lay out the document. `contents_pages` reserves room for the contents before the
/// heading pages are known; `contents` fills it on the second pass.
fn run(doc: &Document, fonts: &FontSet, contents: &[(u8, String, usize)], contents_pages: usize, known_pages: &BTreeMap<String, (usize, usize)>) -> Laid {
    let mut c = Cursor { fonts, pages: Vec::new(), used: 0.0, outline: Vec::new(), marks: Vec::new(), evidence_pages: BTreeMap::new(), known_pages };
    c.new_page(false);
    let spacing = CHAR - BODY;
    for block in &doc.blocks {
        match block {
            Block::Cover { title, fields } => {
                c.used = AREA_H * 0.22;
                for t in title {
                    c.text_lines(t, Role::SerifBold, 26.0, 26.0 * 1.8, 0.0, Align::Center, 0.0);
                }
                c.used = AREA_H * 0.62;
                for (label, value) in fields {
                    c.text_lines(&format!("{label}：{value}"), Role::Serif, BODY, PITCH, 0.0, Align::Left, 0.0);
                }
            }
            Block::Contents => {
                let start = c.pages.len();
                for (level, text, page) in contents {
                    c.contents_line(*level, text, *page, spacing);
                }
                // Keep the reserved number of pages so page numbers stay true.
                while c.pages.len() < start + contents_pages.saturating_sub(1) {
                    c.new_page(true);
                }
            }
            Block::Title(t) => {
                c.ensure(PITCH * 2.0);
                c.text_lines(t, Role::SerifBold, 22.0, PITCH * 1.5, 0.0, Align::Center, 0.0);
                c.used += PITCH * 0.5;
            }
            Block::Heading { level, text } => {
                // Keep a heading with at least one line of what follows.
                c.ensure(PITCH * 2.0);
                if *level <= 2 {
                    c.outline.push((*level, text.clone(), c.pages.len()));
                    c.marks.push(Mark { level: *level, text: text.clone(), page: c.pages.len(), y: TOP + c.used });
                }
                let role = if *level == 1 { Role::Sans } else if *level == 2 { Role::SerifBold } else { Role::Serif };
                c.text_lines(text, role, BODY, PITCH, if *level == 1 { 0.0 } else { 2.0 }, Align::Left, spacing);
            }
            Block::Paragraph(p) => c.text_lines(p, Role::Serif, BODY, PITCH, 2.0, Align::Justify, spacing),
            Block::Line { text, align } => c.text_lines(text, Role::Serif, BODY, PITCH, 0.0, align.clone(), spacing),
            Block::Table(t) => c.table(t),
            Block::Evidence(e) => c.evidence(e),
            Block::PageBreak => {
                if c.used > 0.0 || !c.pages.last().is_some_and(|p| p.show_number) {
                    c.new_page(true);
                }
            }
        }
    }
    // Page numbers: "— N —", outer side, one character in from the type area's edge.
    let pages: Vec<Page> = c
        .pages
        .into_iter()
        .map(|mut p| {
            if p.show_number {
                let text = format!("— {} —", p.number);
                let size = 14.0;
                let w: f32 = text.chars().map(|ch| fonts.serif.advance(ch) * size).sum();
                let left = if p.number % 2 == 1 { BINDING } else { PAGE_W - BINDING - AREA_W };
                let x = if p.number % 2 == 1 { left + AREA_W - size - w } else { left + size };
                let y = TOP + AREA_H + 7.0 * MM + size;
                p.items.push(Item::Text { x, y, size, role: Role::Serif, text, spacing: 0.0 });
            }
            p
        })
        .collect();
    Laid { pages, outline: c.outline, marks: c.marks, evidence_pages: c.evidence_pages }
}

/// Lay out twice: once to learn the pages headings land on, once with those numbers in
/// the contents. The contents' own length does not depend on the numbers, so they hold.
pub fn layout(doc: &Document, fonts: &FontSet) -> Laid {
    let entries: Vec<(u8, String, usize)> = doc.outline().map(|(l, t)| (l, t.to_owned(), 0)).collect();
    let contents_pages = entries.len().div_ceil(20).max(1);
    let mut laid = run(doc, fonts, &entries, contents_pages, &BTreeMap::new());
    // Page numbers printed in tables (evidence pages) can change a row's height and so the
    // pages after it: lay out again until the numbers are those they print.
    for _ in 0..4 {
        let next = run(doc, fonts, &laid.outline, contents_pages, &laid.evidence_pages);
        let settled = next.outline == laid.outline && next.evidence_pages == laid.evidence_pages;
        laid = next;
        if settled {
            break;
        }
    }
    laid
}

impl Cursor<'_> {
    fn contents_line(&mut self, level: u8, text: &str, page: usize, spacing: f32) {
        self.ensure(PITCH);
        let indent = if level == 1 { 0.0 } else { 2.0 * (BODY + spacing) };
        let x0 = self.left();
        let y = TOP + self.used + PITCH * 0.78;
        let number = page.to_string();
        let nw = self.width(&number, Role::Serif, BODY, 0.0);
        let tw = self.width(text, Role::Serif, BODY, spacing);
        let dot = self.width("·", Role::Serif, BODY, 0.0).max(1.0);
        let gap_start = x0 + indent + tw + 4.0;
        let gap_end = x0 + AREA_W - nw - 4.0;
        let dots = (((gap_end - gap_start) / dot).floor().max(0.0)) as usize;
        let page = self.page();
        page.items.push(Item::Text { x: x0 + indent, y, size: BODY, role: Role::Serif, text: text.to_owned(), spacing });
        page.items.push(Item::Text { x: gap_start, y, size: BODY, role: Role::Serif, text: "·".repeat(dots), spacing: 0.0 });
        page.items.push(Item::Text { x: x0 + AREA_W - nw, y, size: BODY, role: Role::Serif, text: number, spacing: 0.0 });
        self.used += PITCH;
    }

    /// An evidence item: each page of its file on a page of its own, under a caption, scaled
    /// to the type area; the page number stays where the body's is.
    fn evidence(&mut self, e: &Evidence) {
        let Some(file) = e.file else { return };
        let n = e.pages.len();
        for (i, size) in e.pages.iter().enumerate() {
            self.new_page(true);
            let page = self.pages.len();
            if i == 0 {
                self.marks.push(Mark { level: 3, text: format!("{} {}", e.no, e.title), page, y: TOP });
            }
            let caption = if n > 1 { format!("佐证材料 {} {}（{}/{}）", e.no, e.title, i + 1, n) } else { format!("佐证材料 {} {}", e.no, e.title) };
            self.text_lines(&caption, Role::Sans, CAPTION, CAPTION * 1.6, 0.0, Align::Left, 0.0);
            self.used += 2.0 * MM;
            let (bw, bh) = (AREA_W, (AREA_H - self.used).max(10.0 * MM));
            let scale = (bw / size.width.max(1.0)).min(bh / size.height.max(1.0));
            let (w, h) = (size.width * scale, size.height * scale);
            let x = self.left() + (bw - w) / 2.0;
            let y = TOP + self.used;
            self.page().items.push(Item::Image { file, page: i, x, y, w, h });
            self.used = AREA_H;
        }
        let last = self.pages.len();
        self.evidence_pages.insert(e.no.clone(), (last + 1 - n, last));
    }

    fn table(&mut self, t: &Table) {
        let resolved;
        let t = if t.rows.iter().flatten().any(|c| c.pages_of.is_some()) {
            let mut copy = t.clone();
            for cell in copy.rows.iter_mut().flatten() {
                if let Some(no) = &cell.pages_of {
                    cell.text = pages_text(self.known_pages, no);
                }
            }
            resolved = copy;
            &resolved
        } else {
            t
        };
        let total: f32 = t.widths.iter().sum::<f32>().max(0.001);
        let cols: Vec<f32> = t.widths.iter().map(|w| w / total * AREA_W).collect();
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let f = self.fonts.get(Role::Serif);
        // Place cells on a grid, honouring spans; `occupied` marks cells covered by rowspans.
        let mut grid: Vec<Vec<Option<(usize, &Cell)>>> = Vec::new();
        let mut occupied: Vec<Vec<bool>> = vec![vec![false; cols.len()]; t.rows.len()];
        for (r, row) in t.rows.iter().enumerate() {
            let mut placed = vec![None; cols.len()];
            let mut col = 0;
            for cell in row {
                while col < cols.len() && occupied[r][col] {
                    col += 1;
                }
                if col >= cols.len() {
                    break;
                }
                let span = cell.colspan.clamp(1, cols.len() - col);
                for row in &mut occupied[r..(r + cell.rowspan.max(1)).min(t.rows.len())] {
                    row[col..col + span].fill(true);
                }
                placed[col] = Some((span, cell));
                col += span;
            }
            grid.push(placed);
        }
        // Row heights from the wrapped text of cells that start in them.
        let lines_of = |cell: &Cell, width: f32| -> Vec<String> {
            let avail = (width - 2.0 * PAD).max(TABLE_SIZE);
            cell.text
                .split('\n')
                .flat_map(|para| {
                    break_lines(para, avail, |ch| f.advance(ch) * TABLE_SIZE).into_iter().map(move |r| para[r].to_owned())
                })
                .collect()
        };
        let mut heights: Vec<f32> = vec![line_h + 2.0 * PAD; t.rows.len()];
        for (r, row) in grid.iter().enumerate() {
            for (c0, slot) in row.iter().enumerate() {
                if let Some((span, cell)) = slot {
                    let width: f32 = cols[c0..c0 + span].iter().sum();
                    let need = lines_of(cell, width).len().max(1) as f32 * line_h + 2.0 * PAD;
                    let rows = cell.rowspan.max(1).min(t.rows.len() - r);
                    let have: f32 = heights[r..r + rows].iter().sum();
                    if need > have {
                        heights[r + rows - 1] += need - have;
                    }
                }
            }
        }
        // Rows joined by a rowspan move between pages together.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut r = 0;
        while r < t.rows.len() {
            let mut end = r + 1;
            let mut k = r;
            while k < end {
                for slot in grid[k].iter().flatten() {
                    end = end.max((k + slot.1.rowspan.max(1)).min(t.rows.len()));
                }
                k += 1;
            }
            groups.push((r, end));
            r = end;
        }
        let header = t.header_rows.min(t.rows.len());
        let mut first_on_page = true;
        let header_h: f32 = heights[..header].iter().sum();
        for &(start, end) in &groups {
            let h: f32 = heights[start..end].iter().sum();
            // A single row taller than any page continues on the next pages, never cut off.
            if end == start + 1 && start >= header && h > AREA_H - header_h + 0.01 {
                self.split_row(&grid[start], &cols, &grid, &heights, header, &lines_of);
                first_on_page = false;
                continue;
            }
            if h > self.room() + 0.01 && self.used > 0.0 && start >= header {
                self.new_page(true);
                first_on_page = true;
            }
            if first_on_page && start >= header && header > 0 {
                // Repeat the header rows at the top of every page the table continues on.
                self.draw_rows(&grid, &cols, &heights, 0, header, &lines_of);
            }
            self.draw_rows(&grid, &cols, &heights, start, end, &lines_of);
            first_on_page = false;
        }
        self.used += PITCH * 0.5;
    }

    /// A row too tall for a page, laid out in slices: each slice takes the lines that fit, the
    /// rest follow on the next page under the repeated header.
    #[allow(clippy::too_many_arguments, reason = "the table's grid, columns and header, as draw_rows takes them")]
    fn split_row(
        &mut self,
        row: &[Option<(usize, &Cell)>],
        cols: &[f32],
        grid: &[Vec<Option<(usize, &Cell)>>],
        heights: &[f32],
        header: usize,
        lines_of: &dyn Fn(&Cell, f32) -> Vec<String>,
    ) {
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let cells: Vec<(usize, usize, &Cell, Vec<String>)> = row
            .iter()
            .enumerate()
            .filter_map(|(c0, slot)| slot.map(|(span, cell)| (c0, span, cell, lines_of(cell, cols[c0..c0 + span].iter().sum()))))
            .collect();
        let total = cells.iter().map(|c| c.3.len()).max().unwrap_or(0);
        // The row's shorter cells (its label) print whole in the first slice, never interleaved
        // with the long text across pages.
        let label = cells.iter().map(|c| c.3.len()).filter(|&n| n < total).max().unwrap_or(0);
        let mut done = 0;
        while done < total {
            let need = if done == 0 { label.max(2) } else { 2 };
            if self.room() < need as f32 * line_h + 2.0 * PAD {
                self.new_page(true);
                if header > 0 {
                    self.draw_rows(grid, cols, heights, 0, header, lines_of);
                }
            }
            let fit = (((self.room() - 2.0 * PAD) / line_h).floor() as usize).max(1);
            let take = fit.min(total - done);
            let h = take as f32 * line_h + 2.0 * PAD;
            let (x0, top) = (self.left(), TOP + self.used);
            for (c0, span, cell, lines) in &cells {
                let w: f32 = cols[*c0..*c0 + *span].iter().sum();
                let cx = x0 + cols[..*c0].iter().sum::<f32>();
                let slice = &lines[done.min(lines.len())..(done + take).min(lines.len())];
                self.cell(cx, top, w, h, slice, &cell.align, top + PAD);
            }
            self.used += h;
            done += take;
        }
    }

    /// One table cell: its lines from `text_top` down, aligned across the cell, and its borders.
    #[allow(clippy::too_many_arguments, reason = "a cell's box, its text and where the text starts")]
    fn cell(&mut self, cx: f32, top: f32, w: f32, h: f32, lines: &[String], align: &Align, text_top: f32) {
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let mut ty = text_top + TABLE_SIZE * 1.05;
        for line in lines {
            let lw: f32 = line.chars().map(|ch| self.fonts.serif.advance(ch) * TABLE_SIZE).sum();
            let tx = match align {
                Align::Center => cx + (w - lw) / 2.0,
                Align::Right => cx + w - PAD - lw,
                _ => cx + PAD,
            };
            self.page().items.push(Item::Text { x: tx, y: ty, size: TABLE_SIZE, role: Role::Serif, text: line.clone(), spacing: 0.0 });
            ty += line_h;
        }
        let page = self.page();
        for (x1, y1, x2, y2) in [(cx, top, cx + w, top), (cx, top + h, cx + w, top + h), (cx, top, cx, top + h), (cx + w, top, cx + w, top + h)] {
            page.items.push(Item::Rule { x1, y1, x2, y2, width: 0.5 });
        }
    }

    fn draw_rows(
        &mut self,
        grid: &[Vec<Option<(usize, &Cell)>>],
        cols: &[f32],
        heights: &[f32],
        start: usize,
        end: usize,
        lines_of: &dyn Fn(&Cell, f32) -> Vec<String>,
    ) {
        let x0 = self.left();
        let top = TOP + self.used;
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let mut y = top;
        for r in start..end {
            for (c0, slot) in grid[r].iter().enumerate() {
                if let Some((span, cell)) = slot {
                    let w: f32 = cols[c0..c0 + span].iter().sum();
                    let rows = cell.rowspan.max(1).min(end - r);
                    let h: f32 = heights[r..r + rows].iter().sum();
                    let cx: f32 = x0 + cols[..c0].iter().sum::<f32>();
                    let lines = lines_of(cell, w);
                    // Text centred in the cell's height.
                    let text_h = lines.len() as f32 * line_h;
                    self.cell(cx, y, w, h, &lines, &cell.align, y + (h - text_h) / 2.0);
                }
            }
            y += heights[r];
        }
        self.used += y - top;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse_markup;

    fn fonts() -> FontSet {
        FontSet::load(None).expect("bundled fonts")
    }

    fn body_lines(laid: &Laid, page: usize) -> Vec<String> {
        laid.pages[page]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, size, .. } if (*size - BODY).abs() < 0.01 => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_page_holds_22_lines_of_28_characters() {
        let text = "国".repeat(28 * 22 * 2);
        let doc = parse_markup(&format!("::p {text}\n")).unwrap();
        let laid = layout(&doc, &fonts());
        let first = body_lines(&laid, 0);
        assert_eq!(first.len(), 22);
        assert_eq!(first[0].chars().count(), 26, "two-character first-line indent");
        assert!(first[1..].iter().all(|l| l.chars().count() == 28), "{first:?}");
        assert_eq!(laid.pages.len(), 3);
    }

    #[test]
    fn contents_numbers_are_the_pages_headings_land_on() {
        let mut markup = String::from("::contents\n::pagebreak\n");
        for i in 1..=6 {
            markup.push_str(&format!("::h1 第{i}部分\n::p {}\n", "字".repeat(28 * 30)));
        }
        let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
        for (_, text, page) in &laid.outline {
            let on_page = laid.pages[page - 1].items.iter().any(|i| matches!(i, Item::Text { text: t, .. } if t == text));
            assert!(on_page, "{text} not on page {page}");
        }
        // The contents page lists each heading with that number.
        let contents: Vec<String> = laid.pages[0].items.iter().filter_map(|i| match i { Item::Text { text, .. } => Some(text.clone()), _ => None }).collect();
        for (_, text, page) in &laid.outline {
            let at = contents.iter().position(|t| t == text).expect("listed");
            assert_eq!(contents[at + 2], page.to_string());
        }
    }

    #[test]
    fn odd_pages_number_right_even_pages_left_cover_none() {
        let laid = layout(&parse_markup("::cover 标题\n::pagebreak\n::p 正文\n::pagebreak\n::p 正文\n").unwrap(), &fonts());
        let number = |p: &Page| p.items.iter().find_map(|i| match i { Item::Text { text, x, .. } if text.starts_with('—') => Some((text.clone(), *x)), _ => None });
        assert_eq!(number(&laid.pages[0]), None);
        let (two, x2) = number(&laid.pages[1]).unwrap();
        let (three, x3) = number(&laid.pages[2]).unwrap();
        assert_eq!((two.as_str(), three.as_str()), ("— 2 —", "— 3 —"));
        assert!(x2 < PAGE_W / 2.0 && x3 > PAGE_W / 2.0);
    }

    #[test]
    fn a_cell_taller_than_a_page_continues_and_loses_nothing() {
        let text: String = "品牌介绍文字".chars().cycle().take(2000).collect();
        let markup = format!("::table 1,4 header=1\n|项目|内容|\n|品牌介绍|{text}|\n|下一行|尾|\n");
        let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
        assert!(laid.pages.len() >= 2, "{} pages", laid.pages.len());
        let printed: String = laid
            .pages
            .iter()
            .flat_map(|p| p.items.iter())
            .filter_map(|i| match i {
                Item::Text { text, size, .. } if (*size - TABLE_SIZE).abs() < 0.01 && !["项目", "内容", "品牌介绍", "下一行", "尾"].contains(&text.as_str()) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(printed, text, "every character of the cell is printed, in order");
        // Nothing below the type area.
        for p in &laid.pages {
            for i in &p.items {
                if let Item::Text { y, size, .. } = i
                    && (*size - TABLE_SIZE).abs() < 0.01
                {
                    assert!(*y <= TOP + AREA_H + 0.01, "page {}: text at {y}", p.number);
                }
            }
            let headers = p.items.iter().filter(|i| matches!(i, Item::Text { text, .. } if text == "内容")).count();
            assert_eq!(headers, 1, "header repeated on page {}", p.number);
        }
    }

    #[test]
    fn long_tables_continue_with_their_header_repeated() {
        let mut markup = String::from("::table 1,3 header=1\n|序号|证书编号|\n");
        for i in 0..80 {
            markup.push_str(&format!("|{i}|Z{i:06}|\n"));
        }
        let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
        assert!(laid.pages.len() >= 2);
        for page in &laid.pages {
            let header = page.items.iter().filter(|i| matches!(i, Item::Text { text, .. } if text == "证书编号")).count();
            assert_eq!(header, 1, "page {}", page.number);
        }
        // Every row is printed exactly once.
        let rows: usize = laid.pages.iter().map(|p| p.items.iter().filter(|i| matches!(i, Item::Text { text, .. } if text.starts_with('Z'))).count()).sum();
        assert_eq!(rows, 80);
    }
}
