"""hicov.Chart: the Dataset.chart_* builders, in-memory SVG/PNG for Jupyter
and files.  Every value is drawn by the core; these tests check that the
binding hands over the right arguments and bytes.

cairo's SVG surface writes text as glyph outlines, so the texts of a chart
(Vietnamese title, target label) are checked in the PDF the same drawing
code produces, through poppler's pdftotext/pdfinfo."""

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import pytest

import hicov
from test_refcount import check_refs

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def png_size(data):
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pdf_text(path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                         check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def pdf_info(path):
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) not installed")
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture
def png_display():
    """Charts show as PNG in a notebook while a test runs."""
    hicov.options.chart_format = "png"
    yield
    hicov.options.chart_format = "svg"


@pytest.fixture(scope="module")
def coverage_vi(demo):
    return demo.chart_coverage("20", 0, lang="vi")


def test_coverage_chart_properties(demo, coverage_vi):
    c = demo.chart_coverage("20", 0)
    assert isinstance(c, hicov.Chart)
    assert c.kind == "line" and coverage_vi.kind == "line"
    assert c.empty is False
    # one point per year with a coverage value, plus the projection years
    assert c.point_count >= 2
    assert c.series_count in (1, 2)
    assert c.size == (720.0, 405.0)
    assert repr(c).startswith("<hicov.Chart line:")


def test_repr_svg_is_an_svg_document(coverage_vi):
    svg = coverage_vi._repr_svg_()
    assert isinstance(svg, str)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == SVG_NS + "svg"
    assert root.get("width") == "720pt" and root.get("height") == "405pt"
    # something is drawn: glyphs for the texts and paths for the lines
    assert svg.count("<path") > 10
    assert coverage_vi.svg(width=300, height=200) != svg
    assert 'width="300pt"' in coverage_vi.svg(width=300, height=200)


SVG_ID = re.compile(r' id="([^"]*)"')
SVG_REF = re.compile(r'(?:url\(#|href="#)([^")]*)')


def test_svg_is_the_same_each_time(demo, coverage_vi, tmp_path):
    # cairo numbers surfaces by a counter of the process: the ids are
    # renamed per document, so drawing again gives the same bytes
    svg = coverage_vi.svg()
    demo.chart_columns("visits", "20", ["2023", "2024"]).svg()
    assert coverage_vi.svg() == svg
    assert coverage_vi._repr_svg_() == svg
    coverage_vi.save(str(tmp_path / "a.svg"))
    coverage_vi.save(str(tmp_path / "b.svg"))
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.svg").read_text(encoding="utf-8") == svg


def test_svg_ids_unique_and_referenced(demo, coverage_vi):
    svg = coverage_vi.svg()
    ids = SVG_ID.findall(svg)
    assert ids and len(ids) == len(set(ids))
    assert set(SVG_REF.findall(svg)) <= set(ids)
    assert any("surface" in i for i in ids)  # cairo's counted kind
    # two charts in one HTML page (a notebook's outputs): no id in common,
    # nor the same chart at another size
    other = demo.chart_columns("visits", "20", ["2023", "2024"]).svg()
    smaller = coverage_vi.svg(width=300, height=200)
    assert not set(ids) & set(SVG_ID.findall(other))
    assert not set(ids) & set(SVG_ID.findall(smaller))
    # the prefix comes from the drawing: the same chart built again
    again = demo.chart_coverage("20", 0, lang="vi").svg()
    assert again == svg

def test_repr_png(coverage_vi, png_display):
    png = coverage_vi._repr_png_()
    assert png.startswith(PNG_MAGIC)
    assert png_size(png) == (720, 405)
    assert png_size(coverage_vi.png(400, 300, scale=2)) == (800, 600)


def test_size_property(demo, png_display):
    c = demo.chart_coverage("20")
    c.size = (500, 250)
    assert c.size == (500.0, 250.0)
    assert png_size(c._repr_png_()) == (500, 250)
    with pytest.raises(hicov.InvalidError):
        c.size = (0, 100)
    with pytest.raises(TypeError):
        c.size = 500
    assert c.size == (500.0, 250.0)


