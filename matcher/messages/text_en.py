"""English message table (the CLI, the plan file, logs): code -> template.

Every code here has an entry with the same ``{placeholders}`` in
:mod:`matcher.messages.text_nl`; ``tests/test_messages.py`` checks both tables.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    "solver_status_optimal": "optimal",
    "solver_status_feasible": "feasible",
    "solver_status_infeasible": "infeasible",
    "solver_status_unknown": "no plan found yet",
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
    "urgency_low": "low",
    "urgency_normal": "normal",
    "urgency_high": "high",
    "visit_continuity_none": "continuity: no previous consultant, 0",
    "visit_continuity_kept": "continuity: previous consultant {consultant} visits, 0",
    "visit_continuity_missed": "continuity: previous consultant {consultant} not used, {cost}",
    "visit_total": "total: {total}",
    # end of the reasons of the rules
}
