#!/usr/bin/python3
"""Benchmark and check of claims ingestion on generated files.

Generates the same synthetic claims as envelopes, one plain XML file and CSV
(tests/bench/gen-claims.c), checks that `hicov claims` gets exactly the
totals the generator intended for every form, then measures, in one run on
the same bytes: hicov (1 and 2 threads), pandas read_csv + groupby,
xmllint --stream, and DuckDB through node if it is installed.

usage: bench_claims.py [--build DIR] [--mb N] [--dir DIR] [--check-only]
                       [--duckdb-node DIR] [--repeat N] [--results FILE]
       bench_claims.py --csv-sizes GB,GB,... [--build DIR] [--dir DIR]
                       [--duckdb-node DIR] [--repeat N] [--results FILE]
Run with Debian's /usr/bin/python3 (pandas).  Exit status 1 when a total
differs from the intended one.  DuckDB is @duckdb/node-api installed with
npm in the --duckdb-node folder (`npm install @duckdb/node-api` there);
without it the comparison says so and goes on.  --results FILE rewrites
the bench_claims section of FILE (tests/bench/RESULTS.md).

--csv-sizes measures the CSV form alone at each size (in GB, e.g.
0.37,1,10): for each, one file is generated, hicov on 2 threads doing all
its work (duplicates, visit types, distinct patients) and DuckDB's plain
group-by on 2 threads are run on it one after the other, whole processes
with their peak RSS, and the file is deleted before the next size (10 GB
needs 10 GB of room in --dir).  Fixed costs (start-up, the dataset load)
cannot flatter a ratio measured at every size; the marginal rate between
two sizes is (bytes added) / (time added).  --results FILE rewrites the
bench_claims_scale section.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import results  # noqa: E402


def run_timed(cmd, ok=(0,), **kw):
    """Runs cmd under /usr/bin/time; returns (seconds, peak RSS KB, stdout).
    Any exit status outside ok stops the benchmark: a tool that failed
    quickly must never be timed as a fast one."""
    el, rss, _, out = run_timed_cpu(cmd, ok, **kw)
    return el, rss, out


def run_timed_cpu(cmd, ok=(0,), **kw):
    """run_timed, with the CPU seconds (user + system) of the process and
    its children as well: (seconds, peak RSS KB, CPU seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSSKB=%M CPU=%U+%S"] + cmd,
                       capture_output=True, text=True, **kw)
    el = time.perf_counter() - t0
    m = re.search(r"RSSKB=(\d+) CPU=([\d.]+)\+([\d.]+)", p.stderr)
    if p.returncode not in ok:
        sys.stderr.write(p.stderr)
        raise SystemExit("failed: %s" % " ".join(cmd))
    return (el, int(m.group(1)) if m else 0,
            float(m.group(2)) + float(m.group(3)) if m else 0.0, p.stdout + p.stderr)


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(d, f))
                   for d, _, fs in os.walk(path) for f in fs)
    return os.path.getsize(path)


def parse_hicov(out):
    r = {}
    m = re.search(r"read (\d+), accepted (\d+), rejected (\d+)", out)
    r["read"], r["accepted"], r["rejected"] = map(int, m.groups())
    for k, v in re.findall(r"rejected (\w+) +(\d+)", out):
        r["rejected_" + k] = int(v)
    for k, v in re.findall(r"^  (amount_nan|amount_comma|card_malformed) +(\d+)", out, re.M):
        r[k] = int(v)
    m = re.search(r"visits (\d+) \(inpatient (\d+), (\d+) days\), patients (\d+)", out)
    r["visits"], r["inpatient"], r["days"], r["patients"] = map(int, m.groups())

    def centi(s):
        a, b = s.replace(",", "").split(".")
        return int(a) * 100 + int(b)
    m = re.search(r"total cost ([\d,.]+) VND, fund paid ([\d,.]+) VND, co-payment ([\d,.]+) VND", out)
    r["total"], r["fund"], r["copay"] = (centi(x) for x in m.groups())
    m = re.search(r"commune-tier share of visits: ([\d.]+)%", out)
    r["commune_share"] = float(m.group(1)) if m else None
    return r


