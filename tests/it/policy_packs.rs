//! Policy packs: every threshold proven at, just below and just above its number; citations
//! quoted verbatim from the seeds; relaxation, titles, scoring, overrides, explain.

use crate::common::*;

use dossier::load::{self, Loaded};
use dossier::policy::{Check, Op, Over, Registry, Rule};
use dossier::rules::{self, Checked};
use serde_json::{Value, json};

fn fixture_for(pack: &str) -> &'static str {
    match pack {
        "dalian-2023" => "dalian-2023-district",
        "liaoning-2024" => "liaoning-2024-enterprise",
        _ => "inner-mongolia-2022-region",
    }
}

fn load_fixture(name: &str) -> Loaded {
    load::load(&root().join("fixtures").join(name)).expect("fixture loads")
}

/// Check a modified dossier. Rosters are dropped: these tests change the declared figures,
/// which the roster would then (rightly) contradict.
fn check_json_value(base: &Loaded, mut json: Value) -> Checked {
    if let Some(training) = json.get_mut("training").and_then(Value::as_object_mut) {
        training.remove("rosters");
    }
    let loaded = Loaded { dir: base.dir.clone(), file: base.file.clone(), text: String::new(), json, index: Default::default(), issues: vec![], source: base.source.clone() };
    rules::check(&loaded, &Registry::embedded())
}

fn status(checked: &Checked, rule: &str) -> String {
    checked.outcomes.iter().find(|o| o.rule == rule).map(|o| format!("{:?}", o.status).to_lowercase()).unwrap_or_else(|| "absent".into())
}

/// Make the dossier one the rule applies to.
fn fit(json: &mut Value, rule: &Rule) {
    let a = &rule.applies;
    if let Some(t) = a.tiers.first() {
        json["policy"]["tier"] = json!(t);
    }
    if let Some(t) = a.brand_types.first() {
        json["policy"]["brand_type"] = json!(t);
    }
    if let Some(b) = a.other_branch.first() {
        json["policy"]["other_branch"] = json!(b);
    }
    if let Some(c) = a.cities.first() {
        json["applicant"]["city"] = json!(c);
    } else if a.cities_except.contains(&json["applicant"]["city"].as_str().unwrap_or("").to_owned()) {
        json["applicant"]["city"] = json!("葫芦岛市");
    }
}

/// Set the figures so the measure equals `units` (people, or tenths of a percent for rates).
fn set_measure(json: &mut Value, measure: &str, over: Over, units: i64) {
    let years = json["training"]["years"].as_array_mut().unwrap();
    let n = years.len() as i64;
    let rate = |num: &str, den: &str, years: &mut Vec<Value>| {
        for y in years.iter_mut() {
            y[den] = json!(1000);
            y[num] = json!(units);
        }
    };
    match measure {
        "trainees" | "subsidised" => {
            for (i, y) in years.iter_mut().enumerate() {
                let v = match over {
                    Over::EachYear => units,
                    Over::Total => units / n + i64::from((i as i64) < units % n),
                };
                y[measure] = json!(v);
            }
        }
        "pass_rate" => rate("passed", "trainees", years),
        "order_directed_share" => rate("order_directed", "trainees", years),
        "employment_rate_3m" => rate("employed_3m", "trainees", years),
        "employment_rate_6m" | "employment_rate" => rate("employed_6m", "trainees", years),
        "internal_retention_rate" => rate("internal_retained_2y", "internal_trainees", years),
        "graduate_employment_rate" => rate("graduates_employed", "graduates", years),
        other => panic!("no setter for measure {other}"),
    }
    for y in years.iter_mut() {
        y.as_object_mut().unwrap().remove("declared_rates");
        y.as_object_mut().unwrap().remove("certificates");
    }
}

