//! Laid-out pages to PDF with lopdf: the page contents written here, the fonts embedded as
//! subsets (only the glyphs used, by typst's subsetter) with ToUnicode maps, the evidence bound
//! in (bind.rs), a nested outline, and fixed metadata so the same input gives the same bytes.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::fonts::{Font, FontSet, ROLES, Role};
use crate::layout::pages::{Item, Laid, PAGE_H};

pub struct PdfOptions<'a> {
    pub title: &'a str,
    /// The applicant: the document's author in /Info and XMP.
    pub author: &'a str,
    /// Seconds since the epoch for the document dates (SOURCE_DATE_EPOCH).
    pub epoch: i64,
    /// Stamp 草稿 on every page.
    pub draft: bool,
}

/// A4 in points.
const PAGE_W: f32 = 595.2756;

/// Fixed resource names: the same input gives the same bytes.
fn font_name(role: Role) -> &'static [u8] {
    match role {
        Role::Serif => b"F1",
        Role::SerifBold => b"F2",
        Role::Sans => b"F3",
        Role::Kai => b"F4",
    }
}

/// `files` are the document's bound evidence files, which the layout's image items draw.
pub fn write(laid: &Laid, files: Vec<crate::document::Bound>, fonts: &FontSet, opts: &PdfOptions) -> Result<Vec<u8>, String> {
    to_bytes(document(laid, files, fonts, opts)?, None)
}

/// The PDF as objects, ready to be saved by [`to_bytes`] or [`to_file`].
pub fn document(laid: &Laid, files: Vec<crate::document::Bound>, fonts: &FontSet, opts: &PdfOptions) -> Result<lopdf::Document, String> {
    let mut doc = objects(laid, files, fonts, opts)?;
    compress_streams(&mut doc, &|_, _| None);
    Ok(doc)
}

/// A number as a content stream writes it: at most four decimals, no trailing zeros.
fn num(out: &mut Vec<u8>, x: f32) {
    let scaled = (f64::from(x) * 10_000.0).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let (int, mut frac) = (scaled.unsigned_abs() / 10_000, scaled.unsigned_abs() % 10_000);
    // Digits by hand: the formatting machinery was a tenth of writing the page objects.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = int;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
    if frac != 0 {
        let mut places = 4;
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        out.push(b'.');
        for i in (0..places).rev() {
            out.push(b'0' + (frac / 10u64.pow(i) % 10) as u8);
        }
    }
}

fn hex4(out: &mut Vec<u8>, v: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend([12, 8, 4, 0].map(|s| HEX[usize::from((v >> s) & 0xF)]));
}

/// The glyphs one face draws in the document, numbered from 1 in the order they are first
/// drawn (the subset's glyph ids, which are also the codes: Identity-H), and the character each
/// stands for in /ToUnicode.
struct Used {
    remapper: subsetter::GlyphRemapper,
    /// By code: the remapper numbers glyphs densely, so a vector, not a map looked up per
    /// character drawn.
    text: Vec<Option<char>>,
}

/// Text state carried across BT/ET (ISO 32000 9.3.1): a change only is written.
#[derive(PartialEq, Clone, Copy)]
struct TextState {
    font: Option<(Role, f32)>,
    spacing: f32,
}