def check(form, got, want):
    pairs = [("read", "records_read"), ("accepted", "accepted"),
             ("rejected", "rejected"), ("visits", "visits"),
             ("inpatient", "inpatient_visits"), ("days", "inpatient_days"),
             ("total", "total_cost_centi"), ("fund", "fund_paid_centi"),
             ("copay", "copay_centi"), ("patients", "patients")]
    if want["rejected_duplicate"]:
        pairs.append(("rejected_duplicate", "rejected_duplicate"))
    if want["rejected_malformed"]:
        pairs.append(("rejected_malformed", "rejected_malformed"))
    if want["flag_amount_nan"]:
        pairs.append(("amount_nan", "flag_amount_nan"))
    bad = [(a, got.get(a), want[b]) for a, b in pairs if got.get(a) != want[b]]
    share = round(100.0 * want["commune_tier_visits"] / want["visits"], 1)
    if got["commune_share"] is not None and abs(got["commune_share"] - share) > 0.05:
        bad.append(("commune_share", got["commune_share"], share))
    for name, g, w in bad:
        print("  MISMATCH %s %s: hicov %s, intended %s" % (form, name, g, w))
    return not bad


PANDAS = r"""
import sys, pandas as pd
cols = ["MA_THE_BHYT", "THANG_QT", "MA_CSKCB", "T_TONGCHI_BV", "T_BHTT", "T_BNCCT"]
df = pd.read_csv(sys.argv[1], usecols=cols, dtype={"MA_CSKCB": str, "MA_THE_BHYT": str})
df["GROUP"] = df["MA_THE_BHYT"].str[:2]
for c in ["T_TONGCHI_BV", "T_BHTT", "T_BNCCT"]:
    df[c] = pd.to_numeric(df[c].astype(str).str.replace(",", "."), errors="coerce")
g = df.groupby(["MA_CSKCB", "THANG_QT", "GROUP"]).agg(
    visits=("T_BHTT", "size"), cost=("T_TONGCHI_BV", "sum"), fund=("T_BHTT", "sum"))
print(len(df), len(g))
"""

# The query the issue measured DuckDB with: the CSV grouped by facility x
# month x card group, money as exact decimals.  The result stays in DuckDB
# (turning 380,000 rows into JavaScript objects would take longer than the
# query, and hicov's command line does not convert its cells either); the
# script prints the group count and the visits, which main() checks against
# the generator's total so that a failed or wrong query is never timed.
DUCKDB = r"""
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  const path = process.argv[process.argv.length - 1];
  await con.run(`CREATE TABLE agg AS
     SELECT MA_CSKCB, THANG_QT, substr(MA_THE_BHYT, 1, 2) AS grp, count(*) AS visits,
       sum(T_TONGCHI_BV) AS total, sum(T_BHTT) AS fund, sum(T_BNCCT) AS copay
     FROM read_csv('${path}', header = true,
       types = {'MA_CSKCB': 'VARCHAR', 'MA_THE_BHYT': 'VARCHAR', 'T_TONGCHI_BV': 'DECIMAL(18,2)',
                'T_BHTT': 'DECIMAL(18,2)', 'T_BNCCT': 'DECIMAL(18,2)'})
     GROUP BY ALL`);
  const r = await con.runAndReadAll('SELECT count(*), sum(visits) FROM agg');
  console.log(r.getRows()[0].map(String).join(' '));
})().catch((e) => { console.error(e); process.exit(2); });
"""