def test_vietnamese_title_and_target_in_pdf(coverage_vi, tmp_path):
    path = tmp_path / "coverage.pdf"
    coverage_vi.save(path)
    text = pdf_text(path)
    assert "Tỷ lệ bao phủ BHYT — Lạng Sơn" in text
    # the resolution's target, 98% by 2025
    assert "Chỉ tiêu 2025" in text
    assert "98" in text
    assert "Title:" in pdf_info(path) and "Lạng Sơn" in pdf_info(path)


def test_english_title(demo, tmp_path):
    path = tmp_path / "coverage-en.pdf"
    demo.chart_coverage("20", 0, lang="en").save(path)
    text = pdf_text(path)
    assert "Health-insurance coverage — Lạng Sơn" in text
    assert "Target 2025" in text


@pytest.mark.parametrize("ext,magic", [
    (".png", PNG_MAGIC), (".PNG", PNG_MAGIC), (".svg", b"<?xml"), (".pdf", b"%PDF-"),
])
def test_save_formats(coverage_vi, tmp_path, ext, magic):
    path = tmp_path / ("chart" + ext)
    coverage_vi.save(str(path), width=600, height=300)
    data = path.read_bytes()
    assert data.startswith(magic)
    if ext.lower() == ".png":
        assert png_size(data) == (600, 300)
    elif ext == ".svg":
        assert ET.fromstring(data).get("width") == "600pt"
    else:
        info = pdf_info(path)
        assert re.search(r"^Pages:\s+1$", info, re.M)
        assert re.search(r"^Page size:\s+600 x 300 pts", info, re.M)
    # written through a temporary file renamed into place: nothing else left
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_save_png_scale(coverage_vi, tmp_path):
    path = tmp_path / "hidpi.png"
    coverage_vi.save(path, width=300, height=200, scale=2)
    assert png_size(path.read_bytes()) == (600, 400)


def test_save_unknown_extension(coverage_vi, tmp_path):
    for name in ("chart.gif", "chart", "dir.png/chart"):
        with pytest.raises(ValueError) as info:
            coverage_vi.save(tmp_path / name)
        assert isinstance(info.value, hicov.InvalidError)
    assert "expected a name ending in .png, .svg or .pdf" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_save_into_missing_folder(coverage_vi, tmp_path):
    with pytest.raises(hicov.FileError) as info:
        coverage_vi.save(tmp_path / "missing" / "chart.png")
    assert "missing" in str(info.value)


def test_bad_sizes(coverage_vi):
    for kwargs in ({"width": 0}, {"height": -1}, {"width": float("nan")},
                   {"width": 30000}):
        with pytest.raises(hicov.InvalidError):
            coverage_vi.png(**kwargs)
    with pytest.raises(hicov.InvalidError):
        coverage_vi.png(scale=0)
    with pytest.raises(TypeError):
        coverage_vi.svg(width="wide")


def test_ranked_chart(demo, tmp_path):
    c = demo.chart_ranked("coverage_rate", "2024", "20", target=98.0, lang="vi")
    assert c.kind == "bar_ranked" and not c.empty
    table = demo.table("coverage_rate", "2024", "commune", "20")
    assert sorted(c.keys) == sorted(table.index)
    assert c.point_count == len(table)
    path = tmp_path / "ranked.pdf"
    c.save(path, width=600, height=900)
    text = pdf_text(path)
    assert "Tỷ lệ bao phủ BHYT — Lạng Sơn, 2024" in text
    assert "Chỉ tiêu" in text


def test_ranked_direct_children(demo):
    c = demo.chart_ranked("coverage_rate", 2024, "20", level=None)
    assert sorted(c.keys) == sorted(demo.children("20", "2024"))
    c2 = demo.chart_ranked("coverage_rate", 2024, "20", level="district")
    assert sorted(c2.keys) == sorted(c.keys)


