// See Cargo.toml: 13-14% less CPU for verify, either mode, on 1,000 zips.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use dossier::lang::Lang;
use dossier::load;
use dossier::policy::Registry;
use dossier::report::{Report, github, junit, many, sarif};
use dossier::rules;

#[derive(Parser)]
#[command(name = "dossier", version, about = "职业技能培训品牌申报材料：编写、检查、生成与审核")]
struct Cli {
    /// 输出语言：zh（中文，默认）或 en（英文）；生成的 PDF/DOCX 始终为中文
    #[arg(long, value_enum, global = true, default_value = "zh")]
    lang: LangArg,
    /// 加载政策目录（含 pack.yaml、bundle.tera），可多次使用；同编号者覆盖内置政策
    #[arg(long = "policy-dir", global = true, value_name = "DIR")]
    policy_dirs: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
}

#[derive(Subcommand)]
enum Command {
    /// 检查申报材料（dossier.yaml 所在目录或该文件），可一次检查多份
    Check {
        /// 申报材料目录（含 dossier.yaml）或 dossier.yaml 文件，可给出多个
        #[arg(required_unless_present = "changed", value_name = "PATHS")]
        paths: Vec<PathBuf>,
        /// 把参数当作改动的文件（pre-commit 传入的文件名）：找出它们所属的申报材料目录，每个目录检查一次；暂存区中删除的文件由 git 补上
        #[arg(long)]
        changed: bool,
        /// 输出格式：text 终端文字，json 机器可读，sarif 代码扫描，github 注释，junit 测试报告
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
        /// 输出中显示完整的身份证号与手机号（默认脱敏），并在报告中记录
        #[arg(long)]
        unmasked: bool,
        /// 只列出错误（阻止提交的问题），提示只计数；文字输出首行为汇总
        #[arg(long = "errors-only")]
        errors_only: bool,
    },
    /// 审核收到的提交包（zip 或含 zip 的目录）：安全打开、核验 BagIt、重新检查并给出受理意见
    Verify {
        /// 提交包（.zip 或 .zip.age）或含提交包的目录，可给出多个
        #[arg(required = true, value_name = "PATHS")]
        paths: Vec<PathBuf>,
        /// 输出格式：text 终端文字，json 机器可读，sarif 代码扫描，github 注释，junit 测试报告
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// 汇总表（.xlsx 或 .csv）：每份提交一行，按得分排序
        #[arg(long)]
        summary: Option<PathBuf>,
        /// 审核报告（.html）：汇总表、逐份评分卡与对比图，单个文件可离线打开
        #[arg(long)]
        report: Option<PathBuf>,
        /// 不重新生成 PDF/DOCX 比对（快速初筛；每份提交会注明未比对）
        #[arg(long = "no-render")]
        no_render: bool,
        /// 每份提交包的审核用时上限（秒）；超时未完成的部分不做，该份转人工审核
        #[arg(long = "time-budget", value_name = "SECONDS", default_value_t = dossier::verify::submission::TIME_BUDGET_SECONDS as f64)]
        time_budget: f64,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
        /// 私钥文件：在内存中解密加密的提交包（.zip.age），不写出任何明文；可多次使用
        #[arg(long = "identity")]
        identities: Vec<PathBuf>,
        /// 培训人员花名册（.xlsx）：本批全部学员及其所在提交包，完整身份证号与电话，供实名核验（文件权限 0600）
        #[arg(long = "roster-export")]
        roster_export: Option<PathBuf>,
    },
    /// 生成申报材料骨架
    Init {
        /// 要创建的申报材料目录
        dir: PathBuf,
        /// 政策编号，如 dalian-2023、liaoning-2024、inner-mongolia-2022
        #[arg(long)]
        policy: String,
        /// 申报层级（大连：city/district；内蒙古：region/league/county）或品牌类型（辽宁）
        #[arg(long)]
        tier: String,
        /// 申报年度（缺省为政策规定的申报年度）
        #[arg(long)]
        year: Option<i32>,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
    },
    /// 生成申报材料：PDF 与 DOCX（按 GB/T 9704 排版）
    Build {
        /// 申报材料目录（含 dossier.yaml）或 dossier.yaml 文件
        path: PathBuf,
        /// 输出目录
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// 有阻止提交的问题时仍然生成，并在每页加“草稿”字样
        #[arg(long)]
        draft: bool,
        /// 终端输出中不对身份证号、手机号脱敏（PDF/DOCX 与提交包不受影响，见 docs/personal-data.md）
        #[arg(long)]
        unmasked: bool,
        /// 使用该目录中的字体（如已授权的仿宋_GB2312）
        #[arg(long = "font-dir")]
        font_dir: Option<PathBuf>,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
        /// 把提交包加密给该收件人（人社部门公布的 age 公钥 age1…），可多次使用；只写出 .zip.age
        #[arg(long = "recipient")]
        recipients: Vec<String>,
        /// 收件人文件：每行一个 age 公钥，# 开头为注释
        #[arg(long = "recipients-file")]
        recipients_files: Vec<PathBuf>,
    },
    /// 生成人社部门的审核私钥（age X25519，文件权限 0600），并输出应在通知中公布的公钥
    Keygen {
        /// 私钥文件的保存位置
        out: PathBuf,
    },
    /// 用私钥解密提交包（.zip.age），只把明文写到 -o 指定的目录
    Decrypt {
        /// 加密的提交包（.zip.age）
        file: PathBuf,
        /// 私钥文件（dossier keygen 或 age-keygen 生成），可多次使用
        #[arg(long = "identity", required = true)]
        identities: Vec<PathBuf>,
        /// 输出目录：写入解密后的 zip 及解开的 BagIt 目录
        #[arg(short, long)]
        out: PathBuf,
    },
    /// 输出本程序执行的 JSON Schema
    Schema,
    /// 列出政策包；给出编号时列出该政策包的全部规则与阈值
    Policies {
        /// 政策编号，如 dalian-2023
        id: Option<String>,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
    },
    /// 输出命令行补全脚本（bash、zsh、fish、elvish、powershell）
    Completions {
        /// 终端类型：bash、zsh、fish、elvish、powershell
        shell: clap_complete::Shell,
    },
    /// 说明一条规则：条款原文、阈值与歧义处理说明
    Explain {
        /// 规则编号，如 dalian-2023.district.trainees 或 code.id-number
        rule: String,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file", value_name = "FILE")]
        policy_files: Vec<PathBuf>,
    },
}

