//! What an evidence file really is: its type by its first bytes (never by its extension), and
//! what binding it into the volume needs — pages and their sizes, pixel dimensions, EXIF
//! orientation, colour. `check` reads this to refuse files that cannot be bound, the render
//! stage to bind them, so a file `check` passes is one `build` can print.

/// The largest evidence file read (a scanned contract is a few MB; a video may be large but is
/// only carried, never read through).
pub const MAX_EVIDENCE_BYTES: u64 = 512 * 1024 * 1024;
/// Pixels of one image: 200 dpi A0 is about 9,400 × 6,600; beyond this a file is not a scan.
pub const MAX_PIXELS: u64 = 120_000_000;
pub const MAX_SIDE: u32 = 30_000;
/// Pages of one PDF or TIFF bound into the volume.
pub const MAX_PAGES: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    /// Images we cannot bind: the applicant exports them as JPEG.
    Heic,
    Webp,
    Gif,
    Bmp,
    Video,
    /// An office document, an archive, text: carried as an electronic item only.
    Other,
}

impl Kind {
    /// A short code for machine formats (an inventory's `type`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Jpeg => "jpeg",
            Kind::Png => "png",
            Kind::Tiff => "tiff",
            Kind::Heic => "heic",
            Kind::Webp => "webp",
            Kind::Gif => "gif",
            Kind::Bmp => "bmp",
            Kind::Video => "video",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF 文档",
            Kind::Jpeg => "JPEG 图片",
            Kind::Png => "PNG 图片",
            Kind::Tiff => "TIFF 图片",
            Kind::Heic => "HEIC/HEIF 图片",
            Kind::Webp => "WebP 图片",
            Kind::Gif => "GIF 图片",
            Kind::Bmp => "BMP 图片",
            Kind::Video => "视频",
            Kind::Other => "其他文件",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Jpeg => "JPEG image",
            Kind::Png => "PNG image",
            Kind::Tiff => "TIFF image",
            Kind::Heic => "HEIC/HEIF image",
            Kind::Webp => "WebP image",
            Kind::Gif => "GIF image",
            Kind::Bmp => "BMP image",
            Kind::Video => "video",
            Kind::Other => "other file",
        }
    }

    /// The extensions a file of this kind normally has (lowercase).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Pdf => &["pdf"],
            Kind::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            Kind::Png => &["png"],
            Kind::Tiff => &["tif", "tiff"],
            Kind::Heic => &["heic", "heif", "avif"],
            Kind::Webp => &["webp"],
            Kind::Gif => &["gif"],
            Kind::Bmp => &["bmp"],
            Kind::Video => &["mp4", "mov", "m4v", "avi", "wmv", "asf", "mkv", "webm", "flv", "3gp", "mpg", "mpeg", "ts", "m2ts"],
            Kind::Other => &[],
        }
    }
}

/// The type of a file by its content.
pub fn sniff(bytes: &[u8]) -> Kind {
    let at = |i: usize, s: &[u8]| bytes.get(i..i + s.len()) == Some(s);
    // PDF readers accept the header anywhere in the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Kind::Pdf;
    }
    if at(0, &[0xFF, 0xD8, 0xFF]) {
        return Kind::Jpeg;
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Kind::Png;
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        return Kind::Tiff;
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Kind::Gif;
    }
    if at(0, b"BM") && bytes.len() > 26 {
        return Kind::Bmp;
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Kind::Webp;
    }
    if at(0, b"RIFF") && (at(8, b"AVI ") || at(8, b"WAVE")) {
        return Kind::Video;
    }
    if at(4, b"ftyp") {
        let brand = bytes.get(8..12).unwrap_or_default();
        return match brand {
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif" | b"avis" => Kind::Heic,
            _ => Kind::Video,
        };
    }
    if at(0, &[0x1A, 0x45, 0xDF, 0xA3])
        || at(0, &[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11])
        || at(0, b"FLV")
        || at(0, &[0x00, 0x00, 0x01, 0xBA])
        || at(0, &[0x00, 0x00, 0x01, 0xB3])
        || (bytes.len() >= 189 && bytes[0] == 0x47 && bytes[188] == 0x47)
    {
        return Kind::Video;
    }
    Kind::Other
}

/// One page as it will be printed, in PDF points, after /Rotate or EXIF orientation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

/// How a JPEG is passed through: it is never decoded, so the PDF needs what the decoder would
/// otherwise find out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jpeg {
    pub width: u32,
    pub height: u32,
    /// 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK.
    pub components: u8,
    /// An Adobe APP14 marker: Adobe's CMYK JPEGs store inverted values.
    pub adobe: bool,
    /// EXIF orientation 1–8 (1 when absent).
    pub orientation: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Printable {
    /// With the names of the fonts it uses without embedding them.
    Pdf { unembedded_fonts: Vec<String> },
    Jpeg(Jpeg),
    /// Decoded at render; orientation from EXIF where the format carries it.
    Png { orientation: u8 },
    Tiff,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub kind: Kind,
    /// Empty for electronic items (video, other files).
    pub pages: Vec<PageSize>,
    pub printable: Option<Printable>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Empty,
    TooLarge(u64),
    /// Cannot be read as the type its content says; the reader's words.
    Damaged(Kind, String),
    Encrypted,
    NoPages,
    TooManyPages(usize),
    /// Pixel dimensions beyond any scan.
    Dimensions(u32, u32),
    /// A format the volume cannot hold: export as JPEG.
    Unsupported(Kind),
}

