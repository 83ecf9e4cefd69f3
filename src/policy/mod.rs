//! Policy packs: each policy document as data, embedded in the binary, validated on load.

use std::path::Path;

use serde::Deserialize;

use crate::finding::Citation;
use crate::load::parse_json;

/// Packs shipped with the binary, one per policy document and year.
const EMBEDDED: &[(&str, &str)] = &[
    ("dalian-2023", include_str!("../../policies/dalian-2023.yaml")),
    ("liaoning-2024", include_str!("../../policies/liaoning-2024.yaml")),
    ("inner-mongolia-2022", include_str!("../../policies/inner-mongolia-2022.yaml")),
];

pub const PACK_SCHEMA: &str = include_str!("../../schemas/policy.schema.json");

#[derive(Debug, Clone, Deserialize)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub title: String,
    pub document: String,
    pub seed: String,
    #[serde(default)]
    pub tiers: Vec<Choice>,
    #[serde(default)]
    pub brand_types: Vec<Choice>,
    pub lookback: Lookback,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// Which natural years the policy's figures cover, counted back from the application year.
#[derive(Debug, Clone, Deserialize)]
pub struct Lookback {
    pub years: i32,
    pub citation: Citation,
}

impl Pack {
    pub fn years_for(&self, application_year: i32) -> Vec<i32> {
        (application_year - self.lookback.years..application_year).collect()
    }

    pub fn tier_name(&self, id: &str) -> Option<&str> {
        self.tiers.iter().chain(&self.brand_types).find(|c| c.id == id).map(|c| c.name.as_str())
    }
}

/// The packs in force: embedded ones, overridden or extended by `--policy-file`.
#[derive(Debug, Clone)]
pub struct Registry {
    packs: Vec<Pack>,
}

impl Registry {
    pub fn embedded() -> Registry {
        let packs = EMBEDDED
            .iter()
            .map(|(name, text)| parse_pack(text).unwrap_or_else(|e| panic!("embedded pack {name} is invalid: {e}")))
            .collect();
        Registry { packs }
    }

    /// Add a pack from a file; a pack with the same id replaces the embedded one.
    pub fn add_file(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("无法读取政策包 {}：{e}", path.display()))?;
        let pack = parse_pack(&text).map_err(|e| format!("政策包 {} 无效：{e}", path.display()))?;
        self.packs.retain(|p| p.id != pack.id);
        self.packs.push(pack);
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.id == id)
    }

    pub fn all(&self) -> &[Pack] {
        &self.packs
    }

    pub fn ids(&self) -> Vec<&str> {
        self.packs.iter().map(|p| p.id.as_str()).collect()
    }
}

fn parse_pack(text: &str) -> Result<Pack, String> {
    let (json, index, issues) =
        parse_json(text).map_err(|e| format!("第 {} 行第 {} 列：{}", e.pos.line, e.pos.column, e.message))?;
    if let Some(dup) = issues.first() {
        let pos = dup.at.unwrap_or_else(|| index.locate(&dup.pointer));
        return Err(format!("第 {} 行第 {} 列：{}", pos.line, pos.column, dup.message));
    }
    let schema: serde_json::Value = serde_json::from_str(PACK_SCHEMA).expect("policy schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("policy schema compiles");
    if let Some(e) = validator.iter_errors(&json).next() {
        let pos = index.locate(e.instance_path().as_str());
        return Err(format!("第 {} 行第 {} 列：{}", pos.line, pos.column, e));
    }
    serde_json::from_value(json).map_err(|e| e.to_string())
}
