//! Issue 13: the mistakes applicants really make get a located, Chinese answer.

use crate::common::*;

/// The first finding of a check of fixtures/invalid/<name> as JSON.
fn first_finding(name: &str, rule: &str) -> serde_json::Value {
    let report = check_json(&root().join("fixtures/invalid").join(name)).json();
    report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == rule).unwrap_or_else(|| panic!("{name}: no {rule} in {report}")).clone()
}

#[test]
fn full_width_colon_and_ideographic_space_are_named_at_their_place() {
    let f = first_finding("full-width-colon", "yaml.full-width");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(15), Some(13)), "{f}");
    assert!(f["message"].as_str().unwrap().contains("全角冒号"), "{f}");
    assert!(f["hint"].as_str().unwrap().contains("short_name: "), "{f}");
    let f = first_finding("ideographic-space-indent", "yaml.full-width");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(15), Some(1)), "{f}");
    assert!(f["message"].as_str().unwrap().contains("全角空格"), "{f}");
    // English too.
    let run = run(&["check", "--lang", "en", root().join("fixtures/invalid/full-width-colon").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("full-width colon") && run.stdout.contains(":15:13"), "{}", run.stdout);
}

#[test]
fn full_width_letters_in_a_credit_code_get_a_full_width_hint() {
    for rule in ["code.credit-code", "schema.format"] {
        let f = first_finding("credit-code-full-width", rule);
        assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(532), Some(18)), "{f}");
        assert!(f["hint"].as_str().unwrap().contains("第 9 个字符“Ｍ”是全角字符，请改为半角“M”"), "{f}");
    }
}
