"""Workbooks in and out. The files in tests/data/workbooks were written by
openpyxl and LibreOffice (make-workbooks.py there); each must give exactly
the values listed here, worked out from the cells by hand, and its mistakes
must be reported by cell. Exports are read back with openpyxl and
converted by LibreOffice (`soffice --headless --convert-to csv`), which is
skipped only where soffice is not installed."""

import math
import os
import pathlib
import shutil
import subprocess
import tempfile
import zipfile

import numpy as np
import pandas as pd
import pytest

import hicov
from test_refcount import check_refs

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOOKS = ROOT / "tests" / "data" / "workbooks"

# 'Số liệu' of long.xlsx: (unit, period, measure, group, value)
LONG = [
    ("20X05", "2025", "visits", None, 1830),            # code
    ("20X05", "2025-Q3", "visits", None, 450),          # "Xã Na Sầm", "Quý 3/2025"
    ("20X05", "2025-07", "visits", None, 1234),         # NFD "xã  na sầm", "1.234"
    ("20", "2026", "total_cost", None, 2345678),        # 2026 a number, "2.345.678"
    ("20D03", "2024-03", "visits", None, 5000),         # a date cell: its month
    ("20D03C1", "2024", "participants", "DN", 3500),
    ("20", "2027", "population", None, 830000),         # "Lạng Sơn", "Năm 2027", "Dân số"
    ("20D01", "2024-Q4", "fund_revenue", None, 12345678.5),  # "TP. Lạng Sơn"
    ("20", "2024", "participants", None, 764769),       # the demo's own value
]

# wide.xlsx with WIDE_MAPPING
WIDE = [
    ("20D06", "2024", "population", None, 77574),       # Huyện Bắc Sơn
    ("20D06", "2024", "participants", None, 72719),
    ("20D05", "2024", "population", None, 81878),       # HUYỆN BÌNH GIA
    ("20D05", "2024", "participants", None, 76596),
    ("20D09", "2024", "population", None, 72011),       # Cao Lộc
    ("20D09", "2024", "participants", None, 68277),
    ("20D01", "2024", "population", None, 104000),      # TP Lạng Sơn
    ("20D01", "2024", "participants", None, 99840),
    ("20D08", "2024", "population", None, 56866),       # Huyện Chi Lăng (NFD)
    ("20D08", "2024", "participants", None, 53153),
    ("20D04", "2023", "total_cost", None, 41250000000),   # Huyện Văn Quan
    ("20D04", "2024", "total_cost", None, 45600000500),
    ("20D04", "2025-Q1", "total_cost", None, 12000000000),
    ("20D10", "2023", "total_cost", None, 52000000000),   # Huyện Lộc Bình
    ("20D10", "2024", "total_cost", None, 57800000000),   # its Q1 2025: "-"
    ("20D11", "2023", "total_cost", None, 12345),         # "12.345": the column groups
    ("20D11", "2025-Q1", "total_cost", None, 15300000000),
]
WIDE_MAPPING = [
    {"sheet": "Bao phủ 2024", "header_row": 3, "period": 2024,
     "skip_units": "Tổng cộng"},
    {"sheet": "Chi phí", "header_row": 2, "measure_row": 1},
]

# mistakes.xlsx: cell -> what its message says
MISTAKES = {
    "Sheet1!A3": "expected a unit code or name of the dataset, found 'Xã Không Có'",
    "Sheet1!A4": "the unit 'Xã Lạng Sơn' is ambiguous: 2 units have this name in 2024",
    "Sheet1!B5": "expected a period such as 2024, Q3/2025 or Tháng 7/2025, found 'Kỳ 13'",
    "Sheet1!C6": "expected a measure such as participants",
    "Sheet1!D7": "expected a whole number of visits (visits), found 'abc'",
    "Sheet1!D8": "found a percentage ('94,1%')",
    "Sheet1!D9": "found '1,234': the other cells of column D use ',' as the decimal mark",
    "Sheet1!D10": "of zero or more, found '-5'",
    "Sheet1!D11": "found '812.719,47', which is not a whole number",
    "Sheet1!D12": "a formula whose result was never saved",
    "Sheet1!D13": "found the error '#DIV/0!'",
    "Sheet1!D14": "found the date 2024-01-05",
    "Sheet1!D15": "a second value of visits for 20D05 (Huyện Bình Gia), 2024: the first is in Sheet1!D2",
}


