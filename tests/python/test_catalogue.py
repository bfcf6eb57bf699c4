"""The one text catalogue (csrc/po): xgettext over POTFILES finds every
marked text, each has a Vietnamese translation whose format takes the
msgid's arguments (msgfmt --check), every source file with user-visible
text is listed in POTFILES, and no prose in a listed core, exchange,
chart or command file is left unmarked."""

import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PO = ROOT / "csrc" / "po"

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("xgettext", "msgmerge", "msgfmt", "msgattrib")),
    reason="needs gettext (xgettext, msgmerge, msgfmt, msgattrib)")

# Sources with no user-visible text of their own, and why.
NO_TEXT = {
    "csrc/core/demo.c": "data: names and resolutions as published, in Vietnamese",
    "csrc/core/period.c": "period syntax only",
    "csrc/core/sha256.c": "no text",
    "csrc/core/collate.c": "no text: the order of names",
    "csrc/core/formula.c": "no text: arithmetic",
    "csrc/core/keys.c": "no text: indexes and sorts",
    "csrc/core/unit-match.c": "no text: units by name (the workbook reader words its findings)",
    "csrc/core/vi-text.c": "no text: Vietnamese folding; its prefixes are data",
    "csrc/exchange/workbook-number.c": "no text: numbers and periods as typed",
    "csrc/exchange/workbook-words.c": "data: the headings the reader recognises, as offices type them",
    "csrc/core/dataset-copy.c": "no text: a copy",
    "csrc/core/dataset-memo.c": "no text: totals kept",
    "csrc/chart/chart-axis.c": "no text: axis ticks",
    "csrc/geo/geo-gdal.c": "no text: the loader's reason or a function's name, "
                           "put into geo.c's translated message",
    "csrc/chart/chart-state.c": "no text: a chart as bytes (Python words the refusal)",
    "gui/hicov-script.c": "the test automation's own messages (English)",
    "gui/hicov-settings.c": "no text",
    "gui/hicov-timing.c": "timing traces for benchmarks",
    "gui/hicov-tooltip.c": "no text: holds its callers'",
    "gui/hicov-unit-item.c": "no text",
    "gui/hicov-kpi-tile.ui": "no text but a dash",
    "csrc/claims/claims-chunks.c": "no text: the chunks' messages are the part's",
    "csrc/claims/claims-keys.c": "no text: its I/O failures are worded by claims-tmpfile.c",
    "csrc/claims/claims-csv-x86v3.c": "no text: claims-csv.c compiled again (its "
                                      "texts are found there)",
}
# Python's own exceptions stay English (the core's messages they carry
# follow Dataset.lang).
NO_TEXT.update({str(p.relative_to(ROOT)): "Python exceptions are English"
                for p in (ROOT / "python" / "hicov").glob("*.c")})

MARK = re.compile(r"(?<![\w.])(?:T_|TC_|N_|NC_|C_|_)\s*\(|translatable=\"yes\"")


def potfiles():
    return [line.strip() for line in (PO / "POTFILES").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def xgettext_args():
    """The keywords and flags csrc/po/meson.build gives xgettext, plus those
    of meson's 'glib' preset the dashboard uses."""
    text = (PO / "meson.build").read_text()
    assert "preset: 'glib'" in text
    own = re.findall(r"'(--(?:keyword|flag|from-code)[^']*)'", text)
    glib = ["--keyword=_", "--keyword=N_", "--keyword=C_:1c,2",
            "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
            "--keyword=g_dpgettext2:2c,3", "--flag=N_:1:pass-c-format",
            "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
            "--flag=g_dngettext:2:pass-c-format",
            "--flag=g_strdup_printf:1:c-format"]
    return own + glib


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """vi.po merged with a template freshly extracted from POTFILES."""
    d = tmp_path_factory.mktemp("po")
    pot, out = d / "hicov.pot", d / "merged.po"
    subprocess.run(["xgettext", *xgettext_args(), "--no-wrap",
                    f"--files-from={PO / 'POTFILES'}", f"--directory={ROOT}",
                    "-o", str(pot)], check=True, capture_output=True)
    subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--no-wrap",
                    str(PO / "vi.po"), str(pot), "-o", str(out)], check=True,
                   capture_output=True)
    return out


