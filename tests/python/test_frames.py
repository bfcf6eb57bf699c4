"""Datasets that persist: hicov.from_frames, Dataset.values, to_frames,
save and copy.  Values are worked out by hand from the frames given; a
saved folder is compared byte for byte."""

import datetime
import decimal
import filecmp
import os

import numpy as np
import pandas as pd
import pytest

import hicov
from conftest import SMALL_UNITS, SMALL_VALUES
from test_refcount import check_refs

D = decimal.Decimal

UNITS = pd.DataFrame({
    "code": ["P", "D1", "C1", "C2", "CX", "F1"],
    "name": ["Tỉnh Pê", "Huyện Một", "Xã A, \"cũ\"", " Xã B ", "Xã Mới", "Trạm y tế A"],
    "parent": [None, "P", "D1", "D1", "P", "C1"],
    "level": ["province", "district", "commune", "commune", "commune", "facility"],
    "tier": [None, None, None, None, None, "commune"],
    "valid_to": [None, "2025-07-01", "2025-07-01", "2025-07-01", None, None],
    "successor": [None, None, "CX", "CX", None, None],
    "valid_from": [None, None, None, None, "2025-07-01", None],
    "synthetic": [False, False, True, True, True, False],
})

VALUES = pd.DataFrame({
    "unit": ["C1", "C1", "C2", "C2", "CX", "P", "P", "F1", "P"],
    "period": ["2024", "2024", "2024", "2024", "2025", "2024", "2024",
               "2024-Q3", "2025-01/2025-10"],
    "measure": ["population", "participants", "population", "participants",
                "participants", "participants", "total_cost", "visits", "visits"],
    "group": [None, None, None, None, None, "HN", None, None, None],
    "value": [D("1000.00"), D("950.00"), D("3000.00"), D("2850.00"), D("3700.50"),
              D("120.00"), D("12345678901.23"), D("17.00"), D("4000.00")],
    "source": ["sổ xã", None, None, None, "a, b\nc", None, "published", None, None],
})


def sorted_rows(frame):
    rows = [tuple(None if (isinstance(x, float) and np.isnan(x)) else x for x in r)
            for r in frame.itertuples(index=False)]
    return sorted(rows, key=repr)


def test_values_frame(write_dataset):
    ds = hicov.load(str(write_dataset(SMALL_UNITS, SMALL_VALUES)))
    v = ds.values()
    assert list(v.columns) == ["unit", "period", "measure", "group", "value", "source"]
    # values.csv's order: unit (load order), measure (population first),
    # group, period
    assert v.values.tolist() == [
        ["C1", "2023", "population", None, D("1000.00"), None],
        ["C1", "2024", "population", None, D("1000.00"), None],
        ["C1", "2023", "participants", None, D("900.00"), None],
        ["C1", "2024", "participants", None, D("950.00"), None],
        ["C2", "2023", "population", None, D("3000.00"), None],
        ["C2", "2024", "population", None, D("3000.00"), None],
        ["C2", "2023", "participants", None, D("2400.00"), None],
        ["C2", "2024", "participants", None, D("2850.00"), None],
    ]
    f = ds.values(exact=False)
    assert f["value"].dtype == np.float64
    assert f["value"].tolist() == [1000, 1000, 900, 950, 3000, 3000, 2400, 2850]
    assert hicov.load(str(write_dataset(SMALL_UNITS, "unit,period,measure,value\n"))) \
        .values().shape == (0, 6)


def test_from_frames_save_load_gives_every_value_back(tmp_path):
    ds = hicov.from_frames(UNITS, VALUES)
    assert sorted_rows(ds.values()) == sorted_rows(VALUES)
    ds.save(tmp_path / "d")
    back = hicov.load(str(tmp_path / "d"))
    assert sorted_rows(back.values()) == sorted_rows(VALUES)
    units, values = back.to_frames()
    assert units.values.tolist() == UNITS.values.tolist()
    # the sums the core makes from them: C1 + C2 in 2024, CX in 2025
    assert back.measure("participants", "D1", "2024") == D("3800.00")
    assert back.measure("participants", "P", "2025") == D("3700.50")
    # money exact on request; by default the double nearest it
    assert back.measure("total_cost", "P", "2024", money="decimal") == D("12345678901.23")
    assert back.measure("total_cost", "P", "2024") == 12345678901.23
    # quoted names and sources, leading spaces kept
    assert units["name"].tolist()[2:4] == ["Xã A, \"cũ\"", " Xã B "]
    text = (tmp_path / "d" / "values.csv").read_text(encoding="utf-8")
    assert '"a, b\nc"' in text


