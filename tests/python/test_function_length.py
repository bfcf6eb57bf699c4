"""No C function in csrc/ longer than LIMIT lines, counted from the first
line of its signature to its closing brace; no C file of any csrc/ layer
longer than FILE_LIMIT lines.

The layers in STRICT fail the test; the others (chart, being split in
parallel) are listed as information: the last test xfails with the list,
which pytest's -ra summary prints.  csrc/claims is strict since its split
into files along their seams (no function there over 117 lines), and
csrc/geo (the boundary reader) from its start; the
workbook reader (workbook-read.c, 2,122 lines) was split into
workbook-book, -number, -layout, -rows, -result and -read.c, none over
520 lines.  Run this file directly to list every function over a limit
and every file over FILE_LIMIT:

    python3 tests/python/test_function_length.py [LIMIT]
"""

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIMIT = 150
FILE_LIMIT = 1500
STRICT = {"core", "claims", "exchange", "geo", "cli"}

NAME = re.compile(r"(\w+)\s*\(")


def functions(text):
    """(name, first line, length in lines) of each function definition, in
    the tree's style: the body opens with '{' alone on a line (or at the end
    of the signature) and closes with '}' in column 0."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line == "{" or (re.match(r"[A-Za-z_].*\)\s*\{$", line) and "=" not in line):
            start = i if line != "{" else i - 1
            # back to the first line of the signature
            while (start > 0 and lines[start - 1].strip()
                   and not lines[start - 1].rstrip().endswith((";", "}", "*/", "{"))
                   and not lines[start - 1].startswith("#")):
                start -= 1
            end = i + 1
            while end < len(lines) and not lines[end].startswith("}"):
                end += 1
            m = NAME.search(" ".join(lines[start:i + 1]))
            yield (m.group(1) if m else "?"), start + 1, end - start + 1
            i = end
        i += 1


def long_functions(limit):
    """(layer, 'path:line', name, length) of every csrc/ function over limit."""
    out = []
    for path in sorted((ROOT / "csrc").glob("*/*.c")):
        for name, line, length in functions(path.read_text()):
            if length > limit:
                out.append((path.parent.name, f"{path.relative_to(ROOT)}:{line}", name, length))
    return out


def describe(items):
    return "\n".join(f"  {where}: {name}, {n} lines" for _, where, name, n in items)


def test_the_counter_counts():
    text = "static int f(int a,\n             int b)\n{\n  return a + b;\n}\n\nint g(void) {\n  return 0;\n}\n"
    assert list(functions(text)) == [("f", 1, 5), ("g", 7, 3)]
    # it finds what it must in the tree: the core's functions, a known length
    found = {name: n for name, _, n in functions((ROOT / "csrc/core/formula.c").read_text())}
    assert found["hicov_change"] == 4 and "hicov_trend_fit" in found
    # and the claims files of the split, which are now strict
    claims = {p.name for p in (ROOT / "csrc/claims").glob("*.c")}
    assert {"claims-csv.c", "claims-xml.c", "claims-validate.c"} <= claims
    found = {name for name, _, _ in functions((ROOT / "csrc/claims/claims-csv.c").read_text())}
    assert "claims_read_csv_rows" in found


def test_no_long_function_in_strict_layers():
    over = [item for item in long_functions(LIMIT) if item[0] in STRICT]
    assert not over, f"functions over {LIMIT} lines:\n{describe(over)}"


def lines_of(path):
    return len(path.read_text().split("\n")) - 1


def test_files_stay_short():
    files = sorted((ROOT / "csrc").glob("*/*.c"))
    # every layer is looked at, the exchange layer's workbook files too
    assert {p.parent.name for p in files} >= {"core", "claims", "exchange", "chart", "cli"}
    assert ROOT / "csrc/exchange/workbook-rows.c" in files
    over = [f"{p.relative_to(ROOT)}: {lines_of(p)} lines" for p in files
            if lines_of(p) > FILE_LIMIT]
    assert not over, over


def test_the_file_counter_counts(tmp_path):
    p = tmp_path / "x.c"
    p.write_text("int a;\nint b;\n")
    assert lines_of(p) == 2


def test_long_functions_elsewhere_listed():
    others = [item for item in long_functions(LIMIT) if item[0] not in STRICT]
    if others:
        pytest.xfail(f"information, not yet enforced: {len(others)} functions over "
                     f"{LIMIT} lines outside {sorted(STRICT)}:\n{describe(others)}")


if __name__ == "__main__":
    items = long_functions(int(sys.argv[1]) if len(sys.argv) > 1 else LIMIT)
    print(describe(items) or "none")
    long_files = [p for p in sorted((ROOT / "csrc").glob("*/*.c")) if lines_of(p) > FILE_LIMIT]
    for p in long_files:
        print(f"  {p.relative_to(ROOT)}: {lines_of(p)} lines")
    sys.exit(1 if long_files or any(item[0] in STRICT for item in items) else 0)
