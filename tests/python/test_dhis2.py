"""DHIS2: Dataset.to_dhis2 (ADX valid against the IHE loose schema, checked
with xmllint; dataValueSets JSON parsed back with json), import_dhis2, and
the command line's adx export and import with -o (which needs the CLI:
HICOV_BUILD_DIR, as tests/run-all sets it)."""

import decimal
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import hicov
from test_refcount import check_refs

ROOT = pathlib.Path(__file__).resolve().parents[2]
XSD = ROOT / "tests" / "data" / "adx" / "adx_loose.xsd"
NS = "{urn:ihe:qrph:adx:2015}"
D = decimal.Decimal


def uid(code):
    """A stable DHIS2-style UID for a hicov code: a letter, then 10
    letters and digits."""
    h = hashlib.sha256(code.encode()).hexdigest()
    return "U" + "".join(c if i % 2 else c.upper() for i, c in enumerate(h[:10]))


@pytest.fixture(scope="module")
def mapping(tmp_path_factory, demo):
    """Lang Son's units by UID, the measures by code, the groups by code."""
    path = tmp_path_factory.mktemp("map") / "lang-son.csv"
    rows = ["kind,hicov,dhis2,idScheme"]
    rows += [f"orgUnit,{c},{uid(c)},uid" for c in demo.units()["code"] if c.startswith("20")]
    rows += [f"dataElement,{m},BHYT_{m.upper()},code"
             for m in ("population", "participants", "visits", "total_cost")]
    rows += [f"categoryOptionCombo,{g},BHYT_{g}," for g in demo.groups]
    rows += ["dataSet,*,BHYT_YEAR,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def xmllint_valid(path):
    if not shutil.which("xmllint"):
        pytest.skip("xmllint is not installed (Debian: libxml2-utils)")
    proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", str(XSD), str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return True


def adx_values(text):
    """{(orgUnit, period, dataElement, categoryOptionCombo): value} of an
    ADX document; each (orgUnit, period) group must come once."""
    root = ET.fromstring(text.encode())
    seen, out = set(), {}
    for g in root.findall(NS + "group"):
        key = (g.get("orgUnit"), g.get("period"))
        assert key not in seen, f"{key} twice"
        seen.add(key)
        for v in g.findall(NS + "dataValue"):
            k = key + (v.get("dataElement"), v.get("categoryOptionCombo"))
            assert k not in out
            out[k] = v.get("value")
    return out


def adx_period(iso):
    """DHIS2's 2024, 2024Q2, 202404 as ADX's start/duration."""
    if len(iso) == 4:
        return f"{iso}-01-01/P1Y"
    if "Q" in iso:
        y, q = iso.split("Q")
        return f"{y}-{3 * int(q) - 2:02d}-01/P3M"
    return f"{iso[:4]}-{iso[4:]}-01/P1M"


def json_values(text):
    doc = json.loads(text)
    out = {}
    for v in doc["dataValues"]:
        k = (v["orgUnit"], adx_period(v["period"]), v["dataElement"],
             v.get("categoryOptionCombo"))
        assert k not in out
        out[k] = v["value"]
    return doc, out


def test_adx_for_dhis2_is_valid_mapped_and_adds_up(demo, mapping, tmp_path):
    path = tmp_path / "lang-son.adx.xml"
    info = demo.to_dhis2(path, unit="20", mapping=mapping, groups="totals",
                         exported=1767225600)
    assert info["document"] is None and info["values"] > 0 and info["unmapped"] == 0
    assert xmllint_valid(path)
    values = adx_values(path.read_text(encoding="utf-8"))
    units = demo.units().set_index("code")
    back = {uid(c): c for c in units.index}
    # the mapped identifiers only
    assert {k[0] for k in values} <= {uid(c) for c in units.index if c.startswith("20")}
    assert {k[2] for k in values} <= {"BHYT_POPULATION", "BHYT_PARTICIPANTS",
                                      "BHYT_VISITS", "BHYT_TOTAL_COST"}
    for year, n_communes in (("2024", 44), ("2025", 22)):
        period = f"{year}-01-01/P1Y"
        for measure in ("population", "participants"):
            exported = {back[k[0]]: int(v) for k, v in values.items()
                        if k[1] == period and k[2] == f"BHYT_{measure.upper()}"}
            # the communes existing at the end of the year, each once: the
            # 44 old ones in 2024, the 22 merged ones in 2025, never both
            assert len(exported) == n_communes
            assert all(units.loc[c, "level"] == "commune" for c in exported)
            assert all(c.startswith("20X") == (year == "2025") for c in exported)
            # and they add up to the province
            assert sum(exported.values()) == int(demo.measure(measure, "20", year))
    # the province's own visits (no commune reports them) go out as its own
    assert values[(uid("20"), "2024-01-01/P1Y", "BHYT_VISITS", None)] == "1070000"

    # the JSON carries the same values
    info = demo.to_dhis2(unit="20", mapping=mapping, groups="totals", format="json")
    doc, jvalues = json_values(info["document"])
    assert jvalues == values
    assert doc["orgUnitIdScheme"] == "UID" and doc["dataElementIdScheme"] == "CODE"
    assert doc["dataSet"] == "BHYT_YEAR"


def test_groups_periods_and_levels(demo, mapping):
    # a map with categoryOptionCombo rows: participants goes by group
    info = demo.to_dhis2(unit="20", mapping=mapping, first_year=2024, last_year=2024,
                         format="json")
    _, values = json_values(info["document"])
    groups = {k[3]: int(v) for k, v in values.items() if k[2] == "BHYT_PARTICIPANTS"}
    assert sorted(groups) == [f"BHYT_{g}" for g in demo.groups]
    assert sum(groups.values()) == int(demo.measure("participants", "20", "2024"))
    # quarters and months: Quang Ninh's October figure is a stock at the
    # end of 2025-Q4 and of 2025-10
    for ptype, period in (("quarterly", "2025Q4"), ("monthly", "202510")):
        info = demo.to_dhis2(unit="22", period_type=ptype, first_year=2025,
                             last_year=2025, format="json")
        doc = json.loads(info["document"])
        parts = [v for v in doc["dataValues"] if v["dataElement"] == "participants"]
        assert [(v["period"], v["orgUnit"], v["value"]) for v in parts] == [
            (period, "22", "1281865")]
    # a level: the districts of 2024 with their totals, and none in 2025
    info = demo.to_dhis2(unit="20", level="district", groups="totals")
    values = adx_values(info["document"])
    assert {k[0] for k in values} == {f"20D{i:02d}" for i in range(1, 12)}
    assert not [k for k in values if k[1].startswith("2025")]
    # indicators only on request
    assert "coverage_rate" not in demo.to_dhis2(unit="20")["document"]
    assert "coverage_rate" in demo.to_dhis2(unit="20", indicators=True)["document"]


def test_unmapped_is_listed_or_left_out(demo):
    rows = [("orgUnit", "20", "LS"), ("dataElement", "participants", "PART")]
    with pytest.raises(hicov.InvalidError, match="the mapping names no orgUnit for "
                                                 r"20D01C1, 20D01C2, .* \(44 in all\)"):
        demo.to_dhis2(unit="20", mapping=rows, first_year=2024, last_year=2024)
    info = demo.to_dhis2(unit="20", mapping=rows, first_year=2024, last_year=2024,
                         level="province", skip_unmapped=True)
    assert adx_values(info["document"]) == {("LS", "2024-01-01/P1Y", "PART", None): "764769"}
    # population, visits and total_cost
    assert info["unmapped"] == 3 and info["notes"] == [
        "3 values left out: the mapping names no dataElement for population, "
        "total_cost, visits"]


def test_errors_name_the_python_arguments(demo):
    """The core names completeDate (DHIS2's member) and --data-set (the
    command's option); from Python the message names the arguments."""
    with pytest.raises(hicov.InvalidError, match=r"^complete_date: expected a date "
                                                 r"such as 2025-01-31, found '2025-13-01'$"):
        demo.to_dhis2(unit="20", complete_date="2025-13-01")
    with pytest.raises(hicov.InvalidError, match=r"^complete_date: .* give one "
                                                 r"\(data_set, or a dataSet row"):
        demo.to_dhis2(unit="20", complete_date="2025-01-31")
    with pytest.raises(hicov.InvalidError, match="^complete_date: a dataValueSets JSON"):
        demo.to_dhis2(unit="20", format="json", data_set="BHYT",
                      complete_date="2025-01-31")
    with pytest.raises(hicov.InvalidError, match=r"values out with skip_unmapped=True\)$"):
        demo.to_dhis2(unit="20", mapping=[("orgUnit", "20", "LS")],
                      first_year=2024, last_year=2024)
    # the member's own name stays where a message means the member
    ds = demo.copy()
    ds.lang = "vi"
    with pytest.raises(hicov.InvalidError) as info:
        ds.to_dhis2(unit="20", format="json", data_set="BHYT", complete_date="2025-01-31")
    assert str(info.value).startswith("complete_date: ")
    assert str(info.value).endswith("mang completeDate riêng")


def units_only(demo):
    units, values = demo.to_frames()
    return hicov.from_frames(units, values.iloc[0:0])


def test_import_dhis2_round_trip(demo, mapping, tmp_path):
    for fmt in ("adx", "json"):
        doc = demo.to_dhis2(unit="20", mapping=mapping, format=fmt)["document"]
        ds = units_only(demo)
        r = ds.import_dhis2(doc.encode(), mapping=mapping, name=f"x.{fmt}")
        assert r["format"] == fmt and r["rejected"] == 0 and r["rejections"] == []
        assert r["read"] == r["accepted"] == r["merged"]["added"] > 0
        for year in ("2024", "2025"):
            assert ds.measure("participants", "20", year) == \
                demo.measure("participants", "20", year)
            assert ds.measure("participants", "20", year, "HN") == \
                demo.measure("participants", "20", year, "HN")
        ds.save(tmp_path / fmt)
    # the same dataset from either format
    assert (tmp_path / "adx" / "values.csv").read_text().replace("adx:x.adx", "s") == \
        (tmp_path / "json" / "values.csv").read_text().replace("dhis2:x.json", "s")
    # a value that differs: refused with every conflict listed, then replaced
    ds = hicov.load(str(tmp_path / "json"))
    doc = json.dumps({"dataValues": [{"dataElement": "BHYT_POPULATION", "period": "2024",
                                      "orgUnit": uid("20D01C1"), "value": "1"}]})
    with pytest.raises(hicov.InvalidError) as e:
        ds.import_dhis2(doc.encode(), mapping=mapping, name="fix.json")
    assert len(e.value.conflicts) == 1 and "fix.json dataValues[0]" in e.value.conflicts[0]
    r = ds.import_dhis2(doc.encode(), mapping=mapping, on_conflict="replace")
    assert r["merged"] == {"added": 0, "replaced": 1, "kept": 0, "unchanged": 0}
    assert ds.measure("population", "20D01C1", "2024") == D("1.00")
    with pytest.raises(hicov.ParseError, match=r"dataValues\[0\]: dataValue "
                                               r"dataElement='BHYT_X': not in the mapping"):
        ds.import_dhis2(b'{"dataValues": [{"dataElement": "BHYT_X", "value": "1"}]}',
                        mapping=mapping)


def test_refcounts(demo, mapping):
    rows = [("orgUnit", "20", "LS")]
    check_refs(demo.to_dhis2, unit="".join(["2", "0"]), format="".join(["js", "on"]))
    check_refs(demo.to_dhis2, unit="20", mapping=rows, raises=hicov.InvalidError)
    check_refs(demo.to_dhis2, level="".join(["nope"]), raises=hicov.InvalidError)
    ds = units_only(demo)
    doc = demo.to_dhis2(unit="20D01C1", first_year=2024, last_year=2024)["document"].encode()
    check_refs(ds.import_dhis2, doc, on_conflict="".join(["keep"]))
    check_refs(ds.import_dhis2, b"{}", raises=hicov.ParseError)


# ---- the command line ------------------------------------------------------

def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def run(*args):
    return subprocess.run([cli(), *map(str, args)], capture_output=True, text=True)


def folder_bytes(d):
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(d).iterdir())}


