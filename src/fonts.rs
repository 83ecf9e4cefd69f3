//! The four faces a bundle uses — serif body (宋体-like), bold serif titles (小标宋-like),
//! sans headings (黑体-like), 楷 level-2 headings — loaded from the bundled subsets or a
//! `--font-dir`.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Serif,
    SerifBold,
    Sans,
    /// 楷体, for level-2 headings (GB/T 9704).
    Kai,
}

pub const ROLES: [Role; 4] = [Role::Serif, Role::SerifBold, Role::Sans, Role::Kai];

/// The OFL subsets in `fonts/`, built into the binary so it renders anywhere.
fn bundled(role: Role) -> (&'static str, &'static [u8]) {
    match role {
        Role::Serif => ("NotoSerifSC-Regular-subset.ttf", include_bytes!("../fonts/NotoSerifSC-Regular-subset.ttf")),
        Role::SerifBold => ("NotoSerifSC-Bold-subset.ttf", include_bytes!("../fonts/NotoSerifSC-Bold-subset.ttf")),
        Role::Sans => ("NotoSansSC-Regular-subset.ttf", include_bytes!("../fonts/NotoSansSC-Regular-subset.ttf")),
        // LXGW WenKai, renamed (fonts/README.md).
        Role::Kai => ("DossierKai-Regular-subset.ttf", include_bytes!("../fonts/DossierKai-Regular-subset.ttf")),
    }
}

/// Whether the bundled body face can draw `c` (for the check before anything is rendered).
pub fn bundled_covers(c: char) -> bool {
    c.is_whitespace() || c.is_control() || serif_coverage().get(c as usize / 64).is_some_and(|w| w >> (c as u32 % 64) & 1 == 1)
}

/// One bit per code point the bundled body face maps to a glyph, read from its cmap once:
/// check asks of every character written, on every worker, and a bit needs no lock.
fn serif_coverage() -> &'static [u64] {
    static BITS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    BITS.get_or_init(|| {
        let mut bits = Vec::new();
        let Ok(face) = ttf_parser::Face::parse(bundled(Role::Serif).1, 0) else { return bits };
        // The code points of the Unicode subtables, the ones glyph_index consults.
        for table in face.tables().cmap.iter().flat_map(|cmap| cmap.subtables).filter(|t| t.is_unicode()) {
            table.codepoints(|cp| {
                if let Some(c) = char::from_u32(cp).filter(|&c| face.glyph_index(c).is_some_and(|g| g.0 != 0)) {
                    let (word, bit) = (c as usize / 64, c as u32 % 64);
                    if bits.len() <= word {
                        bits.resize(word + 1, 0);
                    }
                    bits[word] |= 1 << bit;
                }
            });
        }
        bits
    })
}

/// (glyph, advance in ems) of `c` in `face`: glyph 0 and a full em when it has none.
fn lookup(face: &ttf_parser::Face, c: char) -> (u16, f32) {
    let g = face.glyph_index(c);
    (g.map_or(0, |g| g.0), g.and_then(|g| face.glyph_hor_advance(g)).map_or(1.0, |a| f32::from(a) / f32::from(face.units_per_em())))
}

/// [`lookup`] in a bundled face, through the process's table of the characters met so far:
/// check asks it of every character written, and verify lays out a whole batch.
fn bundled_lookup(role: Role, c: char) -> (u16, f32) {
    use std::sync::{OnceLock, RwLock};
    static TABLES: [OnceLock<RwLock<Metrics>>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let table = TABLES[ROLES.iter().position(|r| *r == role).unwrap_or(0)].get_or_init(Default::default);
    if let Some(m) = table.read().ok().and_then(|t| t.get(&c).copied()) {
        return m;
    }
    let m = ttf_parser::Face::parse(bundled(role).1, 0).map_or((0, 1.0), |face| lookup(&face, c));
    if let Ok(mut t) = table.write() {
        t.insert(c, m);
    }
    m
}

/// File names looked for in a `--font-dir`, in order of preference.
fn candidates(role: Role) -> &'static [&'static str] {
    match role {
        Role::Serif => &["FangSong_GB2312.ttf", "仿宋_GB2312.ttf", "simfang.ttf", "NotoSerifSC-Regular-subset.ttf"],
        Role::SerifBold => &["FZXiaoBiaoSong-B05S.ttf", "方正小标宋简体.ttf", "NotoSerifSC-Bold-subset.ttf"],
        Role::Sans => &["SimHei.ttf", "simhei.ttf", "黑体.ttf", "NotoSansSC-Regular-subset.ttf"],
        Role::Kai => &["KaiTi_GB2312.ttf", "楷体_GB2312.ttf", "simkai.ttf", "楷体.ttf", "DossierKai-Regular-subset.ttf"],
    }
}

