"""The one source list: meson.build and setup.py build from csrc/sources.list,
so every C file of the core, its parts and the extension must be on it."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PARTS = {"core", "xml", "chart", "cli", "python"}


def listed():
    out = {}
    for number, line in enumerate((ROOT / "csrc/sources.list").read_text().splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        assert len(words) == 2 and words[0] in PARTS, f"sources.list line {number}: {line!r}"
        assert (ROOT / words[1]).is_file(), f"sources.list line {number}: no {words[1]}"
        out[words[1]] = words[0]
    return out


def test_every_c_file_is_listed_once():
    entries = listed()
    present = {str(p.relative_to(ROOT)) for p in (ROOT / "csrc").glob("*.c")}
    present |= {str(p.relative_to(ROOT)) for p in (ROOT / "python/hicov").glob("*.c")}
    assert present == set(entries), present ^ set(entries)


def test_core_part_needs_only_libc():
    # The core depends on libc and libm only: no libxml2, cairo or GLib.
    for path, part in listed().items():
        if part != "core":
            continue
        text = (ROOT / path).read_text()
        for banned in ("<libxml/", "<cairo", "<pango", "<glib", "<gtk", "<Python.h>"):
            assert banned not in text, f"{path} includes {banned}"


def test_no_stray_top_level_config():
    for name in ("setup.cfg", "pyproject.toml", "pytest.ini", "tox.ini", "Makefile",
                 "meson_options.txt"):
        assert not (ROOT / name).exists(), name
