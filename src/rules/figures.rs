//! The yearly figures must be internally consistent and cover the years the policy looks at.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Text};
use crate::model::{Dossier, YearFigures};
use crate::policy::Pack;

/// A declared percentage may differ from the one its counts give by at most this many points.
pub const RATE_TOLERANCE: f64 = 0.1;

pub fn check(dossier: &Dossier, pack: &Pack) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let wanted = pack.years_for(dossier.policy.application_year);
    let wanted_list = wanted.iter().map(i32::to_string).collect::<Vec<_>>().join("、");
    let mut seen: HashMap<i32, usize> = HashMap::new();
    for (i, y) in dossier.training.years.iter().enumerate() {
        let at = |field: &str| format!("/training/years/{i}/{field}");
        if let Some(first) = seen.insert(y.year, i) {
            issues.push(Diagnostic::error(
                "figures.duplicate-year",
                at("year"),
                Text::new(format!("{} 年度的数据重复填写（第 {} 项已有）", y.year, first + 1), format!("the figures of {} are given twice (item {} already has them)", y.year, first + 1)),
            ));
        } else if !wanted.contains(&y.year) {
            issues.push(
                Diagnostic::error(
                    "figures.year-window",
                    at("year"),
                    Text::new(format!(
                        "{} 年不是本政策考察的自然年度：{} 年申报应填写 {wanted_list} 年的数据",
                        y.year, dossier.policy.application_year
                    ), format!(
                    "{} is not a year this policy considers: an application in {} gives the figures of {}",
                    y.year,
                    dossier.policy.application_year,
                    wanted.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
                )),
                )
                .with_citation(Some(pack.lookback.citation.clone())),
            );
        }
        issues.extend(check_year(y, &at));
    }
    for year in &wanted {
        if !seen.contains_key(year) {
            issues.push(
                Diagnostic::error("figures.year-window", "/training/years", Text::new(format!("缺少 {year} 年度的培训数据"), format!("the training figures of {year} are missing")))
                    .with_citation(Some(pack.lookback.citation.clone())),
            );
        }
    }
    issues
}

fn check_year(y: &YearFigures, at: &dyn Fn(&str) -> String) -> Vec<Diagnostic> {
    let mut issues = Vec::new();
    let mut not_above = |field: &str, label: &str, count: Option<i64>, base_field: &str, base_label: &str, base: i64| {
        if let Some(n) = count.filter(|n| *n > base) {
            issues.push(Diagnostic::error(
                "figures.exceeds-total",
                at(field),
                Text::new(format!("{} 年{label}（{n}）超过{base_label}（{base}）", y.year), format!("{}: {field} ({n}) exceeds {base_field} ({base})", y.year)),
            )
            .with_hint(Text::new(format!("{label}是{base_label}的一部分，请核对 {base_field}"),
                format!("{field} is part of {base_field}; check {base_field}"))));
        }
    };
    not_above("passed", "合格人数", Some(y.passed), "trainees", "培训人数", y.trainees);
    not_above("subsidised", "享受补贴人数", y.subsidised, "trainees", "培训人数", y.trainees);
    not_above("order_directed", "订单、定岗、定向式培训人数", y.order_directed, "trainees", "培训人数", y.trainees);
    not_above("employed_3m", "三个月内就业创业人数", y.employed_3m, "trainees", "培训人数", y.trainees);
    not_above("employed_6m", "六个月内就业创业人数", y.employed_6m, "trainees", "培训人数", y.trainees);
    not_above("internal_trainees", "本企业职工培训人数", y.internal_trainees, "trainees", "培训人数", y.trainees);
    if let (Some(three), Some(six)) = (y.employed_3m, y.employed_6m) {
        not_above("employed_3m", "三个月内就业创业人数", Some(three), "employed_6m", "六个月内就业创业人数", six);
    }
    if let Some(base) = y.internal_trainees {
        not_above("internal_retained_2y", "稳定就业职工数", y.internal_retained_2y, "internal_trainees", "本企业职工培训人数", base);
    }
    if let Some(base) = y.graduates {
        not_above("graduates_employed", "毕业生就业人数", y.graduates_employed, "graduates", "毕业生人数", base);
    }
    if !y.certificates.is_empty() {
        let trainees: i64 = y.certificates.iter().map(|c| c.trainees).sum();
        let passed: i64 = y.certificates.iter().map(|c| c.passed).sum();
        for (k, c) in y.certificates.iter().enumerate() {
            if c.passed > c.trainees {
                issues.push(Diagnostic::error(
                    "figures.exceeds-total",
                    at(&format!("certificates/{k}/passed")),
                    Text::new(format!("{} 年该类证书合格人数（{}）超过该类培训人数（{}）", y.year, c.passed, c.trainees), format!(
                    "{}: passed ({}) exceeds trainees ({}) for this certificate kind",
                    y.year, c.passed, c.trainees
                )),
                ));
            }
        }
        if trainees != y.trainees || passed != y.passed {
            issues.push(Diagnostic::error(
                "figures.breakdown-mismatch",
                at("certificates"),
                Text::new(format!(
                    "{} 年按证书类别分列的人数（培训 {trainees}、合格 {passed}）与年度合计（培训 {}、合格 {}）不一致",
                    y.year, y.trainees, y.passed
                ), format!(
                "{}: the counts by certificate kind (trainees {trainees}, passed {passed}) differ from the year's totals (trainees {}, passed {})",
                y.year, y.trainees, y.passed
            )),
            ));
        }
    }
    let r = &y.declared_rates;
    let rates = [
        ("pass_rate", "培训合格率", r.pass_rate, Some(y.passed), Some(y.trainees)),
        ("order_directed_share", "订单、定岗、定向式培训比例", r.order_directed_share, y.order_directed, Some(y.trainees)),
        ("employment_rate_3m", "三个月内就业创业率", r.employment_rate_3m, y.employed_3m, Some(y.trainees)),
        ("employment_rate_6m", "六个月内就业创业率", r.employment_rate_6m, y.employed_6m, Some(y.trainees)),
        ("internal_retention_rate", "职工稳定就业率", r.internal_retention_rate, y.internal_retained_2y, y.internal_trainees),
        ("graduate_employment_rate", "毕业生就业率", r.graduate_employment_rate, y.graduates_employed, y.graduates),
    ];
    for (field, label, declared, count, base) in rates {
        let Some(declared) = declared else { continue };
        let pointer = at(&format!("declared_rates/{field}"));
        match (count, base) {
            (Some(n), Some(b)) if b > 0 => {
                let actual = n as f64 * 100.0 / b as f64;
                if (declared - actual).abs() > RATE_TOLERANCE + 1e-9 {
                    issues.push(Diagnostic::error(
                        "figures.rate-mismatch",
                        pointer,
                        Text::new(format!("{} 年申报的{label} {declared}% 与人数算出的 {actual:.2}%（{n} ÷ {b}）不符，相差超过 {RATE_TOLERANCE} 个百分点", y.year), format!(
                        "{}: the declared {field} {declared}% differs from the {actual:.2}% the counts give ({n} ÷ {b}) by more than {RATE_TOLERANCE} percentage points",
                        y.year
                    )),
                    )
                    .with_hint(Text::new("请以人数为准修改比率，或核对人数", "correct the rate from the counts, or check the counts")));
                }
            }
            _ => issues.push(Diagnostic::error(
                "figures.rate-mismatch",
                pointer,
                Text::new(format!("{} 年申报了{label}，但没有可据以计算的人数", y.year), format!("{}: {field} is declared, but there are no counts to compute it from", y.year)),
            )),
        }
    }
    issues
}