#[test]
fn every_threshold_holds_at_below_and_above_its_number() {
    let registry = Registry::embedded();
    let mut proved = 0;
    for pack in registry.all() {
        let base = load_fixture(fixture_for(&pack.id));
        for rule in &pack.rules {
            let Check::Threshold { threshold: t } = &rule.check else { continue };
            let is_rate = !matches!(t.measure.as_str(), "trainees" | "subsidised");
            // Rates in tenths of a percent (denominator 1000), counts in people.
            let at = if is_rate { (t.value * 10.0) as i64 } else { t.value as i64 };
            for (units, label) in [(at - 1, "below"), (at, "at"), (at + 1, "above")] {
                let mut json = base.json.clone();
                fit(&mut json, rule);
                if is_rate {
                    set_measure(&mut json, "trainees", Over::EachYear, 1000);
                }
                set_measure(&mut json, &t.measure, t.over, units);
                let checked = check_json_value(&base, json);
                let value = if is_rate { units as f64 / 10.0 } else { units as f64 };
                let want = if t.op.holds(value, t.value) { "pass" } else { "fail" };
                let expected_by_wording = match (Op::for_wording(&t.wording).unwrap(), label) {
                    (Op::Ge, "at") | (Op::Ge, "above") | (Op::Gt, "above") => "pass",
                    (Op::Le, "at") | (Op::Le, "below") | (Op::Lt, "below") => "pass",
                    _ => "fail",
                };
                assert_eq!(want, expected_by_wording, "{} {label}", rule.id);
                assert_eq!(status(&checked, &rule.id), want, "{} {label} {value} ({})", rule.id, t.wording);
                if want == "fail" {
                    let f = checked.findings.iter().find(|f| f.rule == rule.id).expect("a finding for the failure");
                    assert_eq!(f.citation.as_ref().unwrap().clause, rule.citation.clause);
                }
            }
            proved += 1;
        }
    }
    assert!(proved >= 30, "only {proved} thresholds proved");
}

#[test]
fn wording_follows_chinese_legal_usage() {
    for (w, op) in [("以上", Op::Ge), ("以下", Op::Le), ("不少于", Op::Ge), ("不低于", Op::Ge), ("达到", Op::Ge), ("达到……以上", Op::Ge), ("超过", Op::Gt), ("不满", Op::Lt), ("低于", Op::Lt)] {
        assert_eq!(Op::for_wording(w), Some(op), "{w}");
    }
    assert!(Op::Ge.holds(50.0, 50.0) && !Op::Gt.holds(50.0, 50.0) && !Op::Lt.holds(50.0, 50.0) && Op::Le.holds(50.0, 50.0));
}

/// Every citation quotes its seed verbatim (whitespace aside; "……" elides).
#[test]
fn citations_quote_the_seeds_verbatim() {
    let seeds = root().join("../shared/seeds");
    if !seeds.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI must have ../shared/seeds beside the repository");
        eprintln!("skipped: ../shared/seeds not present");
        return;
    }
    let flat = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let registry = Registry::embedded();
    let mut checked = 0;
    for pack in registry.all() {
        let mut citations = vec![&pack.lookback.citation];
        citations.extend(pack.rules.iter().map(|r| &r.citation));
        citations.extend(pack.relaxation.iter().map(|r| &r.citation));
        citations.extend(pack.scoring.iter().flat_map(|s| s.items.iter().map(|i| &i.citation).chain(s.bonus.iter().map(|b| &b.citation))));
        for c in citations {
            let text = flat(&std::fs::read_to_string(seeds.join(&c.seed)).unwrap_or_else(|_| panic!("seed {}", c.seed)));
            for part in c.quote.split("……") {
                assert!(text.contains(&flat(part)), "{} {}: not in {}: {part}", pack.id, c.clause, c.seed);
            }
            checked += 1;
        }
    }
    assert!(checked > 60);
}

fn district() -> (Loaded, Value) {
    let base = load_fixture("dalian-2023-district");
    let json = base.json.clone();
    (base, json)
}

