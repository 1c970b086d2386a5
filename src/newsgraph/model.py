"""The one data model: an ``Article`` with its text, metadata and layers.

Every layer item is a frozen record whose ``start``/``end`` are character offsets into ``Article.text``.
``Article.to_dict()`` / ``Article.from_dict()`` give the JSON contract; ``article_json_schema()`` publishes it.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar

SCHEMA_VERSION = 1
_WS = re.compile(r"\s+")

JSON = dict[str, Any]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate (which no UTF-8 encoder accepts: ``"\\ud800"`` in JSON) replaced by
    U+FFFD, and how many were replaced."""
    return _LONE_SURROGATE.subn("\ufffd", text)


def normalise_text(text: str) -> str:
    """Valid Unicode, NFC, Unix newlines, no trailing whitespace on lines, no surrounding blank lines.

    This is the text that offsets point into, so it changes only what no reader sees.
    """
    text, _replaced = valid_unicode(text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n ")


def content_id(text: str) -> str:
    """First 16 hex digits of sha256 over the text with all whitespace runs collapsed."""
    key = _WS.sub(" ", normalise_text(text)).strip()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


_ISO_START = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:$|[T ])")
_GERMAN_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")


def check_published(raw: str) -> tuple[str | None, str | None]:
    """A publication date as stored: ``(value, None)`` for a real calendar date or datetime (ISO 8601 kept as
    given; RFC 2822 and German ``13.02.2025`` written as ISO), or ``(None, reason)`` for anything else
    (``2025-02-30``, ``2025-02-13T25:61:00``, ``-0044-03-15``, ``1e20``, ``""``). Never raises."""
    value = raw.strip()
    if not value:
        return None, "empty"
    if _ISO_START.match(value):
        try:
            dt.datetime.fromisoformat(value)
        except ValueError as exc:
            return None, f"not a real date or time: {exc}"
        return value, None
    german = _GERMAN_DATE.match(value)
    if german:
        try:
            return dt.date(int(german[3]), int(german[2]), int(german[1])).isoformat(), None
        except ValueError as exc:
            return None, f"not a real date: {exc}"
    if len(value) <= 64 and re.search(r"[A-Za-z]{3},? +[0-9]{1,2} +[A-Za-z]{3} +[0-9]{4}|^[0-9]{1,2} +[A-Za-z]{3} +"
                                      r"[0-9]{4}", value):
        from email.utils import parsedate_to_datetime  # RFC 2822, as feeds and HTTP headers write dates

        try:
            return parsedate_to_datetime(value).isoformat(), None
        except (ValueError, TypeError, OverflowError, IndexError) as exc:
            return None, f"not a real date: {exc}"
    return None, "not a date in ISO 8601 (2025-02-13 or 2025-02-13T10:30:00+01:00), RFC 2822 or DD.MM.YYYY form"


def published_date(published: str | None) -> dt.date | None:
    """The day of an ISO date or datetime; None when missing or not a date."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def day_window(published: str | None, days: int) -> tuple[str, str] | None:
    """ISO bounds ``days`` either side of the publication day, for ``BETWEEN`` on ISO strings (the upper one
    ends in "~" so that datetimes on the last day fall inside). Clamped to years 1 and 9999: total over every
    date; None without one."""
    day = published_date(published)
    if day is None:
        return None
    first = dt.date.fromordinal(max(dt.date.min.toordinal(), day.toordinal() - days))
    last = dt.date.fromordinal(min(dt.date.max.toordinal(), day.toordinal() + days))
    return first.isoformat(), last.isoformat() + "~"


def clean_names(names: Any) -> tuple[str, ...]:
    """Author names: strings, whitespace collapsed, valid Unicode, each once, in order."""
    if isinstance(names, str):
        names = [names]
    out: dict[str, None] = {}
    for name in names if isinstance(names, list | tuple) else ():
        if isinstance(name, str) and _WS.sub(" ", name).strip():
            out[valid_unicode(_WS.sub(" ", name).strip())[0][:200]] = None
    return tuple(out)


def host_of(url: str) -> str | None:
    """The host of ``url``, lower case, without a leading "www." ("https://www.Spiegel.de/a" -> "spiegel.de")."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    lemma: str | None = None
    pos: str | None = None  # STTS tag
    morph: str | None = None  # UD features the tagger predicts: "Mood=Sub|Number=Plur|Person=3|VerbForm=Fin"


