from __future__ import annotations

from typing import Any

import pytest

from newsgraph.errors import ContractError, StageFailed, UnknownStage
from newsgraph.model import Article, Failure, Sentence
from newsgraph.pipeline import Pipeline, analyze_stream, registered_stages, stage
from newsgraph.pipeline.registry import check_contracts, get_stage
from newsgraph.settings import Settings, load_settings


def test_builtin_stages_are_registered_with_contracts() -> None:
    stages = registered_stages()
    assert {"language", "tokens", "reading", "morphology"} <= set(stages)
    assert stages["morphology"].requires == ("tokens", "sentences", "encoding")  # the deep reader's
    assert registered_stages("lite")["morphology"].requires == ("tokens", "sentences")
    assert stages["morphology"].languages == frozenset({"de"})
    assert "reading" in stages and "reading" not in registered_stages("lite")


def test_contracts_checked_when_pipeline_is_built() -> None:
    with pytest.raises(ContractError, match="requires 'tokens'"):
        Pipeline(["language", "morphology"])
    with pytest.raises(UnknownStage):
        Pipeline(["language", "nonexistent"])


def test_stage_may_not_write_what_it_did_not_declare() -> None:
    @stage("test_sneaky", assigns=["sentences"])
    def sneaky(article: Article, settings: Settings) -> dict[str, Any]:
        return {"sentences": [Sentence(0, 1)], "mentions": []}

    article = Pipeline(["test_sneaky"])(Article.create("Hallo Welt."))
    assert "declares only" in article.meta["failed_stages"][0]["reason"]
    assert article.sentences == ()


def test_stage_bug_is_recorded_on_the_article_naming_stage() -> None:
    @stage("test_broken", assigns=["sentences"])
    def broken(article: Article, settings: Settings) -> dict[str, Any]:
        raise ZeroDivisionError("boom")

    pipe = Pipeline(["test_broken"])
    out = list(analyze_stream([Article.create("Eins."), Failure("x", "NG002", "empty", "hint")], pipe))
    assert isinstance(out[0], Article)  # kept, with what the stage that broke says
    [failed] = out[0].meta["failed_stages"]
    assert failed["stage"] == "test_broken" and "ZeroDivisionError: boom" in failed["reason"]
    assert isinstance(out[1], Failure) and out[1].code == "NG002"
    with pytest.raises(StageFailed):
        list(analyze_stream([Article.create("Eins.")], pipe, error_policy="raise"))


def test_non_german_article_is_kept_and_marked() -> None:
    text = "The Kremlin confirmed the phone call between the two presidents on Wednesday evening."
    article = Pipeline()(Article.create(text))
    assert article.language == "en"
    assert article.sentences and not any(t.pos for t in article.tokens)
    assert article.meta["skipped_stages"] == ["reading", "morphology", "times", "mentions", "entities", "statements",
                                             "events", "topics"]


def test_a_headline_of_names_keeps_the_default_language_but_a_clear_one_does_not() -> None:
    # py3langid gives "Putin empfing Trump in Moskau." 0.09 for Nigerian Pidgin: too unsure to skip the analysis
    headline = Pipeline()(Article.create("Putin empfing Trump in Moskau."))
    assert headline.language == "de" and any(t.pos for t in headline.tokens)
    assert [e.type for e in headline.events] == ["CONSULT"]
    french = Pipeline()(Article.create("Le président a rencontré la chancelière à Paris."))
    assert french.language == "fr"


def test_check_contracts_accepts_attribute_level_requirements() -> None:
    check_contracts([get_stage("tokens", "lite"), get_stage("morphology", "lite")])


