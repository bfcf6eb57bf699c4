"""hicov.dask: claims read on a dask.distributed LocalCluster of two worker
processes must equal hicov.read_claims in one process, bit for bit: counts,
totals, cells, distinct patients, messages, the duplicate table and the
serialised state.

The input is synthetic (tests/bench/gen-claims, three seeds and the three
forms) with duplicates inside files, across files of one task and across
tasks (a resubmitted envelope), a rejected record every few thousand and a
refused file, so that the merge's duplicate handling is exercised."""

import os
import pathlib
import pickle
import shutil
import struct
import subprocess
import sys

import pytest

import hicov

distributed = pytest.importorskip("distributed")
import hicov.dask  # noqa: E402

# Debian 12's distributed 2022.12 calls tornado's IOLoop.make_current(),
# which tornado 6.2 deprecates on Python 3.11, whenever a cluster or client
# starts its event loop; it is not ours to fix and says nothing about hicov.
pytestmark = pytest.mark.filterwarnings(
    "ignore:make_current is deprecated:DeprecationWarning")

# tests/data: the reference files, with their origin in its README
SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "data", "claims-sample-130.xml")


# ---- comparing accumulators -------------------------------------------------

def serial_sections(state):
    """The core's serialised state (csrc/claims/claims-state.c, hicov_claims_serialize)
    cut into its sections.  The (patient, facility, month) triples and the
    duplicate keys are written sorted (merged from their tables and the runs
    on disk); they are sorted here again so that a difference shows as
    missing or extra entries.  Everything else must match byte for byte.  Record sizes: ClaimsCell 48
    and ClaimsTriple 24 bytes (csrc/claims/claims-private.h); a layout change makes
    the length check below fail loudly."""
    counts_size = len(hicov.Claims().to_bytes()) - 16 - 7 * 8
    p = 16
    out = {"head": state[:16], "counts": state[p:p + counts_size]}
    p += counts_size

    def u64():
        nonlocal p
        (v,) = struct.unpack_from("=Q", state, p)
        p += 8
        return v

    def text():
        nonlocal p
        n = u64()
        p += n
        return state[p - n:p]

    def records(size, n):
        nonlocal p
        v = [state[p + size * i:p + size * (i + 1)] for i in range(n)]
        p += size * n
        return v

    out["facilities"] = [text() for _ in range(u64())]
    out["patient_keys"] = [text() for _ in range(u64())]
    out["cells"] = records(48, u64())
    out["triples"] = sorted(records(24, u64()))
    out["duplicate_keys"] = sorted(records(8, u64()))
    out["messages"] = [(u64(), text(), text(), text(), text())
                       for _ in range(u64())]
    out["max_messages"] = u64()
    assert p == len(state), "the serialised claims layout changed"
    return out


def assert_same_state(a, b):
    sa, sb = a.to_bytes(), b.to_bytes()
    if sa != sb:
        da, db = serial_sections(sa), serial_sections(sb)
        for key in da:
            assert da[key] == db[key], f"serialised section {key} differs"


def assert_same_claims(got, want, ds_dir=None):
    assert got.counts == want.counts
    assert got.counts.merge_conflicts == 0
    assert got.totals == want.totals
    assert got.to_frame().equals(want.to_frame())
    assert got.rejections.equals(want.rejections)
    assert got.flags.equals(want.flags)
    assert got.values_csv() == want.values_csv()
    if ds_dir is not None:
        # what to_dataset adds: distinct patients for every unit above the
        # facilities too
        ds = hicov.load(str(ds_dir))
        assert got.values_csv(ds) == want.values_csv(ds)
    # to_frame sorted the cells of both: compare the states after it
    assert_same_state(got, want)


# ---- input --------------------------------------------------------------------

def gen_claims_program():
    """tests/bench/gen-claims of the build tree: HICOV_BUILD_DIR (set by
    tests/run-all), else the tree the module comes from (meson test)."""
    builds = [pathlib.Path(os.environ["HICOV_BUILD_DIR"])] if os.environ.get(
        "HICOV_BUILD_DIR") else []
    builds.append(pathlib.Path(hicov.__file__).resolve().parents[2])
    for build in builds:
        prog = build / "tests" / "bench" / "gen-claims"
        if prog.is_file():
            return prog
    pytest.skip("tests/bench/gen-claims not built (set HICOV_BUILD_DIR)")


