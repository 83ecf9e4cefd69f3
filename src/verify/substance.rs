//! A hand-made submission read in substance, not only by file name: its roster through the
//! reader and audits `check` uses, its application form by the labels of its table (the
//! value beside or below each label the policy's `materials.yaml` names), and those figures
//! against the pack's thresholds and against what the roster counts. Each figure says where
//! it was read.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Severity, Text};
use crate::load::source::Source;
use crate::model::{Dossier, Roster};
use crate::policy::{Check, FormFigure, Over, Pack, RosterAudit, RuleSeverity};
use crate::report::FigureRead;

/// What the reading adds to a hand-made submission's report.
#[derive(Default)]
pub struct Substance {
    pub findings: Vec<Diagnostic>,
    pub figures: Vec<FigureRead>,
}

/// Values of one figure, each with its year when the form gives one per year.
type Values = Vec<(Option<i32>, f64)>;

/// Rows of cells, as a table shows them (a paragraph outside a table is a row of one cell).
type Rows = Vec<Vec<String>>;

/// `files` are the submission's files by their path below the top folder; `shown` names the
/// submission in findings.
pub fn read(shown: &str, files: BTreeMap<String, Vec<u8>>, pack: &Pack) -> Substance {
    let mut out = Substance::default();
    let forms: Vec<(String, &crate::policy::Material)> = pack
        .materials
        .iter()
        .filter(|m| !m.figures.is_empty())
        .flat_map(|m| files.keys().filter(move |p| m.matches(p).is_some()).map(move |p| (p.clone(), m)))
        .collect();
    // (path, material, rows, read by layout rather than by cell)
    let mut read_forms = Vec::new();
    for (path, material) in forms {
        let bytes = &files[&path];
        match rows_of(&path, bytes) {
            // A PDF's text comes by layout, not by cell: what it yields is for a person to confirm.
            Some(rows) => read_forms.push((path, material, rows, !crate::load::ooxml::is_zip(bytes))),
            None => out.findings.push(super::submission::finding(
                "zip.form-unread",
                Severity::Warning,
                &format!("{shown}/{path}"),
                format!("“{}”不是 DOCX 或含文字的 PDF，无法按标签读取数据；请人工核对表中数据", material.title),
                format!("“{}” is neither a DOCX nor a PDF with text, so its figures cannot be read by label; check them by hand", material.title_in(crate::lang::Lang::En)),
            )),
        }
    }
    let texts = || files.keys().map(String::as_str).chain(read_forms.iter().flat_map(|(_, _, rows, _)| rows.iter().flatten().map(String::as_str)));
    let chosen = Chosen { tier: named_once(&pack.tiers, texts()), brand_type: named_once(&pack.brand_types, texts()) };
    let tier = chosen.tier.clone();

    // The roster, read and audited as `check` reads it.
    let year = pack.application_year.unwrap_or(0);
    let years = if year > 0 { pack.years_for(year) } else { Vec::new() };
    let mut dossier = Dossier::default();
    dossier.policy.id = pack.id.clone();
    dossier.policy.tier = tier;
    dossier.policy.brand_type = chosen.brand_type.clone();
    dossier.policy.application_year = year;
    dossier.training.rosters = roster_files(&files, pack).into_iter().map(|file| Roster { file, sheet: None }).collect();
    let source = Source::Memory { files, aliases: BTreeMap::new() };
    let mut issues = Vec::new();
    let rosters = crate::rules::roster::load(&dossier, &source, &mut issues);
    for rule in pack.rules.iter().filter(|r| chosen.applies(r)) {
        if let Check::Roster { roster } = &rule.check
            && !matches!(roster, RosterAudit::Consistency)
            && !rosters.is_empty()
        {
            let mut found = crate::rules::audit::run(roster, rule, &rosters, &dossier, &years).issues;
            // A rule of a tier or type the materials do not name is only an advisory.
            if chosen.guessed(rule) {
                found.iter_mut().for_each(|i| i.severity = Severity::Warning);
            }
            issues.extend(found);
        }
    }
    for issue in issues {
        out.findings.push(placed(shown, &dossier, issue));
    }
    let metrics = crate::rules::metrics::Metrics::new(&dossier, years.clone(), &rosters);

    // The forms' figures, against the thresholds and the roster.
    for (path, material, rows, by_layout) in &read_forms {
        let at = format!("{shown}/{path}");
        let first = out.findings.len();
        let mut found = 0;
        for figure in &material.figures {
            let Some((label, values)) = figure_in(rows, figure) else { continue };
            found += 1;
            let values = with_years(values, figure.over, &years);
            let counted = (!rosters.is_empty()).then(|| metrics.measure(&figure.measure, figure.over)).filter(|m| m.source != "declared");
            let is_rate = is_rate(&figure.measure);
            for (year, value) in &values {
                let roster = counted.as_ref().and_then(|m| match year {
                    Some(y) => m.per_year.iter().find(|p| p.year == *y).and_then(|p| p.value),
                    None => m.value,
                });
                let figure_name = match year {
                    Some(y) => format!("{label}（{y}年）"),
                    None => label.clone(),
                };
                let differs = roster.is_some_and(|r| differs(&figure.measure, *value, r));
                if let Some(r) = roster.filter(|_| differs) {
                    let mut f = super::submission::finding(
                        "zip.form-roster-mismatch",
                        Severity::Error,
                        &at,
                        format!("{}所填“{figure_name}”为 {}，名单统计为 {}", material.title, shown_value(*value, is_rate), shown_value(r, is_rate)),
                        format!("“{}” gives {figure_name} as {}, the roster counts {}", material.title_in(crate::lang::Lang::En), shown_value(*value, is_rate), shown_value(r, is_rate)),
                    );
                    f.hint = Some(Text::new(
                        "申报数据须与培训人员名单一致；不一致有“情况不实”的风险",
                        "declared figures must agree with the trainee roster; a mismatch risks being judged untruthful",
                    ));
                    out.findings.push(f);
                }
                out.figures.push(FigureRead {
                    file: path.clone(),
                    label: label.clone(),
                    measure: figure.measure.clone(),
                    year: *year,
                    value: *value,
                    unit: if is_rate { "%" } else { "人" }.to_owned(),
                    roster,
                    differs,
                });
            }
            thresholds(&mut out.findings, pack, &chosen, figure, &label, &values, &at, &material.title);
        }
        if *by_layout {
            for f in &mut out.findings[first..] {
                f.severity = Severity::Warning;
                f.hint = Some(Text::new(
                    "数据按 PDF 的文字版面读取，可能错位；请对照原件核对，或请申报单位提交 DOCX",
                    "figures read from the PDF's text layout may be misaligned; check against the document, or ask for the DOCX",
                ));
            }
        }
        if found == 0 {
            out.findings.push(super::submission::finding(
                "zip.form-unread",
                Severity::Warning,
                &at,
                format!("“{}”中未找到{}等标签，无法读取数据；请人工核对表中数据", material.title, material.figures[0].labels[0]),
                format!("no label such as {} found in “{}”, so its figures cannot be read; check them by hand", material.figures[0].labels[0], material.title_in(crate::lang::Lang::En)),
            ));
        }
    }
    out
}

