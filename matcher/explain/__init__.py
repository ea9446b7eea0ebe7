"""Explanations: why a request stays open, what would fix it, what changed between plans,
and the tables and tours of a plan as people read them.
"""
