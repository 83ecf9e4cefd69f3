//! Hand-made zips are read against their own policy's material list (`materials.yaml`), not
//! Dalian's for every policy.

use crate::common::*;

fn findings_of(r: &Run) -> Vec<(String, String)> {
    r.json()["findings"].as_array().unwrap().iter().map(|f| (f["rule"].as_str().unwrap().to_owned(), f["message"].as_str().unwrap().to_owned())).collect()
}

fn hand_zip(dir: &std::path::Path, name: &str, files: &[&str]) -> std::path::PathBuf {
    let entries: Vec<(&str, Vec<u8>)> = files.iter().map(|n| (*n, hand_made_bytes(n))).collect();
    let path = dir.join(name);
    std::fs::write(&path, zip_of(&entries)).unwrap();
    path
}

fn verify(zip: &std::path::Path) -> (serde_json::Value, Vec<(String, String)>) {
    let r = run(&["verify", "--format", "json", zip.to_str().unwrap()]);
    (r.json(), findings_of(&r))
}

const LIAONING: &[&str] = &[
    "沈阳焊工/沈阳市人社局推荐报告.pdf",
    "沈阳焊工/辽宁省职业技能培训品牌申报表.docx",
    "沈阳焊工/依托单位工作情况.docx",
    "沈阳焊工/培训人员名单.xlsx",
    "沈阳焊工/就业跟踪情况表.xlsx",
];

const INNER_MONGOLIA: &[&str] = &[
    "包头技校/申请报告.docx",
    "包头技校/2023年度培训绩效.xlsx",
    "包头技校/管理制度汇编.pdf",
    "包头技校/师资队伍.pdf",
    "包头技校/培训场所照片.jpg",
    "包头技校/校企合作协议.pdf",
    "包头技校/实名制培训名单.xlsx",
];

#[test]
fn a_complete_liaoning_zip_is_reviewed_and_one_missing_material_is_returned_by_name() {
    let dir = tempdir("materials-liaoning");
    let (report, f) = verify(&hand_zip(&dir, "complete.zip", LIAONING));
    assert_eq!(report["verdict"], "需人工审核", "{f:?}");
    assert_eq!(report["policy"]["id"], "liaoning-2024");
    assert!(!f.iter().any(|(rule, _)| rule == "zip.material-missing"), "{f:?}");
    let without: Vec<&str> = LIAONING.iter().copied().filter(|n| !n.contains("就业跟踪")).collect();
    let (report, f) = verify(&hand_zip(&dir, "no-tracking.zip", &without));
    assert_eq!(report["verdict"], "退回");
    let missing: Vec<&String> = f.iter().filter(|(rule, _)| rule == "zip.material-missing").map(|(_, m)| m).collect();
    assert_eq!(missing.len(), 1, "{f:?}");
    assert!(missing[0].contains("就业跟踪情况表"), "{missing:?}");
    let cited = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "zip.material-missing").unwrap();
    assert_eq!(cited["citation"]["clause"], "附件 2 三", "{cited}");
}

#[test]
fn a_complete_inner_mongolia_zip_is_reviewed_and_one_missing_material_is_returned_by_name() {
    let dir = tempdir("materials-inner-mongolia");
    let (report, f) = verify(&hand_zip(&dir, "complete.zip", INNER_MONGOLIA));
    assert_eq!(report["verdict"], "需人工审核", "{f:?}");
    assert_eq!(report["policy"]["id"], "inner-mongolia-2022");
    assert!(!f.iter().any(|(_, m)| m.contains("评估表")), "{f:?}");
    let without: Vec<&str> = INNER_MONGOLIA.iter().copied().filter(|n| !n.contains("校企合作")).collect();
    let (report, f) = verify(&hand_zip(&dir, "no-partners.zip", &without));
    assert_eq!(report["verdict"], "退回");
    let missing: Vec<&String> = f.iter().filter(|(rule, _)| rule == "zip.material-missing").map(|(_, m)| m).collect();
    assert_eq!(missing.len(), 1, "{f:?}");
    assert!(missing[0].contains("校企合作"), "{missing:?}");
}

/// Each material's quote is the seed's own words (line breaks and spaces aside).
#[test]
fn every_material_quotes_its_seed() {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for policy in ["dalian-2023", "liaoning-2024", "inner-mongolia-2022"] {
        let text = std::fs::read_to_string(root().join(format!("policies/{policy}/materials.yaml"))).unwrap();
        let (list, _, _) = dossier::load::parse_json(&text).unwrap();
        let materials = list["materials"].as_array().unwrap();
        assert!(materials.iter().any(|m| m["required"] == true), "{policy}");
        for m in materials {
            let c = &m["citation"];
            // The seeds sit beside the repository when it is checked out with them.
            let file = c["seed"].as_str().unwrap();
            let seed = ["../shared/seeds", "../../shared/seeds"].iter().find_map(|d| std::fs::read_to_string(root().join(d).join(file)).ok());
            let Some(seed) = seed else { continue };
            let seed = squeeze(&seed);
            for part in c["quote"].as_str().unwrap().split("……") {
                assert!(seed.contains(&squeeze(part)), "{policy} {}: “{part}” is not in the seed", m["id"]);
            }
        }
    }
}

