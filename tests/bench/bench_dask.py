#!/usr/bin/python3
"""Benchmark of hicov.dask.read_claims: speed-up from one to two Dask worker
processes on generated claims, checked against the single-process reader.

Generates N MB of synthetic claims (tests/bench/gen-claims) as files of
about F MB (plain XML or CSV cut at record boundaries, or envelopes of the
right number of records), then times, on the same files:
  hicov.read_claims, one process, threads=1 and threads=2 (reference);
  hicov.dask.read_claims on a LocalCluster of 1 and of 2 worker processes
  with one thread each (the cluster is started before the clock starts).
Every result must equal the threads=1 one (counts, totals, cells, distinct
patients, messages); exit status 1 otherwise.

usage: bench_dask.py [--build DIR] [--mb N] [--file-mb F] [--form plain|csv|env]
                     [--dir DIR] [--seed N] [--repeat N] [--keep] [--no-quirks]
                     [--results tests/bench/RESULTS.md]
Run with Debian's /usr/bin/python3 (numpy, pandas, dask, distributed).
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import results  # noqa: E402

# gen-claims writes about this many bytes per record in each form
BYTES_PER_RECORD = {"plain": 1250, "csv": 330, "env": 1760}


def split_lines(src, dst_dir, file_bytes, head, tail):
    """Cuts a one-record-per-line file into files of about file_bytes, each
    with the first `head` and last `tail` lines of src."""
    with open(src, "rb") as f:
        lines = f.readlines()
    top, bottom = lines[:head], lines[len(lines) - tail:]
    body = lines[head:len(lines) - tail]
    os.makedirs(dst_dir)
    ext = os.path.splitext(src)[1]
    k, cur, size = 0, [], 0
    for line in body:
        cur.append(line)
        size += len(line)
        if size >= file_bytes:
            with open(os.path.join(dst_dir, "part-%04d%s" % (k, ext)), "wb") as f:
                f.writelines(top + cur + bottom)
            k, cur, size = k + 1, [], 0
    if cur:
        with open(os.path.join(dst_dir, "part-%04d%s" % (k, ext)), "wb") as f:
            f.writelines(top + cur + bottom)
        k += 1
    return k


def generate(gen, out, mb, file_mb, form, seed, quirks=True):
    cmd = [gen, "--out", out, "--seed", str(seed)] + (["--quirks"] if quirks else []) + [
           "--records", str(int(mb * 1e6 / BYTES_PER_RECORD[form]))]
    if form == "env":
        per = max(1, int(file_mb * 1e6 / BYTES_PER_RECORD["env"]))
        subprocess.run(cmd + ["--forms", "env", "--per-envelope", str(per)],
                       check=True, stdout=subprocess.DEVNULL)
        return os.path.join(out, "env")
    files = os.path.join(out, "files")
    if form == "plain":
        subprocess.run(cmd + ["--forms", "plain"], check=True,
                       stdout=subprocess.DEVNULL)
        split_lines(os.path.join(out, "plain.xml"), files, file_mb * 1e6, 2, 1)
        os.remove(os.path.join(out, "plain.xml"))
    else:
        subprocess.run(cmd + ["--forms", "csv"], check=True,
                       stdout=subprocess.DEVNULL)
        split_lines(os.path.join(out, "claims.csv"), files, file_mb * 1e6, 1, 0)
        os.remove(os.path.join(out, "claims.csv"))
    return files


def differences(got, want):
    bad = []
    if got.counts != want.counts:
        bad.append("counts")
    if got.totals != want.totals:
        bad.append("totals")
    if not got.to_frame().equals(want.to_frame()):
        bad.append("cells")
    if got.values_csv() != want.values_csv():
        bad.append("distinct patients")
    if not got.rejections.equals(want.rejections):
        bad.append("rejections")
    if not got.flags.equals(want.flags):
        bad.append("flags")
    return bad


def best_of(n, fn):
    best, result = None, None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        el = time.perf_counter() - t0
        best = el if best is None or el < best else best
    return best, result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"))
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--file-mb", type=float, default=20)
    ap.add_argument("--form", choices=("plain", "csv", "env"), default="plain")
    ap.add_argument("--dir", default="/tmp/hicov-bench-dask")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    # --quirks (the default) puts duplicate records across files; each merge
    # that meets one reads the later files again (see hicov/dask.py)
    ap.add_argument("--no-quirks", dest="quirks", action="store_false")
    results.add_argument(ap)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    pydir = os.path.join(build, "python")
    # the worker processes import hicov from the same build
    os.environ["PYTHONPATH"] = pydir + (os.pathsep + os.environ["PYTHONPATH"]
                                        if os.environ.get("PYTHONPATH") else "")
    sys.path.insert(0, pydir)
    import dask
    import distributed
    import hicov
    import hicov.dask

    if os.path.exists(a.dir):
        shutil.rmtree(a.dir)
    t0 = time.perf_counter()
    files = generate(os.path.join(build, "tests", "bench", "gen-claims"), a.dir,
                     a.mb, a.file_mb, a.form, a.seed, a.quirks)
    listed = hicov.dask.list_claim_files(files)
    size = sum(n for _, n in listed)
    print("generated %.0f MB of %s claims as %d files in %.1f s (%s); %d CPUs"
          % (size / 1e6, a.form, len(listed), time.perf_counter() - t0, files,
             os.cpu_count()))

    ok = True
    hicov.read_claims(files, threads=1)  # into the page cache
    ref = None
    times = {}
    rows = []
    for threads in (1, 2):
        el, c = best_of(a.repeat, lambda: hicov.read_claims(files, threads=threads))
        if ref is None:
            ref = c
            print("records read %d, accepted %d, duplicates %d; final state %.1f MB"
                  % (c.counts.read, c.counts.accepted, c.counts.duplicates,
                     len(c.to_bytes()) / 1e6))
        # the core's threads number facilities as they meet them: compare
        # the numbers, not the order
        bad = ([] if c.counts == ref.counts and c.totals == ref.totals
               and sorted(c.values_csv().splitlines())
               == sorted(ref.values_csv().splitlines()) else ["numbers"])
        ok = ok and not bad
        times["threads", threads] = el
        rows.append(("hicov.read_claims, 1 process, threads=%d" % threads,
                     "%.3f" % el, "%.0f" % (size / 1e6 / el), "—",
                     "MISMATCH " + ", ".join(bad) if bad else "same numbers"))
        print("hicov.read_claims, 1 process, threads=%d:   %6.2f s %7.1f MB/s  %s"
              % (threads, el, size / 1e6 / el, "MISMATCH " + ", ".join(bad)
                 if bad else "same numbers"))
    for workers in (1, 2):
        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                      processes=True, dashboard_address=None,
                                      silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            client.wait_for_workers(workers)
            client.run(__import__, "hicov.dask")  # import before the clock
            start = time.perf_counter() - t0
            el, c = best_of(a.repeat,
                            lambda: hicov.dask.read_claims(files, client=client))
        bad = differences(c, ref)
        ok = ok and not bad
        times["workers", workers] = el
        rows.append(("hicov.dask.read_claims, %d worker%s x 1 thread"
                     % (workers, "s" if workers > 1 else ""), "%.3f" % el,
                     "%.0f" % (size / 1e6 / el), "%.1f" % start,
                     "MISMATCH " + ", ".join(bad) if bad else "identical"))
        print("hicov.dask.read_claims, %d worker%s x 1 thread: %6.2f s %7.1f MB/s  %s"
              " (cluster start %.1f s)"
              % (workers, "s" if workers > 1 else " ", el, size / 1e6 / el,
                 "MISMATCH " + ", ".join(bad) if bad else "identical", start))
    ratios = [("Dask, 1 -> 2 workers (speed-up)",
               times["workers", 1] / times["workers", 2]),
              ("one process, threads 1 -> 2 (speed-up)",
               times["threads", 1] / times["threads", 2]),
              ("Dask 2 workers vs one process threads=2 (speed)",
               times["threads", 2] / times["workers", 2])]
    print()
    for name, r in ratios:
        print("%-48s %.2fx" % (name + ":", r))
    if a.results:
        body = results.table(["reader", "best s", "MB/s", "cluster start s",
                              "result"], rows)
        body += "\n\n" + results.table(["ratio", ""],
                                        [(n, "%.2fx" % r) for n, r in ratios])
        body += ("\n\nRecords read %s, accepted %s, duplicates %s; the final state "
                 "serialised is %.1f MB." % ("{:,}".format(ref.counts.read),
                                            "{:,}".format(ref.counts.accepted),
                                            "{:,}".format(ref.counts.duplicates),
                                            len(ref.to_bytes()) / 1e6))
        text = results.section(
            "bench_dask.py: hicov.dask.read_claims on 1 and 2 workers",
            "hicov.read_claims in one process (threads 1 and 2) against "
            "hicov.dask.read_claims on a LocalCluster of 1 and 2 worker processes "
            "of 1 thread (the cluster started before the clock), best of %d; "
            "every result compared with the threads=1 one" % a.repeat,
            "`gen-claims --records %d --seed %d%s --forms %s`: %.0f MB of %s claims "
            "in %d files of about %g MB" % (
                int(a.mb * 1e6 / BYTES_PER_RECORD[a.form]), a.seed,
                " --quirks" if a.quirks else "", a.form, size / 1e6, a.form,
                len(listed), a.file_mb),
            {"Python": sys.version.split()[0], "dask": dask.__version__,
             "distributed": distributed.__version__},
            body)
        results.write_section(a.results, "bench_dask", text)
        print("wrote the bench_dask section of %s" % a.results)
    if not a.keep:
        shutil.rmtree(a.dir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
