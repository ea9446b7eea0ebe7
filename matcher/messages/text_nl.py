"""Dutch message table (the app): code -> template, the same codes as
:mod:`matcher.messages.text_en`."""

from __future__ import annotations

TEXT: dict[str, str] = {
    "solver_status_optimal": "optimaal (beste plan bewezen)",
    "solver_status_feasible": "uitvoerbaar (mogelijk niet het beste)",
    "solver_status_infeasible": "onuitvoerbaar",
    "solver_status_unknown": "nog geen plan gevonden",
}
