//! Trainee rosters as Excel and WPS save them: XLSX/XLS/ODS (calamine) or CSV in UTF-8,
//! UTF-8 with BOM, UTF-16 with BOM, or GBK/GB18030. Headers vary; each usual spelling maps
//! to one column kind, and what is not recognised is reported.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use compact_str::{CompactString, format_compact};

use crate::diag::{Diagnostic, Text};

/// Rosters larger than this are refused: 100,000 rows of CSV are about 20 MB.
pub const MAX_ROSTER_BYTES: u64 = 200 * 1024 * 1024;
/// Rows a roster may have (a brand's trainees over three years are a few thousand).
pub const MAX_ROWS: usize = 100_000;
/// Columns: rosters have about twenty.
pub const MAX_COLUMNS: usize = 256;
/// Cells in the grid as read (rows × their width): bounds memory whatever the shape.
pub const MAX_CELLS: usize = 4_000_000;

/// Row `r`, column `c` (0-based) lies within the row and column limits.
fn within(r: usize, c: usize) -> Result<(), RosterError> {
    if r >= MAX_ROWS + 10 {
        return Err(error(
            format!("名单超过 {MAX_ROWS} 行上限（第 {} 行）", r + 1),
            format!("the roster exceeds the limit of {MAX_ROWS} rows (row {})", r + 1),
        ));
    }
    if c >= MAX_COLUMNS {
        return Err(error(
            format!("名单超过 {MAX_COLUMNS} 列上限（单元格 {}{}）", column_letter(c), r + 1),
            format!("the roster exceeds the limit of {MAX_COLUMNS} columns (cell {}{})", column_letter(c), r + 1),
        ));
    }
    Ok(())
}

/// Grows the grid and stops at the limits, so no roster can take memory in proportion to
/// what it claims.
#[derive(Default)]
struct Budget {
    cells: usize,
}

impl Budget {
    fn place(&mut self, grid: &mut Vec<Vec<Cell>>, r: usize, c: usize, cell: Cell) -> Result<(), RosterError> {
        within(r, c)?;
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        self.place_in(&mut grid[r], r, c, cell)
    }

    /// `place` into row `r` itself.
    fn place_in(&mut self, row: &mut Vec<Cell>, r: usize, c: usize, cell: Cell) -> Result<(), RosterError> {
        within(r, c)?;
        if row.len() <= c {
            self.cells += c + 1 - row.len();
            if self.cells > MAX_CELLS {
                return Err(error(
                    format!("名单单元格总数超过 {MAX_CELLS} 上限（单元格 {}{}）", column_letter(c), r + 1),
                    format!("the roster exceeds the limit of {MAX_CELLS} cells (cell {}{})", column_letter(c), r + 1),
                ));
            }
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = cell;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Inline up to 24 bytes (a name, an ID number, a period): a roster is thousands of them.
    Text(CompactString),
    /// A number as the spreadsheet stored it; an ID number here has lost digits.
    Number(f64),
    Date(i32, u32, u32),
    Bool(bool),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        }
    }

    /// `text`, borrowed where the cell holds text: rows read many cells only to compare them.
    pub fn text_ref(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(s) => std::borrow::Cow::Borrowed(s.trim()),
            other => std::borrow::Cow::Owned(other.text()),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty) || matches!(self, Cell::Text(s) if s.trim().is_empty())
    }
}

/// What a column holds, whatever its header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Seq,
    Name,
    Gender,
    IdNumber,
    Group,
    Occupation,
    Level,
    Period,
    Start,
    End,
    Hours,
    TrainingType,
    CertificateKind,
    CertificateNumber,
    Passed,
    Subsidised,
    SubsidyAmount,
    Mode,
    EmploymentDate,
    Employer,
    Phone,
    Remark,
}

