"""``gloss suggest``: entries a corpus calls for that the glossaries lack.

Two kinds of suggestions, read in the text a reader sees (HTML and Markdown projected as for
annotating; what the glossaries already match is taken out first):

- **acronym–expansion pairs** written in the text, in both orders: « pôle territorial de
  coopération économique (PTCE) », « la SCIC (société coopérative d'intérêt collectif) »; the
  acronym's letters must be the initials of the expansion's words, French articles and
  prepositions (de, la, l', d', et, pour…) left out;
- **frequent multiword phrases**, ranked by C-value (Frantzi, Ananiadou and Mima, 2000): a phrase of
  n words seen f times scores log2(n) × f, less the mean frequency of the longer phrases that contain
  it, so that « économie circulaire » is not outranked by its own fragment « économie ». Words are
  lemmatized with simplemma, so that plurals and singulars merge; a phrase may not start or end with
  a grammatical word, nor be made only of generic ones.

Each suggestion has its count, its number of documents and two contexts; the output is a glossary
(YAML, or CSV) ready to edit, each definition left empty and marked to fill.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..annotate import AnnotateOptions, Annotator
from ..errors import InputError
from ..glossary import Glossary
from ..html.document import decode
from ..html.scan import project
from ..match.matcher import chosen_candidates
from ..text.french import fold_text, slugify

GRAMMAR = frozenset(
    "à au aux avec ce ces cet cette d de des du elle elles en est et eux il ils je l la le les leur leurs lui ma "
    "mais me mes mon ne ni nos notre nous on ou où par pas pour qu que qui sa se ses si son sont sur ta te tes "
    "toi ton tu un une vos votre vous y ont été être avoir a sans sous chez dont entre vers lors dans plus très "
    "aussi comme tout tous toute toutes autre autres même leurs cela ceci ça afin ainsi donc car puis alors "
    "cours relatif relative relatifs relatives concernant selon".split()
)
"""Words a term may hold inside (de, du, à, pour…) but neither start nor end with."""
INNER = frozenset("de du des d à au aux pour en et l la le les sur par".split())
GENERIC = frozenset(
    "année années an ans fois jour jours mois semaine exemple cas part partie façon manière nombre ensemble "
    "question chose choses temps moment point place lieu faire fait dit site page article lire suite "
    "premier première dernier dernière grand grande petit petite nouveau nouvelle bon bonne plusieurs "
    "certain certaine certains certaines accueil contact menu plan site chaque deux trois quatre cinq six sept "
    "huit neuf dix douze quinze vingt trente cent cents mille million millions milliard milliards".split()
)
"""Words too general for a glossary: a phrase made only of them (and grammar) is no term."""
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ][A-Za-zÀ-ÖØ-öø-ÿŒœ'’-]*")
_BREAK = re.compile(r"[.!?;:()«»\"“”\[\]{}|/\n•–—…]+|\s-\s|,|\S*\d\S*")
_ACRONYM = r"[A-Z][A-Za-z0-9&]{1,9}"
_AFTER = re.compile(rf"([^()\n]{{3,160}}?)\s*\(\s*({_ACRONYM})\s*\)")
_BEFORE = re.compile(rf"\b({_ACRONYM})\s*\(\s*([^()\n]{{3,160}}?)\s*\)")
_SKIP_INITIALS = frozenset("de du des d la le les l et à au aux pour en par sur un une".split())


@cache
def _lemma(word: str) -> str:
    import simplemma

    lower = word.lower().replace("’", "'")
    found: str = simplemma.lemmatize(lower, lang="fr")
    return found.lower()


@dataclass
class Suggestion:
    """One entry to add: its term (as most often written), acronym, how often and where it occurs."""

    term: str
    acronym: str | None = None
    count: int = 0
    documents: set[str] = field(default_factory=set)
    contexts: list[str] = field(default_factory=list)
    score: float = 0.0
    kind: str = "phrase"
    """``acronym`` (an acronym–expansion pair found in the text) or ``phrase`` (a frequent phrase)."""


def _conjugated(word: str) -> bool:
    """Whether a word reads as a conjugated verb (« détiennent » → détenir): a term is a noun phrase."""
    lower = word.lower()
    lemma = _lemma(word)
    if lemma == lower or not lemma.endswith(("er", "ir", "re", "oir")):
        return False
    return not lower.startswith(lemma[:-2]) or lower.endswith(("é", "ée", "és", "ées", "ant"))


def _words(text: str) -> list[str]:
    return [w.strip("'’-") for w in _WORD.findall(text) if w.strip("'’-")]


def _split_elision(word: str) -> list[str]:
    """« l'économie » reads as « l' » and « économie »."""
    match = re.match(r"^([ldjmnstcLDJMNSTC]|qu|Qu|jusqu|lorsqu|puisqu)['’](.+)$", word)
    return [match.group(1).lower(), match.group(2)] if match else [word]


def expansion_for(acronym: str, words: Sequence[str]) -> list[str] | None:
    """The shortest run of words ending ``words`` whose initials, grammar words aside, spell ``acronym``."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if len(letters) < 2:
        return None
    for size in range(2, min(len(words), 3 * len(letters) + 2) + 1):
        run = list(words[-size:])
        if run[0].lower() in _SKIP_INITIALS:
            continue
        initials = [fold_text(w[0]) for w in run if w.lower() not in _SKIP_INITIALS]
        if initials == letters or (len(initials) == len(letters) + 1 and initials[:-1] == letters):
            return run if initials == letters else None
    return None


