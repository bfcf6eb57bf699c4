"""Vectorised formulas: numbers worked by hand, buffers of every kind,
broadcasting, errors, threads, and seeded property tests."""

import array
import math
import threading
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, seed as hyp_seed, settings, strategies as st
from hypothesis.extra import numpy as hnp

import hicov
from conftest import SEED

settings.register_profile("hicov", database=None, deadline=None, max_examples=200,
                          print_blob=True)
settings.load_profile("hicov")


# ---------------------------------------------------------------- by hand

def test_coverage_rate_lang_son_2024():
    # 764,769 / 812,720 = 0.94099...; exact fraction, rounded once
    expected = float(Fraction(764769 * 100, 812720))
    r = hicov.coverage_rate(np.array([764769.0]), np.array([812720.0]))
    assert r.dtype == np.float64 and r.shape == (1,)
    assert r[0] == pytest.approx(expected, rel=1e-15)
    assert 94.0999 < r[0] < 94.1
    assert round(r[0], 1) == 94.1


def test_coverage_rate_nan_cases():
    r = hicov.coverage_rate([1.0, 5.0, math.nan, 3.0, 2.0], [0.0, -10.0, 4.0, math.nan, 4.0])
    assert np.isnan(r[:4]).all()
    assert r[4] == 50.0


def test_scalars_give_a_float():
    r = hicov.coverage_rate(764769, 812720)
    assert type(r) is float
    assert r == float(Fraction(764769 * 100, 812720))
    assert math.isnan(hicov.coverage_rate(1, 0))


def test_growth_by_hand():
    r = hicov.growth(np.array([110.0, 97.4, 5.0, 1.0]), np.array([100.0, 100.0, 0.0, math.nan]))
    assert r[0] == pytest.approx(10.0, abs=1e-12)
    assert r[1] == pytest.approx(-2.6, abs=1e-12)
    assert math.isnan(r[2]) and math.isnan(r[3])


def test_cagr_by_hand():
    # 100 -> 121 in 2 years is 10% a year; 100 -> 50 in 1 year is -50%
    r = hicov.cagr(np.array([100.0, 100.0]), np.array([121.0, 50.0]), np.array([2.0, 1.0]))
    assert r[0] == pytest.approx(10.0, abs=1e-12)
    assert r[1] == pytest.approx(-50.0, abs=1e-12)
    # years as a scalar broadcasts
    r = hicov.cagr([100.0, 200.0], [121.0, 242.0], 2)
    assert r == pytest.approx([10.0, 10.0], abs=1e-12)
    # Lang Son participants 2020 -> 2025 (5 years)
    expected = ((779662 / 732000) ** (1 / 5) - 1) * 100
    assert hicov.cagr(732000, 779662, 5) == pytest.approx(expected, rel=1e-12)


def test_ratio_with_scale():
    r = hicov.ratio([1.0, 3.0, 1.0], [4.0, 4.0, 0.0], scale=100)
    assert r[0] == 25.0 and r[1] == 75.0 and math.isnan(r[2])
    assert hicov.ratio(690e9, 1.07e6) == pytest.approx(690e9 / 1.07e6, rel=1e-15)
    assert hicov.ratio(num=1, den=8, scale=2.0) == 0.25


# ---------------------------------------------------------------- shapes

def test_broadcast_scalar_against_array():
    r = hicov.coverage_rate(np.array([10.0, 20.0, 30.0]), 40)
    assert r.tolist() == [25.0, 50.0, 75.0]
    r = hicov.coverage_rate(50, np.array([100.0, 200.0]))
    assert r.tolist() == [50.0, 25.0]
    r = hicov.coverage_rate(np.float64(50), np.array([100.0]))
    assert r.tolist() == [50.0]


def test_two_dimensional_shape_kept():
    a = np.arange(1.0, 7.0).reshape(2, 3)
    r = hicov.ratio(a, np.full((2, 3), 2.0))
    assert r.shape == (2, 3)
    assert (r == a / 2).all()


