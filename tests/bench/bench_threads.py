#!/usr/bin/python3
"""Benchmark of one dataset shared by Python threads: Dataset.check,
Dataset.report, chart rendering and Dataset.table, in one thread and in four.

Generates a province of N communes with monthly values (gen_dataset.py),
then times the same work, best of R:
  one thread:   every task below, one after the other;
  four threads: one thread per kind of task, started together;
and, as throughput, every task four times in one thread against four
threads that each do every task once.
The tasks: check() x C; report() of a commune coverage target, built and
turned into HTML, x P; a ranked chart of the communes drawn as SVG and PNG
x G; table() of coverage by commune x T.  The core runs these without the
GIL (hicov-core.h, "Threads"), so on a machine with several CPUs the four
threads should take less time than one.  Every result of the threads must
equal the serial one (exit status 1 otherwise).

usage: bench_threads.py [--build DIR] [--communes N] [--years Y] [--repeat R]
                        [--checks C] [--reports P] [--charts G] [--tables T]
                        [--dir DIR] [--results tests/bench/RESULTS.md]
Run with Debian's /usr/bin/python3 (numpy, pandas).
"""
import argparse
import os
import re
import shutil
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_dataset  # noqa: E402
import results  # noqa: E402


def target(province):
    return {"body": "HĐND tỉnh", "number": "1/2025", "title": "Bao phủ BHYT",
            "term": (2021, 2025),
            "targets": [{"indicator": "coverage_rate", "unit": province,
                         "level": "commune", "threshold": 95.0,
                         "deadline": 2025}]}


def tasks(ds, a, province, year):
    """{kind: function returning what hicov gave}; made comparable by
    comparable(), after the clock."""
    res = target(province)

    def check():
        return [ds.check() for _ in range(a.checks)]

    def report():
        return [ds.report(res, lang="en", time=0).to_html() for _ in range(a.reports)]

    def charts():
        out = []
        for _ in range(a.charts):
            c = ds.chart_ranked("coverage_rate", year, province, level="commune")
            out.append((c.svg(), c.png()))
        return out

    def table():
        return [ds.table("coverage_rate", year, "commune", parent=province)
                for _ in range(a.tables)]

    return {"check": check, "report": report, "chart rendering": charts,
            "table": table}


def comparable(results):
    """Frames as JSON, SVG without cairo's ids (numbered across the
    process)."""
    def one(v):
        if isinstance(v, tuple):
            return (re.sub(r'(id|xlink:href)="[^"]*"', "", v[0]), v[1])
        return v if isinstance(v, str) else v.to_json()
    return {k: [one(v) for v in vs] for k, vs in results.items()}


def run_serial(work):
    t0 = time.perf_counter()
    out = {k: f() for k, f in work.items()}
    return time.perf_counter() - t0, out


def autogroup():
    """The kernel's per-session CPU sharing (sched_autogroup): with it on,
    a session gets its share of a busy machine however many threads it
    runs, so threads cannot show a speed-up while others use the CPUs."""
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            return f.read().strip() == "1"
    except OSError:
        return False


def run_threads(work):
    out, errors = {}, []
    barrier = threading.Barrier(len(work) + 1)

    def body(kind, f):
        barrier.wait()
        try:
            out[kind] = f()
        except BaseException as e:
            errors.append((kind, e))

    threads = [threading.Thread(target=body, args=kv) for kv in work.items()]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    el = time.perf_counter() - t0
    if errors:
        raise RuntimeError(errors)
    return el, out


def run_all(work):
    return {k: f() for k, f in work.items()}


