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

/// No English library text in a Chinese message (the original may follow on a detail line).
fn no_english_library_text(s: &str) {
    for leak in ["No such file", "os error", "invalid Zip", "EOCD", "while parsing", "did not find expected"] {
        let shown: Vec<&str> = s.lines().filter(|l| l.contains(leak) && !l.contains("解析器原文")).collect();
        assert!(shown.is_empty(), "“{leak}” leaks: {shown:?}");
    }
}

#[test]
fn library_errors_are_wrapped_in_chinese() {
    let dir = tempdir("i13-lib-errors");
    let missing = dir.join("没有这个目录");
    let run1 = run(&["check", missing.to_str().unwrap()]);
    assert_eq!(run1.code, 2);
    assert!(run1.stdout.contains("错误[input.unreadable]: 找不到文件"), "{}", run1.stdout);
    no_english_library_text(&run1.stdout);
    let zip = dir.join("坏.zip");
    std::fs::write(&zip, b"not a zip at all").unwrap();
    let run2 = run(&["verify", "--no-render", zip.to_str().unwrap()]);
    assert!(run2.stdout.contains("错误[zip.unreadable]: 不是完整的 zip 压缩包：找不到 zip 的目录结尾"), "{}", run2.stdout);
    no_english_library_text(&run2.stdout);
    // A YAML syntax error: Chinese message at its line, the parser's words only on a detail line.
    let bad = dir.join("bad");
    copy_dir(&root().join("fixtures/invalid/_base"), &bad);
    let yaml = bad.join("dossier.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replacen("  tier: district", "  tier: [district", 1);
    std::fs::write(&yaml, text).unwrap();
    let run3 = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(run3.code, 2);
    assert!(run3.stdout.contains("错误[yaml.syntax]: YAML 语法错误：冒号“:”的位置不对（常见原因：上文的方括号“[”"), "{}", run3.stdout);
    assert!(run3.stdout.lines().any(|l| l.trim_start().starts_with("= 解析器原文：")), "{}", run3.stdout);
    no_english_library_text(&run3.stdout);
}

#[test]
fn an_outdented_key_is_reported_at_its_own_line() {
    let dir = tempdir("i13-outdent");
    copy_dir(&root().join("fixtures/invalid/_base"), &dir);
    let yaml = dir.join("dossier.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replacen("  - name: 家政服务员\n    code:", "  - name: 家政服务员\n  code:", 1);
    let line = text[..text.find("\n  code:").unwrap()].matches('\n').count() + 2;
    std::fs::write(&yaml, text).unwrap();
    let report = check_json(&dir).json();
    let got = findings(&report);
    assert_eq!(got.first().map(|(r, l, c, _)| (r.as_str(), *l as usize, *c)), Some(("yaml.indent", line, 3)), "{got:?}");
    assert!(report["findings"][0]["message"].as_str().unwrap().contains("键“code”的缩进"), "{report}");
}

#[test]
fn text_junit_and_github_cite_the_document_title_not_the_seed_file() {
    let dir = root().join("fixtures/invalid/year-outside-window");
    let dir = dir.to_str().unwrap();
    for format in ["text", "junit", "github"] {
        let out = run(&["check", "--format", format, dir]).stdout;
        assert!(out.contains("依据：《大连市培育建设职业技能培训品牌实施方案（试行）》"), "{format}: {out}");
        assert!(!out.contains(".txt "), "{format} cites a seed file: {out}");
    }
    let json = check_json(&root().join("fixtures/invalid/year-outside-window")).json();
    let cited = json["findings"].as_array().unwrap().iter().find(|f| f["citation"].is_object()).expect("a cited finding");
    assert_eq!(cited["citation"]["document"], "大连市培育建设职业技能培训品牌实施方案（试行）");
}

#[test]
fn help_is_chinese_and_english_with_lang_en() {
    for args in [&["--help"][..], &["check", "--help"], &["help", "verify"], &["build", "--help"], &["init", "--help"]] {
        let out = run(args).stdout;
        for english in ["Usage:", "Options:", "Commands:", "Arguments:", "Print help", "Print version", "[default:", "possible values", "[OPTIONS]"] {
            assert!(!out.contains(english), "{args:?} shows “{english}”:\n{out}");
        }
        assert!(out.contains("用法：") && out.contains("选项:"), "{args:?}: {out}");
        // Every argument is described: no line is a bare flag or placeholder.
        for line in out.lines().filter(|l| l.trim_start().starts_with('-') || l.trim_start().starts_with('<') || l.trim_start().starts_with('[')) {
            let described = line.trim().split("  ").filter(|p| !p.trim().is_empty()).count() >= 2;
            assert!(described, "{args:?}: undescribed “{line}”");
        }
    }
    let check = run(&["check", "--help"]).stdout;
    for described in ["[路径]...  申报材料目录", "--format <格式>", "输出格式：", "--policy-file <文件>  追加或覆盖政策包"] {
        assert!(check.contains(described), "{check}");
    }
    let en = run(&["check", "--help", "--lang", "en"]).stdout;
    assert!(en.contains("Usage: dossier check") && en.contains("output format:") && en.contains("dossier folders"), "{en}");
    assert!(!en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese in English help: {en}");
    let env = bin().args(["--help"]).env("DOSSIER_LANG", "en").output().unwrap();
    assert!(String::from_utf8(env.stdout).unwrap().contains("Commands:"));
}

#[test]
fn command_line_mistakes_are_answered_in_chinese() {
    for (args, said) in [
        (&["check", "--bogus"][..], &["错误：无法识别的参数 “--bogus”", "用法：dossier check [选项]", "查看帮助：dossier check --help"][..]),
        (&["chek"], &["无法识别的命令 “chek”", "是不是", "“check”"]),
        (&["check", "--format", "xml", "x"], &["“xml” 无效", "可用：text、json、sarif、github、junit"]),
        (&["init", "x"], &["缺少必需的参数", "--policy", "--tier"]),
    ] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        for s in said {
            assert!(r.stderr.contains(s), "{args:?}: {s} not in\n{}", r.stderr);
        }
        for english in ["error:", "Usage:", "tip:", "For more information"] {
            assert!(!r.stderr.contains(english), "{args:?}: “{english}” in\n{}", r.stderr);
        }
    }
    let en = run(&["--lang", "en", "check", "--bogus"]);
    assert_eq!(en.code, 2);
    assert!(en.stderr.contains("unexpected argument '--bogus'"), "{}", en.stderr);
}

#[test]
fn a_finding_that_refers_to_others_comes_after_them() {
    let dir = tempdir("i13-order");
    copy_dir(&root().join("fixtures/invalid/_base"), &dir);
    let yaml = dir.join("dossier.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap().replacen("    trainees: 318", "    trainees: 三百一十八", 1);
    std::fs::write(&yaml, text).unwrap();
    let got = findings(&check_json(&dir).json());
    let rules: Vec<&str> = got.iter().map(|(r, ..)| r.as_str()).collect();
    assert_eq!(rules, ["schema.type", "policy.skipped"], "{got:?}");
    assert!(got[0].1 > 400, "the type error at its line: {got:?}");
}

#[test]
fn errors_only_lists_errors_after_a_summary_line() {
    let dir = tempdir("i13-errors-only");
    let skeleton = dir.join("新材料");
    let init = run(&["init", skeleton.to_str().unwrap(), "--policy", "dalian-2023", "--tier", "city"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let all = run(&["check", skeleton.to_str().unwrap()]);
    let only = run(&["check", "--errors-only", skeleton.to_str().unwrap()]);
    assert_eq!(all.code, only.code);
    assert!(only.stdout.lines().count() * 3 < all.stdout.lines().count(), "{} vs {} lines", only.stdout.lines().count(), all.stdout.lines().count());
    let first = only.stdout.lines().next().unwrap();
    assert!(first.contains("：错误 ") && first.contains("处待填写）；以下只列出错误"), "{first}");
    assert!(!only.stdout.contains("提示["), "{}", only.stdout);
    let json = run(&["check", "--errors-only", "--format", "json", skeleton.to_str().unwrap()]).json();
    assert!(json["findings"].as_array().unwrap().iter().all(|f| f["severity"] == "error"));
    assert!(json["warnings_hidden"].as_u64().unwrap() > 100, "{}", json["warnings_hidden"]);
}

#[test]
fn a_real_date_in_another_form_is_one_finding_with_the_corrected_value() {
    for (name, written) in [("date-dotted", "2009.4.21"), ("date-chinese", "2009年4月21日"), ("date-wrong-format", "2009/04/21")] {
        let report = check_json(&root().join("fixtures/invalid").join(name)).json();
        let all = report["findings"].as_array().unwrap();
        assert_eq!(all.len(), 1, "{name}: {all:?}");
        let f = &all[0];
        assert_eq!((f["rule"].as_str(), f["line"].as_u64(), f["column"].as_u64()), (Some("date.format"), Some(20), Some(16)), "{name}: {f}");
        let message = f["message"].as_str().unwrap();
        assert!(message.contains(written) && message.contains("YYYY-MM-DD") && !message.contains("不是真实"), "{name}: {message}");
        assert!(f["hint"].as_str().unwrap().contains("\"2009-04-21\""), "{name}: {f}");
    }
    // A YYYY-MM-DD naming no day is still said to be no real date.
    let f = first_finding("date-not-real", "date.invalid");
    assert!(f["message"].as_str().unwrap().contains("不是真实的公历日期"));
}
