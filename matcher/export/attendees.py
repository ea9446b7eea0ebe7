"""Who an invite goes to: the organizer, the recipients of a visit (its consultants and the
location's contact) and what the invite says about the location (never a confidential
address).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from matcher.export.invite_errors import InviteError
from matcher.scenario.domain import Location, Scenario, Visit

ORGANIZER_ENV = "CONSULTPLANNER_ORGANIZER"
_ORGANIZER_RE = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<email>[^<>\s]+)\s*>\s*$")


@dataclass(frozen=True, slots=True)
class Organizer:
    """Who sends the invites (the ketenregisseur)."""

    name: str
    email: str


DEFAULT_ORGANIZER = Organizer(
    "Ketenregisseur Mensenhandel Limburg", "ketenregisseur@consultplanner.example"
)


def parse_organizer(text: str, default_name: str = DEFAULT_ORGANIZER.name) -> Organizer:
    """Parse ``"Name <email>"`` or a bare ``email`` into an :class:`Organizer`.

    Raises
    ------
    InviteError
        When no e-mail address with an ``@`` can be found.
    """
    m = _ORGANIZER_RE.match(text)
    if m:
        name, email = m.group("name").strip().strip('"').strip(), m.group("email")
    else:
        name, email = "", text.strip()
    if "@" not in email or any(ch.isspace() for ch in email):
        raise InviteError(f"organizer {text!r}: expected 'Name <email>' or an e-mail address")
    return Organizer(name or default_name, email)


def organizer_from_env(environ: Mapping[str, str] | None = None) -> Organizer:
    """The organizer from ``$CONSULTPLANNER_ORGANIZER`` (``"Name <email>"``), or the default."""
    env = os.environ if environ is None else environ
    value = env.get(ORGANIZER_ENV, "").strip()
    return parse_organizer(value) if value else DEFAULT_ORGANIZER


@dataclass(frozen=True, slots=True)
class Recipient:
    """An attendee who gets a file: a consultant, or the local contact of a location.

    ``key`` is the file stem before sanitising: the consultant id, or
    ``contact-<location id>``.
    """

    key: str
    name: str
    email: str
    kind: Literal["consultant", "contact"]


def contact_key(location_id: str) -> str:
    """The recipient key (file stem) of a location's contact."""
    return f"contact-{location_id}"


def location_text(location: Location) -> str:
    """``LOCATION``: name plus address, or for a confidential location name + "(adres in
    dossier)"."""
    if location.confidential:
        return f"{location.name} (adres in dossier)"
    if location.address:
        return f"{location.name}, {location.address}"
    return location.name


def _address_line(location: Location) -> str:
    if location.confidential:
        return "Adres: staat in het dossier (vertrouwelijke locatie)"
    return f"Adres: {location.address}" if location.address else "Adres: onbekend"


def _person(scenario: Scenario, consultant_id: str) -> str:
    c = scenario.consultant(consultant_id)
    try:
        provider = scenario.provider(c.provider).name
    except KeyError:
        provider = c.provider
    return f"{c.name} ({provider})"


def _recipients(scenario: Scenario, visit: Visit, location: Location | None) -> list[Recipient]:
    out = []
    for cid in visit.consultants:
        c = scenario.consultant(cid)
        out.append(Recipient(c.id, c.name, c.email, "consultant"))
    if location is not None and location.contact is not None:
        out.append(
            Recipient(
                contact_key(location.id), location.contact.name, location.contact.email, "contact"
            )
        )
    return out


def _visit_location(scenario: Scenario, visit: Visit) -> Location:
    if visit.location:
        try:
            return scenario.location(visit.location)
        except KeyError:
            pass
    try:
        return scenario.location_of(scenario.request(visit.request))
    except KeyError as exc:
        raise InviteError(
            f"visit of request {visit.request!r}: location {visit.location!r} is not in the "
            "scenario"
        ) from exc
