//! Evidence: ids unique and resolvable, every referenced file inside the dossier folder, and
//! every file one the volume can bind: its type read from its content, never its name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path};

use crate::load::media::{self, Kind, Media, Printable, Problem};
use crate::load::source::{FileState, Source};

use serde_json::Value;

use super::fields::{PLACEHOLDER, walk};
use crate::diag::{Diagnostic, Text};

/// The findings, and what each evidence file that could be read is, by the path dossier.yaml
/// writes: the render binds from this and does not read the files' structure again.
pub fn check(json: &Value, source: &Source) -> (Vec<Diagnostic>, BTreeMap<String, Media>) {
    let mut issues = Vec::new();
    let mut media = BTreeMap::new();
    let empty = Vec::new();
    let items = json.get("evidence").and_then(Value::as_array).unwrap_or(&empty);
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut sizes: Vec<(u64, String)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(Value::as_str) else { continue };
        if let Some(first) = ids.insert(id, i) {
            issues.push(Diagnostic::error(
                "evidence.duplicate-id",
                format!("/evidence/{i}/id"),
                Text::new(format!("佐证材料编号“{id}”重复（第 {} 项已使用）", first + 1), format!("evidence id “{id}” is used twice (item {} already has it)", first + 1)),
            ));
        }
        if let Some(file) = item.get("file").and_then(Value::as_str) {
            let pointer = format!("/evidence/{i}/file");
            let found = check_file(source, file, &pointer);
            if found.is_empty() && !file.starts_with(PLACEHOLDER) {
                let (mut more, bytes, what) = check_content(source, file, &pointer);
                issues.append(&mut more);
                if let Some(what) = what {
                    // Only what is bound makes the PDF heavy; a video travels beside it.
                    if !what.pages.is_empty() {
                        sizes.push((bytes, item.get("title").and_then(Value::as_str).unwrap_or(file).to_owned()));
                    }
                    media.insert(file.to_owned(), what);
                }
            }
            issues.extend(found);
        }
    }
    issues.extend(volume_size(&mut sizes));
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
                Diagnostic::error("evidence.unknown-id", pointer, Text::new(format!("引用的佐证材料“{id}”不存在"), format!("the referenced evidence “{id}” does not exist")))
                    .with_hint(Text::new("请在 evidence 列表中登记该材料，或改正编号", "register the item in the evidence list, or correct the id")),
            );
        }
    });
    (issues, media)
}

/// The bound PDF is printed and mailed: past this size, say which items make it heavy.
pub const VOLUME_WARN_BYTES: u64 = 50 * 1024 * 1024;

fn volume_size(sizes: &mut [(u64, String)]) -> Option<Diagnostic> {
    let total: u64 = sizes.iter().map(|(b, _)| b).sum();
    if total <= VOLUME_WARN_BYTES {
        return None;
    }
    sizes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let largest: Vec<String> = sizes.iter().take(3).map(|(b, t)| format!("“{t}” {:.1} MB", *b as f64 / 1_048_576.0)).collect();
    let mb = total as f64 / 1_048_576.0;
    Some(
        Diagnostic::warning("evidence.volume-size", "/evidence", Text::new(format!("佐证材料合计 {mb:.1} MB，装订后的 PDF 将超过 50 MB；最大的几项：{}", largest.join("、")), format!("the evidence adds up to {mb:.1} MB, so the bound PDF will pass 50 MB; the largest items: {}", largest.join(", "))))
            .with_hint(Text::new("扫描件用 200 dpi 灰度或 JPEG 质量 75 即可清晰打印；照片可先缩小到 2000 像素宽",
                "200 dpi greyscale scans or JPEG quality 75 print clearly; photos can be reduced to 2,000 pixels wide")),
    )
}

/// Enough of a file to tell its type.
const HEAD_BYTES: u64 = 64 * 1024;

