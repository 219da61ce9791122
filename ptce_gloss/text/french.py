"""French spelling rules: folding accents and case, apostrophes, hyphens, slugs."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..lazy import regex

APOSTROPHES = "'\u2019\u02bc\u2018"
"""ASCII apostrophe, right single quotation mark, modifier letter apostrophe, left quote."""
HYPHENS = "-\u2010\u2011"
"""Hyphen-minus, hyphen, non-breaking hyphen: the same letter-joiner to a reader."""
SOFT_HYPHEN = "\u00ad"

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_APOS_HYPHEN = str.maketrans({**{a: "'" for a in APOSTROPHES}, **{h: " " for h in HYPHENS}})
_SPACES = regex(r"\s+")


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
    """Return an ASCII slug (``pôle territorial`` -> ``pole-territorial``), possibly empty.

    Every run of characters that is not a letter or digit (apostrophes, hyphens and spaces
    of any kind) becomes one ``-``.
    """
    words = re.sub(r"[\W_]+", " ", strip_accents(text))
    ascii_text = words.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


# --- Plurals --------------------------------------------------------------------------------------

# Words that open the complement of a noun phrase: what follows them never agrees with the head
# ("pôles territoriaux | de coopération économique").
COMPLEMENT_WORDS = frozenset("de d du des à au aux en pour par sur sans avec entre contre chez dans sous vers selon via".split())
# Words inside the head that never take a plural mark.
INVARIABLE_WORDS = frozenset("et ou ni le la les l un une non très plus moins bien".split())
# First parts of hyphenated compounds that stay invariable (co-construction -> co-constructions).
INVARIABLE_PREFIXES = frozenset(
    "co non anti auto contre ex extra inter intra mi demi semi sous sur vice pré post pro quasi multi néo".split()
)
_AL_S = frozenset("bal bancal carnaval chacal festival fatal final natal naval récital régal val idéal".split())
_AIL_AUX = frozenset("bail corail émail soupirail travail vantail vitrail".split())
_OU_X = frozenset("bijou caillou chou genou hibou joujou pou".split())
_EU_S = frozenset("bleu émeu landau pneu sarrau".split())


def plural_word(word: str) -> str:
    """Return the regular plural of one French noun or adjective (``territorial`` -> ``territoriaux``)."""
    lower = word.lower()
    if not word or not word[-1].isalpha() or lower[-1] in "sxz":
        return word
    upper = word.isupper() and len(word) > 1

    def tail(suffix: str, cut: int = 0) -> str:
        base = word[: len(word) - cut] if cut else word
        return base + (suffix.upper() if upper else suffix)

    if lower.endswith("al") and lower not in _AL_S:
        return tail("aux", 2)
    if lower in _AIL_AUX:
        return tail("aux", 3)
    if lower.endswith(("eau", "au", "eu")) and lower not in _EU_S:
        return tail("x")
    if lower in _OU_X:
        return tail("x")
    return tail("s")


def _inflectable(word: str) -> bool:
    letters = word.strip(",;:.!?")
    if letters != word or not letters.isalpha():
        return False  # punctuation, digits, elided forms: leave alone
    if letters.lower() in INVARIABLE_WORDS:
        return False
    return not (letters.isupper() and len(letters) > 1)  # an acronym inside a term (agrément ESUS)


def _plural_compound(word: str) -> str:
    parts = word.split("-")
    out = []
    for index, part in enumerate(parts):
        keep = part.lower() in INVARIABLE_PREFIXES and index < len(parts) - 1
        out.append(part if keep or not _inflectable(part) else plural_word(part))
    return "-".join(out)


def plural_phrase(phrase: str) -> str:
    """Return the plural of a French noun phrase, inflecting only its head and what agrees with it.

    The head runs up to the first complement word (``de``, ``d'``, ``à``, ``pour``…);
    within it nouns and adjectives take the plural, conjunctions, articles, acronyms and
    capitalised names (after the first word) do not:
    ``économie sociale et solidaire`` -> ``économies sociales et solidaires``,
    ``chantier d'insertion`` -> ``chantiers d'insertion``.
    """
    words = phrase.split(" ")
    out = []
    for index, word in enumerate(words):
        bare = word.lower()
        if bare in COMPLEMENT_WORDS or any(bare.startswith(p + a) for p in ("d", "l", "qu") for a in APOSTROPHES):
            out.extend(words[index:])
            break
        proper = index > 0 and word[:1].isupper()
        numbered = index + 1 < len(words) and words[index + 1][:1].isdigit()  # « loi 1901 », « article 9 »
        if proper or numbered or not _inflectable(word.replace("-", "")):
            out.append(word)
        else:
            out.append(_plural_compound(word) if "-" in word else plural_word(word))
    return " ".join(out)


# --- Folding whole documents, keeping every offset --------------------------------------------


def _build_fold_map() -> dict[str, str]:
    """Map each foldable character to one character: accents off, apostrophes and hyphens unified."""
    table: dict[str, str] = {}
    ranges = [range(0x80, 0x250), range(0x1E00, 0x1F00)]
    for cp in (c for r in ranges for c in r):
        char = chr(cp)
        lowered = char.lower()
        base = unicodedata.normalize("NFD", lowered)[:1]
        if len(lowered) == 1 and base != lowered and base.isascii() and base.isalpha():
            table[char] = base
    for char in APOSTROPHES:
        table[char] = "'"
    for char in HYPHENS[1:]:
        table[char] = "-"
    for char in "\t\n\r\x0b\x0c\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))):
        table[char] = " "
    for code in range(0x300, 0x370):  # combining accents (NFD text): dropped like soft hyphens
        table[chr(code)] = SOFT_HYPHEN
    return table


FOLD_MAP = _build_fold_map()
# The characters of French text, replaced one by one with str.replace (fast, C speed);
# the rest of FOLD_MAP goes through one regex pass that is rarely called.
_COMMON = "éèêëàâäîïôöùûüÿç’\xa0\u202f\n\t\r"
_RARE = regex("[" + re.escape("".join(c for c in FOLD_MAP if c not in _COMMON and not c.isascii())) + "]")


def fold_text(text: str) -> str:
    """Fold a whole document for matching, keeping its length so offsets stay valid.

    Lower case, accents removed, apostrophes ``’ʼ‘`` -> ``'``, hyphens and every kind of
    whitespace -> one space each (a spaced or doubled hyphen, a dash, -> ``\x1a``).
    ``œ``/``æ`` are kept (patterns carry both spellings).
    """
    folded = text.lower()
    if len(folded) != len(text):  # 'İ'.lower() has two characters; keep such letters as they are
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if folded.isascii():
        for char in "\n\t\r\x0b\x0c":
            if char in folded:
                folded = folded.replace(char, " ")
    else:
        for char in _COMMON:
            if char in folded:
                folded = folded.replace(char, FOLD_MAP[char])
        for char in "\x0b\x0c":
            if char in folded:
                folded = folded.replace(char, " ")
        folded = _RARE.sub(lambda m: FOLD_MAP[m.group()], folded)
    if "-" in folded:
        # A hyphen joins words (tiers-lieu = tiers lieu); a spaced or doubled one is a dash
        # and must keep the words apart (économie - sociale).
        folded = folded.replace("--", "\x1a\x1a").replace(" - ", " \x1a ").replace("-", " ")
    return folded


def _cp1252_table() -> bytes:
    """Map each windows-1252 byte to its folded byte: lower case, no accent (see :func:`fold_bytes`)."""
    table = bytearray(range(256))
    for byte in range(0x41, 0x5B):
        table[byte] = byte + 0x20
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        folded = FOLD_MAP.get(char.lower(), char.lower())
        if len(folded) == 1 and folded.isascii():
            table[byte] = ord(folded)
        elif len(char.lower()) == 1 and char.lower() != char:
            table[byte] = char.lower().encode("cp1252")[0]  # Œ -> œ, Š -> š...
    for char in "\t\n\r\x0b\x0c":
        table[ord(char)] = ord(" ")
    table[ord("-")] = 0x1B  # a hyphen: marked, then turned into a space unless it stands as a dash
    return bytes(table)


_CP1252_TABLE = _cp1252_table()


def _fold_unencodable(error: UnicodeError) -> tuple[bytes, int]:
    """Encode what windows-1252 lacks: the spaces, hyphens and apostrophes French uses; else '?'."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = bytearray()
    for char in error.object[error.start : error.end]:
        folded = FOLD_MAP.get(char, "?")
        out += b"\x1b" if folded == "-" else folded.encode("cp1252", "replace")[:1]
    return bytes(out), error.end


codecs.register_error("gloss-fold", _fold_unencodable)


def _dashes(data: bytes) -> bytes:
    """Turn marked hyphens into spaces, but keep a spaced or doubled one (a dash) as a separator.

    A hyphen joins words (tiers-lieu = tiers lieu); a dash keeps them apart (économie - sociale).
    """
    if b"\x1b" in data:
        data = data.replace(b"\x1b\x1b", b"\x1a\x1a").replace(b" \x1b ", b" \x1a ").replace(b"\x1b", b" ")
    return data


def fold_bytes(text: str) -> bytes:
    """Fold a document like :func:`fold_text`, as windows-1252 bytes, several times faster.

    One byte per character, so offsets are kept.  Characters outside windows-1252 become
    ``?`` (except the spaces, hyphens and apostrophes French text uses): use it only with
    patterns that :func:`fold_bytes` can represent (see :func:`cp1252_safe`).
    """
    return _dashes(text.encode("cp1252", "gloss-fold").translate(_CP1252_TABLE))


def fold_each(patterns: list[str]) -> list[bytes]:
    """``[fold_bytes(p) for p in patterns]`` in one call, unless one holds NUL: folding reads each character
    alone, and a hyphen its neighbours, which the NUL between two patterns keeps apart."""
    joined = "\0".join(patterns)
    return fold_bytes(joined).split(b"\0") if joined.count("\0") == len(patterns) - 1 else list(map(fold_bytes, patterns))


def fold_both(text: str) -> tuple[bytes, bytes]:
    """Return ``fold_bytes(text)`` and the windows-1252 bytes of ``text`` as written, encoding once.

    Both have the length of ``text``; characters windows-1252 lacks read as in ``fold_bytes``.
    """
    encoded = text.encode("cp1252", "gloss-fold")
    return _dashes(encoded.translate(_CP1252_TABLE)), encoded


def cp1252_safe(folded_pattern: str) -> bool:
    """Tell whether a folded pattern survives :func:`fold_bytes` (so the fast path may be used)."""
    try:
        folded_pattern.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return "?" not in folded_pattern


def fold_pattern(form: str) -> str:
    """Fold a glossary form the way :func:`fold_text` folds documents, spaces collapsed."""
    return " ".join(fold_text(form.replace(SOFT_HYPHEN, "")).split())


def ligature_spellings(folded: str) -> set[str]:
    """Return ``folded`` with both spellings a writer may use for œ (``cœur``, ``coeur``).

    ``œ`` is also written ``oe``; ``oe`` is written ``œ`` where French uses the ligature
    (before ``u``, and at the start of a word: ``œuvre``, ``œil``); ``æ`` is written ``ae``.
    """
    spellings = {folded, folded.replace("œ", "oe").replace("æ", "ae")}
    ligated = _OE_LIGATURE.sub("œ", folded)
    if ligated != folded:
        spellings.add(ligated)
    return spellings


_OE_LIGATURE = regex(r"oe(?=u)|(?<![^\W\d_])oe")


def is_word_char(char: str) -> bool:
    """Tell whether ``char`` continues a word (letters, digits, combining marks, underscore; not ʼ)."""
    return (char.isalnum() or char == "_" or unicodedata.category(char) == "Mn") and char not in APOSTROPHES


def _word_bytes() -> frozenset[int]:
    """Bytes of folded windows-1252 text that continue a word ('?' excluded: it may stand for any letter)."""
    found = set()
    for byte in range(256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
        if byte != 0x3F and is_word_char(char):
            found.add(byte)
    return frozenset(found)


WORD_BYTES = _word_bytes()
UNKNOWN_BYTE = 0x3F
"""``?`` in folded bytes: a question mark, or a character windows-1252 lacks."""