def test_shape_mismatch_is_value_error():
    with pytest.raises(ValueError, match=r"shape mismatch: participants has shape \(3,\) "
                                         r"but population has shape \(4,\)"):
        hicov.coverage_rate(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="shape mismatch"):
        hicov.cagr(np.ones(2), np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="shape mismatch"):
        hicov.ratio(np.ones((2, 3)), np.ones(6))


def test_empty_arrays():
    r = hicov.growth(np.array([]), np.array([]))
    assert r.shape == (0,) and r.dtype == np.float64


def test_bad_inputs():
    with pytest.raises(TypeError, match="population must be a number"):
        hicov.coverage_rate([1.0], None)
    with pytest.raises(ValueError):
        hicov.coverage_rate(["a"], [1.0])
    with pytest.raises(TypeError):
        hicov.coverage_rate(np.ones(2))
    with pytest.raises(TypeError):
        hicov.ratio(1.0, 2.0, scale="x")


# ---------------------------------------------------------------- buffers

def test_array_array_and_memoryview():
    part = array.array("d", [764769.0, 732000.0])
    pop = array.array("d", [812720.0, 788793.0])
    expected = [100 * 764769 / 812720, 100 * 732000 / 788793]
    for a, b in [(part, pop), (memoryview(part), memoryview(pop)),
                 (memoryview(part.tobytes()).cast("d"), pop)]:
        r = hicov.coverage_rate(a, b)
        assert isinstance(r, np.ndarray) and r.dtype == np.float64
        assert r == pytest.approx(expected, rel=1e-15)


def test_double_buffers_are_not_converted(monkeypatch):
    """Contiguous float64 buffers are read in place: numpy.asarray (the
    conversion path) must not be called for them, but is for others."""
    calls = []
    real = np.asarray

    def spy(*args, **kwargs):
        calls.append(type(args[0]).__name__)
        return real(*args, **kwargs)

    monkeypatch.setattr(np, "asarray", spy)
    a = np.linspace(1.0, 2.0, 5)
    hicov.ratio(a, a)
    hicov.ratio(array.array("d", [1.0]), memoryview(array.array("d", [2.0])))
    assert calls == []
    hicov.ratio(np.arange(5), a)           # int64: converted
    hicov.ratio(a[::2], a[:3])             # strided: converted
    hicov.ratio([1.0, 2.0], [1.0, 2.0])    # lists: converted
    hicov.ratio(array.array("f", [1.0]), array.array("i", [2]))
    assert calls == ["ndarray", "ndarray", "list", "list", "array", "array"]


def test_non_contiguous_and_other_dtypes_still_work():
    a = np.arange(20.0)
    r = hicov.ratio(a[::2], a[1::2])
    assert r == pytest.approx(a[::2] / a[1::2])
    r = hicov.ratio(np.arange(1, 4, dtype=np.int32), np.array([2, 2, 2], dtype=np.float32))
    assert r.tolist() == [0.5, 1.0, 1.5]
    big_endian = np.array([1.0, 2.0], dtype=">f8")
    assert hicov.ratio(big_endian, 2.0).tolist() == [0.5, 1.0]
    f = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    assert (hicov.ratio(f, 1.0) == f).all()


def test_inputs_are_not_modified():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([4.0, 0.0, 6.0])
    a0, b0 = a.copy(), b.copy()
    r = hicov.coverage_rate(a, b)
    assert (a == a0).all() and (b == b0).all()
    assert r is not a and r is not b