/// [`document`] with its streams not yet compressed ([`compress_streams`] does that).
pub fn objects(laid: &Laid, files: Vec<crate::document::Bound>, fonts: &FontSet, opts: &PdfOptions) -> Result<lopdf::Document, String> {
    let mut doc = lopdf::Document::with_version("1.4");
    doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();
    let resources_id = doc.new_object_id();
    let mut used: [Option<Used>; 4] = [None, None, None, None];
    let mut page_ids = Vec::new();
    // Marked content: (node, page index, MCID) of every tagged sequence, and the MCIDs bind.rs
    // gives the evidence images, by (page index, item index).
    let mut marked: Vec<(usize, usize, i64)> = Vec::new();
    let mut figures: BTreeMap<(usize, usize), i64> = Default::default();
    for (pi, page) in laid.pages.iter().enumerate() {
        let mut c: Vec<u8> = Vec::with_capacity(8 * 1024);
        let mut state = TextState { font: None, spacing: 0.0 };
        let mut mcid = 0i64;
        // The sequence now open: Some(owner) once one is (owner None: an artifact).
        let mut open: Option<Option<usize>> = None;
        let mut items: Vec<&Item> = page.items.iter().collect();
        let stamp;
        if opts.draft {
            stamp = Item::Text { x: 150.0 * crate::layout::pages::MM, y: 20.0 * crate::layout::pages::MM, size: 26.0, role: Role::Sans, text: "草稿".to_owned(), spacing: 0.0 };
            items.push(&stamp);
        }
        let mut width = 0.5;
        c.extend_from_slice(b"0.5 w\n0 0 0 RG\n");
        for (i, item) in items.into_iter().enumerate() {
            let owner = page.owners.get(i).copied().flatten().filter(|n| *n < laid.nodes.len());
            if let Item::Image { .. } = item {
                if let Some(n) = owner {
                    figures.insert((pi, i), mcid);
                    marked.push((n, pi, mcid));
                    mcid += 1;
                }
            } else if open != Some(owner) {
                if open.is_some() {
                    c.extend_from_slice(b"EMC\n");
                }
                match owner {
                    Some(n) => {
                        c.push(b'/');
                        c.extend_from_slice(laid.nodes[n].kind.as_bytes());
                        c.extend_from_slice(format!(" <</MCID {mcid}>> BDC\n").as_bytes());
                        marked.push((n, pi, mcid));
                        mcid += 1;
                    }
                    None => c.extend_from_slice(b"/Artifact BMC\n"),
                }
                open = Some(owner);
            }
            match item {
                Item::Text { x, y, size, role, text, spacing } => {
                    c.extend_from_slice(b"BT\n");
                    if state.font != Some((*role, *size)) {
                        c.push(b'/');
                        c.extend_from_slice(font_name(*role));
                        c.push(b' ');
                        num(&mut c, *size);
                        c.extend_from_slice(b" Tf\n");
                        state.font = Some((*role, *size));
                    }
                    if state.spacing != *spacing {
                        num(&mut c, *spacing);
                        c.extend_from_slice(b" Tc\n");
                        state.spacing = *spacing;
                    }
                    num(&mut c, *x);
                    c.push(b' ');
                    num(&mut c, PAGE_H - y);
                    c.extend_from_slice(b" Td\n<");
                    let font = fonts.get(*role);
                    let slot = ROLES.iter().position(|r| r == role).unwrap_or(0);
                    let face = used[slot].get_or_insert_with(|| Used { remapper: subsetter::GlyphRemapper::new(), text: Vec::new() });
                    for ch in text.chars() {
                        let code = face.remapper.remap(font.glyph(ch));
                        let code_at = usize::from(code);
                        if face.text.len() <= code_at {
                            face.text.resize(code_at + 1, None);
                        }
                        face.text[code_at].get_or_insert(ch);
                        hex4(&mut c, code);
                    }
                    c.extend_from_slice(b"> Tj\nET\n");
                }
                // Drawn once the pages are PDF objects (bind.rs).
                Item::Image { .. } => {}
                Item::Rule { x1, y1, x2, y2, width: w } => {
                    if *w != width {
                        num(&mut c, *w);
                        c.extend_from_slice(b" w\n");
                        width = *w;
                    }
                    for (x, y, op) in [(x1, y1, &b" m "[..]), (x2, y2, &b" l S\n"[..])] {
                        num(&mut c, *x);
                        c.push(b' ');
                        num(&mut c, PAGE_H - y);
                        c.extend_from_slice(op);
                    }
                }
            }
        }
        if open.is_some() {
            c.extend_from_slice(b"EMC\n");
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), c));
        let a4 = Object::Array(vec![0.into(), 0.into(), Object::Real(PAGE_W), Object::Real(PAGE_H)]);
        page_ids.push(doc.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("MediaBox", a4),
            ("Contents", Object::Reference(contents)),
            ("Resources", Object::Reference(resources_id)),
        ])));
    }
    let mut font_dict = Dictionary::new();
    for (slot, face) in used.iter().enumerate() {
        let Some(face) = face else { continue };
        let role = ROLES[slot];
        let font = embed(&mut doc, fonts.get(role), face)?;
        font_dict.set(font_name(role).to_vec(), Object::Reference(font));
    }
    doc.objects.insert(resources_id, Object::Dictionary(Dictionary::from_iter(vec![("Font", Object::Dictionary(font_dict))])));
    let count = i64::try_from(page_ids.len()).unwrap_or(0);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(page_ids.iter().map(|id| Object::Reference(*id)).collect())),
            ("Count", Object::Integer(count)),
        ])),
    );
    let catalog = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("PageLayout", Object::Name(b"OneColumn".to_vec())),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog));
    super::bind::bind(&mut doc, laid, files, &figures)?;
    super::bind::outline(&mut doc, &laid.marks)?;
    structure(&mut doc, laid, &marked)?;
    metadata(&mut doc, opts)?;
    Ok(doc)
}

