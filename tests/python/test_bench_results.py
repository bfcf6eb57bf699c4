"""tests/bench/results.py, the writer of a benchmark's section of
tests/bench/RESULTS.md: it replaces its own section and nothing else, keeps
every other byte, creates a missing section or file, and refuses markers
it cannot pair.  And every bench script takes --results."""

import os
import pathlib
import subprocess
import sys

import pytest

import hicov

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
sys.path.insert(0, str(BENCH))
import results  # noqa: E402

# CRLF, a line without its newline, trailing blanks and Vietnamese: the
# bytes outside the section must survive as they are.
BEFORE = "# Kết quả\r\n\r\nintro  \n\n<!-- a:begin -->\nold a\n<!-- a:end -->\n"
AFTER = "\n<!-- b:begin -->\nold b\n<!-- b:end -->\ntail without newline"


def test_replaces_only_its_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_bytes((BEFORE + AFTER).encode())
    results.write_section(str(path), "a", "new a\n| x | 1 |\n")
    want = BEFORE.replace("old a", "new a\n| x | 1 |") + AFTER
    assert path.read_bytes() == want.encode()
    results.write_section(str(path), "b", "new b")
    want = want.replace("old b", "new b")
    assert path.read_bytes() == want.encode()
    # the same body again changes nothing
    results.write_section(str(path), "b", "new b")
    assert path.read_bytes() == want.encode()
    assert os.listdir(tmp_path) == ["RESULTS.md"]  # no temporary file left


def test_creates_a_missing_section(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_bytes(b"# Results\r\n")
    results.write_section(str(path), "c", "figures")
    assert path.read_bytes() == \
        b"# Results\r\n\n<!-- c:begin -->\nfigures\n<!-- c:end -->\n"
    path.write_bytes(b"no newline")
    results.write_section(str(path), "c", "figures")
    assert path.read_bytes() == \
        b"no newline\n\n<!-- c:begin -->\nfigures\n<!-- c:end -->\n"


def test_creates_a_missing_file(tmp_path):
    path = tmp_path / "RESULTS.md"
    results.write_section(str(path), "d", "\nfigures\n\n")
    assert path.read_bytes() == b"<!-- d:begin -->\nfigures\n<!-- d:end -->\n"


def test_keeps_the_file_mode(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("x\n")
    path.chmod(0o640)
    results.write_section(str(path), "a", "y")
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("text", [
    "<!-- a:begin -->\nno end\n",
    "no begin\n<!-- a:end -->\n",
    "<!-- a:end -->\n<!-- a:begin -->\n",
    "<!-- a:begin -->\n<!-- a:end -->\n<!-- a:begin -->\n<!-- a:end -->\n",
])
def test_refuses_markers_it_cannot_pair(tmp_path, text):
    path = tmp_path / "RESULTS.md"
    path.write_text(text)
    with pytest.raises(ValueError):
        results.write_section(str(path), "a", "new")
    assert path.read_text() == text
    assert os.listdir(tmp_path) == ["RESULTS.md"]


def test_a_name_is_not_a_prefix_of_another():
    text = "<!-- bench_core:begin -->\nx\n<!-- bench_core:end -->\n"
    out = results.replace_section(text, "bench", "y")
    assert out.startswith(text)
    assert out.endswith("<!-- bench:begin -->\ny\n<!-- bench:end -->\n")


def test_table_aligns_numbers_right():
    assert results.table(["tool", "s"], [("hicov", "0.50"), ("pandas", 2)]) == (
        "| tool | s |\n| --- | ---: |\n| hicov | 0.50 |\n| pandas | 2 |")


@pytest.mark.parametrize("script", ["bench_claims.py", "bench_core.py",
                                    "bench_dashboard.py", "bench_dask.py",
                                    "bench_dataset_shapes.py",
                                    "bench_shapes.py", "bench_threads.py"])
def test_every_bench_script_takes_results(script):
    # bench_core.py imports hicov before it parses its arguments
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(hicov.__file__)))
    p = subprocess.run([sys.executable, str(BENCH / script), "--help"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "--results FILE" in p.stdout
    assert "RESULTS.md" in p.stdout


def test_results_md_has_every_section():
    text = (BENCH / "RESULTS.md").read_text()
    for name in ("bench_claims", "bench_claims_scale", "bench_core",
                 "bench_dashboard", "bench_dask", "bench_dataset_shapes",
                 "bench_shapes", "bench_threads"):
        begin, end = results.markers(name)
        assert text.count(begin) == 1 and text.count(end) == 1
        assert text.index(begin) < text.index(end)
