"""Tests of matcher.export.mail against a real local SMTP server (aiosmtpd, on 127.0.0.1).

What the server received is parsed back with ``email`` and ``icalendar``: one message per
visit per recipient, the Content-Type method matches the calendar's METHOD, only changed
visits go out on a second sending, cancellations, and no confidential address anywhere.
The scenario fixtures are those of test_invites (a confidential location whose contact has
a hostile name, an open location, a confidential one without contact).
"""

from __future__ import annotations

import dataclasses
import email
import json
import re
import socket
import ssl
from collections.abc import Iterator
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from icalendar import Calendar
from test_invites import (
    CONF_ADDRESS,
    EVIL_EMAIL,
    EVIL_NAME,
    OPEN_ADDRESS,
    ORG,
    T0,
    T1,
    confidential_needles,
    first_plan,
    leaks,
    make_scenario,
    replan,
    unescape,
    unfold,
)

from matcher.cli.main import main
from matcher.export.invites import Organizer, build_invites, stamp_plan, visit_uid
from matcher.export.mail import (
    ATTACHMENT_NAME,
    ENV_CAFILE,
    ENV_FROM,
    ENV_HOST,
    ENV_PASSWORD,
    ENV_PORT,
    ENV_STARTTLS,
    ENV_TIMEOUT,
    ENV_USERNAME,
    MailError,
    OutgoingMail,
    SmtpSettings,
    build_mails,
    send_mails,
    write_eml,
)
from matcher.scenario.domain import Scenario

USER, PASSWORD = "planner", "s3cret-Wachtwoord"


# A local SMTP server ------------------------------------------------------------------


@dataclasses.dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.raw, policy=email_policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


class Collector:
    """aiosmtpd handler: keeps every message; refuses the recipients in ``refuse``."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclasses.dataclass
class Server:
    handler: Collector
    port: int
    cafile: str = ""

    def settings(self, **kw: Any) -> SmtpSettings:
        base: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "starttls": False}
        return SmtpSettings(**{**base, **kw})

    def env(self, **kw: str) -> dict[str, str]:
        return {ENV_HOST: "127.0.0.1", ENV_PORT: str(self.port), ENV_STARTTLS: "false", **kw}


@pytest.fixture
def smtp() -> Iterator[Server]:
    handler = Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Server(handler, port)
    finally:
        controller.stop()


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@pytest.fixture
def tls_smtp(tmp_path: Path) -> Iterator[Server]:
    """A server that requires STARTTLS and a login (certificate from a test CA)."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    handler = Collector()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_ctx,
        require_starttls=True,
        auth_required=True,
        authenticator=_authenticator,
    )
    controller.start()
    try:
        yield Server(handler, port, str(cafile))
    finally:
        controller.stop()


# Helpers ------------------------------------------------------------------------------


@pytest.fixture
def scenario() -> Scenario:
    return make_scenario()


def calendar_parts(msg: EmailMessage) -> tuple[EmailMessage, EmailMessage, EmailMessage]:
    """(text/plain, text/calendar, invite.ics attachment), checking the structure."""
    assert msg.get_content_type() == "multipart/mixed"
    top = list(msg.iter_parts())
    assert [p.get_content_type() for p in top] == ["multipart/alternative", "application/ics"]
    alt = list(top[0].iter_parts())
    assert [p.get_content_type() for p in alt] == ["text/plain", "text/calendar"]
    attachment = top[1]
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == ATTACHMENT_NAME
    return alt[0], alt[1], attachment


def ics_of(part: EmailMessage) -> Calendar:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload.decode("utf-8"))


def summarise(received: list[Received]) -> set[tuple[str, str, str]]:
    """``(recipient, UID, METHOD)`` of every received message, checking each on the way."""
    out = set()
    for rec in received:
        msg = rec.message
        assert len(rec.rcpt_tos) == 1
        assert msg["To"].addresses[0].addr_spec == rec.rcpt_tos[0]
        _, cal_part, attachment = calendar_parts(msg)
        cal = ics_of(cal_part)
        method = str(cal["METHOD"])
        assert cal_part.get_param("method") == method
        assert cal_part.get_content_charset() == "utf-8"
        # Written unquoted, as Outlook and Gmail write it themselves.
        header = f'Content-Type: text/calendar; charset="utf-8"; method={method}\r\n'
        assert header.encode() in rec.raw
        assert attachment.get_payload(decode=True) == cal_part.get_payload(decode=True)
        events = list(cal.walk("VEVENT"))
        assert len(events) == 1  # Outlook reads only the first VEVENT of a mail
        attendees = events[0].get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert f"mailto:{rec.rcpt_tos[0]}" in [str(a) for a in attendees]
        out.add((rec.rcpt_tos[0], str(events[0]["UID"]), method))
    return out