/// One face embedded as a CID-keyed Type0 font (ISO 32000 9.7): the subset program, its
/// widths, descriptor and /ToUnicode; the subset is named by six letters derived from its
/// bytes (`ABCDEF+Name`, 9.6.4), so the same subset always carries the same name.
fn embed(doc: &mut lopdf::Document, font: &Font, used: &Used) -> Result<ObjectId, String> {
    use sha2::{Digest, Sha256};
    let refused = |e: &dyn std::fmt::Display| format!("字体 {} 无法嵌入：{e}", font.name);
    let face = ttf_parser::Face::parse(&font.bytes, 0).map_err(|e| refused(&e))?;
    let program = subsetter::subset(&font.bytes, 0, &used.remapper).map_err(|e| refused(&e))?;
    let tag: String = Sha256::digest(&program).iter().take(6).map(|b| char::from(b'A' + b % 26)).collect();
    let ps = face
        .names()
        .into_iter()
        .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
        .and_then(|n| n.to_string())
        .unwrap_or_else(|| font.name.trim_end_matches(".ttf").to_owned());
    let ps: String = ps.chars().filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c)).collect();
    let base = Object::Name(format!("{tag}+{ps}").into_bytes());
    let em = 1000.0 / f32::from(face.units_per_em());
    let scaled = |v: i16| Object::Integer((f32::from(v) * em).round() as i64);
    let cff = face.tables().cff.is_some();
    let mut file = Stream::new(Dictionary::new(), program);
    let file_key = if cff {
        file.dict.set("Subtype", Object::Name(b"OpenType".to_vec()));
        "FontFile3"
    } else {
        file.dict.set("Length1", Object::Integer(i64::try_from(file.content.len()).unwrap_or(0)));
        "FontFile2"
    };
    let file = doc.add_object(file);
    let bbox = face.global_bounding_box();
    let bold = face.is_bold() || face.weight().to_number() >= 600;
    let descriptor = doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", base.clone()),
        ("Flags", Object::Integer(32)),
        ("FontBBox", Object::Array(vec![scaled(bbox.x_min), scaled(bbox.y_min), scaled(bbox.x_max), scaled(bbox.y_max)])),
        ("ItalicAngle", Object::Integer(0)),
        ("Ascent", scaled(face.ascender())),
        ("Descent", scaled(face.descender())),
        ("CapHeight", scaled(face.capital_height().unwrap_or(face.ascender()))),
        ("StemV", Object::Integer(if bold { 166 } else { 88 })),
        (file_key, Object::Reference(file)),
    ]));
    // Widths of the subset's glyphs 1.., in the order the remapper numbered them.
    let widths: Vec<Object> = used
        .remapper
        .remapped_gids()
        .skip(1)
        .map(|g| Object::Integer(face.glyph_hor_advance(ttf_parser::GlyphId(g)).map_or(1000, |a| (f32::from(a) * em).round() as i64)))
        .collect();
    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(if cff { b"CIDFontType0".to_vec() } else { b"CIDFontType2".to_vec() })),
        ("BaseFont", base.clone()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal)),
                ("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal)),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(1000)),
        ("W", Object::Array(vec![Object::Integer(1), Object::Array(widths)])),
    ]);
    if !cff {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid_font = doc.add_object(cid_font);
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(&used.text.iter().enumerate().filter_map(|(code, ch)| Some((u16::try_from(code).ok()?, (*ch)?))).collect::<Vec<_>>()).into_bytes()));
    Ok(doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", base),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)])),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// The CMap that gives each code the character it draws (ISO 32000 9.10.3), in blocks of at
/// most 100 entries as the CMap format requires.
fn to_unicode(text: &[(u16, char)]) -> String {
    use std::fmt::Write;
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in text.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", block.len());
        for (code, ch) in block {
            let _ = write!(s, "<{code:04X}> <");
            for unit in ch.encode_utf16(&mut [0; 2]) {
                let _ = write!(s, "{unit:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// A PDF and a SHA-256 state over its bytes up to where its /ID's strings start: (the PDF,
/// that offset, the state).
pub type IdPrefix<'a> = (&'a [u8], usize, &'a sha2::Sha256);

/// The saved PDF, in memory (verify compares it with the one sent). `known`: the PDF sent,
/// and a SHA-256 state over it up to its /ID, computed as its manifest was checked; where the
/// fresh bytes are the same up to there, the state is theirs too and only the tail is hashed.
pub fn to_bytes(mut doc: lopdf::Document, known: Option<IdPrefix>) -> Result<Vec<u8>, String> {
    // Held in memory here: a streamed JPEG's bytes are read into its object.
    let streamed = take_streamed(&mut doc);
    read_in(&mut doc, &streamed)?;
    zero_id(&mut doc);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| format!("PDF 无法写出：{e}"))?;
    Ok(stable_id(bytes, known))
}

/// The streamed files' bytes put into their objects.
fn read_in(doc: &mut lopdf::Document, streamed: &[Streamed]) -> Result<(), String> {
    for (id, path, len) in streamed {
        let bytes = std::fs::read(path).map_err(|e| format!("无法读取佐证材料“{}”：{}", path.display(), crate::lang::io_error_zh(&e)))?;
        if bytes.len() as u64 != *len {
            return Err(changed(path));
        }
        if let Ok(lopdf::Object::Stream(s)) = doc.get_object_mut(*id) {
            s.content = bytes;
        }
    }
    Ok(())
}

fn changed(path: &std::path::Path) -> String {
    format!("佐证材料“{}”在生成期间被改动，请重新生成", path.display())
}

/// A JPEG bind.rs left in its file: (object, file, length).
type Streamed = (lopdf::ObjectId, std::path::PathBuf, u64);

/// The JPEGs bind.rs left in their files, their marks removed.
fn take_streamed(doc: &mut lopdf::Document) -> Vec<Streamed> {
    let mut out = Vec::new();
    for (id, object) in doc.objects.iter_mut() {
        let lopdf::Object::Stream(s) = object else { continue };
        let Some(lopdf::Object::String(name, _)) = s.dict.remove(super::bind::STREAMED_FROM) else { continue };
        let len = s.dict.get(b"Length").and_then(lopdf::Object::as_i64).ok().and_then(|l| u64::try_from(l).ok()).unwrap_or(0);
        out.push((*id, std::path::PathBuf::from(String::from_utf8_lossy(&name).into_owned()), len));
    }
    out
}

/// What [`to_file`] wrote: its length and digests (lowercase hex), computed as it was written,
/// and each streamed JPEG's SHA-256 by its file: the bag reuses them and hashes nothing again.
pub struct Written {
    pub len: u64,
    pub sha256: String,
    pub sha512: String,
    pub streamed: Vec<(std::path::PathBuf, String)>,
}

/// Where each streamed file goes in `saved` (lopdf's output, their contents empty): (offset in
/// `saved`, index into `streamed`) in file order; where the xref starts; and `saved` from
/// there on, with the offsets moved by the bytes inserted before them.
type Spliced = (Vec<(usize, usize)>, usize, Vec<u8>);

fn splice(saved: &[u8], streamed: &[Streamed]) -> Result<Spliced, String> {
    let bad = || "内部错误：PDF 交叉引用表无法解析".to_owned();
    let number = |b: &[u8]| std::str::from_utf8(b).ok().and_then(|s| s.trim().parse::<usize>().ok()).ok_or_else(bad);
    let sx = saved.windows(10).rposition(|w| w == b"startxref\n").ok_or_else(bad)?;
    let num_end = sx + 10 + saved[sx + 10..].iter().position(|b| *b == b'\n').ok_or_else(bad)?;
    let xref = number(&saved[sx + 10..num_end])?;
    if !saved.get(xref..).is_some_and(|t| t.starts_with(b"xref\n")) || xref > sx {
        return Err(bad());
    }
    // (object number, position of its entry, its offset) of every in-use entry.
    let mut entries: Vec<(usize, usize, usize)> = Vec::new();
    let mut at = xref + 5;
    while !saved[at..].starts_with(b"trailer\n") {
        let end = at + saved[at..].iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let line = std::str::from_utf8(&saved[at..end]).map_err(|_| bad())?;
        let (first, count) = line.split_once(' ').ok_or_else(bad)?;
        let (first, count) = (number(first.as_bytes())?, number(count.as_bytes())?);
        at = end + 1;
        for k in 0..count {
            let entry = saved.get(at..at + 20).ok_or_else(bad)?;
            if entry[17] == b'n' {
                entries.push((first + k, at, number(&entry[..10])?));
            }
            at += 20;
        }
    }
    let mut inserts = Vec::new();
    for (i, (id, _, _)) in streamed.iter().enumerate() {
        let &(_, _, offset) = entries.iter().find(|e| e.0 == id.0 as usize).ok_or_else(bad)?;
        let window = &saved[offset..xref.min(offset + 4096)];
        let p = offset + window.windows(9).position(|w| w == b">>stream\n").ok_or_else(bad)? + 9;
        if !saved[p..].starts_with(b"\nendstream") {
            return Err(bad());
        }
        inserts.push((p, i));
    }
    inserts.sort_unstable();
    let moved = |x: usize| x + inserts.iter().take_while(|(p, _)| *p < x).map(|(_, i)| streamed[*i].2 as usize).sum::<usize>();
    let mut tail = saved[xref..sx + 10].to_vec();
    for &(_, pos, offset) in &entries {
        let new = format!("{:010}", moved(offset));
        if new.len() != 10 {
            return Err("PDF 超过 10 GB，无法写出".to_owned());
        }
        tail[pos - xref..pos - xref + 10].copy_from_slice(new.as_bytes());
    }
    tail.extend_from_slice(moved(xref).to_string().as_bytes());
    tail.extend_from_slice(&saved[num_end..]);
    Ok((inserts, xref, tail))
}

/// The same bytes as [`to_bytes`], written into `file` as they are made: a bound volume is
/// never held in memory. The JPEGs are streamed from their files into their places, and every
/// byte written is hashed once, on two cores beside the write: SHA-256 and SHA-512 of the
/// file for the bag's manifests (the SHA-256 of the file with a zero /ID is the /ID, as in
/// [`stable_id`]), and each JPEG's SHA-256.
pub fn to_file(mut doc: lopdf::Document, file: &mut std::fs::File) -> Result<Written, String> {
    use sha2::{Digest, Sha256, Sha512};
    use std::io::{Read, Write};
    const CHUNK: usize = 1 << 20;
    /// One buffer filled from lopdf's output and the files, then written and hashed at once.
    struct Out<'a> {
        file: &'a mut std::fs::File,
        buf: Vec<u8>,
        filled: usize,
        /// Parts of `buf` that are a streamed file's bytes, by its index.
        parts: Vec<(std::ops::Range<usize>, usize)>,
        sha256: Sha256,
        sha512: Sha512,
        files: Vec<Sha256>,
        len: u64,
    }
    impl Out<'_> {
        fn flush(&mut self) -> std::io::Result<()> {
            let chunk = &self.buf[..self.filled];
            let (file, files, parts) = (&mut *self.file, &mut self.files, &self.parts);
            let (sha256, sha512) = (&mut self.sha256, &mut self.sha512);
            // SHA-512 costs about what the write and both SHA-256 do together.
            let (written, ()) = rayon::join(
                || {
                    for (range, i) in parts {
                        files[*i].update(&chunk[range.clone()]);
                    }
                    sha256.update(chunk);
                    file.write_all(chunk)
                },
                || sha512.update(chunk),
            );
            self.len += self.filled as u64;
            self.filled = 0;
            self.parts.clear();
            written
        }
        fn put(&mut self, mut data: &[u8]) -> std::io::Result<()> {
            while !data.is_empty() {
                let n = (CHUNK - self.filled).min(data.len());
                self.buf[self.filled..self.filled + n].copy_from_slice(&data[..n]);
                self.filled += n;
                data = &data[n..];
                if self.filled == CHUNK {
                    self.flush()?;
                }
            }
            Ok(())
        }
        /// Exactly `len` bytes of `path`, or None when the file no longer has that length.
        fn put_file(&mut self, i: usize, path: &std::path::Path, len: u64) -> std::io::Result<Option<()>> {
            let mut f = std::fs::File::open(path)?;
            let mut left = len;
            while left > 0 {
                let want = (CHUNK - self.filled).min(usize::try_from(left).unwrap_or(usize::MAX));
                let start = self.filled;
                let mut got = 0;
                while got < want {
                    match f.read(&mut self.buf[start + got..start + want])? {
                        0 => return Ok(None),
                        n => got += n,
                    }
                }
                self.parts.push((start..start + want, i));
                self.filled += want;
                left -= want as u64;
                if self.filled == CHUNK {
                    self.flush()?;
                }
            }
            Ok((f.read(&mut [0u8; 1])? == 0).then_some(()))
        }
    }
    let mut streamed = take_streamed(&mut doc);
    // Spliced into a cross-reference table only; any other volume is written from memory.
    if !matches!(doc.reference_table.cross_reference_type, lopdf::xref::XrefType::CrossReferenceTable) {
        read_in(&mut doc, &streamed)?;
        streamed.clear();
    }
    zero_id(&mut doc);
    let mut saved = Vec::new();
    doc.save_to(&mut saved).map_err(|e| format!("PDF 无法写出：{e}"))?;
    drop(doc);
    let (inserts, xref, mut tail) = if streamed.is_empty() {
        // Nothing to move: the trailer, with its /ID, is in the last bytes.
        let at = saved.len().saturating_sub(64 * 1024);
        (Vec::new(), at, saved[at..].to_vec())
    } else {
        splice(&saved, &streamed)?
    };
    let io = |e: std::io::Error| format!("PDF 无法写出：{}", crate::lang::io_error_zh(&e));
    let files = vec![Sha256::new(); streamed.len()];
    let mut out = Out { file, buf: vec![0; CHUNK], filled: 0, parts: Vec::new(), sha256: Sha256::new(), sha512: Sha512::new(), files, len: 0 };
    let mut from = 0;
    for &(at, i) in &inserts {
        out.put(&saved[from..at]).map_err(io)?;
        let (_, path, len) = &streamed[i];
        let unreadable = |e: std::io::Error| format!("无法读取佐证材料“{}”：{}", path.display(), crate::lang::io_error_zh(&e));
        out.put_file(i, path, *len).map_err(unreadable)?.ok_or_else(|| changed(path))?;
        from = at;
    }
    out.put(&saved[from..xref]).map_err(io)?;
    drop(saved);
    out.flush().map_err(io)?;
    // The /ID: the digest of the whole file with it zero, as stable_id derives it.
    if let Some(start) = id_at(&tail) {
        let mut zeroed = out.sha256.clone();
        zeroed.update(&tail);
        fill_id(&mut tail, start, &zeroed.finalize());
    }
    out.put(&tail).map_err(io)?;
    out.flush().map_err(io)?;
    let streamed = streamed.into_iter().zip(out.files).map(|((_, path, _), h)| (path, crate::hex(&h.finalize()))).collect();
    Ok(Written { len: out.len, sha256: crate::hex(&out.sha256.finalize()), sha512: crate::hex(&out.sha512.finalize()), streamed })
}

/// The trailer /ID as two strings of zeros, which [`stable_id`] replaces by the digest.
fn zero_id(doc: &mut lopdf::Document) {
    let zeros = || lopdf::Object::String(vec![b'0'; 32], lopdf::StringFormat::Literal);
    doc.trailer.set("ID", lopdf::Object::Array(vec![zeros(), zeros()]));
}

/// The tagged PDF's structure tree (ISO 32000 14.7): a Document element holding the layout's
/// nodes in reading order, which is the order they are drawn; leaves point at their marked
/// content, pages at their entries of the parent tree; /MarkInfo and /Lang zh-CN on the catalog.
fn structure(doc: &mut lopdf::Document, laid: &crate::layout::pages::Laid, marked: &[(usize, usize, i64)]) -> Result<(), String> {
    use lopdf::{Dictionary, Object, ObjectId, StringFormat};
    let name = |s: &str| Object::Name(s.as_bytes().to_vec());
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let nodes = &laid.nodes;
    let mut content: Vec<Vec<(usize, i64)>> = vec![Vec::new(); nodes.len()];
    for &(n, page, mcid) in marked {
        content[n].push((page, mcid));
    }
    // A node is kept if it or a descendant marks something; parents precede their children.
    let mut used: Vec<bool> = content.iter().map(|c| !c.is_empty()).collect();
    for i in (0..nodes.len()).rev() {
        if let (true, Some(p)) = (used[i], nodes[i].parent) {
            used[p] = true;
        }
    }
    let root = doc.new_object_id();
    let document = doc.new_object_id();
    let ids: Vec<Option<ObjectId>> = used.iter().map(|u| u.then(|| doc.new_object_id())).collect();
    let mut children: Vec<Vec<ObjectId>> = vec![Vec::new(); nodes.len()];
    let mut top = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        let Some(id) = ids[i] else { continue };
        match node.parent.filter(|p| ids[*p].is_some()) {
            Some(p) => children[p].push(id),
            None => top.push(Object::Reference(id)),
        }
    }
    let mut parents: Vec<Vec<Object>> = vec![Vec::new(); page_ids.len()];
    for &(n, page, mcid) in marked {
        let (Some(slot), Some(id)) = (parents.get_mut(page), ids[n]) else { continue };
        let at = usize::try_from(mcid).unwrap_or(0);
        if slot.len() <= at {
            slot.resize(at + 1, Object::Null);
        }
        slot[at] = Object::Reference(id);
    }
    for (i, node) in nodes.iter().enumerate() {
        let Some(id) = ids[i] else { continue };
        let parent = node.parent.and_then(|p| ids[p]).unwrap_or(document);
        // Content on the element's own page (/Pg, its first) is a bare MCID; on another page, an MCR.
        let first_page = content[i].first().map(|(page, _)| *page);
        let kids: Vec<Object> = if children[i].is_empty() {
            content[i]
                .iter()
                .filter_map(|&(page, mcid)| {
                    if Some(page) == first_page {
                        return Some(Object::Integer(mcid));
                    }
                    let pg = *page_ids.get(page)?;
                    Some(Object::Dictionary(Dictionary::from_iter(vec![("Type", name("MCR")), ("Pg", Object::Reference(pg)), ("MCID", Object::Integer(mcid))])))
                })
                .collect()
        } else {
            children[i].iter().map(|c| Object::Reference(*c)).collect()
        };
        let kids = if kids.len() == 1 { kids.into_iter().next().unwrap_or(Object::Null) } else { Object::Array(kids) };
        let mut d = Dictionary::from_iter(vec![("S", name(node.kind)), ("P", Object::Reference(parent)), ("K", kids)]);
        if let Some(pg) = content[i].first().and_then(|(page, _)| page_ids.get(*page)) {
            d.set("Pg", Object::Reference(*pg));
        }
        if let Some(alt) = &node.alt {
            d.set("Alt", super::bind::text_string(alt));
        }
        doc.objects.insert(id, Object::Dictionary(d));
    }
    doc.objects.insert(
        document,
        Object::Dictionary(Dictionary::from_iter(vec![("Type", name("StructElem")), ("S", name("Document")), ("P", Object::Reference(root)), ("K", Object::Array(top))])),
    );
    let mut nums = Vec::new();
    for (page, (pid, refs)) in page_ids.iter().zip(parents).enumerate() {
        let key = i64::try_from(page).unwrap_or(0);
        doc.get_object_mut(*pid).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?.set("StructParents", Object::Integer(key));
        nums.push(Object::Integer(key));
        nums.push(Object::Array(refs));
    }
    let parent_tree = doc.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    doc.objects.insert(
        root,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", name("StructTreeRoot")),
            ("K", Object::Reference(document)),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer(i64::try_from(page_ids.len()).unwrap_or(0))),
        ])),
    );
    let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| format!("PDF 无 /Root：{e}"))?;
    let catalog = doc.get_object_mut(catalog).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?;
    catalog.set("MarkInfo", Object::Dictionary(Dictionary::from_iter(vec![("Marked", Object::Boolean(true))])));
    catalog.set("StructTreeRoot", Object::Reference(root));
    catalog.set("Lang", Object::String(b"zh-CN".to_vec(), StringFormat::Literal));
    Ok(())
}

