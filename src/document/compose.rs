//! A checked dossier to the document model: a view of the data with labels and numbers
//! ready to print, rendered by the policy's Tera template into markup, then parsed.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Block, Bound, Document, parse_markup};
use crate::load::media;
use crate::load::Loaded;
use crate::policy::{EvidencePlace, Pack};
use crate::rules::Checked;
use crate::rules::outcomes::enum_label;

/// An evidence item with the number it has in the contents (07-01 = the first under 七).
#[derive(Serialize)]
pub struct EvidenceView {
    pub no: String,
    pub id: String,
    pub title: String,
    pub section: String,
    pub file: String,
    /// Where the submission keeps the file (佐证材料/07-01_标题.pdf).
    pub place: String,
    /// Cannot be printed (video, other files): listed as 电子件 with its place.
    pub electronic: bool,
    /// Not in the folder (a draft may lack files).
    pub missing: bool,
}

/// Where a submission keeps an evidence file: under its number from the contents.
/// Where a submission keeps a roster: as CSV, in full (the bureau's copy); the volume names
/// it as an electronic item there, never by the applicant's own path.
pub fn roster_bag_path(file: &str) -> String {
    let name = std::path::Path::new(file).file_stem().map_or("名单".into(), |s| s.to_string_lossy().into_owned());
    format!("培训人员名单/{name}.csv")
}

pub fn evidence_bag_path(no: &str, title: &str, file: &str) -> String {
    let ext = std::path::Path::new(file).extension().map_or(String::new(), |x| format!(".{}", x.to_string_lossy()));
    format!("佐证材料/{no}_{}{ext}", file_stem(title))
}

/// A file name from a title: Chinese kept, path separators and Windows-reserved characters
/// replaced.
pub fn file_stem(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() { '_' } else { c })
        .collect();
    let s = s.trim().trim_matches('.').to_owned();
    if s.is_empty() { "申报材料".to_owned() } else { s }
}

/// Evidence numbered by the part of the policy's outline it supports (`evidence` of its
/// `materials.yaml`: 04-01 = the first item under 四), in the order the dossier lists them within
/// a part. Without an outline, by the schema's order of kinds.
pub fn number_evidence(json: &Value, outline: &[EvidencePlace]) -> Vec<EvidenceView> {
    let fallback: Vec<EvidencePlace>;
    let outline = match outline.is_empty() {
        false => outline,
        true => {
            fallback = crate::model::EVIDENCE_SECTIONS
                .iter()
                .zip(1..)
                .map(|(s, prefix)| EvidencePlace { section: (*s).to_owned(), prefix, label: plain_label("/evidence/0/section", s).unwrap_or_else(|| (*s).to_owned()) })
                .collect();
            &fallback
        }
    };
    // A kind the outline does not know (the check reports it) goes last, under 其他.
    let place_of = |e: &Value| {
        let kind = e["section"].as_str().unwrap_or("other");
        outline.iter().position(|p| p.section == kind).or_else(|| outline.iter().position(|p| p.section == "other")).unwrap_or(0)
    };
    let mut items: Vec<(usize, &Value)> = json["evidence"].as_array().into_iter().flatten().map(|e| (place_of(e), e)).collect();
    items.sort_by_key(|(at, _)| (outline.get(*at).map_or(u32::MAX, |p| p.prefix), *at));
    let mut counters: BTreeMap<u32, u32> = BTreeMap::new();
    items
        .into_iter()
        .map(|(at, e)| {
            let (prefix, label) = outline.get(at).map_or((99, String::new()), |p| (p.prefix, p.label.clone()));
            let n = counters.entry(prefix).or_insert(0);
            *n += 1;
            let no = format!("{prefix:02}-{n:02}");
            let title = e["title"].as_str().unwrap_or("").to_owned();
            let file = e["file"].as_str().unwrap_or("").to_owned();
            EvidenceView {
                place: evidence_bag_path(&no, &title, &file),
                no,
                id: e["id"].as_str().unwrap_or("").to_owned(),
                title,
                section: label,
                file,
                electronic: false,
                missing: false,
            }
        })
        .collect()
}

/// The 佐证材料目录 by part of the outline: each part's label over its items, in order.
fn parts_of(evidence: &[EvidenceView]) -> Vec<Value> {
    let mut parts: Vec<(String, Vec<&EvidenceView>)> = Vec::new();
    for e in evidence {
        match parts.last_mut() {
            Some((label, items)) if *label == e.section => items.push(e),
            _ => parts.push((e.section.clone(), vec![e])),
        }
    }
    parts.into_iter().map(|(label, items)| json!({ "label": label, "items": items })).collect()
}