/// A font file and what layout needs from it.
pub struct Font {
    pub name: String,
    /// Borrowed for the bundled subsets: they are megabytes, and verify renders many times.
    pub bytes: std::borrow::Cow<'static, [u8]>,
    /// Which bundled face this is, if it is one.
    pub bundled: Option<Role>,
    units_per_em: f32,
    face_index: u32,
    /// Glyph and advance already looked up by this font: layout asks for the same characters
    /// over and over, without a lock.
    seen: std::cell::RefCell<Metrics>,
}

/// Glyph and advance in ems, by character.
type Metrics = rustc_hash::FxHashMap<char, (u16, f32)>;

impl Font {
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Font, String> {
        Font::new(name, std::borrow::Cow::Owned(bytes), None)
    }

    fn new(name: &str, bytes: std::borrow::Cow<'static, [u8]>, bundled: Option<Role>) -> Result<Font, String> {
        let face = ttf_parser::Face::parse(&bytes, 0).map_err(|e| format!("字体 {name} 无法读取：{e}"))?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Font { name: name.to_owned(), bytes, bundled, units_per_em, face_index: 0, seen: Default::default() })
    }

    fn face(&self) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(&self.bytes, self.face_index).expect("checked when loaded")
    }

    pub fn covers(&self, c: char) -> bool {
        c.is_whitespace() || self.glyph(c) != 0
    }

    /// The glyph that draws `c` (0, .notdef, when the face has none: `check` refuses those).
    pub fn glyph(&self, c: char) -> u16 {
        self.metrics(c).0
    }

    /// (glyph, advance in ems) of `c`: from this font's own cache, else the process's table
    /// for a bundled face, else the face itself.
    fn metrics(&self, c: char) -> (u16, f32) {
        if let Some(m) = self.seen.borrow().get(&c) {
            return *m;
        }
        let m = match self.bundled {
            Some(role) => bundled_lookup(role, c),
            None => lookup(&self.face(), c),
        };
        self.seen.borrow_mut().insert(c, m);
        m
    }

    /// Top of the outline of `c` above the baseline, in ems (None without an outline).
    pub fn ink_top(&self, c: char) -> Option<f32> {
        let face = self.face();
        let bbox = face.glyph_bounding_box(face.glyph_index(c)?)?;
        Some(f32::from(bbox.y_max) / self.units_per_em)
    }

    /// Advance of `c` in ems.
    pub fn advance(&self, c: char) -> f32 {
        self.metrics(c).1
    }
}

pub struct FontSet {
    pub serif: Font,
    pub serif_bold: Font,
    pub sans: Font,
    pub kai: Font,
}

impl FontSet {
    pub fn get(&self, role: Role) -> &Font {
        match role {
            Role::Serif => &self.serif,
            Role::SerifBold => &self.serif_bold,
            Role::Sans => &self.sans,
            Role::Kai => &self.kai,
        }
    }

    /// Fonts from `dir` where it has them, else the subsets built into the binary.
    pub fn load(dir: Option<&Path>) -> Result<FontSet, String> {
        let one = |role: Role| -> Result<Font, String> {
            if let Some(base) = dir {
                for name in candidates(role) {
                    if let Ok(bytes) = std::fs::read(base.join(name)) {
                        return Font::from_bytes(name, bytes);
                    }
                }
            }
            let (name, bytes) = bundled(role);
            Font::new(name, std::borrow::Cow::Borrowed(bytes), Some(role))
        };
        Ok(FontSet { serif: one(Role::Serif)?, serif_bold: one(Role::SerifBold)?, sans: one(Role::Sans)?, kai: one(Role::Kai)? })
    }

    /// Characters of `text` that no face of the set can draw.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text.chars().filter(|c| !self.serif.covers(*c)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The coverage bits say what the face's own lookup says, for every code point.
    #[test]
    fn coverage_bits_agree_with_the_glyph_lookup() {
        let face = ttf_parser::Face::parse(bundled(Role::Serif).1, 0).unwrap();
        let mut covered = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            // What bundled_lookup(Serif, c).0 != 0 said, without filling its table.
            let by_lookup = c.is_whitespace() || c.is_control() || lookup(&face, c).0 != 0;
            assert_eq!(bundled_covers(c), by_lookup, "U+{:04X}", c as u32);
            covered += usize::from(by_lookup);
        }
        assert!(covered > 3000, "{covered}");
    }

    #[test]
    fn the_kai_face_draws_every_hanzi_the_body_face_does() {
        let set = FontSet::load(None).expect("bundled fonts");
        let hanzi = |c: &char| matches!(*c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3134F);
        let chars: Vec<char> = include_str!("../fonts/charset.txt").lines().filter_map(|l| l.chars().next()).filter(hanzi).collect();
        assert!(chars.len() >= 8230, "{}", chars.len());
        let missing: String = chars.iter().filter(|c| set.serif.covers(**c) && !set.kai.covers(**c)).collect();
        assert_eq!(missing, "");
        assert_eq!(set.kai.bundled, Some(Role::Kai));
    }
}