/// Rates and shares are percentages; the rest are counts of people.
fn is_rate(measure: &str) -> bool {
    measure.contains("rate") || measure.ends_with("share")
}

/// Whether the roster does not bear the form's figure out: a count exactly, a percentage to
/// the half point forms round to.
fn differs(measure: &str, form: f64, roster: f64) -> bool {
    let tolerance = if is_rate(measure) { 0.5 } else { 0.0 };
    (roster - form).abs() > tolerance + 1e-9
}

fn shown_value(v: f64, rate: bool) -> String {
    if rate { format!("{}%", (v * 100.0).round() / 100.0) } else { format!("{v}") }
}

/// The tier and brand type the materials name, where they name exactly one.
struct Chosen {
    tier: Option<String>,
    brand_type: Option<String>,
}

impl Chosen {
    /// A rule for the tier and type named; what is not named does not narrow.
    fn applies(&self, rule: &crate::policy::Rule) -> bool {
        let fits = |named: &Option<String>, list: &[String]| named.as_ref().is_none_or(|n| list.is_empty() || list.contains(n));
        fits(&self.tier, &rule.applies.tiers) && fits(&self.brand_type, &rule.applies.brand_types)
    }

    /// Whether the rule concerns a tier, type or city the materials leave open.
    fn guessed(&self, rule: &crate::policy::Rule) -> bool {
        let a = &rule.applies;
        self.tier.is_none() && !a.tiers.is_empty()
            || self.brand_type.is_none() && !a.brand_types.is_empty()
            || !a.cities.is_empty()
            || !a.cities_except.is_empty()
            || !a.other_branch.is_empty()
    }
}

