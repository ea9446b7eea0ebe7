"""Dutch message table (the app): code -> template, the same codes as
:mod:`matcher.messages.text_en`."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # Solver status
    "solver_status_optimal": "bewezen de beste planning",
    "solver_status_feasible": "goede planning, niet bewezen de beste",
    "solver_status_infeasible": "geen planning mogelijk",
    "solver_status_unknown": "nog geen planning gevonden",
    "solver_status_other": "onbekende status {status}",
    # Urgencies (named in messages)
    "urgency_low": "laag",
    "urgency_normal": "normaal",
    "urgency_high": "hoog",
    "urgency_crisis": "crisis",
    # Validation problems: the frame of one problem (file and field path, what, allowed)
    "problem_line": "{where}: {what}",
    "problem_line_allowed": "{where}: {what}; toegestaan: {allowed}",
    "problem_allowed": "{what}; toegestaan: {allowed}",
    # Validation problems: kinds of values
    "type_null": "leeg (null)",
    "type_bool": "ja/nee (true/false)",
    "type_datetime": "een datum met tijd",
    "type_date": "een datum",
    "type_mapping": "een tabel van sleutels en waarden",
    "type_list": "een lijst",
    "type_string": "een tekst",
    "type_whole_number": "een geheel getal",
    "type_number": "een getal",
    "type_other": "een waarde van het type {name}",
    # Validation problems: fields (what is wrong)
    "value_huge_number": "een getal van {digits} cijfers",
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
    "weekday_key_mon": "maandag",
    "weekday_key_tue": "dinsdag",
    "weekday_key_wed": "woensdag",
    "weekday_key_thu": "donderdag",
    "weekday_key_fri": "vrijdag",
    "weekday_key_sat": "zaterdag",
    "weekday_key_sun": "zondag",
    "weekday_mon": "maandag",
    "weekday_tue": "dinsdag",
    "weekday_wed": "woensdag",
    "weekday_thu": "donderdag",
    "weekday_fri": "vrijdag",
    "weekday_sat": "zaterdag",
    "weekday_sun": "zondag",
    "wrong_type": "{value} is {kind}, dat past hier niet",
    "unknown_key": "onbekende sleutel {key}",
    "missing_key": "verplichte sleutel ontbreekt",
    "text_not_storable": "{value} bevat een NUL-teken of een ongepaard surrogaatteken",
    "private_text_not_storable": "de tekst bevat een NUL-teken of een ongepaard surrogaatteken",
    "not_an_id": "{value} is geen geldige id",
    "private_wrong_type": "de waarde is {kind} (niet getoond)",
    "not_an_email": "{value} is geen e-mailadres",
    "too_small": "{value} is te klein",
    "too_large": "{value} is te groot",
    "not_finite": "{value} is geen eindig getal",
    "out_of_range": "{value} valt buiten het bereik",
    "not_a_real_date": "{value} is geen bestaande datum",
    "not_a_date": "{value} is geen datum",
    "not_a_time": "{value} is geen geldige tijd",
    "number_not_time": "{value} is een getal, geen tijd (een tijd zonder aanhalingstekens is "
    "misschien als minuten gelezen door een YAML 1.1-lezer)",
    "not_a_tag": "{value} is geen geldige vaardigheid of id",
    "duplicate_provider_id": "organisatie-id {value} komt twee keer voor (ook bij {other})",
    "duplicate_consultant_id": "consultant-id {value} komt twee keer voor (ook bij {other})",
    "duplicate_location_id": "locatie-id {value} komt twee keer voor (ook bij {other})",
    "duplicate_youth_id": "casuscode {value} komt twee keer voor (ook bij {other})",
    "duplicate_request_id": "aanvraag-id {value} komt twee keer voor (ook bij {other})",
    # Validation problems: sections (what is wrong)
    "unsupported_format": "{value} is geen ondersteunde formaatversie",
    "not_a_time_zone": "{value} is geen IANA-tijdzone",
    "not_an_iso_week": "{value} is geen ISO-week",
    "week_does_not_exist": "{value} bestaat niet",
    "empty_list": "de lijst is leeg",
    "date_twice": "{date} staat er twee keer in",
    "week_or_days_missing": "ontbreekt: geef `week` of `days`",
    "matrix_not_uploaded": "{file}: is niet meegestuurd",
    "matrix_without_file": "{file}: kan niet worden gelezen: het scenario is geen bestand",
    "matrix_problem": "reistijdentabel {file}: {text}",
    "not_a_mapping": "{value} is geen tabel van sleutels en waarden",
    "not_a_name": "{value} is geen naam",
    "not_a_datetime": "{value} is geen datum met tijd",
    "consultant_twice": "{value} noemt een consultant twee keer",
    "not_a_request_id": "{value} is geen aanvraag-id",
    "published_twice": "{value} is twee keer verstuurd (ook bij {other})",
    # Validation problems: entities (what is wrong)
    "end_not_after_start": '{value} ligt niet na de begintijd "{start}"',
    "date_or_weekday": "geef precies één van `date` en `weekday`",
    "not_a_weekday": "{value} is geen weekdag",
    "windows_overlap": "{window} overlapt met {other} ({other_window})",
    "window_on_date": "op {date} {window}",
    "window_on_weekday": "elke {weekday} {window}",
    "location_wrong_type": "een locatie is {kind}, dat past hier niet",
    "not_a_location_kind": "{value} is geen soort locatie",
    "not_an_urgency": "{value} is geen bekende urgentie",
    "not_a_planning_day": "{date} is geen planningsdag",
    "roles_and_skills": "zowel `roles` als `skills` is gegeven",
    "not_skill_lists": "{value} is geen lijst van lijsten met vaardigheden",
    "too_many_roles": "{count} rollen",
    "outside_planning_days": "{date} valt buiten de planningsdagen",
    "latest_before_earliest": "{date} ligt voor de vroegste datum {earliest}",
    # Validation problems: references and pins (what is wrong)
    "not_a_provider_id": "{value} is geen organisatie-id",
    "not_a_location_id": "{value} is geen locatie-id",
    "not_a_consultant_id": "{value} is geen consultant-id",
    "not_a_youth_id": "{value} is geen casuscode van een jongere",
    "matrix_unknown_from_point": "rij {row}: het vertrekpunt is geen punt van het scenario",
    "matrix_unknown_to_point": "rij {row}: het aankomstpunt is geen punt van het scenario",
    "pin_count_mismatch": "{count} consultant(s) vastgezet voor {roles} rol(len)",
    "consultant_skills": "{consultant}: {skills}",
    "consultant_no_skills": "{consultant}: geen vaardigheden",
    "pinned_lacks_skills": "de vastgezette consultants missen vaardigheden ({have})",
    "pinned_excluded": "{value} is uitgesloten voor jongere {youth}",
    "pin_consultant_unavailable_date": "{date}: {consultant} is die dag niet beschikbaar",
    "pin_consultant_unavailable_time": "{window}: {consultant} is dan niet beschikbaar",
    "pinned_outside_dates": "{date} ligt buiten vroegste/laatste datum",
    "objective_too_large": "de doelfunctie kan met deze gewichten {worst} worden ({requests} "
    "aanvragen, {consultants} consultants, wachttijd geteld vanaf elke signaleringsdatum)",
    # Validation problems: what is allowed instead
    "allow_mapping": "een tabel van sleutels en waarden",
    "allow_list": "een lijst",
    "allow_one_of": "een van: {choices}",
    "allow_one_of_list": "een van: {choices}",
    "allow_value_for": "een waarde voor {key}",
    "allow_storable_text": "tekst zonder NUL-tekens (geldige Unicode)",
    "allow_non_empty_string": "een niet-lege tekst",
    "allow_email": "naam@domein",
    "allow_whole_number_range": "een geheel getal van {low} tot en met {high}",
    "allow_whole_number_to": "een geheel getal tot en met {high}",
    "allow_number_range": "een getal in [{low}, {high}]",
    "allow_number_open_range": "een getal in ({low}, {high}]",
    "allow_bool": "ja of nee (true of false)",
    "allow_date": "een datum JJJJ-MM-DD",
    "allow_table_date": "een datum dd-mm-jjjj (bijv. 02-12-2026) of JJJJ-MM-DD",
    "allow_time": 'een tijd "UU:MM" (00:00-24:00), tussen aanhalingstekens',
    "allow_strings": "een lijst van teksten",
    "allow_provider_id_once": "een organisatie-id dat één keer voorkomt",
    "allow_consultant_id_once": "een consultant-id dat één keer voorkomt",
    "allow_location_id_once": "een locatie-id dat één keer voorkomt",
    "allow_youth_id_once": "een casuscode die één keer voorkomt",
    "allow_request_id_once": "een aanvraag-id dat één keer voorkomt",
    "allow_defined_id": "een id uit het scenario",
    "allow_one_of_ids": "een van de ids: {ids}",
    "allow_one_of_many_ids": "een van de ids: {ids}, ... ({count} in totaal)",
    "allow_format": "formaatversie {version}",
    "allow_time_zone": 'een tijdzone zoals "Europe/Amsterdam"',
    "allow_iso_week": 'een ISO-week zoals "2026-W48"',
    "allow_existing_week": "een bestaande ISO-week van dat jaar",
    "allow_one_date": "minstens één planningsdatum",
    "allow_each_date_once": "elke datum één keer",
    "allow_matrix_upload": "het CSV-bestand {name}, meegestuurd met het scenario",
    "allow_matrix_from_file": "een scenario dat uit een bestand is gelezen",
    "allow_urgency_factors": "een tabel urgentie -> geheel getal, bijv. {{low: 1, normal: 2}}",
    "allow_local_datetime": 'een lokale datum en tijd "JJJJ-MM-DDTUU:MM"',
    "allow_visit_consultants": "de consultant-ids van het bezoek",
    "allow_distinct_consultants": "verschillende consultant-ids",
    "allow_published_once": "hoogstens één verstuurd bezoek per aanvraag",
    "allow_end_after_start": "een eindtijd na de begintijd",
    "allow_window": "{{date: D, start, end}} of {{weekday: mon..sun, start, end}}",
    "allow_no_overlap": "tijdvakken van één consultant op één dag die elkaar niet overlappen",
    "allow_urgency": "een van: {choices}",
    "allow_days": "een van de planningsdagen: {days}",
    "allow_many_days": "een van de planningsdagen: {days}, ... ({count} dagen)",
    "allow_roles_or_skills": "één van `roles` en `skills`",
    "allow_skill_lists": "een niet-lege lijst van lijsten met vaardigheden, bijv. [[emdr], [lvb]]",
    "allow_max_roles": "hoogstens {max} rollen (consultants) per bezoek",
    "allow_skill_list": "een lijst van vaardigheden, bijv. [emdr, vrouw]",
    "allow_date_range": "een datum van {first} tot en met {last}",
    "allow_on_or_after_earliest": "een datum op of na de vroegste datum",
    "allow_point_id": "een locatie-id of base:<consultant-id>",
    "allow_one_per_role": "één consultant per rol",
    "allow_fill_roles": "consultants die samen de rollen {roles} vervullen",
    "allow_not_excluded": "consultants die niet zijn uitgesloten voor deze jongere",
    "allow_pin_date": "een datum waarop elke vastgezette consultant beschikbaar is",
    "allow_pin_start": "een begintijd binnen de beschikbaarheid van de vastgezette consultants "
    "op die dag",
    "allow_dates_between": "van {first} tot en met {last}",
    "allow_objective_below": "gewichten en datums die de slechtste doelfunctie onder {max} houden",
    # Reading a scenario file (before validation)
    "file_not_found": "bestand niet gevonden",
    "is_a_folder": "is een map",
    "cannot_read": "kan niet worden gelezen: {reason}",
    "file_too_large": "het bestand is groter dan {mb} MB",
    "not_utf8": "geen UTF-8-tekst",
    "malformed_yaml": "ongeldige YAML: {what}",
    "malformed_yaml_in": "ongeldige YAML: {what} ({context})",
    "malformed_json": "ongeldige JSON",
    "malformed_json_because": "ongeldige JSON: {what}",
    "duplicate_key": "de sleutel {key} komt twee keer voor",
    "alias_cycle": "de alias *{alias} verwijst naar een lijst of tabel die hem zelf bevat",
    "nested_too_deep": "lijsten en tabellen meer dan {depth} niveaus diep genest",
    "json_nested_too_deep": "lijsten en objecten meer dan {depth} niveaus diep genest",
    "nested_too_deeply": "te diep genest",
    "too_many_values": "het document bevat meer dan {count} waarden (aliassen uitgeschreven)",
    "key_is_collection": "een sleutel is {kind}",
    "allow_scalar_key": "sleutels die tekst, getallen of datums zijn",
    "allow_existing_file": "een bestaand bestand",
    "allow_scenario_file": "een scenariobestand",
    "allow_readable_file": "een leesbaar bestand",
    "allow_file_size": "een scenariobestand van hoogstens {mb} MB",
    "allow_utf8_file": "een bestand in UTF-8",
    "allow_well_formed_yaml": "een geldig YAML- of JSON-document",
    "allow_well_formed_json": "een geldig JSON-document",
    "allow_key_once": "elke sleutel één keer per tabel",
    "allow_json_key_once": "elke sleutel één keer per object",
    "allow_alias": "aliassen naar eerder gedefinieerde waarden, zonder kringen",
    "allow_depth": "hoogstens {depth} niveaus nesting",
    "allow_values": "hoogstens {count} waarden; minder of kleinere aliassen",
    # Validation problems: published visits before now (the rule in the checker's words)
    "published_breaks_rule": "een bezoek dat al begonnen of geweest is, breekt een regel: {rule}",
    "allow_published_before_now": "een bezoek voor nu ({now}) dat nog aan elke regel van de "
    "planning voldoet (het is begonnen of geweest en kan niet meer verschuiven)",
    # Table edits (the round editor): where a problem is, and edit refusals
    "edit_where_row": "{table}, rij {row}",
    "edit_row": "rij {row}",
    "edit_problem_allowed": "{where}: {what} — toegestaan: {allowed}",
    "edit_out_of_scope": "{value} is geen van de consultants die je mag bewerken",
    "edit_cannot_remove": "{ids} verwijderen kan hier niet",
    "allow_keep_rows": "laat elke bestaande rij staan; wijzig hem in plaats daarvan",
    # Importing a sheet (CSV or Excel)
    "sheet_type_not_supported": "{file}: bestandstype {suffix} wordt niet ondersteund; "
    "toegestaan: .csv of .xlsx",
    "sheet_not_utf8": "{file}: geen UTF-8-tekst; sla de CSV op als UTF-8",
    "sheet_unreadable": "{file}: kan niet als blad worden gelezen ({reason})",
    "sheet_kind_unknown": "aan de kolommen is niet te zien of dit aanvragen, jongeren of "
    "locaties zijn",
    "sheet_unknown_column": "onbekende kolom {column}",
    "sheet_unknown_skill": "onbekende vaardigheid {skills} (geen consultant heeft die)",
    "allow_sheet_header": "een kopregel met bijv. 'Duur (min)' (aanvragen), 'Gesignaleerd op' "
    "(jongeren) of 'Soort' (locaties)",
    "allow_no_skills_known": "een van: (geen vaardigheden bekend)",
    # Edit conflicts (two people editing one round at once)
    "entity_consultant": "consultant {id}",
    "entity_location": "locatie {id}",
    "entity_youth": "jongere {id}",
    "entity_request": "aanvraag {id}",
    "entity_other": "{kind} {id}",
    "conflict_newer_plan": "Er is intussen een nieuwere planning opgeslagen (#{current}); je "
    "wijziging was gemaakt op planning #{expected}.",
    "conflict_plan_gone": "De planning waarop je wijziging was gemaakt, bestaat niet meer.",
    "conflict_deleted": "Iemand anders heeft {who} intussen verwijderd.",
    "conflict_added": "Iemand anders heeft {who} intussen toegevoegd.",
    "conflict_changed": "Iemand anders heeft {who} intussen gewijzigd.",
    "conflict_changed_fields": "Iemand anders heeft {who} intussen gewijzigd: {fields}.",
    "conflict_cannot_merge": "De wijziging kan niet worden samengevoegd.",
    "clash_deleted": "{who} is intussen verwijderd",
    "clash_added_by_both": "{who} is intussen ook door iemand anders toegevoegd",
    "clash_changed_by_both": "{who}: {fields} door jullie allebei gewijzigd",
    "clash_changed_not_deleted": "{who} is intussen gewijzigd; niet verwijderd",
    "conflict_not_saved": "Je wijziging is niet opgeslagen.",
    "conflict_reload": "Je wijziging is niet opgeslagen. Herlaad de pagina en probeer het opnieuw.",
    "conflict_can_merge": "Je wijziging is niet opgeslagen. Je kunt haar samenvoegen met de "
    "nieuwe gegevens (beide wijzigingen blijven dan bewaard), of haar weggooien en opnieuw "
    "beginnen.",
    "conflict_clashes": "Samenvoegen kan niet: {clashes}.",
    "conflict_invalid": "Samenvoegen kan niet: samen met de nieuwe gegevens is de week niet "
    "geldig ({problems}).",
    # Hand moves in the plan (refusals and the planner's summary)
    "hand_move_rule": "regel overtreden: {rule}",
    "hand_move_unknown_request": "aanvraag {request} bestaat niet",
    "hand_move_no_consultant": "geen consultant gekozen",
    "hand_move_no_start": "geen begintijd houdt zich aan elke regel",
    "hand_move_no_visit": "aanvraag {request} heeft geen bezoek",
    "hand_move_locked": "aanvraag {request} is vastgezet (vergrendeld)",
    "hand_move_summary_unknown_request": "Onbekende aanvraag.",
    "hand_move_summary_no_consultant": "Kies minstens één consultant.",
    "hand_move_summary_does_not_fit": "{request} past niet bij {consultants} op {date}.",
    "hand_move_summary_refused": "{request} kan niet naar {consultants} op {date} {window}.",
    "hand_move_summary_moved": "{request} staat nu bij {consultants} op {date} {window}.",
    "hand_move_summary_no_visit": "Geen bezoek gevonden.",
    "hand_move_summary_locked": "{request} is vergrendeld; ontgrendel het bezoek eerst.",
    "hand_move_summary_cannot_unplan": "{request} kan niet uit de planning.",
    "hand_move_summary_unplanned": "{request} is uit de planning gehaald.",
    # The travel matrix CSV (travel.matrix)
    "matrix_absolute": "is een absoluut pad",
    "matrix_outside": "leidt buiten de map van het scenario",
    "matrix_no_file": "bestand bestaat niet",
    "matrix_unreadable": "kan niet worden gelezen ({reason})",
    "matrix_not_regular": "is geen gewoon bestand",
    "matrix_too_large": "is te groot",
    "matrix_not_text": "is geen tekstbestand",
    "matrix_not_csv": "is geen leesbaar CSV-bestand",
    "matrix_bad_header": "de kopregel is niet from,to,minutes",
    "matrix_columns": "{count} kolom(men)",
    "matrix_empty_point": "een lege punt-id",
    "matrix_not_minutes": "geen geheel aantal minuten",
    "matrix_minutes_too_large": "te groot",
    "allow_matrix_inside": "een CSV-bestand in de map van het scenario of daaronder, genoemd "
    "vanaf het scenario",
    "allow_matrix_existing": "een bestaand CSV-bestand",
    "allow_matrix_csv": "een CSV-bestand from,to,minutes",
    "allow_matrix_size": "een CSV-bestand van hoogstens {mb} MB",
    "allow_matrix_utf8": "een CSV-bestand in UTF-8",
    "allow_matrix_header": "de kopregel 'from,to,minutes'",
    "allow_matrix_minutes": "een geheel aantal minuten van 0 tot en met {max}",
    "allow_matrix_columns": "drie kolommen from,to,minutes",
    "allow_matrix_points": "niet-lege punt-ids",
    # the availability view of one consultant (matcher/scenario/availability_view.py)
    "exception_kind_missing": "de soort ontbreekt",
    "exception_kind_unknown": "{value} is geen soort",
    "exception_kinds": "{absent} of {extra}",
    "exception_date_missing": "de datum ontbreekt",
    "edit_table_row": "{table} rij {row}",
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
    "visit_continuity_none": "continuïteit: geen vorige consultant, 0",
    "visit_continuity_kept": "continuïteit: vorige consultant {consultant} komt langs, 0",
    "visit_continuity_missed": "continuïteit: vorige consultant {consultant} niet ingezet, {cost}",
    "visit_total": "totaal: {total}",
    # end of the reasons of the rules
}
