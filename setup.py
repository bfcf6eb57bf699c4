"""Build the hicov Python package (hicov._hicov plus python/hicov/*.py).

    /usr/bin/python3 setup.py build_ext --inplace    # .so into python/hicov/
    pip install --no-build-isolation .

The C sources come from csrc/sources.list, the one list meson reads too
(parts core, xml and chart; the command-line tool is not part of the module).
Environment switches:
    HICOV_SANITIZE=1   build with -fsanitize=address,undefined
    HICOV_DEBUG=1      build with -O0 -g and assertions on
"""

import glob
import os
import re
import shlex
import subprocess
import sys

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
# Relative paths: setuptools wants sources relative to setup.py's folder.
os.chdir(HERE)

PKG_CONFIG = {"xml": ["libxml-2.0", "libxslt"], "chart": ["cairo", "pangocairo"]}
MODULE_PARTS = ("core", "xml", "chart", "python")


def read_sources(path="csrc/sources.list"):
    """Return {part: [source, ...]} from the shared source list."""
    parts = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) != 2:
                sys.exit(f"{path} line {number}: expected '<part> <path>', "
                         f"found {line.strip()!r}")
            parts.setdefault(words[0], []).append(words[1])
    return parts


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
    out_dir = os.path.join("build-setuptools", "generated")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, "report-builtin.c")
    inputs = ["reports/report.xsd", "reports/resolution.xsd", "reports/report-html.xsl"]
    subprocess.run([sys.executable, "reports/embed.py", out, *inputs], check=True)
    return out


def version():
    with open("csrc/hicov.h", encoding="utf-8") as f:
        m = re.search(r'#define HICOV_VERSION_STRING "([^"]+)"', f.read())
    if not m:
        sys.exit("csrc/hicov.h: HICOV_VERSION_STRING not found")
    return m.group(1)


def extension():
    parts = read_sources()
    sources = []
    flags = []
    for part in MODULE_PARTS:
        files = parts.get(part, [])
        sources += files
        if files and part in PKG_CONFIG:
            flags += pkg_config(PKG_CONFIG[part])

    if parts.get("xml"):
        sources.append(embedded_reports())

    missing = [s for s in sources if not os.path.exists(s)]
    if missing:
        sys.exit("csrc/sources.list names missing files: " + ", ".join(missing))

    include_dirs = ["csrc"]
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

    cflags += ["-std=c11", "-D_GNU_SOURCE", "-fvisibility=hidden",
               "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes",
               "-Wno-unused-parameter", "-Wno-missing-field-initializers"]
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
        depends=["csrc/hicov.h", "python/hicov/_hicov.h",
                 *glob.glob("csrc/*.h")],
    )


setup(
    name="hicov",
    version=version(),
    description="Health-insurance (BHYT) coverage and expenditure indicators",
    license="MIT",
    python_requires=">=3.10",
    package_dir={"": "python"},
    packages=["hicov"],
    ext_modules=[extension()],
    install_requires=["numpy>=1.23", "pandas"],  # numpy.fromiter(dtype=object)
    zip_safe=False,
    # meson owns build/; setuptools works in a folder of its own
    options={"build": {"build_base": "build-setuptools"}},
)
