"""The inner layering of csrc/core: each file belongs to a layer and uses
(includes, calls) only its own layer and the ones below, so that no
lower file depends on a higher one and the files' call graph has no
cycle.  The layers are described in csrc/core/hicov-private.h."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORE = ROOT / "csrc/core"

# Bottom first.  Private headers belong to the layer of the file they
# declare; hicov-private.h is the umbrella for the other csrc layers.
LAYERS = [
    ("base", ["alloc.c", "keys.c", "period.c", "format.c", "csv.c", "sha256.c", "state.c",
              "formula.c",
              "text.c", "collate.c", "vi-text.c",
              "util-private.h", "csv-private.h", "state-private.h", "formula-private.h", "vi-text.h"]),
    ("dataset", ["dataset.c", "dataset-load.c", "dataset-totals.c",
                 "dataset-memo.c", "dataset-merge.c", "unit-match.c",
                 "dataset-private.h"]),
    ("indicators", ["indicators.c", "quality.c", "equity.c", "quality-private.h"]),
    ("targets", ["assess.c", "assess-verdict.c", "assess-private.h"]),
    ("report", ["report.c", "report-text.c", "report-sentences.c",
                "report-targets.c", "report-atomic.c", "demo.c",
                "table.c", "dataset-save.c", "dataset-copy.c", "dataset-state.c",
                "report-private.h", "hicov-private.h"]),
]
RANK = {name: rank for rank, (_, names) in enumerate(LAYERS) for name in names}
LAYER = {name: layer for layer, names in LAYERS for name in names}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
DEFINITION = re.compile(
    r"^(static\s+)?(?:inline\s+)?[A-Za-z_][\w \t*]*?\b(\w+)\s*\(([^;{}]*)\)\s*\{", re.M)
CALL = re.compile(r"\b(\w+)\s*\(")
# Macros that stand for a call (util-private.h's catalogue marks).
MACRO_CALLS = {"T_": "hicov_text", "TC_": "hicov_text"}


def strip(text):
    """C text without comments, string and character literals."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)


def core_files():
    return sorted(p.name for p in CORE.iterdir() if p.suffix in (".c", ".h"))


def call_graph():
    """{caller file: {callee file: [functions]}} over csrc/core/*.c."""
    texts = {name: strip((CORE / name).read_text()) for name in core_files()
             if name.endswith(".c")}
    public, static = {}, {}
    for name, text in texts.items():
        for m in DEFINITION.finditer(text):
            if m.group(2) in ("if", "for", "while", "switch", "return", "sizeof"):
                continue
            if m.group(1):
                static.setdefault(name, set()).add(m.group(2))
            else:
                assert m.group(2) not in public, f"{m.group(2)} defined twice"
                public[m.group(2)] = name
    graph = {}
    for name, text in texts.items():
        for fn in {MACRO_CALLS.get(f, f) for f in CALL.findall(text)}:
            home = public.get(fn)
            if home and home != name and fn not in static.get(name, ()):
                graph.setdefault(name, {}).setdefault(home, []).append(fn)
    return graph


def test_every_core_file_has_a_layer():
    files = set(core_files())
    assert files == set(RANK), (
        f"not in LAYERS: {sorted(files - set(RANK))}; "
        f"listed but absent: {sorted(set(RANK) - files)}")


def test_includes_point_down():
    public = {p.name for p in (ROOT / "csrc/include").glob("*.h")}
    for name in core_files():
        for header in INCLUDE.findall((CORE / name).read_text()):
            if header in public or header == "hicov-version.h":
                continue
            assert header in RANK, f"{name} includes {header}, which has no layer"
            assert RANK[header] <= RANK[name], (
                f"{name} ({LAYER[name]}) includes {header} ({LAYER[header]}), "
                f"a higher layer")


def test_umbrella_only_at_the_top():
    for name in core_files():
        if '#include "hicov-private.h"' in (CORE / name).read_text():
            assert LAYER[name] == "report", f"{name} includes the umbrella hicov-private.h"


def test_calls_point_down():
    graph = call_graph()
    # the analysis sees the calls it must (it cannot pass by seeing none)
    assert "hicov_indicator_value" in graph["assess.c"]["indicators.c"]
    assert "hicov_measure_total" in graph["indicators.c"]["dataset-totals.c"]
    assert "hicov_growth_pct" in graph["quality.c"]["formula.c"]
    assert "hicov_assess" in graph["report.c"]["assess.c"]
    assert "hicov_text" in graph["format.c"]["text.c"]  # through T_()
    for caller, callees in graph.items():
        for callee, fns in callees.items():
            assert RANK[callee] <= RANK[caller], (
                f"{caller} ({LAYER[caller]}) calls {', '.join(sorted(fns))} of "
                f"{callee} ({LAYER[callee]}), a higher layer")


def test_no_cycle_between_files():
    graph = call_graph()
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in graph.get(node, {}):
            assert state.get(nxt) != "open", " -> ".join(path + [node, nxt])
            if nxt not in state:
                visit(nxt, path + [node])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [])
