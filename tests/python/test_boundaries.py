"""Comparisons across the 2025 reform, like for like (issue 17), from
Python: growth and changes against the same territory a year earlier,
Dataset.change/cagr on the later period's boundaries, series on today's
boundaries (and as published for audit), a split through crosswalk.csv
with its estimates, and the checks with their lines.  Every expected number
is worked out by hand in the comments."""

import math
import os
import subprocess

import pytest

import hicov

UNITS = """code,name,parent,level,tier,valid_to,successor,valid_from
VN,Việt Nam,,country,,,,
A,Tỉnh A,VN,province,,2025-07-01,B,
B,Tỉnh B,VN,province,,,,
X,Xã Cũ,B,commune,,2025-07-01,,
Y,Xã Lớn,B,commune,,,,
Z,Xã Mới,B,commune,,,,2025-07-01
"""

CROSSWALK = """old,new,share,date,basis
X,Y,0.6,2025-07-01,population
X,Z,0.4,2025-07-01,
"""

# A: 2023 356,000 of 400,000; 2024 360,000 of 400,000 (90%).
# B: 2023 504,000 of 600,000; 2024 510,000 of 600,000 (85%); 2025 909,000
# of 1,010,000 (90%).  Together 2023: 86%, 2024: 87%.
# Months: September 361,000 + 512,000 = 873,000; 916,650 a year later.
# Year to date, visits: 250,000 + 400,000 = 650,000; 689,000 a year later.
# Communes: X 900 of 1,000 and Y 1,700 of 2,000 in 2024; Y 2,376 of 2,640
# and Z 378 of 420 in 2025.
VALUES = """unit,period,measure,value
A,2023,population,400000
A,2023,participants,356000
A,2024,population,400000
A,2024,participants,360000
A,2024-09,participants,361000
A,2024-01/2024-10,visits,250000
B,2023,population,600000
B,2023,participants,504000
B,2024,population,600000
B,2024,participants,510000
B,2024-09,participants,512000
B,2024-01/2024-10,visits,400000
B,2025,population,1010000
B,2025,participants,909000
B,2025-09,participants,916650
B,2025-01/2025-10,visits,689000
X,2024,population,1000
X,2024,participants,900
Y,2024,population,2000
Y,2024,participants,1700
Y,2025,population,2640
Y,2025,participants,2376
Z,2025,population,420
Z,2025,participants,378
"""


def write(folder, crosswalk=CROSSWALK, units=UNITS, values=VALUES):
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text(units, encoding="utf-8")
    (folder / "values.csv").write_text(values, encoding="utf-8")
    if crosswalk is not None:
        (folder / "crosswalk.csv").write_text(crosswalk, encoding="utf-8")
    return folder


@pytest.fixture
def ds(tmp_path):
    return hicov.load(write(tmp_path / "reform"), lang="en")


def test_growth_against_the_same_territory(ds):
    # (909,000 - 870,000) / 870,000; B alone would be 399,000 / 510,000
    assert ds.value("participants_growth", "B", "2025") == pytest.approx(
        39000 / 870000 * 100, abs=1e-9)
    assert ds.value("coverage_change", "B", "2025") == pytest.approx(3.0, abs=1e-9)
    assert ds.change("participants", "B", "2024", "2025") == pytest.approx(39000)
    assert ds.cagr("coverage_rate", "B", 2023, 2025) == pytest.approx(
        (math.sqrt(90 / 86) - 1) * 100, abs=1e-9)
    # months and year to date
    assert ds.value("participants_growth", "B", "2025-09") == pytest.approx(5.0, abs=1e-9)
    assert ds.value("visits_growth", "B", "2025-01/2025-10") == pytest.approx(6.0, abs=1e-9)
    # the level itself stays as published
    assert ds.value("coverage_rate", "B", "2024") == pytest.approx(85.0)


def test_as_published_for_audit(ds):
    assert ds.boundaries == "today"
    assert ds.value("participants_growth", "B", "2025",
                    boundaries="as-published") == pytest.approx(399000 / 510000 * 100)
    assert ds.change("coverage_rate", "B", "2024", "2025",
                     boundaries="as-published") == pytest.approx(5.0)
    assert ds.boundaries == "today"  # one call's choice does not stay
    ds.boundaries = "as-published"
    assert ds.value("visits_growth", "B", "2025-01/2025-10") == pytest.approx(72.25)
    ds.boundaries = "today"
    with pytest.raises(hicov.InvalidError, match="boundaries must be"):
        ds.boundaries = "yesterday"
    with pytest.raises(hicov.InvalidError, match="'today', 'as-published'"):
        ds.value("coverage_change", "B", "2025", boundaries="then")
    with pytest.raises(TypeError):
        ds.boundaries = None


