#!/usr/bin/python3
"""Writes a synthetic dataset folder (units.csv, values.csv) for benchmarks
and GUI tests: one province with 10 districts and N communes, monthly values
over Y years (population and participants by beneficiary group as stocks,
visits and costs as flows).

Usage: gen_dataset.py DIR [--communes 200] [--years 5] [--first-year 2020]
       [--seed 1] [--national]

--national writes the country instead: 34 provinces and 3,321 communes.
"""
import argparse
import csv
import os
import random


def generate(out, communes=200, years=5, first_year=2020, seed=1):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    districts = 10
    with open(os.path.join(out, "units.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "parent", "level", "synthetic"])
        w.writerow(["VN", "Việt Nam", "", "country", "0"])
        w.writerow(["90", "Tỉnh Thử Nghiệm", "VN", "province", "1"])
        for d in range(districts):
            w.writerow([f"90{d:02d}", f"Huyện Số {d + 1}", "90", "district",
                        "1"])
        for c in range(communes):
            w.writerow([f"90{c % districts:02d}{c:03d}", f"Xã Số {c + 1}",
                        f"90{c % districts:02d}", "commune", "1"])
    groups = ["DN", "HN", "GD"]
    with open(os.path.join(out, "values.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit", "period", "measure", "value", "group", "source"])
        for c in range(communes):
            code = f"90{c % districts:02d}{c:03d}"
            pop = rng.randint(3000, 15000)
            cov = rng.uniform(0.82, 0.97)
            for y in range(first_year, first_year + years):
                for m in range(1, 13):
                    period = f"{y}-{m:02d}"
                    pop += rng.randint(-5, 12)
                    cov = min(0.995, cov + rng.uniform(-0.002, 0.004))
                    part = int(pop * cov)
                    shares = [0.25, 0.15]
                    by_group = [int(part * s) for s in shares]
                    by_group.append(part - sum(by_group))
                    visits = int(part * rng.uniform(0.08, 0.14))
                    cost = visits * rng.randint(400_000, 900_000)
                    paid = cost * 85 // 100
                    revenue = part * 80_000
                    w.writerow([code, period, "population", pop, "", "synthetic"])
                    w.writerow([code, period, "participants", part, "",
                                "synthetic"])
                    for g, v in zip(groups, by_group):
                        w.writerow([code, period, "participants", v, g,
                                    "synthetic"])
                    w.writerow([code, period, "visits", visits, "", "synthetic"])
                    w.writerow([code, period, "total_cost", cost, "",
                                "synthetic"])
                    w.writerow([code, period, "fund_paid", paid, "",
                                "synthetic"])
                    w.writerow([code, period, "fund_revenue", revenue, "",
                                "synthetic"])


def generate_national(out, provinces=34, communes=3321, years=5,
                      first_year=2021, seed=1):
    """The country since the 2025 reform, two tiers: `provinces` provinces
    and `communes` communes shared among them, with monthly population,
    participants (stocks), visits, total cost and fund payments (flows)
    over `years` years: 5 x communes x 12 x years value rows."""
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    codes = []
    with open(os.path.join(out, "units.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "parent", "level", "synthetic"])
        w.writerow(["VN", "Việt Nam", "", "country", "0"])
        for p in range(provinces):
            w.writerow([f"{p + 1:02d}", f"Tỉnh Số {p + 1}", "VN", "province",
                        "1"])
        for c in range(communes):
            code = f"{c % provinces + 1:02d}{c:05d}"
            codes.append(code)
            w.writerow([code, f"Xã Số {c + 1}", f"{c % provinces + 1:02d}",
                        "commune", "1"])
    with open(os.path.join(out, "values.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit", "period", "measure", "value", "source"])
        for code in codes:
            pop = rng.randint(3000, 40000)
            cov = rng.uniform(0.82, 0.97)
            for y in range(first_year, first_year + years):
                for m in range(1, 13):
                    period = f"{y}-{m:02d}"
                    pop += rng.randint(-5, 12)
                    cov = min(0.995, cov + rng.uniform(-0.002, 0.004))
                    part = int(pop * cov)
                    visits = int(part * rng.uniform(0.08, 0.14))
                    cost = visits * rng.randint(400_000, 900_000)
                    w.writerows([
                        (code, period, "population", pop, "synthetic"),
                        (code, period, "participants", part, "synthetic"),
                        (code, period, "visits", visits, "synthetic"),
                        (code, period, "total_cost", cost, "synthetic"),
                        (code, period, "fund_paid", cost * 85 // 100,
                         "synthetic")])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--communes", type=int, default=200)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--first-year", type=int, default=2020)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--national", action="store_true",
                    help="34 provinces and 3,321 communes, without "
                    "districts (--years, --first-year and --seed apply)")
    a = ap.parse_args()
    if a.national:
        generate_national(a.dir, years=a.years, first_year=a.first_year,
                          seed=a.seed)
    else:
        generate(a.dir, a.communes, a.years, a.first_year, a.seed)


if __name__ == "__main__":
    main()