def test_cli_export_import_writes_a_dataset(demo, mapping, tmp_path):
    exe = cli()
    data = tmp_path / "data"
    units_only(demo).save(data)
    before = folder_bytes(data)
    for name in ("ls.xml", "ls.json"):
        p = run("adx", "export", "--unit", "20", "--mapping", mapping, "-o", tmp_path / name)
        assert p.returncode == 0, p.stderr
        assert "dryRun=true" in p.stdout
    assert xmllint_valid(tmp_path / "ls.xml")
    # import -o D2 writes a dataset that loads, with every value
    p = run("adx", "import", tmp_path / "ls.xml", "--data", data, "--mapping", mapping,
            "-o", tmp_path / "d2")
    assert p.returncode == 0, p.stderr
    assert "added, 0 replaced, 0 kept, 0 unchanged" in p.stdout
    d2 = hicov.load(str(tmp_path / "d2"))
    assert d2.measure("participants", "20", "2024") == demo.measure("participants", "20", "2024")
    assert folder_bytes(data) == before
    # the JSON into the same folder (-o DIR is --data's): all unchanged
    p = run("adx", "import", tmp_path / "ls.json", "--data", tmp_path / "d2", "--mapping",
            mapping, "-o", tmp_path / "d2")
    assert p.returncode == 0 and "merged: 0 added, 0 replaced, 0 kept," in p.stdout, p.stderr
    # a failed import leaves the folder byte-identical: a conflict, a bad value
    saved = folder_bytes(tmp_path / "d2")
    bad = (tmp_path / "ls.xml").read_text(encoding="utf-8").replace(
        'value="1070000"', 'value="1070001"', 1)
    (tmp_path / "conflict.xml").write_text(bad, encoding="utf-8")
    p = run("adx", "import", tmp_path / "conflict.xml", "--data", tmp_path / "d2",
            "--mapping", mapping, "-o", tmp_path / "d2")
    assert p.returncode == 1 and "conflict conflict.xml line" in p.stderr
    assert "is 1,070,000 in the dataset and 1,070,001 in the import" in p.stderr
    assert "not written: nothing was changed" in p.stderr
    (tmp_path / "bad.xml").write_text(bad.replace('value="1070001"', 'value="1,5"'),
                                      encoding="utf-8")
    p = run("adx", "import", tmp_path / "bad.xml", "--data", tmp_path / "d2", "--mapping",
            mapping, "-o", tmp_path / "d2")
    assert p.returncode == 1 and "value '1,5' is not a decimal number" in p.stderr
    assert folder_bytes(tmp_path / "d2") == saved
    assert sorted(os.listdir(tmp_path / "d2")) == ["units.csv", "values.csv"]
    # replace, and a summary of it
    p = run("adx", "import", tmp_path / "conflict.xml", "--data", tmp_path / "d2",
            "--mapping", mapping, "-o", tmp_path / "d2", "--on-conflict", "replace")
    assert p.returncode == 0 and "merged: 0 added, 1 replaced, 0 kept" in p.stdout
    assert hicov.load(str(tmp_path / "d2")).measure("visits", "20", "2024") == D("1070001.00")
    assert exe


