"""The claims reader under faults, from Python and the command line: failed
files raise (or are collected), states rebuilt from bytes are checked, the
folder walk reads each folder once, what is not a regular file is refused,
and the command never writes its output over one of its inputs.

The C side (files that change while they are read, records far apart,
temporary files failing with tiny tables) is in tests/c/test-claims-faults.c.
"""

import os
import struct
import subprocess

import pytest

import hicov
import hicov.dask

SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "data", "claims-sample-130.xml")

HEADER = ("MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
          "MA_LOAI_KCB,MA_CSKCB\n")
ONE_ROW = HEADER + "A1,HS4010000000001,100,80,20,2024,1,01,F1\n"

# offsets of counts in a serialised state: the format's mark and the
# byte-order mark, then HicovClaimsCounts (int64 each)
COUNTS_AT = 16
READ, ACCEPTED, REJECTED = 0, 1, 2
REJECTED_BY_MALFORMED = 3 + 1


def put_count(state, index, value):
    b = bytearray(state)
    struct.pack_into("=q", b, COUNTS_AT + 8 * index, value)
    return bytes(b)


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    exe = os.path.join(build, "csrc", "hicov") if build else None
    if not exe or not os.access(exe, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return exe


def run(*args, timeout=60):
    return subprocess.run([cli(), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout,
                          env=dict(os.environ, LANG="C", LANGUAGE=""))


def dataset_dir(path):
    path.mkdir()
    (path / "units.csv").write_text("code,name,parent,level,tier\n"
                                    "VN,Viet Nam,,country,\n"
                                    "P,Province,VN,province,\n"
                                    "F1,Facility one,P,facility,commune\n")
    (path / "values.csv").write_text("unit,period,measure,value\n"
                                     "P,2024,population,1000\n"
                                     "P,2024,participants,900\n")
    return path


# ---- Python: failures raise, or are collected ----

def test_a_path_that_does_not_exist_raises(tmp_path):
    missing = tmp_path / "nonexistent"
    with pytest.raises(hicov.FileError, match="nonexistent: cannot open") as e:
        hicov.read_claims(missing)
    assert e.value.claims.counts.files_failed == 1
    c = hicov.read_claims(missing, errors="collect")
    assert c.counts.read == 0 and c.counts.files_failed == 1
    assert list(c.rejections["kind"]) == ["file"]
    with pytest.raises(hicov.FileError, match="nonexistent"):
        c.check()
    with pytest.raises(ValueError, match="errors must be 'raise' or 'collect'"):
        hicov.read_claims(SAMPLE, errors="ignore")


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    d = tmp_path / "claims"
    d.mkdir()
    os.mkfifo(d / "a.fifo")
    (d / "b.csv").write_text(ONE_ROW)
    with pytest.raises(hicov.FileError, match=r"a\.fifo: a FIFO \(named pipe\), "
                       "not a regular file: refused") as e:
        hicov.read_claims(d, threads=2)
    assert e.value.claims.counts.accepted == 1


def test_a_link_loop_reads_each_folder_once(tmp_path):
    d = tmp_path / "claims"
    d.mkdir()
    (d / "a.csv").write_text(ONE_ROW)
    os.symlink(".", d / "self")
    c = hicov.read_claims(d)
    assert c.counts.files_read == 1 and c.counts.accepted == 1
    notes = c.notes
    assert list(notes["kind"]) == ["note"]
    assert "self: the folder" in notes["message"][0]
    assert "read already: skipped" in notes["message"][0]
    assert len(c.rejections) == 0
    # the listing of hicov.dask walks it once as well
    assert [os.path.basename(p) for p, _ in hicov.dask.list_claim_files(d)] == ["a.csv"]


def test_a_file_of_drug_lines_says_what_it_holds(tmp_path):
    path = tmp_path / "xml2.xml"
    path.write_text('<?xml version="1.0"?><CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC>'
                    '<CHI_TIET_THUOC><MA_LK>L1</MA_LK><MA_THUOC>40.1</MA_THUOC>'
                    '</CHI_TIET_THUOC></DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>')
    c = hicov.read_claims(path)
    assert c.counts.read == 0
    (msg,) = c.notes["message"]
    assert "no XML1 record (TONG_HOP)" in msg
    assert "<CHITIEU_CHITIET_THUOC> (XML2, the drugs of each visit)" in msg


def test_an_amount_too_large_says_so(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "A1,HS4010000000001,12345678901234567890,80,20,2024,"
                    "1,01,F1\n")
    c = hicov.read_claims(path)
    (msg,) = c.rejections["message"]
    assert "T_TONGCHI_BV" in msg
    assert "the amount '12345678901234567890' is too large" in msg
    assert "up to 9999999999999999.99" in msg


def test_temporary_files_failing_raise_and_count_every_record(tmp_path, monkeypatch):
    # more patient triples than the table holds (65,536): they go to a
    # temporary file, which cannot be made
    path = tmp_path / "many.csv"
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(70000):
            f.write(f"R{i},HS4010{i:09d},100,80,20,2024,{1 + i % 12},01,F{i % 7}\n")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "missing"))
    with pytest.raises(hicov.FileError, match="cannot create the temporary file") as e:
        hicov.read_claims(path, threads=1)
    k = e.value.claims.counts
    # the rest of the file is read and counted, rejected with the file
    assert k.read == 70000 == k.accepted + k.rejected
    assert k.rejected_by["file_refused"] == 70000 - k.accepted > 0
    c = hicov.read_claims(path, threads=2, errors="collect")
    assert c.counts == k


