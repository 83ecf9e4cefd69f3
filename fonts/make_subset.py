#!/usr/bin/env python3
"""Helper for fonts/make-subset.sh (see fonts/README.md).

Sub-commands (all paths are explicit, nothing is guessed from the environment):

  charset OUT.txt REPO_DIR SEEDS_DIR
      Build the character list (one character per line, sorted by code point,
      UTF-8) that make-subset.sh hands to pyftsubset via --text-file.
  face-index TTC "Family Name"
      Print the index of the face whose name-table family (name ID 1) is
      "Family Name" inside the collection TTC (for pyftsubset --font-number).
  finish IN.otf OUT.ttf
      Convert pyftsubset's CFF output to TrueType (glyf) outlines and add the
      ballot boxes U+2610/U+2611/U+2612, which Noto CJK does not have.
  verify CHARSET.txt SOURCE.ttc INDEX SUBSET.ttf
      Check that the subset maps every listed character the source face maps,
      every character of the 8,105 list, and the synthesized ballot boxes.
  stats FONT...
      Print glyph count, cmap size and file size of each font.
  ofl OUT.txt DEBIAN_COPYRIGHT SOURCE.ttc INDEX [SOURCE.ttc INDEX ...]
      Write the OFL 1.1 text from the Debian package's copyright file, headed
      by the copyright notices (name ID 0) of the source faces.
  rename FONT.ttf FAMILY
      Give a subset a family name of its own (name IDs 1, 3, 4, 6, 16, 17, in
      every language): the OFL forbids a Modified Version to use the source's
      Reserved Font Names (LXGW WenKai reserves "LXGW" and "霞鹜").
  ofl-single OUT.txt DEBIAN_COPYRIGHT STANZA SOURCE.ttf
      Like ofl, for one face whose Debian copyright file names the licence
      STANZA (e.g. "OFL-1.1"); adds the Reserved Font Name statement.
"""

import bz2
import glob
import os
import sys
import unicodedata

