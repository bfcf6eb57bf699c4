"""Memory checks under valgrind: a small Python scenario and the C CLI.

The Python run uses PYTHONMALLOC=malloc so that valgrind sees every block.
CPython, numpy and pandas leave definitely-lost blocks of their own at exit
(interned objects, static types), which Debian's python3.supp does not cover
for 3.11; so the Python test fails only on a definitely-lost block or a
memory error whose stack passes through hicov (the _hicov extension or a
hicov_* function).  The CLI has no interpreter: there any definite leak or
memory error fails.  tests/valgrind.supp names the leaks of the font
libraries (fontconfig's patterns and configuration, kept by Pango for the
life of the process), which reports and charts meet as soon as they draw
text.  Skipped when valgrind is not installed.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

import hicov

VALGRIND = shutil.which("valgrind")
pytestmark = pytest.mark.skipif(VALGRIND is None, reason="valgrind is not installed")

SCENARIO = textwrap.dedent("""
    import numpy as np
    import hicov
    ds = hicov.demo()
    for year in ("2020", "2024", "2025"):
        ds.value("coverage_rate", "20", year)
    ds.value("coverage_rate", "20", "2024", detail=True)
    table = ds.table("coverage_rate", "2024", "commune", "20")
    assessed = ds.assess(0)
    rates = hicov.coverage_rate(np.array([90.0, 5.0, np.nan]),
                                np.array([100.0, 0.0, 3.0]))
    assert rates[0] == 90.0 and np.isnan(rates[1]) and np.isnan(rates[2])
    try:
        ds.value("no_such_indicator", "20", "2024")
    except hicov.Error:
        pass
    else:
        raise SystemExit("expected hicov.Error")
    claims = hicov.read_claims(SAMPLE, threads=2)
    k = claims.counts
    assert k.read == k.accepted + k.rejected == 2
    claims.totals
    import pickle
    again = pickle.loads(pickle.dumps(claims))
    report = ds.report(0, lang="vi")
    assert report.xml.startswith("<?xml")
    report.to_html()
    back = pickle.loads(pickle.dumps(report))  # rebuilt by the core
    assert back.xml == report.xml
    try:
        hicov.Report.from_bytes(report.to_bytes()[:-40])
    except hicov.ParseError:
        pass
    else:
        raise SystemExit("expected hicov.ParseError")
    claims.to_frame()  # the cells walked without the GIL
    units, values = ds.to_frames()
    copy = hicov.from_frames(units, values).copy()
    copy.values(exact=False)
    try:
        hicov.from_frames(units, values.iloc[[0, 0]])
    except hicov.ParseError:
        pass
    doc = ds.to_dhis2(unit="20", format="json")["document"]
    empty = hicov.from_frames(units, values.iloc[0:0])
    empty.import_dhis2(doc.encode(), on_conflict="keep")
    report.to_docx()
    del ds, table, assessed, rates, claims, again, report, back, copy, empty
    print("scenario done")
""")

# Frames that belong to hicov: the extension module or the core's functions.
HICOV_FRAME = re.compile(r"(_hicov\.cpython|\bhicov_\w+|\bhicovpy_\w+)")


def valgrind(args, env=None, timeout=120):
    cmd = [VALGRIND, "--leak-check=full", "--errors-for-leak-kinds=definite",
           "--error-exitcode=3", "--num-callers=40"]
    supp = "/usr/lib/valgrind/python3.supp"
    if os.path.exists(supp):
        cmd.append("--suppressions=" + supp)
    cmd.append("--suppressions=" + os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "valgrind.supp"))
    return subprocess.run(cmd + args, capture_output=True, text=True, env=env,
                          timeout=timeout)


def records(log):
    """valgrind's error and loss records (blocks separated by '==pid== ')."""
    return re.split(r"\n==\d+== \n", log)


def hicov_problems(log):
    bad = []
    for rec in records(log):
        is_leak = "definitely lost" in rec and "loss record" in rec
        is_error = re.search(r"Invalid (read|write|free)|uninitialised|"
                             r"Mismatched free|overlap", rec)
        if (is_leak or is_error) and HICOV_FRAME.search(rec):
            bad.append(rec.strip())
    return bad


SAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "data", "claims-sample-130.xml")


def test_python_scenario_has_no_hicov_leak():
    env = dict(os.environ)
    env["PYTHONMALLOC"] = "malloc"
    module_dir = os.path.dirname(os.path.dirname(os.path.abspath(hicov.__file__)))
    env["PYTHONPATH"] = module_dir + os.pathsep + env.get("PYTHONPATH", "")
    script = "SAMPLE = %r\n" % SAMPLE + SCENARIO
    proc = valgrind([sys.executable, "-c", script], env=env, timeout=300)
    assert "scenario done" in proc.stdout, proc.stderr[-4000:]
    assert "LEAK SUMMARY" in proc.stderr or "All heap blocks were freed" in proc.stderr
    bad = hicov_problems(proc.stderr)
    assert not bad, "valgrind found problems in hicov:\n\n" + "\n\n".join(bad[:5])


def test_problem_filter_sees_hicov_frames():
    """The filter above must not be blind: a record through hicov counts."""
    log = ("==1== 64 bytes in 1 blocks are definitely lost in loss record 5 of 9\n"
           "==1==    at 0x4848899: malloc (vg_replace_malloc.c:381)\n"
           "==1==    by 0x5A1B2C3: hicov_strdup (alloc.c:97)\n"
           "==1== \n"
           "==1== 32 bytes in 1 blocks are definitely lost in loss record 6 of 9\n"
           "==1==    by 0x4F00000: PyObject_Malloc (obmalloc.c:1)\n")
    assert len(hicov_problems(log)) == 1


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def test_cli_summary_has_no_definite_leak():
    proc = valgrind([cli(), "summary"])
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "coverage" in proc.stdout
    assert re.search(r"definitely lost: 0 bytes|All heap blocks were freed",
                     proc.stderr), proc.stderr[-2000:]


def test_cli_report_has_no_definite_leak(tmp_path):
    """Every output of a report: XML, HTML with its charts, PDF, ODT, DOCX."""
    out = [f"{tmp_path}/r.{k}" for k in ("xml", "html", "pdf", "odt", "docx")]
    proc = valgrind([cli(), "report", "--quiet", "-o", out[0], "--html", out[1],
                     "--pdf", out[2], "--odt", out[3], "--docx", out[4]],
                    timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert all(os.path.getsize(p) > 0 for p in out)
    assert re.search(r"definitely lost: 0 bytes|All heap blocks were freed",
                     proc.stderr), proc.stderr[-2000:]
