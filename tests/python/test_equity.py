"""Dataset.equity() and `hicov equity` against numbers worked out by hand
(the same three communes as tests/c/test-equity.c)."""

import math
import os
import subprocess

import pytest

import hicov

UNITS = (
    "code,name,parent,level\n"
    "P,Province,,province\n"
    "A,Commune A,P,commune\n"
    "B,Commune B,P,commune\n"
    "C,Commune C,P,commune\n"
    "D,Commune D,P,commune\n"
)
# 2024: A 500/1000 = 50%, B 1600/2000 = 80%, C 900/1000 = 90%; D has no
# participants.  2023: A 400/1000 = 40%, B 1600/2000 = 80% only.
VALUES = (
    "unit,period,measure,value\n"
    "A,2024,population,1000\nA,2024,participants,500\nA,2024,visits,30\n"
    "B,2024,population,2000\nB,2024,participants,1600\nB,2024,visits,10\n"
    "C,2024,population,1000\nC,2024,participants,900\nC,2024,visits,20\n"
    "D,2024,population,500\n"
    "A,2023,population,1000\nA,2023,participants,400\n"
    "B,2023,population,2000\nB,2023,participants,1600\n"
)


@pytest.fixture
def ds(write_dataset):
    return hicov.load(write_dataset(UNITS, VALUES))


def test_one_period(ds):
    e = ds.equity("coverage_rate", "P", "commune", "2024", lang="en")
    assert e["status"] == "ok" and e["n_units"] == 4 and e["n_used"] == 3
    # mu = .25 x 50 + .5 x 80 + .25 x 90 = 75 (3000 / 4000 participants)
    assert e["mean"] == pytest.approx(75, abs=1e-12)
    assert (e["high_unit"], e["low_unit"]) == ("C", "A")
    assert e["difference"] == pytest.approx(40) and e["ratio"] == pytest.approx(1.8)
    # IDisW = (.25 x 25 + .5 x 5 + .25 x 15) / 75 x 100 = 12.5 / 75 x 100
    assert e["idis_w"] == pytest.approx(50 / 3, abs=1e-12)
    assert e["idis"] == pytest.approx(20, abs=1e-12)  # 15 / 75 x 100
    assert e["bgv"] == pytest.approx(225)  # 156.25 + 12.5 + 56.25
    # Theil = .25 (2/3) ln(2/3) + .5 (16/15) ln(16/15) + .25 (6/5) ln(6/5)
    assert e["theil"] == pytest.approx(0.0215395, abs=1e-7)
    assert e["mld"] == pytest.approx(0.0235166, abs=1e-7)
    assert e["par"] == pytest.approx(15) and e["paf"] == pytest.approx(20)
    assert math.isnan(e["sii"]) and not e["ordered"]
    assert e["excluded"] == [{"unit": "D", "ordering_only": False,
                              "reason": e["excluded"][0]["reason"]}]
    assert e["excluded"][0]["reason"].startswith("no value: ")
    vi = ds.equity("coverage_rate", "P", "commune", 2024, lang="vi")
    assert vi["excluded"][0]["reason"].startswith("không có giá trị: ")


def test_ordered(ds):
    # Visits, lowest first: B .25, C .625, A .875 (ridits); the weighted
    # line has b = -320/9, a = 835/9 (tests/c/test-equity.c works it out).
    e = ds.equity("coverage_rate", "P", "commune", "2024", order="visits")
    assert e["ordered"] and e["n_ordered"] == 3
    assert e["sii"] == pytest.approx(-320 / 9, abs=1e-9)
    assert e["intercept"] == pytest.approx(835 / 9, abs=1e-9)
    assert e["rii"] == pytest.approx(515 / 835, abs=1e-12)


