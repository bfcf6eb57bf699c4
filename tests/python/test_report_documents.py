"""Reports an office can submit: a 200-commune province with four targets
(tests/python/province200.py) through `hicov report`, its PDF (every
target's statements, a commune table, a title page that sums up all four),
the administrative document as ODT and DOCX (well-formed parts, opened by
LibreOffice Writer with the parts in order), byte-identical output from the
same SOURCE_DATE_EPOCH, and the files of one command written as a set."""

import os
import re
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile

import pytest

import hicov
import province200

BUILD = os.environ.get("HICOV_BUILD_DIR")
CLI = os.path.join(BUILD, "csrc", "hicov") if BUILD else None
EPOCH = "1796630400"  # 2026-12-07T08:00:00Z: 15:00 in Viet Nam
OUTPUTS = ("xml", "html", "pdf", "odt", "docx")

ISSUER = """<?xml version="1.0" encoding="UTF-8"?>
<issuer xmlns="urn:hicov:issuer:1" version="1">
  <parent-agency>BẢO HIỂM XÃ HỘI VIỆT NAM</parent-agency>
  <agency>BẢO HIỂM XÃ HỘI TỈNH THỬ NGHIỆM</agency>
  <number>15/BC-BHXH</number>
  <place>Thử Nghiệm</place>
  <signer>
    <authority>KT. GIÁM ĐỐC</authority>
    <title>PHÓ GIÁM ĐỐC</title>
    <name>Nguyễn Văn An</name>
  </signer>
  <recipients>
    <recipient>Tỉnh ủy Thử Nghiệm (để b/c)</recipient>
    <recipient>Thường trực HĐND tỉnh (để b/c)</recipient>
    <archive>VT, KHTC</archive>
  </recipients>
</issuer>
"""

needs_cli = pytest.mark.skipif(not CLI or not os.path.exists(CLI),
                               reason="the hicov CLI is not built (HICOV_BUILD_DIR)")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) not installed")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = province200.write(tmp_path_factory.mktemp("province"))
    (folder / "issuer.xml").write_text(ISSUER, encoding="utf-8")
    return folder


def run_report(folder, out, env=None, extra=()):
    """`hicov report` on the province into out/r.*; returns the process."""
    out.mkdir(parents=True, exist_ok=True)
    args = [CLI, "report", "--data", str(folder), "--resolution",
            str(folder / "resolution.xml"), "--issuer",
            str(folder / "issuer.xml"), "--quiet", *extra]
    for kind in OUTPUTS:
        args += ["-o" if kind == "xml" else f"--{kind}", str(out / f"r.{kind}")]
    e = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **(env or {}))
    return subprocess.run(args, env=e, capture_output=True, text=True)


@pytest.fixture(scope="module")
def outputs(province, tmp_path_factory):
    if not CLI or not os.path.exists(CLI):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    out = tmp_path_factory.mktemp("out")
    p = run_report(province, out)
    assert p.returncode == 0, p.stderr
    return out


def pdf_text(path, first=None, last=None):
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def squash(text):
    return re.sub(r"\s+", " ", text)


# ---- The PDF ---------------------------------------------------------------

@needs_cli
@needs_poppler
def test_pdf_has_every_target_and_a_commune_table(province, outputs):
    report = ET.parse(outputs / "r.xml").getroot()
    ns = {"r": "urn:hicov:report:1"}
    targets = report.findall("r:assessments/r:target", ns)
    assert len(targets) == 4
    text = squash(pdf_text(outputs / "r.pdf"))
    # every target's statements: the summary of the commune target and
    # the statement of each province-level target (those the old PDF cut);
    # compared without spaces, which justified lines break anywhere
    bare = re.sub(r"\s+", "", text)
    for t in targets:
        heads = t.findall("r:statement[@lang='vi']", ns)
        for st in heads:
            assert re.sub(r"\s+", "", st.text) in bare, st.text[:80]
        if not heads:
            [a] = t.findall("r:assessment", ns)
            st = a.find("r:statement[@lang='vi']", ns).text
            assert re.sub(r"\s+", "", st) in bare, st[:80]
    # the commune table: all 200 rows, the last commune included
    assert "Bảng 1: Tất cả các xã: Tỷ lệ bao phủ BHYT ≥ 95% đến năm 2025, theo từng xã" in text
    last = report.findall("r:assessments/r:target[@target='1']/r:assessment", ns)[-1]
    assert len(report.findall("r:assessments/r:target[@target='1']/r:assessment", ns)) == 200
    assert re.search(r"200 " + re.escape(last.get("unit-name")) + r" \d", text)
    # the ranking says it shows 30 of 200 and where the rest is
    assert "Biểu đồ thể hiện 30 xã xa chỉ tiêu nhất trong tổng số 200" in text


