"""The shape of a scenario document (FORMAT.md): the keys of each section and the limits.

Each ``*_KEYS`` mapping lists a section's keys, ``True`` for a required one; the
validator (:mod:`matcher.scenario.validate`) reports unknown and missing keys from them.
"""

from __future__ import annotations

MAX_ROLES = 20
"""Most roles (consultants) of one joint visit."""
MAX_WEIGHT = 1_000_000
"""Largest objective weight (``weights.*``); with :data:`MAX_URGENCY_FACTOR` and a realistic
week the objective stays far inside 64 bits."""
MAX_URGENCY_FACTOR = 1_000
"""Largest urgency factor."""
MAX_OBJECTIVE = 2**53
"""Largest objective a week may reach in the worst case (every cost at its highest): beyond
it the solver's 64-bit sums and its floating-point bounds are no longer exact."""


TOP_KEYS = {
    "format": True,
    "name": True,
    "week": False,
    "days": False,
    "timezone": False,
    "travel": False,
    "weights": False,
    "urgency_factors": False,
    "providers": True,
    "consultants": True,
    "locations": True,
    "youths": True,
    "requests": True,
    "now": False,
    "published": False,
}
PROVIDER_KEYS = {"id": True, "name": True, "hourly_rate": False, "km_rate": False}
PUBLISHED_KEYS = {"request": True, "date": True, "start": True, "consultants": True}
MAX_RATE = 1_000_000.0
"""Largest hourly or km rate accepted (euros)."""
CONSULTANT_KEYS = {
    "id": True,
    "provider": True,
    "name": True,
    "email": True,
    "base": True,
    "skills": False,
    "max_visits_per_day": False,
    "max_visits_per_week": False,
    "availability": False,
    "unavailable": False,
}
WINDOW_KEYS = {"date": False, "weekday": False, "start": True, "end": True}
UNAVAILABLE_KEYS = {"date": True, "start": False, "end": False}
POINT_KEYS = {"lat": True, "lon": True}
LOCATION_KEYS = {
    "id": True,
    "name": True,
    "kind": True,
    "gemeente": True,
    "lat": True,
    "lon": True,
    "address": False,
    "confidential": False,
    "open": False,
    "contact": False,
}
CONTACT_KEYS = {"name": True, "email": True}
YOUTH_KEYS = {
    "id": True,
    "location": True,
    "gemeente": True,
    "signalled_on": True,
    "urgency": False,
    "previous_consultant": False,
    "excluded_consultants": False,
}
REQUEST_KEYS = {
    "id": True,
    "youth": True,
    "roles": False,
    "skills": False,
    "duration_minutes": True,
    "earliest": False,
    "latest": False,
    "time_of_day": False,
    "pinned": False,
}
TIME_OF_DAY_KEYS = {"start": True, "end": True}
PIN_KEYS = {"consultants": True, "date": False, "start": False}
TRAVEL_KEYS = {"speed_kmh": False, "detour_factor": False, "matrix": False}
WEIGHT_KEYS = {
    "travel_minute": False,
    "waiting_day": False,
    "continuity": False,
    "unassigned": False,
    "change": False,
}