def expected(scenario: Scenario, rows: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """``(recipient key, request, METHOD)`` rows as ``(address, UID, METHOD)``."""
    emails = {c.id: c.email for c in scenario.consultants}
    emails |= {f"contact-{loc.id}": loc.contact.email for loc in scenario.locations if loc.contact}
    return {(emails[k], visit_uid(scenario, req), m) for k, req, m in rows}


FIRST_SENDING = [
    ("C-A", "R-1", "REQUEST"),
    ("C-A", "R-3", "REQUEST"),
    ("C-A", "R-2", "REQUEST"),
    ("C-B", "R-4", "REQUEST"),
    ("C-B", "R-2", "REQUEST"),
    ("contact-L-CONF", "R-1", "REQUEST"),
    ("contact-L-CONF", "R-4", "REQUEST"),
    ("contact-L-OPEN", "R-2", "REQUEST"),
]
# replan(): R-1 unchanged, R-3 moved, R-2 moved from C-A to C-C, R-4 dropped.
SECOND_SENDING = [
    ("C-A", "R-3", "REQUEST"),
    ("C-A", "R-2", "CANCEL"),
    ("C-B", "R-2", "REQUEST"),
    ("C-C", "R-2", "REQUEST"),
    ("contact-L-OPEN", "R-2", "REQUEST"),
    ("C-B", "R-4", "CANCEL"),
    ("contact-L-CONF", "R-4", "CANCEL"),
]


def every_text(raw: bytes) -> Iterator[str]:
    """The raw message, its decoded headers and every decoded part (also unfolded and
    unescaped for calendar parts)."""
    yield raw.decode("utf-8", errors="replace")
    msg = email.message_from_bytes(raw, policy=email_policy.default)
    for part in msg.walk():
        for key, value in part.items():
            yield f"{key}: {value}"
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        text = payload.decode("utf-8")
        yield text
        yield unescape(unfold(text))


# Sending ------------------------------------------------------------------------------


def test_first_sending_one_message_per_visit_per_recipient(
    smtp: Server, scenario: Scenario
) -> None:
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    report = send_mails(mails, smtp.settings())
    assert not report.failed and len(report.sent) == len(mails) == len(FIRST_SENDING)
    assert len(smtp.handler.received) == len(FIRST_SENDING)
    assert summarise(smtp.handler.received) == expected(scenario, FIRST_SENDING)
    # The calendar part is the per-visit file, byte for byte (CRLF and folding intact).
    files = build_invites(scenario, first_plan(scenario), organizer=ORG, now=T0)
    for mail, rec in zip(mails, smtp.handler.received, strict=True):
        _, cal_part, _ = calendar_parts(rec.message)
        assert cal_part.get_payload(decode=True) == files[mail.invite.path].encode("utf-8")
        assert rec.mail_from == ORG.email
        assert rec.message["From"].addresses[0].addr_spec == ORG.email
        assert rec.message["Subject"].startswith("Uitnodiging: ")


def test_second_sending_only_changed_visits_and_cancels(smtp: Server, scenario: Scenario) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    mails = build_mails(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    report = send_mails(mails, smtp.settings())
    assert len(report.sent) == len(SECOND_SENDING) and not report.failed
    assert summarise(smtp.handler.received) == expected(scenario, SECOND_SENDING)
    # R-1 did not change: nobody hears about it again.
    r1 = visit_uid(scenario, "R-1")
    assert not any(uid == r1 for _, uid, _ in summarise(smtp.handler.received))
    # Sending the same re-plan once more sends nothing at all.
    sent2 = stamp_plan(scenario, replan(scenario), previous=sent, organizer=ORG)
    again = build_mails(scenario, replan(scenario), previous=sent2, organizer=ORG, now=T1)
    assert again == []
    assert send_mails(again, smtp.settings()).sent == []
    assert len(smtp.handler.received) == len(SECOND_SENDING)


def test_cancellations(smtp: Server, scenario: Scenario) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    mails = build_mails(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    send_mails(mails, smtp.settings())
    by_key = {
        (
            rec.rcpt_tos[0],
            str(next(iter(ics_of(calendar_parts(rec.message)[1]).walk("VEVENT")))["UID"]),
        ): rec
        for rec in smtp.handler.received
    }
    # R-4 is dropped: a whole-event cancel, STATUS:CANCELLED, "Geannuleerd".
    r4 = by_key[("b.peeters@xonar.example", visit_uid(scenario, "R-4"))]
    text, cal_part, _ = calendar_parts(r4.message)
    ev = next(iter(ics_of(cal_part).walk("VEVENT")))
    assert cal_part.get_param("method") == "CANCEL"
    assert str(ev["STATUS"]) == "CANCELLED"
    assert int(ev["SEQUENCE"]) == 1
    assert r4.message["Subject"].startswith("Geannuleerd: Consult Y-T-004 (R-4)")
    assert "vervallen" in text.get_content()
    # C-A is taken off R-2, which goes on: uninvited only, no STATUS (RFC 5546 3.2.5).
    r2 = by_key[("a.jansen@fier.example", visit_uid(scenario, "R-2"))]
    text, cal_part, _ = calendar_parts(r2.message)
    ev = next(iter(ics_of(cal_part).walk("VEVENT")))
    assert cal_part.get_param("method") == "CANCEL"
    assert "STATUS" not in ev
    assert r2.message["Subject"].startswith("Afgemeld: Gezamenlijk consult Y-T-002 (R-2)")
    assert "gaat door zonder u" in text.get_content()
    # The consultant new on R-2 gets an invitation; the one who stays gets an update.
    cc = by_key[("s.hendriks@xonar.example", visit_uid(scenario, "R-2"))]
    cb = by_key[("b.peeters@xonar.example", visit_uid(scenario, "R-2"))]
    assert cc.message["Subject"].startswith("Uitnodiging: ")
    assert cb.message["Subject"].startswith("Gewijzigd: ")


def test_no_confidential_address_anywhere_in_a_message(smtp: Server, scenario: Scenario) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    send_mails(build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0), smtp.settings())
    send_mails(
        build_mails(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1),
        smtp.settings(),
    )
    needles = confidential_needles(scenario)
    assert CONF_ADDRESS in needles and "Geheimstraat 7" in needles
    checked = 0
    for rec in smtp.handler.received:
        for text in every_text(rec.raw):
            assert leaks(needles, text) == []
            checked += 1
    assert checked > 100
    # The note names a confidential place by its alias, an open one with its address.
    bodies = {}
    for rec in smtp.handler.received:
        uid = str(next(iter(ics_of(calendar_parts(rec.message)[1]).walk("VEVENT")))["UID"])
        bodies[(rec.rcpt_tos[0], uid)] = calendar_parts(rec.message)[0].get_content()
    conf = bodies[("a.jansen@fier.example", visit_uid(scenario, "R-1"))]
    assert "Waar: Gezinshuis De Linde (adres in dossier)" in conf
    open_ = bodies[("piet@school.example", visit_uid(scenario, "R-2"))]
    assert f"Waar: Mentorpunt Roermond, {OPEN_ADDRESS}" in open_


def test_note_is_dutch_and_says_what_when_where(smtp: Server, scenario: Scenario) -> None:
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    r1 = [m for m in mails if m.invite.request == "R-1" and m.invite.recipient.key == "C-A"]
    body = calendar_parts(r1[0].message)[0].get_content()
    assert body.startswith("Beste Jansen, Anouk,\n")
    assert "U bent uitgenodigd voor dit consult:" in body
    assert "Wat: Consult Y-T-001 (R-1)" in body
    assert "Wanneer: vrijdag 23-10-2026 (week 43), 09:30–10:30" in body
    assert "Met vriendelijke groet,\nKetenregisseur Test" in body
    assert r1[0].message["Subject"] == "Uitnodiging: Consult Y-T-001 (R-1) – vr 23 okt 09:30–10:30"


def test_hostile_contact_name_cannot_add_headers(smtp: Server, scenario: Scenario) -> None:
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    send_mails(mails, smtp.settings())
    to_contact = [r for r in smtp.handler.received if r.rcpt_tos == [EVIL_EMAIL]]
    assert len(to_contact) == 2
    for rec in to_contact:
        msg = rec.message
        assert msg.get_all("To") is not None and len(msg.get_all("To")) == 1
        assert msg["To"].addresses[0].addr_spec == EVIL_EMAIL
        assert msg["To"].addresses[0].display_name == " ".join(EVIL_NAME.split())
        assert "ATTENDEE" not in [k.upper() for k in msg]
        # In the invite itself the name survives whole (RFC 6868 in CN).
        ev = next(iter(ics_of(calendar_parts(msg)[1]).walk("VEVENT")))
        cns = [a.params["CN"] for a in ev["ATTENDEE"] if str(a) == f"mailto:{EVIL_EMAIL}"]
        assert cns == [EVIL_NAME]


def test_refused_recipient_is_reported_and_the_rest_is_sent(
    smtp: Server, scenario: Scenario
) -> None:
    smtp.handler.refuse = {"b.peeters@xonar.example"}
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    report = send_mails(mails, smtp.settings())
    refused = {m.invite.path for m, _ in report.failed}
    assert refused == {"visits/C-B/R-4.ics", "visits/C-B/R-2.ics"}
    assert all("550" in reason for _, reason in report.failed)
    assert len(report.sent) == len(mails) - 2 == len(smtp.handler.received)


def test_starttls_and_login(tls_smtp: Server, scenario: Scenario) -> None:
    env = tls_smtp.env(
        **{
            ENV_STARTTLS: "ja",
            ENV_USERNAME: USER,
            ENV_PASSWORD: PASSWORD,
            ENV_CAFILE: tls_smtp.cafile,
        }
    )
    settings = SmtpSettings.from_env(env)
    assert settings.starttls and settings.username == USER
    assert PASSWORD not in repr(settings)
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    report = send_mails(mails, settings)
    assert len(report.sent) == len(mails) and not report.failed
    assert summarise(tls_smtp.handler.received) == expected(scenario, FIRST_SENDING)
    # A wrong password is refused; the error names the user, never a password.
    bad = dataclasses.replace(settings, password="wrong-" + PASSWORD)
    with pytest.raises(MailError, match=r"login as 'planner' refused \(535 ") as info:
        send_mails(mails, bad)
    assert PASSWORD not in str(info.value)
    # Without STARTTLS this server refuses our sender; without the CA the certificate fails.
    plain = dataclasses.replace(settings, starttls=False, username="", password="")
    with pytest.raises(MailError, match=r"refuses the sender 'regie@test.example' \(530 "):
        send_mails(mails, plain)
    with pytest.raises(MailError, match=r"STARTTLS failed|certificate"):
        send_mails(mails, dataclasses.replace(settings, cafile=""))
    assert len(tls_smtp.handler.received) == len(mails)


def test_starttls_required_but_not_offered(smtp: Server, scenario: Scenario) -> None:
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    with pytest.raises(MailError, match="does not offer STARTTLS"):
        send_mails(mails, smtp.settings(starttls=True))
    assert smtp.handler.received == []


def test_unreachable_server_is_a_clear_error(scenario: Scenario) -> None:
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    port = free_port()  # nothing listens there
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=5)
    with pytest.raises(MailError, match=f"SMTP server 127.0.0.1:{port}: cannot connect"):
        send_mails(mails, settings)


def test_sender_setting_sets_from_and_reply_to(smtp: Server, scenario: Scenario) -> None:
    sender = Organizer("Planner Mailer", "noreply@mail.example")
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, sender=sender, now=T0)
    send_mails(mails, smtp.settings(sender="Planner Mailer <noreply@mail.example>"))
    rec = smtp.handler.received[0]
    assert rec.mail_from == "noreply@mail.example"
    assert rec.message["From"].addresses[0].addr_spec == "noreply@mail.example"
    assert rec.message["Reply-To"].addresses[0].addr_spec == ORG.email
    ev = next(iter(ics_of(calendar_parts(rec.message)[1]).walk("VEVENT")))
    assert str(ev["ORGANIZER"]) == f"mailto:{ORG.email}"


