"""What a page's own context does to what gloss inserts, read before inserting it.

Two things in a page can defeat an annotation that is otherwise right:

- a ``<base href>`` makes every ``href="#gloss-…"`` resolve against another address, so the term
  links leave the page (and a ``<base target>`` opens them in another window);
- a ``Content-Security-Policy`` (a ``<meta http-equiv>`` in the head, or the HTTP header when gloss
  knows it, as for a WARC record) can forbid the inline ``<style>`` and ``<script>``, or the
  stylesheet of ``--assets link=URL``, so that no bubble is drawn.

:func:`read_context` finds them; :func:`plan` says what works there — fragment links made absolute
from the page's own address when it is known, a nonce the policy names, or leaving out what the
policy blocks — and explains, in one line each, what could not be kept.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from ..lazy import regex, sha256
from .tags import attributes, tag_name
from .tokens import split_markup

_HINT = regex(r"<base[\t\n\f\r />]|content-security-policy", re.IGNORECASE)
# The same, read first without IGNORECASE, which makes a search ten times slower on a page with neither.
_BASE_HINT = regex(r"<[bB][aA][sS][eE][\t\n\f\r />]")
_POLICY_HINT = regex(r"-[pP][oO][lL][iI][cC][yY]")
# Elements that may come before the body without starting it (HTML's "in head" insertion mode).
_IN_HEAD = frozenset("html head base basefont bgsound link meta title style script noscript template".split())


@dataclass(frozen=True, slots=True)
class PageContext:
    """The parts of a page's context that change how its links and assets behave."""

    base_href: str | None = None
    """The ``href`` of the page's first ``<base>`` that has one."""
    base_target: str | None = None
    """The ``target`` of the page's first ``<base>`` that has one."""
    policies: tuple[str, ...] = ()
    """The Content-Security-Policies in force: the HTTP header's, then the head's ``<meta>`` ones."""


def read_context(source: str, header_policies: Iterable[str] = (), parts: Sequence[str] | None = None) -> PageContext:
    """Read the ``<base>`` and Content-Security-Policy of an HTML page (markup only: never text in a
    comment, a script or an attribute).  A ``<meta>`` policy counts only in the head, before ``<body>``.

    Args:
        source: the page.
        header_policies: the ``Content-Security-Policy`` HTTP headers it was served with, when known.
        parts: ``split_markup(source)``, when already made.
    """
    policies = [policy for header in header_policies for policy in header.split(",") if policy.strip()]
    if not (_BASE_HINT.search(source) or (_POLICY_HINT.search(source) and _HINT.search(source))):
        return PageContext(policies=tuple(policies))
    base_href = base_target = None
    in_head = True
    parts = split_markup(source) if parts is None else parts
    for index in range(1, len(parts), 2):
        token = parts[index]
        name = tag_name(token)
        if in_head and (parts[index - 1].strip() or (name and name not in _IN_HEAD) or (name == "head" and token[1] == "/")):
            in_head = False  # text, an element of the body, or </head>: the head is over
        if token.startswith("</"):
            continue
        if name == "base":
            found = attributes(token)
            if base_href is None and "href" in found:
                base_href = found["href"]
            if base_target is None and "target" in found:
                base_target = found["target"]
        elif name == "meta" and in_head:
            found = attributes(token)
            if found.get("http-equiv", "").strip().lower() == "content-security-policy" and found.get("content", "").strip():
                policies.append(found["content"])
    return PageContext(base_href, base_target, tuple(policies))


@dataclass(frozen=True, slots=True)
class Plan:
    """What to insert in a page, given its context."""

    link_prefix: str | None = ""
    """What goes before ``#id`` in a term's ``href``: ``""`` on most pages, the page's address under a
    ``<base href>`` that points elsewhere, or None when the links cannot point into the page."""
    link_target: str | None = None
    """``_self`` when a ``<base target>`` would open the links elsewhere."""
    style: bool = True
    """The inline style (or the stylesheet link) may be inserted."""
    script: bool = True
    """The inline script may be inserted."""
    style_nonce: str | None = None
    script_nonce: str | None = None
    notes: list[str] = field(default_factory=list)
    """One line for each thing that could not be done as usual."""