# What a user would write to get hicov's outputs from DuckDB: duplicates
# (facility + MA_LK) counted once, sums by facility x month x group x visit
# type with inpatient visits and days, and distinct patients (the card's
# last 10 digits) per facility and month and in all.  For information: the
# goal is set against the query above.
DUCKDB_SAME = r"""
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  const path = process.argv[process.argv.length - 1];
  await con.run(`CREATE TABLE c AS SELECT DISTINCT ON (MA_CSKCB, MA_LK) *
     FROM read_csv('${path}', header = true,
       types = {'MA_CSKCB': 'VARCHAR', 'MA_LK': 'VARCHAR', 'MA_THE_BHYT': 'VARCHAR',
                'MA_LOAI_KCB': 'VARCHAR', 'T_TONGCHI_BV': 'DECIMAL(18,2)',
                'T_BHTT': 'DECIMAL(18,2)', 'T_BNCCT': 'DECIMAL(18,2)'})`);
  await con.run(`CREATE TABLE agg AS
     SELECT MA_CSKCB, NAM_QT, THANG_QT, substr(MA_THE_BHYT, 1, 2) AS grp, MA_LOAI_KCB,
       count(*) AS visits,
       count(*) FILTER (WHERE MA_LOAI_KCB IN ('03', '04', '06', '09')) AS inpatient,
       sum(SO_NGAY_DTRI) FILTER (WHERE MA_LOAI_KCB IN ('03', '04', '06', '09')) AS days,
       sum(T_TONGCHI_BV) AS total, sum(T_BHTT) AS fund, sum(T_BNCCT) AS copay
     FROM c GROUP BY ALL`);
  await con.run(`CREATE TABLE pat AS SELECT MA_CSKCB, NAM_QT, THANG_QT,
     count(DISTINCT substr(MA_THE_BHYT, 6)) AS patients FROM c GROUP BY ALL`);
  const r = await con.runAndReadAll(`SELECT (SELECT sum(visits) FROM agg),
     (SELECT count(DISTINCT substr(MA_THE_BHYT, 6)) FROM c)`);
  console.log(r.getRows()[0].map(String).join(' '));
})().catch((e) => { console.error(e); process.exit(2); });
"""


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build-claims"))
    ap.add_argument("--mb", type=float, default=1000)
    ap.add_argument("--dir", default="/tmp/hicov-bench-claims")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--quirks", action="store_true",
                    help="inject NaN, comma decimals, short cards, duplicates, bad months")
    ap.add_argument("--check-only", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--duckdb-node", default="/tmp/duckdb-node", metavar="DIR",
                    help="folder where `npm install @duckdb/node-api` was run "
                         "(default /tmp/duckdb-node); DuckDB is skipped, and the "
                         "results say so, when it is not there")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--csv-sizes", metavar="GB,GB,...",
                    help="measure the CSV form alone at these sizes in GB (e.g. "
                         "0.37,1,10), hicov against DuckDB's plain group-by; "
                         "writes the bench_claims_scale section")
    results.add_argument(ap)
    a = ap.parse_args()
    if a.csv_sizes:
        return scale(a)
    hicov = os.path.join(a.build, "csrc", "hicov")
    gen = os.path.join(a.build, "tests", "bench", "gen-claims")
    d = a.dir
    if os.path.exists(d):
        shutil.rmtree(d)
    t0 = time.perf_counter()
    cmd = [gen, "--out", d, "--mb", str(a.mb), "--seed", a.seed, "--per-envelope", "200"]
    if a.quirks:
        cmd.append("--quirks")
    subprocess.run(cmd, check=True)
    print("generated %.0f MB plain XML in %.1f s (%s)" %
          (size_of(os.path.join(d, "plain.xml")) / 1e6, time.perf_counter() - t0, d))
    want = json.load(open(os.path.join(d, "intended.json")))
    forms = {"envelopes": os.path.join(d, "env"), "plain XML": os.path.join(d, "plain.xml"),
             "CSV": os.path.join(d, "claims.csv")}
    ok = True
    res = {}
    for threads in (1, 2):
        for form, path in forms.items():
            best = None
            for _ in range(a.repeat):
                el, rss, out = run_timed([hicov, "claims", "--data", d, "--threads",
                                          str(threads), "--messages", "0", path],
                                         ok=(0, 1))
                if best is None or el < best[0]:
                    best = (el, rss, out)
            el, rss, out = best
            got = parse_hicov(out)
            good = check("%s/%d" % (form, threads), got, want)
            ok = ok and good
            # the dataset load (units.csv) is part of the run; measure it alone
            res[(form, threads)] = (el, rss, got["read"], size_of(path), good)
            print("hicov %-10s %d thread%s: %7.1f MB/s %9.0f records/s  peak %4.0f MB  %s" %
                  (form, threads, "s" if threads > 1 else " ", size_of(path) / 1e6 / el,
                   got["read"] / el, rss / 1024, "totals as intended" if good else "MISMATCH"))
    comp = {}
    ratios = []
    notes = ["each hicov run includes loading the dataset of %d units"
             % (want["facilities"] + want["communes"])]
    duck_version = None
    if a.check_only or a.quirks:
        # the other tools cannot read the quirks (NaN, comma decimals)
        if a.quirks and not a.check_only:
            print("(no comparison with other tools on files with quirks)")
        notes.append("no comparison with other tools (%s)"
                     % ("--check-only" if a.check_only else "files with quirks"))
    else:
        print("(%s)" % notes[0])
        duck_version = compare(a, forms, res, want, comp, ratios, notes)
    if a.results:
        write_results(a, want, forms, res, comp, ratios, notes, duck_version)
        print("wrote the bench_claims section of %s" % a.results)
    if not a.keep:
        shutil.rmtree(d)
    return 0 if ok else 1


