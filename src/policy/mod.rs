//! Policy packs: each policy document as data, embedded in the binary, validated against
//! `schemas/policy.schema.json` on load. Rules name what they measure; `rules::outcomes`
//! evaluates them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Citation;
use crate::lang::Lang;
use crate::load::divisions::{self, Division, Level};
use crate::load::parse_json;

/// Policy directories shipped with the binary, one per policy document and year: the pack and
/// the template of its bound volume. `--policy-dir` loads the same layout from disk.
const EMBEDDED: &[(&str, &str, &str, &str)] = &[
    (
        "dalian-2023",
        include_str!("../../policies/dalian-2023/pack.yaml"),
        include_str!("../../policies/dalian-2023/bundle.tera"),
        include_str!("../../policies/dalian-2023/materials.yaml"),
    ),
    (
        "liaoning-2024",
        include_str!("../../policies/liaoning-2024/pack.yaml"),
        include_str!("../../policies/liaoning-2024/bundle.tera"),
        include_str!("../../policies/liaoning-2024/materials.yaml"),
    ),
    (
        "inner-mongolia-2022",
        include_str!("../../policies/inner-mongolia-2022/pack.yaml"),
        include_str!("../../policies/inner-mongolia-2022/bundle.tera"),
        include_str!("../../policies/inner-mongolia-2022/materials.yaml"),
    ),
];

/// The files of a policy directory.
pub const PACK_FILE: &str = "pack.yaml";
pub const TEMPLATE_FILE: &str = "bundle.tera";
pub const MATERIALS_FILE: &str = "materials.yaml";

/// Rule sets of other documents (the subsidy rules) that packs include for some applicants.
const RULESETS: &[(&str, &str)] = &[
    ("dalian-2011", include_str!("../../policies/rulesets/dalian-2011.yaml")),
    ("huludao-2019", include_str!("../../policies/rulesets/huludao-2019.yaml")),
];

/// Every figure a pack may name as `measure`; `rules::metrics` computes each (a test holds the
/// two together). A pack naming another is refused when it loads, at the name.
pub const MEASURES: &[&str] = &[
    "trainees", "passed", "subsidised", "order_directed", "internal_trainees", "graduates", "employed_3m",
    "employed_6m", "pass_rate", "order_directed_share", "employment_rate_3m", "employment_rate_6m",
    "employment_rate", "internal_retention_rate", "graduate_employment_rate", "pass_rate:skill_level",
    "pass_rate:special_ability_or_training", "full_time_teacher_share", "partners", "public_welfare",
    "municipal_awards", "media_level",
];

/// The first `measure` value that names no known figure: (JSON pointer, name).
fn unknown_measure(value: &serde_json::Value, pointer: &str) -> Option<(String, String)> {
    match value {
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let here = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
            match v.as_str() {
                Some(name) if k == "measure" && !MEASURES.contains(&name) => Some((here, name.to_owned())),
                _ => unknown_measure(v, &here),
            }
        }),
        serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| unknown_measure(v, &format!("{pointer}/{i}"))),
        _ => None,
    }
}

pub const PACK_SCHEMA: &str = include_str!("../../schemas/policy.schema.json");

#[derive(Debug, Clone, Deserialize)]
pub struct Pack {
    pub id: String,
    pub version: String,
    pub title: String,
    /// English title (`--lang en`).
    pub title_en: Option<String>,
    pub document: String,
    pub seed: String,
    /// The year the policy calls for applications (`init`'s default year).
    pub application_year: Option<i32>,
    #[serde(default)]
    pub region: Region,
    #[serde(default)]
    pub tiers: Vec<Choice>,
    #[serde(default)]
    pub brand_types: Vec<Choice>,
    #[serde(default)]
    pub scopes: Vec<Choice>,
    pub lookback: Lookback,
    /// The application deadline within the application year, where the text gives one.
    pub deadline: Option<Deadline>,
    pub relaxation: Option<Relaxation>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub includes: Vec<Include>,
    pub scoring: Option<Scoring>,
    /// Where the pack came from: "内置" or the file given with --policy-file.
    #[serde(skip)]
    pub source: String,
    /// The Tera template of the bound volume (`bundle.tera` of the policy directory); a pack
    /// given alone with --policy-file has none and can be checked but not built.
    #[serde(skip)]
    pub template: Option<String>,
    /// Titles of the documents its rules cite, by seed file (the pack's own and its rule sets').
    #[serde(skip)]
    pub documents: std::collections::BTreeMap<String, String>,
    /// The materials an application must hold (`materials.yaml` of the policy directory);
    /// empty for a pack given alone with --policy-file.
    #[serde(skip)]
    pub materials: Vec<Material>,
    /// Where each kind of evidence goes in the policy's outline, in the order of its 佐证材料目录
    /// (`evidence` of `materials.yaml`); empty without one.
    #[serde(skip)]
    pub evidence_outline: Vec<EvidencePlace>,
}

