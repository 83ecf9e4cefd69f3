//! Evidence: ids unique and resolvable, every referenced file inside the dossier folder.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use crate::load::source::{FileState, Source};

use serde_json::Value;

use super::fields::{PLACEHOLDER, walk};
use crate::finding::Issue;

pub fn check(json: &Value, source: &Source) -> Vec<Issue> {
    let mut issues = Vec::new();
    let empty = Vec::new();
    let items = json.get("evidence").and_then(Value::as_array).unwrap_or(&empty);
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(Value::as_str) else { continue };
        if let Some(first) = ids.insert(id, i) {
            issues.push(Issue::error(
                "evidence.duplicate-id",
                format!("/evidence/{i}/id"),
                format!("佐证材料编号“{id}”重复（第 {} 项已使用）", first + 1),
            )
            .en(format!("evidence id “{id}” is used twice (item {} already has it)", first + 1)));
        }
        if let Some(file) = item.get("file").and_then(Value::as_str) {
            issues.extend(check_file(source, file, &format!("/evidence/{i}/file")));
        }
    }
    let rosters = json.pointer("/training/rosters").and_then(Value::as_array).unwrap_or(&empty);
    for (i, roster) in rosters.iter().enumerate() {
        if let Some(file) = roster.get("file").and_then(Value::as_str) {
            issues.extend(check_file(source, file, &format!("/training/rosters/{i}/file")));
        }
    }
    let known: HashSet<&str> = ids.keys().copied().collect();
    walk(json, &mut String::new(), "", &mut |pointer, key, value| {
        if key != "evidence" || pointer == "/evidence" || pointer.starts_with("/evidence/") {
            return;
        }
        if let Some(id) = value.as_str().filter(|id| !known.contains(id)) {
            issues.push(
                Issue::error("evidence.unknown-id", pointer, format!("引用的佐证材料“{id}”不存在"))
                    .en(format!("the referenced evidence “{id}” does not exist"))
                    .hints("请在 evidence 列表中登记该材料，或改正编号", "register the item in the evidence list, or correct the id"),
            );
        }
    });
    issues
}

/// A path written in the dossier, checked without trusting it: relative, no `..`,
/// present, a regular file, and not a symlink that leads out of the folder.
pub fn check_file(source: &Source, written: &str, pointer: &str) -> Vec<Issue> {
    if written.starts_with(PLACEHOLDER) {
        return Vec::new();
    }
    // Windows users write backslashes; treat them as separators.
    let normalised = written.replace('\\', "/");
    let rel = Path::new(&normalised);
    let drive = normalised.len() >= 2 && normalised.as_bytes()[1] == b':' && normalised.as_bytes()[0].is_ascii_alphabetic();
    if rel.is_absolute() || drive {
        return vec![
            Issue::error("file.outside", pointer, format!("文件路径“{written}”是绝对路径；只能引用材料目录内的文件"))
                .en(format!("the file path “{written}” is absolute; only files inside the dossier folder may be referenced"))
                .hints(
                    "把文件复制到材料目录中，并写相对路径，如 evidence/办学许可证.pdf",
                    "copy the file into the dossier folder and write a relative path, e.g. evidence/licence.pdf",
                ),
        ];
    }
    if rel.components().any(|c| matches!(c, Component::ParentDir)) {
        return vec![Issue::error(
            "file.outside",
            pointer,
            format!("文件路径“{written}”含有“..”，指向材料目录之外"),
        )
        .en(format!("the file path “{written}” contains “..” and leads outside the dossier folder"))];
    }
    match source.state(&normalised) {
        FileState::Present => Vec::new(),
        FileState::Missing => {
            let full = source.shown(&normalised);
            vec![Issue::error("file.missing", pointer, format!("找不到文件“{written}”"))
                .en(format!("file not found: “{written}”"))
                .hints(format!("该文件应位于 {full}"), format!("the file should be at “{full}”"))]
        }
        FileState::Outside => vec![
            Issue::error("file.outside", pointer, format!("文件“{written}”是指向材料目录之外的符号链接"))
                .en(format!("the file “{written}” is a symlink leading outside the dossier folder")),
        ],
        FileState::NotAFile => {
            vec![Issue::error("file.missing", pointer, format!("“{written}”不是文件")).en(format!("“{written}” is not a file"))]
        }
    }
}