# gen-claims writes about this many bytes of CSV a record (368 MB for
# 1,096,000 records); the sizes asked for are met to within a percent.
CSV_BYTES_PER_RECORD = 336


def scale(a):
    """--csv-sizes: hicov (2 threads, all its work) against DuckDB's plain
    group-by (2 threads) on one CSV file a size, generated, measured and
    deleted in turn."""
    hicov = os.path.join(a.build, "csrc", "hicov")
    gen = os.path.join(a.build, "tests", "bench", "gen-claims")
    modules = os.path.join(a.duckdb_node, "node_modules")
    node_env = dict(os.environ, NODE_PATH=modules)
    have_duck = (shutil.which("node") is not None and
                 os.path.isdir(os.path.join(modules, "@duckdb", "node-api")))
    sizes = [float(x) for x in a.csv_sizes.split(",")]
    rows = []
    ok = True
    for gb in sizes:
        d = a.dir
        if os.path.exists(d):
            shutil.rmtree(d)
        records = int(gb * 1e9 / CSV_BYTES_PER_RECORD)
        t0 = time.perf_counter()
        subprocess.run([gen, "--out", d, "--records", str(records), "--seed", a.seed,
                        "--forms", "csv"], check=True)
        # the generator's 10 GB are still being written back to the disk:
        # measured then, both tools compete with the write-back
        os.sync()
        want = json.load(open(os.path.join(d, "intended.json")))
        csv = os.path.join(d, "claims.csv")
        size = size_of(csv)
        print("generated %.0f MB of CSV, %d records, in %.1f s"
              % (size / 1e6, records, time.perf_counter() - t0))
        best = None
        for _ in range(a.repeat):
            r = run_timed_cpu([hicov, "claims", "--data", d, "--threads", "2",
                               "--messages", "0", csv], ok=(0, 1))
            if best is None or r[0] < best[0]:
                best = r
        el, rss, cpu, out = best
        good = check("CSV %g GB" % gb, parse_hicov(out), want)
        ok = ok and good
        row = {"gb": gb, "size": size, "records": records, "hicov": (el, cpu, rss),
               "good": good, "duck": None}
        print("hicov 2 threads   %6.0f MB: %7.2f s (CPU %6.2f s) %7.1f MB/s  peak %5.0f MB  %s"
              % (size / 1e6, el, cpu, size / 1e6 / el, rss / 1024,
                 "totals as intended" if good else "MISMATCH"))
        # the whole command a user runs: values.csv written too, with the
        # distinct patients per unit and period (not part of the ratio)
        values = os.path.join(d, "out-values.csv")
        best = None
        for _ in range(a.repeat):
            r = run_timed_cpu([hicov, "claims", "--data", d, "--threads", "2",
                               "--messages", "0", "--force", "-o", values, csv],
                              ok=(0, 1))
            if best is None or r[0] < best[0]:
                best = r
        row["values"] = (best[0], best[2], best[1], size_of(values))  # s, CPU, KB
        os.remove(values)
        v = row["values"]
        print("hicov -o values   %6.0f MB: %7.2f s (CPU %6.2f s)  peak %5.0f MB  %.0f MB written"
              % (size / 1e6, v[0], v[1], v[2] / 1024, v[3] / 1e6))
        # and merged into the dataset saved as a folder (-o DIR): the values
        # held in memory as a dataset's, so its peak grows with them
        folder = os.path.join(d, "out-dataset")
        best = None
        for _ in range(a.repeat):
            if os.path.exists(folder):
                shutil.rmtree(folder)
            r = run_timed_cpu([hicov, "claims", "--data", d, "--threads", "2",
                               "--messages", "0", "-o", folder, csv], ok=(0, 1))
            if best is None or r[0] < best[0]:
                best = r
        row["folder"] = (best[0], best[2], best[1],
                         size_of(os.path.join(folder, "values.csv")))
        shutil.rmtree(folder)
        f = row["folder"]
        print("hicov -o DIR      %6.0f MB: %7.2f s (CPU %6.2f s)  peak %5.0f MB  %.0f MB values.csv"
              % (size / 1e6, f[0], f[1], f[2] / 1024, f[3] / 1e6))
        if have_duck:
            best = None
            for _ in range(a.repeat):
                r = run_timed_cpu(["node", "-e", DUCKDB, csv], env=node_env)
                if best is None or r[0] < best[0]:
                    best = r
            el, rss, cpu, out = best
            if int(out.split()[1]) != want["visits"]:
                raise SystemExit("DuckDB counted %s visits, the generator wrote %d" %
                                 (out.split()[1], want["visits"]))
            row["duck"] = (el, cpu, rss)
            print("DuckDB group-by   %6.0f MB: %7.2f s (CPU %6.2f s) %7.1f MB/s  peak %5.0f MB"
                  "  ratio %.2fx" % (size / 1e6, el, cpu, size / 1e6 / el, rss / 1024,
                                     el / row["hicov"][0]))
        rows.append(row)
        if not a.keep:
            shutil.rmtree(d)
    if a.results:
        write_scale(a, rows, have_duck)
        print("wrote the bench_claims_scale section of %s" % a.results)
    return 0 if ok else 1