@needs_cli
@needs_poppler
def test_pdf_title_page_sums_up_all_four(outputs):
    page1 = squash(pdf_text(outputs / "r.pdf", 1))
    # the official header, in Viet Nam's date
    # (the agency wraps in its column: "... TỈNH THỬ" / "NGHIỆM")
    for part in ("BẢO HIỂM XÃ HỘI TỈNH THỬ", "Số: 15/BC-BHXH",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Thử Nghiệm, ngày 07 tháng 12 năm 2026", "BÁO CÁO"):
        assert part in page1, part
    # a line per target: the province's figure, x/200 communes, the verdict
    ns = {"r": "urn:hicov:report:1"}
    report = ET.parse(outputs / "r.xml").getroot()
    achieved = int(report.find("r:assessments/r:target[@target='1']", ns).get("achieved"))
    assert f"{achieved}/200 xã đạt" in page1
    assert "Tất cả các xã: Tỷ lệ bao phủ BHYT ≥ 95%" in page1
    assert "Tỷ lệ bao phủ BHYT ≥ 98% đến năm 2030" in page1
    assert "Chi phí bình quân/lượt KCB ≤ 1,30 triệu đồng đến năm 2030" in page1
    assert "tăng bình quân ≤ 5%/năm" in page1
    assert page1.count("Ước không đạt") >= 1 and "Có nguy cơ" in page1
    # the issuing agency is the reporting office, not the council
    assert "Hội đồng nhân dân tỉnh Thử Nghiệm" not in page1.split("BÁO CÁO")[0]


@needs_cli
def test_pdf_dates_are_the_reports(outputs):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) not installed")
    info = subprocess.run(["pdfinfo", "-isodates", str(outputs / "r.pdf")],
                          check=True, capture_output=True, text=True).stdout
    assert re.search(r"CreationDate:\s+2026-12-07T08:00:00", info), info
    assert re.search(r"ModDate:\s+2026-12-07T08:00:00", info), info


# ---- The documents -----------------------------------------------------------

@needs_cli
def test_odt_parts(outputs):
    with zipfile.ZipFile(outputs / "r.odt") as z:
        infos = z.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert z.testzip() is None
        for name in ("content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"):
            ET.fromstring(z.read(name))  # well-formed
        manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
        listed = {e.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path")
                  for e in manifest}
        assert set(z.namelist()) - {"mimetype", "META-INF/manifest.xml"} <= listed
        pictures = [n for n in z.namelist() if n.startswith("Pictures/")]
        assert len(pictures) == 5  # four trends and the communes' ranking
        content = z.read("content.xml").decode("utf-8")
        for p in pictures:
            assert f'xlink:href="{p}"' in content
        styles = z.read("styles.xml").decode("utf-8")
    assert 'svg:font-family="\'Times New Roman\'"' in styles
    assert 'fo:margin-left="30mm"' in styles and 'fo:margin-right="15mm"' in styles
    assert "text:page-number" in styles


