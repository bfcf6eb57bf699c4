"""The one source list: meson.build and setup.py build from csrc/sources.list,
so every C file of the layers and the extension must be on it, in the folder
of its layer; and each layer uses only what its layer may."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAYERS = {"core", "claims", "exchange", "chart", "geo", "cli", "python"}
# What each layer's files may include beyond libc, in csrc/sources.list order.
BANNED = {
    "core": ("<libxml/", "<libxslt/", "<cairo", "<pango", "<glib", "<gtk",
             "<Python.h>", "<pthread.h>", "<unicode/", "<zip.h>", "<xlsxwriter",
             "<jansson.h>", "<gdal", "<ogr", "<cpl_"),
    "claims": ("<libxml/", "<libxslt/", "<cairo", "<pango", "<glib", "<gtk",
               "<Python.h>", "<zip.h>", "<xlsxwriter", "<jansson.h>", "<gdal",
               "<ogr", "<cpl_"),
    "exchange": ("<cairo", "<pango", "<glib", "<gtk", "<Python.h>", "<gdal",
                 "<ogr", "<cpl_"),
    # the map figure draws plain rings: GDAL stays in geo
    "chart": ("<libxml/", "<libxslt/", "<glib", "<gtk", "<Python.h>",
              "<zip.h>", "<xlsxwriter", "<jansson.h>", "<gdal", "<ogr",
              "<cpl_", "hicov-geo.h"),
    "geo": ("<libxml/", "<libxslt/", "<cairo", "<pango", "<glib", "<gtk",
            "<Python.h>", "<zip.h>", "<xlsxwriter", "<jansson.h>",
            "hicov-chart.h"),
}


def listed():
    out = {}
    for number, line in enumerate((ROOT / "csrc/sources.list").read_text().splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        assert len(words) == 2 and words[0] in LAYERS, f"sources.list line {number}: {line!r}"
        assert (ROOT / words[1]).is_file(), f"sources.list line {number}: no {words[1]}"
        out[words[1]] = words[0]
    return out


def test_every_c_file_is_listed_once():
    entries = listed()
    present = {str(p.relative_to(ROOT)) for p in (ROOT / "csrc").glob("**/*.c")}
    present |= {str(p.relative_to(ROOT)) for p in (ROOT / "python/hicov").glob("*.c")}
    assert present == set(entries), present ^ set(entries)


def test_each_file_sits_in_its_layers_folder():
    for path, layer in listed().items():
        if layer != "python":
            assert path.startswith(f"csrc/{layer}/"), (path, layer)


def test_layers_include_only_what_they_may():
    for path, layer in listed().items():
        text = (ROOT / path).read_text()
        for banned in BANNED.get(layer, ()):
            assert banned not in text, f"{path} ({layer}) includes {banned}"
    for header in (ROOT / "csrc").glob("*/*.h"):
        layer = header.parent.name
        for banned in BANNED.get(layer, ()):
            assert banned not in header.read_text(), f"{header} includes {banned}"


def test_front_ends_use_public_headers_only():
    public = {p.name for p in (ROOT / "csrc/include").glob("*.h")}
    private = {p.name for p in (ROOT / "csrc").glob("*/*.h")} - public
    for path in [*(ROOT / "python/hicov").glob("*.[ch]"), *(ROOT / "gui").glob("*.[ch]")]:
        text = path.read_text()
        for name in private:
            assert f'#include "{name}"' not in text, f"{path} includes {name}"


def test_no_stray_top_level_config():
    for name in ("setup.cfg", "pytest.ini", "tox.ini", "Makefile", "meson_options.txt"):
        assert not (ROOT / name).exists(), name


def test_top_level_is_the_design_card():
    """The top level holds what the design card fixes, and dotfiles, a
    LICENSE and pyproject.toml beside it; nothing else is committed there
    (screenshots from the GUI tests once were)."""
    import shutil
    import subprocess
    allowed = {"setup.py", "meson.build", "README.md", "csrc", "gui", "python",
               "reports", "tests", "LICENSE", "pyproject.toml"}
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        import pytest
        pytest.skip("not a git checkout")
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files"], check=True,
                           capture_output=True, text=True).stdout.split()
    top = {f.split("/", 1)[0] for f in files}
    extra = sorted(t for t in top if t not in allowed and not t.startswith("."))
    assert not extra, f"committed at the top level beside the design card: {extra}"