def write_scale(a, rows, have_duck):
    table = []
    for r in rows:
        h, dk = r["hicov"], r["duck"]
        line = ["%.2f" % (r["size"] / 1e9), "{:,}".format(r["records"]), "%.2f" % h[0],
                "%.2f" % h[1], "%.0f" % (r["size"] / 1e6 / h[0]), "%.0f" % (h[2] / 1024)]
        if dk:
            line += ["%.2f" % dk[0], "%.2f" % dk[1], "%.0f" % (r["size"] / 1e6 / dk[0]),
                     "%.0f" % (dk[2] / 1024), "%.2fx" % (dk[0] / h[0]),
                     "%.2fx" % (dk[1] / h[1])]
        else:
            line += ["—"] * 6
        v, f = r["values"], r["folder"]
        line += ["%.2f" % v[0], "%.0f" % (v[2] / 1024), "%.2f" % f[0],
                 "%.0f" % (f[2] / 1024)]
        line.append("as intended" if r["good"] else "MISMATCH")
        table.append(line)
    body = results.table(["GB", "records", "hicov s", "hicov CPU s", "hicov MB/s",
                          "hicov peak MB", "DuckDB s", "DuckDB CPU s", "DuckDB MB/s",
                          "DuckDB peak MB", "DuckDB s / hicov s", "DuckDB CPU / hicov CPU",
                          "hicov -o s", "hicov -o peak MB", "hicov -o DIR s",
                          "hicov -o DIR peak MB", "totals"], table)
    def rate(mb, t0, t1):
        return "%.0f" % (mb / (t1 - t0)) if t1 > t0 else "—"  # noise can invert

    marg = []
    for r0, r1 in zip(rows, rows[1:]):
        mb = (r1["size"] - r0["size"]) / 1e6
        line = ["%.2f to %.2f GB" % (r0["size"] / 1e9, r1["size"] / 1e9)]
        for i in (0, 1):  # wall, CPU
            line.append(rate(mb, r0["hicov"][i], r1["hicov"][i]))
            line.append(rate(mb, r0["duck"][i], r1["duck"][i])
                        if r0["duck"] and r1["duck"] else "—")
        marg.append(line)
    if marg:
        body += ("\n\nMarginal rates (MB added / seconds added between two sizes), "
                 "the steady state without the fixed costs:\n\n")
        body += results.table(["between", "hicov MB/s", "DuckDB MB/s",
                               "hicov MB per CPU s", "DuckDB MB per CPU s"], marg)
    tools = {"DuckDB": "%s (@duckdb/node-api, node %s)" % (
        results.output_of(["node", "-e", "console.log(require('@duckdb/node-api').version())"],
                          env=dict(os.environ, NODE_PATH=os.path.join(a.duckdb_node,
                                                                      "node_modules"))),
        results.output_of(["node", "--version"])) if have_duck else "not installed"}
    notes = ["goal (issue 22, item 7): DuckDB s / hicov s at least 2x at every size, "
             "hicov's peak at most 100 MB",
             "on a loaded machine the wall times (and their ratio) say more about the "
             "load than the tools: the CPU seconds and their ratio hold better",
             "hicov: `hicov claims --data DIR --threads 2 --messages 0 claims.csv` "
             "(duplicates, visit types, distinct patients; the dataset of units "
             "loaded); DuckDB: the group-by by facility x month x card group with "
             "exact decimals, 2 threads (bench_claims.py's DUCKDB query)",
             "hicov -o: the same command writing values.csv (-o), with the distinct "
             "patients per unit and period (%s of CSV); not part of the ratio, "
             "which compares the read and the totals with the group-by"
             % ", ".join("%.0f MB" % (r["values"][3] / 1e6) for r in rows),
             "hicov -o DIR: the same values merged into the dataset and saved as a "
             "folder; a dataset holds its values in memory, so its peak grows with "
             "their number (not part of the ratio)"]
    if not have_duck:
        notes.append("DuckDB not measured: node or @duckdb/node-api is missing in %s"
                     % a.duckdb_node)
    text = results.section(
        "bench_claims.py --csv-sizes: CSV at several sizes, against DuckDB's group-by",
        "hicov (2 threads) and then DuckDB (2 threads) on the same CSV file, whole "
        "processes under /usr/bin/time (wall time, user + system CPU, peak RSS), "
        "best of %d each; one file a size, generated and deleted in turn" % a.repeat,
        "`gen-claims --records N --seed %s --forms csv` (%s bytes of CSV a record)"
        % (a.seed, CSV_BYTES_PER_RECORD), tools, body, notes)
    results.write_section(a.results, "bench_claims_scale", text)