def test_save_is_byte_stable(tmp_path, demo):
    demo.save(tmp_path / "a")
    hicov.load(str(tmp_path / "a")).save(tmp_path / "b")
    hicov.from_frames(*demo.to_frames()).save(tmp_path / "c")
    for name in ("units.csv", "values.csv"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        assert first == (tmp_path / "c" / name).read_bytes()
    assert len(hicov.load(str(tmp_path / "a")).values()) == len(demo.values())
    # saving over a folder keeps its other files and replaces both CSVs
    (tmp_path / "a" / "notes.txt").write_text("keep me")
    hicov.from_frames(UNITS, VALUES).save(tmp_path / "a")
    assert (tmp_path / "a" / "notes.txt").read_text() == "keep me"
    assert sorted_rows(hicov.load(str(tmp_path / "a")).values()) == sorted_rows(VALUES)
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p or ".old-" in p]


def test_failed_save_leaves_the_folder(tmp_path):
    hicov.from_frames(UNITS, VALUES).save(tmp_path / "d")
    (tmp_path / "d" / "sub").mkdir()  # the exchange would hide it: refused
    before = {p: (tmp_path / "d" / p).read_bytes() for p in ("units.csv", "values.csv")}
    with pytest.raises(hicov.FileError, match="sub"):
        hicov.demo().save(tmp_path / "d")
    assert {p: (tmp_path / "d" / p).read_bytes() for p in before} == before
    assert sorted(os.listdir(tmp_path)) == ["d"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(hicov.FileError, match="not a folder"):
        hicov.demo().save(tmp_path / "file")


def test_from_frames_takes_pandas_dtypes():
    units = pd.DataFrame({
        "code": pd.Series([20, 2001, 2002], dtype="int64"),
        "name": ["Lạng Sơn", "Xã A", "Xã B"],
        "parent": [np.nan, 20.0, 20.0],               # float64 with a NaN
        "level": pd.Categorical(["province", "commune", "commune"]),
        "valid_to": pd.to_datetime([None, "2025-07-01", None]),
        "valid_from": [None, None, datetime.date(2025, 7, 1)],
        "synthetic": pd.Series([0, 1, 1], dtype="Int64"),
    })
    values = pd.DataFrame({
        "unit": pd.Series([2001, 2001, 2002, 2002], dtype="int64"),
        "period": [pd.Period("2024", "Y"), pd.Period("2024Q3", "Q"),
                   pd.Period("2025-10", "M"), 2025],
        "measure": pd.Categorical(["population", "visits", "participants", "fund_paid"]),
        "value": pd.Series([1200, 7, 640, None], dtype="Int64"),
    })
    values.loc[3, "value"] = 5  # nullable Int64 keeps its dtype
    ds = hicov.from_frames(units, values)
    u, v = ds.to_frames()
    assert u["code"].tolist() == ["20", "2001", "2002"]
    assert u["parent"].tolist() == [None, "20", "20"]
    assert u["valid_to"].tolist() == [None, "2025-07-01", None]
    assert u["valid_from"].tolist() == [None, None, "2025-07-01"]
    assert u["synthetic"].tolist() == [False, True, True]
    assert v[["unit", "period", "measure", "value"]].values.tolist() == [
        ["2001", "2024", "population", D("1200.00")],
        ["2001", "2024-Q3", "visits", D("7.00")],
        ["2002", "2025-10", "participants", D("640.00")],
        ["2002", "2025", "fund_paid", D("5.00")],
    ]
    # float64 values: whole, and money with cents read exactly
    values = pd.DataFrame({"unit": ["2001", "2001"], "period": ["2024", "2023"],
                           "measure": ["fund_paid", "fund_paid"],
                           "value": np.array([1234567.0, 1234.56])})
    v = hicov.from_frames(units, values).values()
    assert v["value"].tolist() == [D("1234.56"), D("1234567.00")]


def rejected(units, values, **kw):
    with pytest.raises(hicov.ParseError) as e:
        hicov.from_frames(units, values, **kw)
    return e.value


def test_from_frames_names_the_row_and_column():
    bad = UNITS.copy()
    bad.loc[3, "level"] = "comune"
    e = rejected(bad, VALUES, lang="en")
    assert str(e).startswith("units iloc[3], column 'level': expected country, province, "
                             "district, commune or facility, found 'comune'")
    assert (e.frame, e.row, e.index, e.field) == ("units", 3, 3, "level")
    # C2 was rejected, so its values name an unknown unit: all are listed
    values = VALUES.set_index(pd.Index([f"r{i}" for i in range(len(VALUES))]))
    values.loc["r4", "value"] = "1,2"
    e = rejected(UNITS, values, lang="en")
    assert str(e).startswith("values iloc[4] (index 'r4'), column 'value': expected a "
                             "number (digits, '.' for decimals")
    assert e.index == "r4" and len(e.rejections) == 1
    e = rejected(UNITS, values, lang="vi")
    assert "values iloc[4] (index 'r4'), column 'value': " in str(e)
    assert "1,2" in str(e) and "expected" not in str(e)  # the core's Vietnamese
    # a cell pandas holds as something else than the column takes
    bad = UNITS.copy()
    bad["parent"] = bad["parent"].astype(object)
    bad.loc[1, "parent"] = 1.5
    e = rejected(bad, VALUES)
    assert str(e) == ("units iloc[1], column 'parent': expected a code (text or a "
                      "whole number), found 1.5 (float)")
    bad = UNITS.copy()
    bad["valid_to"] = pd.to_datetime(bad["valid_to"])
    bad.loc[2, "valid_to"] = pd.Timestamp("2025-07-01 13:30")
    e = rejected(bad, VALUES)
    assert "units iloc[2], column 'valid_to': expected a date: a time of day" in str(e)
    e = rejected(UNITS, VALUES.drop(columns=["measure"]))
    assert str(e).startswith("values: missing column 'measure'")
    # a value given twice: the row of the first
    twice = pd.concat([VALUES, VALUES.iloc[[6]]], ignore_index=True)
    e = rejected(UNITS, twice, lang="en")
    assert str(e) == ("values iloc[9], column 'value': a value for the same unit, "
                      "period, measure and group is already given in values iloc[6]")
    with pytest.raises(TypeError, match="pandas DataFrame"):
        hicov.from_frames({"code": []}, VALUES)
    with pytest.raises(hicov.InvalidError):
        hicov.from_frames(UNITS, VALUES, lang="fr")


def test_copy_is_independent(write_dataset):
    ds = hicov.load(str(write_dataset(SMALL_UNITS, SMALL_VALUES)), lang="en")
    ds.fund_share = 85
    c = ds.copy()
    assert c.lang == "en" and c.fund_share == 85
    assert c.values().values.tolist() == ds.values().values.tolist()
    doc = ('<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-01T00:00:00Z">'
           '<group orgUnit="C1" period="2025-01-01/P1Y">'
           '<dataValue dataElement="population" value="1100"/></group></adx>')
    c.load_adx_bytes(doc.encode())
    assert c.measure("population", "C1", "2025") == D("1100.00")
    assert ds.measure("population", "C1", "2025") is None
    import copy
    assert len(copy.deepcopy(ds).values()) == len(copy.copy(ds).values()) == 8
    demo = hicov.demo()
    assert len(demo.copy().resolutions) == len(demo.resolutions) == 3


def test_refcounts(tmp_path):
    ds = hicov.from_frames(UNITS, VALUES)
    check_refs(hicov.from_frames, UNITS, VALUES)
    check_refs(ds.values)
    check_refs(ds.values, exact=False)
    check_refs(ds.to_frames)
    check_refs(ds.copy)
    check_refs(ds.save, str(tmp_path / "d"))
    check_refs(ds.save, str(tmp_path / "no" / "d"), raises=hicov.FileError)
    bad = UNITS.copy()
    bad.loc[0, "level"] = "x"
    check_refs(hicov.from_frames, bad, VALUES, raises=hicov.ParseError)


def test_cli_claims_writes_the_merged_dataset(tmp_path):
    """hicov claims --data DIR -o DIR: the aggregates merged into the
    dataset and saved; a facility the dataset lacks, or a conflict, and the
    folder stays byte for byte (-o FILE.csv still writes values.csv)."""
    import subprocess
    build = os.environ.get("HICOV_BUILD_DIR")
    exe = os.path.join(build, "csrc", "hicov") if build else None
    if not exe or not os.access(exe, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    sample = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "data", "claims-sample-130.xml")
    d = tmp_path / "d"
    hicov.from_frames(UNITS, VALUES).save(d)
    before = {p: (d / p).read_bytes() for p in ("units.csv", "values.csv")}
    p = subprocess.run([exe, "claims", "--data", str(d), "-o", str(d), sample],
                       capture_output=True, text=True)
    assert p.returncode == 1 and "01999" in p.stderr and "not written" in p.stderr
    assert {k: (d / k).read_bytes() for k in before} == before
    units = pd.concat([UNITS, pd.DataFrame({
        "code": ["01999"], "name": ["Bệnh viện thử"], "parent": ["D1"], "level": ["facility"],
        "tier": ["district"], "synthetic": [False]})], ignore_index=True)
    hicov.from_frames(units, VALUES).save(d)
    p = subprocess.run([exe, "claims", "--data", str(d), "-o", str(d), sample],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    # six flows (visits, inpatient visits and days, cost, fund, co-payment)
    # for all groups and the sample's two groups, HT and TE: 18; three
    # distinct-patient counts for the month and the year at the facility,
    # D1 and P: 18
    assert "merged: 36 added, 0 replaced, 0 kept, 0 unchanged" in p.stdout
    ds = hicov.load(str(d))
    # the sample's two visits, 5,408,000 đồng, at the facility in 2024-03
    assert ds.measure("visits", "01999", "2024-03") == D("2.00")
    assert ds.measure("total_cost", "01999", "2024-03") == D("5408000.00")
    assert ds.measure("participants", "D1", "2024") == D("3800.00")  # kept
    p = subprocess.run([exe, "claims", "--data", str(d), "-o", str(tmp_path / "v.csv"),
                        sample], capture_output=True, text=True)
    assert p.returncode == 0 and (tmp_path / "v.csv").read_text().startswith(
        "unit,period,measure,value,group,source\n")