def _joined(words: Sequence[str]) -> str:
    """Words joined back as written: « d' » and « l' » stick to the next word."""
    return re.sub(r"\b(qu|[ldjmnstc]) ", r"\1'", " ".join(words), flags=re.IGNORECASE)


def acronym_pairs(text: str) -> Iterable[tuple[str, str, int]]:
    """Yield (acronym, expansion, offset) for every acronym written beside its expansion, in both orders."""
    for match in _AFTER.finditer(text):
        acronym = match.group(2)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        tokens = [t for w in _words(match.group(1)) for t in _split_elision(w)]
        found = expansion_for(acronym, tokens)
        if found:
            yield acronym, _joined(found), match.start(1)
    for match in _BEFORE.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        tokens = [t for w in _words(match.group(2)) for t in _split_elision(w)]
        while tokens and tokens[0].lower() in _SKIP_INITIALS:
            tokens = tokens[1:]
        found = expansion_for(acronym, tokens)
        if found and len(found) == len(tokens):
            yield acronym, _joined(found), match.start()


def _phrases(segment: str, longest: int = 5) -> Iterable[tuple[tuple[str, ...], str]]:
    """Candidate phrases of a segment: (lemmas, surface) of 2 to ``longest`` words."""
    tokens = [t for w in _words(segment) for t in _split_elision(w)]
    for start in range(len(tokens)):
        first = tokens[start].lower()
        if first in GRAMMAR or len(first) < 3:
            continue
        for end in range(start + 2, min(start + longest, len(tokens)) + 1):
            run = tokens[start:end]
            last = run[-1].lower()
            if any(w.lower() in GRAMMAR and w.lower() not in INNER for w in run):
                break
            if last in GRAMMAR or len(last) < 3:
                continue
            content = [w.lower() for w in run if w.lower() not in GRAMMAR]
            if all(w in GENERIC for w in content) or any(c.isdigit() for w in run for c in w):
                continue
            if any(w[0].isupper() and not w.isupper() for w in run[1:]):
                break  # a proper name (« Talents Partagés »): a name, not a term
            if _conjugated(run[0]) or _conjugated(run[-1]):
                continue
            surface = _joined(run)
            yield tuple(_lemma(w) for w in run), surface


def _readable(data: bytes, name: str, annotator: Annotator) -> str:
    """The text a reader sees of a document, each occurrence the glossaries match cut out."""
    document = decode(data, name)
    if document.kind == "markdown":
        from ..md.scan import shadow

        projection = project(shadow(document.text).text, True)
    else:
        projection = project(document.text, document.kind == "html")
    text = projection.text
    spans = sorted((c.start, c.end) for c in chosen_candidates(annotator.compiled, projection))
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(" | ")
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