def test_groups_columns_revenue(demo):
    periods = ["2022", "2023", "2024"]
    g = demo.chart_groups("participants", "20", periods, lang="vi")
    assert g.kind == "stacked" and g.point_count == 3
    assert 1 <= g.series_count <= 6  # five groups and "Other groups"
    col = demo.chart_columns("visits", "20", periods)
    assert col.kind == "column" and col.point_count == 3 and col.series_count == 1
    dual = demo.chart_revenue_spending("20", (2022, 2023, 2024))
    assert dual.kind == "dual" and dual.series_count == 2
    # an empty chart still renders its "No data" state
    assert demo.chart_columns("visits", "20", []).empty
    for chart in (g, col, dual):
        assert chart.png().startswith(PNG_MAGIC)
        ET.fromstring(chart._repr_svg_().encode())


def test_one_image_format_in_a_notebook(demo):
    """A notebook keeps every representation offered: a chart offers one,
    SVG unless hicov.options.chart_format says 'png'."""
    c = demo.chart_columns("visits", "20", ["2023", "2024"])
    assert hicov.options.chart_format == "svg"
    assert c._repr_svg_().startswith("<?xml") and c._repr_png_() is None
    hicov.options.chart_format = "png"
    try:
        assert c._repr_svg_() is None and c._repr_png_().startswith(PNG_MAGIC)
    finally:
        hicov.options.chart_format = "svg"
    with pytest.raises(ValueError, match="'svg' or 'png'"):
        hicov.options.chart_format = "gif"
    assert hicov.options.chart_format == "svg"
    ip = pytest.importorskip("IPython.core.formatters")
    data, _ = ip.DisplayFormatter().format(c)
    assert "image/svg+xml" in data and "image/png" not in data


def test_readable_texts(demo):
    c = demo.chart_coverage("20", 0, lang="vi")
    assert c.lang == "vi" and c.theme == "light"
    assert isinstance(c.title, str) and c.title  # the builder's, in Vietnamese
    assert "bao phủ" in c.title.lower()
    e = demo.chart_coverage("20", 0, lang="en")
    assert e.lang == "en" and "coverage" in e.title.lower()
    e.title = None
    assert e.title is None


def test_empty_chart_text(demo, tmp_path):
    c = demo.chart_columns("visits", "20", ["1999"], lang="vi")
    assert c.empty
    path = tmp_path / "empty.pdf"
    c.save(path)
    assert "Không có dữ liệu" in pdf_text(path)


def test_setters(demo, tmp_path):
    c = demo.chart_columns("visits", "20", ["2023", "2024"])
    c.title = "Lượt khám — thử nghiệm"
    c.subtitle = None
    c.theme = "dark"
    c.lang = "vi"
    path = tmp_path / "set.pdf"
    c.save(path)
    assert "Lượt khám — thử nghiệm" in pdf_text(path)
    assert c.title == "Lượt khám — thử nghiệm" and c.subtitle is None
    assert (c.theme, c.lang) == ("dark", "vi")
    with pytest.raises(hicov.InvalidError):
        c.theme = "blue"
    with pytest.raises(TypeError):
        c.title = 5
    with pytest.raises(ValueError):
        c.title = "a\0b"


def test_builder_errors(demo):
    with pytest.raises(hicov.NotFoundError, match="unknown unit 'nope'"):
        demo.chart_coverage("nope")
    with pytest.raises(hicov.NotFoundError, match="unknown indicator 'nope'"):
        demo.chart_ranked("nope", "2024", "20")
    with pytest.raises(hicov.NotFoundError, match="unknown measure 'nope'"):
        demo.chart_groups("nope", "20", ["2024"])
    with pytest.raises(hicov.NotFoundError, match="unknown unit 'nope'"):
        demo.chart_revenue_spending("nope", ["2024"])
    with pytest.raises(hicov.InvalidError, match="lang"):
        demo.chart_coverage("20", lang="fr")
    with pytest.raises(hicov.InvalidError, match="invalid level"):
        demo.chart_ranked("coverage_rate", "2024", "20", level="hamlet")
    with pytest.raises(hicov.InvalidError):
        demo.chart_ranked("coverage_rate", "2024", "20", target=float("inf"))
    with pytest.raises(hicov.ParseError):
        demo.chart_columns("visits", "20", ["2024-13"])
    with pytest.raises(TypeError):
        demo.chart_columns("visits", "20", "2024")
    with pytest.raises(IndexError):
        demo.chart_coverage("20", 99)
    with pytest.raises(TypeError):
        hicov.Chart()


