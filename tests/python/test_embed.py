"""csrc/po/embed.py, which compiles vi.po into the core's table: entries,
contexts and plural forms.  The table keeps one form per entry, so a plural
entry is accepted only from a catalogue whose Plural-Forms says nplurals=1
(hicov_ntext relies on it)."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
EMBED = ROOT / "csrc" / "po" / "embed.py"

HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals={n}; plural={rule};\\n"

'''

ENTRIES = '''msgid "Target"
msgstr "Chỉ tiêu"

msgctxt "standard chart"
msgid "Target"
msgstr "Mục tiêu"

#, c-format
msgid "%zu unit"
msgid_plural "%zu units"
msgstr[0] "%zu đơn vị"

#, fuzzy, c-format
msgid "%zu row"
msgid_plural "%zu rows"
msgstr[0] "%zu dòng"
'''


def embed(tmp_path, po_text):
    po = tmp_path / "vi.po"
    po.write_text(po_text, encoding="utf-8")
    out = tmp_path / "text-vi.c"
    r = subprocess.run([sys.executable, str(EMBED), str(out), str(po)],
                       capture_output=True, text=True)
    return r, out.read_text(encoding="utf-8") if out.exists() else None


def test_plural_entries_give_their_one_form(tmp_path):
    r, c = embed(tmp_path, HEADER.format(n=1, rule="0") + ENTRIES)
    assert r.returncode == 0, r.stderr
    # keyed by the singular msgid; a context is glued with \004 (\\004 in C)
    assert '{ "%zu unit",\n    "%zu đơn vị" },' in c
    assert '{ "Target",\n    "Chỉ tiêu" },' in c
    assert '{ "standard chart\\004Target",\n    "Mục tiêu" },' in c
    # a fuzzy entry falls back to English, as with gettext
    assert "%zu row" not in c
    assert "hicov_text_vi_count = 3;" in c


def test_a_language_with_two_forms_is_refused(tmp_path):
    r, c = embed(tmp_path, HEADER.format(n=2, rule="(n != 1)") + ENTRIES)
    assert r.returncode != 0
    assert "'%zu unit'" in r.stderr and "nplurals=1" in r.stderr
    assert c is None
    # without a plural entry the table has no use for the forms
    r, c = embed(tmp_path, HEADER.format(n=2, rule="(n != 1)")
                 + ENTRIES.split("#, c-format")[0])
    assert r.returncode == 0, r.stderr
    assert "hicov_text_vi_count = 2;" in c


def test_the_catalogue_embeds(tmp_path):
    r, c = embed(tmp_path, (ROOT / "csrc" / "po" / "vi.po").read_text(encoding="utf-8"))
    assert r.returncode == 0, r.stderr
    assert '{ "The %zu lowest of %zu unit",\n    "%zu đơn vị thấp nhất trong %zu đơn vị" },' in c