def rows(values):
    """The values DataFrame as sorted tuples."""
    out = []
    for r in values.itertuples():
        out.append((r.unit, r.period, r.measure, r.group, r.value))
    return sorted(out, key=lambda t: (t[0], t[1], t[2], t[3] or ""))


def expect(lst):
    return sorted(lst, key=lambda t: (t[0], t[1], t[2], t[3] or ""))


def cli():
    for build in filter(None, [os.environ.get("HICOV_BUILD_DIR"),
                               str(pathlib.Path(hicov.__file__).resolve().parents[2])]):
        exe = pathlib.Path(build) / "csrc" / "hicov"
        if exe.is_file() and os.access(exe, os.X_OK):
            return str(exe)
    pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")


# ---- import ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["long.xlsx", "long.ods", "long-lo.xlsx"])
def test_long_layout(name):
    r = hicov.read_workbook(BOOKS / name)
    assert rows(r["values"]) == expect(LONG)
    assert r["counts"] == {"read": 9, "accepted": 9, "rejected": 0,
                           "missing": 1, "rows_skipped": 0, "sheets": 1}
    assert list(r["values"]["cell"])[:3] == ["'Số liệu'!D2", "'Số liệu'!D3",
                                             "'Số liệu'!D4"]
    assert r["rejections"].empty and r["unmatched"].empty


def test_long_csv_with_semicolons():
    r = hicov.read_workbook(BOOKS / "long.csv")
    # "12.500" and "1.204" are thousands: "1.234.567,50" shows the column
    # groups with '.' and writes decimals with ','
    assert rows(r["values"]) == expect([
        ("20D04", "2024", "visits", None, 12500),
        ("20D10", "2024-12", "visits", None, 1204),
        ("20D10", "2024", "total_cost", None, 1234567.5),
    ])


@pytest.mark.parametrize("name", ["wide.xlsx", "wide.ods"])
def test_wide_layout(name):
    r = hicov.read_workbook(BOOKS / name, mapping=WIDE_MAPPING)
    assert rows(r["values"]) == expect(WIDE)
    assert r["counts"]["read"] == 17 == r["counts"]["accepted"]
    assert r["counts"]["rows_skipped"] == 1
    assert r["notes"] == [
        "Bao phủ 2024 column E 'Tỷ lệ bao phủ (%)': not a measure, ignored",
        "Bao phủ 2024 row 9 'Tổng cộng': skipped (skip_units)"]


def test_wide_needs_a_period_or_measure():
    with pytest.raises(hicov.InvalidError, match="each column needs a measure "
                       "and a period"):
        hicov.read_workbook(BOOKS / "wide.xlsx", sheet="Bao phủ 2024",
                            header_row=3)


@pytest.mark.parametrize("name", ["mistakes.xlsx", "mistakes.ods"])
def test_mistakes_reported_by_cell(name):
    with pytest.raises(hicov.ParseError) as e:
        hicov.read_workbook(BOOKS / name)
    rej = e.value.rejections
    found = dict(zip(rej["cell"], rej["message"]))
    expected = dict(MISTAKES)
    if name.endswith(".ods"):
        # LibreOffice computed =2+2 when it saved the file: 4 is read
        del expected["Sheet1!D12"]
    assert set(found) == set(expected)
    for cell, text in expected.items():
        assert text in found[cell], (cell, found[cell])
    counts = e.value.counts
    assert counts["read"] == counts["accepted"] + counts["rejected"] == 14
    assert counts["rejected"] == len(expected)
    um = e.value.unmatched
    assert list(um["text"]) == ["Xã Không Có", "Xã Lạng Sơn"]
    assert list(um["ambiguous"]) == [False, True]
    assert um["candidates"][1] == "20 Lạng Sơn; 20D01 Thành phố Lạng Sơn"


