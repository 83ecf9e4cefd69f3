use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

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
        #[arg(required_unless_present = "changed")]
        paths: Vec<PathBuf>,
        /// 把参数当作改动的文件（pre-commit 传入的文件名）：找出它们所属的申报材料目录，每个目录检查一次；
        /// 暂存区中删除的文件由 git 补上
        #[arg(long)]
        changed: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// 追加或覆盖政策包（YAML 文件），可多次使用
        #[arg(long = "policy-file")]
        policy_files: Vec<PathBuf>,
        /// 输出中显示完整的身份证号与手机号（默认脱敏），并在报告中记录
        #[arg(long)]
        unmasked: bool,
    },
    /// 审核收到的提交包（zip 或含 zip 的目录）：安全打开、核验 BagIt、重新检查并给出受理意见
    Verify {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
        #[arg(long = "policy-file")]
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
        dir: PathBuf,
        /// 政策编号，如 dalian-2023、liaoning-2024、inner-mongolia-2022
        #[arg(long)]
        policy: String,
        /// 申报层级（大连：city/district；内蒙古：region/league/county）或品牌类型（辽宁）
        #[arg(long)]
        tier: String,
        /// 申报年度（缺省为今年）
        #[arg(long)]
        year: Option<i32>,
        #[arg(long = "policy-file")]
        policy_files: Vec<PathBuf>,
    },
    /// 生成申报材料：PDF 与 DOCX（按 GB/T 9704 排版）
    Build {
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
        #[arg(long = "policy-file")]
        policy_files: Vec<PathBuf>,
        /// 把提交包加密给该收件人（人社部门公布的 age 公钥 age1…），可多次使用；只写出 .zip.age
        #[arg(long = "recipient")]
        recipients: Vec<String>,
        /// 收件人文件：每行一个 age 公钥，# 开头为注释
        #[arg(long = "recipients-file")]
        recipients_files: Vec<PathBuf>,
    },
    /// 生成人社部门的审核私钥（age X25519，文件权限 0600），并输出应在通知中公布的公钥
    Keygen { out: PathBuf },
    /// 用私钥解密提交包（.zip.age），只把明文写到 -o 指定的目录
    Decrypt {
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
        id: Option<String>,
        #[arg(long = "policy-file")]
        policy_files: Vec<PathBuf>,
    },
    /// 输出命令行补全脚本（bash、zsh、fish、elvish、powershell）
    Completions { shell: clap_complete::Shell },
    /// 说明一条规则：条款原文、阈值与歧义处理说明
    Explain {
        rule: String,
        #[arg(long = "policy-file")]
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
    let cli = Cli::parse();
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
            let opts = dossier::bundle::Options { out: &out, draft, unmasked, font_dir: font_dir.as_deref(), recipients };
            match dossier::bundle::build(&path, &registry, &opts) {
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
            let opts = dossier::init::Options { pack, tier: &tier, application_year: year.unwrap_or_else(current_year) };
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
        Command::Verify { paths, format, summary, report, no_render, policy_files, identities, roster_export } => {
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
            let depth = dossier::verify::submission::Depth { render: !no_render };
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
            let reports: Vec<Report> = reports.into_iter().map(|r| r.localized(lang)).collect();
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
        Command::Check { paths, changed, format, policy_files, unmasked } => {
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
    (report.localized(lang), source)
}
