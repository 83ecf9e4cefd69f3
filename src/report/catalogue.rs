//! The rule catalogue machine formats publish (SARIF `driver.rules`): the checks built into the
//! binary, then every rule of every policy pack in the registry.

use crate::finding::Severity;
use crate::policy::{Registry, RuleSeverity};

/// One entry of the catalogue.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub level: Severity,
    pub short: String,
    pub full: String,
    pub help: String,
}

/// (id, default severity, short description, full description, help).
type Builtin = (&'static str, Severity, &'static str, &'static str, &'static str);

use Severity::{Error as E, Warning as W};

/// The rule ids the checks in src/load and src/rules emit; a test keeps this list complete.
const BUILTIN: &[Builtin] = &[
    ("input.unreadable", E, "无法读取文件", "找不到 dossier.yaml，或没有权限读取它。", "确认路径指向申报材料目录或其中的 dossier.yaml 文件。"),
    ("input.too-large", E, "文件过大", "dossier.yaml 超过 8 MB 上限，为防止恶意输入拒绝读取。", "dossier.yaml 只应包含文字信息；扫描件、名单等请作为单独文件引用。"),
    ("input.encoding", E, "文件不是 UTF-8 编码", "dossier.yaml 不是有效的 UTF-8 文本（常见于 GBK/GB18030 或 UTF-16 编码）。", "请在编辑器中以“UTF-8”编码另存该文件。"),
    ("yaml.syntax", E, "YAML 语法错误", "dossier.yaml 不是合法的 YAML，或含有多个文档、复杂键、未定义的锚点。", "按报告的行列位置修改语法；字符串含冒号等特殊字符时请加引号。"),
    ("yaml.tab", E, "用制表符缩进", "YAML 不允许用制表符（Tab）缩进。", "把行首的制表符换成空格。"),
    ("yaml.too-deep", E, "嵌套层级过深", "数据嵌套层级超过上限，为防止恶意输入已停止读取。", "申报材料的结构不需要这么深的嵌套，请检查缩进。"),
    ("yaml.alias-limit", E, "别名展开过多", "YAML 别名（*anchor）展开后的数据量超过上限（“别名炸弹”），已停止读取。", "不要用锚点和别名大量复制数据。"),
    ("yaml.empty", E, "文件为空", "dossier.yaml 没有任何内容。", "用 dossier init 生成骨架后填写。"),
    ("yaml.duplicate-key", E, "键重复", "同一映射中同一个键出现了两次，只保留第一次的取值。", "删除或合并重复的键，避免数据被忽略。"),
    ("yaml.bom", W, "文件以 BOM 开头", "文件以字节顺序标记（BOM）开头；已忽略。", "可在编辑器中以“UTF-8（无 BOM）”另存。"),
    ("schema.required", E, "缺少必填项", "缺少申报材料格式（dossier.schema.json）要求填写的字段。", "按报告的位置补上该字段；dossier schema 可查看全部字段。"),
    ("schema.unknown-field", E, "未知字段", "出现了申报材料格式中没有定义的字段，常见于拼写错误。", "核对字段名拼写，或删除该字段。"),
    ("schema.type", E, "取值类型错误", "取值的类型与格式要求不符，例如代码、日期未加引号被读成数字。", "代码、号码和日期请加引号，如 credit_code: \"91210211MA0XXXXXXX\"。"),
    ("schema.enum", E, "取值不在可选范围内", "取值不是该字段允许的选项之一。", "按报告列出的可选值填写。"),
    ("schema.const", E, "取值与规定值不符", "该字段只能取一个规定的值。", "按报告给出的值填写。"),
    ("schema.format", E, "格式不符合要求", "取值的格式不符合要求，例如日期应为 YYYY-MM-DD。", "按字段说明的格式填写。"),
    ("schema.range", E, "数值超出范围", "数值小于下限或大于上限，例如人数为负数。", "核对该数值。"),
    ("schema.min-items", E, "列表项数不足", "列表中的项数少于要求。", "补足列表项。"),
    ("schema.empty", E, "内容为空", "该文本字段不能为空。", "填写该字段。"),
    ("schema.unique", E, "列表中有重复项", "该列表中的各项不能重复。", "删除重复项。"),
    ("schema.other", E, "不符合格式要求", "取值不符合申报材料格式的其他要求。", "按报告的说明修改。"),
    ("placeholder.unfilled", W, "尚未填写", "取值仍是骨架中的“待填写”占位内容。", "填写实际内容后重新检查。"),
    ("code.credit-code", E, "统一社会信用代码无效", "统一社会信用代码不符合 GB 32100-2015（长度、字符集或校验码错误）。", "对照营业执照或登记证书核对代码。"),
    ("code.id-number", E, "公民身份号码无效", "公民身份号码不符合 GB 11643-1999（长度、出生日期或校验码错误）。", "对照身份证核对号码。"),
    ("code.phone", E, "电话号码格式错误", "手机号码或固定电话号码的格式不正确。", "手机号为 11 位数字；固定电话写明区号。"),
    ("date.invalid", E, "日期无效", "日期不是真实存在的日历日期，或不是 YYYY-MM-DD 格式。", "按 YYYY-MM-DD 填写真实日期，并加引号。"),
    ("evidence.duplicate-id", E, "佐证材料编号重复", "evidence 中两份佐证材料使用了同一个编号。", "为每份佐证材料使用不同的编号。"),
    ("evidence.unknown-id", E, "佐证材料编号不存在", "引用的佐证材料编号没有在 evidence 中登记。", "在 evidence 中登记该材料，或改正引用的编号。"),
    ("file.missing", E, "引用的文件不存在", "evidence 或名单引用的文件在申报材料目录中找不到。", "把文件放入目录，或改正路径（相对于 dossier.yaml 所在目录）。"),
    ("file.outside", E, "文件位于材料目录之外", "引用的文件路径是绝对路径、含“..”或经符号链接指向申报材料目录之外，拒绝读取。", "把文件复制到申报材料目录中，用相对路径引用。"),
    ("figures.duplicate-year", E, "年度数据重复", "training.years 中同一年度填写了两次。", "合并或删除重复的年度。"),
    ("figures.year-window", E, "年度不在考察期内", "培训数据的年度与政策考察的自然年度不符，或缺少某个考察年度。", "按政策的考察期填写年度数据；dossier explain 政策编号.lookback 查看考察期及依据。"),
    ("figures.exceeds-total", E, "分项人数超过总数", "合格、补贴、就业等分项人数超过了它所属的总人数。", "核对分项人数与培训人数。"),
    ("figures.breakdown-mismatch", E, "分类合计与年度合计不符", "按证书类别分列的培训、合格人数之和与年度合计不一致。", "核对 certificates 各项与年度合计。"),
    ("figures.rate-mismatch", E, "比率与人数不符", "申报的比率与由人数算出的比率相差超过 0.1 个百分点，或没有可据以计算的人数。", "以人数为准修改比率，或核对人数。"),
    ("policy.unknown", E, "未知的政策编号", "policy.id 不是已知的政策包。", "用 dossier policies 查看可用的政策，或用 --policy-file 提供政策包。"),
    ("policy.tier", E, "申报层级或品牌类型无效", "缺少申报层级（品牌类型），或所填层级（类型）不是该政策设置的。", "按报告列出的可选值填写 policy.tier 或 policy.brand_type。"),
    ("policy.skipped", W, "政策门槛与评分未检查", "材料中有类型错误，无法读取数据，政策门槛与评分未检查。", "改正其他错误后重新检查。"),
    ("score.no-certificate-breakdown", W, "未按证书类别分列", "培训数据未按证书类别（certificates）分列，相关评分项按职业技能等级证书计分。", "需要按证书类别计分时，在各年度填写 certificates。"),
    ("score.claim-ignored", W, "自评分不予采用", "该评估项目由申报数据计算得分，自评分不予采用。", "删除该项自评。"),
    ("score.unclaimed", W, "需要自评的项目未填写", "需要自评的评估项目没有填写，按 0 分计。", "在 self_assessment 中填写该项的自评分和佐证。"),
    ("score.claim-without-evidence", W, "自评未引用佐证", "自评未引用佐证材料，按 0 分计。", "在该项自评的 evidence 中引用佐证材料编号。"),
    ("score.claim-capped", W, "自评分超过分值", "自评分超过该项分值，按分值计。", "自评分不应超过该项分值。"),
    ("score.unknown-item", W, "评估项目不存在", "自评中的项目编号不在该政策的评估表中。", "用 dossier policies 政策编号 查看评估项目。"),
];