def test_lenient_reads_the_rest():
    r = hicov.read_workbook(BOOKS / "mistakes.ods", strict=False)
    assert rows(r["values"]) == expect([
        ("20D05", "2024", "visits", None, 1000),
        ("20D07", "2024", "participants", None, 4),
    ])
    assert len(r["rejections"]) == 12


def test_import_merges_and_conflicts(tmp_path):
    ds = hicov.demo()
    r = ds.import_workbook(BOOKS / "long.xlsx")
    assert r["merged"] == {"added": 8, "replaced": 0, "kept": 0, "unchanged": 1}
    assert ds.value("visits", "20X05", "2025-07") == 1234
    assert ds.measure("fund_revenue", "20D01", "2024-Q4") == 12345678.5
    # the same workbook again changes nothing
    assert ds.import_workbook(BOOKS / "long.xlsx")["merged"]["unchanged"] == 9
    # a CSV saying otherwise for one value: refused, then replaced or kept
    csv = "unit,period,measure,value\n20X05,2025,visits,1900\n20D05,2024,visits,7\n"
    with pytest.raises(hicov.InvalidError) as e:
        ds.import_workbook(csv.encode(), format="csv", name="fix.csv")
    assert e.value.conflicts == [
        "fix.csv!D2: visits of 20X05 for 2025 is 1,830 in the dataset and "
        "1,900 in the import"]
    assert ds.value("visits", "20X05", "2025") == 1830
    assert math.isnan(ds.value("visits", "20D05", "2024"))
    r = ds.import_workbook(csv.encode(), format="csv", name="fix.csv",
                           on_conflict="keep")
    assert r["merged"] == {"added": 1, "replaced": 0, "kept": 1, "unchanged": 0}
    assert ds.value("visits", "20X05", "2025") == 1830
    r = ds.import_workbook(csv.encode(), format="csv", name="fix.csv",
                           on_conflict="replace")
    assert r["merged"] == {"added": 0, "replaced": 1, "kept": 0, "unchanged": 1}
    assert ds.value("visits", "20X05", "2025") == 1900
    with pytest.raises(ValueError, match="on_conflict"):
        ds.import_workbook(csv.encode(), format="csv", on_conflict="merge")


def test_mapping_file(tmp_path):
    m = tmp_path / "wide.ini"
    m.write_text('# the report of 2024\n[sheet "Bao phủ 2024"]\nheader_row = 3\n'
                 'period = 2024\nskip_units = "Tổng cộng"\n\n[sheet "Chi phí"]\n'
                 'header_row = 2\nmeasure_row = 1\n', encoding="utf-8")
    r = hicov.read_workbook(BOOKS / "wide.ods", mapping=str(m))
    assert rows(r["values"]) == expect(WIDE)


