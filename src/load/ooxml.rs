//! Vetting of zip-based office files (XLSX, DOCX, …) before any reader trusts them: every
//! part is inflated once into a sink with a cap, whatever its name, so a small file cannot
//! unpack to gigabytes; and counts the file declares (shared strings) are checked against
//! what the bytes could hold, since readers reserve memory for them.

use std::io::{Cursor, Read};

/// One part of an office file may unpack to this much: real rosters' sheets are a few MB.
pub const MAX_PART_BYTES: u64 = 256 << 20;
/// All parts together.
pub const MAX_TOTAL_BYTES: u64 = 512 << 20;
/// Parts in one office file.
pub const MAX_PARTS: usize = 10_000;
/// Shared strings a workbook may declare.
pub const MAX_SHARED_STRINGS: u64 = 1_000_000;

/// Whether the bytes are a zip (an office file or any other archive), by content.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Why an office file is refused: (Chinese, English).
pub type Refusal = (String, String);

/// Inflate every part with a cap; check declared counts. `Ok` means readers may open it.
pub fn vet(bytes: &[u8]) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| (format!("不是有效的 zip 格式：{}", crate::lang::zip_error_zh(&e.to_string())), format!("not a valid zip: {e}")))?;
    if zip.len() > MAX_PARTS {
        return Err((format!("含 {} 个部件，超过上限 {MAX_PARTS}", zip.len()), format!("holds {} parts, above the limit of {MAX_PARTS}", zip.len())));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| (format!("部件无法读取：{}", crate::lang::zip_error_zh(&e.to_string())), format!("a part cannot be read: {e}")))?;
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        let too_big = |n: &str| {
            (
                format!("部件“{n}”解压后超过 {} MB 上限（疑似压缩炸弹）", MAX_PART_BYTES >> 20),
                format!("the part “{n}” unpacks to more than {} MB (a likely decompression bomb)", MAX_PART_BYTES >> 20),
            )
        };
        if part.size() > MAX_PART_BYTES {
            return Err(too_big(&name));
        }
        let mut head = Vec::new();
        // The declared size may lie: count what really comes out, up to the cap.
        let mut limited = (&mut part).take(MAX_PART_BYTES + 1);
        (&mut limited).take(4096).read_to_end(&mut head).map_err(|e| (format!("部件“{name}”已损坏：{e}"), format!("the part “{name}” is damaged: {e}")))?;
        let rest = std::io::copy(&mut limited, &mut std::io::sink())
            .map_err(|e| (format!("部件“{name}”已损坏：{e}"), format!("the part “{name}” is damaged: {e}")))?;
        let size = head.len() as u64 + rest;
        if size > MAX_PART_BYTES {
            return Err(too_big(&name));
        }
        total += size;
        if total > MAX_TOTAL_BYTES {
            return Err((
                format!("解压后总大小超过 {} MB 上限（疑似压缩炸弹）", MAX_TOTAL_BYTES >> 20),
                format!("unpacks to more than {} MB in all (a likely decompression bomb)", MAX_TOTAL_BYTES >> 20),
            ));
        }
        if name.eq_ignore_ascii_case("xl/sharedStrings.xml") {
            for attr in ["uniqueCount", "count"] {
                if let Some(n) = declared(&head, attr) {
                    // Each string takes at least a few bytes of XML; a count beyond both the
                    // limit and the part's size is a lie meant to make readers reserve memory.
                    if n > MAX_SHARED_STRINGS || n > size {
                        return Err((
                            format!("xl/sharedStrings.xml 声明 {attr}=\"{n}\"，超过上限 {MAX_SHARED_STRINGS} 或与文件大小不符"),
                            format!("xl/sharedStrings.xml declares {attr}=\"{n}\", above the limit of {MAX_SHARED_STRINGS} or more than its size allows"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The number in ` attr="N"` within the first tag that has it.
fn declared(head: &[u8], attr: &str) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let at = text.find(&format!(" {attr}=\""))? + attr.len() + 3;
    let digits: String = text[at..].chars().take_while(|c| *c != '"').collect();
    // Unparseable or overflowing counts are as hostile as huge ones.
    Some(digits.trim().parse().unwrap_or(u64::MAX))
}
