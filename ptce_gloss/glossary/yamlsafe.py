"""Read YAML into plain, located nodes, refusing what a hand-written glossary never needs.

PyYAML's loaders build Python objects from YAML 1.1 rules: ``on`` becomes ``True``,
``0755`` becomes 493, aliases let 300 bytes expand to gigabytes, and tags construct
arbitrary objects.  A glossary holds only text, lists and mappings, so we read the
*event stream* of the (C, when available) parser ourselves: every scalar stays the
string the author wrote, and anchors, aliases, tags other than ``!!str``, several
documents and deep nesting are refused at the first event that shows them.  Memory
and time are therefore bounded by the size of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Diagnostic, GlossaryError

MAX_DEPTH = 16
_STR_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(slots=True)
class Scalar:
    """A scalar exactly as written (never converted to bool, int or date)."""

    value: str
    plain: bool
    """True when unquoted: only plain ``true``/``false``/``null`` mean anything but text."""
    line: int
    column: int

    @property
    def is_null(self) -> bool:
        """True for an empty plain value, ``~`` or ``null``."""
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(slots=True)
class Seq:
    """A YAML sequence."""

    items: list[Node]
    line: int
    column: int


@dataclass(slots=True)
class Map:
    """A YAML mapping with scalar keys, in file order, first occurrence of each key kept."""

    pairs: list[tuple[Scalar, Node]]
    line: int
    column: int
    duplicates: list[Scalar] = field(default_factory=list)
    """Keys that appeared again later in the same mapping."""

    def get(self, key: str) -> Node | None:
        """Return the value of ``key``, or None."""
        for k, v in self.pairs:
            if k.value == key:
                return v
        return None


Node = Scalar | Seq | Map


def _where(mark: Any) -> tuple[int, int]:
    """Return the 1-based line and column of a parser mark (pure-Python or libyaml)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def parse(text: str, path: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one YAML document into nodes.

    Args:
        text: the decoded YAML text.
        path: the name used in diagnostics.

    Returns:
        The root node (None for an empty document) and the non-fatal problems found
        (duplicate or non-scalar keys).

    Raises:
        GlossaryError: on a syntax error or a refused construct, located in the file.
    """
    problems: list[Diagnostic] = []

    def fail(mark: Any, message: str) -> GlossaryError:
        line, col = _where(mark)
        return GlossaryError([Diagnostic(path, line, col, message)])

    stack: list[Seq | Map] = []
    pending_key: list[Scalar | None] = []  # per open mapping: the key waiting for its value
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                line, col = node.line, node.column
                problems.append(Diagnostic(path, line, col, "mapping keys must be plain text"))
                node = Scalar("?", True, line, col)
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if any(k.value == key.value for k, _ in parent.pairs):
            parent.duplicates.append(key)
        else:
            parent.pairs.append((key, node))

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise fail(event.start_mark, "YAML aliases (*name) are not allowed in a glossary; write the value out in full")
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.anchor is not None:
                    raise fail(
                        event.start_mark,
                        f"YAML anchors (&{event.anchor}) are not allowed in a glossary; write each value out in full",
                    )
                if event.tag not in _STR_TAGS and not (
                    event.tag in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map") and not isinstance(event, yaml.ScalarEvent)
                ):
                    shown = str(event.tag).replace("tag:yaml.org,2002:", "!!")
                    raise fail(
                        event.start_mark, f"YAML tag {shown} is not allowed; a glossary holds only text, lists and mappings"
                    )
            line, col = _where(event.start_mark)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(event.start_mark, "a glossary file holds one YAML document; remove the second '---'")
            elif isinstance(event, yaml.ScalarEvent):
                attach(Scalar(event.value, not event.style and event.implicit[0], line, col))
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise fail(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels; a glossary needs at most 4")
                node: Seq | Map = Seq([], line, col) if isinstance(event, yaml.SequenceStartEvent) else Map([], line, col)
                attach(node)
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(exc.problem_mark or exc.context_mark, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # ReaderError and friends carry a position of their own
        position = getattr(exc, "position", None)
        message = f"invalid YAML: {exc}".splitlines()[0]
        if position is not None:
            line = text.count("\n", 0, position) + 1
            col = position - (text.rfind("\n", 0, position) + 1) + 1
            raise GlossaryError([Diagnostic(path, line, col, message)]) from None
        raise GlossaryError([Diagnostic(path, 0, 0, message)]) from None
    except RecursionError:
        raise GlossaryError([Diagnostic(path, 0, 0, f"nesting deeper than {MAX_DEPTH} levels")]) from None
    return root, problems
