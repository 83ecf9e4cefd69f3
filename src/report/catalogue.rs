//! The rule catalogue machine formats publish (SARIF `driver.rules`): the checks built into the
//! binary, then every rule of every policy pack in the registry.

use crate::diag::Severity;
use crate::lang::Lang;
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
    ("yaml.indent", E, "键的缩进少了", "一个键的缩进比它所在的一项少，脱离了这一项，下一行因此无法读取。", "把该键与上一行的键对齐。"),
    ("yaml.full-width", E, "全角冒号或全角空格", "键后用了全角冒号“：”，或缩进中有全角空格（U+3000），YAML 无法读取。", "切换到半角输入法，改为半角冒号加空格（“key: ”）和半角空格缩进。"),
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
    ("code.id-address", W, "身份证地址码未知", "公民身份号码前 6 位不是 GB/T 2260 的行政区划代码（现行或历年已撤销的都不是）。", "对照身份证核对；以实名核验为准。"),
    ("place.nonstandard", W, "地名不是标准名称", "省、市（盟）或区县名称是简称或含多余空格，已按 GB/T 2260 标准名称处理。", "改为提示中的标准名称。"),
    ("place.unknown", E, "未知的行政区划名称", "省或市（盟）名称不在 GB/T 2260 行政区划中，无法判断适用的政策条件。", "按提示列出的可选名称填写。"),
    ("place.unknown-district", W, "未知的区县名称", "区县名称不在 GB/T 2260 中（可能是开发区、先导区等功能区）。", "填写所在的区、县、县级市或旗；功能区请核实。"),
    ("code.phone", E, "电话号码格式错误", "手机号码或固定电话号码的格式不正确。", "手机号为 11 位数字；固定电话写明区号。"),
    ("date.format", E, "日期写法不对", "日期没有写成 YYYY-MM-DD（如写成 2013.3.1 或 2013年3月1日）。", "按提示改为 YYYY-MM-DD，并加引号。"),
    ("date.invalid", E, "日期无效", "日期不是真实存在的日历日期，或不是 YYYY-MM-DD 格式。", "按 YYYY-MM-DD 填写真实日期，并加引号。"),
    ("evidence.duplicate-id", E, "佐证材料编号重复", "evidence 中两份佐证材料使用了同一个编号。", "为每份佐证材料使用不同的编号。"),
    ("evidence.unknown-id", E, "佐证材料编号不存在", "引用的佐证材料编号没有在 evidence 中登记。", "在 evidence 中登记该材料，或改正引用的编号。"),
    ("evidence.unreadable", E, "佐证材料无法读取", "佐证材料文件存在，但无法读取（权限或磁盘错误）。", "检查文件权限，或重新复制该文件。"),
    ("evidence.empty", E, "佐证材料是空文件", "佐证材料文件为 0 字节，没有任何内容。", "重新扫描或重新导出该文件。"),
    ("evidence.damaged", E, "佐证材料已损坏", "按文件内容识别出的类型（PDF、JPEG、PNG、TIFF）无法读取，或 PDF 没有页面，无法装订。", "重新扫描或重新导出该文件。"),
    ("evidence.encrypted", E, "佐证材料 PDF 已加密", "PDF 设有密码或加密，无法装订进申报材料。", "去除密码后重新导出（“打印为 PDF”即可），或提供扫描件。"),
    ("evidence.unsupported", E, "佐证材料格式无法装订", "HEIC、WebP、GIF、BMP 等图片无法装订进 PDF。", "导出为 JPEG（手机照片选“兼容性最佳”）或 PNG 后再引用。"),
    ("evidence.too-large", E, "佐证材料超出上限", "文件大小、页数或图片像素尺寸超出扫描件的合理范围（见 docs/limits.md）。", "按 200 dpi 重新扫描，或把文件拆分为几份佐证材料。"),
    ("evidence.type-mismatch", W, "扩展名与内容不符", "文件内容（按文件头识别）与扩展名不一致，例如改名为 .pdf 的 JPEG 图片。", "把扩展名改为与内容一致，或确认引用的是正确的文件。"),
    ("evidence.not-printable", W, "佐证材料无法装订", "文件不是 PDF、图片或视频，只能作为电子件随提交包报送。", "另存为 PDF 后再引用。"),
    ("evidence.font-not-embedded", W, "PDF 字体未嵌入", "佐证材料 PDF 使用了未嵌入的字体，评审方的电脑和打印机可能替换为其他字体。", "导出 PDF 时勾选“嵌入字体”，或打印为 PDF。"),
    ("evidence.volume-size", W, "装订 PDF 过大", "佐证材料合计超过 50 MB，装订后的 PDF 难以邮寄和打开。", "扫描件用 200 dpi 灰度或 JPEG 质量 75；照片缩小到 2000 像素宽。"),
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
    ("text.unprintable", E, "字体中没有的字符", "内置字体中没有该字符，生成的材料会缺字。", "改用常用字或标准写法；确需使用时，用 dossier build --font-dir 提供包含该字的字体。"),
    ("roster.unreadable", E, "无法读取名单", "培训人员名单文件无法打开或格式不受支持。", "把名单保存为 XLSX 或 CSV，确认文件未损坏、未加密。"),
    ("roster.unknown-column", W, "未识别的列", "名单中的列名不在可识别的列名之列，该列不参与统计。", "使用常用列名，如 姓名、身份证号、培训职业（工种）、培训起止日期。"),
    ("roster.missing-column", E, "名单缺少必需的列", "名单缺少 姓名、身份证号、培训职业（工种）或培训日期 等必需的列。", "补齐必需的列。"),
    ("roster.unnamed-column", W, "名单中无列名的列", "某列有数据，但表头（含两行表头）中没有列名，该列不参与统计。", "在表头为该列填写列名，如“结业日期”。"),
    ("roster.total-row", W, "名单中的合计行", "“合计”“小计”“总计”行是对上面各行的汇总，不是学员，不计入统计。", "可以保留；统计以学员行为准。"),
    ("roster.example-row", W, "名单中的示例行", "姓名以“示例”开头的行不计入统计。", "填写完毕后删除示例行。"),
    ("roster.missing-value", E, "名单缺少姓名或身份证号", "该行缺少姓名或身份证号。", "补全该行。"),
    ("roster.id-as-number", E, "身份证号被存成了数字", "Excel 把身份证号存成了数字，末几位已丢失。", "把身份证号列设置为“文本”格式，按原件重新录入。"),
    ("roster.id-number", E, "名单中的身份证号无效", "身份证号的校验码或出生日期不符合 GB 11643-1999。", "对照身份证原件核对。"),
    ("roster.id-address", W, "名单中的身份证地址码未知", "身份证号前 6 位不是 GB/T 2260 的行政区划代码（现行或历年已撤销的都不是）。", "对照身份证原件核对；以实名核验为准。"),
    ("roster.date", E, "名单中的日期无法识别", "培训日期或就业日期不是可识别的真实日期。", "日期写作 2022-03-01，起止日期写作 2022-03-01至2022-04-15。"),
    ("roster.date-order", E, "名单中的日期先后不对", "培训开始日期晚于结束日期，或就业日期早于开始日期。", "核对该行的日期。"),
    ("roster.age", W, "不在法定劳动年龄内", "按身份证号推算，培训开始时不在法定劳动年龄内。", "核对身份证号与培训日期。"),
    ("roster.phone", E, "名单中的电话号码格式不对", "联系电话不是有效的手机号或固定电话。", "手机号为 11 位数字，固定电话写区号。"),
    ("roster.duplicate-row", E, "名单中的重复行", "同一人、同一职业等级、同一开班日期出现两次。", "删除重复的行。"),
    ("zip.unreadable", E, "压缩包无法读取", "不是完整的 zip 压缩包，或已损坏、被截断。", "重新打包后提交。"),
    ("zip.unsafe-path", E, "压缩包中的危险路径", "文件名含“..”、绝对路径或盘符，指向压缩包之外。", "用 dossier build 生成提交包。"),
    ("zip.symlink", E, "压缩包中的符号链接", "压缩包中有符号链接。", "只放普通文件。"),
    ("zip.encrypted", E, "压缩包已加密", "加密的文件无法审核。", "不加密打包。"),
    ("zip.duplicate-name", E, "压缩包中有重名文件", "同名文件会互相覆盖，无法确定以哪个为准。", "删除重名文件后重新打包。"),
    ("zip.nested-archive", E, "嵌套的压缩包", "压缩包中又有压缩包。", "把文件直接放入提交包。"),
    ("zip.ambiguous", E, "压缩包结构有歧义", "文件头与中央目录所记文件名不一致，或有第二个目录结尾：不同的解压工具会看到不同的文件。", "用 dossier build 重新生成提交包。"),
    ("zip.bomb", E, "压缩包过大或压缩比异常", "文件数、解压后大小或压缩比超过上限，疑似压缩炸弹。", "只放申报所需的文件。"),
    ("zip.other-archive", E, "不是 zip 压缩包", "提交件是 RAR 或 7z 压缩包（按文件头识别），无法安全地在内存中审核。", "请重新打包为 zip 后提交。"),
    ("batch.duplicate", W, "重复收到的提交件", "两个文件逐字节比对完全相同，只审核、排名一次。", "确认是同一份提交，删除多余的副本。"),
    ("batch.subsidised-twice", E, "同一学员在两份申报中享受补贴", "同一身份证号同一年度的培训补贴计入两份以上申报，合计超过该政策允许的次数（大连：每人每年1次；葫芦岛：不超过3次且同一职业同一等级不可重复）。", "核对两份申报的名单，删去重复计入的学员。"),
    ("batch.teacher-twice", W, "同一专职教师列于两家机构", "同一身份证号的专职教师出现在两家申报单位的材料中。", "核实该教师的劳动合同与社保缴纳单位。"),
    ("batch.legal-representative", W, "同一法定代表人的多家申报单位", "多家申报单位的法定代表人身份证号相同。", "留意是否同一主体分拆申报。"),
    ("batch.shared-roster", W, "两家申报单位的名单大部分相同", "两份申报的培训人员名单有一半以上的行完全相同。", "核实学员实际在哪家机构培训。"),
    ("zip.not-a-bag", W, "不是 dossier 生成的提交包", "手工打包的材料按文件名核对是否齐全，并读取名单与申报表数据核对门槛；其余内容无法担保。", "用 dossier build 生成提交包。"),
    ("verify.time-budget", W, "审核超时，转人工审核", "一份提交包的审核用时超过 --time-budget 上限（默认 60 秒），其余步骤未做；不因机器快慢而受理或退回。", "放宽 --time-budget 后重新审核，或人工审核。"),
    ("zip.form-unread", W, "申报表数据未能读取", "手工打包的申报表不是 DOCX 或含文字的 PDF，或其中找不到政策表格的标签。", "提交可编辑的 DOCX，或人工核对表中数据。"),
    ("zip.form-roster-mismatch", E, "申报表数据与名单不一致", "手工打包的申报表所填数据与其中名单的统计不同。", "核对名单与申报表，改正后重新提交。"),
    ("zip.material-missing", E, "未见某项材料", "按文件名未找到政策要求的某项材料。", "补充该材料，或在文件名中写明材料名称。"),
    ("bag.invalid", E, "BagIt 包校验失败", "清单、校验值或 Payload-Oxum 与包内文件不符：材料在打包后被改动或不完整。", "用 dossier build 重新生成提交包。"),
    ("bag.pack-version", W, "政策包版本不同", "提交包按另一版本的政策包制作，已按本机版本检查。", "核对两个版本的差异。"),
    ("bag.rendering-missing", W, "缺少 PDF 或 DOCX", "提交包中没有由 dossier.yaml 生成的 PDF 或 DOCX。", "用 dossier build 重新生成提交包。"),
    ("bag.rendering-differs", E, "PDF 或 DOCX 与数据不一致", "提交的 PDF 或 DOCX 与由同一版本、同样选项重新生成的不一致：生成后被修改。", "用 dossier build 重新生成提交包，不要手工修改文档。"),
    ("bag.rendering-version", W, "版本不同且生成结果不一致", "提交包由另一版本的 dossier 生成，重新生成的 PDF 或 DOCX 不一致；可能是版本差异，不一定是篡改，需人工审核。", "用同一版本重新生成比对，或人工核对文档。"),
    ("bag.draft", E, "草稿不是正式申报", "提交包由 build --draft 生成，每页带“草稿”字样。", "改正阻止提交的问题后，不带 --draft 重新生成。"),
    ("bag.rendering-unchecked", W, "未比对 PDF 与 DOCX", "按 --no-render 快速初筛，未重新生成 PDF 与 DOCX 与提交的比对。", "去掉 --no-render 再审核一次，确认文档与数据一致。"),
];