/// Usual spellings of each header (compared without spaces, with half-width brackets).
const HEADERS: &[(Column, &[&str])] = &[
    (Column::Seq, &["序号", "编号"]),
    (Column::Name, &["姓名", "学员姓名"]),
    (Column::Gender, &["性别"]),
    (Column::IdNumber, &["身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证"]),
    (Column::Group, &["人员类别", "人员类型", "培训对象类别", "人员身份", "学员类别"]),
    (Column::Occupation, &["培训职业(工种)", "培训职业", "培训工种", "职业(工种)", "工种", "培训项目"]),
    (Column::Level, &["等级", "培训等级", "证书等级", "鉴定等级", "技能等级"]),
    (Column::Period, &["培训起止日期", "培训起止时间", "培训时间", "培训日期"]),
    (Column::Start, &["开班日期", "培训开始日期", "开始日期"]),
    (Column::End, &["结业日期", "培训结束日期", "结束日期"]),
    (Column::Hours, &["课时", "培训课时", "学时", "总课时"]),
    (Column::TrainingType, &["培训类型", "培训类别"]),
    (Column::CertificateKind, &["证书类型", "证书类别", "证书种类"]),
    (Column::CertificateNumber, &["证书编号", "证书号", "证书号码"]),
    (Column::Passed, &["是否合格", "考核结果", "鉴定结果", "是否取证"]),
    (Column::Subsidised, &["是否享受补贴", "享受补贴", "是否补贴", "补贴"]),
    (Column::SubsidyAmount, &["补贴金额", "补贴金额(元)", "补贴标准", "补贴标准(元)"]),
    (Column::Mode, &["培训方式", "培训形式", "培训模式"]),
    (Column::EmploymentDate, &["就业日期", "就业时间", "就业创业日期"]),
    (Column::Employer, &["就业单位", "就业单位名称", "就业去向"]),
    (Column::Phone, &["联系电话", "手机", "手机号", "手机号码", "电话"]),
    (Column::Remark, &["备注"]),
];

fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

pub fn recognise(header: &str) -> Option<Column> {
    let h = normalise_header(header);
    HEADERS.iter().find(|(_, names)| names.iter().any(|n| *n == h)).map(|(c, _)| *c)
}

pub fn header_name(column: Column) -> &'static str {
    HEADERS.iter().find(|(c, _)| *c == column).map_or("", |(_, n)| n[0])
}

/// "A", "B", …, "Z", "AA": a spreadsheet column letter from a 0-based index.
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

#[derive(Debug)]
pub struct Row {
    /// 1-based row number as the spreadsheet shows it.
    pub number: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug)]
pub struct Table {
    pub sheet: Option<String>,
    /// The 1-based row of the (last) header row.
    pub header_row: usize,
    /// 0-based column index of each recognised column.
    pub columns: Vec<(Column, usize)>,
    /// Headers that named nothing we know: (column index, 1-based row, text).
    pub unrecognised: Vec<(usize, usize, String)>,
    /// Columns holding data under an empty header (0-based).
    pub unnamed: Vec<usize>,
    pub rows: Vec<Row>,
    /// For CSV: the encoding it was decoded from.
    pub encoding: Option<&'static str>,
}

impl Table {
    pub fn column(&self, c: Column) -> Option<usize> {
        self.columns.iter().find(|(k, _)| *k == c).map(|(_, i)| *i)
    }

    /// "Sheet1!D17" or "D17".
    pub fn cell_ref(&self, row: usize, col: usize) -> String {
        let cell = format!("{}{row}", column_letter(col));
        match &self.sheet {
            Some(s) => format!("{s}!{cell}"),
            None => cell,
        }
    }
}

#[derive(Debug)]
pub struct RosterError {
    pub message: Text,
    pub hint: Option<Text>,
}

impl RosterError {
    /// The finding (before it is placed) that the roster `file` could not be read: the one
    /// conversion of a roster error into a diagnostic.
    pub fn issue(self, file: &str, pointer: String) -> Diagnostic {
        let en = self.message.get(crate::lang::Lang::En);
        let mut issue = Diagnostic::error("roster.unreadable", pointer, Text::new(format!("无法读取名单“{file}”：{}", self.message.zh), format!("cannot read the roster “{file}”: {en}")));
        issue.hint = self.hint;
        issue
    }
}