impl Problem {
    pub fn message(&self) -> (String, String) {
        match self {
            Problem::Empty => ("文件为空（0 字节）".into(), "the file is empty (0 bytes)".into()),
            Problem::TooLarge(n) => (
                format!("文件 {} MB，超过 {} MB 上限", n / 1_048_576, MAX_EVIDENCE_BYTES / 1_048_576),
                format!("the file is {} MB, above the {} MB limit", n / 1_048_576, MAX_EVIDENCE_BYTES / 1_048_576),
            ),
            Problem::Damaged(kind, why) => (
                format!("文件内容是{}，但已损坏，无法读取（{why}）", kind.label()),
                format!("the file is a {} but damaged and cannot be read ({why})", kind.label_en()),
            ),
            Problem::Encrypted => (
                "PDF 已加密或设有密码，无法装订进申报材料".into(),
                "the PDF is encrypted or password-protected and cannot be bound into the volume".into(),
            ),
            Problem::NoPages => ("PDF 没有任何页面".into(), "the PDF has no pages".into()),
            Problem::TooManyPages(n) => (
                format!("文件有 {n} 页，超过单个佐证材料 {MAX_PAGES} 页上限"),
                format!("the file has {n} pages, above the {MAX_PAGES} pages allowed for one item"),
            ),
            Problem::Dimensions(w, h) => (
                format!("图片尺寸 {w} × {h} 像素，超出扫描件的合理范围（单边不超过 {MAX_SIDE}，总像素不超过 {} 万）", MAX_PIXELS / 10_000),
                format!("the image is {w} × {h} pixels, beyond any scan (at most {MAX_SIDE} a side and {} million pixels)", MAX_PIXELS / 1_000_000),
            ),
            Problem::Unsupported(kind) => (
                format!("{}无法装订进 PDF", kind.label()),
                format!("a {} cannot be bound into the PDF", kind.label_en()),
            ),
        }
    }

    pub fn hint(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Problem::Unsupported(Kind::Heic) => Some((
                "请在手机或电脑上将照片导出为 JPEG（“兼容性最佳”格式）后再引用",
                "export the photo as JPEG (“Most Compatible” on iPhone) and reference that file",
            )),
            Problem::Unsupported(_) => Some(("请将图片另存为 JPEG 或 PNG 后再引用", "save the image as JPEG or PNG and reference that file")),
            Problem::Encrypted => Some((
                "请去除密码后重新导出 PDF（“打印为 PDF”即可），或提供扫描件",
                "remove the password and export the PDF again (printing to PDF does it), or give a scan",
            )),
            Problem::Damaged(..) | Problem::Empty => Some(("请重新扫描或重新导出该文件", "scan or export the file again")),
            _ => None,
        }
    }
}

/// Read what binding needs. Images are checked through to their pixels where the render will
/// decode them (PNG, TIFF), so a file that passes here renders.
pub fn probe(bytes: &[u8]) -> Result<Media, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Empty);
    }
    if bytes.len() as u64 > MAX_EVIDENCE_BYTES {
        return Err(Problem::TooLarge(bytes.len() as u64));
    }
    let kind = sniff(bytes);
    let electronic = |kind| Ok(Media { kind, pages: Vec::new(), printable: None });
    match kind {
        Kind::Pdf => {
            let doc = load_pdf(bytes)?;
            let pages = pdf_pages(&doc)?;
            Ok(Media { kind, pages, printable: Some(Printable::Pdf { unembedded_fonts: unembedded_fonts(&doc) }) })
        }
        Kind::Jpeg => match probe_jpeg_head(bytes, bytes.len() as u64) {
            Some(probed) => probed,
            None => Err(Problem::Damaged(kind, jpeg_info(bytes).err().unwrap_or_default())),
        },
        Kind::Png => {
            use image::ImageDecoder;
            // IHDR is the first chunk: the claimed size, before any decoder allocates for it.
            if let Some(ihdr) = bytes.get(16..24) {
                let w = u32::from_be_bytes([ihdr[0], ihdr[1], ihdr[2], ihdr[3]]);
                let h = u32::from_be_bytes([ihdr[4], ihdr[5], ihdr[6], ihdr[7]]);
                dimensions(w, h)?;
            }
            let mut decoder = image::codecs::png::PngDecoder::new(std::io::Cursor::new(bytes)).map_err(|e| Problem::Damaged(kind, e.to_string()))?;
            let (w, h) = decoder.dimensions();
            dimensions(w, h)?;
            let orientation = decoder.orientation().map_or(1, orientation_code);
            check_png(bytes).map_err(|e| Problem::Damaged(kind, e))?;
            Ok(Media { kind, pages: vec![pixels_to_page(w, h, orientation)], printable: Some(Printable::Png { orientation }) })
        }
        Kind::Tiff => {
            let pages = tiff_walk(bytes, None)?;
            Ok(Media { kind, pages, printable: Some(Printable::Tiff) })
        }
        Kind::Heic | Kind::Webp | Kind::Gif | Kind::Bmp => Err(Problem::Unsupported(kind)),
        Kind::Video | Kind::Other => electronic(kind),
    }
}

/// A JPEG probed from its first bytes when its markers lie there (the file's length given):
/// it is bound undecoded, so nothing after its frame header is ever read. None when the head
/// is not a JPEG or does not reach that far.
pub fn probe_jpeg_head(head: &[u8], len: u64) -> Option<Result<Media, Problem>> {
    if sniff(head) != Kind::Jpeg {
        return None;
    }
    if len > MAX_EVIDENCE_BYTES {
        return Some(Err(Problem::TooLarge(len)));
    }
    let info = jpeg_info(head).ok()?;
    Some(dimensions(info.width, info.height).map(|()| Media {
        kind: Kind::Jpeg,
        pages: vec![pixels_to_page(info.width, info.height, info.orientation)],
        printable: Some(Printable::Jpeg(info)),
    }))
}

fn dimensions(w: u32, h: u32) -> Result<(), Problem> {
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Problem::Dimensions(w, h));
    }
    Ok(())
}

/// Scans carry no trustworthy resolution (phones write 72 dpi): print them at 200 dpi, the
/// usual scanning resolution; the layout scales every page to the type area anyway.
fn pixels_to_page(w: u32, h: u32, orientation: u8) -> PageSize {
    let (w, h) = (w as f32 * 72.0 / 200.0, h as f32 * 72.0 / 200.0);
    if (5..=8).contains(&orientation) { PageSize { width: h, height: w } } else { PageSize { width: w, height: h } }
}

fn orientation_code(o: image::metadata::Orientation) -> u8 {
    use image::metadata::Orientation::*;
    match o {
        NoTransforms => 1,
        FlipHorizontal => 2,
        Rotate180 => 3,
        FlipVertical => 4,
        Rotate90FlipH => 5,
        Rotate90 => 6,
        Rotate270FlipH => 7,
        Rotate270 => 8,
    }
}

