"""What the command line tells a user: the commune-tier share
of `hicov claims` over the visits at facilities the dataset knows (and
"not available" without one); numbers written the way the text's
language writes them (`hicov equity` under LANG, the money and rates of
`hicov claims`); `hicov adx export|import --help`; no counts for an ADX
file that could not be read; -o over an input of `hicov claims` told
first, and a name -o cannot take told as it is; `hicov summary --unit`
checked before anything is printed; `hicov report --resolution demo:N`
on a dataset without resolutions; `hicov table -o` with an extension the
command does not write."""

import os
import re
import shutil
import subprocess

import pytest

import hicov
from test_cli_summary import cli  # the built CLI, or a skip

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "tests", "data", "claims-sample-130.xml")


def run(*args, cwd=None, lang="C.UTF-8"):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    return subprocess.run([cli(), *args], capture_output=True, text=True,
                          env=env, cwd=cwd)


def line(text, start):
    found = [l for l in text.splitlines() if l.startswith(start)]
    assert len(found) == 1, text
    return found[0]


# ---- 1. hicov claims: the commune-tier share of visits ---------------------

UNITS = ("code,name,parent,level,tier\n"
         "P1,Province One,,province,\n"
         "D1,District One,P1,district,\n"
         "C1,Commune A,D1,commune,\n"
         "01999,Facility X,C1,facility,{tier}\n"
         "01998,Facility Y,C1,facility,district\n")
VALUES = "unit,period,measure,value\nC1,2024-03,population,1000\n"
HEADER = ("MA_LK,MA_CSKCB,NAM_QT,THANG_QT,MA_LOAI_KCB,T_TONGCHI_BV,T_BHTT,"
          "T_BNCCT,MA_THE_BHYT\n")


def claims_csv(path, facilities):
    rows = [f"L{i},{f},2024,3,01,100.00,80.00,20.00,DN479793212345{i}\n"
            for i, f in enumerate(facilities)]
    path.write_text(HEADER + "".join(rows))
    return str(path)


def dataset(tmp_path, tier="commune"):
    d = tmp_path / "ds"
    d.mkdir(exist_ok=True)
    (d / "units.csv").write_text(UNITS.format(tier=tier))
    (d / "values.csv").write_text(VALUES)
    return str(d)


def test_commune_share_leaves_out_facilities_not_in_the_dataset(tmp_path):
    # 2 visits at the commune-tier 01999, 1 at the district-tier 01998, 1 at
    # a facility the dataset does not have: 2 of the 3 known, not 2 of 4
    f = claims_csv(tmp_path / "c.csv", ["01999", "01999", "01998", "79001"])
    p = run("claims", "--data", dataset(tmp_path), f)
    assert p.returncode == 0, p.stderr
    assert line(p.stdout, "commune-tier") == (
        "commune-tier share of visits: 66.7% (1 visits at facilities not in "
        "the dataset left out)")
    p = run("claims", "--data", dataset(tmp_path), f, lang="vi_VN.UTF-8")
    assert line(p.stdout, "tỷ lệ lượt khám tại tuyến xã").startswith(
        "tỷ lệ lượt khám tại tuyến xã: 66,7% (không tính 1 lượt khám")


def test_commune_share_of_known_facilities_only(tmp_path):
    f = claims_csv(tmp_path / "c.csv", ["01999", "01999"])
    p = run("claims", "--data", dataset(tmp_path), f)
    assert line(p.stdout, "commune-tier") == "commune-tier share of visits: 100.0%"


def test_commune_share_not_available_without_a_known_facility(tmp_path):
    hicov.demo().save(str(tmp_path / "demo"))
    p = run("claims", "--data", str(tmp_path / "demo"), SAMPLE)
    assert p.returncode == 0, p.stderr
    assert line(p.stdout, "commune-tier") == (
        "commune-tier share of visits: not available (2 visits at facilities "
        "not in the dataset left out)")
    p = run("claims", "--data", str(tmp_path / "demo"), SAMPLE,
            lang="vi_VN.UTF-8")
    assert line(p.stdout, "tỷ lệ lượt khám tại tuyến xã").startswith(
        "tỷ lệ lượt khám tại tuyến xã: không có số liệu (")


# ---- 2. hicov equity: numbers in the labels' language ----------------------

EQUITY = ("equity", "--indicator", "coverage_rate", "--unit", "20", "--level",
          "commune", "--period", "2025", "--order", "population")


