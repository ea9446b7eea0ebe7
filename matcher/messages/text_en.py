"""English message table (the CLI, the plan file, logs): code -> template.

Every code here has an entry with the same ``{placeholders}`` in
:mod:`matcher.messages.text_nl`; ``tests/test_messages.py`` checks both tables.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # Solver status
    "solver_status_optimal": "optimal",
    "solver_status_feasible": "feasible",
    "solver_status_infeasible": "infeasible",
    "solver_status_unknown": "no plan found yet",
    "solver_status_other": "status {status}",
    # Urgencies (named in messages)
    "urgency_low": "low",
    "urgency_normal": "normal",
    "urgency_high": "high",
    "urgency_crisis": "crisis",
    # Validation problems: the frame of one problem (file and field path, what, allowed)
    "problem_line": "{where}: {what}",
    "problem_line_allowed": "{where}: {what}; allowed: {allowed}",
    "problem_allowed": "{what}; allowed: {allowed}",
    # Validation problems: kinds of values
    "type_null": "empty (null)",
    "type_bool": "true/false",
    "type_datetime": "a date-time",
    "type_date": "a date",
    "type_mapping": "a mapping",
    "type_list": "a list",
    "type_string": "a string",
    "type_whole_number": "a whole number",
    "type_number": "a number",
    "type_other": "{name}",
    # Validation problems: fields (what is wrong)
    "value_huge_number": "a number of {digits} digits",
    "weekday_key_mon": "mon",
    "weekday_key_tue": "tue",
    "weekday_key_wed": "wed",
    "weekday_key_thu": "thu",
    "weekday_key_fri": "fri",
    "weekday_key_sat": "sat",
    "weekday_key_sun": "sun",
    "wrong_type": "{value} is {kind}",
    "unknown_key": "unknown key {key}",
    "missing_key": "missing required key",
    "text_not_storable": "{value} holds a NUL character or an unpaired surrogate",
    "private_text_not_storable": "the text holds a NUL character or an unpaired surrogate",
    "not_an_id": "{value} is not an id",
    "private_wrong_type": "the value is {kind} (not shown)",
    "not_an_email": "{value} is not an e-mail address",
    "too_small": "{value} is too small",
    "too_large": "{value} is too large",
    "not_finite": "{value} is not a finite number",
    "out_of_range": "{value} is out of range",
    "not_a_real_date": "{value} is not a real date",
    "not_a_date": "{value} is not a date",
    "not_a_time": "{value} is not a valid time",
    "number_not_time": "{value} is a number, not a time (an unquoted time may have been read "
    "as minutes by a YAML 1.1 parser)",
    "not_a_tag": "{value} is not a tag",
    "duplicate_provider_id": "duplicate provider id {value} (also at {other})",
    "duplicate_consultant_id": "duplicate consultant id {value} (also at {other})",
    "duplicate_location_id": "duplicate location id {value} (also at {other})",
    "duplicate_youth_id": "duplicate youth id {value} (also at {other})",
    "duplicate_request_id": "duplicate request id {value} (also at {other})",
    # Validation problems: sections (what is wrong)
    "unsupported_format": "{value} is not a supported format version",
    "not_a_time_zone": "{value} is not an IANA time zone",
    "not_an_iso_week": "{value} is not an ISO week",
    "week_does_not_exist": "{value} does not exist",
    "empty_list": "the list is empty",
    "date_twice": "{date} is listed twice",
    "week_or_days_missing": "missing: give `week` or `days`",
    "matrix_not_uploaded": "{file}: was not uploaded",
    "matrix_without_file": "{file}: cannot be read: the scenario is not a file",
    "matrix_problem": "{file}: {text}",
    "not_a_mapping": "{value} is not a mapping",
    "not_a_name": "{value} is not a name",
    "not_a_datetime": "{value} is not a date and time",
    "consultant_twice": "{value} names a consultant twice",
    "not_a_request_id": "{value} is not a request id",
    "published_twice": "{value} is published twice (also at {other})",
    # Validation problems: entities (what is wrong)
    "end_not_after_start": '{value} is not after start "{start}"',
    "date_or_weekday": "give exactly one of `date` and `weekday`",
    "not_a_weekday": "{value} is not a weekday",
    "windows_overlap": "{window} overlaps {other} ({other_window})",
    "window_on_date": "{date} {window}",
    "window_on_weekday": "{weekday} {window}",
    "location_wrong_type": "a location is {kind}",
    "not_a_location_kind": "{value} is not a location kind",
    "not_an_urgency": "{value} is not a known urgency",
    "not_a_planning_day": "{date} is not a planning day",
    "roles_and_skills": "both `roles` and `skills` are given",
    "not_skill_lists": "{value} is not a list of skill lists",
    "too_many_roles": "{count} roles",
    "outside_planning_days": "{date} is outside the planning days",
    "latest_before_earliest": "{date} is before earliest {earliest}",
    # Validation problems: references and pins (what is wrong)
    "not_a_provider_id": "{value} is not a provider id",
    "not_a_location_id": "{value} is not a location id",
    "not_a_consultant_id": "{value} is not a consultant id",
    "not_a_youth_id": "{value} is not a youth id",
    "matrix_unknown_from_point": "row {row}: the from point is not a point id of the scenario",
    "matrix_unknown_to_point": "row {row}: the to point is not a point id of the scenario",
    "pin_count_mismatch": "{count} consultant(s) pinned for {roles} role(s)",
    "consultant_skills": "{consultant}: {skills}",
    "consultant_no_skills": "{consultant}: no skills",
    "pinned_lacks_skills": "the pinned consultants lack the skills ({have})",
    "pinned_excluded": "{value} is excluded for youth {youth}",
    "pin_consultant_unavailable_date": "{date}: {consultant} is not available that date",
    "pin_consultant_unavailable_time": "{window}: {consultant} is not available then",
    "pinned_outside_dates": "{date} is outside earliest/latest",
    "objective_too_large": "the objective could reach {worst} with these weights ({requests} "
    "requests, {consultants} consultants, waiting counted from each signalled_on)",
    # Validation problems: what is allowed instead
    "allow_mapping": "a mapping of keys to values",
    "allow_list": "a list",
    "allow_one_of": "one of: {choices}",
    "allow_one_of_list": "{choices}",
    "allow_value_for": "a value for {key}",
    "allow_storable_text": "text without NUL characters (valid Unicode)",
    "allow_non_empty_string": "a non-empty string",
    "allow_email": "name@domain",
    "allow_whole_number_range": "a whole number from {low} to {high}",
    "allow_whole_number_to": "a whole number to {high}",
    "allow_number_range": "a number in [{low}, {high}]",
    "allow_number_open_range": "a number in ({low}, {high}]",
    "allow_bool": "true or false",
    "allow_date": "a date YYYY-MM-DD",
    "allow_table_date": "a date dd-mm-yyyy (e.g. 02-12-2026) or YYYY-MM-DD",
    "allow_time": 'a time "HH:MM" (00:00-24:00), written in quotes',
    "allow_strings": "a list of strings",
    "allow_provider_id_once": "a provider id used once",
    "allow_consultant_id_once": "a consultant id used once",
    "allow_location_id_once": "a location id used once",
    "allow_youth_id_once": "a youth id used once",
    "allow_request_id_once": "a request id used once",
    "allow_defined_id": "an id defined in the scenario",
    "allow_one_of_ids": "one of the ids: {ids}",
    "allow_one_of_many_ids": "one of the ids: {ids}, ... ({count} in all)",
    "allow_format": "{version}",
    "allow_time_zone": 'a zone name such as "Europe/Amsterdam"',
    "allow_iso_week": 'an ISO week such as "2026-W48"',
    "allow_existing_week": "an existing ISO week of that year",
    "allow_one_date": "at least one planning date",
    "allow_each_date_once": "each date once",
    "allow_matrix_upload": "the CSV file {name} uploaded with the scenario",
    "allow_matrix_from_file": "a scenario read from a file",
    "allow_urgency_factors": "a mapping urgency -> whole factor, e.g. {{low: 1, normal: 2}}",
    "allow_local_datetime": 'a local date and time "YYYY-MM-DDTHH:MM"',
    "allow_visit_consultants": "the consultant ids of the visit",
    "allow_distinct_consultants": "distinct consultant ids",
    "allow_published_once": "at most one published visit per request",
    "allow_end_after_start": "an end later than the start",
    "allow_window": "{{date: D, start, end}} or {{weekday: mon..sun, start, end}}",
    "allow_no_overlap": "windows of one consultant on one day that do not overlap",
    "allow_urgency": "{choices}",
    "allow_days": "{days}",
    "allow_many_days": "{days}, ... ({count} days)",
    "allow_roles_or_skills": "one of `roles` and `skills`",
    "allow_skill_lists": "a non-empty list of skill lists, e.g. [[emdr], [lvb]]",
    "allow_max_roles": "at most {max} roles (consultants) a visit",
    "allow_skill_list": "a list of skills, e.g. [emdr, vrouw]",
    "allow_date_range": "a date from {first} to {last}",
    "allow_on_or_after_earliest": "a date on or after earliest",
    "allow_point_id": "a location id or base:<consultant id>",
    "allow_one_per_role": "one consultant per role",
    "allow_fill_roles": "consultants who together fill the roles {roles}",
    "allow_not_excluded": "consultants not excluded for this youth",
    "allow_pin_date": "a date on which every pinned consultant is available",
    "allow_pin_start": "a start inside the pinned consultants' availability that date",
    "allow_dates_between": "{first}..{last}",
    "allow_objective_below": "weights and dates that keep the worst objective below {max}",
    # Reading a scenario file (before validation)
    "file_not_found": "file not found",
    "is_a_folder": "is a folder",
    "cannot_read": "cannot read: {reason}",
    "file_too_large": "the file is larger than {mb} MB",
    "not_utf8": "not UTF-8 text",
    "malformed_yaml": "malformed YAML: {what}",
    "malformed_yaml_in": "malformed YAML: {what} ({context})",
    "malformed_json": "malformed JSON",
    "malformed_json_because": "malformed JSON: {what}",
    "duplicate_key": "the key {key} appears twice",
    "alias_cycle": "the alias *{alias} refers to a list or mapping that contains it",
    "nested_too_deep": "lists and mappings nested more than {depth} levels deep",
    "json_nested_too_deep": "lists and objects nested more than {depth} levels deep",
    "nested_too_deeply": "nested too deeply",
    "too_many_values": "the document holds more than {count} values (with its aliases expanded)",
    "key_is_collection": "a key is {kind}",
    "allow_scalar_key": "keys that are text, numbers or dates",
    "allow_existing_file": "an existing file",
    "allow_scenario_file": "a scenario file",
    "allow_readable_file": "a readable file",
    "allow_file_size": "a scenario file of at most {mb} MB",
    "allow_utf8_file": "a UTF-8 encoded file",
    "allow_well_formed_yaml": "a well-formed YAML or JSON document",
    "allow_well_formed_json": "a well-formed JSON document",
    "allow_key_once": "each key once in a mapping",
    "allow_json_key_once": "each key once in an object",
    "allow_alias": "aliases to values defined before, without cycles",
    "allow_depth": "at most {depth} levels of nesting",
    "allow_values": "at most {count} values; fewer or smaller aliases",
    # Validation problems: published visits before now (the rule in the checker's words)
    "published_breaks_rule": "{rule}",
    "allow_published_before_now": "a visit before now ({now}) that still keeps every rule of "
    "the plan (it has begun or taken place, so it cannot be moved)",
    # Table edits (the round editor): where a problem is, and edit refusals
    "edit_where_row": "{table}, row {row}",
    "edit_row": "row {row}",
    "edit_problem_allowed": "{where}: {what}; allowed: {allowed}",
    "edit_out_of_scope": "{value} is not one of the consultants you may edit",
    "edit_cannot_remove": "removing {ids} is not possible here",
    "allow_keep_rows": "keep every existing row; change it instead",
    # Importing a sheet (CSV or Excel)
    "sheet_type_not_supported": "{file}: file type {suffix} is not supported; allowed: .csv or "
    ".xlsx",
    "sheet_not_utf8": "{file}: not UTF-8 text; save the CSV as UTF-8",
    "sheet_unreadable": "{file}: cannot be read as a sheet ({reason})",
    "sheet_kind_unknown": "the columns do not show whether these are requests, youths or locations",
    "sheet_unknown_column": "unknown column {column}",
    "sheet_unknown_skill": "unknown skill {skills} (no consultant has it)",
    "allow_sheet_header": "a header with e.g. 'Duur (min)' (requests), 'Gesignaleerd op' "
    "(youths) or 'Soort' (locations)",
    "allow_no_skills_known": "one of: (no skills known)",
    # Edit conflicts (two people editing one round at once)
    "entity_consultant": "consultant {id}",
    "entity_location": "location {id}",
    "entity_youth": "youth {id}",
    "entity_request": "request {id}",
    "entity_other": "{kind} {id}",
    "conflict_newer_plan": "A newer plan was saved meanwhile (#{current}); your change was "
    "made on plan #{expected}.",
    "conflict_plan_gone": "The plan your change was made on no longer exists.",
    "conflict_deleted": "Someone else deleted {who} meanwhile.",
    "conflict_added": "Someone else added {who} meanwhile.",
    "conflict_changed": "Someone else changed {who} meanwhile.",
    "conflict_changed_fields": "Someone else changed {who} meanwhile: {fields}.",
    "conflict_cannot_merge": "The change cannot be merged.",
    "clash_deleted": "{who} was deleted meanwhile",
    "clash_added_by_both": "{who} was also added by someone else meanwhile",
    "clash_changed_by_both": "{who}: {fields} changed by both of you",
    "clash_changed_not_deleted": "{who} was changed meanwhile; not deleted",
    "conflict_not_saved": "Your change was not saved.",
    "conflict_reload": "Your change was not saved. Reload the page and try again.",
    "conflict_can_merge": "Your change was not saved. You can merge it with the new data (both "
    "changes are then kept), or discard it and start again.",
    "conflict_clashes": "Merging is not possible: {clashes}.",
    "conflict_invalid": "Merging is not possible: together with the new data the week is not "
    "valid ({problems}).",
    # Hand moves in the plan (refusals and the planner's summary)
    "hand_move_rule": "{rule}",
    "hand_move_unknown_request": "request {request} does not exist",
    "hand_move_no_consultant": "no consultant chosen",
    "hand_move_no_start": "no start keeps every rule",
    "hand_move_no_visit": "request {request} has no visit",
    "hand_move_locked": "request {request} is pinned (locked)",
    "hand_move_summary_unknown_request": "Unknown request.",
    "hand_move_summary_no_consultant": "Choose at least one consultant.",
    "hand_move_summary_does_not_fit": "{request} does not fit with {consultants} on {date}.",
    "hand_move_summary_refused": "{request} cannot move to {consultants} on {date} {window}.",
    "hand_move_summary_moved": "{request} is now with {consultants} on {date} {window}.",
    "hand_move_summary_no_visit": "No visit found.",
    "hand_move_summary_locked": "{request} is locked; unlock the visit first.",
    "hand_move_summary_cannot_unplan": "{request} cannot be taken out of the plan.",
    "hand_move_summary_unplanned": "{request} was taken out of the plan.",
    # The travel matrix CSV (travel.matrix)
    "matrix_absolute": "is an absolute path",
    "matrix_outside": "leads outside the scenario's folder",
    "matrix_no_file": "no such file",
    "matrix_unreadable": "cannot be read ({reason})",
    "matrix_not_regular": "is not a regular file",
    "matrix_too_large": "is too large",
    "matrix_not_text": "is not a text file",
    "matrix_not_csv": "is not a readable CSV file",
    "matrix_bad_header": "the header is not from,to,minutes",
    "matrix_columns": "{count} column(s)",
    "matrix_empty_point": "an empty point id",
    "matrix_not_minutes": "not a whole number of minutes",
    "matrix_minutes_too_large": "too large",
    "allow_matrix_inside": "a CSV file in the scenario's folder or below it, named relative to "
    "the scenario",
    "allow_matrix_existing": "an existing CSV file",
    "allow_matrix_csv": "a CSV file from,to,minutes",
    "allow_matrix_size": "a CSV file of at most {mb} MB",
    "allow_matrix_utf8": "a UTF-8 CSV file",
    "allow_matrix_header": "the header 'from,to,minutes'",
    "allow_matrix_minutes": "a whole number of minutes from 0 to {max}",
    "allow_matrix_columns": "three columns from,to,minutes",
    "allow_matrix_points": "non-empty point ids",
    # the availability view of one consultant (matcher/scenario/availability_view.py)
    "exception_kind_missing": "the kind is missing",
    "exception_kind_unknown": "{value} is not a kind",
    "exception_kinds": "{absent} or {extra}",
    "exception_date_missing": "the date is missing",
    "edit_table_row": "{table} row {row}",
    # reasons of the rules (matcher/rules, matcher/explain) --------------------------------
    # building blocks (matcher/explain/words.py)
    "and_list": "{items} and {last}",
    "and_pair": "{a} and {b}",
    "semi_pair": "{a}; {b}",
    "skill_none": "no particular skill",
    "skill_one": "skill {skill}",
    "skill_many": "skills {skills}",
    "visits_one": "{n} visit",
    "visits_many": "{n} visits",
    "cap_per_day": "max {visits} per day",
    "cap_per_week": "max {visits} per week",
    "weekday_mon": "Monday",
    "weekday_tue": "Tuesday",
    "weekday_wed": "Wednesday",
    "weekday_thu": "Thursday",
    "weekday_fri": "Friday",
    "weekday_sat": "Saturday",
    "weekday_sun": "Sunday",
    "full_day_mon": "Monday {date}",
    "full_day_tue": "Tuesday {date}",
    "full_day_wed": "Wednesday {date}",
    "full_day_thu": "Thursday {date}",
    "full_day_fri": "Friday {date}",
    "full_day_sat": "Saturday {date}",
    "full_day_sun": "Sunday {date}",
    "span_on": "on {day}",
    "span_between": "between {first} and {last}",
    "subject_skills": "the consultants with the skills",
    "subject_role": "the consultants with {skills}",
    # skills, exclusions, joint visits
    "skill_missing": "no consultant has {skills}",
    "skills_not_together": "no consultant has all of the {skills}",
    "excluded_only_one": "excluded consultant {consultant}: only {consultant} has {skills}",
    "excluded_only_many": "excluded consultants {consultants}: only they have {skills}",
    "joint_too_few_one": (
        "not enough distinct consultants for the roles {roles}: only {consultants} qualifies"
    ),
    "joint_too_few": (
        "not enough distinct consultants for the roles {roles}: only {consultants} qualify"
    ),
    "joint_no_day": (
        "no day {span} on which {n} different consultants for the roles {roles} are available"
    ),
    "joint_no_common_time": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time"
    ),
    "joint_no_common_time_open": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time inside the opening hours of {location}"
    ),
    "joint_no_common_time_tod": (
        "no day {span} on which {n} different consultants for the roles {roles} are "
        "available at the same time within time of day {time_of_day}"
    ),
    "joint_no_common_free_time": (
        "the consultants for the roles {roles} have no common free time on {days}"
    ),
    # dates, now
    "earliest_after_latest": "earliest date {earliest} is after the latest date {latest}",
    "signalled_after_latest": "signalled on {signalled}, after the latest date {latest}",
    "no_planning_day": "no planning day between {first} and {last}",
    "all_days_before_now": "every allowed day ({first} to {last}) is before now ({now})",
    "only_before_now": "the only times that fit are before now ({now})",
    # tour windows, time of day, opening hours
    "not_available": "{subject} are not available {span} ({consultants})",
    "no_room_in_tour": (
        "no tour of {subject} {span} leaves room for {minutes} minutes plus travel from and "
        "to the base{detail}"
    ),
    "closest_tour": (
        " (closest: {consultant} on {day} {window} needs {there}+{duration}+{back} minutes)"
    ),
    "time_of_day_too_short": (
        "time of day {time_of_day} is shorter than the visit ({minutes} minutes)"
    ),
    "time_of_day_no_tour": "time of day {time_of_day} does not fit any tour of {subject}",
    "time_of_day_and_opening": (
        "time of day {time_of_day} and the opening hours of {location} leave no common time "
        "in the tours of {subject} ({summary})"
    ),
    "outside_opening_hours": "only outside the opening hours of {location} ({summary})",
    "open_summary": "open {days}",
    "open_day": "{day} {spans}",
    "closed_summary": "closed {span}",
    # pins
    "pin_unknown_consultant": "pinned to unknown consultant {consultant}",
    "pin_wrong_count": ("pinned to {n} consultant(s) ({consultants}) but the visit needs {needed}"),
    "pin_excluded": "pinned to {consultant} who is excluded for {youth}",
    "pin_lacks_skills": "pinned to {consultant} who lacks {skills}",
    "pin_no_role": "pinned to {consultant} who has the skills of none of the roles {roles}",
    "pin_roles_unmatched": (
        "pinned consultants {consultants} cannot fill the roles {roles} one to one"
    ),
    "pin_not_planning_day": "pinned to {date}, which is not a planning day",
    "pin_before_signalled": "pinned to {date}, before the youth was signalled ({signalled})",
    "pin_outside_dates": "pinned to {date}, outside the allowed dates {first} to {last}",
    "pin_unavailable_day": "pinned to {consultant} who is unavailable that day ({day})",
    "pin_not_available": "pinned to {consultant} who is not available {span}",
    "pin_not_same_day": "pinned consultants {consultants} are not available on the same day {span}",
    "pin_no_room": (
        "pinned to {consultants} whose tours {span} leave no room for {minutes} minutes plus "
        "travel from and to the base{detail}"
    ),
    "that_day": "that day ({day})",
    "pin_unavailable_at": "pinned to {consultant} who is unavailable at {time} {when}",
    "pin_start_no_drive": (
        "pinned start {start} leaves {consultant} no time to drive from the base ({minutes} "
        "minutes, the tour starts at {tour_start})"
    ),
    "pin_end_no_drive": (
        "pinned end {end} leaves {consultant} no time to drive back to the base ({minutes} "
        "minutes, the tour ends at {tour_end})"
    ),
    "pin_outside_opening": (
        "pinned start {start} is outside the opening hours of {location} ({summary})"
    ),
    "pin_outside_time_of_day": "pinned time {time} is outside the time of day {time_of_day}",
    "pin_no_common_time": (
        "pinned time {time} fits no common tour time of {consultants} inside the opening "
        "hours and time of day {when}"
    ),
    "pin_of": "pin of {request}: {reason}",
    "pins_clash_week": "pins {requests} clash: they give {consultant} {n} visits, more than {cap}",
    "pins_clash_day": (
        "pins {requests} clash: they give {consultant} {n} visits on {day}, more than {cap}"
    ),
    "pins_clash_same_start": "pins {requests} clash: both put {consultant} on {date} at {time}",
    "pins_clash_drive": (
        "pins {requests} clash: {consultant} would be at {first} until {until} and at "
        "{second} at {at} on {date} ({minutes} minutes' drive)"
    ),
    "pins_clash_tours": (
        "pins {requests} clash: they do not fit together in the tours of {consultant} on {day}"
    ),
    # caps and routes against the plan
    "at_week_cap": "{consultant} at {cap}",
    "full_at_day_cap_inner": "{consultant} full on {days}, {cap}",
    "full_at_day_cap": "{consultant} full on {days} ({cap})",
    "full_on": "{consultant} full on {days}",
    "capacity_taken": "capacity taken by more urgent requests ({phrases}{tail})",
    "capacity_taken_equal": "capacity taken by more or equally urgent requests ({phrases}{tail})",
    "and_n_more_semi": "; and {n} more",
    "including_less_urgent_one": "{line}, including less urgent request {requests}",
    "including_less_urgent": "{line}, including less urgent requests {requests}",
    "list_and_more": "{items} and {n} more",
    "more_consultants_full_one": "1 more consultant is full, partly with less urgent requests",
    "more_consultants_full": "{n} more consultants are full, partly with less urgent requests",
    "no_free_time": "no free time left in the tours of the consultants who could do it",
    # the cheapest insertion
    "could_be_added": (
        "could be added to {consultants} on {day} at {time} at extra cost {cost} (leaving it "
        "open costs {penalty}); the solver stopped before finding it"
    ),
    "costs_more_than_open": (
        "planning it would cost more than leaving it open ({penalty}): cheapest is {insertion}"
    ),
    "costs_as_much_as_open": (
        "planning it would cost as much as leaving it open ({penalty}): cheapest is {insertion}"
    ),
    "insertion": "{consultants} on {day} at {time}, extra cost {cost} ({parts})",
    "part_travel": "travel +{minutes} minutes",
    "part_waiting": "waiting {cost}",
    "part_continuity": "continuity {cost}",
    # the solver's own reasons (matcher/solver/solve.py)
    "no_slot_in_time": "no feasible slot found within the time limit",
    "pin_cannot_be_kept": "its pin cannot be kept",
    "pin_cannot_be_kept_with": "its pin cannot be kept together with the pins of {requests}",
    "pins_cannot_all_be_kept": "not planned: the pinned requests cannot all be kept",
    "taken_out_by_hand": "taken out of the plan by hand by the planner",
    # remedies (matcher/explain/remedies.py)
    "hours_one": "1 hour",
    "minutes_n": "{n} minutes",
    "hours_n": "{hours} hours",
    "remedy_none": "{request} fits into the plan without any change; re-plan (cost {cost})",
    "remedy_planned": "{change}, {request} is planned; cost {cost}",
    "change_extend_later": "with {hours} more (later) on {day} for {consultant}",
    "change_extend_earlier": "with {hours} more (earlier) on {day} for {consultant}",
    "change_cap_day": "with one more visit for {consultant} on {date}",
    "change_cap_week": "with one more visit for {consultant} this week",
    "change_latest_one": "with latest {days} planning day(s) later",
    "change_latest": "with latest {days} planning day(s) later",
    "change_skill": "with skill '{skill}' for {consultant}",
    # visit cost lines (matcher/explain/visit_costs.py)
    "visit_line": "{request} ({youth}) at {location} on {day} {time} with {consultants}",
    "visit_leg": (
        "travel {consultant}: {minutes_in} min from {came_from}, {minutes_out} min to "
        "{goes_to} (share {share} min)"
    ),
    "base_of": "base of {consultant}",
    "visit_travel_cost": "travel cost: {cost}",
    "visit_waiting": "waiting: {days} days × urgency {urgency} ({factor}) × {weight} = {cost}",
    "visit_continuity_none": "continuity: no previous consultant, 0",
    "visit_continuity_kept": "continuity: previous consultant {consultant} visits, 0",
    "visit_continuity_missed": "continuity: previous consultant {consultant} not used, {cost}",
    "visit_total": "total: {total}",
    # end of the reasons of the rules
}