/// English (`--lang en`) short description, full description and help of each built-in rule.
const BUILTIN_EN: &[(&str, &str, &str, &str)] = &[
    ("input.unreadable", "File cannot be read", "dossier.yaml was not found, or there is no permission to read it.", "Make sure the path names the dossier folder or its dossier.yaml file."),
    ("input.too-large", "File too large", "dossier.yaml exceeds the 8 MB limit and is refused as possibly hostile input.", "dossier.yaml should hold text only; reference scans, rosters and the like as separate files."),
    ("input.encoding", "File is not UTF-8", "dossier.yaml is not valid UTF-8 text (often GBK/GB18030 or UTF-16).", "Save the file again as UTF-8 in your editor."),
    ("yaml.syntax", "YAML syntax error", "dossier.yaml is not valid YAML, or holds several documents, complex keys or undefined anchors.", "Fix the syntax at the reported line and column; quote strings containing colons and other special characters."),
    ("yaml.tab", "Tab indentation", "YAML does not allow tabs for indentation.", "Replace the leading tabs with spaces."),
    ("yaml.indent", "Outdented key", "A key is indented less than the item it belongs to, so it leaves that item and the next line cannot be read.", "Align the key with the key on the line above."),
    ("yaml.full-width", "Full-width colon or space", "A key is followed by a full-width colon “：”, or the indentation holds a full-width space (U+3000); YAML cannot read it.", "Switch the input method to half-width: an ASCII colon and a space (“key: ”), ASCII spaces for indentation."),
    ("yaml.too-deep", "Nesting too deep", "The data nests deeper than the limit; reading stopped to guard against hostile input.", "A dossier never needs such deep nesting; check the indentation."),
    ("yaml.alias-limit", "Too many alias expansions", "YAML aliases (*anchor) expand to more data than the limit (an \"alias bomb\"); reading stopped.", "Do not copy data in bulk with anchors and aliases."),
    ("yaml.empty", "File is empty", "dossier.yaml has no content.", "Generate a skeleton with dossier init and fill it in."),
    ("yaml.duplicate-key", "Duplicate key", "The same key appears twice in one mapping; only the first value is kept.", "Delete or merge the duplicate keys so no data is ignored."),
    ("yaml.bom", "File starts with a BOM", "The file starts with a byte order mark (BOM); it is ignored.", "You can save it again as UTF-8 without BOM in your editor."),
    ("schema.required", "Required field missing", "A field the dossier format (dossier.schema.json) requires is missing.", "Add the field at the reported place; dossier schema shows every field."),
    ("schema.unknown-field", "Unknown field", "A field the dossier format does not define, often a misspelling.", "Check the field name's spelling, or delete the field."),
    ("schema.type", "Wrong value type", "The value's type does not match the format, e.g. an unquoted code or date read as a number.", "Quote codes, numbers and dates, e.g. credit_code: \"91210211MA0XXXXXXX\"."),
    ("schema.enum", "Value not among the choices", "The value is not one of the choices the field allows.", "Use one of the values the report lists."),
    ("schema.const", "Value differs from the fixed value", "The field may take only one fixed value.", "Use the value the report gives."),
    ("schema.format", "Wrong format", "The value's format does not match, e.g. a date should be YYYY-MM-DD.", "Follow the format the field description gives."),
    ("schema.range", "Number out of range", "A number is below the minimum or above the maximum, e.g. a negative head count.", "Check the number."),
    ("schema.min-items", "Too few list items", "The list has fewer items than required.", "Add the missing items."),
    ("schema.empty", "Empty text", "This text field must not be empty.", "Fill in the field."),
    ("schema.unique", "Duplicate list items", "The items of this list must be distinct.", "Delete the duplicates."),
    ("schema.other", "Does not match the format", "The value breaks another rule of the dossier format.", "Change it as the report explains."),
    ("placeholder.unfilled", "Not filled in yet", "The value is still the skeleton's “待填写” (to be filled in) placeholder.", "Fill in the real content and check again."),
    ("code.credit-code", "Invalid unified social credit code", "The unified social credit code does not conform to GB 32100-2015 (length, characters or check digit).", "Compare the code with the business licence or registration certificate."),
    ("code.id-number", "Invalid citizen ID number", "The citizen ID number does not conform to GB 11643-1999 (length, birth date or check digit).", "Compare the number with the ID card."),
    ("code.id-address", "Unknown ID address code", "The first six digits of the citizen ID number are not a GB/T 2260 code, current or of any past revision.", "Check it against the ID card; the real-name check decides."),
    ("place.nonstandard", "Place name not standard", "A province, city (league) or district name is a short form or has stray spaces; it was taken as its GB/T 2260 standard name.", "Write the standard name the message gives."),
    ("place.unknown", "Unknown division name", "The province or city (league) name is not a GB/T 2260 division, so the policy conditions that depend on it cannot be decided.", "Use one of the names the message lists."),
    ("place.unknown-district", "Unknown district name", "The district name is not in GB/T 2260 (it may be a development zone).", "Give the district, county, county-level city or banner; check a zone."),
    ("code.phone", "Malformed phone number", "The mobile or landline number is malformed.", "Mobile numbers have 11 digits; give landlines with their area code."),
    ("date.format", "Date in the wrong form", "The date is not written YYYY-MM-DD (e.g. 2013.3.1 or 2013年3月1日).", "Write it YYYY-MM-DD as the hint says, in quotes."),
    ("date.invalid", "Invalid date", "The date is not a real calendar date, or not in YYYY-MM-DD form.", "Write a real date as YYYY-MM-DD, in quotes."),
    ("evidence.duplicate-id", "Duplicate evidence id", "Two evidence items use the same id.", "Give every evidence item its own id."),
    ("evidence.unknown-id", "Unknown evidence id", "The referenced evidence id is not registered under evidence.", "Register the item under evidence, or correct the reference."),
    ("evidence.unreadable", "Evidence file unreadable", "The evidence file exists but cannot be read (permissions or a disk error).", "Check the file's permissions, or copy it again."),
    ("evidence.empty", "Evidence file empty", "The evidence file has 0 bytes.", "Scan or export the file again."),
    ("evidence.damaged", "Evidence file damaged", "The type read from the file's content (PDF, JPEG, PNG, TIFF) cannot be read, or the PDF has no pages; it cannot be bound.", "Scan or export the file again."),
    ("evidence.encrypted", "Evidence PDF encrypted", "The PDF is encrypted or password-protected and cannot be bound into the volume.", "Remove the password and export again (printing to PDF does it), or give a scan."),
    ("evidence.unsupported", "Evidence format cannot be bound", "HEIC, WebP, GIF and BMP images cannot be bound into the PDF.", "Export as JPEG (“Most Compatible” on a phone) or PNG."),
    ("evidence.too-large", "Evidence beyond the limits", "The file's size, pages or pixel dimensions are beyond any scan (see docs/limits.md).", "Scan again at 200 dpi, or split the file into several items."),
    ("evidence.type-mismatch", "Extension does not match content", "The file's content (read from its header) does not match its extension, e.g. a JPEG renamed .pdf.", "Rename it to match its content, or check that the right file is referenced."),
    ("evidence.not-printable", "Evidence cannot be bound", "The file is not a PDF, an image or a video: it travels only as an electronic item.", "Save it as PDF and reference that."),
    ("evidence.font-not-embedded", "PDF fonts not embedded", "The evidence PDF uses fonts that are not embedded; reviewers' computers and printers may substitute them.", "Export the PDF with fonts embedded, or print it to PDF."),
    ("evidence.volume-size", "Bound PDF too large", "The evidence adds up to more than 50 MB, so the bound PDF is hard to mail and open.", "200 dpi greyscale scans or JPEG quality 75; photos reduced to 2,000 pixels wide."),
    ("file.missing", "Referenced file missing", "A file referenced by evidence or a roster is not in the dossier folder.", "Put the file in the folder, or correct the path (relative to the folder of dossier.yaml)."),
    ("file.outside", "File outside the dossier folder", "The referenced path is absolute, contains “..”, or leads outside the dossier folder through a symlink; not read.", "Copy the file into the dossier folder and reference it by a relative path."),
    ("figures.duplicate-year", "Duplicate year", "The same year appears twice in training.years.", "Merge or delete the duplicate year."),
    ("figures.year-window", "Year outside the look-back window", "The training figures' years do not match the calendar years the policy considers, or a considered year is missing.", "Give figures for the policy's look-back years; dossier explain POLICY.lookback shows them and their source."),
    ("figures.exceeds-total", "Part exceeds the total", "A head count (passed, subsidised, employed, …) exceeds the total it belongs to.", "Check the partial counts against the trainee count."),
    ("figures.breakdown-mismatch", "Breakdown does not add up", "The trainees or passes listed by certificate kind do not add up to the year's totals.", "Check the certificates entries against the year's totals."),
    ("figures.rate-mismatch", "Rate does not match the counts", "The declared rate differs by more than 0.1 percentage points from the rate the counts give, or there are no counts to compute it from.", "Correct the rate from the counts, or check the counts."),
    ("policy.unknown", "Unknown policy id", "policy.id is not a known policy pack.", "Run dossier policies to see the available policies, or give a pack with --policy-file."),
    ("policy.tier", "Invalid tier or brand type", "The tier (brand type) is missing, or is not one the policy sets.", "Fill in policy.tier or policy.brand_type with one of the values the report lists."),
    ("policy.skipped", "Policy thresholds and score not checked", "The dossier has type errors, so its data could not be read; policy thresholds and score were not checked.", "Fix the other errors and check again."),
    ("score.no-certificate-breakdown", "No breakdown by certificate kind", "The training figures are not broken down by certificate kind (certificates); the related score items count them as skill level certificates.", "Fill in certificates for each year when the score should count by certificate kind."),
    ("score.claim-ignored", "Self-assessed points not used", "This item is scored from the dossier's figures; the self-assessed points are not used.", "Delete the self-assessment of this item."),
    ("score.unclaimed", "Self-assessed item left empty", "An item that needs a self-assessment has none; it scores 0.", "Give this item's points and evidence in self_assessment."),
    ("score.claim-without-evidence", "Self-assessment cites no evidence", "The self-assessment cites no evidence; it scores 0.", "Cite evidence ids in the item's evidence."),
    ("score.claim-capped", "Self-assessed points above the maximum", "The self-assessed points exceed the item's maximum; the maximum counts.", "Self-assessed points should not exceed the item's maximum."),
    ("score.unknown-item", "Unknown score item", "The self-assessment names an item the policy's score sheet does not have.", "Run dossier policies POLICY to see the score items."),
    ("text.unprintable", "Character the fonts lack", "The bundled fonts have no glyph for this character; the rendered bundle would miss it.", "Use a common character or standard spelling, or supply a font that has it with dossier build --font-dir."),
    ("roster.unreadable", "Roster cannot be read", "The trainee roster cannot be opened or its format is not supported.", "Save the roster as XLSX or CSV; make sure it is neither damaged nor encrypted."),
    ("roster.unknown-column", "Unrecognised column", "A roster column header is not one the tool recognises; the column is not counted.", "Use the usual headers, such as 姓名, 身份证号, 培训职业（工种）, 培训起止日期."),
    ("roster.missing-column", "Roster lacks a required column", "The roster lacks a required column: name, ID number, occupation or training dates.", "Add the missing columns."),
    ("roster.unnamed-column", "Roster column without a header", "A column holds data but the header (both rows of a two-row header) gives it no name; it is not counted.", "Give the column a header, e.g. 结业日期."),
    ("roster.total-row", "Total row in the roster", "A 合计/小计/总计 (total) row sums the rows above it; it is not a trainee and is not counted.", "It may stay; the figures count trainee rows only."),
    ("roster.example-row", "Example row in the roster", "Rows whose name starts with 示例 are not counted.", "Delete the example row once the roster is filled in."),
    ("roster.missing-value", "Roster row lacks name or ID", "The row lacks the trainee's name or ID number.", "Complete the row."),
    ("roster.id-as-number", "ID number stored as a number", "Excel stored the ID number as a number and lost its last digits.", "Format the ID column as text and enter the numbers again from the ID cards."),
    ("roster.id-number", "Invalid ID number in the roster", "The ID number's check character or birth date does not follow GB 11643-1999.", "Check it against the ID card."),
    ("roster.id-address", "Unknown ID address code in the roster", "The first six digits of the ID number are not a GB/T 2260 code, current or of any past revision.", "Check it against the ID card; the real-name check decides."),
    ("roster.date", "Unrecognised date in the roster", "A training or employment date is not a recognisable real date.", "Write dates as 2022-03-01, periods as 2022-03-01至2022-04-15."),
    ("roster.date-order", "Dates out of order in the roster", "Training starts after it ends, or employment precedes the training.", "Check the row's dates."),
    ("roster.age", "Outside working age", "By the ID number, the trainee was outside the statutory working age when training began.", "Check the ID number and the training dates."),
    ("roster.phone", "Malformed phone number in the roster", "The phone number is neither a valid mobile nor a landline number.", "Mobiles have 11 digits; landlines carry their area code."),
    ("roster.duplicate-row", "Duplicate roster row", "The same person, occupation, level and start date appear twice.", "Delete the duplicate row."),
    ("zip.unreadable", "Zip cannot be read", "Not a complete zip archive, or damaged or truncated.", "Pack it again and resubmit."),
    ("zip.unsafe-path", "Unsafe path in the zip", "An entry name contains “..”, an absolute path or a drive letter and leads outside the archive.", "Make the submission with dossier build."),
    ("zip.symlink", "Symlink in the zip", "The archive holds a symbolic link.", "Pack plain files only."),
    ("zip.encrypted", "Encrypted zip entry", "Encrypted files cannot be reviewed.", "Pack without encryption."),
    ("zip.duplicate-name", "Duplicate names in the zip", "Files with the same name overwrite each other; which one counts cannot be told.", "Remove the duplicates and pack again."),
    ("zip.nested-archive", "Nested archive", "The zip holds another archive.", "Put the files in the submission directly."),
    ("zip.ambiguous", "Ambiguous zip structure", "A local header names a different file than the central directory, or a second end-of-central-directory record exists: different unzip tools would see different files.", "Make the submission again with dossier build."),
    ("zip.bomb", "Zip too large or ratio abnormal", "Entry count, unpacked size or compression ratio exceeds the limits: a possible zip bomb.", "Pack only the files the application needs."),
    ("zip.other-archive", "Not a zip archive", "The submission is a RAR or 7z archive (by its header) and cannot be reviewed safely in memory.", "Repack it as a zip and resubmit."),
    ("batch.duplicate", "Submission received twice", "Two files are byte-identical (compared byte for byte); verified and ranked once.", "Confirm it is the same submission and remove the copy."),
    ("batch.subsidised-twice", "Trainee subsidised in two submissions", "Training subsidies of one ID number in one year count in two or more submissions, over what the policy allows (Dalian: once per person per year; Huludao: at most 3 and never the same occupation and level twice).", "Compare the two rosters and remove the trainees counted twice."),
    ("batch.teacher-twice", "Full-time teacher at two institutions", "A full-time teacher's ID number appears in the submissions of two applicants.", "Check the teacher's labour contract and social-insurance employer."),
    ("batch.legal-representative", "Several applicants, one legal representative", "Several applicants share their legal representative's ID number.", "Watch for one body splitting its application."),
    ("batch.shared-roster", "Rosters mostly the same", "Half or more of the rows of two applicants' rosters are identical.", "Check where the trainees were actually trained."),
    ("zip.not-a-bag", "Not a submission made by dossier", "A hand-made zip is matched against the outline by file name, and its roster and form are read for the thresholds; the rest cannot be vouched for.", "Make the submission with dossier build."),
    ("verify.time-budget", "Out of time, manual review", "Verifying one submission took longer than --time-budget (60 s by default), so the remaining steps were not done; the machine's speed never accepts or returns a submission.", "Verify again with a larger --time-budget, or review by hand."),
    ("zip.form-unread", "Application form not read", "The hand-made application form is neither a DOCX nor a PDF with text, or it holds none of the policy form's labels.", "Send an editable DOCX, or check the figures by hand."),
    ("zip.form-roster-mismatch", "Form and roster disagree", "A figure of the hand-made application form differs from what its roster counts.", "Reconcile the roster and the form, and submit again."),
    ("zip.material-missing", "Material not found", "No file name shows one of the materials the policy asks for.", "Add the material, or name the file after it."),
    ("bag.invalid", "BagIt validation failed", "Manifests, checksums or Payload-Oxum disagree with the files: changed after bagging, or incomplete.", "Make the submission again with dossier build."),
    ("bag.pack-version", "Different policy pack version", "The submission was made with another version of the policy pack; it was checked with this machine's.", "Review what changed between the versions."),
    ("bag.rendering-missing", "PDF or DOCX missing", "The submission lacks the PDF or DOCX rendered from dossier.yaml.", "Make the submission again with dossier build."),
    ("bag.rendering-differs", "PDF or DOCX differs from the data", "The submitted PDF or DOCX differs from a fresh rendering with the same version and options: edited after building.", "Make the submission again with dossier build; do not edit the documents."),
    ("bag.rendering-version", "Other version, different rendering", "Made by another dossier version and a fresh rendering differs: possibly the version, not necessarily tampering; needs manual review.", "Re-render with the same version, or review the documents by hand."),
    ("bag.draft", "A draft is not a submission", "The bag was made by build --draft; every page is stamped 草稿.", "Fix the blocking findings and build again without --draft."),
    ("bag.rendering-unchecked", "PDF and DOCX not compared", "A quick first pass (--no-render): the PDF and DOCX were not re-rendered and compared with the ones sent.", "Verify again without --no-render to confirm the documents match the data."),
];

