//! GB/T 2260 administrative divisions, from the data file `data/gb2260.tsv` (its header names
//! the sources and licences): places are matched by code, not spelling, and an ID number's
//! address code is looked up with its history.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/gb2260.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    City,
    County,
}

#[derive(Debug)]
pub struct Division {
    /// Six digits, or a key of letters for a unit GB/T 2260 does not code (沈抚示范区).
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// Listed now; otherwise `history` is the last revision (YYYY-MM) that listed the code.
    pub current: bool,
    pub history: &'static str,
    aliases: Vec<&'static str>,
}

impl Division {
    /// Whether `other` lies within this division (or is it).
    pub fn contains(&self, other: &Division) -> bool {
        match self.level {
            Level::Province => self.code[..2] == other.code[..2],
            Level::City => self.code[..4] == other.code[..4],
            Level::County => self.code == other.code,
        }
    }

    /// Names accepted besides the standard one: the listed aliases and the name without its
    /// generic suffix (大连市 → 大连, 锡林郭勒盟 → 锡林郭勒).
    fn variants(&self) -> impl Iterator<Item = &'static str> + '_ {
        let stem = stem(self.name);
        self.aliases.iter().copied().chain((stem != self.name).then_some(stem))
    }
}

/// A name without its generic suffix, when at least two characters remain.
pub fn stem(name: &str) -> &str {
    for suffix in ["自治区", "自治州", "地区", "省", "市", "盟", "区", "县", "旗"] {
        if let Some(s) = name.strip_suffix(suffix).filter(|s| s.chars().count() >= 2) {
            return s;
        }
    }
    name
}

struct Table {
    all: Vec<Division>,
    by_code: HashMap<&'static str, usize>,
}

fn level(s: &str) -> Option<Level> {
    Some(match s {
        "province" => Level::Province,
        "city" => Level::City,
        "county" => Level::County,
        _ => return None,
    })
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all = Vec::new();
        for line in DATA.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&'static str> = line.split('\t').collect();
            let (Some(code), Some(name), Some(lvl), Some(status)) = (cols.first(), cols.get(1), cols.get(2).and_then(|l| level(l)), cols.get(3)) else {
                panic!("data/gb2260.tsv: malformed line “{line}”");
            };
            all.push(Division {
                code,
                name,
                level: lvl,
                current: *status == "current",
                history: if *status == "current" { "" } else { status },
                aliases: cols.get(4).map_or_else(Vec::new, |a| a.split(',').filter(|a| !a.is_empty()).collect()),
            });
        }
        // A code listed twice keeps its first (current) row.
        let mut by_code = HashMap::new();
        for (i, d) in all.iter().enumerate() {
            by_code.entry(d.code).or_insert(i);
        }
        Table { all, by_code }
    })
}

pub fn by_code(code: &str) -> Option<&'static Division> {
    let t = table();
    t.by_code.get(code).map(|&i| &t.all[i])
}

/// Municipalities directly under the central government: their districts sit under the
/// province itself, and the province is its own city.
fn is_municipality(d: &Division) -> bool {
    d.level == Level::Province && ["11", "12", "31", "50"].contains(&&d.code[..2])
}

/// The current divisions' (code, place in the table), by code: those within a division are
/// one run of it.
fn current_by_code() -> &'static [(&'static str, usize)] {
    static CURRENT: OnceLock<Vec<(&'static str, usize)>> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let mut current: Vec<(&'static str, usize)> = table().all.iter().enumerate().filter(|(_, d)| d.current).map(|(i, d)| (d.code, i)).collect();
        current.sort_unstable();
        current
    })
}

/// The current divisions within `parent` (itself included), in the table's order, or all of
/// them: a binary search for its run rather than a pass over every division per place named.
fn within(parent: Option<&Division>) -> Vec<&'static Division> {
    let t = table();
    let Some(p) = parent else { return t.all.iter().filter(|d| d.current).collect() };
    let prefix = match p.level {
        Level::Province => &p.code[..2],
        Level::City => &p.code[..4],
        Level::County => p.code,
    };
    let all = current_by_code();
    let start = all.partition_point(|(code, _)| *code < prefix);
    let len = all[start..].partition_point(|(code, _)| code.starts_with(prefix));
    let mut run: Vec<usize> = all[start..start + len].iter().map(|&(_, i)| i).collect();
    run.sort_unstable();
    run.into_iter().map(|i| &t.all[i]).collect()
}

/// The current divisions a name at `level` may denote, within `parent` when known.
pub fn candidates(level: Level, parent: Option<&Division>) -> Vec<&'static Division> {
    within(parent)
        .into_iter()
        .filter(|d| parent.is_none_or(|p| p.contains(d) && p.code != d.code))
        .filter(|d| match level {
            Level::Province => d.level == Level::Province,
            // A city: a prefecture, a county-level city directly under the province (xx90xx),
            // or a municipality itself.
            Level::City => {
                d.level == Level::City
                    || (d.level == Level::County && &d.code[2..4] == "90")
            }
            Level::County => d.level == Level::County && !d.name.ends_with("辖区"),
        })
        .chain(match (level, parent) {
            (Level::City, Some(p)) if is_municipality(p) => vec![by_code(p.code).expect("listed")],
            _ => vec![],
        })
        .collect()
}

