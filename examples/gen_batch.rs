//! A batch of distinct, valid submissions from one: each copy's bag-info gains an
//! `Internal-Sender-Identifier: copy-N` line and its tag manifests are updated, so every zip
//! has other bytes (verify ranks byte-identical zips once) but the same dossier, bag and
//! rendering. Entries are copied raw, without re-compressing.
//! Copy N goes to OUT_DIR/NNNN/<name>.zip.
//! usage: gen_batch SUBMISSION.zip OUT_DIR N

use std::io::{Read, Write};

use sha2::Digest;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(zip), Some(out), Some(n)) = (args.get(1), args.get(2), args.get(3).and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: gen_batch SUBMISSION.zip OUT_DIR N");
        std::process::exit(2);
    };
    let bytes = std::fs::read(zip).expect("read the zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a zip");
    let name_of = |i: usize, a: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>| a.by_index_raw(i).expect("entry").name().expect("utf-8 name").into_owned();
    let names: Vec<String> = (0..archive.len()).map(|i| name_of(i, &mut archive)).collect();
    let read = |a: &mut zip::ZipArchive<std::io::Cursor<&Vec<u8>>>, name: &str| {
        let mut s = String::new();
        a.by_name(name).expect("entry").read_to_string(&mut s).expect("utf-8");
        s
    };
    let info_name = names.iter().find(|n| n.ends_with("/bag-info.txt")).expect("bag-info.txt").clone();
    let top = info_name.trim_end_matches("bag-info.txt").to_owned();
    let info = read(&mut archive, &info_name);
    let tag_manifests: Vec<String> = names.iter().filter(|n| n.starts_with(&format!("{top}tagmanifest-"))).cloned().collect();
    let manifests: Vec<(String, String)> = tag_manifests.iter().map(|n| (n.clone(), read(&mut archive, n))).collect();
    std::fs::create_dir_all(out).expect("out dir");
    let stem = std::path::Path::new(zip).file_stem().and_then(|s| s.to_str()).unwrap_or("submission").to_owned();
    for copy in 1..=n {
        let info = format!("{info}Internal-Sender-Identifier: copy-{copy}\n");
        let digest = |algorithm: &str, data: &[u8]| match algorithm {
            "sha256" => hex(&sha2::Sha256::digest(data)),
            _ => hex(&sha2::Sha512::digest(data)),
        };
        // Each copy in its own folder, under the name of its top folder, as bags are named.
        let dir = std::path::Path::new(out).join(format!("{copy:04}"));
        std::fs::create_dir_all(&dir).expect("copy dir");
        let mut file = std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{stem}.zip"))).expect("create"));
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (i, name) in names.iter().enumerate() {
            let changed = if *name == info_name {
                Some(info.clone())
            } else if let Some((_, text)) = manifests.iter().find(|(n, _)| n == name) {
                let algorithm = name.trim_start_matches(&format!("{top}tagmanifest-")).trim_end_matches(".txt");
                Some(
                    text.lines()
                        .map(|l| if l.ends_with(" bag-info.txt") { format!("{}  bag-info.txt\n", digest(algorithm, info.as_bytes())) } else { format!("{l}\n") })
                        .collect(),
                )
            } else {
                None
            };
            match changed {
                Some(text) => {
                    let options = zip::write::SimpleFileOptions::default()
                        .compression_method(zip::CompressionMethod::Deflated)
                        .last_modified_time(zip::DateTime::default());
                    writer.start_file(name, options).expect("start");
                    writer.write_all(text.as_bytes()).expect("write");
                }
                None => writer.raw_copy_file(archive.by_index_raw(i).expect("entry")).expect("copy"),
            }
        }
        file.write_all(&writer.finish().expect("finish").into_inner()).expect("write zip");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
