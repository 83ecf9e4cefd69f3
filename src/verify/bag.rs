//! BagIt validation of a received zip: one top-level folder, bagit.txt, every payload file
//! listed in the manifests with the right SHA-256/SHA-512, and the Payload-Oxum.

use sha2::{Digest, Sha256, Sha512};

use std::collections::BTreeMap;

use super::archive::Entry;

#[derive(Debug, Default)]
pub struct BagReport {
    pub top: String,
    pub info: Vec<(String, String)>,
    pub problems: Vec<String>,
    pub payload_files: usize,
    /// For each PDF at the top of data/ (by its path there): where its /ID's strings start,
    /// and the SHA-256 state of its bytes up to there, taken as its manifest-sha256.txt line
    /// was checked.
    /// verify derives a fresh rendering's /ID from it without hashing the file again.
    pub id_prefix: BTreeMap<String, (usize, Sha256)>,
}

impl BagReport {
    /// The value of a bag-info.txt label, trimmed.
    pub fn info(&self, label: &str) -> Option<&str> {
        self.info.iter().find(|(k, _)| k == label).map(|(_, v)| v.trim())
    }
}

/// A payload file's SHA-256; for a PDF at the top of data/, the state at its /ID kept as well.
fn sha256(path: &str, bytes: &[u8], id_prefix: &mut BTreeMap<String, (usize, Sha256)>) -> Vec<u8> {
    let top_pdf = path.strip_prefix("data/").filter(|rel| !rel.contains('/') && rel.ends_with(".pdf"));
    let Some((rel, at)) = top_pdf.and_then(|rel| Some((rel, crate::writer::pdf::id_at(bytes)?))) else { return Sha256::digest(bytes).to_vec() };
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..at]);
    id_prefix.insert(rel.to_owned(), (at, hasher.clone()));
    hasher.update(&bytes[at..]);
    hasher.finalize().to_vec()
}

/// `contents`: every entry of the zip, by name, already inflated.
pub fn validate(contents: &BTreeMap<String, Vec<u8>>, entries: &[Entry]) -> BagReport {
    let mut report = BagReport::default();
    let names: Vec<String> = entries.iter().map(|e| e.name.clone()).collect();
    let tops: std::collections::BTreeSet<&str> = names.iter().map(|n| n.split('/').next().unwrap_or("")).collect();
    if tops.len() != 1 {
        report.problems.push(format!("压缩包应只有一个顶层文件夹，实际有 {} 个", tops.len()));
        return report;
    }
    report.top = tops.into_iter().next().unwrap_or("").to_owned();
    let top = report.top.clone();
    let text = |p: &str| contents.get(&format!("{top}/{p}")).and_then(|b| String::from_utf8(b.clone()).ok());
    match text("bagit.txt") {
        Some(t) if t.starts_with("BagIt-Version: ") => {}
        _ => report.problems.push("缺少有效的 bagit.txt".to_owned()),
    }
    if let Some(info) = text("bag-info.txt") {
        report.info = info.lines().filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    }
    let payload: Vec<String> = names.iter().filter(|n| n.starts_with(&format!("{top}/data/"))).cloned().collect();
    report.payload_files = payload.len();
    let mut checked_any = false;
    for (file, algorithm) in [("manifest-sha256.txt", 256), ("manifest-sha512.txt", 512)] {
        let Some(manifest) = text(file) else { continue };
        checked_any = true;
        let mut listed = std::collections::BTreeSet::new();
        for line in manifest.lines() {
            let Some((hash, path)) = line.split_once(char::is_whitespace) else { continue };
            let path = path.trim_start().replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
            listed.insert(format!("{top}/{path}"));
            match contents.get(&format!("{top}/{path}")) {
                Some(bytes) => {
                    let actual = if algorithm == 256 { crate::hex(&sha256(&path, bytes, &mut report.id_prefix)) } else { crate::hex(&Sha512::digest(bytes)) };
                    if !actual.eq_ignore_ascii_case(hash) {
                        report.problems.push(format!("“{path}”与 {file} 中的校验值不符"));
                    }
                }
                None => report.problems.push(format!("{file} 列出的“{path}”不在压缩包中")),
            }
        }
        for p in &payload {
            if !listed.contains(p) {
                report.problems.push(format!("“{p}”未列入 {file}"));
            }
        }
    }
    if !checked_any {
        report.problems.push("缺少 manifest 清单".to_owned());
    }
    if let Some(oxum) = report.info("Payload-Oxum") {
        let octets: u64 = entries.iter().filter(|e| payload.contains(&e.name)).map(|e| e.size).sum();
        let want = format!("{octets}.{}", payload.len());
        if *oxum != want {
            report.problems.push(format!("Payload-Oxum 为 {oxum}，实际为 {want}"));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest is the file's; for a PDF at the top of data/, the state kept is the one over
    /// its bytes up to its /ID, and for any other file none is kept.
    #[test]
    fn a_top_pdf_keeps_the_state_at_its_id() {
        let pdf = b"%PDF-1.4\ntrailer\n<</ID[(00000000000000000000000000000000)(00000000000000000000000000000000)]>>\n%%EOF\n".to_vec();
        let mut kept = BTreeMap::new();
        assert_eq!(sha256("data/a.pdf", &pdf, &mut kept), Sha256::digest(&pdf).to_vec());
        let at = crate::writer::pdf::id_at(&pdf).unwrap();
        let (kept_at, state) = kept.get("a.pdf").expect("kept");
        assert_eq!(*kept_at, at);
        assert_eq!(state.clone().finalize(), Sha256::digest(&pdf[..at]));
        let mut none = BTreeMap::new();
        for path in ["data/佐证材料/b.pdf", "data/a.docx", "a.pdf"] {
            assert_eq!(sha256(path, &pdf, &mut none), Sha256::digest(&pdf).to_vec());
        }
        assert!(none.is_empty());
    }
}
