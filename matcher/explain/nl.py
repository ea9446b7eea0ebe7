"""Dutch rendering of the English explanations, for the planning app.

The plan file keeps the English reasons of :mod:`matcher.explain.reasons` and
:mod:`matcher.solver.solve`;
the Streamlit pages show them in Dutch through :func:`reason_nl` and :func:`lines_nl`.
Each sentence kind has one anchored regular expression with a Dutch template (an ordered
table, first match wins). Captured parts (skills, day spans, consultant lists, opening
summaries) are translated phrase by phrase; ids, skills, names and times are kept as they
are and ISO dates become ``dd-mm-yyyy``. Text that matches no template is returned
unchanged, so an unknown or future reason is still shown, in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matcher.messages.nl import URGENCY_LABELS, WEEKDAY_NAMES, nl_int

__all__ = ["lines_nl", "reason_nl", "reasons_nl"]

_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NL_DAY = "|".join(WEEKDAY_NAMES)

Sub = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _visits_nl(m: re.Match[str]) -> str:
    n = m.group(1)
    noun = "bezoek" if n == "1" else "bezoeken"
    unit = "dag" if m.group(2) == "day" else "week"
    return f"max. {n} {noun} per {unit}"


def _less_urgent(m: re.Match[str]) -> str:
    return ", waaronder minder urgente " + ("aanvragen " if m.group(1) else "aanvraag ")


# Phrase-level substitutions, applied in order to the captured parts of a sentence.
_PHRASES: list[Sub] = [
    (
        re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"),
        lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}",
    ),
    *((re.compile(rf"\b{en}\b"), nl) for en, nl in zip(_EN_DAYS, WEEKDAY_NAMES, strict=True)),
    (re.compile(r"\bno particular skill\b"), "geen bijzondere vaardigheid"),
    (re.compile(r"\bskills (?=')"), "vaardigheden "),
    (re.compile(r"\bskill (?=')"), "vaardigheid "),
    (re.compile(r"\bthe consultants with the skills\b"), "de consultants met de vaardigheden"),
    (re.compile(r"\bthe consultants with\b"), "de consultants met"),
    (re.compile(r"\bbetween (\S+) and (\S+)"), r"tussen \1 en \2"),
    (re.compile(r"\bthat day\b"), "die dag"),
    (re.compile(r"^closed\b"), "gesloten"),
    (re.compile(r"\bfull on\b"), "vol op"),
    (re.compile(r"(\S+) at max\b"), r"\1 zit aan max"),
    (re.compile(r"\bmax (\d+) visits? per (day|week)\b"), _visits_nl),
    (re.compile(r", including less urgent request(s?) "), _less_urgent),
    (re.compile(r"\band (\d+) more\b"), r"en nog \1"),
    (re.compile(rf"\bon (?=(?:{_NL_DAY})\b|\d)"), "op "),
    (
        re.compile(r"\bclosest: (\S+) op (.+?) needs (\d+)\+(\d+)\+(\d+) minutes"),
        r"dichtstbij: \1 op \2 heeft \3+\4+\5 minuten nodig",
    ),
    (re.compile(r"\btravel \+(\d+) minutes\b"), r"reistijd +\1 minuten"),
    (re.compile(r"\bwaiting (\d+)"), r"wachten \1"),
    (re.compile(r"\bcontinuity (\d+)"), r"continuïteit \1"),
    (re.compile(r" and "), " en "),
]


def _frag(text: str) -> str:
    """Translate the phrases inside one captured part of a sentence."""
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    return text


def _t(template: str) -> Callable[[re.Match[str]], str]:
    """A Dutch template filled with the match's groups: ``name*`` kept, others translated."""

    def fill(m: re.Match[str]) -> str:
        groups = {
            k: (v if k.startswith("name") else _frag(v)) for k, v in m.groupdict(default="").items()
        }
        return template.format(**groups)

    return fill


def _pin_of(m: re.Match[str]) -> str:
    return f"vastzetting van {m.group('rid')}: {reason_nl(m.group('rest'))}"


def _pin_kept(m: re.Match[str]) -> str:
    ids = m.group("ids")
    tail = f" samen met de vastzettingen van {ids}" if ids else ""
    return f"de vastzetting kan niet worden aangehouden{tail}"


_SPAN = r"(?P<span>(?:on|between) .+?)"
_SUMMARY = r"\((?P<summary>(?:open|closed) .+)\)"
_BASE = "minutes plus travel from and to the base"
_BASE_NL = "minuten plus reistijd van en naar de basis"