#[test]
fn a_broken_material_list_is_refused_at_its_line() {
    let dir = tempdir("materials-broken");
    let policy = dir.join("dalian-2023");
    copy_dir(&root().join("policies/dalian-2023"), &policy);
    let text = std::fs::read_to_string(policy.join("materials.yaml")).unwrap();
    let line = text.lines().position(|l| l.contains("required: true")).unwrap() + 1;
    std::fs::write(policy.join("materials.yaml"), text.replacen("required: true", "required: yes please", 1)).unwrap();
    let zip = hand_zip(&dir, "a.zip", LIAONING);
    let r = run(&["--policy-dir", policy.to_str().unwrap(), "verify", zip.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("materials.yaml") && r.stderr.contains(&format!("第 {line} 行")), "{}", r.stderr);
}

#[test]
fn a_hand_made_zip_lists_each_file_with_its_type_and_material() {
    let dir = tempdir("materials-inventory");
    let zip = dir.join("inbox/a.zip");
    std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
    let files: Vec<(&str, &[u8])> = vec![
        ("沈阳焊工/辽宁省职业技能培训品牌申报表.pdf", b"%PDF-1.7\n"),
        ("沈阳焊工/现场.jpg", b"\xff\xd8\xff\xe0 photo"),
    ];
    std::fs::write(&zip, zip_of(&files)).unwrap();
    let (report, _) = verify(&zip);
    let items = report["inventory"].as_array().expect("inventory");
    assert_eq!(items.len(), 2, "{items:?}");
    let form = items.iter().find(|i| i["path"].as_str().unwrap().ends_with("申报表.pdf")).unwrap();
    assert_eq!(form["type"], "pdf");
    assert!(form["material"].as_str().unwrap().contains("申报表"), "{form}");
    let photo = items.iter().find(|i| i["path"].as_str().unwrap().ends_with("现场.jpg")).unwrap();
    assert_eq!(photo["type"], "jpeg");
    assert!(photo["material"].is_null(), "{photo}");
    let text = run(&["verify", zip.to_str().unwrap()]);
    assert!(text.stdout.contains("提交件清单") && text.stdout.contains("JPEG 图片") && text.stdout.contains("未匹配"), "{}", text.stdout);
    let html = dir.join("r.html");
    run(&["verify", "--report", html.to_str().unwrap(), zip.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("提交件清单") && page.contains("PDF 文档") && page.contains("未匹配"), "inventory in the HTML report");
}

#[test]
fn everything_received_is_accounted_for() {
    let dir = tempdir("materials-received");
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(inbox.join("解压后的材料")).unwrap();
    // A .rar by its bytes, even named .zip; a 7z under its own name.
    std::fs::write(inbox.join("甲.rar"), b"Rar!\x1a\x07\x01\x00rest").unwrap();
    std::fs::write(inbox.join("乙.zip"), b"Rar!\x1a\x07\x00rest").unwrap();
    std::fs::write(inbox.join("丙.7z"), b"7z\xbc\xaf\x27\x1c\x00\x04rest").unwrap();
    std::fs::write(inbox.join("说明.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(inbox.join("解压后的材料/申报表.docx"), b"x").unwrap();
    let r = run(&["verify", "--format", "json", inbox.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let json = r.json();
    let dossiers = json["dossiers"].as_array().unwrap();
    assert_eq!(dossiers.len(), 3, "the three archives are submissions, returned");
    for d in dossiers {
        assert_eq!(d["verdict"], "退回");
        let f = &d["findings"][0];
        assert_eq!(f["rule"], "zip.other-archive");
        assert!(f["message"].as_str().unwrap().contains("请重新打包为 zip"), "{f}");
    }
    assert!(r.stderr.contains("不是申报材料（PDF 文档）") && r.stderr.contains("说明.pdf"), "{}", r.stderr);
    assert!(r.stderr.contains("不是申报材料（文件夹") && r.stderr.contains("解压后的材料"), "{}", r.stderr);
    assert!(!r.stderr.contains("申报表.docx"), "a folder is listed once, not file by file: {}", r.stderr);
}

#[test]
fn verify_on_a_dossier_folder_explains_itself() {
    let r = run(&["verify", root().join("fixtures/dalian-2023-district").to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("dossier check") && r.stderr.contains("dossier.yaml"), "{}", r.stderr);
    assert!(!r.stdout.contains("共 0 份"), "{}", r.stdout);
}