/// The JPEG's frame header, Adobe marker and EXIF orientation, read from its markers: the
/// file is passed into the PDF as it is, so nothing else of it is needed.
pub fn jpeg_info(bytes: &[u8]) -> Result<Jpeg, String> {
    use image::ImageDecoder;
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_or(1, orientation_code);
    let mut i = 2;
    let mut adobe = false;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err("标记结构错误".into());
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let body = bytes.get(i + 4..i + 2 + len).ok_or("文件在标记中截断")?;
        if marker == 0xEE && body.starts_with(b"Adobe") {
            adobe = true;
        }
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if body.len() < 6 {
                return Err("帧头过短".into());
            }
            let height = u32::from(u16::from_be_bytes([body[1], body[2]]));
            let width = u32::from(u16::from_be_bytes([body[3], body[4]]));
            let components = body[5];
            if body[0] != 8 {
                return Err(format!("每分量 {} 位，PDF 只接受 8 位 JPEG", body[0]));
            }
            if !matches!(components, 1 | 3 | 4) {
                return Err(format!("{components} 个颜色分量"));
            }
            if height == 0 {
                return Err("帧头未给出图片高度".into());
            }
            return Ok(Jpeg { width, height, components, adobe, orientation });
        }
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    Err("没有帧头".into())
}

/// Pixels of a PNG with its alpha split off: (width, height, colour channels, colour bytes,
/// alpha bytes). 16-bit samples are reduced to 8.
pub type Pixels = (u32, u32, u8, Vec<u8>, Option<Vec<u8>>);

pub fn decode_png(bytes: &[u8]) -> Result<Pixels, String> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png);
    reader.limits(limits());
    let img = reader.decode().map_err(|e| e.to_string())?;
    Ok(split_alpha(img))
}

/// Proves that every pixel of a PNG decodes, as `decode_png` would, without keeping them: the
/// rows pass through one reused buffer, with none of `decode_png`'s conversions. Whatever this
/// path does not mirror exactly (a limit, an unusual depth, any error) goes to `decode_png`, so
/// the verdict and the reader's words are its own.
fn check_png(bytes: &[u8]) -> Result<(), String> {
    let rows = || -> Option<()> {
        // The settings `image` gives the png crate: its allocation limit, EXPAND, text chunks read.
        let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png::Limits { bytes: usize::try_from(MAX_PIXELS * 4).ok()? });
        decoder.set_ignore_text_chunk(false);
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().ok()?;
        let (colour, depth) = reader.output_color_type();
        if colour == png::ColorType::Indexed || !matches!(depth, png::BitDepth::Eight | png::BitDepth::Sixteen) {
            return None;
        }
        // `image` refuses an output buffer beyond its max_alloc before decoding.
        if reader.output_buffer_size()? as u64 > MAX_PIXELS * 4 {
            return None;
        }
        while reader.next_row().ok()?.is_some() {}
        Some(())
    };
    match rows() {
        Some(()) => Ok(()),
        None => decode_png(bytes).map(drop),
    }
}

fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_PIXELS * 4);
    l
}

fn split_alpha(img: image::DynamicImage) -> Pixels {
    let (w, h, channels, colour, alpha) = split_channels(img);
    // An opaque alpha channel is no mask.
    (w, h, channels, colour, alpha.filter(|a| a.iter().any(|&v| v != 255)))
}

fn split_channels(img: image::DynamicImage) -> Pixels {
    let (w, h) = (img.width(), img.height());
    let colour = img.color();
    let grey = matches!(colour, image::ColorType::L8 | image::ColorType::L16 | image::ColorType::La8 | image::ColorType::La16);
    let alpha = colour.has_alpha();
    match (grey, alpha) {
        (true, false) => (w, h, 1, img.into_luma8().into_raw(), None),
        (false, false) => (w, h, 3, img.into_rgb8().into_raw(), None),
        (true, true) => {
            let la = img.into_luma_alpha8().into_raw();
            (w, h, 1, la.iter().step_by(2).copied().collect(), Some(la.iter().skip(1).step_by(2).copied().collect()))
        }
        (false, true) => {
            // Into buffers sized once, pixel by pixel in step: collecting grew them as it went.
            let rgba = img.into_rgba8().into_raw();
            let n = rgba.len() / 4;
            let (mut rgb, mut alpha) = (vec![0u8; n * 3], vec![0u8; n]);
            for ((p, c), a) in rgba.chunks_exact(4).zip(rgb.chunks_exact_mut(3)).zip(alpha.iter_mut()) {
                c.copy_from_slice(&p[..3]);
                *a = p[3];
            }
            (w, h, 3, rgb, Some(alpha))
        }
    }
}

/// Every page of a TIFF, decoded (scanners write multi-page files, bilevel ones in CCITT G4),
/// handed to `each` as (width, height, channels, 8-bit samples).
/// A bilevel TIFF page compressed as CCITT Group 4 in one strip, as scanners write it: PDF
/// decodes the same data (`/CCITTFaxDecode`), so it is bound without re-encoding.
pub struct Group4 {
    pub columns: u32,
    pub rows: u32,
    /// PhotometricInterpretation 1 (BlackIsZero): the decoded bits are read inverted.
    pub black_is_zero: bool,
    pub data: Vec<u8>,
}

/// The page's Group 4 strip, when the page is one PDF can take as it is.
fn group4<R: std::io::Read + std::io::Seek>(decoder: &mut tiff::decoder::Decoder<R>, bytes: &[u8], (w, h): (u32, u32)) -> Option<Group4> {
    use tiff::tags::Tag;
    let tag = |d: &mut tiff::decoder::Decoder<R>, t: Tag, default: u32| d.find_tag(t).ok().flatten().and_then(|v| v.into_u32().ok()).unwrap_or(default);
    if tag(decoder, Tag::Compression, 1) != 4 || tag(decoder, Tag::BitsPerSample, 1) != 1 || tag(decoder, Tag::FillOrder, 1) != 1 {
        return None;
    }
    // T6Options bit 1: uncompressed mode, which PDF readers need not support.
    if tag(decoder, Tag::Unknown(293), 0) != 0 {
        return None;
    }
    let photometric = tag(decoder, Tag::PhotometricInterpretation, 0);
    let offsets = decoder.get_tag_u64_vec(Tag::StripOffsets).ok()?;
    let counts = decoder.get_tag_u64_vec(Tag::StripByteCounts).ok()?;
    let (&[offset], &[count]) = (offsets.as_slice(), counts.as_slice()) else { return None };
    let data = bytes.get(usize::try_from(offset).ok()?..usize::try_from(offset.checked_add(count)?).ok()?)?;
    (photometric <= 1).then(|| Group4 { columns: w, rows: h, black_is_zero: photometric == 1, data: data.to_vec() })
}

