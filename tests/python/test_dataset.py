"""Dataset API on a small hand-made dataset and on the demo."""

import datetime
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import hicov
from conftest import SMALL_UNITS

# 2024: C1 950/1000 = 95%, C2 2400/3000 = 80%: the district's rate is the
# ratio of sums 3350/4000 = 83.75%, not the mean of rates 87.5%.
VALUES = (
    "unit,period,measure,value,group\n"
    "C1,2023,population,1000,\n"
    "C1,2023,participants,900,\n"
    "C2,2023,population,3000,\n"
    "C2,2023,participants,2400,\n"
    "C1,2024,population,1000,\n"
    "C1,2024,participants,950,\n"
    "C2,2024,population,3000,\n"
    "C2,2024,participants,2400,\n"
    "C1,2024-01,visits,10.25,\n"
    "C1,2024-02,visits,20,\n"
    "C1,2024,participants,600,HN\n"
    "C1,2024,participants,350,DN\n"
)


@pytest.fixture
def small(write_dataset):
    return hicov.load(write_dataset(SMALL_UNITS, VALUES))


def test_rate_of_a_group_of_units_is_ratio_of_sums(small):
    assert small.value("coverage_rate", "C1", 2024) == 95.0
    assert small.value("coverage_rate", "C2", 2024) == 80.0
    assert small.value("coverage_rate", "D1", 2024) == 83.75
    assert small.value("coverage_rate", "P1", "2024") == 83.75
    assert small.value("participants", "P1", 2024) == 3350


def test_change_and_cagr(small):
    assert small.change("participants", "D1", 2023, 2024) == 50
    assert small.change("coverage_rate", "D1", 2023, 2024) == pytest.approx(83.75 - 82.5)
    assert small.cagr("participants", "C1", 2023, 2024) == pytest.approx(950 / 900 * 100 - 100)
    r = small.change("participants", "D1", 2020, 2024, detail=True)
    assert r.status == "missing" and math.isnan(r.value) and r.reason


def test_measure_is_exact(small):
    # a head count is an int: C1 950 + C2 2400
    n = small.measure("participants", "D1", 2024)
    assert type(n) is int and n == 3350
    assert small.measure("participants", "D1", np.int64(2024)) == 3350
    # visits with decimals (10.25 + 20) stay a float; exact on request
    v = small.measure("visits", "C1", "2024-01/2024-02")
    assert type(v) is float and v == 30.25
    assert small.measure("visits", "C1", "2024-01/2024-02", money="decimal") == Decimal("30.25")
    assert small.measure("participants", "D1", 2024, money="decimal") == Decimal("3350.00")
    assert small.measure("participants", "D1", 2024, money="centi") == 335000
    with pytest.raises(hicov.InvalidError, match="money must be"):
        small.measure("participants", "D1", 2024, money="int")
    assert small.value("visits", "C1", "2024-01/2024-02") == 30.25


def test_groups_sorted(small):
    assert small.groups == ["DN", "HN"]


def test_groups(small):
    assert sorted(small.groups) == ["DN", "HN"]
    assert small.value("participants", "C1", 2024, group="HN") == 600
    assert small.value("participants", "C1", 2024, "DN") == 350


def test_table(small):
    t = small.table("coverage_rate", 2024, level="commune", parent="D1")
    assert isinstance(t, pd.DataFrame)
    assert list(t.columns) == ["name", "parent", "level", "value", "status", "reason"]
    assert t.index.name == "code"
    assert t.index.tolist() == ["C1", "C2"]          # name order
    assert t["value"].tolist() == [95.0, 80.0]
    assert t["value"].dtype == "float64"
    assert t["level"].tolist() == ["commune", "commune"]
    assert t["level"].dtype == pd.CategoricalDtype(
        ["country", "province", "district", "commune", "facility"], ordered=True)
    assert t["parent"].tolist() == ["D1", "D1"]
    assert t["status"].tolist() == ["ok", "ok"] and t["status"].dtype == "category"
    assert t["reason"].dtype == "string" and t["reason"].isna().all()
    assert t.attrs == {"indicator": "coverage_rate", "period": "2024", "level": "commune",
                       "parent": "D1", "group": None, "boundaries": "today",
                       "source": repr(small)}
    t = small.table("coverage_rate", 2024, level="district")
    assert t.index.tolist() == ["D1"] and t.loc["D1", "value"] == 83.75
    assert small.table("coverage_rate", 2024, level=hicov_level("province")).index.tolist() == ["P1"]
    empty = small.table("coverage_rate", 2024, level="facility")
    assert len(empty) == 0 and "value" in empty.columns


