//! `verify --report FILE.html`: one self-contained review report for a batch — summary table,
//! inline SVG charts comparing the submissions, and a scorecard per submission. No scripts, no
//! external fonts or styles: it opens offline on a bureau's Windows machine and prints.

use std::path::Path;

use serde::Serialize;

use crate::diag::Severity;
use crate::policy::{Check, Registry};
use crate::report::Report;
use crate::rules::outcomes::{Status, format_number};

const TEMPLATE: &str = include_str!("../../templates/verify/report.html");

#[derive(Serialize)]
struct View {
    date: String,
    tool_version: &'static str,
    total: usize,
    accepted: usize,
    advisories: usize,
    review: usize,
    returned: usize,
    rows: Vec<Row>,
    charts: Vec<Chart>,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct Row {
    rank: usize,
    anchor: String,
    zip: String,
    subject: String,
    policy: String,
    tier: String,
    verdict: String,
    verdict_class: &'static str,
    score: String,
    trainees: String,
    pass_rate: String,
    employment_rate: String,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Chart {
    title: String,
    note: String,
    svg: String,
}

#[derive(Serialize)]
struct Card {
    anchor: String,
    rank: usize,
    subject: String,
    zip: String,
    policy: String,
    verdict: String,
    verdict_class: &'static str,
    outcomes: Vec<OutcomeRow>,
    score: Option<ScoreView>,
    findings: Vec<FindingRow>,
    inventory: Vec<crate::report::InventoryItem>,
    figures: Vec<FigureRow>,
}

/// A figure read from a hand-made form, beside what the roster counts.
#[derive(Serialize)]
struct FigureRow {
    label: String,
    value: String,
    file: String,
    roster: String,
    differs: bool,
}

#[derive(Serialize)]
struct OutcomeRow {
    title: String,
    required: String,
    actual: String,
    status: &'static str,
    class: &'static str,
    blocking: bool,
    clause: String,
}

#[derive(Serialize)]
struct ScoreView {
    title: String,
    total: String,
    max: String,
    computed: String,
    claimed: String,
    bonus: String,
    items: Vec<ScoreRow>,
}

#[derive(Serialize)]
struct ScoreRow {
    id: String,
    group: String,
    title: String,
    points: String,
    max: String,
    method: &'static str,
    basis: String,
}

#[derive(Serialize)]
struct FindingRow {
    severity: &'static str,
    class: &'static str,
    rule: String,
    message: String,
    place: String,
    hint: String,
    clause: String,
}

fn verdict_class(verdict: &str) -> &'static str {
    match verdict {
        super::submission::ACCEPTED => "ok",
        super::submission::ADVISORIES | super::submission::REVIEW => "warn",
        _ => "bad",
    }
}

fn zip_name(r: &Report) -> String {
    super::summary::figures(r).zip
}

/// The rate a chart shows for one submission, and the threshold its own tier and type must reach.
struct Rate {
    value: f64,
    threshold: Option<f64>,
}

/// The first threshold rule applied to this submission whose measure `wanted` accepts, with
/// the submission's figure for it.
fn rate(r: &Report, registry: &Registry, wanted: impl Fn(&str) -> bool) -> Option<Rate> {
    let pack = registry.get(&r.policy.as_ref()?.id)?;
    for rule in &pack.rules {
        let Check::Threshold { threshold } = &rule.check else {
            continue;
        };
        if !wanted(&threshold.measure) || !r.outcomes.iter().any(|o| o.rule == rule.id) {
            continue;
        }
        let over = match threshold.over {
            crate::policy::Over::Total => "total",
            crate::policy::Over::EachYear => "each_year",
        };
        let value = r
            .metrics
            .get(&format!("{}.{over}", threshold.measure))
            .and_then(|m| m.value)?;
        return Some(Rate {
            value,
            threshold: Some(threshold.value),
        });
    }
    None
}

fn is_pass_rate(m: &str) -> bool {
    m == "pass_rate"
}

fn is_employment_rate(m: &str) -> bool {
    m.contains("employment_rate")
}

fn percent(v: Option<&Rate>) -> String {
    v.map_or(String::new(), |r| format!("{:.1}%", r.value))
}

/// Pass and employment rate of each submission, against its thresholds, looked up once for
/// the table and the charts.
fn rates(ranked: &[&Report], registry: &Registry) -> Vec<[Option<Rate>; 2]> {
    ranked.iter().map(|r| [rate(r, registry, is_pass_rate), rate(r, registry, is_employment_rate)]).collect()
}

pub fn write(path: &Path, reports: &[Report], registry: &Registry) -> Result<(), String> {
    let html = render(reports, registry, &review_date())?;
    crate::atomic_write(path, html.as_bytes())
}

/// SOURCE_DATE_EPOCH when set (reproducible output), else today, in China's time zone.
fn review_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = crate::rules::codes::civil_from_days((secs + 8 * 3600).div_euclid(86_400));
    format!("{y}年{m}月{d}日")
}

