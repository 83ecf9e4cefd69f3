//! The forms as the bureau prints them: the seeds' own cell texts, read from the seed files at
//! test time, must appear word for word in the rendered PDF and DOCX.
use crate::common::*;

const CITY: &str = "dalian-2023-city";
const DISTRICT: &str = "dalian-2023-district";
const LIAONING: &str = "liaoning-2024-enterprise";
const INNER_MONGOLIA: &str = "inner-mongolia-2022-region";

/// A seed file (the specification) from $DOSSIER_SEEDS, else ../shared/seeds beside the
/// repository (../../shared/seeds from a worktree under wt/); its absence is a failure, not a skip.
fn seed(name: &str) -> String {
    let dirs: Vec<std::path::PathBuf> = match std::env::var_os("DOSSIER_SEEDS") {
        Some(d) => vec![d.into()],
        None => vec![root().join("../shared/seeds"), root().join("../../shared/seeds")],
    };
    let path = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("the policy seed {name} is needed to compare the forms with the specification and is in none of {dirs:?} (set DOSSIER_SEEDS to its folder)")
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read the policy seed {}: {e}", path.display()))
}

/// The cells of a form in a seed's text between the line `start` and the first line starting
/// with `end`: a tab opens a cell, a line without one continues it, an empty line ends a row.
fn seed_rows(text: &str, start: &str, end: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.trim() == start).unwrap_or_else(|| panic!("seed has no line “{start}”"));
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for l in &lines[from + 1..] {
        if l.trim_start().starts_with(end) {
            break;
        }
        if l.trim().is_empty() && !l.starts_with('\t') {
            row.extend(cell.take());
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
        } else if let Some(rest) = l.strip_prefix('\t') {
            row.extend(cell.replace(rest.to_owned()));
        } else {
            cell.get_or_insert_with(String::new).push_str(l);
        }
    }
    row.extend(cell);
    if !row.is_empty() {
        rows.push(row);
    }
    rows.into_iter().map(|r| r.into_iter().map(|c| flat(&c)).collect()).collect()
}

/// 附件2 of the Dalian seed: title line, then the table until 附件3.
fn dalian_evaluation_cells() -> Vec<Vec<String>> {
    let rows = seed_rows(&seed("000_bb14ff56e33f7784.txt"), "大连市职业技能培训品牌建设单位评估表", "附件3");
    assert!(rows.len() >= 22, "the seed's 附件2 has a header, 20 criteria and 加分项: {rows:?}");
    rows
}

fn pdf_text(fixture: &str) -> Vec<String> {
    pdf_pages(&output(&built_fixture(fixture), "pdf"))
}

/// The DOCX body's text, tags removed.
fn docx_text(fixture: &str) -> String {
    flat(&crate::common::docx_text(&output(&built_fixture(fixture), "docx")))
}

/// The pages from the one whose text holds `from` up to (not including) the one holding `to`.
fn pages_between(pages: &[String], from: &str, to: &str) -> String {
    let start = pages.iter().rposition(|p| flat(p).contains(from)).unwrap_or_else(|| panic!("no page holds “{from}”"));
    let end = pages[start + 1..].iter().position(|p| flat(p).contains(to)).map_or(pages.len(), |n| start + 1 + n);
    pages[start..end].iter().map(|p| flat(p)).collect()
}

#[test]
fn dalian_evaluation_form_has_every_word_of_every_cell() {
    let rows = dalian_evaluation_cells();
    for fixture in [CITY, DISTRICT] {
        let pages = pdf_text(fixture);
        let form = pages_between(&pages, "三、大连市职业技能培训品牌建设单位评估表", "四、办学资质");
        let docx = docx_text(fixture);
        for cell in rows.iter().flatten().filter(|c| !c.is_empty()) {
            assert!(form.contains(cell.as_str()), "{fixture}: the 评估表 lacks the seed's cell “{cell}”");
            assert!(docx.contains(cell.as_str()), "{fixture}: the DOCX 评估表 lacks the seed's cell “{cell}”");
        }
        // One 一级指标 cell per group, with its subtotal, not one per row.
        for group in ["基础条件（20）", "培训绩效（30）", "重点扶持情况（5）", "重点领域关联度（25）", "服务能力（20）"] {
            assert_eq!(form.matches(group).count(), 1, "{fixture}: {group} printed once, merged over its rows");
        }
        assert!(form.contains("国家级加5分"), "{fixture}: 加分项 complete");
        // Our computed-versus-claimed wording belongs to check's output, not the form.
        for ours in ["计算得分", "自评得分", "合计"] {
            assert!(!form.contains(ours), "{fixture}: the form does not print “{ours}”");
        }
    }
}

