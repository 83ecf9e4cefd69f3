//! Figures the policy rules measure, each with how it was derived, over the look-back years.

use std::collections::BTreeMap;

use serde::Serialize;

use super::roster::Rosters;
use crate::diag::Text;
use crate::model::{Dossier, YearFigures};
use crate::policy::Over;

/// One measured figure: its value (None when the dossier lacks the data) and its derivation.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub value: Option<f64>,
    pub unit: &'static str,
    pub derivation: Text,
    /// Judged year by year (the lowest year counts): shown with every year's value.
    #[serde(skip)]
    pub each_year: bool,
    /// For `each_year`: the value of every year, so a failure can name the year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_year: Vec<YearValue>,
    /// Where the figure came from: "declared" in dossier.yaml, "derived" from the roster, or
    /// "both" (declared, and cross-checked against the roster).
    pub source: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearValue {
    pub year: i32,
    pub value: Option<f64>,
    /// Index into `training.years`, to point findings at the right place.
    #[serde(skip)]
    pub index: Option<usize>,
}

/// A rate's numerator and denominator fields, as the schema names them.
struct RateDef {
    numerator: fn(&YearFigures) -> Option<i64>,
    denominator: fn(&YearFigures) -> Option<i64>,
    /// The numerator's field name, to know whether a roster can derive it.
    field: &'static str,
    text: &'static str,
    text_en: &'static str,
}

type Getter = fn(&YearFigures) -> Option<i64>;

fn count_field(name: &str) -> Option<(Getter, &'static str, &'static str)> {
    Some(match name {
        "trainees" => (|y| Some(y.trainees), "培训人数", "trainees"),
        "passed" => (|y| Some(y.passed), "合格人数", "trainees passed"),
        "subsidised" => (|y| y.subsidised, "享受补贴人数", "trainees subsidised"),
        "order_directed" => (|y| y.order_directed, "订单、定岗、定向式培训人数", "order-based, job-specific or targeted trainees"),
        "employed_3m" => (|y| y.employed_3m, "三个月内就业创业人数", "employed or self-employed within three months"),
        "employed_6m" => (|y| y.employed_6m, "六个月内就业创业人数", "employed or self-employed within six months"),
        "internal_trainees" => (|y| y.internal_trainees, "本企业职工培训人数", "own employees trained"),
        "graduates" => (|y| y.graduates, "毕业生人数", "graduates"),
        _ => return None,
    })
}

fn rate_def(name: &str) -> Option<RateDef> {
    let trainees: fn(&YearFigures) -> Option<i64> = |y| Some(y.trainees);
    Some(match name {
        "pass_rate" => {
            RateDef { numerator: |y| Some(y.passed), denominator: trainees, field: "passed", text: "合格人数 ÷ 培训人数", text_en: "passed ÷ trainees" }
        }
        "order_directed_share" => RateDef {
            numerator: |y| y.order_directed,
            denominator: trainees,
            field: "order_directed",
            text: "订单、定岗、定向式培训人数 ÷ 培训人数",
            text_en: "order-based, job-specific or targeted trainees ÷ trainees",
        },
        "employment_rate_3m" => RateDef {
            numerator: |y| y.employed_3m,
            denominator: trainees,
            field: "employed_3m",
            text: "三个月内就业创业人数 ÷ 培训人数",
            text_en: "employed or self-employed within three months ÷ trainees",
        },
        "employment_rate_6m" => RateDef {
            numerator: |y| y.employed_6m,
            denominator: trainees,
            field: "employed_6m",
            text: "六个月内就业创业人数 ÷ 培训人数",
            text_en: "employed or self-employed within six months ÷ trainees",
        },
        "internal_retention_rate" => RateDef {
            numerator: |y| y.internal_retained_2y,
            denominator: |y| y.internal_trainees,
            field: "internal_retained_2y",
            text: "培训后 2 年内稳定就业职工数 ÷ 本企业职工培训人数",
            text_en: "employees in stable employment within 2 years after training ÷ own employees trained",
        },
        "graduate_employment_rate" => RateDef {
            numerator: |y| y.graduates_employed,
            denominator: |y| y.graduates,
            field: "graduates_employed",
            text: "毕业生就业人数 ÷ 毕业生人数",
            text_en: "graduates employed ÷ graduates",
        },
        _ => return None,
    })
}

