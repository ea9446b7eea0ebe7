"""consultplanner: plans weekly consult rounds (public API filled in as modules land)."""
