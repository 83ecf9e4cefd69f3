//! Evidence into the volume: each bound file's pages become XObjects drawn on the pages the
//! layout reserved. PDF pages are imported as form XObjects (vector content and text kept),
//! JPEGs pass through undecoded (DCTDecode), PNG and TIFF are deflated with alpha as an SMask.
//! Then the nested outline: headings, their sub-items and each evidence item.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::document::Bound;
use crate::layout::pages::{Item, Laid, Mark, PAGE_H};
use crate::load::media::{self, Jpeg, Printable};

/// A page's decoded content bounded: a hostile evidence PDF must not inflate without end.
const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

/// [a b c d e f] as PDF writes it; `mul(m, n)` applies m first.
type Matrix = [f32; 6];

fn mul(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// The unit square of an image (or a normalised page) onto the box (x, y, w, h), PDF
/// coordinates, turned as EXIF orientation `o` says the picture is meant to be seen.
fn oriented(o: u8, x: f32, y: f32, w: f32, h: f32) -> Matrix {
    match o {
        2 => [-w, 0.0, 0.0, h, x + w, y],
        3 => [-w, 0.0, 0.0, -h, x + w, y + h],
        4 => [w, 0.0, 0.0, -h, x, y + h],
        5 => [0.0, -h, -w, 0.0, x + w, y + h],
        6 => [0.0, -h, w, 0.0, x, y + h],
        7 => [0.0, h, w, 0.0, x, y],
        8 => [0.0, h, -w, 0.0, x + w, y],
        _ => [w, 0.0, 0.0, h, x, y],
    }
}

/// /Rotate turns a page clockwise for display, as EXIF 6, 3 and 8 do.
fn rotate_as_orientation(rotate: i64) -> u8 {
    match rotate {
        90 => 6,
        180 => 3,
        270 => 8,
        _ => 1,
    }
}

/// What one page of a bound file is drawn with: the XObject and the matrix from its own space
/// to the unit square.
struct Drawn {
    xobject: ObjectId,
    to_unit: Matrix,
    orientation: u8,
}

fn image_stream(width: u32, height: u32, channels: u8, pixels: Vec<u8>, smask: Option<ObjectId>) -> Stream {
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(width))),
        ("Height", Object::Integer(i64::from(height))),
        ("ColorSpace", Object::Name(if channels == 1 { b"DeviceGray".to_vec() } else { b"DeviceRGB".to_vec() })),
        ("BitsPerComponent", Object::Integer(8)),
    ]);
    if let Some(mask) = smask {
        dict.set("SMask", Object::Reference(mask));
    }
    // compress_streams deflates it with the rest.
    Stream::new(dict, pixels)
}

fn jpeg_stream(info: &Jpeg, bytes: Vec<u8>) -> Stream {
    let space: &[u8] = match info.components {
        1 => b"DeviceGray",
        4 => b"DeviceCMYK",
        _ => b"DeviceRGB",
    };
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(info.width))),
        ("Height", Object::Integer(i64::from(info.height))),
        ("ColorSpace", Object::Name(space.to_vec())),
        ("BitsPerComponent", Object::Integer(8)),
        ("Filter", Object::Name(b"DCTDecode".to_vec())),
    ]);
    if info.components == 4 && info.adobe {
        // Adobe writes CMYK JPEGs inverted; every reader expects this Decode for them.
        dict.set("Decode", Object::Array([1, 0, 1, 0, 1, 0, 1, 0].iter().map(|v| Object::Integer(*v)).collect()));
    }
    // The file's bytes as they are: never re-encoded, never deflated again.
    let mut stream = Stream::new(dict, bytes);
    stream.allows_compression = false;
    stream
}

/// The private stream key naming the file a JPEG's content is streamed from when the volume
/// is written (pdf.rs removes it first): a volume of scans is never held in memory.
pub(super) const STREAMED_FROM: &[u8] = b"DossierStreamedFrom";

/// A JPEG XObject whose content stays in its file: /Length is the file's, the content empty.
fn streamed_jpeg(info: &Jpeg, path: &std::path::Path) -> Result<Stream, String> {
    let unreadable = |e: std::io::Error| format!("无法读取佐证材料“{}”：{}", path.display(), crate::lang::io_error_zh(&e));
    // A name the PDF dictionary cannot carry as text is simply read now.
    let Some(name) = path.to_str() else { return Ok(jpeg_stream(info, std::fs::read(path).map_err(unreadable)?)) };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    let mut stream = jpeg_stream(info, Vec::new());
    stream.dict.set("Length", i64::try_from(len).map_err(|_| "佐证材料过大".to_owned())?);
    stream.dict.set(STREAMED_FROM, Object::String(name.as_bytes().to_vec(), StringFormat::Literal));
    Ok(stream)
}