_RAW: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    # skills, exclusions, roles, the pin's consultants
    (r"no consultant has all of the (?P<sk>.+)", "geen consultant heeft alle {sk}"),
    (r"no consultant has (?P<sk>.+)", "geen consultant heeft de {sk}"),
    (
        r"excluded consultant (?P<c>\S+): only (?P<c2>\S+) has (?P<sk>.+)",
        "consultant {c} is uitgesloten: alleen {c2} heeft de {sk}",
    ),
    (
        r"excluded consultants (?P<ids>.+): only they have (?P<sk>.+)",
        "consultants {ids} zijn uitgesloten: alleen zij hebben de {sk}",
    ),
    (
        r"not enough distinct consultants for the roles (?P<roles>.+): only (?P<ids>\S+) qualifies",
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {ids} komt in "
        "aanmerking",
    ),
    (
        r"not enough distinct consultants for the roles (?P<roles>.+): only (?P<ids>.+) qualify",
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {ids} komen in "
        "aanmerking",
    ),
    (r"pinned to unknown consultant (?P<c>.+)", "vastgezet op onbekende consultant {c}"),
    (
        r"pinned to (?P<n>\d+) consultant\(s\) \((?P<ids>.+)\) but the visit needs (?P<k>\d+)",
        "vastgezet op {n} consultant(s) ({ids}), maar het bezoek vraagt er {k}",
    ),
    (
        r"pinned to (?P<c>\S+) who is excluded for (?P<y>\S+)",
        "vastgezet op {c}, die is uitgesloten voor {y}",
    ),
    (r"pinned to (?P<c>\S+) who lacks (?P<sk>.+)", "vastgezet op {c}, die de {sk} mist"),
    (
        r"pinned to (?P<c>\S+) who has the skills of none of the roles (?P<roles>.+)",
        "vastgezet op {c}, die de vaardigheden van geen van de rollen {roles} heeft",
    ),
    (
        r"pinned consultants (?P<ids>.+) cannot fill the roles (?P<roles>.+) one to one",
        "vastgezette consultants {ids} kunnen de rollen {roles} niet één op één vervullen",
    ),
    # dates
    (
        r"earliest date (?P<d1>\S+) is after the latest date (?P<d2>\S+)",
        "vroegste datum {d1} ligt na de laatste datum {d2}",
    ),
    (
        r"signalled on (?P<d1>\S+), after the latest date (?P<d2>\S+)",
        "gesignaleerd op {d1}, na de laatste datum {d2}",
    ),
    (
        r"no planning day between (?P<d1>\S+) and (?P<d2>\S+)",
        "geen planningsdag tussen {d1} en {d2}",
    ),
    (
        r"pinned to (?P<d>\S+), which is not a planning day",
        "vastgezet op {d}, dat is geen planningsdag",
    ),
    (
        r"pinned to (?P<d>\S+), before the youth was signalled \((?P<d2>\S+)\)",
        "vastgezet op {d}, vóór de signalering van de jongere ({d2})",
    ),
    (
        r"pinned to (?P<d>\S+), outside the allowed dates (?P<d1>\S+) to (?P<d2>\S+)",
        "vastgezet op {d}, buiten de toegestane data {d1} t/m {d2}",
    ),
    (
        r"every allowed day \((?P<d1>\S+) to (?P<d2>\S+)\) is before now \((?P<now>.+)\)",
        "elke toegestane dag ({d1} t/m {d2}) ligt vóór nu ({now})",
    ),
    (
        r"the only times that fit are before now \((?P<now>.+)\)",
        "de enige tijden die passen liggen vóór nu ({now})",
    ),
    # availability
    (
        r"time of day (?P<tod>\S+) is shorter than the visit \((?P<m>\d+) minutes\)",
        "tijdvak {tod} is korter dan het bezoek ({m} minuten)",
    ),
    (
        r"pinned to (?P<c>\S+) who is unavailable that day \((?P<day>.+)\)",
        "vastgezet op {c}, die die dag niet beschikbaar is ({day})",
    ),
    (
        r"pinned to (?P<c>\S+) who is unavailable at (?P<t>\S+) (?P<when>.+)",
        "vastgezet op {c}, die {when} om {t} niet beschikbaar is",
    ),
    (
        r"pinned to (?P<c>\S+) who is not available (?P<span>.+)",
        "vastgezet op {c}, die {span} niet beschikbaar is",
    ),
    (
        r"pinned consultants (?P<ids>.+) are not available on the same day (?P<span>.+)",
        "vastgezette consultants {ids} zijn {span} niet op dezelfde dag beschikbaar",
    ),
    (
        rf"no day {_SPAN} on which (?P<k>\d+) different consultants for the roles (?P<roles>.+) "
        r"are available at the same time inside the opening hours of (?P<name>.+)",
        "geen dag {span} waarop {k} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen de openingstijden van {name}",
    ),
    (
        rf"no day {_SPAN} on which (?P<k>\d+) different consultants for the roles (?P<roles>.+) "
        r"are available at the same time within time of day (?P<tod>\S+)",
        "geen dag {span} waarop {k} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen tijdvak {tod}",
    ),
    (
        rf"no day {_SPAN} on which (?P<k>\d+) different consultants for the roles (?P<roles>.+) "
        r"are available at the same time",
        "geen dag {span} waarop {k} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn",
    ),
    (
        rf"no day {_SPAN} on which (?P<k>\d+) different consultants for the roles (?P<roles>.+) "
        r"are available",
        "geen dag {span} waarop {k} verschillende consultants voor de rollen {roles} "
        "beschikbaar zijn",
    ),
    (
        rf"(?P<subj>.+?) are not available {_SPAN} \((?P<ids>[^()]+)\)",
        "{subj} zijn {span} niet beschikbaar ({ids})",
    ),
    # time in the tours
    (
        rf"pinned to (?P<ids>.+?) whose tours {_SPAN} leave no room for (?P<m>\d+) {_BASE}"
        r"(?P<detail>.*)",
        "vastgezet op {ids}, maar hun rondes {span} laten geen ruimte voor {m} "
        + _BASE_NL
        + "{detail}",
    ),
    (
        rf"no tour of (?P<subj>.+?) {_SPAN} leaves room for (?P<m>\d+) {_BASE}(?P<detail>.*)",
        "geen ronde van {subj} {span} laat ruimte voor {m} " + _BASE_NL + "{detail}",
    ),
    # opening hours and time of day
    (
        rf"only outside the opening hours of (?P<name>.+) {_SUMMARY}",
        "alleen buiten de openingstijden van {name} ({summary})",
    ),
    (
        r"time of day (?P<tod>\S+) does not fit any tour of (?P<subj>.+)",
        "tijdvak {tod} past in geen enkele ronde van {subj}",
    ),
    (
        r"time of day (?P<tod>\S+) and the opening hours of (?P<name>.+) leave no common time "
        rf"in the tours of (?P<subj>.+) {_SUMMARY}",
        "tijdvak {tod} en de openingstijden van {name} laten geen gezamenlijke tijd over in de "
        "rondes van {subj} ({summary})",
    ),
    # the pinned start
    (
        r"pinned start (?P<t>\S+) leaves (?P<c>\S+) no time to drive from the base "
        r"\((?P<m>\d+) minutes, the tour starts at (?P<t2>\S+)\)",
        "vastgezette starttijd {t} laat {c} geen tijd om vanaf de basis te rijden ({m} minuten, "
        "de ronde begint om {t2})",
    ),
    (
        r"pinned end (?P<t>\S+) leaves (?P<c>\S+) no time to drive back to the base "
        r"\((?P<m>\d+) minutes, the tour ends at (?P<t2>\S+)\)",
        "vastgezette eindtijd {t} laat {c} geen tijd om terug te rijden naar de basis "
        "({m} minuten, de ronde eindigt om {t2})",
    ),
    (
        rf"pinned start (?P<t>\S+) is outside the opening hours of (?P<name>.+) {_SUMMARY}",
        "vastgezette starttijd {t} valt buiten de openingstijden van {name} ({summary})",
    ),
    (
        r"pinned time (?P<t>\S+) is outside the time of day (?P<tod>\S+)",
        "vastgezette tijd {t} valt buiten tijdvak {tod}",
    ),
    (
        r"pinned time (?P<t>\S+) fits no common tour time of (?P<ids>.+?) inside the opening "
        r"hours and time of day (?P<when>.+)",
        "vastgezette tijd {t} past {when} in geen gezamenlijke rondetijd van {ids} binnen de "
        "openingstijden en het tijdvak",
    ),
    # reasons from the plan
    (
        r"capacity taken by more or equally urgent requests \((?P<inner>.+)\)",
        "capaciteit bezet door even of meer urgente aanvragen ({inner})",
    ),
    (
        r"capacity taken by more urgent requests \((?P<inner>.+)\)",
        "capaciteit bezet door urgentere aanvragen ({inner})",
    ),
    (r"(?P<all>\S+ (?:full on|at max) .+)", "{all}"),
    (
        r"1 more consultant is full, partly with less urgent requests",
        "nog 1 consultant is vol, deels met minder urgente aanvragen",
    ),
    (
        r"(?P<n>\d+) more consultants are full, partly with less urgent requests",
        "nog {n} consultants zijn vol, deels met minder urgente aanvragen",
    ),
    (
        r"could be added to (?P<ids>.+?) on (?P<day>\S+ \S+) at (?P<t>\S+) at extra cost "
        r"(?P<cost>\S+) \(leaving it open costs (?P<pen>\S+)\); the solver stopped before "
        r"finding it",
        "had ingepland kunnen worden bij {ids} op {day} om {t} voor {cost} extra kosten "
        "(open laten kost {pen}); de solver stopte voordat hij dit vond",
    ),
    (
        r"planning it would cost more than leaving it open \((?P<pen>\S+)\): cheapest is "
        r"(?P<ids>.+?) on (?P<day>\S+ \S+) at (?P<t>\S+), extra cost (?P<cost>\S+) "
        r"\((?P<parts>.+)\)",
        "inplannen kost meer dan open laten ({pen}): het goedkoopst is {ids} op {day} om {t}, "
        "extra kosten {cost} ({parts})",
    ),
    (
        r"planning it would cost as much as leaving it open \((?P<pen>\S+)\): cheapest is "
        r"(?P<ids>.+?) on (?P<day>\S+ \S+) at (?P<t>\S+), extra cost (?P<cost>\S+) "
        r"\((?P<parts>.+)\)",
        "inplannen kost evenveel als open laten ({pen}): het goedkoopst is {ids} op {day} om "
        "{t}, extra kosten {cost} ({parts})",
    ),
    (
        r"the consultants for the roles (?P<roles>.+) have no common free time on (?P<days>.+)",
        "de consultants voor de rollen {roles} hebben geen gezamenlijke vrije tijd op {days}",
    ),
    (
        r"no free time left in the tours of the consultants who could do it",
        "geen vrije tijd meer in de rondes van de consultants die het zouden kunnen doen",
    ),
    # pins
    (r"pin of (?P<rid>\S+): (?P<rest>.+)", _pin_of),
    (
        r"pins (?P<ids>.+?) clash: they give (?P<c>\S+) (?P<n>\d+) visits, more than "
        r"(?P<cap>max \d+ visits? per week)",
        "vastzettingen {ids} botsen: ze geven {c} {n} bezoeken, meer dan {cap}",
    ),
    (
        r"pins (?P<ids>.+?) clash: they give (?P<c>\S+) (?P<n>\d+) visits on (?P<day>.+?), "
        r"more than (?P<cap>max \d+ visits? per day)",
        "vastzettingen {ids} botsen: ze geven {c} {n} bezoeken op {day}, meer dan {cap}",
    ),
    (
        r"pins (?P<ids>.+?) clash: both put (?P<c>\S+) on (?P<d>\S+) at (?P<t>\S+)",
        "vastzettingen {ids} botsen: beide zetten {c} op {d} om {t} in",
    ),
    (
        r"pins (?P<ids>.+?) clash: (?P<c>\S+) would be at (?P<name>.+) until (?P<t1>\S+) and "
        r"at (?P<name2>.+) at (?P<t2>\S+) on (?P<d>\S+) \((?P<m>\d+) minutes' drive\)",
        "vastzettingen {ids} botsen: {c} zou op {d} tot {t1} bij {name} zijn en om {t2} bij "
        "{name2} ({m} minuten rijden)",
    ),
    (
        r"pins (?P<ids>.+?) clash: they do not fit together in the tours of (?P<c>\S+) "
        r"on (?P<day>.+)",
        "vastzettingen {ids} botsen: ze passen niet samen in de rondes van {c} op {day}",
    ),
    # the solver's and the manual edit's generic reasons
    (
        r"no feasible slot found within the time limit",
        "geen haalbaar tijdstip gevonden binnen de tijdslimiet",
    ),
    (r"its pin cannot be kept(?: together with the pins of (?P<ids>.+))?", _pin_kept),
    (
        r"not planned: the pinned requests cannot all be kept",
        "niet ingepland: de vastgezette aanvragen kunnen niet allemaal worden aangehouden",
    ),
    (
        r"taken out of the plan by hand by the planner",
        "door de planner met de hand uit de planning gehaald",
    ),
]

