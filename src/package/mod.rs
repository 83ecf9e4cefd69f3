//! The submission zip: exactly one top-level folder named like the zip, laid out as a BagIt
//! 1.0 bag (RFC 8493) — bagit.txt, bag-info.txt, SHA-256 and SHA-512 manifests, a tag
//! manifest, and data/ with the dossier, the rendered PDF and DOCX, the masked roster and
//! every evidence file under its number from the contents. Same input, same bytes.

use std::io::Write;

use sha2::{Digest, Sha256, Sha512};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One file of the bag, by its path inside the bag folder.
pub struct Entry {
    pub path: String,
    pub body: Body,
}

pub enum Body {
    Bytes(Vec<u8>),
    /// A file already written and hashed as it was (the bound volume): copied into the zip
    /// from the disk, never held in memory nor hashed again. Digests in lowercase hex.
    File { file: std::fs::File, len: u64, sha256: String, sha512: String },
}

impl Entry {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Entry {
        Entry { path: path.into(), body: Body::Bytes(bytes) }
    }

    fn len(&self) -> u64 {
        match &self.body {
            Body::Bytes(b) => b.len() as u64,
            Body::File { len, .. } => *len,
        }
    }
}

pub struct BagInfo {
    /// (label, value) lines of bag-info.txt besides Bagging-Date and Payload-Oxum.
    pub fields: Vec<(String, String)>,
    /// Seconds since the epoch for Bagging-Date and the zip timestamps.
    pub epoch: i64,
}

