//! Load a dossier: find `dossier.yaml`, read it safely, and turn it into JSON plus a
//! position index so every later finding can name file:line:column.

// A load error carries its message in both languages, the hint and the text it quotes: large,
// but made once per failed run, never in a loop.
#![allow(clippy::result_large_err, reason = "load errors are rare and carry the text they quote")]

pub mod divisions;
pub mod media;
pub mod ooxml;
pub mod roster;
pub mod source;
pub mod yaml;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value as Json};

use crate::diag::{Diagnostic, Pos, pointer_token, Text};
use yaml::{Node, Value};

/// Larger dossier files are refused: the biggest real one is a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub const DOSSIER_FILE: &str = "dossier.yaml";

/// A dossier read into memory.
#[derive(Debug)]
pub struct Loaded {
    /// Folder that holds `dossier.yaml` and its evidence.
    pub dir: PathBuf,
    /// Path of the YAML file as the user should see it.
    pub file: PathBuf,
    pub text: String,
    pub json: Json,
    pub index: PositionIndex,
    /// Problems found while loading that do not stop the check (duplicate keys, BOM).
    pub issues: Vec<Diagnostic>,
    /// Where the referenced files are read from.
    pub source: source::Source,
}

/// JSON Pointer to source position, for values and for the keys that name them.
#[derive(Debug, Default)]
pub struct PositionIndex {
    // FxHash, one entry per node (value and key together): every node of a dossier goes in,
    // and verify loads a whole batch.
    at: rustc_hash::FxHashMap<String, Placed>,
}

/// Where a node's value starts, and the key that names it (none for the root and list items).
#[derive(Debug, Clone, Copy)]
struct Placed {
    value: Pos,
    key: Option<Pos>,
}

impl PositionIndex {
    /// Position of the value at `pointer`; if absent, of its nearest ancestor.
    pub fn locate(&self, pointer: &str) -> Pos {
        let mut p = pointer;
        loop {
            if let Some(placed) = self.at.get(p) {
                return placed.value;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return Pos { line: 1, column: 1 },
            }
        }
    }

    /// The deepest pointer whose value starts on `line`, the leftmost of equals. An alias's
    /// copies carry the anchor's position under keys written on other lines: the field written
    /// on `line` comes first, and what is still equal is told apart by the pointer, never by
    /// the map's order.
    pub fn pointer_on_line(&self, line: usize) -> Option<(&str, Pos)> {
        use std::cmp::Reverse;
        self.at
            .iter()
            .filter(|(_, p)| p.value.line == line)
            .max_by_key(|(k, p)| (p.key.is_none_or(|key| key.line == line), k.matches('/').count(), Reverse(p.value.column), Reverse(k.as_str())))
            .map(|(k, p)| (k.as_str(), p.value))
    }

    /// Position of the key naming `pointer` (for "unexpected property" findings).
    pub fn key(&self, pointer: &str) -> Option<Pos> {
        self.at.get(pointer).and_then(|p| p.key)
    }
}

/// Why a dossier could not be loaded at all (exit code 2).
#[derive(Debug, Clone)]
pub struct LoadError {
    pub rule: &'static str,
    pub message: Text,
    pub file: PathBuf,
    pub pos: Option<Pos>,
    pub hint: Option<Text>,
    /// The text, when it was readable, so the error can show the line.
    pub text: Option<String>,
}

impl LoadError {
    fn new(rule: &'static str, file: &Path, message: impl Into<String>, en: impl Into<String>) -> Self {
        LoadError { rule, message: Text::new(message, en), file: file.to_owned(), pos: None, hint: None, text: None }
    }

    /// The finding this error is, at its place: the one conversion of a load error (and of the
    /// YAML error inside it) into a diagnostic.
    pub fn finding(&self) -> Diagnostic {
        let pos = self.pos.unwrap_or_default();
        let mut issue = Diagnostic::error(self.rule, "", self.message.clone());
        issue.hint = self.hint.clone();
        issue.placed(self.file.display().to_string(), pos.line.max(1), pos.column.max(1), None)
    }
}

/// Resolve a DIR or FILE argument to (folder, yaml file).
pub fn resolve(path: &Path) -> (PathBuf, PathBuf) {
    if path.is_dir() {
        (path.to_owned(), path.join(DOSSIER_FILE))
    } else {
        let dir = path.parent().map(Path::to_owned).filter(|p| !p.as_os_str().is_empty());
        (dir.unwrap_or_else(|| PathBuf::from(".")), path.to_owned())
    }
}

pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let (dir, file) = resolve(path);
    let bytes = read_limited(&file)?;
    from_bytes(bytes, dir.clone(), file, source::Source::Dir(dir))
}

/// A dossier held in memory (a received submission): `files` by path relative to the dossier,
/// `shown` the name findings give its folder.
/// `aliases_of` maps the paths the parsed dossier names to where the submission keeps them.
pub fn from_memory(
    files: std::collections::BTreeMap<String, Vec<u8>>,
    aliases_of: impl FnOnce(&serde_json::Value) -> std::collections::BTreeMap<String, String>,
    shown: &str,
) -> Result<Loaded, LoadError> {
    let file = PathBuf::from(shown).join(DOSSIER_FILE);
    let Some(bytes) = files.get(DOSSIER_FILE).cloned() else {
        return Err(LoadError::new("input.unreadable", &file, "提交的材料中没有 dossier.yaml", "the submission holds no dossier.yaml"));
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::new("input.too-large", &file, "dossier.yaml 超过大小上限", "dossier.yaml exceeds the size limit"));
    }
    let mut loaded = from_bytes(bytes, PathBuf::from(shown), file, source::Source::Memory { files, aliases: Default::default() })?;
    if let source::Source::Memory { aliases, .. } = &mut loaded.source {
        *aliases = aliases_of(&loaded.json);
    }
    Ok(loaded)
}

fn from_bytes(bytes: Vec<u8>, dir: PathBuf, file: PathBuf, source: source::Source) -> Result<Loaded, LoadError> {
    let (text, mut issues) = decode(&file, bytes)?;
    let (json, index, yaml_issues) = parse_json(&text).map_err(|e| LoadError { rule: e.rule, message: e.message, file: file.clone(), pos: Some(e.pos), hint: e.hint, text: Some(text.clone()) })?;
    issues.extend(yaml_issues);
    Ok(Loaded { dir, file, text, json, index, issues, source })
}

/// YAML text to JSON with positions; duplicate keys come back as issues.
pub fn parse_json(text: &str) -> Result<(Json, PositionIndex, Vec<Diagnostic>), yaml::YamlError> {
    let root = yaml::parse(text)?;
    let mut index = PositionIndex::default();
    let mut issues = Vec::new();
    let json = to_json(root, String::new(), None, &mut index, &mut issues);
    Ok((json, index, issues))
}

fn read_limited(file: &Path) -> Result<Vec<u8>, LoadError> {
    let f = File::open(file).map_err(|e| {
        let zh = match e.kind() {
            std::io::ErrorKind::NotFound => format!("找不到文件：{}", file.display()),
            _ => format!("无法打开文件：{}（{}）", file.display(), crate::lang::io_error_zh(&e)),
        };
        let what_en = if e.kind() == std::io::ErrorKind::NotFound { "file not found" } else { "cannot open file" };
        LoadError::new("input.unreadable", file, zh, format!("{what_en}: {} ({e})", file.display()))
    })?;
    let mut bytes = Vec::new();
    // `take` guards against files that grow or lie about their size.
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::new("input.unreadable", file, format!("读取文件失败：{}", crate::lang::io_error_zh(&e)), format!("reading the file failed: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::new(
            "input.too-large",
            file,
            format!("文件超过 {} MB 上限，拒绝读取", MAX_FILE_BYTES / 1024 / 1024),
            format!("the file exceeds the {} MB limit; not read", MAX_FILE_BYTES / 1024 / 1024),
        )
        .with_hint("dossier.yaml 只应包含文字信息；扫描件、名单等请作为单独文件引用", "dossier.yaml should hold text only; reference scans, rosters and the like as separate files"));
    }
    Ok(bytes)
}

impl LoadError {
    fn with_hint(mut self, hint: &str, en: &str) -> Self {
        self.hint = Some(Text::new(hint, en));
        self
    }
}