def compare(a, forms, res, want, comp, ratios, notes):
    """pandas, xmllint and DuckDB on the same files; fills comp (tool ->
    (seconds, peak KB, bytes)) and ratios, and returns DuckDB's version or
    None when it is not installed."""
    csv = forms["CSV"]
    plain = forms["plain XML"]
    n = res[("CSV", 1)][2]

    def best_of(cmd, **kw):
        """The other tools get the same best of --repeat runs as hicov."""
        best = None
        for _ in range(a.repeat):
            r = run_timed(cmd, **kw)
            if best is None or r[0] < best[0]:
                best = r
        return best

    el, rss, out = best_of(["/usr/bin/python3", "-c", PANDAS, csv])
    if int(out.split()[0]) != want["records_read"]:
        raise SystemExit("pandas read %s rows, the generator wrote %d" %
                         (out.split()[0], want["records_read"]))
    comp["pandas read_csv + groupby"] = (el, rss, size_of(csv))
    print("pandas read_csv+groupby:          %7.1f MB/s %9.0f records/s  peak %4.0f MB" %
          (size_of(csv) / 1e6 / el, n / el, rss / 1024))
    el, rss, out = best_of(["xmllint", "--stream", "--noout", plain])
    comp["xmllint --stream --noout"] = (el, rss, size_of(plain))
    print("xmllint --stream --noout:         %7.1f MB/s %9.0f records/s  peak %4.0f MB" %
          (size_of(plain) / 1e6 / el, n / el, rss / 1024))
    modules = os.path.join(a.duckdb_node, "node_modules")
    node_env = dict(os.environ, NODE_PATH=modules)
    duck_version = None
    if not shutil.which("node"):
        notes.append("DuckDB not measured: node is not installed")
    elif not os.path.isdir(os.path.join(modules, "@duckdb", "node-api")):
        notes.append("DuckDB not measured: @duckdb/node-api is not installed in %s "
                     "(`cd %s && npm install @duckdb/node-api`)" % (a.duckdb_node, a.duckdb_node))
    else:
        duck_version = results.output_of(
            ["node", "-e", "console.log(require('@duckdb/node-api').version())"],
            env=node_env) or "(version unknown)"
        el, rss, out = best_of(["node", "-e", DUCKDB, csv], env=node_env)
        if int(out.split()[1]) != want["visits"]:
            raise SystemExit("DuckDB counted %s visits, the generator wrote %d" %
                             (out.split()[1], want["visits"]))
        comp["DuckDB group-by, 2 threads"] = (el, rss, size_of(csv))
        print("DuckDB (node, 2 threads):         %7.1f MB/s %9.0f records/s  peak %4.0f MB" %
              (size_of(csv) / 1e6 / el, n / el, rss / 1024))
        el, rss, out = best_of(["node", "-e", DUCKDB_SAME, csv], env=node_env)
        if list(map(int, out.split()[:2])) != [want["visits"], want["patients"]]:
            raise SystemExit("DuckDB (same outputs) found %s visits and patients, the "
                             "generator wrote %d and %d" % (out.split()[:2], want["visits"],
                                                             want["patients"]))
        comp["DuckDB, hicov's outputs, 2 threads"] = (el, rss, size_of(csv))
        print("DuckDB, hicov's outputs (dedup, distinct patients):"
              " %.1f MB/s  peak %4.0f MB" % (size_of(csv) / 1e6 / el, rss / 1024))
    print("\nratios (time of the other / time of hicov; same files, same run):")
    c2 = res[("CSV", 2)][0]
    ratios.append(("CSV, hicov 2 threads vs pandas", comp["pandas read_csv + groupby"][0] / c2,
                   "10x"))
    if duck_version:
        ratios.append(("CSV, hicov 2 threads vs DuckDB group-by 2 threads",
                       comp["DuckDB group-by, 2 threads"][0] / c2, "2x"))
        ratios.append(("CSV, hicov 2 threads vs DuckDB computing hicov's outputs",
                       comp["DuckDB, hicov's outputs, 2 threads"][0] / c2, "none (for information)"))
    for t, goal in ((1, "1x"), (2, "1.8x")):
        ratios.append(("plain XML, hicov %d thread%s vs xmllint --stream"
                       % (t, "s" if t > 1 else ""),
                       comp["xmllint --stream --noout"][0] / res[("plain XML", t)][0], goal))
    for t in (1, 2):
        rp = res[("plain XML", t)][2] / res[("plain XML", t)][0]
        re_ = res[("envelopes", t)][2] / res[("envelopes", t)][0]
        ratios.append(("envelopes vs plain XML, records/s, %d thread%s"
                       % (t, "s" if t > 1 else ""), re_ / rp, "0.7x"))
    for name, r, goal in ratios:
        print("  %-58s %5.2fx (goal %s)" % (name + ":", r, goal))
    return duck_version