/// A Group 4 fax page as the scanner compressed it.
fn group4_stream(g4: media::Group4) -> Stream {
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(g4.columns))),
        ("Height", Object::Integer(i64::from(g4.rows))),
        ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
        ("BitsPerComponent", Object::Integer(1)),
        ("Filter", Object::Name(b"CCITTFaxDecode".to_vec())),
        (
            "DecodeParms",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("K", Object::Integer(-1)),
                ("Columns", Object::Integer(i64::from(g4.columns))),
                ("Rows", Object::Integer(i64::from(g4.rows))),
            ])),
        ),
    ]);
    if g4.black_is_zero {
        dict.set("Decode", Object::Array(vec![Object::Integer(1), Object::Integer(0)]));
    }
    let mut stream = Stream::new(dict, g4.data);
    stream.allows_compression = false;
    stream
}

/// An LZW page as the scanner compressed it.
fn lzw_stream(lzw: media::Lzw) -> Stream {
    let mut stream = image_stream(lzw.columns, lzw.rows, lzw.channels, lzw.data, None);
    stream.dict.set("Filter", Object::Name(b"LZWDecode".to_vec()));
    stream.allows_compression = false;
    stream
}

fn pixels_xobjects(doc: &mut lopdf::Document, (w, h, channels, colour, alpha): media::Pixels) -> Drawn {
    let smask = alpha.map(|a| doc.add_object(image_stream(w, h, 1, a, None)));
    let xobject = doc.add_object(image_stream(w, h, channels, colour, smask));
    Drawn { xobject, to_unit: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], orientation: 1 }
}

/// Every object reachable from `root` in `src`, leaving out page-tree links.
fn reachable(src: &lopdf::Document, root: &Object, seen: &mut HashSet<ObjectId>, out: &mut Vec<ObjectId>) {
    let mut stack = vec![root.clone()];
    while let Some(object) = stack.pop() {
        match object {
            Object::Reference(id) => {
                if seen.insert(id)
                    && let Ok(o) = src.get_object(id)
                {
                    out.push(id);
                    stack.push(o.clone());
                }
            }
            Object::Array(items) => stack.extend(items),
            Object::Dictionary(d) => stack.extend(d.iter().filter(|(k, _)| k.as_slice() != b"Parent").map(|(_, v)| v.clone())),
            Object::Stream(s) => stack.extend(s.dict.iter().filter(|(k, _)| k.as_slice() != b"Parent").map(|(_, v)| v.clone())),
            _ => {}
        }
    }
}

/// Each page of an evidence PDF as a form XObject in `doc`.
fn import_pdf(doc: &mut lopdf::Document, bytes: &[u8]) -> Result<Vec<Drawn>, String> {
    let mut src = media::load_pdf(bytes).map_err(|p| p.message().0)?;
    src.renumber_objects_with(doc.max_id + 1);
    let mut seen = HashSet::new();
    let mut copy = Vec::new();
    let mut forms = Vec::new();
    for page in src.get_pages().into_values() {
        let geometry = media::pdf_page_geometry(&src, page)?;
        let content = src.get_page_content_with_limit(page, MAX_PAGE_CONTENT).map_err(|e| format!("页面内容无法读取：{e}"))?;
        // Resources may sit on the page or be inherited from the page tree.
        let mut resources = Object::Dictionary(Dictionary::new());
        let mut at = Some(page);
        for _ in 0..64 {
            let Some(id) = at else { break };
            let Ok(dict) = src.get_dictionary(id) else { break };
            if let Ok(r) = dict.get(b"Resources") {
                resources = r.clone();
                break;
            }
            at = dict.get(b"Parent").and_then(Object::as_reference).ok();
        }
        reachable(&src, &resources, &mut seen, &mut copy);
        let group = src.get_dictionary(page).ok().and_then(|d| d.get(b"Group").ok().cloned());
        if let Some(g) = &group {
            reachable(&src, g, &mut seen, &mut copy);
        }
        let [x0, y0, x1, y1] = geometry.bbox;
        let mut dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            ("BBox", Object::Array(geometry.bbox.iter().map(|v| Object::Real(*v)).collect())),
            ("Resources", resources),
        ]);
        if let Some(g) = group {
            dict.set("Group", g);
        }
        let (bw, bh) = (x1 - x0, y1 - y0);
        forms.push((Stream::new(dict, content), [1.0 / bw, 0.0, 0.0, 1.0 / bh, -x0 / bw, -y0 / bh], rotate_as_orientation(geometry.rotate)));
    }
    for id in copy {
        if let Some(object) = src.objects.remove(&id) {
            doc.objects.insert(id, object);
        }
    }
    doc.max_id = doc.max_id.max(src.max_id);
    Ok(forms.into_iter().map(|(stream, to_unit, orientation)| Drawn { xobject: doc.add_object(stream), to_unit, orientation }).collect())
}

