#!/usr/bin/python3
"""Claims files whose records are far apart, read in time against size.

Generates, at each size, files of odd shapes that real exports and real
accidents produce, and times `hicov claims` on them with 1 and 2 threads:

  xml2           plain XML of XML2 drug lines: no TONG_HOP at all
  far-apart      plain XML, one TONG_HOP every 8 MB (an 8 MB field we do
                 not read in each), then ordinary records
  huge-record    plain XML, a first TONG_HOP holding a quarter of the file,
                 then ordinary records
  csv-huge-line  CSV, a first row holding a quarter of the file, then
                 ordinary rows
  csv-breaks     CSV, a first row whose quoted note holds a quarter of the
                 file in short lines (a false chunk start in every chunk)
  csv-one-line   CSV, one line as big as the file: read up to the 256 MB a
                 record may span, then refused (HICOV_LIMIT)

The reader finds each chunk's first record in the chunk itself, so the
seconds per 100 MB should stay flat as the size grows (they grew with the
size before: a search from every chunk to the next record start).
--compare BUILD times another build on the same files (with a time limit:
the old search took tens of minutes at 4 GB).

usage: bench_shapes.py [--build DIR] [--sizes 64,128,256,512] [--dir DIR]
                       [--shapes a,b] [--repeat N] [--compare BUILD]
                       [--compare-timeout S] [--results FILE]
--results FILE rewrites the bench_shapes section of FILE
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

MB = 1 << 20

CSV_HEADER = ("MA_LK,GHI_CHU,MA_THE_BHYT,T_TONGCHI_BV,T_BHTT,T_BNCCT,NAM_QT,"
              "THANG_QT,MA_LOAI_KCB,MA_CSKCB\n")


def csv_row(i):
    return "R%d,,HS4010%09d,%d.00,%d,0,2024,%d,01,F%d\n" % (
        i, i % 200000, 100 + i % 900, 100 + i % 900, 1 + i % 12, i % 300)


def tong_hop(i, extra=""):
    return ("<TONG_HOP><MA_LK>T%d</MA_LK>%s<MA_THE_BHYT>GD4010%09d</MA_THE_BHYT>"
            "<T_TONGCHI_BV>%d</T_TONGCHI_BV><T_BHTT>%d</T_BHTT><T_BNCCT>0"
            "</T_BNCCT><NAM_QT>2024</NAM_QT><THANG_QT>%d</THANG_QT>"
            "<MA_LOAI_KCB>01</MA_LOAI_KCB><MA_CSKCB>F%d</MA_CSKCB></TONG_HOP>\n"
            % (i, extra, i % 200000, 100 + i % 900, 100 + i % 900, 1 + i % 12,
               i % 300))


def fill(f, piece, n):
    """Writes piece repeated to n bytes (the last one cut)."""
    block = piece * max(1, (4 * MB) // len(piece))
    while n > 0:
        k = min(n, len(block))
        f.write(block[:k])
        n -= k


def records_until(f, at, size, make):
    """Ordinary records from byte at until size; returns how many."""
    i = 0
    buf = []
    while at < size:
        s = make(i)
        buf.append(s)
        at += len(s)
        i += 1
        if len(buf) == 10000:
            f.write("".join(buf))
            buf = []
    f.write("".join(buf))
    return i


def generate(shape, size, path):
    """Writes the file; returns the records it holds."""
    with open(path, "w", encoding="ascii") as f:
        if shape == "xml2":
            head = ('<?xml version="1.0" encoding="utf-8"?>\n<CHITIEU_CHITIET_THUOC>'
                    "<DSACH_CHI_TIET_THUOC>\n")
            f.write(head)
            line = ("<CHI_TIET_THUOC><MA_LK>L1</MA_LK><STT>1</STT><MA_THUOC>40.1"
                    "</MA_THUOC><TEN_THUOC>Paracetamol 500mg</TEN_THUOC><SO_LUONG>10"
                    "</SO_LUONG><DON_GIA>1200</DON_GIA><THANH_TIEN>12000</THANH_TIEN>"
                    "</CHI_TIET_THUOC>\n")
            tail = "</DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>\n"
            n = (size - len(head) - len(tail)) // len(line)
            fill(f, line, n * len(line))
            f.write(tail)
            return 0
        if shape in ("far-apart", "huge-record"):
            head = '<?xml version="1.0" encoding="utf-8"?>\n<DSACH_TONG_HOP>\n'
            f.write(head)
            at, n = len(head), 0
            field = 8 * MB if shape == "far-apart" else size // 4
            while at + field < size:
                rec = tong_hop(n, "<HO_TEN>@</HO_TEN>")
                a, b = rec.split("@")
                f.write(a)
                fill(f, "Nguyen Van A ", field)
                f.write(b)
                at += len(rec) - 1 + field
                n += 1
                if shape == "huge-record":
                    break
            n += records_until(f, at, size - 20, lambda i: tong_hop(n + i))
            f.write("</DSACH_TONG_HOP>\n")
            return n
        if shape in ("csv-huge-line", "csv-breaks"):
            f.write(CSV_HEADER)
            f.write('H1,"' if shape == "csv-breaks" else "H1,")
            fill(f, "a line of a note\n" if shape == "csv-breaks" else "abcdefgh",
                 size // 4)
            f.write('"' if shape == "csv-breaks" else "")
            f.write(",HS4010000000001,1.00,1,0,2024,1,01,F1\n")
            return 1 + records_until(f, len(CSV_HEADER) + size // 4 + 50, size,
                                     csv_row)
        if shape == "csv-one-line":
            f.write(CSV_HEADER)
            f.write("H1,")
            fill(f, "abcdefgh", size - len(CSV_HEADER) - 50)
            f.write(",HS4010000000001,1.00,1,0,2024,1,01,F1\n")
            return 1
    raise ValueError(shape)


SHAPES = ["xml2", "far-apart", "huge-record", "csv-huge-line", "csv-breaks",
          "csv-one-line"]


def run_hicov(exe, path, threads, timeout=None):
    """(seconds, peak RSS MB, records read or None, outcome)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(["/usr/bin/time", "-f", "RSSKB=%M", exe, "claims",
                            "--threads", str(threads), "--messages", "0", path],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, 0, None, "over %d s: stopped" % timeout
    el = time.perf_counter() - t0
    m = re.search(r"RSSKB=(\d+)", p.stderr)
    read = re.search(r"read (\d+), accepted", p.stdout)
    if p.returncode not in (0, 1) or not read:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("failed: %s on %s" % (exe, path))
    outcome = "read"
    if p.returncode == 1:
        lim = re.search(r"more than (\d+) MB from byte", p.stderr)
        why = [line for line in p.stderr.splitlines() if "hicov claims:" in line]
        outcome = ("refused: a record past %s MB" % lim.group(1)) if lim else \
                  "failed: " + (why[0] if why else p.stderr.strip())[:80]
    return el, int(m.group(1)) / 1024 if m else 0, int(read.group(1)), outcome


def main():
    a, exe, other, sizes, shapes = results.shape_arguments(
        __doc__, SHAPES, "64,128,256,512", "file sizes in MB",
        "/tmp/hicov-bench-shapes", 1, 60)
    os.makedirs(a.dir, exist_ok=True)
    rows, crows = [], []
    for shape in shapes:
        for mb in sizes:
            path = os.path.join(a.dir, "%s-%d.%s" % (
                shape, mb, "csv" if shape.startswith("csv") else "xml"))
            n = generate(shape, mb * MB, path)
            size = os.path.getsize(path)
            for threads in (1, 2):
                best = None
                for _ in range(a.repeat):
                    r = run_hicov(exe, path, threads)
                    if best is None or r[0] < best[0]:
                        best = r
                el, rss, read, outcome = best
                if outcome == "read" and read != n:
                    raise SystemExit("%s: read %d records, the file holds %d"
                                     % (path, read, n))
                rows.append((shape, mb, threads, "%.2f" % el, "%.0f" % (size / 1e6 / el),
                             "%.3f" % (el / (size / 1e8)), "%.0f" % rss, outcome))
                print("%-14s %5d MB %d thr: %6.2f s %5.0f MB/s %6.3f s/100 MB "
                      "peak %4.0f MB  %s" % (shape, mb, threads, el, size / 1e6 / el,
                                             el / (size / 1e8), rss, outcome))
                if other and threads == 2:
                    el2, rss2, _, out2 = run_hicov(other, path, 2, a.compare_timeout)
                    crows.append((shape, mb, "%.2f" % el2, "%.3f" % (el2 / (size / 1e8)),
                                  "%.0f" % rss2, out2))
                    print("   compared build, 2 thr: %6.2f s %6.3f s/100 MB peak "
                          "%4.0f MB  %s" % (el2, el2 / (size / 1e8), rss2, out2))
            os.unlink(path)
    shutil.rmtree(a.dir, ignore_errors=True)
    if a.results:
        body = results.table(["shape", "MB", "threads", "s", "MB/s", "s per 100 MB",
                              "peak MB", "outcome"], rows)
        if crows:
            body += ("\n\nThe build compared (`%s`), 2 threads, on the same files, "
                     "stopped after %d s:\n\n" % (a.compare, a.compare_timeout))
            body += results.table(["shape", "MB", "s", "s per 100 MB", "peak MB",
                                   "outcome"], crows)
        text = results.section(
            "bench_shapes.py: claims whose records are far apart, time against size",
            "`hicov claims --threads N` (best of %d) on files of odd shapes at %s MB"
            % (a.repeat, ", ".join(map(str, sizes))),
            "generated by the script: " + ", ".join(shapes) + " (see its docstring)",
            {"Python": sys.version.split()[0]}, body,
            ["seconds per 100 MB flat as the size grows: time linear in the size",
             "csv-one-line: a record may span 256 MB (CLAIMS_SPAN_MAX); past it "
             "the file is refused after reading that much"])
        results.write_section(a.results, "bench_shapes", text)
        print("wrote the bench_shapes section of %s" % a.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
