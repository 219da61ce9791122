"""Page names: a page's URL mapped to a relative path for a folder of pages (:func:`page_name`)."""

from __future__ import annotations

import hashlib
import re

_URL = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?", re.DOTALL)
_ILLEGAL = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\ud800-\udfff]')
_RESERVED = re.compile(r"(?i)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?")
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
MAX_SEGMENT = 200
"""Longest file or folder name :func:`page_name` makes, in UTF-8 bytes."""


def _unquote(text: str) -> str:
    """Percent-decode ``text`` if the result is UTF-8; leave it as it is otherwise."""
    if "%" not in text:
        return text
    raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), text.encode("utf-8", "surrogatepass"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def _fit(stem: str, suffix: str) -> str:
    """``stem + suffix``, the stem cut and given a hash if the whole is over MAX_SEGMENT bytes."""
    if len((stem + suffix).encode("utf-8")) <= MAX_SEGMENT:
        return stem + suffix
    digest = hashlib.sha1(stem.encode("utf-8")).hexdigest()[:10]
    room = MAX_SEGMENT - len(suffix.encode("utf-8")) - len(digest) - 1
    return stem.encode("utf-8")[:room].decode("utf-8", "ignore") + "_" + digest + suffix


def _folder(text: str) -> str:
    """A folder name valid on common file systems (Windows being the strictest)."""
    text = _ILLEGAL.sub("_", text)
    if not text.strip("."):
        text = "_" * len(text)
    if text[-1] in ". ":
        text = text[:-1] + "_"
    text = _fit(text, "")
    return "_" + text if _RESERVED.fullmatch(text) else text


def _host(scheme: str, authority: str | None) -> str:
    host = authority.rpartition("@")[2] if authority else ""
    port = ""
    if host.startswith("["):  # an IPv6 address
        end = host.find("]")
        if end > 0 and host[end + 1 : end + 2] == ":":
            host, port = host[: end + 1], host[end + 2 :]
    elif ":" in host:
        host, port = host.rsplit(":", 1)
    if port and not port.isdigit():
        host, port = f"{host}:{port}", ""
    if port == _DEFAULT_PORTS.get(scheme):
        port = ""
    host = _unquote(host).lower()
    if not host:
        return _folder(f"_{scheme}" if scheme else "_")
    return _folder(f"{host}_{port}" if port else host)


def page_name(url: str, markdown: bool = False) -> str:
    """Map a page's URL to a relative path for a folder of pages: ``host[_port]/path…``.

    A path that ends with ``/`` (or is empty) names ``index.html`` there; a last segment without an
    .html/.htm/.xhtml suffix gets ``.html`` (for a Markdown response, ``index.md`` and ``.md``, a
    .md/.markdown suffix kept); a query adds ``_`` and 10 hex digits of its SHA-1
    before the suffix.  Segments are percent-decoded when they decode to UTF-8, dot segments are
    resolved, characters refused by common file systems become ``_`` and a segment over 200 bytes
    is cut and given a hash.  The result is always accepted by ``inputs.safe_name``.

    Two URLs get the same name when they differ only in characters replaced by ``_``, in the cut
    part of a long segment, by a default port, or when one is the other plus ``.html``
    (``/a`` and ``/a.html``); a URL may also name a folder that another names as a file
    (``/a.html/b`` and ``/a.html``).  A writer of folders must handle such clashes.

    Args:
        url: the page's URL (any text).

    Returns:
        A relative POSIX path.
    """
    found = _URL.match(url.strip())
    assert found is not None  # every part of the pattern is optional
    scheme, authority, path, query = found[1] or "", found[2], found[3], found[4]
    segments = [_unquote(part) for part in path.split("/")]
    folders: list[str] = []
    for segment in segments:
        if segment == "..":
            if folders:
                folders.pop()
        elif segment not in ("", "."):
            folders.append(segment)
    default = ".md" if markdown else ".html"
    leaf = f"index{default}" if segments[-1] in ("", ".", "..") or not folders else folders.pop()
    leaf = _ILLEGAL.sub("_", leaf)
    stem, suffix = leaf, default
    for known in _MARKDOWN_SUFFIXES if markdown else _PAGE_SUFFIXES:
        if leaf.lower().endswith(known) and len(leaf) > len(known):
            stem, suffix = leaf[: -len(known)], leaf[-len(known) :]
            break
    if query:
        stem += "_" + hashlib.sha1(query.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    leaf = _fit(stem, suffix)
    if _RESERVED.fullmatch(leaf):
        leaf = "_" + leaf
    return "/".join([_host(scheme.lower(), authority), *map(_folder, folders), leaf])