@needs_cli
def test_docx_parts(outputs):
    with zipfile.ZipFile(outputs / "r.docx") as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = ET.fromstring(z.read("[Content_Types].xml"))
        ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        overrides = {e.get("PartName").lstrip("/") for e in types.iter(ct + "Override")}
        defaults = {e.get("Extension") for e in types.iter(ct + "Default")}
        for name in names:
            assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))
        rel = "{http://schemas.openxmlformats.org/package/2006/relationships}"
        for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
            for r in ET.fromstring(z.read(rels)).iter(rel + "Relationship"):
                assert base + r.get("Target") in names, r.get("Target")
        doc = z.read("word/document.xml").decode("utf-8")
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:ascii="Times New Roman"' in styles
    assert "<w:titlePg/>" in doc and 'w:left="1701"' in doc  # 30 mm
    assert doc.count("<w:drawing>") == 5
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 15/BC-BHXH",
                 "Thử Nghiệm, ngày 07 tháng 12 năm 2026", "Nguyễn Văn An",
                 "- Lưu: VT, KHTC.", "[Phần cơ quan báo cáo viết: "):
        assert part in doc, part


# The parts of an administrative document as Writer prints them: the
# header's two columns (read side by side, in either order), then the rest
# in order.
HEADER = ["BẢO HIỂM XÃ HỘI VIỆT NAM", "BẢO HIỂM XÃ HỘI TỈNH THỬ",
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Số: 15/BC-BHXH", "Thử Nghiệm, ngày 07 tháng 12 năm 2026"]
ORDER = ["BÁO CÁO",
         "Kết quả thực hiện các chỉ tiêu về bảo hiểm y tế",
         "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "1. Tất cả các xã",
         "2. Tỷ lệ bao phủ BHYT ≥ 98%", "3. Chi phí bình quân/lượt KCB ≤",
         "4. Chi phí bình quân/lượt KCB: tăng bình quân", "II. TỒN TẠI, HẠN CHẾ",
         "III. NGUYÊN NHÂN", "IV. NHIỆM VỤ, GIẢI PHÁP", "V. KIẾN NGHỊ, ĐỀ XUẤT",
         "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
         "PHỤ LỤC: SỐ LIỆU CHI TIẾT", "Bảng 1:"]


@needs_cli
@needs_poppler
@pytest.mark.parametrize("kind", ["odt", "docx"])
def test_libreoffice_opens_the_document(outputs, tmp_path, kind):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice Writer (libreoffice-writer-nogui) not installed")
    profile = tmp_path / "profile"
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}",
                        "--headless", "--convert-to", "pdf", "--outdir",
                        str(tmp_path), str(outputs / f"r.{kind}")],
                       check=True, capture_output=True, timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail("LibreOffice did not convert the document in 240 s")
    pdf = tmp_path / "r.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    text = squash(pdf_text(pdf))
    title = text.find("BÁO CÁO")
    for part in HEADER:
        assert 0 <= text.find(part) < title, part
    at = 0
    for part in ORDER:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing or out of order after {text[at:at+200]!r}"
        at = found + len(part)
    # the first page has no page number, the second has "2" at the top
    assert not pdf_text(pdf, 1).lstrip().startswith("1")
    assert pdf_text(pdf, 2).lstrip().startswith("2")
    # the charts came through as images
    if shutil.which("pdfimages"):
        images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True,
                                capture_output=True, text=True).stdout
        assert len(images.strip().splitlines()) - 2 >= 5, images
    # page images for a person to look at (kept with the test's files)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3",
                        str(pdf), str(tmp_path / f"{kind}-page")], check=True)
        pages = sorted(tmp_path.glob(f"{kind}-page-*.png"))
        assert len(pages) == 3 and all(p.stat().st_size > 5000 for p in pages)


@needs_cli
@needs_poppler
def test_tables_show_money_alike_in_every_document(outputs):
    # a cost column reaching a billion đồng reads in tỷ đồng with one
    # decimal in the PDF, the ODT and the DOCX alike (full đồng, 15 digits,
    # broke over two lines in the editable documents)
    def text(kind, part):
        with zipfile.ZipFile(outputs / f"r.{kind}") as z:
            return re.sub(r"<[^>]+>", " ", z.read(part).decode("utf-8"))
    odt = text("odt", "content.xml")
    docx = text("docx", "word/document.xml")
    pdf = squash(pdf_text(outputs / "r.pdf"))
    heads = odt.count("(tỷ đồng)")
    assert heads >= 1 and docx.count("(tỷ đồng)") == heads
    assert "tỷ đồng)" in pdf
    # no amount written out in full đồng with hundredths (607.929.510.000,00)
    for kind_text in (odt, docx):
        assert not re.search(r"\b\d{1,3}(?:\.\d{3}){3,},\d{2}\b", kind_text)


