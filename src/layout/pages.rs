//! Page layout to GB/T 9704-2012, in the geometry and faces of `style.rs` (which the DOCX
//! writer reads too). The result is a list of pages of positioned text and rules, which the PDF
//! writer draws as is and whose heading pages the contents and the DOCX quote.

use std::rc::Rc;
use std::collections::BTreeMap;

use crate::fonts::{FontSet, Role};
use super::linebreak::{break_cell, first_line};
use crate::document::{Align, Block, Cell, Document, Evidence, Table};

pub use super::style::{AREA_W, MM, PAGE_H, PAGE_W};
use super::style::{self as style, Look, AREA_H, BINDING, BODY, CHAR, PAD, PITCH, TABLE_LEADING, TABLE_SIZE, TOP};

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
    /// For each item, the structure node (Laid::nodes) it belongs to; None (or missing) for an
    /// artifact: page numbers, rules, leader dots, repeated table headers.
    pub owners: Vec<Option<usize>>,
    pub show_number: bool,
}

/// An element of the document's logical structure, for the tagged PDF: `kind` is its
/// standard structure type (H1, P, Table, TR, TD…), `parent` None for the document's children.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: &'static str,
    pub parent: Option<usize>,
    /// Alternate text (figures: the evidence caption).
    pub alt: Option<String>,
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
    /// The logical structure, in reading order: parents before their children.
    pub nodes: Vec<Node>,
    /// Each table's column widths in points as laid out (the template's, widened for numbers
    /// and short header words), in document order: the DOCX sets its tables to the same.
    pub table_cols: Vec<Vec<f32>>,
    /// Which of each table's rows continue on the next page, in document order: the DOCX lets
    /// those split, and keeps every other body row whole, as the PDF does.
    pub table_splits: Vec<Vec<bool>>,
}

/// A body row this tall continues on the next page rather than leave a gap above it.
pub const SPLIT_ROW: f32 = AREA_H / 3.0;

/// A tall row starts on a page with at least this much room left (else it moves whole).
const SPLIT_ROOM: f32 = AREA_H / 4.0;

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
    breaks: &'a Breaks,
    pages: Vec<Page>,
    /// Distance already used below the type area's top, on the current page.
    used: f32,
    outline: Vec<(u8, String, usize)>,
    marks: Vec<Mark>,
    evidence_pages: BTreeMap<String, (usize, usize)>,
    /// Last pass's evidence pages, printed by `{pages:…}` cells.
    known_pages: &'a BTreeMap<String, (usize, usize)>,
    nodes: Vec<Node>,
    /// The node text being set now belongs to (None: an artifact).
    node: Option<usize>,
    /// The current table's cell nodes by (row, column).
    cell_nodes: Vec<Vec<Option<usize>>>,
    table_cols: Vec<Vec<f32>>,
    table_splits: Vec<Vec<bool>>,
}

