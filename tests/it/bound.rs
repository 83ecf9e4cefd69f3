//! The bound volume: every piece of evidence inside the PDF, its pages in the 佐证材料目录, the
//! outline nested, page numbers continuous; bad evidence is a located check finding.

use crate::common::*;

use lopdf::{Document, Object, ObjectId};

const DISTRICT: &str = "dalian-2023-district";

fn district_pdf() -> (std::path::PathBuf, Vec<String>) {
    let pdf = output(&built_fixture(DISTRICT), "pdf");
    let pages = pdf_pages(&pdf);
    (pdf, pages)
}

/// The labels of the index's parts (四、办学资质 …), each printed in a row over its items.
fn part_labels() -> Vec<String> {
    let registry = dossier::policy::Registry::embedded();
    registry.get("dalian-2023").expect("embedded").evidence_outline.iter().map(|p| flat(&p.label)).collect()
}

/// (number, title, printable) of the fixture's evidence, in the order of the index.
fn evidence_items() -> Vec<(String, String, bool)> {
    let json = dossier::load::load(&root().join("fixtures").join(DISTRICT)).expect("fixture loads").json;
    let registry = dossier::policy::Registry::embedded();
    let pack = registry.get("dalian-2023").expect("embedded");
    dossier::document::compose::number_evidence(&json, &pack.evidence_outline)
        .into_iter()
        .map(|e| {
            let printable = !e.file.ends_with(".mp4");
            (e.no, e.title, printable)
        })
        .collect()
}

#[test]
fn every_page_but_the_cover_carries_its_number_continuously() {
    let (_, pages) = district_pdf();
    assert!(!flat(&pages[0]).contains("—1—"), "the cover has no number");
    for (i, text) in pages.iter().enumerate().skip(1) {
        let want = format!("—{}—", i + 1);
        assert!(flat(text).contains(&want), "page {} lacks {want}: {text}", i + 1);
    }
}

#[test]
fn the_evidence_index_prints_the_pages_each_item_is_bound_on() {
    let (_, pages) = district_pdf();
    let index: String = pages.iter().filter(|p| p.contains("页码")).map(|p| flat(p)).collect();
    let items = evidence_items();
    assert!(!index.contains("evidence/"), "no file paths on paper");
    for (i, (no, title, printable)) in items.iter().enumerate() {
        let key = flat(&format!("{no}{title}"));
        let at = index.find(&key).unwrap_or_else(|| panic!("{no} {title} not in the index"));
        let rest = &index[at + key.len()..];
        // The row ends where the next one begins, or at the page's number (— 19 —).
        let next = items.get(i + 1).and_then(|next| rest.find(&flat(&format!("{}{}", next.0, next.1)))).unwrap_or(rest.len());
        // …or at the row of the next part of the outline.
        let part = part_labels().iter().filter_map(|l| rest.find(l.as_str())).min().unwrap_or(rest.len());
        let end = next.min(part).min(rest.find('—').unwrap_or(rest.len()));
        let row = &rest[..end];
        if !printable {
            assert!(rest.starts_with("（电子件，见提交包“佐证材料/"), "{no}: {}", &rest[..60.min(rest.len())]);
            assert!(rest.contains("电子件"), "{no}");
            continue;
        }
        // The row ends with its pages: 35 or 35–38.
        let tail: Vec<char> = row.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '–').collect();
        let digits: String = tail.into_iter().rev().collect();
        let (first, last) = match digits.split_once('–') {
            Some((a, b)) => (a.parse::<usize>().unwrap(), b.parse::<usize>().unwrap()),
            None => (digits.parse().unwrap(), digits.parse().unwrap()),
        };
        let n = last - first + 1;
        for (k, page) in (first..=last).enumerate() {
            let caption = if n > 1 { flat(&format!("佐证材料 {no} {title}（{}/{n}）", k + 1)) } else { flat(&format!("佐证材料 {no} {title}")) };
            assert!(flat(&pages[page - 1]).contains(&caption), "{no}: page {page} should open with {caption}: {}", pages[page - 1]);
        }
    }
    // The fixture's multi-page files: a three-page PDF, a two-page TIFF.
    assert!(index.contains("六、制度建设06-01公司培训管理制度汇编33–35七、师资队伍07-01"), "{index}");
    assert!(index.contains("专职教师及工作人员劳动合同和社保缴费证明36–37"), "{index}");
}