/// /Info with the title, the applicant as author, the tool and the dates, and the same facts
/// as an XMP stream (PDF 1.4).
fn metadata(doc: &mut lopdf::Document, opts: &PdfOptions) -> Result<(), String> {
    let tool = format!("dossier {}", env!("CARGO_PKG_VERSION"));
    let (y, m, d) = crate::rules::codes::civil_from_days(opts.epoch.div_euclid(86_400));
    let secs = opts.epoch.rem_euclid(86_400);
    let date = format!("D:{y:04}{m:02}{d:02}{:02}{:02}{:02}+00'00'", secs / 3600, secs / 60 % 60, secs % 60);
    let date = || Object::String(date.clone().into_bytes(), StringFormat::Literal);
    let mut info = Dictionary::from_iter(vec![
        ("Title", super::bind::text_string(opts.title)),
        ("Creator", super::bind::text_string(&tool)),
        ("Producer", super::bind::text_string(&tool)),
        ("CreationDate", date()),
        ("ModDate", date()),
        ("Trapped", Object::Name(b"False".to_vec())),
    ]);
    if !opts.author.is_empty() {
        info.set("Author", super::bind::text_string(opts.author));
    }
    let info = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info));
    let xmp = xmp(opts.title, opts.author, &tool, &xmp_date(opts.epoch));
    let mut stream = Stream::new(Dictionary::from_iter(vec![("Type", Object::Name(b"Metadata".to_vec())), ("Subtype", Object::Name(b"XML".to_vec()))]), xmp.into_bytes());
    // Left uncompressed, as XMP is meant to be findable by tools that do not parse PDF.
    stream.allows_compression = false;
    let id = doc.add_object(stream);
    let root = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| format!("PDF 无 /Root：{e}"))?;
    doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(|e| e.to_string())?.set("Metadata", Object::Reference(id));
    Ok(())
}