impl Cursor<'_> {
    fn open(&mut self, kind: &'static str, parent: Option<usize>) -> usize {
        self.nodes.push(Node { kind, parent, alt: None });
        self.nodes.len() - 1
    }

    /// Make a new top-level node current.
    fn begin(&mut self, kind: &'static str) {
        self.node = Some(self.open(kind, None));
    }

    /// Draw `item` as part of the current node.
    fn push(&mut self, item: Item) {
        let owner = self.node;
        self.push_owned(item, owner);
    }

    fn push_owned(&mut self, item: Item, owner: Option<usize>) {
        let page = self.page();
        page.items.push(item);
        page.owners.push(owner);
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn left(&self) -> f32 {
        // Odd pages bind on the left, even pages on the right.
        if self.pages.len() % 2 == 1 { BINDING } else { PAGE_W - BINDING - AREA_W }
    }

    fn new_page(&mut self, show_number: bool) {
        let number = self.pages.len() + 1;
        self.pages.push(Page { number, items: Vec::new(), owners: Vec::new(), show_number });
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

    /// Body-pitch lines of text in the style's `look`, kept as [`Cursor::text_lines`] says.
    fn look_lines(&mut self, text: &str, look: Look, align: Align, spacing: f32, keep: usize) {
        self.text_lines(text, look.face.role(), look.size, PITCH, look.indent, align, spacing, keep);
    }

    /// The lines `text` breaks into, each with the width it was broken to (the first is
    /// shorter by the indent).
    fn para_lines(&self, text: &str, role: Role, size: f32, indent_chars: f32, spacing: f32) -> Rc<Vec<(String, f32)>> {
        let key = (text.to_owned(), role, size.to_bits(), indent_chars.to_bits(), spacing.to_bits());
        if let Some(lines) = self.breaks.paras.borrow().get(&key) {
            return lines.clone();
        }
        let first_indent = indent_chars * (size + spacing);
        let f = self.fonts.get(role);
        let mut out = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let avail = if out.is_empty() { AREA_W - first_indent } else { AREA_W };
            let Some(r) = first_line(rest, avail, |c| f.advance(c) * size + spacing) else { break };
            out.push((rest[r.clone()].to_owned(), avail));
            rest = rest[r.end..].trim_start_matches([' ', '\n']);
        }
        let out = Rc::new(out);
        self.breaks.paras.borrow_mut().insert(key, out.clone());
        out
    }

    /// Set lines of text in `role`/`size` on the fixed pitch, breaking them to the type area.
    /// A page break inside the text leaves at least `keep` lines on either side (2 for body
    /// text: no orphan, no widow); `usize::MAX` keeps the text whole (headings).
    #[allow(clippy::too_many_arguments, reason = "the typographic parameters of one run of text, all set by its caller's style")]
    fn text_lines(&mut self, text: &str, role: Role, size: f32, pitch: f32, indent_chars: f32, align: Align, spacing: f32, keep: usize) {
        let first_indent = indent_chars * (size + spacing);
        let lines = self.para_lines(text, role, size, indent_chars, spacing);
        let n = lines.len();
        let mut i = 0;
        while i < n {
            let fit = ((self.room() + 0.01) / pitch).floor().max(0.0) as usize;
            let remaining = n - i;
            let mut take = remaining.min(fit);
            if take < remaining {
                if keep == usize::MAX {
                    take = 0;
                } else {
                    // A widow: move a line over with it. An orphan: move it over.
                    if remaining - take < keep {
                        take = remaining.saturating_sub(keep);
                    }
                    if take < keep {
                        take = 0;
                    }
                }
                if take == 0 {
                    if self.used > 0.0 {
                        self.new_page(true);
                        continue;
                    }
                    // Taller than a page: it has to break somewhere.
                    take = fit.max(1);
                }
            }
            for (k, (line, avail)) in lines[i..i + take].iter().enumerate() {
                let at = i + k;
                let w = self.width(line, role, size, spacing);
                let x0 = self.left();
                let x = match align {
                    Align::Center => x0 + (AREA_W - w) / 2.0,
                    Align::Right => x0 + AREA_W - w,
                    _ => x0 + if at == 0 { first_indent } else { 0.0 },
                };
                let y = TOP + self.used + pitch * 0.78;
                // Justified text fills the line to both margins, except a paragraph's last line.
                let chars = line.chars().count();
                let line_spacing = if align == Align::Justify && at + 1 < n && chars > 1 {
                    spacing + ((avail - w) / (chars - 1) as f32).clamp(0.0, size * 0.5)
                } else {
                    spacing
                };
                self.push(Item::Text { x, y, size, role, text: line.clone(), spacing: line_spacing });
                self.used += pitch;
            }
            i += take;
            if i < n {
                self.new_page(true);
            }
        }
    }

    /// The height block `i` needs at the top of where it starts, so that what comes before
    /// it is not left alone at a page's foot: a heading needs itself and the start of what
    /// follows it, a paragraph its first two lines, a table its header and first row.
    fn lead(&self, blocks: &[Block], i: usize) -> f32 {
        let spacing = CHAR - BODY;
        let need = match blocks.get(i) {
            Some(Block::Heading { level, text }) => {
                let l = style::heading(*level);
                self.para_lines(text, l.face.role(), l.size, l.indent, spacing).len() as f32 * PITCH + self.lead(blocks, i + 1)
            }
            Some(Block::Title(t)) => {
                let l = style::TITLE;
                self.para_lines(t, l.face.role(), l.size, l.indent, 0.0).len() as f32 * PITCH * style::TITLE_PITCH + PITCH * 0.5 + self.lead(blocks, i + 1)
            }
            Some(Block::Paragraph(p)) => {
                let l = style::BODY_TEXT;
                let n = self.para_lines(p, l.face.role(), l.size, l.indent, spacing).len();
                (if n <= 3 { n } else { 2 }) as f32 * PITCH
            }
            Some(Block::Line { text, .. }) => {
                let l = style::LINE;
                self.para_lines(text, l.face.role(), l.size, l.indent, spacing).len().min(1) as f32 * PITCH
            }
            Some(Block::Table(t)) => self.grid(t).lead(matches!(blocks.get(i + 1), Some(Block::Line { .. }))),
            _ => 0.0,
        };
        need.min(AREA_H)
    }
}

struct Grid<'t> {
    cols: Vec<f32>,
    grid: Vec<Vec<Option<(usize, &'t Cell)>>>,
    heights: Vec<f32>,
    /// Rows that move between pages together (joined by rowspans), as ranges.
    groups: Vec<(usize, usize)>,
    header: usize,
}

impl Grid<'_> {
    /// What the table needs where it starts: its header and first body row (both rows of a
    /// two-row table; for a row taller than a page, its first lines).
    fn lead(&self, noted: bool) -> f32 {
        let header_h: f32 = self.heights[..self.header].iter().sum();
        let body_groups: Vec<&(usize, usize)> = self.groups.iter().filter(|(a, _)| *a >= self.header).collect();
        // Two rows go together: split, one would be alone on a page (unless a note goes with it).
        let take = if body_groups.len() == 2 && !noted { 2 } else { 1 };
        let body: f32 = body_groups.iter().take(take).map(|&&(a, b)| self.heights[a..b].iter().sum::<f32>()).sum();
        let need = header_h + body;
        if need > AREA_H { header_h + 2.0 * TABLE_SIZE * TABLE_LEADING + 2.0 * PAD } else { need }
    }
}

/// Words of a header cell up to this many characters are kept on one line (序号, not 序/号).
const HEADER_WORD: usize = 3;

