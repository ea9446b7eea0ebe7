"""The audit log: hash chain, verify (changed, inserted, deleted rows), export, CLI."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from matcher.cli.main import main
from matcher.security import audit
from matcher.security.principal import Principal
from matcher.storage.engine import get_engine
from matcher.storage.security_tables import AuditHead, AuditRow

ROWS = AuditRow.__table__  # type: ignore[attr-defined]
ANNA = Principal("anna", "ketenregisseur")


def filled(url: str, n: int = 5) -> Engine:
    engine = get_engine(url)
    for i in range(n):
        audit.record(
            engine,
            ANNA,
            "view",
            subject=f"Planning {i}",
            round_id=1,
            cases=[f"Y-{i}", "Y-9"],
            locations=["L-1"],
            consultants=["C-FIER-01"],
            client="127.0.0.1",
            at=dt.datetime(2026, 12, 1, 8, 0) + dt.timedelta(hours=i),
        )
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return filled(f"sqlite:///{tmp_path / 'a.db'}")


def test_rows_are_chained_and_verify(engine: Engine) -> None:
    rows = audit.entries(engine)
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert rows[0].case_codes == "Y-0,Y-9"
    report = audit.verify(engine)
    assert report.ok and report.rows == 5 and report.head == rows[-1].hash


def test_a_changed_row_is_found(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(ROWS).where(ROWS.c.seq == 3).values(account="mallory"))
    report = audit.verify(engine)
    assert not report.ok and report.seq == 3 and "gewijzigd" in (report.problem or "")


def test_a_deleted_row_is_found(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(ROWS).where(ROWS.c.seq == 2))
    report = audit.verify(engine)
    assert not report.ok and report.seq == 2 and "verwijderd" in (report.problem or "")


def test_a_deleted_last_row_is_found(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(delete(ROWS).where(ROWS.c.seq == 5))
    report = audit.verify(engine)
    assert not report.ok and report.seq == 5 and "eind" in (report.problem or "")


def test_an_inserted_row_is_found(engine: Engine) -> None:
    # a forged row with a valid-looking hash, put in the place of row 3 (renumbering 3..5)
    with engine.begin() as conn:
        for seq in (5, 4, 3):
            conn.execute(update(ROWS).where(ROWS.c.seq == seq).values(seq=seq + 1))
        prev = conn.execute(select(ROWS.c.hash).where(ROWS.c.seq == 2)).scalar_one()
        values = {
            "seq": 3,
            "at": dt.datetime(2026, 12, 1, 9, 30),
            "account": "mallory",
            "role": "ketenregisseur",
            "action": "view",
            "subject": "",
            "round_id": None,
            "case_codes": "",
            "locations": "",
            "consultants": "",
            "client": "",
            "detail": "",
        }
        conn.execute(
            insert(ROWS).values(**values, prev_hash=prev, hash=audit.row_hash(values, prev))
        )
    report = audit.verify(engine)
    assert not report.ok and report.seq == 4  # the old row 3 no longer hashes to itself
    # an appended forged row after the real end: the head does not know it
    with engine.begin() as conn:
        conn.execute(delete(ROWS).where(ROWS.c.account == "mallory"))
        for seq in (4, 5, 6):
            conn.execute(update(ROWS).where(ROWS.c.seq == seq).values(seq=seq - 1))
    assert audit.verify(engine).ok
    with engine.begin() as conn:
        last = conn.execute(select(ROWS.c.hash).where(ROWS.c.seq == 5)).scalar_one()
        values = {**values, "seq": 6}
        conn.execute(
            insert(ROWS).values(**values, prev_hash=last, hash=audit.row_hash(values, last))
        )
    report = audit.verify(engine)
    assert not report.ok and report.seq == 6 and "ingevoegd" in (report.problem or "")


def test_a_rewritten_head_is_found(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(AuditHead.__table__).values(hash="f" * 64))  # type: ignore[attr-defined]
    assert not audit.verify(engine).ok


def test_filters_and_export(engine: Engine) -> None:
    start = dt.datetime(2026, 12, 1, 9, 0)
    end = dt.datetime(2026, 12, 1, 11, 0)
    assert [r.seq for r in audit.entries(engine, start, end)] == [2, 3]
    assert [r.seq for r in audit.entries(engine, case_code="Y-1")] == [2]
    assert audit.entries(engine, case_code="Y-") == []
    text = audit.export_csv(audit.entries(engine, start, end))
    lines = text.splitlines()
    assert lines[0].split(",")[:5] == ["seq", "at", "account", "role", "action"]
    assert lines[1].startswith("2,2026-12-01T09:00:00Z,anna,ketenregisseur,view")


def test_audit_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = filled(url)
    assert main(["audit", "--database-url", url, "verify"]) == 0
    assert "intact: 5 row(s)" in capsys.readouterr().out
    out = tmp_path / "audit.csv"
    # 2026-12-01 local is 2026-11-30T23:00Z .. 2026-12-01T23:00Z: every row
    assert (
        main(
            [
                "audit",
                "--database-url",
                url,
                "export",
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-01",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert len(out.read_text().splitlines()) == 6
    assert main(["audit", "--database-url", url, "export", "--from", "morgen"]) == 2
    with engine.begin() as conn:
        conn.execute(update(ROWS).where(ROWS.c.seq == 2).values(detail="weg"))
    assert main(["audit", "--database-url", url, "verify"]) == 1
    assert "rij 2 is gewijzigd" in capsys.readouterr().err
    engine.dispose()


def test_export_command_warns_and_is_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'e.db'}"
    example = Path(__file__).resolve().parent.parent / "scenarios" / "voorbeeld-week-48.yaml"
    assert main(["import", str(example), "--database-url", url]) == 0
    out = tmp_path / "week.yaml"
    assert main(["export", "--out", str(out), "--database-url", url]) == 0
    assert "confidential locations" in capsys.readouterr().err
    engine = get_engine(url)
    rows = audit.entries(engine)
    engine.dispose()
    assert rows[-1].action == "export" and "vertrouwelijke adressen" in rows[-1].subject
