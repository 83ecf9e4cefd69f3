//! Evidence files that look like what applicants really scan, deterministic (a fixed seed):
//!
//! - `gen_evidence placeholders FIXTURE_DIR...`: every `evidence/*.pdf` rewritten as a one-page
//!   vector document (frame, title bar, lines of "text", a red seal; no fonts, so nothing to
//!   embed), every `evidence/*.png` as a small screenshot.
//! - `gen_evidence scans DIR DPI`: the real-looking set: an A4 scan as JPEG at DPI with text
//!   lines and noise, a phone photo stored landscape with EXIF orientation 6, a PNG with alpha,
//!   a two-page TIFF, a three-page vector PDF (portrait, landscape, /Rotate 90), a video.
//! - `gen_evidence bench OUT N`: the Dalian city fixture with N more A4 scans at 200 dpi and a
//!   100-page vector PDF as evidence, for benches/evidence.sh.
//!
//! `cargo run --release --example gen_evidence -- scans fixtures/dalian-2023-district/evidence 100`

#[path = "support/mod.rs"]
mod support;

use std::io::Cursor;
use std::path::Path;

use image::{GrayImage, Luma, Rgb, RgbImage, Rgba, RgbaImage};
use lopdf::{Document, Object, Stream, dictionary};

/// xorshift64*: the same files on every run.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        Rng(seed.bytes().fold(0x9E37_79B9_7F4A_7C15, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A page of a scanned document: paper grey, a heading, lines of glyph-sized marks, a seal.
fn scan(width: u32, height: u32, rng: &mut Rng) -> GrayImage {
    let mut img = GrayImage::from_pixel(width, height, Luma([236]));
    let unit = width as f32 / 210.0; // pixels per mm
    let glyph = (4.2 * unit) as u32;
    let mut y = (30.0 * unit) as u32;
    let left = (25.0 * unit) as u32;
    let right = width - (20.0 * unit) as u32;
    // Title: larger marks, centred.
    let title_w = glyph * 2 * 10;
    draw_marks(&mut img, (width - title_w) / 2, y, title_w, glyph * 2, glyph * 2, rng);
    y += glyph * 5;
    while y + glyph < height - (40.0 * unit) as u32 {
        let len = if rng.below(7) == 0 { (right - left) / 3 + rng.below(u64::from((right - left) / 2)) as u32 } else { right - left };
        draw_marks(&mut img, left, y, len, glyph, glyph, rng);
        y += glyph * 2;
        if rng.below(9) == 0 {
            y += glyph;
        }
    }
    // Scanner noise and a slight uneven exposure.
    for (x, yy, p) in img.enumerate_pixels_mut() {
        let n = rng.below(17) as i32 - 8;
        let shade = ((x + yy) % 997) as i32 / 200;
        p.0[0] = (i32::from(p.0[0]) + n - shade).clamp(0, 255) as u8;
    }
    img
}

fn draw_marks(img: &mut GrayImage, x0: u32, y0: u32, len: u32, glyph: u32, advance: u32, rng: &mut Rng) {
    let mut x = x0;
    while x + glyph <= x0 + len && x + glyph < img.width() {
        // A glyph-ish cluster of strokes.
        for _ in 0..4 {
            let horizontal = rng.below(2) == 0;
            let (sx, sy) = (x + rng.below(u64::from(glyph / 2)) as u32, y0 + rng.below(u64::from(glyph / 2)) as u32);
            let (w, h) = if horizontal { (glyph / 2 + rng.below(u64::from(glyph / 2)) as u32, (glyph / 10).max(1)) } else { ((glyph / 10).max(1), glyph / 2 + rng.below(u64::from(glyph / 2)) as u32) };
            for yy in sy..(sy + h).min(img.height()) {
                for xx in sx..(sx + w).min(img.width()) {
                    img.put_pixel(xx, yy, Luma([40]));
                }
            }
        }
        x += advance;
    }
}

fn jpeg_of(img: &image::DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)).expect("encode jpeg");
    out
}

