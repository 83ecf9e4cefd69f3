//! Province, city and district as GB/T 2260 divisions: short and long forms and stray spaces
//! are one place (with a warning naming the standard name), unknown names are refused with the
//! valid ones, and every rule that depends on the city compares codes.

use crate::common::*;

use dossier::load::{self, Loaded};
use dossier::policy::Registry;
use dossier::rules::{self, Checked};
use serde_json::{Value, json};

fn fixture(name: &str) -> Loaded {
    load::load(&root().join("fixtures").join(name)).expect("fixture loads")
}

/// Check the fixture with its applicant's place changed (rosters kept: the city's subsidy
/// audits run on them).
fn with_place(base: &Loaded, brand_type: Option<&str>, province: &str, city: &str, district: Option<&str>) -> Checked {
    let mut json = base.json.clone();
    if let Some(t) = brand_type {
        json["policy"]["brand_type"] = json!(t);
    }
    json["applicant"]["province"] = json!(province);
    json["applicant"]["city"] = json!(city);
    match district {
        Some(d) => json["applicant"]["district"] = json!(d),
        None => {
            json["applicant"].as_object_mut().unwrap().remove("district");
        }
    }
    let loaded = Loaded { dir: base.dir.clone(), file: base.file.clone(), text: String::new(), json, index: Default::default(), issues: vec![], source: base.source.clone() };
    rules::check(&loaded, &Registry::embedded())
}

fn applied(c: &Checked, rule: &str) -> bool {
    c.outcomes.iter().any(|o| o.rule == rule)
}

fn found<'a>(c: &'a Checked, rule: &str) -> Vec<&'a dossier::diag::Diagnostic> {
    c.findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn liaoning_major_city_thresholds_apply_to_every_form_of_dalian_and_shenyang() {
    let base = fixture("liaoning-2024-enterprise");
    for (city, standard) in [("大连市", "大连市"), ("大连", "大连市"), ("大连市 ", "大连市"), (" 沈阳", "沈阳市"), ("沈阳市", "沈阳市")] {
        for (brand_type, major, other) in [
            ("administrative_region", "liaoning-2024.region.trainees-major-city", "liaoning-2024.region.trainees-other-city"),
            ("industry", "liaoning-2024.industry.trainees-major-city", "liaoning-2024.industry.trainees-other-city"),
        ] {
            let c = with_place(&base, Some(brand_type), "辽宁省", city, None);
            assert!(applied(&c, major) && !applied(&c, other), "{city:?} {brand_type}: 2000/1500, not 800/500");
            let warned = found(&c, "place.nonstandard");
            if city == standard {
                assert!(warned.is_empty(), "{city:?}: {warned:?}");
            } else {
                assert_eq!(warned.len(), 1, "{city:?}");
                assert_eq!(warned[0].severity, dossier::diag::Severity::Warning);
                assert!(warned[0].message.contains(&format!("“{standard}”")), "{}", warned[0].message);
                assert_eq!(warned[0].at.pointer, "/applicant/city");
            }
        }
    }
    // Huludao and the Shenfu zone are other cities.
    for city in ["葫芦岛市", "葫芦岛", "沈抚示范区", "沈抚改革创新示范区"] {
        let c = with_place(&base, Some("administrative_region"), "辽宁省", city, None);
        assert!(applied(&c, "liaoning-2024.region.trainees-other-city"), "{city}");
        assert!(!applied(&c, "liaoning-2024.region.trainees-major-city"), "{city}");
        assert!(found(&c, "place.unknown").is_empty(), "{city}");
    }
}

#[test]
fn the_citys_subsidy_audits_follow_its_code() {
    let base = fixture("liaoning-2024-enterprise");
    for city in ["大连市", "大连", "大连市\u{3000}"] {
        let c = with_place(&base, None, "辽宁省", city, None);
        assert!(applied(&c, "dalian-2011.subsidy.once-per-year"), "{city:?}: the Dalian 2011 audit is not skipped");
        assert!(!applied(&c, "huludao-2019.subsidy.amounts"), "{city:?}");
    }
    for city in ["葫芦岛市", "葫芦岛"] {
        let c = with_place(&base, None, "辽宁", city, None);
        assert!(applied(&c, "huludao-2019.subsidy.amounts") && !applied(&c, "dalian-2011.subsidy.once-per-year"), "{city}");
        assert!(found(&c, "place.nonstandard").iter().any(|f| f.at.pointer == "/applicant/province" && f.message.contains("“辽宁省”")), "{city}");
    }
}

