//! The document model built from each fixture holds every expected line, masked.

use crate::common::*;

use dossier::document::compose::{Options, compose};
use dossier::policy::Registry;

#[test]
fn every_fixture_builds_a_document_with_its_expected_text() {
    let registry = Registry::embedded();
    for name in ["dalian-2023-city", "dalian-2023-district", "liaoning-2024-enterprise", "inner-mongolia-2022-region"] {
        let dir = root().join("fixtures").join(name);
        let loaded = dossier::load::load(&dir).unwrap();
        let checked = dossier::rules::check(&loaded, &registry);
        let pack = registry.get(&checked.policy.as_ref().unwrap().id).unwrap();
        let doc = compose(&loaded, &checked, pack, &Options { unmasked: false, draft: false }).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text: String = doc.text().chars().filter(|c| !c.is_whitespace()).collect();
        for want in std::fs::read_to_string(dir.join("expected-text.txt")).unwrap().lines().filter(|l| !l.is_empty()) {
            let want: String = want.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(text.contains(&want), "{name}: missing {want}");
        }
        assert!(doc.outline().count() >= 5, "{name}");
        // Personal data never reaches the document unmasked.
        let id = loaded.json["applicant"]["legal_representative"]["id_number"].as_str().unwrap_or("NONE");
        assert!(!text.contains(id), "{name}: ID leaked");
    }
}
