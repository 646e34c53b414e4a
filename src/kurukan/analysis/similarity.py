"""Near-identical texts: which recommendations repeat across cycles and mechanisms.

Method: each text becomes a TF-IDF vector of its folded word unigrams and bigrams (sublinear term
frequency, smoothed inverse document frequency, L2-normalised), and two texts are similar by the cosine of
their vectors (Salton & Buckley 1988). UPR recommendations are short and formulaic ("Ratify the Optional
Protocol…", "Continue its efforts to…"): the IDF weight keeps those stock phrases from making everything
alike, and bigrams keep "ratify the convention" apart from "the convention ratified". The recommending
State's name is removed first: the same State repeats itself, which is not what we look for.

Pairs come from a sparse product in blocks of rows, so 100,000 texts need memory for one block of scores
at a time, never the full square. A pair is proposed, never merged: a person confirms it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from kurukan.text import fold

DEFAULT_THRESHOLD = 0.8
BLOCK = 500  # rows per sparse product: bounds the scores held at once (2,000 rows took 2.9 GB at 100 k)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of to and in for its it on with by as at be that this is are or from all de la le les des du et a "
    "en l d un une pour par sur dans au aux".split()
)
_TRAILING_STATE = re.compile(r"\(([^()]{2,80})\)\s*[.;]?\s*$")


@dataclass(frozen=True)
class Pair:
    left: int
    right: int
    score: float


def _tokens(text: str) -> list[str]:
    text = _TRAILING_STATE.sub("", text)
    words = [w for w in _WORD.findall(fold(text)) if w not in _STOP]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    vocabulary: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for text in texts:
        row: dict[int, int] = {}
        for token in _tokens(text):
            column = vocabulary.setdefault(token, len(vocabulary))
            row[column] = row.get(column, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(texts), max(len(vocabulary), 1)),
    )
    matrix.data = 1.0 + np.log(matrix.data)
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1 + len(texts)) / (1 + document_frequency)) + 1.0
    matrix = matrix.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def similar_pairs(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> Iterator[Pair]:
    """Every pair (i < j) whose cosine similarity is at least `threshold`, by position in `texts`."""
    matrix = vectorise(texts)
    transposed = matrix.T.tocsc()
    for start in range(0, matrix.shape[0], BLOCK):
        scores = (matrix[start : start + BLOCK] @ transposed).tocoo()
        keep = (scores.data >= threshold - 1e-9) & (scores.row + start < scores.col)
        for row, col, score in zip(scores.row[keep], scores.col[keep], scores.data[keep], strict=True):
            yield Pair(int(row) + start, int(col), round(float(min(score, 1.0)), 4))


def clusters(count: int, pairs: Sequence[Pair]) -> list[list[int]]:
    """Groups of positions joined by pairs (union–find); singletons left out."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for pair in pairs:
        a, b = root(pair.left), root(pair.right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
