"""hicov.read_claims and hicov.Claims: reading BHYT claims XML through the
core, counts that reconcile, exact money, pickling and merging (the Dask
scale-out path), progress callbacks, and adding the claims to a dataset.

The expected totals of claims-sample-130.xml are counted by hand from its
two HOSO: SYN-0001, an outpatient visit (MA_LOAI_KCB 01) of a child (card
TE...) costing 158 000 đồng, all paid by the fund; SYN-0002, an inpatient
stay (03) of 5 days of a pensioner (card HT...) costing 5 250 000 đồng, of
which the fund paid 4 750 000 and the patient 250 000; both settled in
March 2024 at facility 01999."""

import base64
import math
import os
import pathlib
import pickle
import re
import shutil
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import hicov
from test_refcount import check_refs

# tests/data: the reference files, with their origin in its README
SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "data", "claims-sample-130.xml")


def assert_reconciles(counts):
    assert counts.read == counts.accepted + counts.rejected
    assert counts.rejected == sum(counts.rejected_by.values())
    assert counts.duplicates == counts.rejected_by["duplicate"]


@pytest.fixture(scope="module")
def sample():
    return hicov.read_claims(SAMPLE)


def inner_records():
    """The two TONG_HOP documents inside the sample's envelope."""
    raw = pathlib.Path(SAMPLE).read_text(encoding="utf-8")
    docs = [base64.b64decode(m).decode("utf-8")
            for m in re.findall(r"<NOIDUNGFILE>(.*?)</NOIDUNGFILE>", raw)]
    return [d.split("?>", 1)[1] if d.startswith("<?xml") else d for d in docs]


def plain_xml(records):
    return ('<?xml version="1.0" encoding="utf-8"?><DATA>' + "".join(records)
            + "</DATA>").encode("utf-8")


def test_sample_totals(sample):
    t = sample.totals
    assert t.visits == 2
    assert t.inpatient_visits == 1
    assert t.inpatient_days == 5
    assert t.total_cost == Decimal(158000 + 5250000)
    assert t.fund_paid == Decimal(158000 + 4750000)
    assert t.copay == Decimal(250000)
    assert all(isinstance(x, Decimal) for x in (t.total_cost, t.fund_paid, t.copay))
    assert t.patients == 2 and t.facilities == 1
    assert t.first_month == t.last_month == "2024-03"


def test_read_bytes_takes_a_str_as_its_utf8(sample):
    # the stub allows str (a notebook's open(...).read()); Vietnamese names
    # in it read as they do from the bytes
    text = pathlib.Path(SAMPLE).read_text(encoding="utf-8")
    c = hicov.Claims()
    c.read_bytes(text, name="sample.xml")
    assert c.totals == sample.totals
    assert c.counts.read == 2 and c.counts.accepted == 2


def test_sample_counts(sample):
    c = sample.counts
    assert isinstance(c, hicov.ClaimsCounts)
    assert (c.read, c.accepted, c.rejected, c.duplicates, c.flagged) == (2, 2, 0, 0, 0)
    assert_reconciles(c)
    assert c.records_130 == 2 and c.records_4210 == 0
    assert c.files_read == 1 and c.files_failed == 0
    assert c.bytes_read == os.path.getsize(SAMPLE)
    assert set(c.rejected_by) >= {"missing", "malformed", "duplicate"}
    assert set(c.flagged_by) >= {"amount_nan", "amount_comma", "days_computed"}
    assert sample.rejections.empty and sample.flags.empty
    assert list(sample.rejections.columns) == ["kind", "reason", "file", "record",
                                               "field", "message"]


def test_to_frame(sample):
    f = sample.to_frame()
    assert sorted(f["group"]) == ["HT", "TE"]
    assert set(f["period"]) == {pd.Period("2024-03", freq="M")}
    assert set(f["facility"]) == {"01999"}
    assert str(f["period"].dtype) == "period[M]"
    assert f["facility"].dtype == "category" and f["group"].dtype == "category"
    te = f[f["group"] == "TE"].iloc[0]
    ht = f[f["group"] == "HT"].iloc[0]
    assert (te.visit_type, te.visits, te.inpatient_visits) == (1, 1, 0)
    # money: float64 dong by default, each the double of the exact amount
    assert f["total_cost"].dtype == f["copay"].dtype == "float64"
    assert te.total_cost == 158000.0 and te.copay == 0.0
    assert (ht.visit_type, ht.inpatient_days) == (3, 5)
    assert ht.fund_paid == 4750000.0 and ht.copay == 250000.0
    t = sample.totals
    assert f["total_cost"].sum() == t.total_cost
    assert f["fund_paid"].sum() == t.fund_paid
    assert f["visits"].sum() == t.visits