#[test]
fn key_support_turns_scale_failures_into_advisories_and_says_so() {
    let (base, mut json) = district();
    set_measure(&mut json, "trainees", Over::Total, 400);
    for y in json["training"]["years"].as_array_mut().unwrap() {
        let t = y["trainees"].as_i64().unwrap();
        y["passed"] = json!(t * 9 / 10);
        y["order_directed"] = json!(t * 6 / 10);
        y["employed_3m"] = json!(t * 72 / 100);
        y["employed_6m"] = json!(t * 8 / 10);
        y["subsidised"] = json!(t / 2);
        y.as_object_mut().unwrap().remove("declared_rates");
        y.as_object_mut().unwrap().remove("certificates");
    }
    let without = check_json_value(&base, json.clone());
    assert_eq!(status(&without, "dalian-2023.district.trainees"), "fail");
    assert!(without.findings.iter().any(|f| f.rule == "dalian-2023.district.trainees" && f.severity == dossier::diag::Severity::Error));

    json["training"]["key_support"] = json!({"claimed": true, "categories": ["recognised_heritage_regional"], "evidence": ["E01"]});
    let with = check_json_value(&base, json.clone());
    assert_eq!(status(&with, "dalian-2023.district.trainees"), "relaxed");
    assert_eq!(status(&with, "dalian-2023.district.subsidised"), "relaxed");
    let f = with.findings.iter().find(|f| f.rule == "dalian-2023.district.trainees").unwrap();
    assert_eq!(f.severity, dossier::diag::Severity::Warning);
    assert!(f.message.contains("放宽") && f.citation.as_ref().unwrap().clause == "三、（四）", "{}", f.message);
    // Pass rate is not a scale condition: it is never relaxed.
    assert_eq!(status(&with, "dalian-2023.district.pass-rate"), "pass");
    assert_eq!(with.score.as_ref().unwrap().items.iter().find(|i| i.id == "3.1").unwrap().points, 5.0);

    // 69.9 % within three months does not reach 70 %: no relaxation, and a warning says why.
    for y in json["training"]["years"].as_array_mut().unwrap() {
        y["trainees"] = json!(1000);
        y["employed_3m"] = json!(699);
        y["employed_6m"] = json!(800);
        y["passed"] = json!(900);
        y["order_directed"] = json!(600);
    }
    set_measure(&mut json, "subsidised", Over::Total, 100);
    let short = check_json_value(&base, json);
    assert_eq!(status(&short, "dalian-2023.district.subsidised"), "fail");
    assert!(short.findings.iter().any(|f| f.rule == "dalian-2023.key-support" && f.message.contains("不予放宽")));
}

#[test]
fn city_tier_needs_the_district_title_first() {
    let base = load_fixture("dalian-2023-city");
    let mut json = base.json.clone();
    assert_eq!(status(&check_json_value(&base, json.clone()), "dalian-2023.city.district-title"), "pass");
    json["brand"]["existing_titles"] = json!([]);
    let checked = check_json_value(&base, json.clone());
    assert_eq!(status(&checked, "dalian-2023.city.district-title"), "fail");
    // A title granted after the application year does not count.
    json["brand"]["existing_titles"] = json!([{"title": "区级品牌", "level": "district", "issuer": "区人社局", "year": 2024}]);
    assert_eq!(status(&check_json_value(&base, json), "dalian-2023.city.district-title"), "fail");
}

#[test]
fn naming_rules_follow_the_kind_of_applicant() {
    let (base, mut json) = district();
    assert_eq!(status(&check_json_value(&base, json.clone()), "dalian-2023.naming.enterprise"), "pass");
    json["brand"]["name"] = json!("沙河口育婴培训");
    let checked = check_json_value(&base, json.clone());
    assert_eq!(status(&checked, "dalian-2023.naming.enterprise"), "fail");
    let f = checked.findings.iter().find(|f| f.rule == "dalian-2023.naming.enterprise").unwrap();
    assert_eq!(f.severity, dossier::diag::Severity::Warning, "naming is advisory (可由……构成)");
    json["applicant"]["kind"] = json!("industry_association");
    json["brand"]["name"] = json!("大连育婴师");
    let checked = check_json_value(&base, json);
    assert_eq!(status(&checked, "dalian-2023.naming.association"), "pass");
    assert_eq!(status(&checked, "dalian-2023.naming.enterprise"), "absent");
}

fn score_of(checked: &Checked, id: &str) -> f64 {
    checked.score.as_ref().unwrap().items.iter().find(|i| i.id == id).map(|i| i.points).unwrap()
}

