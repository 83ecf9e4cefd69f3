//! Evidence a bag carries only inside its bound PDF (JPEGs, embedded byte for byte): found
//! again in the PDF by length and SHA-256, so the bag re-checks and re-renders as it was built.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::build::IN_PDF_LIST;

/// Put each listed file back into `files`; a listed file the PDF does not hold is a problem.
pub fn restore(files: &mut BTreeMap<String, Vec<u8>>, problems: &mut Vec<String>) {
    let Some(list) = files.get(IN_PDF_LIST).map(|b| String::from_utf8_lossy(b).into_owned()) else { return };
    // The bound volume: the one PDF at the top of data/.
    let Some(pdf) = files.iter().find(|(k, _)| !k.contains('/') && k.ends_with(".pdf")).map(|(_, v)| v) else {
        problems.push(format!("“{IN_PDF_LIST}”列出装订在 PDF 中的佐证材料，但提交包中没有 PDF"));
        return;
    };
    let starts = stream_starts(pdf);
    // Inserted after the loop: the PDF is borrowed from `files` until then.
    let mut found_files = Vec::new();
    for line in list.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut parts = line.split('\t');
        let (Some(digest), Some(len), Some(path)) = (parts.next(), parts.next().and_then(|n| n.parse::<usize>().ok()), parts.next()) else {
            problems.push(format!("“{IN_PDF_LIST}”中的行无法识别：{line}"));
            continue;
        };
        // A stream's data ends where `endstream` follows (after an end of line): only those
        // of this length are hashed.
        let ends_there = |at: usize| pdf.get(at + len..).is_some_and(|rest| [&b"\nendstream"[..], b"\r\nendstream", b"endstream"].iter().any(|e| rest.starts_with(e)));
        let found = starts.iter().filter(|&&at| ends_there(at)).filter_map(|&at| pdf.get(at..at + len)).find(|bytes| {
            crate::hex(&Sha256::digest(bytes)) == digest
        });
        match found {
            Some(bytes) => found_files.push((path.to_owned(), bytes.to_vec())),
            None => problems.push(format!("PDF 中找不到装订的佐证材料“{path}”（SHA-256 {digest}）：PDF 或清单已被改动")),
        }
    }
    for (path, bytes) in found_files {
        // What the bag holds as a file stays as it was checked against the manifests.
        if files.contains_key(&path) {
            problems.push(format!("“{IN_PDF_LIST}”列出的“{path}”与提交包中已有的文件同名：不以 PDF 中的内容替换"));
            continue;
        }
        files.insert(path, bytes);
    }
}

/// Where each stream's data begins, for streams holding a JPEG.
fn stream_starts(pdf: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = super::streams::find(&pdf[i..], b"stream") {
        let mut start = i + at + 6;
        if pdf.get(start) == Some(&b'\r') {
            start += 1;
        }
        if pdf.get(start) == Some(&b'\n') {
            start += 1;
        }
        if pdf.get(start..start + 3) == Some(&[0xFF, 0xD8, 0xFF]) {
            out.push(start);
        }
        i = start;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG bound in the PDF is restored to its path; a path the bag already holds keeps the
    /// bytes the manifests were checked against, and the clash is a problem.
    #[test]
    fn restores_bound_jpegs_without_replacing_files() {
        let jpeg = b"\xFF\xD8\xFF\xE0 pixels".to_vec();
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<</Length 13>>stream\n".to_vec();
        pdf.extend_from_slice(&jpeg);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
        let digest = crate::hex(&Sha256::digest(&jpeg));
        let list = format!("# header\n{digest}\t{}\t佐证材料/01.jpg\n{digest}\t{}\tdossier.yaml\n", jpeg.len(), jpeg.len());
        let mut files: BTreeMap<String, Vec<u8>> =
            [("a.pdf".to_owned(), pdf), (IN_PDF_LIST.to_owned(), list.into_bytes()), ("dossier.yaml".to_owned(), b"brand: {}\n".to_vec())].into_iter().collect();
        let mut problems = Vec::new();
        restore(&mut files, &mut problems);
        assert_eq!(files["佐证材料/01.jpg"], jpeg);
        assert_eq!(files["dossier.yaml"], b"brand: {}\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("dossier.yaml") && problems[0].contains("同名"), "{}", problems[0]);
    }
}