fn outline_children(doc: &Document, parent: ObjectId) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let Ok(first) = doc.get_dictionary(parent).and_then(|d| d.get(b"First")).and_then(Object::as_reference) else { return out };
    let mut at = Some(first);
    while let Some(id) = at {
        out.push(id);
        at = doc.get_dictionary(id).ok().and_then(|d| d.get(b"Next").ok()).and_then(|o| o.as_reference().ok());
    }
    out
}

fn title_of(doc: &Document, id: ObjectId) -> String {
    let bytes = doc.get_dictionary(id).unwrap().get(b"Title").unwrap().as_str().unwrap().to_vec();
    let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
    String::from_utf16(&units).unwrap()
}

#[test]
fn bookmarks_are_nested_and_point_at_their_pages() {
    let (pdf, pages) = district_pdf();
    let doc = Document::load(&pdf).unwrap();
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let root = doc.catalog().unwrap().get(b"Outlines").unwrap().as_reference().unwrap();
    let top = outline_children(&doc, root);
    let titles: Vec<String> = top.iter().map(|id| title_of(&doc, *id)).collect();
    assert!(titles.len() >= 5, "{titles:?}");
    assert!(titles.iter().all(|t| !t.starts_with('（')), "only level-1 headings at the top: {titles:?}");
    // Level-2 headings sit under their level-1 heading.
    let report = top.iter().position(|id| title_of(&doc, *id).contains("申请报告")).expect("申请报告 at the top");
    let subs: Vec<String> = outline_children(&doc, top[report]).iter().map(|id| title_of(&doc, *id)).collect();
    assert!(subs.iter().any(|s| s.starts_with("（一）")), "{subs:?}");
    // Evidence items under the evidence index, in order, each pointing at its caption.
    let index = top.iter().position(|id| title_of(&doc, *id) == "佐证材料目录").expect("佐证材料目录 bookmark");
    let kids = outline_children(&doc, top[index]);
    let printable: Vec<(String, String, bool)> = evidence_items().into_iter().filter(|e| e.2).collect();
    assert_eq!(kids.len(), printable.len());
    let mut last_page = 0;
    for (kid, (no, title, _)) in kids.iter().zip(&printable) {
        assert_eq!(title_of(&doc, *kid), format!("{no} {title}"));
        let dest = doc.get_dictionary(*kid).unwrap().get(b"Dest").unwrap().as_array().unwrap().clone();
        let page = page_ids.iter().position(|p| *p == dest[0].as_reference().unwrap()).unwrap() + 1;
        assert_eq!(dest[1].as_name().unwrap(), b"XYZ");
        assert!(dest[3].as_float().unwrap() > 700.0, "points at the top of the type area");
        assert!(page > last_page, "document order");
        last_page = page;
        assert!(flat(&pages[page - 1]).contains(&flat(&format!("佐证材料 {no} {title}"))), "{no} → page {page}");
    }
}

#[test]
fn jpeg_scans_pass_through_byte_for_byte() {
    let (pdf, _) = district_pdf();
    let bytes = std::fs::read(&pdf).unwrap();
    for name in ["01-营业执照.jpg", "29-实训教学照片.jpg"] {
        let jpeg = std::fs::read(root().join("fixtures").join(DISTRICT).join("evidence").join(name)).unwrap();
        assert!(bytes.windows(jpeg.len()).any(|w| w == jpeg.as_slice()), "{name} is in the PDF as it is");
    }
    let doc = Document::load(&pdf).unwrap();
    let dct = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"DCTDecode".as_slice()))
        .count();
    assert_eq!(dct, 2);
    // The PNG with alpha carries it as a soft mask.
    assert!(doc.objects.values().filter_map(|o| o.as_stream().ok()).any(|s| s.dict.has(b"SMask")));
}

#[test]
fn the_docx_index_lists_numbers_and_titles_without_paths() {
    let docx = std::fs::read(output(&built_fixture(DISTRICT), "docx")).unwrap();
    let xml = zip_entries(&docx).into_iter().find(|(n, _)| n == "word/document.xml").unwrap().1;
    let xml = String::from_utf8(xml).unwrap();
    assert!(!xml.contains("evidence/"), "no file paths in the DOCX");
    assert!(xml.contains("营业执照"));
}

/// A copy of the district fixture with evidence files replaced.
fn with_evidence(name: &str, files: &[(&str, Vec<u8>)]) -> std::path::PathBuf {
    let dir = tempdir(name);
    copy_dir(&root().join("fixtures").join(DISTRICT), &dir);
    for (file, bytes) in files {
        std::fs::write(dir.join("evidence").join(file), bytes).unwrap();
    }
    dir
}

