#!/usr/bin/python3
"""Datasets whose rows fan out over many keys, loaded in time against size.

Generates, at each size N, a dataset folder of one of these shapes and
times `hicov summary --data DIR` (the folder loaded, every check and the
summary's indicators) on it:

  groups     one facility, N beneficiary groups x 10 months of visits
             (a DHIS2 export's category options, an age-by-sex split)
  sources    10 facilities, N rows naming up to 4,096 sources (the rows of
             many files merged), a group for every 60 rows
  units      N communes, population and participants each

Each observation added looked its group up by comparing it with every
group before it: 60,000 groups took 56 s to load (issue 22: no quadratic
time).  The seconds per 10,000 rows should stay flat as N grows.
--compare BUILD times another build on the same folders (with a time
limit).

usage: bench_dataset_shapes.py [--build DIR] [--sizes 5000,20000,60000]
                               [--shapes a,b] [--repeat N] [--dir DIR]
                               [--compare BUILD] [--compare-timeout S]
                               [--results FILE]
--results FILE rewrites the bench_dataset_shapes section of FILE
(tests/bench/RESULTS.md).
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import results  # noqa: E402

SHAPES = ["groups", "sources", "units"]


def generate(shape, n, path):
    """Writes the folder; returns its values.csv rows."""
    os.makedirs(path, exist_ok=True)
    communes = n if shape == "units" else 10
    with open(os.path.join(path, "units.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,parent,level,tier\nVN,Việt Nam,,country,\n"
                "P,Tỉnh,VN,province,\nD,Huyện,P,district,\n")
        for i in range(communes):
            f.write("C%d,Xã %d,D,commune,\n" % (i, i))
        if shape != "units":
            for i in range(10):
                f.write("F%d,Trạm %d,C%d,facility,commune\n" % (i, i, i))
    rows = 0
    with open(os.path.join(path, "values.csv"), "w", encoding="utf-8") as f:
        f.write("unit,period,measure,value,group,source\n")
        if shape == "groups":
            for g in range(n):
                for m in range(1, 11):
                    f.write("F0,2024-%02d,visits,%d,G%d,\n" % (m, 1 + (g + m) % 97, g))
                    rows += 1
        elif shape == "sources":
            for i in range(n):
                f.write("F%d,2024-%02d,visits,%d,G%d,file-%d.xlsx\n"
                        % (i % 10, i % 12 + 1, 1 + i % 97, i // 60, i % 4096))
                rows += 1
        else:
            for i in range(n):
                f.write("C%d,2024,population,%d,,\nC%d,2024,participants,%d,,\n"
                        % (i, 1000 + i % 500, i, 900 + i % 90))
                rows += 2
    return rows


def run(exe, path, timeout=None):
    """(seconds, peak RSS MB, outcome)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "RSSKB=%M", exe, "summary",
                            "--data", path], capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, 0, "over %d s: stopped" % timeout
    el = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("failed: %s summary --data %s" % (exe, path))
    m = re.search(r"RSSKB=(\d+)", p.stderr)
    return el, int(m.group(1)) / 1024 if m else 0, "loaded"


def main():
    a, exe, other, sizes, shapes = results.shape_arguments(
        __doc__, SHAPES, "5000,20000,60000", "keys a shape fans out over",
        "/tmp/hicov-bench-dataset-shapes", 3, 120)
    rows, crows = [], []
    for shape in shapes:
        for n in sizes:
            path = os.path.join(a.dir, "%s-%d" % (shape, n))
            nrows = generate(shape, n, path)
            best = None
            for _ in range(a.repeat):
                r = run(exe, path)
                if best is None or r[0] < best[0]:
                    best = r
            el, rss, outcome = best
            per = el / (nrows / 1e4)
            rows.append((shape, "{:,}".format(n), "{:,}".format(nrows), "%.2f" % el,
                         "%.3f" % per, "%.0f" % rss))
            print("%-8s %6d keys %8d rows: %6.2f s %6.3f s/10k rows peak %4.0f MB"
                  % (shape, n, nrows, el, per, rss))
            if other:
                el2, rss2, out2 = run(other, path, a.compare_timeout)
                crows.append((shape, "{:,}".format(n), "%.2f" % el2,
                              "%.3f" % (el2 / (nrows / 1e4)), "%.0f" % rss2, out2))
                print("   compared build: %6.2f s %6.3f s/10k rows peak %4.0f MB  %s"
                      % (el2, el2 / (nrows / 1e4), rss2, out2))
            shutil.rmtree(path)
    shutil.rmtree(a.dir, ignore_errors=True)
    if a.results:
        body = results.table(["shape", "keys", "rows", "s", "s per 10k rows",
                              "peak MB"], rows)
        if crows:
            body += ("\n\nThe build compared (`%s`), on the same folders, stopped "
                     "after %d s:\n\n" % (a.compare, a.compare_timeout))
            body += results.table(["shape", "keys", "s", "s per 10k rows",
                                   "peak MB", "outcome"], crows)
        text = results.section(
            "bench_dataset_shapes.py: datasets that fan out over many keys, "
            "time against size",
            "`hicov summary --data DIR` (best of %d) on folders of %s keys"
            % (a.repeat, ", ".join(map(str, sizes))),
            "generated by the script: " + ", ".join(shapes) + " (see its docstring)",
            {"Python": sys.version.split()[0]}, body,
            ["seconds per 10,000 rows flat as the keys grow: time linear in "
             "the size"])
        results.write_section(a.results, "bench_dataset_shapes", text)
        print("wrote the bench_dataset_shapes section of %s" % a.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