def entries(path):
    """(msgctxt, msgid, msgstr) of the live entries of a PO file."""
    out = subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", str(path)],
                         check=True, capture_output=True, text=True).stdout
    found = []
    for block in out.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?) (".*")$', line)
            if m:
                key = m.group(1)
                fields[key] = eval(m.group(2))  # noqa: S307 - a PO string literal
            elif line.startswith('"') and key:
                fields[key] += eval(line)  # noqa: S307
        if fields.get("msgid"):
            found.append((fields.get("msgctxt"), fields["msgid"],
                          fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return found


def test_every_msgid_has_a_vietnamese_translation(merged):
    untranslated = subprocess.run(["msgattrib", "--untranslated", "--no-obsolete",
                                   "--no-wrap", str(merged)],
                                  check=True, capture_output=True, text=True).stdout
    assert "msgid" not in untranslated, untranslated[:3000]
    fuzzy = subprocess.run(["msgattrib", "--only-fuzzy", "--no-obsolete",
                            "--no-wrap", str(merged)],
                           check=True, capture_output=True, text=True).stdout
    assert "msgid" not in fuzzy.split("\n\n", 1)[-1], fuzzy[:3000]
    # the extraction found the catalogue (about 870 messages, the claims
    # reader's included)
    assert len(entries(merged)) > 800


def test_translations_take_the_msgids_arguments(merged):
    # c-format entries (flagged by xgettext) must agree in their conversions;
    # positional arguments (%2$s) may reorder them.
    r = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(merged)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO / "vi.po")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_translations_keep_the_msgids_edges(merged):
    """Fragments joined at run time keep their spaces ("; about ", " (%s)")."""
    bad = []
    for ctxt, msgid, msgstr in entries(merged):
        lead = len(msgid) - len(msgid.lstrip(" \n"))
        trail = len(msgid) - len(msgid.rstrip(" \n"))
        if msgid[:lead] != msgstr[:lead] or (trail and msgid[-trail:] != msgstr[-trail:]):
            bad.append((ctxt, msgid, msgstr))
    assert not bad, bad


# (msgctxt, msgid) of texts about a "target" that may still say "mục tiêu",
# each with why: only a general objective, never a resolution's numeric
# target.  None yet.
TARGET_AS_OBJECTIVE = {}


def test_a_target_is_chi_tieu_and_an_indicator_chi_so():
    """The dashboard says "chỉ tiêu" for a resolution's numeric target ("98%
    insured by 2025") and "chỉ số" for an indicator; the reports, charts and
    commands say the same, so "mục tiêu" (an objective) never stands for a
    target and "chỉ tiêu" never for an indicator."""
    found = entries(PO / "vi.po")
    assert len(found) > 800
    muc_tieu = [(c, i, s) for c, i, s in found
                if re.search(r"target", i, re.I) and "mục tiêu" in s.lower()
                and (c, i) not in TARGET_AS_OBJECTIVE]
    assert not muc_tieu, muc_tieu
    chi_tieu = [(c, i, s) for c, i, s in found
                if re.search(r"\bindicators?\b", i, re.I)
                and not re.search(r"target", i, re.I)
                and "chỉ tiêu" in s.lower()]
    assert not chi_tieu, chi_tieu


def test_every_source_with_text_is_in_potfiles():
    listed = set(potfiles())
    missing = [f for f in listed if not (ROOT / f).is_file()]
    assert not missing, missing
    sources = [p for d in ("csrc", "gui", "python") for p in (ROOT / d).rglob("*")
               if p.suffix in (".c", ".ui") or p.name.endswith(".desktop.in")]
    unlisted = []
    for p in sources:
        rel = str(p.relative_to(ROOT))
        if rel in listed:
            assert rel not in NO_TEXT, rel
            continue
        if rel in NO_TEXT and not MARK.search(p.read_text()):
            continue
        # Anything else with marks, or any new file, must be decided on.
        unlisted.append(rel)
    assert not unlisted, f"add to csrc/po/POTFILES (or NO_TEXT): {unlisted}"


def test_no_unmarked_prose_in_listed_core_files(tmp_path):
    """Every literal of three or more words in a listed csrc/ file is a msgid,
    except the indicators' documented formulas and the nouns indicators.c
    builds growth labels from (whose labels text.c spells out)."""
    files = [f for f in potfiles() if f.startswith("csrc/") and f.endswith(".c")]
    every = tmp_path / "all.pot"
    subprocess.run(["xgettext", "--extract-all", "--from-code=UTF-8", "--no-wrap",
                    f"--directory={ROOT}", "-o", str(every), *files],
                   check=True, capture_output=True)
    marked = tmp_path / "marked.pot"
    subprocess.run(["xgettext", *xgettext_args(), "--no-wrap", f"--directory={ROOT}",
                    "-o", str(marked), *files], check=True, capture_output=True)
    # the marked texts: msgids, their plurals and their contexts
    text = marked.read_text(encoding="utf-8")
    msgids = {m for _, m, _ in entries(marked)}
    msgids |= {eval(q) for q in re.findall(  # noqa: S307 - PO string literals
        r'^(?:msgid_plural|msgctxt) (".*")$', text, re.M)}
    prose = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")
    formula = re.compile(r"\(P|: (?:stock|flow|distinct count)| x 100|^\w+ / ")
    # libxml2's own message, matched in its error (adx.c), never shown; the
    # PDF report's font (report-pdf.c); a _Static_assert's message, for the
    # compiler (claims-state.c)
    matched = {"Huge input lookup", "DejaVu Sans Condensed",
               "facility codes are two words"}
    left = [m for _, m, _ in entries(every)
            if m not in msgids and prose.search(m) and not formula.search(m)
            and f"Growth of {m}" not in msgids and m not in matched]
    assert not left, left