/// (rule, line, severity) of the findings on evidence files.
fn evidence_findings(dir: &std::path::Path) -> Vec<(String, u64, String)> {
    let r = check_json(dir);
    findings(&r.json()).into_iter().filter(|f| f.0.starts_with("evidence.") || f.0 == "file.missing").map(|f| (f.0, f.1, f.3)).collect()
}

fn line_of(dir: &std::path::Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap();
    text.lines().position(|l| l.contains(needle)).map(|i| i as u64 + 1).unwrap_or_else(|| panic!("{needle}"))
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG header claiming `w` × `h` pixels.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    png
}

#[test]
fn evidence_that_cannot_be_bound_is_a_located_error() {
    let jpeg = std::fs::read(root().join("fixtures").join(DISTRICT).join("evidence/29-实训教学照片.jpg")).unwrap();
    let zero_pages = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec();
    let dir = with_evidence(
        "bound-bad-evidence",
        &[
            ("02-培训定点机构确认通知.pdf", Vec::new()),
            ("03-主要领导证明材料.pdf", jpeg.clone()),
            ("06-兼职协议.pdf", b"just some text, not a PDF".to_vec()),
            ("07-教师资格证书.pdf", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec()),
            ("08-教研活动记录.pdf", b"%PDF-1.4\ngarbage that is no PDF".to_vec()),
            ("09-场地证明.pdf", zero_pages),
            ("21-管理平台截图.png", png_claiming(100_000, 100_000)),
            // Made with qpdf 11.3: AES-256 with a user password, and with only an owner password.
            ("10-实训设备清单.pdf", std::fs::read(root().join("tests/it/data/encrypted-password.pdf")).unwrap()),
            ("11-教学计划与大纲.pdf", std::fs::read(root().join("tests/it/data/encrypted-owner-only.pdf")).unwrap()),
        ],
    );
    let got = evidence_findings(&dir);
    let at = |file: &str| line_of(&dir, &format!("file: evidence/{file}"));
    let want = [
        ("evidence.empty", at("02-"), "error"),
        ("evidence.type-mismatch", at("03-"), "warning"),
        ("evidence.not-printable", at("06-"), "warning"),
        ("evidence.unsupported", at("07-"), "error"),
        ("evidence.damaged", at("08-"), "error"),
        ("evidence.damaged", at("09-"), "error"),
        ("evidence.too-large", at("21-"), "error"),
        ("evidence.encrypted", at("10-"), "error"),
        ("evidence.encrypted", at("11-"), "error"),
    ];
    for (rule, line, severity) in want {
        assert!(got.iter().any(|g| g.0 == rule && g.1 == line && g.2 == severity), "{rule} at line {line} ({severity}) in {got:?}");
    }
    // check blocks, so build never meets them; a draft binds what it can and says what not.
    let out = tempdir("bound-bad-evidence-out");
    let r = run(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--draft"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let text: String = pdf_pages(&output(&out, "pdf")).iter().map(|p| flat(p)).collect();
    assert!(text.contains("（草稿：缺少文件）"), "a draft names the items it could not bind");
}

#[test]
fn a_path_differing_only_in_case_gets_a_hint() {
    let dir = with_evidence("bound-case", &[]);
    let yaml = std::fs::read_to_string(dir.join("dossier.yaml")).unwrap().replace("file: evidence/10-实训设备清单.pdf", "file: Evidence/10-实训设备清单.PDF");
    std::fs::write(dir.join("dossier.yaml"), yaml).unwrap();
    let r = check_json(&dir);
    let f = r.json()["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "file.missing").cloned().expect("file.missing");
    let hint = f["hint"].as_str().or(f["hints"][0].as_str()).unwrap_or_default().to_owned();
    assert!(format!("{f}").contains("evidence/10-实训设备清单.pdf") && format!("{f}").contains("大小写"), "{f} {hint}");
}

/// A one-page PDF whose text uses Helvetica without embedding it, as the old fixtures did.
fn helvetica_pdf() -> Vec<u8> {
    use lopdf::{Stream, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let content = doc.add_object(Stream::new(dictionary! {}, b"BT /F1 14 Tf 72 760 Td (evidence E01) Tj ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } }, "Contents" => content,
    });
    doc.objects.insert(pages, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn fonts_not_embedded_in_an_evidence_pdf_are_questioned() {
    let helvetica = helvetica_pdf();
    let dir = with_evidence("bound-fonts", &[("02-培训定点机构确认通知.pdf", helvetica)]);
    let got = evidence_findings(&dir);
    let line = line_of(&dir, "file: evidence/02-");
    assert!(got.iter().any(|g| g.0 == "evidence.font-not-embedded" && g.1 == line && g.2 == "warning"), "{got:?}");
}

/// An A4 page at 200 dpi, bilevel, compressed as CCITT Group 4 in one strip, as office scanners
/// write it: a black frame and bars of "text".
fn group4_tiff() -> (Vec<u8>, Vec<u8>) {
    use fax::{Color, encoder::Encoder, VecWriter};
    let (w, h) = (1654u16, 2339u16);
    let mut encoder = Encoder::new(VecWriter::new());
    for y in 0..h {
        let black = |x: u16| {
            let frame = x < 120 || x >= w - 120 || y < 120 || y >= h - 120;
            let inside = x > 150 && x < w - 150 && y > 150 && y < h - 150;
            let text = inside && (y / 24) % 3 == 0 && (x / 40) % 5 != 4;
            (frame && !inside) || text
        };
        encoder.encode_line((0..w).map(|x| if black(x) { Color::Black } else { Color::White }), w).unwrap();
    }
    let data = encoder.finish().unwrap().finish();
    (fax::tiff::wrap(&data, u32::from(w), u32::from(h)), data)
}

#[test]
fn a_group4_tiff_scan_is_bound_as_it_was_compressed() {
    let (tiff, strip) = group4_tiff();
    assert!(tiff.len() < 100_000, "a bilevel A4 page is small: {} bytes", tiff.len());
    let name = std::fs::read_dir(root().join("fixtures").join(DISTRICT).join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".tif"))
        .expect("the district fixture's TIFF");
    let dir = with_evidence("bound-g4", &[(name.as_str(), tiff)]);
    assert!(evidence_findings(&dir).is_empty(), "{:?}", evidence_findings(&dir));
    let out = tempdir("bound-g4-out");
    let r = run(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc = Document::load(output(&out, "pdf")).unwrap();
    let fax: Vec<&lopdf::Stream> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"CCITTFaxDecode".as_slice()))
        .collect();
    assert_eq!(fax.len(), 1, "one Group 4 page");
    assert_eq!(fax[0].content, strip, "the strip as the scanner wrote it");
    let parms = fax[0].dict.get(b"DecodeParms").unwrap().as_dict().unwrap();
    assert_eq!(parms.get(b"K").unwrap().as_i64().unwrap(), -1);
    assert_eq!(parms.get(b"Columns").unwrap().as_i64().unwrap(), 1654);
    assert_eq!(fax[0].dict.get(b"BitsPerComponent").unwrap().as_i64().unwrap(), 1);
}

/// The fixture's scan is grey, one LZW strip per page: PDF reads TIFF's LZW (`/LZWDecode`), so
/// each page is bound as the scanner compressed it, and it inflates to the decoder's pixels.
#[test]
fn an_lzw_tiff_scan_is_bound_as_it_was_compressed() {
    let (pdf, _) = district_pdf();
    let doc = Document::load(&pdf).unwrap();
    let lzw: Vec<&lopdf::Stream> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"LZWDecode".as_slice()))
        .collect();
    assert_eq!(lzw.len(), 2, "the two pages of 05-劳动合同及社保证明.tif");
    let tiff = std::fs::read(root().join("fixtures").join(DISTRICT).join("evidence/05-劳动合同及社保证明.tif")).unwrap();
    let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(tiff.as_slice())).unwrap();
    for page in 0..2 {
        if page > 0 {
            decoder.next_image().unwrap();
        }
        let (w, h) = decoder.dimensions().unwrap();
        let offset = decoder.get_tag_u64(tiff::tags::Tag::StripOffsets).unwrap() as usize;
        let count = decoder.get_tag_u64(tiff::tags::Tag::StripByteCounts).unwrap() as usize;
        let Ok(tiff::decoder::DecodingResult::U8(pixels)) = decoder.read_image() else { panic!("8-bit grey") };
        let stream = lzw.iter().find(|s| s.content == tiff[offset..offset + count]).unwrap_or_else(|| panic!("page {page}'s strip as it is"));
        assert_eq!(stream.dict.get(b"Width").unwrap().as_i64().unwrap(), i64::from(w));
        assert_eq!(stream.dict.get(b"Height").unwrap().as_i64().unwrap(), i64::from(h));
        assert_eq!(stream.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceGray");
        assert!(stream.dict.get(b"DecodeParms").is_err(), "EarlyChange 1 and no predictor, PDF's defaults");
        let inflated = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).decode(&stream.content).unwrap();
        assert_eq!(inflated, pixels, "page {page}");
    }
}
