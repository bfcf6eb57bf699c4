"""Growth, change, CAGR and required annual growth through every way a user
reaches them (indicators, spans, arrays, assessments, report sentences),
with numbers worked out by hand.  The formulas have one home, formula.c;
tests/c/test-formula.c checks it directly.

The dataset: one province whose fund balance (90% of revenue minus
payments) starts negative:

    year  fund_revenue  fund_paid  fund_balance
    2020          1000       1000          -100
    2021          1000        950           -50
    2022          1000        500           400
"""

import math

import pytest

import hicov

VALUES = ("unit,period,measure,value\n"
          "P,2020,fund_revenue,1000\nP,2020,fund_paid,1000\n"
          "P,2021,fund_revenue,1000\nP,2021,fund_paid,950\n"
          "P,2022,fund_revenue,1000\nP,2022,fund_paid,500\n"
          "P,2020,population,1000\nP,2020,participants,800\n"
          "P,2022,population,1000\nP,2022,participants,968\n")


@pytest.fixture
def ds(write_dataset):
    return hicov.load(str(write_dataset("code,name,parent,level\nP,Province,,province\n",
                                        VALUES)))


@pytest.fixture
def resolution():
    return hicov.Resolution({
        "body": "B", "number": "1", "title": "T", "term": (2020, 2025),
        "targets": [
            {"indicator": "fund_balance", "unit": "P", "threshold": 900,
             "deadline": 2024, "baseline": 2020},
            {"indicator": "fund_paid", "unit": "P", "threshold": 320,
             "deadline": 2024, "baseline": 2020, "comparison": "at_most"},
        ]})


def test_growth_year_on_year(ds):
    # (950 - 1000) / 1000 x 100 and (500 - 950) / 950 x 100
    assert ds.value("fund_paid_growth", "P", 2021) == pytest.approx(-5.0, abs=1e-12)
    assert ds.value("fund_paid_growth", "P", 2022) == pytest.approx(-450 / 950 * 100, abs=1e-12)
    # from a negative start the sign is that of (x1 - x0) / x0:
    # (-50 - -100) / -100 x 100 = -50, although the balance rose
    assert ds.value("fund_balance_growth", "P", 2021) == pytest.approx(-50.0, abs=1e-12)
    # the comparison year is missing: no growth
    r = ds.value("fund_paid_growth", "P", 2020, detail=True)
    assert r.status == "missing" and math.isnan(r.value) and "2019" in r.reason


def test_growth_from_zero_is_missing(write_dataset):
    ds = hicov.load(str(write_dataset(
        "code,name,parent,level\nP,Province,,province\n",
        "unit,period,measure,value\nP,2020,visits,0\nP,2021,visits,10\n")))
    r = ds.value("visits_growth", "P", 2021, detail=True)
    assert r.status == "missing" and r.reason == "the value a year earlier is 0"
    # the change has no such limit: 10 - 0
    assert ds.change("visits", "P", 2020, 2021) == 10


def test_change(ds):
    # x1 - x0, in the indicator's unit: 400 - -100; points for rates
    assert ds.change("fund_balance", "P", 2020, 2022) == 500
    assert ds.change("fund_paid", "P", 2020, 2022) == -500
    assert ds.change("coverage_rate", "P", 2020, 2022) == pytest.approx(96.8 - 80.0, abs=1e-12)
    r = ds.change("coverage_rate", "P", 2020, 2021, detail=True)
    assert r.status == "missing" and math.isnan(r.value)


def test_cagr(ds):
    # ((x1 / x0) ^ (1 / years) - 1) x 100: 800 -> 968 people in 2 years is
    # 1.21 = 1.1^2, 10% a year
    assert ds.cagr("participants", "P", 2020, 2022) == pytest.approx(10.0, abs=1e-12)
    # one year: the plain growth, (500 - 1000) / 1000
    assert ds.cagr("fund_paid", "P", 2021, 2022) == pytest.approx(-450 / 950 * 100, abs=1e-12)
    # a negative start, the same period twice, a missing end
    r = ds.cagr("fund_balance", "P", 2020, 2022, detail=True)
    assert r.status == "missing" and r.reason == "CAGR needs a positive starting value"
    r = ds.cagr("fund_paid", "P", 2022, 2022, detail=True)
    assert r.status == "missing" and "must come after" in r.reason
    r = ds.cagr("participants", "P", 2020, 2021, detail=True)
    assert r.status == "missing" and math.isnan(r.value)


def test_arrays_edge_cases():
    g = hicov.growth([250.0, 60.0, 5.0, -50.0, math.nan], [200.0, 80.0, 0.0, -100.0, 5.0])
    assert list(g[:2]) == pytest.approx([25.0, -25.0], abs=1e-12)
    assert math.isnan(g[2]) and math.isnan(g[4])
    assert g[3] == pytest.approx(-50.0, abs=1e-12)
    c = hicov.cagr([100.0, 80.0, 0.0, -1.0, 100.0, 100.0],
                   [121.0, 100.0, 5.0, 5.0, 0.0, 121.0], [2.0, 1.0, 2.0, 2.0, 5.0, 0.0])
    assert list(c[:2]) == pytest.approx([10.0, 25.0], abs=1e-12)
    assert math.isnan(c[2]) and math.isnan(c[3]) and math.isnan(c[5])
    assert c[4] == pytest.approx(-100.0, abs=1e-12)


def test_required_annual_growth(ds, resolution):
    a = ds.assess(resolution)
    # balance 400 (2022) to 900 by 2024: (900 / 400) ^ (1 / 2) = 1.5, so 50%
    # a year, (900 - 400) / 2 = 250 a year
    assert a["latest_value"][0] == 400
    assert a["required_annual_growth"][0] == pytest.approx(50.0, abs=1e-12)
    assert a["required_annual_change"][0] == pytest.approx(250.0, abs=1e-12)
    # payments at most 320 from 500: 0.64 ^ (1 / 2) = 0.8, -20% a year
    assert a["required_annual_growth"][1] == pytest.approx(-20.0, abs=1e-12)
    assert a["required_annual_change"][1] == pytest.approx(-90.0, abs=1e-12)


def test_report_sentences_state_growth_with_its_direction(ds, resolution):
    """report-text.c once had its own growth, (x1 - x0) / |x0|; it now
    takes the core's size of growth and words the direction from the
    change, so a balance from -100 to 400 still 'rose by 500.0%'."""
    en = ds.report(resolution, lang="en", time=1_750_000_000).sentences()
    vi = ds.report(resolution, lang="vi", time=1_750_000_000).sentences()
    assert "Compared with 2020 (-VND 100), it rose by 500.0%." in en[0]
    assert "So với năm 2020 (-100 đồng), tăng 500,0%." in vi[0]
    assert "Compared with 2020 (VND 1,000), it fell by 50.0%." in en[1]
    assert "So với năm 2020 (1.000 đồng), giảm 50,0%." in vi[1]
    assert "(50.00% a year)" in en[0]
    # a cap over its limit must fall: (500 - 320) / 2 years, and
    # (320 / 500)^(1/2) - 1 = -20% a year, said as a fall (the sentence
    # once asked it to "rise by -90")
    assert ("To be within the cap by 2024, it must fall by VND 90 a year on "
            "average (20.00% a year).") in en[1]
