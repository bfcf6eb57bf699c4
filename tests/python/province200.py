"""A generated province of 200 communes with four targets, for the report
tests (test_report_documents.py) and for looking at the outputs by hand:

    /usr/bin/python3 tests/python/province200.py OUT_DIR

writes OUT_DIR/units.csv, values.csv and resolution.xml.

Tỉnh Thử Nghiệm (code 99) has 200 communes (990001-990200, no districts, as
after the 2025 reform), each with population, participants, visits and
total cost for 2020-2025; the 2025 participants are published estimates.
The numbers come from a fixed formula, not a random generator, so every run
and every machine gets the same files.  The four targets:

1. every commune at least 95% coverage by 2025;
2. the province at least 98% coverage by 2030;
3. the province's cost per visit at most 1,300,000 đồng by 2030 (a cap the
   trend breaks before 2030);
4. the province's cost per visit growing at most 5% a year over 2020-2025.
"""

import pathlib
import sys

SYLLABLES = ["An", "Bình", "Cao", "Đông", "Hòa", "Hưng", "Khánh", "Lạc",
             "Long", "Minh", "Nam", "Phú", "Quang", "Sơn", "Tân", "Thạch",
             "Thanh", "Trung", "Vân", "Yên"]

RESOLUTION = """<?xml version="1.0" encoding="UTF-8"?>
<resolution xmlns="urn:hicov:resolution:1" version="1">
  <body>Hội đồng nhân dân tỉnh Thử Nghiệm</body>
  <number>Nghị quyết số 12/NQ-HĐND</number>
  <title>Nghị quyết về thực hiện bảo hiểm y tế toàn dân giai đoạn 2020-2030</title>
  <term start="2020" end="2030"/>
  <targets>
    <target indicator="coverage_rate" unit="99" level="commune"
            threshold="95" deadline="2025">
      <label>100% xã đạt tỷ lệ bao phủ bảo hiểm y tế từ 95% trở lên</label>
    </target>
    <target indicator="coverage_rate" unit="99" threshold="98"
            deadline="2030" baseline="2020">
      <label>Tỷ lệ bao phủ bảo hiểm y tế toàn tỉnh đạt 98%</label>
    </target>
    <target indicator="cost_per_visit" unit="99" comparison="at-most"
            threshold="1300000" deadline="2030">
      <label>Chi phí bình quân một lượt khám chữa bệnh không quá 1,3 triệu đồng</label>
    </target>
    <target indicator="cost_per_visit" unit="99" kind="growth"
            comparison="at-most" threshold="5" deadline="2025" baseline="2020">
      <label>Chi phí bình quân lượt khám chữa bệnh tăng không quá 5%/năm</label>
    </target>
  </targets>
</resolution>
"""


def commune(k):
    """Name, population and coverage start of commune k (0-199)."""
    name = f"Xã {SYLLABLES[k % 20]} {SYLLABLES[(k * 7 + 3) % 20]}"
    if k >= 20:
        name += f" {k // 20 + 1}"
    population = 3000 + (k * 7919) % 9000
    start = 88.0 + (k * 37 % 80) / 10.0  # 88.0 .. 95.9% in 2020
    return name, population, start


def write(folder, missing_2025=()):
    """Writes the three files into folder; communes whose index is in
    missing_2025 have no 2025 values.  Returns folder."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    units = ["code,name,parent,level", "99,Tỉnh Thử Nghiệm,,province"]
    values = ["unit,period,measure,value,source"]
    for k in range(200):
        code = f"99{k + 1:04d}"
        name, population, start = commune(k)
        units.append(f"{code},{name},99,commune")
        for year in range(2020, 2026):
            if year == 2025 and k in missing_2025:
                continue
            step = 0.4 + (k * 13 % 7) / 10.0  # 0.4 .. 1.0 points a year
            coverage = min(99.5, start + step * (year - 2020))
            pop = population + 20 * (year - 2020)
            participants = round(pop * coverage / 100)
            visits = round(pop * (2.0 + (k % 5) / 10.0))
            cost_per_visit = 1_000_000 * (1.04 ** (year - 2020)) * (1 + (k % 9) / 100)
            source = "ước tính" if year == 2025 else "published"
            values.append(f"{code},{year},population,{pop},published")
            values.append(f"{code},{year},participants,{participants},{source}")
            values.append(f"{code},{year},visits,{visits},published")
            values.append(f"{code},{year},total_cost,{round(visits * cost_per_visit)},published")
    (folder / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    (folder / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
    (folder / "resolution.xml").write_text(RESOLUTION, encoding="utf-8")
    return folder


if __name__ == "__main__":
    write(sys.argv[1])