fn registry(dirs: &[PathBuf], files: &[PathBuf], lang: Lang) -> Result<Registry, String> {
    let mut registry = Registry::embedded();
    for d in dirs {
        registry.add_dir_in(d, lang)?;
    }
    for f in files {
        registry.add_file_in(f, lang)?;
    }
    Ok(registry)
}

fn current_year() -> i32 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
        });
    // Days to civil year (proleptic Gregorian), enough precision for a default.
    1970 + (secs as f64 / (365.2425 * 86400.0)) as i32
}

fn fail(message: &str) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(2)
}

/// An error in the chosen language.
fn fail_in(lang: Lang, zh: &str, en: &str) -> ExitCode {
    match lang {
        Lang::Zh => fail(zh),
        Lang::En => {
            eprintln!("error: {en}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = match localized_command(early_lang()).try_get_matches() {
        Ok(m) => match Cli::from_arg_matches(&m) {
            Ok(cli) => cli,
            Err(e) => return command_line_error(e, early_lang()),
        },
        Err(e) => return command_line_error(e, early_lang()),
    };
    let lang = Lang::from(cli.lang);
    match cli.command {
        Command::Schema => {
            print!("{}", dossier::rules::schema::DOSSIER_SCHEMA);
            ExitCode::SUCCESS
        }
        Command::Build { path, out, draft, unmasked, font_dir, policy_files, recipients, recipients_files } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, Lang::Zh) {
                Ok(r) => r,
                Err(e) => return fail(&e),
            };
            let recipients = match dossier::crypt::recipients(&recipients, &recipients_files) {
                Ok(r) => r,
                Err(e) => return fail(&e),
            };
            if recipients.is_empty() && !recipients_files.is_empty() {
                return fail("收件人文件中没有公钥");
            }
            let opts = dossier::build::Options { out: &out, draft, unmasked, font_dir: font_dir.as_deref(), recipients };
            match dossier::build::build(&path, &registry, &opts) {
                Ok(outcome) => {
                    print!("{}", outcome.message);
                    ExitCode::from(outcome.exit_code)
                }
                Err(e) => fail(&e),
            }
        }
        Command::Policies { id, policy_files } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, lang) {
                Ok(r) => r,
                Err(e) => return fail_in(lang, &e, &e),
            };
            match id {
                None => print!("{}", dossier::explain::list_packs(&registry, lang)),
                Some(id) => match registry.get(&id) {
                    Some(pack) => print!("{}", dossier::explain::pack_rules(pack, lang)),
                    None => {
                        return fail_in(
                            lang,
                            &format!("未知的政策编号“{id}”（可用：{}）", registry.ids().join("、")),
                            &format!("unknown policy id “{id}” (available: {})", registry.ids().join(", ")),
                        );
                    }
                },
            }
            ExitCode::SUCCESS
        }
        Command::Explain { rule, policy_files } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, lang) {
                Ok(r) => r,
                Err(e) => return fail_in(lang, &e, &e),
            };
            match dossier::explain::explain(&registry, &rule, lang) {
                Some(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                None => fail_in(
                    lang,
                    &format!("找不到规则“{rule}”；用 dossier policies ID 查看规则编号"),
                    &format!("no rule “{rule}”; run dossier policies ID to see the rule ids"),
                ),
            }
        }
        Command::Init { dir, policy, tier, year, policy_files } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, Lang::Zh) {
                Ok(r) => r,
                Err(e) => return fail(&e),
            };
            let Some(pack) = registry.get(&policy) else {
                return fail(&format!("未知的政策编号“{policy}”（可用：{}）", registry.ids().join("、")));
            };
            if pack.tier_name(&tier).is_none() {
                let choices: Vec<String> =
                    pack.tiers.iter().chain(&pack.brand_types).map(|c| format!("{}={}", c.id, c.name)).collect();
                return fail(&format!("{} 不设“{tier}”（可选：{}）", pack.title, choices.join("、")));
            }
            let opts = dossier::init::Options { pack, tier: &tier, application_year: year.or(pack.application_year).unwrap_or_else(current_year) };
            match dossier::init::write(&dir, &opts) {
                Ok(()) => {
                    println!("已生成 {}；按注释填写后运行 dossier check {}", dir.join(load::DOSSIER_FILE).display(), dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics when stdout is a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "dossier", &mut script);
            emit(&script, ExitCode::SUCCESS)
        }
        Command::Keygen { out } => match dossier::crypt::keygen(&out) {
            Ok(recipient) => {
                eprintln!("已生成私钥 {}（权限 0600，切勿外传）；请在通知中公布以下公钥：", out.display());
                println!("{recipient}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Decrypt { file, identities, out } => {
            let mut keys = Vec::new();
            for f in &identities {
                match dossier::crypt::read_identities(f) {
                    Ok(k) => keys.extend(k),
                    Err(e) => return fail(&e),
                }
            }
            match dossier::crypt::decrypt_to(&file, &keys, &out) {
                Ok(message) => {
                    eprint!("{message}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Verify { paths, format, summary, report, no_render, time_budget, policy_files, identities, roster_export } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, lang) {
                Ok(r) => r,
                Err(e) => return fail_in(lang, &e, &e),
            };
            let mut keys = Vec::new();
            for f in &identities {
                match dossier::crypt::read_identities(f) {
                    Ok(k) => keys.extend(k),
                    Err(e) => return fail_in(lang, &e, &e),
                }
            }
            dossier::crypt::set_identities(keys);
            let collected = dossier::verify::collect(&paths);
            // A dossier folder is check's input: said so, not verified as an empty batch.
            if !collected.dossier_dirs.is_empty() {
                for d in &collected.dossier_dirs {
                    match lang {
                        Lang::Zh => eprintln!(
                            "错误：{0} 是申报材料目录（有 dossier.yaml），不是收到的提交包；verify 审核 dossier build 生成的 zip。检查这个目录请用：dossier check {0}",
                            d.display()
                        ),
                        Lang::En => eprintln!(
                            "error: {0} is a dossier folder (it has dossier.yaml), not a received submission; verify reviews the zips dossier build makes. To check this folder: dossier check {0}",
                            d.display()
                        ),
                    }
                }
                return ExitCode::from(2);
            }
            // Everything received is accounted for: what is not a submission is listed.
            for (path, zh, en) in &collected.loose {
                match lang {
                    Lang::Zh => eprintln!("不是申报材料（{zh}）：{}", path.display()),
                    Lang::En => eprintln!("not a submission ({en}): {}", path.display()),
                }
            }
            let zips = collected.submissions;
            let bar = progress_bar(zips.len() as u64);
            let depth = dossier::verify::submission::Depth { render: !no_render, budget: std::time::Duration::from_secs_f64(time_budget.max(0.0)) };
            let each = |r: Report| {
                bar.inc(1);
                // The summary and the HTML report are Chinese; English is kept only for output.
                if lang == Lang::Zh { r.masked().without_english() } else { r.masked() }
            };
            let reports: Vec<Report> = dossier::verify::verify_all(&zips, &registry, depth, &each);
            bar.finish_and_clear();
            // The summary and the HTML report are documents for the bureau: always Chinese.
            if let Some(path) = &report
                && let Err(e) = dossier::verify::html::write(path, &reports, &registry)
            {
                return fail_in(lang, &e, &e);
            }
            if let Some(path) = &summary
                && let Err(e) = dossier::verify::summary::write(path, &reports)
            {
                return fail_in(lang, &e, &e);
            }
            if let Some(path) = &roster_export {
                match dossier::verify::roster_export::write(path, &zips) {
                    Ok(n) => eprintln!(
                        "{}",
                        match lang {
                            Lang::Zh => format!("注意：{} 含 {n} 名学员的完整身份证号与电话（个人信息），仅供实名核验，请妥善保管、用后删除", path.display()),
                            Lang::En => format!("warning: {} holds the full ID numbers and phones of {n} trainees (personal data), for real-name checks only; keep it safe and delete it after use", path.display()),
                        }
                    ),
                    Err(e) => return fail_in(lang, &e, &e),
                }
            }
            let reports: Vec<Report> = reports.into_iter().map(|r| r.in_lang(lang)).collect();
            // Returned submissions are findings, not failures to run: exit 1, never 2.
            let returned = reports.iter().any(|r| r.verdict.as_deref() == Some(dossier::verify::submission::RETURNED));
            // An encrypted submission this machine holds no key for could not be verified at all.
            let locked = reports.iter().any(|r| r.findings.iter().any(|f| dossier::crypt::cannot_run(&f.rule)));
            if locked {
                match lang {
                    Lang::Zh => eprintln!("错误：有加密的提交包无法解密（未给出 --identity，或不是加密给本单位的），未能审核"),
                    Lang::En => eprintln!("error: some encrypted submissions could not be decrypted (no --identity, or not encrypted for this bureau) and were not verified"),
                }
            }
            let code = ExitCode::from(if locked { 2 } else { u8::from(returned || reports.is_empty()) });
            if matches!(format, Format::Json) {
                let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
                return match many::write_json(&reports, &mut stdout).and_then(|()| std::io::Write::flush(&mut stdout)) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(&format!("无法输出结果：{e}")),
                    _ => code,
                };
            }
            let sources = vec![None; reports.len()];
            let out = render(format, &reports, &sources, &registry, lang);
            emit(out.as_bytes(), code)
        }
        Command::Check { paths, changed, format, policy_files, unmasked, errors_only } => {
            let registry = match registry(&cli.policy_dirs, &policy_files, lang) {
                Ok(r) => r,
                Err(e) => return fail_in(lang, &e, &e),
            };
            let paths = if changed {
                let mut files = paths;
                files.extend(dossier::changed::staged_deletions());
                let grouped = dossier::changed::folders(&files);
                if !grouped.outside.is_empty() {
                    eprintln!("{}", match lang {
                        Lang::Zh => format!("{} 个改动的文件不在任何申报材料目录中（目录中没有 dossier.yaml），未检查", grouped.outside.len()),
                        Lang::En => format!("{} changed file(s) lie in no dossier folder (no dossier.yaml above them): not checked", grouped.outside.len()),
                    });
                }
                if grouped.folders.is_empty() {
                    eprintln!("{}", match lang {
                        Lang::Zh => "没有改动涉及申报材料",
                        Lang::En => "no change touches a dossier",
                    });
                    return ExitCode::SUCCESS;
                }
                grouped.folders
            } else {
                paths
            };
            let (reports, sources): (Vec<Report>, Vec<Option<String>>) =
                paths.iter().map(|p| check_one(p, &registry, unmasked, lang)).unzip();
            let reports: Vec<Report> = if errors_only { reports.into_iter().map(Report::errors_only).collect() } else { reports };
            let out = render(format, &reports, &sources, &registry, lang);
            emit(out.as_bytes(), ExitCode::from(many::exit_code(&reports) as u8))
        }
    }
}

/// A bar on stderr when it is a terminal; hidden (and free) in pipes and CI logs.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("审核 {bar:40} {pos}/{len} 份  {per_sec}  剩余 {eta}") {
        bar.set_style(style);
    }
    bar
}

