"""Pickling and copying Dataset and Resolution through the core's own
serialisations: hicov_dataset_serialize (csrc/core/dataset-state.c: a tag,
a version, the folder's CSV files, the settings and resolutions, sealed
with a SHA-256) and the resolution file.

A pickle that was cut or changed raises ParseError, never crashes; the
fuzz-style tests also re-seal changed bytes (the format is documented) so
that the parser behind the digest sees them."""

import copy
import hashlib
import pickle
import random
import struct

import pytest

import hicov
from test_boundaries import write as write_split_folder

DIGEST = 32


def same_dataset(a, b):
    """Everything a user can see of a dataset, compared."""
    assert a.to_bytes() == b.to_bytes()
    ua, va = a.to_frames()
    ub, vb = b.to_frames()
    assert ua.equals(ub) and va.equals(vb)
    assert [r.as_dict() for r in a.resolutions] == [r.as_dict() for r in b.resolutions]
    assert (a.fund_share, a.lang, a.boundaries, a.groups, a.month_span) == \
        (b.fund_share, b.lang, b.boundaries, b.groups, b.month_span)


def reseal(body):
    return bytes(body) + hashlib.sha256(bytes(body)).digest()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    # load_state's messages are in the process's language
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def ds():
    d = hicov.demo()
    d.fund_share = 85.5
    d.lang = "en"
    d.boundaries = "as-published"
    return d


def test_dataset_pickles_whole(ds):
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(ds, protocol=protocol))
        assert type(back) is hicov.Dataset and back is not ds
        same_dataset(back, ds)
    back = pickle.loads(pickle.dumps(ds))
    # values by hand from the demo: Lang Son's coverage in 2024 is 94.1 %
    assert round(back.value("coverage_rate", "20", "2024"), 1) == 94.1
    assert back.fund_share == 85.5 and back.lang == "en"
    assert back.boundaries == "as-published"
    assert len(back.resolutions) == len(ds.resolutions) > 0


def test_state_is_tagged_and_versioned(ds):
    state = ds.to_bytes()
    assert state[:8] == b"HICOVDS\0"
    assert struct.unpack("<I", state[8:12]) == (1,)
    assert state[-DIGEST:] == hashlib.sha256(state[:-DIGEST]).digest()
    # units.csv comes first, as the folder has it
    (n,) = struct.unpack("<I", state[12:16])
    assert state[16:16 + n].startswith(b"code,name,parent,level")
    later = reseal(state[:8] + struct.pack("<I", 2) + state[12:-DIGEST])
    with pytest.raises(hicov.ParseError, match="version 2"):
        hicov.Dataset.from_bytes(later)
    with pytest.raises(hicov.ParseError, match="tag"):
        hicov.Dataset.from_bytes(reseal(b"HICOVDX\0" + state[8:-DIGEST]))


def test_splits_and_settings_survive(tmp_path):
    d = hicov.load(str(write_split_folder(tmp_path / "split")), lang="en")
    back = pickle.loads(pickle.dumps(d))
    same_dataset(back, d)
    # Y in 2024 on 2025's boundaries takes 60 % of X (crosswalk.csv):
    # 1,700 + 0.6 * 900 of 2,000 + 0.6 * 1,000 = 2,240 of 2,600 insured;
    # 2025: 2,376 of 2,640 = 90 %
    r = back.result("coverage_change", "Y", "2025")
    assert r.value == pytest.approx(90 - 2240 / 2600 * 100, abs=1e-9)
    assert r.estimate is True


def test_copy_and_deepcopy_are_independent(ds):
    for c in (copy.copy(ds), copy.deepcopy(ds), ds.copy()):
        assert c is not ds
        c.fund_share = 50
        assert ds.fund_share == 85.5
    res = ds.resolutions[0]
    for c in (copy.copy(res), copy.deepcopy(res), pickle.loads(pickle.dumps(res))):
        assert type(c) is hicov.Resolution and c is not res
        assert c.as_dict() == res.as_dict()


def test_resolution_pickles_through_its_file():
    res = hicov.Resolution(body="HĐND tỉnh", number="1/2024", title="Bảo hiểm",
                           term=(2021, 2026),
                           targets=[{"indicator": "coverage_rate", "unit": "20",
                                     "threshold": 95.123456789012345, "deadline": 2025}])
    back = pickle.loads(pickle.dumps(res))
    assert back.as_dict() == res.as_dict()
    assert back.targets[0]["threshold"] == 95.123456789012345  # exact
    assert hicov.Resolution.from_xml(res.to_xml().encode()).as_dict() == res.as_dict()
    with pytest.raises(hicov.ParseError):
        hicov.Resolution.from_xml(res.to_xml()[:-40])