/// Manifest paths escape only what RFC 8493 §2.1.3 requires: CR, LF and %.
fn manifest_path(p: &str) -> String {
    p.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn manifest<D: Digest>(entries: &[Entry]) -> Vec<u8> {
    let mut out = String::new();
    for e in entries {
        let Body::Bytes(bytes) = &e.body else { continue };
        out.push_str(&format!("{}  {}\n", crate::hex(&D::digest(bytes)), manifest_path(&e.path)));
    }
    out.into_bytes()
}

/// Build the bag for `payload` (paths relative to data/) and zip it under `top/`, in memory.
pub fn zip_bag(top: &str, payload: Vec<Entry>, info: &BagInfo) -> Result<Vec<u8>, String> {
    Ok(zip_bag_into(std::io::Cursor::new(Vec::new()), top, payload, info)?.into_inner())
}

/// The bag written into `out` (a file for a large bag: no copy of it is held in memory). The
/// entries go in path order, so the payload is hashed as it is written and the manifests,
/// which sort after data/, follow it: every byte is read once.
pub fn zip_bag_into<W: Write + std::io::Seek>(out: W, top: &str, mut payload: Vec<Entry>, info: &BagInfo) -> Result<W, String> {
    let zip_error = |err: &dyn std::fmt::Display| format!("无法写入压缩包：{err}");
    payload.sort_by(|a, b| a.path.cmp(&b.path));
    for e in &mut payload {
        e.path = format!("data/{}", e.path);
    }
    let octets: u64 = payload.iter().map(Entry::len).sum();
    let (y, m, d) = crate::rules::codes::civil_from_days(info.epoch.div_euclid(86_400));
    let mut bag_info = String::new();
    for (k, v) in &info.fields {
        // Values are single lines; a newline would start a new label.
        bag_info.push_str(&format!("{k}: {}\n", v.replace(['\r', '\n'], " ")));
    }
    bag_info.push_str(&format!("Bagging-Date: {y:04}-{m:02}-{d:02}\n"));
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{}\n", payload.len()));

    // Fixed timestamps (zip's DOS time starts in 1980) and permissions keep the bytes stable.
    let when = DateTime::from_date_and_time(y.clamp(1980, 2107) as u16, m as u8, d as u8, 0, 0, 0)
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    // Scans, photos and PDFs (whose streams are compressed already) gain nothing from deflate
    // but cost most of the time of a large bag: stored as they are.
    let stored = options.compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(out);
    let put = |zip: &mut ZipWriter<W>, e: &Entry| -> Result<(), String> {
        use crate::load::media::{Kind, sniff};
        use std::io::{Read, Seek};
        let kind = match &e.body {
            Body::Bytes(bytes) => sniff(bytes),
            Body::File { file, .. } => {
                let mut head = Vec::new();
                (&*file).seek(std::io::SeekFrom::Start(0)).and_then(|_| file.take(1024).read_to_end(&mut head)).map_err(|err| zip_error(&err))?;
                sniff(&head)
            }
        };
        let incompressible = matches!(kind, Kind::Pdf | Kind::Jpeg | Kind::Png | Kind::Video | Kind::Heic | Kind::Webp | Kind::Gif);
        let options = if incompressible && e.len() > 64 * 1024 { stored } else { options };
        zip.start_file(format!("{top}/{}", e.path), options).map_err(|err| zip_error(&err))?;
        match &e.body {
            Body::Bytes(bytes) => zip.write_all(bytes).map_err(|err| zip_error(&err)),
            Body::File { file, len, .. } => {
                let mut f = file;
                f.seek(std::io::SeekFrom::Start(0)).map_err(|err| zip_error(&err))?;
                let mut buf = vec![0; 1 << 20];
                let mut left = *len;
                while left > 0 {
                    let n = f.read(&mut buf[..usize::try_from(left).unwrap_or(usize::MAX).min(1 << 20)]).map_err(|err| zip_error(&err))?;
                    if n == 0 {
                        return Err(zip_error(&"PDF 在写入期间被改动"));
                    }
                    zip.write_all(&buf[..n]).map_err(|err| zip_error(&err))?;
                    left -= n as u64;
                }
                Ok(())
            }
        }
    };
    let mut tags = vec![
        Entry::new("bag-info.txt", bag_info.into_bytes()),
        Entry::new("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec()),
    ];
    for t in &tags {
        put(&mut zip, t)?;
    }
    let (mut sha256, mut sha512) = (String::new(), String::new());
    for e in payload {
        let (a, b) = match &e.body {
            // The two digests of each file on two cores at once.
            Body::Bytes(bytes) => {
                let (a, b) = rayon::join(|| Sha256::digest(bytes), || Sha512::digest(bytes));
                (crate::hex(&a), crate::hex(&b))
            }
            Body::File { sha256, sha512, .. } => (sha256.clone(), sha512.clone()),
        };
        sha256.push_str(&format!("{a}  {}\n", manifest_path(&e.path)));
        sha512.push_str(&format!("{b}  {}\n", manifest_path(&e.path)));
        put(&mut zip, &e)?;
    }
    for (path, text) in [("manifest-sha256.txt", sha256), ("manifest-sha512.txt", sha512)] {
        let e = Entry::new(path, text.into_bytes());
        put(&mut zip, &e)?;
        tags.push(e);
    }
    // Listed as before: bagit.txt, bag-info.txt, then the manifests.
    tags.swap(0, 1);
    put(&mut zip, &Entry::new("tagmanifest-sha256.txt", manifest::<Sha256>(&tags)))?;
    zip.finish().map_err(|e| zip_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_layout_and_oxum() {
        let payload = vec![
            Entry::new("b.txt", b"hello".to_vec()),
            Entry::new("佐证材料/01-01_证照.pdf", b"%PDF".to_vec()),
        ];
        let info = BagInfo { fields: vec![("Source-Organization".into(), "某单位".into())], epoch: 0 };
        let bytes = zip_bag("品牌", payload, &info).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let names: Vec<String> = (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned()).collect();
        assert!(names.iter().all(|n| n.starts_with("品牌/")), "{names:?}");
        for want in ["品牌/bagit.txt", "品牌/bag-info.txt", "品牌/manifest-sha256.txt", "品牌/manifest-sha512.txt", "品牌/tagmanifest-sha256.txt", "品牌/data/b.txt"] {
            assert!(names.contains(&want.to_owned()), "{want}");
        }
        let mut info_txt = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("品牌/bag-info.txt").unwrap(), &mut info_txt).unwrap();
        assert!(info_txt.contains("Payload-Oxum: 9.2") && info_txt.contains("Bagging-Date: 1970-01-01"), "{info_txt}");
        // Deterministic.
        let again = zip_bag("品牌", vec![Entry::new("b.txt", b"hello".to_vec()), Entry::new("佐证材料/01-01_证照.pdf", b"%PDF".to_vec())], &info).unwrap();
        assert_eq!(bytes, again);
    }
}