/// Reports of `check` or `verify` in the chosen format.
fn render(format: Format, reports: &[Report], sources: &[Option<String>], registry: &Registry, lang: Lang) -> String {
    let cwd = std::env::current_dir().ok();
    match format {
        Format::Json => many::to_json(reports),
        Format::Text => many::to_text(reports, sources),
        Format::Sarif => sarif::render(reports, registry, cwd.as_deref(), lang),
        Format::Github => github::render(reports, cwd.as_deref()),
        Format::Junit => junit::render(reports, registry),
    }
}

/// Write to stdout; a closed pipe (`| head`) is the reader's choice, not a failure worth a panic.
fn emit(bytes: &[u8], code: ExitCode) -> ExitCode {
    match std::io::Write::write_all(&mut std::io::stdout().lock(), bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(&format!("无法输出结果：{e}")),
        _ => code,
    }
}

/// One dossier's report, with the text its findings point into.
fn check_one(path: &std::path::Path, registry: &Registry, unmasked: bool, lang: Lang) -> (Report, Option<String>) {
    let shown = path.display().to_string();
    let (report, source) = match load::load(path) {
        Ok(loaded) => {
            let checked = rules::check(&loaded, registry);
            (Report::from_checked(shown, &checked), Some(loaded.text))
        }
        Err(e) => (Report::from_load_error(shown, &e), e.text.clone()),
    };
    // Every format prints what the report holds: mask it once, here.
    let report = if unmasked { Report { unmasked, ..report } } else { report.masked() };
    (report.in_lang(lang), source)
}

