"""Topic classification (IPTC Media Topics, top level): 5-fold cross-validated accuracy within each dataset and
accuracy across datasets (train on one, test on the other, on the topics both have).

    python bench/topics.py

Datasets and the label mapping: src/newsgraph/evaluation/topics.py (10kGNAD test split, XGLUE NC German dev;
both non-commercial). Needs scikit-learn (pip install -e '.[train]').
"""

from __future__ import annotations

from collections import Counter

from newsgraph.evaluation.data_paths import shared_data_dir
from newsgraph.evaluation.topics import datasets
from newsgraph.training.topics import accuracy, cross_validate, fit


def main() -> None:
    data = datasets(shared_data_dir())
    print("| dataset | articles | topics | 5-fold CV accuracy | majority baseline |")
    print("|---|---|---|---|---|")
    for name, docs in data.items():
        majority = Counter(d.topic for d in docs).most_common(1)[0][1] / len(docs)
        print(f"| {name} | {len(docs)} | {len({d.topic for d in docs})} | {cross_validate(docs):.3f} | {majority:.3f} |")
    print("\n| trained on | tested on | shared topics | test articles | accuracy |")
    print("|---|---|---|---|---|")
    for train_name, test_name in (("10kGNAD", "XGLUE"), ("XGLUE", "10kGNAD")):
        shared = {d.topic for d in data[train_name]} & {d.topic for d in data[test_name]}
        train = [d for d in data[train_name] if d.topic in shared]
        test = [d for d in data[test_name] if d.topic in shared]
        print(f"| {train_name} | {test_name} | {', '.join(sorted(shared))} | {len(test)} "
              f"| {accuracy(fit(train), test):.3f} |")


if __name__ == "__main__":
    main()
