"""English message table (the CLI, the plan file, logs): code -> template.

Every code here has an entry with the same ``{placeholders}`` in
:mod:`matcher.messages.text_nl`; ``tests/test_messages.py`` checks both tables.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    "solver_status_optimal": "optimal",
    "solver_status_feasible": "feasible",
    "solver_status_infeasible": "infeasible",
    "solver_status_unknown": "no plan found yet",
}
