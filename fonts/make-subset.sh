#!/usr/bin/env bash
# Re-make the subset fonts in this folder from Debian's fonts-noto-cjk and
# fonts-lxgw-wenkai.
#
#   bash fonts/make-subset.sh                 # install tools, rebuild charset.txt and the fonts
#   KEEP_CHARSET=1 bash fonts/make-subset.sh  # reuse the committed charset.txt as it is
#   SKIP_INSTALL=1 bash fonts/make-subset.sh  # tools are already installed
#   SEEDS_DIR=/path/to/seeds ...              # default: ../shared/seeds beside the repo
#
# Needs root (or sudo) for apt-get. See fonts/README.md for what it makes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
SEEDS_DIR="${SEEDS_DIR:-$REPO/../shared/seeds}"
NOTO=/usr/share/fonts/opentype/noto
FONTTOOLS_VERSION="${FONTTOOLS_VERSION:-4.68.0}"
# The version the committed fonts were made from; another one still works,
# but the glyphs may differ slightly.
NOTO_DEB_VERSION="1:20220127+repack1-1"
WENKAI=/usr/share/fonts/truetype/lxgw-wenkai
WENKAI_DEB_VERSION="1.250+repack-1"
PY="${PYTHON:-python3}"

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    # unicode-data ships Unihan, whose kTGH field is the 通用规范汉字表 (2013).
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
        fonts-noto-cjk fonts-lxgw-wenkai unicode-data
    if ! "$PY" -c "import fontTools, sys; sys.exit(fontTools.version != '$FONTTOOLS_VERSION')" 2>/dev/null; then
        "$PY" -m pip install --quiet "fonttools==$FONTTOOLS_VERSION"
    fi
fi

have="$(dpkg-query -W -f='${Version}' fonts-noto-cjk 2>/dev/null || true)"
if [ "$have" != "$NOTO_DEB_VERSION" ]; then
    echo "warning: fonts-noto-cjk is '$have', the committed fonts came from $NOTO_DEB_VERSION" >&2
fi
have="$(dpkg-query -W -f='${Version}' fonts-lxgw-wenkai 2>/dev/null || true)"
if [ "$have" != "$WENKAI_DEB_VERSION" ]; then
    echo "warning: fonts-lxgw-wenkai is '$have', the committed 楷 subset came from $WENKAI_DEB_VERSION" >&2
fi
command -v pyftsubset >/dev/null || { echo "pyftsubset not found (pip install fonttools)" >&2; exit 1; }

HELPER="$HERE/make_subset.py"
CHARSET="$HERE/charset.txt"

if [ "${KEEP_CHARSET:-0}" = 1 ] && [ -s "$CHARSET" ]; then
    echo "charset: keeping $CHARSET"
else
    "$PY" "$HELPER" charset "$CHARSET" "$REPO" "$SEEDS_DIR"
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# output name | source collection | family name of the Simplified Chinese face
FACES=(
    "NotoSerifSC-Regular-subset.ttf|$NOTO/NotoSerifCJK-Regular.ttc|Noto Serif CJK SC"
    "NotoSerifSC-Bold-subset.ttf|$NOTO/NotoSerifCJK-Bold.ttc|Noto Serif CJK SC"
    "NotoSansSC-Regular-subset.ttf|$NOTO/NotoSansCJK-Regular.ttc|Noto Sans CJK SC"
)

OUTS=()
OFL_ARGS=()
# One set of subsetting options for every face.
SUBSET_OPTS=(
    --text-file="$CHARSET"
    --unicodes="U+0020,U+00A0,U+3000"
    --layout-features="kern,palt"
    --drop-tables+="GSUB,BASE,VORG,vhea,vmtx,DSIG"
    --no-hinting
    --notdef-outline
    --recommended-glyphs
    --name-IDs="0,1,2,3,4,5,6,7,13,14"
)

for spec in "${FACES[@]}"; do
    IFS='|' read -r out ttc family <<<"$spec"
    index="$("$PY" "$HELPER" face-index "$ttc" "$family")"
    echo "subsetting $(basename "$ttc") face $index ($family) -> $out"
    # Horizontal text only: no vertical metrics (vhea/vmtx/VORG), no GSUB
    # (the SC face's cmap already gives the Simplified Chinese forms, so
    # 'locl' is not needed), GPOS kept for 'kern' and 'palt' only. No hinting.
    pyftsubset "$ttc" \
        --font-number="$index" \
        "${SUBSET_OPTS[@]}" \
        --output-file="$TMP/$out.otf"
    # CFF -> TrueType outlines, plus ☐ ☑ ☒ built from the face's own □ ✓ ×.
    "$PY" "$HELPER" finish "$TMP/$out.otf" "$HERE/$out"
    "$PY" "$HELPER" verify "$CHARSET" "$ttc" "$index" "$HERE/$out"
    OUTS+=("$HERE/$out")
    OFL_ARGS+=("$ttc" "$index")
done

# 楷 (level-2 headings): LXGW WenKai, already TrueType. Same character set and
# options; then renamed, since the OFL keeps its Reserved Font Names off a
# Modified Version.
KAI_OUT=DossierKai-Regular-subset.ttf
KAI_SRC="$WENKAI/LXGWWenKai-Regular.ttf"
echo "subsetting $(basename "$KAI_SRC") -> $KAI_OUT"
pyftsubset "$KAI_SRC" \
    "${SUBSET_OPTS[@]}" \
    --output-file="$TMP/$KAI_OUT"
"$PY" "$HELPER" finish "$TMP/$KAI_OUT" "$HERE/$KAI_OUT"
"$PY" "$HELPER" rename "$HERE/$KAI_OUT" "DossierKai"
"$PY" "$HELPER" verify "$CHARSET" "$KAI_SRC" 0 "$HERE/$KAI_OUT"
OUTS+=("$HERE/$KAI_OUT")

"$PY" "$HELPER" ofl "$HERE/OFL.txt" /usr/share/doc/fonts-noto-cjk/copyright "${OFL_ARGS[@]}"
"$PY" "$HELPER" ofl-single "$HERE/OFL-LXGWWenKai.txt" /usr/share/doc/fonts-lxgw-wenkai/copyright OFL-1.1 "$KAI_SRC"
"$PY" "$HELPER" stats "${OUTS[@]}"
