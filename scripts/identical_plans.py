"""Check that the shipped scenarios give the same plans as a recorded reference.

With one worker and a fixed seed the solver is deterministic (the neighbourhood search
stops after a work budget, CP-SAT after a deterministic time), so a refactoring that keeps
behaviour keeps every plan. Usage::

    python scripts/identical_plans.py --record   # write tests/data/plan_digests.json
    python scripts/identical_plans.py            # compare with it; exit 1 on a difference

Only the public API (``matcher.load_scenario``, ``matcher.solve``) is used, so the script
runs unchanged on both sides of a move of modules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matcher import SolveParams, load_scenario, solve  # noqa: E402

REFERENCE = ROOT / "tests" / "data" / "plan_digests.json"
#: Scenario file and time limit (seconds). The time limit sets the work budget.
CASES = {
    "voorbeeld-week-48": ("scenarios/voorbeeld-week-48.yaml", 5.0),
    "limburg-week": ("scenarios/limburg-week.yaml", 10.0),
    "limburg-week-matrix": ("scenarios/limburg-week-matrix.yaml", 10.0),
    "limburg-busy": ("scenarios/limburg-busy.yaml", 30.0),
}


def plan_digest(name: str) -> dict[str, object]:
    """Solve one case with one worker and seed 1; its visits, open requests and digest."""
    path, limit = CASES[name]
    scenario = load_scenario(ROOT / path)
    plan = solve(scenario, SolveParams(time_limit=limit, workers=1, seed=1)).plan
    visits = sorted(
        (v.request, v.date.isoformat(), v.start, v.end, list(v.consultants)) for v in plan.visits
    )
    open_ = sorted(u.request for u in plan.unassigned)
    text = json.dumps({"visits": visits, "unassigned": open_}, sort_keys=True)
    return {
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "visits": len(visits),
        "unassigned": len(open_),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write the reference file")
    ap.add_argument("cases", nargs="*", help=f"cases to run (default all: {', '.join(CASES)})")
    args = ap.parse_args(argv)
    names = args.cases or list(CASES)
    got = {name: plan_digest(name) for name in names}
    if args.record:
        REFERENCE.parent.mkdir(parents=True, exist_ok=True)
        REFERENCE.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n")
        print(f"recorded {len(got)} plans in {REFERENCE.relative_to(ROOT)}")
        return 0
    want = json.loads(REFERENCE.read_text())
    bad = [n for n in names if got[n] != want.get(n)]
    for n in names:
        print(f"{n:22} {'same' if n not in bad else 'DIFFERENT'}  {got[n]}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