def test_cli_valgrind(mapping, tmp_path):
    exe = cli()
    vg = shutil.which("valgrind")
    if not vg:
        pytest.skip("valgrind is not installed")
    common = [vg, "--leak-check=full", "--errors-for-leak-kinds=definite",
              "--error-exitcode=3", "-q"]
    for args in (["adx", "export", "--unit", "20", "--mapping", mapping, "-o",
                  tmp_path / "v.json"],
                 ["adx", "import", tmp_path / "v.json", "--mapping", mapping,
                  "--on-conflict", "keep"]):
        p = subprocess.run(common + [exe, *map(str, args)], capture_output=True, text=True,
                           timeout=300)
        assert p.returncode == 0, p.stderr[-3000:]


def test_to_dhis2_choices_and_format_from_the_name(demo, tmp_path):
    with pytest.raises(hicov.InvalidError,
                       match=r"^format must be 'adx' or 'json', not 'csv'$"):
        demo.to_dhis2(unit="20", format="csv")
    for ptype in ("weekly", ""):
        with pytest.raises(hicov.InvalidError,
                           match=r"^period_type must be 'yearly', 'quarterly' or "
                                 rf"'monthly', not '{ptype}'$"):
            demo.to_dhis2(unit="20", period_type=ptype)
    with pytest.raises(hicov.InvalidError, match=r"^groups must be 'auto', "
                                                 r"'totals', 'groups' or 'both', not 'x'$"):
        demo.to_dhis2(unit="20", groups="x")
    with pytest.raises(hicov.InvalidError,
                       match=r"^format must be 'adx' or 'json', not 'xml'$"):
        demo.import_dhis2(b"", format="xml")
    # format=None (the default): from the file name, as the command line
    demo.to_dhis2(tmp_path / "ls.json", unit="20", first_year=2024, last_year=2024)
    demo.to_dhis2(tmp_path / "LS.JSON", unit="20", first_year=2024, last_year=2024)
    demo.to_dhis2(tmp_path / "ls.adx.xml", unit="20", first_year=2024, last_year=2024)
    demo.to_dhis2(tmp_path / "ls2.json", unit="20", first_year=2024, last_year=2024,
                  format="adx")
    demo.to_dhis2(tmp_path / "ls2.xml", unit="20", first_year=2024, last_year=2024,
                  format="json")
    for name in ("ls.json", "LS.JSON", "ls2.xml"):
        assert json.loads((tmp_path / name).read_text())["dataValues"]
    for name in ("ls.adx.xml", "ls2.json"):
        assert ET.parse(tmp_path / name).getroot().tag == f"{NS}adx"
    assert demo.to_dhis2(unit="20", format=None)["document"].startswith("<?xml")
