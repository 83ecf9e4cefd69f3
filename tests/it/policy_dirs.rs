//! Adding a policy is a data-only change: a policy directory (pack.yaml, bundle.tera) loaded
//! with --policy-dir, with a tier of its own that no schema or Rust enum knows.

use crate::common::*;

/// policies/dalian-2023 copied under a new id with a `town` tier; the district fixture moved to it.
fn town_policy(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let policy = dir.join("dalian-town");
    copy_dir(&root().join("policies/dalian-2023"), &policy);
    let pack = std::fs::read_to_string(policy.join("pack.yaml")).unwrap();
    let pack = pack.replace("dalian-2023.", "dalian-town.").replace("\nid: dalian-2023\n", "\nid: dalian-town\n").replace(
        "  - {id: district, name: 区级, name_en: \"District level\"}\n",
        "  - {id: district, name: 区级, name_en: \"District level\"}\n  - {id: town, name: 街道级, name_en: \"Town level\"}\n",
    );
    assert!(pack.contains("id: dalian-town") && pack.contains("id: town"));
    std::fs::write(policy.join("pack.yaml"), pack).unwrap();
    let dossier = dir.join("dossier");
    copy_dir(&root().join("fixtures/dalian-2023-district"), &dossier);
    let yaml = std::fs::read_to_string(dossier.join("dossier.yaml")).unwrap();
    let yaml = yaml.replace("  id: dalian-2023\n", "  id: dalian-town\n").replace("  tier: district\n", "  tier: town\n");
    std::fs::write(dossier.join("dossier.yaml"), yaml).unwrap();
    (policy, dossier)
}

#[test]
fn a_copied_policy_directory_with_its_own_tier_checks_and_builds() {
    let dir = tempdir("policy-dir");
    let (policy, dossier) = town_policy(&dir);
    // Without the directory the policy is unknown.
    let without = check_json(&dossier);
    assert_eq!(without.code, 1);
    assert!(findings(&without.json()).iter().any(|f| f.0 == "policy.unknown"));
    // With it, the tier `town` is the pack's own: no schema.enum, no policy.tier.
    let with = run(&["check", "--format", "json", "--policy-dir", policy.to_str().unwrap(), dossier.to_str().unwrap()]);
    let report = with.json();
    assert_eq!(with.code, 0, "{:?}", findings(&report));
    assert_eq!(report["policy"]["id"], "dalian-town");
    assert!(findings(&report).is_empty(), "{:?}", findings(&report));
    let out = dir.join("out");
    let built = run(&["build", "--policy-dir", policy.to_str().unwrap(), dossier.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
    let pages = pdf_pages(&output(&out, "pdf"));
    assert!(pages.len() > 5);
    assert!(flat(&pages.concat()).contains("街道级"), "the pack's own tier name is printed");
    // A tier the pack does not define is refused at its place, naming the pack's choices.
    let yaml = std::fs::read_to_string(dossier.join("dossier.yaml")).unwrap();
    std::fs::write(dossier.join("dossier.yaml"), yaml.replace("tier: town", "tier: village")).unwrap();
    let bad = run(&["check", "--format", "json", "--policy-dir", policy.to_str().unwrap(), dossier.to_str().unwrap()]);
    let bad_json = bad.json();
    let tier = bad_json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "policy.tier").expect("policy.tier");
    assert!(tier["message"].as_str().unwrap().contains("town=街道级"), "{tier}");
    assert_eq!(tier["line"], 7);
}

#[test]
fn a_pack_naming_an_unknown_measure_is_refused_at_the_name() {
    let dir = tempdir("policy-dir-typo");
    let (policy, dossier) = town_policy(&dir);
    let pack = std::fs::read_to_string(policy.join("pack.yaml")).unwrap();
    let line = pack.lines().position(|l| l.contains("measure: trainees")).expect("a trainees measure") + 1;
    std::fs::write(policy.join("pack.yaml"), pack.replacen("measure: trainees", "measure: trainess", 1)).unwrap();
    let r = run(&["check", "--policy-dir", policy.to_str().unwrap(), dossier.to_str().unwrap()]);
    assert_eq!(r.code, 2, "the pack is at fault, not the dossier: {}", r.stdout);
    assert!(r.stderr.contains("未知指标“trainess”") && r.stderr.contains(&format!("第 {line} 行")), "{}", r.stderr);
    assert!(!r.stdout.contains("dossier.yaml"), "nothing is blamed on the applicant: {}", r.stdout);
}

#[test]
fn a_folder_without_pack_yaml_is_not_a_policy_directory() {
    let dir = tempdir("policy-dir-empty");
    let r = run(&["policies", "--policy-dir", dir.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不是政策目录"), "{}", r.stderr);
}

/// The 佐证材料目录 is numbered by the policy's own outline (`evidence:` of materials.yaml): a
/// directory that places 师资队伍's evidence under 八 numbers it 08-, prints the part's row, names
/// the files in the bag so, and its own zip verifies.
#[test]
fn the_evidence_index_follows_the_outline_of_the_policy_directory() {
    let dir = tempdir("policy-dir-outline");
    let (policy, dossier) = town_policy(&dir);
    let materials = std::fs::read_to_string(policy.join("materials.yaml")).unwrap();
    let moved = materials.replace("  - {section: staff, under: teachers}\n", "  - {section: staff, under: facilities, label: 八、办学条件（师资）}\n");
    assert_ne!(moved, materials);
    std::fs::write(policy.join("materials.yaml"), moved).unwrap();
    let out = dir.join("out");
    let p = policy.to_str().unwrap();
    let built = run(&["build", "--policy-dir", p, dossier.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
    let text = flat(&pdf_pages(&output(&out, "pdf")).concat());
    assert!(text.contains("八、办学条件（师资）08-"), "the part's row over its items");
    assert!(!text.contains("佐证材料07-"), "nothing is numbered under 七 any more");
    let zip = output(&out, "zip");
    let names: Vec<String> = {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
        (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned()).collect()
    };
    assert!(names.iter().any(|n| n.contains("data/佐证材料/08-") && n.contains("劳动合同")), "{names:?}");
    let verified = run(&["verify", "--policy-dir", p, zip.to_str().unwrap()]);
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
}

#[test]
fn an_evidence_outline_that_misplaces_a_kind_is_refused_when_it_loads() {
    let dir = tempdir("policy-dir-outline-bad");
    let (policy, dossier) = town_policy(&dir);
    let materials = std::fs::read_to_string(policy.join("materials.yaml")).unwrap();
    for (from, to, says) in [
        ("  - {section: staff, under: teachers}\n", "", "佐证材料类别 staff 未归入"),
        ("  - {section: staff, under: teachers}\n", "  - {section: staff, under: teacher}\n", "归入的材料“teacher”不在材料目录中"),
        ("  - {section: staff, under: teachers}\n", "  - {section: staff, under: teachers}\n  - {section: staff, under: facilities}\n", "staff 归入了两次"),
        ("  - {section: staff, under: teachers}\n", "  - {section: teachers, under: teachers}\n", "第"),
    ] {
        std::fs::write(policy.join("materials.yaml"), materials.replace(from, to)).unwrap();
        let r = run(&["check", "--policy-dir", policy.to_str().unwrap(), dossier.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{to}: the policy is at fault: {}", r.stdout);
        assert!(r.stderr.contains("材料目录") && r.stderr.contains(says), "{to}: {}", r.stderr);
    }
}