def test_to_frame_money_exact(sample):
    d = sample.to_frame(money="decimal")
    assert d["total_cost"].dtype == object
    assert all(type(v) is Decimal for v in d["total_cost"])
    assert sum(d["total_cost"]) == Decimal(158000 + 5250000) == sample.totals.total_cost
    c = sample.to_frame(money="centi")
    assert c["fund_paid"].dtype == "int64"
    # 158,000 + 4,750,000 dong in hundredths
    assert sorted(c["fund_paid"]) == [15800000, 475000000]
    assert c["copay"].sum() == 25000000
    with pytest.raises(hicov.InvalidError, match="money must be 'float', 'decimal' or 'centi'"):
        sample.to_frame(money="exact")


def test_to_frame_plots(sample):
    """The issue's example: money is numeric, so pandas can plot and numpy
    can take logs."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    by_month = sample.to_frame().groupby("month").total_cost.sum()
    assert by_month.to_dict() == {3: 5408000.0}
    ax = by_month.plot()
    assert list(ax.lines[0].get_ydata()) == [5408000.0]
    plt.close("all")
    assert np.log(by_month).iloc[0] == pytest.approx(math.log(5408000), rel=1e-15)


def test_paths_forms(tmp_path):

    a = hicov.read_claims(pathlib.Path(SAMPLE))
    b = hicov.read_claims([SAMPLE], threads=1)
    c = hicov.read_claims((SAMPLE.encode(),), threads=3)
    assert a.totals == b.totals == c.totals
    with pytest.raises(TypeError):
        hicov.read_claims(5)
    with pytest.raises(TypeError):
        hicov.read_claims([SAMPLE, 5])


def test_folder_with_duplicates(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(SAMPLE, tmp_path / "a.xml")
    shutil.copy(SAMPLE, tmp_path / "sub" / "b.xml")
    c = hicov.read_claims(tmp_path, threads=2)
    counts = c.counts
    assert counts.files_read == 2
    assert (counts.read, counts.accepted, counts.rejected, counts.duplicates) == (4, 2, 2, 2)
    assert_reconciles(counts)
    # the duplicates are not summed twice
    assert c.totals.total_cost == Decimal(5408000)
    rej = c.rejections
    assert list(rej["reason"]) == ["duplicate", "duplicate"]
    assert sorted(rej["record"]) == ["SYN-0001", "SYN-0002"]


def test_rejection_says_where():
    recs = inner_records()
    bad = recs[0].replace("<T_BHTT>158000.00</T_BHTT>", "<T_BHTT>abc</T_BHTT>")
    c = hicov.Claims()
    c.read_bytes(plain_xml([bad, recs[1]]), name="bad.xml")
    counts = c.counts
    assert (counts.read, counts.accepted, counts.rejected) == (2, 1, 1)
    assert counts.rejected_by["malformed"] == 1
    assert_reconciles(counts)
    row = c.rejections.iloc[0]
    assert (row.kind, row.reason, row.file, row.record, row.field) == (
        "reject", "malformed", "bad.xml", "SYN-0001", "T_BHTT")
    assert "bad.xml" in row.message and "'abc'" in row.message
    assert c.totals.total_cost == Decimal(5250000)


def test_strict(tmp_path):
    recs = inner_records()
    path = tmp_path / "bad.xml"
    path.write_bytes(plain_xml([recs[0].replace("<T_BHTT>158000.00</T_BHTT>",
                                                "<T_BHTT>abc</T_BHTT>")]))
    lenient = hicov.read_claims(path)
    assert lenient.counts.rejected == 1
    with pytest.raises(hicov.ParseError, match="T_BHTT.*'abc'"):
        hicov.read_claims(path, strict=True)
    assert hicov.read_claims(SAMPLE, strict=True).counts.accepted == 2


def test_missing_file(tmp_path):
    missing = tmp_path / "missing.xml"
    with pytest.raises(hicov.FileError, match="missing.xml"):
        hicov.read_claims([SAMPLE, missing], strict=True)


def test_refused_document(tmp_path):
    # a DOCTYPE is refused: no entity expansion, ever
    path = tmp_path / "evil.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><DATA>&a;</DATA>')
    c = hicov.read_claims([SAMPLE, path], errors="collect")
    assert c.counts.files_failed == 1 and c.counts.accepted == 2
    files = c.rejections[c.rejections["kind"] == "file"]
    assert len(files) == 1 and files.iloc[0].file.endswith("evil.xml")
    with pytest.raises(hicov.Error):
        hicov.Claims().read_bytes(path.read_bytes(), name="evil.xml")
    # by default the refused file raises, every file read, the accumulator
    # on the exception
    with pytest.raises(hicov.ParseError, match="evil.xml.*DOCTYPE") as e:
        hicov.read_claims([SAMPLE, path])
    assert e.value.claims.counts == c.counts
    with pytest.raises(hicov.ParseError, match="DOCTYPE"):
        c.check()


def test_pickle_round_trip(sample):
    data = pickle.dumps(sample)
    copy = pickle.loads(data)
    assert isinstance(copy, hicov.Claims) and copy is not sample
    assert copy.counts == sample.counts
    assert copy.totals == sample.totals
    assert copy.to_frame().equals(sample.to_frame())
    assert hicov.Claims(sample.to_bytes()).totals == sample.totals
    assert copy.to_bytes() == sample.to_bytes()


def test_bad_state():
    with pytest.raises(hicov.Error):
        hicov.Claims(b"not a serialised accumulator")
    with pytest.raises(TypeError):
        hicov.Claims("text")


def test_merge(sample):
    recs = inner_records()
    first = hicov.Claims()
    first.read_bytes(plain_xml(recs[:1]), name="one.xml")
    second = hicov.Claims()
    second.read_bytes(plain_xml(recs[1:]), name="two.xml")
    # what a Dask reduction does: ship the parts, merge them
    merged = pickle.loads(pickle.dumps(first))
    merged.merge(pickle.loads(pickle.dumps(second)))
    assert merged.totals == sample.totals
    assert merged.counts.read == 2 and merged.counts.merge_conflicts == 0
    assert second.totals.visits == 1  # unchanged
    # the same records from two accumulators cannot be taken out again
    merged.merge(second)
    assert merged.counts.merge_conflicts == 1
    assert merged.totals.visits == 3
    with pytest.raises(TypeError):
        merged.merge(5)
    with pytest.raises(ValueError):
        merged.merge(merged)


def test_progress_called():
    calls = []
    c = hicov.read_claims(SAMPLE, progress=lambda *a: calls.append(a))
    size = os.path.getsize(SAMPLE)
    assert calls, "progress was never called"
    assert all(len(a) == 5 for a in calls)
    # the last report: everything read
    assert calls[-1] == (size, size, 1, 1, 2)
    assert c.counts.read == 2


class Stop(Exception):
    pass


def test_progress_exception_propagates():
    seen = []

    def progress(*args):
        seen.append(args)
        raise Stop("enough")

    with pytest.raises(Stop, match="enough"):
        hicov.read_claims([SAMPLE, SAMPLE], progress=progress)
    assert len(seen) == 1  # no call after the one that raised
    c = hicov.Claims()
    with pytest.raises(Stop):
        c.read(SAMPLE, progress=progress)
    with pytest.raises(TypeError):
        hicov.read_claims(SAMPLE, progress=5)


UNITS = ("code,name,parent,level,tier\n"
         "P1,Province One,,province,\n"
         "D1,District One,P1,district,\n"
         "C1,Commune A,D1,commune,\n"
         "C2,Commune B,D1,commune,\n"
         "01999,Facility X,C1,facility,district\n")
VALUES = ("unit,period,measure,value\n"
          "C1,2024-03,population,1000\n"
          "C1,2024-03,participants,950\n"
          "C2,2024-03,population,3000\n"
          "C2,2024-03,participants,2850\n")


def test_to_dataset(write_dataset, sample):
    ds = hicov.load(str(write_dataset(UNITS, VALUES)))
    sample.to_dataset(ds)
    assert ds.measure("visits", "01999", "2024-03") == 2
    # money: a float of dong by default, exact on request
    cost = ds.measure("total_cost", "C1", "2024-03")
    assert type(cost) is float and cost == 5408000.0
    assert ds.measure("total_cost", "C1", "2024-03", money="decimal") == Decimal("5408000.00")
    assert ds.measure("total_cost", "C1", "2024-03", money="centi") == 540800000
    assert ds.measure("fund_paid", "P1", "2024-03") == 4908000.0
    assert ds.measure("copay", "P1", "2024-03") == 250000.0
    days = ds.measure("inpatient_days", "P1", "2024-03")
    assert type(days) is int and days == 5
    assert ds.measure("patients", "P1", "2024") == 2
    assert ds.value("visits", "01999", "2024-03", group="TE") == 1
    # indicators that need both sources: claims (cost) over CSV (participants)
    assert ds.value("cost_per_participant", "C1", "2024-03") == pytest.approx(5408000 / 950)
    assert ds.value("cost_per_participant", "P1", "2024-03") == pytest.approx(5408000 / 3800)
    assert ds.value("cost_per_visit", "P1", "2024-03") == pytest.approx(2704000)
    assert ds.value("avg_length_of_stay", "P1", "2024-03") == pytest.approx(5.0)
    assert ds.value("coverage_rate", "P1", "2024-03") == pytest.approx(95.0)


def test_read_claims_with_dataset(write_dataset):
    ds = hicov.load(str(write_dataset(UNITS, VALUES)))
    hicov.read_claims(SAMPLE, dataset=ds)
    assert ds.measure("visits", "P1", "2024-03") == 2


def test_to_dataset_unknown_facility(demo, sample):
    with pytest.raises(hicov.NotFoundError, match="01999"):
        sample.to_dataset(hicov.demo())
    with pytest.raises(TypeError):
        sample.to_dataset("not a dataset")
    with pytest.raises(hicov.NotFoundError):
        hicov.read_claims(SAMPLE, dataset=hicov.demo())


def test_merge_into(write_dataset, sample):
    """merge_into: to_dataset's values merged into a dataset that may hold
    some already, under a conflict policy, all or nothing."""
    ds = hicov.load(str(write_dataset(UNITS, VALUES)))
    merged = sample.merge_into(ds)
    assert merged["added"] > 0 and merged["replaced"] == merged["kept"] == 0
    assert merged["unchanged"] == 0
    assert ds.measure("visits", "01999", "2024-03") == 2
    assert ds.measure("patients", "P1", "2024") == 2
    assert ds.value("coverage_rate", "P1", "2024-03") == pytest.approx(95.0)
    # the same values again: all unchanged (to_dataset refuses them)
    again = sample.merge_into(ds)
    assert again == {"added": 0, "replaced": 0, "kept": 0,
                     "unchanged": merged["added"]}
    with pytest.raises(hicov.InvalidError):
        sample.to_dataset(ds)
    # a value that differs: refused with each conflict listed, then kept or
    # replaced
    units = write_dataset(UNITS, VALUES + "01999,2024-03,visits,7\n")
    ds = hicov.load(str(units))
    with pytest.raises(hicov.InvalidError) as e:
        sample.merge_into(ds)
    assert e.value.conflicts == [
        "visits of 01999 for 2024-03 is 7 in the dataset and 2 in the import"]
    assert ds.measure("visits", "01999", "2024-03") == 7
    assert ds.measure("patients", "P1", "2024") is None  # nothing added
    kept = sample.merge_into(ds, on_conflict="keep")
    assert kept["kept"] == 1 and kept["added"] == merged["added"] - 1
    assert ds.measure("visits", "01999", "2024-03") == 7
    replaced = sample.merge_into(ds, "other", on_conflict="replace")
    assert replaced["replaced"] == 1 and replaced["added"] == 0
    assert ds.measure("visits", "01999", "2024-03") == 2
    with pytest.raises(ValueError, match="on_conflict"):
        sample.merge_into(ds, on_conflict="merge")
    with pytest.raises(hicov.NotFoundError, match="01999"):
        sample.merge_into(hicov.demo())
    with pytest.raises(TypeError):
        sample.merge_into("not a dataset")
    check_refs(sample.merge_into, ds)
    check_refs(sample.merge_into, hicov.demo(), raises=hicov.NotFoundError)


def test_values_csv(sample, write_dataset):
    text = sample.values_csv()
    assert text.splitlines()[0] == "unit,period,measure,value,group,source"
    assert "01999,2024-03,total_cost,5250000,HT,claims" in text
    assert "01999,2024-03,fund_paid,158000,TE,claims" in text


# Objects made fresh so their counts are not shared with literals elsewhere.
PATH = "".join([SAMPLE[:10], SAMPLE[10:]])


def test_refcounts(sample, write_dataset, tmp_path):
    check_refs(hicov.read_claims, PATH, threads=2)
    check_refs(hicov.read_claims, [PATH, PATH])
    progress = lambda *a: None  # noqa: E731
    check_refs(hicov.read_claims, PATH, progress=progress)

    def boom(*a):
        raise Stop

    check_refs(hicov.read_claims, PATH, progress=boom, raises=Stop)
    check_refs(hicov.read_claims, PATH + "-missing", strict=True, raises=hicov.FileError)
    check_refs(hicov.read_claims, [PATH, 5], raises=TypeError)
    ds = hicov.load(str(write_dataset(UNITS, VALUES)))
    check_refs(hicov.read_claims, PATH, dataset=hicov.demo(), raises=hicov.NotFoundError)
    state = sample.to_bytes()
    check_refs(hicov.Claims, state)
    check_refs(hicov.Claims, b"junk", raises=hicov.Error)
    data = plain_xml(inner_records())
    c = hicov.Claims()
    check_refs(c.read_bytes, data)
    check_refs(c.read, PATH)
    check_refs(sample.to_frame)
    for money in ("float", "decimal", "centi"):
        check_refs(sample.to_frame, money="".join(money))
    check_refs(sample.to_frame, money="exact", raises=hicov.InvalidError)
    check_refs(sample.to_bytes)
    check_refs(sample.values_csv)
    check_refs(sample.__reduce__)
    check_refs(sample.to_dataset, hicov.demo(), raises=hicov.NotFoundError)
    for name in ("counts", "totals", "rejections", "flags"):
        check_refs(getattr, sample, name)
    other = pickle.loads(pickle.dumps(sample))
    check_refs(hicov.Claims().merge, other)
    # to_dataset changes ds: once, then the values are already there
    fresh = hicov.Claims(state)
    fresh.to_dataset(ds)
    check_refs(fresh.to_dataset, ds, raises=hicov.Error)


# ---- larger input from the project's deterministic generator ----------------

def gen_claims_program():
    """tests/bench/gen-claims of the build tree the module comes from."""
    build = pathlib.Path(hicov.__file__).resolve().parents[2]
    prog = build / "tests" / "bench" / "gen-claims"
    if not prog.is_file():
        pytest.skip(f"{prog} not built")
    return prog


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    import json
    import subprocess
    out = tmp_path_factory.mktemp("gen")
    subprocess.run([str(gen_claims_program()), "--out", str(out), "--seed", "7",
                    "--mb", "120", "--forms", "plain"], check=True, capture_output=True)
    intended = json.loads((out / "intended.json").read_text())
    return out / "plain.xml", intended


def test_generated_totals(generated):
    """The generator's intended totals, computed without hicov."""
    path, want = generated
    for threads in (1, 0):
        c = hicov.read_claims(path, threads=threads)
        counts, t = c.counts, c.totals
        assert (counts.read, counts.accepted, counts.rejected) == (
            want["records_read"], want["accepted"], want["rejected"])
        assert_reconciles(counts)
        assert (t.visits, t.inpatient_visits, t.inpatient_days, t.patients) == (
            want["visits"], want["inpatient_visits"], want["inpatient_days"],
            want["patients"])
        # the generator counts every facility of its geography, hicov those
        # with claims
        assert 0.9 * want["facilities"] < t.facilities <= want["facilities"]
        assert t.total_cost == Decimal(want["total_cost_centi"]) / 100
        assert t.fund_paid == Decimal(want["fund_paid_centi"]) / 100
        assert t.copay == Decimal(want["copay_centi"]) / 100