#[test]
fn evaluation_table_bands_and_gaps() {
    let (base, json) = district();
    // 1.3: full-time teacher share. 80 % → 4; 79.5 % (a gap between bands) → 3; 60 % → 1; 59 % → 0.
    for (full, part, want) in [(4, 1, 4.0), (159, 41, 3.0), (7, 3, 3.0), (3, 2, 1.0), (59, 41, 0.0)] {
        let mut j = json.clone();
        let t = j["staff"]["full_time_teachers"][0].clone();
        j["staff"]["full_time_teachers"] = json!(vec![t.clone(); full]);
        j["staff"]["part_time_teachers"] = json!(vec![t; part]);
        assert_eq!(score_of(&check_json_value(&base, j), "1.3"), want, "{full}/{part}");
    }
    // 2.4: order share 80 → 6, 79.9 → 4, 65 → 4, 64.9 → 2, 50 → 2, 49.9 → 0.
    for (units, want) in [(800, 6.0), (799, 4.0), (650, 4.0), (649, 2.0), (500, 2.0), (499, 0.0)] {
        let mut j = json.clone();
        set_measure(&mut j, "trainees", Over::EachYear, 1000);
        set_measure(&mut j, "order_directed_share", Over::Total, units);
        assert_eq!(score_of(&check_json_value(&base, j), "2.4"), want, "{units}");
    }
    // 2.5: the lower year's employment rate decides the band.
    for (units, want) in [(850, 6.0), (849, 4.0), (800, 4.0), (700, 3.0), (600, 2.0), (500, 1.0), (499, 0.0)] {
        let mut j = json.clone();
        set_measure(&mut j, "trainees", Over::EachYear, 1000);
        set_measure(&mut j, "employment_rate", Over::EachYear, units);
        assert_eq!(score_of(&check_json_value(&base, j), "2.5"), want, "{units}");
    }
}

#[test]
fn pass_rate_item_scores_each_certificate_kind_and_caps_at_six() {
    let (base, json) = district();
    let with = |skill: (i64, i64), special: (i64, i64)| {
        let mut j = json.clone();
        for y in j["training"]["years"].as_array_mut().unwrap() {
            y["trainees"] = json!(skill.0 + special.0);
            y["passed"] = json!(skill.1 + special.1);
            y["certificates"] = json!([
                {"kind": "skill_level", "trainees": skill.0, "passed": skill.1},
                {"kind": "special_ability_or_training", "trainees": special.0, "passed": special.1}
            ]);
            y.as_object_mut().unwrap().remove("declared_rates");
        }
        score_of(&check_json_value(&base, j), "2.2")
    };
    // Special ability: 98 % is "98%以上" (inclusive) → 6, not the 95–98 band.
    assert_eq!(with((0, 0), (1000, 980)), 6.0);
    assert_eq!(with((0, 0), (1000, 979)), 4.0);
    assert_eq!(with((0, 0), (1000, 950)), 4.0);
    assert_eq!(with((0, 0), (1000, 949)), 2.0);
    assert_eq!(with((0, 0), (1000, 899)), 0.0);
    // Skill level: 90 → 6, 89.9 → 4 (gap goes down), 85 → 4, 80 → 2, 79.9 → 0.
    assert_eq!(with((1000, 900), (0, 0)), 6.0);
    assert_eq!(with((1000, 899), (0, 0)), 4.0);
    assert_eq!(with((1000, 850), (0, 0)), 4.0);
    assert_eq!(with((1000, 800), (0, 0)), 2.0);
    assert_eq!(with((1000, 799), (0, 0)), 0.0);
    // Both kinds add up, capped at 6.
    assert_eq!(with((500, 400), (500, 475)), 6.0);
    assert_eq!(with((500, 400), (500, 455)), 4.0);
}

