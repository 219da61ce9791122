"""Read the html5lib tree-construction tests: each input, and the text an HTML5 parser finds in it."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RAW_TEXT = {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}


@dataclass
class Case:
    """One #data test: the input and what the expected tree says about it."""

    name: str
    data: str
    fragment: str | None
    scripting: bool | None
    texts: list[tuple[str, list[str]]]
    """Each text node with the names of its ancestors, outermost first."""


def read_cases(folder: Path) -> list[Case]:
    cases = []
    for path in sorted(folder.rglob("*.dat")):
        number = 0
        for block in path.read_text(encoding="utf-8").split("\n#data\n"):
            block = block.removeprefix("#data\n")
            if "\n#errors" not in block:
                continue
            number += 1
            data, rest = block.split("\n#errors", 1)
            fragment = None
            if "\n#document-fragment\n" in rest:
                fragment = rest.split("\n#document-fragment\n", 1)[1].split("\n", 1)[0].strip()
            scripting = True if "\n#script-on" in rest else False if "\n#script-off" in rest else None
            document = rest.split("\n#document\n", 1)[1] if "\n#document\n" in rest else ""
            cases.append(Case(f"{path.relative_to(folder)}:{number}", data, fragment, scripting, _texts(document)))
    return cases


def _texts(document: str) -> list[tuple[str, list[str]]]:
    """Collect text nodes from the '| ' tree dump, each with its ancestors' names."""
    stack: list[tuple[int, str]] = []
    texts = []
    lines = document.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("| "):
            continue
        body = line[2:]
        depth = len(body) - len(body.lstrip(" "))
        body = body.lstrip(" ")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if body.startswith('"'):
            text = body[1:]
            while not (text.endswith('"') and len(text) >= 1) and index < len(lines):
                text += "\n" + lines[index]
                index += 1
            texts.append((text[:-1], [name for _, name in stack]))
        elif body.startswith("<") and not body.startswith("<!"):
            name = body[1:-1].split(" ")
            stack.append((depth, name[-1] if len(name) == 1 else name[0]))  # "svg path" -> namespace "svg"
        elif body == "content":
            stack.append((depth, "content"))
    return texts


def visible_chars(texts: list[tuple[str, list[str]]]) -> Counter[str]:
    """Characters of the text nodes a reader sees: not in raw-text elements, not in svg or math.

    Combining accents are left out: gloss's projection drops them (it matches NFD text as if
    unaccented, and reports the source's characters).
    """
    counted: Counter[str] = Counter()
    for text, ancestors in texts:
        if RAW_TEXT & set(ancestors) or {"svg", "math"} & set(ancestors):
            continue
        counted.update(c for c in text if not c.isspace() and c not in "\x00\ufffd" and not unicodedata.combining(c))
    return counted
