"""TIMEX3 values for the candidates ``rules`` finds, resolved in text order.

A relative expression is resolved against the publication date; without one, against the last expression with
an explicit year before it (``anchor="text"``); without either its value is None. The clause's tense decides the
direction of "am Mittwoch" and of a date without a year. A clock time or part of day takes the last day named in
its sentence, else the anchor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from newsgraph.model import TimeExpression, timex_interval
from newsgraph.pipeline.temporal import dates as cal
from newsgraph.pipeline.temporal import lexicon as lx
from newsgraph.pipeline.temporal.dates import SEASONS, format_value, holiday, make_date, shift, weekday_near, year_for
from newsgraph.pipeline.temporal.rules import Candidate

REL_OFFSET = {"vergangen": -1, "letzt": -1, "vorig": -1, "gestrig": -1, "kommend": 1, "nächst": 1, "folgend": 1,
              "morgig": 1, "neu": 1, "dies": 0, "laufend": 0, "gleich": 0, "selb": 0, "heutig": 0}
SEASON_CODE = {"frühjahr": "SP", "frühling": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI",
               "spätsommer": "SU", "frühsommer": "SU", "hochsommer": "SU", "spätherbst": "FA", "frühherbst": "FA"}
PART_CODE = {"morgen": "MO", "morgens": "MO", "früh": "MO", "vormittag": "MO", "mittag": "MI", "nachmittag": "AF",
             "abend": "EV", "abends": "EV", "nacht": "NI", "nachts": "NI", "morgenstunden": "MO",
             "abendstunden": "EV"}
DURATION_UNIT = {"S": ("T", "S"), "MIN": ("T", "M"), "H": ("T", "H"), "D": ("", "D"), "W": ("", "W"),
                 "WE": ("", "WE"), "M": ("", "M"), "Q": ("", "Q"), "HALF": ("", "H"), "Y": ("", "Y"),
                 "DE": ("", "DE"), "CE": ("", "CE")}
SHIFT_UNIT = {"S": "D", "MIN": "D", "H": "D"}  # "vor zwei Stunden" is a day, as precise as the anchor
ORDINAL_SUFFIX = re.compile(r"\.$")


def rel_offset(word: str) -> int:
    lower = word.lower()
    return next((v for k, v in REL_OFFSET.items() if lower.startswith(k)), 0)


def duration_value(n: str, unit: str) -> str:
    time_part, code = DURATION_UNIT[unit]
    amount = n if n == "X" else (n[:-2] if n.endswith(".0") else n)
    return f"P{time_part}{amount}{code}"


def unit_of(word: str) -> str:
    return lx.table("units")[word.lower()]


@dataclass
class Resolved:
    value: str | None
    anchor: str | None = None
    kind: str | None = None  # overrides the rule's kind
    day: dt.date | None = None  # a day this expression names, for later clock times
    explicit: dt.date | None = None  # a date with an explicit year, for later relative expressions


class Resolver:
    """Resolves candidates in text order, remembering the last explicit date and the last day named."""

    def __init__(self, published: dt.date | None, tense: Callable[[int], str | None],
                 sentence_of: Callable[[int], int]) -> None:
        self.published = published
        self.tense = tense
        self.sentence_of = sentence_of
        self.last_explicit: dt.date | None = None
        self.last_explicit_at = -1
        self.last_day: tuple[dt.date, int, str | None] | None = None
        self.last_any_day: tuple[dt.date, str | None] | None = None  # for "zwei Tage später"
        self.last_any_day_at = -1

    def reference(self) -> tuple[dt.date, str] | None:
        if self.published is not None:
            return self.published, "published"
        if self.last_explicit is not None:
            return self.last_explicit, "text"
        return None

    def resolve(self, cand: Candidate) -> TimeExpression:
        handler = HANDLERS[cand.rule.name]
        try:
            res = handler(self, cand.match, cand)
        except cal.OutOfCalendar as exc:  # "vor 2900 Jahren": BC0875, or no value; never an error
            ref = self.reference()
            res = Resolved(cal.out_of_calendar_value(exc), ref[1] if ref else None)
        if res.explicit is not None:
            self.last_explicit, self.last_explicit_at = res.explicit, cand.start
        elif res.anchor == "text" and res.value and cand.rule.name in NARRATIVE_STEPS:
            # a narrative moves on: "am 7. Juli" … "am folgenden Tag", "des neuen Jahres" … "am 28. Mai"
            days = timex_interval(res.value)
            if days is not None:
                self.last_explicit = dt.date.fromisoformat(days[0])
        if res.day is not None:
            self.last_day = (res.day, self.sentence_of(cand.start), res.anchor)
            self.last_any_day, self.last_any_day_at = (res.day, res.anchor), cand.start
        text = cand.match.string[cand.start:cand.end]
        return TimeExpression(cand.start, cand.end, text, res.value, res.kind or cand.rule.kind, res.anchor)

    # --- helpers used by the handlers ---------------------------------------------------------------------

    def direction(self, pos: int) -> str | None:
        return self.tense(pos)

    def in_year(self, pos: int, build: Callable[[int], dt.date | None], *, months: int) -> Resolved | None:
        """A year-less date placed by the anchor and the clause's tense; None without an anchor."""
        ref = self.reference()
        if ref is None:
            return None
        anchor, how = ref
        if how == "text":  # a narrative: the year of the last date named
            return Resolved(None, how, day=build(anchor.year)) if build(anchor.year) else Resolved(None, how)
        return Resolved(None, how, day=year_for(anchor, build, self.direction(pos), months=months))

    def time_day(self, pos: int) -> tuple[dt.date, str | None] | None:
        if self.last_day is not None and self.last_day[1] == self.sentence_of(pos):
            return self.last_day[0], self.last_day[2]
        ref = self.reference()
        return ref if ref is None else (ref[0], ref[1])