/// An 8-bit grey or RGB TIFF page in one LZW strip, predictor none, that yields exactly its
/// pixels and then its end code: PDF's `/LZWDecode` is TIFF's LZW (ISO 32000 7.4.4, EarlyChange
/// 1), so it is bound as it is, neither decoded nor deflated again.
pub struct Lzw {
    pub columns: u32,
    pub rows: u32,
    pub channels: u8,
    pub data: Vec<u8>,
}

/// A page PDF takes in the compression the scanner wrote.
pub enum Strip {
    Group4(Group4),
    Lzw(Lzw),
}

/// The page's LZW strip, when it can be bound as it is.
fn lzw_as_is<R: std::io::Read + std::io::Seek>(decoder: &mut tiff::decoder::Decoder<R>, bytes: &[u8], (w, h): (u32, u32), colour: tiff::ColorType) -> Option<Lzw> {
    use tiff::tags::Tag;
    let (channels, photometric) = match colour {
        tiff::ColorType::Gray(8) => (1u8, 1),
        tiff::ColorType::RGB(8) => (3, 2),
        _ => return None,
    };
    for (tag, value) in [(Tag::Compression, 5), (Tag::PhotometricInterpretation, photometric)] {
        if tag_is(decoder, tag, &[]) != Some(value) {
            return None;
        }
    }
    for tag in [Tag::Predictor, Tag::PlanarConfiguration, Tag::FillOrder, Tag::SampleFormat] {
        if tag_is(decoder, tag, &[1]) != Some(1) {
            return None;
        }
    }
    let offsets = decoder.get_tag_u64_vec(Tag::StripOffsets).ok()?;
    let counts = decoder.get_tag_u64_vec(Tag::StripByteCounts).ok()?;
    let (&[offset], &[count]) = (offsets.as_slice(), counts.as_slice()) else { return None };
    let data = bytes.get(usize::try_from(offset).ok()?..usize::try_from(offset.checked_add(count)?).ok()?)?;
    let pixels = (w as usize).checked_mul(h as usize)?.checked_mul(usize::from(channels))?;
    (lzw_walk(data, pixels + 1) == Walk::Ended(pixels)).then(|| Lzw { columns: w, rows: h, channels, data: data.to_vec() })
}

/// A tag's value, one or the same for every sample (`absent` when the file leaves it out and
/// that is the default), else None.
fn tag_is<R: std::io::Read + std::io::Seek>(decoder: &mut tiff::decoder::Decoder<R>, tag: tiff::tags::Tag, absent: &[u32]) -> Option<u32> {
    match decoder.find_tag(tag).ok()? {
        None => absent.first().copied(),
        Some(v) => match v.into_u32_vec().ok()?.as_slice() {
            [first, rest @ ..] if rest.iter().all(|v| v == first) => Some(*first),
            _ => None,
        },
    }
}

pub fn tiff_pages(bytes: &[u8], each: &mut dyn FnMut(Pixels, Option<Strip>) -> Result<(), String>) -> Result<Vec<PageSize>, Problem> {
    tiff_walk(bytes, Some(each))
}

/// What binding does with each decoded TIFF page.
type EachPage<'a> = &'a mut dyn FnMut(Pixels, Option<Strip>) -> Result<(), String>;

/// `tiff_pages`; without `each` (a probe) every page is still decoded and its length checked,
/// but no pixels are expanded, inverted or split.
fn tiff_walk(bytes: &[u8], mut each: Option<EachPage<'_>>) -> Result<Vec<PageSize>, Problem> {
    use tiff::decoder::{Decoder, DecodingResult};
    let damaged = |e: &dyn std::fmt::Display| Problem::Damaged(Kind::Tiff, e.to_string());
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    limits.intermediate_buffer_size = (MAX_PIXELS * 4) as usize;
    let mut decoder = Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?.with_limits(limits.clone());
    let mut pages = Vec::new();
    loop {
        let (w, h) = decoder.dimensions().map_err(|e| damaged(&e))?;
        dimensions(w, h)?;
        if pages.len() >= MAX_PAGES {
            return Err(Problem::TooManyPages(pages.len() + 1));
        }
        let colour = decoder.colortype().map_err(|e| damaged(&e))?;
        let white_is_zero = matches!(
            decoder.get_tag_u32(tiff::tags::Tag::PhotometricInterpretation),
            Ok(0)
        );
        // Only binding needs the strip; a probe skips its copy.
        let strip = match each.as_mut() {
            Some(each) => match group4(&mut decoder, bytes, (w, h)) {
                Some(g4) => Some(Strip::Group4(g4)),
                None => match lzw_as_is(&mut decoder, bytes, (w, h), colour) {
                    // Its codes walked to the end: it decodes, and to exactly its pixels.
                    Some(lzw) => {
                        let channels = lzw.channels;
                        each((w, h, channels, Vec::new(), None), Some(Strip::Lzw(lzw))).map_err(|e| damaged(&e))?;
                        pages.push(pixels_to_page(w, h, 1));
                        if !decoder.more_images() {
                            break;
                        }
                        decoder.next_image().map_err(|e| damaged(&e))?;
                        continue;
                    }
                    None => None,
                },
            },
            None => None,
        };
        // A probe of LZW strips follows their codes without writing out the pixels.
        let counted = if each.is_none() { lzw_strips(&mut decoder, bytes, colour, &limits) } else { None };
        let samples = match counted {
            Some(len) => Samples::Counted(len),
            // Decoded even when bound as it is: a damaged strip is found here, not by the reader.
            None => match decoder.read_image().map_err(|e| damaged(&e))? {
                DecodingResult::U8(v) => Samples::U8(v),
                DecodingResult::U16(v) => Samples::U16(v),
                _ => return Err(damaged(&"不支持的采样格式")),
            },
        };
        let (channels, bits) = match colour {
            tiff::ColorType::Gray(b) => (1u8, b),
            tiff::ColorType::RGB(b) => (3, b),
            tiff::ColorType::RGBA(b) => (4, b),
            other => return Err(damaged(&format!("不支持的颜色类型 {other:?}"))),
        };
        let expected = w as usize * h as usize * usize::from(channels.min(3));
        // The length the pixels come to once bound: a bilevel page expands to w × h samples,
        // four channels keep three of every four. Checked before anything is expanded, so a
        // probe need not expand at all.
        let samples_out = if bits == 1 { w as usize * h as usize } else { samples.len() };
        if (if channels == 4 { samples_out / 4 * 3 } else { samples_out }) != expected {
            return Err(damaged(&"像素数据长度不符"));
        }
        if let Some(each) = each.as_mut() {
            let samples: Vec<u8> = match samples {
                Samples::U8(v) => v,
                Samples::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
                // Only a probe counts, and a probe has no `each`.
                Samples::Counted(_) => return Err(damaged(&"像素数据未解码")),
            };
            let mut pixels = if bits == 1 {
                // Rows of packed bits, each row padded to a byte.
                let row = (w as usize).div_ceil(8);
                let mut out = Vec::with_capacity(w as usize * h as usize);
                for y in 0..h as usize {
                    for x in 0..w as usize {
                        let byte = samples.get(y * row + x / 8).copied().unwrap_or(0);
                        out.push(if byte & (0x80 >> (x % 8)) != 0 { 255 } else { 0 });
                    }
                }
                out
            } else {
                samples
            };
            if white_is_zero {
                pixels.iter_mut().for_each(|p| *p = 255 - *p);
            }
            let (colour_bytes, alpha) = if channels == 4 {
                (pixels.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(), Some(pixels.chunks_exact(4).map(|p| p[3]).collect()))
            } else {
                (pixels, None)
            };
            each((w, h, channels.min(3), colour_bytes, alpha), strip).map_err(|e| damaged(&e))?;
        }
        pages.push(pixels_to_page(w, h, 1));
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(|e| damaged(&e))?;
    }
    Ok(pages)
}

