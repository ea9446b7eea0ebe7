"""Accounts: argon2id hashes, lockout after 5 failures, idle timeout, setup token, CLI."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from matcher.cli.main import main
from matcher.security import accounts
from matcher.security.accounts import AccountError, authenticate, create_account
from matcher.storage.engine import get_engine
from matcher.storage.security_tables import AccountRow

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def engine() -> Engine:
    return get_engine("sqlite://")


def test_password_is_stored_as_argon2id_hash_only(engine: Engine) -> None:
    create_account(engine, "anna", PASSWORD, "ketenregisseur")
    with engine.connect() as conn:
        stored = conn.execute(select(AccountRow.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert authenticate(engine, "anna", PASSWORD).ok
    assert not authenticate(engine, "anna", PASSWORD + "x").ok


def test_weak_password_unknown_role_and_missing_scope_are_refused(engine: Engine) -> None:
    with pytest.raises(AccountError, match="minstens 12"):
        create_account(engine, "anna", "kort", "ketenregisseur")
    with pytest.raises(AccountError, match="bestaat niet"):
        create_account(engine, "anna", PASSWORD, "superuser")
    with pytest.raises(AccountError, match="needs a provider"):
        create_account(engine, "p", PASSWORD, "planner")
    with pytest.raises(AccountError, match="needs a consultant"):
        create_account(engine, "c", PASSWORD, "consultant", provider="fier")
    create_account(engine, "anna", PASSWORD, "ketenregisseur")
    with pytest.raises(AccountError, match="bestaat al"):
        create_account(engine, "anna", PASSWORD, "admin")
    assert [a.username for a in accounts.list_accounts(engine)] == ["anna"]


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    create_account(engine, "anna", PASSWORD, "ketenregisseur")
    t0 = dt.datetime(2026, 12, 1, 9, 0)
    for i in range(4):
        result = authenticate(engine, "anna", "fout", now=t0 + dt.timedelta(seconds=i))
        assert not result.ok and result.message == accounts.BAD_LOGIN
    fifth = authenticate(engine, "anna", "fout", now=t0 + dt.timedelta(seconds=5))
    assert "15 minuten geblokkeerd" in fifth.message
    # locked: even the right password is refused, until 15 minutes have passed
    later = t0 + dt.timedelta(minutes=14)
    locked = authenticate(engine, "anna", PASSWORD, now=later)
    assert not locked.ok and "geblokkeerd" in locked.message
    assert authenticate(engine, "anna", PASSWORD, now=t0 + dt.timedelta(minutes=16)).ok
    # a success resets the count: four more failures do not lock
    for i in range(4):
        authenticate(engine, "anna", "fout", now=t0 + dt.timedelta(minutes=17, seconds=i))
    assert authenticate(engine, "anna", PASSWORD, now=t0 + dt.timedelta(minutes=18)).ok


def test_reset_password_lifts_the_lockout_and_disabled_accounts_cannot_log_in(
    engine: Engine,
) -> None:
    create_account(engine, "anna", PASSWORD, "ketenregisseur")
    for _ in range(5):
        authenticate(engine, "anna", "fout")
    assert accounts.get_account(engine, "anna").locked()  # type: ignore[union-attr]
    accounts.set_password(engine, "anna", "nog-een-lang-wachtwoord")
    assert authenticate(engine, "anna", "nog-een-lang-wachtwoord").ok
    accounts.set_active(engine, "anna", False)
    refused = authenticate(engine, "anna", "nog-een-lang-wachtwoord")
    assert not refused.ok and "uitgeschakeld" in refused.message


def test_unknown_user_gets_the_same_message(engine: Engine) -> None:
    assert authenticate(engine, "niemand", PASSWORD).message == accounts.BAD_LOGIN


def test_idle_timeout_is_thirty_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(accounts.IDLE_ENV, raising=False)
    assert not accounts.is_idle(0.0, 30 * 60)
    assert accounts.is_idle(0.0, 30 * 60 + 1)
    monkeypatch.setenv(accounts.IDLE_ENV, "5")
    assert accounts.is_idle(0.0, 5 * 60 + 1)


def test_first_account_needs_the_setup_token(engine: Engine) -> None:
    assert accounts.needs_setup(engine)
    with pytest.raises(AccountError, match="insteltoken"):
        accounts.create_first_account(engine, "raden", "anna", PASSWORD)
    token = accounts.setup_token()
    made = accounts.create_first_account(engine, token, "anna", PASSWORD)
    assert made.role == "ketenregisseur"
    assert not accounts.needs_setup(engine)
    with pytest.raises(AccountError, match="al een account"):
        accounts.create_first_account(engine, accounts.setup_token(), "bert", PASSWORD)


def test_sso_email_maps_an_identity_to_an_active_account(engine: Engine) -> None:
    create_account(engine, "anna", None, "ketenregisseur", sso_email="Anna@Org.example")
    found = accounts.sso_account(engine, "anna@org.EXAMPLE")
    assert found is not None and found.username == "anna"
    assert not authenticate(engine, "anna", "").ok  # no password: SSO only
    accounts.set_active(engine, "anna", False)
    assert accounts.sso_account(engine, "anna@org.example") is None
    assert accounts.sso_account(engine, "bert@org.example") is None


def test_users_command(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'u.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "users",
                "--database-url",
                url,
                "add",
                "anna",
                "--role",
                "ketenregisseur",
                "--password-stdin",
            ]
        )
        == 0
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "users",
                "--database-url",
                url,
                "add",
                "fp",
                "--role",
                "planner",
                "--provider",
                "fier",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert main(["users", "--database-url", url, "disable", "fp"]) == 0
    assert main(["users", "--database-url", url, "list"]) == 0
    out = capsys.readouterr().out
    assert "anna\tketenregisseur\t-\tactief" in out
    assert "fp\tplanner\tfier\tuitgeschakeld" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["users", "--database-url", url, "reset-password", "anna", "--password-stdin"]) == 2
    assert "minstens 12" in capsys.readouterr().err
    assert main(["users", "--database-url", url, "disable", "niemand"]) == 2
    engine = get_engine(url)
    from matcher.security.audit import entries

    actions = [e.action for e in entries(engine)]
    assert actions == ["account-add", "account-add", "account-disable"]
    engine.dispose()


def test_start_script_token_is_used_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_token", None)
    monkeypatch.setattr(accounts, "_env_token_used", False)
    monkeypatch.setenv(accounts.TOKEN_ENV, "token-van-het-startscript")
    assert accounts.setup_token() == "token-van-het-startscript"
    accounts.create_first_account(engine, "token-van-het-startscript", "anna", PASSWORD)
    assert accounts.setup_token() != "token-van-het-startscript"  # never twice
