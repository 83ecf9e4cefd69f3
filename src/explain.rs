//! `dossier policies` and `dossier explain`: the packs, their rules and their reasons, in words.

use std::fmt::Write as _;

use crate::finding::Citation;
use crate::policy::{Check, Compute, Pack, Registry, Rule, RuleSeverity};
use crate::rules::policy::requirement;

pub fn list_packs(registry: &Registry) -> String {
    let mut out = String::new();
    for p in registry.all() {
        let choices: Vec<String> = p.tiers.iter().chain(&p.brand_types).map(|c| format!("{}={}", c.id, c.name)).collect();
        let _ = writeln!(
            out,
            "{}  版本 {}  {}（{}）\n    层级/类型：{}；规则 {} 条{}；来源：{}",
            p.id,
            p.version,
            p.title,
            p.document,
            choices.join("、"),
            p.rules.len(),
            p.scoring.as_ref().map_or(String::new(), |s| format!("；评分项目 {} 项", s.items.len())),
            p.source
        );
    }
    out
}

fn severity(s: RuleSeverity) -> &'static str {
    match s {
        RuleSeverity::Blocking => "阻止提交",
        RuleSeverity::Advisory => "提示",
    }
}

fn applies(rule: &Rule) -> String {
    let a = &rule.applies;
    let mut parts = Vec::new();
    for (label, list) in [
        ("层级", &a.tiers),
        ("类型", &a.brand_types),
        ("分支", &a.other_branch),
        ("城市", &a.cities),
        ("除外城市", &a.cities_except),
        ("单位性质", &a.applicant_kinds),
    ] {
        if !list.is_empty() {
            parts.push(format!("{label} {}", list.join("/")));
        }
    }
    if parts.is_empty() { "全部".to_owned() } else { parts.join("，") }
}

fn what(rule: &Rule) -> String {
    match &rule.check {
        Check::Threshold { threshold: t } => {
            let over = match t.over {
                crate::policy::Over::Total => "考察年度合计",
                crate::policy::Over::EachYear => "每个考察年度",
            };
            let unit = if t.measure.contains("rate") || t.measure.contains("share") { "%" } else { "人" };
            format!("{}（{over}）{}（{} {}）", t.measure, requirement(&t.wording, t.value, unit), t.op.symbol(), crate::rules::policy::format_number(t.value))
                + if rule.relaxable { "；可按重点扶持放宽" } else { "" }
        }
        Check::Location { location } => format!("{} 为 {}", location.pointer, location.values.join("或")),
        Check::Presence { presence } => {
            let mut s = format!("{} 须填写", presence.pointer);
            if let Some(c) = &presence.categories {
                let _ = write!(s, "，含类别 {}", c.values.join("、"));
            }
            if presence.evidence {
                s.push_str("，每项附佐证");
            }
            s
        }
        Check::Title { title_levels } => format!("brand.existing_titles 含 {} 级称号", title_levels.join("/")),
        Check::Naming { naming } => format!(
            "以 {} 开头{}{}",
            naming.starts_with.join("/"),
            if naming.ends_with_any.is_empty() { String::new() } else { format!("，以 {} 结尾", naming.ends_with_any.join("、")) },
            if naming.contains_occupation { "，含培训职业（工种）" } else { "" }
        ),
        Check::TextLength { text_length } => format!("{} 不超过 {} 字", text_length.pointer, text_length.max),
        Check::Notice { notice } => notice.clone(),
        Check::Roster { roster } => format!("培训人员名单核查：{}", audit_text(roster)),
    }
}

fn audit_text(a: &crate::policy::RosterAudit) -> String {
    use crate::policy::RosterAudit::*;
    match a {
        Consistency => "申报的年度人数与名单统计一致".to_owned(),
        SubsidyPerYear { max } => format!("每人每年享受补贴不超过 {max} 次"),
        SubsidyOccupations { initial_max, upgrade_max } => {
            format!("初级补贴不超过 {initial_max} 个职业（工种），晋级补贴不超过 {upgrade_max} 次且在其中")
        }
        SubsidyGroups { groups } => format!("补贴对象限于：{}", groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join("、")),
        MinHours { keywords, min } => format!("{}培训不低于 {min} 课时", keywords.join("/")),
        OnceForGroup { keywords } => format!("{}只能享受一次补贴", keywords.join("/")),
        NoRepeatOccupationLevel => "同一职业同一等级不可重复享受补贴".to_owned(),
        SubsidyAmounts { levels, apprenticeship, .. } => format!(
            "补贴金额按标准：{}{}",
            levels.iter().map(|(k, v)| format!("{k} {v} 元")).collect::<Vec<_>>().join("，"),
            if apprenticeship.is_empty() {
                String::new()
            } else {
                format!("；学徒制 {}", apprenticeship.iter().map(|(k, v)| format!("{k} {v} 元")).collect::<Vec<_>>().join("，"))
            }
        ),
    }
}