/// What the file is by its content, and whether the volume can bind it. Returns the findings,
/// the file's size and, when it could be read, what it is.
fn check_content(source: &Source, written: &str, pointer: &str) -> (Vec<Diagnostic>, u64, Option<Media>) {
    let rel = written.replace('\\', "/");
    // A video or other electronic item is only carried: its first bytes say what it is.
    let head = source.read(&rel, HEAD_BYTES);
    // A JPEG in a folder is bound undecoded: its markers, in the head, are all check reads.
    let jpeg = head.as_ref().ok().filter(|h| media::sniff(h) == Kind::Jpeg).zip(source.dir()).and_then(|(h, dir)| {
        let len = std::fs::metadata(dir.join(&rel)).ok()?.len();
        Some((len, media::probe_jpeg_head(h, len)?))
    });
    let (size, probed) = match jpeg {
        Some(probed) => probed,
        None => {
            let whole = match &head {
                Ok(h) if !h.is_empty() && matches!(media::sniff(h), Kind::Video | Kind::Other) => head,
                _ => source.read(&rel, media::MAX_EVIDENCE_BYTES + 1),
            };
            let bytes = match whole {
                Ok(b) => b,
                Err(e) => {
                    return (vec![Diagnostic::error("evidence.unreadable", pointer, Text::new(format!("无法读取佐证材料“{written}”：{e}"), format!("cannot read the evidence file “{written}”: {e}")))], 0, None);
                }
            };
            (bytes.len() as u64, media::probe(&bytes))
        }
    };
    let mut issues = Vec::new();
    let ext = Path::new(&rel).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match &probed {
        Err(problem) => {
            let rule = match problem {
                Problem::Empty => "evidence.empty",
                Problem::Encrypted => "evidence.encrypted",
                Problem::Unsupported(_) => "evidence.unsupported",
                Problem::TooLarge(_) | Problem::TooManyPages(_) | Problem::Dimensions(..) => "evidence.too-large",
                Problem::Damaged(..) | Problem::NoPages => "evidence.damaged",
            };
            let (zh, en) = problem.message();
            let mut issue = Diagnostic::error(rule, pointer, Text::new(format!("佐证材料“{written}”：{zh}"), format!("evidence file “{written}”: {en}")));
            if let Some((hz, he)) = problem.hint() {
                issue = issue.with_hint(Text::new(hz, he));
            }
            issues.push(issue);
        }
        Ok(m) => {
            if m.kind == Kind::Other {
                issues.push(
                    Diagnostic::warning("evidence.not-printable", pointer, Text::new(format!("佐证材料“{written}”不是 PDF、图片或视频，无法装订进 PDF，只能作为电子件随提交包报送"), format!("the evidence file “{written}” is not a PDF, an image or a video: it cannot be bound into the PDF and travels only as an electronic item")))
                        .with_hint(Text::new("请另存为 PDF（如“打印为 PDF”）后再引用", "save it as PDF (e.g. print to PDF) and reference that")),
                );
            } else if !m.kind.extensions().contains(&ext.as_str()) {
                let want = m.kind.extensions().first().copied().unwrap_or("");
                issues.push(
                    Diagnostic::warning("evidence.type-mismatch", pointer, Text::new(format!("佐证材料“{written}”的扩展名是“.{ext}”，内容却是{}", m.kind.label()), format!("the evidence file “{written}” is named “.{ext}” but is a {}", m.kind.label_en())))
                        .with_hint(Text::new(format!("请把扩展名改为“.{want}”，或确认引用的是正确的文件"), format!("rename it to “.{want}”, or check that the right file is referenced"))),
                );
            }
            if let Some(Printable::Pdf { unembedded_fonts }) = &m.printable
                && !unembedded_fonts.is_empty()
            {
                let fonts = unembedded_fonts.join("、");
                issues.push(
                    Diagnostic::warning("evidence.font-not-embedded", pointer, Text::new(format!("佐证材料“{written}”使用了未嵌入的字体（{fonts}），在评审方的电脑和打印机上可能显示为其他字体"), format!("the evidence file “{written}” uses fonts that are not embedded ({fonts}); reviewers' computers and printers may substitute them")))
                        .with_hint(Text::new("导出 PDF 时勾选“嵌入字体”，或打印为 PDF", "export the PDF with fonts embedded, or print it to PDF")),
                );
            }
        }
    }
    (issues, size, probed.ok())
}