def test_out_overlapping_an_input():
    """out= sharing memory with an input, shifted, reads the input as it
    was (numpy's ufuncs copy it first); out= the input itself is in place."""
    # 100 growing 10% a year: every year's growth is 10
    y = np.array([100.0, 110.0, 121.0, 133.1, 146.41])
    r = hicov.growth(y[1:], y[:-1], out=y[1:])
    assert r.tolist() == pytest.approx([10.0, 10.0, 10.0, 10.0], abs=1e-12)
    assert y[0] == 100.0
    # 50 of 100, 100 of 200, 200 of 400: 50% each
    y = np.array([50.0, 100.0, 200.0, 400.0])
    hicov.coverage_rate(y[:-1], y[1:], out=y[1:])
    assert y.tolist() == [50.0, 50.0, 50.0, 50.0]
    # 100 -> 121 in 2 years, 121 -> 146.41 in 2 years: 10% a year
    y = np.array([100.0, 121.0, 146.41])
    years = np.array([2.0, 2.0])
    hicov.cagr(y[:-1], y[1:], years, out=y[:-1])
    assert y[:2].tolist() == pytest.approx([10.0, 10.0], abs=1e-9)
    # large enough to run without the GIL: 2 / 1 - 1 = 100%
    z = np.ones(30001)
    z[1::2] = 2.0
    hicov.growth(z[1:], z[:-1], out=z[1:])
    assert (z[1::2] == 100.0).all() and (z[2::2] == -50.0).all()
    # in place, element for element
    y = np.array([100.0, 110.0, 90.0])
    assert hicov.growth(y, 100.0, out=y) is y
    assert y.tolist() == pytest.approx([0.0, 10.0, -10.0], abs=1e-12)


def test_buffer_released_after_call():
    # array.array cannot be resized while a buffer export is held.
    a = array.array("d", [1.0, 2.0])
    hicov.growth(a, a)
    a.append(3.0)
    with pytest.raises(ValueError):     # (3,) and (2,) do not broadcast
        hicov.growth(a, array.array("d", [1.0, 2.0]))
    a.append(4.0)  # released on the error path too
    assert len(a) == 4


# ---------------------------------------------------------------- threads

def test_large_arrays_in_threads():
    """1e6 elements run without the GIL; results stay right when several
    threads compute at once."""
    rng = np.random.default_rng(SEED)
    n = 1_000_000
    part = rng.uniform(0, 1e6, n)
    pop = rng.uniform(-1e5, 1e6, n)
    expected = np.where(pop > 0, part / np.where(pop > 0, pop, 1) * 100, np.nan)
    results = [None] * 8
    errors = []

    def work(i):
        try:
            results[i] = hicov.coverage_rate(part, pop)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for r in results:
        np.testing.assert_allclose(r, expected, rtol=1e-13, equal_nan=True)


# ---------------------------------------------------------------- properties

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_subnormal=False)
positive = st.floats(min_value=1e-6, max_value=1e12, allow_nan=False)


@hyp_seed(SEED)
@given(hnp.arrays(np.float64, st.integers(0, 50), elements=finite),
       st.data())
def test_prop_coverage_rate(part, data):
    pop = data.draw(hnp.arrays(np.float64, part.shape, elements=finite))
    r = hicov.coverage_rate(part, pop)
    assert r.shape == part.shape
    # NaN for a population <= 0 (header) and for negative participants
    # (the core's rule; counts cannot be negative)
    ok = (pop > 0) & (part >= 0)
    assert np.isnan(r[~ok]).all()
    with np.errstate(over="ignore"):  # tiny populations overflow to inf
        expected = part[ok] / pop[ok] * 100
    np.testing.assert_allclose(r[ok], expected, rtol=1e-14)


@hyp_seed(SEED)
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=positive),
       st.floats(min_value=-0.9, max_value=2.0), st.integers(1, 30))
def test_prop_cagr_inverts_compounding(first, rate, years):
    last = first * (1 + rate) ** years
    r = hicov.cagr(first, last, float(years))
    np.testing.assert_allclose(r, rate * 100, rtol=1e-9, atol=1e-9)


@hyp_seed(SEED)
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=positive), finite)
def test_prop_growth_and_ratio_agree(prev, shift):
    cur = prev + shift
    g = hicov.growth(cur, prev)
    q = hicov.ratio(cur, prev, scale=100.0)
    np.testing.assert_allclose(g, q - 100.0, rtol=1e-9, atol=1e-6 * np.abs(q).max())


@hyp_seed(SEED)
@given(st.lists(finite, min_size=1, max_size=30), st.lists(finite, min_size=1, max_size=30))
def test_prop_any_buffer_same_result(a, b):
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    ref = hicov.ratio(np.array(a), np.array(b))
    for x, y in [(array.array("d", a), array.array("d", b)),
                 (memoryview(array.array("d", a)), b)]:
        np.testing.assert_array_equal(hicov.ratio(x, y), ref)