/// An enum value by the schema's name for it, without the code in brackets: 办学资质; None
/// where the schema names none.
fn plain_label(pointer: &str, value: &str) -> Option<String> {
    let label = enum_label(pointer, value);
    (label != value).then(|| label.split('（').next().unwrap_or(&label).to_owned())
}

/// Markup is line-based: values must not open a new line or a new table cell.
fn escape(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '\n' | '\r' => ' ',
            '|' => '｜',
            c => c,
        })
        .collect();
    // A value never breaks a cell's line the way the template's `{br}` does.
    out.write_all(cleaned.replace("{br}", "｛br｝").as_bytes())
}

/// Percent with one decimal, as forms print it.
fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_owned(), |v| format!("{v:.1}%"))
}

/// Replace enum codes by their Chinese labels, everywhere the schema describes them.
/// The schema travels down with the value (`node` describes `value`): looking each field up
/// from the root was a fiftieth of a verify.
fn labelled(value: &Value, node: Option<&'static Value>) -> Value {
    use crate::rules::schema::child;
    let plain = |node: Option<&'static Value>, s: &str| node.and_then(|n| crate::rules::outcomes::label_in(n, s)).map(|l| l.split('（').next().unwrap_or(l).to_owned());
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let node = node.and_then(|n| child(n, k));
                out.insert(k.clone(), labelled(v, node));
                if let Value::String(s) = v
                    && let Some(plain) = plain(node, s)
                {
                    out.insert(format!("{k}_label"), Value::String(plain));
                }
                if let Value::Array(items) = v
                    && items.iter().all(Value::is_string) && !items.is_empty()
                {
                    let item = node.and_then(|n| child(n, "0"));
                    let labels: Vec<String> = items.iter().filter_map(Value::as_str).map(|s| plain(item, s).unwrap_or_else(|| s.to_owned())).collect();
                    out.insert(format!("{k}_labels"), json!(labels.join("、")));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let node = node.and_then(|n| child(n, "0"));
            Value::Array(items.iter().map(|v| labelled(v, node)).collect())
        }
        other => other.clone(),
    }
}

pub struct Options {
    pub unmasked: bool,
    pub draft: bool,
}

/// A policy's template parsed once per process: verify composes a whole batch with it.
fn parsed(template: &str) -> Result<std::sync::Arc<tera::Tera>, String> {
    use std::sync::{Arc, Mutex};
    static PARSED: Mutex<Vec<(String, Arc<tera::Tera>)>> = Mutex::new(Vec::new());
    if let Some((_, tera)) = PARSED.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(t, _)| t == template) {
        return Ok(tera.clone());
    }
    let mut tera = tera::Tera::default();
    tera.register_filter("cn", |n: i64, _: tera::Kwargs, _: &tera::State| chinese_numeral(n));
    tera.register_filter("cn_date", |s: String, _: tera::Kwargs, _: &tera::State| chinese_date(&s));
    tera.set_escape_fn(escape);
    tera.autoescape_on([".tera"]);
    tera.add_raw_template("bundle.tera", template).map_err(|e| format!("模板错误：{e}"))?;
    let tera = Arc::new(tera);
    PARSED.lock().unwrap_or_else(|e| e.into_inner()).push((template.to_owned(), tera.clone()));
    Ok(tera)
}