/// The choice (tier, brand type) whose name the texts contain, when exactly one is named.
fn named_once<'a>(choices: &[crate::policy::Choice], texts: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut named = std::collections::BTreeSet::new();
    for text in texts {
        for c in choices {
            if text.contains(&c.name) {
                named.insert(c.id.clone());
            }
        }
    }
    (named.len() == 1).then(|| named.into_iter().next()).flatten()
}

/// Spreadsheets that the roster material names, or every spreadsheet when none does.
fn roster_files(files: &BTreeMap<String, Vec<u8>>, pack: &Pack) -> Vec<String> {
    let sheets: Vec<&String> = files
        .iter()
        .filter(|(p, b)| {
            let ext = p.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            matches!(ext.as_str(), "xlsx" | "xls" | "csv") && !b.is_empty()
        })
        .map(|(p, _)| p)
        .collect();
    let named: Vec<String> = sheets.iter().filter(|p| pack.materials.iter().any(|m| m.id == "roster" && m.matches(p).is_some())).map(|p| (*p).clone()).collect();
    if named.is_empty() { sheets.into_iter().cloned().collect() } else { named }
}

/// An audit's issue at its roster cell (or at the roster file).
fn placed(shown: &str, dossier: &Dossier, issue: Diagnostic) -> Diagnostic {
    let (file, line, column, cell) = match &issue.at.roster_cell {
        Some(c) => (format!("{shown}/{}", c.file), c.row, c.column, Some(c.cell.clone())),
        None => {
            let file = issue
                .at.pointer
                .strip_prefix("/training/rosters/")
                .and_then(|r| r.split('/').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| dossier.training.rosters.get(i))
                .map_or_else(|| shown.to_owned(), |r| format!("{shown}/{}", r.file));
            (file, 1, 1, None)
        }
    };
    issue.placed(file, line, column, cell)
}

/// The form's rows: a DOCX's tables and paragraphs, or a PDF's text lines split at spaces.
fn rows_of(path: &str, bytes: &[u8]) -> Option<Rows> {
    if crate::load::ooxml::is_zip(bytes) {
        crate::load::ooxml::vet(bytes).ok()?;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        let part = zip.by_name("word/document.xml").ok()?;
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(part, crate::load::ooxml::MAX_PART_BYTES), &mut xml).ok()?;
        return Some(docx_rows(&xml));
    }
    if bytes.starts_with(b"%PDF") || path.to_ascii_lowercase().ends_with(".pdf") {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let pages: Vec<u32> = doc.get_pages().keys().copied().take(50).collect();
        let text = doc.extract_text(&pages).ok()?;
        let rows: Rows = text.lines().map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>()).filter(|r: &Vec<String>| !r.is_empty()).collect();
        return (!rows.is_empty()).then_some(rows);
    }
    None
}