def test_readme_mapping_example(tmp_path):
    """The mapping file of the README's Workbooks section, comments after
    values included ('#2' in a section title is a sheet, not a comment)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```ini\n", text.index("### Mapping files")) + 7
    m = tmp_path / "mapping.ini"
    m.write_text(text[start:text.index("```", start)], encoding="utf-8")
    r = hicov.read_workbook(BOOKS / "wide.xlsx", mapping=str(m))
    assert rows(r["values"]) == expect(WIDE)


def test_cli_import_writes_the_merged_dataset(tmp_path):
    exe = cli()
    demo = tmp_path / "demo"
    proc = subprocess.run([exe, "import", str(BOOKS / "long.csv"), "-o",
                           str(demo)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "long.csv: 3 values read: 3 accepted, 0 rejected" in proc.stdout
    assert "merged: 3 added, 0 replaced, 0 kept, 0 unchanged" in proc.stdout
    ds = hicov.load(str(demo))
    assert ds.value("visits", "20D10", "2024-12") == 1204
    # a workbook whose strict read fails leaves the folder byte for byte
    before = {p.name: p.read_bytes() for p in demo.iterdir()}
    proc = subprocess.run([exe, "import", str(BOOKS / "mistakes.xlsx"),
                           "--data", str(demo), "-o", str(demo)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "rejected Sheet1!D11: expected a whole number of people " \
           "(population), found '812.719,47'" in proc.stderr
    assert "ambiguous unit 'Xã Lạng Sơn' (Sheet1!A4, 1 cell): 20 Lạng Sơn; " \
           "20D01 Thành phố Lạng Sơn" in proc.stderr
    assert "not written" in proc.stderr
    assert {p.name: p.read_bytes() for p in demo.iterdir()} == before
    # a conflict: refused by default, replaced on request
    fix = tmp_path / "fix.csv"
    fix.write_text("unit,period,measure,value\n20D10,2024-12,visits,1300\n")
    proc = subprocess.run([exe, "import", str(fix), "--data", str(demo), "-o",
                           str(demo)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "conflict fix.csv!D2: visits of 20D10 for 2024-12 is 1,204 in the " \
           "dataset and 1,300 in the import" in proc.stderr
    assert {p.name: p.read_bytes() for p in demo.iterdir()} == before
    proc = subprocess.run([exe, "import", str(fix), "--data", str(demo), "-o",
                           str(demo), "--on-conflict", "replace"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "merged: 0 added, 1 replaced, 0 kept, 0 unchanged" in proc.stdout
    assert hicov.load(str(demo)).value("visits", "20D10", "2024-12") == 1300
    # the wide workbook with flags
    out = tmp_path / "wide"
    proc = subprocess.run([exe, "import", str(BOOKS / "wide.xlsx"), "--sheet",
                           "Bao phủ 2024", "--header-row", "3", "--period",
                           "2024", "--skip-units", "Tổng cộng", "--sheet",
                           "Chi phí", "--header-row", "2", "--measure-row", "1",
                           "-o", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "17 values read: 17 accepted, 0 rejected" in proc.stdout
    assert hicov.load(str(out)).value("total_cost", "20D04", "2025-Q1") == 12e9


# ---- export ---------------------------------------------------------------

def test_export_xlsx_read_by_openpyxl(tmp_path, demo):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "communes.xlsx"
    n = demo.save_table(path, ["coverage_rate", "participants", "population"],
                        "2024", level="commune", parent="20")
    assert n == 45  # 44 communes existing in 2024 and the province
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Bảng 2024", "Thông tin"]
    ws = wb["Bảng 2024"]
    assert ws.freeze_panes == "C2"
    assert [c.value for c in ws[1]] == [
        "Mã", "Đơn vị", "Tỷ lệ bao phủ BHYT (%)", "Số người tham gia BHYT (người)",
        "Dân số (người)", "Ghi chú"]
    assert ws["A1"].font.b
    table = demo.table("coverage_rate", "2024", level="commune", parent="20")
    for i, row in enumerate(ws.iter_rows(min_row=2, max_row=45), start=0):
        code, name, cov, part, pop, note = (c.value for c in row)
        assert code == table.index[i] and name == table["name"].iloc[i]
        assert isinstance(cov, float) and isinstance(part, int) and isinstance(pop, int)
        assert cov == pytest.approx(table["value"].iloc[i] / 100, rel=1e-12)
        assert part == demo.value("participants", code, "2024")
        assert row[2].number_format == "0.0%" and row[3].number_format == "#,##0"
        assert note == "số liệu giả lập (synthetic)"
    last = [c.value for c in ws[46]]
    assert last[:2] == ["20", "Lạng Sơn (toàn bộ)"] and last[3] == 764769


def soffice_csv(src, tmp_path):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "conv"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}",
                        "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
                        "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=300)
    return (out / (src.stem + ".csv")).read_text(encoding="utf-8")


@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_export_opened_by_libreoffice(tmp_path, demo, ext):
    path = tmp_path / f"districts.{ext}"
    demo.save_table(path, ["participants", "coverage_rate"], "2024",
                    level="district", parent="20")
    lines = soffice_csv(path, tmp_path).splitlines()
    assert lines[0] == "Mã,Đơn vị,Số người tham gia BHYT (người),Tỷ lệ bao phủ BHYT (%)"
    table = demo.table("coverage_rate", "2024", level="district", parent="20")
    assert len(lines) == 1 + len(table) + 1
    for i, line in enumerate(lines[1:-1]):
        code, name, part, cov = line.split(",")
        assert code == table.index[i] and name == table["name"].iloc[i]
        # the numbers are numbers, shown with their formats (#,##0, 0.0%)
        # in LibreOffice's en-US default: 72719 -> "72,719" would have
        # split the line, so the raw number is in the CSV unquoted
        assert float(part) == demo.value("participants", code, "2024")
        assert float(cov.rstrip("%")) == pytest.approx(table["value"].iloc[i], abs=1e-6)
    assert lines[-1].startswith("20,Lạng Sơn (toàn bộ),764769,")


def test_write_table_from_a_dataframe(tmp_path):
    frame = pd.DataFrame({"Đơn vị": ["Xã A", "Xã B", None],
                          "Số người": [100, 2500, 7],
                          "Tỷ lệ": [94.1, float("nan"), 50.0],
                          "Chi phí": [1.5, 2.25, 3.0]})
    for ext in ("xlsx", "ods", "csv"):
        path = tmp_path / f"frame.{ext}"
        hicov.write_table(path, frame, sheet="Dữ liệu", percent=["Tỷ lệ"])
        assert path.exists()
    text = (tmp_path / "frame.csv").read_text(encoding="utf-8")
    assert text == ("Đơn vị,Số người,Tỷ lệ,Chi phí\nXã A,100,94.1,1.5\n"
                    "Xã B,2500,,2.25\n,7,50,3\n")
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "frame.xlsx")["Dữ liệu"]
    assert [c.value for c in ws[2]] == ["Xã A", 100, pytest.approx(0.941), 1.5]
    assert ws["B2"].number_format == "#,##0"
    assert ws["C2"].number_format == "0.0%"
    assert ws["D2"].number_format == "#,##0.00"
    assert ws["C3"].value is None and ws["A4"].value is None


def test_export_writes_atomically(tmp_path, demo):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(hicov.FileError, match="read-only"):
        demo.save_table(path, ["participants"], "2024", parent="20")
    assert path.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["t.xlsx"]
    with pytest.raises(hicov.InvalidError, match=r"\.xlsx, \.ods or \.csv"):
        demo.save_table(tmp_path / "t.pdf", ["participants"], "2024", parent="20")


def test_generated_files_match_the_script(tmp_path):
    """With openpyxl and LibreOffice at hand, the script makes workbooks
    that read as the checked-in ones do."""
    pytest.importorskip("openpyxl")
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    subprocess.run(["/usr/bin/python3", str(BOOKS / "make-workbooks.py"),
                    str(tmp_path)], check=True, timeout=600)
    for name in ("long.xlsx", "long.ods", "long-lo.xlsx"):
        assert rows(hicov.read_workbook(tmp_path / name)["values"]) == expect(LONG)
    assert rows(hicov.read_workbook(tmp_path / "wide.ods",
                                    mapping=WIDE_MAPPING)["values"]) == expect(WIDE)


# A CSV workbook with two mistakes: 'abc' is no number; 1.5 people is not a
# whole number ('.' followed by one digit can only be a decimal mark).
MISTAKES_CSV = ("unit,period,measure,value\n20,2024,participants,abc\n"
                "25,2024,participants,1.5\n").encode()


def test_rejections_in_the_datasets_language():
    """A read's messages follow Dataset.lang, whatever the process's."""
    ds = hicov.demo()
    ds.lang = "vi"
    r = hicov.read_workbook(MISTAKES_CSV, dataset=ds, format="csv",
                            name="sai.csv", strict=False)
    assert list(r["rejections"]["message"]) == [
        "sai.csv!D2: cần một số nguyên, đơn vị người (participants), nhưng "
        "gặp 'abc'",
        "sai.csv!D3: cần một số nguyên, đơn vị người (participants), nhưng "
        "gặp '1.5', không phải số nguyên"]
    assert list(r["rejections"]["expected"]) == [
        "một số nguyên, đơn vị người (participants)"] * 2
    with pytest.raises(hicov.ParseError) as e:
        hicov.read_workbook(MISTAKES_CSV, dataset=ds, format="csv",
                            name="sai.csv")
    assert str(e.value).endswith(
        "'abc' (tổng cộng 2 giá trị bị loại; chế độ nghiêm ngặt: không được "
        "nhập giá trị nào)")
    # the mapping's messages too
    with pytest.raises(hicov.InvalidError) as e:
        hicov.read_workbook(MISTAKES_CSV, dataset=ds, format="csv",
                            layout="sideways")
    assert str(e.value) == "layout: cần long, wide hoặc auto, nhưng gặp 'sideways'"
    # and the same read in English
    ds.lang = "en"
    r = hicov.read_workbook(MISTAKES_CSV, dataset=ds, format="csv",
                            name="sai.csv", strict=False)
    assert list(r["rejections"]["message"]) == [
        "sai.csv!D2: expected a whole number of people (participants), found "
        "'abc'",
        "sai.csv!D3: expected a whole number of people (participants), found "
        "'1.5', which is not a whole number"]


def test_file_refusals_in_the_language_asked(tmp_path):
    """Files that are not read, and files that are not written, are refused
    in the dataset's language."""
    (tmp_path / "units.csv").mkdir()
    ds = hicov.demo()
    ds.lang = "vi"
    with pytest.raises(hicov.FileError) as e:
        hicov.read_workbook(tmp_path, dataset=ds)
    assert str(e.value) == f"{tmp_path} là một thư mục: không đọc"
    with pytest.raises(hicov.FileError) as e:
        hicov.load(str(tmp_path), lang="vi")
    assert str(e.value) == f"{tmp_path}/units.csv là một thư mục: không đọc"
    with pytest.raises(hicov.FileError) as e:
        hicov.load(str(tmp_path), lang="en")
    assert str(e.value) == f"{tmp_path}/units.csv is a folder: refusing to read it"
    # UTF-16 text, refused by the CSV reader at its first record
    utf16 = tmp_path / "utf16"
    utf16.mkdir()
    (utf16 / "units.csv").write_bytes("code,name\n".encode("utf-16"))
    with pytest.raises(hicov.ParseError) as e:
        hicov.load(str(utf16), lang="vi")
    assert str(e.value) == (
        "units.csv dòng 1: tệp ở dạng UTF-16 (dấu thứ tự byte little-endian "
        "FF FE), không phải UTF-8: hãy lưu lại dạng UTF-8 (\"CSV UTF-8\" "
        "trong Excel)")
    # a table over a read-only file
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(hicov.FileError) as e:
        ds.save_table(path, ["participants"], "2024", parent="20")
    assert str(e.value) == (f"{path}: tệp chỉ cho phép đọc: không ghi đè (hãy "
                            "cho phép ghi tệp, hoặc buộc ghi kết quả)")
    assert path.read_bytes() == b"old"


