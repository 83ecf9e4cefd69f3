//! Check results for people (rustc-style text) and machines (JSON); CI formats live in their
//! own modules: `sarif`, `github`, `junit`; `many` handles several dossiers in one call.

pub mod catalogue;
pub mod github;
pub mod junit;
mod location;
pub mod many;
pub mod sarif;
pub mod xml;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::diag::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::load::LoadError;
use crate::rules::metrics::Measured;
use crate::rules::outcomes::{Outcome, Status};
use crate::rules::score::Score;
use crate::rules::{Checked, PolicyInfo};

/// The verdicts `verify` gives a submission; reports carry them as text.
pub const ACCEPTED: &str = "受理";
pub const ADVISORIES: &str = "受理但有提示";
pub const RETURNED: &str = "退回";
/// Nothing blocks, but the tool cannot vouch for the content (hand-made, or another version).
pub const REVIEW: &str = "需人工审核";

pub const TOOL: &str = "dossier";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub dossier: String,
    pub policy: Option<PolicyInfo>,
    /// True when nothing blocks submission.
    pub ok: bool,
    /// False when the dossier could not be read at all (exit code 2).
    pub ran: bool,
    /// True when the user asked (`--unmasked`) to see ID and mobile numbers in full.
    pub unmasked: bool,
    pub summary: Summary,
    pub findings: Vec<Diagnostic>,
    /// Every policy rule's verdict.
    pub outcomes: Vec<Outcome>,
    /// Every figure the rules used, with how it was derived.
    pub metrics: BTreeMap<String, Measured>,
    pub score: Option<Score>,
    /// For `verify`: 受理 (accepted), 受理但有提示 (accepted with advisories) or 退回 (returned).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// For `verify`: the applicant and brand of the submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// For `verify` of a hand-made zip: each file, its type and the material it was matched to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inventory: Vec<InventoryItem>,
    /// For `verify` of a hand-made zip: the figures read from its forms by their labels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureRead>,
    /// For `verify`: what only the bureau's own files show, in full (never printed).
    #[serde(skip)]
    pub bureau: Option<BureauFacts>,
    /// The language every text is written in (`in_lang`).
    #[serde(skip)]
    pub lang: Lang,
    /// Advisories left out (`check --errors-only`); the summary still counts them.
    #[serde(skip_serializing_if = "is_zero")]
    pub warnings_hidden: usize,
    /// Of those, the 待填写 placeholders.
    #[serde(skip)]
    pub placeholders_hidden: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The applicant as the bureau's summary lists it: full contact data, tier and type by name.
#[derive(Debug, Clone, Default)]
pub struct BureauFacts {
    pub credit_code: String,
    pub contact: String,
    pub phone: String,
    pub tier: String,
    pub brand_type: String,
}

/// One file of a hand-made submission.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryItem {
    pub path: String,
    /// By magic bytes: pdf, docx, xlsx, jpeg, rar, …
    #[serde(rename = "type")]
    pub code: String,
    /// The type in Chinese (PDF 文档, JPEG 图片, …).
    pub kind: String,
    /// The policy's material it was matched to, by id and title; none is 未匹配.
    pub material_id: Option<String>,
    pub material: Option<String>,
}

