//! The typed dossier model: what rules and writers read once the schema has passed.
//! Field names follow `schemas/dossier.schema.json`; optional parts default to empty.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Dossier {
    pub policy: PolicyRef,
    pub applicant: Applicant,
    pub brand: Brand,
    #[serde(default)]
    pub staff: Staff,
    pub training: Training,
    #[serde(default)]
    pub service: Service,
    #[serde(default)]
    pub reputation: Reputation,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    pub commitment: Commitment,
    #[serde(default)]
    pub self_assessment: Vec<SelfAssessment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PolicyRef {
    pub id: String,
    pub tier: Option<String>,
    pub brand_type: Option<String>,
    pub other_branch: Option<String>,
    pub scope: Option<String>,
    pub application_year: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub credit_code: String,
    pub kind: String,
    pub short_name: Option<String>,
    pub city: String,
    pub district: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Brand {
    pub name: String,
    pub occupations: Vec<Occupation>,
    #[serde(default)]
    pub supporting_units: Vec<SupportingUnit>,
    #[serde(default)]
    pub existing_titles: Vec<Title>,
    pub introduction: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Occupation {
    pub name: String,
    #[serde(default)]
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SupportingUnit {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Title {
    pub title: String,
    pub level: String,
    pub year: i32,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Staff {
    #[serde(default)]
    pub full_time_teachers: Vec<serde_json::Value>,
    #[serde(default)]
    pub part_time_teachers: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Training {
    pub years: Vec<YearFigures>,
    #[serde(default)]
    pub programmes: Vec<Programme>,
    #[serde(default)]
    pub key_fields: KeyFields,
    pub key_support: Option<KeySupport>,
    #[serde(default)]
    pub rosters: Vec<Roster>,
}

/// Counts of one natural year. Every count is optional because each policy asks for a
/// different set; the rules say which ones they need.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct YearFigures {
    pub year: i32,
    pub trainees: i64,
    pub passed: i64,
    #[serde(default)]
    pub certificates: Vec<CertificateFigures>,
    pub subsidised: Option<i64>,
    pub order_directed: Option<i64>,
    pub employed_3m: Option<i64>,
    pub employed_6m: Option<i64>,
    pub internal_trainees: Option<i64>,
    pub internal_retained_2y: Option<i64>,
    pub graduates: Option<i64>,
    pub graduates_employed: Option<i64>,
    #[serde(default)]
    pub declared_rates: DeclaredRates,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CertificateFigures {
    pub kind: String,
    pub trainees: i64,
    pub passed: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DeclaredRates {
    pub pass_rate: Option<f64>,
    pub order_directed_share: Option<f64>,
    pub employment_rate_3m: Option<f64>,
    pub employment_rate_6m: Option<f64>,
    pub internal_retention_rate: Option<f64>,
    pub graduate_employment_rate: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Programme {
    pub occupation: String,
    pub total_hours: i64,
    pub practical_hours: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeyFields {
    pub key_industry: Option<KeyField>,
    pub new_occupation: Option<KeyField>,
    pub digital_skills: Option<KeyField>,
    pub key_region_industry: Option<KeyField>,
    pub rural_revitalization: Option<KeyField>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeyField {
    pub claimed: bool,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeySupport {
    pub claimed: bool,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Roster {
    pub file: String,
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub partners: Vec<Partner>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Partner {
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Reputation {
    #[serde(default)]
    pub public_welfare: Vec<PublicWelfare>,
    #[serde(default)]
    pub awards: Vec<Award>,
    #[serde(default)]
    pub media_reports: Vec<MediaReport>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PublicWelfare {
    pub title: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Award {
    pub title: String,
    pub level: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MediaReport {
    pub title: String,
    pub level: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub title: String,
    pub file: String,
    pub section: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Commitment {
    pub signer: String,
    pub date: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SelfAssessment {
    pub item: String,
    pub points: f64,
    pub basis: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

impl Dossier {
    /// The typed view of a schema-valid dossier; `None` when the JSON is too broken to type.
    pub fn from_json(json: &serde_json::Value) -> Option<Dossier> {
        serde_json::from_value(json.clone()).ok()
    }
}