# Settings, addresses, dry run ----------------------------------------------------------


def test_settings_from_env_defaults_and_every_problem_at_once() -> None:
    s = SmtpSettings.from_env({ENV_HOST: "smtp.example"})
    assert (s.host, s.port, s.starttls, s.username, s.timeout) == (
        "smtp.example",
        587,
        True,
        "",
        30,
    )
    assert SmtpSettings.from_env({ENV_STARTTLS: "nee"}).port == 25
    with pytest.raises(MailError) as info:
        SmtpSettings.from_env(
            {
                ENV_PORT: "99999",
                ENV_STARTTLS: "misschien",
                ENV_TIMEOUT: "soon",
                ENV_FROM: "geen adres",
                ENV_CAFILE: "/nonexistent/ca.pem",
            }
        )
    text = str(info.value)
    for needle in (
        f"{ENV_PORT}: '99999'",
        f"{ENV_STARTTLS}: 'misschien'",
        "true/false",
        f"{ENV_TIMEOUT}: 'soon'",
        f"{ENV_FROM}: 'geen adres'",
        f"{ENV_CAFILE}: '/nonexistent/ca.pem'",
    ):
        assert needle in text


def test_settings_problems() -> None:
    assert SmtpSettings(host="smtp.example").problems() == []
    assert any(ENV_HOST in p for p in SmtpSettings().problems())
    plain = SmtpSettings(host="smtp.example", starttls=False, username="u", password="p")
    assert any("unencrypted" in p for p in plain.problems())
    assert "p" not in " ".join(plain.problems()).replace("password", "").split()
    local = SmtpSettings(host="localhost", starttls=False, username="u", password="p")
    assert local.problems() == []
    assert any(ENV_USERNAME in p for p in SmtpSettings(host="h", password="p").problems())
    with pytest.raises(MailError, match="no SMTP server"):
        send_mails([], SmtpSettings())


