"""Regenerate the corpus of bad scenario files from the spec example.

Each file is the spec example with one deliberate mistake (or a few, for ``many-errors``).
Its first lines say what the loader must report: ``# expect: <field path> | <text>``; a
JSON file, which has no comments, has them in ``<name>.expect`` beside it.
The hostile files (issue 10: parser abuse, NaN, huge numbers, matrix paths outside the
folder, control characters, addresses in messages) are made here too.
Run: ``.venv/bin/python tests/bad_scenarios/make_corpus.py`` (rewrites the files).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from matcher.scenario.loader import load_document
from matcher.scenario.writer import _QuotingDumper

HERE = Path(__file__).parent
EXAMPLE = HERE.parent.parent / "scenarios" / "voorbeeld-week-48.yaml"

Doc = dict[str, Any]
CASES: list[tuple[str, Callable[[Doc], object], list[tuple[str, str]]]] = []


def case(name: str, *expect: tuple[str, str]) -> Callable[[Callable[[Doc], object]], None]:
    def register(fn: Callable[[Doc], object]) -> None:
        CASES.append((name, fn, list(expect)))

    return register


def req(doc: Doc, rid: str) -> Doc:
    return next(r for r in doc["requests"] if r["id"] == rid)


@case("unknown-top-key", ("colour", "unknown key"))
def _(d: Doc) -> None:
    d["colour"] = "red"


@case("unknown-nested-key", ("consultants[0].skils", "unknown key"))
def _(d: Doc) -> None:
    d["consultants"][0]["skils"] = ["emdr"]


@case("missing-email", ("consultants[1].email", "missing required key"))
def _(d: Doc) -> None:
    del d["consultants"][1]["email"]


@case("missing-name", ("name", "missing required key"))
def _(d: Doc) -> None:
    del d["name"]


@case("missing-week-and-days", ("week", "give `week` or `days`"))
def _(d: Doc) -> None:
    del d["week"]


@case("duration-as-text", ("requests[1].duration_minutes", "a whole number"))
def _(d: Doc) -> None:
    d["requests"][1]["duration_minutes"] = "90"


@case("roles-not-a-list", ("requests[4].roles", "skill lists"))
def _(d: Doc) -> None:
    d["requests"][4]["roles"] = "loverboy-trauma"


@case("roles-and-skills", ("requests[4]", "both `roles` and `skills`"))
def _(d: Doc) -> None:
    d["requests"][4]["skills"] = ["lvb"]


@case("impossible-date", ("youths[0].signalled_on", "not a real date"))
def _(d: Doc) -> None:
    d["youths"][0]["signalled_on"] = "2026-02-30"


@case("bad-time", ("consultants[0].availability[0].start", "not a valid time"))
def _(d: Doc) -> None:
    d["consultants"][0]["availability"][0]["start"] = "9h00"


@case("time-as-number", ("consultants[0].availability[0].start", "a number, not a time"))
def _(d: Doc) -> None:
    d["consultants"][0]["availability"][0]["start"] = 540


@case("end-before-start", ("consultants[2].availability[0].end", "not after start"))
def _(d: Doc) -> None:
    d["consultants"][2]["availability"][0]["end"] = "08:00"


@case("unavailable-end-before-start", ("consultants[2].unavailable[0].end", "not after start"))
def _(d: Doc) -> None:
    d["consultants"][2]["unavailable"][0].update({"start": "12:00", "end": "10:00"})


@case("time-of-day-end-before-start", ("requests[0].time_of_day.end", "not after start"))
def _(d: Doc) -> None:
    d["requests"][0]["time_of_day"] = {"start": "15:00", "end": "13:00"}


@case("overlapping-windows", ("consultants[0].availability[2]", "overlaps"))
def _(d: Doc) -> None:
    d["consultants"][0]["availability"].append(
        {"date": "2026-11-24", "start": "16:00", "end": "18:00"}
    )


@case("overlapping-weekday-windows", ("consultants[2].availability[2]", "overlaps"))
def _(d: Doc) -> None:
    d["consultants"][2]["availability"].append({"weekday": "mon", "start": "16:00", "end": "18:00"})


@case("unknown-weekday", ("consultants[1].availability[0].weekday", "not a weekday"))
def _(d: Doc) -> None:
    d["consultants"][1]["availability"][0]["weekday"] = "tuesday"


@case("window-date-and-weekday", ("consultants[1].availability[1]", "exactly one of"))
def _(d: Doc) -> None:
    d["consultants"][1]["availability"][1]["weekday"] = "thu"


@case("dangling-youth", ("requests[0].youth", "not a youth id"))
def _(d: Doc) -> None:
    d["requests"][0]["youth"] = "Y-NOPE"


@case("dangling-location", ("youths[0].location", "not a location id"))
def _(d: Doc) -> None:
    d["youths"][0]["location"] = "L-NOPE"


@case("dangling-provider", ("consultants[0].provider", "not a provider id"))
def _(d: Doc) -> None:
    d["consultants"][0]["provider"] = "sjsj"


@case("dangling-pin-consultant", ("requests[5].pinned.consultants", "not a consultant id"))
def _(d: Doc) -> None:
    req(d, "R-6")["pinned"]["consultants"] = ["C-NOPE"]


@case("dangling-previous-consultant", ("youths[1].previous_consultant", "not a consultant id"))
def _(d: Doc) -> None:
    d["youths"][1]["previous_consultant"] = "C-NOPE"


@case("dangling-excluded-consultant", ("youths[3].excluded_consultants", "not a consultant id"))
def _(d: Doc) -> None:
    d["youths"][3]["excluded_consultants"] = ["C-NOPE"]


@case("unknown-urgency", ("youths[0].urgency", "not a known urgency"))
def _(d: Doc) -> None:
    d["youths"][0]["urgency"] = "urgent"


@case("unknown-location-kind", ("locations[0].kind", "not a location kind"))
def _(d: Doc) -> None:
    d["locations"][0]["kind"] = "hotel"


@case("pin-lacks-skills", ("requests[5].pinned.consultants", "lack the skills"))
def _(d: Doc) -> None:
    req(d, "R-6")["pinned"]["consultants"] = ["C-FIER-1"]


@case("pin-consultant-unavailable", ("requests[5].pinned.date", "not available that date"))
def _(d: Doc) -> None:
    req(d, "R-6")["pinned"]["date"] = "2026-11-23"


@case("pin-start-outside-availability", ("requests[5].pinned.start", "not available then"))
def _(d: Doc) -> None:
    req(d, "R-6")["pinned"]["start"] = "16:45"


@case("pin-count-for-joint", ("requests[4].pinned.consultants", "1 consultant(s) pinned for 2"))
def _(d: Doc) -> None:
    req(d, "R-5")["pinned"] = {"consultants": ["C-FIER-1"]}


@case("pin-excluded-consultant", ("requests[3].pinned.consultants", "excluded"))
def _(d: Doc) -> None:
    d["consultants"][1]["skills"].append("emdr")
    req(d, "R-4")["pinned"] = {"consultants": ["C-XON-1"]}


@case("latest-before-earliest", ("requests[2].latest", "before earliest"))
def _(d: Doc) -> None:
    req(d, "R-3")["latest"] = "2026-11-23"


@case("earliest-outside-days", ("requests[1].earliest", "outside the planning days"))
def _(d: Doc) -> None:
    req(d, "R-2")["earliest"] = "2026-12-01"


@case("pin-date-outside-days", ("requests[5].pinned.date", "not a planning day"))
def _(d: Doc) -> None:
    req(d, "R-6")["pinned"]["date"] = "2026-11-28"


@case("duplicate-request-id", ("requests[1].id", "duplicate request id"))
def _(d: Doc) -> None:
    d["requests"][1]["id"] = "R-1"


@case("duplicate-consultant-id", ("consultants[2].id", "duplicate consultant id"))
def _(d: Doc) -> None:
    d["consultants"][2]["id"] = "C-XON-1"


@case("empty-id", ("providers[0].id", "not an id"))
def _(d: Doc) -> None:
    d["providers"][0]["id"] = ""


@case("wrong-format-version", ("format", "not a supported format version"))
def _(d: Doc) -> None:
    d["format"] = 2


@case("bad-week", ("week", "not an ISO week"))
def _(d: Doc) -> None:
    d["week"] = "2026-48"


@case("bad-timezone", ("timezone", "not an IANA time zone"))
def _(d: Doc) -> None:
    d["timezone"] = "Europe/Maastricht"


@case("latitude-out-of-range", ("locations[1].lat", "out of range"))
def _(d: Doc) -> None:
    d["locations"][1]["lat"] = 151.19


@case("bad-email", ("consultants[0].email", "not an e-mail address"))
def _(d: Doc) -> None:
    d["consultants"][0]["email"] = "anouk at fier"


@case("negative-weight", ("weights.unassigned", "too small"))
def _(d: Doc) -> None:
    d["weights"]["unassigned"] = -5


@case("travel-matrix-missing", ("travel.matrix", "an existing CSV file"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "no-such-matrix.csv"}


@case("travel-matrix-malformed", ("travel.matrix", "line 3.minutes"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "malformed-matrix.csv"}


@case("travel-matrix-unknown-point", ("travel.matrix", "not a point id"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "unknown-point-matrix.csv"}


@case(
    "many-errors",
    ("consultants[0].provider", "not a provider id"),
    ("requests[1].duration_minutes", "a whole number"),
    ("youths[2].urgency", "not a known urgency"),
    ("locations[3].open[0].end", "not after start"),
)
def _(d: Doc) -> None:
    d["consultants"][0]["provider"] = "nobody"
    d["requests"][1]["duration_minutes"] = "long"
    d["youths"][2]["urgency"] = "someday"
    d["locations"][3]["open"][0]["end"] = "09:00"


# Hostile input (issue 10) -----------------------------------------------------------------

SECRET_ADDRESS = "Nieuwstraat 74"
"""A street address planted in hostile files; no problem message may ever contain it."""


@case("nan-latitude", ("locations[0].lat", "not a finite number"))
def _(d: Doc) -> None:
    d["locations"][0]["lat"] = float("nan")


@case("infinite-speed", ("travel.speed_kmh", "not a finite number"))
def _(d: Doc) -> None:
    d["travel"] = {"speed_kmh": float("inf")}


@case("tiny-speed", ("travel.speed_kmh", "a number in [1.0, 1000.0]"))
def _(d: Doc) -> None:
    d["travel"] = {"speed_kmh": 1e-300}


@case("nan-weight", ("weights.continuity", "a whole number from 0 to 1000000"))
def _(d: Doc) -> None:
    d["weights"]["continuity"] = float("nan")


@case("huge-weight", ("weights.travel_minute", "too large"))
def _(d: Doc) -> None:
    d["weights"]["travel_minute"] = 10**17


@case("huge-urgency-factor", ("urgency_factors.high", "too large"))
def _(d: Doc) -> None:
    d["urgency_factors"] = {"low": 1, "normal": 2, "high": 10**15, "crisis": 8}


@case("huge-visit-cap", ("consultants[0].max_visits_per_week", "too large"))
def _(d: Doc) -> None:
    d["consultants"][0]["max_visits_per_week"] = 10**20


@case("objective-overflow", ("weights.waiting_day", "the objective could reach"))
def _(d: Doc) -> None:
    d["weights"]["waiting_day"] = 1_000_000
    d["urgency_factors"] = {"low": 1, "normal": 2, "high": 4, "crisis": 1000}
    d["youths"][0].update({"signalled_on": "0001-01-01", "urgency": "crisis"})
    for i in range(20):
        d["requests"].append({"id": f"R-OLD-{i}", "youth": "Y-2026-011", "duration_minutes": 30})


@case("matrix-outside-folder", ("travel.matrix", "leads outside the scenario's folder"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "../" * 12 + "etc/passwd"}


@case("matrix-absolute-path", ("travel.matrix", "is an absolute path"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "/dev/zero"}


@case("matrix-not-a-matrix", ("travel.matrix", "line 1: the header is not from,to,minutes"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "secret-notes.txt"}


@case("matrix-huge-minutes", ("travel.matrix", "line 2.minutes: too large"))
def _(d: Doc) -> None:
    d["travel"] = {"matrix": "huge-minutes-matrix.csv"}


@case("address-is-a-list", ("locations[0].address", "is a list (not shown)"))
def _(d: Doc) -> None:
    d["locations"][0]["address"] = [SECRET_ADDRESS, "Margraten"]


@case("location-is-text", ("locations[1]", "a location is a string"))
def _(d: Doc) -> None:
    d["locations"][1] = f"{SECRET_ADDRESS}, Roermond"


@case(
    "control-characters",
    ("requests[0].youth", "\\r\\n2026-11-23 INFO forged\\x1b[2J"),
    ("consultants[0].skils\\x1b[31m", "unknown key"),
)
def _(d: Doc) -> None:
    d["requests"][0]["youth"] = "Y-NOPE\r\n2026-11-23 INFO forged\x1b[2J"
    d["consultants"][0]["skils\x1b[31m"] = ["emdr"]


@case("too-many-roles", ("requests[4].roles", "at most 20 roles"))
def _(d: Doc) -> None:
    d["requests"][4]["roles"] = [["loverboy-trauma"]] * 21


@case("timezone-is-a-folder", ("timezone", "not an IANA time zone"))
def _(d: Doc) -> None:
    d["timezone"] = "Europe"


@case("timezone-too-long", ("timezone", "not an IANA time zone"))
def _(d: Doc) -> None:
    d["timezone"] = "Europe/" + "x" * 300


@case("nul-in-name", ("consultants[0].name", "holds a NUL character"))
def _(d: Doc) -> None:
    d["consultants"][0]["name"] = "Anouk\x00Jansen"


def write_json(name: str, text: str, expect: list[tuple[str, str]]) -> None:
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")
    lines = "".join(f"# expect: {path} | {frag}\n" for path, frag in expect)
    (HERE / f"{name}.expect").write_text(lines, encoding="utf-8")


def hostile_files(original: Doc) -> None:
    """Files a mutated document cannot express: broken syntax, bombs, JSON quirks."""
    text = dump(original, [])
    line = "name: Voorbeeld week 48\n"
    anchors = "".join(f"x{i}: &a{i + 1} [" + ", ".join([f"*a{i}"] * 9) + "]\n" for i in range(9))
    bomb = "x: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + anchors
    (HERE / "alias-bomb.yaml").write_text(
        "# expect: line | more than 2 000 000 values\n"
        + text.replace(line, bomb + "name: *a9\n", 1),
        encoding="utf-8",
    )
    (HERE / "recursive-alias.yaml").write_text(
        "# expect: line 3, column 17 | refers to a list or mapping that contains it\n"
        + text.replace(line, "name: &self [a, *self]\n", 1),
        encoding="utf-8",
    )
    deep = "[" * 2000 + "]" * 2000
    (HERE / "deep-nesting.yaml").write_text(
        "# expect: line 3, column 106 | nested more than 100 levels deep\n"
        + text.replace(line, f"name: {deep}\n", 1),
        encoding="utf-8",
    )
    (HERE / "list-as-key.yaml").write_text(
        "# expect: line 3, column 3 | a key is a list\n"
        + text.replace(line, "? [a, b]\n: 1\n" + line, 1),
        encoding="utf-8",
    )
    dated = dump(copy.deepcopy(original), [("youths[0].signalled_on", "not a real date")])
    (HERE / "impossible-date-unquoted.yaml").write_text(
        dated.replace("signalled_on: 2026-11-16", "signalled_on: 2026-02-30", 1),
        encoding="utf-8",
    )
    raw = json.dumps(original, indent=1, default=str)
    confidential = '"name": "Gezinshuis De Linde",'
    write_json(
        "duplicate-key",
        raw.replace(
            confidential,
            f'{confidential} "confidential": true, "address": "{SECRET_ADDRESS}", '
            '"confidential": false,',
            1,
        ),
        [("line 113, column 86", '"confidential" appears twice')],
    )
    write_json(
        "deep-nesting",
        raw.replace('"Voorbeeld week 48"', deep, 1),
        [("line 3, column 109", "nested more than 100 levels deep")],
    )
    write_json(
        "nan-coordinate",
        raw.replace('"lat": 51.366', '"lat": NaN', 1).replace('"lon": 6.151', '"lon": -Infinity'),
        [
            ("locations[0].lat", "nan is not a finite number"),
            ("locations[0].lon", "-inf is not a finite number"),
        ],
    )
    write_json(
        "unpaired-surrogate",
        raw.replace('"Gezinshuis De Linde"', '"Gezinshuis \\ud800"', 1),
        [("locations[0].name", "an unpaired surrogate")],
    )
    write_json(
        "huge-number",
        raw.replace('"duration_minutes": 60', '"duration_minutes": ' + "9" * 5000, 1),
        [("requests[0].duration_minutes", "a number of 5000 digits is too large")],
    )
    (HERE / "secret-notes.txt").write_text(
        f"Adres: {SECRET_ADDRESS}, Margraten\nniet delen\n", encoding="utf-8"
    )
    (HERE / "huge-minutes-matrix.csv").write_text(
        "from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,99999\n"
        "L-RES-ROERMOND,L-GH-VENLO,99999999999999999999\n",
        encoding="utf-8",
    )


def dump(doc: Doc, expect: list[tuple[str, str]]) -> str:
    head = "".join(f"# expect: {path} | {text}\n" for path, text in expect)
    body = yaml.dump(doc, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True, width=100)
    return head + body


def main() -> None:
    original = load_document(EXAMPLE)
    for name, mutate, expect in CASES:
        doc = copy.deepcopy(original)
        mutate(doc)
        (HERE / f"{name}.yaml").write_text(dump(doc, expect), encoding="utf-8")
    text = dump(original, [("line 13, column 5", "malformed YAML")])
    broken = text.replace("name: Fier", "name: [Fier", 1)
    (HERE / "malformed-yaml.yaml").write_text(broken, encoding="utf-8")
    dup = dump(original, [("line", "appears twice")]).replace(
        "format: 1\n", "format: 1\nname: one\n", 1
    )
    (HERE / "duplicate-key.yaml").write_text(dup, encoding="utf-8")
    raw = json.dumps(original, indent=1, default=str)
    write_json(
        "malformed-json",
        raw.replace('"Fier"', '"Fier",', 1),
        [("line 15, column 3", "malformed JSON")],
    )
    (HERE / "malformed-matrix.csv").write_text(
        "from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,25\nL-RES-ROERMOND,L-GH-VENLO,soon\n",
        encoding="utf-8",
    )
    (HERE / "unknown-point-matrix.csv").write_text(
        "from,to,minutes\nL-GH-VENLO,L-NOWHERE,25\n", encoding="utf-8"
    )
    hostile_files(original)


if __name__ == "__main__":
    main()
