"""Reference counts: no entry point may leak or steal a reference to its
arguments, on success or on error.  With a debug interpreter
(sys.gettotalrefcount) the total must not grow either."""

import array
import datetime
import gc
import sys

import numpy as np
import pandas as pd
import pytest

import hicov
from conftest import SMALL_UNITS, SMALL_VALUES

N = 200


def _refcounts(objs):
    return [sys.getrefcount(o) for o in objs]


def check_refs(fn, *args, raises=None, **kwargs):
    """Call fn(*args, **kwargs) N times; the reference count of every
    argument must be what it was before."""
    objs = list(args) + list(kwargs.values())
    # Small ints are shared by the whole interpreter: their counts move
    # with unrelated code.  The bound object (a Dataset) is checked too.
    objs = [o for o in objs if not (type(o) is int and -5 <= o <= 256)]
    # CPython 3.11's type attribute cache holds a strong reference to the
    # last name looked up in each slot, so an attribute name's count moves
    # when an unrelated lookup evicts it.  getattr's name is not ours.
    if fn is getattr:
        objs = objs[:1]
    if getattr(fn, "__self__", None) is not None and not isinstance(fn.__self__, type(sys)):
        objs.append(fn.__self__)

    def call():
        if raises is None:
            fn(*args, **kwargs)
        else:
            with pytest.raises(raises):
                fn(*args, **kwargs)

    call()  # warm caches (imports, interned strings)
    gc.collect()
    before = _refcounts(objs)
    total = getattr(sys, "gettotalrefcount", None)
    total_before = total() if total else 0
    for _ in range(N):
        call()
    gc.collect()
    after = _refcounts(objs)
    assert after == before, f"{fn.__name__}: refcounts {before} -> {after}"
    if total:
        # a few references may move in caches; a leak grows with N
        assert total() - total_before < N // 2, "total refcount grew"


# Objects made fresh so their counts are not shared with literals elsewhere.
IND = "".join(["coverage", "_rate"])
UNIT = "".join(["2", "0"])
PERIOD = "".join(["20", "24"])
YEAR = 10**3 * 2 + 24


def test_module_functions():
    check_refs(hicov.demo)
    check_refs(hicov.indicators)
    check_refs(hicov.measures)
    check_refs(hicov.period, PERIOD)
    check_refs(hicov.period, "bad", raises=hicov.ParseError)
    check_refs(hicov.collate_key, "".join(["Bắc ", "Sơn"]))
    check_refs(hicov.collate_key, "".join(["x"] * 600))  # beyond the stack buffer
    check_refs(hicov.collate_key, "".join(["a", "\0"]), raises=ValueError)
    check_refs(hicov.collate_key, b"bytes", raises=TypeError)


def test_load(write_dataset):
    folder = str(write_dataset(SMALL_UNITS, SMALL_VALUES))
    check_refs(hicov.load, folder)
    check_refs(hicov.load, folder, strict=False)
    check_refs(hicov.load, folder + "-missing", raises=hicov.FileError)


def test_load_parse_error(write_dataset):
    folder = str(write_dataset(SMALL_UNITS, SMALL_VALUES + "C1,2025,visits,x\n"))
    check_refs(hicov.load, folder, raises=hicov.ParseError)


def test_dataset_methods(demo):
    group = "".join(["D", "N"])
    check_refs(demo.value, IND, UNIT, PERIOD)
    check_refs(demo.value, IND, UNIT, YEAR, group)
    check_refs(demo.value, IND, UNIT, PERIOD, detail=True)
    check_refs(demo.result, IND, UNIT, PERIOD)
    check_refs(demo.reason, IND, UNIT, YEAR)
    check_refs(demo.change, IND, UNIT, "2020", PERIOD)
    check_refs(demo.cagr, IND, UNIT, 2020, YEAR)
    check_refs(demo.measure, "participants", UNIT, PERIOD)
    check_refs(demo.table, IND, PERIOD, "commune", UNIT)
    check_refs(demo.series, IND, UNIT, "Y", "2018", PERIOD)
    check_refs(demo.assess, 0)
    check_refs(demo.measure, "total_cost", UNIT, PERIOD, money="decimal")
    inds = [IND, "".join(["partici", "pants"])]
    periods = [PERIOD, np.int64(2025), pd.Period("2023", "Y")]
    check_refs(demo.frame, inds, periods, "district", UNIT)
    check_refs(demo.frame, inds, PERIOD, "province", groups=["HN", "DN"])
    check_refs(demo.value, IND, UNIT, datetime.date(2024, 3, 1))
    check_refs(demo.units)
    check_refs(demo.children, UNIT, PERIOD)
    check_refs(demo.check)
    for name in ("resolutions", "rejections", "load_stats", "month_span", "groups"):
        check_refs(getattr, demo, name)


