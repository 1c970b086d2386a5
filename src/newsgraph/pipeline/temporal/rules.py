"""Where time expressions are: one regular expression per kind of expression, built from the lexicon.

Each rule's group ``x`` is the extent (prepositions such as "am", "im", "seit" stay outside it, as in TimeML);
``x2`` is a second extent ("14.30" in "14.30-18 Uhr"). A rule may add ``accept``, a test on the match and the
text around it that turns false positives away before overlaps are settled. Values come later (``resolve``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from newsgraph.pipeline.temporal import lexicon as lx

L = r"(?<![\w\-.:,])"  # not inside a word, number or date
R = r"(?![\w])"
REL = ("vergangenen|vergangene|vergangener|vergangenes|letzten|letzte|letztes|vorigen|vorige|voriges|kommenden|"
       "kommende|kommendes|nächsten|nächste|nächstes|diese|dieses|diesen|dieser|diesem|laufenden|laufende|"
       "laufendes|folgenden|gleichen|selben|heutigen|gestrigen|morgigen|neuen|neue|neues")
APPROX = r"(?:mehr\s+als|weniger\s+als|fast|knapp|rund|etwa|gut|mindestens|über|bis\s+zu|nur|lediglich|ganze)"
PARTS = "morgen|vormittag|mittag|nachmittag|abend|nacht"
# Words after which a four-digit number is a year even before a noun ("seit 2009 Präsident").
YEAR_CUES = frozenset({"im", "jahr", "jahre", "jahres", "seit", "bis", "ab", "von", "vom", "nach", "vor", "um",
                       "zwischen", "und", "anfang", "mitte", "ende", "sommer", "winter", "herbst", "frühjahr",
                       "frühling", "in", "des", "jahrgang", "bis zum", "–", "-", "(", "/"})
# Words before a number that make it a name or count ("Artikel 1990", "Nr. 2000").
NOT_YEAR_BEFORE = re.compile(r"(?:Artikel|Art\.|§|Nr\.|Nummer|Paragraf|Paragraph|Absatz|Abs\.|Seite|S\.|Kapitel|"
                             r"Zimmer|Platz|Punkt|Version|Tel\.|Telefon|PLZ|Haus|Raum|Gleis|Linie|Route|Bus|"
                             r"Tempo|Zeile|Kilometer|km|Euro|EUR|Dollar|Mio\.|Mrd\.)\s*$")


RANGE_BEFORE = re.compile(r"\d{2,4}\s*[/–-]\s*$")  # the second year of "1939/1940", "1943–1945"
COUNT_PER = re.compile(r"\s+(?:im|pro|je|in\s+den)\s+(?:\w+\s+)?(?:Jahr|Monat|Woche|Tag)")
# "ab 16 Jahren", "mit 18 Jahren": an age, not a duration
AGE_BEFORE = frozenset({"ab", "mit", "unter", "über"})


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # DATE, TIME, DURATION, SET (a resolver may change it)
    pattern: re.Pattern[str]
    accept: Callable[[re.Match[str], str], bool] | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]
    part: str = "x"  # which extent group of the match this is


def _words(name: str, *, cap: bool = True) -> str:
    keys = [k for k in lx.table(name) if "." not in k]
    return lx.alternation([lx.capitalised(k) for k in keys] if cap else keys)


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*([\w%€$]+)", text[end:end + 40])
    return m.group(1) if m else ""


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([\w–\-(/]+)\s*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _accept_year(m: re.Match[str], text: str) -> bool:
    if m.group("jahr"):
        return True
    start = m.start("x")
    if NOT_YEAR_BEFORE.search(text[max(0, start - 20):start]):
        return False
    cued = _prev_word(text, start) in YEAR_CUES or RANGE_BEFORE.search(text, max(0, start - 8), start) is not None
    following = _next_word(text, m.end("x")) if "\n" not in text[m.end("x"):m.end("x") + 3] else ""
    if COUNT_PER.match(text, m.end("x")):
        return False  # "2000 im Jahr 2011": a count per year
    if following[:1] in "%€$" and following:
        return False
    if following[:1].isupper() and not cued and following.lower() not in lx.months():
        return False  # "2000 Menschen"
    return not following.lower().startswith(("euro", "prozent", "dollar", "mal"))


def _accept_bare_month(m: re.Match[str], text: str) -> bool:
    # "im Mai Thi …": a month followed by a name is the name
    return not (m.group("mon") == "Mai" and _next_word(text, m.end("x"))[:1].isupper())


def _accept_numeric_date(m: re.Match[str], text: str) -> bool:
    day, month = int(m.group("d")), int(m.group("m"))
    start = m.start("x")
    if NOT_YEAR_BEFORE.search(text[max(0, start - 20):start]):
        return False
    return 1 <= month <= 12 and 1 <= day <= 31


def _accept_clock(m: re.Match[str], text: str) -> bool:
    hours = [int(h) for h in (m.groupdict().get("h"), m.groupdict().get("h1"), m.groupdict().get("h2")) if h]
    minutes = [int(x) for x in (m.groupdict().get("m"), m.groupdict().get("m1"), m.groupdict().get("m2")) if x]
    return all(0 <= h <= 24 for h in hours) and all(0 <= x < 60 for x in minutes)


def _accept_duration(m: re.Match[str], text: str) -> bool:
    # "eines Tages" alone is "some day", not a duration; "innerhalb eines Tages" is one
    if m.group("n").lower() == "eines" and not m.group("within"):
        return False
    return not (m.group("u").startswith("Jahr") and m.group("n")[0].isdigit()
                and _prev_word(text, m.start()) in AGE_BEFORE)


def _accept_season(m: re.Match[str], text: str) -> bool:
    return bool(m.group("y") or m.group("rel") or m.group("mod") or m.group("prep"))


@cache
def rules() -> tuple[Rule, ...]:
    """The rules, in priority order (a longer match wins an overlap; on equal length, the earlier rule)."""
    month = _words("months")
    month_any = lx.alternation([lx.capitalised(k) for k in lx.table("months")])
    weekday = _words("weekdays")
    weekday_lower = _words("weekdays", cap=False)
    numword = lx.alternation(lx.any_case(lx.numerals()))
    num = rf"(?:\d+(?:,\d+)?|{numword})"
    unit = lx.alternation([lx.capitalised(k) for k in lx.table("units")])
    plural_unit = r"(?:Sekunden|Minuten|Stunden|Tagen|Tage|Wochen|Monaten|Monate|Jahren|Jahre|Jahrzehnten|Jahrzehnte)"
    ordinal = lx.alternation(lx.table("ordinals"))
    holiday = lx.alternation([lx.capitalised(k) for k in lx.table("holidays")])
    words = lx.alternation(lx.any_case(k for k in lx.table("words") if not k.startswith(("heute", "gestern",
                                                                                       "vorgestern", "morgen"))))
    rel = rf"(?:{REL}|{'|'.join(w.capitalize() for w in REL.split('|'))})"
    clock = r"(?P<h>\d{1,2})(?:[.:](?P<m>\d{2}))?\s*Uhr"

    def rule(name: str, kind: str, pattern: str, accept: Callable[[re.Match[str], str], bool] | None = None) -> Rule:
        return Rule(name, kind, re.compile(pattern), accept)

    return (
        rule("clock_range", "TIME", L + r"(?P<x>(?P<h1>\d{1,2})(?:[.:](?P<m1>\d{2}))?)\s*(?:-|–|bis)\s*"
             r"(?P<x2>(?P<h2>\d{1,2})(?:[.:](?P<m2>\d{2}))?\s*Uhr)" + R, _accept_clock),
        rule("clock", "TIME", L + rf"(?P<x>{clock}(?:\s+(?P<m2>\d{{2}})(?![\d.]))?"
             r"(?:\s+(?P<part>morgens|abends|nachts|früh))?)" + R, _accept_clock),
        rule("date_iso", "DATE", L + r"(?P<x>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))" + R),
        rule("date_numeric", "DATE", L + r"(?P<x>(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2}(?!\d))?)(?![\d\w])",
             _accept_numeric_date),
        rule("day_range", "DATE", L + rf"(?P<x>(?P<d1>\d{{1,2}})\.)\s*(?:/|–|-|bis|und|oder)\s*(?:zum\s+|dem\s+)?"
             rf"(?P<x2>(?P<d>\d{{1,2}})\.\s*(?P<mon>{month_any})(?:\s+(?P<y>\d{{4}}))?)(?![\w])"),
        rule("month_range", "DATE", L + rf"(?P<x>(?P<mon1>{month}))\s*(?:/|–|-|bis|und|oder)\s*(?:zum\s+)?"
             rf"(?P<x2>(?P<mon>{month})(?:\s+(?P<y>\d{{4}}))?)" + R),
        rule("year_range", "DATE", L + r"(?P<x>(?P<y1>1\d{3}|20\d{2}))\s*(?:/|–|-|bis)\s*(?P<x2>(?P<y>1\d{3}|20\d{2}|\d{2}))"
             r"(?![\w])(?![.,]\d)"),
        rule("date_written", "DATE", L + rf"(?P<x>(?:(?P<wd>{weekday}),?\s+(?:(?:den|dem)\s+)?)?(?P<d>\d{{1,2}})\.\s*"
             rf"(?P<mon>{month_any})(?:\s+(?P<y>\d{{4}}))?)(?![\w])"),
        rule("month_mod", "DATE", L + rf"(?P<x>(?P<mod>Anfang|Mitte|Ende)\s+(?P<mon>{month})(?:\s+(?P<y>\d{{4}}))?)" + R),
        rule("month_year", "DATE", L + rf"(?P<x>(?P<mon>{month})\s+(?:(?P<y>\d{{4}})|(?P<rel>dieses|des\s+(?:{REL}))"
             r"\s+Jahres))" + R),
        rule("month_bare", "DATE", r"\b(?:[Ii]m|[Ss]eit|[Bb]is|[Aa]b|[Vv]om|[Vv]on|[Zz]um|[Nn]ach|[Vv]or|Monat|bis\s+zum|"
             r"bis\s+in\s+den)\s+"
             rf"(?P<x>(?P<mon>{month}))" + R, _accept_bare_month),
        rule("decade", "DATE", L + r"(?P<x>(?:(?P<mod>Anfang|Mitte|Ende)\s+(?:der\s+)?)?(?:(?P<y>1[0-9]\d0|20\d0|[1-9]0)er"
             r"(?:[-\s]?[Jj]ahre[n]?)?|(?P<w>Zwanziger|Dreißiger|Vierziger|Fünfziger|Sechziger|Siebziger|Achtziger|"
             r"Neunziger)[-\s]?[Jj]ahre[n]?))" + R),
        rule("century", "DATE", L + rf"(?P<x>(?:(?P<n>\d{{1,2}})\.|(?P<o>{ordinal}))\s*Jahrhunderts?)" + R),
        rule("season", "DATE", r"(?:(?P<prep>\b(?:[Ii]m|[Ss]eit|[Zz]um|[Vv]om|bis\s+zum|über\s+den)\s+))?" + L +
             rf"(?P<x>(?:(?P<mod>Anfang|Mitte|Ende)\s+(?:des\s+)?)?(?:(?P<rel>{rel})\s+)?"
             r"(?P<s>(?:Spät|Früh|Hoch)?(?:sommer|herbst)|Frühjahr|Frühling|Sommer|Herbst|Winter)(?:s|es)?"
             r"(?:\s+(?P<y>\d{4}))?)" + R, _accept_season),
        rule("quarter", "DATE", L + rf"(?P<x>(?:(?P<mod>Anfang|Mitte|Ende)\s+)?(?:(?:des|dem|das)\s+)?"
             rf"(?P<q>{ordinal}|[1-4]\.)"
             r"\s+(?P<u>Quartals?|Halbjahr(?:es|s)?)(?:\s+(?P<y>\d{4}))?)" + R),
        rule("year_era", "DATE", L + r"(?P<x>(?:(?P<jahr>Jahr(?:e|es)?)\s+)?(?P<y>\d{1,4})\s*(?P<era>v|n)\.\s*Chr\.)"),
        rule("year", "DATE", L + r"(?P<x>(?:(?:Anfang|Mitte|Ende)\s+)?(?:(?P<jahr>Jahr(?:e|es)?)\s+)?"
             r"(?P<y>1\d{3}|20\d{2})(?:/(?P<y2>\d{2}))?)"
             r"(?![\w])(?![.,]\d)", _accept_year),
        rule("rel_unit", "DATE", L + rf"(?P<x>(?:(?P<det>der|den|des|dem|die|das)\s+)?(?P<rel>{rel})\s+(?P<u>Tag(?:es)?|"
             rf"Woche|Wochenende(?:s)?|Monat(?:s|es)?|Quartal(?:s)?|Halbjahr(?:es|s)?|Jahr(?:es|s)?|Jahrzehnt(?:s|es)?|"
             rf"(?P<wd>{weekday})))" + R),
        rule("mod_unit", "DATE", L + rf"(?P<x>(?P<mod>Anfang|Mitte|Ende)\s+(?:(?:des|der|dem)\s+)?(?:(?P<rel>{rel})\s+)?"
             r"(?P<u>Woche|Monats|Jahres|Jahrzehnts|Quartals|Jahrhunderts)(?:\s+(?P<y>\d{4}))?)" + R),
        rule("later", "DATE", L + rf"(?P<x>(?:(?P<half>[Ee]in\s+halbes|[Ee]inem\s+halben)\s+|(?P<n>{num})\s+)?"
             rf"(?P<u>{unit})\s+"
             r"(?P<dir>später|darauf|danach|zuvor|vorher|früher))" + R),
        rule("rel_plural", "DURATION", L + rf"(?P<x>(?:den|die)\s+(?P<rel>vergangenen|letzten|kommenden|nächsten|"
             rf"ersten)\s+(?:(?P<n>{num})\s+)?(?P<u>{plural_unit}))" + R),
        rule("ago", "DATE", L + rf"(?P<x>(?P<dir>[Vv]or|[Ii]n)\s+(?:{APPROX}\s+)?(?P<n>{num})\s+(?P<u>{unit}))" + R),
        rule("duration", "DURATION", L + rf"(?:{APPROX}\s+)?(?P<x>(?P<within>(?:[Ii]nnerhalb|[Bb]innen)\s+(?:von\s+)?)?"
             rf"(?P<n>{num})\s*-?\s*(?P<u>{unit}))(?:\s+lang)?" + R, _accept_duration),
        rule("plural_vague", "DURATION", r"\b(?P<prep>[Ss]eit|[Ff]ür|[Vv]or)\s+(?P<x>(?P<u>Jahren|Monaten|Wochen|Tagen|"
             r"Jahrzehnten|Stunden))" + R),
        rule("duration_adj", "DURATION", L + rf"(?P<x>(?P<n>\d+|{numword})-?(?P<u>tägig|wöchig|monatig)"
             r"(?:e[nmrs]?)?)" + R),
        rule("set_every", "SET", L + rf"(?P<x>(?:[Jj]eden|[Jj]ede|[Jj]edes|[Aa]lle)\s+(?:(?P<ord>{ordinal})\s+)?"
             rf"(?:(?P<n>{num})\s+)?(?P<u>{unit}|(?P<wd>{weekday})|(?P<p>Morgen|Abend|Nacht|Mittag))"
             r"(?:\s+im\s+(?P<u2>Monat|Jahr))?)" + R),
        rule("set_times", "SET", L + rf"(?P<x>(?P<n>{numword}|\d+)\s*-?\s*[Mm]al\s+(?:pro|im|in\s+der|je|am|die|in|"
             r"jede[ns]?)\s+(?P<u>Tag|Woche|Monat|Jahr|Stunde))" + R),
        rule("set_weekday", "SET", L + rf"(?P<x>(?P<wd>{weekday_lower})(?P<p>{PARTS})?s)" + R),
        rule("holiday", "DATE", L + rf"(?P<x>(?P<h>{holiday})(?:\s+(?P<y>\d{{4}}))?)" + R),
        rule("weekday", "DATE", r"(?:(?P<prep>\b(?:seit|bis|ab)\s+))?" + L +
             rf"(?P<x>(?P<wd>{weekday})(?P<p>{PARTS})?)" + R),
        rule("day_word", "DATE", L + r"(?P<x>(?P<w>[Hh]eute|[Gg]estern|[Vv]orgestern|morgen|[Üü]bermorgen)"
             r"(?:\s+(?P<p>[Mm]orgen|[Vv]ormittag|[Mm]ittag|[Nn]achmittag|[Aa]bend|[Nn]acht|früh))?)" + R),
        rule("phrase", "DATE", L + r"(?P<x>(?P<ph>[Vv]or\s+[Kk]urzem|[Ii]n\s+[Kk]ürze|[Ii]n\s+(?:naher\s+)?Zukunft|"
             r"[Zz]ur\s+Zeit|[Vv]or\s+(?:einigen|wenigen|vielen)\s+(?:Jahren|Monaten|Wochen|Tagen)|"
             r"[Kk]urz\s+(?:zuvor|vorher|darauf|danach)|[Ww]enig\s+später|[Kk]urze\s+Zeit\s+(?:später|danach|zuvor)))" + R),
        rule("word", "DATE", L + rf"(?P<x>(?P<w>{words}))" + R),
        rule("daypart_of", "TIME", L + rf"(?P<x>(?P<p>Morgen|Vormittag|Mittag|Nachmittag|Abend|Nacht)\s+(?:des|vom)\s+"
             rf"(?P<d>\d{{1,2}})\.\s*(?P<mon>{month_any})(?:\s+(?P<y>\d{{4}}))?)" + R),
        rule("daypart", "TIME", r"\b(?:[Aa]m|[Gg]egen|in\s+der|in(?=\s+den)|im\s+Laufe\s+des|zur|bis\s+zum|"
             r"bis\s+in\s+die)\s+(?P<x>(?:(?:den\s+)?(?:frühen|späten)\s+)?"
             r"(?P<p>Morgen|Vormittag|Mittag|Nachmittag|Abend|Nacht)(?:stunden)?)" + R),
        rule("weekend", "DATE", r"\b(?:[Aa]m|übers|über\s+das)\s+(?P<x>Wochenende)" + R),
    )


def find_candidates(text: str) -> list[Candidate]:
    """Every rule's matches, overlaps settled: the longest wins, then the earlier rule."""
    found: list[tuple[int, int, int, Candidate]] = []
    for order, r in enumerate(rules()):
        for m in r.pattern.finditer(text):
            if r.accept is not None and not r.accept(m, text):
                continue
            for part in ("x", "x2"):
                if part in r.pattern.groupindex and m.group(part) is not None:
                    s, e = m.span(part)
                    found.append((s, e, order, Candidate(s, e, r, m, part)))
    # a match's length (whole, not its parts) decides: "14.30-18 Uhr" beats "18 Uhr"
    found.sort(key=lambda f: (-(f[3].match.end() - f[3].match.start()), f[2], f[0]))
    starts: list[int] = []  # taken extents, sorted and disjoint: a new one overlaps at most its neighbours
    taken: list[Candidate] = []
    for s, e, _, cand in found:
        i = bisect.bisect_left(starts, s)
        if (i < len(taken) and taken[i].start < e) or (i > 0 and taken[i - 1].end > s):
            continue
        starts.insert(i, s)
        taken.insert(i, cand)
    return taken
