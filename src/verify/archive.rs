//! Received zips, read in place and never extracted: every entry is vetted before a byte of
//! it is trusted — no `..`, absolute paths, drive letters, symlinks, encryption, duplicate
//! names or nested zips, and sizes and compression ratios within sane limits. Names without
//! the UTF-8 flag are decoded as GB18030 (Windows zips), the Info-ZIP Unicode path honoured.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::diag::Text;

/// What a bureau's machine will read of one submission at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
    /// Uncompressed over compressed size: zip bombs run to thousands.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_entries: 5_000, max_entry_bytes: 512 << 20, max_total_bytes: 2 << 30, max_ratio: 200 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotAZip(String),
    TooManyEntries(usize),
    UnsafePath(String),
    Symlink(String),
    Encrypted(String),
    DuplicateNames,
    NestedArchive(String),
    TooLarge(String, u64),
    Bomb(String, u64),
    /// A nested office file (DOCX, XLSX, …, by content) that fails the part limits.
    NestedBomb(String, String, String),
    /// Readers would disagree on what the archive holds.
    Ambiguous(String, String),
}

impl Refusal {
    pub fn rule(&self) -> &'static str {
        match self {
            Refusal::NotAZip(_) => "zip.unreadable",
            Refusal::TooManyEntries(_) | Refusal::TooLarge(..) | Refusal::Bomb(..) => "zip.bomb",
            Refusal::UnsafePath(_) => "zip.unsafe-path",
            Refusal::Symlink(_) => "zip.symlink",
            Refusal::Encrypted(_) => "zip.encrypted",
            Refusal::DuplicateNames => "zip.duplicate-name",
            Refusal::NestedArchive(_) => "zip.nested-archive",
            Refusal::NestedBomb(..) => "zip.bomb",
            Refusal::Ambiguous(..) => "zip.ambiguous",
        }
    }

    /// What the refusal says, in both languages.
    pub fn text(&self) -> Text {
        match self {
            Refusal::NotAZip(e) => Text::new(format!("不是完整的 zip 压缩包：{}", crate::lang::zip_error_zh(e)), format!("not a complete zip archive (damaged or truncated?): {e}")),
            Refusal::TooManyEntries(n) => Text::new(format!("压缩包含 {n} 个文件，超过上限"), format!("the archive holds {n} files, above the limit")),
            Refusal::UnsafePath(n) => Text::new(
                format!("文件名“{n}”指向压缩包之外（含“..”、绝对路径或盘符）"),
                format!("the entry “{n}” leads outside the archive (“..”, an absolute path or a drive letter)"),
            ),
            Refusal::Symlink(n) => Text::new(format!("“{n}”是符号链接"), format!("“{n}” is a symbolic link")),
            Refusal::Encrypted(n) => Text::new(format!("“{n}”已加密，无法审核"), format!("“{n}” is encrypted and cannot be reviewed")),
            Refusal::DuplicateNames => Text::new("压缩包中有重名文件", "the archive holds files with the same name"),
            Refusal::NestedArchive(n) => Text::new(format!("“{n}”是嵌套的压缩包"), format!("“{n}” is a nested archive")),
            Refusal::TooLarge(n, size) => Text::new(format!("“{n}”解压后 {size} 字节，超过上限"), format!("“{n}” unpacks to {size} bytes, above the limit")),
            Refusal::Bomb(n, ratio) => Text::new(format!("“{n}”压缩比 {ratio}:1，疑似压缩炸弹"), format!("“{n}” has a compression ratio of {ratio}:1, a likely zip bomb")),
            Refusal::NestedBomb(n, zh, en) => Text::new(format!("“{n}”内含的文件被拒绝：{zh}"), format!("“{n}” is refused: {en}")),
            Refusal::Ambiguous(zh, en) => Text::new(
                format!("压缩包结构有歧义，不同的解压程序会读出不同的内容：{zh}"),
                format!("the archive is ambiguous; different unzip programs would read different contents: {en}"),
            ),
        }
    }
}

