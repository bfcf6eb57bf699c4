"""`hicov summary`'s lines on the demo's resolutions: units and indicators
by name, numbers as the table writes them (Vietnamese grouping and decimal
comma under vi, plain numbers in English for scripts), and a target already
met said to be exceeded, with nobody left to enrol."""

import math
import os
import subprocess

import pytest

import hicov


def cli():
    build = os.environ.get("HICOV_BUILD_DIR")
    path = os.path.join(build, "csrc", "hicov") if build else None
    if not path or not os.access(path, os.X_OK):
        path = os.path.join(os.path.dirname(hicov.__file__), "..", "..",
                            "csrc", "hicov")
    if not os.access(path, os.X_OK):
        pytest.skip("the hicov CLI is not built (HICOV_BUILD_DIR)")
    return path


def summary(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    clean.update(env)
    out = subprocess.run([cli(), "summary"], capture_output=True, text=True,
                         env=clean, check=True).stdout
    return [l for l in out.splitlines()
            if l.startswith(("  Lạng Sơn (20): ", "  Hòa Bình (17): "))]


def needed(demo):
    # Lạng Sơn 2025: 98% of the population less the participants, rounded
    # up (820,697 x 0.98 - 779,662 = 24,621.06 -> 24,622)
    pop = demo.value("population", "20", "2025")
    part = demo.value("participants", "20", "2025")
    return math.ceil(0.98 * pop - part)


def test_summary_targets_in_english(demo):
    n = needed(demo)
    assert n == 24622
    lines = summary(LANG="C.UTF-8")
    assert lines[0] == (
        "  Lạng Sơn (20): Coverage rate >= 98.00 by 2025: not achieved; "
        f"latest 95.00 (2025), gap 3.00 points, {n} more participants "
        "needed, projected 94.78 in 2025, reached in 2040")
    assert lines[1].startswith(
        "  Lạng Sơn (20): Coverage rate >= 96.00 by 2030: on track; "
        "latest 95.00 (2025), gap 1.00 points, ")
    # Hòa Bình met 95% with 96.63% in 2018: 1.63 points over, nobody needed
    assert round(demo.value("coverage_rate", "17", "2018") - 95, 2) == 1.63
    assert lines[2].startswith(
        "  Hòa Bình (17): Coverage rate >= 95.00 by 2025: achieved; "
        "latest 96.63 (2018), exceeded by 1.63 points, projected ")
    assert "needed" not in lines[2] and "gap" not in lines[2]


@pytest.mark.parametrize("lang", ["vi_VN.UTF-8", "vi_XX.UTF-8"])
def test_summary_targets_in_vietnamese(demo, lang):
    n = needed(demo)
    lines = summary(LANG=lang)
    assert lines[0] == (
        "  Lạng Sơn (20): Tỷ lệ bao phủ BHYT >= 98,00 đến năm 2025: không "
        "đạt; mới nhất 95,00 (2025), còn thiếu 3,00 điểm, cần thêm "
        f"{n // 1000}.{n % 1000:03d} người tham gia, dự báo 94,78 vào năm "
        "2025, đạt vào năm 2040")
    assert lines[2].startswith(
        "  Hòa Bình (17): Tỷ lệ bao phủ BHYT >= 95,00 đến năm 2025: đã đạt; "
        "mới nhất 96,63 (2018), vượt 1,63 điểm, dự báo ")
    assert "cần thêm" not in lines[2] and "còn thiếu" not in lines[2]
    assert "coverage_rate" not in "".join(lines)