def write_results(a, want, forms, res, comp, ratios, notes, duck_version):
    rows = []
    for (form, threads), (el, rss, n, size, good) in res.items():
        rows.append((form, threads, "%.0f" % (size / 1e6), "{:,}".format(n), "%.3f" % el,
                     "%.0f" % (size / 1e6 / el), "{:,.0f}".format(n / el), "%.0f" % (rss / 1024),
                     "as intended" if good else "MISMATCH"))
    body = results.table(["form", "threads", "MB", "records", "best s", "MB/s",
                          "records/s", "peak MB", "totals"], rows)
    if comp:
        rows = [(tool, "%.0f" % (size / 1e6), "%.3f" % el, "%.0f" % (size / 1e6 / el),
                 "%.0f" % (rss / 1024)) for tool, (el, rss, size) in comp.items()]
        body += "\n\nThe other tools, on the same files in the same run:\n\n"
        body += results.table(["tool", "MB", "best s", "MB/s", "peak MB"], rows)
    if ratios:
        body += ("\n\nRatios (time of the other tool / time of hicov, or records/s of "
                 "envelopes / plain XML), with the goal of the claims issue:\n\n")
        body += results.table(["comparison", "ratio", "goal"],
                              [(name, "%.2fx" % r, goal) for name, r, goal in ratios])
    tools = {"Python": sys.version.split()[0]}
    if comp:
        tools["pandas"] = results.output_of(
            ["/usr/bin/python3", "-c", "import pandas; print(pandas.__version__)"])
        m = re.search(r"version (\d+)", results.output_of(["xmllint", "--version"]) or "")
        v = int(m.group(1)) if m else 0
        tools["xmllint"] = ("(libxml2 %d.%d.%d)" % (v // 10000, v // 100 % 100, v % 100)
                            if v else "(version unknown)")
        tools["DuckDB"] = ("%s (@duckdb/node-api, node %s)"
                           % (duck_version, results.output_of(["node", "--version"]))
                           if duck_version else "not installed")
    sizes = ", ".join("%s %.0f MB" % (f, size_of(p) / 1e6) for f, p in forms.items())
    data = ("`gen-claims --mb %g --seed %s --per-envelope 200%s`: %s records (%s), "
            "%d facilities; every form checked against the generator's totals"
            % (a.mb, a.seed, " --quirks" if a.quirks else "", "{:,}".format(want["records_read"]), sizes,
               want["facilities"]))
    text = results.section(
        "bench_claims.py: reading claims, against pandas, xmllint and DuckDB",
        "`hicov claims --data DIR --threads N` on each form (best of %d), then the "
        "other tools on the same bytes (best of %d each)" % (a.repeat, a.repeat),
        data, tools, body, notes)
    results.write_section(a.results, "bench_claims", text)


if __name__ == "__main__":
    sys.exit(main())