/// Table rows of cells (paragraphs within a cell joined), and paragraphs outside tables.
fn docx_rows(xml: &str) -> Rows {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut rows, mut row, mut cell, mut para) = (Vec::new(), Vec::new(), String::new(), String::new());
    let (mut depth_tc, mut in_t) = (0usize, false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.name().as_ref() {
                "w:tr" => row = Vec::new(),
                "w:tc" => {
                    depth_tc += 1;
                    cell.clear();
                }
                "w:t" => in_t = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.name().as_ref() == "w:tc" => row.push(String::new()),
            Ok(Event::Text(t)) if in_t => {
                let text = t.xml10_content();
                if depth_tc > 0 { cell.push_str(&text) } else { para.push_str(&text) }
            }
            Ok(Event::GeneralRef(r)) if in_t => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    if depth_tc > 0 { cell.push(c) } else { para.push(c) }
                }
            }
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:tc" => {
                    depth_tc = depth_tc.saturating_sub(1);
                    row.push(std::mem::take(&mut cell));
                }
                "w:tr" => rows.push(std::mem::take(&mut row)),
                "w:p" if depth_tc == 0 && !para.trim().is_empty() => rows.push(vec![std::mem::take(&mut para)]),
                "w:p" if depth_tc == 0 => para.clear(),
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    rows
}

/// A label as compared: no spaces or punctuation, half-width.
fn norm(s: &str) -> String {
    s.chars().map(crate::mask::half_width).filter(|c| !c.is_whitespace() && !matches!(c, '。' | '：' | ':' | '、' | '，' | ',' | '（' | '）' | '(' | ')')).collect()
}

/// A number as forms write it: 1607, 1,607, 1607人, 91.2%, ９１.２％.
fn number(s: &str) -> Option<f64> {
    let t: String = s.chars().map(crate::mask::half_width).filter(|c| !c.is_whitespace() && *c != ',').collect();
    let t = t.trim_end_matches(['人', '%', '名', '个']);
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<f64>().ok()
}

/// A year heading: 2021年, 2021年-2022年, 2021—2022年.
fn year_heading(s: &str) -> Option<Vec<i32>> {
    let n = norm(s);
    if !n.contains('年') && n.len() != 4 {
        return None;
    }
    if !n.contains('年') && s.trim().len() != 4 {
        return None;
    }
    let years: Vec<i32> = n.split(|c: char| !c.is_ascii_digit()).filter(|p| p.len() == 4).filter_map(|p| p.parse().ok()).filter(|y| (1990..=2100).contains(y)).collect();
    let rest: String = n.chars().filter(|c| !c.is_ascii_digit() && !matches!(c, '年' | '-' | '—' | '–' | '至' | '~')).collect();
    (!years.is_empty() && rest.is_empty()).then_some(years)
}

