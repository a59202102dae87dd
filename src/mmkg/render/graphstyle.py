"""How the graph pages draw things: colour-blind-safe colours, link styles, readable labels.

Roles and link kinds take the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies), and every link kind has a dash pattern of its own as well, so that no reader
depends on colour alone. A label drawn inside a coloured box is black or white, whichever has
the higher contrast on the box's colour (WCAG's relative luminance).

>>> label_colour("#0072b2")
'#ffffff'
>>> round(contrast("#000000", "#e69f00"), 1)
9.3
"""

from __future__ import annotations

__all__ = [
    "OKABE_ITO",
    "ROLE_COLOURS",
    "LINK_STYLES",
    "FALLBACK_LINK",
    "MODEL_COLOUR",
    "CENTRE_COLOUR",
    "link_style",
    "luminance",
    "contrast",
    "label_colour",
]

OKABE_ITO = {
    "orange": "#e69f00",
    "sky blue": "#56b4e9",
    "bluish green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "reddish purple": "#cc79a7",
    "black": "#000000",
}
ROLE_COLOURS = {
    "Modality encoder": OKABE_ITO["bluish green"],
    "Input projector": OKABE_ITO["orange"],
    "LLM backbone": OKABE_ITO["blue"],
    "Output projector": OKABE_ITO["reddish purple"],
    "Modality generator": OKABE_ITO["vermillion"],
}
MODEL_COLOUR = "#d9d9d9"
CENTRE_COLOUR = OKABE_ITO["yellow"]
#: per link kind: colour and dash pattern (an empty pattern is a solid line)
LINK_STYLES: dict[str, tuple[str, list[int]]] = {
    "isNewVersionOf": (OKABE_ITO["blue"], []),
    "isTrendSuccessorOf": (OKABE_ITO["vermillion"], [10, 5]),
    "buildsOn": (OKABE_ITO["bluish green"], [2, 4]),
    "extendsModalitiesOf": (OKABE_ITO["reddish purple"], [12, 4, 2, 4]),
    "fineTunedFrom": (OKABE_ITO["orange"], [6, 3]),
    "initialisedFrom": (OKABE_ITO["sky blue"], [16, 4]),
    "inspiredBy": (OKABE_ITO["black"], [2, 6, 8, 6]),
}
FALLBACK_LINK = ("#555555", [4, 4, 1, 4])


def link_style(kind: str) -> tuple[str, list[int]]:
    """The colour and dash pattern of a link kind (a grey dash-dot for an unknown kind)."""
    return LINK_STYLES.get(kind, FALLBACK_LINK)


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def label_colour(background: str) -> str:
    """Black or white, whichever reads better on *background*."""
    return (
        "#000000"
        if contrast("#000000", background) >= contrast("#ffffff", background)
        else "#ffffff"
    )