def test_bad_recipient_addresses_are_all_reported_and_nothing_is_built(scenario: Scenario) -> None:
    cons = tuple(
        dataclasses.replace(c, email="b@x.example\r\nBcc: evil@x")
        if c.id == "C-B"
        else dataclasses.replace(c, email="geen adres")
        if c.id == "C-A"
        else c
        for c in scenario.consultants
    )
    s = dataclasses.replace(scenario, consultants=cons)
    with pytest.raises(MailError) as info:
        build_mails(s, first_plan(s), organizer=ORG, now=T0)
    assert "recipient C-A: 'geen adres'" in str(info.value)
    assert "recipient C-B: 'b@x.example\\r\\nBcc: evil@x'" in str(info.value)
    assert "\n" not in str(info.value)


def test_dry_run_writes_eml_files(tmp_path: Path, scenario: Scenario) -> None:
    out = tmp_path / "eml"
    (out / "C-OLD").mkdir(parents=True)
    (out / "C-OLD" / "R-9.eml").write_text("stale")
    (out / "notes.txt").write_text("keep me")
    mails = build_mails(scenario, first_plan(scenario), organizer=ORG, now=T0)
    written = write_eml(mails, out)
    assert {p.relative_to(out).as_posix() for p in written} == {
        "C-A/R-1.eml",
        "C-A/R-3.eml",
        "C-A/R-2.eml",
        "C-B/R-4.eml",
        "C-B/R-2.eml",
        "contact-L-CONF/R-1.eml",
        "contact-L-CONF/R-4.eml",
        "contact-L-OPEN/R-2.eml",
    }
    assert not (out / "C-OLD").exists()
    assert (out / "notes.txt").read_text() == "keep me"
    received = [
        Received(ORG.email, [m.invite.recipient.email], p.read_bytes())
        for m, p in zip(mails, written, strict=True)
    ]
    assert summarise(received) == expected(scenario, FIRST_SENDING)
    for p in written:
        raw = p.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        for text in every_text(raw):
            assert leaks(confidential_needles(scenario), text) == []