#[test]
fn dalian_self_assessment_column_comes_from_the_score() {
    // 1.3 is computed from the teachers (4 in the city fixture), 加分项 from the bonus rules.
    let pages = pdf_text(CITY);
    let form = pages_between(&pages, "三、大连市职业技能培训品牌建设单位评估表", "四、办学资质");
    assert!(form.contains("60%以下不得分44"), "1.3: 分值 4, 自评 4: {form}");
    let r = run(&["check", root().join("fixtures").join(CITY).to_str().unwrap(), "--format", "json"]);
    let report = r.json();
    let bonus = report["score"]["bonus_total"].as_f64().expect("check reports the bonus");
    assert!(form.contains(&format!("国家级加5分{bonus}")), "加分项 自评 = {bonus}");
}

/// A fixture laid out in memory, for measuring the forms.
pub(crate) fn laid(fixture: &str) -> dossier::layout::pages::Laid {
    let registry = dossier::policy::Registry::embedded();
    let loaded = dossier::load::load(&root().join("fixtures").join(fixture)).unwrap();
    let checked = dossier::rules::check(&loaded, &registry);
    let pack = registry.get(&checked.policy.as_ref().unwrap().id).unwrap();
    let opts = dossier::document::compose::Options { unmasked: false, draft: false };
    let doc = dossier::document::compose::compose(&loaded, &checked, pack, &opts).unwrap();
    dossier::layout::pages::layout(&doc, &dossier::fonts::FontSet::load(None).unwrap())
}

/// The height, in mm, of the first table cell with a line reading `label`: its left border's length.
fn cell_height_mm(laid: &dossier::layout::pages::Laid, label: &str) -> f32 {
    use dossier::layout::pages::Item;
    for page in &laid.pages {
        for item in &page.items {
            let Item::Text { x, y, text, .. } = item else { continue };
            if text.trim() != label {
                continue;
            }
            let border = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Rule { x1, y1, x2, y2, .. } if x1 == x2 && *x1 < *x && y1.min(*y2) < *y && y1.max(*y2) > *y => Some((*x1, (y2 - y1).abs())),
                    _ => None,
                })
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or_else(|| panic!("no cell border left of “{label}”"));
            return border.1 / dossier::layout::pages::MM;
        }
    }
    panic!("no text “{label}” laid out")
}

#[test]
fn dalian_application_form_as_the_bureau_prints_it() {
    for fixture in [CITY, DISTRICT] {
        let json = dossier::load::load(&root().join("fixtures").join(fixture)).unwrap().json;
        let boss = &json["applicant"]["legal_representative"];
        let (name, phone, mobile) = (boss["name"].as_str().unwrap(), boss["phone"].as_str().unwrap(), boss["mobile"].as_str().unwrap());
        let pages = pdf_text(fixture);
        let form = pages_between(&pages, "二、大连市职业技能培训品牌申报表", "三、大连市职业技能培训品牌建设单位评估表");
        let docx = docx_text(fixture);
        // 负责人, then the 负责人's own 联系电话 and 手机, in two cells as the form has them.
        let row = format!("负责人{name}联系电话{phone}手机{mobile}");
        assert!(form.contains(&row), "{fixture}: {row} in {form}");
        assert!(docx.contains(&row), "{fixture}: DOCX {row}");
        let contact = json["applicant"]["contacts"][0]["mobile"].as_str().unwrap();
        assert!(!form.contains(contact), "{fixture}: the contact's mobile is not the 负责人's");
        // No label the form does not print: 培训职种 appears only in 培训职种（专项能力）名称.
        assert!(form.contains("品牌项目培训职种（专项能力）名称鉴定等级"), "{fixture}: {form}");
        assert!(!form.contains("培训职种培训职种"), "{fixture}: {form}");
        // The 承诺书 is signed by hand: the line as printed, no name or date filled in.
        assert!(form.contains("并接受社会监督。法定代表人（签名）：年月日"), "{fixture}: {form}");
        assert!(docx.contains("法定代表人（签名）：年月日"), "{fixture}: DOCX signature line");
        let signer = json["commitment"]["signer"].as_str().unwrap();
        assert!(!form.contains(&format!("（签名）：{signer}")), "{fixture}: the signer's name is left to the pen");
        // Room for an opinion and a 42 mm seal.
        let laid = laid(fixture);
        for label in ["区市县", "市人社部门"] {
            let h = cell_height_mm(&laid, label);
            assert!(h >= 50.0, "{fixture}: the {label} box is {h:.1} mm tall, a 42 mm seal needs 50");
        }
    }
}

