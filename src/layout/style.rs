//! The GB/T 9704-2012 page style, written once and read by both writers: the PDF layout
//! (pages.rs) in points, the DOCX writer in twentieths of a point. Geometry: A4, top margin
//! 37 mm, binding margin 28 mm (left on odd pages, right on even: mirrored), type area
//! 156 × 225 mm, 22 lines of 28 characters in 16 pt, the page number "— N —" in 14 pt on the
//! outer side, one character in, below the type area. Faces: each kind of block names the
//! face GB/T 9704 gives it (小标宋 titles, 黑体 level 1, 楷体 level 2, 仿宋 body); the DOCX names
//! that face, the PDF draws it with the bundled face that stands for it.

use crate::fonts::Role;

/// Millimetres, as the standard gives them.
pub const PAGE_W_MM: f32 = 210.0;
pub const PAGE_H_MM: f32 = 297.0;
pub const TOP_MM: f32 = 37.0;
pub const BINDING_MM: f32 = 28.0;
pub const AREA_W_MM: f32 = 156.0;
pub const AREA_H_MM: f32 = 225.0;
/// The outer margin and the bottom margin are what the type area leaves.
pub const OUTER_MM: f32 = PAGE_W_MM - BINDING_MM - AREA_W_MM;
pub const BOTTOM_MM: f32 = PAGE_H_MM - TOP_MM - AREA_H_MM;
/// From the type area's lower edge to the top of the page number's line.
pub const PAGE_NUMBER_GAP_MM: f32 = 7.0;
pub const LINES: usize = 22;
pub const CHARS: usize = 28;

/// Points.
pub const MM: f32 = 72.0 / 25.4;
pub const PAGE_W: f32 = PAGE_W_MM * MM;
pub const PAGE_H: f32 = PAGE_H_MM * MM;
pub const TOP: f32 = TOP_MM * MM;
pub const BINDING: f32 = BINDING_MM * MM;
pub const AREA_W: f32 = AREA_W_MM * MM;
pub const AREA_H: f32 = AREA_H_MM * MM;
pub const BODY: f32 = 16.0;
/// 22 lines to the type area.
pub const PITCH: f32 = AREA_H / LINES as f32;
/// 28 characters to the line: 16 pt glyphs set slightly tighter.
pub const CHAR: f32 = AREA_W / CHARS as f32;
pub const PAGE_NUMBER_SIZE: f32 = 14.0;
/// The page number's baseline, from the page top: its line's top sits the gap below the area.
pub const PAGE_NUMBER_BASELINE: f32 = TOP + AREA_H + PAGE_NUMBER_GAP_MM * MM + PAGE_NUMBER_SIZE;
/// How far in from the type area's outer edge the page number sits: one character of its size.
pub const PAGE_NUMBER_INSET: f32 = PAGE_NUMBER_SIZE;
pub const TABLE_SIZE: f32 = 12.0;
pub const TABLE_LEADING: f32 = 1.35;
/// A table cell's padding on each side.
pub const PAD: f32 = 1.2 * MM;
/// The cover: where the title and the fields begin, as fractions of the type area's height.
pub const COVER_TITLE_AT: f32 = 0.22;
pub const COVER_FIELDS_AT: f32 = 0.62;
pub const COVER_TITLE_PITCH: f32 = 1.8;
/// A document title's line is one and a half pitches, with half a pitch after it.
pub const TITLE_PITCH: f32 = 1.5;

/// Whether a paragraph keeps at least two lines on either side of a page break: pages.rs
/// does (no widow, no orphan), so the DOCX asks Word for the same (w:widowControl).
pub const WIDOW_CONTROL: bool = true;

/// Twentieths of a point (DOCX), from millimetres: the DOCX always converted this way.
pub const TWIP_MM: f32 = 56.692_91;

pub fn twips_mm(mm: f32) -> i32 {
    (mm * TWIP_MM) as i32
}

pub fn twips_pt(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// The faces of GB/T 9704, by what they print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// 小标宋: the cover and document titles.
    XiaoBiaoSong,
    /// 黑体: level-1 headings, captions.
    Hei,
    /// 楷体: level-2 headings.
    Kai,
    /// 仿宋: body, tables, level-3 headings, page numbers.
    FangSong,
}

impl Face {
    /// The name Chinese offices' Word installations know the face by.
    pub const fn docx_name(self) -> &'static str {
        match self {
            Face::XiaoBiaoSong => "方正小标宋简体",
            Face::Hei => "黑体",
            Face::Kai => "楷体_GB2312",
            Face::FangSong => "仿宋_GB2312",
        }
    }

    /// The bundled face the PDF draws it with: the bold serif stands in for 小标宋 and the
    /// serif for 仿宋 (no openly licensed face with full coverage, fonts/README.md).
    pub fn role(self) -> Role {
        match self {
            Face::XiaoBiaoSong => Role::SerifBold,
            // The bundled LXGW WenKai subset (fonts/README.md).
            Face::Kai => Role::Kai,
            Face::Hei => Role::Sans,
            Face::FangSong => Role::Serif,
        }
    }
}

/// A kind of text: its face, size in points, and first-line indent in characters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub face: Face,
    pub size: f32,
    pub indent: f32,
}

const fn look(face: Face, size: f32, indent: f32) -> Look {
    Look { face, size, indent }
}

pub const COVER_TITLE: Look = look(Face::XiaoBiaoSong, 26.0, 0.0);
pub const COVER_FIELD: Look = look(Face::FangSong, BODY, 0.0);
pub const TITLE: Look = look(Face::XiaoBiaoSong, 22.0, 0.0);
pub const BODY_TEXT: Look = look(Face::FangSong, BODY, 2.0);
pub const LINE: Look = look(Face::FangSong, BODY, 0.0);
pub const CONTENTS: Look = look(Face::FangSong, BODY, 0.0);
/// Level-2 contents entries are indented by two characters.
pub const CONTENTS_INDENT: f32 = 2.0;
pub const TABLE: Look = look(Face::FangSong, TABLE_SIZE, 0.0);
pub const CAPTION: Look = look(Face::Hei, 10.5, 0.0);
pub const PAGE_NUMBER: Look = look(Face::FangSong, PAGE_NUMBER_SIZE, 0.0);

/// Headings: 一、 in 黑体 flush left, （一） in 楷体 and 1. in 仿宋, both two characters in.
pub fn heading(level: u8) -> Look {
    match level {
        1 => look(Face::Hei, BODY, 0.0),
        2 => look(Face::Kai, BODY, 2.0),
        _ => look(Face::FangSong, BODY, 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_area_fills_the_page_less_its_margins() {
        assert!((OUTER_MM - 26.0).abs() < 1e-4 && (BOTTOM_MM - 35.0).abs() < 1e-4);
        assert!((PITCH * LINES as f32 - AREA_H).abs() < 1e-3);
        assert_eq!(twips_mm(AREA_W_MM), 8844);
    }

    #[test]
    fn level_two_headings_are_kai_in_both_writers() {
        assert_eq!(heading(2).face, Face::Kai);
        assert_eq!(heading(2).face.docx_name(), "楷体_GB2312");
        assert_eq!(heading(1).face.role(), Role::Sans);
    }
}
