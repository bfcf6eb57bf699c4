"""The demo's schematic map (gui/maps/demo-schematic.geojson): what the
generator writes, and one shape for every province, every Lạng Sơn district
and every synthetic commune of the demo, each labelled schematic."""
import json
import pathlib
import subprocess
import sys

import hicov

ROOT = pathlib.Path(__file__).resolve().parents[2]
MAP = ROOT / "gui" / "maps" / "demo-schematic.geojson"


def test_shipped_map_is_what_the_generator_writes():
    out = subprocess.run([sys.executable, str(ROOT / "gui" / "maps" /
                                              "make-demo-map.py")],
                         check=True, capture_output=True).stdout
    assert out == MAP.read_bytes()


def test_codes_match_the_demo_units():
    doc = json.loads(MAP.read_text(encoding="utf-8"))
    feats = doc["features"]
    assert all(f["properties"]["schematic"] is True for f in feats)
    codes = [f["properties"]["ma"] for f in feats]
    assert len(codes) == len(set(codes))
    units = hicov.demo().units()
    level = dict(zip(units["code"], units["level"]))
    # every shape names a unit of the demo, at the level it says
    for f in feats:
        code = f["properties"]["ma"]
        assert level.get(code) == f["properties"]["cap"], code
    # every province, every district of Lạng Sơn and every synthetic
    # commune has a shape (Hòa Bình's Lương Sơn district, not synthetic,
    # has none: the dashboard lists it)
    want = set(units[units["level"] == "province"]["code"])
    want |= set(units[(units["level"] == "district")
                      & (units["parent"] == "20")]["code"])
    want |= set(units[(units["level"] == "commune")
                      & units["synthetic"]]["code"])
    assert set(codes) == want
    assert len(want) == 4 + 11 + 44 + 22


def test_merged_communes_cover_their_predecessors():
    """20X{k} is drawn over the two communes merged into it (demo.c:
    commune c merged into 20X{c // 2 + 1}), so maps of 2024 and 2025 show
    the same land."""
    doc = json.loads(MAP.read_text(encoding="utf-8"))
    ring = {f["properties"]["ma"]: f["geometry"]["coordinates"][0]
            for f in doc["features"]}

    def box(code):
        xs = [p[0] for p in ring[code]]
        ys = [p[1] for p in ring[code]]
        return min(xs), min(ys), max(xs), max(ys)

    units = hicov.demo().units()
    old = units[(units["level"] == "commune") & units["successor"].notna()]
    for code, succ in zip(old["code"], old["successor"]):
        a, b = box(code), box(succ)
        assert b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3], \
            (code, succ)