/// Widen the columns whose widest number, code or date (in a cell of one column), or whose
/// short header word, does not fit, taking the width from the other columns in proportion to
/// what they can spare. When they cannot all fit, the columns stay as the template set them.
fn fit_tokens(mut cols: Vec<f32>, grid: &[Vec<Option<(usize, &Cell)>>], header: usize, f: &crate::fonts::Font) -> Vec<f32> {
    let mut need = vec![0.0f32; cols.len()];
    let width = |t: &str| t.chars().map(|ch| f.advance(ch) * TABLE_SIZE).sum::<f32>();
    for (r, row) in grid.iter().enumerate() {
        for (c0, slot) in row.iter().enumerate() {
            let Some((1, cell)) = slot else { continue };
            let word = if r < header { cell.text.split('\n').filter(|l| l.chars().count() <= HEADER_WORD).map(width).fold(0.0, f32::max) } else { 0.0 };
            let widest = cell
                .text
                .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | ':' | '%')))
                .map(width)
                .fold(word, f32::max);
            need[c0] = need[c0].max(widest + 2.0 * PAD + 0.5);
        }
    }
    let short: f32 = cols.iter().zip(&need).map(|(c, n)| (n - c).max(0.0)).sum();
    if short <= 0.0 {
        return cols;
    }
    // What each column can give and still hold its own tokens.
    let spare: Vec<f32> = cols.iter().zip(&need).map(|(c, n)| (c - n).max(0.0)).collect();
    let total_spare: f32 = spare.iter().sum();
    if total_spare < short {
        return cols;
    }
    for (i, col) in cols.iter_mut().enumerate() {
        if need[i] > *col {
            *col = need[i];
        } else {
            *col -= spare[i] / total_spare * short;
        }
    }
    cols
}

/// A cell's text broken into lines for a column `width` wide.
fn cell_lines(f: &crate::fonts::Font, breaks: &Breaks, cell: &Cell, width: f32) -> Rc<Vec<String>> {
    let avail = (width - 2.0 * PAD).max(TABLE_SIZE);
    let key = (cell.text.clone(), avail.to_bits(), cell.align == Align::Center);
    if let Some(lines) = breaks.cells.borrow().get(&key) {
        return lines.clone();
    }
    let lines: Vec<String> = cell
        .text
        .split('\n')
        .flat_map(|para| {
            break_cell(para, avail, |ch| f.advance(ch) * TABLE_SIZE, cell.align == Align::Center).into_iter().map(move |r| para[r].to_owned())
        })
        .collect();
    let lines = Rc::new(lines);
    breaks.cells.borrow_mut().insert(key, lines.clone());
    lines
}

/// Lines already broken, over the passes of one layout: each pass sets the same texts at
/// the same widths (only page numbers printed in tables change), and a table's cells are
/// broken for its lead, its row heights and its drawing.
#[derive(Default)]
struct Breaks {
    cells: Memo<(String, u32, bool), Vec<String>>,
    paras: Memo<ParaKey, Vec<(String, f32)>>,
}

/// A paragraph's text, face, size, indent and spacing.
type ParaKey = (String, Role, u32, u32, u32);

/// Breaks by text and the widths they were made to (as bits: the same floats, exactly).
type Memo<K, V> = std::cell::RefCell<rustc_hash::FxHashMap<K, Rc<V>>>;

