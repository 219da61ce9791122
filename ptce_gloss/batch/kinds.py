"""What a name says a batch's input or output is: an archive, a WARC file, a URL.

These read names only, and this module imports nothing of the batch machinery, so that telling a
single document from a batch costs ``gloss annotate page.html`` nothing.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
WARC_SUFFIXES = (".warc", ".warc.gz")


def is_archive(path: str) -> bool:
    """Tell whether ``path`` names a zip or tar archive (by its suffix, any case)."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def is_warc(path: str) -> bool:
    """Tell whether ``path`` names a WARC file (``.warc`` or ``.warc.gz``, any case)."""
    return path.lower().endswith(WARC_SUFFIXES)


def is_url(name: str) -> bool:
    """Whether ``name`` is a URL (``scheme://…``) rather than a local path."""
    scheme, sep, _rest = name.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum() and len(scheme) > 1


def local(name: str) -> str:
    """A ``file://`` URL as a local path; anything else unchanged."""
    if name.startswith("file://"):
        parts = urlsplit(name)
        from urllib.request import url2pathname  # imports http.client, ssl…: only for file:// URLs

        return url2pathname(unquote(parts.path)) if parts.netloc in ("", "localhost") else name
    return name