def test_series_on_todays_boundaries(ds):
    s = ds.series("coverage_rate", "B", start="2023", end="2025")
    assert s.tolist() == pytest.approx([86.0, 87.0, 90.0])
    assert s.attrs == {"boundaries": "today", "as_of": "2025-12",
                       "note": "on today's boundaries", "estimates": [],
                       "indicator": "coverage_rate", "unit": "B", "freq": "Y",
                       "group": None}
    p = ds.series("coverage_rate", "B", start="2023", end="2025",
                  boundaries="as-published")
    assert p.tolist() == pytest.approx([84.0, 85.0, 90.0])
    assert p.attrs["boundaries"] == "as-published" and p.attrs["as_of"] is None
    # A unit nothing joined says nothing
    a = ds.series("coverage_rate", "A", start="2023", end="2024")
    assert a.tolist() == pytest.approx([89.0, 90.0]) and a.attrs["note"] == ""
    # the series ends before the merger: B alone
    b = ds.series("coverage_rate", "B", start="2023", end="2024")
    assert b.tolist() == pytest.approx([84.0, 85.0])
    ds.lang = "vi"
    s = ds.series("coverage_rate", "B", start="2024", end="2025")
    assert s.attrs["note"] == "theo địa giới hành chính hiện nay"


def test_split_is_an_estimate(ds):
    # Y in 2024 on 2025's boundaries: 2,000 + 600 people, 1,700 + 540
    # insured (86.15...%); Z: 400 and 360 (90%)
    r = ds.result("coverage_change", "Y", "2025")
    assert r.value == pytest.approx(90 - 2240 / 2600 * 100, abs=1e-9)
    assert r.estimate is True
    value, status, reason = r  # the tuple is as before
    assert status == "ok" and reason == ""
    assert ds.result("participants_growth", "Z", "2025").value == pytest.approx(5.0)
    assert ds.result("coverage_rate", "Y", "2025").estimate is False
    s = ds.series("participants", "Y", start="2024", end="2025")
    assert s.tolist() == pytest.approx([2240, 2376])
    assert s.attrs["estimates"] == ["2024"]
    assert ds.result("participants_growth", "Y", "2025",
                     boundaries="as-published").estimate is False


def test_missing_predecessor_is_named(tmp_path):
    # A's participants of 2024: none (its September, a month-end in 2024,
    # would stand for the year)
    values = "\n".join(line for line in VALUES.splitlines()
                       if not line.startswith(("A,2024,participants",
                                               "A,2024-09,participants")))
    ds = hicov.load(write(tmp_path / "gap", values=values + "\n"), lang="en")
    r = ds.result("participants_growth", "B", "2025")
    assert r.status == "missing"
    assert r.reason == ("no comparison value for 2024: no participants data "
                        "for Tỉnh A (merged into Tỉnh B on 2025-07-01) in 2024")
    assert ds.reason("coverage_change", "B", "2025", lang="vi") == (
        "không có giá trị so sánh của kỳ 2024: không có số liệu số người "
        "tham gia của Tỉnh A (sáp nhập vào Tỉnh B từ 2025-07-01) trong kỳ 2024")


def test_fit_and_baseline_on_todays_boundaries(ds):
    res = {"body": "HĐND tỉnh B", "number": "1", "title": "T", "term": (2025, 2030),
           "targets": [{"indicator": "coverage_rate", "unit": "B",
                        "threshold": 95, "deadline": 2030, "baseline": 2024}]}
    row = ds.assess(res).iloc[0]
    assert row.baseline_value == pytest.approx(87.0)
    assert row.fit_values == pytest.approx([86.0, 87.0, 90.0])
    assert row.boundaries_as_of == "2025-12"
    assert not row.baseline_estimate and not row.fit_estimate
    old = ds.assess(res, boundaries="as-published").iloc[0]
    assert old.baseline_value == pytest.approx(85.0)
    assert old.fit_values == pytest.approx([84.0, 85.0, 90.0])
    assert old.boundaries_as_of is None