/// One figure of a hand-made submission's form: where it was read, under which label, and
/// what the roster counts for it (when a roster was read and can count it).
#[derive(Debug, Clone, Serialize)]
pub struct FigureRead {
    pub file: String,
    pub label: String,
    pub measure: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    pub value: f64,
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<f64>,
    /// The roster does not bear the figure out (zip.form-roster-mismatch).
    #[serde(skip)]
    pub differs: bool,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Report {
    pub fn from_checked(dossier: String, checked: &Checked) -> Report {
        let errors = checked.blocking();
        Report {
            tool: TOOL,
            version: VERSION,
            dossier,
            policy: checked.policy.clone(),
            ok: errors == 0,
            ran: true,
            unmasked: false,
            summary: Summary { errors, warnings: checked.findings.len() - errors },
            findings: checked.findings.clone(),
            outcomes: checked.outcomes.clone(),
            metrics: checked.metrics.clone(),
            score: checked.score.clone(),
            verdict: None,
            subject: None,
            inventory: Vec::new(),
            figures: Vec::new(),
            bureau: None,
            lang: Lang::Zh,
            warnings_hidden: 0,
            placeholders_hidden: 0,
        }
    }

    pub fn from_load_error(dossier: String, e: &LoadError) -> Report {
        let mut report = Report::of_findings(dossier, vec![e.finding()]);
        report.ran = false;
        report
    }

    /// A report holding only these findings (no policy evaluation): load errors, refused zips.
    pub fn of_findings(dossier: String, findings: Vec<Diagnostic>) -> Report {
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        Report {
            tool: TOOL,
            version: VERSION,
            dossier,
            policy: None,
            ok: errors == 0,
            ran: true,
            unmasked: false,
            summary: Summary { errors, warnings: findings.len() - errors },
            findings,
            outcomes: Vec::new(),
            metrics: BTreeMap::new(),
            score: None,
            verdict: None,
            subject: None,
            inventory: Vec::new(),
            figures: Vec::new(),
            bureau: None,
            lang: Lang::Zh,
            warnings_hidden: 0,
            placeholders_hidden: 0,
        }
    }

    /// The report in `lang`: every text is a `Text` and is written in `lang` by each output
    /// format (JSON field names stay the same); nothing is swapped.
    pub fn in_lang(mut self, lang: Lang) -> Report {
        self.lang = lang;
        self
    }

    /// The Chinese report alone: the English texts dropped, for batches whose output is Chinese
    /// (a province's batch keeps thousands of reports until the batch rules have run).
    pub fn without_english(mut self) -> Report {
        for f in &mut self.findings {
            f.message.zh_only();
            if let Some(h) = &mut f.hint {
                h.zh_only();
            }
        }
        for o in &mut self.outcomes {
            for t in [&mut o.title, &mut o.required, &mut o.actual] {
                t.zh_only();
            }
        }
        if let Some(p) = &mut self.policy {
            p.title.zh_only();
        }
        if let Some(score) = &mut self.score {
            score.title.zh_only();
            for line in score.items.iter_mut().chain(score.bonus.iter_mut()) {
                for t in [&mut line.title, &mut line.group, &mut line.basis] {
                    t.zh_only();
                }
            }
        }
        for m in self.metrics.values_mut() {
            m.derivation.zh_only();
        }
        self
    }

    /// ID and mobile numbers masked in every message and hint.
    /// Only the blocking findings (`check --errors-only`): the first run of a skeleton lists
    /// every 待填写 as an advisory.
    pub fn errors_only(mut self) -> Report {
        let before = self.findings.len();
        self.placeholders_hidden = self.findings.iter().filter(|f| f.rule == "placeholder.unfilled").count();
        self.findings.retain(|f| f.severity == Severity::Error);
        self.warnings_hidden = before - self.findings.len();
        self
    }

    pub fn masked(mut self) -> Report {
        for f in &mut self.findings {
            f.message = f.message.map(crate::mask::text);
            f.hint = f.hint.as_ref().map(|h| h.map(crate::mask::text));
        }
        for item in &mut self.inventory {
            item.path = crate::mask::text(&item.path);
        }
        self.unmasked = false;
        self
    }

    pub fn exit_code(&self) -> i32 {
        if !self.ran {
            2
        } else if self.ok {
            0
        } else {
            1
        }
    }

    pub fn to_json(&self) -> String {
        let json = crate::diag::in_lang(self.lang, || serde_json::to_string_pretty(self)).expect("report serialises") + "\n";
        if self.unmasked { json } else { crate::mask::text(&json) }
    }

    /// rustc-style text: each finding with its source line and a caret under the value.
    pub fn to_text(&self, source: Option<&str>) -> String {
        let mut out = String::new();
        let lang = self.lang;
        if self.warnings_hidden > 0 {
            let placeholders = self.placeholders_hidden;
            let _ = match lang {
                Lang::Zh => writeln!(
                    out,
                    "{}：错误 {}，提示 {}{}；以下只列出错误（去掉 --errors-only 可查看全部提示）\n",
                    self.dossier,
                    self.summary.errors,
                    self.summary.warnings,
                    if placeholders > 0 { format!("（其中 {placeholders} 处待填写）") } else { String::new() }
                ),
                Lang::En => writeln!(
                    out,
                    "{}: {} errors, {} warnings{}; only the errors are listed below (drop --errors-only to see the warnings)\n",
                    self.dossier,
                    self.summary.errors,
                    self.summary.warnings,
                    if placeholders > 0 { format!(" ({placeholders} placeholders to fill in)") } else { String::new() }
                ),
            };
        }
        for f in &self.findings {
            render_finding(&mut out, f, source, self.unmasked, lang);
        }
        render_inventory(&mut out, &self.inventory, lang);
        render_figures(&mut out, &self.figures, lang);
        render_thresholds(&mut out, &self.outcomes, lang);
        if let Some(score) = &self.score {
            render_score(&mut out, score, lang);
        }
        let verdict = if let Some(v) = self.verdict.as_deref() {
            // verify: the bureau's decision, 受理 / 受理但有提示 / 退回.
            let en = match v {
                ACCEPTED => "accepted",
                ADVISORIES => "accepted with advisories",
                REVIEW => "needs manual review",
                _ => "returned",
            };
            if lang.is_en() { en } else { v }
        } else if !self.ran {
            lang.pick("无法检查", "could not be checked")
        } else if self.ok {
            lang.pick("通过：没有阻止提交的问题", "passed: nothing blocks submission")
        } else {
            lang.pick("未通过：有阻止提交的问题", "failed: problems block submission")
        };
        if lang.is_en() {
            let policy = self.policy.as_ref().map_or_else(String::new, |p| format!(" ({})", p.title.get(lang)));
            let _ = writeln!(
                out,
                "{}{policy}: {verdict} ({} errors, {} warnings)",
                self.dossier, self.summary.errors, self.summary.warnings
            );
        } else {
            let policy = self.policy.as_ref().map_or_else(String::new, |p| format!("（{}）", p.title));
            let _ = writeln!(
                out,
                "{}{policy}：{verdict}（错误 {}，提示 {}）",
                self.dossier, self.summary.errors, self.summary.warnings
            );
        }
        out
    }
}

/// A hand-made zip's files: path, type, material (or 未匹配).
fn render_inventory(out: &mut String, items: &[InventoryItem], lang: Lang) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", lang.pick("提交件清单：", "Files in the submission:"));
    for item in items {
        let kind = if lang.is_en() { item.code.as_str() } else { item.kind.as_str() };
        let material = match (&item.material, lang.is_en()) {
            (Some(m), false) => m.clone(),
            (Some(m), true) => format!("“{m}”"),
            (None, false) => "未匹配".to_owned(),
            (None, true) => "unmatched".to_owned(),
        };
        let _ = writeln!(out, "  {}  [{kind}]  → {material}", item.path);
    }
    out.push('\n');
}