#[test]
fn an_unknown_city_is_refused_with_the_valid_names() {
    let base = fixture("liaoning-2024-enterprise");
    let c = with_place(&base, None, "辽宁省", "大连县", None);
    let refused = found(&c, "place.unknown");
    assert_eq!(refused.len(), 1, "{:?}", c.findings);
    let f = refused[0];
    assert_eq!(f.severity, dossier::diag::Severity::Error);
    assert_eq!(f.at.pointer, "/applicant/city");
    for name in ["沈阳市", "大连市", "葫芦岛市", "沈抚示范区"] {
        assert!(f.message.contains(name), "{}", f.message);
    }
    assert!(f.message.contains("“大连县”") && f.message.contains("辽宁省"), "{}", f.message);
    // An unknown province too, listing the provinces.
    let c = with_place(&base, None, "辽东省", "大连市", None);
    let f = found(&c, "place.unknown");
    assert!(f.iter().any(|f| f.at.pointer == "/applicant/province" && f.message.contains("内蒙古自治区")), "{f:?}");
    // Inner Mongolia's leagues are cities; a wrong one lists 盟 and 市.
    let im = fixture("inner-mongolia-2022-region");
    let ok = with_place(&im, None, "内蒙古自治区", "锡林郭勒", None);
    assert!(found(&ok, "place.unknown").is_empty());
    assert!(found(&ok, "place.nonstandard").iter().any(|f| f.message.contains("“锡林郭勒盟”")));
    let bad = with_place(&im, None, "内蒙古自治区", "锡林盟", None);
    let f = &found(&bad, "place.unknown")[0];
    assert!(f.message.contains("兴安盟") && f.message.contains("包头市"), "{}", f.message);
}

#[test]
fn dalian_location_and_districts_compare_codes() {
    let base = fixture("dalian-2023-district");
    for city in ["大连市", "大连", " 大连市 "] {
        let c = with_place(&base, None, "辽宁省", city, Some("甘井子"));
        let location = c.outcomes.iter().find(|o| o.rule == "dalian-2023.basic.location").unwrap();
        assert_eq!(location.status, dossier::rules::outcomes::Status::Pass, "{city:?}");
        assert!(found(&c, "place.nonstandard").iter().any(|f| f.at.pointer == "/applicant/district" && f.message.contains("“甘井子区”")));
    }
    let c = with_place(&base, None, "辽宁省", "沈阳市", Some("和平区"));
    let location = c.outcomes.iter().find(|o| o.rule == "dalian-2023.basic.location").unwrap();
    assert_eq!(location.status, dossier::rules::outcomes::Status::Fail);
    // A district GB/T 2260 does not list (a zone) is advisory, listing Dalian's 区市县.
    let c = with_place(&base, None, "辽宁省", "大连市", Some("金普新区"));
    let f = &found(&c, "place.unknown-district")[0];
    assert_eq!(f.severity, dossier::diag::Severity::Warning);
    for name in ["中山区", "西岗区", "沙河口区", "甘井子区", "旅顺口区", "金州区", "普兰店区", "长海县", "瓦房店市", "庄河市"] {
        assert!(f.message.contains(name), "{}", f.message);
    }
}

/// 七、（三）: two brands of one type spelled 葫芦岛市 and 葫芦岛 are one city's.
#[test]
fn batch_rules_group_by_city_code() {
    let inbox = tempdir("places-batch");
    for (i, city) in ["葫芦岛市", "葫芦岛"].iter().enumerate() {
        let src = tempdir(&format!("places-batch-src{i}"));
        copy_dir(&root().join("fixtures/liaoning-2024-enterprise"), &src);
        let yaml = std::fs::read_to_string(src.join("dossier.yaml")).unwrap();
        let yaml = yaml.replacen("  city: 葫芦岛市\n", &format!("  city: {city}\n"), 1).replace("name: 海星船舶焊工", &format!("name: 海星船舶焊工{i}"));
        std::fs::write(src.join("dossier.yaml"), yaml).unwrap();
        let out = tempdir(&format!("places-batch-out{i}"));
        let built = run(&["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "zip") {
                std::fs::copy(&p, inbox.join(format!("{i}-{}", p.file_name().unwrap().to_string_lossy()))).unwrap();
            }
        }
    }
    let r = run(&["verify", "--format", "json", inbox.to_str().unwrap()]);
    let json: Value = r.json();
    let dossiers = json["dossiers"].as_array().unwrap();
    assert_eq!(dossiers.len(), 2);
    for d in dossiers {
        let f = d["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "liaoning-2024.batch.distinct-types");
        let f = f.unwrap_or_else(|| panic!("same type in one city: {}", d["findings"]));
        assert!(f["message"].as_str().unwrap().starts_with("葫芦岛市的"), "{}", f["message"]);
    }
}

/// An ID in dossier.yaml whose address code no GB/T 2260 revision listed: a warning at it.
#[test]
fn an_unknown_id_address_code_in_the_dossier_is_a_warning() {
    let dir = tempdir("places-id-address");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &dir);
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    let fake = valid_id("210299", "19690812", 264);
    let yaml = yaml.replacen("id_number: \"210204196908122642\"", &format!("id_number: \"{fake}\""), 1);
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    let r = check_json(&dir).json();
    let f: Vec<&Value> = r["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "code.id-address").collect();
    assert_eq!(f.len(), 1, "{}", r["findings"]);
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!(f[0]["line"], 26);
    assert!(!r["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "code.id-number"));
}