/// An APP1 Exif segment holding only the orientation tag, inserted after SOI.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // big-endian, IFD at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let mut seg = b"Exif\0\0".to_vec();
    seg.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((seg.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&seg);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A phone photo of a training room: stored 4:3 landscape, meant to be seen portrait.
fn photo(rng: &mut Rng) -> Vec<u8> {
    let (w, h) = (1200, 900);
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        // Stored turned: orientation 6 shows the stored right edge at the bottom, so the floor
        // is there, as a phone held upright writes it.
        let floor = x > w * 2 / 3;
        let base = if floor { [150, 120, 90] } else { [200, 205, 210] };
        let n = rng.below(9) as i32 - 4;
        let arrow = (y as i32 - h as i32 / 2).abs() < 40 && x > w / 2 && x < w - 100;
        let c = if arrow { [200, 30, 30] } else { base };
        *p = Rgb(c.map(|v| (v + n).clamp(0, 255) as u8));
    }
    with_orientation(&jpeg_of(&image::DynamicImage::ImageRgb8(img), 80), 6)
}

/// A screenshot with a transparent margin and a half-transparent watermark.
fn screenshot(w: u32, h: u32, alpha: bool, rng: &mut Rng) -> Vec<u8> {
    let mut img = RgbaImage::new(w, h);
    let margin = if alpha { w / 20 } else { 0 };
    for (x, y, p) in img.enumerate_pixels_mut() {
        let inside = x >= margin && y >= margin && x < w - margin && y < h - margin;
        let bar = y < margin + h / 10;
        let row = (y / (h / 16).max(1)).is_multiple_of(2);
        let mut c = if !inside { Rgba([0, 0, 0, 0]) } else if bar { Rgba([30, 90, 170, 255]) } else if row { Rgba([250, 250, 250, 255]) } else { Rgba([235, 240, 245, 255]) };
        if alpha && inside && (x as i32 - (w / 2) as i32).abs() + (y as i32 - (h / 2) as i32).abs() < (h / 4) as i32 {
            c = Rgba([220, 40, 40, 128]);
        }
        *p = c;
    }
    let _ = rng.below(1);
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).expect("png");
    out
}

fn tiff_pages(pages: &[GrayImage]) -> Vec<u8> {
    use tiff::encoder::{TiffEncoder, colortype::Gray8, compression::Lzw};
    let mut out = Cursor::new(Vec::new());
    let mut enc = TiffEncoder::new(&mut out).expect("tiff").with_compression(tiff::encoder::Compression::Lzw);
    let _ = Lzw;
    for p in pages {
        enc.write_image::<Gray8>(p.width(), p.height(), p.as_raw()).expect("tiff page");
    }
    out.into_inner()
}

/// A vector-only PDF (no fonts): per page a frame, a title bar, text-like lines and a red seal.
/// `sizes` are (width, height, rotate) in points.
fn vector_pdf(sizes: &[(f32, f32, i64)], rng: &mut Rng) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for &(w, h, rotate) in sizes {
        let mut ops = format!("0.5 w 0 0 0 RG 20 20 {} {} re S\n", w - 40.0, h - 40.0);
        ops.push_str(&format!("0.2 0.2 0.2 rg {} {} {} 14 re f\n", w * 0.3, h - 70.0, w * 0.4));
        let mut y = h - 110.0;
        while y > 120.0 {
            let len = if rng.below(6) == 0 { (w - 120.0) * 0.5 } else { w - 120.0 };
            ops.push_str(&format!("0.35 g 60 {y} {len} 6 re f\n"));
            y -= 18.0;
        }
        // The seal: a red ring of Bézier quarter circles.
        let (cx, cy, r, k) = (w - 130.0, 140.0, 45.0, 45.0 * 0.5523);
        ops.push_str(&format!(
            "0.8 0 0 RG 3 w {} {cy} m {} {} {} {} {cx} {} c {} {} {} {} {} {cy} c {} {} {} {} {cx} {} c {} {} {} {} {} {cy} c S\n",
            cx + r, cx + r, cy + k, cx + k, cy + r, cy + r,
            cx - k, cy + r, cx - r, cy + k, cx - r,
            cx - r, cy - k, cx - k, cy - r, cy - r,
            cx + k, cy - r, cx + r, cy - k, cx + r
        ));
        let content = doc.add_object(Stream::new(dictionary! {}, ops.into_bytes()));
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
            "Contents" => content,
            "Resources" => dictionary! {},
        };
        if rotate != 0 {
            page.set("Rotate", rotate);
        }
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let count = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save pdf");
    out
}