/// Lay out the document. `contents_pages` reserves room for the contents before the
/// heading pages are known; `contents` fills it on the second pass.
fn run(doc: &Document, fonts: &FontSet, breaks: &Breaks, contents: &[(u8, String, usize)], contents_pages: usize, known_pages: &BTreeMap<String, (usize, usize)>) -> Laid {
    let mut c = Cursor {
        fonts,
        breaks,
        pages: Vec::new(),
        used: 0.0,
        outline: Vec::new(),
        marks: Vec::new(),
        evidence_pages: BTreeMap::new(),
        known_pages,
        nodes: Vec::new(),
        node: None,
        cell_nodes: Vec::new(),
        table_cols: Vec::new(),
        table_splits: Vec::new(),
    };
    c.new_page(false);
    let spacing = CHAR - BODY;
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Cover { title, fields } => {
                let (t_look, f_look) = (style::COVER_TITLE, style::COVER_FIELD);
                c.used = AREA_H * style::COVER_TITLE_AT;
                for t in title {
                    c.begin("H");
                    c.text_lines(t, t_look.face.role(), t_look.size, t_look.size * style::COVER_TITLE_PITCH, t_look.indent, Align::Center, 0.0, 1);
                }
                c.used = AREA_H * style::COVER_FIELDS_AT;
                for (label, value) in fields {
                    c.begin("P");
                    c.text_lines(&format!("{label}：{value}"), f_look.face.role(), f_look.size, PITCH, f_look.indent, Align::Left, 0.0, 1);
                }
            }
            Block::Contents => {
                let start = c.pages.len();
                let toc = c.open("TOC", None);
                for (level, text, page) in contents {
                    c.node = Some(c.open("TOCI", Some(toc)));
                    c.contents_line(*level, text, *page, spacing);
                }
                // Keep the reserved number of pages so page numbers stay true.
                while c.pages.len() < start + contents_pages.saturating_sub(1) {
                    c.new_page(true);
                }
            }
            Block::Title(t) => {
                c.ensure(c.lead(&doc.blocks, i));
                let l = style::TITLE;
                c.begin("H");
                c.text_lines(t, l.face.role(), l.size, PITCH * style::TITLE_PITCH, l.indent, Align::Center, 0.0, usize::MAX);
                c.used += PITCH * 0.5;
            }
            Block::Heading { level, text } => {
                // Keep a heading with the start of what follows (keep with next).
                c.ensure(c.lead(&doc.blocks, i));
                if *level <= 2 {
                    c.outline.push((*level, text.clone(), c.pages.len()));
                    c.marks.push(Mark { level: *level, text: text.clone(), page: c.pages.len(), y: TOP + c.used });
                }
                let l = style::heading(*level);
                c.begin(match level {
                    1 => "H1",
                    2 => "H2",
                    3 => "H3",
                    _ => "H4",
                });
                c.text_lines(text, l.face.role(), l.size, PITCH, l.indent, Align::Left, spacing, usize::MAX);
            }
            Block::Paragraph(p) => {
                c.begin("P");
                // Two lines on either side of a page break: no widow, no orphan.
                c.look_lines(p, style::BODY_TEXT, Align::Justify, spacing, 2);
            }
            Block::Line { text, align } => {
                c.begin("P");
                c.look_lines(text, style::LINE, align.clone(), spacing, 1);
            }
            // A note line under a table (a form's 备注) goes with its last row.
            Block::Table(t) => c.table(t, matches!(doc.blocks.get(i + 1), Some(Block::Line { .. }))),
            Block::Evidence(e) => c.evidence(e),
            Block::PageBreak => {
                if c.used > 0.0 || !c.pages.last().is_some_and(|p| p.show_number) {
                    c.new_page(true);
                }
            }
        }
    }
    // Page numbers: "— N —", outer side, one character in from the type area's edge.
    let number_look = style::PAGE_NUMBER;
    let pages: Vec<Page> = c
        .pages
        .into_iter()
        .map(|mut p| {
            if p.show_number {
                let text = format!("— {} —", p.number);
                let (size, role) = (number_look.size, number_look.face.role());
                let w: f32 = text.chars().map(|ch| fonts.get(role).advance(ch) * size).sum();
                let left = if p.number % 2 == 1 { BINDING } else { PAGE_W - BINDING - AREA_W };
                let inset = style::PAGE_NUMBER_INSET;
                let x = if p.number % 2 == 1 { left + AREA_W - inset - w } else { left + inset };
                // GB/T 9704 7.5: the 一字线's top 7 mm below the type area's bottom edge.
                let y = TOP + AREA_H + style::PAGE_NUMBER_GAP_MM * MM + fonts.get(role).ink_top('—').unwrap_or(0.3) * size;
                p.items.push(Item::Text { x, y, size, role, text, spacing: 0.0 });
                p.owners.push(None);
            }
            p
        })
        .collect();
    Laid { pages, outline: c.outline, marks: c.marks, evidence_pages: c.evidence_pages, nodes: c.nodes, table_cols: c.table_cols, table_splits: c.table_splits }
}

