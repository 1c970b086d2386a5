"""Every input format, and every kind of bad input: a coded failure, and the rest of the batch survives."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import IngestError
from newsgraph.ingest import read_inputs
from newsgraph.ingest.decode import decode_bytes
from newsgraph.model import Article, Failure
from tests.conftest import warc_bytes

GOOD_TEXT = "Der Kreml bestätigte das Gespräch am Mittwoch. Trump sprach von einem Erfolg.\n"
HTML_PAGE = """<!doctype html><html><head><title>Telefonat zwischen Trump und Putin</title>
<meta name="author" content="Erika Muster"><meta property="article:published_time" content="2025-02-13">
</head><body><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav>
<article><h1>Telefonat zwischen Trump und Putin</h1>
<p>US-Präsident Donald Trump und Russlands Präsident Wladimir Putin haben am Mittwoch lange telefoniert.
Beide hätten vereinbart, die Zusammenarbeit zu intensivieren, teilte das Weiße Haus mit.</p>
<p>Der Kreml bestätigte das Gespräch. Dem Kreml zufolge zeigte Putin sich offen für ein Treffen in Moskau.
Die Ukraine solle über die Inhalte des Gesprächs informiert werden, hieß es weiter aus Washington.</p>
</article><footer>Impressum · Datenschutz</footer></body></html>"""
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Testzeitung</title>
<item><title>Erste Meldung</title><link>https://example.org/a</link><pubDate>Thu, 13 Feb 2025 10:00:00 GMT</pubDate>
<description>Der Kreml bestätigte das Gespräch zwischen Trump und Putin.</description></item>
<item><title>Zweite Meldung</title><link>https://example.org/b</link>
<description>&lt;p&gt;Die Ukraine soll informiert werden, sagte ein Sprecher.&lt;/p&gt;</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atomblatt</title>
<entry><title>Meldung</title><link href="https://example.org/c"/><updated>2025-02-14T08:00:00Z</updated>
<content type="html">&lt;p&gt;Selenskyj forderte Sicherheitsgarantien für die Ukraine.&lt;/p&gt;</content></entry></feed>"""


def _write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    path.write_bytes(warc_bytes(pages))


def _read(*paths: Path, max_chars: int = 1_000_000) -> tuple[list[Article], list[Failure]]:
    items = list(read_inputs([str(p) for p in paths], max_chars=max_chars))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)])