def test_dataset_errors(demo):
    check_refs(demo.value, IND, "nope", PERIOD, raises=hicov.NotFoundError)
    check_refs(demo.value, IND, UNIT, "2024-13", raises=hicov.ParseError)
    check_refs(demo.value, IND, UNIT, 2024.5, raises=TypeError)
    check_refs(demo.table, "nope", PERIOD, raises=hicov.NotFoundError)
    check_refs(demo.table, IND, PERIOD, "hamlet", raises=hicov.InvalidError)
    check_refs(demo.frame, [IND, "nope"], PERIOD, raises=hicov.NotFoundError)
    check_refs(demo.frame, [IND], [PERIOD, 2.5], raises=TypeError)
    check_refs(demo.measure, IND, UNIT, PERIOD, money="exact", raises=hicov.InvalidError)
    check_refs(demo.assess, 99, raises=IndexError)
    bad = {"targets": [{"indicator": IND, "unit": UNIT, "threshold": 98}]}
    check_refs(demo.assess, bad, raises=hicov.InvalidError)


def test_resolutions(demo):
    res = demo.resolutions[0]
    d = res.as_dict()
    check_refs(demo.assess, res)
    check_refs(demo.assess, d)
    check_refs(hicov.Resolution, d)
    check_refs(res.as_dict)
    for name in ("body", "number", "title", "term", "targets"):
        check_refs(getattr, res, name)


@pytest.mark.parametrize("make", [
    lambda v: np.array(v),
    lambda v: array.array("d", v),
    lambda v: memoryview(array.array("d", v)),
    lambda v: list(v),
    lambda v: np.array(v, dtype=np.int64),
    lambda v: np.array(v * 2)[::2],
])
def test_vector_functions(make):
    a = make([1.0, 2.0, 3.0])
    b = make([4.0, 5.0, 6.0])
    c = make([1.0, 1.0, 2.0])
    scale = 100.0
    check_refs(hicov.coverage_rate, a, b)
    check_refs(hicov.growth, a, b)
    check_refs(hicov.cagr, a, b, c)
    check_refs(hicov.cagr, a, b, scale)
    check_refs(hicov.ratio, a, b, scale=scale)
    # (3,) and (2,) do not broadcast; (3,) and (1,) do, as in numpy
    check_refs(hicov.ratio, a, make([1.0, 2.0]), raises=ValueError)
    check_refs(hicov.ratio, a, make([2.0]))
    out = np.empty(3)
    check_refs(hicov.ratio, a, b, out=out)
    check_refs(hicov.ratio, a, b, out=np.empty(2), raises=ValueError)


def test_vector_functions_on_pandas():
    a = pd.Series([1.0, 2.0], index=["x", "y"])
    b = pd.Series([4, None], index=["y", "z"], dtype="Int64")
    check_refs(hicov.ratio, a, b)
    check_refs(hicov.coverage_rate, a, 10.0)
    check_refs(hicov.ratio, pd.Series(["s"]), 1.0, raises=ValueError)


def test_result_holds_no_extra_references():
    a = np.ones(5)
    r = hicov.ratio(a, a)
    assert sys.getrefcount(r) == 2  # r and the call's argument
    x = hicov.coverage_rate(1.0, 2.0)
    assert sys.getrefcount(x) == 2


# One leaked float per call would keep N_LEAK * 24 = 240 kB; numpy's
# internal caches (bounded, about 50 kB when malloc is traced under ASan)
# stay below LEAK_BYTES.
N_LEAK = 10_000
LEAK_BYTES = 64_000


def _growth(call, n):
    """Bytes of Python heap kept by n calls, after a warm-up under tracing
    (numpy and the interpreter fill caches of constant size first)."""
    import tracemalloc

    tracemalloc.start()
    try:
        for _ in range(1000):
            call()
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(n):
            call()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()


def test_no_memory_growth(demo):
    """Python-heap growth over many calls (tracemalloc sees what the module
    allocates through Python): a leaked float or str per call shows."""
    a = np.linspace(1.0, 2.0, 100)
    calls = [lambda: demo.value(IND, UNIT, PERIOD),
             lambda: demo.result(IND, UNIT, YEAR),
             lambda: hicov.coverage_rate(a, a),
             lambda: hicov.cagr(a, a, 2.0),
             lambda: hicov.period(PERIOD)]
    for call in calls:
        assert _growth(call, N_LEAK) < LEAK_BYTES


def test_no_memory_growth_on_errors(demo):
    def bad_unit():
        try:
            demo.value(IND, "nope", PERIOD)
        except hicov.NotFoundError:
            pass

    def bad_period():
        try:
            demo.value(IND, UNIT, "2024-13")
        except hicov.ParseError:
            pass

    def bad_shape():
        try:
            hicov.ratio(np.ones(2), np.ones(3))
        except ValueError:
            pass

    for call in (bad_unit, bad_period, bad_shape):
        assert _growth(call, N_LEAK) < LEAK_BYTES, call.__name__