pub struct Metrics<'a> {
    pub dossier: &'a Dossier,
    pub years: Vec<i32>,
    /// The figures of each window year: declared ones, gaps filled from the roster.
    merged: Vec<(i32, Option<usize>, YearFigures)>,
    rosters: &'a Rosters,
    /// The application date agreements must be in force on, and what it is (承诺书日期 …).
    as_of: Option<((i32, u32, u32), String, String)>,
}

impl<'a> Metrics<'a> {
    pub fn new(dossier: &'a Dossier, years: Vec<i32>, rosters: &'a Rosters) -> Self {
        let merged = years
            .iter()
            .filter_map(|&year| {
                let declared = dossier.training.years.iter().enumerate().find(|(_, y)| y.year == year);
                let derived = rosters.derived.get(&year);
                match (declared, derived) {
                    (Some((i, d)), Some(r)) => Some((year, Some(i), fill_from(d, r))),
                    (Some((i, d)), None) => Some((year, Some(i), d.clone())),
                    (None, Some(r)) => Some((year, None, r.clone())),
                    (None, None) => None,
                }
            })
            .collect();
        Metrics { dossier, years, merged, rosters, as_of: None }
    }

    /// The application date: the commitment's date when it is a real date, else the
    /// policy's deadline in the application year.
    pub fn with_deadline(mut self, deadline: Option<&crate::policy::Deadline>) -> Self {
        use super::codes::parse_date;
        let year = self.dossier.policy.application_year;
        self.as_of = parse_date(&self.dossier.commitment.date)
            .map(|d| (d, format!("承诺书日期 {}", self.dossier.commitment.date), format!("the commitment date {}", self.dossier.commitment.date)))
            .or_else(|| {
                let dl = deadline?;
                let text = format!("{year:04}-{}", dl.month_day);
                parse_date(&text).map(|d| (d, format!("申报截止日 {text}（{}）", dl.citation.clause), format!("the deadline {text} (“{}”)", dl.citation.clause)))
            });
        self
    }

    fn year(&self, year: i32) -> Option<(Option<usize>, &YearFigures)> {
        self.merged.iter().find(|(y, ..)| *y == year).map(|(_, i, f)| (*i, f))
    }