fn xmp_date(epoch: i64) -> String {
    let (y, m, d) = crate::rules::codes::civil_from_days(epoch.div_euclid(86_400));
    let secs = epoch.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00", secs / 3600, secs / 60 % 60, secs % 60)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet: title, creator (the applicant), dates and tool, as in /Info.
pub fn xmp(title: &str, author: &str, tool: &str, date: &str) -> String {
    let (title, author, tool) = (xml_escape(title), xml_escape(author), xml_escape(tool));
    let creator = if author.is_empty() { String::new() } else { format!("<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>") };
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
{creator}\n\
<xmp:CreateDate>{date}</xmp:CreateDate>\n\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
<xmp:CreatorTool>{tool}</xmp:CreatorTool>\n\
<pdf:Producer>{tool}</pdf:Producer>\n\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>"
    )
}

/// A stream's flated bytes already at hand, by its object id and content.
pub type Known<'a> = dyn Fn(lopdf::ObjectId, &[u8]) -> Option<Vec<u8>> + Sync + 'a;

/// Flate every stream at a middling level: lopdf's own pass uses the best level, which costs
/// far more time for about 0.1 % in size, and verify re-renders a whole batch.
/// `known` may give a stream's flated bytes for its (object id, content) without deflating
/// them again: verify passes those of the PDF received when they inflate to the same content.
pub fn compress_streams(doc: &mut lopdf::Document, known: &Known) {
    use rayon::prelude::*;
    use std::io::Write;
    let mut streams: Vec<(lopdf::ObjectId, &mut lopdf::Stream)> = doc
        .objects
        .iter_mut()
        .filter_map(|(id, object)| match object {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => Some((*id, s)),
            _ => None,
        })
        .collect();
    // Each stream on its own: two cores share them, and the bytes are the same.
    streams.par_iter_mut().for_each(|(id, stream)| {
        if let Some(flated) = known(*id, &stream.content) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(flated);
            return;
        }
        // Level 3: verify re-renders every submission, and deflate was a quarter of that;
        // benches/verify.sh 27 → 32 zips/s for a PDF 5 % larger than at level 6.
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
        let Ok(compressed) = encoder.write_all(&stream.content).and_then(|()| encoder.finish()) else { return };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    });
}