/// What a place name resolved to.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// The standard name, exactly.
    Standard(&'static Division),
    /// Another accepted form (short form, alias, surrounding spaces): the standard name is
    /// the division's.
    Variant(&'static Division),
    Unknown,
}

impl Place {
    pub fn division(self) -> Option<&'static Division> {
        match self {
            Place::Standard(d) | Place::Variant(d) => Some(d),
            Place::Unknown => None,
        }
    }
}

/// Resolve a name at `level`, within `parent` when it is known. Spaces around the name
/// (also the ideographic one) are ignored; a short form that fits several divisions is unknown.
pub fn resolve(name: &str, level: Level, parent: Option<&Division>) -> Place {
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    if trimmed.is_empty() {
        return Place::Unknown;
    }
    let found = candidates(level, parent);
    if let Some(d) = found.iter().find(|d| d.name == trimmed) {
        return if trimmed == name { Place::Standard(d) } else { Place::Variant(d) };
    }
    let mut variants = found.iter().filter(|d| d.variants().any(|v| v == trimmed));
    match (variants.next(), variants.next()) {
        (Some(d), None) => Place::Variant(d),
        _ => Place::Unknown,
    }
}

/// An ID number's address code: a current code, one a past revision listed, or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressCode {
    Current,
    /// The last revision (YYYY-MM) that listed it.
    Historical(&'static str),
    Unknown,
}

pub fn address_code(code: &str) -> AddressCode {
    match by_code(code) {
        Some(d) if d.current => AddressCode::Current,
        Some(d) => AddressCode::Historical(d.history),
        None => AddressCode::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run found by binary search is the pass over the whole table, in its order, for
    /// every current division as the parent and at every level.
    #[test]
    fn candidates_within_a_parent_are_those_a_full_pass_finds() {
        let full = |parent: Option<&Division>| -> Vec<&'static str> { table().all.iter().filter(|d| d.current && parent.is_none_or(|p| p.contains(d))).map(|d| d.code).collect() };
        let mut parents: Vec<Option<&Division>> = vec![None];
        parents.extend(table().all.iter().filter(|d| d.current).map(Some));
        for parent in parents {
            let run: Vec<&str> = within(parent).iter().map(|d| d.code).collect();
            assert_eq!(run, full(parent), "within {:?}", parent.map(|p| p.code));
        }
    }

    #[test]
    fn liaoning_has_fourteen_cities_and_the_shenfu_zone() {
        let ln = by_code("210000").unwrap();
        let cities: Vec<&str> = candidates(Level::City, Some(ln)).iter().map(|d| d.name).collect();
        assert_eq!(cities.len(), 15, "{cities:?}");
        assert!(cities.contains(&"沈抚示范区") && cities.contains(&"葫芦岛市"));
    }

    #[test]
    fn inner_mongolia_has_leagues_and_cities() {
        let nm = by_code("150000").unwrap();
        let names: Vec<&str> = candidates(Level::City, Some(nm)).iter().map(|d| d.name).collect();
        assert_eq!(names.len(), 12, "{names:?}");
        assert!(matches!(resolve("锡林郭勒", Level::City, Some(nm)), Place::Variant(d) if d.name == "锡林郭勒盟"));
        assert!(matches!(resolve("内蒙古", Level::Province, None), Place::Variant(d) if d.code == "150000"));
    }

    #[test]
    fn dalian_districts_and_forms() {
        let dl = by_code("210200").unwrap();
        let names: Vec<&str> = candidates(Level::County, Some(dl)).iter().map(|d| d.name).collect();
        assert_eq!(names, ["中山区", "西岗区", "沙河口区", "甘井子区", "旅顺口区", "金州区", "普兰店区", "长海县", "瓦房店市", "庄河市"]);
        assert!(matches!(resolve("大连市", Level::City, None), Place::Standard(d) if d.code == "210200"));
        assert!(matches!(resolve("大连", Level::City, None), Place::Variant(d) if d.code == "210200"));
        assert!(matches!(resolve("大连市 ", Level::City, None), Place::Variant(d) if d.code == "210200"));
        assert!(matches!(resolve("甘井子", Level::County, Some(dl)), Place::Variant(d) if d.code == "210211"));
        assert!(matches!(resolve("大连县", Level::City, None), Place::Unknown));
    }

    #[test]
    fn address_codes_with_history() {
        assert_eq!(address_code("210211"), AddressCode::Current);
        // 新金县 became 普兰店市 in 1991; older IDs keep 210222.
        assert_eq!(address_code("210222"), AddressCode::Historical("1990-12"));
        assert_eq!(address_code("000000"), AddressCode::Unknown);
        assert_eq!(address_code("990000"), AddressCode::Unknown);
        assert_eq!(address_code("21SF00"), AddressCode::Current, "a key, but never six digits");
    }
}