/// The label found and its values, each with the year heading above it (if any): the value in
/// the label's own cell, in the cell beside it, or in the first row of numbers below it,
/// aligned from the right (a label row's leading cell is often merged over the rows below).
fn figure_in(rows: &Rows, figure: &FormFigure) -> Option<(String, Values)> {
    let labels: Vec<String> = figure.labels.iter().map(|l| norm(l)).collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let n = norm(cell);
            let Some(label) = labels.iter().find(|l| n.starts_with(l.as_str())) else { continue };
            let shown = figure.labels[labels.iter().position(|l| l == label).unwrap_or(0)].clone();
            let rest: String = n[label.len()..].to_owned();
            if let Some(v) = number(&rest) {
                return Some((shown, vec![(None, v)]));
            }
            let right: Vec<f64> = row[c + 1..].iter().filter(|x| !x.trim().is_empty()).map_while(|x| number(x)).collect();
            if figure.over == Over::Total && !right.is_empty() {
                return Some((shown, vec![(None, right[0])]));
            }
            if figure.over == Over::EachYear && !right.is_empty() {
                // Year headings in the nearest row above that has them.
                let above = rows[..r].iter().rev().take(4).find_map(|row| {
                    let years: Vec<i32> = row.iter().filter_map(|x| year_heading(x)).flatten().collect();
                    (!years.is_empty()).then_some(years)
                });
                let years = above.unwrap_or_default();
                return Some((shown, right.iter().enumerate().map(|(i, v)| (years.get(i).copied(), *v)).collect()));
            }
            // Below: skip year headings, take the first row holding numbers.
            let cells: Vec<&String> = row.iter().filter(|x| !x.trim().is_empty()).collect();
            let from_right = cells.len() - 1 - cells.iter().position(|x| std::ptr::eq(*x, cell)).unwrap_or(0);
            let mut headings: Vec<i32> = row[c + 1..].iter().filter_map(|x| year_heading(x)).flatten().collect();
            for below in rows.iter().skip(r + 1).take(4) {
                let filled: Vec<&String> = below.iter().filter(|x| !x.trim().is_empty()).collect();
                if filled.is_empty() {
                    continue;
                }
                if filled.iter().all(|x| year_heading(x).is_some()) {
                    if headings.is_empty() || figure.over == Over::EachYear {
                        headings = filled.iter().filter_map(|x| year_heading(x)).flatten().collect();
                    }
                    continue;
                }
                let numbers: Vec<f64> = filled.iter().filter_map(|x| number(x)).collect();
                if numbers.len() != filled.len() {
                    break;
                }
                return match figure.over {
                    Over::EachYear => {
                        let n = headings.len().clamp(1, numbers.len());
                        let values = &numbers[numbers.len() - n..];
                        Some((shown, values.iter().enumerate().map(|(i, v)| (headings.get(i).copied(), *v)).collect()))
                    }
                    // Label cells to the right of this one stand over the last values.
                    Over::Total => numbers.len().checked_sub(1 + from_right).map(|i| (shown, vec![(None, numbers[i])])),
                };
            }
        }
    }
    None
}

/// Values per year for `each_year`; a total keeps no year.
fn with_years(values: Values, over: Over, years: &[i32]) -> Values {
    match over {
        Over::Total => values.into_iter().map(|(_, v)| (None, v)).collect(),
        Over::EachYear => values.into_iter().enumerate().map(|(i, (y, v))| (y.or_else(|| years.get(i).copied()), v)).collect(),
    }
}

/// A rule's `employment_rate` takes the six-month rate where there is one (metrics.rs), so a
/// form's six-month rate answers it too.
fn same_measure(rule: &str, form: &str) -> bool {
    rule == form || rule == "employment_rate" && form == "employment_rate_6m"
}

