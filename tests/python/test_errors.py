"""Exception classes and their messages: each says where and what."""

import math
import os

import pytest

import hicov
from conftest import SMALL_UNITS, SMALL_VALUES


def test_hierarchy():
    assert issubclass(hicov.Error, Exception)
    for cls, builtin in [(hicov.ParseError, ValueError), (hicov.NotFoundError, KeyError),
                         (hicov.InvalidError, ValueError), (hicov.FileError, OSError),
                         (hicov.LimitError, ValueError), (hicov.NoMemoryError, MemoryError),
                         (hicov.MissingError, ValueError),
                         (hicov.SumOverflowError, OverflowError),
                         (hicov.UnsupportedError, NotImplementedError)]:
        assert issubclass(cls, hicov.Error), cls
        assert issubclass(cls, builtin), cls
        assert cls.__module__ == "hicov"
    assert hicov.IOError is hicov.FileError
    e = hicov.ParseError("x")
    assert (e.file, e.line, e.column, e.field) == (None, None, None, None)


def test_malformed_value_names_file_line_column(write_dataset):
    values = SMALL_VALUES.splitlines(keepends=True)
    values.insert(3, 'C2,2023,visits,"1,2"\n')   # physical line 4
    folder = write_dataset(SMALL_UNITS, "".join(values))
    with pytest.raises(hicov.ParseError) as info:
        hicov.load(folder)
    e = info.value
    msg = str(e)
    assert msg.startswith("values.csv line 4, column 4 (value): expected a number"), msg
    assert "found '1,2'" in msg
    assert (e.file, e.line, e.column, e.field) == ("values.csv", 4, 4, "value")
    assert isinstance(e, ValueError)


def test_lenient_load_records_rejections(write_dataset):
    values = SMALL_VALUES + "C9,2024,visits,10\nC1,2024-13,visits,10\nC1,2024,visits,1e3\n"
    folder = write_dataset(SMALL_UNITS, values)
    ds = hicov.load(folder, strict=False)
    assert tuple(ds.load_stats) == (4 + 11, 4 + 8, 3)
    assert ds.load_stats.read == 15 and ds.load_stats.rejected == 3
    rej = ds.rejections
    assert list(rej.columns) == ["file", "line", "column", "field", "message"]
    assert rej["line"].tolist() == [10, 11, 12]
    assert rej["field"].tolist() == ["unit", "period", "value"]
    assert rej["column"].tolist() == [1, 2, 4]
    assert rej["message"][0].startswith("values.csv line 10, column 1 (unit): ")
    assert "'C9'" in rej["message"][0]
    # the accepted rows are there
    assert ds.value("participants", "C1", 2024) == 950


def test_missing_header_column(write_dataset):
    folder = write_dataset("code,name,parent\nP1,One,\n", SMALL_VALUES)
    with pytest.raises(hicov.ParseError, match=r"units.csv line 1: missing column 'level'") as info:
        hicov.load(folder)
    assert info.value.file == "units.csv" and info.value.line == 1
    assert info.value.field == "level"


def test_missing_folder_is_file_error(tmp_path):
    with pytest.raises(hicov.FileError) as info:
        hicov.load(tmp_path / "nowhere")
    assert isinstance(info.value, OSError)
    assert "nowhere" in str(info.value) or "units.csv" in str(info.value)


def test_empty_folder_name_is_refused():
    # "" is not the root folder (it opened /units.csv)
    with pytest.raises(hicov.Error, match="no dataset folder given"):
        hicov.load("")


def test_fifo_and_device_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "units.csv")
    (tmp_path / "values.csv").write_text("unit,period,measure,value\n")
    with pytest.raises(hicov.FileError, match="units.csv is a FIFO"):
        hicov.load(tmp_path)


def test_unknown_names_are_not_found(demo):
    with pytest.raises(hicov.NotFoundError) as info:
        demo.value("coverage_rate", "no-such-unit", 2024)
    assert "no-such-unit" in str(info.value)
    assert not str(info.value).startswith("'")  # not KeyError's quoting
    with pytest.raises(KeyError):
        demo.value("no_such_indicator", "20", 2024)
    with pytest.raises(hicov.NotFoundError, match="unknown indicator 'nope'"):
        demo.table("nope", 2024)
    with pytest.raises(hicov.NotFoundError, match="unknown indicator 'nope'"):
        demo.series("nope", "20")


@pytest.mark.parametrize("period", ["2024-13", "24", "2024-Q5", "2025-10/2025-01", "",
                                    "2024\x00", 3000, 1899, -1])
def test_bad_periods(demo, period):
    with pytest.raises(hicov.ParseError, match="invalid period"):
        demo.value("coverage_rate", "20", period)