def split_lines(src, dst_dir, parts, head, tail):
    """Cuts a one-record-per-line file into `parts` files at record
    boundaries, each with the first `head` and last `tail` lines."""
    lines = src.read_bytes().splitlines(keepends=True)
    top, body = lines[:head], lines[head:len(lines) - tail]
    bottom = lines[len(lines) - tail:]
    dst_dir.mkdir()
    step = -(-len(body) // parts)
    for k in range(parts):
        (dst_dir / f"part-{k:02d}{src.suffix}").write_bytes(
            b"".join(top + body[k * step:(k + 1) * step] + bottom))


@pytest.fixture(scope="module")
def claim_files(tmp_path_factory):
    """Folders of envelopes, plain XML and CSV, a resubmitted envelope and
    a refused file; returns (paths, dataset folder)."""
    gen = gen_claims_program()
    top = tmp_path_factory.mktemp("dask-claims")

    def run(out, seed, forms):
        subprocess.run([str(gen), "--out", str(out), "--seed", str(seed),
                        "--records", "9000", "--quirks", "--forms", forms,
                        "--per-envelope", "1000"],
                       check=True, capture_output=True)

    run(top / "g1", 11, "env")
    run(top / "g2", 12, "plain")
    run(top / "g3", 13, "csv")
    split_lines(top / "g2" / "plain.xml", top / "plain", 4, head=2, tail=1)
    split_lines(top / "g3" / "claims.csv", top / "csv", 3, head=1, tail=0)
    (top / "resubmitted").mkdir()
    shutil.copy(top / "g1" / "env" / "000002.xml",
                top / "resubmitted" / "000002-again.xml")
    (top / "refused.xml").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><D>&a;</D>')
    paths = [str(top / "g1" / "env"), str(top / "plain"), str(top / "csv") + "/",
             str(top / "resubmitted"), str(top / "refused.xml")]
    return paths, top / "g1"


@pytest.fixture(scope="module")
def client():
    # Context managers close the client before the cluster, and the cluster
    # waits for its worker processes: no stray warnings at exit.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, \
            distributed.Client(cluster) as c:
        c.wait_for_workers(2, timeout=60)
        yield c


# ---- tests --------------------------------------------------------------------

def test_import_hicov_does_not_import_dask():
    code = ("import sys, hicov, hicov.dask; "
            "sys.exit(any(m.split('.')[0] in ('dask', 'distributed') "
            "for m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], env=dict(
        os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert r.returncode == 0, "importing hicov or hicov.dask imported dask"


def test_list_claim_files_in_core_order(tmp_path):
    """Every file yields a rejection naming it: the core's messages give
    its reading order, which the listing must match exactly."""
    record = pathlib.Path(SAMPLE).read_text(encoding="utf-8")
    (tmp_path / "d" / "sub").mkdir(parents=True)
    names = ["d/b.xml", "d/B.xml", "d/_x.xml", "d/sub/a.xml", "d/a.csv",
             "d/.hidden.xml", "top.xml"]
    for name in names:
        # a broken envelope: one failed-file message each
        (tmp_path / name).write_text(record[:200], encoding="utf-8")
    paths = [str(tmp_path / "d") + "/", tmp_path / "top.xml"]
    listed = [p for p, _ in hicov.dask.list_claim_files(paths)]
    core = hicov.read_claims(paths, threads=1, errors="collect")
    assert core.counts.files_read == len(listed) == 6
    assert list(core.rejections["file"]) == listed
    assert listed[0] == str(tmp_path / "d") + "//B.xml"  # bytes order, '//' kept
    assert [n for _, n in hicov.dask.list_claim_files(tmp_path / "top.xml")] == [200]
    with pytest.raises(hicov.FileError, match="missing"):
        hicov.dask.list_claim_files([tmp_path / "missing"])
    with pytest.raises(TypeError):
        hicov.dask.list_claim_files([5])


def test_two_workers_equal_one_process(client, claim_files):
    paths, ds_dir = claim_files
    single = hicov.read_claims(paths, threads=1, errors="collect")
    c = single.counts
    # the input really has what the merge must handle
    assert c.duplicates > 1000 // 2500 and c.rejected_by["malformed"] > 0
    assert c.files_failed == 1 and c.read == c.accepted + c.rejected
    naive = hicov.Claims()
    for p in paths:
        naive.merge(hicov.read_claims(p, threads=1, errors="collect"))
    assert naive.counts.merge_conflicts >= 1000  # the resubmitted envelope
    assert naive.totals.visits > single.totals.visits

    dist = hicov.dask.read_claims(paths, client=client, errors="collect")
    assert_same_claims(dist, single, ds_dir)
    # by default the failed file raises, once everything is read, with the
    # merged accumulator
    with pytest.raises(hicov.Error) as failed:
        hicov.dask.read_claims(paths, client=client)
    assert_same_claims(failed.value.claims, single)
    # one file per task merged in pairs, and batches of three merged by three
    for kw in ({"task_bytes": 1, "fan_in": 2},
               {"files_per_task": 3, "task_bytes": 1 << 30, "fan_in": 3}):
        assert_same_claims(hicov.dask.read_claims(paths, client=client,
                                                  errors="collect", **kw),
                           single)
    # The core's own threads give the same numbers, though not the same
    # order: facilities are numbered as threads meet them, and the distinct-
    # patient rows of values_csv follow that numbering.
    multi = hicov.read_claims(paths, threads=2, errors="collect")
    assert multi.counts == dist.counts and multi.totals == dist.totals
    assert sorted(multi.values_csv().splitlines()) == sorted(
        dist.values_csv().splitlines())


def test_duplicate_table_survives(client, claim_files):
    """Reading a file again into the result rejects every record of it as a
    duplicate, as in the single-process accumulator."""
    paths, _ = claim_files
    dist = hicov.dask.read_claims(paths, client=client, task_bytes=1,
                                  errors="collect")
    single = hicov.read_claims(paths, threads=1, errors="collect")
    again = os.path.join(paths[0], "000005.xml")
    before = dist.counts
    dist.read(again, threads=1)
    single.read(again, threads=1)
    # all 1000 records again: rejected as duplicates, or as malformed again
    assert dist.counts.read - before.read == 1000
    assert dist.counts.accepted == before.accepted
    assert dist.counts.duplicates - before.duplicates > 990
    assert dist.counts == single.counts and dist.totals == single.totals


def test_pickle_to_another_process(client, claim_files):
    paths, _ = claim_files
    claims = hicov.read_claims(paths[:3], threads=1)
    state = claims.to_bytes()
    # the worker unpickles it, serialises it again and sends the bytes back
    sent = client.scatter(claims, direct=True)
    back = client.submit(hicov.Claims.to_bytes, sent, pure=False).result()
    assert isinstance(back, bytes)
    assert serial_sections(back) == serial_sections(state)
    copy = pickle.loads(pickle.dumps(hicov.Claims(back)))
    assert_same_claims(copy, claims)
    small = hicov.read_claims(SAMPLE)
    assert client.submit(hicov.Claims.to_bytes, small,
                         pure=False).result() == small.to_bytes()


def test_default_client_and_dataset(client, claim_files):
    paths, ds_dir = claim_files
    ds = hicov.load(str(ds_dir))
    dist = hicov.dask.read_claims(paths[:2], dataset=ds)  # the default client
    want = hicov.load(str(ds_dir))
    hicov.read_claims(paths[:2], threads=1, dataset=want)
    fac = dist.to_frame()["facility"].iloc[0]
    for unit in (fac, ds.units().iloc[0]["code"]):
        for measure in ("visits", "total_cost", "patients"):
            assert ds.measure(measure, unit, "2024") == want.measure(
                measure, unit, "2024")


def test_errors(client, tmp_path):
    with pytest.raises(hicov.FileError, match="missing"):
        hicov.dask.read_claims([SAMPLE, tmp_path / "missing"], client=client)
    with pytest.raises(ValueError):
        hicov.dask.read_claims(SAMPLE, client=client, task_bytes=0)
    with pytest.raises(ValueError):
        hicov.dask.read_claims(SAMPLE, client=client, fan_in=1)
    with pytest.raises(TypeError):
        hicov.dask.read_claims(SAMPLE, client=client, dataset="x")
    empty = hicov.dask.read_claims(tmp_path, client=client)
    assert empty.counts.read == 0 and empty.totals.visits == 0


def test_messages_in_the_language_asked_for(client, tmp_path, monkeypatch):
    """The tasks write the language given, or this process's when none is
    given (the workers' environment says C); the reasons and fields are the
    same in every language."""
    (tmp_path / "a.csv").write_text(
        "MA_LK,MA_CSKCB,NAM_QT,THANG_QT,MA_LOAI_KCB,T_TONGCHI_BV,T_BHTT,"
        "T_BNCCT\nA1,79001,2024,13,01,100.00,80.00,20.00\n")
    (tmp_path / "b.csv").write_text(
        "MA_LK,MA_CSKCB,NAM_QT,THANG_QT,MA_LOAI_KCB,T_TONGCHI_BV,T_BHTT,"
        "T_BNCCT\nB1,79001,2024,1,01,-1,0,0\n")
    files = [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    want = hicov.read_claims(files, threads=1, lang="vi")
    assert len(want.rejections) == 2
    got = hicov.dask.read_claims(files, client=client, files_per_task=1,
                                 lang="vi")
    assert got.lang == "vi"
    assert got.rejections.equals(want.rejections)
    assert "cần tháng quyết toán (1-12), nhưng gặp '13'" in got.rejections.message[0]
    assert ("cần số tiền từ 0 đồng trở lên, nhưng gặp '-1'"
            in got.rejections.message[1])
    english = hicov.dask.read_claims(files, client=client, files_per_task=1,
                                     lang="en")
    assert english.rejections.drop(columns="message").equals(
        want.rejections.drop(columns="message"))
    assert "expected the settlement month" in english.rejections.message[0]
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    default = hicov.dask.read_claims(files, client=client, files_per_task=1)
    assert default.lang is None
    assert default.rejections.equals(want.rejections)
    with pytest.raises(ValueError):
        hicov.dask.read_claims(files, client=client, lang="fr")
