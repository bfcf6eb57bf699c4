#!/usr/bin/python3
"""Makes the test workbooks of tests/data/workbooks (README.md there).

    /usr/bin/python3 tests/data/workbooks/make-workbooks.py [OUT_DIR]

The .xlsx files are written by openpyxl (Debian python3-openpyxl), as an
office's script or Excel-like tool would; each is then opened and saved
by LibreOffice Calc (`soffice --headless --convert-to`) as .ods, and the
long layout once more as .xlsx by LibreOffice (long-lo.xlsx), so that
files written by a spreadsheet application, with their formulas' results
saved, are tested too. Values are for the units of hicov's built-in demo
(hicov.demo()); tests/python/test_workbook.py lists what each file must
give, worked out by hand.
"""

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

import openpyxl
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
# Fixed document times: the same script makes the same workbook content.
WHEN = datetime.datetime(2025, 1, 1)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def workbook():
    wb = openpyxl.Workbook()
    wb.properties.created = WHEN
    wb.properties.modified = WHEN
    wb.properties.creator = "hicov tests"
    return wb


def long_layout(path):
    """Long: unit, period, measure, value, group; units by code and by name
    (NFD, spaces, prefixes), periods in the forms offices type, a date
    cell, Vietnamese number text, a missing '-'."""
    wb = workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Mã đơn vị", "Kỳ", "Chỉ tiêu", "Giá trị", "Nhóm"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    rows = [
        ["20X05", "2025", "visits", 1830, None],
        ["Xã Na Sầm", "Quý 3/2025", "Lượt khám chữa bệnh BHYT", 450, None],
        [nfd("xã  na sầm"), "Tháng 7/2025", "visits", "1.234", None],
        ["20", 2026, "total_cost", "2.345.678", None],
        ["Huyện Văn Lãng", datetime.date(2024, 3, 15), "visits", 5000, None],
        ["20D03C1", "2024", "participants", 3500, "DN"],
        ["Lạng Sơn", "Năm 2027", "Dân số", 830000, None],
        ["TP. Lạng Sơn", "Q4/2024", "fund_revenue", 12345678.5, None],
        ["20", "2024", "participants", 764769, None],
        ["20", "2027", "participants", "-", None],
    ]
    for r in rows:
        ws.append(r)
    ws["B6"].number_format = "dd/mm/yyyy"
    ws["D9"].number_format = "#,##0.00"
    ws.freeze_panes = "A2"
    wb.save(path)


def wide_layout(path):
    """Wide: a report sheet with title rows, Vietnamese names (upper case,
    no prefix, NFD, 'TP'), #,##0 numbers, a coverage column (an indicator,
    ignored) computed by a formula, a total row; and a cost sheet with a
    merged block heading over year columns and Vietnamese number text."""
    wb = workbook()
    ws = wb.active
    ws.title = "Bao phủ 2024"
    ws["A1"] = "BÁO CÁO TÌNH HÌNH THAM GIA BHYT NĂM 2024"
    ws["A2"] = "Đơn vị tính: người"
    ws.append(["STT", "Tên đơn vị", "Dân số", "Số người tham gia BHYT",
               "Tỷ lệ bao phủ (%)"])
    people = [
        ("Huyện Bắc Sơn", 77574, 72719),
        ("HUYỆN BÌNH GIA", 81878, 76596),
        ("Cao Lộc", 72011, 68277),
        ("TP Lạng Sơn", 104000, 99840),
        (nfd("Huyện Chi Lăng"), 56866, 53153),
    ]
    for i, (name, pop, part) in enumerate(people, 1):
        r = 3 + i
        ws.append([i, name, pop, part, f"=D{r}/C{r}"])
        ws[f"C{r}"].number_format = "#,##0"
        ws[f"D{r}"].number_format = "#,##0"
        ws[f"E{r}"].number_format = "0.0%"
    total = 3 + len(people) + 1
    ws.append([None, "Tổng cộng", f"=SUM(C4:C{total - 1})",
               f"=SUM(D4:D{total - 1})", f"=D{total}/C{total}"])
    ws.merge_cells("A1:E1")

    cost = wb.create_sheet("Chi phí")
    cost["A1"] = "Đơn vị"
    cost["B1"] = "Chi phí KCB BHYT (đồng)"
    cost.merge_cells("B1:D1")
    cost.append(["", "2023", "2024", "Quý 1/2025"])
    cost.append(["Huyện Văn Quan", "41.250.000.000", "45.600.000.500", 12000000000])
    cost.append(["Huyện Lộc Bình", 52000000000, "57.800.000.000", "-"])
    cost.append(["Huyện Đình Lập", "12.345", None, "15.300.000.000"])
    wb.save(path)


def mistakes(path):
    """Every kind of mistake, one per cell, for the rejection messages."""
    wb = workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["unit", "period", "measure", "value"])
    rows = [
        ["20D05", "2024", "visits", 1000],             # 2: good
        ["Xã Không Có", "2024", "visits", 10],         # 3: unknown unit
        ["Xã Lạng Sơn", "2024", "visits", 10],         # 4: ambiguous
        ["20D05", "Kỳ 13", "visits", 10],              # 5: bad period
        ["20D05", "2024", "lượt khám", 10],            # 6: unknown measure
        ["20D06", "2024", "visits", "abc"],            # 7: not a number
        ["20D06", "2024", "participants", "94,1%"],    # 8: a percentage
        ["20D06", "2024", "population", "1,234"],      # 9: ambiguous number
        ["20D07", "2024", "visits", -5],               # 10: negative
        ["20D07", "2024", "population", "812.719,47"], # 11: not whole
        ["20D07", "2024", "participants", "=2+2"],     # 12: no saved result
        ["20D08", "2024", "visits", "#DIV/0!"],        # 13: an error
        ["20D08", "2024", "population", datetime.date(2024, 1, 5)],  # 14
        ["20D05", "2024", "visits", 1000],             # 15: twice
    ]
    for r in rows:
        ws.append(r)
    ws["D14"].number_format = "yyyy-mm-dd"
    wb.save(path)


def long_csv(path):
    """The long layout as a CSV that Excel in a comma-decimal locale saves:
    ';' between fields, Vietnamese numbers."""
    text = ("Mã đơn vị;Kỳ;Chỉ tiêu;Giá trị\r\n"
            "20D04;2024;visits;12.500\r\n"
            "Huyện Lộc Bình;Tháng 12/2024;visits;1.204\r\n"
            "20D10;2024;total_cost;1.234.567,50\r\n")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def soffice(src, fmt, out_dir):
    """Opens src in LibreOffice and saves it as fmt in out_dir."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}",
                        "--headless", "--convert-to", fmt, "--outdir", out_dir,
                        src], check=True, capture_output=True, timeout=300)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    long_layout(os.path.join(out, "long.xlsx"))
    wide_layout(os.path.join(out, "wide.xlsx"))
    mistakes(os.path.join(out, "mistakes.xlsx"))
    long_csv(os.path.join(out, "long.csv"))
    if shutil.which("soffice"):
        for name in ("long", "wide", "mistakes"):
            soffice(os.path.join(out, name + ".xlsx"), "ods", out)
        with tempfile.TemporaryDirectory() as tmp:
            soffice(os.path.join(out, "long.ods"), "xlsx", tmp)
            shutil.move(os.path.join(tmp, "long.xlsx"),
                        os.path.join(out, "long-lo.xlsx"))
    else:
        print("soffice not found: the .ods files were not made", file=sys.stderr)


if __name__ == "__main__":
    main()