    /// Where a figure of this field comes from over the window.
    fn source(&self, field: &str) -> &'static str {
        let declared = self.years.iter().all(|&y| {
            self.dossier.training.years.iter().find(|f| f.year == y).is_some_and(|f| declared_field(f, field))
        });
        let d = self.rosters.derivable;
        let derivable = !self.rosters.is_empty()
            && match field {
                "trainees" => true,
                "passed" => d.passed,
                "subsidised" => d.subsidised,
                "order_directed" => d.order_directed,
                "employed_3m" | "employed_6m" => d.employment,
                _ => false,
            };
        match (declared, derivable) {
            (true, true) => "both",
            (false, true) => "derived",
            _ => "declared",
        }
    }

    /// Names of every measure this module knows: the policy stage's list, which packs are
    /// validated against when they load.
    pub const MEASURES: &'static [&'static str] = crate::policy::MEASURES;

    pub fn measure(&self, name: &str, over: Over) -> Measured {
        if let Some((get, label, label_en)) = count_field(name) {
            let mut m = self.count(get, label, label_en, over);
            m.source = self.source(name);
            return m;
        }
        if name == "employment_rate" {
            // The clause gives no window: six months when every year has it, else three.
            let six = self.measure("employment_rate_6m", over);
            let mut m = if six.value.is_some() { six } else { self.measure("employment_rate_3m", over) };
            m.derivation = Text::new(format!("未规定统计期限，取{}", m.derivation.zh), format!("no period set, taking {}", m.derivation.en));
            return m;
        }
        if let Some(def) = rate_def(name) {
            let mut m = self.rate(&def, over);
            m.source = self.source(def.field);
            return m;
        }
        if let Some(kind) = name.strip_prefix("pass_rate:") {
            return self.certificate_rate(kind);
        }
        self.dossier_level(name)
    }

    fn declared(value: Option<f64>, unit: &'static str, derivation: String, derivation_en: String) -> Measured {
        Measured { value, unit, derivation: Text::new(derivation, derivation_en), each_year: false, per_year: Vec::new(), source: "declared" }
    }

    fn count(&self, get: Getter, label: &str, label_en: &str, over: Over) -> Measured {
        let per_year: Vec<YearValue> = self
            .years
            .iter()
            .map(|&year| {
                let found = self.year(year);
                YearValue { year, value: found.and_then(|(_, y)| get(y)).map(|v| v as f64), index: found.and_then(|(i, _)| i) }
            })
            .collect();
        let parts: Vec<String> = per_year
            .iter()
            .map(|y| format!("{} 年 {}", y.year, y.value.map_or("未填".to_owned(), |v| v.to_string())))
            .collect();
        let parts_en: Vec<String> = per_year
            .iter()
            .map(|y| format!("{} {}", y.year, y.value.map_or("not given".to_owned(), |v| v.to_string())))
            .collect();
        let all: Option<Vec<f64>> = per_year.iter().map(|y| y.value).collect();
        let (value, derivation, derivation_en) = match over {
            Over::Total => (
                all.map(|v| v.iter().sum()),
                format!("{label}合计：{}", parts.join(" + ")),
                format!("{label_en}, total: {}", parts_en.join(" + ")),
            ),
            Over::EachYear => (
                all.and_then(|v| v.into_iter().reduce(f64::min)),
                format!("{label}逐年：{}（取最低一年）", parts.join("，")),
                format!("{label_en}, year by year: {} (lowest year counts)", parts_en.join(", ")),
            ),
        };
        Measured { value, unit: "人", derivation: Text::new(derivation, derivation_en), each_year: matches!(over, Over::EachYear), per_year, source: "declared" }
    }

    fn rate(&self, def: &RateDef, over: Over) -> Measured {
        let mut per_year = Vec::new();
        let (mut num_sum, mut den_sum, mut complete) = (0i64, 0i64, true);
        let mut parts = Vec::new();
        let mut parts_en = Vec::new();
        for &year in &self.years {
            let found = self.year(year);
            let pair = found.and_then(|(_, y)| Some(((def.numerator)(y)?, (def.denominator)(y)?)));
            let value = match pair {
                Some((n, d)) if d > 0 => {
                    num_sum += n;
                    den_sum += d;
                    parts.push(format!("{year} 年 {n}/{d}"));
                    parts_en.push(format!("{year} {n}/{d}"));
                    Some(n as f64 * 100.0 / d as f64)
                }
                _ => {
                    complete = false;
                    parts.push(format!("{year} 年 未填"));
                    parts_en.push(format!("{year} not given"));
                    None
                }
            };
            per_year.push(YearValue { year, value, index: found.and_then(|(i, _)| i) });
        }
        let (value, derivation, derivation_en) = match over {
            Over::Total => (
                (complete && den_sum > 0).then(|| num_sum as f64 * 100.0 / den_sum as f64),
                format!("{}，按合计：{}", def.text, parts.join(" + ")),
                format!("{}, over the total: {}", def.text_en, parts_en.join(" + ")),
            ),
            Over::EachYear => (
                if complete { per_year.iter().filter_map(|y| y.value).reduce(f64::min) } else { None },
                format!("{}，逐年：{}（取最低一年）", def.text, parts.join("，")),
                format!("{}, year by year: {} (lowest year counts)", def.text_en, parts_en.join(", ")),
            ),
        };
        Measured { value, unit: "%", derivation: Text::new(derivation, derivation_en), each_year: matches!(over, Over::EachYear), per_year, source: "declared" }
    }

    fn certificate_rate(&self, kind: &str) -> Measured {
        let (mut n, mut d) = (0i64, 0i64);
        for &year in &self.years {
            if let Some((_, y)) = self.year(year) {
                for c in y.certificates.iter().filter(|c| c.kind == kind) {
                    n += c.passed;
                    d += c.trainees;
                }
            }
        }
        let value = (d > 0).then(|| n as f64 * 100.0 / d as f64);
        Self::declared(value, "%", format!("{kind} 类证书合格人数 ÷ 培训人数，按合计：{n}/{d}"),
            format!("{kind} certificates passed ÷ trainees, over the total: {n}/{d}"),
        )
    }

    fn dossier_level(&self, name: &str) -> Measured {
        let d = self.dossier;
        match name {
            "full_time_teacher_share" => {
                let full = d.staff.full_time_teachers.len();
                let all = full + d.staff.part_time_teachers.len();
                let value = (all > 0).then(|| full as f64 * 100.0 / all as f64);
                Self::declared(value, "%", format!("专职教师 {full} 人 ÷ 教师总数 {all} 人"), format!("{full} full-time teachers ÷ {all} teachers in all"))
            }
            "partners" => {
                let Some((on, label, label_en)) = &self.as_of else {
                    let n = d.service.partners.len();
                    return Self::declared(Some(n as f64), "家", format!("签订合作协议的定点合作企业（院校）{n} 家"), format!("{n} partner enterprises (schools) under agreement"));
                };
                // In force on the application date: signed on or before it, not expired before it.
                let valid = |p: &crate::model::Partner| {
                    let signed = super::codes::parse_date(&p.agreement_date).is_some_and(|s| s <= *on);
                    let until = p.valid_until.as_deref().and_then(super::codes::parse_date);
                    signed && until.is_none_or(|u| u >= *on)
                };
                let n = d.service.partners.iter().filter(|p| valid(p)).count();
                let out = d.service.partners.len() - n;
                let (more, more_en) = if out > 0 {
                    (format!("；另有 {out} 家协议在该日不在有效期内，不计"), format!("; {out} more not in force on that day, not counted"))
                } else {
                    (String::new(), String::new())
                };
                Self::declared(
                    Some(n as f64),
                    "家",
                    format!("合作协议在申报日（{label}）有效的定点合作企业（院校）{n} 家{more}"),
                    format!("{n} partner enterprises (schools) with an agreement in force on the application date ({label_en}){more_en}"),
                )
            }
            "public_welfare" => {
                let n = d.reputation.public_welfare.iter().filter(|p| !p.evidence.is_empty()).count();
                Self::declared(Some(n as f64), "次", format!("附佐证的公益培训及政府专项活动 {n} 次"), format!("{n} public-welfare trainings and government campaigns with evidence"))
            }
            "municipal_awards" => {
                let n = d.reputation.awards.iter().filter(|a| a.level != "district" && !a.evidence.is_empty()).count();
                Self::declared(Some(n as f64), "项", format!("附佐证的市级及以上评优评先 {n} 项"), format!("{n} municipal or higher awards with evidence"))
            }
            "media_level" => {
                let rank = |l: &str| match l {
                    "national" => 2.0,
                    "provincial" => 1.0,
                    _ => 0.0,
                };
                let best = d.reputation.media_reports.iter().filter(|m| !m.evidence.is_empty()).map(|m| rank(&m.level)).fold(0.0, f64::max);
                Self::declared(Some(best), "级", "附佐证的新闻报道最高级别（0 市级及以下，1 省级，2 国家级）".to_owned(),
                    "highest level of media reports with evidence (0 municipal or lower, 1 provincial, 2 national)".to_owned(),
                )
            }
            _ => Self::declared(None, "", format!("未知指标 {name}"), format!("unknown measure {name}")),
        }
    }

    /// Every figure the pack's rules use, for `--format json`.
    pub fn snapshot(&self, names: &[(String, Over)]) -> BTreeMap<String, Measured> {
        names
            .iter()
            .map(|(name, over)| {
                let key = match over {
                    Over::Total => format!("{name}.total"),
                    Over::EachYear => format!("{name}.each_year"),
                };
                (key, self.measure(name, *over))
            })
            .collect()
    }
}

