"""Reasons and messages in Vietnamese or English from the one catalogue
(csrc/po/vi.po, compiled into the core): per call with lang=, per dataset
with Dataset.lang, and from the environment otherwise, whether or not the
vi_VN locale is installed.  The command speaks its environment's language."""

import os
import subprocess

import pytest

import hicov

PHU_THO = "25"  # in the demo: no own figures for 2025
# Issue 17: a unit that absorbed others names each of its predecessors
# without data (here its own territory and Hòa Bình, merged into it on
# 2025-07-01), where it said "no participants data for 25 itself" before.
VI_25 = ("không có số liệu số người tham gia trong kỳ 2025 của chính Phú Thọ, "
         "Hòa Bình (sáp nhập vào Phú Thọ từ 2025-07-01)")
EN_25 = ("no participants data in 2025 for Phú Thọ itself, Hòa Bình "
         "(merged into Phú Thọ on 2025-07-01)")


@pytest.fixture
def lang_env(monkeypatch):
    """Sets the environment's language (gettext's variables) for a test."""
    def set_env(lang, language=None):
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", lang)
        if language is not None:
            monkeypatch.setenv("LANGUAGE", language)
    return set_env


def test_reason_in_the_language_asked(demo, lang_env):
    for env in ("C.UTF-8", "vi_VN.UTF-8"):
        lang_env(env)
        assert demo.reason("coverage_rate", PHU_THO, "2025", lang="vi") == VI_25
        assert demo.reason("coverage_rate", PHU_THO, "2025", lang="en") == EN_25
        r = demo.result("fund_balance", "22", "2025-01/2025-10", lang="vi")
        assert r.status == "missing"
        assert r.reason == "không có số liệu số thu quỹ BHYT của Quảng Ninh (22)"
        r = demo.value("fund_balance", "22", "2025-01/2025-10", detail=True,
                       lang="en")
        assert r.reason == "no fund_revenue data for Quảng Ninh (22)"
    # one call's language does not stay on the dataset
    assert demo.lang is None


def test_reason_follows_the_environment_without_a_locale(demo, lang_env):
    # vi_XX is no installed locale: the environment still asks Vietnamese.
    lang_env("vi_XX.UTF-8")
    assert demo.reason("coverage_rate", PHU_THO, "2025") == VI_25
    lang_env("C.UTF-8")
    assert demo.reason("coverage_rate", PHU_THO, "2025") == EN_25
    lang_env("en_US.UTF-8", language="vi")
    assert demo.reason("coverage_rate", PHU_THO, "2025") == VI_25


def test_dataset_lang(lang_env):
    lang_env("C.UTF-8")
    ds = hicov.demo()
    assert ds.lang is None
    ds.lang = "vi"
    assert ds.lang == "vi"
    assert ds.reason("coverage_rate", PHU_THO, "2025") == VI_25
    assert ds.reason("coverage_rate", PHU_THO, "2025", lang="en") == EN_25
    assert ds.lang == "vi"
    with pytest.raises(hicov.NotFoundError, match="không có chỉ số 'nope'"):
        ds.value("nope", "20", "2024")
    ds.lang = None
    with pytest.raises(hicov.NotFoundError, match="unknown indicator 'nope'"):
        ds.value("nope", "20", "2024")
    with pytest.raises(hicov.InvalidError):
        ds.lang = "fr"
    with pytest.raises(hicov.InvalidError):
        ds.reason("coverage_rate", PHU_THO, "2025", lang="fr")
    with pytest.raises(TypeError):
        ds.lang = 1


def test_frames_in_the_language_asked(demo, lang_env):
    lang_env("C.UTF-8")
    t = demo.table("coverage_rate", "2025", level="province", parent="VN",
                   lang="vi")
    assert t.loc[PHU_THO, "reason"] == VI_25
    found = demo.check(lang="vi")
    assert found.message[0] == "Việt Nam (VN), dân số: không có giá trị năm " \
                               "nào trong kỳ 2010–2014"
    assert demo.check(lang="en").message[0] == \
        "Việt Nam (VN), population: no annual value for 2010–2014"
    res = {"body": "X", "number": "1", "title": "T", "term": (2025, 2030),
           "targets": [{"indicator": "coverage_rate", "unit": PHU_THO,
                        "threshold": 95, "deadline": 2030}]}
    assert demo.assess(res, lang="vi").reason.tolist() == [
        "không có giá trị năm của coverage_rate cho Phú Thọ (25)"]
    assert demo.assess(res, lang="en").reason.tolist() == [
        "no annual value of coverage_rate for Phú Thọ (25)"]
    # the change fails on its first period, 2024 on 2025's boundaries (the
    # reason names the period since issue 17)
    assert demo.change("coverage_rate", PHU_THO, "2024", "2025", detail=True,
                       lang="vi").reason == VI_25.replace("2025 của", "2024 của")


