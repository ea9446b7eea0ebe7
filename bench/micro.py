"""Micro benchmarks of the data path, each against a peer measured in the same run.

Run: ``.venv/bin/python -m bench.micro``. Prints a Markdown table with the ratio
ours / peer (below 1.00 means ours is faster).

- travel: the vectorised numpy matrix for 2,000 points vs the scalar haversine loop on a
  sample of rows (scaled up to the full matrix);
- load: reading ``limburg-busy.yaml`` with libyaml + our validation vs PyYAML's pure-Python
  safe loader alone (no validation);
- storage: import + export of ``limburg-busy`` into in-memory SQLite vs writing and
  re-reading the scenario as a YAML file;
- generate: 1,000 requests vs ``json`` dump + load of the same document (a floor).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

from matcher.scenario.generate import generate_scenario
from matcher.scenario.loader import load_scenario
from matcher.scenario.writer import write_scenario
from matcher.storage import export_scenario, import_scenario
from matcher.storage.engine import get_engine
from matcher.travel import haversine_km, minutes_matrix

ROOT = Path(__file__).resolve().parent.parent
BUSY = ROOT / "scenarios" / "limburg-busy.yaml"


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def travel_row() -> tuple[str, float, float]:
    rng = np.random.default_rng(1)
    lats, lons = rng.uniform(50.7, 51.8, 2000), rng.uniform(5.6, 6.2, 2000)
    ours = best_of(lambda: minutes_matrix(lats, lons, 60, 1.3))
    rows = 50

    def scalar() -> None:
        for i in range(rows):
            for j in range(2000):
                haversine_km(lats[i], lons[i], lats[j], lons[j])

    peer = best_of(scalar, 1) * 2000 / rows
    return "travel matrix, 2,000 points", ours, peer


def load_row() -> tuple[str, float, float]:
    text = BUSY.read_text(encoding="utf-8")
    ours = best_of(lambda: load_scenario(BUSY))
    peer = best_of(lambda: yaml.load(text, Loader=yaml.SafeLoader), 1)
    return "load + validate limburg-busy", ours, peer


def storage_row() -> tuple[str, float, float]:
    scenario = load_scenario(BUSY)
    engine = get_engine("sqlite://")

    def db() -> None:
        export_scenario(engine, import_scenario(engine, scenario))

    def files() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            write_scenario(scenario, Path(tmp) / "s.yaml")
            load_scenario(Path(tmp) / "s.yaml")

    return "import + export limburg-busy (SQLite)", best_of(db), best_of(files)


def generate_row() -> tuple[str, float, float]:
    doc = generate_scenario(5, 1000, 200)
    ours = best_of(lambda: generate_scenario(5, 1000, 200))
    peer = best_of(lambda: json.loads(json.dumps(doc)))
    return "generate 1,000 requests", ours, peer


PEERS = {
    "travel matrix, 2,000 points": "scalar haversine loop",
    "load + validate limburg-busy": "PyYAML pure-Python parse only",
    "import + export limburg-busy (SQLite)": "write + reload as YAML file",
    "generate 1,000 requests": "JSON dump + load of the result",
}


def main() -> None:
    rows = [travel_row(), load_row(), storage_row(), generate_row()]
    print("| what | ours (s) | peer | peer (s) | ours / peer |")
    print("| --- | ---: | --- | ---: | ---: |")
    for name, ours, peer in rows:
        print(f"| {name} | {ours:.3f} | {PEERS[name]} | {peer:.3f} | {ours / peer:.2f} |")
    print(f"\n(median of ratios {statistics.median(o / p for _, o, p in rows):.2f})")


if __name__ == "__main__":
    main()
