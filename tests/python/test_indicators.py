"""Every indicator in the catalogue, against numbers worked out by hand.

The dataset: province P with commune C (population, participants, revenue)
and two facilities: F (commune tier, under C) and G (district tier, under
P). 2023 and 2024 values are chosen so each result can be checked on paper;
the working is beside each expected value. A new indicator in the core
fails test_every_indicator_has_a_hand_worked_value until it gets one here.
"""

import math

import pytest

import hicov

UNITS = """code,name,parent,level,tier
P,Tỉnh Thử,,province,
C,Xã Thử,P,commune,
F,Trạm y tế xã Thử,C,facility,commune
G,Bệnh viện huyện Thử,P,facility,district
Q,Tỉnh Lỗi,,province,
Q1,Xã Lỗi,Q,commune,
"""

ROWS = {
    # unit: {measure: (2023, 2024)}
    "C": {"population": (1000, 1100), "participants": (900, 1012),
          "fund_revenue": (500_000_000, 550_000_000)},
    "F": {"visits": (800, 1000), "inpatient_visits": (40, 50),
          "inpatient_days": (200, 300), "total_cost": (400_000_000, 600_000_000),
          "fund_paid": (300_000_000, 450_000_000), "copay": (40_000_000, 60_000_000),
          "card_checkins": (1000, 1200), "card_checkins_ok": (900, 1140),
          "patients": (500, 550), "patients_500m": (2, 3), "patients_1b": (1, 2)},
    "G": {"visits": (200, 300)},
    # Q only carries data-quality findings (P has none): Q1 reports more
    # participants than people in both years, and Q's own 2024 population
    # differs from Q1's by 10%.
    "Q": {"population": (100, 110)},
    "Q1": {"population": (100, 100), "participants": (120, 130)},
}

# indicator: (unit, expected value for 2024)
EXPECTED = {
    "population": ("P", 1100),
    "participants": ("P", 1012),
    "visits": ("P", 1300),                          # F 1000 + G 300
    "inpatient_visits": ("P", 50),                  # G reports none
    "inpatient_days": ("P", 300),
    "total_cost": ("P", 600_000_000),
    "fund_paid": ("P", 450_000_000),
    "copay": ("P", 60_000_000),
    "fund_revenue": ("P", 550_000_000),
    "card_checkins": ("P", 1200),
    "card_checkins_ok": ("P", 1140),
    "patients": ("F", 550),                         # distinct: only where counted
    "patients_500m": ("F", 3),
    "patients_1b": ("F", 2),
    "coverage_rate": ("P", 92.0),                   # 1012 / 1100
    "cost_per_visit": ("P", 600e6 / 1300),          # 461,538.46
    "cost_per_participant": ("P", 600e6 / 1012),
    "fund_balance": ("P", 45_000_000),              # 0.9 x 550M - 450M
    "fund_usage": ("P", 450 / 495 * 100),           # 90.909...
    "inpatient_share": ("P", 50 / 1300 * 100),
    "avg_length_of_stay": ("P", 6.0),               # 300 / 50
    "commune_visit_share": ("P", 1000 / 1300 * 100),
    "checkin_success_rate": ("P", 95.0),            # 1140 / 1200
    "quality_findings": ("Q", 2),                   # Q1 130 > 100, Q 110 vs 100
    "participants_change": ("P", 112),              # 1012 - 900
    "coverage_change": ("P", 2.0),                  # 92 - 90 points
    "cost_growth_volume": ("P", 30.0),              # 300 x 400,000 / 400M
    "cost_growth_price": ("P", 20.0),               # 1300 x 61,538.46 / 400M
    "population_growth": ("P", 10.0),
    "participants_growth": ("P", (1012 / 900 - 1) * 100),
    "visits_growth": ("P", 30.0),
    "inpatient_visits_growth": ("P", 25.0),
    "inpatient_days_growth": ("P", 50.0),
    "total_cost_growth": ("P", 50.0),               # = volume 30 + price 20
    "fund_paid_growth": ("P", 50.0),
    "copay_growth": ("P", 50.0),
    "fund_revenue_growth": ("P", 10.0),
    "card_checkins_growth": ("P", 20.0),
    "card_checkins_ok_growth": ("P", (1140 / 900 - 1) * 100),
    "patients_growth": ("F", 10.0),
    "patients_500m_growth": ("F", 50.0),
    "patients_1b_growth": ("F", 100.0),
    "coverage_rate_growth": ("P", (92 / 90 - 1) * 100),
    "cost_per_visit_growth": ("P", (600e6 / 1300 / 400_000 - 1) * 100),
    "cost_per_participant_growth": ("P", ((600e6 / 1012) / (400e6 / 900) - 1) * 100),
    "fund_balance_growth": ("P", -70.0),            # 45M against 150M
    "fund_usage_growth": ("P", ((450 / 495) / (300 / 450) - 1) * 100),
    "inpatient_share_growth": ("P", ((50 / 1300) / (40 / 1000) - 1) * 100),
    "avg_length_of_stay_growth": ("P", 20.0),       # 6 against 5
    "commune_visit_share_growth": ("P", ((1000 / 1300) / 0.8 - 1) * 100),
    "checkin_success_rate_growth": ("P", (95 / 90 - 1) * 100),
    "quality_findings_growth": ("Q", 100.0),        # 2 against 1 (Q1 120 > 100)
}


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    d = tmp_path_factory.mktemp("hand")
    (d / "units.csv").write_text(UNITS, encoding="utf-8")
    lines = ["unit,period,measure,value"]
    for unit, measures in ROWS.items():
        for measure, (v23, v24) in measures.items():
            lines.append(f"{unit},2023,{measure},{v23}")
            lines.append(f"{unit},2024,{measure},{v24}")
    (d / "values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hicov.load(str(d))


def test_every_indicator_has_a_hand_worked_value():
    names = set(hicov.indicators()["name"])
    assert names == set(EXPECTED), names ^ set(EXPECTED)


@pytest.mark.parametrize("indicator", sorted(EXPECTED))
def test_indicator(ds, indicator):
    unit, expected = EXPECTED[indicator]
    got = ds.value(indicator, unit, "2024")
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9), indicator


def test_cost_growth_parts_add_up(ds):
    total = ds.value("total_cost_growth", "P", "2024")
    parts = ds.value("cost_growth_volume", "P", "2024") + ds.value("cost_growth_price", "P", "2024")
    assert parts == pytest.approx(total, abs=1e-9)


def test_distinct_counts_are_not_summed(ds):
    # P has no count of its own: distinct patients cannot be added up.
    r = ds.result("patients", "P", "2024")
    assert math.isnan(r.value)
    assert "cannot be summed" in r.reason


def test_quality_findings_by_unit(ds):
    # The findings of ds.check(), counted on the unit and below it.
    found = ds.check()
    assert len(found) == 3
    assert ds.value("quality_findings", "P", "2024") == 0
    assert ds.value("quality_findings", "Q1", "2024") == 1
    assert ds.value("quality_findings", "Q", "2023") == 1
    assert ds.value("quality_findings", "Q", "2023-01/2024-12") == 3


def test_fund_share_is_configurable(ds):
    ds.fund_share = 80
    try:
        assert ds.value("fund_balance", "P", "2024") == pytest.approx(-10_000_000)  # 440M - 450M
    finally:
        ds.fund_share = 90