# Day-level dates that move a narrative's reference time on ("am 7. Juli" … "am 28. Mai"); vaguer ones
# ("zwei Jahre zuvor", "im Sommer", "des neuen Jahres") do not: on the WikiWarsDE dev half they cost more
# than they gave.
NARRATIVE_STEPS = frozenset({"date_written", "date_numeric", "day_range", "daypart_of"})

Handler = Callable[[Resolver, re.Match[str], Candidate], Resolved]


def _explicit(day: dt.date | None, unit: str, season: str | None = None) -> Resolved:
    if day is None:
        return Resolved(None)  # 31. Februar: an impossible date has no value
    return Resolved(format_value(day, unit, season), None, day=day if unit == "D" else None, explicit=day)


def _placed(r: Resolver, pos: int, build: Callable[[int], dt.date | None], unit: str, *, months: int,
            season: str | None = None) -> Resolved:
    got = r.in_year(pos, build, months=months)
    if got is None:
        return Resolved(None)
    if got.day is None:
        return Resolved(None, got.anchor)
    return Resolved(format_value(got.day, unit, season), got.anchor, day=got.day if unit == "D" else None)


def _clock(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    g = m.groupdict()
    h, mins = (g["h2"], g["m2"]) if c.part == "x2" else (g.get("h1") or g.get("h"),
                                                         g.get("m1") or g.get("m") or g.get("m2"))
    hour, minute = int(h or 0), int(mins or 0)
    if g.get("part") in ("abends", "nachts") and hour < 12:
        hour += 12
    clock = f"T{hour:02d}:{minute:02d}"
    day = r.time_day(c.start)
    if day is None:
        return Resolved(f"XXXX-XX-XX{clock}")
    return Resolved(f"{day[0].isoformat()}{clock}", day[1])


def _year_of(m: re.Match[str], near: int | None = None) -> int | None:
    """The match's year; a two-digit one ("1.9.39") in the century that puts it nearest ``near``."""
    y = m.groupdict().get("y")
    if not y:
        return None
    year = int(y)
    if len(y) == 4:
        return year
    if near is None:
        return 2000 + year if year < 50 else 1900 + year
    return min((c + year for c in (near // 100 * 100 - 100, near // 100 * 100, near // 100 * 100 + 100)),
               key=lambda candidate: abs(candidate - near))


def _day_month(r: Resolver, m: re.Match[str], c: Candidate, month: int, day: int | None = None) -> Resolved:
    day = day if day is not None else int(m.group("d"))
    ref = r.reference()
    year = _year_of(m, ref[0].year if ref else None)
    if year is not None:
        return _explicit(make_date(year, month, day), "D")
    if make_date(2000, month, day) is None:  # not even in a leap year
        return Resolved(None)
    return _placed(r, c.start, lambda y: make_date(y, month, day), "D", months=0)


def _numeric(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    return _day_month(r, m, c, int(m.group("m")))


def _written(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    return _day_month(r, m, c, lx.months()[m.group("mon").lower()])


def _day_range(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    """"27./28. September 1939": the first day takes the month and year of the second."""
    month = lx.months()[m.group("mon").lower()]
    return _day_month(r, m, c, month, int(m.group("d1")) if c.part == "x" else None)


def _month_range(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    """"Mai/Juni 1940": the first month takes the year of the second."""
    month = lx.months()[(m.group("mon1") if c.part == "x" else m.group("mon")).lower()]
    year = _year_of(m)
    if year is not None:
        return _explicit(cal.calendar_date(year, month, 1), "M")
    return _placed(r, c.start, lambda y: cal.calendar_date(y, month, 1), "M", months=1)


def _year_range(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    first = int(m.group("y1"))
    if c.part == "x":
        return _explicit(cal.calendar_date(first, 1, 1, "Y"), "Y")
    y = m.group("y")
    year = int(y) if len(y) == 4 else first // 100 * 100 + int(y)
    return _explicit(cal.calendar_date(year, 1, 1, "Y"), "Y") if year >= first else Resolved(None)


def _daypart_of(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    res = _written(r, m, c)
    if res.value is None or res.day is None:
        return Resolved(None, res.anchor)
    return Resolved(f"{res.day.isoformat()}T{PART_CODE[m.group('p').lower()]}", res.anchor, day=res.day,
                    explicit=res.explicit)


def _later(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    """"zwei Tage später": counted from the last day named in the text, else from the anchor."""
    back = m.group("dir") in ("zuvor", "vorher", "früher")
    unit = SHIFT_UNIT.get(unit_of(m.group("u")), unit_of(m.group("u")))
    n = "1" if not m.group("n") else lx.number(m.group("n"))
    if m.group("half"):
        if unit != "Y":
            return Resolved("PAST_REF" if back else "FUTURE_REF")
        n, unit = "6", "M"
    if n == "X" or "." in n:
        return Resolved("PAST_REF" if back else "FUTURE_REF")
    base = r.last_any_day if r.last_any_day_at >= r.last_explicit_at else None
    if base is None and r.last_explicit is not None and r.published is None:
        base = (r.last_explicit, "text")
    base = base or r.reference()
    if base is None:
        return Resolved(None)
    day = shift(base[0], unit, -int(n) if back else int(n))
    return Resolved(format_value(day, unit), base[1], day=day if unit == "D" else None)


def _month(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    month = lx.months()[m.group("mon").lower()]
    year = _year_of(m)
    if year is not None:
        return _explicit(cal.calendar_date(year, month, 1), "M")
    rel = m.groupdict().get("rel")
    if rel:
        ref = r.reference()
        if ref is None:
            return Resolved(None)
        offset = rel_offset(rel.split()[-1])
        return Resolved(format_value(cal.calendar_date(ref[0].year + offset, month, 1), "M"), ref[1])
    return _placed(r, c.start, lambda y: cal.calendar_date(y, month, 1), "M", months=1)


def _decade(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    if m.group("y"):
        y = int(m.group("y"))
        year = y if y >= 1000 else 1900 + y
    else:
        tens = ["zwanziger", "dreißiger", "vierziger", "fünfziger", "sechziger", "siebziger", "achtziger",
                "neunziger"].index(m.group("w").lower())
        year = 1920 + 10 * tens
    return Resolved(format_value(cal.calendar_date(year, 1, 1, "DE"), "DE"))


def _century(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    n = int(m.group("n")) if m.group("n") else int(lx.table("ordinals")[m.group("o").lower()])
    return Resolved(f"{n - 1:02d}" if n > 0 else None)


def _season(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    code = SEASON_CODE[m.group("s").lower()]
    year = _year_of(m)
    if year is not None:
        return _explicit(cal.calendar_date(year, SEASONS[code], 1), "SEASON", code)
    if m.group("rel"):
        ref = r.reference()
        if ref is None:
            return Resolved(None)
        return Resolved(f"{ref[0].year + rel_offset(m.group('rel')):04d}-{code}", ref[1])
    return _placed(r, c.start, lambda y: cal.calendar_date(y, SEASONS[code], 1), "SEASON", months=1, season=code)


def _quarter(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    unit = "Q" if m.group("u").startswith("Quartal") else "HALF"
    q = m.group("q").lower()
    n = int(ORDINAL_SUFFIX.sub("", q)) if q[0].isdigit() else int(lx.table("ordinals")[q])
    year = _year_of(m)
    ref = r.reference()
    if year is None and ref is None:
        return Resolved(None)
    base_year = year if year is not None else ref[0].year if ref else 0
    months_per = 3 if unit == "Q" else 6
    if n < 0:  # "im letzten Quartal": the one before the anchor's
        if ref is None:
            return Resolved(None)
        return Resolved(format_value(shift(ref[0], unit, -1), unit), ref[1])
    if n > (4 if unit == "Q" else 2):
        return Resolved(None)
    day = cal.calendar_date(base_year, (n - 1) * months_per + 1, 1)
    return _explicit(day, unit) if year is not None else Resolved(format_value(day, unit), ref[1] if ref else None)


def _year(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    return _explicit(cal.calendar_date(int(m.group("y")), 1, 1, "Y"), "Y")


def _year_era(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    year = int(m.group("y"))
    if m.group("era") == "n":
        return _explicit(cal.calendar_date(year, 1, 1, "Y"), "Y") if year else Resolved(None)
    return Resolved(f"BC{year:04d}")  # TIMEX's "BC" years; Python's dates stop at year 1


def _rel_unit(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    anchor, how = ref
    rel = m.group("rel").lower()
    offset = rel_offset(rel)
    if m.group("wd"):
        iso = lx.weekdays()[m.group("wd").lower()]
        if offset < 0:
            day = weekday_near(cal.add_days(anchor, -1), iso, "past")
        elif offset > 0:
            day = weekday_near(cal.add_days(anchor, 1), iso, "future")
        else:
            day = weekday_near(anchor, iso, r.direction(c.start))
        return Resolved(day.isoformat(), how, day=day)
    unit = unit_of(m.group("u"))
    day = shift(anchor, unit, offset)
    return Resolved(format_value(day, unit), how, day=day if unit == "D" else None)


def _mod_unit(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    year = _year_of(m)
    if year is not None and m.group("u") == "Jahres":
        return _explicit(cal.calendar_date(year, 1, 1, "Y"), "Y")
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    unit = unit_of(m.group("u"))
    offset = rel_offset(m.group("rel")) if m.group("rel") else 0
    return Resolved(format_value(shift(ref[0], unit, offset), unit), ref[1])


def _rel_plural(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    n = lx.number(m.group("n")) if m.group("n") else "X"
    return Resolved(duration_value(n, unit_of(m.group("u"))))


def _ago(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    n = lx.number(m.group("n"))
    back = m.group("dir").lower() == "vor"
    if n == "X" or "." in n:
        return Resolved("PAST_REF" if back else "FUTURE_REF")
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    unit = unit_of(m.group("u"))
    unit = SHIFT_UNIT.get(unit, unit)
    day = shift(ref[0], unit, -int(n) if back else int(n))
    return Resolved(format_value(day, unit), ref[1], day=day if unit == "D" else None)


def _duration(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    return Resolved(duration_value(lx.number(m.group("n")), unit_of(m.group("u"))))


def _plural_vague(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    if m.group("prep").lower() == "vor":
        return Resolved("PAST_REF", kind="DATE")
    return Resolved(duration_value("X", unit_of(m.group("u"))))


def _duration_adj(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    unit = {"tägig": "D", "wöchig": "W", "monatig": "M", "jährig": "Y"}[m.group("u")]
    return Resolved(duration_value(lx.number(m.group("n")), unit))


def _set_every(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    if m.group("u2"):
        return Resolved("P1M" if m.group("u2") == "Monat" else "P1Y")
    if m.group("wd"):
        return Resolved(f"XXXX-WXX-{lx.weekdays()[m.group('wd').lower()]}")
    if m.group("p"):
        return Resolved(f"XXXX-XX-XXT{PART_CODE[m.group('p').lower()]}")
    n = lx.number(m.group("n")) if m.group("n") else "1"
    return Resolved(duration_value(n, unit_of(m.group("u"))))


def _set_times(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    return Resolved(duration_value("1", unit_of(m.group("u"))))


def _set_weekday(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    value = f"XXXX-WXX-{lx.weekdays()[m.group('wd').lower()]}"
    return Resolved(value + (f"T{PART_CODE[m.group('p')]}" if m.group("p") else ""))


def _holiday(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    rule = lx.table("holidays")[m.group("h").lower()]
    year = _year_of(m)
    if year is not None:
        return _explicit(holiday(rule, year), "D")
    return _placed(r, c.start, lambda y: holiday(rule, y), "D", months=0)


def _with_part(day: dt.date, part: str | None) -> tuple[str, str]:
    if part:
        return f"{day.isoformat()}T{PART_CODE[part.lower()]}", "TIME"
    return day.isoformat(), "DATE"


def _weekday(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    prep = (m.group("prep") or "").strip().lower()
    direction = "past" if prep == "seit" else "future" if prep in ("bis", "ab") else r.direction(c.start)
    day = weekday_near(ref[0], lx.weekdays()[m.group("wd").lower()], direction)
    value, kind = _with_part(day, m.group("p"))
    return Resolved(value, ref[1], kind=kind, day=day)


def _day_word(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    ref = r.reference()
    kind = "TIME" if m.group("p") else "DATE"
    if (ref is None or ref[1] == "text") and m.group("w").lower() == "heute" and not m.group("p"):
        # without a publication date "heute" is the writer's present, not a day in the story
        return Resolved("PRESENT_REF")
    if ref is None:
        return Resolved(None, kind=kind)
    offset = int(lx.table("words")[m.group("w").lower()].split()[1][1:])
    day = cal.add_days(ref[0], offset)
    value, kind = _with_part(day, m.group("p"))
    return Resolved(value, ref[1], kind=kind, day=day)


def _phrase(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    ph = m.group("ph").lower()
    if ph.startswith("vor") or ph.endswith(("zuvor", "vorher")):
        return Resolved("PAST_REF")
    return Resolved("PRESENT_REF" if ph.startswith("zur") else "FUTURE_REF")


def _word(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    kind, spec = lx.table("words")[m.group("w").lower()].split()
    if kind == "SET" or spec.endswith("_REF"):
        return Resolved(spec, kind=kind)
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    unit, offset = spec[0], int(spec[1:])
    day = shift(ref[0], unit, offset)
    return Resolved(format_value(day, unit), ref[1], day=day if unit == "D" else None)


def _weekend(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    ref = r.reference()
    if ref is None:
        return Resolved(None)
    saturday = weekday_near(ref[0], 6, r.direction(c.start) or "future")
    return Resolved(format_value(saturday, "WE"), ref[1])


def _daypart(r: Resolver, m: re.Match[str], c: Candidate) -> Resolved:
    day = r.time_day(c.start)
    if day is None:
        return Resolved(None)
    return Resolved(f"{day[0].isoformat()}T{PART_CODE[m.group('p').lower()]}", day[1])


HANDLERS: dict[str, Handler] = {
    "clock_range": _clock, "clock": _clock, "date_iso": _numeric, "date_numeric": _numeric,
    "date_written": _written, "month_mod": _month, "month_year": _month, "month_bare": _month,
    "decade": _decade, "century": _century, "season": _season, "quarter": _quarter, "year": _year,
    "year_era": _year_era, "day_range": _day_range, "month_range": _month_range, "year_range": _year_range,
    "daypart_of": _daypart_of, "later": _later,
    "rel_unit": _rel_unit, "mod_unit": _mod_unit, "rel_plural": _rel_plural, "ago": _ago, "duration": _duration,
    "plural_vague": _plural_vague, "duration_adj": _duration_adj, "set_every": _set_every,
    "set_times": _set_times, "set_weekday": _set_weekday, "holiday": _holiday, "weekday": _weekday,
    "day_word": _day_word, "phrase": _phrase, "word": _word, "daypart": _daypart, "weekend": _weekend,
}