/// A page's decoded samples, before they are reduced to 8 bits; or, for a probe of LZW strips,
/// only how many there are.
enum Samples {
    U8(Vec<u8>),
    U16(Vec<u16>),
    Counted(usize),
}

impl Samples {
    fn len(&self) -> usize {
        match self {
            Samples::U8(v) => v.len(),
            Samples::U16(v) => v.len(),
            Samples::Counted(n) => *n,
        }
    }
}

/// The sample count `read_image` would return for this page, when its strips are 8-bit LZW and
/// each is shown to yield its bytes through valid codes. None whenever that is not shown: another
/// compression or layout, or a strip that may be damaged. The page is then decoded in full, so
/// a damaged file still fails with the decoder's own words; a yes here is one the decoder gives.
fn lzw_strips<R: std::io::Read + std::io::Seek>(
    decoder: &mut tiff::decoder::Decoder<R>,
    bytes: &[u8],
    colour: tiff::ColorType,
    limits: &tiff::decoder::Limits,
) -> Option<usize> {
    use tiff::tags::Tag;
    let samples = match colour {
        tiff::ColorType::Gray(8) => 1,
        tiff::ColorType::RGB(8) => 3,
        tiff::ColorType::RGBA(8) => 4,
        _ => return None,
    };
    // Tags the decoder would act on, each as the common case has it (absent means 1).
    let one_of = |d: &mut tiff::decoder::Decoder<R>, tag: Tag, allowed: &[u32]| tag_is(d, tag, &[1]).is_some_and(|v| allowed.contains(&v));
    if !(one_of(decoder, Tag::Compression, &[5])
        && one_of(decoder, Tag::PlanarConfiguration, &[1])
        && one_of(decoder, Tag::Predictor, &[1, 2])
        && one_of(decoder, Tag::SampleFormat, &[1]))
        || decoder.get_chunk_type() != tiff::decoder::ChunkType::Strip
    {
        return None;
    }
    let layout = decoder.image_buffer_layout().ok()?;
    let strips = usize::try_from(decoder.strip_count().ok()?).ok()?;
    let offsets = decoder.get_tag_u64_vec(Tag::StripOffsets).ok()?;
    let counts = decoder.get_tag_u64_vec(Tag::StripByteCounts).ok()?;
    if layout.len > limits.decoding_buffer_size || strips == 0 || offsets.len() < strips || counts.len() < strips {
        return None;
    }
    for (i, (&offset, &count)) in offsets.iter().zip(&counts).take(strips).enumerate() {
        let (w, rows) = decoder.chunk_data_dimensions(u32::try_from(i).ok()?);
        let needed = (w as usize).checked_mul(samples)?.checked_mul(rows as usize)?;
        if count > limits.intermediate_buffer_size as u64 {
            return None;
        }
        // The decoder reads `count` bytes from `offset`, or up to the end of the file.
        let start = usize::try_from(offset).ok().filter(|&o| o <= bytes.len())?;
        let end = usize::try_from(count).map_or(bytes.len(), |c| start.saturating_add(c).min(bytes.len()));
        if !lzw_yields(&bytes[start..end], needed) {
            return None;
        }
    }
    Some(layout.len)
}

/// How far a TIFF LZW stream (weezl's `with_tiff_size_switch(Msb, 8)`, as the tiff crate reads
/// it) reads through valid codes, stopping once it has yielded `enough` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Walk {
    Enough,
    /// Its end code, after this many bytes.
    Ended(usize),
    /// An invalid code, or the input ran out first.
    Broken,
}

/// Whether the stream yields `needed` bytes through valid codes. The decoder stops reading once
/// it has them, so what follows is never looked at.
fn lzw_yields(input: &[u8], needed: usize) -> bool {
    lzw_walk(input, needed) == Walk::Enough
}