#[test]
fn dates_on_forms_read_year_month_day() {
    for fixture in [CITY, DISTRICT, LIAONING, INNER_MONGOLIA] {
        let json = dossier::load::load(&root().join("fixtures").join(fixture)).unwrap().json;
        let date = json["commitment"]["date"].as_str().unwrap();
        let (y, m, d) = (&date[..4], date[5..7].trim_start_matches('0'), date[8..10].trim_start_matches('0'));
        let pages = pdf_text(fixture);
        assert!(flat(&pages[0]).contains(&format!("{y}年{m}月{d}日")), "{fixture}: the cover's date: {}", pages[0]);
        assert!(!flat(&pages[0]).contains(date), "{fixture}: no ISO date on the cover");
        if fixture.starts_with("dalian") {
            // The cover's year is the application year, not a fixed 2023.
            let year = json["policy"]["application_year"].as_i64().unwrap();
            assert!(flat(&pages[0]).contains(&format!("{year}年度大连市职业技能培训品牌")), "{fixture}");
            let report = pages_between(&pages, &format!("一、{year}年度培训建设单位申请报告"), "二、大连市职业技能培训品牌申报表");
            assert!(report.contains(&format!("{y}年{m}月{d}日")) && !report.contains(date), "{fixture}: the report's date");
        }
    }
}

#[test]
fn inner_mongolia_performance_table_shows_the_rates_its_thresholds_use() {
    let pages = pdf_text(INNER_MONGOLIA);
    let table = pages_between(&pages, "（一）培训规模、合格率和就业率", "三、组织管理制度");
    let json = dossier::load::load(&root().join("fixtures").join(INNER_MONGOLIA)).unwrap().json;
    let y = &json["training"]["years"][0];
    let trainees = y["trainees"].as_f64().unwrap();
    let employed = y["employed_6m"].as_f64().or(y["employed_3m"].as_f64()).unwrap();
    let order = y["order_directed"].as_f64().unwrap();
    for (label, rate) in [("订单比例", order), ("培训后就业率", employed)] {
        let pct = format!("{:.1}%", rate * 100.0 / trainees);
        assert!(table.contains(label) && table.contains(&pct), "{label} {pct} in {table}");
    }
}

/// Each policy numbers its evidence by its own outline (materials.yaml): Liaoning's under 二, 三
/// and 四 of its 附件 2, never Dalian's 附件3 (no 十一、社会信誉, no 12-01 where there is no 十二).
#[test]
fn evidence_is_numbered_by_each_policys_own_outline() {
    for (fixture, parts, shown) in [
        (LIAONING, &["02", "03", "04"][..], "四、其他佐证材料（办学资质）04-01营业执照"),
        (INNER_MONGOLIA, &["01", "02", "03", "04", "05", "06", "08"][..], "四、师资队伍04-01"),
    ] {
        let text = flat(&pdf_text(fixture).concat());
        let mut seen: Vec<&str> = text.match_indices("佐证材料").filter_map(|(at, m)| text.get(at + m.len()..at + m.len() + 2)).filter(|p| p.chars().all(|c| c.is_ascii_digit())).collect();
        seen.sort();
        seen.dedup();
        assert!(!seen.is_empty() && seen.iter().all(|p| parts.contains(p)), "{fixture}: parts {seen:?}, expected within {parts:?}");
        assert!(text.contains(shown), "{fixture}: {shown}");
        assert!(!text.contains("十一、社会信誉") && !text.contains("12-01"), "{fixture}: Dalian's outline");
    }
}