/// The trailer /ID derived from the content (ISO 32000 14.4), so the same input gives the
/// same bytes.
/// `known`: the state of the sent PDF up to its /ID, used where the bytes are the same up to
/// there, so only the tail is hashed.
fn stable_id(mut bytes: Vec<u8>, known: Option<IdPrefix>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let Some(start) = id_at(&bytes) else { return bytes };
    let (a, b) = id_strings(start);
    bytes[a].fill(b'0');
    bytes[b].fill(b'0');
    let (mut hasher, from) = match known {
        Some((sent, at, state)) if at == start && sent.get(..at) == bytes.get(..at) => (state.clone(), at),
        _ => (Sha256::new(), 0),
    };
    hasher.update(&bytes[from..]);
    fill_id(&mut bytes, start, &hasher.finalize());
    bytes
}

/// Where the trailer's /ID strings start: two 32-character literal strings, (first)(second).
pub fn id_at(bytes: &[u8]) -> Option<usize> {
    let start = memchr::memmem::rfind(bytes, b"/ID[(")? + 5;
    let (a, b) = id_strings(start);
    (bytes.len() > b.end && bytes[a.end] == b')' && bytes[b.start - 1] == b'(' && bytes[b.end] == b')').then_some(start)
}

fn id_strings(start: usize) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    (start..start + 32, start + 34..start + 66)
}

