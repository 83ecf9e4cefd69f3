//! `dossier policies` and `dossier explain`: the packs, their rules and their reasons, in words.

use std::fmt::Write as _;

use crate::diag::Citation;
use crate::lang::Lang;
use crate::policy::{Check, Compute, Pack, Registry, Rule, RuleSeverity, notes_in};
use crate::rules::outcomes::{requirement, requirement_en};

pub fn list_packs(registry: &Registry, lang: Lang) -> String {
    let mut out = String::new();
    for p in registry.all() {
        let choices: Vec<String> =
            p.tiers.iter().chain(&p.brand_types).map(|c| format!("{}={}", c.id, c.name_in(lang))).collect();
        if lang.is_en() {
            let source = if p.source == "内置" { "built in".to_owned() } else { p.source.clone() };
            let _ = writeln!(
                out,
                "{}  version {}  {} ({})\n    tiers/types: {}; {} rules{}; source: {}",
                p.id,
                p.version,
                p.title_in(lang),
                p.document,
                choices.join(", "),
                p.rules.len(),
                p.scoring.as_ref().map_or(String::new(), |s| format!("; {} score items", s.items.len())),
                source
            );
            continue;
        }
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

fn severity(s: RuleSeverity, lang: Lang) -> &'static str {
    match s {
        RuleSeverity::Blocking => lang.pick("阻止提交", "blocking"),
        RuleSeverity::Advisory => lang.pick("提示", "advisory"),
    }
}

fn applies(rule: &Rule, lang: Lang) -> String {
    let a = &rule.applies;
    let mut parts = Vec::new();
    for (label, label_en, list) in [
        ("层级", "tiers", &a.tiers),
        ("类型", "types", &a.brand_types),
        ("分支", "branch", &a.other_branch),
        ("城市", "cities", &a.cities),
        ("除外城市", "except cities", &a.cities_except),
        ("单位性质", "applicant kinds", &a.applicant_kinds),
    ] {
        if !list.is_empty() {
            match lang {
                Lang::Zh => parts.push(format!("{label} {}", list.join("/"))),
                Lang::En => parts.push(format!("{label_en} {}", list.iter().map(|v| quote_cjk(v)).collect::<Vec<_>>().join("/"))),
            }
        }
    }
    match lang {
        Lang::Zh => if parts.is_empty() { "全部".to_owned() } else { parts.join("，") },
        Lang::En => if parts.is_empty() { "all".to_owned() } else { parts.join(", ") },
    }
}

/// Values from the pack that may be Chinese (city names, keywords) are quoted in English text.
fn quote_cjk(v: &str) -> String {
    if v.is_ascii() { v.to_owned() } else { format!("“{v}”") }
}

fn what(rule: &Rule, lang: Lang) -> String {
    if lang.is_en() {
        return what_en(rule);
    }
    match &rule.check {
        Check::Threshold { threshold: t } => {
            let over = match t.over {
                crate::policy::Over::Total => "考察年度合计",
                crate::policy::Over::EachYear => "每个考察年度",
            };
            let unit = if t.measure.contains("rate") || t.measure.contains("share") { "%" } else { "人" };
            format!("{}（{over}）{}（{} {}）", t.measure, requirement(&t.wording, t.value, unit), t.op.symbol(), crate::rules::outcomes::format_number(t.value))
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
        Check::Notice { notice, .. } => notice.clone(),
        Check::Roster { roster } => format!("培训人员名单核查：{}", audit_text(roster)),
        Check::Batch { batch } => match batch.check {
            crate::policy::BatchCheck::DistinctTypes => "批量审核：同一城市推荐 2 个及以上品牌时类型须各不相同".to_owned(),
            crate::policy::BatchCheck::DistinctOccupations => "批量审核：同一城市同一职业（工种）不宜重复".to_owned(),
        },
    }
}

fn what_en(rule: &Rule) -> String {
    let list = |v: &[String], sep: &str| v.iter().map(|x| quote_cjk(x)).collect::<Vec<_>>().join(sep);
    match &rule.check {
        Check::Threshold { threshold: t } => {
            let over = match t.over {
                crate::policy::Over::Total => "over all look-back years together",
                crate::policy::Over::EachYear => "in every look-back year",
            };
            let unit = if t.measure.contains("rate") || t.measure.contains("share") { "%" } else { "人" };
            format!(
                "{} ({over}) {} ({} {})",
                t.measure,
                requirement_en(t.op, t.value, unit),
                t.op.symbol(),
                crate::rules::outcomes::format_number(t.value)
            ) + if rule.relaxable { "; may be relaxed for key support" } else { "" }
        }
        Check::Location { location } => format!("{} is {}", location.pointer, list(&location.values, " or ")),
        Check::Presence { presence } => {
            let mut s = format!("{} must be filled in", presence.pointer);
            if let Some(c) = &presence.categories {
                let _ = write!(s, ", with the categories {}", list(&c.values, ", "));
            }
            if presence.evidence {
                s.push_str(", each item with evidence");
            }
            s
        }
        Check::Title { title_levels } => format!("brand.existing_titles has a {} level title", title_levels.join("/")),
        Check::Naming { naming } => format!(
            "starts with {}{}{}",
            naming.starts_with.join("/"),
            if naming.ends_with_any.is_empty() { String::new() } else { format!(", ends with {}", list(&naming.ends_with_any, ", ")) },
            if naming.contains_occupation { ", contains the trained occupation (trade)" } else { "" }
        ),
        Check::TextLength { text_length } => format!("{} has at most {} characters", text_length.pointer, text_length.max),
        Check::Notice { notice_en, .. } => notice_en.clone().unwrap_or_else(|| rule.title_in(Lang::En).to_owned()),
        Check::Roster { roster } => format!("trainee roster audit: {}", audit_text_en(roster)),
        Check::Batch { batch } => match batch.check {
            crate::policy::BatchCheck::DistinctTypes => "batch review: two or more brands of one city must be of different types".to_owned(),
            crate::policy::BatchCheck::DistinctOccupations => "batch review: the same occupation should not recur in one city".to_owned(),
        },
    }
}

fn audit_text_en(a: &crate::policy::RosterAudit) -> String {
    use crate::policy::RosterAudit::*;
    let q = |v: &[String]| v.iter().map(|x| quote_cjk(x)).collect::<Vec<_>>().join("/");
    match a {
        Consistency => "declared yearly counts agree with the roster".to_owned(),
        SubsidyPerYear { max } => format!("at most {max} subsidies per person per year"),
        SubsidyOccupations { initial_max, upgrade_max } => format!(
            "initial-level subsidies for at most {initial_max} occupations (trades), at most {upgrade_max} upgrades within them"
        ),
        SubsidyGroups { groups, priority } => format!(
            "{}: {}",
            if *priority { "subsidies for the priority groups (others: an advisory)" } else { "subsidies only for" },
            groups.iter().map(|g| quote_cjk(&g.name)).collect::<Vec<_>>().join(", ")
        ),
        MinHours { keywords, min } => format!("{} training of at least {min} class hours", q(keywords)),
        OnceForGroup { keywords } => format!("{} subsidised only once", q(keywords)),
        NoRepeatOccupationLevel => "the same occupation and level is never subsidised twice".to_owned(),
        SubsidyAmounts { levels, apprenticeship, .. } => format!(
            "subsidy amounts by the standard: {}{}",
            levels.iter().map(|(k, v)| format!("{k} {v} yuan")).collect::<Vec<_>>().join(", "),
            if apprenticeship.is_empty() {
                String::new()
            } else {
                format!("; apprenticeship {}", apprenticeship.iter().map(|(k, v)| format!("{k} {v} yuan")).collect::<Vec<_>>().join(", "))
            }
        ),
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
        SubsidyGroups { groups, priority } => format!(
            "{}：{}",
            if *priority { "补贴对象以所列为重点（其他人员提示核实）" } else { "补贴对象限于" },
            groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join("、")
        ),
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

fn cite(out: &mut String, c: &Citation, lang: Lang) {
    let label = lang.pick("  依据：", "  Source: ");
    let _ = writeln!(out, "{label}{}\n        “{}”", c.source(), c.quote);
}

fn notes(out: &mut String, zh: &[String], en: &[String], lang: Lang) {
    for n in notes_in(lang, zh, en) {
        let _ = writeln!(out, "{}{n}", lang.pick("  说明：", "  Note: "));
    }
}

pub fn pack_rules(pack: &Pack, lang: Lang) -> String {
    if lang.is_en() {
        return pack_rules_en(pack);
    }
    let mut out = String::new();
    let _ = writeln!(out, "{} 版本 {}：{}（{}）\n", pack.id, pack.version, pack.title, pack.document);
    let _ = writeln!(out, "考察年度：申报年度前 {} 个自然年度", pack.lookback.years);
    for rule in &pack.rules {
        let _ = writeln!(out, "{}  [{}]  {}\n    适用：{}；{}", rule.id, severity(rule.severity, lang), rule.title, applies(rule, lang), what(rule, lang));
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

fn pack_rules_en(pack: &Pack) -> String {
    let lang = Lang::En;
    let mut out = String::new();
    let _ = writeln!(out, "{} version {}: {} ({})\n", pack.id, pack.version, pack.title_in(lang), pack.document);
    let _ = writeln!(out, "Look-back: the {} calendar years before the application year", pack.lookback.years);
    for rule in &pack.rules {
        let _ = writeln!(
            out,
            "{}  [{}]  {}\n    applies to: {}; {}",
            rule.id,
            severity(rule.severity, lang),
            rule.title_in(lang),
            applies(rule, lang),
            what(rule, lang)
        );
    }
    if let Some(r) = &pack.relaxation {
        let c = &r.condition;
        let _ = writeln!(
            out,
            "{}  [relaxation]  {}\n    {} (every look-back year) {}",
            r.id,
            r.title_in(lang),
            c.measure,
            requirement_en(c.op, c.value, "%")
        );
    }
    if let Some(s) = &pack.scoring {
        let _ = writeln!(out, "\n{} (out of {})", s.title_in(lang), s.total);
        for item in &s.items {
            let how = match (&item.method, &item.compute) {
                (crate::policy::Method::Claimed, _) => "self-assessed (up to the maximum, with evidence)".to_owned(),
                (_, Some(Compute::Bands(b))) => format!(
                    "{} in bands: {}",
                    b.measure,
                    b.bands.iter().map(|x| format!("≥{}% scores {}", x.min, x.points)).collect::<Vec<_>>().join(", ")
                ),
                (_, Some(Compute::TierThreshold(t))) => format!(
                    "{} meeting the tier's standard scores the maximum: {}",
                    t.measure,
                    t.by_tier.iter().map(|(k, c)| format!("{k} {}", requirement_en(c.op, c.value, ""))).collect::<Vec<_>>().join(", ")
                ),
                (_, Some(Compute::CertificateBands(c))) => format!("bands by certificate kind, added up, at most {}", c.cap),
                (_, Some(Compute::Relaxation(_))) => "the maximum when the key-support condition holds".to_owned(),
                (_, Some(Compute::KeyField(k))) => format!("the maximum when training.key_fields.{} is claimed with evidence", k.field),
                (_, Some(Compute::AtLeast(a))) => format!("the maximum when {} is at least {}", a.measure, a.value),
                (_, None) => String::new(),
            };
            let _ = writeln!(out, "  {} {} ({} points): {how}", item.id, item.title_in(lang), item.max);
        }
        for b in &s.bonus {
            let _ = writeln!(out, "  bonus {}: {}", b.id, b.title_in(lang));
        }
    }
    out
}

/// A rule, the relaxation, or a score item (`PACK:ITEM`, e.g. `dalian-2023:2.2`).
pub fn explain(registry: &Registry, id: &str, lang: Lang) -> Option<String> {
    let mut out = String::new();
    let en = lang.is_en();
    if let Some((pack, rule)) = registry.find_rule(id) {
        let _ = writeln!(out, "{}  [{}]\n{}\n", rule.id, severity(rule.severity, lang), rule.title_in(lang));
        if en {
            let _ = writeln!(out, "  Policy: {} ({})", pack.title_in(lang), pack.document);
            let _ = writeln!(out, "  Applies to: {}", applies(rule, lang));
            let _ = writeln!(out, "  Checks: {}", what(rule, lang));
        } else {
            let _ = writeln!(out, "  政策：{}（{}）", pack.title, pack.document);
            let _ = writeln!(out, "  适用：{}", applies(rule, lang));
            let _ = writeln!(out, "  检查：{}", what(rule, lang));
        }
        cite(&mut out, &rule.citation, lang);
        notes(&mut out, &rule.notes, &rule.notes_en, lang);
        if rule.relaxable
            && let Some(r) = &pack.relaxation
        {
            if en {
                let _ = writeln!(out, "  Relaxation: {} ({})", r.title_in(lang), r.id);
            } else {
                let _ = writeln!(out, "  放宽：{}（{}）", r.title, r.id);
            }
        }
        return Some(out);
    }
    for pack in registry.all() {
        if let Some(r) = pack.relaxation.as_ref().filter(|r| r.id == id) {
            let _ = writeln!(out, "{}  [{}]\n{}\n", r.id, lang.pick("放宽", "relaxation"), r.title_in(lang));
            cite(&mut out, &r.citation, lang);
            notes(&mut out, &r.notes, &r.notes_en, lang);
            return Some(out);
        }
        if id == format!("{}.lookback", pack.id) {
            if en {
                let _ = writeln!(out, "{}  look-back: the {} calendar years before the application year", id, pack.lookback.years);
            } else {
                let _ = writeln!(out, "{}  考察年度：申报年度前 {} 个自然年度", id, pack.lookback.years);
            }
            cite(&mut out, &pack.lookback.citation, lang);
            notes(&mut out, &pack.lookback.notes, &pack.lookback.notes_en, lang);
            return Some(out);
        }
        let item_id = id.strip_prefix(&format!("{}:", pack.id));
        let found = item_id.and_then(|i| pack.scoring.as_ref()?.items.iter().find(|x| x.id == i));
        if let Some(item) = found {
            if en {
                let _ = writeln!(out, "{}:{}  {} — {} ({} points)\n", pack.id, item.id, item.group_in(lang), item.title_in(lang), item.max);
            } else {
                let _ = writeln!(out, "{}:{}  {} — {}（{} 分）\n", pack.id, item.id, item.group, item.title, item.max);
            }
            cite(&mut out, &item.citation, lang);
            notes(&mut out, &item.notes, &item.notes_en, lang);
            return Some(out);
        }
    }
    None
}
