"""`pip install .` works offline on Debian: setup.py builds the extension
from the one source list, and the README's one-liner prints 94.1."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def clone(tmp_path):
    """A copy of the tracked tree, as a user's clone would be."""
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    for f in files:
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, f), src / f)
    return src


@pytest.mark.skipif(shutil.which("pkg-config") is None, reason="needs pkg-config")
def test_pip_install_in_a_venv(tmp_path):
    src = clone(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-build-isolation",
                        "--no-index", str(src)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import hicov; print(round(hicov.demo().value('coverage_rate', '20', '2024'), 1))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "94.1"


@pytest.mark.skipif(shutil.which("pkg-config") is None, reason="needs pkg-config")
def test_sdist_builds_and_installs_in_a_fresh_venv(tmp_path):
    """`setup.py sdist` gives an archive with everything the build reads
    (headers, csrc's lists, the report schemas): it installs and imports in
    a venv that sees none of the checkout."""
    dist = tmp_path / "dist"
    r = subprocess.run(["/usr/bin/python3", "setup.py", "-q", "sdist", "-d", str(dist)],
                       cwd=clone(tmp_path), capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    (archive,) = dist.glob("hicov-*.tar.gz")
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    r = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-build-isolation",
                        "--no-index", str(archive)], capture_output=True, text=True,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import hicov, os; print(hicov.__version__, "
                          "round(hicov.demo().value('coverage_rate', '20', '2024'), 1), "
                          "*sorted(f for f in os.listdir(os.path.dirname(hicov.__file__)) "
                          "if f.endswith(('.pyi', '.typed'))))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    with open(os.path.join(ROOT, "csrc", "VERSION"), encoding="utf-8") as f:
        version = f.read().strip()
    # the type stubs and the PEP 561 marker ship with the package
    assert out.split() == [version, "94.1", "_hicov.pyi", "py.typed"]