@needs_cli
@needs_poppler
def test_unit_gaps_read_in_points_in_every_document(outputs):
    # the commune table's gap column: "2,5 điểm %", as the sentences say
    # it, in the PDF, the ODT and the DOCX alike (a bare "2,5" before)
    def cells(kind, part):
        with zipfile.ZipFile(outputs / f"r.{kind}") as z:
            xml = z.read(part).decode("utf-8")
        return [re.sub(r"<[^>]+>", "", c) for c in
                re.findall(r"<(?:table:table-cell|w:tc)\b.*?</(?:table:table-cell|w:tc)>",
                           xml, re.S)]
    for kind, part in (("odt", "content.xml"), ("docx", "word/document.xml")):
        gaps = [c for c in cells(kind, part) if re.fullmatch(r"\d+,\d điểm %", c)]
        assert len(gaps) == 200, kind  # one a commune
        assert "0,0 điểm %" in gaps  # the met ones too
    pdf = pdf_text(outputs / "r.pdf")
    assert len(re.findall(r"\d+,\d điểm %", pdf)) >= 200


@needs_cli
@needs_poppler
def test_pdf_digests_are_whole(outputs):
    # each input's SHA-256 on one line, no hyphen put in to break it
    text = pdf_text(outputs / "r.pdf")
    digests = re.findall(r"^(?:SHA-256 )?([0-9a-f]{64})$", text, re.M)
    assert len(digests) == 3, text[-1500:]


# ---- Reproducible, consistent output -------------------------------------------

@needs_cli
def test_same_source_date_epoch_same_bytes(province, outputs, tmp_path):
    again = tmp_path / "again"
    # another run, in another time zone and locale: the same bytes
    p = run_report(province, again, env={"TZ": "America/New_York",
                                         "LC_ALL": "C.UTF-8"})
    assert p.returncode == 0, p.stderr
    for kind in OUTPUTS:
        assert (again / f"r.{kind}").read_bytes() == (outputs / f"r.{kind}").read_bytes(), kind
    # and --time overrides SOURCE_DATE_EPOCH, everywhere
    later = tmp_path / "later"
    p = run_report(province, later, extra=["--time", "2026-12-08"])
    assert p.returncode == 0, p.stderr
    for kind in OUTPUTS:
        assert (later / f"r.{kind}").read_bytes() != (outputs / f"r.{kind}").read_bytes(), kind
    assert "ngày 08 tháng 12 năm 2026" in (later / "r.xml").read_text(encoding="utf-8")


def entries(folder):
    return sorted(p.name for p in folder.iterdir())


@needs_cli
def test_a_failure_leaves_the_previous_set(province, outputs, tmp_path):
    out = tmp_path / "set"
    out.mkdir()
    old = {k: f"old {k}".encode() for k in OUTPUTS}
    for k in OUTPUTS:
        (out / f"r.{k}").write_bytes(old[k])
    (out / "r.docx").unlink()
    (out / "r.docx").mkdir()  # the last file cannot be written
    p = run_report(province, out)
    assert p.returncode == 1 and "r.docx" in p.stderr, p.stderr
    for k in OUTPUTS[:-1]:
        assert (out / f"r.{k}").read_bytes() == old[k], k
    assert entries(out) == [f"r.{k}" for k in sorted(OUTPUTS)]  # nothing else


