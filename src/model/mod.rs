//! The typed dossier model: what rules and writers read once the schema has passed.
//! Field names follow `schemas/dossier.schema.json`. Missing fields take defaults: the schema
//! has already reported them, and one gap should not hide every policy finding.

use serde::Deserialize;

use crate::load::divisions::{self, Division, Level};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Dossier {
    pub policy: PolicyRef,
    pub applicant: Applicant,
    pub brand: Brand,
    pub staff: Staff,
    pub training: Training,
    pub service: Service,
    pub reputation: Reputation,
    pub evidence: Vec<Evidence>,
    pub commitment: Commitment,
    pub self_assessment: Vec<SelfAssessment>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PolicyRef {
    pub id: String,
    pub tier: Option<String>,
    pub brand_type: Option<String>,
    pub other_branch: Option<String>,
    pub scope: Option<String>,
    pub application_year: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Applicant {
    pub name: String,
    pub credit_code: String,
    pub kind: String,
    pub short_name: Option<String>,
    pub province: Option<String>,
    pub city: String,
    pub district: Option<String>,
    /// The GB/T 2260 divisions the three names resolve to (rules compare these, not names).
    #[serde(skip)]
    pub places: Places,
}

/// An applicant's place as divisions; `None` where the name is absent or unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Places {
    pub province: Option<&'static Division>,
    pub city: Option<&'static Division>,
    pub district: Option<&'static Division>,
}

impl Places {
    /// Resolve the names, each within the one above it when that is known.
    pub fn of(province: Option<&str>, city: &str, district: Option<&str>) -> Places {
        let province = province.and_then(|p| divisions::resolve(p, Level::Province, None).division());
        let city = divisions::resolve(city, Level::City, province).division();
        // A city gives its province when none is named.
        let province = province.or_else(|| city.and_then(|c| divisions::by_code(&format!("{}0000", &c.code[..2]))));
        let district = district.and_then(|d| divisions::resolve(d, Level::County, city).division());
        Places { province, city, district }
    }

    /// The city's standard name, else the name as given (trimmed).
    pub fn city_name<'a>(&self, given: &'a str) -> &'a str {
        self.city.map_or(given.trim(), |c| c.name)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Brand {
    pub name: String,
    pub occupations: Vec<Occupation>,
    pub supporting_units: Vec<SupportingUnit>,
    pub existing_titles: Vec<Title>,
    pub introduction: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Occupation {
    pub name: String,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SupportingUnit {
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Title {
    pub title: String,
    pub level: String,
    pub year: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Staff {
    pub full_time_teachers: Vec<serde_json::Value>,
    pub part_time_teachers: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Training {
    pub years: Vec<YearFigures>,
    pub programmes: Vec<Programme>,
    pub key_fields: KeyFields,
    pub key_support: Option<KeySupport>,
    pub rosters: Vec<Roster>,
}

/// Counts of one natural year. Every count is optional because each policy asks for a
/// different set; the rules say which ones they need.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct YearFigures {
    pub year: i32,
    pub trainees: i64,
    pub passed: i64,
    pub certificates: Vec<CertificateFigures>,
    pub subsidised: Option<i64>,
    pub order_directed: Option<i64>,
    pub employed_3m: Option<i64>,
    pub employed_6m: Option<i64>,
    pub internal_trainees: Option<i64>,
    pub internal_retained_2y: Option<i64>,
    pub graduates: Option<i64>,
    pub graduates_employed: Option<i64>,
    pub declared_rates: DeclaredRates,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CertificateFigures {
    pub kind: String,
    pub trainees: i64,
    pub passed: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeclaredRates {
    pub pass_rate: Option<f64>,
    pub order_directed_share: Option<f64>,
    pub employment_rate_3m: Option<f64>,
    pub employment_rate_6m: Option<f64>,
    pub internal_retention_rate: Option<f64>,
    pub graduate_employment_rate: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Programme {
    pub occupation: String,
    pub total_hours: i64,
    pub practical_hours: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeyFields {
    pub key_industry: Option<KeyField>,
    pub new_occupation: Option<KeyField>,
    pub digital_skills: Option<KeyField>,
    pub key_region_industry: Option<KeyField>,
    pub rural_revitalization: Option<KeyField>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeyField {
    pub claimed: bool,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeySupport {
    pub claimed: bool,
    pub categories: Vec<String>,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Roster {
    pub file: String,
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Service {
    pub partners: Vec<Partner>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Partner {
    pub name: String,
    pub kind: String,
    pub agreement_date: String,
    /// A date, or text such as 长期 (open-ended).
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reputation {
    pub public_welfare: Vec<PublicWelfare>,
    pub awards: Vec<Award>,
    pub media_reports: Vec<MediaReport>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PublicWelfare {
    pub title: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Award {
    pub title: String,
    pub level: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MediaReport {
    pub title: String,
    pub level: String,
    pub evidence: Vec<String>,
}

/// The kinds of evidence a dossier names (`evidence[].section`), in the schema's order; each
/// policy's `materials.yaml` places every one of them under a part of its own outline.
pub const EVIDENCE_SECTIONS: &[&str] = &[
    "application_report", "forms", "qualifications", "leadership", "management_systems", "staff", "facilities",
    "training", "service", "reputation", "commitment", "other",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Evidence {
    pub id: String,
    pub title: String,
    pub file: String,
    pub section: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Commitment {
    pub signer: String,
    pub date: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SelfAssessment {
    pub item: String,
    pub points: f64,
    pub basis: String,
    pub evidence: Vec<String>,
}

impl Dossier {
    /// The typed view of the dossier; `None` when a value has the wrong type to be read.
    pub fn from_json(json: &serde_json::Value) -> Option<Dossier> {
        // Deserialised from the borrowed tree: no copy of the whole document first.
        let mut d = <Dossier as serde::Deserialize>::deserialize(json).ok()?;
        let a = &mut d.applicant;
        a.places = Places::of(a.province.as_deref(), &a.city, a.district.as_deref());
        Some(d)
    }
}
