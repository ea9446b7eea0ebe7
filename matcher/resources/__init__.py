"""Files the code reads at run time, shipped inside the package (package data).

``data/`` holds the reference data (Limburg's gemeenten, Dutch places, population) and
``scenarios/`` the ready planning problems, incl. the app's demo week. In a checkout the
top-level ``scenarios`` folder is a link to the latter, so ``scenarios/limburg-week.yaml``
works from the project root as well.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
DATA_DIR = RESOURCES_DIR / "data"
"""Reference data: ``limburg_gemeenten.csv``, ``nl_plaatsen.csv``, ``limburg_bevolking.csv``."""
SCENARIOS_DIR = RESOURCES_DIR / "scenarios"
"""The shipped scenarios (``limburg-week.yaml`` is the app's demo week)."""
