"""Choosing among overlapping candidates: the leftmost-longest, each checked only when it may be kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, Protocol, TypeVar


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


Chosen = TypeVar("Chosen", bound=_Span)  # the matcher's Candidate


def select_longest(candidates: list[Chosen]) -> list[Chosen]:
    """Keep the leftmost-longest candidates that do not overlap."""
    return list(longest_first(sorted(candidates, key=attrgetter("start"))))


def _preference(found: Sequence[Any]) -> tuple[int, bool]:
    """Of candidates starting at the same place: the longest, a term before an acronym."""
    return found[0] - found[1], found[3]


def _first_accepted(options: list[Any], accept: Callable[[Any], Chosen | None]) -> Chosen | None:
    for one in options:
        candidate = accept(one)
        if candidate is not None:
            return candidate
    return None


def longest(
    found: Iterable[Any], accept: Callable[[Any], Chosen | None], dead: Callable[[int], bool] | None = None
) -> Iterator[Chosen]:
    """The leftmost-longest of ``found`` (by increasing start) that ``accept`` turns into candidates,
    asked only of those that no earlier choice overlaps, best first (stable: the first of equals).

    A group of ``dead`` entries' candidates is set aside and checked only if the next group starts
    inside it (which its choice would block); otherwise it is dropped, as keeping it changes nothing."""
    last_end, deferred, deferred_end = -1, None, -1
    for start, group in groupby(found, key=itemgetter(0)):
        if deferred is not None:
            if start < deferred_end and (candidate := _first_accepted(deferred, accept)) is not None:
                yield candidate
                last_end = candidate.end
            deferred = None
        if start < last_end:
            continue
        options = sorted(group, key=_preference)
        if dead is not None and all(dead(one[2]) for one in options):
            deferred, deferred_end = options, max(one[1] for one in options)
            continue
        candidate = _first_accepted(options, accept)
        if candidate is not None:
            yield candidate
            last_end = candidate.end


def longest_first(candidates: Iterable[Chosen]) -> Iterator[Chosen]:
    """Keep the leftmost-longest of candidates that come by increasing start: of those starting at the
    same place, the longest (a term before an acronym, then the first), if no earlier one overlaps it."""
    return longest(candidates, lambda candidate: candidate)