pub fn compose(loaded: &Loaded, checked: &Checked, pack: &Pack, opts: &Options) -> Result<Document, String> {
    let template = pack.template.as_deref().ok_or_else(|| {
        format!("政策“{}”没有材料模板：用 --policy-dir 给出含 bundle.tera 的政策目录（{}）", pack.id, pack.source)
    })?;
    // Optional sections the applicant left out reach the template as empty ones.
    let mut d = labelled(&loaded.json, Some(crate::rules::schema::root()));
    crate::rules::schema::fill_absent(&mut d);
    let mut evidence = number_evidence(&loaded.json, &pack.evidence_outline);
    let files = read_evidence(loaded, checked, &mut evidence)?;
    let evidence_no: BTreeMap<&str, &str> = evidence.iter().map(|e| (e.id.as_str(), e.no.as_str())).collect();
    let metric = |name: &str| checked.metrics.get(name).and_then(|m| m.value);
    let years: Vec<Value> = checked
        .model
        .as_ref()
        .map(|m| {
            let mut ys: Vec<&crate::model::YearFigures> = m.training.years.iter().collect();
            ys.sort_by_key(|y| y.year);
            ys.iter()
                .map(|y| {
                    let rate = |n: Option<i64>| n.filter(|_| y.trainees > 0).map(|n| n as f64 * 100.0 / y.trainees as f64);
                    json!({
                        "year": y.year, "trainees": y.trainees, "passed": y.passed,
                        "pass_rate": pct(rate(Some(y.passed))),
                        "subsidised": y.subsidised, "order_directed": y.order_directed,
                        "order_share": pct(rate(y.order_directed)),
                        "employed_3m": y.employed_3m, "employed_6m": y.employed_6m,
                        "employment_rate_3m": pct(rate(y.employed_3m)),
                        "employment_rate_6m": pct(rate(y.employed_6m)),
                        "employment_rate": pct(rate(y.employed_6m.or(y.employed_3m))),
                        "internal_trainees": y.internal_trainees, "internal_retained_2y": y.internal_retained_2y,
                        "graduates": y.graduates, "graduates_employed": y.graduates_employed,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let first_year = years.first().and_then(|y| y["year"].as_i64()).unwrap_or(0);
    let last_year = years.last().and_then(|y| y["year"].as_i64()).unwrap_or(0);
    let score = checked.score.as_ref().map(|s| {
        let items: Vec<Value> = s
            .items
            .iter()
            .map(|i| json!({"id": i.id, "group": i.group, "title": i.title, "max": num(i.max), "points": num(i.points), "method": i.method, "basis": i.basis}))
            .collect();
        // 自评 by item number, for a template that prints the form's own rows.
        let points: BTreeMap<&str, Value> = s.items.iter().map(|i| (i.id.as_str(), num(i.points))).collect();
        json!({"title": s.title, "items": items, "points": points, "computed": num(s.computed), "claimed": num(s.claimed),
               "bonus": num(s.bonus_total), "total": num(s.total), "max": num(s.max),
               "bonus_items": s.bonus.iter().map(|b| json!({"id": b.id, "title": b.title, "points": num(b.points)})).collect::<Vec<_>>()})
    });
    // Maps reach Tera as hash maps with no stable order: hand over lists instead.
    let key_fields: Vec<Value> = loaded.json["training"]["key_fields"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, f)| f["claimed"].as_bool() == Some(true))
                .map(|(k, f)| {
                    let title = crate::rules::schema::schema_for(&format!("/training/key_fields/{k}"))
                        .and_then(|s| s.get("title"))
                        .and_then(Value::as_str)
                        .unwrap_or(k);
                    json!({"key": k, "title": title, "catalogue": f["catalogue"], "description": f["description"]})
                })
                .collect()
        })
        .unwrap_or_default();
    let context = json!({
        "d": d,
        "key_fields": key_fields,
        "pack": {"id": pack.id, "title": pack.title, "document": pack.document},
        "tier_name": checked.policy.as_ref().and_then(|p| p.tier.as_deref().or(p.brand_type.as_deref())).and_then(|t| pack.tier_name(t)).unwrap_or(""),
        "years": years,
        "year_span": if first_year == last_year { format!("{first_year}年") } else { format!("{first_year}年-{last_year}年") },
        "totals": {
            "trainees": metric("trainees.total").or(metric("trainees.each_year")).map(num),
            "passed": years.iter().filter_map(|y| y["passed"].as_i64()).sum::<i64>(),
            "order_directed": years.iter().filter_map(|y| y["order_directed"].as_i64()).sum::<i64>(),
            "pass_rate": pct(metric("pass_rate.total")),
            "subsidised": metric("subsidised.total").map(num),
            "order_share": pct(metric("order_directed_share.total")),
        },
        "points": score.as_ref().map(|s| s["points"].clone()).unwrap_or(json!({})),
        "score": score,
        "evidence": evidence,
        "evidence_parts": parts_of(&evidence),
        "evidence_no": evidence_no,
        // The rosters as the volume names them: electronic items, by their place in the bag.
        "rosters": loaded.json["training"]["rosters"].as_array().into_iter().flatten().map(|r| json!({
            "description": r["description"],
            "sheet": r["sheet"],
            "place": r["file"].as_str().map(roster_bag_path),
        })).collect::<Vec<_>>(),
        "draft": opts.draft,
    });
    let tera = parsed(template)?;
    let ctx = tera::Context::from_serialize(&context).map_err(|e| format!("模板数据错误：{e}"))?;
    // check passed, so a render failure is our defect, not the applicant's: say so.
    let markup = tera
        .render("bundle.tera", &ctx)
        .map_err(|e| format!("内部错误：政策“{}”的材料模板无法生成文档，这是 dossier 的缺陷而非申报材料的问题，请报告（{}；详情：{e}）", pack.id, pack.source))?;
    // The applicant's contacts in full, as the forms ask; any other number masked.
    let markup = if opts.unmasked { markup } else { crate::privacy::document_text(&markup, &loaded.json) };
    let mut doc = parse_markup(&markup)?;
    bind_evidence(&mut doc, &evidence, files)?;
    Ok(doc)
}

/// Each evidence file's bytes and content, by its number; None where it is missing (a draft).
type Read = BTreeMap<String, Option<Bound>>;

fn read_evidence(loaded: &Loaded, checked: &Checked, evidence: &mut [EvidenceView]) -> Result<Read, String> {
    let mut read = BTreeMap::new();
    for e in evidence.iter_mut() {
        // What check read, and only that: a file it could not read (a draft) is not bound, and
        // an electronic item (a video) is carried in the bag, never loaded here.
        let rel = e.file.replace('\\', "/");
        let bound = match checked.evidence.get(&e.file) {
            // Never decoded, so never read here: the PDF writer streams it from its file.
            Some(m) if matches!(m.printable, Some(media::Printable::Jpeg(_))) && loaded.source.dir().is_some() => {
                Some(Bound { bytes: Default::default(), media: m.clone(), path: loaded.source.dir().map(|d| d.join(&rel)) })
            }
            Some(m) if !m.pages.is_empty() => {
                let bytes = loaded.source.read(&rel, media::MAX_EVIDENCE_BYTES)?;
                Some(Bound { bytes: std::sync::Arc::new(bytes), media: m.clone(), path: None })
            }
            Some(m) => Some(Bound { bytes: Default::default(), media: m.clone(), path: None }),
            None => None,
        };
        e.missing = bound.is_none();
        e.electronic = bound.as_ref().is_some_and(|b| b.media.pages.is_empty());
        read.insert(e.no.clone(), bound);
    }
    Ok(read)
}

/// Fill the template's `::evidence` blocks with their pages.
fn bind_evidence(doc: &mut Document, evidence: &[EvidenceView], mut read: Read) -> Result<(), String> {
    for block in &mut doc.blocks {
        let Block::Evidence(slot) = block else { continue };
        let view = evidence
            .iter()
            .find(|e| e.no == slot.no)
            .ok_or_else(|| format!("内部错误：材料模板引用的佐证材料编号“{}”不存在", slot.no))?;
        slot.title = view.title.clone();
        if let Some(bound) = read.get_mut(&view.no).and_then(Option::take) {
            slot.pages = bound.media.pages.clone();
            if !slot.pages.is_empty() {
                slot.file = Some(doc.files.len());
                doc.files.push(bound);
            }
        }
    }
    Ok(())
}

/// 2023-05-20 → 2023年5月20日, as forms print dates; anything else unchanged.
pub fn chinese_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && [y, m, d].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) => {
            let n = |p: &str| p.trim_start_matches('0').to_owned();
            format!("{y}年{}月{}日", n(m), n(d))
        }
        _ => s.to_owned(),
    }
}