@pytest.mark.parametrize("how", ["LANG", "--lang"])
def test_equity_numbers_follow_the_language_of_the_labels(how):
    p = (run(*EQUITY, lang="vi_VN.UTF-8") if how == "LANG"
         else run(*EQUITY, "--lang", "vi"))
    assert p.returncode == 0, p.stderr
    assert re.fullmatch(r"Tỷ số \(R\) +1,061", line(p.stdout, "Tỷ số (R)"))
    assert re.fullmatch(r"Trung bình có trọng số dân số +95,00",
                        line(p.stdout, "Trung bình có trọng số"))


def test_equity_in_english_unchanged():
    p = run(*EQUITY)
    assert re.fullmatch(r"Ratio \(R\) +1\.061", line(p.stdout, "Ratio (R)"))


# ---- 3. hicov claims: money and rates in the text's language ---------------

def test_claims_money_and_rates_in_vietnamese():
    p = run("claims", SAMPLE, lang="vi_VN.UTF-8")
    assert p.returncode == 0, p.stderr
    assert line(p.stdout, "tổng chi phí") == (
        "tổng chi phí 5.408.000,00 đồng, quỹ chi trả 4.908.000,00 đồng, "
        "người bệnh cùng chi trả 250.000,00 đồng")
    files = line(p.stdout, "1 tệp")
    assert re.fullmatch(r"1 tệp \(0 tệp lỗi\), 0,0 MB trong \d+,\d\d giây: "
                        r"\d{1,3}(\.\d{3})* MB/s, \d{1,3}(\.\d{3})* hồ sơ/giây, "
                        r"0 theo QĐ 4210 / 2 theo QĐ 130", files), files


def test_claims_money_exact_in_vietnamese(tmp_path):
    # 16 digits: more than a double holds, the hundredths kept
    f = tmp_path / "big.csv"
    f.write_text(HEADER + "".join(
        f"L{i},79001,2024,3,01,4987654321098.77,80.00,20.00,"
        f"DN479793212345{i}\n" for i in (1, 2)))
    p = run("claims", str(f), lang="vi_VN.UTF-8")
    assert line(p.stdout, "tổng chi phí") == (
        "tổng chi phí 9.975.308.642.197,54 đồng, quỹ chi trả 160,00 đồng, "
        "người bệnh cùng chi trả 40,00 đồng")


def test_claims_money_and_rates_in_english():
    p = run("claims", SAMPLE)
    # unchanged: the money grouped, the rates plain (as scripts read them)
    assert line(p.stdout, "total cost") == (
        "total cost 5,408,000.00 VND, fund paid 4,908,000.00 VND, "
        "co-payment 250,000.00 VND")
    files = line(p.stdout, "files 1")
    assert re.fullmatch(r"files 1 \(0 failed\), 0\.0 MB in \d+\.\d\d s: "
                        r"\d+ MB/s, \d+ records/s, 0 era 4210 / 2 era 130",
                        files), files


def big_claims(tmp_path, n=1234):
    """n visits of n patients at one facility, with 15-character cards."""
    f = tmp_path / "many.csv"
    f.write_text(HEADER + "".join(
        f"L{i},01999,2024,3,01,100.00,80.00,20.00,DN4797932{i:06d}\n"
        for i in range(n)) + "X1,01999,2024,13,01,1.00,1.00,0.00,DN4797932999999\n")
    return str(f)


GROUPED = r"\d{1,3}(?:\.\d{3})*"


def test_claims_counts_grouped_in_vietnamese(tmp_path):
    p = run("claims", big_claims(tmp_path), lang="vi_VN.UTF-8")
    assert line(p.stdout, "đã đọc") == "đã đọc 1.235, chấp nhận 1.234, loại 1"
    assert re.fullmatch(r"  loại \S+ +1", line(p.stdout, "  loại")), p.stdout
    files = line(p.stdout, "1 tệp")
    assert re.fullmatch(r"1 tệp \(0 tệp lỗi\), 0,1 MB trong \d+,\d\d giây: "
                        rf"{GROUPED} MB/s, {GROUPED} hồ sơ/giây, "
                        r"0 theo QĐ 4210 / 1\.234 theo QĐ 130", files), files
    assert line(p.stdout, "quyết toán") == (
        "quyết toán 2024-03..2024-03: 1.234 lượt khám (0 lượt nội trú, 0 ngày), "
        "1.234 người bệnh, 1 cơ sở")


def test_claims_counts_plain_in_english(tmp_path):
    # as scripts read them, like the rest of the command in English
    p = run("claims", big_claims(tmp_path))
    assert line(p.stdout, "read") == "read 1235, accepted 1234, rejected 1"
    assert line(p.stdout, "settled") == (
        "settled 2024-03..2024-03: visits 1234 (inpatient 0, 0 days), "
        "patients 1234, facilities 1")


# ---- 4. --help of every command, adx export and import included ------------