fn level(s: RuleSeverity) -> Severity {
    match s {
        RuleSeverity::Blocking => Severity::Error,
        RuleSeverity::Advisory => Severity::Warning,
    }
}

fn cited(citation: &crate::finding::Citation, notes: &[String], id: &str) -> String {
    let mut help = format!("依据：{} {}：“{}”", citation.seed, citation.clause, citation.quote);
    for n in notes {
        help.push_str("\n说明：");
        help.push_str(n);
    }
    help.push_str(&format!("\n详见：dossier explain {id}"));
    help
}

/// Built-in rules first, then each pack's rules and relaxation, in registry order; ids unique.
pub fn catalogue(registry: &Registry) -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = BUILTIN
        .iter()
        .map(|&(id, level, short, full, help)| RuleInfo {
            id: id.to_owned(),
            level,
            short: short.to_owned(),
            full: full.to_owned(),
            help: help.to_owned(),
        })
        .collect();
    for pack in registry.all() {
        for rule in &pack.rules {
            rules.push(RuleInfo {
                id: rule.id.clone(),
                level: level(rule.severity),
                short: rule.title.clone(),
                full: format!("{}（{}）：{}", pack.title, pack.document, rule.title),
                help: cited(&rule.citation, &rule.notes, &rule.id),
            });
        }
        if let Some(r) = &pack.relaxation {
            rules.push(RuleInfo {
                id: r.id.clone(),
                level: Severity::Warning,
                short: r.title.clone(),
                full: format!("{}（{}）：{}；条件不成立时规模条件不予放宽", pack.title, pack.document, r.title),
                help: cited(&r.citation, &r.notes, &r.id),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    rules.retain(|r| seen.insert(r.id.clone()));
    rules
}

/// A catalogue entry for a rule id a finding used but no catalogue lists.
pub fn unlisted(id: &str, level: Severity) -> RuleInfo {
    RuleInfo {
        id: id.to_owned(),
        level,
        short: format!("规则 {id}"),
        full: format!("规则 {id}（不在内置规则与已加载的政策包中）。"),
        help: format!("用 dossier explain {id} 查看说明。"),
    }
}

#[cfg(test)]
mod tests {
    use super::BUILTIN;

    /// Every rule id literal the checks emit appears in BUILTIN.
    #[test]
    fn builtin_list_is_complete() {
        let prefixes = ["schema.", "yaml.", "input.", "code.", "date.", "file.", "evidence.", "figures.", "placeholder.", "policy.", "score."];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for dir in ["load", "rules"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                // Every `"prefix.name"` literal: a quote, lowercase/./- characters, a quote.
                for (at, _) in text.match_indices('"') {
                    let rest = &text[at + 1..];
                    let len = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '.' || c == '-')).unwrap_or(rest.len());
                    let piece = &rest[..len];
                    let is_id = rest[len..].starts_with('"') && prefixes.iter().any(|p| piece.starts_with(p) && piece.len() > p.len());
                    if is_id && !BUILTIN.iter().any(|b| b.0 == piece) && !missing.iter().any(|m| m == piece) {
                        missing.push(piece.to_owned());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "rule ids without a catalogue entry: {missing:?}");
    }
}