/// 1 → 一, 12 → 十二, 35 → 三十五: the numbering of （一） headings.
pub fn chinese_numeral(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_owned(),
        10..=19 => format!("十{}", if n > 10 { DIGITS[(n % 10) as usize] } else { "" }),
        20..=99 => format!("{}十{}", DIGITS[(n / 10) as usize], if n % 10 > 0 { DIGITS[(n % 10) as usize] } else { "" }),
        _ => n.to_string(),
    }
}

/// Numbers as forms print them: 6 not 6.0.
fn num(v: f64) -> Value {
    if v.fract() == 0.0 { json!(v as i64) } else { json!((v * 100.0).round() / 100.0) }
}

#[cfg(test)]
mod tests {
    use super::{chinese_date, chinese_numeral};

    #[test]
    fn dates_as_forms_print_them() {
        assert_eq!(chinese_date("2023-05-20"), "2023年5月20日");
        assert_eq!(chinese_date("2024-11-03"), "2024年11月3日");
        assert_eq!(chinese_date("长期"), "长期");
        assert_eq!(chinese_date(""), "");
    }

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 19, 20, 21, 35, 99].iter().map(|n| chinese_numeral(*n)).collect();
        assert_eq!(got, ["一", "九", "十", "十一", "十九", "二十", "二十一", "三十五", "九十九"]);
    }
}