def suggest(
    documents: Iterable[tuple[str, bytes]], glossary: Glossary, limit: int = 50, min_count: int = 3
) -> tuple[list[Suggestion], list[str]]:
    """Suggest entries for a corpus: acronym pairs first, then phrases by C-value.

    Returns:
        The suggestions, and one line for each document that could not be read.
    """
    annotator = Annotator(glossary, AnnotateOptions(occurrences="all", skip=frozenset({"script", "style"}), scope="body"))
    known = {fold_text(form) for entry in glossary for form in (entry.term, *entry.variants, *entry.acronyms)}
    pairs: dict[str, Suggestion] = {}
    counts: Counter[tuple[str, ...]] = Counter()
    surfaces: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, ...], set[str]] = defaultdict(set)
    contexts: dict[tuple[str, ...], list[str]] = defaultdict(list)
    problems = []
    for name, data in documents:
        try:
            text = _readable(data, name, annotator)
        except InputError as exc:
            problems.append(str(exc))
            continue
        for acronym, expansion, at in acronym_pairs(text):
            if acronym in known or fold_text(expansion) in known:
                continue
            found = pairs.setdefault(acronym, Suggestion(expansion, acronym, kind="acronym"))
            found.count += 1
            found.documents.add(name)
            if len(found.contexts) < 2:
                found.contexts.append(" ".join(text[max(0, at - 40) : at + len(expansion) + 60].split()))
        for segment in _BREAK.split(text):
            for lemmas, surface in _phrases(segment):
                counts[lemmas] += 1
                surfaces[lemmas][surface] += 1
                where[lemmas].add(name)
                if len(contexts[lemmas]) < 2:
                    offset = text.find(surface)
                    contexts[lemmas].append(" ".join(text[max(0, offset - 50) : offset + len(surface) + 50].split()))
    phrases = _rank(counts, min_count)
    taken = {fold_text(s.term) for s in pairs.values()}
    found_phrases = []
    for lemmas, score in phrases:
        surface = surfaces[lemmas].most_common(1)[0][0]
        term = surface if surface.isupper() else surface[0].lower() + surface[1:]
        if fold_text(term) in known or fold_text(term) in taken:
            continue
        found_phrases.append(Suggestion(term, None, counts[lemmas], where[lemmas], contexts[lemmas], score))
        if len(found_phrases) >= limit:
            break
    ordered = sorted(pairs.values(), key=lambda s: (-s.count, s.acronym or "")) + found_phrases
    return ordered, problems


def _rank(counts: Counter[tuple[str, ...]], min_count: int) -> list[tuple[tuple[str, ...], float]]:
    """The phrases seen at least ``min_count`` times, by decreasing C-value."""
    frequent = {phrase: count for phrase, count in counts.items() if count >= min_count}
    containing: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for phrase, count in frequent.items():
        for size in range(2, len(phrase)):
            for start in range(len(phrase) - size + 1):
                inner = phrase[start : start + size]
                if inner in frequent:
                    containing[inner].append(count)
    scored = []
    for phrase, count in frequent.items():
        longer = containing.get(phrase)
        value = count - (sum(longer) / len(longer) if longer else 0)
        score = math.log2(len(phrase)) * value
        if score > 0:
            scored.append((phrase, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def suggestions_yaml(suggestions: Sequence[Suggestion]) -> str:
    """The suggestions as a glossary file to edit: each definition empty, marked À RÉDIGER, with where
    the term was seen as comments."""
    import json

    lines = ["# Suggestions de gloss suggest : rédigez chaque définition, supprimez les entrées inutiles.", "entries:"]
    ids: set[str] = set()
    for item in suggestions:
        base = slugify(item.acronym or item.term) or "entree"
        entry_id, number = base, 1
        while entry_id in ids:
            number += 1
            entry_id = f"{base}-{number}"
        ids.add(entry_id)
        kind = "sigle et forme développée lus dans le texte" if item.kind == "acronym" else f"C-value {item.score:.1f}"
        lines.append(f"  # {item.count} occurrence(s) dans {len(item.documents)} document(s) ; {kind}")
        for context in item.contexts[:2]:
            lines.append(f"  # « {context} »")
        lines.append(f"  - id: {entry_id}")
        lines.append(f"    term: {json.dumps(item.term, ensure_ascii=False)}")
        if item.acronym:
            lines.append(f"    acronyms: [{json.dumps(item.acronym, ensure_ascii=False)}]")
        lines.append('    definition: ""  # À RÉDIGER')
        lines.append("")
    return "\n".join(lines) + "\n"


def suggestions_csv(suggestions: Sequence[Suggestion]) -> bytes:
    """The suggestions as a spreadsheet: gloss's columns (definitions empty), then counts and contexts."""
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["terme", "sigles", "définition", "occurrences", "documents", "exemple"])
    for item in suggestions:
        writer.writerow([item.term, item.acronym or "", "", item.count, len(item.documents), (item.contexts or [""])[0]])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
