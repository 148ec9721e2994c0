"""The way in, as a new user takes it: the README's commands in a fresh clone, and the README's
pytest.ini snippet copied as it is."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import essconv

ROOT = Path(__file__).resolve().parents[1]


def test_python_m_essconv_in_the_clone_root_uses_the_installed_extension(tmp_path: Path) -> None:
    # `pip install . && python -m essconv` in the root of a clone: the source folder essconv/
    # (sources only, no built extension) comes first on sys.path, the installed copy after it.
    package = Path(essconv.__file__).parent
    clone, site = tmp_path / "clone", tmp_path / "site-packages"
    shutil.copytree(package, clone / "essconv",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    shutil.copytree(package, site / "essconv", ignore=shutil.ignore_patterns("__pycache__"))
    assert not list((clone / "essconv").glob("_core*.so"))
    # -S: no site-packages, no editable-install finder; only the clone (the current directory of
    # `python -m`) and the "installed" copy on PYTHONPATH after it
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-S", "-m", "essconv"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == essconv.default().title
    assert "Traceback" not in done.stderr