/// A command line clap refuses, said in Chinese (clap speaks English only): what is wrong, the
/// suggestion clap has, the usage line, and where help is; exit 2. Help and version requests,
/// and English, are clap's own.
fn command_line_error(e: clap::Error, lang: Lang) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
        e.exit();
    }
    let get = |kind: ContextKind| -> Vec<String> {
        match e.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let quote = |v: Vec<String>| v.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join("、");
    let arg = quote(get(ContextKind::InvalidArg));
    let value = quote(get(ContextKind::InvalidValue));
    let mut message = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!("无法识别的命令 {}", quote(get(ContextKind::InvalidSubcommand))),
        ErrorKind::InvalidValue => format!("参数 {arg} 的值 {value} 无效"),
        ErrorKind::ValueValidation => format!("参数 {arg} 的值 {value} 无效"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_owned(),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与 {} 同时使用", quote(get(ContextKind::PriorArg))),
        ErrorKind::NoEquals => format!("参数 {arg} 的值须用“=”连接"),
        ErrorKind::TooManyValues => format!("参数 {arg} 的值 {value} 过多"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("参数 {arg} 的值个数不对"),
        ErrorKind::InvalidUtf8 => "命令行含有无效的 UTF-8 字符".to_owned(),
        _ => "命令行参数有误".to_owned(),
    };
    let valid = get(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str(&format!("（可用：{}）", valid.join("、")));
    }
    let suggested: Vec<String> = get(ContextKind::SuggestedSubcommand).into_iter().chain(get(ContextKind::SuggestedArg)).collect();
    if !suggested.is_empty() {
        message.push_str(&format!("\n  提示：是不是 {}？", quote(suggested)));
    }
    let usage = get(ContextKind::Usage).join("").replace("Usage: ", "");
    let usage = usage.trim();
    // Help for the command the usage names: `dossier check --help`.
    let command: Vec<&str> = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-'])).collect();
    let help = if command.is_empty() { "dossier --help".to_owned() } else { format!("{} --help", command.join(" ")) };
    let usage = if usage.is_empty() { String::new() } else { format!("用法：{usage}\n\n") };
    eprintln!("错误：{message}\n\n{usage}查看帮助：{help}");
    ExitCode::from(2)
}

/// The language help is shown in, before clap has parsed anything: `--lang en` (`--lang=en`)
/// anywhere on the line, else DOSSIER_LANG. LANG is not read: build servers often run an English
/// locale for applicants who read Chinese.
fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pick = |v: &str| if v.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Zh };
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return pick(v);
        }
        if a == "--lang" && let Some(v) = args.get(i + 1) {
            return pick(v);
        }
    }
    env_lang().unwrap_or(Lang::Zh)
}