def test_write_table_integers_are_exact(tmp_path):
    """Integers beyond 2**53, which a double rounds, keep every digit: in
    CSV as they are, in XLSX and ODS as text cells; smaller ones are
    numbers."""
    frame = pd.DataFrame({
        "id": np.array([10**16 + 1, 2**53 + 1, -2**63, 5], dtype=np.int64),
        "u": np.array([2**64 - 1, 2**53, 0, 7], dtype=np.uint64),
        "n": pd.array([2**53 + 1, -2**53, 3, 4], dtype="Int64")})
    for ext in ("xlsx", "ods", "csv"):
        hicov.write_table(tmp_path / f"ints.{ext}", frame)
    assert (tmp_path / "ints.csv").read_text() == (
        "id,u,n\n"
        "10000000000000001,18446744073709551615,9007199254740993\n"
        "9007199254740993,9007199254740992,-9007199254740992\n"
        "-9223372036854775808,0,3\n"
        "5,7,4\n")
    with zipfile.ZipFile(tmp_path / "ints.ods") as z:
        content = z.read("content.xml").decode()
    for digits in ("10000000000000001", "18446744073709551615",
                   "9007199254740993", "-9223372036854775808"):
        assert f"<text:p>{digits}</text:p>" in content
    assert 'office:value="10000000000000000"' not in content
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "ints.xlsx").active
    assert [c.value for c in ws[2]] == ["10000000000000001",
                                        "18446744073709551615",
                                        "9007199254740993"]
    assert [c.value for c in ws[3]] == ["9007199254740993", 2**53, -2**53]
    assert [c.value for c in ws[5]] == [5, 7, 4]