pub fn render(reports: &[Report], registry: &Registry, date: &str) -> Result<String, String> {
    let ranked = super::summary::ranked(reports);
    let count = |v: &str| {
        reports
            .iter()
            .filter(|r| r.verdict.as_deref() == Some(v))
            .count()
    };
    let rates = rates(&ranked, registry);
    let mut rows = Vec::new();
    let mut cards = Vec::new();
    for (i, (r, [_, employment])) in ranked.iter().zip(&rates).enumerate() {
        let anchor = format!("s{}", i + 1);
        let verdict = r.verdict.clone().unwrap_or_default();
        let subject = r.subject.clone().unwrap_or_else(|| "（无法读取申报数据）".to_owned());
        let f = super::summary::figures(r);
        rows.push(Row {
            rank: i + 1,
            anchor: anchor.clone(),
            zip: f.zip,
            subject: subject.clone(),
            policy: f.policy,
            tier: f.tier,
            verdict: verdict.clone(),
            verdict_class: verdict_class(&verdict),
            score: f.score,
            trainees: f.trainees,
            pass_rate: f.pass_rate,
            employment_rate: percent(employment.as_ref()),
            errors: r.summary.errors,
            warnings: r.summary.warnings,
        });
        cards.push(card(r, registry, anchor, i + 1, subject, verdict));
    }
    let view = View {
        date: date.to_owned(),
        tool_version: env!("CARGO_PKG_VERSION"),
        total: reports.len(),
        accepted: count(super::submission::ACCEPTED),
        advisories: count(super::submission::ADVISORIES),
        review: count(super::submission::REVIEW),
        returned: count(super::submission::RETURNED),
        charts: charts(&ranked, &rates),
        rows,
        cards,
    };
    let mut tera = tera::Tera::default();
    tera.add_raw_template("report.html", TEMPLATE)
        .map_err(|e| format!("报告模板错误：{e}"))?;
    let ctx = tera::Context::from_serialize(&view).map_err(|e| format!("报告数据错误：{e}"))?;
    tera.render("report.html", &ctx)
        .map_err(|e| format!("报告渲染错误：{e}"))
}

fn card(
    r: &Report,
    registry: &Registry,
    anchor: String,
    rank: usize,
    subject: String,
    verdict: String,
) -> Card {
    let pack = r.policy.as_ref().and_then(|p| registry.get(&p.id));
    let cite = |c: &crate::diag::Citation| {
        pack.map_or_else(|| format!("{} {}", c.seed, c.clause), |p| p.cite(c))
    };
    let clause_of = |rule: &str| {
        pack.and_then(|p| p.rules.iter().find(|x| x.id == rule))
            .map_or(String::new(), |x| cite(&x.citation))
    };
    let outcomes = r
        .outcomes
        .iter()
        .filter(|o| o.status != Status::NotApplicable)
        .map(|o| OutcomeRow {
            title: o.title.zh.clone(),
            required: o.required.zh.clone(),
            actual: o.actual.zh.clone(),
            status: o.status.label_zh(),
            class: match o.status {
                Status::Pass => "ok",
                Status::Fail if o.severity == crate::policy::RuleSeverity::Blocking => "bad",
                Status::Fail | Status::Relaxed | Status::Unknown => "warn",
                Status::Notice | Status::NotApplicable => "",
            },
            blocking: o.severity == crate::policy::RuleSeverity::Blocking,
            clause: clause_of(&o.rule),
        })
        .collect();
    let score = r.score.as_ref().map(|s| ScoreView {
        title: s.title.zh.clone(),
        total: format_number(s.total),
        max: format_number(s.max),
        computed: format_number(s.computed),
        claimed: format_number(s.claimed),
        bonus: format_number(s.bonus_total),
        items: s
            .items
            .iter()
            .chain(&s.bonus)
            .map(|l| ScoreRow {
                id: l.id.clone(),
                group: l.group.zh.clone(),
                title: l.title.zh.clone(),
                points: format_number(l.points),
                max: format_number(l.max),
                method: match l.method {
                    crate::policy::Method::Computed => "按数据计算",
                    crate::policy::Method::Claimed => "自评",
                },
                basis: l.basis.zh.clone(),
            })
            .collect(),
    });
    let findings = r
        .findings
        .iter()
        .map(|f| FindingRow {
            severity: f.severity.label_zh(),
            class: if f.severity == Severity::Error {
                "bad"
            } else {
                "warn"
            },
            rule: f.rule.clone(),
            message: f.message.get(r.lang).to_owned(),
            place: match &f.at.cell {
                Some(cell) => format!("{}:{cell}", short_file(&f.at.file)),
                None if f.at.pointer.is_empty() && f.at.line <= 1 => short_file(&f.at.file),
                None => format!("{}:{}:{}", short_file(&f.at.file), f.at.line, f.at.column),
            },
            hint: f.hint.as_ref().map(|h| h.get(r.lang).to_owned()).unwrap_or_default(),
            clause: f.citation.as_ref().map_or(String::new(), cite),
        })
        .collect();
    Card {
        anchor,
        rank,
        subject,
        zip: zip_name(r),
        policy: r.policy.as_ref().map_or(String::new(), |p| {
            format!("{}（{} 版）", p.title, p.version)
        }),
        verdict: verdict.clone(),
        verdict_class: verdict_class(&verdict),
        outcomes,
        score,
        findings,
        inventory: r.inventory.clone(),
        figures: r
            .figures
            .iter()
            .map(|f| {
                let shown = |v: f64| if f.unit == "%" { format!("{:.2}%", v) } else { format!("{v} 人") };
                FigureRow {
                    label: match f.year {
                        Some(y) => format!("{}（{y}年）", f.label),
                        None => f.label.clone(),
                    },
                    value: shown(f.value),
                    file: f.file.clone(),
                    roster: f.roster.map(shown).unwrap_or_else(|| "—".to_owned()),
                    differs: f.differs,
                }
            })
            .collect(),
    }
}