fn declared_field(f: &YearFigures, field: &str) -> bool {
    match field {
        "trainees" | "passed" => true,
        "subsidised" => f.subsidised.is_some(),
        "order_directed" => f.order_directed.is_some(),
        "employed_3m" => f.employed_3m.is_some(),
        "employed_6m" => f.employed_6m.is_some(),
        "internal_trainees" => f.internal_trainees.is_some(),
        "internal_retained_2y" => f.internal_retained_2y.is_some(),
        "graduates" => f.graduates.is_some(),
        "graduates_employed" => f.graduates_employed.is_some(),
        _ => false,
    }
}

/// Declared figures, with the ones the dossier leaves out taken from the roster.
fn fill_from(declared: &YearFigures, derived: &YearFigures) -> YearFigures {
    let mut f = declared.clone();
    f.subsidised = f.subsidised.or(derived.subsidised);
    f.order_directed = f.order_directed.or(derived.order_directed);
    f.employed_3m = f.employed_3m.or(derived.employed_3m);
    f.employed_6m = f.employed_6m.or(derived.employed_6m);
    f
}

/// The field a failing measure should point at in a given year.
pub fn field_of(measure: &str) -> &'static str {
    match measure {
        "trainees" => "trainees",
        "passed" | "pass_rate" => "passed",
        "subsidised" => "subsidised",
        "order_directed" | "order_directed_share" => "order_directed",
        "employed_3m" | "employment_rate_3m" => "employed_3m",
        "employed_6m" | "employment_rate_6m" | "employment_rate" => "employed_6m",
        "internal_retention_rate" => "internal_retained_2y",
        "internal_trainees" => "internal_trainees",
        "graduate_employment_rate" => "graduates_employed",
        "graduates" => "graduates",
        _ => "trainees",
    }
}
