"""Notebook summaries of Dataset, Resolution and Claims (_repr_html_): a
plain table of what the objects' properties say, escaped, without styles."""

import os
from html.parser import HTMLParser

import hicov

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "tests", "data", "claims-sample-130.xml")


class Rows(HTMLParser):
    """{th: td} of a summary table, and the tags seen."""

    def __init__(self):
        super().__init__()
        self.rows, self.tags, self.cur, self.key = {}, [], None, None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.cur = tag

    def handle_endtag(self, tag):
        self.cur = None

    def handle_data(self, data):
        if self.cur == "th":
            self.key = data
        elif self.cur == "td":
            self.rows[self.key] = data


def parse(html):
    p = Rows()
    p.feed(html)
    p.close()
    return p


def test_dataset_summary():
    ds = hicov.demo()
    p = parse(ds._repr_html_())
    assert p.tags[0] == ("table", {"class": "hicov-summary hicov-dataset"})
    assert not any(tag in ("style", "script") or "style" in attrs for tag, attrs in p.tags)
    # the demo: Lang Son's and Hoa Binh's figures, Quang Ninh, Phu Tho and
    # Viet Nam, one facility
    levels = ds.units()["level"].value_counts()
    assert p.rows["Units"].startswith("1 country, %d provinces" % levels["province"])
    assert p.rows["Units"].endswith(", 1 facility")
    assert p.rows["Values"] == "%s to %s" % ds.month_span == "2009-01 to 2025-12"
    assert p.rows["Fund share"] == "90 %"
    ds.fund_share, ds.lang = 85.5, "en"
    p = parse(ds._repr_html_())
    assert p.rows["Fund share"] == "85.5 %" and p.rows["Language"] == "en"


def test_resolution_summary_is_escaped():
    res = hicov.Resolution(body="HĐND <tỉnh>", number="1/2024", title="a & b",
                           term=(2021, 2025),
                           targets=[{"indicator": "coverage_rate", "unit": "20",
                                     "threshold": 95, "deadline": 2025}])
    html = res._repr_html_()
    assert "HĐND &lt;tỉnh&gt;" in html and "a &amp; b" in html and "<tỉnh>" not in html
    p = parse(html)
    assert p.rows["Term"] == "2021–2025"
    assert p.rows["Target 1"] == "coverage_rate of 20 ≥ 95 by 2025"


def test_claims_summary():
    p = parse(hicov.read_claims(SAMPLE)._repr_html_())
    # the sample's two records (SYN-0001, SYN-0002), both admitted in
    # 2024-03 at facility 01999: T_TONGCHI_BV 158,000 + 5,250,000 =
    # 5,408,000 dong, T_BHTT 158,000 + 4,750,000 = 4,908,000
    assert p.rows["Records"] == "2 read, 2 accepted, 0 rejected, 0 duplicates"
    assert p.rows["Months"] == "2024-03 to 2024-03"
    assert p.rows["Total cost"] == "5,408,000.00 đồng"
    assert p.rows["Paid by the fund"] == "4,908,000.00 đồng"
    assert p.rows["Patients"] == "2 at 1 facility"