/// A minimal MP4 (ftyp + empty mdat): enough to be recognised as a video and carried.
fn video() -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&24u32.to_be_bytes());
    v.extend_from_slice(b"ftypisom\0\0\x02\0isomiso2");
    v.extend_from_slice(&8u32.to_be_bytes());
    v.extend_from_slice(b"mdat");
    v
}

fn a4(dpi: u32) -> (u32, u32) {
    ((210.0 * dpi as f32 / 25.4).round() as u32, (297.0 * dpi as f32 / 25.4).round() as u32)
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("{:>9} 字节  {}", bytes.len(), path.display());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("placeholders") => {
            for dir in &args[1..] {
                let evidence = Path::new(dir).join("evidence");
                let mut names: Vec<_> = std::fs::read_dir(&evidence).expect("evidence dir").filter_map(Result::ok).map(|e| e.path()).collect();
                names.sort();
                for path in names {
                    // Never write through a symlink (a fixture points one out of the folder).
                    if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
                        continue;
                    }
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let mut rng = Rng::new(&name);
                    match path.extension().and_then(|e| e.to_str()) {
                        Some("pdf") => write(&path, &vector_pdf(&[(595.0, 842.0, 0)], &mut rng)),
                        Some("png") => write(&path, &screenshot(480, 300, false, &mut rng)),
                        _ => {}
                    }
                }
            }
        }
        Some("scans") => {
            let dir = Path::new(args.get(1).expect("DIR"));
            let dpi: u32 = args.get(2).and_then(|d| d.parse().ok()).unwrap_or(100);
            std::fs::create_dir_all(dir).expect("dir");
            let mut rng = Rng::new("scans");
            let (w, h) = a4(dpi);
            write(&dir.join("01-营业执照.jpg"), &jpeg_of(&image::DynamicImage::ImageLuma8(scan(w, h, &mut rng)), 60));
            write(&dir.join("29-实训教学照片.jpg"), &photo(&mut rng));
            write(&dir.join("21-管理平台截图.png"), &screenshot(640, 400, true, &mut rng));
            let (tw, th) = a4(dpi.min(100));
            // Bilevel, as document scanners write multi-page TIFF.
            let bilevel = |mut g: GrayImage| {
                g.pixels_mut().for_each(|p| p.0[0] = if p.0[0] < 128 { 0 } else { 255 });
                g
            };
            let pages = [bilevel(scan(tw, th, &mut rng)), bilevel(scan(tw, th, &mut rng))];
            write(&dir.join("05-劳动合同及社保证明.tif"), &tiff_pages(&pages));
            write(&dir.join("04-管理制度汇编.pdf"), &vector_pdf(&[(595.0, 842.0, 0), (842.0, 595.0, 0), (595.0, 842.0, 90)], &mut rng));
            write(&dir.join("30-公益培训活动视频.mp4"), &video());
        }
        Some("bench") => {
            // The Dalian city fixture with N more evidence scans and a 100-page vector PDF.
            let out = Path::new(args.get(1).expect("OUT"));
            let n: usize = args.get(2).and_then(|d| d.parse().ok()).unwrap_or(160);
            let mut json = support::fixture_copy("dalian-2023-city", out);
            let dir = out.join("evidence/scans");
            std::fs::create_dir_all(&dir).expect("dir");
            let (w, h) = a4(200);
            let sections = ["qualifications", "staff", "facilities", "training", "service", "reputation"];
            let items = json["evidence"].as_array_mut().expect("evidence list");
            for i in 0..n {
                let mut rng = Rng::new(&format!("bench{i}"));
                let name = format!("scan-{i:03}.jpg");
                write(&dir.join(&name), &jpeg_of(&image::DynamicImage::ImageLuma8(scan(w, h, &mut rng)), 75));
                items.push(serde_json::json!({"id": format!("S{i:03}"), "title": format!("扫描件 {}", i + 1), "file": format!("evidence/scans/{name}"), "section": sections[i % sections.len()]}));
            }
            let mut rng = Rng::new("bench-pdf");
            write(&dir.join("vector-100.pdf"), &vector_pdf(&vec![(595.0, 842.0, 0); 100], &mut rng));
            items.push(serde_json::json!({"id": "V100", "title": "培训档案汇编（100 页）", "file": "evidence/scans/vector-100.pdf", "section": "training"}));
            support::write_dossier(out, &json);
        }
        _ => eprintln!("用法：gen_evidence placeholders FIXTURE_DIR... | scans DIR DPI | bench OUT N"),
    }
}