def test_plain_text_utf8_bom_and_cp1252(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbf" + GOOD_TEXT.encode())
    (tmp_path / "b.txt").write_bytes("Müller äußerte sich über die Gespräche in Brüssel.".encode("cp1252"))
    articles, failures = _read(tmp_path)
    assert not failures
    assert [a.meta["encoding"] for a in articles] == ["utf-8-sig", "cp1252"]
    assert articles[0].text.startswith("Der Kreml")
    assert "Müller äußerte" in articles[1].text


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    [article], failures = _read(tmp_path / "page.html")
    assert not failures
    assert "Beide hätten vereinbart" in article.text
    assert "Impressum" not in article.text and "Politik" not in article.text
    assert article.title == "Telefonat zwischen Trump und Putin"
    assert article.published == "2025-02-13"
    assert article.authors == ("Erika Muster",)


def test_rss_and_atom_one_article_per_item(tmp_path: Path) -> None:
    (tmp_path / "news.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "news.atom").write_text(ATOM, encoding="utf-8")
    articles, failures = _read(tmp_path / "news.rss", tmp_path / "news.atom")
    assert not failures
    assert [a.title for a in articles] == ["Erste Meldung", "Zweite Meldung", "Meldung"]
    assert articles[0].published == "2025-02-13" and articles[0].source == "Testzeitung"
    assert articles[1].text == "Die Ukraine soll informiert werden, sagte ein Sprecher."
    assert articles[2].url == "https://example.org/c"


def test_warc_html_responses(tmp_path: Path) -> None:
    _write_warc(tmp_path / "cc.warc.gz", [("https://example.org/a", HTML_PAGE),
                                          ("https://example.org/empty", "<html><body></body></html>")])
    articles, failures = _read(tmp_path / "cc.warc.gz")
    assert len(articles) == 1 and articles[0].url == "https://example.org/a"
    assert [f.code for f in failures] == ["NG006"]
    assert "example.org/empty" in failures[0].input


def test_jsonl_fields_and_broken_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": GOOD_TEXT, "title": "Eins", "published": "2025-02-13", "source": "dpa"}),
        "{not json",
        json.dumps({"title": "ohne Text"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Zweiter guter Artikel über Putin und Trump.", "url": "https://x.org/2"}),
    ]
    (tmp_path / "a.jsonl").write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe broken\n")
    articles, failures = _read(tmp_path / "a.jsonl")
    assert [a.title for a in articles] == ["Eins", None]
    assert articles[0].source == "dpa" and articles[1].url == "https://x.org/2"
    assert [f.code for f in failures] == ["NG009"] * 4
    assert [f.input.rsplit("#", 1)[1] for f in failures] == ["L2", "L3", "L4", "L6"]


def test_gzipped_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": GOOD_TEXT}).encode()))
    articles, failures = _read(tmp_path / "a.jsonl.gz")
    assert len(articles) == 1 and not failures


BAD_INPUTS = [
    ("empty.txt", b"", "NG002"),
    ("blank.txt", b"   \n\n  ", "NG002"),
    ("binary.txt", bytes(range(256)) * 8, "NG003"),
    ("ebcdic.txt", "Müller äußerte sich über die Gespräche in Brüssel.".encode("cp500"), "NG004"),
    ("nothing.html", b"<html><head><title>Login</title></head><body><form></form></body></html>", "NG006"),
    # The truncated item is read but has no text (NG006); the feed itself is reported as malformed (NG007).
    ("broken.rss", b"<rss><channel><title>x</title><item><title>kaputt", "NG006 NG007"),
    ("broken.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort", "NG008"),
    ("notes.pdf", b"%PDF-1.4", "NG010"),
]


@pytest.mark.parametrize(("name", "data", "code"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_a_coded_failure_and_the_batch_goes_on(tmp_path: Path, name: str, data: bytes,
                                                             code: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "zz-good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    articles, failures = _read(tmp_path / name, tmp_path / "zz-good.txt")
    assert [f.code for f in failures] == code.split(), failures
    assert failures[0].hint and str(tmp_path / name) in failures[0].input
    assert len(articles) == 1 and articles[0].text == GOOD_TEXT.strip()


def test_twenty_megabyte_text_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Das ist ein sehr langer Satz über Politik. " * 480_000, encoding="utf-8")
    assert big.stat().st_size > 20_000_000
    articles, failures = _read(big)
    assert not articles and [f.code for f in failures] == ["NG005"]
    # A limit below the file size but above a quarter of it is checked on the decoded text too.
    articles, failures = _read(big, max_chars=10_000_000)
    assert [f.code for f in failures] == ["NG005"]


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    items = list(read_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "*.none")]))
    assert [i.code for i in items if isinstance(i, Failure)] == ["NG011", "NG011"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_raises_anything_but_coded_errors(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "fuzz")
    except IngestError:
        return
    assert isinstance(text, str) and encoding


LONG_PARAGRAPH = "<p>" + "Der Kreml bestätigte das lange Gespräch der beiden Präsidenten am Mittwoch. " * 30 + "</p>"


def _page(title: str, head: str = "") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>{LONG_PARAGRAPH}"
            "</article></body></html>")


@pytest.mark.parametrize("gzip_members", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("keep", [0.5, 0.75, 0.95])
def test_truncated_warc_record_is_a_failure_never_a_partial_article(tmp_path: Path, gzip_members: bool,
                                                                      keep: float) -> None:
    pages = [(f"https://example.org/{i}", _page(f"Meldung {i}")) for i in range(3)]
    full = warc_bytes(pages, gzip_members=gzip_members)
    path = tmp_path / ("cut.warc.gz" if gzip_members else "cut.warc")
    path.write_bytes(full[: int(len(full) * keep)])
    articles, failures = _read(path)
    complete = LONG_PARAGRAPH[3:-4].strip()
    assert all(a.text.endswith(complete) for a in articles), "a partial article was stored"
    assert len(articles) < 3
    assert [f.code for f in failures] == ["NG012"], failures
    assert failures[0].hint and str(path) in failures[0].input


def test_complete_warc_has_no_failure(tmp_path: Path) -> None:
    path = tmp_path / "whole.warc"
    path.write_bytes(warc_bytes([(f"https://example.org/{i}", _page(f"Meldung {i}")) for i in range(3)],
                                 gzip_members=False) + b"\r\n\r\n")
    articles, failures = _read(path)
    assert len(articles) == 3 and not failures


@pytest.mark.parametrize(("date", "expected"), [
    ("1989-11-09", "1989-11-09"), ("1850-03-01", "1850-03-01"), ("2025-02-13", "2025-02-13"),
    ("1799-12-31", None),  # before 1800: implausible
    ("2999-01-01", None),  # more than a day in the future
])
def test_html_publication_date_kept_whatever_the_year(tmp_path: Path, date: str, expected: str | None) -> None:
    (tmp_path / "page.html").write_text(_page("Mauerfall", f'<meta property="article:published_time" '
                                                           f'content="{date}">'), encoding="utf-8")
    articles, failures = _read(tmp_path / "page.html")
    assert not failures and articles[0].published == expected


def test_warc_crawl_date_only_where_the_page_has_none(tmp_path: Path) -> None:
    dated = _page("Mit Datum", '<meta property="article:published_time" content="1999-05-01">')
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes([("https://example.org/dated", dated), ("https://example.org/undated",
                                                                         _page("Ohne Datum"))], gzip_members=False))
    articles, failures = _read(path)
    assert not failures
    by_url = {a.url: a for a in articles}
    assert by_url["https://example.org/dated"].published == "1999-05-01"
    assert "published_from" not in by_url["https://example.org/dated"].meta
    undated = by_url["https://example.org/undated"]
    assert undated.published and undated.meta["published_from"] == "crawl"


def test_page_with_too_little_main_text_is_ng006(tmp_path: Path) -> None:
    nav_only = '<html><head><title>Startseite</title></head><body><nav><a href="/">Start</a></nav></body></html>'
    short = "<html><body><article><p>Nur ein kurzer Anreißer, mehr nicht.</p></article></body></html>"
    (tmp_path / "nav.html").write_text(nav_only, encoding="utf-8")
    (tmp_path / "short.html").write_text(short, encoding="utf-8")
    articles, failures = _read(tmp_path / "nav.html", tmp_path / "short.html")
    assert not articles and [f.code for f in failures] == ["NG006", "NG006"]
    lenient = list(read_inputs([str(tmp_path / "short.html")], min_page_chars=10))
    assert isinstance(lenient[0], Article)


def test_warc_without_html_responses_is_a_failure_not_nothing(tmp_path: Path) -> None:
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warc_record("https://example.org/robots.txt", "resource",
                                                  payload=io.BytesIO(b"User-agent: *"),
                                                  warc_content_type="text/plain"))
    (tmp_path / "no-html.warc.gz").write_bytes(buf.getvalue())
    articles, failures = _read(tmp_path / "no-html.warc.gz")
    assert not articles and [f.code for f in failures] == ["NG008"] and "no HTML response" in failures[0].reason


def test_warcio_warnings_become_failures_not_stderr(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    page = warc_bytes([("https://example.org/a", _page("Meldung"))], gzip_members=False)
    # Content-Length one byte short: warcio warns "Record not followed by newline" on stderr.
    head, _, rest = page.partition(b"Content-Length: ")
    length, _, tail = rest.partition(b"\r\n")
    (tmp_path / "short.warc").write_bytes(head + b"Content-Length: " + str(int(length) - 1).encode() + b"\r\n" + tail)
    _articles, failures = _read(tmp_path / "short.warc")
    assert "NG012" in [f.code for f in failures]
    assert "WARNING" not in capfd.readouterr().err


def test_oversized_warc_record_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    path.write_bytes(warc_bytes([("https://example.org/big", _page("Riesig") + "<p>x</p>" * 20000),
                                  ("https://example.org/ok", _page("Normal"))], gzip_members=False))
    items = list(read_inputs([str(path)], max_record_bytes=64_000))
    assert [(type(i).__name__, getattr(i, "code", None)) for i in items] == [("Failure", "NG005"), ("Article", None)]
    assert "max_record_bytes" in items[0].reason  # type: ignore[union-attr]


def test_text_headline_becomes_the_title(tmp_path: Path) -> None:
    from newsgraph.ingest import read_inputs
    from newsgraph.model import Article

    path = tmp_path / "a.txt"
    path.write_text("Trump und Putin telefonieren\n\nIn einem überraschenden Vorstoß haben die beiden telefoniert.",
                    encoding="utf-8")
    article = next(a for a in read_inputs([str(path)]) if isinstance(a, Article))
    assert article.title == "Trump und Putin telefonieren"
    assert article.text.startswith("Trump und Putin telefonieren")  # offsets keep pointing into the whole text


@pytest.mark.parametrize("text", [
    "Der Kreml bestätigte das Gespräch.\n\nEs dauerte eine Stunde.",  # a sentence, not a headline
    "Nur eine Zeile ohne Punkt",
    "Eine sehr lange erste Zeile " * 8 + "\n\nText.",
])
def test_text_without_a_headline_has_no_title(tmp_path: Path, text: str) -> None:
    from newsgraph.ingest import read_inputs
    from newsgraph.model import Article

    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    article = next(a for a in read_inputs([str(path)]) if isinstance(a, Article))
    assert article.title is None


def test_feed_items_and_records_shorter_than_min_item_chars_are_failures(tmp_path: Path) -> None:
    feed = tmp_path / "short.rss"
    feed.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
                    "<item><title>Kurz</title><link>https://example.org/k</link><description>Jaja</description></item>"
                    "<item><title>Lang</title><link>https://example.org/l</link><description>Der Kreml bestätigte "
                    "das Gespräch zwischen Trump und Putin.</description></item></channel></rss>", encoding="utf-8")
    records = tmp_path / "short.jsonl"
    records.write_text('{"text": "abc"}\n{"text": "Der Kreml bestätigte das Gespräch am Mittwoch."}\n', encoding="utf-8")
    items = list(read_inputs([str(feed), str(records)], min_item_chars=20))
    failures = [i for i in items if isinstance(i, Failure)]
    assert [(f.code, f.input) for f in failures] == [("NG006", f"{feed}#item0"), ("NG006", f"{records}#L1")]
    assert "min_item_chars" in failures[0].reason
    assert sum(isinstance(i, Article) for i in items) == 2
    assert len(list(read_inputs([str(records)], min_item_chars=0))) == 2  # the limit is a setting


def test_an_analysis_failure_names_the_input_not_the_hash(tmp_path: Path) -> None:
    from newsgraph.pipeline import Pipeline, analyze_stream
    from newsgraph.settings import load_settings

    records = tmp_path / "budget.jsonl"
    records.write_text('{"text": "Der Kreml bestätigte das Gespräch am Mittwoch. ' + "Trump sagte, es sei gut. " * 400
                       + '"}\n', encoding="utf-8")
    pipe = Pipeline(settings={**load_settings(), "article_time_budget": 0.01})
    [failure] = list(analyze_stream(read_inputs([str(records)]), pipe))
    assert isinstance(failure, Failure) and failure.code == "NG105"
    assert failure.input == f"{records}#L1"
