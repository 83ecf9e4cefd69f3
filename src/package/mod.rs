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
    pub bytes: Vec<u8>,
}

pub struct BagInfo {
    /// (label, value) lines of bag-info.txt besides Bagging-Date and Payload-Oxum.
    pub fields: Vec<(String, String)>,
    /// Seconds since the epoch for Bagging-Date and the zip timestamps.
    pub epoch: i64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Manifest paths escape only what RFC 8493 §2.1.3 requires: CR, LF and %.
fn manifest_path(p: &str) -> String {
    p.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn manifest<D: Digest>(entries: &[Entry]) -> Vec<u8> {
    let mut out = String::new();
    for e in entries {
        out.push_str(&format!("{}  {}\n", hex(&D::digest(&e.bytes)), manifest_path(&e.path)));
    }
    out.into_bytes()
}

/// Build the bag for `payload` (paths relative to data/) and zip it under `top/`.
pub fn zip_bag(top: &str, mut payload: Vec<Entry>, info: &BagInfo) -> Result<Vec<u8>, String> {
    payload.sort_by(|a, b| a.path.cmp(&b.path));
    for e in &mut payload {
        e.path = format!("data/{}", e.path);
    }
    let octets: usize = payload.iter().map(|e| e.bytes.len()).sum();
    let (y, m, d) = crate::rules::codes::civil_from_days(info.epoch.div_euclid(86_400));
    let mut bag_info = String::new();
    for (k, v) in &info.fields {
        // Values are single lines; a newline would start a new label.
        bag_info.push_str(&format!("{k}: {}\n", v.replace(['\r', '\n'], " ")));
    }
    bag_info.push_str(&format!("Bagging-Date: {y:04}-{m:02}-{d:02}\n"));
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{}\n", payload.len()));
    // The two digests of a large bag on two cores at once.
    let (sha256, sha512) = rayon::join(|| manifest::<Sha256>(&payload), || manifest::<Sha512>(&payload));
    let mut tags = vec![
        Entry { path: "bagit.txt".into(), bytes: b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec() },
        Entry { path: "bag-info.txt".into(), bytes: bag_info.into_bytes() },
        Entry { path: "manifest-sha256.txt".into(), bytes: sha256 },
        Entry { path: "manifest-sha512.txt".into(), bytes: sha512 },
    ];
    let tagmanifest = manifest::<Sha256>(&tags);
    tags.push(Entry { path: "tagmanifest-sha256.txt".into(), bytes: tagmanifest });

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
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut entries: Vec<Entry> = tags.into_iter().chain(payload).collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    for e in entries {
        use crate::load::media::{Kind, sniff};
        let incompressible = matches!(sniff(&e.bytes), Kind::Pdf | Kind::Jpeg | Kind::Png | Kind::Video | Kind::Heic | Kind::Webp | Kind::Gif);
        let options = if incompressible && e.bytes.len() > 64 * 1024 { stored } else { options };
        zip.start_file(format!("{top}/{}", e.path), options).map_err(|err| format!("无法写入压缩包：{err}"))?;
        zip.write_all(&e.bytes).map_err(|err| format!("无法写入压缩包：{err}"))?;
    }
    let cursor = zip.finish().map_err(|e| format!("无法写入压缩包：{e}"))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_layout_and_oxum() {
        let payload = vec![
            Entry { path: "b.txt".into(), bytes: b"hello".to_vec() },
            Entry { path: "佐证材料/01-01_证照.pdf".into(), bytes: b"%PDF".to_vec() },
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
        let again = zip_bag("品牌", vec![Entry { path: "b.txt".into(), bytes: b"hello".to_vec() }, Entry { path: "佐证材料/01-01_证照.pdf".into(), bytes: b"%PDF".to_vec() }], &info).unwrap();
        assert_eq!(bytes, again);
    }
}