def hicov_level(name):
    return ["country", "province", "district", "commune", "facility"].index(name)


def test_units_and_children(small):
    u = small.units()
    assert list(u.columns) == ["code", "name", "parent", "level", "tier", "valid_to",
                               "successor", "synthetic", "valid_from"]
    assert u["valid_from"].tolist() == [None] * 4
    # the demo's communes formed on 2025-07-01 say so, as to_frames() does
    demo = hicov.demo().units().set_index("code")
    assert demo.loc["20X01", "valid_from"] == "2025-07"
    assert demo.loc["20D01", "valid_to"] == "2025-07"
    assert demo.loc["20D01", "valid_from"] is None
    assert u["code"].tolist() == ["P1", "D1", "C1", "C2"]
    assert u["level"].tolist() == ["province", "district", "commune", "commune"]
    assert u["level"].dtype == "category" and u["level"].cat.ordered
    assert (u["level"] > "province").tolist() == [False, True, True, True]
    assert u["parent"].tolist() == [None, "P1", "D1", "D1"]
    assert u["synthetic"].tolist() == [False] * 4
    assert small.children() == ["P1"]
    assert small.children("P1") == ["D1"]
    assert small.children("D1", period=2024) == ["C1", "C2"]
    with pytest.raises(hicov.NotFoundError):
        small.children("nope")


def test_series(small):
    s = small.series("coverage_rate", "D1")
    assert isinstance(s, pd.Series)
    assert isinstance(s.index, pd.PeriodIndex) and s.index.name == "period"
    assert s.index.tolist() == [pd.Period("2023", "Y"), pd.Period("2024", "Y")]
    assert s.tolist() == [82.5, 83.75] and s.dtype == "float64"
    assert s.name == "coverage_rate"
    assert s.attrs["indicator"] == "coverage_rate" and s.attrs["unit"] == "D1"
    assert s.attrs["freq"] == "Y" and s.attrs["group"] is None
    # visits of C1 have decimals (10.25): a count that stays float64
    m = small.series("visits", "C1", freq="M", start="2024-01", end="2024-03")
    assert m.index.tolist() == [pd.Period(p, "M") for p in ("2024-01", "2024-02", "2024-03")]
    assert m.dtype == "float64"
    assert m.iloc[0] == 10.25 and m.iloc[1] == 20.0 and math.isnan(m.iloc[2])
    # participants of P1: 3,350 at the end of 2024 (Q4), no value at the
    # end of Q1-Q3: a head count, Int64 with <NA>
    q = small.series("participants", "P1", freq="Q", start=2024, end=2024)
    assert q.index.tolist() == [pd.Period(f"2024Q{i}", "Q") for i in (1, 2, 3, 4)]
    assert q.dtype == "Int64" and q.isna().tolist() == [True, True, True, False]
    assert q["2024Q4"] == 3350 and q.attrs["freq"] == "Q"
    # a date means its month, so the quarter it falls in; the year of a
    # pandas Period or a numpy integer works the same
    d = small.series("participants", "P1", freq="Q", start=datetime.date(2024, 11, 5),
                     end=pd.Period("2024", "Y"))
    assert d.index.tolist() == [pd.Period("2024Q4", "Q")] and d.tolist() == [3350]
    y = small.series("participants", "P1", start=np.int64(2023), end=np.int32(2024))
    assert y.tolist() == [3300, 3350]


