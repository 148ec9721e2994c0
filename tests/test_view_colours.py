"""The colours of the notebook views (essconv.html_page.STYLE) under light and dark themes."""
from __future__ import annotations

import re

import pytest


# --- a dark notebook theme (JupyterLab Dark, VS Code dark) sets a light text colour on a dark
# page: the views' axis and sub-total rows kept that light text on their own light background
# (#eef2f8, contrast 1.2:1), the hints and findings dark grey and dark red on the dark page.
# Every rule of the shared style, with the colours it sets and those it would inherit from the
# view's root or a dark page, must keep text readable (WCAG AA: 4.5:1).
def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(h[k:k + 2], 16)) for k in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("page_text, page_background", [("#d4d4d4", "#1e1e1e"),   # a dark theme
                                                        ("#000000", "#ffffff")])  # the light one
def test_every_view_style_keeps_text_readable_on_a_dark_notebook_theme(page_text, page_background):
    from essconv.html_page import STYLE
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", STYLE.replace("<style>", "").replace("</style>", ""))
    assert rules
    def prop(body: str, name: str) -> str | None:
        m = re.search(rf"(?:^|;)\s*{name}\s*:\s*(#[0-9a-fA-F]{{3,6}})", body)
        return m.group(1) if m else None
    root = {"color": None, "background": None}
    for selector, body in rules:
        if ".essconv" in [s.strip() for s in selector.split(",")]:
            root = {"color": prop(body, "color"), "background": prop(body, "background")}
    for selector, body in rules:
        fg = prop(body, "color") or root["color"] or page_text
        bg = prop(body, "background") or root["background"] or page_background
        assert _contrast(fg, bg) >= 4.5, (selector.strip(), fg, bg, round(_contrast(fg, bg), 2))