fn env_lang() -> Option<Lang> {
    let v = std::env::var("DOSSIER_LANG").ok()?;
    Some(if v.to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Zh })
}

/// The command line with its help in `lang`: the doc comments are Chinese; English comes from
/// [`english_help`]; clap's own words (Usage, Options, Print help, [default: …]) are replaced.
fn localized_command(lang: Lang) -> clap::Command {
    let mut cmd = Cli::command();
    if let Some(l) = env_lang() {
        cmd = cmd.mut_arg("lang", |a| a.default_value(if l.is_en() { "en" } else { "zh" }));
    }
    cmd = localize_tree(cmd, lang, "");
    cmd.build();
    finish_tree(cmd, lang)
}

/// Before clap builds: texts, value names, headings of every command and argument.
fn localize_tree(cmd: clap::Command, lang: Lang, parent: &str) -> clap::Command {
    let name = cmd.get_name().to_owned();
    let key = if parent.is_empty() { String::new() } else { name.clone() };
    let mut cmd = cmd.mut_args(|a| {
        let id = a.get_id().as_str().to_owned();
        let mut a = a;
        if lang.is_en() {
            if let Some(h) = english_help(&key, &id) {
                a = a.help(h);
            }
        } else {
            let takes = a.get_action().takes_values();
            let values: Vec<String> = match takes {
                true => a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_owned()).collect(),
                false => Vec::new(),
            };
            let default: Vec<String> = match takes {
                true => a.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).collect(),
                false => Vec::new(),
            };
            let mut extra = String::new();
            if !values.is_empty() && !a.get_help().is_some_and(|h| values.iter().all(|v| h.to_string().contains(v.as_str()))) {
                extra.push_str(&format!("可选：{}", values.join("、")));
            }
            if !default.is_empty() {
                extra.push_str(&format!("{}默认 {}", if extra.is_empty() { "" } else { "；" }, default.join("、")));
            }
            if !extra.is_empty() {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                a = a.help(format!("{help}（{extra}）")).hide_default_value(true).hide_possible_values(true);
            }
            if let Some(v) = a.get_value_names().and_then(|v| v.first()).map(|v| v.to_string()) {
                a = a.value_name(value_name_zh(&v).to_owned());
            }
            let heading = if a.is_positional() { "参数" } else { "选项" };
            a = a.help_heading(heading);
        }
        a
    });
    if lang.is_en() {
        if let Some(about) = english_help(&key, "") {
            cmd = cmd.about(about);
        }
    } else {
        cmd = cmd
            .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令");
    }
    cmd.mut_subcommands(|sub| localize_tree(sub, lang, &name))
}

