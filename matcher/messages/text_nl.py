"""Dutch message table (the app): code -> template, the same codes as
:mod:`matcher.messages.text_en`."""

from __future__ import annotations

TEXT: dict[str, str] = {
    "solver_status_optimal": "optimaal (beste plan bewezen)",
    "solver_status_feasible": "uitvoerbaar (mogelijk niet het beste)",
    "solver_status_infeasible": "onuitvoerbaar",
    "solver_status_unknown": "nog geen plan gevonden",
    # reasons of the rules (matcher/rules, matcher/explain) --------------------------------
    # building blocks (matcher/explain/words.py)
    "and_list": "{items} en {last}",
    "and_pair": "{a} en {b}",
    "semi_pair": "{a}; {b}",
    "skill_none": "geen bijzondere vaardigheid",
    "skill_one": "vaardigheid {skill}",
    "skill_many": "vaardigheden {skills}",
    "visits_one": "{n} bezoek",
    "visits_many": "{n} bezoeken",
    "cap_per_day": "max. {visits} per dag",
    "cap_per_week": "max. {visits} per week",
    "weekday_mon": "maandag",
    "weekday_tue": "dinsdag",
    "weekday_wed": "woensdag",
    "weekday_thu": "donderdag",
    "weekday_fri": "vrijdag",
    "weekday_sat": "zaterdag",
    "weekday_sun": "zondag",
    "full_day_mon": "maandag {date}",
    "full_day_tue": "dinsdag {date}",
    "full_day_wed": "woensdag {date}",
    "full_day_thu": "donderdag {date}",
    "full_day_fri": "vrijdag {date}",
    "full_day_sat": "zaterdag {date}",
    "full_day_sun": "zondag {date}",
    "span_on": "op {day}",
    "span_between": "tussen {first} en {last}",
    "subject_skills": "de consultants met de vaardigheden",
    "subject_role": "de consultants met {skills}",
    # skills, exclusions, joint visits
    "skill_missing": "geen consultant heeft de {skills}",
    "skills_not_together": "geen consultant heeft alle {skills}",
    "excluded_only_one": (
        "consultant {consultant} is uitgesloten: alleen {consultant} heeft de {skills}"
    ),
    "excluded_only_many": (
        "consultants {consultants} zijn uitgesloten: alleen zij hebben de {skills}"
    ),
    "joint_too_few_one": (
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {consultants} "
        "komt in aanmerking"
    ),
    "joint_too_few": (
        "niet genoeg verschillende consultants voor de rollen {roles}: alleen {consultants} "
        "komen in aanmerking"
    ),
    "joint_no_day": (
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} "
        "beschikbaar zijn"
    ),
    "joint_no_common_time": (
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn"
    ),
    "joint_no_common_time_open": (
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen de openingstijden van {location}"
    ),
    "joint_no_common_time_tod": (
        "geen dag {span} waarop {n} verschillende consultants voor de rollen {roles} tegelijk "
        "beschikbaar zijn binnen tijdvak {time_of_day}"
    ),
    "joint_no_common_free_time": (
        "de consultants voor de rollen {roles} hebben geen gezamenlijke vrije tijd op {days}"
    ),
    # dates, now
    "earliest_after_latest": "vroegste datum {earliest} ligt na de laatste datum {latest}",
    "signalled_after_latest": "gesignaleerd op {signalled}, na de laatste datum {latest}",
    "no_planning_day": "geen planningsdag tussen {first} en {last}",
    "all_days_before_now": "elke toegestane dag ({first} t/m {last}) ligt vóór nu ({now})",
    "only_before_now": "de enige tijden die passen liggen vóór nu ({now})",
    # tour windows, time of day, opening hours
    "not_available": "{subject} zijn {span} niet beschikbaar ({consultants})",
    "no_room_in_tour": (
        "geen ronde van {subject} {span} laat ruimte voor {minutes} minuten plus reistijd van "
        "en naar de basis{detail}"
    ),
    "closest_tour": (
        " (dichtstbij: {consultant} op {day} {window} heeft {there}+{duration}+{back} "
        "minuten nodig)"
    ),
    "time_of_day_too_short": "tijdvak {time_of_day} is korter dan het bezoek ({minutes} minuten)",
    "time_of_day_no_tour": "tijdvak {time_of_day} past in geen enkele ronde van {subject}",
    "time_of_day_and_opening": (
        "tijdvak {time_of_day} en de openingstijden van {location} laten geen gezamenlijke "
        "tijd over in de rondes van {subject} ({summary})"
    ),
    "outside_opening_hours": "alleen buiten de openingstijden van {location} ({summary})",
    "open_summary": "geopend {days}",
    "open_day": "{day} van {spans}",
    "closed_summary": "gesloten {span}",
    # pins
    "pin_unknown_consultant": "vastgezet op onbekende consultant {consultant}",
    "pin_wrong_count": (
        "vastgezet op {n} consultant(s) ({consultants}), maar het bezoek vraagt er {needed}"
    ),
    "pin_excluded": "vastgezet op {consultant}, die is uitgesloten voor {youth}",
    "pin_lacks_skills": "vastgezet op {consultant}, die de {skills} mist",
    "pin_no_role": (
        "vastgezet op {consultant}, die de vaardigheden van geen van de rollen {roles} heeft"
    ),
    "pin_roles_unmatched": (
        "vastgezette consultants {consultants} kunnen de rollen {roles} niet één op één vervullen"
    ),
    "pin_not_planning_day": "vastgezet op {date}, dat is geen planningsdag",
    "pin_before_signalled": "vastgezet op {date}, vóór de signalering van de jongere ({signalled})",
    "pin_outside_dates": "vastgezet op {date}, buiten de toegestane data {first} t/m {last}",
    "pin_unavailable_day": "vastgezet op {consultant}, die die dag niet beschikbaar is ({day})",
    "pin_not_available": "vastgezet op {consultant}, die {span} niet beschikbaar is",
    "pin_not_same_day": (
        "vastgezette consultants {consultants} zijn {span} niet op dezelfde dag beschikbaar"
    ),
    "pin_no_room": (
        "vastgezet op {consultants}, maar hun rondes {span} laten geen ruimte voor {minutes} "
        "minuten plus reistijd van en naar de basis{detail}"
    ),
    "that_day": "die dag ({day})",
    "pin_unavailable_at": "vastgezet op {consultant}, die {when} om {time} niet beschikbaar is",
    "pin_start_no_drive": (
        "vastgezette starttijd {start} laat {consultant} geen tijd om vanaf de basis te rijden "
        "({minutes} minuten, de ronde begint om {tour_start})"
    ),
    "pin_end_no_drive": (
        "vastgezette eindtijd {end} laat {consultant} geen tijd om terug te rijden naar de "
        "basis ({minutes} minuten, de ronde eindigt om {tour_end})"
    ),
    "pin_outside_opening": (
        "vastgezette starttijd {start} valt buiten de openingstijden van {location} ({summary})"
    ),
    "pin_outside_time_of_day": "vastgezette tijd {time} valt buiten tijdvak {time_of_day}",
    "pin_no_common_time": (
        "vastgezette tijd {time} past {when} in geen gezamenlijke rondetijd van {consultants} "
        "binnen de openingstijden en het tijdvak"
    ),
    "pin_of": "vastzetting van {request}: {reason}",
    "pins_clash_week": (
        "vastzettingen {requests} botsen: ze geven {consultant} {n} bezoeken, meer dan {cap}"
    ),
    "pins_clash_day": (
        "vastzettingen {requests} botsen: ze geven {consultant} {n} bezoeken op {day}, meer "
        "dan {cap}"
    ),
    "pins_clash_same_start": (
        "vastzettingen {requests} botsen: beide zetten {consultant} op {date} om {time} in"
    ),
    "pins_clash_drive": (
        "vastzettingen {requests} botsen: {consultant} zou op {date} tot {until} bij {first} "
        "zijn en om {at} bij {second} ({minutes} minuten rijden)"
    ),
    "pins_clash_tours": (
        "vastzettingen {requests} botsen: ze passen niet samen in de rondes van {consultant} "
        "op {day}"
    ),
    # caps and routes against the plan
    "at_week_cap": "{consultant} zit aan {cap}",
    "full_at_day_cap_inner": "{consultant} vol op {days}, {cap}",
    "full_at_day_cap": "{consultant} vol op {days} ({cap})",
    "full_on": "{consultant} vol op {days}",
    "capacity_taken": "capaciteit bezet door urgentere aanvragen ({phrases}{tail})",
    "capacity_taken_equal": (
        "capaciteit bezet door even of meer urgente aanvragen ({phrases}{tail})"
    ),
    "and_n_more_semi": "; en nog {n}",
    "including_less_urgent_one": "{line}, waaronder minder urgente aanvraag {requests}",
    "including_less_urgent": "{line}, waaronder minder urgente aanvragen {requests}",
    "list_and_more": "{items} en nog {n}",
    "more_consultants_full_one": "nog 1 consultant is vol, deels met minder urgente aanvragen",
    "more_consultants_full": "nog {n} consultants zijn vol, deels met minder urgente aanvragen",
    "no_free_time": (
        "geen vrije tijd meer in de rondes van de consultants die het zouden kunnen doen"
    ),
    # the cheapest insertion
    "could_be_added": (
        "had ingepland kunnen worden bij {consultants} op {day} om {time} voor {cost} extra "
        "kosten (open laten kost {penalty}); de solver stopte voordat hij dit vond"
    ),
    "costs_more_than_open": (
        "inplannen kost meer dan open laten ({penalty}): het goedkoopst is {insertion}"
    ),
    "costs_as_much_as_open": (
        "inplannen kost evenveel als open laten ({penalty}): het goedkoopst is {insertion}"
    ),
    "insertion": "{consultants} op {day} om {time}, extra kosten {cost} ({parts})",
    "part_travel": "reistijd +{minutes} minuten",
    "part_waiting": "wachten {cost}",
    "part_continuity": "continuïteit {cost}",
    # the solver's own reasons (matcher/solver/solve.py)
    "no_slot_in_time": "geen haalbaar tijdstip gevonden binnen de tijdslimiet",
    "pin_cannot_be_kept": "de vastzetting kan niet worden aangehouden",
    "pin_cannot_be_kept_with": (
        "de vastzetting kan niet worden aangehouden samen met de vastzettingen van {requests}"
    ),
    "pins_cannot_all_be_kept": (
        "niet ingepland: de vastgezette aanvragen kunnen niet allemaal worden aangehouden"
    ),
    "taken_out_by_hand": "door de planner met de hand uit de planning gehaald",
    # remedies (matcher/explain/remedies.py)
    "hours_one": "1 uur",
    "minutes_n": "{n} minuten",
    "hours_n": "{hours} uur",
    "remedy_none": "{request} past zonder wijziging in de planning; plan opnieuw (kosten {cost})",
    "remedy_planned": "{change} wordt {request} ingepland; kosten {cost}",
    "change_extend_later": "Met {hours} extra (later) op {day} voor {consultant}",
    "change_extend_earlier": "Met {hours} extra (eerder) op {day} voor {consultant}",
    "change_cap_day": "Met één bezoek meer voor {consultant} op {date}",
    "change_cap_week": "Met één bezoek meer deze week voor {consultant}",
    "change_latest_one": "Met een uiterste datum {days} planningsdag later",
    "change_latest": "Met een uiterste datum {days} planningsdagen later",
    "change_skill": "Met vaardigheid '{skill}' voor {consultant}",
    # visit cost lines (matcher/explain/visit_costs.py)
    "visit_line": "{request} ({youth}) bij {location} op {day} {time} met {consultants}",
    "visit_leg": (
        "reistijd {consultant}: {minutes_in} min vanaf {came_from}, {minutes_out} min naar "
        "{goes_to} (aandeel {share} min)"
    ),
    "base_of": "basis van {consultant}",
    "visit_travel_cost": "reiskosten: {cost}",
    "visit_waiting": "wachten: {days} dagen × urgentie {urgency} ({factor}) × {weight} = {cost}",
    "urgency_low": "laag",
    "urgency_normal": "normaal",
    "urgency_high": "hoog",
    "visit_continuity_none": "continuïteit: geen vorige consultant, 0",
    "visit_continuity_kept": "continuïteit: vorige consultant {consultant} komt langs, 0",
    "visit_continuity_missed": "continuïteit: vorige consultant {consultant} niet ingezet, {cost}",
    "visit_total": "totaal: {total}",
    # end of the reasons of the rules
}