UNIHAN_OTHER_MAPPINGS = os.environ.get(
    "UNIHAN_OTHER_MAPPINGS", "/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
# Structure of the 2013 list: level 1 = 1..3500, level 2 = 3501..6500,
# level 3 = 6501..8105.
TGH_LEVELS = (3500, 3000, 1605)
TGH_TOTAL = sum(TGH_LEVELS)  # 8105

# Ballot boxes synthesized by `finish` (not in Noto CJK): code point ->
# (base glyph char, mark char or None).
BALLOT = {
    0x2610: ("\u25a1", None),      # ☐ = □
    0x2611: ("\u25a1", "\u2713"),  # ☑ = □ + ✓
    0x2612: ("\u25a1", "\u00d7"),  # ☒ = □ + ×
}


def tgh_2013():
    """The 8,105 characters of 通用规范汉字表 (2013), in list order.

    Source: Unicode's Unihan database, field kTGH ("2013:<index>"), as shipped
    by Debian's unicode-data package.
    """
    by_index = {}
    with bz2.open(UNIHAN_OTHER_MAPPINGS, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] != "kTGH":
                continue
            for value in parts[2].split():
                year, index = value.split(":")
                if year == "2013":
                    index = int(index)
                    if index in by_index:
                        sys.exit(f"kTGH index {index} appears twice")
                    by_index[index] = chr(int(parts[0][2:], 16))
    if sorted(by_index) != list(range(1, TGH_TOTAL + 1)):
        sys.exit(f"kTGH: expected indices 1..{TGH_TOTAL}, got {len(by_index)} entries")
    chars = [by_index[i] for i in range(1, TGH_TOTAL + 1)]
    if len(set(chars)) != TGH_TOTAL:
        sys.exit("kTGH: duplicate characters")
    return chars


def gb2312():
    """Every character of GB 2312 (7,445: 6,763 hanzi + 682 symbols)."""
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def ranges(*spans):
    out = set()
    for a, b in spans:
        out.update(chr(c) for c in range(a, b + 1))
    return out


def fixed_extras():
    """Punctuation and symbols Chinese forms use, beyond the hanzi lists."""
    s = set()
    s |= ranges((0x0020, 0x007E))           # ASCII
    s |= ranges((0x00A0, 0x00FF))           # Latin-1: · × ÷ ± ° ¥ § ² ³ é …
    s |= ranges((0x2010, 0x2027),           # ‐ – — ‖ ‘ ’ “ ” † • ‥ … ‧
                (0x2030, 0x203B))           # ‰ ′ ″ ※
    s |= ranges((0x3000, 0x303F))           # CJK symbols: 、。〃〇《》「」【】〔〕〖〗…
    s |= ranges((0xFF01, 0xFF5E))           # full-width ASCII forms
    s |= ranges((0xFFE0, 0xFFE6))           # ￠ ￡ ￢ ￣ ￤ ￥ ￦
    s |= ranges((0x2460, 0x2473),           # ①–⑳
                (0x2474, 0x2487),           # ⑴–⒇
                (0x2488, 0x249B),           # ⒈–⒛
                (0x3220, 0x3229))           # ㈠–㈩
    s |= ranges((0x2160, 0x216B),           # Ⅰ–Ⅻ
                (0x2170, 0x217B))           # ⅰ–ⅻ
    s |= ranges((0xFE59, 0xFE5E))           # ﹙﹚﹛﹜﹝﹞ (document numbers)
    s |= set("○●□■△▲▽▼◇◆★☆√×÷±≤≥≠≈∶→←↑↓✓")
    s |= set("¥°℃℉№§‰²³")
    # Hanyu Pinyin with tone marks, upper and lower case (GB 2312 has only
    # the lower-case ones).
    s |= set("ĀÁǍÀāáǎàĒÉĚÈēéěèĪÍǏÌīíǐìŌÓǑÒōóǒòŪÚǓÙūúǔùǕǗǙǛǖǘǚǜÜüŃŇǸńňǹḾḿÊê")
    s |= set("\u33A1\u338E\u338F\u339C\u339D\u339E\u33C4\u33CE\u33D1\u33D2\u33D5")  # ㎡ ㎎ ㎏ ㎜ ㎝ ㎞ ㏄ ㏎ ㏑ ㏒ ㏕
    s |= set(chr(c) for c in BALLOT)        # ☐ ☑ ☒ (synthesized, see finish)
    return s


def read_text(path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # fixtures/invalid/gbk-encoding is deliberately not UTF-8.
        return data.decode("gb18030", errors="replace")


def data_files(repo, seeds):
    files = sorted(glob.glob(os.path.join(repo, "fixtures", "**", "*.yaml"), recursive=True))
    files += sorted(glob.glob(os.path.join(repo, "policies", "**", "*.yaml"), recursive=True))
    files += sorted(glob.glob(os.path.join(seeds, "*.txt")))
    return files


def wanted(ch):
    # Everything printable that is not plain ASCII control/format/private use.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def cmd_charset(out, repo, seeds):
    tgh = tgh_2013()
    chars = set(tgh) | gb2312() | fixed_extras()
    files = data_files(repo, seeds)
    if not os.path.isdir(seeds):
        print(f"warning: seeds folder {seeds} not found; its characters are not added",
              file=sys.stderr)
    from_data = set()
    for f in files:
        from_data |= {c for c in read_text(f) if ord(c) >= 0x20 and wanted(c)}
    new = from_data - chars
    chars |= from_data
    chars = sorted(c for c in chars if wanted(c) and c not in "\n\r\t\ufffd")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for c in chars:
            fh.write(c + "\n")
    han = sum(1 for c in chars if unicodedata.name(c, "").startswith("CJK UNIFIED"))
    print(f"charset: {len(chars)} characters ({han} CJK unified ideographs) -> {out}")
    print(f"  通用规范汉字表 2013 (Unihan kTGH): {len(tgh)}; GB 2312: 7445; "
          f"data files read: {len(files)}; characters only the data files add: "
          f"{len(new)} {''.join(sorted(new))}")


def read_charset(path):
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh if line.rstrip("\n")] + [" "]


def cmd_face_index(ttc, family):
    from fontTools.ttLib import TTCollection
    coll = TTCollection(ttc, lazy=True)
    for i, font in enumerate(coll.fonts):
        name = font["name"]
        fam = name.getDebugName(1)
        if fam == family:
            print(i)
            return
    sys.exit(f"no face with family {family!r} in {ttc}")


def cff_to_glyf(font):
    """Replace the CFF outlines of `font` by quadratic TrueType outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # max_err 1 font unit at 1000 upm; reverse: CFF is counter-clockwise.
        gs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()

    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    maxp.maxPoints = maxp.maxContours = 0
    maxp.maxCompositePoints = maxp.maxCompositeContours = 0

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and readers need none
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def synthesize_ballots(font):
    """Add ☐ ☑ ☒ built from the font's own □, ✓ and × outlines."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.pens.recordingPen import RecordingPen

    cmap = font.getBestCmap()
    gs = font.getGlyphSet()
    hmtx = font["hmtx"]
    order = list(font.getGlyphOrder())

    def bounds(glyph_name):
        bp = BoundsPen(gs)
        gs[glyph_name].draw(bp)
        return bp.bounds

    added = {}
    for cp, (base_ch, mark_ch) in sorted(BALLOT.items()):
        if cp in cmap:
            continue  # the source font has it: keep the designer's glyph
        base = cmap.get(ord(base_ch))
        if base is None:
            sys.exit(f"cannot synthesize U+{cp:04X}: base {base_ch} not in font")
        glyph_name = f"uni{cp:04X}"
        pen = TTGlyphPen(None)
        gs[base].draw(pen)
        # ☐ is drawn exactly like □, but gets a glyph of its own so that PDF
        # text extraction (ToUnicode maps glyph -> character) gives back ☐.
        if mark_ch is not None:
            mark = cmap.get(ord(mark_ch))
            if mark is None:
                sys.exit(f"cannot synthesize U+{cp:04X}: {mark_ch} not in font")
            # Inner counter of the square: the square's outline is two contours;
            # the inner one is the smaller bounding box.
            rec = RecordingPen()
            gs[base].draw(rec)
            contours, cur = [], []
            for op, args in rec.value:
                cur.append((op, args))
                if op in ("closePath", "endPath"):
                    contours.append(cur)
                    cur = []
            boxes = []
            for c in contours:
                bp = BoundsPen(None)
                for op, args in c:
                    getattr(bp, op)(*args)
                if bp.bounds:
                    boxes.append(bp.bounds)
            inner = min(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
            # Fit the mark into the counter, leaving 12% of the counter free
            # around it, keeping its aspect ratio.
            ix0, iy0, ix1, iy1 = inner
            margin = 0.12 * (ix1 - ix0)
            bx0, by0, bx1, by1 = ix0 + margin, iy0 + margin, ix1 - margin, iy1 - margin
            mx0, my0, mx1, my1 = bounds(mark)
            scale = min((bx1 - bx0) / (mx1 - mx0), (by1 - by0) / (my1 - my0))
            dx = (bx0 + bx1) / 2 - scale * (mx0 + mx1) / 2
            dy = (by0 + by1) / 2 - scale * (my0 + my1) / 2
            gs[mark].draw(TransformPen(pen, (scale, 0, 0, scale, dx, dy)))
        font["glyf"][glyph_name] = pen.glyph()
        order.append(glyph_name)
        hmtx[glyph_name] = hmtx[base]
        added[cp] = glyph_name

    font.setGlyphOrder(order)
    font["glyf"].glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for cp, glyph_name in added.items():
                table.cmap[cp] = glyph_name
    return added


def cmd_finish(src, out):
    from fontTools.ttLib import TTFont
    # Keep head.modified from the source so that re-runs give the same bytes.
    font = TTFont(src, recalcTimestamp=False)
    if "CFF " in font:
        cff_to_glyf(font)
    added = synthesize_ballots(font)
    font.save(out, reorderTables=True)
    print(f"  {os.path.basename(out)}: TrueType outlines; ballot boxes added: "
          + ", ".join(f"U+{cp:04X}" for cp in sorted(added)))


def cmd_verify(charset_path, source, index, subset):
    from fontTools.ttLib import TTFont
    chars = read_charset(charset_path)
    src_cmap = TTFont(source, fontNumber=int(index), lazy=True).getBestCmap()
    sub = TTFont(subset)
    sub_cmap = sub.getBestCmap()
    ok = True
    tgh = tgh_2013()
    missing_tgh = [c for c in tgh if ord(c) not in sub_cmap]
    if missing_tgh:
        ok = False
        print(f"  FAIL {subset}: {len(missing_tgh)} of the 8,105 missing: {''.join(missing_tgh)}")
    lost = [c for c in chars if ord(c) in src_cmap and ord(c) not in sub_cmap]
    if lost:
        ok = False
        print(f"  FAIL {subset}: {len(lost)} characters the source has were dropped: {''.join(lost)}")
    for cp in BALLOT:
        if cp not in sub_cmap:
            ok = False
            print(f"  FAIL {subset}: U+{cp:04X} not mapped")
    not_in_source = [c for c in chars if ord(c) not in src_cmap and ord(c) not in BALLOT]
    print(f"  {os.path.basename(subset)}: all {TGH_TOTAL} list characters mapped: "
          f"{not missing_tgh}; requested but not in the source face (left out): "
          f"{len(not_in_source)} {' '.join(f'U+{ord(c):04X}' for c in not_in_source)}")
    if not ok:
        sys.exit(1)


def cmd_stats(fonts):
    from fontTools.ttLib import TTFont
    print("| file | bytes | glyphs | cmap entries | CJK ideographs in cmap |")
    print("|---|---:|---:|---:|---:|")
    for path in fonts:
        f = TTFont(path)
        cmap = f.getBestCmap()
        han = sum(1 for cp in cmap if unicodedata.name(chr(cp), "").startswith("CJK UNIFIED"))
        print(f"| {os.path.basename(path)} | {os.path.getsize(path)} | "
              f"{f['maxp'].numGlyphs} | {len(cmap)} | {han} |")


def licence_text(copyright_file, stanza):
    """The licence text of a DEP-5 copyright file's "License: STANZA" stanza: each line
    indented by one space, blank lines written as " ." (the "Files: *" stanza names the
    licence too, without its text)."""
    text = open(copyright_file, encoding="utf-8").read().split("\n")
    start = next(i + 1 for i, line in enumerate(text)
                 if line == f"License: {stanza}" and i + 1 < len(text)
                 and text[i + 1].startswith(" "))
    body = []
    for line in text[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    return body


def cmd_ofl(out, copyright_file, *faces):
    from fontTools.ttLib import TTFont
    notices = []
    for ttc, index in zip(faces[0::2], faces[1::2]):
        font = TTFont(ttc, fontNumber=int(index), lazy=True)
        notice = font["name"].getDebugName(0).replace("©", "Copyright ©")
        notices.append(f"{font['name'].getDebugName(4)}: {notice}")
    body = licence_text(copyright_file, "SIL-1.1")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for n in notices:
            fh.write(n + "\n")
        fh.write("Noto is a trademark of Google Inc.\n\n")
        fh.write("\n".join(body).rstrip("\n") + "\n")
    print(f"OFL text -> {out}")


def cmd_rename(path, family):
    from fontTools.ttLib import TTFont
    font = TTFont(path, recalcTimestamp=False)
    ps = family.replace(" ", "")
    values = {1: family, 3: f"{ps}-Regular:subset", 4: family, 6: f"{ps}-Regular",
              16: family, 17: "Regular"}
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in values:
            name.removeNames(nameID=rec.nameID, platformID=rec.platformID,
                             platEncID=rec.platEncID, langID=rec.langID)
    for nid in (1, 3, 4, 6):
        name.setName(values[nid], nid, 3, 1, 0x409)
    left = [str(r) for r in name.names if r.nameID not in (0, 13, 14)
            and ("LXGW" in str(r) or "霞鹜" in str(r))]
    if left:
        sys.exit(f"reserved names left in {path}: {left}")
    font.save(path, reorderTables=True)
    print(f"  {os.path.basename(path)}: family renamed to {family!r}")


def cmd_ofl_single(out, copyright_file, stanza, source):
    from fontTools.ttLib import TTFont
    font = TTFont(source, lazy=True)
    notice = font["name"].getDebugName(0)
    body = licence_text(copyright_file, stanza)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"{font['name'].getDebugName(4)}: {notice}\n")
        fh.write("Reserved Font Names: \"霞鹜\" and \"LXGW\". The subset in this folder is a\n"
                 "Modified Version and so carries another name (DossierKai).\n\n")
        fh.write("\n".join(body).rstrip("\n") + "\n")
    print(f"OFL text -> {out}")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    {
        "charset": cmd_charset,
        "face-index": cmd_face_index,
        "finish": cmd_finish,
        "verify": cmd_verify,
        "stats": lambda *a: cmd_stats(a),
        "ofl": cmd_ofl,
        "rename": cmd_rename,
        "ofl-single": cmd_ofl_single,
    }[cmd](*args)


if __name__ == "__main__":
    main(sys.argv)