def test_load_stats_and_span(small):
    assert tuple(small.load_stats) == (16, 16, 0)
    assert isinstance(small.load_stats, hicov.LoadStats)
    assert small.month_span == ("2023-01", "2024-12")
    assert len(small.rejections) == 0
    assert "4 units" in repr(small)


def test_check_frame(small, demo):
    for ds in (small, demo):
        c = ds.check()
        assert list(c.columns) == ["kind", "severity", "unit", "measure", "period", "message"]
        assert set(c["severity"]) <= {"warning", "error"}


def test_check_finds_participants_above_population(write_dataset):
    values = VALUES.replace("C2,2024,participants,2400,", "C2,2024,participants,3100,")
    ds = hicov.load(write_dataset(SMALL_UNITS, values))
    c = ds.check()
    hits = c[(c["unit"] == "C2") & (c["period"] == "2024")]
    assert len(hits) >= 1, c
    assert "3100" in " ".join(hits["message"]) or "3,100" in " ".join(hits["message"])


def test_catalogues():
    ind = hicov.indicators()
    assert list(ind.columns) == ["name", "kind", "unit", "is_rate", "label", "formula"]
    cov = ind.set_index("name").loc["coverage_rate"]
    assert bool(cov["is_rate"]) is True and cov["unit"] == "%"
    assert "participants" in cov["formula"]
    m = hicov.measures()
    assert list(m.columns) == ["name", "kind", "unit", "label"]
    kinds = m.set_index("name")["kind"]
    assert kinds["participants"] == "stock" and kinds["visits"] == "flow"


def test_version():
    assert hicov.__version__ == hicov._hicov.HEADER_VERSION
    assert hicov.__version__.count(".") == 2


def test_demo_resolutions(demo):
    res = demo.resolutions
    assert len(res) >= 1 and all(isinstance(r, hicov.Resolution) for r in res)
    r = res[0]
    assert isinstance(r.body, str) and isinstance(r.number, str) and r.title
    start, end = r.term
    assert start < end
    assert all({"indicator", "unit", "threshold", "deadline"} <= set(t) for t in r.targets)
    with pytest.raises(AttributeError):
        r.body = "x"
    assert demo.resolutions[0] is not r   # copies
    # the same assessment from the object, the index, the dict and a new object
    by_index = demo.assess(0)
    for other in (demo.assess(r), demo.assess(r.as_dict()),
                  demo.assess(hicov.Resolution(r.as_dict())),
                  demo.assess(hicov.Resolution(**r.as_dict())),
                  demo.assess(-len(res))):
        pd.testing.assert_frame_equal(by_index, other)


ASSESS_COLUMNS = [
    "target", "unit", "indicator", "comparison", "threshold", "deadline_year",
    "baseline_year", "baseline_value", "latest_year", "latest_value", "status", "gap",
    "participants_needed", "required_annual_change", "required_annual_growth",
    "projected_value", "projected_year", "fit_method", "fit_years", "fit_values",
    "fit_slope", "fit_intercept", "fit_origin", "label", "reason",
    # issue 17: the boundaries the fit and the baseline are on, and whether
    # they rest on the shares of divided units
    "boundaries_as_of", "baseline_estimate", "fit_estimate"]


