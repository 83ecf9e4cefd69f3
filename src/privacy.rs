//! Who sees personal data in full, in one place (docs/personal-data.md has the table):
//!
//! - the bag, the submission to the bureau: everything in full (trainee IDs and phones in the
//!   roster CSV, the applicant's contacts in dossier.yaml);
//! - the PDF and DOCX: the applicant's own contacts in full, as the forms ask; any other ID
//!   or mobile number (a trainee or a teacher quoted in free text) masked;
//! - terminal, JSON, SARIF, GitHub, JUnit and the HTML report: masked (`mask::text`: ID
//!   and mobile numbers; office phones as they are), unless `--unmasked`;
//! - the bureau's own files (summary, roster export): in full, written mode 0600.

use std::path::Path;

use serde_json::Value;

/// The applicant's own contact numbers: legal representative, leaders (负责人) and contacts.
pub fn applicant_contacts(json: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &Value| {
        for key in ["phone", "mobile"] {
            if let Some(s) = v.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty()) {
                out.push(s.to_owned());
            }
        }
    };
    push(&json["applicant"]["legal_representative"]);
    for list in [&json["applicant"]["contacts"], &json["leadership"]] {
        for person in list.as_array().into_iter().flatten() {
            push(person);
        }
    }
    // Longest first, so a number never hides a longer one containing it.
    out.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    out.dedup();
    out
}

/// Text for the PDF and DOCX: the applicant's contacts kept in full, every other ID or
/// mobile number masked.
pub fn document_text(markup: &str, json: &Value) -> String {
    let keep = applicant_contacts(json);
    // Private-use placeholders carry the kept numbers past the masking.
    let mut shielded = markup.to_owned();
    for (i, value) in keep.iter().enumerate() {
        shielded = shielded.replace(value.as_str(), &placeholder(i));
    }
    let mut out = crate::mask::text(&shielded);
    for (i, value) in keep.iter().enumerate() {
        out = out.replace(&placeholder(i), value);
    }
    out
}

fn placeholder(i: usize) -> String {
    let digits: String = i.to_string().chars().map(|d| char::from_u32(0xE010 + d.to_digit(10).unwrap_or(0)).unwrap_or('\u{E010}')).collect();
    format!("\u{E000}{digits}\u{E001}")
}

/// The roster in the bag: UTF-8 CSV with BOM (Excel opens it), every cell as the roster has
/// it — the bureau runs its real-name checks and cross-submission audits on these numbers.
pub fn roster_csv(table: &crate::load::roster::Table) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let width = table
        .rows
        .iter()
        .map(|r| r.cells.len())
        // Wide enough for every data cell and every header, recognised or not.
        .chain(table.columns.iter().map(|c| c.1 + 1))
        .chain(table.unrecognised.iter().map(|u| u.0 + 1))
        .max()
        .unwrap_or(0);
    let mut header = vec![String::new(); width];
    for (column, i) in &table.columns {
        header[*i] = crate::load::roster::header_name(*column).to_owned();
    }
    for (i, _, text) in &table.unrecognised {
        header[*i] = text.clone();
    }
    let _ = out.write_record(&header);
    for row in &table.rows {
        let cells: Vec<String> = (0..width).map(|i| row.cells.get(i).map(|c| c.text()).unwrap_or_default()).collect();
        let _ = out.write_record(&cells);
    }
    out.into_inner().unwrap_or_default()
}

/// Write a file only its owner can read (mode 0600 on Unix), atomically: the bureau's files
/// holding personal data in full, and identity files.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::write_atomically(path, bytes, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_keeps_the_applicants_contacts_only() {
        let json = serde_json::json!({
            "applicant": {"legal_representative": {"mobile": "13904115826"}, "contacts": [{"phone": "0411-86681235", "mobile": "15842706613"}]},
            "leadership": [{"mobile": "13700098416"}]
        });
        let text = "联系 0411-86681235 15842706613，负责人 13700098416，学员 13812341234，身份证 210204196908122642";
        assert_eq!(
            document_text(text, &json),
            "联系 0411-86681235 15842706613，负责人 13700098416，学员 138****1234，身份证 210204********2642"
        );
    }
}
