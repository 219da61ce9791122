"""The stylesheet and script that make the tooltips work, as gloss inserts them in a page."""

from __future__ import annotations

import os
from functools import cache
from typing import Literal

from ..html.context import Plan
from .options import HtmlOptions
from .pieces import escape, raw_piece, sign_tag

PLAIN = Plan()
"""How links and assets are written on a page whose context changes nothing."""


@cache
def asset(name: Literal["gloss.css", "gloss.js"]) -> str:
    """Return the text of a bundled asset: the package's file beside its modules, else (a package
    imported from a zip) through importlib.resources, which takes 7 ms to import."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets", name)
    if os.path.isfile(path):
        with open(path, encoding="ascii") as handle:
            return handle.read()
    from importlib import resources

    return resources.files("ptce_gloss").joinpath("assets", name).read_text(encoding="ascii")


def style_content() -> str:
    """The content of the inline ``<style>`` gloss inserts (what a CSP hash of it covers)."""
    return f"/*<![CDATA[*/{asset('gloss.css')}/*]]>*/"


def script_content() -> str:
    """The content of the inline ``<script>`` gloss inserts."""
    return f"//<![CDATA[\n{asset('gloss.js')}\n//]]>"


def assets_html(options: HtmlOptions, plan: Plan = PLAIN) -> str:
    if options.assets == "none" or not plan.style:
        return ""
    if options.assets.startswith("link="):
        return sign_tag(f'<link id="gloss-style" rel="stylesheet" href="{escape(options.assets[5:])}" />', "link")
    style = raw_piece("style", style_content(), plan.style_nonce)
    return style + (raw_piece("script", script_content(), plan.script_nonce) if plan.script else "")
