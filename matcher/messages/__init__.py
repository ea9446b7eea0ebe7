"""Wording for people: Dutch dates, weeks, times and words, and the message tables."""