def source_hash(content: str) -> str:
    """The CSP hash source (``'sha256-…'``) of an inline element's content."""
    digest = sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def plan(
    context: PageContext,
    page_url: str | None,
    assets: str,
    style_content: str = "",
    script_content: str = "",
) -> Plan:
    """Decide how to write links and assets on a page with this context.

    Args:
        context: what :func:`read_context` found.
        page_url: the page's own address, when known (``--page-url``, a WARC record's target).
        assets: ``inline``, ``none`` or ``link=URL``, as in :class:`~ptce_gloss.markup.HtmlOptions`.
        style_content, script_content: the inline style's and script's content (for their hashes).
    """
    notes: list[str] = []
    prefix: str | None = ""
    if context.base_href is not None and not _is_this_page(context.base_href, page_url):
        if page_url and urlsplit(page_url).scheme in ("http", "https", "file"):
            prefix = html.escape(_without_fragment(page_url), quote=True)
        else:
            prefix = None
            notes.append(
                f'its <base href="{context.base_href[:100]}"> would send the term links to another page, so the '
                "terms do not link to the glossary (their bubbles still work); give the page's address with "
                "--page-url URL to link them"
            )
    target = None
    if prefix is not None and context.base_target and context.base_target.strip().lower() not in ("", "_self"):
        target = "_self"
    style = script = True
    style_nonce = script_nonce = None
    if context.policies and assets != "none":
        if assets.startswith("link="):
            url = assets[5:]
            if not all(_allows_url(policy, "style", url, page_url) for policy in context.policies):
                style = script = False
                notes.append(
                    f"its Content-Security-Policy does not allow the stylesheet {url[:100]}, so it is left out and "
                    "no bubble is drawn (the terms still link to the glossary); serve it from an address style-src allows"
                )
        else:
            style, style_nonce = _allows_inline(context.policies, "style", style_content)
            script, script_nonce = _allows_inline(context.policies, "script", script_content)
            if not style:
                script = False
                notes.append(
                    "its Content-Security-Policy blocks inline styles, so the style and script are left out and no "
                    "bubble is drawn (the terms still link to the glossary); use --assets link=URL with a stylesheet "
                    f"the policy allows, or add {source_hash(style_content)} to style-src and "
                    f"{source_hash(script_content)} to script-src"
                )
            elif not script:
                notes.append(
                    "its Content-Security-Policy blocks inline scripts, so the script is left out: bubbles show but "
                    f"may overflow the window and Escape does not hide them; add {source_hash(script_content)} to script-src"
                )
    return Plan(prefix, target, style, script, style_nonce if style else None, script_nonce if script else None, notes)


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def _is_this_page(base_href: str, page_url: str | None) -> bool:
    """Does a ``<base href>`` leave ``#fragment`` links on the page itself?"""
    href = base_href.strip()
    if href == "" or href.startswith("#"):
        return True
    if not page_url:
        return False
    return _without_fragment(urljoin(page_url, href)) == _without_fragment(page_url)


def _directive(policy: str, kind: str) -> list[str] | None:
    """The sources of the directive that governs ``<style>``/``<script>`` elements, or None if none does."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    for name in (f"{kind}-src-elem", f"{kind}-src", "default-src"):
        if name in directives:
            return directives[name]
    return None


def _allows_inline(policies: Sequence[str], kind: str, content: str) -> tuple[bool, str | None]:
    """Whether every policy lets an inline element of this content run, and the nonce it needs if any."""
    nonces: set[str] | None = None
    ours = {algorithm: _hash(algorithm, content) for algorithm in ("sha256", "sha384", "sha512")}
    for policy in policies:
        sources = _directive(policy, kind)
        if sources is None:
            continue
        lowered = [source.lower() for source in sources]
        hashes = {source.strip("'") for source in sources if source.lower().startswith(("'sha256-", "'sha384-", "'sha512-"))}
        named = {source[7:-1] for source in sources if source.lower().startswith("'nonce-") and source.endswith("'")}
        if any(f"{algorithm}-{value}" in hashes for algorithm, value in ours.items()):
            continue
        strict = hashes or named or (kind == "script" and "'strict-dynamic'" in lowered)
        if "'unsafe-inline'" in lowered and not strict:
            continue
        nonces = named if nonces is None else nonces & named
        if not nonces:
            return False, None
    if nonces is None:
        return True, None
    return True, sorted(nonces)[0]


def _hash(algorithm: str, content: str) -> str:
    import hashlib

    return base64.b64encode(hashlib.new(algorithm, content.encode("utf-8")).digest()).decode("ascii")


_HOST_SOURCE = regex(r"(?:([a-z][a-z0-9+.-]*)://)?(\*|(?:\*\.)?[^/:]+)(?::(\d+|\*))?(/.*)?", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _allows_url(policy: str, kind: str, url: str, page_url: str | None) -> bool:
    """Whether a policy lets a stylesheet be loaded from ``url`` (relative to the page)."""
    sources = _directive(policy, kind)
    if sources is None:
        return True
    target = urlsplit(urljoin(page_url, url) if page_url else url)
    relative = not target.scheme and not target.netloc
    for source in sources:
        lowered = source.lower()
        if lowered == "'self'":
            if relative or (page_url and _origin(target) == _origin(urlsplit(page_url))):
                return True
        elif lowered == "*":
            if relative or target.scheme in ("http", "https", "ws", "wss", "ftp"):
                return True
        elif lowered.endswith(":") and "/" not in lowered:  # a scheme source (https:)
            scheme = lowered[:-1]
            if target.scheme == scheme or (scheme == "http" and target.scheme == "https"):
                return True
        elif not lowered.startswith("'") and not relative and _host_matches(source, target):
            return True
    return False


def _origin(url: SplitResult) -> tuple[str, str]:
    return (url.scheme.lower(), url.netloc.lower())


def _host_matches(source: str, target: SplitResult) -> bool:
    """CSP host-source matching: ``[scheme://]host[:port][/path]``, ``*.`` wildcards, ``:*`` ports."""
    found = _HOST_SOURCE.fullmatch(source)
    if found is None:
        return False
    scheme, host, port, path = found.groups()
    t_scheme, t_host = target.scheme.lower(), (target.hostname or "").lower()
    if scheme and not (t_scheme == scheme.lower() or (scheme.lower() == "http" and t_scheme == "https")):
        return False
    if not scheme and t_scheme not in ("http", "https"):
        return False
    host = host.lower()
    if host == "*":
        pass
    elif host.startswith("*."):
        if not t_host.endswith(host[1:]):
            return False
    elif t_host != host:
        return False
    if port != "*":
        try:
            t_port = target.port or _DEFAULT_PORTS.get(t_scheme)
        except ValueError:
            return False
        if port is not None and t_port != int(port):
            return False
        if port is None and t_port != _DEFAULT_PORTS.get(t_scheme):
            return False
    if path and path != "/":
        t_path = target.path or "/"
        if path.endswith("/") and not t_path.startswith(path):
            return False
        if not path.endswith("/") and t_path != path:
            return False
    return True