/// A hand-made zip's figures as read: label, value, where, and the roster's count.
fn render_figures(out: &mut String, figures: &[FigureRead], lang: Lang) {
    if figures.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", lang.pick("表中数据（按标签读取）：", "Figures read from the forms by label:"));
    for f in figures {
        let value = if f.unit == "%" { format!("{}%", f.value) } else { f.value.to_string() };
        let roster = |r: f64| if f.unit == "%" { format!("{r:.2}%") } else { lang.pick(&format!("{r} 人"), &r.to_string()).to_owned() };
        let _ = match lang {
            Lang::Zh => writeln!(
                out,
                "  {}{}：{value}{}（{}）{}",
                f.label,
                f.year.map(|y| format!("（{y}年）")).unwrap_or_default(),
                if f.unit == "%" { "" } else { " 人" },
                f.file,
                f.roster.map(|r| format!("；名单统计 {}", roster(r))).unwrap_or_default()
            ),
            Lang::En => writeln!(
                out,
                "  {}{}: {value} ({}){}",
                f.label,
                f.year.map(|y| format!(" ({y})")).unwrap_or_default(),
                f.file,
                f.roster.map(|r| format!("; roster {}", roster(r))).unwrap_or_default()
            ),
        };
    }
    out.push('\n');
}

/// A finding's message with its hint and citation, for formats that show one text per finding.
pub(crate) fn detail(f: &Diagnostic, lang: Lang) -> String {
    let mut s = f.message.get(lang).to_owned();
    if let Some(hint) = &f.hint {
        let hint = hint.get(lang);
        let _ = write!(s, "\n{}{hint}", lang.pick("提示：", "Hint: "));
    }
    if let Some(c) = &f.citation {
        let _ = write!(s, "\n{}", citation_line(c, lang));
    }
    s
}

/// "依据：seed clause：“quote”" — the quote stays in the source's words.
pub(crate) fn citation_line(c: &crate::diag::Citation, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("依据：{}：“{}”", c.source(), c.quote),
        Lang::En => format!("Source: {}: “{}”", c.source(), c.quote),
    }
}