/// Lay out twice: once to learn the pages headings land on, once with those numbers in
/// the contents. The contents' own length does not depend on the numbers, so they hold.
pub fn layout(doc: &Document, fonts: &FontSet) -> Laid {
    let entries: Vec<(u8, String, usize)> = doc.outline().map(|(l, t)| (l, t.to_owned(), 0)).collect();
    let contents_pages = entries.len().div_ceil(20).max(1);
    let breaks = Breaks::default();
    let mut laid = run(doc, fonts, &breaks, &entries, contents_pages, &BTreeMap::new());
    // Page numbers printed in tables (evidence pages) can change a row's height and so the
    // pages after it: lay out again until the numbers are those they print.
    for _ in 0..4 {
        let next = run(doc, fonts, &breaks, &laid.outline, contents_pages, &laid.evidence_pages);
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
        let (role, size) = (style::CONTENTS.face.role(), style::CONTENTS.size);
        let indent = if level == 1 { 0.0 } else { style::CONTENTS_INDENT * (size + spacing) };
        let x0 = self.left();
        let y = TOP + self.used + PITCH * 0.78;
        let number = page.to_string();
        let nw = self.width(&number, role, size, 0.0);
        let tw = self.width(text, role, size, spacing);
        let dot = self.width("·", role, size, 0.0).max(1.0);
        let gap_start = x0 + indent + tw + 4.0;
        let gap_end = x0 + AREA_W - nw - 4.0;
        let dots = (((gap_end - gap_start) / dot).floor().max(0.0)) as usize;
        self.push(Item::Text { x: x0 + indent, y, size, role, text: text.to_owned(), spacing });
        self.push_owned(Item::Text { x: gap_start, y, size, role, text: "·".repeat(dots), spacing: 0.0 }, None);
        self.push(Item::Text { x: x0 + AREA_W - nw, y, size, role, text: number, spacing: 0.0 });
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
            self.begin("Caption");
            let caption = if n > 1 { format!("佐证材料 {} {}（{}/{}）", e.no, e.title, i + 1, n) } else { format!("佐证材料 {} {}", e.no, e.title) };
            let l = style::CAPTION;
            self.text_lines(&caption, l.face.role(), l.size, l.size * 1.6, l.indent, Align::Left, 0.0, 1);
            self.used += 2.0 * MM;
            let (bw, bh) = (AREA_W, (AREA_H - self.used).max(10.0 * MM));
            let scale = (bw / size.width.max(1.0)).min(bh / size.height.max(1.0));
            let (w, h) = (size.width * scale, size.height * scale);
            let x = self.left() + (bw - w) / 2.0;
            let y = TOP + self.used;
            self.begin("Figure");
            if let Some(f) = self.node {
                self.nodes[f].alt = Some(caption);
            }
            self.push(Item::Image { file, page: i, x, y, w, h });
            self.used = AREA_H;
        }
        let last = self.pages.len();
        self.evidence_pages.insert(e.no.clone(), (last + 1 - n, last));
    }

    /// A table's columns, its cells placed on the grid and its row heights.
    fn grid<'t>(&self, t: &'t Table) -> Grid<'t> {
        let total: f32 = t.widths.iter().sum::<f32>().max(0.001);
        let cols: Vec<f32> = t.widths.iter().map(|w| w / total * AREA_W).collect();
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let f = self.fonts.get(style::TABLE.face.role());
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
        let cols = fit_tokens(cols, &grid, t.header_rows.min(t.rows.len()), f);
        // Row heights from the wrapped text of cells that start in them.
        let mut heights: Vec<f32> = vec![line_h + 2.0 * PAD; t.rows.len()];
        for (r, row) in grid.iter().enumerate() {
            for (c0, slot) in row.iter().enumerate() {
                if let Some((span, cell)) = slot {
                    let width: f32 = cols[c0..c0 + span].iter().sum();
                    let need = cell_lines(f, self.breaks, cell, width).len().max(1) as f32 * line_h + 2.0 * PAD;
                    let rows = cell.rowspan.max(1).min(t.rows.len() - r);
                    let have: f32 = heights[r..r + rows].iter().sum();
                    if need > have {
                        heights[r + rows - 1] += need - have;
                    }
                }
            }
        }
        let header = t.header_rows.min(t.rows.len());
        // A body row of one cell across the table heads the rows under it (a part of the
        // 佐证材料目录): it never ends a page alone.
        let sub_heading = |row: usize| {
            let mut cells = grid[row].iter().flatten();
            row >= header && cells.next().is_some_and(|(span, _)| *span == cols.len()) && cells.next().is_none()
        };
        // Rows joined by a rowspan move between pages together.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut r = 0;
        while r < t.rows.len() {
            let mut end = r + 1;
            let mut k = r;
            loop {
                while k < end {
                    for slot in grid[k].iter().flatten() {
                        end = end.max((k + slot.1.rowspan.max(1)).min(t.rows.len()));
                    }
                    k += 1;
                }
                if end < t.rows.len() && sub_heading(end - 1) {
                    end += 1;
                    continue;
                }
                break;
            }
            groups.push((r, end));
            r = end;
        }
        Grid { cols, grid, heights, groups, header }
    }

    /// `noted`: a note line follows, so the last row on a page of its own is not alone there.
    fn table(&mut self, t: &Table, noted: bool) {
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
        let g = self.grid(t);
        self.table_cols.push(g.cols.clone());
        let f = self.fonts.get(style::TABLE.face.role());
        let breaks = self.breaks;
        let lines_of = |cell: &Cell, width: f32| cell_lines(f, breaks, cell, width);
        let Grid { cols, grid, heights, groups, header } = &g;
        let header = *header;
        // Structure: the table, its rows, their cells (header rows' cells are TH).
        let table = self.open("Table", None);
        self.cell_nodes = grid
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let tr = self.open("TR", Some(table));
                row.iter().map(|slot| slot.map(|_| self.open(if r < header { "TH" } else { "TD" }, Some(tr)))).collect()
            })
            .collect();
        let header_h: f32 = heights[..header].iter().sum();
        let group_h = |&(a, b): &(usize, usize)| -> f32 { heights[a..b].iter().sum() };
        let split = |&(a, b): &(usize, usize)| b == a + 1 && a >= header && group_h(&(a, b)) > AREA_H - header_h + 0.01;
        // A tall row of one line (a form's 简介): may continue on the next page, as Word's rows do.
        let tall = |&(a, b): &(usize, usize)| b == a + 1 && a >= header && group_h(&(a, b)) > SPLIT_ROW;
        self.table_splits.push(vec![false; heights.len()]);
        // The header does not stay at a page's foot without the first row under it.
        self.ensure(g.lead(noted));
        // Whether the table's first page holds something above it.
        let (first_page, above) = (self.pages.len(), self.used > 0.0);
        let mut first_on_page = true;
        // Body groups of this table on the current page.
        let mut on_page = 0;
        let last = groups.len().saturating_sub(1);
        for (gi, grp) in groups.iter().enumerate() {
            let &(start, end) = grp;
            let h = group_h(grp);
            // A single row taller than any page continues on the next pages, never cut off; a
            // tall one that does not fit starts here when that leaves no gap of a quarter page.
            if split(grp) || (tall(grp) && self.used > 0.0 && h > self.room() + 0.01 && self.room() >= SPLIT_ROOM) {
                if let Some(row) = self.table_splits.last_mut().and_then(|t| t.get_mut(start)) {
                    *row = true;
                }
                self.split_row(start, cols, grid, heights, header, &lines_of);
                first_on_page = false;
                on_page = 1;
                continue;
            }
            let mut brk = h > self.room() + 0.01 && self.used > 0.0 && start >= header;
            // The last row alone on a page of its own: take one more over with it, if that
            // leaves a row, and more, on this page.
            let keeps = !noted && (on_page >= 2 || (on_page == 1 && above && self.pages.len() == first_page));
            if !brk && gi + 1 == last && start >= header && keeps && !split(&groups[last]) {
                let h_last = group_h(&groups[last]);
                brk = h + h_last > self.room() + 0.01 && header_h + h + h_last <= AREA_H;
            }
            if brk {
                self.new_page(true);
                first_on_page = true;
                on_page = 0;
            }
            if first_on_page && start >= header && header > 0 {
                // Repeat the header rows at the top of every page the table continues on.
                self.repeat_header(grid, cols, heights, header, &lines_of);
            }
            self.draw_rows(grid, cols, heights, start, end, &lines_of);
            first_on_page = false;
            if start >= header {
                on_page += 1;
            }
        }
        self.used += PITCH * 0.5;
        self.node = None;
    }

    /// The header rows again at a continuation page's top: drawn, but artifacts (not read twice).
    fn repeat_header(
        &mut self,
        grid: &[Vec<Option<(usize, &Cell)>>],
        cols: &[f32],
        heights: &[f32],
        header: usize,
        lines_of: &dyn Fn(&Cell, f32) -> Rc<Vec<String>>,
    ) {
        let nodes = std::mem::take(&mut self.cell_nodes);
        self.draw_rows(grid, cols, heights, 0, header, lines_of);
        self.cell_nodes = nodes;
    }

    /// A row too tall for a page, laid out in slices: each slice takes the lines that fit, the
    /// rest follow on the next page under the repeated header.
    #[allow(clippy::too_many_arguments, reason = "the table's grid, columns and header, as draw_rows takes them")]
    fn split_row(
        &mut self,
        r: usize,
        cols: &[f32],
        grid: &[Vec<Option<(usize, &Cell)>>],
        heights: &[f32],
        header: usize,
        lines_of: &dyn Fn(&Cell, f32) -> Rc<Vec<String>>,
    ) {
        let line_h = TABLE_SIZE * TABLE_LEADING;
        let cells: Vec<(usize, usize, &Cell, Rc<Vec<String>>)> = grid[r]
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
                    self.repeat_header(grid, cols, heights, header, lines_of);
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
                self.node = self.cell_nodes.get(r).and_then(|row| row.get(*c0).copied().flatten());
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
            let role = style::TABLE.face.role();
            let lw: f32 = line.chars().map(|ch| self.fonts.get(role).advance(ch) * TABLE_SIZE).sum();
            let tx = match align {
                Align::Center => cx + (w - lw) / 2.0,
                Align::Right => cx + w - PAD - lw,
                _ => cx + PAD,
            };
            self.push(Item::Text { x: tx, y: ty, size: TABLE_SIZE, role, text: line.clone(), spacing: 0.0 });
            ty += line_h;
        }
        for (x1, y1, x2, y2) in [(cx, top, cx + w, top), (cx, top + h, cx + w, top + h), (cx, top, cx, top + h), (cx + w, top, cx + w, top + h)] {
            self.push_owned(Item::Rule { x1, y1, x2, y2, width: 0.5 }, None);
        }
    }

    fn draw_rows(
        &mut self,
        grid: &[Vec<Option<(usize, &Cell)>>],
        cols: &[f32],
        heights: &[f32],
        start: usize,
        end: usize,
        lines_of: &dyn Fn(&Cell, f32) -> Rc<Vec<String>>,
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
                    self.node = self.cell_nodes.get(r).and_then(|row| row.get(c0).copied().flatten());
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
        // The dash's top 7 mm below the type area (GB/T 9704 7.5).
        let f = fonts();
        let baseline = laid.pages[1].items.iter().find_map(|i| match i { Item::Text { text, y, .. } if text.starts_with('—') => Some(*y), _ => None }).unwrap();
        let dash_top = baseline - f.serif.ink_top('—').unwrap() * 14.0;
        assert!((dash_top - (TOP + AREA_H) - 7.0 * MM).abs() < 0.01, "{} mm", (dash_top - TOP - AREA_H) / MM);
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
        // The header is read once: its repeats are artifacts, and every row's text is a cell's.
        let owned = |p: &Page, want: &str| p.items.iter().zip(&p.owners).filter(|(i, o)| o.is_some() && matches!(i, Item::Text { text, .. } if text == want)).count();
        assert_eq!(laid.pages.iter().map(|p| owned(p, "证书编号")).sum::<usize>(), 1);
        for p in &laid.pages {
            assert_eq!(p.items.len(), p.owners.len());
            for (i, o) in p.items.iter().zip(&p.owners) {
                if let (Item::Text { text, .. }, Some(n)) = (i, o)
                    && text.starts_with('Z')
                {
                    assert_eq!(laid.nodes[*n].kind, "TD");
                    assert_eq!(laid.nodes[laid.nodes[*n].parent.unwrap()].kind, "TR");
                }
                if matches!(i, Item::Rule { .. }) {
                    assert_eq!(*o, None, "borders are artifacts");
                }
            }
        }
        // Every row is printed exactly once.
        let rows: usize = laid.pages.iter().map(|p| p.items.iter().filter(|i| matches!(i, Item::Text { text, .. } if text.starts_with('Z'))).count()).sum();
        assert_eq!(rows, 80);
    }
    /// Every text item of each page, in order: (text, size).
    fn page_texts(laid: &Laid) -> Vec<Vec<(String, f32)>> {
        laid.pages
            .iter()
            .map(|p| p.items.iter().filter_map(|i| match i { Item::Text { text, size, .. } if !text.starts_with('—') => Some((text.clone(), *size)), _ => None }).collect())
            .collect()
    }

    /// A paragraph that sets as exactly `n` lines of `ch` (26 characters after the indent, then 28).
    fn para_of(ch: char, n: usize) -> String {
        std::iter::repeat_n(ch, 26 + 28 * n.saturating_sub(1)).collect()
    }

    #[test]
    fn no_single_line_of_a_paragraph_at_a_page_top_or_foot() {
        for fill in 1..22 {
            for n in 2..9 {
                let markup = format!("::p {}\n::p {}\n::p {}\n", para_of('甲', fill), para_of('乙', n), para_of('丙', 3));
                let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
                for ch in ['乙', '丙'] {
                    let per_page: Vec<usize> = page_texts(&laid).iter().map(|p| p.iter().filter(|(t, _)| t.starts_with(ch)).count()).filter(|c| *c > 0).collect();
                    assert!(per_page.iter().all(|c| *c >= 2), "fill {fill}, {n} lines: {ch} set {per_page:?} per page");
                    assert_eq!(per_page.iter().sum::<usize>(), if ch == '乙' { n } else { 3 }, "fill {fill}, {n} lines: nothing lost");
                }
            }
        }
    }

    #[test]
    fn headings_are_kept_with_what_follows() {
        let table = "::table 1,3 header=1\n|序号|表头列|\n|1|甲|\n|2|乙|\n|3|丙|\n";
        for level in 1..=4 {
            for fill in 15..23 {
                for next in [format!("::p {}\n", para_of('乙', 4)), table.to_owned(), format!("::h{} 下级标题\n::p {}\n", (level + 1).min(4), para_of('乙', 4))] {
                    let markup = format!("::p {}\n::h{level} 标题文字\n{next}", para_of('甲', fill));
                    let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
                    for (no, texts) in page_texts(&laid).iter().enumerate() {
                        let Some((last, _)) = texts.last() else { continue };
                        assert!(last != "标题文字" && last != "下级标题", "level {level}, fill {fill}: page {} ends on a heading: {texts:?}", no + 1);
                        assert!(last != "表头列", "level {level}, fill {fill}: page {} ends on a header row", no + 1);
                        let heads = texts.iter().filter(|(t, _)| t == "标题文字").count();
                        if heads == 1 {
                            let after = texts.iter().skip_while(|(t, _)| t != "标题文字").skip(1).any(|(t, _)| t.starts_with('乙') || t == "表头列" || t == "下级标题");
                            assert!(after, "level {level}, fill {fill}: heading without what follows on page {}", no + 1);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn no_header_row_at_a_page_foot_and_no_lone_last_row() {
        for fill in 10..23 {
            for rows in 1..40 {
                let mut markup = format!("::p {}\n::table 1,3 header=1\n|序号|表头列|\n", para_of('甲', fill));
                for r in 0..rows {
                    markup.push_str(&format!("|{r}|行{r}|\n"));
                }
                let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
                let pages = page_texts(&laid);
                let mut body_pages = Vec::new();
                for (no, texts) in pages.iter().enumerate() {
                    let body = texts.iter().filter(|(t, _)| t.starts_with('行')).count();
                    let header = texts.iter().any(|(t, _)| t == "表头列");
                    assert!(!header || body > 0, "fill {fill}, {rows} rows: header alone at the foot of page {}", no + 1);
                    if body > 0 {
                        body_pages.push(body);
                    }
                }
                assert_eq!(body_pages.iter().sum::<usize>(), rows, "fill {fill}: every row once");
                if body_pages.len() > 1 {
                    assert!(*body_pages.last().unwrap() >= 2, "fill {fill}, {rows} rows: a lone row on the last page {body_pages:?}");
                }
            }
        }
    }

    #[test]
    fn a_part_row_across_the_table_never_ends_a_page() {
        for fill in 10..23 {
            let mut markup = format!("::p {}\n::table 1,3,1 header=1\n|编号|材料名称|页码|\n", para_of('甲', fill));
            for part in 0..6 {
                markup.push_str(&format!("|{{c3}}部分{part}|\n"));
                for r in 0..4 {
                    markup.push_str(&format!("|{part}-{r}|行{part}{r}|{r}|\n"));
                }
            }
            let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
            let pages = page_texts(&laid);
            for (no, texts) in pages.iter().enumerate() {
                let body: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).filter(|t| !t.starts_with('—')).collect();
                let last = body.last().copied().unwrap_or_default();
                assert!(!last.starts_with("部分"), "fill {fill}: page {} ends on the part row {last}", no + 1);
            }
            let rows: usize = pages.iter().flatten().filter(|(t, _)| t.starts_with('行')).count();
            assert_eq!(rows, 24, "fill {fill}: every row once");
        }
    }

    #[test]
    fn no_number_code_or_date_is_split_in_a_cell() {
        // Narrow columns as templates give them: the codes and dates are wider than their cells.
        let mut markup = String::from("::table 1,2,2,1,2 header=1\n|序号|姓名|证书编号|日期|区市县人社部门评估|\n");
        let codes = ["122100000010054", "S00002102000220", "LNZC-2014-0204-0930", "132100000020039"];
        for (i, code) in codes.iter().enumerate() {
            markup.push_str(&format!("|{i}|张三丰|{code}|2022-09-2{i}|2023-01-1{i}至2023-12-3{i}|\n"));
        }
        let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
        let cells: Vec<String> = page_texts(&laid).concat().into_iter().filter(|(_, s)| (*s - TABLE_SIZE).abs() < 0.01).map(|(t, _)| t).collect();
        for (i, code) in codes.iter().enumerate() {
            for token in [code.to_string(), format!("2022-09-2{i}"), format!("2023-01-1{i}"), format!("2023-12-3{i}")] {
                assert!(cells.iter().any(|l| l.contains(&token)), "{token} split: {cells:?}");
            }
        }
        let label: Vec<&String> = cells.iter().filter(|l| "区市县人社部门评估".contains(l.as_str())).collect();
        assert!(label.iter().all(|l| l.chars().count() >= 2), "{label:?}");
        assert_eq!(label.iter().map(|l| l.as_str()).collect::<String>(), "区市县人社部门评估");
    }

    #[test]
    fn a_last_row_with_its_note_under_it_is_not_alone() {
        // A form's two seal boxes (10 lines each) after a paragraph: the first fits, so it stays
        // there; the second goes over with the 备注 under it, not both over leaving a gap.
        let boxes = "　{br}".repeat(9);
        let markup = format!("::p {}\n::table 1,4 header=0\n|区县框|{boxes}（盖章）|\n|市局框|{boxes}（盖章）|\n::line left 备注：一并报送（三份）\n", para_of('甲', 12));
        let texts = page_texts(&layout(&parse_markup(&markup).unwrap(), &fonts()));
        let on = |t: &str| texts.iter().position(|p| p.iter().any(|(s, _)| s == t));
        assert_eq!(on("区县框"), Some(0), "{texts:?}");
        assert_eq!(on("市局框"), Some(1));
        assert_eq!(on("备注：一并报送（三份）"), Some(1));
        // Without the note, the last row is not left alone: both go over.
        let bare = markup.lines().filter(|l| !l.starts_with("::line")).collect::<Vec<_>>().join("\n");
        let texts = page_texts(&layout(&parse_markup(&bare).unwrap(), &fonts()));
        assert!(texts[1].iter().any(|(s, _)| s == "区县框"), "{texts:?}");
    }

    #[test]
    fn a_tall_row_continues_rather_than_leave_a_gap() {
        // A form: a paragraph, a short row, then a row of some 25 lines (a 简介, half a page).
        let intro: String = "品牌介绍文字".chars().cycle().take(25 * 27).collect();
        for (lines, starts_here) in [(8, true), (19, false)] {
            let markup = format!("::p {}\n::table 1,4 header=0\n|名称|甲|\n|总体情况简介|{intro}|\n|推荐意见|（盖章）|\n", para_of('乙', lines));
            let laid = layout(&parse_markup(&markup).unwrap(), &fonts());
            let texts = page_texts(&laid);
            let on = |page: usize, t: &str| texts[page].iter().any(|(s, _)| s == t);
            // With a quarter page or more left it starts on that page; with less, it moves whole.
            assert_eq!(on(0, "总体情况简介"), starts_here, "{lines} lines above: {:?}", texts[0]);
            assert_eq!(laid.table_splits, vec![vec![false, starts_here, false]]);
            let printed: String = texts.concat().into_iter().filter(|(t, s)| (*s - TABLE_SIZE).abs() < 0.01 && t.starts_with(['品', '牌', '介', '绍', '文', '字'])).map(|(t, _)| t).collect();
            assert_eq!(printed, intro, "nothing lost");
        }
    }

    #[test]
    fn a_short_header_word_is_not_split() {
        // A column narrower than 序号: it takes the width from the wide one beside it.
        let laid = layout(&parse_markup("::table 1,40 header=1\n|{center}序号|{center}内容|\n|1|甲|\n").unwrap(), &fonts());
        let cells: Vec<String> = page_texts(&laid).concat().into_iter().filter(|(_, s)| (*s - TABLE_SIZE).abs() < 0.01).map(|(t, _)| t).collect();
        assert!(cells.iter().any(|l| l == "序号"), "{cells:?}");
    }

    #[test]
    fn level_two_headings_are_set_in_kai() {
        let laid = layout(&parse_markup("::h1 一、标题\n::h2 （一）小标题\n::h3 1.条目\n").unwrap(), &fonts());
        let role = |t: &str| laid.pages[0].items.iter().find_map(|i| match i { Item::Text { text, role, .. } if text == t => Some(*role), _ => None });
        assert_eq!(role("一、标题"), Some(Role::Sans));
        assert_eq!(role("（一）小标题"), Some(Role::Kai));
        assert_eq!(role("1.条目"), Some(Role::Serif));
    }
}