fn level(s: RuleSeverity) -> Severity {
    match s {
        RuleSeverity::Blocking => Severity::Error,
        RuleSeverity::Advisory => Severity::Warning,
    }
}

fn cited(citation: &crate::diag::Citation, notes: &[String], notes_en: &[String], id: &str, lang: Lang) -> String {
    let mut help = super::citation_line(citation, lang);
    let notes = if lang.is_en() && !notes_en.is_empty() { notes_en } else { notes };
    for n in notes {
        help.push_str(lang.pick("\n说明：", "\nNote: "));
        help.push_str(n);
    }
    help.push_str(&format!("\n{}dossier explain {id}", lang.pick("详见：", "See: ")));
    help
}

/// Built-in rules first, then each pack's rules and relaxation, in registry order; ids unique.
pub fn catalogue(registry: &Registry, lang: Lang) -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = BUILTIN
        .iter()
        .map(|&(id, level, short, full, help)| {
            let en = BUILTIN_EN.iter().find(|e| e.0 == id).filter(|_| lang.is_en());
            let (short, full, help) = en.map_or((short, full, help), |e| (e.1, e.2, e.3));
            RuleInfo { id: id.to_owned(), level, short: short.to_owned(), full: full.to_owned(), help: help.to_owned() }
        })
        .collect();
    for pack in registry.all() {
        let pack_title = pack.title_in(lang);
        for rule in &pack.rules {
            let title = rule.title_in(lang);
            rules.push(RuleInfo {
                id: rule.id.clone(),
                level: level(rule.severity),
                short: title.to_owned(),
                full: match lang {
                    Lang::Zh => format!("{}（{}）：{}", pack_title, pack.document, title),
                    Lang::En => format!("{} ({}): {}", pack_title, pack.document, title),
                },
                help: cited(&rule.citation, &rule.notes, &rule.notes_en, &rule.id, lang),
            });
        }
        if let Some(r) = &pack.relaxation {
            let title = r.title_in(lang);
            rules.push(RuleInfo {
                id: r.id.clone(),
                level: Severity::Warning,
                short: title.to_owned(),
                full: match lang {
                    Lang::Zh => format!("{}（{}）：{}；条件不成立时规模条件不予放宽", pack_title, pack.document, title),
                    Lang::En => format!(
                        "{} ({}): {}; when the condition does not hold, the size requirements are not relaxed",
                        pack_title, pack.document, title
                    ),
                },
                help: cited(&r.citation, &r.notes, &r.notes_en, &r.id, lang),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    rules.retain(|r| seen.insert(r.id.clone()));
    rules
}

/// A catalogue entry for a rule id a finding used but no catalogue lists.
pub fn unlisted(id: &str, level: Severity, lang: Lang) -> RuleInfo {
    match lang {
        Lang::Zh => RuleInfo {
            id: id.to_owned(),
            level,
            short: format!("规则 {id}"),
            full: format!("规则 {id}（不在内置规则与已加载的政策包中）。"),
            help: format!("用 dossier explain {id} 查看说明。"),
        },
        Lang::En => RuleInfo {
            id: id.to_owned(),
            level,
            short: format!("Rule {id}"),
            full: format!("Rule {id} (neither built in nor in a loaded policy pack)."),
            help: format!("Run dossier explain {id} for an explanation."),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{BUILTIN, BUILTIN_EN};

    /// Every built-in rule has its English text, and nothing else does.
    #[test]
    fn builtin_english_is_complete() {
        let zh: Vec<&str> = BUILTIN.iter().map(|b| b.0).collect();
        let en: Vec<&str> = BUILTIN_EN.iter().map(|b| b.0).collect();
        assert_eq!(zh, en);
    }

    /// Every rule id literal the checks emit appears in BUILTIN.
    #[test]
    fn builtin_list_is_complete() {
        let prefixes = [
            "schema.", "yaml.", "input.", "code.", "date.", "file.", "evidence.", "figures.", "placeholder.", "policy.", "score.",
            "roster.", "text.", "zip.", "bag.", "place.", "batch.",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        for dir in ["load", "rules", "verify"] {
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