def test_cut_state_raises(ds):
    state = ds.to_bytes()
    cuts = list(range(0, 64)) + list(range(64, len(state), 97)) + [len(state) - 1]
    for n in cuts:
        with pytest.raises(hicov.ParseError, match="not a hicov dataset state"):
            hicov.Dataset.from_bytes(state[:n])
    with pytest.raises(hicov.ParseError):
        hicov.Dataset.from_bytes(state + b"\0")


def test_changed_byte_raises(ds, seed):
    state = ds.to_bytes()
    rng = random.Random(seed)
    for _ in range(300):
        b = bytearray(state)
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        with pytest.raises(hicov.ParseError, match="SHA-256"):
            hicov.Dataset.from_bytes(b)


def test_resealed_garbage_never_crashes(ds, seed):
    """Changed bytes behind a correct digest reach the parser: each gives
    ParseError or a dataset (a digit of a value changed), never a crash,
    and every length field cut short is caught."""
    body = ds.to_bytes()[:-DIGEST]
    rng = random.Random(seed)
    loaded = refused = 0
    for i in range(400):
        b = bytearray(body)
        for _ in range(rng.choice((1, 1, 2, 8))):
            pos = rng.randrange(8, len(b))
            b[pos] = rng.choice((0, 0xFF, rng.randrange(256), b[pos] ^ 0x20))
        if i % 4 == 0:  # cut at a random place as well
            b = b[:rng.randrange(8, len(b))]
        try:
            hicov.Dataset.from_bytes(reseal(b))
            loaded += 1
        except hicov.ParseError:
            refused += 1
    assert refused > 0 and loaded + refused == 400
    # a huge string length in the first section
    huge = body[:12] + struct.pack("<I", 0xFFFFFFF0) + body[16:]
    with pytest.raises(hicov.ParseError, match="ends early"):
        hicov.Dataset.from_bytes(reseal(huge))


def test_not_bytes():
    with pytest.raises(TypeError):
        hicov.Dataset.from_bytes("HICOVDS")
    with pytest.raises(hicov.ParseError):
        hicov.Dataset.from_bytes(b"")


def test_dataset_through_a_dask_worker(ds):
    """A Dataset sent to another process by dask.distributed and sent back
    comes back equal."""
    distributed = pytest.importorskip("distributed")
    import warnings
    with warnings.catch_warnings():
        # Debian 12's distributed and tornado (see test_dask.py)
        warnings.filterwarnings("ignore", "make_current is deprecated", DeprecationWarning)
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            sent = client.scatter(ds, direct=True)
            # computed in the worker, from its unpickled copy
            value = client.submit(hicov.Dataset.value, sent, "coverage_rate", "20",
                                  "2024", pure=False).result()
            back = client.submit(copy.copy, sent, pure=False).result()
    assert value == ds.value("coverage_rate", "20", "2024")
    same_dataset(back, ds)


def charts(ds):
    return [ds.chart_coverage("20", 0, lang="vi"),
            ds.chart_ranked("coverage_rate", "2024", "20", target=95, bottom=5),
            ds.chart_groups("participants", "20", ["2022", "2023", "2024"]),
            ds.chart_columns("visits", "20", ["2023", "2024"]),
            ds.chart_revenue_spending("20", [2022, 2023, 2024]),
            ds.chart_columns("visits", "20", [])]  # empty: "No data"


def test_charts_pickle_as_they_show(ds):
    for c in charts(ds):
        c.size, c.theme, c.subtitle = (500, 300), "dark", "đã chỉnh"
        back = pickle.loads(pickle.dumps(c))
        assert type(back) is hicov.Chart and back is not c
        assert back.to_bytes() == c.to_bytes()
        assert (back.kind, back.size, back.keys, back.title, back.subtitle, back.lang,
                back.theme, back.empty) == (c.kind, c.size, c.keys, c.title, c.subtitle,
                                            c.lang, c.theme, c.empty)
        assert back.png() == c.png()  # the same pixels


def test_cut_or_changed_chart_raises(ds, seed):
    state = charts(ds)[1].to_bytes()
    assert state[:8] == b"HICOVCH\0"
    for n in list(range(0, 48)) + list(range(48, len(state), 37)):
        with pytest.raises(hicov.ParseError):
            hicov.Chart.from_bytes(state[:n])
    rng = random.Random(seed)
    body = state[:-DIGEST]
    refused = 0
    for i in range(300):
        b = bytearray(state)
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        with pytest.raises(hicov.ParseError):
            hicov.Chart.from_bytes(b)
        # resealed: the parser behind the digest, never a crash
        g = bytearray(body)
        for _ in range(rng.choice((1, 2, 8))):
            g[rng.randrange(8, len(g))] = rng.randrange(256)
        try:
            hicov.Chart.from_bytes(reseal(g[:rng.randrange(8, len(g) + 1)]))
        except hicov.ParseError:
            refused += 1
    assert refused > 0