/// A path written in the dossier, checked without trusting it: relative, no `..`,
/// present, a regular file, and not a symlink that leads out of the folder.
pub fn check_file(source: &Source, written: &str, pointer: &str) -> Vec<Diagnostic> {
    if written.starts_with(PLACEHOLDER) {
        return Vec::new();
    }
    // Windows users write backslashes; treat them as separators.
    let normalised = written.replace('\\', "/");
    let rel = Path::new(&normalised);
    let drive = normalised.len() >= 2 && normalised.as_bytes()[1] == b':' && normalised.as_bytes()[0].is_ascii_alphabetic();
    if rel.is_absolute() || drive {
        return vec![
            Diagnostic::error("file.outside", pointer, Text::new(format!("文件路径“{written}”是绝对路径；只能引用材料目录内的文件"), format!("the file path “{written}” is absolute; only files inside the dossier folder may be referenced")))
                .with_hint(Text::new("把文件复制到材料目录中，并写相对路径，如 evidence/办学许可证.pdf",
                    "copy the file into the dossier folder and write a relative path, e.g. evidence/licence.pdf")),
        ];
    }
    if rel.components().any(|c| matches!(c, Component::ParentDir)) {
        return vec![Diagnostic::error(
            "file.outside",
            pointer,
            Text::new(format!("文件路径“{written}”含有“..”，指向材料目录之外"), format!("the file path “{written}” contains “..” and leads outside the dossier folder")),
        )];
    }
    match source.state(&normalised) {
        FileState::Present => Vec::new(),
        FileState::Missing => {
            let full = source.shown(&normalised);
            let issue = Diagnostic::error("file.missing", pointer, Text::new(format!("找不到文件“{written}”"), format!("file not found: “{written}”")));
            vec![match case_only(source, &normalised) {
                Some(real) => issue.with_hint(Text::new(format!("目录中有“{real}”，只是字母大小写不同；Windows 不区分大小写，评审方的系统区分，请按实际文件名填写"),
                    format!("the folder has “{real}”, differing only in letter case; Windows ignores case, the reviewer's system does not: write the real name"))),
                None => issue.with_hint(Text::new(format!("该文件应位于 {full}"), format!("the file should be at “{full}”"))),
            }]
        }
        FileState::Outside => vec![
            Diagnostic::error("file.outside", pointer, Text::new(format!("文件“{written}”是指向材料目录之外的符号链接"), format!("the file “{written}” is a symlink leading outside the dossier folder"))),
        ],
        FileState::NotAFile => {
            vec![Diagnostic::error("file.missing", pointer, Text::new(format!("“{written}”不是文件"), format!("“{written}” is not a file")))]
        }
    }
}

/// The path as it really is on disk when it differs from the written one only in letter case.
fn case_only(source: &Source, rel: &str) -> Option<String> {
    match source {
        Source::Memory { files, .. } => files.keys().find(|k| k.to_lowercase() == rel.to_lowercase()).cloned(),
        Source::Dir(dir) => {
            let mut at = dir.clone();
            let mut real = Vec::new();
            for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
                let exact = at.join(part);
                let name = if exact.exists() {
                    part.to_owned()
                } else {
                    std::fs::read_dir(&at).ok()?.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).find(|n| n.to_lowercase() == part.to_lowercase())?
                };
                at = at.join(&name);
                real.push(name);
            }
            let real = real.join("/");
            (real != rel && at.is_file()).then_some(real)
        }
    }
}