def test_write_table_pandas_missing_values_are_empty(tmp_path):
    frame = pd.DataFrame({
        "s": pd.array(["a", pd.NA, "c"], dtype="string"),
        "o": ["x", pd.NA, None],
        "i": pd.array([1, pd.NA, 3], dtype="Int64"),
        "f": pd.array([1.5, pd.NA, 2.0], dtype="Float64"),
        "t": pd.to_datetime(["2024-01-02", None, "2025-03-04"]),
        "c": pd.Categorical(["ok", None, "ok"])})
    for ext in ("xlsx", "ods", "csv"):
        hicov.write_table(tmp_path / f"na.{ext}", frame)
    assert (tmp_path / "na.csv").read_text() == (
        "s,o,i,f,t,c\n"
        "a,x,1,1.5,2024-01-02 00:00:00,ok\n"
        ",,,,,\n"
        "c,,3,2,2025-03-04 00:00:00,ok\n")
    # the audit's cases: Int64 and string columns from the demo
    demo = hicov.demo()
    f = demo.frame(["participants"], ["2024", "2025"], level="province")
    hicov.write_table(tmp_path / "f.csv", f)
    lines = (tmp_path / "f.csv").read_text().splitlines()
    assert lines[0] == "name,participants,participants_reason"
    assert lines[2] == "Lạng Sơn,764769,"
    assert "<NA>" not in "".join(lines)
    t = demo.table("coverage_rate", "2025", parent="20")
    hicov.write_table(tmp_path / "t.xlsx", t)
    hicov.write_table(tmp_path / "t.csv", t)
    text = (tmp_path / "t.csv").read_text()
    assert "<NA>" not in text and text.splitlines()[1].endswith(",ok,")