def test_report_sentences_give_reasons_in_their_language(demo, lang_env):
    lang_env("C.UTF-8")
    res = {"body": "X", "number": "1", "title": "T", "term": (2025, 2030),
           "targets": [{"indicator": "coverage_rate", "unit": PHU_THO,
                        "threshold": 95, "deadline": 2030}]}
    r = demo.report(res, lang="vi")
    assert r.sentences("vi") == [
        "Chưa có số liệu về tỷ lệ bao phủ của Phú Thọ để đánh giá chỉ tiêu 95% "
        "đến năm 2030 (không có giá trị năm của coverage_rate cho Phú Thọ (25))."]
    assert r.sentences("en") == [
        "There are no figures on health-insurance coverage for Phú Thọ to "
        "assess the target of 95% by 2030 (no annual value of coverage_rate "
        "for Phú Thọ (25))."]


def test_load_messages_in_the_language_asked(tmp_path, lang_env):
    lang_env("C.UTF-8")
    (tmp_path / "units.csv").write_text("code,name,parent,level\nP,Tỉnh,,province\n")
    (tmp_path / "values.csv").write_text(
        "unit,period,measure,value\nP,2024,population,1\nP,20x4,population,1\n")
    ds = hicov.load(str(tmp_path), strict=False, lang="vi")
    assert ds.lang == "vi"
    assert ds.rejections.message.tolist()[-1] == (
        "values.csv dòng 3, cột 2 (period): cần kỳ dạng 2024, 2024-Q3, "
        "2024-10 hoặc 2025-01/2025-10, nhưng gặp '20x4'")
    with pytest.raises(hicov.ParseError, match="values.csv line 3, column 2"):
        hicov.load(str(tmp_path), lang="en")
    with pytest.raises(hicov.InvalidError):
        hicov.load(str(tmp_path), lang="xx")


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def run_cli(args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean.update(env)
    return subprocess.run([cli(), *args], capture_output=True, text=True,
                          env=clean, check=True).stdout


@pytest.mark.parametrize("lang", ["vi_VN.UTF-8", "vi_XX.UTF-8"])
def test_cli_summary_in_vietnamese(lang):
    out = run_cli(["summary", "--unit", PHU_THO, "--period", "2025"], LANG=lang)
    assert f"bao phủ %, tham gia, tăng điểm %, tăng %: {VI_25}\n" in out
    assert "không có số liệu lượt khám chữa bệnh của chính Phú Thọ (25)\n" in out
    assert "Kết quả kiểm tra chất lượng số liệu:" in out
    assert "no participants data" not in out
    # Lạng Sơn 2024: 94.1% and 764,769 participants, as Vietnamese write
    # numbers; English (below) keeps them plain for scripts
    out = run_cli(["summary", "--unit", "20", "--period", "2024"], LANG=lang)
    row = next(l for l in out.splitlines() if l.startswith("20 "))
    assert row.split()[-7:-5] == ["94,10", "764.769"]
    out = run_cli(["summary", "--unit", "20", "--period", "2024"],
                  LANG="C.UTF-8")
    row = next(l for l in out.splitlines() if l.startswith("20 "))
    assert row.split()[-7:-5] == ["94.10", "764769"]


def test_cli_summary_in_english():
    out = run_cli(["summary", "--unit", PHU_THO, "--period", "2025"],
                  LANG="C.UTF-8")
    assert f"coverage %, insured, change pts, growth %: {EN_25}\n" in out
    assert "Data-quality findings:" in out
    out = run_cli(["summary", "--unit", PHU_THO, "--period", "2025"],
                  LANG="vi_VN.UTF-8", LANGUAGE="en")
    assert EN_25 in out


def test_labels_from_the_core(lang_env):
    lang_env("C.UTF-8")
    assert hicov.group_label("HN", lang="vi") == "Hộ nghèo"
    assert hicov.group_label("HN", lang="en") == "Poor households"
    assert hicov.group_label("HN") == "Poor households"
    assert hicov.group_label("ZZ", lang="vi") is None
    assert hicov.level_label("province", lang="vi") == "Tỉnh"
    assert hicov.level_label(3, lang="en") == "Commune"
    assert hicov.indicator_label("coverage_rate", lang="vi") == "Tỷ lệ bao phủ BHYT"
    assert hicov.indicator_label("coverage_rate", lang="en") == "Coverage rate"
    assert hicov.text_lang() == "en"
    lang_env("vi_XX.UTF-8")
    assert hicov.text_lang() == "vi"
    assert hicov.group_label("CN") == "Hộ cận nghèo"
    assert hicov.text_lang("en") == "en"
    assert hicov.text_lang("vi") == "vi"
    # like every lang=: 'vi', 'en' or None, nothing silently taken for 'en'
    for lang in ("fr", "", "vi_VN"):
        with pytest.raises(hicov.InvalidError,
                           match=f"^lang must be 'vi', 'en' or None, not '{lang}'$"):
            hicov.text_lang(lang)
    with pytest.raises(hicov.InvalidError):
        hicov.level_label("region")
    with pytest.raises(hicov.NotFoundError):
        hicov.indicator_label("nope")
    with pytest.raises(hicov.InvalidError):
        hicov.group_label("HN", lang="de")
    # every group the demo holds has a Vietnamese name of its own
    demo = hicov.demo()
    assert all(hicov.group_label(g, "vi") not in (None, hicov.group_label(g, "en"))
               for g in demo.groups if g != "UNK")