/// A finding's file inside the zip, without the folder the zip was found in.
fn short_file(file: &str) -> String {
    match file.split_once(".zip:") {
        Some((zip, inner)) => format!(
            "{}.zip:{inner}",
            zip.rsplit(['/', '\\']).next().unwrap_or(zip)
        ),
        None => file.rsplit(['/', '\\']).next().unwrap_or(file).to_owned(),
    }
}

/// A bar's label: the brand (the part of the subject in its last （）), with the zip's name
/// where two submissions carry the same brand.
fn labels(ranked: &[&Report]) -> std::collections::HashMap<String, String> {
    let brand = |r: &Report| match &r.subject {
        Some(s) => s.rsplit_once('（').map_or(s.clone(), |(_, b)| b.trim_end_matches('）').to_owned()),
        None => zip_name(r),
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in ranked {
        *seen.entry(brand(r)).or_default() += 1;
    }
    ranked
        .iter()
        .map(|r| {
            let b = brand(r);
            let label = if seen[&b] > 1 { format!("{b}（{}）", zip_name(r)) } else { b };
            (r.dossier.clone(), label)
        })
        .collect()
}

fn charts(ranked: &[&Report], rates: &[[Option<Rate>; 2]]) -> Vec<Chart> {
    let names = labels(ranked);
    let label = |r: &Report| names.get(&r.dossier).cloned().unwrap_or_else(|| zip_name(r));
    let scored: Vec<Bar> = ranked
        .iter()
        .filter_map(|r| {
            let s = r.score.as_ref()?;
            Some(Bar {
                label: label(r),
                value: s.total,
                mark: None,
                class: verdict_class(r.verdict.as_deref().unwrap_or("")),
            })
        })
        .collect();
    let max_score = ranked
        .iter()
        .filter_map(|r| r.score.as_ref())
        .map(|s| s.max + s.bonus.iter().map(|b| b.max).sum::<f64>())
        .fold(0.0, f64::max);
    let mut out = Vec::new();
    if !scored.is_empty() {
        out.push(Chart {
            title: "评估得分".to_owned(),
            note: "按得分排序；颜色为审核意见（绿：受理，黄：受理但有提示，红：退回）".to_owned(),
            svg: bar_chart(&scored, max_score.max(1.0), ""),
        });
    }
    for (which, title) in ["培训合格（取证）率", "就业率"].into_iter().enumerate() {
        let bars: Vec<Bar> = ranked
            .iter()
            .zip(rates)
            .filter_map(|(r, rates)| {
                let rate = rates[which].as_ref()?;
                let class = match rate.threshold {
                    Some(t) if rate.value + 1e-9 < t => "bad",
                    _ => "ok",
                };
                Some(Bar { label: label(r), value: rate.value, mark: rate.threshold, class })
            })
            .collect();
        if !bars.is_empty() {
            out.push(Chart {
                title: title.to_owned(),
                note:
                    "竖线为该申报所适用的门槛（按其层级或类型；逐年考核的取最低一年）；红色为未达到"
                        .to_owned(),
                svg: bar_chart(&bars, 100.0, "%"),
            });
        }
    }
    out
}

struct Bar {
    label: String,
    value: f64,
    /// A threshold drawn across the bar.
    mark: Option<f64>,
    class: &'static str,
}

/// The axis end at or above `max`, and a round step that cuts it into at most six parts.
fn nice_axis(max: f64) -> (f64, f64) {
    let magnitude = 10f64.powf(max.max(1e-9).log10().floor());
    let step = [0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| (max / step).ceil() <= 6.0)
        .unwrap_or(magnitude * 10.0);
    ((max / step - 1e-9).ceil() * step, step)
}

/// Horizontal bars, one per submission, with an axis and optional threshold marks.
fn bar_chart(bars: &[Bar], max: f64, unit: &str) -> String {
    const LABEL_W: f64 = 250.0;
    const PLOT_W: f64 = 420.0;
    const ROW_H: f64 = 22.0;
    const TOP: f64 = 8.0;
    const AXIS_H: f64 = 24.0;
    let (max, step) = nice_axis(max);
    let height = TOP + ROW_H * bars.len() as f64 + AXIS_H;
    let width = LABEL_W + PLOT_W + 70.0;
    let x = |v: f64| LABEL_W + PLOT_W * (v / max).clamp(0.0, 1.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">"#
    );
    let bottom = TOP + ROW_H * bars.len() as f64;
    for i in 0..=(max / step).round() as i32 {
        let v = step * f64::from(i);
        let gx = x(v);
        svg.push_str(&format!(
            r##"<line x1="{gx:.1}" y1="{TOP}" x2="{gx:.1}" y2="{bottom:.1}" stroke="#e0e0e0"/><text x="{gx:.1}" y="{:.1}" class="axis" text-anchor="middle">{}{unit}</text>"##,
            bottom + 16.0,
            format_number(v)
        ));
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let shown: String = if bar.label.chars().count() > 20 {
            bar.label.chars().take(19).chain(['…']).collect()
        } else {
            bar.label.clone()
        };
        let value = format!(
            "{}{unit}",
            if unit == "%" {
                format!("{:.1}", bar.value)
            } else {
                format_number(bar.value)
            }
        );
        svg.push_str(&format!(
            r#"<g><title>{title}：{value}</title><text x="{lx:.1}" y="{ty:.1}" class="label" text-anchor="end">{label}</text><rect x="{LABEL_W}" y="{ry:.1}" width="{w:.1}" height="{h:.1}" class="bar {class}"/><text x="{vx:.1}" y="{ty:.1}" class="value">{value}</text>"#,
            title = crate::report::xml::attr(&bar.label),
            lx = LABEL_W - 8.0,
            ty = y + ROW_H / 2.0 + 4.0,
            label = crate::report::xml::attr(&shown),
            ry = y + 4.0,
            w = x(bar.value) - LABEL_W,
            h = ROW_H - 8.0,
            class = bar.class,
            vx = x(bar.value) + 4.0,
        ));
        if let Some(t) = bar.mark {
            svg.push_str(&format!(
                r#"<line x1="{mx:.1}" y1="{y1:.1}" x2="{mx:.1}" y2="{y2:.1}" class="mark"><title>门槛 {t}{unit}</title></line>"#,
                mx = x(t),
                y1 = y + 1.0,
                y2 = y + ROW_H - 1.0,
                t = format_number(t),
            ));
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_escapes_labels_and_marks_thresholds() {
        let bars = [Bar {
            label: "A&B<培训>".to_owned(),
            value: 92.5,
            mark: Some(95.0),
            class: "bad",
        }];
        let svg = bar_chart(&bars, 100.0, "%");
        assert!(svg.contains("A&amp;B&lt;培训&gt;"));
        assert!(svg.contains("92.5%"));
        assert!(svg.contains(r#"class="mark""#));
        // 95 % of a 420-wide plot after a 250-wide label column.
        assert!(svg.contains(r#"x1="649.0""#), "{svg}");
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_axis(100.0), (100.0, 20.0));
        assert_eq!(nice_axis(109.0), (120.0, 20.0));
        assert_eq!(nice_axis(7.0), (8.0, 2.0));
    }

    #[test]
    fn files_inside_zips_lose_their_folders() {
        assert_eq!(
            short_file("/in/box/a.zip:a/data/dossier.yaml"),
            "a.zip:a/data/dossier.yaml"
        );
        assert_eq!(short_file("in/b.zip"), "b.zip");
    }
}