def test_assess_dict(small):
    frame = small.assess({
        "body": "District council", "number": "1/NQ", "title": "Coverage",
        "term": (2021, 2026),
        "targets": [
            {"indicator": "coverage_rate", "unit": "D1", "threshold": 90, "deadline": 2026,
             "baseline": 2023},
            {"indicator": "coverage_rate", "unit": "D1", "level": "commune",
             "threshold": 90, "deadline": 2026, "comparison": ">="},
        ]})
    assert list(frame.columns) == ASSESS_COLUMNS
    assert frame["unit"].tolist() == ["D1", "C1", "C2"]
    assert frame["target"].tolist() == [0, 1, 1]
    d1 = frame.iloc[0]
    assert d1["latest_year"] == 2024 and d1["latest_value"] == 83.75
    assert d1["gap"] == pytest.approx(90 - 83.75)
    assert d1["baseline_year"] == 2023 and d1["baseline_value"] == 82.5
    # people still to enrol at the latest population: ceil(0.9 * 4000 - 3350)
    assert d1["participants_needed"] == 250
    assert d1["fit_years"] == [2023, 2024] and d1["fit_values"] == [82.5, 83.75]
    c1 = frame.iloc[1]
    assert c1["status"] == "achieved" and c1["gap"] < 0
    # pandas types: years Int64, <NA> where there is none (C1's target
    # names no baseline year); the head count Int64; categories; reasons
    for col in ("deadline_year", "baseline_year", "latest_year", "projected_year",
                "fit_origin", "participants_needed"):
        assert frame[col].dtype == "Int64", col
    assert frame["baseline_year"].iloc[0] == 2023
    assert frame["baseline_year"].isna().tolist() == [False, True, True]
    assert frame["deadline_year"].tolist() == [2026, 2026, 2026]
    assert frame["comparison"].dtype == "category" and frame["status"].dtype == "category"
    assert frame["reason"].dtype == "string" and frame["reason"].isna().all()


def test_resolution_object():
    r = hicov.Resolution(body="HĐND tỉnh Lạng Sơn", number="01/NQ", title="Bảo hiểm y tế",
                         term=(2020, 2025),
                         targets=[{"indicator": "coverage_rate", "unit": "20",
                                   "threshold": 98, "deadline": 2025, "label": "BHYT 98%"}])
    assert r.body == "HĐND tỉnh Lạng Sơn" and r.term == (2020, 2025)
    (t,) = r.targets
    assert t == {"indicator": "coverage_rate", "unit": "20", "level": None,
                 "threshold": 98.0, "comparison": "at_least", "deadline": 2025,
                 "baseline": None, "label": "BHYT 98%", "kind": "level",
                 "units_share": None}
    assert "01/NQ" in repr(r)


def test_table_of_a_count(small, demo):
    # 2024 participants: C1 950, C2 2400 (VALUES): whole people, Int64
    t = small.table("participants", 2024, level="commune", parent="D1")
    assert t["value"].dtype == "Int64" and t["value"].tolist() == [950, 2400]
    # Phu Tho (25) has no participants of its own in 2025 (the demo): <NA>
    # with the reason; Lang Son (20) has 779,662 and no reason
    t = demo.table("participants", "2025", level="province", parent="VN", lang="en")
    assert t["value"].dtype == "Int64"
    assert t.loc["20", "value"] == 779662 and pd.isna(t.loc["25", "value"])
    assert pd.isna(t.loc["20", "reason"]) and t.loc["25", "reason"].startswith(
        "no participants data in 2025")
    assert t.loc["25", "status"] == "missing"


def test_frame_panel(small):
    """One row per unit and period, a column per indicator, worked by hand
    from VALUES: coverage C1 900/1000 = 90% (2023), 950/1000 = 95% (2024);
    C2 2400/3000 = 80% both years."""
    f = small.frame(["coverage_rate", "participants"], [2023, 2024],
                    level="commune", parent="D1")
    assert f.index.names == ["unit", "period"]
    assert f.index.tolist() == [("C1", pd.Period("2023", "Y")), ("C1", pd.Period("2024", "Y")),
                                ("C2", pd.Period("2023", "Y")), ("C2", pd.Period("2024", "Y"))]
    assert list(f.columns) == ["name", "coverage_rate", "participants",
                               "coverage_rate_reason", "participants_reason"]
    assert f["coverage_rate"].tolist() == [90.0, 95.0, 80.0, 80.0]
    assert f["participants"].dtype == "Int64"
    assert f["participants"].tolist() == [900, 950, 2400, 2400]
    assert f["coverage_rate_reason"].isna().all()
    assert f.attrs["indicators"] == ["coverage_rate", "participants"]
    assert f.attrs["periods"] == ["2023", "2024"] and f.attrs["level"] == "commune"
    # the same numbers as table(), cell for cell
    t = small.table("coverage_rate", 2024, level="commune", parent="D1")
    assert f.xs(pd.Period("2024", "Y"), level="period")["coverage_rate"].tolist() == \
        t["value"].tolist()