def test_write_table_column_names_checked(tmp_path):
    frame = pd.DataFrame({"rate": [1.5], "coverage_rate": [94.1]})
    # a str is one column's name, not a set of substrings
    hicov.write_table(tmp_path / "p.xlsx", frame, percent="coverage_rate")
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert ws["A2"].number_format == "#,##0.00"
    assert ws["B2"].number_format == "0.0%"
    with pytest.raises(ValueError, match=r"percent .*\['rat', 'nope'\]"):
        hicov.write_table(tmp_path / "p.csv", frame, percent=["rat", "rate", "nope"])
    with pytest.raises(ValueError, match=r"decimals .*\['x'\]"):
        hicov.write_table(tmp_path / "p.csv", frame, decimals={"rate": 1, "x": 2})
    with pytest.raises(ValueError, match="more than one column named 'a'"):
        hicov.write_table(tmp_path / "p.csv",
                          pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"]))
    assert not (tmp_path / "p.csv").exists()
    check_refs(hicov.write_table, str(tmp_path / "p.csv"), frame,
               percent=["nope"], raises=ValueError)
    check_refs(hicov.write_table, str(tmp_path / "p.csv"),
               pd.DataFrame([[1, 2]], columns=["a", "a"]), raises=ValueError)
    big = pd.DataFrame({"n": pd.array([2**60 + 1, pd.NA], dtype="Int64")})
    check_refs(hicov.write_table, str(tmp_path / "p.csv"), big)


def test_write_table_refuses_a_name_that_hides_its_format(tmp_path):
    # a .txt would hide a CSV and an .xlsm promise macros: refused, with
    # the name and the extensions taken, and nothing written
    df = pd.DataFrame({"a": [1, 2]})
    for name in ("t.txt", "t.xlsm", "t"):
        with pytest.raises(hicov.InvalidError, match=r"\.xlsx, \.ods or \.csv"):
            hicov.write_table(tmp_path / name, df)
        assert not (tmp_path / name).exists()
    hicov.write_table(tmp_path / "t.CSV", df)
    assert (tmp_path / "t.CSV").read_text(encoding="utf-8").splitlines()[0] == "a"
