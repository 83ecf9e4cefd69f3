//! What a file is, by its first bytes (never by its name alone): the inventory of a hand-made
//! zip, and the loose files of an inbox.

use crate::load::media::{Kind, sniff};

/// A short code (`pdf`, `docx`, `rar`, …) and its Chinese name. PDFs, images and videos are
/// told apart as evidence is (load::media::sniff); here only what else a zip may hold.
pub fn kind(bytes: &[u8]) -> (&'static str, &'static str) {
    let media = sniff(bytes);
    if media != Kind::Other {
        return (media.code(), media.label());
    }
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        // Office files are zips; their part names sit in the local headers.
        if contains(bytes, b"word/") {
            ("docx", "Word 文档（DOCX）")
        } else if contains(bytes, b"xl/") {
            ("xlsx", "Excel 表格（XLSX）")
        } else if contains(bytes, b"ppt/") {
            ("pptx", "PowerPoint 演示文稿（PPTX）")
        } else {
            ("zip", "zip 压缩包")
        }
    } else if starts(b"Rar!\x1a\x07") {
        ("rar", "RAR 压缩包")
    } else if starts(b"7z\xbc\xaf\x27\x1c") {
        ("7z", "7z 压缩包")
    } else if starts(b"age-encryption.org/v1") || starts(b"-----BEGIN AGE ENCRYPTED FILE-----") {
        ("age", "age 加密文件")
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        ("ole", "Office 97–2003 文档（DOC/XLS）")
    } else if bytes.is_empty() {
        ("empty", "空文件")
    } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() || encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes[..bytes.len().min(4096)]).is_some() {
        ("text", "文本")
    } else {
        ("unknown", "未知类型")
    }
}

/// An archive other than zip, which `verify` cannot open: the sender must repack it.
pub fn other_archive(code: &str) -> bool {
    matches!(code, "rar" | "7z")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn kinds_by_magic() {
        assert_eq!(kind(b"%PDF-1.7\n").0, "pdf");
        assert_eq!(kind(b"Rar!\x1a\x07\x01\x00").0, "rar");
        assert_eq!(kind(b"7z\xbc\xaf\x27\x1c\x00\x04").0, "7z");
        assert_eq!(kind(b"\xff\xd8\xff\xe0").0, "jpeg");
        assert_eq!(kind(b"PK\x03\x04....word/document.xml").0, "docx");
        assert_eq!(kind("姓名,身份证号\n".as_bytes()).0, "text");
        assert_eq!(kind(b"").0, "empty");
    }
}
