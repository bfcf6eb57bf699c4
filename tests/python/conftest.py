"""Shared fixtures for the hicov pytest suite.

The module is found through PYTHONPATH, set by the runner (meson test sets
it to <builddir>/python).  HICOV_PYTHONPATH may name another folder to try
first, e.g. HICOV_PYTHONPATH=/work/main/build-py/python.
"""

import os
import random
import sys

_extra = os.environ.get("HICOV_PYTHONPATH")
if _extra:
    sys.path.insert(0, _extra)

import pytest  # noqa: E402

import hicov  # noqa: E402

# One seed per run for every random test (hypothesis and numpy); print it,
# and let HICOV_TEST_SEED replay a failing run.
SEED = int(os.environ.get("HICOV_TEST_SEED") or random.SystemRandom().randrange(2**32))


def pytest_report_header(config):
    return [f"hicov {hicov.__version__} from {os.path.dirname(hicov.__file__)}",
            f"random seed: HICOV_TEST_SEED={SEED}"]


@pytest.fixture(scope="session")
def seed():
    print(f"HICOV_TEST_SEED={SEED}")
    return SEED


@pytest.fixture(scope="session")
def demo():
    return hicov.demo()


@pytest.fixture
def write_dataset(tmp_path):
    """Writes units.csv and values.csv into tmp_path; returns the folder."""

    def write(units, values):
        (tmp_path / "units.csv").write_text(units, encoding="utf-8")
        (tmp_path / "values.csv").write_text(values, encoding="utf-8")
        return tmp_path

    return write


SMALL_UNITS = (
    "code,name,parent,level\n"
    "P1,Province One,,province\n"
    "D1,District One,P1,district\n"
    "C1,Commune A,D1,commune\n"
    "C2,Commune B,D1,commune\n"
)

SMALL_VALUES = (
    "unit,period,measure,value\n"
    "C1,2023,population,1000\n"
    "C1,2023,participants,900\n"
    "C2,2023,population,3000\n"
    "C2,2023,participants,2400\n"
    "C1,2024,population,1000\n"
    "C1,2024,participants,950\n"
    "C2,2024,population,3000\n"
    "C2,2024,participants,2850\n"
)