fn error(message: impl Into<String>, en: impl Into<String>) -> RosterError {
    RosterError { message: Text::new(message, en), hint: None }
}

pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, RosterError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_ROSTER_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| error(format!("无法读取名单：{}", crate::lang::io_error_zh(&e)), format!("cannot read the roster: {e}")))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    read_bytes(bytes, ext, sheet)
}

/// A roster from its bytes; `ext` (csv, xlsx, …) says how to read them.
pub fn read_bytes(bytes: Vec<u8>, ext: &str, sheet: Option<&str>) -> Result<Table, RosterError> {
    let ext = ext.to_ascii_lowercase();
    if bytes.len() as u64 > MAX_ROSTER_BYTES {
        return Err(error(
            format!("名单文件超过 {} MB 上限", MAX_ROSTER_BYTES / 1024 / 1024),
            format!("the roster file exceeds the {} MB limit", MAX_ROSTER_BYTES / 1024 / 1024),
        ));
    }
    let (sheet_name, grid, encoding) = match ext.as_str() {
        "csv" | "txt" => {
            let (text, encoding) = decode(&bytes);
            (None, parse_csv(&text)?, Some(encoding))
        }
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            // Zip-based workbooks are inflated once with caps before calamine trusts them.
            if crate::load::ooxml::is_zip(&bytes) {
                crate::load::ooxml::vet(&bytes).map_err(|(zh, en)| error(format!("电子表格被拒绝：{zh}"), format!("the spreadsheet is refused: {en}")))?;
            }
            // A malformed cell reference can still trip calamine's own arithmetic (a column of
            // twenty letters, a dimension ending before it starts): that is a damaged file, not
            // a crash of the tool.
            let read = std::panic::catch_unwind(|| read_workbook(std::io::Cursor::new(bytes), sheet));
            let (name, grid) = read.unwrap_or_else(|_| {
                Err(RosterError {
                    message: Text::new("电子表格结构异常（单元格引用或工作表范围无效），无法读取", "the spreadsheet is malformed (an invalid cell reference or sheet range) and cannot be read"),
                    hint: Some(Text::new("文件可能已损坏；请用 Excel 或 WPS 打开后另存为 XLSX", "the file may be damaged; open it in Excel or WPS and save it again as XLSX")),
                })
            })?;
            (Some(name), grid, None)
        }
        _ => {
            return Err(RosterError {
                message: Text::new(format!("不支持的名单格式“.{ext}”"), format!("unsupported roster format “.{ext}”")),
                hint: Some(Text::new("请保存为 XLSX 或 CSV", "save it as XLSX or CSV")),
            });
        }
    };
    Ok(into_table(sheet_name, grid, encoding))
}

/// BOM first, then strict UTF-8, else GB18030 (a superset of GBK) — never a guess from a
/// few bytes.
pub fn decode_bytes(bytes: &[u8]) -> (String, &'static str) {
    let (text, encoding) = decode(bytes);
    (text.into_owned(), encoding)
}

/// `decode_bytes`, borrowing the bytes when they are UTF-8 already.
fn decode(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        // Validated first (the fast check), borrowed when valid, as without a BOM.
        let text = std::str::from_utf8(rest).map_or_else(|_| String::from_utf8_lossy(rest), std::borrow::Cow::Borrowed);
        return (text, "UTF-8（带 BOM）");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return (encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0, "UTF-16LE");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return (encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0, "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.into(), "UTF-8"),
        Err(_) => (encoding_rs::GB18030.decode_without_bom_handling(bytes).0, "GB18030"),
    }
}

