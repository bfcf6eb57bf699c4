"""One dataset, several threads: check, table, report and the chart builders
run without the GIL beside each other (hicov-core.h, "Threads"), charts
draw without it under their own lock, and changes wait for the queries.
Every result computed in threads must equal the one computed alone.  Speed
is measured in tests/bench/bench_threads.py, not here."""

import re
import threading

import pytest

import hicov

ROUNDS = 3


def same_svg(svg):
    """An SVG without cairo's ids, which count up in the process."""
    return re.sub(r'(id|xlink:href)="[^"]*"', "", svg)


def work(ds):
    """What each thread does, as (name, result) pairs that compare equal
    when the numbers and texts are the same."""
    chart = ds.chart_ranked("coverage_rate", "2024", "20", level="commune")
    return [
        ("check", ds.check().to_json()),
        ("check vi", ds.check(lang="vi").to_json()),  # a change for one call
        ("table", ds.table("coverage_rate", "2024", "commune", parent="20").to_json()),
        ("report", ds.report(0, lang="en", time=0).xml),
        ("report vi", ds.report(0, lang="vi", time=0).to_html()),
        ("chart keys", chart.keys),
        ("chart svg", same_svg(chart.svg())),
        ("chart png", chart.png()[:8]),
        ("coverage", ds.chart_coverage("20", 0, lang="vi").point_count),
        ("value", ds.value("coverage_rate", "20", "2024")),
    ]


def run_threads(n, fn):
    out, errors = [None] * n, []
    barrier = threading.Barrier(n)

    def body(i):
        try:
            barrier.wait()
            out[i] = fn(i)
        except BaseException as e:  # reported below, with the thread
            errors.append((i, e))

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return out


def test_queries_in_threads_equal_serial():
    ds = hicov.demo()
    ds.lang = "en"
    want = work(ds)
    assert [k for k, _ in want][:2] == ["check", "check vi"]
    got = run_threads(4, lambda i: [work(ds) for _ in range(ROUNDS)])
    for per_thread in got:
        for result in per_thread:
            assert result == want
    # the per-call lang= left the dataset as it was
    assert ds.lang == "en"


def test_one_chart_drawn_by_several_threads():
    ds = hicov.demo()
    c = ds.chart_groups("participants", "20", ["2022", "2023", "2024"])
    svg, png = same_svg(c.svg()), c.png()
    got = run_threads(4, lambda i: [(same_svg(c.svg()), c.png()) for _ in range(ROUNDS)])
    assert all(pair == (svg, png) for per in got for pair in per)
    c.title = "changed while others draw"  # the setter takes the lock too
    assert same_svg(c.svg()) != svg


def test_changes_wait_for_queries():
    """Threads that change the dataset (fund share, lang) while others
    query it: every query sees one state or the other, never a torn one,
    and nothing crashes."""
    ds = hicov.demo()
    ds.lang = "en"
    checks = {lang: ds.check(lang=lang).to_json() for lang in ("en", "vi")}
    tables = []
    for share, lang in ((90.0, "en"), (80.0, "vi"), (90.0, "vi"), (80.0, "en")):
        ds.fund_share, ds.lang = share, lang
        tables.append(ds.table("fund_balance", "2024", "province").to_json())
    assert tables[0] != tables[1]
    ds.fund_share, ds.lang = 90.0, "en"
    stop = threading.Event()

    def changer(i):
        k = 0
        while not stop.is_set():
            ds.fund_share = (90.0, 80.0)[k % 2]
            ds.lang = ("en", "vi")[k % 2]
            k += 1
        return k

    def reader(i):
        try:
            for _ in range(ROUNDS * 2):
                assert ds.check().to_json() in checks.values()
                assert ds.table("fund_balance", "2024", "province").to_json() \
                    in tables
        finally:
            stop.set()

    out = run_threads(3, lambda i: changer(i) if i == 0 else reader(i))
    assert out[0] > 0


def test_errors_in_threads_are_the_calls_own():
    ds = hicov.demo()

    def bad(i):
        with pytest.raises(hicov.NotFoundError, match="nope"):
            ds.table("coverage_rate", "2024", "commune", parent="nope%d" % i)
        return True

    assert all(run_threads(4, bad))
