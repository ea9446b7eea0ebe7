"""Tests of matcher.app.errors: unexpected errors are logged by reference, shown in Dutch."""

from __future__ import annotations

import logging
import re

import pytest

from matcher.app.errors import guarded, guarded_callback, log_unexpected, user_message


class Rerun(BaseException):
    """Stands in for Streamlit's RerunException (a BaseException)."""


def failing() -> None:
    try:
        raise KeyError("Nieuwstraat 74")
    except KeyError as exc:
        raise RuntimeError("could not place the visit at Nieuwstraat 74") from exc


def test_guarded_logs_type_and_frames_but_no_values(caplog: pytest.LogCaptureFixture) -> None:
    shown: list[str] = []
    with (
        caplog.at_level(logging.ERROR, logger="consultplanner.app"),
        guarded("testen", show=shown.append),
    ):
        failing()
    (message,) = shown
    ref = re.search(r"melding ([0-9a-f]{8})\)", message)
    assert ref is not None and message == user_message(ref.group(1))
    log = caplog.text
    assert f"unexpected error {ref.group(1)} during testen" in log
    assert "builtins.RuntimeError" in log and "builtins.KeyError" in log
    assert "in failing" in log and "test_app_errors.py:" in log
    assert "Nieuwstraat" not in log and "Traceback" not in message


def test_streamlit_control_flow_passes_through() -> None:
    shown: list[str] = []
    with pytest.raises(Rerun), guarded(show=shown.append):
        raise Rerun
    assert shown == []


def test_each_error_gets_its_own_reference() -> None:
    refs = {log_unexpected(ValueError("x")) for _ in range(50)}
    assert len(refs) == 50


def test_guarded_callback_keeps_the_result_or_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import matcher.app.errors

    shown: list[str] = []
    monkeypatch.setattr(matcher.app.errors, "_st_error", shown.append)

    @guarded_callback("klikken")
    def ok(x: int) -> int:
        return x + 1

    @guarded_callback("klikken")
    def bad() -> None:
        failing()

    assert ok(1) == 2 and shown == []
    assert bad() is None
    assert len(shown) == 1 and shown[0].startswith("Er ging iets mis (melding ")
