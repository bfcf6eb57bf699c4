"""Dataset.figure: the dashboard's figures (csrc/chart/figures.c) from
Python, with its options as keyword arguments: the ranking of every unit
below with the status colours, the indicator of the trend and the ranking,
up to five units on one trend, and the caption a saved chart carries.  What
is drawn (Chart.series, Chart.keys, the SVG's fills, a saved PDF's text) is
compared with the core's numbers read through Dataset.value/values."""

import collections
import math
import re
import shutil
import subprocess

import pytest

import hicov

LANG_SON, QUANG_NINH, HOA_BINH = "20", "22", "17"
# The nine indicators hicov_figure_indicator names (hicov-chart.h).
INDICATORS = ["coverage_rate", "participants", "cost_per_participant",
              "cost_per_visit", "inpatient_share", "avg_length_of_stay",
              "patients_500m", "commune_visit_share", "fund_usage"]
# The bars' colours (csrc/chart/chart-render.c, Okabe-Ito) in cairo's SVG.
GREEN, PURPLE = "rgb(0%,62%,45.1%)", "rgb(80%,47.5%,65.5%)"


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b,
                                                             rel_tol=1e-12)


def fills(chart):
    return collections.Counter(re.findall(r"fill:(rgb\([^)]*\))", chart.svg()))


def test_ranking_of_every_unit(demo):
    below = demo.children(LANG_SON, "2024")
    chart = demo.figure("ranking", LANG_SON, "2024", ranking_max=None)
    assert chart.kind == "bar_ranked"
    assert sorted(chart.keys) == sorted(below) and len(below) == 11
    [(name, values)] = chart.series
    assert name == "Coverage"
    for code, v in zip(chart.keys, values):
        assert same(v, demo.value("coverage_rate", code, "2024")), code
    # every unit: the subtitle counts none left out
    assert "lowest" not in chart.subtitle


def test_ranking_lowest(demo):
    values = sorted((demo.value("coverage_rate", c, "2024"), c)
                    for c in demo.children(LANG_SON, "2024"))
    chart = demo.figure("ranking", LANG_SON, "2024", ranking_max=3)
    assert sorted(chart.keys) == sorted(c for _, c in values[:3])
    assert chart.subtitle.startswith("The 3 lowest of 11 units")
    assert max(chart.series[0][1]) == values[2][0]


def test_ranking_status_colours(demo):
    # a district target of 94% by 2025: 2024's districts at or above it
    # are green, the others purple, as the dashboard draws them
    res = {"body": "Test", "number": "1", "title": "Test", "term": (2020, 2025),
           "targets": [{"indicator": "coverage_rate", "unit": LANG_SON,
                        "threshold": 94.0, "comparison": "at_least",
                        "deadline": 2025, "baseline": 2020}]}
    values = [demo.value("coverage_rate", c, "2024")
              for c in demo.children(LANG_SON, "2024")]
    met = sum(v >= 94 for v in values)
    assert 0 < met < len(values)  # both colours are drawn
    chart = demo.figure("ranking", LANG_SON, "2024", ranking_max=None,
                        resolution=res)
    assert "green: target met, purple: below it" in chart.subtitle
    seen = fills(chart)
    assert seen[GREEN] == met and seen[PURPLE] == len(values) - met
    # the demo's own target, 98%: every district below it
    seen = fills(demo.figure("ranking", LANG_SON, "2024", ranking_max=None))
    assert seen[GREEN] == 0 and seen[PURPLE] == len(values)


@pytest.mark.parametrize("indicator", INDICATORS)
def test_indicator_of_trend_and_ranking(demo, indicator):
    first, last = (int(m[:4]) for m in demo.month_span)
    trend = demo.figure("coverage-trend", LANG_SON, str(last),
                        indicator=indicator)
    years = list(range(first, last + 1))
    mine = [demo.value(indicator, LANG_SON, y) for y in years]
    if indicator == "coverage_rate":
        # coverage of one unit: the dashboard's trend with the target and
        # the projection to its deadline (2030), the actual values first
        (name, values), (proj, _) = trend.series
        assert (name, proj) == ("Coverage", "Projection")
        assert [v for v in values if not math.isnan(v)] == \
            [v for v in mine if not math.isnan(v)]
    elif all(math.isnan(v) for v in mine):
        assert trend.empty
    else:
        # from the first year with a value to the data's last year
        start = next(i for i, v in enumerate(mine) if not math.isnan(v))
        [(name, values)] = trend.series
        assert name == "Lạng Sơn"
        assert len(values) == len(years) - start
        assert all(same(a, b) for a, b in zip(values, mine[start:]))
    if indicator != "coverage_rate":
        label = hicov.indicator_label(indicator, lang="en")
        assert trend.title == f"{label} over time"
    ranking = demo.figure("ranking", LANG_SON, "2024", indicator=indicator,
                          ranking_max=None)
    assert sorted(ranking.keys) == sorted(demo.children(LANG_SON, "2024"))
    for code, v in zip(ranking.keys, ranking.series[0][1]):
        assert same(v, demo.value(indicator, code, "2024")), code