def test_outgoing_mail_eml_name(scenario: Scenario) -> None:
    sent = stamp_plan(scenario, first_plan(scenario), organizer=ORG)
    mails = build_mails(scenario, replan(scenario), previous=sent, organizer=ORG, now=T1)
    names = {m.eml_name for m in mails}
    assert "C-A/R-2-cancel.eml" in names and "C-A/R-3.eml" in names
    assert all(isinstance(m, OutgoingMail) for m in mails)


# Command line -------------------------------------------------------------------------


def _example_replan(tmp_path: Path) -> Path:
    """The spec's example plan with R-3 dropped and R-6 an hour later."""
    plan_path = Path(__file__).parent / "data" / "example-plan.json"
    doc = json.loads(plan_path.read_text(encoding="utf-8"))
    doc["visits"] = [v for v in doc["visits"] if v["request"] != "R-3"]
    for v in doc["visits"]:
        if v["request"] == "R-6":
            v["start"], v["end"] = "10:45", "11:30"
    doc["unassigned"] = [{"request": "R-3", "reasons": ["test"]}]
    out = tmp_path / "plan2.json"
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


def test_ics_send_end_to_end(
    smtp: Server,
    example_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key, value in smtp.env().items():
        monkeypatch.setenv(key, value)
    plan_path = Path(__file__).parent / "data" / "example-plan.json"
    out = tmp_path / "out"
    args = ["ics", str(example_path), str(plan_path), "--out", str(out), "--send"]
    assert main([*args, "--organizer", "R <r@x.example>"]) == 0
    first = len(smtp.handler.received)
    n_visit_files = len(list((out / "visits").glob("*/*.ics")))
    assert first == n_visit_files > 0
    assert "sent " in capsys.readouterr().out
    sent = out / "sent-plan.json"
    assert sent.exists()
    # Re-plan: only the changed visits and the cancels of R-3 go out.
    out2 = tmp_path / "out2"
    plan2 = _example_replan(tmp_path)
    args2 = ["ics", str(example_path), str(plan2), "--out", str(out2), "--previous", str(sent)]
    assert main([*args2, "--organizer", "R <r@x.example>", "--send"]) == 0
    second = smtp.handler.received[first:]
    methods = {}
    for rec in second:
        cal = ics_of(calendar_parts(rec.message)[1])
        ev = next(iter(cal.walk("VEVENT")))
        req = re.search(r"Aanvraag: (\S+)", str(ev["DESCRIPTION"]))
        assert req
        methods.setdefault(req[1], set()).add(str(cal["METHOD"]))
    assert methods.get("R-3") == {"CANCEL"}
    assert "R-6" in methods and methods["R-6"] == {"REQUEST"}
    assert "R-5" not in methods  # unchanged
    assert len(second) < first
    # A server that refuses a recipient: exit 1 and no sent-plan.json to build on.
    smtp.handler.refuse = {rec.rcpt_tos[0] for rec in second[:1]}
    out3 = tmp_path / "out3"
    args3 = ["ics", str(example_path), str(plan2), "--out", str(out3), "--previous", str(sent)]
    assert main([*args3, "--organizer", "R <r@x.example>", "--send"]) == 1
    assert not (out3 / "sent-plan.json").exists()
    assert "is not written" in capsys.readouterr().err


def test_ics_dry_run_and_bad_settings(
    example_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    plan_path = Path(__file__).parent / "data" / "example-plan.json"
    monkeypatch.delenv(ENV_HOST, raising=False)
    out, eml = tmp_path / "out", tmp_path / "eml"
    args = ["ics", str(example_path), str(plan_path), "--out", str(out)]
    assert main([*args, "--dry-run-eml", str(eml)]) == 0  # needs no server
    assert "dry run" in capsys.readouterr().out
    emls = sorted(p.relative_to(eml).as_posix() for p in eml.glob("*/*.eml"))
    visits = sorted(p.relative_to(out / "visits").as_posix() for p in out.glob("visits/*/*.ics"))
    assert emls == [v.removesuffix(".ics") + ".eml" for v in visits]
    # --send without a server configured: bad input, nothing written.
    out2 = tmp_path / "out2"
    assert main(["ics", str(example_path), str(plan_path), "--out", str(out2), "--send"]) == 2
    assert ENV_HOST in capsys.readouterr().err
    assert not out2.exists()
    with pytest.raises(SystemExit):
        main([*args, "--send", "--dry-run-eml", str(eml)])
