//! The evaluation table: computed items from the figures, claimed items from the
//! self-assessment (capped, evidence required), computed and claimed totals kept apart.

use serde::Serialize;

use super::metrics::Metrics;
use crate::diag::{Diagnostic, Text};
use crate::model::Dossier;
use crate::policy::{Band, Compute, Method, Over, Pack, Scoring};

#[derive(Debug, Clone, Serialize)]
pub struct ScoreLine {
    pub id: String,
    pub group: Text,
    pub title: Text,
    pub max: f64,
    pub points: f64,
    pub method: Method,
    pub basis: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub title: Text,
    pub max: f64,
    pub items: Vec<ScoreLine>,
    pub bonus: Vec<ScoreLine>,
    pub computed: f64,
    pub claimed: f64,
    pub bonus_total: f64,
    /// computed + claimed + bonus.
    pub total: f64,
}

fn band_points(bands: &[Band], value: f64) -> f64 {
    // Bands run high to low; a value in a gap (79.5 % between 70–79 and 80) takes the lower band.
    bands.iter().find(|b| value >= b.min - 1e-9).map_or(0.0, |b| b.points)
}

fn pct(v: f64) -> String {
    format!("{}%", super::outcomes::format_number(v))
}

fn computed(
    c: &Compute,
    pack: &Pack,
    dossier: &Dossier,
    metrics: &Metrics,
    relaxed: bool,
    max: f64,
    issues: &mut Vec<Diagnostic>,
) -> (f64, String, String) {
    match c {
        Compute::Bands(b) => {
            let m = metrics.measure(&b.measure, b.over);
            match m.value {
                Some(v) => (band_points(&b.bands, v), format!("{}（{}）", pct(v), m.derivation), format!("{} ({})", pct(v), m.derivation.en)),
                None => (0.0, format!("缺少数据（{}）", m.derivation), format!("data missing ({})", m.derivation.en)),
            }
        }
        Compute::TierThreshold(t) => {
            let tier = dossier.policy.tier.as_deref().unwrap_or("");
            let m = metrics.measure(&t.measure, t.over);
            match (t.by_tier.get(tier), m.value) {
                (Some(cmp), Some(v)) => {
                    let ok = cmp.op.holds(v, cmp.value);
                    let req = super::outcomes::requirement(&cmp.wording, cmp.value, m.unit);
                    let req_en = super::outcomes::requirement_en(cmp.op, cmp.value, m.unit);
                    (
                        if ok { max } else { 0.0 },
                        format!("{}，要求{req}（{}）", super::outcomes::format_number(v), m.derivation),
                        format!("{}, required {req_en} ({})", super::outcomes::format_number(v), m.derivation.en),
                    )
                }
                (None, _) => (0.0, format!("本项未规定“{tier}”层级的标准"), format!("this item sets no standard for the tier “{tier}”")),
                (_, None) => (0.0, format!("缺少数据（{}）", m.derivation), format!("data missing ({})", m.derivation.en)),
            }
        }
        Compute::CertificateBands(cb) => {
            let has_breakdown = metrics.years.iter().any(|y| {
                dossier.training.years.iter().any(|f| f.year == *y && !f.certificates.is_empty())
            });
            let mut total = 0.0;
            let mut parts = Vec::new();
            let mut parts_en = Vec::new();
            if has_breakdown {
                for (kind, bands) in &cb.kinds {
                    let m = metrics.measure(&format!("pass_rate:{kind}"), Over::Total);
                    if let Some(v) = m.value {
                        let p = band_points(bands, v);
                        total += p;
                        parts.push(format!("{}：{} 得 {} 分", super::outcomes::enum_label("/training/years/0/certificates/0/kind", kind), pct(v), p));
                        parts_en.push(format!("{kind}: {} scores {p}", pct(v)));
                    }
                }
            } else if let Some((kind, bands)) = cb.kinds.iter().next() {
                issues.push(Diagnostic::warning(
                    "score.no-certificate-breakdown",
                    "/training/years",
                    Text::new("培训数据未按证书类别（certificates）分列，评估表 2.2 全部按职业技能等级证书计分", "the training figures are not broken down by certificate kind (certificates); score item 2.2 counts them all as skill level certificates"),
                ));
                let m = metrics.measure("pass_rate", Over::Total);
                if let Some(v) = m.value {
                    total = band_points(bands, v);
                    parts.push(format!("未按证书类别分列，按{}计：{} 得 {total} 分", super::outcomes::enum_label("/training/years/0/certificates/0/kind", kind), pct(v)));
                    parts_en.push(format!("no breakdown by certificate kind, counted as {kind}: {} scores {total}", pct(v)));
                }
            }
            let capped = total.min(cb.cap);
            let cap_note = if total > cb.cap { format!("；合计 {total} 分，按上限计 {} 分", cb.cap) } else { String::new() };
            let cap_note_en = if total > cb.cap { format!("; {total} in all, capped at {}", cb.cap) } else { String::new() };
            (
                capped,
                if parts.is_empty() { "缺少数据".to_owned() } else { parts.join("；") + &cap_note },
                if parts_en.is_empty() { "data missing".to_owned() } else { parts_en.join("; ") + &cap_note_en },
            )
        }
        Compute::Relaxation(_) => {
            let claimed = dossier.training.key_support.as_ref().is_some_and(|k| k.claimed && !k.evidence.is_empty());
            let ok = relaxed && claimed;
            let (basis, basis_en) = match (&pack.relaxation, ok) {
                (Some(_), true) => ("符合重点扶持条件并附佐证", "meets the key-support condition, with evidence"),
                (Some(_), false) => ("未申报重点扶持、条件不成立或未附佐证", "key support not claimed, its condition does not hold, or no evidence"),
                (None, _) => ("本政策无重点扶持条款", "this policy has no key-support clause"),
            };
            (if ok { max } else { 0.0 }, basis.to_owned(), basis_en.to_owned())
        }
        Compute::KeyField(k) => {
            let f = &dossier.training.key_fields;
            let field = match k.field.as_str() {
                "key_industry" => &f.key_industry,
                "new_occupation" => &f.new_occupation,
                "digital_skills" => &f.digital_skills,
                "key_region_industry" => &f.key_region_industry,
                "rural_revitalization" => &f.rural_revitalization,
                _ => &None,
            };
            match field {
                Some(kf) if kf.claimed && !kf.evidence.is_empty() => (
                    max,
                    format!("申报属于该领域，佐证 {}", kf.evidence.join("、")),
                    format!("claimed to belong to this field, evidence {}", kf.evidence.iter().map(|e| format!("“{e}”")).collect::<Vec<_>>().join(", ")),
                ),
                Some(kf) if kf.claimed => (0.0, "申报属于该领域但未附佐证".to_owned(), "claimed to belong to this field, without evidence".to_owned()),
                _ => (0.0, "未申报".to_owned(), "not claimed".to_owned()),
            }
        }
        Compute::AtLeast(a) => {
            let m = metrics.measure(&a.measure, Over::Total);
            let v = m.value.unwrap_or(0.0);
            (if v >= a.value { max } else { 0.0 }, m.derivation.zh, m.derivation.en)
        }
    }
}