def throughput(work, threads):
    """Every task `threads` times: in one thread, or once in each of
    `threads` threads.  Returns (one thread s, threads s, same results)."""
    t0 = time.perf_counter()
    serial = [run_all(work) for _ in range(threads)]
    one = time.perf_counter() - t0
    el, out = run_threads({i: (lambda: run_all(work)) for i in range(threads)})
    want = comparable(serial[0])
    return one, el, all(comparable(o) == want for o in serial + list(out.values()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--communes", type=int, default=1000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--checks", type=int, default=1)
    ap.add_argument("--reports", type=int, default=1)
    ap.add_argument("--charts", type=int, default=8)
    ap.add_argument("--tables", type=int, default=20)
    ap.add_argument("--dir", default="/tmp/hicov-bench-threads")
    results.add_argument(ap)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(os.path.abspath(a.build), "python"))
    import hicov

    if os.path.exists(a.dir):
        shutil.rmtree(a.dir)
    gen_dataset.generate(a.dir, communes=a.communes, years=a.years)
    ds = hicov.load(a.dir)
    ds.lang = "en"
    province = "90"
    year = str(2020 + a.years - 1)
    print("%s; %d CPUs" % (ds, os.cpu_count()))
    work = tasks(ds, a, province, year)

    # each kind alone, for the table
    alone = {}
    for kind, f in work.items():
        t0 = time.perf_counter()
        f()
        alone[kind] = time.perf_counter() - t0
    best = {}
    ok = True
    ref = None
    cpu = {}
    for mode, run in (("one thread", run_serial), ("four threads", run_threads)):
        for _ in range(a.repeat):
            c0 = time.process_time()
            el, out = run(work)
            if el <= best.get(mode, el):
                # CPU seconds per second of the best run: the CPUs used
                cpu[mode] = (time.process_time() - c0) / el
            out = comparable(out)
            if ref is None:
                ref = out
            same = out == ref
            ok = ok and same
            best[mode] = min(best.get(mode, el), el)
        print("%-13s best %6.3f s  %.2f CPUs busy  %s" % (
            mode + ":", best[mode], cpu[mode],
            "same results" if same else "MISMATCH"))
    speedup = best["one thread"] / best["four threads"]
    print("speed-up: %.2fx" % speedup)
    tp = min((throughput(work, 4) for _ in range(a.repeat)), key=lambda r: r[1])
    ok = ok and tp[2]
    print("throughput, every task x4: one thread %.3f s, four threads %.3f s: "
          "%.2fx %s" % (tp[0], tp[1], tp[0] / tp[1], "same results" if tp[2]
                        else "MISMATCH"))
    if a.results:
        rows = [(kind, {"check": a.checks, "report": a.reports,
                        "chart rendering": a.charts, "table": a.tables}[kind],
                 "%.3f" % alone[kind]) for kind in work]
        body = results.table(["task", "times", "alone s"], rows)
        body += "\n\n" + results.table(
            ["run", "best s", "CPUs busy", "result"],
            [("one thread, the tasks one after the other",
              "%.3f" % best["one thread"], "%.2f" % cpu["one thread"], "reference"),
             ("four threads, one per task, on one dataset",
              "%.3f" % best["four threads"], "%.2f" % cpu["four threads"],
              "same" if ok else "MISMATCH"),
             ("speed-up", "%.2fx" % speedup, "—", ""),
             ("every task 4 times, one thread", "%.3f" % tp[0], "—", "reference"),
             ("four threads, every task once each", "%.3f" % tp[1], "—",
              "same" if tp[2] else "MISMATCH"),
             ("speed-up (throughput)", "%.2fx" % (tp[0] / tp[1]), "—", "")])
        text = results.section(
            "bench_threads.py: one dataset, four Python threads",
            "Dataset.check, Dataset.report (built and turned into HTML), a "
            "ranked chart drawn as SVG and PNG and Dataset.table on one dataset, "
            "in one thread and in four (one per task), best of %d; then every "
            "task four times in one thread against once in each of four "
            "threads; every threaded result compared with the serial one"
            % a.repeat,
            "`gen_dataset.py --communes %d --years %d`: %d units, monthly values"
            % (a.communes, a.years, len(ds.units())),
            {"Python": sys.version.split()[0]},
            body,
            notes=["The core runs these calls without the GIL: check, table, "
                   "the report and the chart builders as queries beside each "
                   "other, the chart's drawing under the chart's own lock "
                   "(hicov-core.h, \"Threads\"). With 2 CPUs the speed-up is "
                   "at most 2.",
                   "The kernel shares the CPUs by session (sched_autogroup %s): "
                   "while other sessions keep the CPUs busy, this one gets its "
                   "share however many threads it runs, and 'CPUs busy' (CPU "
                   "seconds per second) stays near that share. The threads' "
                   "speed-up shows on an idle machine."
                   % ("on" if autogroup() else "off")])
        results.write_section(a.results, "bench_threads", text)
        print("wrote the bench_threads section of %s" % a.results)
    shutil.rmtree(a.dir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
