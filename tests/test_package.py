"""The package outside the checkout, and the import boundaries of its subpackages.

A wheel is built from the checkout and unpacked in a temporary folder; a Python started
in another folder imports ``matcher`` from there and finds the demo scenarios and the
reference data as package data (nothing read from the checkout).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, cwd: Path, pythonpath: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DATABASE_URL"}}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=out,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = out.glob("consultplanner-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_installed_package_finds_its_data_outside_the_checkout(
    unpacked_wheel: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_python(
        f"""
        from pathlib import Path
        import matcher
        site = Path({str(unpacked_wheel)!r})
        assert Path(matcher.__file__).resolve().is_relative_to(site), matcher.__file__
        from matcher import load_scenario
        from matcher.resources import SCENARIOS_DIR, DATA_DIR
        from matcher.storage.round_state import DEMO_SCENARIO
        from matcher.storage.engine import DEFAULT_DB_PATH
        from matcher.scenario.generate import generate_scenario
        from matcher.scenario.loader import parse_scenario
        from matcher.policy.whatif import POPULATION_FILE
        assert DEMO_SCENARIO.is_relative_to(site), DEMO_SCENARIO
        demo = load_scenario(DEMO_SCENARIO)
        names = sorted(p.name for p in SCENARIOS_DIR.glob("*.yaml"))
        for name in names:
            load_scenario(SCENARIOS_DIR / name)
        week = parse_scenario(generate_scenario(3, 12, 3), "<generated>")
        assert POPULATION_FILE.is_file() and POPULATION_FILE.is_relative_to(site)
        assert not DEFAULT_DB_PATH.is_relative_to(site), DEFAULT_DB_PATH
        assert DEFAULT_DB_PATH.parent == Path.cwd() / "data", DEFAULT_DB_PATH
        print(len(demo.requests), len(week.requests), ",".join(names))
        """,
        cwd=elsewhere,
        pythonpath=str(unpacked_wheel),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    n_demo, n_week, names = done.stdout.split()
    assert int(n_demo) > 0 and int(n_week) == 12
    assert "limburg-week.yaml" in names.split(",")


def test_the_scenario_package_does_not_import_the_solver(tmp_path: Path) -> None:
    done = run_python(
        """
        import sys
        import matcher
        from matcher.scenario import domain, loader, plan_io, problems, validate, writer
        heavy = sorted(m for m in ("ortools", "matcher.solver", "streamlit", "sqlmodel")
                       if m in sys.modules)
        print(",".join(heavy) or "none")
        """,
        cwd=tmp_path,
        pythonpath=str(ROOT),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "none"


def imported_modules(path: Path) -> set[str]:
    """The modules an ``import`` or ``from ... import`` statement of ``path`` names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_core_never_imports_the_app_helpers() -> None:
    """Only app.py and app_pages/ import ``matcher.app``; the library does not."""
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "matcher").rglob("*.py")
        if path.relative_to(ROOT / "matcher").parts[0] != "app"
        and any(m == "matcher.app" or m.startswith("matcher.app.") for m in imported_modules(path))
    )
    assert offenders == []