@needs_cli
def test_an_interrupt_leaves_one_whole_set(province, outputs, tmp_path):
    """SIGTERM at any moment: the files are all the old ones or all the
    new ones, and no temporary file is left."""
    new = {k: (outputs / f"r.{k}").read_bytes() for k in OUTPUTS}
    seen = set()
    for trial, delay in enumerate((0.05, 0.2, 0.4, 0.7, 1.0, 1.5, 2.5)):
        out = tmp_path / f"t{trial}"
        out.mkdir()
        for k in OUTPUTS:
            (out / f"r.{k}").write_bytes(b"old")
        args = [CLI, "report", "--data", str(province), "--resolution",
                str(province / "resolution.xml"), "--issuer",
                str(province / "issuer.xml"), "--quiet"]
        for k in OUTPUTS:
            args += ["-o" if k == "xml" else f"--{k}", str(out / f"r.{k}")]
        proc = subprocess.Popen(args, env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        contents = {k: (out / f"r.{k}").read_bytes() for k in OUTPUTS}
        state = ("old" if all(v == b"old" for v in contents.values()) else
                 "new" if contents == new else "mixed")
        assert state != "mixed", (delay, {k: len(v) for k, v in contents.items()})
        assert entries(out) == [f"r.{k}" for k in sorted(OUTPUTS)], entries(out)
        seen.add(state)
    print("states seen:", seen)


# ---- Python ------------------------------------------------------------------

def test_python_documents(province, tmp_path):
    ds = hicov.load(str(province))
    res = hicov.load_resolution(province / "resolution.xml")
    rep = ds.report(res, time=int(EPOCH))
    rep.set_issuer(province / "issuer.xml", number="16/BC-BHXH")
    rep.save_docx(tmp_path / "r.docx")
    rep.save_odt(tmp_path / "r.odt")
    assert (tmp_path / "r.docx").read_bytes() == rep.to_docx()
    with zipfile.ZipFile(tmp_path / "r.odt") as z:
        assert "16/BC-BHXH" in z.read("content.xml").decode("utf-8")
    rep.save_all(xml=tmp_path / "a.xml", pdf=tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == rep.pdf_bytes()
    assert entries(tmp_path) == ["a.pdf", "a.xml", "r.docx", "r.odt"]
    with pytest.raises(hicov.FileError):
        rep.save_all(xml=tmp_path / "b.xml", pdf=tmp_path / "missing" / "b.pdf")
    assert not (tmp_path / "b.xml").exists()
    with pytest.raises(TypeError):
        rep.set_issuer(agncy="x")
    rep.set_issuer()  # cleared: marked places again
    with zipfile.ZipFile(__import__("io").BytesIO(rep.to_docx())) as z:
        assert "[CƠ QUAN BÁO CÁO]" in z.read("word/document.xml").decode("utf-8")


def test_python_target_kinds(province):
    """Targets of every kind from dicts, and what the assessments say."""
    ds = hicov.load(str(province))
    res = hicov.Resolution(body="HĐND", number="1/NQ", term=(2020, 2030), targets=[
        {"indicator": "cost_per_visit", "unit": "99", "kind": "growth",
         "comparison": "at_most", "threshold": 5, "deadline": 2025, "baseline": 2020},
        {"indicator": "coverage_rate", "unit": "99", "level": "commune",
         "units_share": 50, "threshold": 95, "deadline": 2025},
    ])
    d = res.as_dict()["targets"]
    assert d[0]["kind"] == "growth" and d[1]["units_share"] == 50.0
    assert hicov.Resolution(res.as_dict()).as_dict() == res.as_dict()
    rep = ds.report(res, time=int(EPOCH))
    growth = rep.assessments[0]
    # cost per visit 1,000,000 x 1.04^(year - 2020) x (1 + (k % 9)/100) per
    # commune: the province's average grows by 4% a year exactly
    assert growth["measure_value"] == pytest.approx(4.0, abs=1e-3)
    assert growth["status"] == "achieved" and growth["status_label"] == "Đã đạt"
    communes = rep.assessments[1:]
    assert len(communes) == 200
    met = sum(a["status"] == "achieved" for a in communes)
    assert all(a["estimated"] for a in communes)  # 2025 participants: ước tính
    root = ET.fromstring(rep.xml.encode())
    t2 = root.find("{urn:hicov:report:1}assessments/{urn:hicov:report:1}target[@target='2']")
    assert t2.get("needed") == "100"
    assert t2.get("status") == ("achieved" if met >= 100 else "not-achieved")
    with pytest.raises(hicov.InvalidError, match="kind"):
        hicov.Resolution(body="B", number="N", term=(2020, 2025), targets=[
            {"indicator": "coverage_rate", "unit": "99", "kind": "speed",
             "threshold": 1, "deadline": 2025}])