/// `materials.yaml`: the policy's own list of application materials, and the part of its outline
/// each kind of evidence belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Materials {
    materials: Vec<Material>,
    #[serde(default)]
    evidence: Vec<EvidenceSection>,
}

/// One kind of evidence (a dossier's `evidence[].section`) placed under a material of the list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceSection {
    section: String,
    under: String,
    label: Option<String>,
}

/// A kind of evidence as the policy's volume numbers and names it: 04-01 = the first item under
/// the part numbered 四.
#[derive(Debug, Clone)]
pub struct EvidencePlace {
    pub section: String,
    pub prefix: u32,
    pub label: String,
}

/// One material of the policy's list, recognised in a hand-made zip by words in its paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    /// The number the seed's outline gives it (一, 九、1, …).
    pub number: String,
    pub title: String,
    pub title_en: Option<String>,
    /// Missing it returns the submission.
    pub required: bool,
    pub keywords: Vec<String>,
    pub citation: Citation,
    /// Figures a hand-made copy of this material is read for, by the labels of its table.
    #[serde(default)]
    pub figures: Vec<FormFigure>,
}

/// One figure of a bureau's form: the labels it stands under or beside, and the measure the
/// pack's thresholds know it by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormFigure {
    pub labels: Vec<String>,
    pub measure: String,
    #[serde(default = "total")]
    pub over: Over,
}

fn total() -> Over {
    Over::Total
}

impl Material {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }

    /// The longest keyword found in `path` (case-insensitive), if any.
    pub fn matches(&self, path: &str) -> Option<usize> {
        let path = path.to_lowercase();
        self.keywords.iter().filter(|k| path.contains(&k.to_lowercase())).map(|k| k.chars().count()).max()
    }
}

impl Pack {
    /// “《大连市…实施方案》五、（二）” for a citation; the seed file when its title is unknown.
    pub fn cite(&self, citation: &crate::diag::Citation) -> String {
        match self.documents.get(&citation.seed) {
            Some(document) => format!("《{document}》{}", citation.clause),
            None => citation.source(),
        }
    }
}

/// A rule set this pack applies, narrowed to some applicants (e.g. those in Huludao).
#[derive(Debug, Clone, Deserialize)]
pub struct Include {
    pub ruleset: String,
    #[serde(default)]
    pub applies: Applies,
}

