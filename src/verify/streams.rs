//! The flated streams of a received PDF, by object id, so the fresh rendering reuses their
//! bytes where they inflate to exactly its own content instead of deflating it again (a
//! quarter of a re-rendering). The PDFs are still compared whole, byte for byte: a stream
//! whose content differs is deflated as `build` does, and so differs.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;

/// Where each FlateDecode stream's data lies in the PDF, by (object number, generation).
pub struct Flated<'a> {
    pdf: &'a [u8],
    at: HashMap<(u32, u16), Range<usize>>,
}

impl<'a> Flated<'a> {
    /// Objects read in file order as lopdf writes them (`N G obj\n<<…>>stream\n…\nendstream`),
    /// skipping over each stream by its /Length. What does not read so is left out: a stream
    /// not found is deflated afresh.
    pub fn scan(pdf: &'a [u8]) -> Self {
        let mut at = HashMap::new();
        let mut pos = 0;
        while let Some(found) = find(&pdf[pos..], b" obj\n") {
            let obj = pos + found;
            let body = obj + b" obj\n".len();
            pos = body;
            let Some(id) = object_id(&pdf[..obj]) else { continue };
            // The dictionary ends at `>>stream\n`, or the object at `endobj`, whichever is first.
            let Some((end, is_stream)) = first_of(&pdf[body..]) else { break };
            if !is_stream {
                pos = body + end;
                continue;
            }
            let dict = &pdf[body..body + end];
            let data = body + end + b">>stream\n".len();
            let Some(len) = length(dict) else { continue };
            let Some(stop) = data.checked_add(len).filter(|s| pdf.get(*s..).is_some_and(|rest| rest.starts_with(b"\nendstream"))) else { continue };
            if find(dict, b"/FlateDecode").is_some() {
                at.insert(id, data..stop);
            }
            pos = stop;
        }
        Flated { pdf, at }
    }

    /// The received stream's flated bytes for object `id` if they inflate to `content`, no more.
    pub fn reuse(&self, id: (u32, u16), content: &[u8]) -> Option<Vec<u8>> {
        let raw = &self.pdf[self.at.get(&id)?.clone()];
        // Compared a chunk at a time as it inflates: nothing the size of the content is written
        // out, the first difference ends it, and so does a byte past the content (a longer
        // stream, or a bomb).
        let mut decoder = flate2::read::ZlibDecoder::new(raw);
        let mut chunk = [0u8; 16 * 1024];
        let mut matched = 0;
        loop {
            let n = decoder.read(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            if content.get(matched..matched + n)? != &chunk[..n] {
                return None;
            }
            matched += n;
        }
        (matched == content.len()).then(|| raw.to_vec())
    }
}

/// The first occurrence of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// `N G` at the end of what precedes ` obj`.
fn object_id(before: &[u8]) -> Option<(u32, u16)> {
    let digits_back = |s: &[u8]| s.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let g = digits_back(before);
    let rest = before.len().checked_sub(g + 1)?;
    if g == 0 || before[rest] != b' ' {
        return None;
    }
    let n = digits_back(&before[..rest]);
    if n == 0 {
        return None;
    }
    let number = std::str::from_utf8(&before[rest - n..rest]).ok()?.parse().ok()?;
    let generation = std::str::from_utf8(&before[rest + 1..]).ok()?.parse().ok()?;
    Some((number, generation))
}

/// The offset of `>>stream\n` (true) or `endobj` (false), whichever comes first.
fn first_of(hay: &[u8]) -> Option<(usize, bool)> {
    let mut from = 0;
    while let Some(i) = hay[from..].iter().position(|&b| b == b'>' || b == b'e') {
        let at = from + i;
        if hay[at..].starts_with(b">>stream\n") {
            return Some((at, true));
        }
        if hay[at..].starts_with(b"endobj") {
            return Some((at, false));
        }
        from = at + 1;
    }
    None
}

/// The direct /Length of a stream dictionary (`/Length1` and `/Length 5 0 R` are not it).
fn length(dict: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find(&dict[from..], b"/Length") {
        let after = from + i + b"/Length".len();
        from = after;
        let rest = &dict[after..];
        let digits_at = rest.iter().take_while(|b| **b == b' ').count();
        if digits_at == 0 && rest.first().is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let digits = rest[digits_at..].iter().take_while(|b| b.is_ascii_digit()).count();
        let tail = &rest[digits_at + digits..];
        // An indirect length (`5 0 R`) is not read here.
        if digits == 0 || tail.first().is_some_and(|b| *b == b' ' && tail.get(1).is_some_and(u8::is_ascii_digit)) {
            return None;
        }
        return std::str::from_utf8(&rest[digits_at..digits_at + digits]).ok()?.parse().ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flate(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn finds_flated_streams_by_id_and_reuses_only_the_same_content() {
        let z = flate(b"BT /F1 12 Tf (1407) Tj ET");
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<</Type/Pages/Count 1>>\nendobj\n".to_vec();
        pdf.extend_from_slice(format!("2 0 obj\n<</Length1 9/Length {}/Filter/FlateDecode>>stream\n", z.len()).as_bytes());
        pdf.extend_from_slice(&z);
        pdf.extend_from_slice(b"\nendstream\nendobj\n3 0 obj\n<</Length 3>>stream\nabc\nendstream\nendobj\n");
        let f = Flated::scan(&pdf);
        assert_eq!(f.at.len(), 1, "only the flated stream");
        assert_eq!(f.reuse((2, 0), b"BT /F1 12 Tf (1407) Tj ET"), Some(z));
        assert_eq!(f.reuse((2, 0), b"BT /F1 12 Tf (1607) Tj ET"), None);
        assert_eq!(f.reuse((2, 0), b"BT /F1 12 Tf (1407) Tj"), None, "a longer stream is not the same");
        assert_eq!(f.reuse((2, 0), b"BT /F1 12 Tf (1407) Tj ET\n"), None, "a shorter stream is not the same");
        assert_eq!(f.reuse((3, 0), b"abc"), None);
        assert_eq!(length(b"<</Length 5 0 R>>"), None);
        // Compared chunk by chunk: an image's pixels, the same but for one byte near the end.
        let pixels: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let z = flate(&pixels);
        let mut pdf = format!("%PDF-1.4\n4 0 obj\n<</Length {}/Filter/FlateDecode>>stream\n", z.len()).into_bytes();
        pdf.extend_from_slice(&z);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        let f = Flated::scan(&pdf);
        assert_eq!(f.reuse((4, 0), &pixels), Some(z));
        let mut changed = pixels.clone();
        changed[99_990] ^= 1;
        assert_eq!(f.reuse((4, 0), &changed), None);
    }
}
