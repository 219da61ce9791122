"""French spelling rules: folding accents and case, apostrophes, hyphens, slugs."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "'\u2019\u02bc\u2018"
"""ASCII apostrophe, right single quotation mark, modifier letter apostrophe, left quote."""
HYPHENS = "-\u2010\u2011"
"""Hyphen-minus, hyphen, non-breaking hyphen: the same letter-joiner to a reader."""
SOFT_HYPHEN = "\u00ad"

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_APOS_HYPHEN = str.maketrans({**{a: "'" for a in APOSTROPHES}, **{h: " " for h in HYPHENS}})
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Remove diacritics (``é`` -> ``e``) and expand the ligatures œ, æ."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_key(text: str) -> str:
    """Return the form under which two spellings count as the same words.

    Case, accents, ligatures, apostrophe styles, hyphen-or-space and runs of
    whitespace are ignored: ``Tiers-Lieu``, ``tiers lieu`` and ``TIERS\u00a0LIEU`` fold alike.
    """
    text = text.replace(SOFT_HYPHEN, "").translate(_APOS_HYPHEN)
    return _SPACES.sub(" ", strip_accents(text).casefold()).strip()


def slugify(text: str) -> str:
    """Return an ASCII slug (``pôle territorial`` -> ``pole-territorial``), possibly empty."""
    ascii_text = strip_accents(text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
