"""The texts of charts and of the PDF report come from the one catalogue
(csrc/po/vi.po) in the language asked for with lang=, whatever the
process's language: titles, legends, axis texts, target and deadline
labels, the empty text, the report's findings.  Group and indicator names
are the core's (hicov.group_label, hicov.indicator_label), periods the
dashboard's.

cairo's SVG surface writes text as glyph outlines, so the texts are read
from the PDF the same drawing code produces (poppler's pdftotext)."""

import re
import shutil
import subprocess

import pytest

import hicov

# (LANG, LANGUAGE) of the process: C, Vietnamese, English asking for
# Vietnamese, and a Vietnamese locale that is not installed asking for
# English.
ENVIRONMENTS = [("C.UTF-8", None), ("vi_VN.UTF-8", None),
                ("en_US.UTF-8", "vi"), ("vi_XX.UTF-8", "en")]


@pytest.fixture(params=ENVIRONMENTS, ids=lambda e: "+".join(filter(None, e)))
def environment(request, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    lang, language = request.param
    monkeypatch.setenv("LANG", lang)
    if language:
        monkeypatch.setenv("LANGUAGE", language)
    return request.param


def pdf_text(path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                         check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def text_of(chart, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    chart.save(path, width=700, height=400)
    return pdf_text(path)


# What each language must show, and the other language's words that must
# not appear.
WORDS = {
    "vi": {"target": "Chỉ tiêu", "deadline": "Hạn", "projection": "Dự báo (xu hướng)",
           "synthetic": "Đơn vị tổng hợp (dữ liệu minh họa)",
           "groups": "Người tham gia theo nhóm đối tượng", "other": "Nhóm khác",
           "fund": "Thu và chi quỹ BHYT", "no_data": "Không có dữ liệu",
           "coverage": "Tỷ lệ bao phủ BHYT", "jan_oct": "Tháng 1–10/{}",
           "month": "Tháng 10/2024", "quarter": "Quý 3/2024", "money": "đồng"},
    "en": {"target": "Target", "deadline": "Deadline", "projection": "Projection (trend)",
           "synthetic": "Synthetic units (illustrative data)",
           "groups": "Participants by beneficiary group", "other": "Other groups",
           "fund": "Fund revenue and spending", "no_data": "No data",
           "coverage": "Health-insurance coverage", "jan_oct": "Jan–Oct {}",
           "month": "October 2024", "quarter": "Q3 2024", "money": "VND"},
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chart_texts_in_the_language_asked(demo, tmp_path, environment, lang):
    w, other = WORDS[lang], WORDS["en" if lang == "vi" else "vi"]

    # the trend to the 2030 deadline: title, legend, target and deadline
    text = text_of(demo.chart_coverage("20", demo.resolutions[1], lang=lang),
                   tmp_path, "trend")
    assert f"{w['coverage']} — Lạng Sơn" in text
    assert w["projection"] in text and other["projection"] not in text
    assert f"{w['target']} 2030" in text and f"{w['deadline']} 2030" in text

    # the ranking: the core's indicator label, the target line, the note on
    # synthetic communes
    text = text_of(demo.chart_ranked("coverage_rate", "2024", "20", target=98.0,
                                     lang=lang), tmp_path, "ranked")
    label = hicov.indicator_label("coverage_rate", lang)
    assert f"{label} — Lạng Sơn, 2024" in text
    assert f"{w['target']}:" in text
    assert w["synthetic"] in text and other["synthetic"] not in text

    # the groups: the dashboard's title, the core's group names in the
    # legend, "Other groups"
    text = text_of(demo.chart_groups("participants", "20", ["2023", "2024"],
                                     lang=lang), tmp_path, "groups")
    assert f"{w['groups']} — Lạng Sơn" in text
    named = [g for g in demo.groups if hicov.group_label(g, lang) in text]
    assert len(named) == 5, named  # the five largest, then the rest
    assert all(hicov.group_label(g, "vi" if lang == "en" else "en") not in text
               for g in named)
    assert w["other"] in text and other["other"] not in text

    # columns: the core's indicator label, period labels on the axis, the
    # money unit
    periods = ["2024-01/2024-10", "2025-01/2025-10", "2024-10", "2024-Q3"]
    text = text_of(demo.chart_columns("cost_per_visit", "22", periods, lang=lang),
                   tmp_path, "columns")
    assert f"{hicov.indicator_label('cost_per_visit', lang)} — Quảng Ninh" in text
    for label in (w["jan_oct"].format(2024), w["jan_oct"].format(2025),
                  w["month"], w["quarter"]):
        assert label in text
    assert other["jan_oct"].format(2025) not in text
    assert re.search(rf"^{w['money']}$", text, re.M)

    # an empty chart says so
    text = text_of(demo.chart_revenue_spending("22", ["2024"], lang=lang),
                   tmp_path, "fund")
    assert f"{w['fund']} — Quảng Ninh" in text
    assert w["no_data"] in text and other["no_data"] not in text
    text = text_of(demo.chart_columns("visits", "20", ["1999"], lang=lang),
                   tmp_path, "empty")
    assert f"{hicov.indicator_label('visits', lang)} — Lạng Sơn" in text
    assert w["no_data"] in text


def test_the_charts_language_can_change(demo, tmp_path, environment):
    # The built-in texts follow Chart.lang; the caller's title stays.
    c = demo.chart_columns("visits", "20", ["1999"], lang="vi")
    c.lang = "en"
    text = text_of(c, tmp_path, "en")
    assert "No data" in text and "Không có dữ liệu" not in text
    assert "Lượt khám chữa bệnh BHYT — Lạng Sơn" in text


def test_report_findings_in_the_report_language(demo, tmp_path, environment):
    for lang, intro, bullet in (
            ("vi", r"Các kiểm tra chất lượng số liệu có (\d+) phát hiện về Lạng "
                   r"Sơn và các đơn vị trực thuộc:",
             r"• Thiếu số liệu năm: (\d+) \((\d+) lỗi\)"),
            ("en", r"The data-quality checks made (\d+) findings? about Lạng Sơn "
                   r"and the units below it:",
             r"• Missing year: (\d+) \((\d+) errors?\)")):
        path = tmp_path / f"report-{lang}.pdf"
        demo.report(0, lang=lang).to_pdf(path)
        text = " ".join(pdf_text(path).split())  # lines joined as wrapped
        m, b = re.search(intro, text), re.search(bullet, text)
        assert m and b, text[text.find("•") - 300:text.find("•") + 200]
        # every finding of the demo is a missing year, none an error
        assert int(b.group(1)) == int(m.group(1)) > 0 and b.group(2) == "0"
        assert "missing_year" not in text
