"""The weekly cycle: re-planning against published visits and the next round."""