@pytest.mark.parametrize("command", [
    ["summary"], ["claims"], ["report"], ["import"], ["table"], ["equity"],
    ["adx"], ["adx", "export"], ["adx", "import"]])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_the_usage_on_stdout(command, flag):
    p = run(*command, flag)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("usage: hicov " + command[0]), p.stdout
    assert p.stderr == ""


def listed_commands():
    """The commands `hicov --help` lists: a new one is checked as well."""
    out = run("--help").stdout
    return [l.split()[0] for l in out.split("commands:\n", 1)[1].splitlines()
            if l.startswith("  ") and l.strip()]


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_listed_command_takes_h_and_help(flag):
    commands = listed_commands()
    assert "summary" in commands and "claims" in commands, commands
    for command in commands:
        p = run(command, flag)
        assert (p.returncode, p.stderr) == (0, ""), (command, flag, p.stderr)
        assert p.stdout.startswith("usage: hicov " + command), (command, p.stdout)
        assert p.stdout == run(command, "--help").stdout, command


def test_adx_help_after_other_options():
    p = run("adx", "import", "x.xml", "--lenient", "--help")
    assert p.returncode == 0 and p.stdout.startswith("usage: hicov adx")


# ---- 5. hicov adx import: no counts for a file that could not be read ------

def test_adx_import_missing_file_prints_no_counts(tmp_path):
    p = run("adx", "import", "nothere.xml", cwd=tmp_path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert "nothere.xml" in p.stderr


def test_adx_import_counts_of_a_file_read(tmp_path):
    # a file read whose values were all rejected still says how many
    p = run("adx", "import", os.path.join(ROOT, "tests", "data", "adx",
                                          "adx_data_sample1.xml"))
    assert p.returncode == 1
    assert "13 values read, 0 imported" in p.stdout


# ---- 6. hicov claims -o: an input first, then what -o names ---------------

def test_claims_output_over_its_input_is_told_first(tmp_path):
    c = tmp_path / "c.xml"
    shutil.copy(SAMPLE, c)
    before = c.read_bytes()
    p = run("claims", "c.xml", "-o", "c.xml", cwd=tmp_path)
    assert p.returncode == 2
    assert "-o c.xml would replace a file this command reads (c.xml)" in p.stderr
    assert "dataset folder" not in p.stderr
    assert c.read_bytes() == before


def test_claims_output_that_is_no_csv_and_no_folder(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "c.xml")
    # a new name not ending in .csv names a dataset folder (README), which
    # needs the dataset
    p = run("claims", "c.xml", "-o", "out.txt", cwd=tmp_path)
    assert p.returncode == 2
    assert ("-o out.txt does not end in .csv, so it names a dataset folder: "
            "give the dataset the claims join with --data DIR") in p.stderr
    assert not (tmp_path / "out.txt").exists()
    # an existing file that is not a .csv is neither, with or without --data
    (tmp_path / "out.txt").write_text("keep\n")
    hicov.demo().save(str(tmp_path / "demo"))
    for extra in ([], ["--data", "demo"]):
        p = run("claims", *extra, "c.xml", "-o", "out.txt", cwd=tmp_path)
        assert p.returncode == 2
        assert "-o out.txt is a file but not a .csv one" in p.stderr, p.stderr
        assert p.stdout == ""
    assert (tmp_path / "out.txt").read_text() == "keep\n"


# ---- 7. summary --unit, report --resolution demo:N -------------------------

def test_summary_unknown_unit_before_the_banner():
    p = run("summary", "--unit", "XX")
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr == "hicov summary: unknown unit 'XX'\n"


def test_report_on_a_dataset_without_resolutions(tmp_path):
    hicov.demo().save(str(tmp_path / "demo"))
    p = run("report", "--data", "demo", "--resolution", "demo:0", cwd=tmp_path)
    assert p.returncode == 2
    assert ("--resolution demo:0: the dataset carries no resolution: give one "
            "as a file with --resolution FILE") in p.stderr
    assert "0 resolution(s)" not in p.stderr


# ---- 8. hicov table -o: the extensions the command writes ------------------

@pytest.mark.parametrize("name", ["t.txt", "t.xlsm", "t"])
def test_table_refuses_an_unknown_extension(tmp_path, name):
    p = run("table", "coverage_rate", "--period", "2025", "-o", name,
            cwd=tmp_path)
    assert p.returncode == 2
    assert "-o expects a file name ending in .xlsx, .ods or .csv" in p.stderr
    assert not (tmp_path / name).exists()


def test_table_extension_in_any_case(tmp_path):
    p = run("table", "coverage_rate", "--period", "2025", "-o", "T.CSV",
            cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "T.CSV").read_text().startswith("Mã,Đơn vị,")