def test_a_field_requirement_needs_a_stage_that_assigns_that_field() -> None:
    # "tokens" does not give tokens.pos: only the morphology stage does
    with pytest.raises(ContractError, match=r"tokens\.pos"):
        Pipeline(["tokens", "mentions", "entities", "statements"], settings={**load_settings(), "tier": "lite"})
    with pytest.raises(ContractError, match=r"tokens\.pos"):
        Pipeline(["tokens", "reading", "mentions", "entities", "statements"])
    with pytest.raises(ContractError, match=r"'encoding'"):  # the deep heads need the shared pass
        Pipeline(["tokens", "morphology"])
    Pipeline(["tokens", "reading", "morphology", "mentions", "entities", "statements"])


def test_the_tier_picks_each_stage_variant_once() -> None:
    calls: list[str] = []

    @stage("test_variant", assigns=["language"], variant="deep")
    def deep(article: Article, settings: Settings) -> dict[str, Any]:
        calls.append("deep")
        return {}

    @stage("test_variant", assigns=["language"], variant="lite")
    def lite(article: Article, settings: Settings) -> dict[str, Any]:
        calls.append("lite")
        return {}

    @stage("test_deep_only", assigns=["language"], variant="deep")
    def deep_only(article: Article, settings: Settings) -> dict[str, Any]:
        calls.append("deep only")
        return {}

    for tier in ("lite", "deep"):
        pipe = Pipeline(["test_variant", "test_deep_only"], settings={**load_settings(), "tier": tier})
        assert pipe(Article.create("Hallo.")).meta["tier"] == tier
    assert calls == ["lite", "deep", "deep only"]  # the lite tier leaves the deep-only stage out
    with pytest.raises(UnknownStage, match="no variant for the 'lite' tier"):
        get_stage("test_deep_only", "lite")


def test_multiprocess_stream_matches_in_process() -> None:
    texts = [f"Artikel {i}: Der Kreml bestätigte das Gespräch. Trump sprach." for i in range(6)]
    single = list(analyze_stream([Article.create(t) for t in texts]))
    multi = list(analyze_stream([Article.create(t) for t in texts], n_process=2, batch_size=2))
    assert single == multi


def test_unknown_error_policy_is_a_usage_error() -> None:
    from newsgraph.errors import UsageError

    with pytest.raises(UsageError):
        list(analyze_stream([Article.create("Eins.")], error_policy="ignore"))


def test_stage_names_say_the_layer_they_fill() -> None:
    stages = registered_stages()
    assert stages["mentions"].assigns == ("mentions",) and stages["morphology"].assigns == (
        "tokens.lemma", "tokens.pos", "tokens.morph")
    assert "entities" in stages["entities"].assigns
    article = Pipeline(["language", "tokens", "reading", "morphology", "mentions", "entities", "statements"])(
        Article.create("Der Kreml bestätigte das Gespräch. Trump sagte, es sei sehr gut gewesen."))
    assert article.entities and article.statements


def test_stages_receive_the_pipelines_settings() -> None:
    seen: list[object] = []

    @stage("test_settings", assigns=["language"])
    def reads(article: Article, settings: Settings) -> dict[str, Any]:
        seen.append(settings["default_language"])
        return {}

    Pipeline(["test_settings"], settings={**load_settings(), "default_language": "xx"})(Article.create("Hallo."))
    assert seen == ["xx"]


def test_a_broken_stage_loses_only_its_layers_and_those_that_need_them() -> None:
    import dataclasses

    from newsgraph.pipeline import Pipeline

    pipeline = Pipeline()
    at = pipeline.names.index("entities")

    def broken(article: object, settings: object) -> dict[str, object]:
        raise KeyError("Englisch")

    pipeline.stages[at] = dataclasses.replace(pipeline.stages[at], func=broken)
    article = pipeline(Article.create("Donald Trump sagte am Mittwoch, er sei zufrieden.", published="2025-02-13"))
    failed = {f["stage"]: f["reason"] for f in article.meta["failed_stages"]}
    assert "KeyError" in failed["entities"]
    assert "needs what stage 'entities'" in failed["statements"]
    assert article.mentions and article.times and article.tokens  # stages before and beside it ran
    assert not article.entities and not article.statements