/// Every text line the layout drew, page by page.
fn drawn_lines(laid: &dossier::layout::pages::Laid) -> Vec<String> {
    use dossier::layout::pages::Item;
    laid.pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.trim().to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
fn dalian_application_form_note_is_the_seeds_word_for_word() {
    let seed = seed("000_bb14ff56e33f7784.txt");
    let note = seed.lines().map(str::trim).find(|l| l.starts_with("备注：")).expect("the seed's 附件1 has a 备注");
    for fixture in [CITY, DISTRICT] {
        let pages = pdf_text(fixture);
        let form = pages_between(&pages, "二、大连市职业技能培训品牌申报表", "三、大连市职业技能培训品牌建设单位评估表");
        let at = form.find(&flat(note)).unwrap_or_else(|| panic!("{fixture}: {note} in {form}"));
        // Nothing added after it: the seed's line ends at （三份）.
        assert!(!form[at + flat(note).len()..].starts_with('。'), "{fixture}: {form}");
        assert!(docx_text(fixture).contains(&flat(note)), "{fixture}: DOCX {note}");
    }
}

#[test]
fn liaoning_recommendation_box_has_room_for_an_opinion_and_a_seal() {
    let laid = laid(LIAONING);
    let h = cell_height_mm(&laid, "市人社部门");
    assert!(h >= 50.0, "the 市人社部门推荐意见 box is {h:.1} mm tall, a 42 mm seal needs 50");
    let lines = drawn_lines(&laid);
    let seal = lines.iter().position(|l| l == "（盖章）").expect("（盖章） on a line of its own");
    assert_eq!(lines[seal + 1], "年　月　日", "the date under the seal: {lines:?}");
}

#[test]
fn liaoning_checkboxes_are_never_split_from_their_words() {
    let lines = drawn_lines(&laid(LIAONING));
    let options = ["重点产业人才", "生活服务人才", "乡村振兴人才", "新职业新业态人才", "行政区域", "行业", "企业", "院校", "其他"];
    for o in options {
        assert!(lines.iter().any(|l| l.contains(&format!("☐{o}")) || l.contains(&format!("☑{o}"))), "{o} whole with its box: {lines:?}");
    }
    // Two scopes a line, as the seed's 附件1 sets them.
    assert!(lines.iter().any(|l| flat(l).ends_with("生活服务人才") && flat(l).contains("重点产业人才")), "{lines:?}");
}

#[test]
fn dalian_cells_fill_their_width_and_levels_stay_whole() {
    for fixture in [CITY, DISTRICT] {
        let lines = drawn_lines(&laid(fixture));
        // 4.2's 21 characters: a cell of 19 keeps 19 on its first line (not 9 and 12).
        let first = lines.iter().find(|l| l.starts_with("4.2")).expect("4.2 drawn");
        assert!(first.chars().count() >= 15, "{fixture}: 4.2 breaks early: {first}");
        // 培训项目与教材: a level is one line, not 五级/初 and 级工.
        assert!(lines.iter().any(|l| l == "五级/初级工"), "{fixture}: {lines:?}");
    }
    for fixture in [CITY, DISTRICT, LIAONING, INNER_MONGOLIA] {
        let lines = drawn_lines(&laid(fixture));
        assert!(!lines.iter().any(|l| l == "级工"), "{fixture}: a level split: {lines:?}");
    }
}

#[test]
fn liaoning_introduction_starts_on_the_forms_page_and_word_may_split_it_too() {
    let laid = laid(LIAONING);
    let texts: Vec<Vec<String>> = laid
        .pages
        .iter()
        .map(|p| p.items.iter().filter_map(|i| match i { dossier::layout::pages::Item::Text { text, .. } => Some(text.trim().to_owned()), _ => None }).collect())
        .collect();
    let form = texts.iter().position(|p| p.iter().any(|t| t == "辽宁省职业能力建设品牌申报表")).expect("the form's page");
    // No half-page gap under 培训情况: the 简介 starts under it and continues overleaf.
    assert!(texts[form].iter().any(|t| t == "总体情况简介"), "{:?}", texts[form]);
    assert!(texts[form + 1].iter().any(|t| t == "推荐意见"), "{:?}", texts[form + 1]);
    // The DOCX lets that row split (no w:cantSplit) and keeps the others whole.
    let xml = String::from_utf8(zip_entries(&std::fs::read(output(&built_fixture(LIAONING), "docx")).unwrap()).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1).unwrap();
    let rows: Vec<&str> = xml.split("<w:tr>").skip(1).collect();
    let intro = rows.iter().find(|r| r.contains("总体情况简介")).expect("the 简介 row");
    assert!(!intro.contains("w:cantSplit"), "the 简介 row may split in Word");
    let seal = rows.iter().find(|r| r.contains("推荐意见")).expect("the 推荐意见 row");
    assert!(seal.contains("w:cantSplit"), "the seal box stays whole");
}