fn cite(out: &mut String, c: &Citation) {
    let _ = writeln!(out, "  依据：{} {}\n        “{}”", c.seed, c.clause, c.quote);
}

pub fn pack_rules(pack: &Pack) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} 版本 {}：{}（{}）\n", pack.id, pack.version, pack.title, pack.document);
    let _ = writeln!(out, "考察年度：申报年度前 {} 个自然年度", pack.lookback.years);
    for rule in &pack.rules {
        let _ = writeln!(out, "{}  [{}]  {}\n    适用：{}；{}", rule.id, severity(rule.severity), rule.title, applies(rule), what(rule));
    }
    if let Some(r) = &pack.relaxation {
        let c = &r.condition;
        let _ = writeln!(out, "{}  [放宽]  {}\n    {}（每个考察年度）{}", r.id, r.title, c.measure, requirement(&c.wording, c.value, "%"));
    }
    if let Some(s) = &pack.scoring {
        let _ = writeln!(out, "\n{}（满分 {}）", s.title, s.total);
        for item in &s.items {
            let how = match (&item.method, &item.compute) {
                (crate::policy::Method::Claimed, _) => "自评（不超过分值，须附佐证）".to_owned(),
                (_, Some(Compute::Bands(b))) => format!(
                    "{} 分档：{}",
                    b.measure,
                    b.bands.iter().map(|x| format!("≥{}%得{}分", x.min, x.points)).collect::<Vec<_>>().join("，")
                ),
                (_, Some(Compute::TierThreshold(t))) => format!(
                    "{} 达到层级标准得满分：{}",
                    t.measure,
                    t.by_tier.iter().map(|(k, c)| format!("{k} {}", requirement(&c.wording, c.value, ""))).collect::<Vec<_>>().join("，")
                ),
                (_, Some(Compute::CertificateBands(c))) => format!("按证书类别分档相加，上限 {} 分", c.cap),
                (_, Some(Compute::Relaxation(_))) => "重点扶持条件成立得满分".to_owned(),
                (_, Some(Compute::KeyField(k))) => format!("training.key_fields.{} 申报并附佐证得满分", k.field),
                (_, Some(Compute::AtLeast(a))) => format!("{} 不少于 {} 得满分", a.measure, a.value),
                (_, None) => String::new(),
            };
            let _ = writeln!(out, "  {} {}（{} 分）：{how}", item.id, item.title, item.max);
        }
        for b in &s.bonus {
            let _ = writeln!(out, "  加分 {}：{}", b.id, b.title);
        }
    }
    out
}

/// A rule, the relaxation, or a score item (`PACK:ITEM`, e.g. `dalian-2023:2.2`).
pub fn explain(registry: &Registry, id: &str) -> Option<String> {
    let mut out = String::new();
    if let Some((pack, rule)) = registry.find_rule(id) {
        let _ = writeln!(out, "{}  [{}]\n{}\n", rule.id, severity(rule.severity), rule.title);
        let _ = writeln!(out, "  政策：{}（{}）", pack.title, pack.document);
        let _ = writeln!(out, "  适用：{}", applies(rule));
        let _ = writeln!(out, "  检查：{}", what(rule));
        cite(&mut out, &rule.citation);
        for n in &rule.notes {
            let _ = writeln!(out, "  说明：{n}");
        }
        if rule.relaxable {
            if let Some(r) = &pack.relaxation {
                let _ = writeln!(out, "  放宽：{}（{}）", r.title, r.id);
            }
        }
        return Some(out);
    }
    for pack in registry.all() {
        if let Some(r) = pack.relaxation.as_ref().filter(|r| r.id == id) {
            let _ = writeln!(out, "{}  [放宽]\n{}\n", r.id, r.title);
            cite(&mut out, &r.citation);
            for n in &r.notes {
                let _ = writeln!(out, "  说明：{n}");
            }
            return Some(out);
        }
        if id == format!("{}.lookback", pack.id) {
            let _ = writeln!(out, "{}  考察年度：申报年度前 {} 个自然年度", id, pack.lookback.years);
            cite(&mut out, &pack.lookback.citation);
            for n in &pack.lookback.notes {
                let _ = writeln!(out, "  说明：{n}");
            }
            return Some(out);
        }
        let item_id = id.strip_prefix(&format!("{}:", pack.id));
        let found = item_id.and_then(|i| pack.scoring.as_ref()?.items.iter().find(|x| x.id == i));
        if let Some(item) = found {
            let _ = writeln!(out, "{}:{}  {} — {}（{} 分）\n", pack.id, item.id, item.group, item.title, item.max);
            cite(&mut out, &item.citation);
            for n in &item.notes {
                let _ = writeln!(out, "  说明：{n}");
            }
            return Some(out);
        }
    }
    None
}