# ---- states rebuilt from bytes ----

def test_a_tampered_state_is_refused():
    state = hicov.read_claims(SAMPLE).to_bytes()
    with pytest.raises(hicov.ParseError, match="2 records read, not accepted 7"):
        hicov.Claims(put_count(state, ACCEPTED, 7))
    with pytest.raises(hicov.ParseError, match="a count of -5"):
        hicov.Claims(put_count(state, REJECTED, -5))
    with pytest.raises(hicov.ParseError, match="not a claims state"):
        hicov.Claims(state[:-3])
    assert hicov.Claims(state).to_bytes() == state


def test_a_merge_past_64_bits_is_refused_and_changes_nothing():
    state = hicov.read_claims(SAMPLE).to_bytes()
    big = (1 << 62) - 2  # with the 2 accepted, 2^62 read: the most allowed
    state = put_count(state, READ, big + 2)
    state = put_count(state, REJECTED, big)
    state = put_count(state, REJECTED_BY_MALFORMED, big)
    a, b = hicov.Claims(state), hicov.Claims(state)
    before = a.counts
    with pytest.raises(hicov.SumOverflowError, match="nothing merged"):
        a.merge(b)
    assert a.counts == before


# ---- the command ----

def test_cli_dataset_folder_is_made_before_the_totals_and_saved_after(tmp_path):
    """-o DIR makes the dataset's values before the totals are printed (so
    that the totals need not read the patients again) and saves the folder
    after them, only when everything succeeded."""
    ds = dataset_dir(tmp_path / "ds")
    claims = tmp_path / "a.csv"
    claims.write_text(ONE_ROW)
    out = tmp_path / "out"
    p = run("claims", "--data", ds, "-o", out, claims)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    settled = next(i for i, l in enumerate(lines) if l.startswith("settled"))
    merged = next(i for i, l in enumerate(lines) if l.startswith("merged:"))
    assert settled < merged and lines[-1] == f"wrote {out} (units.csv, values.csv)"
    assert "patients 1," in lines[settled]
    values = (out / "values.csv").read_text()
    assert "P,2024,population,1000" in values
    assert "F1,2024-01,visits,1,,claims" in values
    # a value that differs from the dataset's: nothing saved, said after the
    # totals
    (ds / "values.csv").write_text("unit,period,measure,value\n"
                                   "F1,2024-01,visits,5\n")
    p = run("claims", "--data", ds, "-o", tmp_path / "out2", claims)
    assert p.returncode == 1
    assert "settled" in p.stdout and "merged:" not in p.stdout
    assert f"({tmp_path / 'out2'} not written)" in p.stderr, p.stderr
    assert not (tmp_path / "out2").exists()
    # totals that fail: the folder made aside is dropped
    fund = ("MA_LK,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,THANG_QT,"
            "MA_LOAI_KCB,SO_NGAY_DTRI,MA_CSKCB\n") + "".join(
        f"r{i},HS4010000000001,0,9999999999999999,0,2024,1,{i:02d},1,F1\n"
        for i in range(1, 11))
    claims.write_text(fund)
    p = run("claims", "--data", dataset_dir(tmp_path / "ds3"), "-o",
            tmp_path / "out3", claims)
    assert p.returncode == 1
    assert "no totals: the total of fund paid overflows 64 bits" in p.stderr
    assert "out3 not written because the totals failed" in p.stderr
    assert not (tmp_path / "out3").exists()