def test_five_units_on_one_trend(demo):
    others = [QUANG_NINH, HOA_BINH, "VN", "25"]
    chart = demo.figure("coverage-trend", LANG_SON, "2025", compare=others)
    names = [n for n, _ in chart.series]
    # Phú Thọ has no coverage in the years drawn: the legend says so
    assert names == ["Lạng Sơn", "Quảng Ninh", "Hòa Bình", "Việt Nam",
                     "Phú Thọ (no data)"]
    assert all(math.isnan(v) for v in chart.series[4][1])
    assert chart.subtitle.startswith("5 units compared")
    first = int(demo.month_span[0][:4])
    n = chart.point_count
    for code, (_, values) in zip([LANG_SON] + others, chart.series):
        mine = [demo.value("coverage_rate", code, y)
                for y in range(2025 - n + 1, 2026)]
        assert all(same(a, b) for a, b in zip(values, mine)), code
    assert 2025 - n + 1 >= first
    # the unit itself among them is drawn once
    again = demo.figure("coverage-trend", LANG_SON, "2025",
                        compare=[LANG_SON, QUANG_NINH])
    assert [n for n, _ in again.series] == ["Lạng Sơn", "Quảng Ninh"]


def test_caption_of_a_saved_chart(demo, tmp_path):
    obs = demo.values()
    sources = obs[(obs.unit == QUANG_NINH) & (obs.measure == "visits")
                  & (obs.period == "2025-01/2025-10")].source.tolist()
    assert sources == ["published"]
    chart = demo.figure("visits", QUANG_NINH, "2025-01/2025-10", lang="vi")
    # the tags hicov writes itself read in the caption's language
    assert chart.caption == "Quảng Ninh · Tháng 1–10/2025 · Nguồn: số liệu công bố"
    en = demo.figure("visits", QUANG_NINH, "2025-01/2025-10")
    assert en.caption == "Quảng Ninh · Jan–Oct 2025 · Source: published"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    chart.save(tmp_path / "visits.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8",
                           str(tmp_path / "visits.pdf"), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    assert chart.caption in text
    # a caption of one's own, and none
    chart.caption = "Nguồn: BHXH tỉnh"
    chart.save(tmp_path / "own.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8",
                           str(tmp_path / "own.pdf"), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    assert "Nguồn: BHXH tỉnh" in text and "published" not in text
    chart.caption = None
    assert chart.caption is None


def png_chunks(data):
    """The chunks of a PNG but pHYs (the dots per inch save() states)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, out = 8, []
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        if kind != b"pHYs":
            out.append((kind, data[at + 8:at + 8 + n]))
        at += 12 + n
    return out


def test_caption_of_a_comparison_and_of_png(demo, tmp_path):
    # a comparison draws and names each unit once (Quảng Ninh given twice),
    # in its order, and the sources of all of them (Quảng Ninh's
    # participants are "published")
    chart = demo.figure("coverage-trend", LANG_SON, "2025", lang="vi",
                        compare=[QUANG_NINH, LANG_SON, HOA_BINH, QUANG_NINH])
    assert [n for n, _ in chart.series] == ["Lạng Sơn", "Quảng Ninh",
                                            "Hòa Bình"]
    names, when, sources = chart.caption.split(" · ")
    assert names == "Lạng Sơn, Quảng Ninh, Hòa Bình" and when == "2025"
    alone = demo.figure("coverage-trend", LANG_SON, "2025", lang="vi")
    assert alone.caption.startswith("Lạng Sơn · 2025 · Nguồn: ")
    assert "số liệu công bố" not in alone.caption.split("Nguồn: ")[1].split("; ")
    assert "số liệu công bố" in sources.split("Nguồn: ")[1].split("; ")
    # png() and the notebook's PNG draw the caption, as save() does
    chart.save(tmp_path / "trend.png")
    saved = png_chunks((tmp_path / "trend.png").read_bytes())
    assert png_chunks(chart.png()) == saved
    old = hicov.options.chart_format
    try:
        hicov.options.chart_format = "png"
        assert png_chunks(chart._repr_png_()) == saved
    finally:
        hicov.options.chart_format = old
    chart.caption = None
    assert png_chunks(chart.png()) != saved


def test_option_errors(demo):
    fig = demo.figure
    with pytest.raises(ValueError, match="unknown figure 'map': expected one "
                       "of 'coverage-trend', 'ranking'"):
        fig("map", LANG_SON, "2024")
    with pytest.raises(ValueError, match="unknown indicator 'visits'"):
        fig("coverage-trend", LANG_SON, "2024", indicator="visits")
    with pytest.raises(ValueError, match="indicator applies to the "
                       "'coverage-trend' and 'ranking' figures, not 'fund'"):
        fig("fund", LANG_SON, "2024", indicator="participants")
    with pytest.raises(ValueError, match="compare applies to the "
                       "'coverage-trend' figure, not 'ranking'"):
        fig("ranking", LANG_SON, "2024", compare=[QUANG_NINH])
    with pytest.raises(ValueError, match="ranking_max applies to the "
                       "'ranking' figure"):
        fig("visits", LANG_SON, "2024", ranking_max=5)
    with pytest.raises(ValueError, match="at most 4 units besides unit "
                       r"\(5 on one trend\), not 5"):
        fig("coverage-trend", LANG_SON, "2024", compare=["VN"] * 5)
    with pytest.raises(ValueError, match="ranking_max must be at least 1"):
        fig("ranking", LANG_SON, "2024", ranking_max=0)
    with pytest.raises(TypeError, match="ranking_max must be an int or None"):
        fig("ranking", LANG_SON, "2024", ranking_max=2.5)
    with pytest.raises(TypeError, match="compare must be a sequence of unit "
                       "codes"):
        fig("coverage-trend", LANG_SON, "2024", compare=QUANG_NINH)
    with pytest.raises(TypeError, match=r"compare\[1\] must be a unit code"):
        fig("coverage-trend", LANG_SON, "2024", compare=[QUANG_NINH, 17])
    with pytest.raises(hicov.NotFoundError, match="unknown unit 'ZZ'"):
        fig("coverage-trend", LANG_SON, "2024", compare=["ZZ"])
    with pytest.raises(ValueError, match="lang must be 'vi' or 'en'"):
        fig("ranking", LANG_SON, "2024", lang="fr")
    with pytest.raises(TypeError):
        fig("ranking", LANG_SON, "2024", 5)  # the options are keywords


def test_indicators_by_hand():
    # two districts with the inputs of three indicators the demo has no
    # data for, worked out by hand:
    #   inpatient_share = inpatient_visits / visits x 100
    #   avg_length_of_stay = inpatient_days / inpatient_visits
    #   patients_500m (a distinct count: each unit's own)
    import pandas as pd
    units = pd.DataFrame({"code": ["P", "D1", "D2"],
                          "name": ["Tỉnh Pê", "Huyện Một", "Huyện Hai"],
                          "parent": [None, "P", "P"],
                          "level": ["province", "district", "district"]})
    rows = []
    for unit, year, visits, inpatient, days, patients in [
            ("D1", "2023", 1000, 100, 500, 700),
            ("D1", "2024", 2000, 300, 1200, 800),
            ("D2", "2024", 4000, 200, 1000, 900),
            ("P", "2024", None, None, None, 1650)]:
        for measure, v in [("visits", visits), ("inpatient_visits", inpatient),
                           ("inpatient_days", days),
                           ("patients_500m", patients)]:
            if v is not None:
                rows.append((unit, year, measure, float(v)))
    ds = hicov.from_frames(units, pd.DataFrame(
        rows, columns=["unit", "period", "measure", "value"]))
    expected = {  # (trend of D1 2023, 2024), ranking below P in 2024
        "inpatient_share": ([10.0, 15.0], {"D1": 15.0, "D2": 5.0}),
        "avg_length_of_stay": ([5.0, 4.0], {"D1": 4.0, "D2": 5.0}),
        "patients_500m": ([700.0, 800.0], {"D1": 800.0, "D2": 900.0}),
    }
    for indicator, (trend, ranking) in expected.items():
        chart = ds.figure("coverage-trend", "D1", "2024", indicator=indicator)
        assert chart.series == [("Huyện Một", trend)], indicator
        chart = ds.figure("ranking", "P", "2024", indicator=indicator,
                          ranking_max=None)
        assert dict(zip(chart.keys, chart.series[0][1])) == ranking
        label = hicov.indicator_label(indicator, lang="vi")
        vi = ds.figure("ranking", "P", "2024", indicator=indicator, lang="vi")
        assert vi.series[0][0] == label


def test_references(demo):
    from test_refcount import check_refs
    others = ["".join(["2", "2"]), "".join(["1", "7"])]
    check_refs(demo.figure, "coverage-trend", LANG_SON, "2025",
               compare=others, indicator="participants")
    check_refs(demo.figure, "ranking", LANG_SON, "2024", ranking_max=5)
    check_refs(demo.figure, "visits", LANG_SON, "2024", resolution=0)
    check_refs(demo.figure, "coverage-trend", LANG_SON, "2025",
               compare=others + ["ZZ"], raises=hicov.NotFoundError)
    check_refs(demo.figure, "coverage-trend", LANG_SON, "2025",
               compare=[others[0], 17], raises=TypeError)
    check_refs(demo.figure, "ranking", LANG_SON, "2024",
               compare=others, raises=ValueError)
    chart = demo.figure("ranking", LANG_SON, "2024")
    check_refs(getattr, chart, "series")
    check_refs(getattr, chart, "caption")