@dataclass(frozen=True, slots=True)
class TextSpan:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SpeakerSpan:
    start: int
    end: int
    text: str
    entity: int | None = None  # index into Article.entities


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str  # PER, LOC, ORG, OTH
    entity: int | None = None  # index into Article.entities
    form: str | None = None  # None: a name; "deriv" (russischen), "part" (Ukraine-Konflikt), "nominal", "pronoun"


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[int, ...] = ()  # indexes into Article.entities: "Olaf Scholz (SPD)" -> the SPD


_SLUG = re.compile(r"[^a-z0-9äöüß]+")


def entity_key(label: str, name: str) -> str:
    """An entity's key from its type and name: "PER:wladimir-putin"."""
    return f"{label}:{_SLUG.sub('-', name.lower()).strip('-')}"


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # Direct, Indirect, FreeIndirect, IndirectFreeIndirect, Reported
    cue: TextSpan | None
    speaker: SpeakerSpan | None
    message: tuple[TextSpan, ...]
    addressee: TextSpan | None = None
    medium: str | None = None
    cue_parts: tuple[TextSpan, ...] = ()  # further parts of a discontinuous cue: "mit" in "teilte … mit"
    confidence: float | None = None  # 0-1: the estimated chance that cue, speaker and message are right


@dataclass(frozen=True, slots=True)
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None  # TIMEX3 value (2025-02-12, 2025-W07, P3Y, XXXX-WXX-1, PAST_REF); None when unresolvable
    kind: str  # DATE, TIME, DURATION, SET
    anchor: str | None = None  # what a relative value was resolved against: "published", "text"; None: absolute

    def interval(self) -> tuple[str, str] | None:
        """First and last day (ISO) of the time a DATE or TIME value names; None for durations, sets, vague
        references (PAST_REF) and values without a year."""
        if self.kind not in ("DATE", "TIME") or not self.value:
            return None
        return timex_interval(self.value)


_TIMEX_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2})(-WE)?|-Q([1-4])|-H([12])|-(SP|SU|FA|WI))?"
                         r"(?:T.*)?$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def timex_interval(value: str) -> tuple[str, str] | None:
    """``(first day, last day)`` of a TIMEX3 date value: 2025, 2025-02, 2025-02-12, 2025-W07(-WE), 2025-Q3,
    2025-H1, 2025-SU, decades (199) and centuries (19)."""
    if re.fullmatch(r"\d{2,3}", value):  # century or decade
        span = 10 ** (4 - len(value))
        first = int(value) * span
        return f"{first:04d}-01-01", f"{first + span - 1:04d}-12-31"
    m = _TIMEX_DATE.match(value)
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = dt.date(year, int(m.group(2)), int(m.group(3))).isoformat()
            return day, day
        if m.group(2):
            return _months(year, int(m.group(2)), int(m.group(2)))
        if m.group(4):
            monday = dt.date.fromisocalendar(year, int(m.group(4)), 1)
            first = monday + dt.timedelta(days=5) if m.group(5) else monday
            return first.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
        if m.group(6):
            q = int(m.group(6))
            return _months(year, 3 * q - 2, 3 * q)
        if m.group(7):
            h = int(m.group(7))
            return _months(year, 6 * h - 5, 6 * h)
        if m.group(8):
            return _months(year, *_SEASON_MONTHS[m.group(8)])
    except ValueError:
        return None
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def _months(year: int, first: int, last: int) -> tuple[str, str]:
    """First day of month ``first`` to last day of month ``last`` (13, 14: January, February of the next year)."""
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    end_day = calendar.monthrange(end_year, end_month)[1]
    return f"{year:04d}-{first:02d}-01", f"{end_year:04d}-{end_month:02d}-{end_day:02d}"