/// After clap builds: its generated --help, --version, `help` and the usage line.
fn finish_tree(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    if lang.is_en() {
        return cmd;
    }
    let usage = cmd.render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ").replace("[OPTIONS]", "[选项]").replace("<COMMAND>", "<命令>").replace("[COMMAND]", "[命令]");
    cmd = cmd.override_usage(usage);
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().as_str().to_owned()).collect();
    for (id, zh) in [("help", "显示帮助"), ("version", "显示版本号")] {
        if ids.iter().any(|i| i == id) {
            cmd = cmd.mut_arg(id, |a| a.help(zh).help_heading("选项"));
        }
    }
    if cmd.get_subcommands().any(|s| s.get_name() == "help") {
        cmd = cmd.mut_subcommand("help", |h| {
            let h = h.about("显示本帮助，或给出命令的帮助");
            if h.get_arguments().any(|a| a.get_id() == "subcommand") {
                h.mut_arg("subcommand", |a| a.help("要显示帮助的命令").value_name("命令").help_heading("参数"))
            } else {
                h
            }
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).filter(|n| n != "help").collect();
    for n in names {
        cmd = cmd.mut_subcommand(&n, |s| finish_tree(s, lang));
    }
    cmd
}

fn value_name_zh(v: &str) -> &str {
    match v {
        "PATHS" | "PATH" => "路径",
        "FORMAT" => "格式",
        "FILE" | "POLICY_FILES" | "SUMMARY" | "REPORT" | "ROSTER_EXPORT" | "IDENTITIES" | "RECIPIENTS_FILES" => "文件",
        "DIR" | "OUT" | "FONT_DIR" => "目录",
        "LANG" => "语言",
        "ID" => "编号",
        "RULE" => "规则",
        "SHELL" => "终端",
        "POLICY" => "政策",
        "TIER" => "层级",
        "YEAR" => "年度",
        "RECIPIENTS" => "公钥",
        "SECONDS" => "秒",
        other => other,
    }
}

/// English help: (command, argument id) → text; an empty id is the command's about.
fn english_help(command: &str, id: &str) -> Option<&'static str> {
    const FORMAT: &str = "output format: text for the terminal, json for machines, sarif for code scanning, github annotations, junit test report";
    const POLICY_FILE: &str = "add or override a policy pack (YAML file); may be repeated";
    Some(match (command, id) {
        ("", "") => "Chinese vocational skills training brand applications: write, check, build and review",
        (_, "lang") => "output language: zh (Chinese, the default) or en (English); the PDF/DOCX are always Chinese",
        (_, "policy_dirs") => "load a policy directory (pack.yaml, bundle.tera); may be repeated; overrides a built-in pack of the same id",
        (_, "policy_files") => POLICY_FILE,
        (_, "format") => FORMAT,
        ("check", "") => "check dossiers (a folder holding dossier.yaml, or the file itself); several at once",
        ("check", "paths") => "dossier folders (holding dossier.yaml) or dossier.yaml files; several may be given",
        ("check", "changed") => "treat the arguments as changed files (as pre-commit passes them): find the dossier folder of each and check each folder once; files deleted in the index are added from git",
        ("check", "errors_only") => "list only the errors (what blocks submission); warnings are only counted, in a summary line first in text output",
        ("check", "unmasked") => "show full ID and mobile numbers in the output (masked by default), recorded in the report",
        ("verify", "") => "review received submissions (zip or a folder of zips): open safely, verify the BagIt bag, re-check and give a verdict",
        ("verify", "paths") => "submissions (.zip or .zip.age) or folders holding them; several may be given",
        ("verify", "summary") => "summary table (.xlsx or .csv): one row per submission, ranked by score",
        ("verify", "report") => "review report (.html): summary, one score card per submission and comparison charts, one file that opens offline",
        ("verify", "time_budget") => "time one submission may take (seconds); what is left undone when it runs out sends the submission to manual review",
        ("verify", "no_render") => "do not re-render the PDF/DOCX to compare (quick first pass; each submission says it was not compared)",
        ("verify", "identities") => "identity file: decrypt encrypted submissions (.zip.age) in memory, writing no plaintext; may be repeated",
        ("verify", "roster_export") => "trainee roster (.xlsx): every trainee of the batch and their submission, full ID numbers and phones, for real-name checks (file mode 0600)",
        ("init", "") => "write a dossier skeleton",
        ("init", "dir") => "the dossier folder to create",
        ("init", "policy") => "policy id, e.g. dalian-2023, liaoning-2024, inner-mongolia-2022",
        ("init", "tier") => "application tier (Dalian: city/district; Inner Mongolia: region/league/county) or brand type (Liaoning)",
        ("init", "year") => "application year (default: the policy's own application year)",
        ("build", "") => "build the application: PDF and DOCX (laid out after GB/T 9704) and the submission zip",
        ("build", "path") => "dossier folder (holding dossier.yaml) or the dossier.yaml file",
        ("build", "out") => "output folder",
        ("build", "draft") => "build even with blocking findings or placeholders, marking every page 草稿 (draft)",
        ("build", "unmasked") => "do not mask ID and mobile numbers in the terminal output (PDF/DOCX and the bag are not affected; see docs/personal-data.md)",
        ("build", "font_dir") => "use the fonts in this folder (e.g. a licensed FangSong_GB2312)",
        ("build", "recipients") => "encrypt the submission to this recipient (the bureau's published age public key age1…); may be repeated; writes only the .zip.age",
        ("build", "recipients_files") => "recipients file: one age public key per line, # starts a comment",
        ("keygen", "") => "generate the bureau's review key (age X25519, file mode 0600) and print the public key to publish",
        ("keygen", "out") => "where to save the identity file",
        ("decrypt", "") => "decrypt a submission (.zip.age) with an identity, writing the plaintext only to the -o folder",
        ("decrypt", "file") => "the encrypted submission (.zip.age)",
        ("decrypt", "identities") => "identity file (from dossier keygen or age-keygen); may be repeated",
        ("decrypt", "out") => "output folder: the decrypted zip and its unpacked BagIt bag",
        ("schema", "") => "print the JSON Schema this binary enforces",
        ("policies", "") => "list the policy packs; with an id, every rule and threshold of that pack",
        ("policies", "id") => "policy id, e.g. dalian-2023",
        ("completions", "") => "print a shell completion script (bash, zsh, fish, elvish, powershell)",
        ("completions", "shell") => "the shell: bash, zsh, fish, elvish, powershell",
        ("explain", "") => "explain a rule: the clause's text, thresholds and how ambiguities are resolved",
        ("explain", "rule") => "rule id, e.g. dalian-2023.district.trainees or code.id-number",
        _ => return None,
    })
}