def test_frame_groups_and_mixed_periods(small):
    # C1's participants of 2024 by group: HN 600, DN 350; C2 has none
    g = small.frame("participants", "2024", level="commune", parent="D1", groups=["HN", "DN"])
    assert g.index.names == ["unit", "period", "group"]
    assert g.loc[("C1", pd.Period("2024", "Y"), "HN"), "participants"] == 600
    assert g.loc[("C1", pd.Period("2024", "Y"), "DN"), "participants"] == 350
    c2 = g.loc[("C2", pd.Period("2024", "Y"), "HN")]
    assert pd.isna(c2["participants"]) and c2["participants_reason"]
    # a year and a range of months: the periods keep their text
    m = small.frame("visits", ["2024", "2024-01/2024-02"], level="commune", parent="D1")
    assert m.loc[("C1", "2024-01/2024-02"), "visits"] == 30.25
    assert m["visits"].dtype == "float64"     # a count with decimals
    with pytest.raises(TypeError, match="indicators must be"):
        small.frame(5, 2024)
    with pytest.raises(TypeError, match="periods must be"):
        small.frame("coverage_rate", [2024, 2.5])
    with pytest.raises(hicov.NotFoundError, match="unknown indicator 'nope'"):
        small.frame(["coverage_rate", "nope"], 2024)


def test_frame_to_xarray(small):
    xr = pytest.importorskip("xarray")
    f = small.frame(["coverage_rate"], [2023, 2024], level="commune", parent="D1")
    x = f[["coverage_rate"]].to_xarray()
    assert isinstance(x, xr.Dataset)
    assert x["coverage_rate"].sel(unit="C2").values.tolist() == [80.0, 80.0]


def test_period_arguments_as_users_pass_them(small):
    # the loop: years from a frame are numpy.int64
    years = pd.DataFrame({"year": [2023, 2024, 2024]}).year.unique()
    assert [small.value("coverage_rate", "D1", y) for y in years] == [82.5, 83.75]
    assert hicov.period(np.int64(2024)) == "2024"
    assert hicov.period(pd.Period("2024", "Y")) == "2024"
    assert hicov.period(pd.Period("2024Q3", "Q")) == "2024-Q3"
    assert hicov.period(pd.Period("2024-10", "M")) == "2024-10"
    # a date, datetime or Timestamp means its month
    assert hicov.period(datetime.date(2024, 3, 31)) == "2024-03"
    assert hicov.period(datetime.datetime(2024, 12, 1, 13, 5)) == "2024-12"
    assert hicov.period(pd.Timestamp("2025-01-15")) == "2025-01"
    assert small.value("visits", "C1", datetime.date(2024, 1, 9)) == 10.25
    assert small.value("coverage_rate", "D1", pd.Period("2024", "Y")) == 83.75
    with pytest.raises(hicov.ParseError, match=r"period: invalid period Period\('2024-01-02', 'D'\)"):
        hicov.period(pd.Period("2024-01-02", "D"))
    with pytest.raises(hicov.ParseError, match="a year must be 1900-2200"):
        small.value("coverage_rate", "D1", np.int64(1800))
    with pytest.raises(TypeError, match="^period must be a str"):
        small.value("coverage_rate", "D1", 2024.0)
    # the argument at fault is named
    with pytest.raises(hicov.ParseError, match="^from_period: invalid period '2024-13'"):
        small.change("coverage_rate", "D1", "2024-13", "2024")
    with pytest.raises(TypeError, match="^end must be"):
        small.series("coverage_rate", "D1", end=[2024])