fn xobjects_of(doc: &mut lopdf::Document, bound: Bound) -> Result<Vec<Drawn>, String> {
    match &bound.media.printable {
        Some(Printable::Jpeg(info)) => {
            let stream = match &bound.path {
                Some(path) => streamed_jpeg(info, path)?,
                None => jpeg_stream(info, std::sync::Arc::try_unwrap(bound.bytes).unwrap_or_else(|shared| (*shared).clone())),
            };
            let xobject = doc.add_object(stream);
            Ok(vec![Drawn { xobject, to_unit: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], orientation: info.orientation }])
        }
        Some(Printable::Png { orientation }) => {
            let mut drawn = pixels_xobjects(doc, media::decode_png(&bound.bytes)?);
            drawn.orientation = *orientation;
            Ok(vec![drawn])
        }
        Some(Printable::Tiff) => {
            let mut drawn = Vec::new();
            media::tiff_pages(&bound.bytes, &mut |pixels, strip| {
                let as_is = match strip {
                    Some(media::Strip::Group4(g4)) => group4_stream(g4),
                    Some(media::Strip::Lzw(lzw)) => lzw_stream(lzw),
                    None => {
                        drawn.push(pixels_xobjects(doc, pixels));
                        return Ok(());
                    }
                };
                drawn.push(Drawn { xobject: doc.add_object(as_is), to_unit: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], orientation: 1 });
                Ok(())
            })
            .map_err(|p| p.message().0)?;
            Ok(drawn)
        }
        Some(Printable::Pdf { .. }) => import_pdf(doc, &bound.bytes),
        None => Ok(Vec::new()),
    }
}

/// Draw every `Item::Image` of the layout on its page; one with an MCID in `figures` (by page
/// and item index) is marked content of its Figure structure element.
pub fn bind(doc: &mut lopdf::Document, laid: &Laid, files: Vec<Bound>, figures: &BTreeMap<(usize, usize), i64>) -> Result<(), String> {
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut files: Vec<Option<Bound>> = files.into_iter().map(Some).collect();
    let mut drawn: BTreeMap<usize, Vec<Drawn>> = BTreeMap::new();
    for (index, page) in laid.pages.iter().enumerate() {
        for (i, item) in page.items.iter().enumerate() {
            let Item::Image { file, page: p, x, y, w, h } = item else { continue };
            if !drawn.contains_key(file) {
                let bound = files.get_mut(*file).and_then(Option::take).ok_or("内部错误：版面引用了不存在的佐证材料文件")?;
                let made = xobjects_of(doc, bound)?;
                drawn.insert(*file, made);
            }
            let Some(d) = drawn.get(file).and_then(|v| v.get(*p)) else { continue };
            let name = format!("Ev{file}p{p}");
            let m = mul(d.to_unit, oriented(d.orientation, *x, PAGE_H - y - h, *w, *h));
            let draw = format!("q {} {} {} {} {} {} cm /{name} Do Q", m[0], m[1], m[2], m[3], m[4], m[5]);
            let content = match figures.get(&(index, i)) {
                Some(mcid) => format!("/Figure <</MCID {mcid}>> BDC {draw} EMC\n"),
                None => format!("{draw}\n"),
            }
            .into_bytes();
            let page_id = *page_ids.get(index).ok_or("内部错误：页数不符")?;
            add_xobject(doc, page_id, &name, d.xobject)?;
            append_content(doc, page_id, content)?;
        }
    }
    Ok(())
}

/// Drawing appended to the page's own content stream, not a stream of its own: a stream
/// per figure was a deflate set up (and undone by verify) for 85 bytes.
fn append_content(doc: &mut lopdf::Document, page: ObjectId, content: Vec<u8>) -> Result<(), String> {
    if let Ok(Object::Reference(id)) = doc.get_dictionary(page).map_err(|e| e.to_string())?.get(b"Contents")
        && let Ok(Object::Stream(stream)) = doc.get_object_mut(*id)
        && stream.dict.get(b"Filter").is_err()
    {
        stream.content.extend_from_slice(&content);
        return Ok(());
    }
    doc.add_page_contents(page, content).map_err(|e| e.to_string())
}