#[test]
fn claimed_items_are_capped_and_need_evidence_and_totals_stay_apart() {
    let (base, mut json) = district();
    let claims = json["self_assessment"].as_array_mut().unwrap();
    claims[0]["points"] = json!(9);
    claims[1]["evidence"] = json!([]);
    let (item0, item1) = (claims[0]["item"].as_str().unwrap().to_owned(), claims[1]["item"].as_str().unwrap().to_owned());
    claims.push(json!({"item": "2.1", "points": 6, "basis": "自评", "evidence": ["E01"]}));
    let checked = check_json_value(&base, json);
    let score = checked.score.as_ref().unwrap();
    let line = |id: &str| score.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(line(&item0).points, line(&item0).max);
    assert_eq!(line(&item1).points, 0.0);
    let rules: Vec<&str> = checked.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"score.claim-capped") && rules.contains(&"score.claim-without-evidence") && rules.contains(&"score.claim-ignored"), "{rules:?}");
    let computed: f64 = score.items.iter().filter(|i| format!("{:?}", i.method) == "Computed").map(|i| i.points).sum();
    let claimed: f64 = score.items.iter().filter(|i| format!("{:?}", i.method) == "Claimed").map(|i| i.points).sum();
    assert_eq!((score.computed, score.claimed), (computed, claimed));
    assert_eq!(score.total, computed + claimed + score.bonus_total);
    assert_eq!(score.items.len(), 20);
    assert_eq!(score.items.iter().map(|i| i.max).sum::<f64>(), 100.0);
}

#[test]
fn bonus_counts_evidence_backed_items_and_media_takes_the_highest_level() {
    let (base, mut json) = district();
    json["reputation"]["media_reports"] = json!([
        {"outlet": "辽宁日报", "level": "provincial", "title": "a", "date": "2022-05-01", "evidence": ["E01"]},
        {"outlet": "人民日报", "level": "national", "title": "b", "date": "2022-06-01", "evidence": ["E01"]}
    ]);
    let s = check_json_value(&base, json.clone()).score.unwrap();
    assert_eq!(s.bonus.iter().find(|b| b.id == "bonus.media").unwrap().points, 5.0);
    json["reputation"]["media_reports"][1]["evidence"] = json!([]);
    let s = check_json_value(&base, json).score.unwrap();
    assert_eq!(s.bonus.iter().find(|b| b.id == "bonus.media").unwrap().points, 3.0);
}

#[test]
fn json_output_carries_metrics_with_derivations_and_the_score() {
    let run = check_json(&root().join("fixtures/dalian-2023-city"));
    let report = run.json();
    let m = &report["metrics"]["trainees.total"];
    assert_eq!(m["value"], 1607.0);
    assert!(m["derivation"].as_str().unwrap().contains("2021 年"));
    // Declared in dossier.yaml and counted again from the roster.
    assert_eq!(m["source"], "both");
    assert!(report["metrics"]["employment_rate.each_year"]["per_year"].as_array().unwrap().len() == 2);
    let score = &report["score"];
    assert_eq!(score["max"], 100.0);
    assert!(score["items"].as_array().unwrap().iter().all(|i| i["method"] == "computed" || i["method"] == "claimed"));
    assert!(score["computed"].as_f64().unwrap() > 0.0 && score["claimed"].as_f64().unwrap() > 0.0);
    let text = run_text("fixtures/dalian-2023-city");
    assert!(text.contains("指标") && text.contains("✓ 达到") && text.contains("通过"), "{text}");
}

fn run_text(rel: &str) -> String {
    run(&["check", root().join(rel).to_str().unwrap()]).stdout
}