#[derive(Debug, Clone, Deserialize)]
struct RuleSet {
    id: String,
    title: String,
    seed: String,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Region {
    pub province: Option<String>,
    pub city: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
}

impl Choice {
    pub fn name_in(&self, lang: Lang) -> &str {
        pick(lang, &self.name, &self.name_en)
    }
}

/// The English text where the pack gives one.
fn pick<'a>(lang: Lang, zh: &'a str, en: &'a Option<String>) -> &'a str {
    match (lang, en) {
        (Lang::En, Some(en)) => en,
        _ => zh,
    }
}

/// The English notes where the pack gives them.
pub fn notes_in<'a>(lang: Lang, zh: &'a [String], en: &'a [String]) -> &'a [String] {
    if lang == Lang::En && !en.is_empty() { en } else { zh }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Deadline {
    /// "MM-DD" in the application year.
    pub month_day: String,
    pub citation: Citation,
}

/// Which natural years the policy's figures cover, counted back from the application year.
#[derive(Debug, Clone, Deserialize)]
pub struct Lookback {
    pub years: i32,
    pub citation: Citation,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_en: Vec<String>,
}

/// Key-support relaxation: when its condition holds, failures of `relaxable` rules are advisory.
#[derive(Debug, Clone, Deserialize)]
pub struct Relaxation {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub condition: Threshold,
    #[serde(default)]
    pub requires_category: bool,
    pub citation: Citation,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_en: Vec<String>,
}

impl Relaxation {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    Blocking,
    Advisory,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub severity: RuleSeverity,
    #[serde(default)]
    pub applies: Applies,
    #[serde(flatten)]
    pub check: Check,
    #[serde(default)]
    pub relaxable: bool,
    pub citation: Citation,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_en: Vec<String>,
}

impl Rule {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }
}

/// Which applications a rule concerns; an empty list means "any".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Applies {
    #[serde(default)]
    pub tiers: Vec<String>,
    #[serde(default)]
    pub brand_types: Vec<String>,
    #[serde(default)]
    pub other_branch: Vec<String>,
    #[serde(default)]
    pub cities: Vec<String>,
    #[serde(default)]
    pub cities_except: Vec<String>,
    #[serde(default)]
    pub applicant_kinds: Vec<String>,
    /// `cities` and `cities_except` as GB/T 2260 codes, resolved when the pack loads.
    #[serde(skip)]
    pub city_codes: Vec<&'static str>,
    #[serde(skip)]
    pub cities_except_codes: Vec<&'static str>,
}

/// The division level a location rule's pointer names, if it names one.
pub fn place_level(pointer: &str) -> Option<Level> {
    Some(match pointer {
        "/applicant/province" => Level::Province,
        "/applicant/city" => Level::City,
        "/applicant/district" => Level::County,
        _ => return None,
    })
}