def test_cli_refuses_to_write_over_its_inputs(tmp_path):
    ds = dataset_dir(tmp_path / "ds")
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "a.csv").write_text(ONE_ROW)
    values = (ds / "values.csv").read_bytes()
    os.symlink(ds / "values.csv", tmp_path / "link.csv")
    for out in (ds / "values.csv", tmp_path / "link.csv", claims / "a.csv"):
        p = run("claims", "--data", ds, "-o", out, claims)
        assert p.returncode == 2, p.stderr
        assert "would replace a file this command reads" in p.stderr
    assert (ds / "values.csv").read_bytes() == values
    assert (claims / "a.csv").read_text() == ONE_ROW
    # the report and the ADX export too
    p = run("report", "--data", ds, "--html", ds / "units.csv")
    assert p.returncode == 2 and "would replace a file this command reads" in p.stderr
    p = run("adx", "export", "--data", ds, "-o", ds / "values.csv")
    assert p.returncode == 2 and "would replace a file this command reads" in p.stderr
    assert (ds / "values.csv").read_bytes() == values
    # elsewhere it writes
    p = run("claims", "--data", ds, "-o", tmp_path / "out.csv", claims)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "out.csv").read_text().startswith("unit,period,measure")


def test_cli_force_replaces_a_read_only_output(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(ONE_ROW)
    out = tmp_path / "values.csv"
    out.write_text("old\n")
    out.chmod(0o444)
    p = run("claims", "-o", out, src)
    assert p.returncode == 1 and "read-only" in p.stderr
    assert out.read_text() == "old\n"
    p = run("claims", "-o", out, "--force", src)
    assert p.returncode == 0, p.stderr
    assert out.read_text().startswith("unit,period,measure")
    assert out.stat().st_mode & 0o777 == 0o444  # the file's own mode


def test_cli_a_link_loop_is_a_note_a_fifo_a_failure(tmp_path):
    d = tmp_path / "claims"
    d.mkdir()
    (d / "a.csv").write_text(ONE_ROW)
    os.symlink(".", d / "self")
    out = tmp_path / "values.csv"
    p = run("claims", "-o", out, d)
    assert p.returncode == 0, p.stderr
    assert "read 1, accepted 1, rejected 0" in p.stdout
    assert "note: " in p.stderr and "read already: skipped" in p.stderr
    assert out.exists()
    out.unlink()
    os.mkfifo(d / "b.fifo")
    p = run("claims", "-o", out, d, timeout=30)
    assert p.returncode == 1
    assert "b.fifo: a FIFO (named pipe), not a regular file: refused" in p.stderr
    assert "not written because files failed" in p.stderr
    assert not out.exists()


def test_cli_folders_too_deep_fail(tmp_path):
    d = tmp_path / "deep"
    sub = d
    for _ in range(40):
        sub = sub / "d"
    sub.mkdir(parents=True)
    (d / "a.csv").write_text(ONE_ROW)
    out = tmp_path / "values.csv"
    p = run("claims", "-o", out, d)
    assert p.returncode == 1
    assert "folders nested more than 32 deep: not read" in p.stderr
    assert "read 1, accepted 1" in p.stdout
    assert not out.exists()