/// Only code lengths are tracked, never bytes.
fn lzw_walk(input: &[u8], enough: usize) -> Walk {
    const CLEAR: u16 = 256;
    const END: u16 = 257;
    const FIRST: u16 = 258;
    const ENTRIES: u16 = 4096;
    // Each code's length in bytes; literals are one.
    let mut depth = [1u16; ENTRIES as usize];
    let (mut next, mut size, mut prev) = (FIRST, 9u32, None::<u16>);
    let (mut bits, mut held, mut at) = (0u64, 0u32, 0usize);
    let mut total = 0usize;
    loop {
        while held < size {
            let Some(&byte) = input.get(at) else { return Walk::Broken };
            bits = (bits << 8) | u64::from(byte);
            held += 8;
            at += 1;
        }
        held -= size;
        let code = ((bits >> held) & ((1 << size) - 1)) as u16;
        bits &= (1 << held) - 1;
        if code == CLEAR {
            (next, size, prev) = (FIRST, 9, None);
            continue;
        }
        if code == END {
            return Walk::Ended(total);
        }
        let len = match prev {
            // The first code after a reset is a literal.
            None if code < FIRST => 1,
            None => return Walk::Broken,
            Some(p) if code == next && next < ENTRIES => depth[usize::from(p)] + 1,
            Some(_) if code < next => depth[usize::from(code)],
            Some(_) => return Walk::Broken,
        };
        if let Some(p) = prev
            && next < ENTRIES
        {
            depth[usize::from(next)] = depth[usize::from(p)] + 1;
            // TIFF's early change: the width grows one code before the table needs it.
            if next >= (1 << size) - 2 && size < 12 {
                size += 1;
            }
            next += 1;
        }
        total += usize::from(len);
        if total >= enough {
            return Walk::Enough;
        }
        prev = Some(code);
    }
}

/// Each page's visible size (CropBox, else MediaBox, inherited through the page tree) after
/// its /Rotate.
fn pdf_pages(doc: &lopdf::Document) -> Result<Vec<PageSize>, Problem> {
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Problem::NoPages);
    }
    if pages.len() > MAX_PAGES {
        return Err(Problem::TooManyPages(pages.len()));
    }
    pages.values().map(|id| pdf_page_geometry(doc, *id).map(|g| g.shown())).collect::<Result<_, _>>().map_err(|e| Problem::Damaged(Kind::Pdf, e))
}

/// Names of the fonts a PDF uses without embedding them: a reviewer's computer substitutes them.
fn unembedded_fonts(doc: &lopdf::Document) -> Vec<String> {
    use lopdf::Object;
    let mut names: Vec<String> = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font".as_slice()) {
            continue;
        }
        // Type 0 fonts embed through their descendant; Type 3 fonts are drawn by the PDF itself.
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or_default();
        if subtype == b"Type0" || subtype == b"Type3" {
            continue;
        }
        let descriptor = dict.get(b"FontDescriptor").and_then(Object::as_reference).ok().and_then(|id| doc.get_dictionary(id).ok());
        if !descriptor.is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3")) {
            let name = dict.get(b"BaseFont").and_then(Object::as_name).map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

pub fn load_pdf(bytes: &[u8]) -> Result<lopdf::Document, Problem> {
    // lopdf opens files encrypted with an empty user password; a bound volume must not carry
    // either kind, so the trailer decides.
    let options = lopdf::LoadOptions { max_decompressed_size: Some(256 * 1024 * 1024), ..Default::default() };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword | lopdf::Error::AlreadyEncrypted => Problem::Encrypted,
        e => Problem::Damaged(Kind::Pdf, e.to_string()),
    })?;
    if doc.is_encrypted() || doc.was_encrypted() {
        return Err(Problem::Encrypted);
    }
    Ok(doc)
}

/// A page's box and rotation as the PDF gives them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfPage {
    /// [x0, y0, x1, y1] of the visible box.
    pub bbox: [f32; 4],
    /// 0, 90, 180 or 270.
    pub rotate: i64,
}

impl PdfPage {
    pub fn shown(&self) -> PageSize {
        let (w, h) = ((self.bbox[2] - self.bbox[0]).abs(), (self.bbox[3] - self.bbox[1]).abs());
        if self.rotate % 180 == 0 { PageSize { width: w, height: h } } else { PageSize { width: h, height: w } }
    }
}

