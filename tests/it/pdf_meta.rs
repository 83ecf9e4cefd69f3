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
    assert_eq!(a.len(), 3, "{a:?}");
    for n in &a {
        let (tag, face) = n.split_once('+').unwrap_or_else(|| panic!("{n}: no subset tag"));
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) && !face.is_empty(), "{n}");
    }
    assert_eq!(a, names(&built_at_epoch("dalian-2023-city", "tags")), "tags derive from the subset, not the run");
}