@pytest.mark.parametrize("period", [2024.0, None, True, b"2024", ("2024",)])
def test_period_types(demo, period):
    with pytest.raises(TypeError, match="period must be a str"):
        demo.value("coverage_rate", "20", period)


def test_period_canonical_text():
    assert hicov.period(2024) == "2024"
    assert hicov.period("2024-Q3") == "2024-Q3"
    assert hicov.period("2025-01/2025-10") == "2025-01/2025-10"
    assert hicov.period("2024-01/2024-12") == "2024"


def test_bad_level_and_freq(demo):
    with pytest.raises(hicov.InvalidError, match="invalid level 'hamlet'"):
        demo.table("coverage_rate", 2024, level="hamlet")
    with pytest.raises(hicov.InvalidError):
        demo.table("coverage_rate", 2024, level=9)
    with pytest.raises(ValueError, match="invalid freq 'W'"):
        demo.series("coverage_rate", "20", freq="W")


def test_bad_resolution_dicts(demo):
    good = {"indicator": "coverage_rate", "unit": "20", "threshold": 98, "deadline": 2025}
    with pytest.raises(hicov.InvalidError, match=r"targets\[0\]: unknown key 'dealine'"):
        demo.assess({"targets": [dict(good, dealine=2025)]})
    with pytest.raises(hicov.InvalidError, match=r"targets\[1\]: missing 'threshold'"):
        demo.assess({"targets": [good, {"indicator": "coverage_rate", "unit": "20",
                                        "deadline": 2025}]})
    with pytest.raises(hicov.NotFoundError, match=r"targets\[0\]: unknown indicator 'cov'"):
        demo.assess({"targets": [dict(good, indicator="cov")]})
    with pytest.raises(hicov.InvalidError, match="comparison must be"):
        demo.assess({"targets": [dict(good, comparison="about")]})
    with pytest.raises(hicov.InvalidError, match="resolution: unknown key 'year'"):
        hicov.Resolution(year=2025)
    with pytest.raises(TypeError, match="term must be"):
        hicov.Resolution(term=2025)
    with pytest.raises(IndexError, match="resolution index 99 out of range"):
        demo.assess(99)
    with pytest.raises(TypeError, match="resolution must be"):
        demo.assess("Lang Son")


def test_missing_value_is_nan_with_reason(demo):
    r = demo.result("coverage_rate", "20", 1950)
    assert math.isnan(r.value) and r.status == "missing"
    assert r.reason
    assert demo.reason("coverage_rate", "20", 1950) == r.reason
    assert math.isnan(demo.value("coverage_rate", "20", 1950))
    assert demo.measure("participants", "20", 1950) is None


def test_dataset_cannot_be_created_directly():
    with pytest.raises(TypeError):
        hicov.Dataset()


# ---- Arguments the core refuses with a bare status: each message names the
# argument, what it takes and what it was given ------------------------------

TARGET = {"indicator": "coverage_rate", "unit": "20", "threshold": 98, "deadline": 2030}


@pytest.mark.parametrize("change, words", [
    ({"level": 99}, ["'level' must be province, district, commune or facility", "not 99"]),
    ({"level": -5}, ["'level' must be", "not -5"]),
    ({"level": "country"}, ["'level' country: no country lies below a unit"]),
    ({"deadline": 1800}, ["'deadline' must be a year from 1900 to 2100", "not 1800"]),
    ({"deadline": 2200}, ["'deadline' must be a year", "not 2200"]),
    # the core names the field as the XML does, whichever key was used
    ({"deadline_year": 2200, "deadline": None}, ["'deadline' must be a year", "not 2200"]),
    ({"baseline": 2031}, ["'baseline' must be a year from 1900 to the deadline 2030",
                          "not 2031"]),
    ({"baseline_year": 1800}, ["'baseline' must be a year", "not 1800"]),
    ({"kind": "change"}, ["a change target needs 'baseline'", "before the deadline 2030",
                          "found none"]),
    ({"kind": "growth", "baseline": 2030}, ["a growth target needs 'baseline'",
                                            "found the deadline itself"]),
    ({"threshold": float("nan")}, ["'threshold' must be a finite number", "not nan"]),
    ({"threshold": float("inf")}, ["'threshold' must be a finite number", "not inf"]),
    ({"threshold": 9800}, ["'threshold' 9800 of rate 'coverage_rate' is outside 0-100",
                           "write 98 for 98%"]),
    ({"units_share": 150, "level": "commune"},
     ["'units_share' must be a percentage from 0 to 100", "not 150"]),
    ({"units_share": 50}, ["'units_share' needs 'level'"]),
    ({"indicator": "coverage_change"}, ["'indicator' must be a level indicator",
                                        "not 'coverage_change'"]),
])
def test_resolution_target_errors_name_the_key(change, words):
    target = {k: v for k, v in dict(TARGET, **change).items() if v is not None}
    with pytest.raises(hicov.InvalidError) as info:
        hicov.Resolution(targets=[TARGET, target])
    msg = str(info.value)
    assert msg.startswith("targets[1]: "), msg
    assert "invalid argument" not in msg
    for w in words:
        assert w in msg, msg