pub fn score(scoring: &Scoring, pack: &Pack, dossier: &Dossier, metrics: &Metrics, relaxed: bool) -> (Score, Vec<Diagnostic>) {
    let mut issues = Vec::new();
    let mut items = Vec::new();
    for item in &scoring.items {
        let claim = dossier.self_assessment.iter().position(|c| c.item == item.id);
        let (points, basis, basis_en) = match item.method {
            Method::Computed => {
                if let Some(i) = claim {
                    issues.push(Diagnostic::warning(
                        "score.claim-ignored",
                        format!("/self_assessment/{i}"),
                        Text::new(format!("评估项目 {} 由申报数据计算得分，自评分不予采用", item.id), format!("score item {} is computed from the dossier's figures; the self-assessed points are not used", item.id)),
                    ));
                }
                match &item.compute {
                    Some(c) => computed(c, pack, dossier, metrics, relaxed, item.max, &mut issues),
                    None => (0.0, "政策包未给出计算方法".to_owned(), "the policy pack gives no method".to_owned()),
                }
            }
            Method::Claimed => match claim {
                None => {
                    issues.push(Diagnostic::warning(
                        "score.unclaimed",
                        "/self_assessment",
                        Text::new(format!("评估项目 {}（{}）需要自评，未填写，按 0 分计", item.id, item.title), format!(
                        "score item {} ({}) needs a self-assessment; none is given, so it scores 0",
                        item.id,
                        item.title_in(crate::lang::Lang::En)
                    )),
                    ));
                    (0.0, "未自评".to_owned(), "not self-assessed".to_owned())
                }
                Some(i) => {
                    let c = &dossier.self_assessment[i];
                    if c.evidence.is_empty() {
                        issues.push(Diagnostic::warning(
                            "score.claim-without-evidence",
                            format!("/self_assessment/{i}/evidence"),
                            Text::new(format!("评估项目 {} 的自评未引用佐证材料，按 0 分计", item.id), format!("the self-assessment of score item {} cites no evidence, so it scores 0", item.id)),
                        ));
                        (0.0, "自评未附佐证".to_owned(), "self-assessment without evidence".to_owned())
                    } else if c.points > item.max {
                        issues.push(Diagnostic::warning(
                            "score.claim-capped",
                            format!("/self_assessment/{i}/points"),
                            Text::new(format!("评估项目 {} 自评 {} 分，超过该项分值 {} 分，按 {} 分计", item.id, c.points, item.max, item.max), format!(
                            "score item {} is self-assessed at {} points, above its maximum of {}; {} counts",
                            item.id, c.points, item.max, item.max
                        )),
                        ));
                        (
                            item.max,
                            format!("自评（超过分值，按上限计）：{}", c.basis),
                            format!("self-assessed (above the maximum, capped): “{}”", c.basis),
                        )
                    } else {
                        (
                            c.points,
                            format!("自评：{}（佐证 {}）", c.basis, c.evidence.join("、")),
                            format!(
                                "self-assessed: “{}” (evidence {})",
                                c.basis,
                                c.evidence.iter().map(|e| format!("“{e}”")).collect::<Vec<_>>().join(", ")
                            ),
                        )
                    }
                }
            },
        };
        items.push(ScoreLine {
            id: item.id.clone(),
            group: Text::new(item.group.clone(), item.group_in(crate::lang::Lang::En)),
            title: Text::new(item.title.clone(), item.title_in(crate::lang::Lang::En)),
            max: item.max,
            points,
            method: item.method,
            basis: Text::new(basis, basis_en),
        });
    }
    for (i, c) in dossier.self_assessment.iter().enumerate() {
        if !scoring.items.iter().any(|s| s.id == c.item) {
            issues.push(Diagnostic::warning(
                "score.unknown-item",
                format!("/self_assessment/{i}/item"),
                Text::new(format!("评估表中没有项目 {}", c.item), format!("the score sheet has no item “{}”", c.item)),
            ));
        }
    }
    let mut bonus = Vec::new();
    for b in &scoring.bonus {
        let m = metrics.measure(&b.measure, Over::Total);
        let v = m.value.unwrap_or(0.0);
        let points = if b.points_by_level.is_empty() {
            if v >= 1.0 { b.points.unwrap_or(0.0) } else { 0.0 }
        } else {
            let level = match v as i64 {
                2 => "national",
                1 => "provincial",
                _ => "",
            };
            b.points_by_level.get(level).copied().unwrap_or(0.0)
        };
        let max = b.points.unwrap_or_else(|| b.points_by_level.values().copied().fold(0.0, f64::max));
        bonus.push(ScoreLine {
            id: b.id.clone(),
            group: Text::new("加分项", "bonus"),
            title: Text::new(b.title.clone(), b.title_in(crate::lang::Lang::En)),
            max,
            points,
            method: Method::Computed,
            basis: m.derivation,
        });
    }
    let sum = |lines: &[ScoreLine], method: Method| lines.iter().filter(|l| l.method == method).map(|l| l.points).sum::<f64>();
    let computed = sum(&items, Method::Computed);
    let claimed = sum(&items, Method::Claimed);
    let bonus_total: f64 = bonus.iter().map(|b| b.points).sum();
    let score = Score {
        title: Text::new(scoring.title.clone(), scoring.title_in(crate::lang::Lang::En)),
        max: scoring.total,
        items,
        bonus,
        computed,
        claimed,
        bonus_total,
        total: computed + claimed + bonus_total,
    };
    (score, issues)
}