fn decode(file: &Path, bytes: Vec<u8>) -> Result<(String, Vec<Diagnostic>), LoadError> {
    let mut issues = Vec::new();
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::new("input.encoding", file, "文件是 UTF-16 编码，无法读取", "the file is UTF-16 encoded and cannot be read")
            .with_hint("请在编辑器中以“UTF-8”编码另存该文件", "save the file again as UTF-8 in your editor"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let (_, _, gb_errors) = encoding_rs::GB18030.decode(bytes);
            let (hint, hint_en) = if gb_errors {
                ("请在编辑器中以“UTF-8”编码另存该文件", "save the file again as UTF-8 in your editor")
            } else {
                (
                    "该文件似乎是 GBK/GB18030 编码（Windows 记事本或 WPS 的默认编码），请以“UTF-8”编码另存",
                    "the file looks GBK/GB18030 encoded (the default of Windows Notepad and WPS); save it again as UTF-8",
                )
            };
            let mut err = LoadError::new(
                "input.encoding",
                file,
                format!("文件不是有效的 UTF-8 文本：第 {line} 行第 {column} 列有无法识别的字节 0x{:02X}", bytes[at]),
                format!("the file is not valid UTF-8 text: unrecognised byte 0x{:02X} at line {line}, column {column}", bytes[at]),
            )
            .with_hint(hint, hint_en);
            err.pos = Some(Pos { line, column });
            err.text = Some(before.into_owned());
            return Err(err);
        }
    };
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => {
            issues.push(
                Diagnostic::warning("yaml.bom", "", Text::new("文件以字节顺序标记（BOM）开头；已忽略", "the file starts with a byte order mark (BOM); ignored"))
                    .with_hint(Text::new("可在编辑器中以“UTF-8（无 BOM）”另存", "you can save it again as UTF-8 without BOM in your editor")),
            );
            rest.to_owned()
        }
        None => text,
    };
    Ok((text, issues))
}

/// The tree is consumed: its strings move into the JSON rather than being copied.
fn to_json(node: Node, pointer: String, key: Option<Pos>, index: &mut PositionIndex, issues: &mut Vec<Diagnostic>) -> Json {
    let json = match node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Int(i) => Json::Number(i.into()),
        // NaN and infinities have no JSON form; keep the text so the schema reports a type error.
        Value::Float(f) => Number::from_f64(f).map_or_else(|| Json::String(f.to_string()), Json::Number),
        Value::Str(s) => Json::String(s),
        Value::Seq(items) => Json::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, format!("{pointer}/{i}"), None, index, issues))
                .collect(),
        ),
        Value::Map(entries) => {
            let mut map = Map::new();
            for (k, value) in entries {
                let child = format!("{pointer}/{}", pointer_token(&k.text));
                if map.contains_key(&k.text) {
                    let first = index.key(&child).unwrap_or_default();
                    issues.push(
                        Diagnostic::error(
                            "yaml.duplicate-key",
                            child,
                            Text::new(format!("键“{}”重复出现（第一次在第 {} 行）；只保留第一次的取值", k.text, first.line), format!("key “{}” appears again (first on line {}); only the first value is kept", k.text, first.line)),
                        )
                        .at_pos(k.pos)
                        .with_hint(Text::new("删除或合并重复的键，避免数据被忽略", "delete or merge the duplicate keys so no data is ignored")),
                    );
                    continue;
                }
                let v = to_json(value, child, Some(k.pos), index, issues);
                map.insert(k.text, v);
            }
            Json::Object(map)
        }
    };
    index.at.insert(pointer, Placed { value: node.pos, key });
    json
}

#[cfg(test)]
mod tests {
    /// The field written on a line is found there, though aliases copy its position to keys
    /// on other lines; otherwise the deepest value on the line, as before.
    #[test]
    fn the_field_on_a_line_is_the_one_written_there() {
        let text = "e0585: 2\ne1758: 6\nk758: &v 值 # 待确认\nk924: *v\nk287: *v\nk680: *v\nm: &m\n  aa: 1\n  bb: 2\nn96: *m\nn09: *m\n";
        let (_, index, _) = super::parse_json(text).unwrap();
        assert_eq!(index.pointer_on_line(3).map(|(p, _)| p), Some("/k758"));
        // Copies of a map copy its keys' positions too: the first pointer of equals.
        assert_eq!(index.pointer_on_line(8).map(|(p, _)| p), Some("/m/aa"));
        let (_, index, _) = super::parse_json("k: [a, b] # 待确认\nf: {bb: 1, a: 2}\nj:\n  值\n").unwrap();
        assert_eq!(index.pointer_on_line(1).map(|(p, _)| p), Some("/k/0"));
        assert_eq!(index.pointer_on_line(2).map(|(p, _)| p), Some("/f/bb"), "the leftmost of equals");
        assert_eq!(index.pointer_on_line(4).map(|(p, _)| p), Some("/j"));
    }
}
