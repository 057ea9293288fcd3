"""One matcher for names people type: places, systems, anything looked up by a key.

Keys are compared as the caller folds them (no case, accents or punctuation),
and every lookup ranks candidates the same way:

====  ==========  ============================================================
tier  name        the key ...
====  ==========  ============================================================
0     exact       is the query
1     prefix      starts with the query
2     word        has a word that starts with the query
3     spelling    is within the edit budget of the query
4     partial     has a run of words within the edit budget of the query
5     contains    contains the query inside a word (queries of 3 or more)
====  ==========  ============================================================

Similar spellings (tiers 3 and 4) count only when no key matches in tiers
0-2, so a query that begins real names ("kapustin") never lists names that
merely resemble it ("austin"); a query found only inside a word ("soul" in
"missoula") is the weakest match and ranks last. Within a tier fewer edits
come first, then the more prominent candidate (the caller's order: a capital
before a town).

An *edit* inserts, deletes or replaces a letter or swaps two neighbours
(optimal string alignment distance). The budget grows with the query: none
below 4 letters, 1 edit up to 8, 2 edits from 9 ("atlantis" is not
"atlanta").

:func:`correction` is the one rule for resolving a typo: no key matches the
query in tiers 0-3 and exactly one key is nearest by spelling
("kalinigrad" -> "kaliningrad"); otherwise the caller lists :func:`ranked`
as suggestions. Digits are identifiers, not spelling: a correction keeps
them ("SS-18" is never corrected to "SS-12", only suggested).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["TIERS", "Match", "budget", "correction", "edits", "match", "ranked"]

#: The tiers of a match, best first.
TIERS: tuple[str, ...] = ("exact", "prefix", "word", "spelling", "partial", "contains")
_SPELLING, _PARTIAL, _CONTAINS = 3, 4, 5
_DIGITS = re.compile(r"\d+")


def budget(query: str) -> int:
    """How many edits a query of this length may be away from a key.

    >>> budget("riga"), budget("atlantis"), budget("kalinigrad")
    (1, 1, 2)
    """
    n = len(query.replace(" ", ""))
    return 0 if n < 4 else 1 if n < 9 else 2


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance between ``a`` and ``b``, or ``limit + 1`` beyond it.

    >>> edits("kalinigrad", "kaliningrad", 2), edits("kaliningard", "kaliningrad", 2)
    (1, 1)
    >>> edits("kapustin", "austin", 1)
    2
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


@dataclass(frozen=True, order=True)
class Match:
    """How a key matches a query: its tier (:data:`TIERS`) and, by spelling, its edits."""

    tier: int
    edits: int
    key: str

    @property
    def by_spelling(self) -> bool:
        """Whether the key only resembles the query (tiers ``spelling`` and ``partial``)."""
        return self.tier in (_SPELLING, _PARTIAL)


def _same_digits(a: str, b: str) -> bool:
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def match(query: str, key: str) -> Match | None:
    """How ``key`` matches ``query`` (both folded), or None.

    >>> match("kalinin", "kaliningrad")
    Match(tier=1, edits=0, key='kaliningrad')
    >>> match("yar", "kapustin yar")
    Match(tier=2, edits=0, key='kapustin yar')
    >>> match("kalinigrad", "kaliningrad")
    Match(tier=3, edits=1, key='kaliningrad')
    >>> match("ss18", "ss12")  # a suggestion, never a correction
    Match(tier=3, edits=1, key='ss12')
    >>> match("soul", "missoula")
    Match(tier=5, edits=0, key='missoula')
    """
    if not query:
        return None
    if key == query:
        return Match(0, 0, key)
    if key.startswith(query):
        return Match(1, 0, key)
    if f" {query}" in f" {key}":
        return Match(2, 0, key)
    limit = budget(query)
    if limit:
        d = edits(query, key, limit)
        if d <= limit:
            return Match(_SPELLING, d, key)
        # a typo in part of a longer name: "kapustn" in "kapustin yar"
        words = key.split()
        size = len(query.split())
        if len(words) > size:
            best = limit + 1
            for start in range(len(words) - size + 1):
                best = min(best, edits(query, " ".join(words[start : start + size]), limit))
            if best <= limit:
                return Match(_PARTIAL, best, key)
    if len(query) >= 3 and query in key:
        return Match(_CONTAINS, 0, key)
    return None


def ranked(query: str, keys: Iterable[str], prominence: Sequence[str] | None = None) -> list[Match]:
    """The keys that match ``query``, best first (the ranking of this module's docstring).

    Parameters
    ----------
    query : str
        The folded query.
    keys : iterable of str
        Folded candidate keys.
    prominence : sequence of str, optional
        The keys, most prominent first; ties within a tier follow it (else
        the order of ``keys``).

    >>> [m.key for m in ranked("kapustin", ["austin", "kapustin yar", "kapustino"])]
    ['kapustin yar', 'kapustino']
    >>> [m.key for m in ranked("warsw", ["warsaw", "wars", "austin"])]
    ['warsaw', 'wars']
    """
    keys = list(keys)
    order = {k: i for i, k in enumerate(prominence if prominence is not None else keys)}
    found = [m for m in (match(query, k) for k in keys) if m is not None]
    if any(m.tier < _SPELLING for m in found):
        found = [m for m in found if not m.by_spelling]
    found.sort(key=lambda m: (m.tier, m.edits, order.get(m.key, len(order)), m.key))
    return found


def correction(query: str, keys: Iterable[str]) -> str | None:
    """The one key a typo stands for, or None if there is none or several.

    A correction needs a query that no key matches in tiers 0-2 (as a name or
    the start of a word of one) and one key, alone at the fewest edits, whose
    whole name is within the budget and holds the query's digits.

    >>> correction("kalinigrad", ["kaliningrad", "kalinin"])
    'kaliningrad'
    >>> correction("pari", ["paris", "bari"]) is None  # two at one edit
    True
    >>> correction("kalinin", ["kaliningrad", "kalinina"]) is None  # starts a name
    True
    >>> correction("ss18", ["ss12", "pershing"]) is None  # digits are not typos
    True
    """
    best: list[str] = []
    fewest = budget(query) + 1
    for key in keys:
        m = match(query, key)
        if m is None:
            continue
        if m.tier < _SPELLING:
            return None
        if m.tier != _SPELLING or not _same_digits(query, key):
            continue
        if m.edits < fewest:
            best, fewest = [key], m.edits
        elif m.edits == fewest and key not in best:
            best.append(key)
    return best[0] if len(best) == 1 else None
