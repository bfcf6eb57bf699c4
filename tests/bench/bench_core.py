#!/usr/bin/env python3
"""Benchmark: load a national commune-level dataset and compute coverage by
commune and cost per visit by province, with hicov and with pandas (what an
analyst would use instead), on the same files in the same run.

    PYTHONPATH=build/python /usr/bin/python3 tests/bench/bench_core.py [--communes 3321] [--months 60]
        [--results tests/bench/RESULTS.md]

The data are synthetic and deterministic: 34 provinces, N communes, monthly
population and participants (stocks) and visits and total cost (flows).
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import hicov

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import results  # noqa: E402


def generate(path, communes, months, seed=1):
    rnd = random.Random(seed)
    provinces = [f"{i:02d}" for i in range(1, 35)]
    with open(os.path.join(path, "units.csv"), "w", encoding="utf-8") as f:
        f.write("code,name,parent,level\nVN,Việt Nam,,country\n")
        for p in provinces:
            f.write(f"{p},Tỉnh {p},VN,province\n")
        for c in range(communes):
            f.write(f"X{c:05d},Xã {c},{provinces[c % 34]},commune\n")
    first_year = 2025 - months // 12
    with open(os.path.join(path, "values.csv"), "w", encoding="utf-8") as f:
        f.write("unit,period,measure,value\n")
        for c in range(communes):
            pop = rnd.randint(3000, 30000)
            cov = rnd.uniform(0.85, 0.99)
            for m in range(months):
                y, mo = first_year + m // 12, m % 12 + 1
                per = f"{y}-{mo:02d}"
                pop_m = pop + m * 3
                f.write(f"X{c:05d},{per},population,{pop_m}\n")
                f.write(f"X{c:05d},{per},participants,{int(pop_m * min(cov + m * 0.0005, 0.999))}\n")
                v = int(pop_m * 0.12 * rnd.uniform(0.8, 1.2))
                f.write(f"X{c:05d},{per},visits,{v}\n")
                f.write(f"X{c:05d},{per},total_cost,{v * rnd.randint(450_000, 700_000)}\n")
    return first_year


def run_hicov(path, year):
    ds = hicov.load(path)
    cov = ds.table("coverage_rate", str(year), level="commune")
    cpv = ds.table("cost_per_visit", str(year), level="province")
    return cov["value"], cpv["value"]  # indexed by unit code


def run_pandas(path, year):
    units = pd.read_csv(os.path.join(path, "units.csv"), dtype=str)
    vals = pd.read_csv(os.path.join(path, "values.csv"), dtype={"unit": str, "period": str})
    vals = vals[vals["period"].str.startswith(str(year))]
    # coverage: stocks at the end of the year (December), per commune
    dec = vals[vals["period"] == f"{year}-12"]
    st = dec.pivot_table(index="unit", columns="measure", values="value", aggfunc="last")
    cov = st["participants"] / st["population"] * 100
    # cost per visit: flows summed over the year, per province
    fl = vals[vals["measure"].isin(["visits", "total_cost"])]
    fl = fl.merge(units[["code", "parent"]], left_on="unit", right_on="code")
    prov = fl.groupby(["parent", "measure"])["value"].sum().unstack()
    cpv = prov["total_cost"] / prov["visits"]
    return cov, cpv


def timed(fn, *args, repeat=3):
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--communes", type=int, default=3321)
    ap.add_argument("--months", type=int, default=60)
    results.add_argument(ap)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        year = generate(d, args.communes, args.months) + args.months // 12 - 1
        size = sum(os.path.getsize(os.path.join(d, f)) for f in ("units.csv", "values.csv"))
        rows = args.communes * args.months * 4
        th, (hcov, hcpv) = timed(run_hicov, d, year)
        rss_h = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tp, (pcov, pcpv) = timed(run_pandas, d, year)
        # the same numbers, or the comparison means nothing
        assert np.allclose(hcov.sort_index().values, pcov.sort_index().values, rtol=1e-12)
        assert np.allclose(hcpv.reindex(pcpv.index).values, pcpv.values, rtol=1e-12)
        print(f"dataset: {args.communes} communes x {args.months} months, {rows:,} rows, "
              f"{size / 1e6:.1f} MB")
        print(f"hicov  load + coverage by commune + cost/visit by province: {th:.2f} s "
              f"({size / 1e6 / th:.0f} MB/s), peak RSS so far {rss_h:.0f} MB")
        print(f"pandas read_csv + pivot + groupby, same results:            {tp:.2f} s "
              f"({size / 1e6 / tp:.0f} MB/s)")
        print(f"ratio pandas/hicov: {tp / th:.2f}x")
    if args.results:
        body = results.table(
            ["tool", "best s", "MB/s"],
            [("hicov: load + coverage by commune + cost/visit by province",
              f"{th:.3f}", f"{size / 1e6 / th:.0f}"),
             ("pandas: read_csv + pivot + groupby, the same results", f"{tp:.3f}",
              f"{size / 1e6 / tp:.0f}")])
        body += (f"\n\nRatio pandas / hicov: **{tp / th:.2f}x**. Peak RSS of the process "
                 f"after the hicov runs: {rss_h:.0f} MB (numpy and pandas loaded).")
        text = results.section(
            "bench_core.py: dataset load and indicators, against pandas",
            f"loading a dataset and computing coverage by commune and cost per visit by "
            f"province for {year}, best of 3; both results checked equal (rtol 1e-12)",
            f"synthetic, seed 1: 34 provinces, {args.communes:,} communes x {args.months} "
            f"months, {rows:,} rows, {size / 1e6:.1f} MB of CSV",
            {"Python": sys.version.split()[0], "hicov module": hicov.__version__,
             "numpy": np.__version__, "pandas": pd.__version__},
            body)
        results.write_section(args.results, "bench_core", text)
        print(f"wrote the bench_core section of {args.results}")


if __name__ == "__main__":
    main()
