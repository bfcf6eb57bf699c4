"""Writes one benchmark's section of tests/bench/RESULTS.md.

Each bench script owns the text between `<!-- NAME:begin -->` and
`<!-- NAME:end -->` (NAME is the script's name without .py) and rewrites
it with what it has just measured, with the date, the machine, the tool
versions, the hicov commit and the command line.  Everything outside its
markers is kept byte for byte; a file without the section gets it
appended.  The file is replaced atomically (a temporary file in the same
folder, then a rename), so an interrupted run never leaves half a file.

Standard library only: bench_core.py and bench_dask.py import it next to
numpy, pandas and dask, bench_claims.py and bench_dashboard.py without.
"""
import datetime
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
# as the command was run: bench_dask.py sets PYTHONPATH for its workers
PYTHONPATH = os.environ.get("PYTHONPATH")
# how busy the shared machine was when the script started
LOAD_AT_START = os.getloadavg()


def markers(name):
    return "<!-- %s:begin -->" % name, "<!-- %s:end -->" % name


def replace_section(text, name, body):
    """text with NAME's section holding body (markers included, each on a
    line of its own).  A section that is missing is appended after a blank
    line; a marker without its partner, or a section twice, is an error
    rather than a guess at what the author meant."""
    begin, end = markers(name)
    block = "%s\n%s\n%s" % (begin, body.strip("\n"), end)
    nb, ne = text.count(begin), text.count(end)
    if nb == 0 and ne == 0:
        if not text:
            return block + "\n"
        return text + ("\n" if text.endswith("\n") else "\n\n") + block + "\n"
    if nb != 1 or ne != 1:
        raise ValueError("%s: expected one %s and one %s, found %d and %d"
                         % (name, begin, end, nb, ne))
    i, j = text.index(begin), text.index(end)
    if j < i:
        raise ValueError("%s: %s comes before %s" % (name, end, begin))
    return text[:i] + block + text[j + len(end):]


def write_section(path, name, body):
    """Rewrites NAME's section of the file at path (created if missing),
    atomically.  The text is read and written without newline translation,
    so the rest of the file keeps its exact bytes."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        text, mode = "", 0o644
    out = replace_section(text, name, body)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".results-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(out)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


# ---- what every section states ----------------------------------------

def machine():
    """'2 CPUs (AMD EPYC), 23 GB RAM, Debian GNU/Linux 12, Linux 6.1'."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            model = m.group(1).strip() if m else model
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
            mem = ", %.0f GB RAM" % (kb / 1024 / 1024)
    except (OSError, AttributeError):
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release") as f:
            m = re.search(r'^PRETTY_NAME="?([^"\n]+)', f.read(), re.M)
            osname = m.group(1) if m else osname
    except OSError:
        pass
    return "%d CPUs (%s)%s, %s, Linux %s" % (
        len(os.sched_getaffinity(0)), model, mem, osname, platform.release())


def command_line():
    """The command as it was run (from the top of the checkout), with the
    PYTHONPATH it needed."""
    argv = [sys.executable] + [os.path.relpath(sys.argv[0], TOP)
                               if os.path.isabs(sys.argv[0]) else sys.argv[0]]
    argv += sys.argv[1:]
    return (("PYTHONPATH=%s " % shlex.quote(PYTHONPATH) if PYTHONPATH else "")
            + shlex.join(argv))


def output_of(cmd, **kw):
    """First line of a command's output, or None if it cannot run."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (p.stdout + p.stderr).strip().splitlines()
    return lines[0].strip() if p.returncode == 0 and lines else None


def hicov_commit():
    """The commit measured, '+ local changes' when the tree differs."""
    rev = output_of(["git", "-C", TOP, "rev-parse", "--short", "HEAD"])
    if rev is None:
        return "unknown (not a git checkout)"
    dirty = subprocess.run(["git", "-C", TOP, "diff", "--quiet", "HEAD", "--",
                            "csrc", "python", "gui", "tests/bench",
                            ":(exclude)tests/bench/RESULTS.md"],
                           capture_output=True).returncode
    return rev + (" + local changes" if dirty else "")


def table(headers, rows):
    """A Markdown table; numbers are right-aligned."""
    def cell(v):
        return str(v).replace("|", "\\|")
    def numeric(v):
        return isinstance(v, (int, float)) or re.fullmatch(r"[-+]?[\d.,]+[x%]?|—", str(v))
    align = ["---:" if rows and all(numeric(r[i]) for r in rows) else "---"
             for i in range(len(headers))]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def section(title, measured, data, tools, body, notes=()):
    """The Markdown of a section: a heading, what and on what, the run's
    date, machine, commit, tools and command, then body (tables), then
    notes."""
    now = datetime.datetime.now().astimezone()
    lines = ["### " + title, "",
             "- What: " + measured,
             "- Data: " + data,
             "- Date: %s" % now.strftime("%Y-%m-%d %H:%M %Z"),
             "- Machine: %s; shared with other builds while it ran (load "
             "average over 1 minute: %.1f at the start, %.1f at the end)"
             % (machine(), LOAD_AT_START[0], os.getloadavg()[0]),
             "- hicov: commit %s" % hicov_commit(),
             "- Tools: " + ", ".join("%s %s" % (k, v) for k, v in tools.items()),
             "- Command: `%s`" % command_line(),
             "", body.strip("\n")]
    if notes:
        lines += [""] + ["- " + n for n in notes]
    return "\n".join(lines)


def add_argument(parser):
    parser.add_argument(
        "--results", metavar="FILE",
        help="rewrite this script's section of FILE (tests/bench/RESULTS.md) "
             "with the figures of this run; the rest of FILE is kept")


def shape_arguments(doc, shapes, sizes, sizes_help, directory, repeat,
                    timeout):
    """The arguments of a bench that times shapes of input at several sizes
    (bench_shapes.py, bench_dataset_shapes.py), --results among them;
    returns (args, hicov, the compared build's hicov or None, sizes,
    shapes)."""
    import argparse
    ap = argparse.ArgumentParser(
        description=doc.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--sizes", default=sizes,
                    help="%s (default %s)" % (sizes_help, sizes))
    ap.add_argument("--shapes", default=",".join(shapes))
    ap.add_argument("--dir", default=directory)
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--compare", metavar="BUILD",
                    help="also time the hicov of this build on the same input")
    ap.add_argument("--compare-timeout", type=int, default=timeout)
    add_argument(ap)
    a = ap.parse_args()
    exe = os.path.abspath(os.path.join(a.build, "csrc", "hicov"))
    other = os.path.join(a.compare, "csrc", "hicov") if a.compare else None
    return (a, exe, other, [int(s) for s in a.sizes.split(",")],
            a.shapes.split(","))