#[test]
fn policy_file_adds_a_county_pack_without_recompiling() {
    let dir = tempdir("county-pack");
    let pack = dir.join("jiuyuan.yaml");
    std::fs::write(
        &pack,
        r#"
id: inner-mongolia-2022-jiuyuan
version: "2023.1"
title: 九原区旗县级职业技能培训品牌标准
document: 包头市九原区人社局（示例）
seed: 003_46314927d86d8b12.txt
tiers: [{id: county, name: 旗县（市、区）级}]
lookback: {years: 1, citation: {seed: 003_46314927d86d8b12.txt, clause: 三、（三）2（3）, quote: 旗县(市、区)根据当地经济发展、人口规模、产业需求、实现就业等实际情况自行确定}}
rules:
  - id: inner-mongolia-2022-jiuyuan.trainees
    title: 旗县级：上年度培训规模达到600人以上
    severity: blocking
    applies: {tiers: [county]}
    kind: threshold
    threshold: {measure: trainees, over: each_year, op: ge, value: 600, wording: 达到……以上}
    citation: {seed: 003_46314927d86d8b12.txt, clause: 三、（三）2（3）, quote: 自行确定}
"#,
    )
    .unwrap();
    let src = root().join("fixtures/inner-mongolia-2022-region");
    let dst = dir.join("d");
    std::fs::create_dir_all(&dst).unwrap();
    let text = std::fs::read_to_string(src.join("dossier.yaml")).unwrap();
    let text = text.replace("id: inner-mongolia-2022", "id: inner-mongolia-2022-jiuyuan").replace("tier: region", "tier: county");
    std::fs::write(dst.join("dossier.yaml"), text).unwrap();
    for entry in ["evidence", "rosters"] {
        copy_dir(&src.join(entry), &dst.join(entry));
    }
    let without = check_json(&dst);
    assert!(findings(&without.json()).iter().any(|f| f.0 == "policy.unknown"));
    let with = run(&["check", "--format", "json", "--policy-file", pack.to_str().unwrap(), dst.to_str().unwrap()]);
    let report = with.json();
    assert_eq!(report["policy"]["id"], "inner-mongolia-2022-jiuyuan");
    // 538 trainees do not reach the county's 600.
    assert!(findings(&report).iter().any(|f| f.0 == "inner-mongolia-2022-jiuyuan.trainees" && f.3 == "error"), "{:?}", findings(&report));
    assert_eq!(with.code, 1);
    // A broken pack is refused with its position, exit 2.
    std::fs::write(&pack, "id: x\nversion: 1\n").unwrap();
    let bad = run(&["check", "--policy-file", pack.to_str().unwrap(), dst.to_str().unwrap()]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("政策包") && bad.stderr.contains("第 "), "{}", bad.stderr);
}

#[test]
fn policies_and_explain_print_rules_clauses_and_notes() {
    let list = run(&["policies"]);
    assert_eq!(list.code, 0);
    for id in ["dalian-2023", "liaoning-2024", "inner-mongolia-2022"] {
        assert!(list.stdout.contains(id));
    }
    let rules = run(&["policies", "liaoning-2024"]);
    assert!(rules.stdout.contains("liaoning-2024.region.trainees-major-city") && rules.stdout.contains("不少于 2000人"), "{}", rules.stdout);
    let explain = run(&["explain", "dalian-2023.city.employment"]);
    assert_eq!(explain.code, 0);
    assert!(explain.stdout.contains("三、（三）1") && explain.stdout.contains("按每个年度分别判断"), "{}", explain.stdout);
    let item = run(&["explain", "dalian-2023:2.2"]);
    assert!(item.stdout.contains("98%得6分"), "{}", item.stdout);
    assert!(run(&["explain", "dalian-2023:2.4"]).stdout.contains("79.5%"));
    assert_eq!(run(&["explain", "no.such.rule"]).code, 2);
}

/// The readings the texts leave open are stated where `explain` shows them.
#[test]
fn explain_states_the_readings() {
    let said = |id: &str, lang: &str| {
        let r = run(&["explain", id, "--lang", lang]);
        assert_eq!(r.code, 0, "{id}: {}", r.stderr);
        r.stdout
    };
    // The 6-month rate where no period is given; the only period named is 三个月内.
    for id in ["dalian-2023.city.employment", "dalian-2023.district.employment", "inner-mongolia-2022.region.employment", "inner-mongolia-2022.league.employment"] {
        let zh = said(id, "zh");
        assert!(zh.contains("原文未规定") && zh.contains("六个月内") && zh.contains("三个月内"), "{id}: {zh}");
        assert!(said(id, "en").contains("the six-month rate is used"), "{id}");
    }
    let rural = said("liaoning-2024.other.rural-employment", "zh");
    assert!(rural.contains("未规定统计期限") && rural.contains("六个月内"), "{rural}");
    // 2.5 on the lower year.
    let item = said("dalian-2023:2.5", "zh");
    assert!(item.contains("按较低一年计分"), "{item}");
    assert!(said("dalian-2023:2.5", "en").contains("Scored on the lower year"));
    // 适当放宽: scale failures become advisories, and the bureau decides.
    for id in ["dalian-2023.key-support", "dalian-2023.city.trainees", "dalian-2023.city.subsidised", "dalian-2023.district.trainees", "dalian-2023.district.subsidised"] {
        let zh = said(id, "zh");
        assert!(zh.contains("可适当放宽条件") && zh.contains("改为提示") && zh.contains("由人社部门决定"), "{id}: {zh}");
        assert!(said(id, "en").contains("the bureau decides"), "{id}");
    }
}