fn add_xobject(doc: &mut lopdf::Document, page: ObjectId, name: &str, xobject: ObjectId) -> Result<(), String> {
    let resources = doc.get_dictionary(page).map_err(|e| e.to_string())?.get(b"Resources").cloned().unwrap_or(Object::Dictionary(Dictionary::new()));
    let mut dict = match &resources {
        Object::Reference(id) => doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        Object::Dictionary(d) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut xobjects = match dict.get(b"XObject") {
        Ok(Object::Reference(id)) => doc.get_dictionary(*id).map_err(|e| e.to_string())?.clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    xobjects.set(name.as_bytes().to_vec(), Object::Reference(xobject));
    dict.set("XObject", Object::Dictionary(xobjects));
    match resources {
        Object::Reference(id) => doc.set_object(id, Object::Dictionary(dict)),
        _ => doc.get_dictionary_mut(page).map_err(|e| e.to_string())?.set("Resources", Object::Dictionary(dict)),
    }
    Ok(())
}

pub(super) fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The outline nested by level, each entry pointing at the top of its line.
pub fn outline(doc: &mut lopdf::Document, marks: &[Mark]) -> Result<(), String> {
    if marks.is_empty() {
        return Ok(());
    }
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    // Parent of each mark: the nearest earlier mark of a lower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(marks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        while stack.last().is_some_and(|&j| marks[j].level >= m.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    // Children in document order, and how many entries lie below each (the closed /Count).
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); marks.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    let mut below = vec![0i64; marks.len()];
    for i in (0..marks.len()).rev() {
        below[i] = kids[i].iter().map(|k| 1 + below[*k]).sum();
    }
    for (i, m) in marks.iter().enumerate() {
        let page = *page_ids.get(m.page.saturating_sub(1)).ok_or("内部错误：书签指向不存在的页")?;
        let mut d = Dictionary::from_iter(vec![
            ("Title", text_string(&m.text)),
            ("Parent", Object::Reference(parent[i].map_or(root, |p| ids[p]))),
            ("Dest", Object::Array(vec![Object::Reference(page), Object::Name(b"XYZ".to_vec()), Object::Integer(0), Object::Real(PAGE_H - m.y), Object::Null])),
        ]);
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let at = siblings.iter().position(|&s| s == i).unwrap_or(0);
        if at > 0 {
            d.set("Prev", Object::Reference(ids[siblings[at - 1]]));
        }
        if let Some(&next) = siblings.get(at + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        if let (Some(&first), Some(&last)) = (kids[i].first(), kids[i].last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            // Negative: shown closed, so a long evidence list does not flood the panel.
            d.set("Count", Object::Integer(-below[i]));
        }
        doc.set_object(ids[i], Object::Dictionary(d));
    }
    doc.set_object(
        root,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Outlines".to_vec())),
            ("First", Object::Reference(ids[top[0]])),
            ("Last", Object::Reference(ids[*top.last().expect("one top entry")])),
            ("Count", Object::Integer(top.len() as i64)),
        ])),
    );
    let catalog = doc.catalog_mut().map_err(|e| e.to_string())?;
    catalog.set("Outlines", Object::Reference(root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(m: Matrix, u: f32, v: f32) -> (f32, f32) {
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn orientation_6_turns_the_top_left_corner_to_the_top_right() {
        // Stored top-left is (0, 1) in image space.
        let m = oriented(6, 10.0, 20.0, 100.0, 200.0);
        assert_eq!(apply(m, 0.0, 1.0), (110.0, 220.0));
        assert_eq!(apply(m, 1.0, 1.0), (110.0, 20.0));
        assert_eq!(apply(m, 0.0, 0.0), (10.0, 220.0));
        let m8 = oriented(8, 0.0, 0.0, 100.0, 200.0);
        assert_eq!(apply(m8, 0.0, 1.0), (0.0, 0.0));
        // Every orientation fills the box exactly.
        for o in 1..=8 {
            let m = oriented(o, 0.0, 0.0, 3.0, 5.0);
            let mut xs: Vec<(f32, f32)> = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].iter().map(|(u, v)| apply(m, *u, *v)).collect();
            xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(xs, vec![(0.0, 0.0), (0.0, 5.0), (3.0, 0.0), (3.0, 5.0)], "orientation {o}");
        }
    }

    #[test]
    fn matrices_compose_in_drawing_order() {
        let normalise = [0.5, 0.0, 0.0, 0.25, -1.0, -1.0];
        let place = oriented(1, 10.0, 10.0, 100.0, 100.0);
        let m = mul(normalise, place);
        assert_eq!(apply(m, 2.0, 4.0), (10.0, 10.0));
        assert_eq!(apply(m, 4.0, 8.0), (110.0, 110.0));
    }
}
