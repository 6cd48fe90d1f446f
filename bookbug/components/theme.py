"""The Radix Themes look, and only the stylesheets it needs.

Radix's `styles.css` carries the tokens of all 31 colour scales (light and dark) whether a
page uses them or not; Radix also ships them one scale per file. The app loads the base
tokens, the scales named here, the components and the layout utilities.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

BRAND_COLOR = "tomato"
GRAY_COLOR = "sand"
# Every colour scale a component names (color_scheme=...): tests/web/test_theme_colors.py
# fails when the code names one that is not here, which would otherwise draw it uncoloured.
THEME_COLORS = (BRAND_COLOR, GRAY_COLOR, "gray", "amber", "grass", "red", "blue", "violet")


class LeanRadixThemes(rx.plugins.RadixThemesPlugin):
    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        return ("@radix-ui/themes/tokens/base.css",
                *(f"@radix-ui/themes/tokens/colors/{color}.css" for color in THEME_COLORS),
                "@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")


def theme_plugin() -> LeanRadixThemes:
    return LeanRadixThemes(theme=rx.theme(appearance="light", accent_color=BRAND_COLOR, gray_color=GRAY_COLOR,
                                          radius="large"))