_TABLE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(pattern), _t(dutch) if isinstance(dutch, str) else dutch) for pattern, dutch in _RAW
]


def reason_nl(text: str) -> str:
    """One reason of :mod:`matcher.explain.reasons` or :mod:`matcher.solver.solve` in Dutch.

    Parameters
    ----------
    text
        An English reason as stored in the plan.

    Returns
    -------
    str
        The Dutch sentence; ``text`` unchanged when no template matches (or, defensively,
        when filling one fails).
    """
    for pattern, render in _TABLE:
        m = pattern.fullmatch(text)
        if m is not None:
            try:
                return render(m)
            except (KeyError, IndexError, ValueError):
                return text
    return text


def reasons_nl(reasons: tuple[str, ...] | list[str]) -> list[str]:
    """:func:`reason_nl` of every reason."""
    return [reason_nl(r) for r in reasons]


def _point_nl(name: str) -> str:
    m = re.fullmatch(r"base of (\S+)", name)
    return f"basis van {m.group(1)}" if m else name


def _urgency(m: re.Match[str]) -> str:
    u = m.group("u")
    return (
        f"wachten: {m.group('d')} dagen × urgentie {URGENCY_LABELS.get(u, u)} ({m.group('f')}) "
        f"× {m.group('w')} = {m.group('c')}"
    )