FRAME_COLUMNS = ["facility", "period", "year", "month", "group", "visit_type",
                 "visits", "inpatient_visits", "inpatient_days", "total_cost",
                 "fund_paid", "copay"]
INT_COLUMNS = ["year", "month", "visit_type", "visits", "inpatient_visits",
               "inpatient_days"]


def test_generated_frame(generated):
    """The frame of many cells: one row per key, in key order, summing to the
    generator's totals, with integer counts and exact Decimal money."""
    path, want = generated
    f = hicov.read_claims(path).to_frame()
    assert list(f.columns) == FRAME_COLUMNS
    assert len(f) > 1000
    for col in INT_COLUMNS:
        assert f[col].dtype == "int64", col
    keys = list(zip(f["facility"], f["period"], f["group"], f["visit_type"]))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert (f["period"].dt.strftime("%Y-%m")
            == [f"{y:04d}-{m:02d}" for y, m in zip(f["year"], f["month"])]).all()
    assert f["visits"].sum() == want["visits"]
    assert f["inpatient_days"].sum() == want["inpatient_days"]
    exact = hicov.read_claims(path).to_frame(money="decimal")
    centi = hicov.read_claims(path).to_frame(money="centi")
    for col in ("total_cost", "fund_paid", "copay"):
        assert all(type(v) is Decimal for v in exact[col])
        assert sum(exact[col]) == Decimal(want[col + "_centi"]) / 100, col
        assert centi[col].dtype == "int64" and centi[col].sum() == want[col + "_centi"]
        # each float is the double nearest the exact amount
        assert f[col].dtype == "float64"
        assert (f[col] == centi[col] / 100).all(), col


