"""Fetching a consultant's shared calendar link (``https://``, ``http://``, ``webcal://``).

The calendar is fetched on the server, so this guards the server: only http(s) (webcal
becomes https), no address on the server's own or a private network (unless allowed), at
most 5 redirects, a time limit for the whole fetch and a size limit. Errors carry a
:class:`~matcher.messages.Message` (codes ``ics_*``, English and Dutch in the message tables)
and name a URL by its host only (a shared calendar link usually carries a private token).
:mod:`matcher.scenario.busy_ics` reads what is fetched.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from matcher.messages import Lang, Message

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_ICS_BYTES",
    "IcsError",
    "fetch_ics",
    "fetch_url",
    "link_label",
    "size_mb",
    "url_label",
]

MAX_ICS_BYTES = 5 * 1024 * 1024
"""The largest calendar read (5 MB): a year of a busy agenda is well below this."""
FETCH_TIMEOUT = 10.0
"""Seconds a URL fetch may take in all (connect, wait and read)."""
_SCHEMES = {"http": "http", "https": "https", "webcal": "https", "webcals": "https"}


class IcsError(ValueError):
    """A calendar that cannot be read: :attr:`message` names the source and what is wrong
    (never an event's text).

    ``str(exc)`` is the message in Dutch, as the app shows it; render :attr:`message` for
    another language.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message.render("nl"))
        self.message = message


def size_mb(size: int) -> float:
    """A size in MB with one decimal (a message parameter: ``5``, ``0,3`` in Dutch)."""
    return round(size / (1024 * 1024), 1)


def link_label(url: str) -> Message:
    """How messages name a calendar URL: ``calendar link (host)`` / ``agenda-link (host)``,
    never its path or query (they usually hold a private token)."""
    try:
        host = urllib.parse.urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    return Message("ics_link_host", host=host) if host else Message("ics_link")


def url_label(url: str, lang: Lang = "nl") -> str:
    """:func:`link_label` rendered in ``lang`` (default Dutch, as the app shows it)."""
    return link_label(url).render(lang)


def _check_host(host: str, port: int, label: Message, allow_private: bool) -> None:
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError:
        raise IcsError(Message("ics_host_not_found", source=label)) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise IcsError(Message("ics_private_address", source=label))


def fetch_url(url: str) -> str:
    """The URL that is fetched for a shared calendar link: ``webcal://`` (and
    ``webcals://``) become ``https://``, ``http(s)://`` stay; the fragment is dropped.

    Raises
    ------
    IcsError
        Another scheme (``file:``, ``ftp:``, ``javascript:``, none), or no host.
    """
    label = link_label(url)
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        if scheme:
            raise IcsError(Message("ics_bad_scheme", source=label, scheme=scheme))
        raise IcsError(Message("ics_no_scheme", source=label))
    if not parts.hostname:
        raise IcsError(Message("ics_no_host", source=label))
    return urllib.parse.urlunsplit((_SCHEMES[scheme], parts.netloc, parts.path, parts.query, ""))


def _target(url: str, label: Message, allow_private: bool) -> str:
    target = fetch_url(url)
    parts = urllib.parse.urlsplit(target)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    _check_host(parts.hostname or "", port, label, allow_private)
    return target


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most 5 redirects, each to http(s) and (by default) a public address."""

    max_redirections = 5

    def __init__(self, label: Message, allow_private: bool) -> None:
        super().__init__()
        self.label, self.allow_private = label, allow_private

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise IcsError(Message("ics_redirect_elsewhere", source=self.label))
        _target(newurl, self.label, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_ics(
    url: str,
    *,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_ICS_BYTES,
    allow_private: bool | None = None,
) -> bytes:
    """Fetch a shared calendar (``https://``, ``http://`` or ``webcal://``, which is
    fetched over HTTPS) on the server, within ``timeout`` seconds and ``max_bytes``.

    Other schemes (``file:``, ``ftp:``, ...) are refused, and so are addresses on the
    server's own or a private network unless ``allow_private`` (default: the environment
    variable ``CONSULTPLANNER_ICS_PRIVATE=1``, for a calendar server on the intranet).

    Raises
    ------
    IcsError
        Refused, unreachable, too slow, too large, or an HTTP error; the message names the
        host only.
    """
    label = link_label(url)
    if allow_private is None:
        allow_private = os.environ.get("CONSULTPLANNER_ICS_PRIVATE", "") == "1"
    target = _target(url, label, allow_private)
    opener = urllib.request.build_opener(_Redirects(label, allow_private))
    request = urllib.request.Request(
        target, headers={"User-Agent": "consultplanner", "Accept": "text/calendar, */*"}
    )
    deadline = time.monotonic() + timeout
    slow = Message("ics_too_slow", source=label, seconds=float(timeout))
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IcsError(_too_large(label, int(length), max_bytes))
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise IcsError(slow)
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise IcsError(_too_large(label, size, max_bytes))
                chunks.append(chunk)
    except IcsError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib refuses a redirect to file: itself
            raise IcsError(Message("ics_redirect_elsewhere", source=label)) from None
        raise IcsError(Message("ics_http_error", source=label, status=exc.code)) from None
    except TimeoutError:
        raise IcsError(slow) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise IcsError(slow) from None
        raise IcsError(Message("ics_unreachable", source=label)) from None
    except (OSError, ValueError):
        raise IcsError(Message("ics_unreachable", source=label)) from None
    return b"".join(chunks)


def _too_large(label: Message, size: int, max_bytes: int) -> Message:
    return Message("ics_too_large", source=label, limit=size_mb(max_bytes), size=size_mb(size))