# ---------------------------------------------------------------- numpy and pandas (issue 21)

def test_numpy_broadcasting():
    # a column of participants against a row of populations: (2, 1) x (3,)
    part = np.array([[1.0], [2.0]])
    pop = np.array([10.0, 20.0, 40.0])
    r = hicov.coverage_rate(part, pop)
    assert r.shape == (2, 3)
    assert r.tolist() == [[10.0, 5.0, 2.5], [20.0, 10.0, 5.0]]
    # (3,) against (1,) broadcasts like a scalar
    assert hicov.ratio(np.array([1.0, 2.0, 3.0]), np.array([4.0])).tolist() == [0.25, 0.5, 0.75]
    # years broadcast along the last axis of a 2-D cagr: 100 -> 121 in 2
    # years is 10%, 100 -> 200 in 1 year is 100%
    r = hicov.cagr(np.full((2, 2), 100.0), np.array([[121.0, 200.0], [121.0, 200.0]]),
                   np.array([2.0, 1.0]))
    assert r == pytest.approx(np.array([[10.0, 100.0], [10.0, 100.0]]), abs=1e-12)


def test_out_argument():
    out = np.full(3, -1.0)
    r = hicov.ratio([1.0, 3.0, 1.0], [4.0, 4.0, 0.0], scale=100, out=out)
    assert r is out
    assert out[0] == 25.0 and out[1] == 75.0 and math.isnan(out[2])
    # scalars fill out, as numpy's ufuncs do
    hicov.growth(110.0, 100.0, out=out)
    assert out == pytest.approx([10.0] * 3, abs=1e-12)
    with pytest.raises(ValueError, match=r"out has shape \(3,\)"):
        hicov.ratio(np.ones(2), np.ones(2), out=out)
    with pytest.raises(TypeError, match="out must be an array of float64"):
        hicov.ratio(np.ones(3), np.ones(3), out=np.empty(3, dtype=np.float32))
    with pytest.raises(TypeError, match="out must be a writable"):
        hicov.ratio(np.ones(3), np.ones(3), out=[0.0] * 3)


def test_series_align_by_label():
    """Two Series are matched by label, not position, and the result keeps
    the index: C1 950 / 1000, C2 2400 / 3000 (the populations given in the
    other order)."""
    part = pd.Series([950, 2400], index=["C1", "C2"], name="participants")
    pop = pd.Series([3000, 1000], index=["C2", "C1"])
    r = hicov.coverage_rate(part, pop)
    assert isinstance(r, pd.Series)
    assert r.to_dict() == {"C1": 95.0, "C2": 80.0}
    # labels on one side only give NaN, on the union of the indexes
    pop3 = pd.Series([1000.0, 500.0], index=["C1", "C3"])
    r = hicov.coverage_rate(part, pop3)
    assert r.index.tolist() == ["C1", "C2", "C3"]
    assert r["C1"] == 95.0 and math.isnan(r["C2"]) and math.isnan(r["C3"])
    # a Series against a scalar keeps its index and order
    r = hicov.ratio(part, 10.0)
    assert r.index.tolist() == ["C1", "C2"] and r.tolist() == [95.0, 240.0]


def test_nullable_dtypes():
    # Int64 with <NA>: the missing value is NaN in the result
    part = pd.Series([950, None], index=["C1", "C2"], dtype="Int64")
    r = hicov.coverage_rate(part, pd.Series([1000.0, 3000.0], index=["C1", "C2"]))
    assert r["C1"] == 95.0 and math.isnan(r["C2"])
    r = hicov.growth(pd.array([110, None], dtype="Int64"), np.array([100.0, 100.0]))
    assert isinstance(r, np.ndarray)
    assert r[0] == pytest.approx(10.0, abs=1e-12) and math.isnan(r[1])
    f = pd.Series([1.5, None], dtype="Float64")
    assert hicov.ratio(f, 0.5).tolist()[0] == 3.0
    with pytest.raises(ValueError, match="num: not numbers"):
        hicov.ratio(pd.Series(["a"]), 1.0)
