"""Regenerate the corpus of bad scenario files from the spec example.

Each file is the spec example with one deliberate mistake (or a few, for ``many-errors``).
Its first lines say what the loader must report: ``# expect: <field path> | <text>``.
Run: ``.venv/bin/python tests/bad_scenarios/make_corpus.py`` (rewrites the files).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from matcher.loader import load_document
from matcher.writer import _QuotingDumper

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
    (HERE / "malformed-json.json").write_text(raw.replace('"Fier"', '"Fier",', 1), encoding="utf-8")
    (HERE / "malformed-matrix.csv").write_text(
        "from,to,minutes\nL-GH-VENLO,L-RES-ROERMOND,25\nL-RES-ROERMOND,L-GH-VENLO,soon\n",
        encoding="utf-8",
    )
    (HERE / "unknown-point-matrix.csv").write_text(
        "from,to,minutes\nL-GH-VENLO,L-NOWHERE,25\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