def test_empty_frame():
    f = hicov.Claims().to_frame()
    assert list(f.columns) == FRAME_COLUMNS and len(f) == 0
    for col in INT_COLUMNS:
        assert f[col].dtype == "int64", col


def test_reading_releases_the_gil(generated):
    import threading
    path, want = generated
    spins = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            spins[0] += 1

    seen = []

    def progress(*args):
        seen.append((spins[0], args))

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        before = spins[0]
        hicov.read_claims(path, threads=1, progress=progress)
    finally:
        stop.set()
        thread.join()
    # the other thread ran while the core read (with the GIL held it could
    # not have moved between the call and the core's first report)
    assert seen[0][0] - before > 1000
    assert seen[-1][1] == (path.stat().st_size, path.stat().st_size, 1, 1,
                           want["records_read"])


def test_progress_exception_cancels(generated):
    path, want = generated
    seen = []

    def progress(*args):
        seen.append(args)
        raise Stop("cancel")

    with pytest.raises(Stop, match="cancel"):
        hicov.read_claims(path, threads=1, progress=progress)
    assert len(seen) == 1
    done, total, files_done, files_total, records = seen[0]
    assert total == path.stat().st_size and files_total == 1
    # reported mid-read (about every 200 ms): the read stopped there
    if done < total:
        assert records < want["records_read"]