@dataclass(frozen=True, slots=True)
class EventActor:
    """A source or target of an event: its span, its entity (when it is one) and its PLOVER actor code."""

    start: int
    end: int
    text: str
    entity: int | None = None  # index into Article.entities
    country: str | None = None  # ISO 3166 alpha-3 ("RUS"), or an organisation's code ("EUR", "NATO")
    sector: str | None = None  # GOV, MIL, POL, REB, OPP, BUS, CVL, MED, JUD, IGO, NGO, …


@dataclass(frozen=True, slots=True)
class Event:
    """A political event in the PLOVER ontology, with the evidence it was read from."""

    type: str  # PLOVER event type: AGREE, CONSULT, REQUEST, …
    trigger: TextSpan  # the verb or noun that carries the event
    mode: str | None = None  # PLOVER mode: CONSULT phone/visit/host/…, REQUEST assist/change/yield/meet, …
    context: str | None = None  # PLOVER context: military, diplomatic, economic, …
    trigger_parts: tuple[TextSpan, ...] = ()  # further parts of a split trigger: "ab" in "lehnte … ab"
    source: EventActor | None = None
    target: EventActor | None = None
    place: int | None = None  # index into Article.entities (a LOC)
    date: str | None = None  # TIMEX3 value
    date_from: str | None = None  # "times" (an expression in the clause) or "published" (happened, undated)
    modality: str = "happened"  # happened, planned, hypothetical, negated
    statement: int | None = None  # index into Article.statements whose message holds the trigger
    sentence: int | None = None  # index into Article.sentences: the evidence
    confidence: float | None = None  # the chance that type and source are right (None: not scored)


EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODALITIES = ("happened", "planned", "hypothetical", "negated")

LAYER_TYPES: dict[str, type] = {
    "sentences": Sentence,
    "tokens": Token,
    "mentions": Mention,
    "entities": Entity,
    "statements": Statement,
    "events": Event,
    "times": TimeExpression,
}