_LINES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"(?P<rid>\S+) \((?P<y>\S+)\) at (?P<name>.+) on (?P<day>\S+ \S+) (?P<span>\S+) "
            r"with (?P<ids>.+)"
        ),
        _t("{rid} ({y}) bij {name} op {day} {span} met {ids}"),
    ),
    (
        re.compile(
            r"travel (?P<c>\S+): (?P<a>\d+) min from (?P<p1>.+), (?P<b>\d+) min to (?P<p2>.+) "
            r"\(share (?P<s>\S+) min\)"
        ),
        lambda m: (
            f"reistijd {m.group('c')}: {m.group('a')} min vanaf {_point_nl(m.group('p1'))}, "
            f"{m.group('b')} min naar {_point_nl(m.group('p2'))} (aandeel {m.group('s')} min)"
        ),
    ),
    (re.compile(r"travel cost: (?P<x>\S+)"), _t("reiskosten: {x}")),
    (
        re.compile(
            r"waiting: (?P<d>\d+) days × urgency (?P<u>\S+) \((?P<f>\d+)\) × (?P<w>\d+) "
            r"= (?P<c>\S+)"
        ),
        _urgency,
    ),
    (
        re.compile(r"continuity: no previous consultant, 0"),
        _t("continuïteit: geen vorige consultant, 0"),
    ),
    (
        re.compile(r"continuity: previous consultant (?P<c>\S+) visits, 0"),
        _t("continuïteit: vorige consultant {c} komt langs, 0"),
    ),
    (
        re.compile(r"continuity: previous consultant (?P<c>\S+) not used, (?P<x>\S+)"),
        _t("continuïteit: vorige consultant {c} niet ingezet, {x}"),
    ),
    (re.compile(r"total: (?P<x>\S+)"), _t("totaal: {x}")),
]


def lines_nl(lines: list[str]) -> list[str]:
    """The lines of :meth:`matcher.explain.reasons.VisitExplanation.lines` in Dutch.

    Parameters
    ----------
    lines
        English explanation lines.

    Returns
    -------
    list[str]
        One Dutch line per line; a line no template matches is kept unchanged.
    """
    out = []
    for line in lines:
        for pattern, render in _LINES:
            m = pattern.fullmatch(line)
            if m is not None:
                out.append(_nl_numbers(render(m)))
                break
        else:
            out.append(line)
    return out


_DECIMAL = re.compile(r"(?<![\w.,:-])(\d+)\.(\d+)(?![\w.,:-])")
_LONG_INT = re.compile(r"(?<![\w.,:-])\d{4,}(?![\w.,:-])")


def _nl_numbers(text: str) -> str:
    """Numbers the Dutch way (``45.5`` -> ``45,5``, ``1234`` -> ``1.234``); dates, times
    and ids (``23-11-2026``, ``09:00``, ``Y-2026-014``) stay as they are."""
    text = _DECIMAL.sub(lambda m: f"{nl_int(int(m.group(1)))},{m.group(2)}", text)
    return _LONG_INT.sub(lambda m: nl_int(int(m.group(0))), text)
