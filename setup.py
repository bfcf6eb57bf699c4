"""Build the hicov Python package (hicov._hicov plus python/hicov/*.py).

    /usr/bin/python3 setup.py build_ext --inplace    # .so into python/hicov/
    pip install --no-build-isolation .

The C sources come from csrc/sources.list, the warning flags from
csrc/warnings.list and the version from csrc/VERSION: the same files meson
reads (layers core, claims, exchange and chart; the command-line tool is not
part of the module).
Environment switches:
    HICOV_SANITIZE=1   build with -fsanitize=address,undefined
    HICOV_DEBUG=1      build with -O0 -g and assertions on
    HICOV_WERROR=1     warnings are errors (as in CI)
"""

import glob
import os
import re
import shlex
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.sdist import sdist

HERE = os.path.dirname(os.path.abspath(__file__))
# Relative paths: setuptools wants sources relative to setup.py's folder.
os.chdir(HERE)

PKG_CONFIG = {"exchange": ["libxml-2.0", "libxslt", "libzip", "xlsxwriter", "jansson"],
              "chart": ["cairo", "pangocairo"]}
MODULE_PARTS = ("core", "claims", "exchange", "chart", "python")
GENERATED = os.path.join("build-setuptools", "generated")


def read_list(path):
    """The non-comment lines of one of csrc's lists."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip() and not line.lstrip().startswith("#"):
                yield number, line


def read_sources(path="csrc/sources.list"):
    """Return {part: [source, ...]} from the shared source list."""
    parts = {}
    for number, line in read_list(path):
        words = line.split()
        if len(words) != 2:
            sys.exit(f"{path} line {number}: expected '<layer> <path>', "
                     f"found {line.strip()!r}")
        parts.setdefault(words[0], []).append(words[1])
    return parts


def warning_flags(path="csrc/warnings.list"):
    return [line.strip() for _, line in read_list(path)]


def pkg_config(packages):
    """Compiler and linker flags of pkg-config packages."""
    try:
        out = subprocess.run(["pkg-config", "--cflags", "--libs", *packages],
                             check=True, capture_output=True, text=True)
    except FileNotFoundError:
        sys.exit("pkg-config not found: it is needed for " + " ".join(packages))
    except subprocess.CalledProcessError as e:
        sys.exit(f"pkg-config {' '.join(packages)} failed: {e.stderr.strip()}")
    return shlex.split(out.stdout)


def embedded_reports():
    """The report schemas and stylesheet compiled into the library, as
    meson does (reports/embed.py), so reports validate without files."""
    os.makedirs(GENERATED, exist_ok=True)
    out = os.path.join(GENERATED, "report-builtin.c")
    inputs = ["reports/report.xsd", "reports/resolution.xsd", "reports/report-html.xsl",
              "reports/issuer.xsd"]
    subprocess.run([sys.executable, "reports/embed.py", out, *inputs], check=True)
    return out


def embedded_text():
    """The Vietnamese catalogue compiled into the core, as meson does
    (csrc/po/embed.py), so hicov_text needs no installed catalogue."""
    os.makedirs(GENERATED, exist_ok=True)
    out = os.path.join(GENERATED, "text-vi.c")
    subprocess.run([sys.executable, "csrc/po/embed.py", out, "csrc/po/vi.po"],
                   check=True)
    return out


def version():
    with open("csrc/VERSION", encoding="utf-8") as f:
        text = f.read().strip()
    if not re.fullmatch(r"\d+\.\d+\.\d+", text):
        sys.exit(f"csrc/VERSION: expected MAJOR.MINOR.MICRO, found {text!r}")
    return text


def version_header():
    """csrc/include/hicov-version.h.in filled in, as meson's configure_file
    does."""
    os.makedirs(GENERATED, exist_ok=True)
    v = version()
    with open("csrc/include/hicov-version.h.in", encoding="utf-8") as f:
        text = f.read()
    for key, value in zip(("@MAJOR@", "@MINOR@", "@MICRO@"), v.split(".")):
        text = text.replace(key, value)
    text = text.replace("@VERSION@", v)
    out = os.path.join(GENERATED, "hicov-version.h")
    old = None
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            old = f.read()
    if old != text:  # unchanged files keep their time: no needless rebuild
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    return out


def extension():
    parts = read_sources()
    sources = []
    flags = []
    for part in MODULE_PARTS:
        files = parts.get(part, [])
        sources += files
        if files and part in PKG_CONFIG:
            flags += pkg_config(PKG_CONFIG[part])

    sources.append(embedded_reports())
    sources.append(embedded_text())
    version_header()

    missing = [s for s in sources if not os.path.exists(s)]
    if missing:
        sys.exit("csrc/sources.list names missing files: " + ", ".join(missing))

    include_dirs = [GENERATED, "csrc/include", "csrc/core", "csrc/claims",
                    "csrc/exchange", "csrc/chart"]
    library_dirs, libraries, cflags, ldflags = [], [], [], []
    for flag in flags:
        if flag.startswith("-I"):
            include_dirs.append(flag[2:])
        elif flag.startswith("-L"):
            library_dirs.append(flag[2:])
        elif flag.startswith("-l"):
            libraries.append(flag[2:])
        elif flag.startswith("-pthread"):
            cflags.append(flag)
            ldflags.append(flag)
        else:
            cflags.append(flag)
    libraries.append("m")

    cflags += ["-std=c11", "-D_GNU_SOURCE", "-fvisibility=hidden", "-pthread",
               *warning_flags()]
    ldflags.append("-pthread")
    if os.environ.get("HICOV_WERROR") == "1":
        cflags.append("-Werror")
    if os.environ.get("HICOV_DEBUG") == "1":
        cflags += ["-O0", "-g", "-UNDEBUG"]
    if os.environ.get("HICOV_SANITIZE") == "1":
        san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
               "-fno-sanitize-recover=undefined"]
        cflags += san + ["-g"]
        ldflags += san

    return Extension(
        "hicov._hicov",
        sources=sources,
        include_dirs=include_dirs,
        library_dirs=library_dirs,
        libraries=libraries,
        extra_compile_args=cflags,
        extra_link_args=ldflags,
        depends=["python/hicov/_hicov.h", *glob.glob("csrc/*/*.h"),
                 "csrc/sources.list", "csrc/warnings.list", "csrc/VERSION",
                 "csrc/include/hicov-version.h.in", "reports/embed.py",
                 "reports/report.xsd", "reports/resolution.xsd",
                 "reports/report-html.xsl", "reports/issuer.xsd",
                 "csrc/po/embed.py",
                 "csrc/po/vi.po"],
    )


class Sdist(sdist):
    """An sdist that builds on its own: with the headers, lists and report
    schemas the extension's build reads (its `depends`), which setuptools
    leaves out; the design card allows no MANIFEST.in at the top."""

    def make_distribution(self):
        for ext in self.distribution.ext_modules:
            self.filelist.extend(d for d in ext.depends
                                 if not d.startswith("build-setuptools"))
        self.filelist.append("pyproject.toml")
        self.filelist.remove_duplicates()
        super().make_distribution()


setup(
    name="hicov",
    version=version(),
    description="Health-insurance (BHYT) coverage and expenditure indicators",
    license="MIT",
    python_requires=">=3.10",
    package_dir={"": "python"},
    packages=["hicov"],
    # PEP 561: the extension's stubs and the marker (in the sdist too)
    package_data={"hicov": ["_hicov.pyi", "py.typed"]},
    ext_modules=[extension()],
    install_requires=["numpy>=1.23", "pandas"],  # numpy.fromiter(dtype=object)
    zip_safe=False,
    cmdclass={"sdist": Sdist},
    # meson owns build/; setuptools works in a folder of its own
    options={"build": {"build_base": "build-setuptools"}},
)