/// A pack's place name: a standard GB/T 2260 name (within the pack's province for cities).
fn pack_place(name: &str, level: Level, province: Option<&'static Division>, rule: &str, lang: Lang) -> Result<&'static Division, String> {
    let parent = if level == Level::Province { None } else { province };
    match divisions::resolve(name, level, parent) {
        divisions::Place::Standard(d) => Ok(d),
        divisions::Place::Variant(d) => Err(match lang {
            Lang::Zh => format!("规则 {rule}：“{name}”不是标准名称，应为“{}”", d.name),
            Lang::En => format!("rule {rule}: “{name}” is not the standard name, which is “{}”", d.name),
        }),
        divisions::Place::Unknown => Err(match lang {
            Lang::Zh => format!("规则 {rule}：“{name}”不是 GB/T 2260 的行政区划名称"),
            Lang::En => format!("rule {rule}: “{name}” is not a GB/T 2260 division name"),
        }),
    }
}

/// Every place a pack names, as divisions: the cities its rules apply to and the places its
/// location rules require. A name the data does not know is the pack's error, at load.
fn resolve_places(pack: &mut Pack, lang: Lang) -> Result<(), String> {
    let province = match pack.region.province.as_deref() {
        Some(p) => Some(pack_place(p, Level::Province, None, &pack.id, lang)?),
        None => None,
    };
    for rule in &mut pack.rules {
        let codes = |names: &[String]| -> Result<Vec<&'static str>, String> {
            names.iter().map(|n| pack_place(n, Level::City, province, &rule.id, lang).map(|d| d.code)).collect()
        };
        rule.applies.city_codes = codes(&rule.applies.cities)?;
        rule.applies.cities_except_codes = codes(&rule.applies.cities_except)?;
        if let Check::Location { location } = &rule.check
            && let Some(level) = place_level(&location.pointer)
        {
            for v in &location.values {
                pack_place(v, level, province, &rule.id, lang)?;
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    Threshold { threshold: Threshold },
    Location { location: Location },
    Presence { presence: Presence },
    Title { title_levels: Vec<String> },
    Naming { naming: Naming },
    TextLength { text_length: TextLength },
    Notice {
        notice: String,
        #[serde(default)]
        notice_en: Option<String>,
    },
    /// An audit of the trainee roster (needs `training.rosters`).
    Roster { roster: RosterAudit },
    /// A rule across the submissions of one city (checked by `dossier verify`).
    Batch { batch: BatchRule },
}

#[derive(Debug, Clone, Deserialize)]
pub struct BatchRule {
    pub check: BatchCheck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchCheck {
    /// Two or more brands of one city must be of different types.
    DistinctTypes,
    /// The same occupation twice in one city is 同质化.
    DistinctOccupations,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "audit", rename_all = "snake_case")]
pub enum RosterAudit {
    /// Declared yearly figures equal what the roster counts.
    Consistency,
    /// At most `max` subsidised trainings per person per natural year.
    SubsidyPerYear { max: usize },
    /// At most `initial_max` occupations at initial level, and `upgrade_max` upgrades within them.
    SubsidyOccupations { initial_max: usize, upgrade_max: usize },
    /// Subsidy for the listed groups, recognised by keywords in 人员类别. With `priority`
    /// the list is whom the text names first, not a limit: another group is an advisory.
    SubsidyGroups {
        groups: Vec<Group>,
        #[serde(default)]
        priority: bool,
    },
    /// Trainings of a type (by keywords in 培训类型) need at least `min` class hours.
    MinHours { keywords: Vec<String>, min: f64 },
    /// A group (by keywords) is subsidised only once in all.
    OnceForGroup { keywords: Vec<String> },
    /// Never the same occupation and level subsidised twice for one person.
    NoRepeatOccupationLevel,
    /// The subsidy amount per certificate level, and for apprenticeships.
    SubsidyAmounts {
        levels: std::collections::BTreeMap<String, f64>,
        #[serde(default)]
        apprenticeship_keywords: Vec<String>,
        #[serde(default)]
        apprenticeship: std::collections::BTreeMap<String, f64>,
        /// Rows `levels` is for (the clause's group and training); any row when absent.
        #[serde(default)]
        levels_apply_to: Option<RowMatch>,
        /// The clause other subsidised rows fall under, whose standard the roster cannot
        /// show: an advisory citing it, never a verdict on the amount.
        #[serde(default)]
        elsewhere: Option<Citation>,
    },
}

/// Roster rows by keywords: a row matches when its 人员类别 holds one of `groups` or its
/// 培训类型 one of `training_types`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RowMatch {
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub training_types: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub name: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Over {
    /// Summed (counts) or pooled (rates) over the look-back years.
    Total,
    /// Every look-back year on its own must pass.
    EachYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    pub fn holds(self, actual: f64, value: f64) -> bool {
        // Rates are computed from integers; compare with a hair of tolerance for float noise.
        const EPS: f64 = 1e-9;
        match self {
            Op::Gt => actual > value + EPS,
            Op::Ge => actual >= value - EPS,
            Op::Lt => actual < value - EPS,
            Op::Le => actual <= value + EPS,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Lt => "<",
            Op::Le => "≤",
        }
    }

    /// The comparison a Chinese legal wording means: 以上/以下/不少于/不低于/达到 include the
    /// number; 超过/不满/低于 exclude it.
    pub fn for_wording(wording: &str) -> Option<Op> {
        let w = wording.replace("……", "");
        Some(match w.as_str() {
            "超过" | "高于" => Op::Gt,
            "以上" | "不少于" | "不低于" | "达到" | "达到以上" | "及以上" => Op::Ge,
            "不满" | "低于" | "少于" => Op::Lt,
            "以下" | "不超过" | "以内" => Op::Le,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Threshold {
    pub measure: String,
    pub over: Over,
    pub op: Op,
    pub value: f64,
    /// The word the clause uses (超过, 不低于, …); must agree with `op`.
    pub wording: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Location {
    pub pointer: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Presence {
    pub pointer: String,
    #[serde(default)]
    pub min_items: usize,
    pub categories: Option<Categories>,
    #[serde(default)]
    pub evidence: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Categories {
    pub field: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Naming {
    #[serde(default)]
    pub starts_with: Vec<String>,
    #[serde(default)]
    pub ends_with_any: Vec<String>,
    #[serde(default)]
    pub contains_occupation: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TextLength {
    pub pointer: String,
    pub max: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Scoring {
    pub title: String,
    pub title_en: Option<String>,
    pub total: f64,
    pub items: Vec<ScoreItem>,
    #[serde(default)]
    pub bonus: Vec<BonusItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Computed,
    Claimed,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ScoreItem {
    pub id: String,
    pub group: String,
    pub group_en: Option<String>,
    pub title: String,
    pub title_en: Option<String>,
    pub max: f64,
    pub method: Method,
    pub compute: Option<Compute>,
    pub citation: Citation,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_en: Vec<String>,
}

impl ScoreItem {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }
    pub fn group_in(&self, lang: Lang) -> &str {
        pick(lang, &self.group, &self.group_en)
    }
}

impl Scoring {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compute {
    Bands(BandsOn),
    TierThreshold(TierThreshold),
    CertificateBands(CertificateBands),
    Relaxation(serde_json::Value),
    KeyField(KeyFieldRef),
    AtLeast(AtLeast),
}

#[derive(Debug, Clone, Deserialize)]
pub struct Band {
    pub min: f64,
    pub points: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BandsOn {
    pub measure: String,
    pub over: Over,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TierThreshold {
    pub measure: String,
    pub over: Over,
    pub by_tier: std::collections::BTreeMap<String, Comparison>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Comparison {
    pub op: Op,
    pub value: f64,
    pub wording: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CertificateBands {
    pub cap: f64,
    pub kinds: std::collections::BTreeMap<String, Vec<Band>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeyFieldRef {
    pub field: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AtLeast {
    pub measure: String,
    pub value: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BonusItem {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub points: Option<f64>,
    #[serde(default)]
    pub points_by_level: std::collections::BTreeMap<String, f64>,
    pub measure: String,
    pub citation: Citation,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub notes_en: Vec<String>,
}

impl BonusItem {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }
}

impl Pack {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }

    pub fn years_for(&self, application_year: i32) -> Vec<i32> {
        (application_year - self.lookback.years..application_year).collect()
    }

    pub fn tier_name(&self, id: &str) -> Option<&str> {
        self.tiers.iter().chain(&self.brand_types).find(|c| c.id == id).map(|c| c.name.as_str())
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
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
            .map(|(name, text, template, materials)| {
                let mut pack = parse_pack(text, Lang::Zh).unwrap_or_else(|e| panic!("embedded pack {name} is invalid: {e}"));
                pack.source = "内置".to_owned();
                pack.template = Some((*template).to_owned());
                (pack.materials, pack.evidence_outline) = parse_materials(materials, Lang::Zh)
                    .unwrap_or_else(|e| panic!("embedded materials of {name} are invalid: {e}"));
                pack
            })
            .collect();
        Registry { packs }
    }

    /// Add a pack from a file; a pack with the same id replaces the embedded one.
    pub fn add_file(&mut self, path: &Path) -> Result<(), String> {
        self.add_file_in(path, Lang::Zh)
    }

    /// `add_file` with its errors in `lang`.
    pub fn add_file_in(&mut self, path: &Path, lang: Lang) -> Result<(), String> {
        let en = lang == Lang::En;
        let text = std::fs::read_to_string(path).map_err(|e| match en {
            false => format!("无法读取政策包 {}：{e}", path.display()),
            true => format!("cannot read the policy pack {}: {e}", path.display()),
        })?;
        let mut pack = parse_pack(&text, lang).map_err(|e| match en {
            false => format!("政策包 {} 无效：{e}", path.display()),
            true => format!("the policy pack {} is invalid: {e}", path.display()),
        })?;
        pack.source = path.display().to_string();
        self.packs.retain(|p| p.id != pack.id);
        self.packs.push(pack);
        Ok(())
    }

    /// Add a policy directory (`pack.yaml`, optional `bundle.tera`); a pack with the same id
    /// replaces the embedded one.
    pub fn add_dir_in(&mut self, dir: &Path, lang: Lang) -> Result<(), String> {
        let en = lang == Lang::En;
        if !dir.join(PACK_FILE).is_file() {
            return Err(match en {
                false => format!("{} 不是政策目录：其中没有 {PACK_FILE}", dir.display()),
                true => format!("{} is not a policy directory: it has no {PACK_FILE}", dir.display()),
            });
        }
        self.add_file_in(&dir.join(PACK_FILE), lang)?;
        let template_path = dir.join(TEMPLATE_FILE);
        let template = match std::fs::read_to_string(&template_path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(match en {
                    false => format!("无法读取模板 {}：{}", template_path.display(), crate::lang::io_error_zh(&e)),
                    true => format!("cannot read the template {}: {e}", template_path.display()),
                });
            }
        };
        let materials_path = dir.join(MATERIALS_FILE);
        let materials = match std::fs::read_to_string(&materials_path) {
            Ok(text) => parse_materials(&text, lang).map_err(|e| match en {
                    false => format!("材料目录 {} 无效：{e}", materials_path.display()),
                    true => format!("the material list {} is invalid: {e}", materials_path.display()),
                })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Default::default(),
            Err(e) => {
                return Err(match en {
                    false => format!("无法读取材料目录 {}：{}", materials_path.display(), crate::lang::io_error_zh(&e)),
                    true => format!("cannot read the material list {}: {e}", materials_path.display()),
                });
            }
        };
        let pack = self.packs.last_mut().expect("just added");
        pack.source = dir.display().to_string();
        pack.template = template;
        (pack.materials, pack.evidence_outline) = materials;
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

    /// A rule by id, with its pack (`explain` looks up relaxations and score items itself).
    pub fn find_rule(&self, id: &str) -> Option<(&Pack, &Rule)> {
        self.packs.iter().find_map(|p| p.rule(id).map(|r| (p, r)))
    }
}

/// YAML to JSON validated against the pack schema (or one of its `$defs`), errors with positions.
/// "第 3 行第 5 列：…" or "line 3, column 5: …".
fn at(lang: Lang, line: usize, column: usize, message: &str) -> String {
    match lang {
        Lang::Zh => format!("第 {line} 行第 {column} 列：{message}"),
        Lang::En => format!("line {line}, column {column}: {message}"),
    }
}

fn validated_json(text: &str, definition: Option<&str>, lang: Lang) -> Result<serde_json::Value, String> {
    let (json, index, issues) = parse_json(text).map_err(|e| {
        at(lang, e.pos.line, e.pos.column, e.message.get(lang))
    })?;
    if let Some(dup) = issues.first() {
        let pos = dup.at.pos.unwrap_or_else(|| index.locate(&dup.at.pointer));
        let message = dup.message.get(lang);
        return Err(at(lang, pos.line, pos.column, message));
    }
    let mut schema: serde_json::Value = serde_json::from_str(PACK_SCHEMA).expect("policy schema is JSON");
    if let Some(def) = definition {
        schema = serde_json::json!({
            "$schema": schema["$schema"],
            "$defs": schema["$defs"],
            "$ref": format!("#/$defs/{def}"),
        });
    }
    let validator = jsonschema::validator_for(&schema).expect("policy schema compiles");
    if let Some(e) = validator.iter_errors(&json).next() {
        let pos = index.locate(e.instance_path().as_str());
        return Err(at(lang, pos.line, pos.column, &e.to_string()));
    }
    if let Some((pointer, name)) = unknown_measure(&json, "") {
        let pos = index.locate(&pointer);
        let message = match lang {
            Lang::Zh => format!("未知指标“{name}”（可用：{}）", MEASURES.join("、")),
            Lang::En => format!("unknown measure “{name}” (available: {})", MEASURES.join(", ")),
        };
        return Err(at(lang, pos.line, pos.column, &message));
    }
    Ok(json)
}

/// `materials.yaml` validated against `$defs/materials`, errors at their line; each material once,
/// and each kind of evidence placed once, under a material of the list.
fn parse_materials(text: &str, lang: Lang) -> Result<(Vec<Material>, Vec<EvidencePlace>), String> {
    let json = validated_json(text, Some("materials"), lang)?;
    let list: Materials = serde_json::from_value(json).map_err(|e| e.to_string())?;
    let mut seen = std::collections::HashSet::new();
    for m in &list.materials {
        if !seen.insert(m.id.as_str()) {
            return Err(match lang {
                Lang::Zh => format!("材料编号 {} 重复", m.id),
                Lang::En => format!("material id {} is used twice", m.id),
            });
        }
        if let Some(f) = m.figures.iter().find(|f| !MEASURES.contains(&f.measure.as_str())) {
            return Err(match lang {
                Lang::Zh => format!("材料 {} 的表中数据：未知指标“{}”", m.id, f.measure),
                Lang::En => format!("material {}: unknown measure “{}” in figures", m.id, f.measure),
            });
        }
    }
    let outline = evidence_outline(&list, lang)?;
    Ok((list.materials, outline))
}

/// The 佐证材料目录's parts: each kind of evidence numbered by the part of the outline it is
/// placed under (四 → 04); a part without a numeral (附件, 佐证) after the numbered ones.
fn evidence_outline(list: &Materials, lang: Lang) -> Result<Vec<EvidencePlace>, String> {
    if list.evidence.is_empty() {
        return Ok(Vec::new());
    }
    let last = list.materials.iter().filter_map(|m| numeral_value(&m.number)).max().unwrap_or(0);
    let unnumbered: Vec<&str> = list.materials.iter().filter(|m| numeral_value(&m.number).is_none()).map(|m| m.id.as_str()).collect();
    let mut places: Vec<EvidencePlace> = Vec::new();
    for e in &list.evidence {
        if !crate::model::EVIDENCE_SECTIONS.contains(&e.section.as_str()) {
            return Err(match lang {
                Lang::Zh => format!("未知的佐证材料类别“{}”（可用：{}）", e.section, crate::model::EVIDENCE_SECTIONS.join("、")),
                Lang::En => format!("unknown evidence section “{}” (known: {})", e.section, crate::model::EVIDENCE_SECTIONS.join(", ")),
            });
        }
        if places.iter().any(|p| p.section == e.section) {
            return Err(match lang {
                Lang::Zh => format!("佐证材料类别 {} 归入了两次", e.section),
                Lang::En => format!("evidence section {} is placed twice", e.section),
            });
        }
        let Some(m) = list.materials.iter().find(|m| m.id == e.under) else {
            return Err(match lang {
                Lang::Zh => format!("佐证材料类别 {} 归入的材料“{}”不在材料目录中", e.section, e.under),
                Lang::En => format!("evidence section {} is placed under “{}”, which is not in the list", e.section, e.under),
            });
        };
        let prefix = numeral_value(&m.number)
            .unwrap_or_else(|| last + 1 + unnumbered.iter().position(|id| *id == m.id).unwrap_or(0) as u32);
        let label = e.label.clone().unwrap_or_else(|| format!("{}、{}", m.number, m.title));
        places.push(EvidencePlace { section: e.section.clone(), prefix, label });
    }
    if let Some(missing) = crate::model::EVIDENCE_SECTIONS.iter().find(|s| !places.iter().any(|p| p.section == **s)) {
        return Err(match lang {
            Lang::Zh => format!("佐证材料类别 {missing} 未归入材料目录的任何部分"),
            Lang::En => format!("evidence section {missing} is placed nowhere in the outline"),
        });
    }
    Ok(places)
}

/// The leading Chinese numeral of an outline number: 四 → 4, 十一 → 11, 九、1 → 9, 附件 → None.
fn numeral_value(number: &str) -> Option<u32> {
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|i| i as u32 + 1);
    let run: Vec<char> = number.chars().take_while(|c| *c == '十' || digit(*c).is_some()).collect();
    match run.iter().position(|c| *c == '十') {
        None if run.len() == 1 => digit(run[0]),
        None => None,
        Some(at) => {
            let tens = match at {
                0 => 1,
                1 => digit(run[0])?,
                _ => return None,
            };
            let ones = match &run[at + 1..] {
                [] => 0,
                [c] => digit(*c)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
    }
}

fn ruleset(id: &str, lang: Lang) -> Result<RuleSet, String> {
    let (_, text) = RULESETS.iter().find(|(name, _)| *name == id).ok_or_else(|| {
        let known: Vec<&str> = RULESETS.iter().map(|(n, _)| *n).collect();
        match lang {
            Lang::Zh => format!("未知的规则集“{id}”（可用：{}）", known.join("、")),
            Lang::En => format!("unknown rule set “{id}” (available: {})", known.join(", ")),
        }
    })?;
    let label = lang.pick("规则集", "rule set");
    let sep = lang.pick("：", ": ");
    let json = validated_json(text, Some("ruleset"), lang).map_err(|e| format!("{label} {id}{sep}{e}"))?;
    serde_json::from_value(json).map_err(|e| format!("{label} {id}{sep}{e}"))
}

/// An included rule applies where both the rule and the include say it does.
fn narrow(mut rule: Rule, by: &Applies) -> Rule {
    let a = &mut rule.applies;
    for (mine, theirs) in [
        (&mut a.tiers, &by.tiers),
        (&mut a.brand_types, &by.brand_types),
        (&mut a.other_branch, &by.other_branch),
        (&mut a.cities, &by.cities),
        (&mut a.applicant_kinds, &by.applicant_kinds),
    ] {
        if mine.is_empty() {
            mine.clone_from(theirs);
        }
    }
    a.cities_except.extend(by.cities_except.iter().cloned());
    rule
}

fn parse_pack(text: &str, lang: Lang) -> Result<Pack, String> {
    let json = validated_json(text, None, lang)?;
    let mut pack: Pack = serde_json::from_value(json).map_err(|e| e.to_string())?;
    let mut prefixes = vec![pack.id.clone()];
    pack.documents.insert(pack.seed.clone(), pack.title.clone());
    for include in &pack.includes {
        let set = ruleset(&include.ruleset, lang)?;
        prefixes.push(set.id.clone());
        pack.documents.insert(set.seed.clone(), set.title.clone());
        pack.rules.extend(set.rules.into_iter().map(|r| narrow(r, &include.applies)));
    }
    validate_semantics(&pack, &prefixes, lang)?;
    resolve_places(&mut pack, lang)?;
    let documents = pack.documents.clone();
    let titled = |c: &mut Citation| c.document = documents.get(&c.seed).cloned();
    titled(&mut pack.lookback.citation);
    pack.relaxation.iter_mut().for_each(|r| titled(&mut r.citation));
    pack.rules.iter_mut().for_each(|r| titled(&mut r.citation));
    for s in pack.scoring.iter_mut() {
        s.items.iter_mut().for_each(|i| titled(&mut i.citation));
        s.bonus.iter_mut().for_each(|b| titled(&mut b.citation));
    }
    Ok(pack)
}

/// What the schema cannot say: unique ids, and each comparison agreeing with its wording.
fn validate_semantics(pack: &Pack, prefixes: &[String], lang: Lang) -> Result<(), String> {
    let en = lang == Lang::En;
    let mut seen = std::collections::HashSet::new();
    let thresholds = pack
        .rules
        .iter()
        .filter_map(|r| match &r.check {
            Check::Threshold { threshold } => Some((r.id.as_str(), threshold.op, threshold.wording.as_str())),
            _ => None,
        })
        .chain(pack.relaxation.iter().map(|r| (r.id.as_str(), r.condition.op, r.condition.wording.as_str())));
    for (id, op, wording) in thresholds {
        match Op::for_wording(wording) {
            Some(expected) if expected == op => {}
            Some(expected) => {
                return Err(match en {
                    false => format!("规则 {id}：措辞“{wording}”对应 {}，但比较符为 {}", expected.symbol(), op.symbol()),
                    true => format!(
                        "rule {id}: the wording “{wording}” means {}, but the comparison is {}",
                        expected.symbol(),
                        op.symbol()
                    ),
                });
            }
            None => {
                return Err(match en {
                    false => format!("规则 {id}：无法识别的措辞“{wording}”"),
                    true => format!("rule {id}: unrecognised wording “{wording}”"),
                });
            }
        }
    }
    for rule in &pack.rules {
        if !seen.insert(rule.id.as_str()) {
            return Err(match en {
                false => format!("规则编号 {} 重复", rule.id),
                true => format!("rule id {} is used twice", rule.id),
            });
        }
        if !prefixes.iter().any(|p| rule.id.starts_with(&format!("{p}."))) {
            return Err(match en {
                false => format!("规则编号 {} 应以政策编号 {}. 开头", rule.id, pack.id),
                true => format!("rule id {} should start with the policy id {}.", rule.id, pack.id),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::numeral_value;

    #[test]
    fn outline_numbers_read_as_numerals() {
        for (number, value) in [("一", Some(1)), ("四", Some(4)), ("九、1", Some(9)), ("十", Some(10)), ("十一", Some(11)), ("二十三", Some(23)), ("三（附）", Some(3)), ("附件", None), ("佐证", None), ("", None)] {
            assert_eq!(numeral_value(number), value, "{number}");
        }
    }
}
