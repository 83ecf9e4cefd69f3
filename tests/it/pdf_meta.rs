//! The PDF's metadata read back with lopdf: no empty PDF/X key, proper subset tags, an XMP
//! packet that says what /Info says (title, the applicant as author, the SOURCE_DATE_EPOCH date).

use crate::common::*;
use lopdf::{Document, Object};

fn text(o: &Object) -> String {
    let Object::String(b, _) = o else { panic!("not a string: {o:?}") };
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8_lossy(b).into_owned()
    }
}

fn built_at_epoch(fixture: &str, tag: &str) -> std::path::PathBuf {
    let out = tempdir(&format!("pdf-meta-{fixture}-{tag}"));
    let r = bin()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["build", root().join("fixtures").join(fixture).to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    output(&out, "pdf")
}

#[test]
fn info_and_xmp_agree_and_nothing_claims_pdf_x() {
    let doc = Document::load(built_at_epoch("dalian-2023-city", "info")).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    for key in ["GTS_PDFXVersion", "Identifier", "Keywords", "Subject"] {
        assert!(info.get(key.as_bytes()).is_err(), "/Info still has /{key}");
    }
    let title = text(info.get(b"Title").unwrap());
    let author = text(info.get(b"Author").unwrap());
    assert_eq!(author, "大连市甘井子区金桥职业培训学校");
    assert_eq!(text(info.get(b"CreationDate").unwrap()), "D:20231114221320+00'00'");
    let catalog = doc.catalog().unwrap();
    let meta = doc.get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    assert_eq!(meta.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"XML");
    assert!(meta.dict.get(b"Filter").is_err(), "XMP left uncompressed");
    let xmp = String::from_utf8(meta.content.clone()).unwrap();
    assert!(xmp.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")), "{xmp}");
    assert!(xmp.contains(&format!("<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>")), "{xmp}");
    assert!(xmp.contains("<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"), "{xmp}");
    assert!(xmp.contains(&format!("<pdf:Producer>{}</pdf:Producer>", text(info.get(b"Producer").unwrap()))), "{xmp}");
    assert!(doc.version.as_str() >= "1.4", "XMP needs PDF 1.4, header says {}", doc.version);
}

#[test]
fn embedded_subsets_carry_six_letter_tags_the_same_each_build() {
    let names = |pdf: &std::path::Path| -> Vec<String> {
        let doc = Document::load(pdf).unwrap();
        let mut names: Vec<String> = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter_map(|d| d.get(b"FontName").ok().and_then(|n| n.as_name().ok()))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        names.sort();
        // Each font's BaseFont (and its descendant's) names the same tagged face.
        for o in doc.objects.values() {
            if let Ok(d) = o.as_dict()
                && let Ok(base) = d.get(b"BaseFont").and_then(Object::as_name)
            {
                assert!(names.contains(&String::from_utf8_lossy(base).into_owned()), "{}", String::from_utf8_lossy(base));
            }
        }
        names
    };
    let a = names(&output(&built_fixture("dalian-2023-city"), "pdf"));
    // Serif, bold serif, sans and 楷 (level-2 headings).
    assert_eq!(a.len(), 4, "{a:?}");
    for n in &a {
        let (tag, face) = n.split_once('+').unwrap_or_else(|| panic!("{n}: no subset tag"));
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) && !face.is_empty(), "{n}");
    }
    assert_eq!(a, names(&built_at_epoch("dalian-2023-city", "tags")), "tags derive from the subset, not the run");
}

/// The structure types below `id`, depth first (reading order), with their /Alt where set.
fn walk(doc: &Document, id: lopdf::ObjectId, out: &mut Vec<(String, Option<String>, lopdf::ObjectId)>) {
    let d = doc.get_dictionary(id).unwrap();
    let kind = String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap()).into_owned();
    out.push((kind, d.get(b"Alt").ok().map(text), id));
    let kids = match d.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => Vec::new(),
    };
    for k in kids {
        if let Object::Reference(r) = k {
            walk(doc, r, out);
        }
    }
}

#[test]
fn the_pdf_is_tagged_with_headings_tables_and_figures_in_reading_order() {
    let doc = Document::load(output(&built_fixture("dalian-2023-city"), "pdf")).unwrap();
    let catalog = doc.catalog().unwrap();
    let mark = catalog.get(b"MarkInfo").and_then(Object::as_dict).unwrap();
    assert_eq!(mark.get(b"Marked").unwrap(), &Object::Boolean(true));
    assert_eq!(text(catalog.get(b"Lang").unwrap()), "zh-CN");
    let root = doc.get_dictionary(catalog.get(b"StructTreeRoot").unwrap().as_reference().unwrap()).unwrap();
    let mut elems = Vec::new();
    walk(&doc, root.get(b"K").unwrap().as_reference().unwrap(), &mut elems);
    assert_eq!(elems[0].0, "Document");
    let count = |k: &str| elems.iter().filter(|e| e.0 == k).count();
    // The 38 contents entries are the 38 H1/H2 elements (九 has its five sub-items, 附件3).
    assert_eq!(count("H1") + count("H2"), 38);
    assert!(count("P") > 15 && count("TOCI") == 38 && count("Table") > 5 && count("TR") > count("Table") && count("TD") > count("TR") && count("TH") > 0);
    assert!(elems.iter().filter(|e| e.0 == "Figure").all(|e| e.1.as_deref().is_some_and(|a| a.starts_with("佐证材料 "))));
    assert!(count("Figure") >= 20);
    // Each page's marked content: BDC/EMC balanced, every MCID found in the parent tree
    // pointing at an element of the tag it was marked with.
    let parent_tree = doc.get_dictionary(root.get(b"ParentTree").unwrap().as_reference().unwrap()).unwrap();
    let nums = parent_tree.get(b"Nums").unwrap().as_array().unwrap();
    let kind_of = |id: lopdf::ObjectId| elems.iter().find(|e| e.2 == id).map(|e| e.0.clone()).unwrap_or_else(|| panic!("{id:?} not in the tree"));
    let mut marked = 0;
    for (_, page) in doc.get_pages() {
        let key = doc.get_dictionary(page).unwrap().get(b"StructParents").unwrap().as_i64().unwrap();
        let at = nums.iter().position(|n| n.as_i64().ok() == Some(key)).expect("page in the parent tree");
        let refs = nums[at + 1].as_array().unwrap();
        let mut depth = 0i32;
        for op in doc.get_and_decode_page_content(page).unwrap().operations {
            match op.operator.as_str() {
                "BDC" | "BMC" => depth += 1,
                "EMC" => depth -= 1,
                _ => {}
            }
            assert!((0..=1).contains(&depth), "marked content nests on page {page:?}");
            if op.operator == "BDC" {
                let tag = String::from_utf8_lossy(op.operands[0].as_name().unwrap()).into_owned();
                let mcid = op.operands[1].as_dict().unwrap().get(b"MCID").unwrap().as_i64().unwrap();
                let target = refs[mcid as usize].as_reference().unwrap();
                assert_eq!(kind_of(target), tag);
                marked += 1;
            }
        }
        assert_eq!(depth, 0);
    }
    assert!(marked > 500, "{marked} marked sequences");
}