def test_years(ds):
    f = ds.equity("coverage_rate", "P", "commune", range(2022, 2025))
    assert list(f.index) == [2022, 2023, 2024] and f.index.name == "year"
    assert list(f["status"]) == ["missing", "ok", "ok"]
    # 2023: A 40 (p 1/3), B 80 (p 2/3): mu = 200/3, D 40, R 2
    assert f.loc[2023, "mean"] == pytest.approx(200 / 3)
    assert f.loc[2023, "ratio"] == pytest.approx(2)
    assert f.loc[2024, "mean"] == pytest.approx(75)
    assert math.isnan(f.loc[2022, "theil"])
    # years given as periods ('2023', a pandas Period of a year) alike
    import pandas as pd
    g = ds.equity("coverage_rate", "P", "commune",
                  ["2022", pd.Period("2023", "Y"), 2024])
    assert g.equals(f)
    with pytest.raises(ValueError, match="whole years"):
        ds.equity("coverage_rate", "P", "commune", ["2023-Q1", "2024"])


def test_errors(ds):
    with pytest.raises(hicov.NotFoundError):
        ds.equity("nope", "P", "commune", "2024")
    # the argument is named: a misspelt order is not a misspelt indicator
    with pytest.raises(hicov.NotFoundError, match="^order: unknown indicator 'nope'"):
        ds.equity("coverage_rate", "P", "commune", "2024", order="nope")
    with pytest.raises(hicov.InvalidError):
        ds.equity("coverage_rate", "A", "province", "2024")
    with pytest.raises(ValueError):
        ds.equity("coverage_rate", "P", "commune", "2024", lang="fr")


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def test_cli(write_dataset):
    data = str(write_dataset(UNITS, VALUES))
    run = lambda *a: subprocess.run(  # noqa: E731
        [cli(), "equity", "--data", data, "--indicator", "coverage_rate",
         "--unit", "P", "--level", "commune", *a],
        capture_output=True, text=True, check=True).stdout
    en = run("--period", "2024", "--lang", "en", "--order", "visits")
    lines = {line[:46].strip(): line[46:].split() for line in en.splitlines()}
    assert lines["Population-weighted mean"] == ["75.00"]
    assert lines["Ratio (R)"] == ["1.800"]
    assert lines["Weighted index of disparity (IDisW), %"] == ["16.67"]
    assert lines["Slope index of inequality (SII)"] == ["-35.56"]  # -320/9
    assert "left out: Commune D (D): no value" in en
    vi = run("--from", "2023", "--to", "2024", "--lang", "vi")
    lines = {line[:46].strip(): line[46:].split() for line in vi.splitlines()}
    assert lines["Trung bình có trọng số dân số"] == ["66,67", "75,00"]
    assert lines["Tỷ số (R)"] == ["2,000", "1,800"]


def test_report(ds, tmp_path):
    """A target over P's communes: the report carries the equity of its
    indicator across them in the latest year with a result (2024)."""
    import xml.etree.ElementTree as ET
    res = {"body": "B", "number": "1", "title": "T", "term": (2023, 2025),
           "targets": [{"indicator": "coverage_rate", "unit": "P",
                        "level": "commune", "threshold": 85.0,
                        "deadline": 2025}]}
    rep = ds.report(res, lang="en", time=1_750_000_000)
    ns = {"r": "urn:hicov:report:1"}
    [eq] = ET.fromstring(rep.xml.encode("utf-8")).findall(".//r:equity", ns)
    assert (eq.get("year"), eq.get("level"), eq.get("used")) == ("2024", "commune", "3")
    assert (eq.get("high-unit"), eq.get("low-unit")) == ("C", "A")
    got = {m.get("name"): float(m.get("value")) for m in eq.findall("r:measure", ns)}
    assert got["mean"] == pytest.approx(75) and got["ratio"] == pytest.approx(1.8)
    assert got["theil"] == pytest.approx(0.0215395, abs=1e-7)
    assert "sii" not in got  # no ordering in a report
    vi, en = [t.text for t in eq.findall("r:text", ns)]
    # highest/lowest 90%/50%, ratio 1.8, IDisW 16.67%, Theil 21.54 x 1000
    assert en == ("Equity across units at commune level (2024, 3 units): "
                  "highest/lowest 90.0%/50.0% (ratio 1.80), weighted index of "
                  "disparity 16.67%, Theil index 21.54 (x1000).")
    assert vi.startswith("Chênh lệch giữa các xã (2024, 3 đơn vị): cao nhất/thấp "
                         "nhất 90,0%/50,0% (tỷ số 1,80)")
    rep.save_html(str(tmp_path / "r.html"))
    assert en in (tmp_path / "r.html").read_text(encoding="utf-8")
