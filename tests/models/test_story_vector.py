"""The story vector from the shared pass: computed while reading, and the same when the store computes it again."""

from __future__ import annotations

import numpy as np

from newsgraph import analyze
from newsgraph.models.reader import lead_groups, story_vector
from newsgraph.pipeline import Pipeline

TEXT = ("Die Bundesregierung hat am Mittwoch ein neues Klimapaket beschlossen. Kanzler Olaf Scholz sprach von einem "
        "wichtigen Schritt. Die Opposition kritisierte die Pläne als unzureichend. " * 4)


def test_the_reading_stage_gives_a_unit_vector_equal_to_a_fresh_encoding() -> None:
    article = analyze(TEXT, title="Regierung beschließt Klimapaket")
    assert article.story_vector is not None and article.encoding is None  # the vector stays, the states go
    assert abs(float(np.linalg.norm(article.story_vector)) - 1.0) < 1e-5
    again = story_vector(article)  # what the store computes for an article read without it
    assert np.allclose(again, article.story_vector, atol=1e-5)


def test_the_vector_reads_the_title_and_only_the_lead() -> None:
    article = analyze(TEXT, title="Regierung beschließt Klimapaket")
    groups = lead_groups(article, 600)
    assert groups and all(article.tokens[g[0]].start < 600 for g in groups)
    assert sum(len(g) for g in groups) < len(article.tokens)
    untitled = analyze(TEXT)
    assert not np.allclose(untitled.story_vector, article.story_vector)


def test_related_texts_are_closer_than_unrelated_ones() -> None:
    a = analyze(TEXT, title="Regierung beschließt Klimapaket").story_vector
    b = analyze("Das Kabinett hat ein Klimaschutzpaket verabschiedet. Scholz nannte es einen wichtigen Schritt.",
                title="Kabinett verabschiedet Klimaschutz").story_vector
    c = analyze("Bayern München gewann am Samstag mit 3:1 gegen Borussia Dortmund. Kane traf zweimal.",
                title="Bayern schlägt Dortmund").story_vector
    assert float(a @ b) > float(a @ c)


def test_the_lite_tier_reads_no_vector() -> None:
    from newsgraph.settings import load_settings

    lite = Pipeline(settings={**load_settings(), "tier": "lite"})
    assert analyze(TEXT, pipeline=lite).story_vector is None
