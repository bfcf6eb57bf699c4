#!/usr/bin/python3
"""Writes the demo's schematic map (demo-schematic.geojson), a drawing of
the built-in demo's units, not their real boundaries.

Lang Son's eleven districts (20D01..20D11) are squares on a grid of four
columns; each holds its four communes before the 2025 reform (20DxxC1..C4,
a 2 x 2 grid: C1 top left, C2 top right, C3 bottom left, C4 bottom right),
and the two communes they merged into (20X01..20X22: commune c merged into
20X{c // 2 + 1}, so C1 + C2 make the top half, C3 + C4 the bottom half).
The four provinces of the demo (17, 20, 22, 25) are squares side by side.
Every feature carries `schematic: true`, which the dashboard labels.
The codes follow csrc/core/demo.c (lang_son_communes); the dashboard's
tests check that the demo's units and these shapes match one for one.

    /usr/bin/python3 gui/maps/make-demo-map.py > gui/maps/demo-schematic.geojson
"""
import json
import sys

CELL = 0.3            # degrees a district square
WEST, NORTH = 106.2, 22.3


def box(x0, y0, x1, y1):
    """A closed counter-clockwise ring (GeoJSON's outer rings)."""
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return [[[round(x, 6), round(y, 6)] for x, y in ring]]


def feature(code, level, rings):
    return {"type": "Feature",
            "properties": {"ma": code, "cap": level, "schematic": True},
            "geometry": {"type": "Polygon", "coordinates": rings}}


def features():
    out = []
    for i, code in enumerate(["17", "20", "22", "25"]):
        x0 = 104.9 + i * 1.2
        out.append(feature(code, "province", box(x0, 21.0, x0 + 1.0, 22.0)))
    for d in range(11):
        x0 = WEST + (d % 4) * CELL
        y1 = NORTH - (d // 4) * CELL
        x1, y0, xm, ym = x0 + CELL, y1 - CELL, x0 + CELL / 2, y1 - CELL / 2
        out.append(feature(f"20D{d + 1:02d}", "district", box(x0, y0, x1, y1)))
        quarters = [(x0, ym, xm, y1), (xm, ym, x1, y1),
                    (x0, y0, xm, ym), (xm, y0, x1, ym)]
        for q, (a, b, c, e) in enumerate(quarters):
            out.append(feature(f"20D{d + 1:02d}C{q + 1}", "commune",
                               box(a, b, c, e)))
        out.append(feature(f"20X{2 * d + 1:02d}", "commune", box(x0, ym, x1, y1)))
        out.append(feature(f"20X{2 * d + 2:02d}", "commune", box(x0, y0, x1, ym)))
    return out


def main():
    doc = {"type": "FeatureCollection", "name": "demo-schematic",
           "features": features()}
    json.dump(doc, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
