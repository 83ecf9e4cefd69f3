//! A finding: one rule's verdict on one place in the dossier.

use serde::Serialize;

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
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
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

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// JSON Pointer into the dossier ("" for the document root).
    pub pointer: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// For findings in a spreadsheet: "Sheet1!D17" (line and column are row and column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// The English message and hint (`--lang en`), same data as the Chinese ones.
    #[serde(skip)]
    pub message_en: Option<String>,
    #[serde(skip)]
    pub hint_en: Option<String>,
}

/// A place in a file other than dossier.yaml: a roster cell.
#[derive(Debug, Clone)]
pub struct CellAt {
    pub file: String,
    pub cell: String,
    pub row: usize,
    pub column: usize,
}

/// A finding before it is placed: rules speak in JSON Pointers, the loader knows positions.
#[derive(Debug, Clone)]
pub struct Issue {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub pointer: String,
    pub hint: Option<String>,
    pub message_en: Option<String>,
    pub hint_en: Option<String>,
    pub citation: Option<Citation>,
    /// Explicit position, for places no pointer names (a duplicate key).
    pub at: Option<Pos>,
    /// A roster cell, for findings outside dossier.yaml.
    pub cell: Option<CellAt>,
}

impl Issue {
    pub fn error(rule: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { rule: rule.into(), severity: Severity::Error, message: message.into(), pointer: pointer.into(), hint: None, message_en: None, hint_en: None, citation: None, at: None, cell: None }
    }
    pub fn warning(rule: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { severity: Severity::Warning, ..Issue::error(rule, pointer, message) }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The English message (`--lang en`).
    pub fn en(mut self, message: impl Into<String>) -> Self {
        self.message_en = Some(message.into());
        self
    }
    /// The English hint (`--lang en`).
    pub fn hint_en(mut self, hint: impl Into<String>) -> Self {
        self.hint_en = Some(hint.into());
        self
    }
    /// Chinese and English hint at once.
    pub fn hints(self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.with_hint(zh).hint_en(en)
    }
    pub fn at(mut self, pos: Pos) -> Self {
        self.at = Some(pos);
        self
    }
    pub fn in_cell(mut self, cell: CellAt) -> Self {
        self.cell = Some(cell);
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
