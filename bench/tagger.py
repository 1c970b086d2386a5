"""The deep reader's tagging heads, the lite tier's tagger (tagger-de) and HanTa side by side.

    python bench/tagger.py [--model DIR] [--agreement-sentences N] [--splits test]

Prints one table: STTS, UPOS (the deep reader's own head; mapped from STTS for the others) and lemma accuracy
on UD German-GSD (test by default; dev selects the deep reader's epoch) for the three taggers, with their
tokens/s on one thread (gold tokenisation; the deep reader's time includes its encoder pass), and agreement with
HanTa on held-out text (the first N GermEval 2014 test sentences, never used for training or model selection).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from newsgraph.evaluation.bio import read_bio_sentences
from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.evaluation.tagging import agreement, deep_tag_words, read_ud, score_ud
from newsgraph.pipeline.hanta import tag_words as hanta
from newsgraph.pipeline.stages.morphology import Tagger, shipped_tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None,
                        help="tagger model folder (pipeline/ + lemmas.json) [default: shipped]")
    parser.add_argument("--agreement-sentences", type=int, default=2000)
    parser.add_argument("--split", default="test", choices=["dev", "test"], help="UD German-GSD split")
    args = parser.parse_args()
    tagger = Tagger(args.model) if args.model else shipped_tagger()
    data = shared_data_dir()
    gsd = list(read_ud(data / f"treebanks/ud-german-gsd-devtest/de_gsd-ud-{args.split}.conllu"))
    tagger.tag_words(["Aufwärmen", "."])
    hanta(["Aufwärmen", "."])
    deep_tag_words(["Aufwärmen", "."])
    rows = {"deep reader (reader-de)": score_ud(deep_tag_words, gsd),
            "lite tagger-de": score_ud(tagger.tag_words, gsd), "HanTa": score_ud(hanta, gsd)}
    held_out = [w for w, _ in read_bio_sentences(data / "ner/germeval2014/NER-de-test.tsv")][:args.agreement_sentences]
    agreements = {"deep reader": agreement(deep_tag_words, hanta, held_out),
                  "lite tagger-de": agreement(tagger.tag_words, hanta, held_out)}
    print(f"UD German-GSD {args.split}: {rows['HanTa']['tokens']:,} tokens")
    print("| tagger | STTS acc | UPOS acc | lemma acc | tokens/s |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows.items():
        print(f"| {name} | {r['stts_acc']:.4f} | {r['upos_acc']:.4f} | {r['lemma_acc']:.4f} | "
              f"{r['tokens_per_s']:,.0f} |")
    for name, agree in agreements.items():
        print(f"\n{name}: agreement with HanTa on {agree['tokens']:,} held-out tokens (GermEval 2014 test, first "
              f"{len(held_out)} sentences): STTS {agree['tag_agreement']:.4f}, lemma {agree['lemma_agreement']:.4f}")


if __name__ == "__main__":
    main()