def test_coverage_with_resolution_forms(demo):
    res = demo.resolutions[0]
    for form in (res, 0, res.as_dict(), None):
        assert demo.chart_coverage("20", form).kind == "line"


# Objects made fresh so their counts are not shared with literals elsewhere.
UNIT = "".join(["2", "0"])
IND = "".join(["coverage", "_rate"])
PERIODS = ["".join(["20", "23"]), "".join(["20", "24"])]


def test_refcounts(demo, tmp_path):
    res = demo.resolutions[0]
    check_refs(demo.chart_coverage, UNIT)
    check_refs(demo.chart_coverage, UNIT, res, lang="vi")
    check_refs(demo.chart_coverage, UNIT, res.as_dict())
    # (None's count moves with unrelated code: fresh objects only)
    check_refs(demo.chart_ranked, IND, PERIODS[1], UNIT, level="".join(["dis", "trict"]),
               target=98.5)
    check_refs(demo.chart_groups, "participants", UNIT, PERIODS)
    check_refs(demo.chart_columns, "visits", UNIT, PERIODS)
    check_refs(demo.chart_revenue_spending, UNIT, PERIODS)
    check_refs(demo.chart_coverage, "nope", raises=hicov.NotFoundError)
    check_refs(demo.chart_columns, "visits", UNIT, ["bad"], raises=hicov.ParseError)
    check_refs(demo.chart_columns, "visits", UNIT, PERIODS[0], raises=TypeError)
    c = demo.chart_columns("visits", UNIT, PERIODS)
    small = 100.5
    check_refs(c._repr_svg_)
    check_refs(c._repr_png_)  # None: not the display format
    hicov.options.chart_format = "png"
    try:
        check_refs(c._repr_png_)
    finally:
        hicov.options.chart_format = "svg"
    check_refs(c.svg, width=small, height=small)
    check_refs(c.png, small, small, scale=2.0)
    path = str(tmp_path / "r.svg")
    check_refs(c.save, path, width=small, height=small)
    check_refs(c.save, str(tmp_path / "r.gif"), raises=hicov.InvalidError)
    for name in ("kind", "empty", "keys", "size", "point_count", "series_count"):
        check_refs(getattr, c, name)
    title = "".join(["Ti", "tle"])
    check_refs(setattr, c, "title", title)


def test_ranked_top_and_bottom(tmp_path):
    # coverage by hand: A 900/1,000 = 90 %, B 950/1,000 = 95 %,
    # C 800/1,000 = 80 %, D no data
    (tmp_path / "units.csv").write_text(
        "code,name,parent,level\nP,Tỉnh P,,province\nA,Xã A,P,commune\n"
        "B,Xã B,P,commune\nC,Xã C,P,commune\nD,Xã D,P,commune\n", encoding="utf-8")
    (tmp_path / "values.csv").write_text(
        "unit,period,measure,value\n"
        "A,2024,population,1000\nA,2024,participants,900\n"
        "B,2024,population,1000\nB,2024,participants,950\n"
        "C,2024,population,1000\nC,2024,participants,800\n", encoding="utf-8")
    ds = hicov.load(str(tmp_path))
    assert set(ds.chart_ranked("coverage_rate", "2024", "P").keys) == set("ABCD")
    top = ds.chart_ranked("coverage_rate", "2024", "P", top=2)
    assert top.keys == ["B", "A"] and top.point_count == 2
    assert top.subtitle == "The 2 highest of 4 units"
    bottom = ds.chart_ranked("coverage_rate", "2024", "P", bottom=3, lang="vi")
    assert bottom.keys == ["C", "A", "B"]
    assert bottom.subtitle == "3 đơn vị thấp nhất trong 4 đơn vị"
    # a limit that leaves nothing out says nothing
    assert ds.chart_ranked("coverage_rate", "2024", "P", top=4).subtitle is None
    with pytest.raises(hicov.InvalidError):
        ds.chart_ranked("coverage_rate", "2024", "P", top=1, bottom=1)
    with pytest.raises(hicov.InvalidError):
        ds.chart_ranked("coverage_rate", "2024", "P", top=0)