pub struct Entry {
    /// The name as the sender's system meant it.
    pub name: String,
    pub index: usize,
    pub size: u64,
}

pub struct Archive {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    pub entries: Vec<Entry>,
    limits: Limits,
}

/// The Info-ZIP Unicode Path extra field (0x7075): version, CRC of the raw name, UTF-8 name.
fn unicode_path(extra: &[u8]) -> Option<String> {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16::from_le_bytes([extra[at], extra[at + 1]]);
        let len = usize::from(u16::from_le_bytes([extra[at + 2], extra[at + 3]]));
        let body = extra.get(at + 4..at + 4 + len)?;
        if id == 0x7075 && body.len() > 5 && body[0] == 1 {
            return String::from_utf8(body[5..].to_vec()).ok();
        }
        at += 4 + len;
    }
    None
}

/// UTF-8 when the bytes are UTF-8 (flagged names always are), else GB18030 as Chinese Windows
/// writes names.
pub fn decode_name(raw: &[u8], extra: Option<&[u8]>) -> String {
    if let Some(name) = extra.and_then(unicode_path) {
        return name;
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(raw).0.into_owned(),
    }
}

fn unsafe_path(name: &str) -> bool {
    let n = name.replace('\\', "/");
    let drive = n.len() >= 2 && n.as_bytes()[1] == b':' && n.as_bytes()[0].is_ascii_alphabetic();
    n.starts_with('/') || drive || n.split('/').any(|part| part == "..")
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?)))
}

/// An end-of-central-directory record hidden in the comment (or anywhere after the central
/// directory) makes readers that search from the end see another archive, often an empty
/// one. Only records that could be real are counted: their directory lies before them.
fn second_end_record(bytes: &[u8]) -> Option<Refusal> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_from = bytes.len().saturating_sub(22 + 65_535 + 22);
    let candidates = bytes[tail_from..]
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == EOCD)
        .map(|(i, _)| tail_from + i)
        .filter(|&p| {
            let (Some(size), Some(offset)) = (u32_at(bytes, p + 12), u32_at(bytes, p + 16)) else { return false };
            p + 22 <= bytes.len() && (offset == 0xFFFF_FFFF || offset + size <= p as u64)
        })
        .count();
    (candidates > 1).then(|| {
        Refusal::Ambiguous(
            format!("有 {candidates} 个目录结束记录（注释中藏有第二个）"),
            format!("it has {candidates} end-of-central-directory records (a second one hidden in the comment)"),
        )
    })
}

/// Each entry's name in its local header must be the central directory's: unzip programs
/// that walk local headers would otherwise show other files than the ones checked.
fn local_names_differ(bytes: &[u8]) -> Option<Refusal> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let start = usize::try_from(f.header_start()).unwrap_or(usize::MAX);
        let central = decode_name(f.name_raw(), None);
        let local = (|| {
            if bytes.get(start..start + 4)? != b"PK\x03\x04" {
                return None;
            }
            let len = u16_at(bytes, start + 26)?;
            bytes.get(start + 30..start + 30 + len)
        })();
        match local {
            Some(raw) if raw == f.name_raw() => {}
            Some(raw) => {
                let local = decode_name(raw, None);
                return Some(Refusal::Ambiguous(
                    format!("文件“{central}”在本地文件头中名为“{local}”"),
                    format!("the entry “{central}” is named “{local}” in its local header"),
                ));
            }
            None => {
                return Some(Refusal::Ambiguous(
                    format!("文件“{central}”的本地文件头缺失或损坏"),
                    format!("the local header of “{central}” is missing or damaged"),
                ));
            }
        }
    }
    None
}