pub fn pdf_page_geometry(doc: &lopdf::Document, page: lopdf::ObjectId) -> Result<PdfPage, String> {
    let inherited = |key: &[u8]| -> Option<lopdf::Object> {
        let mut id = page;
        for _ in 0..64 {
            let dict = doc.get_dictionary(id).ok()?;
            if let Ok(v) = dict.get(key) {
                return Some(match v {
                    lopdf::Object::Reference(r) => doc.get_object(*r).ok()?.clone(),
                    v => v.clone(),
                });
            }
            id = dict.get(b"Parent").and_then(lopdf::Object::as_reference).ok()?;
        }
        None
    };
    let as_box = |o: lopdf::Object| -> Option<[f32; 4]> {
        let a = o.as_array().ok()?;
        if a.len() != 4 {
            return None;
        }
        let mut b = [0.0; 4];
        for (slot, v) in b.iter_mut().zip(a) {
            let v = match v {
                lopdf::Object::Reference(r) => doc.get_object(*r).ok()?,
                v => v,
            };
            *slot = v.as_float().ok().or_else(|| v.as_i64().ok().map(|i| i as f32))?;
        }
        Some(b)
    };
    let media = inherited(b"MediaBox").and_then(as_box).unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let crop = inherited(b"CropBox").and_then(as_box).unwrap_or(media);
    let (w, h) = ((crop[2] - crop[0]).abs(), (crop[3] - crop[1]).abs());
    if !(w.is_finite() && h.is_finite()) || w < 1.0 || h < 1.0 || w > 14_400.0 || h > 14_400.0 {
        return Err(format!("页面尺寸 {w} × {h} 点无效"));
    }
    let rotate = inherited(b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0).rem_euclid(360);
    let rotate = if rotate % 90 == 0 { rotate } else { 0 };
    Ok(PdfPage { bbox: [crop[0].min(crop[2]), crop[1].min(crop[3]), crop[0].max(crop[2]), crop[1].max(crop[3])], rotate })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RGBA pixels split into colour and alpha planes, in order; an opaque alpha is no mask.
    #[test]
    fn rgba_splits_into_colour_and_alpha() {
        let px: Vec<u8> = (0..5 * 3 * 4).map(|i| (i * 37 % 256) as u8).collect();
        let img = image::DynamicImage::ImageRgba8(image::RgbaImage::from_raw(5, 3, px.clone()).unwrap());
        let (w, h, channels, rgb, alpha) = split_alpha(img);
        assert_eq!((w, h, channels), (5, 3, 3));
        assert_eq!(rgb, px.chunks(4).flat_map(|p| p[..3].to_vec()).collect::<Vec<u8>>());
        assert_eq!(alpha, Some(px.chunks(4).map(|p| p[3]).collect::<Vec<u8>>()));
        let opaque = image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(2, 2, image::Rgba([1, 2, 3, 255])));
        assert_eq!(split_alpha(opaque), (2, 2, 3, vec![1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], None));
    }

    #[test]
    fn type_is_read_from_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Kind::Jpeg);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Kind::Heic);
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Kind::Video);
        assert_eq!(sniff(b"hello"), Kind::Other);
        assert_eq!(probe(b""), Err(Problem::Empty));
        assert_eq!(probe(b"\0\0\0\x18ftypheic\0\0\0\0"), Err(Problem::Unsupported(Kind::Heic)));
        assert!(matches!(probe(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Err(Problem::Damaged(Kind::Jpeg, _))));
        assert!(matches!(probe(b"%PDF-1.4\nnonsense"), Err(Problem::Damaged(Kind::Pdf, _))));
        // A JPEG's head is enough; a head cut before its frame header is not.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/dalian-2023-district/evidence/29-实训教学照片.jpg");
        let mut jpeg = std::fs::read(path).unwrap();
        let head = probe_jpeg_head(&jpeg[..jpeg.len().min(64 * 1024)], jpeg.len() as u64).and_then(Result::ok).expect("frame header in the head");
        assert_eq!(probe(&jpeg), Ok(head));
        assert!(matches!(probe_jpeg_head(&jpeg, MAX_EVIDENCE_BYTES + 1), Some(Err(Problem::TooLarge(_)))));
        jpeg.truncate(8);
        assert_eq!(probe_jpeg_head(&jpeg, 1 << 20), None);
    }

    /// The probe skips the render's pixel conversions, never its verdict: whole files pass both
    /// ways, and a file cut anywhere fails the probe with the render's own words.
    #[test]
    fn probe_and_render_agree_on_every_cut() {
        let evidence = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/dalian-2023-district/evidence/");
        let png = std::fs::read(format!("{evidence}21-管理平台截图.png")).unwrap();
        assert!(decode_png(&png).is_ok() && check_png(&png).is_ok());
        for cut in [33, 60, png.len() / 3, png.len() / 2, png.len() - 20, png.len() - 1] {
            let mut bad = png[..cut].to_vec();
            assert_eq!(check_png(&bad), decode_png(&bad).map(drop), "PNG cut at {cut}");
            // A flipped byte in the compressed data: a checksum or inflate error.
            bad = png.clone();
            bad[cut.max(60)] ^= 0x5A;
            assert_eq!(check_png(&bad), decode_png(&bad).map(drop), "PNG damaged at {cut}");
        }
        let tiff = std::fs::read(format!("{evidence}05-劳动合同及社保证明.tif")).unwrap();
        let pages = tiff_pages(&tiff, &mut |_, _| Ok(())).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(probe(&tiff), Ok(Media { kind: Kind::Tiff, pages, printable: Some(Printable::Tiff) }));
        for cut in [100, tiff.len() / 4, tiff.len() / 2, tiff.len() - 10] {
            let bad = &tiff[..cut];
            assert_eq!(tiff_walk(bad, None), tiff_pages(bad, &mut |_, _| Ok(())), "TIFF cut at {cut}");
        }
    }

    /// tiff's LZWReader under `read_exact`: input fed from a 32 KB buffer, the output asked for
    /// until `needed` bytes are in.
    fn weezl_yields(input: &[u8], needed: usize) -> bool {
        use weezl::LzwStatus;
        let mut decoder = weezl::decode::Configuration::with_tiff_size_switch(weezl::BitOrder::Msb, 8).with_yield_on_full_buffer(true).build();
        let capacity = (32 * 1024).min(input.len());
        let (mut out, mut filled) = (vec![0u8; needed], 0);
        let (mut at, mut buffered) = (0, 0..0);
        for _ in 0..1_000_000 {
            if filled == needed {
                return true;
            }
            if buffered.is_empty() {
                buffered = at..(at + capacity).min(input.len());
                at = buffered.end;
            }
            let result = decoder.decode_bytes(&input[buffered.clone()], &mut out[filled..]);
            buffered.start += result.consumed_in;
            filled += result.consumed_out;
            match result.status {
                Ok(LzwStatus::Ok) => {}
                Ok(LzwStatus::Done) if result.consumed_out > 0 => {}
                _ => return filled == needed,
            }
        }
        panic!("the reference decoder made no progress");
    }

    fn xorshift(seed: &mut u64, n: u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed % n.max(1)
    }

    /// Pixels with runs and noise in proportion, so codes grow long and the table fills.
    fn pixels(seed: &mut u64, n: usize) -> Vec<u8> {
        let noise = xorshift(seed, 5);
        let mut value = 0u8;
        (0..n)
            .map(|_| {
                if xorshift(seed, 6) < noise {
                    value = xorshift(seed, 256) as u8;
                }
                value
            })
            .collect()
    }

    fn lzw_tiff(seed: &mut u64) -> Vec<u8> {
        use tiff::encoder::{Compression, TiffEncoder, colortype};
        let mut file = std::io::Cursor::new(Vec::new());
        let mut encoder = TiffEncoder::new(&mut file).unwrap().with_compression(Compression::Lzw);
        if xorshift(seed, 3) == 0 {
            encoder = encoder.with_predictor(tiff::tags::Predictor::Horizontal);
        }
        for _ in 0..1 + xorshift(seed, 2) {
            let (w, h) = (1 + xorshift(seed, 120) as u32, 1 + xorshift(seed, 90) as u32);
            let rows = 1 + xorshift(seed, u64::from(h) + 4) as u32;
            macro_rules! page {
                ($colour:ty, $channels:expr) => {{
                    let data = pixels(seed, (w * h) as usize * $channels);
                    let mut image = encoder.new_image::<$colour>(w, h).unwrap();
                    image.rows_per_strip(rows).unwrap();
                    image.write_data(&data).unwrap();
                }};
            }
            match xorshift(seed, 3) {
                0 => page!(colortype::Gray8, 1),
                1 => page!(colortype::RGB8, 3),
                _ => page!(colortype::RGBA8, 4),
            }
        }
        file.into_inner()
    }

    /// A page is bound as it is only when its one strip yields exactly its pixels and then its
    /// end code; then the strip holds the decoder's pixels. Anything else is decoded.
    #[test]
    fn an_lzw_page_is_bound_as_it_is_when_it_is_exactly_its_pixels() {
        use tiff::encoder::{Compression, TiffEncoder, colortype};
        let mut seed = 0x1234_5678_9ABC_DEF1;
        for case in 0..40 {
            let (w, h) = (1 + xorshift(&mut seed, 200) as u32, 1 + xorshift(&mut seed, 150) as u32);
            let rgb = case % 2 == 1;
            let data = pixels(&mut seed, (w * h) as usize * if rgb { 3 } else { 1 });
            let mut file = std::io::Cursor::new(Vec::new());
            let mut encoder = TiffEncoder::new(&mut file).unwrap().with_compression(Compression::Lzw);
            if rgb {
                encoder.write_image::<colortype::RGB8>(w, h, &data).unwrap();
            } else {
                let mut image = encoder.new_image::<colortype::Gray8>(w, h).unwrap();
                image.rows_per_strip(h).unwrap();
                image.write_data(&data).unwrap();
            }
            let tiff = file.into_inner();
            let one_strip = tiff::decoder::Decoder::new(std::io::Cursor::new(tiff.as_slice())).unwrap().strip_count().unwrap() == 1;
            let mut bound = None;
            tiff_pages(&tiff, &mut |(_, _, _, decoded, _), strip| {
                bound = Some(match strip {
                    Some(Strip::Lzw(lzw)) => {
                        assert!(decoded.is_empty(), "case {case}: bound as it is, so not decoded");
                        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).decode(&lzw.data).unwrap()
                    }
                    Some(Strip::Group4(_)) => panic!("case {case}: not a fax page"),
                    None => {
                        assert!(!one_strip, "case {case}: one strip, so bound as it is");
                        decoded
                    }
                });
                Ok(())
            })
            .unwrap();
            assert_eq!(bound.as_deref(), Some(data.as_slice()), "case {case}");
        }
        // A strip that goes on past its pixels, or stops short of its end code, is decoded.
        let data = pixels(&mut seed, 5_000);
        let lzw = |d: &[u8]| weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(d).unwrap();
        assert_eq!(lzw_walk(&lzw(&data), data.len() + 1), Walk::Ended(data.len()));
        assert_eq!(lzw_walk(&lzw(&[&data[..], b"more"].concat()), data.len() + 1), Walk::Enough);
        let whole = lzw(&data);
        assert_eq!(lzw_walk(&whole[..whole.len() - 2], data.len() + 1), Walk::Broken);
    }

    /// The code walk agrees with weezl itself: on whole streams, cut and damaged ones, for any
    /// number of bytes asked for, it says yes exactly when the decoder delivers them.
    #[test]
    fn lzw_walk_agrees_with_weezl() {
        let mut seed = 0x9E37_79B9_7F4A_7C15;
        let mut yes = 0;
        for case in 0..200 {
            let n = 1 + xorshift(&mut seed, 30_000) as usize;
            let data = pixels(&mut seed, n);
            let whole = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(&data).unwrap();
            for variant in 0..10 {
                let mut stream = whole.clone();
                match variant {
                    // Noise, after a clear code or not: mostly invalid codes, first ones too.
                    8 | 9 => {
                        stream = (0..1 + xorshift(&mut seed, 400)).map(|_| xorshift(&mut seed, 256) as u8).collect();
                        if variant == 9 {
                            stream.splice(0..2, [0x80, 0x00]);
                        }
                    }
                    0 => {}
                    1 => stream.truncate(xorshift(&mut seed, stream.len() as u64) as usize),
                    2..=4 => {
                        let at = xorshift(&mut seed, stream.len() as u64) as usize;
                        stream[at] ^= 1 << xorshift(&mut seed, 8);
                    }
                    5 => {
                        let at = xorshift(&mut seed, stream.len() as u64) as usize;
                        stream[at] = xorshift(&mut seed, 256) as u8;
                    }
                    _ => stream.extend((0..xorshift(&mut seed, 64)).map(|_| xorshift(&mut seed, 256) as u8)),
                }
                for needed in [1, n / 3 + 1, n - 1, n, n + 1, n + 5000].into_iter().filter(|&k| k > 0) {
                    let expected = weezl_yields(&stream, needed);
                    assert_eq!(lzw_yields(&stream, needed), expected, "case {case}, variant {variant}, {needed} bytes");
                    yes += usize::from(expected);
                }
            }
        }
        assert!(yes > 2_000, "too few streams decoded to test the yes: {yes}");
    }

    /// The probe's verdict on LZW TIFFs is the decoder's, cut or damaged anywhere, and on whole
    /// ones it is reached without decoding.
    #[test]
    fn lzw_probe_agrees_with_the_decoder() {
        let mut seed = 0x2545_F491_4F6C_DD1D;
        for case in 0..200 {
            let tiff = lzw_tiff(&mut seed);
            let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(tiff.as_slice())).unwrap();
            let colour = decoder.colortype().unwrap();
            assert!(lzw_strips(&mut decoder, &tiff, colour, &tiff::decoder::Limits::default()).is_some(), "case {case} was decoded, not counted");
            assert_eq!(tiff_walk(&tiff, None), tiff_pages(&tiff, &mut |_, _| Ok(())), "case {case}");
            for variant in 0..10 {
                let mut bad = tiff.clone();
                let at = xorshift(&mut seed, bad.len() as u64) as usize;
                match variant % 3 {
                    0 => bad.truncate(at),
                    1 => bad[at] ^= 1 << xorshift(&mut seed, 8),
                    _ => bad[at] = xorshift(&mut seed, 256) as u8,
                }
                assert_eq!(tiff_walk(&bad, None), tiff_pages(&bad, &mut |_, _| Ok(())), "case {case}, variant {variant}, byte {at}");
            }
        }
        // The fixture's scans are counted too.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/dalian-2023-district/evidence/05-劳动合同及社保证明.tif");
        let tiff = std::fs::read(path).unwrap();
        let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(tiff.as_slice())).unwrap();
        let colour = decoder.colortype().unwrap();
        assert!(lzw_strips(&mut decoder, &tiff, colour, &tiff::decoder::Limits::default()).is_some());
    }
}
