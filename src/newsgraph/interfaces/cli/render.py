"""Plain-text rendering of an article for the terminal."""

from __future__ import annotations

from newsgraph.model import Article


def plural(n: int, word: str, words: str | None = None) -> str:
    """"1 article", "2 articles"; ``words`` for an irregular plural ("entities")."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def render_article_text(article: Article) -> str:
    lines = [
        f"{article.title or '(untitled)'}  [{article.id}]",
        f"published {article.published or '-'}  source {article.source or '-'}  language {article.language or '-'}",
        f"{len(article.sentences)} sentences, {len(article.tokens)} tokens, {len(article.mentions)} mentions, "
        f"{len(article.entities)} entities, {len(article.statements)} statements, {len(article.times)} times",
    ]
    for i, sent in enumerate(article.sentences, start=1):
        lines.append(f"  {i:3}. {article.text[sent.start:sent.end]}")
    for ent in article.entities:
        roles = f" ({'; '.join(ent.roles)})" if ent.roles else ""
        lines.append(f"  entity {ent.label:4} {ent.name}{roles}  aliases: {', '.join(ent.aliases) or '-'}")
    for st in article.statements:
        speaker = st.speaker.text if st.speaker else "?"
        cue = st.cue.text if st.cue else "-"
        message = " … ".join(m.text for m in st.message)
        lines.append(f"  statement {st.kind}: {speaker} [{cue}] {message}")
    return "\n".join(lines)


def render_times(article: Article) -> str:
    """One line per time expression: offsets, kind, value, anchor, text."""
    lines = [f"{article.title or '(untitled)'}  [{article.id}]  published {article.published or '-'}"]
    for t in article.times:
        anchor = f"from {t.anchor}" if t.anchor else "absolute" if t.value else "unresolved"
        lines.append(f"  {t.start:6}-{t.end:<6} {t.kind:8} {t.value or '-':22} {anchor:15} {t.text}")
    if not article.times:
        lines.append("  no time expressions")
    return "\n".join(lines)