/// Nested zips found by content, whatever their names: office files (DOCX, XLSX, …) have
/// every part inflated with caps; any other zip is a nested archive.
pub fn vet_nested(contents: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    for (name, bytes) in contents {
        if !crate::load::ooxml::is_zip(bytes) {
            continue;
        }
        let office = ZipArchive::new(Cursor::new(bytes.as_slice())).is_ok_and(|z| z.index_for_name("[Content_Types].xml").is_some());
        if !office {
            refusals.push(Refusal::NestedArchive(name.clone()));
        } else if let Err((zh, en)) = crate::load::ooxml::vet(bytes) {
            refusals.push(Refusal::NestedBomb(name.clone(), zh, en));
        }
    }
    refusals
}

impl Archive {
    /// Vet every entry; any refusal means the archive is not read further.
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Archive, Vec<Refusal>> {
        if let Some(r) = second_end_record(&bytes) {
            return Err(vec![r]);
        }
        if let Some(r) = local_names_differ(&bytes) {
            return Err(vec![r]);
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| vec![Refusal::NotAZip(e.to_string())])?;
        let mut refusals = Vec::new();
        if zip.len() > limits.max_entries {
            return Err(vec![Refusal::TooManyEntries(zip.len())]);
        }
        if zip.has_duplicate_names() {
            refusals.push(Refusal::DuplicateNames);
        }
        let mut entries = Vec::new();
        let mut total = 0u64;
        for index in 0..zip.len() {
            let f = match zip.by_index_raw(index) {
                Ok(f) => f,
                Err(e) => return Err(vec![Refusal::NotAZip(e.to_string())]),
            };
            let name = decode_name(f.name_raw(), f.extra_data().as_deref());
            if unsafe_path(&name) {
                refusals.push(Refusal::UnsafePath(name.clone()));
            }
            if f.is_symlink() {
                refusals.push(Refusal::Symlink(name.clone()));
            }
            if f.encrypted() {
                refusals.push(Refusal::Encrypted(name.clone()));
            }
            let lower = name.to_lowercase();
            if [".zip", ".rar", ".7z", ".tar", ".gz", ".tgz"].iter().any(|ext| lower.ends_with(ext)) {
                refusals.push(Refusal::NestedArchive(name.clone()));
            }
            let size = f.size();
            if size > limits.max_entry_bytes {
                refusals.push(Refusal::TooLarge(name.clone(), size));
            }
            let ratio = size / f.compressed_size().max(1);
            if size > 1 << 20 && ratio > limits.max_ratio {
                refusals.push(Refusal::Bomb(name.clone(), ratio));
            }
            total = total.saturating_add(size);
            if !f.is_dir() {
                entries.push(Entry { name, index, size });
            }
        }
        if total > limits.max_total_bytes {
            refusals.push(Refusal::TooLarge("（全部文件）".to_owned(), total));
        }
        if refusals.is_empty() { Ok(Archive { zip, entries, limits }) } else { Err(refusals) }
    }

    /// Every entry, each inflated once, by name; and what could not be read.
    pub fn read_all(&mut self) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<String>) {
        let names: Vec<String> = self.entries.iter().map(|e| e.name.clone()).collect();
        let mut contents = std::collections::BTreeMap::new();
        let mut unreadable = Vec::new();
        for name in names {
            match self.read(&name) {
                Ok(bytes) => {
                    contents.insert(name, bytes);
                }
                Err(e) => unreadable.push(e),
            }
        }
        (contents, unreadable)
    }

    /// The bytes of one entry, never more than its header claims (or the limit).
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, String> {
        let entry = self.entries.iter().find(|e| e.name == name).ok_or_else(|| format!("压缩包中没有“{name}”"))?;
        let (index, claimed) = (entry.index, entry.size);
        let f = self.zip.by_index(index).map_err(|e| format!("无法读取“{name}”：{e}"))?;
        let cap = claimed.min(self.limits.max_entry_bytes);
        let mut out = Vec::with_capacity(cap as usize);
        // A header that lies about the size cannot make us read past it.
        f.take(cap + 1).read_to_end(&mut out).map_err(|e| format!("无法读取“{name}”：{e}"))?;
        if out.len() as u64 > cap {
            return Err(format!("“{name}”的实际大小超过其声明"));
        }
        Ok(out)
    }
}
