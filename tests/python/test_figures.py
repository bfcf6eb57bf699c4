"""The published figures (reference/published-figures.md) that the built-in
demo reproduces, computed by the core and read through the module."""

import math

import pytest

import hicov

LANG_SON, QUANG_NINH, HOA_BINH = "20", "22", "17"
JAN_OCT_2025 = "2025-01/2025-10"


def test_lang_son_coverage_2024(demo):
    assert round(demo.value("coverage_rate", LANG_SON, "2024"), 1) == 94.1
    assert demo.value("participants", LANG_SON, "2024") == 764769


def test_lang_son_2025_against_2020(demo):
    assert round(demo.value("coverage_rate", LANG_SON, "2025"), 1) == 95.0
    assert round(demo.value("coverage_rate", LANG_SON, 2020), 1) == 92.8
    change = demo.change("coverage_rate", LANG_SON, "2020", "2025")
    assert round(change, 1) == 2.2
    # 779,662 - 732,000: exact, from the stored counts
    assert demo.change("participants", LANG_SON, 2020, 2025) == 47662
    assert demo.value("participants", LANG_SON, 2025) == 779662


def test_lang_son_visits_and_cost_2024(demo):
    assert round(demo.value("visits_growth", LANG_SON, "2024"), 1) == 2.6
    assert round(demo.value("total_cost_growth", LANG_SON, "2024"), 1) == 13.5
    assert demo.value("visits", LANG_SON, "2024") >= 1_070_000
    assert demo.value("total_cost", LANG_SON, "2024") >= 690e9


def test_quang_ninh_jan_oct_2025(demo):
    ds = demo
    assert ds.value("visits", QUANG_NINH, JAN_OCT_2025) == 2_293_971
    assert round(ds.value("visits_growth", QUANG_NINH, JAN_OCT_2025), 1) == 3.4
    assert round(ds.value("total_cost_growth", QUANG_NINH, JAN_OCT_2025), 1) == 19.6
    assert round(ds.value("total_cost", QUANG_NINH, JAN_OCT_2025) / 1e9) == 2237
    assert ds.value("participants", QUANG_NINH, JAN_OCT_2025) == 1_281_865
    assert round(ds.value("participants_growth", QUANG_NINH, JAN_OCT_2025), 2) == 0.38
    assert round(ds.value("coverage_rate", QUANG_NINH, JAN_OCT_2025), 2) == 94.85


def test_hoa_binh_coverage(demo):
    assert round(demo.value("coverage_rate", HOA_BINH, "2018"), 2) == 96.63
    assert round(demo.value("coverage_rate", HOA_BINH, 2009), 2) == 67.65


def test_lang_son_resolution_not_achieved(demo):
    frame = demo.assess(0)
    rows = frame[(frame["unit"] == LANG_SON) & (frame["indicator"] == "coverage_rate")
                 & (frame["threshold"] == 98.0) & (frame["deadline_year"] == 2025)]
    assert len(rows) == 1, frame[["unit", "indicator", "threshold", "deadline_year"]]
    row = rows.iloc[0]
    assert row["status"] == "not achieved"
    assert round(row["gap"], 1) == 3.0
    assert row["latest_year"] == 2025
    assert round(row["latest_value"], 1) == 95.0


def test_result_of_a_published_figure(demo):
    r = demo.result("coverage_rate", LANG_SON, "2024")
    assert isinstance(r, hicov.Result)
    assert r.status == "ok" and r.reason == ""
    assert r.value == demo.value("coverage_rate", LANG_SON, "2024")
    assert not math.isnan(r.value)


@pytest.mark.parametrize("unit", [LANG_SON, QUANG_NINH, HOA_BINH])
def test_demo_coverage_is_ratio_of_stored_counts(demo, unit):
    # The module reports what the core computes from its exact measures.
    year = {HOA_BINH: 2018, LANG_SON: 2024, QUANG_NINH: JAN_OCT_2025}[unit]
    part = demo.measure("participants", unit, year)
    pop = demo.measure("population", unit, year)
    assert part is not None and pop is not None
    expected = float(part) / float(pop) * 100
    assert demo.value("coverage_rate", unit, year) == pytest.approx(expected, rel=1e-12)
