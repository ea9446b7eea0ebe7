"""Exports for others: calendar invites (iCalendar) and their e-mail delivery, plan CSV."""