/// The pack's thresholds on this figure. With the tier unknown, a tier's rule the figure
/// fails is an advisory naming the tier; a rule of every tier keeps its severity.
#[allow(clippy::too_many_arguments)]
fn thresholds(out: &mut Vec<Diagnostic>, pack: &Pack, chosen: &Chosen, figure: &FormFigure, label: &str, values: &[(Option<i32>, f64)], at: &str, form: &str) {
    let is_rate = is_rate(&figure.measure);
    for rule in pack.rules.iter().filter(|r| chosen.applies(r)) {
        let Check::Threshold { threshold } = &rule.check else { continue };
        if !same_measure(&threshold.measure, &figure.measure) {
            continue;
        }
        let failing: Vec<&(Option<i32>, f64)> = values.iter().filter(|(_, v)| !threshold.op.holds(*v, threshold.value)).collect();
        if failing.is_empty() {
            continue;
        }
        let guessed = chosen.guessed(rule);
        let severity = if guessed || rule.severity == RuleSeverity::Advisory { Severity::Warning } else { Severity::Error };
        let which: Vec<String> = failing
            .iter()
            .map(|(y, v)| match y {
                Some(y) => format!("{y}年 {}", shown_value(*v, is_rate)),
                None => shown_value(*v, is_rate),
            })
            .collect();
        let condition = if guessed {
            let named: Vec<&str> = rule.applies.tiers.iter().chain(&rule.applies.brand_types).filter_map(|t| pack.tier_name(t)).collect();
            if named.is_empty() {
                "（材料未说明是否适用，若适用）".to_owned()
            } else {
                format!("（未能从材料中确定申报层级或品牌类型；若按{}申报）", named.join("、"))
            }
        } else {
            String::new()
        };
        let mut f = super::submission::finding(
            &rule.id,
            severity,
            at,
            format!("{form}所填“{label}”为 {}，未达到“{}”{condition}", which.join("，"), rule.title),
            format!("“{label}” in the form is {}, short of “{}”{}", which.join(", "), rule.title_in(crate::lang::Lang::En), if guessed { " (if it applies: the materials do not say the tier, type or city)" } else { "" }),
        );
        f.citation = Some(rule.citation.clone());
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yearly_row_is_read_under_its_year_headings() {
        // Liaoning 附件1: 培训情况 | 年份 | 2022 年 | 2023 年, then one row a figure.
        let form = rows(&[&["培训情况", "年份", "2022 年", "2023 年"], &["", "培训人数", "2,150", "2,300"], &["", "培训后就业率", "", ""]]);
        assert_eq!(figure_in(&form, &figure("培训人数", "trainees", Over::EachYear)).unwrap().1, vec![(Some(2022), 2150.0), (Some(2023), 2300.0)]);
        assert!(figure_in(&form, &figure("培训后就业率", "employment_rate", Over::EachYear)).is_none(), "left blank: not read");
    }

    fn figure(label: &str, measure: &str, over: Over) -> FormFigure {
        FormFigure { labels: vec![label.to_owned()], measure: measure.to_owned(), over }
    }

    fn rows(r: &[&[&str]]) -> Rows {
        r.iter().map(|row| row.iter().map(|c| (*c).to_owned()).collect()).collect()
    }

    #[test]
    fn labels_are_read_beside_and_below_aligned_from_the_right() {
        // Dalian 附件1 as the bureau's Word form lays it out.
        let form = rows(&[
            &["负 责 人", "李明", "联系\n电话", "0411-84315568"],
            &["培训规模\n质量情况", "培训人数", "培训合格率"],
            &["", "2021年-2022年", "2021年-2022年"],
            &["", "1,607人", "91.2%"],
            &["", "享受职业培训补贴人数", "订单、定岗、定向式。培训比例"],
            &["", "2021年-2022年", "2021年-2022年"],
            &["", "１０２４", "63.4 %"],
            &["培训后就业创业率", "2021年", "2022年"],
            &["", "82.4%", "84.5%"],
        ]);
        assert_eq!(figure_in(&form, &figure("培训人数", "trainees", Over::Total)).unwrap().1, vec![(None, 1607.0)]);
        assert_eq!(figure_in(&form, &figure("培训合格率", "pass_rate", Over::Total)).unwrap().1, vec![(None, 91.2)]);
        assert_eq!(figure_in(&form, &figure("享受职业培训补贴人数", "subsidised", Over::Total)).unwrap().1, vec![(None, 1024.0)]);
        assert_eq!(figure_in(&form, &figure("订单、定岗、定向式培训比例", "order_directed_share", Over::Total)).unwrap().1, vec![(None, 63.4)]);
        assert_eq!(
            figure_in(&form, &figure("培训后就业创业率", "employment_rate", Over::EachYear)).unwrap().1,
            vec![(Some(2021), 82.4), (Some(2022), 84.5)]
        );
        // Beside, and in the label's own cell.
        let inline = rows(&[&["培训人数：674人"], &["培训合格率", "91.25%"]]);
        assert_eq!(figure_in(&inline, &figure("培训人数", "trainees", Over::Total)).unwrap().1, vec![(None, 674.0)]);
        assert_eq!(figure_in(&inline, &figure("培训合格率", "pass_rate", Over::Total)).unwrap().1, vec![(None, 91.25)]);
        assert!(figure_in(&inline, &figure("享受职业培训补贴人数", "subsidised", Over::Total)).is_none());
    }

    #[test]
    fn docx_cells_and_paragraphs_become_rows() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>申报表</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>培训</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">人数</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1607</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(docx_rows(xml), rows(&[&["申报表"], &["培训人数", "1607"]]));
    }
}