def test_checks_say_where(tmp_path):
    bad = CROSSWALK.replace("0.4", "0.3")
    with pytest.raises(hicov.ParseError) as e:
        hicov.load(write(tmp_path / "shares", crosswalk=bad), lang="en")
    assert str(e.value) == ("crosswalk.csv line 2, column 3 (share): the shares "
                            "of 'X' (lines 2, 3) add up to 0.9, expected 1")
    assert (e.value.file, e.value.line, e.value.column) == ("crosswalk.csv", 2, 3)
    late = UNITS.replace("Z,Xã Mới,B,commune,,,,2025-07-01",
                         "Z,Xã Mới,B,commune,,,,2026-01-01")
    with pytest.raises(hicov.ParseError, match="crosswalk.csv line 3, column 2 "
                       r"\(new\): the successor 'Z' does not exist on 2025-07-01"):
        hicov.load(write(tmp_path / "late", units=late), lang="en")
    outlives = UNITS.replace("X,Xã Cũ,B,commune,,2025-07-01,,",
                             "D,Huyện,B,district,,2025-07-01,,\n"
                             "X,Xã Cũ,D,commune,,,,")
    with pytest.raises(hicov.ParseError, match="units.csv line 6, column 6 "
                       r"\(valid_to\): the unit has no valid_to but its parent 'D'"):
        hicov.load(write(tmp_path / "outlives", units=outlives, crosswalk=None),
                   lang="en")
    # lenient: the unit's rows are rejected and counted, the rest loads
    ds = hicov.load(write(tmp_path / "lenient", crosswalk=bad), strict=False)
    assert ds.rejections["line"].tolist() == [2, 3]
    stats = ds.load_stats
    assert stats.read == stats.accepted + stats.rejected


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def run_cli(*args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    return subprocess.run([cli(), *args], capture_output=True, text=True,
                          env=env, check=True).stdout


def test_cli_says_what_a_change_takes_in(tmp_path):
    data = str(write(tmp_path / "reform"))
    out = run_cli("summary", "--data", data, "--unit", "B", "--period", "2025")
    assert "Comparisons and trends: on today's boundaries\n" in out
    # change 90 - 87 = 3.00 points, growth 4.48%
    row = next(l for l in out.splitlines() if l.startswith("B "))
    assert row.split()[-5:-3] == ["3.00", "4.48"]
    assert ("change pts, growth %: on today's boundaries: with Tỉnh A\n"
            in out)
    # the commune Y compares with a share of X: an estimate, marked
    y = next(l for l in out.splitlines() if l.startswith("Y "))
    assert "*" in y
    assert "*: an estimate, from the shares of divided units" in out
    old = run_cli("summary", "--data", data, "--unit", "B", "--period", "2025",
                  "--boundaries", "as-published")
    assert "Comparisons and trends: as published at the time\n" in old
    row = next(l for l in old.splitlines() if l.startswith("B "))
    assert row.split()[-5:-3] == ["5.00", "78.24"]
    bad = subprocess.run([cli(), "summary", "--boundaries", "then"],
                         capture_output=True, text=True)
    assert bad.returncode == 2
    assert "--boundaries: expected today or as-published, found 'then'" in bad.stderr


def test_cli_report_provenance(tmp_path):
    data = write(tmp_path / "reform")
    res = tmp_path / "res.xml"
    resolution = hicov.Resolution({
        "body": "HĐND tỉnh B", "number": "1", "title": "T", "term": (2025, 2030),
        "targets": [{"indicator": "coverage_rate", "unit": "B", "threshold": 95,
                     "deadline": 2030, "baseline": 2024}]})
    resolution.save(res)
    for basis in ("today", "as-published"):
        out = tmp_path / f"{basis}.xml"
        run_cli("report", "--data", str(data), "--resolution", str(res),
                "-o", str(out), "--quiet", "--boundaries", basis)
        xml = out.read_text(encoding="utf-8")
        assert f'<boundaries basis="{basis}"' in xml
        assert 'role="crosswalk"' in xml
        assert '<predecessor unit="A" name="Tỉnh A" joined="2025-07-01" share="1"/>' in xml
        assert ('<baseline year="2024" value="87"/>' if basis == "today"
                else '<baseline year="2024" value="85"/>') in xml