def test_a_missing_path_is_one_failed_file_not_a_silent_empty_result(tmp_path):
    # Lenient reading loses nothing: the readable file is read, the missing
    # one is counted as failed and reported with its path.
    missing = str(tmp_path / "no-such-export.xml")
    c = hicov.read_claims([SAMPLE, missing], errors="collect")
    assert c.counts.read == 2 and c.counts.accepted == 2
    assert c.counts.files_failed == 1
    assert any(missing in m for m in c.rejections["message"])
    # by default it raises (once the other files are read)
    with pytest.raises(hicov.FileError, match="no-such-export.xml") as e:
        hicov.read_claims([SAMPLE, missing])
    assert e.value.claims.counts.accepted == 2
    # the example: one path that does not exist raises, naming it
    with pytest.raises(hicov.FileError, match="nonexistent"):
        hicov.read_claims(str(tmp_path / "nonexistent"))


def test_serialised_state_is_byte_identical_after_a_round_trip():
    c = hicov.read_claims([SAMPLE])
    assert hicov.Claims(c.to_bytes()).to_bytes() == c.to_bytes()


def test_cli_says_why_there_are_no_totals(tmp_path):
    """One patient's fund past 2^63 centi over ten visit types: every record
    is accepted, the fund total cannot be given, and the CLI says so and
    fails instead of leaving the totals out without a word."""
    import subprocess
    build = os.environ.get("HICOV_BUILD_DIR")
    exe = os.path.join(build, "csrc", "hicov") if build else None
    if not exe or not os.access(exe, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    rows = ["MA_LK,MA_BN,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
            "THANG_QT,MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB"]
    rows += [f"r{i},B1,DN4010000000001,0,9999999999999999,0,2024,1,{i:02d},1,F1"
             for i in range(1, 11)]
    src = tmp_path / "fund.csv"
    src.write_text("\n".join(rows) + "\n")
    out = tmp_path / "values.csv"
    proc = subprocess.run([exe, "claims", "-o", str(out), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "read 10, accepted 10, rejected 0" in proc.stdout
    assert "no totals: the total of fund paid overflows 64 bits" in proc.stderr
    assert "not written because the totals failed" in proc.stderr
    assert not out.exists()
    # the Python module raises the same overflow for the per-patient sums
    c = hicov.read_claims([str(src)])
    with pytest.raises(hicov.SumOverflowError):
        c.totals