/// The ID strings set to the digest of the file with them zeroed, in upper-case hex.
fn fill_id(bytes: &mut [u8], start: usize, digest: &[u8]) {
    let hex = crate::hex(digest).to_ascii_uppercase().into_bytes();
    let (a, b) = id_strings(start);
    bytes[a].copy_from_slice(&hex[..32]);
    bytes[b].copy_from_slice(&hex[32..64]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Object, Stream, StringFormat};

    /// The hand-written digits are those `format!` gives, over a sweep of magnitudes and signs.
    #[test]
    fn numbers_are_the_digits_format_gives() {
        let formatted = |x: f32| {
            let scaled = (f64::from(x) * 10_000.0).round() as i64;
            let (sign, int, frac) = (if scaled < 0 { "-" } else { "" }, scaled.unsigned_abs() / 10_000, scaled.unsigned_abs() % 10_000);
            let frac = format!("{frac:04}");
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
        };
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for i in 0..200_000u32 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let x = (seed % 20_000_000) as f32 / [1.0, 10.0, 1000.0, 10_000.0, 100_000.0][i as usize % 5] * if seed >> 63 == 0 { 1.0 } else { -1.0 };
            let mut out = Vec::new();
            num(&mut out, x);
            assert_eq!(String::from_utf8(out).unwrap(), formatted(x), "{x}");
        }
        for x in [-0.0, 0.00005, -0.00005, 0.00015, -0.99995, f32::MAX, f32::MIN, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut out = Vec::new();
            num(&mut out, x);
            assert_eq!(String::from_utf8(out).unwrap(), formatted(x), "{x}");
        }
    }

    #[test]
    fn numbers_are_written_with_four_decimals_at_most_and_no_trailing_zeros() {
        let shown = |x: f32| {
            let mut out = Vec::new();
            num(&mut out, x);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(-0.0), "0");
        assert_eq!(shown(16.0), "16");
        assert_eq!(shown(0.5), "0.5");
        assert_eq!(shown(595.2756), "595.2756");
        assert_eq!(shown(-0.20697308), "-0.207");
        assert_eq!(shown(73.700836), "73.7008");
        assert_eq!(shown(0.00004), "0");
        assert_eq!(shown(-12.05), "-12.05");
    }

    #[test]
    fn to_unicode_gives_each_code_its_character_in_blocks_of_a_hundred() {
        let mut text: Vec<(u16, char)> = (1..=150u16).map(|c| (c, char::from_u32(0x4E00 + u32::from(c)).unwrap())).collect();
        // Beyond the BMP: a surrogate pair (CJK Extension B).
        text.push((151, '\u{20000}'));
        let cmap = to_unicode(&text);
        assert_eq!(cmap.matches("beginbfchar").count(), 2);
        assert!(cmap.contains("100 beginbfchar\n<0001> <4E01>\n"));
        assert!(cmap.contains("51 beginbfchar\n"));
        assert!(cmap.contains("<0097> <D840DC00>\n"));
        assert!(cmap.ends_with("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"));
    }

    /// A state taken over the sent PDF up to its /ID gives the /ID a full hash gives; one over
    /// a PDF that differs before the /ID is not used.
    #[test]
    fn the_id_from_a_known_prefix_is_the_id_of_the_whole() {
        use sha2::Digest;
        let mut doc = lopdf::Document::with_version("1.4");
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let page = doc.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Page".to_vec()))]));
        let pages = doc.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Pages".to_vec())), ("Kids", Object::Array(vec![Object::Reference(page)])), ("Count", Object::Integer(1))]));
        let catalog = doc.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Catalog".to_vec())), ("Pages", Object::Reference(pages))]));
        doc.trailer.set("Root", catalog);
        zero_id(&mut doc);
        let whole = to_bytes(doc.clone(), None).unwrap();
        let at = id_at(&whole).expect("an /ID");
        assert_ne!(&whole[at..at + 32], &[b'0'; 32][..], "the /ID is filled");
        let state = |bytes: &[u8]| {
            let mut h = sha2::Sha256::new();
            h.update(&bytes[..at]);
            h
        };
        assert_eq!(to_bytes(doc.clone(), Some((&whole, at, &state(&whole)))).unwrap(), whole);
        // The state is what the /ID comes from: a wrong one gives another.
        let wrong = to_bytes(doc.clone(), Some((&whole, at, &sha2::Sha256::new()))).unwrap();
        assert_eq!(wrong[..at], whole[..at]);
        assert_ne!(wrong[at..at + 32], whole[at..at + 32], "the known state was used");
        let mut other = whole.clone();
        other[20] ^= 1;
        assert_eq!(to_bytes(doc.clone(), Some((&other, at, &state(&other)))).unwrap(), whole, "a different prefix: hashed afresh");
        assert_eq!(to_bytes(doc, Some((&whole, at - 1, &state(&whole)))).unwrap(), whole, "another offset: hashed afresh");
    }

    /// A document whose JPEG-like streams stay in their files, as bind.rs leaves them.
    fn with_streamed(dir: &std::path::Path, sizes: &[usize]) -> lopdf::Document {
        let mut doc = lopdf::Document::with_version("1.4");
        // As objects() makes it.
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let mut kids = Vec::new();
        for (i, size) in sizes.iter().enumerate() {
            let path = dir.join(format!("scan-{i}.jpg"));
            std::fs::write(&path, (0..*size).map(|b| (b * 7 + i) as u8).collect::<Vec<u8>>()).unwrap();
            let mut stream = Stream::new(Dictionary::from_iter(vec![("Type", Object::Name(b"XObject".to_vec()))]), Vec::new());
            stream.allows_compression = false;
            stream.dict.set("Length", *size as i64);
            stream.dict.set(super::super::bind::STREAMED_FROM, Object::String(path.to_str().unwrap().as_bytes().to_vec(), StringFormat::Literal));
            let image = doc.add_object(stream);
            kids.push(Object::Reference(doc.add_object(Dictionary::from_iter(vec![("Image", Object::Reference(image))]))));
        }
        let pages = doc.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Pages".to_vec())), ("Kids", Object::Array(kids))]));
        let root = doc.add_object(Dictionary::from_iter(vec![("Type", Object::Name(b"Catalog".to_vec())), ("Pages", Object::Reference(pages))]));
        doc.trailer.set("Root", Object::Reference(root));
        doc
    }

    #[test]
    fn streamed_files_give_the_bytes_and_digests_of_the_volume_held_in_memory() {
        use sha2::{Digest, Sha256, Sha512};
        let dir = std::env::temp_dir().join(format!("dossier-streamed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Across the 1 MB buffer, empty, and small.
        let sizes = [1_500_000, 0, 17, 1 << 20];
        let in_memory = to_bytes(with_streamed(&dir, &sizes), None).unwrap();
        let out = dir.join("out.pdf");
        let written = to_file(with_streamed(&dir, &sizes), &mut std::fs::File::create(&out).unwrap()).unwrap();
        let on_disk = std::fs::read(&out).unwrap();
        assert!(on_disk == in_memory, "the same bytes");
        assert_eq!(written.len, on_disk.len() as u64);
        assert_eq!(written.sha256, crate::hex(&Sha256::digest(&on_disk)));
        assert_eq!(written.sha512, crate::hex(&Sha512::digest(&on_disk)));
        for (path, digest) in &written.streamed {
            assert_eq!(*digest, crate::hex(&Sha256::digest(std::fs::read(path).unwrap())));
        }
        let reread = lopdf::Document::load_mem(&on_disk).expect("offsets right");
        assert_eq!(reread.get_pages().len(), 0);
        // A volume with a cross-reference stream is written from memory, the same bytes.
        let mut other = with_streamed(&dir, &sizes);
        other.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceStream;
        to_file(other, &mut std::fs::File::create(&out).unwrap()).unwrap();
        let mut other = with_streamed(&dir, &sizes);
        other.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceStream;
        assert!(std::fs::read(&out).unwrap() == to_bytes(other, None).unwrap());
        // A file that changes length meanwhile is refused, never half bound.
        let doc = with_streamed(&dir, &[100]);
        std::fs::write(dir.join("scan-0.jpg"), [1u8; 50]).unwrap();
        assert!(to_file(doc, &mut std::fs::File::create(&out).unwrap()).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