fn parse_csv(text: &str) -> Result<Vec<Vec<Cell>>, RosterError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    let mut budget = Budget::default();
    // One record reused, each row sized once for its fields.
    let mut record = csv::StringRecord::new();
    for r in 0.. {
        let more = reader.read_record(&mut record).map_err(|e| error(format!("CSV 格式错误：{e}"), format!("CSV format error: {e}")))?;
        if !more {
            break;
        }
        // Sized to its last filled field, the length it will have: never to what it claims.
        let filled = (0..record.len()).rev().find(|&i| !record[i].trim().is_empty()).map_or(0, |last| last + 1);
        let mut row = Vec::with_capacity(filled.min(MAX_COLUMNS));
        for (c, f) in record.iter().enumerate().take(filled) {
            if !f.trim().is_empty() {
                budget.place_in(&mut row, r, c, Cell::Text(f.into()))?;
            }
        }
        grid.push(row);
    }
    Ok(grid)
}

fn read_workbook<RS: std::io::Read + std::io::Seek + Clone>(
    reader: RS,
    sheet: Option<&str>,
) -> Result<(String, Vec<Vec<Cell>>), RosterError> {
    let mut book = open_workbook_auto_from_rs(reader).map_err(|e| RosterError {
        message: Text::new(format!("无法打开电子表格：{}", crate::lang::zip_error_zh(&e.to_string())), format!("cannot open the spreadsheet: {e}")),
        hint: Some(Text::new("文件可能已损坏或已加密；请用 Excel 或 WPS 另存为 XLSX", "the file may be damaged or encrypted; save it again as XLSX with Excel or WPS")),
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_owned(),
        Some(s) => return Err(error(
                format!("找不到工作表“{s}”（有：{}）", names.join("、")),
                format!("no sheet “{s}” (there are: {})", names.join(", ")),
            )),
        None => names.first().cloned().ok_or_else(|| error("电子表格中没有工作表", "the spreadsheet has no sheets"))?,
    };
    let unreadable = |e: &dyn std::fmt::Display| error(format!("无法读取工作表“{name}”：{e}"), format!("cannot read sheet “{name}”: {e}"));
    // XLSX streams cell by cell, borrowing shared strings: half the allocations of a Range.
    if let calamine::Sheets::Xlsx(xlsx) = &mut book {
        let mut reader = xlsx.worksheet_cells_reader(&name).map_err(|e| unreadable(&e))?;
        let mut grid: Vec<Vec<Cell>> = Vec::new();
        let mut budget = Budget::default();
        while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
            let (r, c) = cell.get_position();
            // Formatted but empty cells (a whole styled row) take no room.
            let value = cell_of_ref(cell.get_value());
            if !value.is_empty() {
                budget.place(&mut grid, r as usize, c as usize, value)?;
            }
        }
        return Ok((name, grid));
    }
    let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let (rows, cols) = range.get_size();
    if rows.saturating_add(r0 as usize) > MAX_ROWS + 10 || cols.saturating_add(c0 as usize) > MAX_COLUMNS {
        return Err(error(
            format!("工作表“{name}”有 {rows} 行 × {cols} 列，超过上限（{MAX_ROWS} 行、{MAX_COLUMNS} 列）"),
            format!("sheet “{name}” has {rows} rows × {cols} columns, above the limits ({MAX_ROWS} rows, {MAX_COLUMNS} columns)"),
        ));
    }
    let mut grid: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; c0 as usize];
        cells.extend(row.iter().map(cell_of));
        grid.push(cells);
    }
    Ok((name, grid))
}

fn cell_of_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::String(s) => Cell::Text(s.as_str().into()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => cell_of(&Data::DateTime(*dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.as_str().into()),
        DataRef::Error(e) => Cell::Text(format_compact!("#{e:?}")),
        DataRef::Empty => Cell::Empty,
    }
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.as_str().into()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Cell::Date(y as i32, m as u32, d as u32)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Text(format_compact!("#{e:?}")),
    }
}