@dataclass(frozen=True, slots=True)
class Article:
    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime
    source: str | None = None  # the publication's name ("DER SPIEGEL", "taz")
    language: str | None = None
    modified: str | None = None  # ISO date or datetime of the last change, where the page gives one
    authors: tuple[str, ...] = ()  # person names as written ("Ingo Arzt", "J. Schmidt"); never an organisation
    host: str | None = None  # the URL's host without "www." ("spiegel.de")
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    # The deep reader's token states, for the stages of one pipeline run only: never compared, written or sent
    encoding: Any = field(default=None, compare=False, repr=False)
    # The story vector computed where the article was read (a unit numpy vector from the shared pass), for the
    # corpus linking that follows; never compared or written (the store recomputes it where it is missing)
    story_vector: Any = field(default=None, compare=False, repr=False)

    LAYERS: ClassVar[tuple[str, ...]] = tuple(LAYER_TYPES)

    @classmethod
    def create(cls, text: str, **fields: Any) -> Article:
        """Build an article from raw text: normalises the text (and makes every text field valid Unicode,
        counting replacements in ``meta["replaced_characters"]``), checks ``published`` (an impossible value becomes
        None, with ``meta["published_raw"]`` and ``meta["published_invalid"]``) and derives the content id."""
        replaced = len(_LONE_SURROGATE.findall(text))
        for name in ("title", "url", "published", "source", "language", "modified", "host"):
            if isinstance(fields.get(name), str):
                fields[name], n = valid_unicode(fields[name])
                replaced += n
        if replaced:
            fields["meta"] = {**(fields.get("meta") or {}), "replaced_characters": replaced}
        for name in ("published", "modified"):
            if isinstance(fields.get(name), str):
                raw = fields[name]
                fields[name], reason = check_published(raw)
                if reason is not None:  # kept for the user, never used as an anchor
                    fields["meta"] = {**(fields.get("meta") or {}), f"{name}_raw": raw[:200],
                                      f"{name}_invalid": reason}
        fields["authors"] = clean_names(fields.get("authors") or ())
        if not fields.get("host") and isinstance(fields.get("url"), str):
            fields["host"] = host_of(fields["url"])
        clean = normalise_text(text)
        return cls(text=clean, id=content_id(clean), **fields)

    @property
    def input_name(self) -> str:
        """Where the article came from (file, with #L<line>, #item<n> or #<url>), so that a failure says which
        input to open; the article id where no reader recorded one."""
        return str(self.meta.get("input", self.id))

    def with_layers(self, **layers: Any) -> Article:
        changes: dict[str, Any] = {k: tuple(v) for k, v in layers.items()}
        return dataclasses.replace(self, **changes)

    def sentence_tokens(self, i: int) -> range:
        """Indices of the tokens of sentence ``i`` (those that end inside it)."""
        sent = self.sentences[i]
        return self.token_range(sent.start, sent.end)

    def token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that overlap characters ``start`` … ``end``."""
        first = bisect.bisect_right(self.tokens, start, key=_token_end)  # no list per call: stages ask per sentence
        last = first
        while last < len(self.tokens) and self.tokens[last].start < end:
            last += 1
        return range(first, last)

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def to_dict(self) -> JSON:
        out: JSON = {
            "id": self.id, "title": self.title, "url": self.url, "published": self.published,
            "source": self.source, "language": self.language, "modified": self.modified,
            "authors": list(self.authors), "host": self.host, "text": self.text, "meta": dict(self.meta),
        }
        for name in self.LAYERS:
            out[name] = [_record_to_dict(item) for item in getattr(self, name)]
        return out

    @classmethod
    def from_dict(cls, data: JSON) -> Article:
        layers = {name: tuple(_record_from_dict(LAYER_TYPES[name], d) for d in data.get(name) or ())
                  for name in cls.LAYERS}
        return cls(
            text=data["text"], id=data.get("id") or content_id(data["text"]), title=data.get("title"),
            url=data.get("url"), published=data.get("published"), source=data.get("source"),
            language=data.get("language"), modified=data.get("modified"),
            authors=tuple(data.get("authors") or ()), host=data.get("host"), meta=dict(data.get("meta") or {}),
            **layers,
        )


def _token_end(token: Token) -> int:
    return token.end


def _record_to_dict(item: Any) -> JSON:
    out: JSON = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if dataclasses.is_dataclass(value):
            value = _record_to_dict(value)
        elif isinstance(value, tuple):
            value = [_record_to_dict(v) if dataclasses.is_dataclass(v) else v for v in value]
        out[f.name] = value
    return out


_NESTED: dict[tuple[type, str], type] = {
    (Statement, "cue"): TextSpan,
    (Statement, "speaker"): SpeakerSpan,
    (Statement, "message"): TextSpan,
    (Statement, "addressee"): TextSpan,
    (Statement, "cue_parts"): TextSpan,
    (Event, "trigger"): TextSpan,
    (Event, "trigger_parts"): TextSpan,
    (Event, "source"): EventActor,
    (Event, "target"): EventActor,
}


def _record_from_dict(cls: type, data: JSON) -> Any:
    kwargs: JSON = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        nested = _NESTED.get((cls, f.name))
        if nested is not None and value is not None:
            value = (tuple(nested(**v) for v in value) if isinstance(value, list) else nested(**value))
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


# --- JSON Schema ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Failure:
    """An input or article that could not be processed: what, where, and what to do next."""

    input: str  # path, with #L<line>, #item<n> or #<url> where it applies
    code: str
    reason: str
    hint: str
    stage: str = "ingest"

    def to_dict(self) -> JSON:
        return dataclasses.asdict(self)