/// Every material, location and length rule fails when its data is taken away.
#[test]
fn every_material_location_and_length_rule_can_fail() {
    let registry = Registry::embedded();
    let mut proved = 0;
    for pack in registry.all() {
        let base = load_fixture(fixture_for(&pack.id));
        for rule in &pack.rules {
            let mut json = base.json.clone();
            fit(&mut json, rule);
            if status(&check_json_value(&base, json.clone()), &rule.id) == "absent" {
                continue;
            }
            let pointer = match &rule.check {
                Check::Presence { presence } => presence.pointer.clone(),
                Check::Location { location } => location.pointer.clone(),
                Check::TextLength { text_length } => text_length.pointer.clone(),
                _ => continue,
            };
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let target = if parent.is_empty() { &mut json } else { json.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}")) };
            match &rule.check {
                Check::Presence { .. } => {
                    target.as_object_mut().unwrap().remove(key);
                }
                Check::Location { .. } => target[key] = json!("北京市"),
                Check::TextLength { text_length } => target[key] = json!("字".repeat(text_length.max + 1)),
                _ => unreachable!(),
            }
            let checked = check_json_value(&base, json);
            assert_eq!(status(&checked, &rule.id), "fail", "{}", rule.id);
            let finding = checked.findings.iter().find(|f| f.rule == rule.id).expect("finding");
            assert_eq!(finding.citation.as_ref().unwrap().seed, rule.citation.seed);
            proved += 1;
        }
    }
    assert!(proved >= 12, "only {proved}");
}

/// 附件2 5.1 counts partners whose agreement is in force on the application date (the
/// commitment date, else the policy's deadline): signed the day before or on it counts,
/// the day after does not; expired the day before does not, on the day does.
#[test]
fn partners_count_only_agreements_in_force_on_the_application_date() {
    let (base, json) = district();
    let with = |commitment: Option<&str>, dates: [(&str, &str); 3]| {
        let mut j = json.clone();
        match commitment {
            Some(d) => j["commitment"]["date"] = json!(d),
            None => {
                j["commitment"].as_object_mut().unwrap().remove("date");
            }
        }
        for (i, (signed, until)) in dates.iter().enumerate() {
            j["service"]["partners"][i]["agreement_date"] = json!(signed);
            j["service"]["partners"][i]["valid_until"] = json!(until);
        }
        let checked = check_json_value(&base, j);
        let m = checked.metrics["partners.total"].value.unwrap();
        (m, score_of(&checked, "5.1"))
    };
    let on = "2023-05-22";
    // Day before and on the date count (2 → 5 points); the day after does not.
    assert_eq!(with(Some(on), [("2023-05-21", "2025-12-31"), ("2023-05-22", "2025-12-31"), ("2023-05-23", "2025-12-31")]), (2.0, 5.0));
    assert_eq!(with(Some(on), [("2023-05-21", "2025-12-31"), ("2023-05-23", "2025-12-31"), ("2023-05-23", "2025-12-31")]), (1.0, 0.0));
    // Expired the day before does not count; valid until the date, or 长期, does.
    assert_eq!(with(Some(on), [("2021-01-01", "2023-05-21"), ("2021-01-01", "2023-05-22"), ("2021-01-01", "长期")]), (2.0, 5.0));
    assert_eq!(with(Some(on), [("2021-01-01", "2023-05-21"), ("2021-01-01", "2023-05-21"), ("2021-01-01", "长期")]), (1.0, 0.0));
    // Without a commitment date, the deadline (四、 5月29日) is the application date.
    assert_eq!(with(None, [("2023-05-28", "长期"), ("2023-05-29", "长期"), ("2023-05-30", "长期")]), (2.0, 5.0));
    assert_eq!(with(None, [("2021-01-01", "2023-05-28"), ("2023-05-30", "长期"), ("2023-05-30", "长期")]), (0.0, 0.0));
    let checked = check_json_value(&base, json.clone());
    let basis = checked.metrics["partners.total"].derivation.zh.as_str();
    assert!(basis.contains("申报日") && basis.contains("2023-05-22"), "{basis}");
}
