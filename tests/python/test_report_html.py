"""Report._repr_html_ in a notebook: one element, whose CSS rules all apply
inside it (issue 21: the whole page used to restyle the notebook)."""

import re
from html.parser import HTMLParser

import pytest

import hicov

ROOT = ".hicov-report"


def css_rules(css):
    """(selector list, body) of every rule, @media blocks opened; at-rules
    other than @media are returned with their name as the selector."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, i = [], 0
    while True:
        j = css.find("{", i)
        if j < 0:
            assert css[i:].strip() == "", css[i:]
            return rules
        head = css[i:j].strip()
        depth, k = 1, j + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
        body = css[j + 1:k - 1]
        if head.startswith("@media"):
            rules += css_rules(body)
        else:
            rules.append((head, body))
        i = k


class Tree(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth, self.roots, self.styles, self.in_style = 0, [], [], False

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.roots.append((tag, dict(attrs)))
        self.in_style = tag == "style"
        if tag not in ("meta", "br", "img", "hr", "input", "link"):
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)
        elif self.depth == 0:
            assert not data.strip(), f"text outside the root element: {data!r}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_html_fragment(lang):
    html = hicov.demo().report(0, lang=lang, time=0)._repr_html_()
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert tree.roots == [("div", {"class": "hicov-report", "lang": lang})]
    assert tree.depth == 0
    assert "<html" not in html and "<body" not in html and "DOCTYPE" not in html
    (css,) = tree.styles
    rules = css_rules(css)
    assert len(rules) > 30
    for selectors, _ in rules:
        for sel in selectors.split(","):
            sel = sel.strip()
            assert sel == ROOT or sel.startswith(ROOT + " "), sel
    assert "@page" not in css


def test_the_page_keeps_its_own_rules():
    html = hicov.demo().report(0, lang="en", time=0).to_html()
    css = html[html.index("<style>") + 7:html.index("</style>")]
    outside = {s.strip() for sel, _ in css_rules(css) for s in sel.split(",")
               if not s.strip().startswith(ROOT)}
    assert outside == {"@page", "body"}  # the page's margins and nothing else


def test_css_parser_sees_rules_outside():
    # the checker itself: a rule for the notebook's own elements is caught
    rules = css_rules("@media print { .hicov-report a { x: 1 } body { y: 2 } } h1 { z: 3 }")
    assert [s for s, _ in rules] == [".hicov-report a", "body", "h1"]