fn pad_to(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// A small table of the threshold rules: figure, required, actual, verdict.
fn render_thresholds(out: &mut String, outcomes: &[Outcome], lang: Lang) {
    let rows: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == "threshold" || o.kind == "relaxation").collect();
    if rows.is_empty() {
        return;
    }
    let title_w = rows.iter().map(|o| UnicodeWidthStr::width(o.title.get(lang))).max().unwrap_or(0).min(60);
    let (req_label, act_label) = (lang.pick("要求", "Required"), lang.pick("实际", "Actual"));
    let req_w = rows.iter().map(|o| UnicodeWidthStr::width(o.required.get(lang))).max().unwrap_or(0).max(UnicodeWidthStr::width(req_label));
    let act_w = rows.iter().map(|o| UnicodeWidthStr::width(o.actual.get(lang))).max().unwrap_or(0).max(UnicodeWidthStr::width(act_label));
    let _ = writeln!(
        out,
        "{}  {}  {}  {}",
        pad_to(lang.pick("指标", "Figure"), title_w),
        pad_to(req_label, req_w),
        pad_to(act_label, act_w),
        lang.pick("结果", "Result")
    );
    for o in rows {
        let mark = match o.status {
            Status::Pass => "✓",
            Status::Notice => "·",
            _ => "✗",
        };
        let _ = writeln!(
            out,
            "{}  {}  {}  {mark} {}",
            pad_to(o.title.get(lang), title_w),
            pad_to(o.required.get(lang), req_w),
            pad_to(o.actual.get(lang), act_w),
            o.status.label(lang)
        );
    }
    out.push('\n');
}

fn render_score(out: &mut String, score: &Score, lang: Lang) {
    let n = |v: f64| crate::rules::outcomes::format_number(v);
    let (computed, claimed, sum, max, bonus, total) = (
        n(score.computed),
        n(score.claimed),
        n(score.computed + score.claimed),
        n(score.max),
        n(score.bonus_total),
        n(score.total),
    );
    let _ = match lang {
        Lang::Zh => writeln!(
            out,
            "{}：计算得分 {computed} + 自评得分 {claimed} = {sum}（满分 {max}），加分 {bonus}，合计 {total}",
            score.title
        ),
        Lang::En => writeln!(
            out,
            "{}: computed {computed} + self-assessed {claimed} = {sum} (out of {max}), bonus {bonus}, total {total}",
            score.title.get(lang)
        ),
    };
    out.push('\n');
}

fn render_finding(out: &mut String, f: &Diagnostic, source: Option<&str>, unmasked: bool, lang: Lang) {
    let shown = |s: &str| if unmasked { s.to_owned() } else { crate::mask::text(s) };
    let _ = writeln!(out, "{}[{}]: {}", f.severity.label(lang), f.rule, shown(f.message.get(lang)));
    let gutter = f.at.line.to_string().len();
    let pad = " ".repeat(gutter);
    if let Some(cell) = &f.at.cell {
        let _ = writeln!(out, "{pad}--> {}:{cell}", f.at.file);
    } else {
        let _ = writeln!(out, "{pad}--> {}:{}:{}", f.at.file, f.at.line, f.at.column);
    }
    let source = if f.at.cell.is_some() { None } else { source };
    if let Some(line) = source.and_then(|s| s.lines().nth(f.at.line.saturating_sub(1))) {
        let (line, column) = excerpt(&shown(line.trim_end_matches('\r')), f.at.column);
        let before: String = line.chars().take(column.saturating_sub(1)).collect();
        let token = token_at(&line, column);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", f.at.line, line);
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(UnicodeWidthStr::width(before.as_str())),
            "^".repeat(UnicodeWidthStr::width(token).max(1))
        );
    }
    if let Some(hint) = &f.hint {
        // A hint's further lines (a library's original words) are detail lines of their own.
        let hint = hint.get(lang).replace('\n', &format!("\n{pad} = "));
        let _ = writeln!(out, "{pad} = {}{hint}", lang.pick("提示：", "hint: "));
    }
    if let Some(c) = &f.citation {
        let _ = writeln!(out, "{pad} = {}", citation_line(c, lang));
    }
    out.push('\n');
}

/// Long lines (minified or hostile input) are cut to a window around the column.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const WINDOW: usize = 60;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= 2 * WINDOW {
        return (line.to_owned(), column);
    }
    let start = column.saturating_sub(WINDOW / 2).min(chars.len());
    let end = (start + WINDOW).min(chars.len());
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < chars.len() { "…" } else { "" };
    let text: String = chars[start..end].iter().collect();
    (format!("{prefix}{text}{suffix}"), column - start + prefix.chars().count())
}

/// The value text starting at a 1-based column: a quoted string, or up to a comment or key colon.
fn token_at(line: &str, column: usize) -> &str {
    let start = line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        return rest[1..].find(q).map_or(rest, |end| &rest[..end + 2]);
    }
    let end = [rest.find(" #"), rest.find(": "), rest.strip_suffix(':').map(str::len)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::token_at;

    #[test]
    fn tokens() {
        assert_eq!(token_at("    passed: 1200  # note", 13), "1200");
        assert_eq!(token_at("  name: \"大连 xx\" # c", 9), "\"大连 xx\"");
        assert_eq!(token_at("  training:", 3), "training");
        assert_eq!(token_at("  - year: 2020", 5), "year");
    }
}
