//! Diagnostics: one rule's verdict on one place, with its message as a value in both languages.

use std::cell::Cell;

use serde::Serialize;

use crate::lang::Lang;

/// A message in Chinese and English, made once where the finding is found and turned into text
/// only at output (`get`, or serialised in the language `in_lang` sets). An empty `en` means the
/// text has no English of its own (a pack's notice, a quoted value) and Chinese is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// The text in `lang` (Chinese when it has no English).
    pub fn get(&self, lang: Lang) -> &str {
        if lang == Lang::En && !self.en.is_empty() { &self.en } else { &self.zh }
    }

    /// Both languages passed through `f` (masking, a suffix).
    pub fn map(&self, f: impl Fn(&str) -> String) -> Text {
        Text { zh: f(&self.zh), en: if self.en.is_empty() { String::new() } else { f(&self.en) } }
    }

    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }

    /// Empty in the language being serialised (for `skip_serializing_if`).
    pub fn is_blank(&self) -> bool {
        self.get(OUTPUT_LANG.with(Cell::get)).is_empty()
    }

    /// The Chinese text alone (batches whose output is Chinese drop the English).
    pub fn zh_only(&mut self) {
        self.en = String::new();
    }
}

impl From<String> for Text {
    fn from(zh: String) -> Text {
        Text { zh, en: String::new() }
    }
}

impl From<&str> for Text {
    fn from(zh: &str) -> Text {
        Text::from(zh.to_owned())
    }
}

/// The Chinese text: what the tool shows unless `--lang en` asks otherwise.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.zh)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.zh
    }
}

thread_local! {
    // serde has no context argument: the language a report is serialised in, set by `in_lang`.
    static OUTPUT_LANG: Cell<Lang> = const { Cell::new(Lang::Zh) };
}

/// Run `f` (a serialisation) with every `Text` written in `lang`.
pub fn in_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = OUTPUT_LANG.with(|l| l.replace(lang));
    let out = f();
    OUTPUT_LANG.with(|l| l.set(before));
    out
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.get(OUTPUT_LANG.with(Cell::get)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks submission.
    Error,
    /// Advisory.
    Warning,
}

impl Severity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("错误", "error"),
            Severity::Warning => lang.pick("提示", "warning"),
        }
    }
}

/// 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// Where a policy rule comes from: seed file, clause, quoted sentence.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Citation {
    pub seed: String,
    pub clause: String,
    pub quote: String,
    /// The title of the document the seed holds, filled in when the pack is read: people cite
    /// 《title》 and clause, never the seed's hashed file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

impl Citation {
    /// “《title》三、（二）1”, or the seed file and clause when the title is unknown.
    pub fn source(&self) -> String {
        match &self.document {
            Some(d) => format!("《{d}》{}", self.clause),
            None => format!("{} {}", self.seed, self.clause),
        }
    }
}

/// One rule's verdict on one place: what every stage reports, from the YAML reader to the
/// batch audits of `verify`. Rules make it at a JSON Pointer (`error`, `warning`); it is placed
/// in its file (`placed`) once the loader's positions are known.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: Text,
    #[serde(flatten)]
    pub at: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// Where a diagnostic is: the JSON Pointer rules speak in, and once placed, its file, line and
/// column (row and column for a roster cell).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Place {
    /// JSON Pointer into the dossier ("" for the document root).
    pub pointer: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// For diagnostics in a spreadsheet: "Sheet1!D17" (line and column are row and column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Before placing: an explicit position, for places no pointer names (a duplicate key).
    #[serde(skip)]
    pub pos: Option<Pos>,
    /// Before placing: a roster cell, for diagnostics outside dossier.yaml.
    #[serde(skip)]
    pub roster_cell: Option<CellAt>,
}

/// A place in a file other than dossier.yaml: a roster cell.
#[derive(Debug, Clone)]
pub struct CellAt {
    pub file: String,
    pub cell: String,
    pub row: usize,
    pub column: usize,
}

impl Diagnostic {
    pub fn error(rule: impl Into<String>, pointer: impl Into<String>, message: impl Into<Text>) -> Self {
        Diagnostic { rule: rule.into(), severity: Severity::Error, message: message.into(), at: Place { pointer: pointer.into(), ..Place::default() }, hint: None, citation: None }
    }
    pub fn warning(rule: impl Into<String>, pointer: impl Into<String>, message: impl Into<Text>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(rule, pointer, message) }
    }
    pub fn with_hint(mut self, hint: impl Into<Text>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn at_pos(mut self, pos: Pos) -> Self {
        self.at.pos = Some(pos);
        self
    }
    pub fn in_cell(mut self, cell: CellAt) -> Self {
        self.at.roster_cell = Some(cell);
        self
    }
    /// The diagnostic at its place: `file`, line and column (row and column for a roster
    /// `cell`).
    pub fn placed(mut self, file: String, line: usize, column: usize, cell: Option<String>) -> Diagnostic {
        self.at = Place { pointer: std::mem::take(&mut self.at.pointer), file, line, column, cell, pos: None, roster_cell: None };
        self
    }
    pub fn with_citation(mut self, citation: Option<Citation>) -> Self {
        self.citation = citation;
        self
    }
}

/// Escape one JSON Pointer reference token (RFC 6901).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
