"""Named entity mentions with the project's GermEval-trained spaCy model (``models/ner-de``).

GermEval's outer labels come in three forms: names (``LOC``: "Ukraine"), derivations (``LOCderiv``:
"russischen") and parts (``LOCpart``: "Ukraine-Konflikt"). newsgraph keeps the four types as ``label``
and the form as ``Mention.form`` ("deriv" / "part"; None for a name). Only names start entities; parts are
linked to an entity when the name they contain is one (see the ``entities`` stage).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from newsgraph.evaluation.bio import bio_spans
from newsgraph.model import Article, Mention
from newsgraph.models import model_path
from newsgraph.models.accurate import require_accurate
from newsgraph.models.reader import require_reader
from newsgraph.pipeline.registry import stage
from newsgraph.pipeline.spacy_doc import article_doc, run_components
from newsgraph.pipeline.stages.statement_features import sentence_groups
from newsgraph.settings import Settings

NER_MODEL = "ner-de"


def split_label(label: str) -> tuple[str, str | None]:
    """``LOCderiv`` -> (``LOC``, ``deriv``); ``PER`` -> (``PER``, None)."""
    for form in ("deriv", "part"):
        if label.endswith(form):
            return label[: -len(form)], form
    return label, None


@cache
def shipped_ner() -> Any:
    """The packaged NER pipeline (network, lexicon, span classifier), loaded once per process; its components
    are safe to call from several threads."""
    import spacy

    import newsgraph.pipeline.ner_corrections  # noqa: F401  (registers the lexicon and span classifier)

    return spacy.load(model_path(NER_MODEL) / "pipeline")


def recognise(article: Article) -> list[Mention]:
    """Mentions over the article's tokens (offsets from the tokens, not from spaCy's text)."""
    tokens = article.tokens
    if not tokens:
        return []
    nlp = shipped_ner()
    # The network reads the STTS tags (Token.tag_) as a feature, set by the morphology stage.
    doc = run_components(nlp, article_doc(nlp.vocab, article, tags=True))
    mentions = []
    for ent in doc.ents:
        label, form = split_label(ent.label_)
        start, end = tokens[ent.start].start, tokens[ent.end - 1].end
        mentions.append(Mention(start, end, article.text[start:end], label, None, form))
    return mentions


def recognise_accurate(article: Article) -> list[Mention]:
    """Mentions from the accurate tier's encoder (``models/accurate-de/ner-adapters.pt``), sentence by
    sentence, decoded as valid BIO over the sentence's tokens."""
    from newsgraph.models.accurate import accurate_ner, run_windows, token_log_probs, token_window, viterbi

    tokens = article.tokens
    ner = accurate_ner()
    sentences = list(sentence_groups(article).values())
    windows = [token_window(ner.encoder, article, idx) for idx in sentences]
    mentions = []
    for idx, win, (states, _marks) in zip(sentences, windows, run_windows(windows, ner.encode, ner.pad), strict=True):
        tags = [ner.labels[k] for k in viterbi(token_log_probs(ner.head(states), win), ner.labels)]
        for a, b, label in bio_spans(tags):
            start, end = tokens[idx[a]].start, tokens[idx[b - 1]].end
            kind, form = split_label(label)
            mentions.append(Mention(start, end, article.text[start:end], kind, None, form))
    return mentions


@stage("mentions", requires=["tokens", "sentences", "tokens.pos"], assigns=["mentions"], languages=["de"],
       variant="lite")
def mentions_lite(article: Article, settings: Settings) -> dict[str, Any]:
    """Find person, location, organisation and other name mentions (the spaCy CNN with its lexicon)."""
    return {"mentions": recognise(article)}


@stage("mentions", requires=["tokens", "sentences"], assigns=["mentions"], languages=["de"], variant="accurate",
       check=require_accurate)
def mentions_accurate(article: Article, settings: Settings) -> dict[str, Any]:
    """Find person, location, organisation and other name mentions (torch adapters)."""
    return {"mentions": recognise_accurate(article) if article.tokens else []}


def recognise_deep(article: Article) -> list[Mention]:
    """Mentions from the NER head on the shared pass, decoded as valid BIO sentence by sentence."""
    from newsgraph.models.reader import shipped_heads, viterbi
    from newsgraph.pipeline.stages.statements_deep import encoding_of

    enc = encoding_of(article)
    heads = shipped_heads()
    labels = heads.labels["ner"]
    log_probs = heads.token_head("ner", enc.states)
    log_probs[~enc.covered] = -1e9
    log_probs[~enc.covered, 0] = 0.0  # a token the pass did not reach is outside any name
    tokens, mentions = article.tokens, []
    for i in range(len(article.sentences)):
        idx = list(article.sentence_tokens(i))
        if not idx:
            continue
        tags = [labels[k] for k in viterbi(log_probs[idx], labels)]
        for a, b, label in bio_spans(tags):
            # a name does not end in an attributive adjective: "Weißen" of "Weißen Hauses" takes its noun
            while b < len(idx) and tokens[idx[b - 1]].pos == "ADJA" and tokens[idx[b]].pos in ("ADJA", "NN", "NE") \
                    and tags[b] == "O":
                b += 1
            start, end = tokens[idx[a]].start, tokens[idx[b - 1]].end
            if not any(ch.isalpha() for ch in article.text[start:end]):
                continue  # "€", "%": a sign is no name
            kind, form = split_label(label)
            mentions.append(Mention(start, end, article.text[start:end], kind, None, form))
    return mentions


@stage("mentions", requires=["tokens", "sentences", "encoding"], assigns=["mentions"], languages=["de"],
       variant="deep", check=require_reader)
def mentions_deep(article: Article, settings: Settings) -> dict[str, Any]:
    """Find person, location, organisation and other name mentions (the NER head on the shared pass)."""
    return {"mentions": recognise_deep(article)}
