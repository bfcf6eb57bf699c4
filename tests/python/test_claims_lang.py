"""The claims reader in Vietnamese and English: hicov.read_claims(lang=),
Claims(lang=), Claims.lang, pickling, merging, and `hicov claims` under
LANG=vi_VN.UTF-8.  Only the sentences change with the language; kind,
reason, file, record and field do not, so that accumulators read in
different languages merge and group alike.

The input: a CSV whose header (83 bytes) is followed by row A1, settled in
month 13 (rejected, field THANG_QT, at byte 83), and row A2, valid; and a
plain XML document cut off after 26 bytes, inside its TONG_HOP record
(line 1, column 27)."""

import os
import pickle
import subprocess

import pytest

import hicov

CSV = ("MA_LK,MA_CSKCB,NAM_QT,THANG_QT,MA_LOAI_KCB,T_TONGCHI_BV,T_BHTT,T_BNCCT,"
       "MA_THE_BHYT\n"
       "A1,79001,2024,13,01,100.00,80.00,20.00,DN4797932123456\n"
       "A2,79001,2024,1,01,100.00,80.00,20.00,DN4797932123456\n")
CUT = "<TONG_HOP><MA_LK>1</MA_LK>"

REJECT_VI = ("rows.csv, byte 83, hồ sơ A1, trường THANG_QT: cần tháng quyết "
             "toán (1-12), nhưng gặp '13'")
REJECT_EN = ("rows.csv, byte 83, record A1, field THANG_QT: expected the "
             "settlement month (1-12), found '13'")
FILE_VI = ("cut.xml: dòng 1, cột 27 (byte 26): tài liệu kết thúc bên trong "
           "<TONG_HOP> (bị cắt cụt?)")
FILE_EN = ("cut.xml: line 1, column 27 (byte 26): the document ends inside "
           "<TONG_HOP> (truncated?)")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "rows.csv").write_text(CSV)
    (tmp_path / "cut.xml").write_text(CUT)
    return tmp_path


def paths(d):
    return [str(d / "rows.csv"), str(d / "cut.xml")]


def messages(claims):
    r = claims.rejections
    return {(k, reason, os.path.basename(f), rec, fld): m
            for k, reason, f, rec, fld, m
            in zip(r.kind, r.reason, r.file, r.record, r.field, r.message)}


def test_read_claims_in_vietnamese(files):
    c = hicov.read_claims(paths(files), threads=1, errors="collect", lang="vi")
    assert c.lang == "vi"
    got = messages(c)
    reject = got[("reject", "malformed", "rows.csv", "A1", "THANG_QT")]
    assert reject.endswith(REJECT_VI)
    failed = got[("file", "malformed input", "cut.xml", "", "")]
    assert failed.endswith(FILE_VI)
    # the error raised carries the core's message in the language
    with pytest.raises(hicov.ParseError) as e:
        hicov.read_claims(paths(files), threads=2, lang="vi")
    assert FILE_VI in str(e.value)


def test_english_unchanged(files):
    for lang in (None, "en"):
        c = hicov.read_claims(paths(files), threads=1, errors="collect",
                              lang=lang)
        assert c.lang == lang
        got = messages(c)
        assert got[("reject", "malformed", "rows.csv", "A1",
                    "THANG_QT")].endswith(REJECT_EN)
        assert got[("file", "malformed input", "cut.xml", "", "")].endswith(
            FILE_EN)


def test_lang_is_a_setting_kept_by_pickles(files):
    c = hicov.Claims(lang="vi")
    c.read(str(files / "rows.csv"), threads=1)
    assert c.rejections.message.iloc[0].endswith(REJECT_VI)
    # later messages follow a change; earlier ones keep their language
    c.lang = "en"
    c.read(str(files / "cut.xml"), errors="collect")
    first, second = c.rejections.message
    assert first.endswith(REJECT_VI) and second.endswith(FILE_EN)
    copy = pickle.loads(pickle.dumps(c))
    assert copy.lang == "en" and copy.to_bytes() == c.to_bytes()
    assert hicov.Claims(c.to_bytes()).lang is None
    assert hicov.Claims(c.to_bytes(), lang="vi").lang == "vi"
    c.lang = None
    assert c.lang is None
    with pytest.raises(hicov.Error, match="lang must be"):
        c.lang = "fr"
    with pytest.raises(TypeError):
        c.lang = 1
    with pytest.raises(hicov.Error, match="lang must be"):
        hicov.read_claims([], lang="de")


def test_a_refused_state_in_vietnamese():
    with pytest.raises(hicov.ParseError) as e:
        hicov.Claims(b"not a state", lang="vi")
    assert ("không phải trạng thái dữ liệu hồ sơ do hicov tạo ra (không có dấu "
            "hiệu của định dạng hoặc của thứ tự byte của máy này, tại byte 0)"
            in str(e.value))


def test_languages_merge_and_group_alike(files):
    vi = hicov.read_claims(paths(files), threads=1, errors="collect", lang="vi")
    en = hicov.read_claims(paths(files), threads=1, errors="collect", lang="en")
    both = hicov.Claims()
    both.merge(vi)
    both.merge(en)
    assert both.counts.rejected_by["malformed"] == 2
    assert both.counts.rejected_by["file_refused"] == 0
    r = both.rejections
    groups = r.groupby(["kind", "reason", "field"]).size().to_dict()
    assert groups == {("file", "malformed input", ""): 2,
                      ("reject", "malformed", "THANG_QT"): 2}
    # the same through a pickle of each (the Dask path)
    again = hicov.Claims()
    again.merge(pickle.loads(pickle.dumps(vi)))
    again.merge(pickle.loads(pickle.dumps(en)))
    assert again.rejections.drop(columns="message").equals(
        r.drop(columns="message"))


def test_cli_speaks_vietnamese(files):
    build = os.environ.get("HICOV_BUILD_DIR")
    exe = os.path.join(build, "csrc", "hicov") if build else None
    if not exe or not os.access(exe, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    # relative paths: the messages name the files as given
    for lang, reject, failed, counts in (
            ("vi_VN.UTF-8", REJECT_VI, FILE_VI, "đã đọc 2, chấp nhận 1, loại 1"),
            ("C.UTF-8", REJECT_EN, FILE_EN, "read 2, accepted 1, rejected 1")):
        proc = subprocess.run([exe, "claims", "--threads", "2", "rows.csv",
                               "cut.xml"], cwd=files, capture_output=True,
                              text=True, env={**env, "LANG": lang})
        assert proc.returncode == 1, proc.stderr
        assert counts in proc.stdout
        assert f"hicov claims: {failed}\n" in proc.stderr
        assert f": {reject}\n" in proc.stderr