/// The header is the first of the top rows that names at least three known columns (rosters
/// often carry a title row above it). A second header row under it (培训起止日期 merged over
/// 开班日期 and 结业日期, 姓名 merged down over both rows) is read with it: each column takes
/// the lower, more specific name, else the upper one.
fn into_table(sheet: Option<String>, grid: Vec<Vec<Cell>>, encoding: Option<&'static str>) -> Table {
    let header_at = grid
        .iter()
        .take(10)
        .position(|row| row.iter().filter(|c| recognise(&c.text()).is_some()).count() >= 3)
        .unwrap_or(0);
    let empty = Vec::new();
    let upper = grid.get(header_at).unwrap_or(&empty);
    let lower = grid.get(header_at + 1).filter(|row| is_sub_header(row)).unwrap_or(&empty);
    let two_rows = !lower.is_empty();
    let width = upper.len().max(lower.len());
    let mut columns = Vec::new();
    let mut unrecognised = Vec::new();
    let mut named = vec![false; width];
    for (i, is_named) in named.iter_mut().enumerate() {
        let texts = [(header_at + 2, lower.get(i).map(Cell::text)), (header_at + 1, upper.get(i).map(Cell::text))];
        let mut texts = texts.into_iter().filter_map(|(r, t)| t.filter(|t| !t.is_empty()).map(|t| (r, t)));
        let Some((row, text)) = texts.next() else { continue };
        *is_named = true;
        match recognise(&text) {
            Some(c) if !columns.iter().any(|(k, _)| *k == c) => columns.push((c, i)),
            _ => unrecognised.push((i, row, text)),
        }
    }
    let first_data = header_at + 1 + usize::from(two_rows);
    let rows: Vec<Row> = grid
        .into_iter()
        .enumerate()
        .skip(first_data)
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .map(|(i, cells)| Row { number: i + 1, cells })
        .collect();
    // A column with data under no header at all is dropped from the figures: say where.
    let mut unnamed: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, c) in row.cells.iter().enumerate() {
            if !c.is_empty() && !named.get(i).copied().unwrap_or(false) && !unnamed.contains(&i) {
                unnamed.push(i);
            }
        }
    }
    unnamed.sort_unstable();
    Table { sheet, header_row: first_data, columns, unrecognised, unnamed, rows, encoding }
}

/// A row of column names under the header: most of its filled cells are names we know, and
/// at least one is (a data row never reads 开班日期).
fn is_sub_header(row: &[Cell]) -> bool {
    let filled: Vec<String> = row.iter().map(Cell::text).filter(|t| !t.is_empty()).collect();
    let known = filled.iter().filter(|t| recognise(t).is_some()).count();
    known >= 1 && known * 2 >= filled.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn encodings_are_detected_not_guessed() {
        let gbk = encoding_rs::GBK.encode("姓名,身份证号\n").0.into_owned();
        assert_eq!(decode_bytes(&gbk), ("姓名,身份证号\n".to_owned(), "GB18030"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend("姓名".as_bytes());
        assert_eq!(decode_bytes(&bom).0, "姓名");
        assert_eq!(decode_bytes("姓名".as_bytes()).1, "UTF-8");
    }

    #[test]
    fn two_header_rows_are_read_together() {
        let t = |s: &str| Cell::Text(s.into());
        let grid = vec![
            vec![t("姓名"), t("身份证号"), t("培训职业"), t("培训起止日期"), Cell::Empty, Cell::Empty],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, t("开班日期"), t("结业日期")],
            vec![t("张三"), t("110105194912310021"), t("焊工"), t("2022-03-01"), t("2022-04-15"), t("多余")],
        ];
        let table = into_table(None, grid, None);
        assert_eq!(table.column(Column::Start), Some(3));
        assert_eq!(table.column(Column::End), Some(4));
        assert_eq!(table.column(Column::Period), None);
        assert_eq!((table.header_row, table.rows.len(), table.rows[0].number), (2, 1, 3));
        assert_eq!(table.unnamed, vec![5]);
    }

    #[test]
    fn headers_in_their_usual_spellings() {
        assert_eq!(recognise("身份证号码"), Some(Column::IdNumber));
        assert_eq!(recognise(" 培训职业（工种） "), Some(Column::Occupation));
        assert_eq!(recognise("补贴金额（元）"), Some(Column::SubsidyAmount));
        assert_eq!(recognise("籍贯"), None);
    }
}