def test_resolution_term_and_number_types_name_the_key(demo):
    with pytest.raises(hicov.InvalidError) as info:
        hicov.Resolution(term=(2030, 2025))
    assert str(info.value) == ("resolution: 'term' must be (start, end) with end "
                               "no earlier than start, not (2030, 2025)")
    with pytest.raises(TypeError, match=r"targets\[0\]: 'threshold' must be a number, not str"):
        hicov.Resolution(targets=[dict(TARGET, threshold="98%")])
    with pytest.raises(TypeError, match=r"targets\[0\]: 'units_share' must be a number"):
        hicov.Resolution(targets=[dict(TARGET, units_share="half", level="commune")])
    # the same words through a dict where a resolution is taken
    with pytest.raises(hicov.InvalidError, match=r"targets\[0\]: 'deadline' must be a year"):
        demo.assess({"targets": [dict(TARGET, deadline=1066)]})


def test_to_adx_errors_name_the_years(demo, tmp_path):
    for path in ({}, {"path": str(tmp_path / "a.xml")}):
        with pytest.raises(hicov.InvalidError) as info:
            demo.to_adx(first_year=2024, last_year=2020, **path)
        assert str(info.value) == ("first_year 2024 is after last_year 2020: expected "
                                   "first_year no later than last_year")
    with pytest.raises(hicov.InvalidError) as info:
        demo.to_adx(first_year=2199)
    msg = str(info.value)
    assert msg.startswith("first_year 2199 is after last_year ") and \
        "(the last year with data)" in msg, msg
    with pytest.raises(hicov.InvalidError, match=r"\(the first year with data\) is after "
                                                 r"last_year 1901"):
        demo.to_adx(last_year=1901)
    with pytest.raises(hicov.InvalidError, match="measures and indicators are both False"):
        demo.to_adx(measures=False, indicators=False)
    with pytest.raises(hicov.InvalidError, match="first_year 2024 is after last_year 2020"):
        demo.to_dhis2(first_year=2024, last_year=2020)
    with pytest.raises(hicov.InvalidError, match="last_year must be a year 1900-2200 or None, "
                                                 "not 1066"):
        demo.to_dhis2(last_year=1066)


def test_to_adx_without_values_says_why(tmp_path):
    (tmp_path / "units.csv").write_text("code,name,parent,level\nP,P,,province\n")
    (tmp_path / "values.csv").write_text(
        "unit,period,measure,value\nP,2024,population,1000\n")
    ds = hicov.load(str(tmp_path))
    with pytest.raises(hicov.MissingError) as info:
        ds.to_adx(measures=False, indicators=True, unit="P", first_year=1990,
                  last_year=1991)
    assert str(info.value) != "value missing" and "export" in str(info.value)


@pytest.mark.parametrize("call", [
    lambda ds: ds.table("coverage_rate", 2024, level=9),
    lambda ds: ds.frame("coverage_rate", "2024", level=-3),
    lambda ds: ds.equity("coverage_rate", "20", 9, "2024"),
    lambda ds: ds.chart_ranked("coverage_rate", "2024", "20", level=9),
])
def test_level_numbers_say_what_is_expected(demo, call):
    with pytest.raises(hicov.InvalidError) as info:
        call(demo)
    msg = str(info.value)
    assert msg.startswith("invalid level ") and "expected 'country', 'province'" in msg, msg
    assert "0 to 4" in msg, msg


def test_save_table_level_and_equity_years_say_what_is_expected(demo, tmp_path):
    with pytest.raises(hicov.InvalidError, match=r"invalid level 9: expected .*0 to 4 or None"):
        demo.save_table(str(tmp_path / "t.csv"), "coverage_rate", "2024", level=9)
    with pytest.raises(hicov.InvalidError, match="invalid level 'hamlet': expected"):
        demo.save_table(str(tmp_path / "t.csv"), "coverage_rate", "2024", level="hamlet")
    with pytest.raises(ValueError, match="period: expected 1 to 64 years, found 0"):
        demo.equity("coverage_rate", "20", "commune", [])
