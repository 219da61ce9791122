"""Splits of a string into text and markup tokens, kept as offsets into it: each part is read from
the string when asked for, so that a page of two million tags holds one array of offsets, not four
million strings."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from itertools import accumulate, chain, islice, repeat
from operator import sub
from typing import overload


def offset_type(size: int) -> str:
    """The array type code of offsets into a string of ``size`` characters: 4 bytes each when they fit."""
    return "i" if size < 2**31 else "q"


class _View(Sequence[str]):
    """A sequence of strings read from elsewhere when asked for: subclasses say how many
    (``__len__``) and how to read one (``_item``); indexes and slices work as on a list."""

    __slots__ = ()

    def _item(self, index: int) -> str:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("index out of range")
        return self._item(index)


class Parts(_View):
    """A string split into text (even indexes) and markup tokens (odd indexes), each part read from
    the string when asked for: a page of two million tags keeps four million offsets in one array,
    not four million strings."""

    __slots__ = ("offsets", "source")

    def __init__(self, source: str, offsets: array[int]) -> None:
        self.source = source
        self.offsets = offsets
        """Where each part starts, then the length of the source."""

    @classmethod
    def split(cls, source: str, pattern: re.Pattern[str]) -> Parts:
        """``pattern.split(source)`` for a pattern of one group around it all, as offsets."""
        offsets = array(offset_type(len(source)), [0])
        offsets.extend(chain.from_iterable(match.span() for match in pattern.finditer(source)))
        offsets.append(len(source))
        return cls(source, offsets)

    def removed(self) -> array[int]:
        """Where each part starts in the string left when the tokens are removed, then its length."""
        before = self.offsets
        text_sizes = map(sub, islice(before, 1, None, 2), islice(before, 0, None, 2))
        produced = islice(chain.from_iterable(zip(text_sizes, repeat(0))), len(self))
        return array(before.typecode, accumulate(produced, initial=0))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _item(self, index: int) -> str:
        return self.source[self.offsets[index] : self.offsets[index + 1]]


class TokenParts(_View):
    """The odd items of a split (its tokens), read from it when asked for."""

    __slots__ = ("items",)

    def __init__(self, items: Sequence[str]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items) // 2

    def _item(self, index: int) -> str:
        return self.items[2 * index + 1]
