"""The Radix Themes look, and only the CSS of it the app's pages can use.

Radix's bundles carry every component, every layout utility at every breakpoint and every colour
scale. While Reflex compiles the pages, this plugin notes each Radix component a page imports and
the breakpoints its props name; when the compile writes its files (after the frontend packages are
installed) it writes `styles/radix-themes.css`, Radix's CSS cut down to those
(`components/radix_css.py`). The bundler then hashes, minifies and compresses that file like any
other.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.utils.prerequisites import get_web_dir
from reflex_base.vars.base import LiteralVar, Var
from reflex_base.components.component import Component

from bookbug.components.radix_css import BREAKPOINTS, RadixPackage, StyleUse, stylesheet

log = logging.getLogger(__name__)

BRAND_COLOR = "tomato"
GRAY_COLOR = "sand"
# Every colour scale a component names (color_scheme=...): tests/web/test_theme_colors.py
# fails when the code names one that is not here, which would otherwise draw it uncoloured.
THEME_COLORS = (BRAND_COLOR, GRAY_COLOR, "gray", "amber", "grass", "red", "blue", "violet")
STYLESHEET = "radix-themes.css"  # written into .web/styles, beside Reflex's own root stylesheet
# The theme wraps every page from outside the page trees the compiler walks.
ALWAYS_USED = frozenset({"Theme"})
RADIX_THEMES = "@radix-ui/themes"


def breakpoints_in(value: Var[Any]) -> frozenset[str]:
    """The breakpoints a prop's value can name: a literal's keys, or all of them when only the page knows."""
    if isinstance(value, LiteralVar):
        literal = value._var_value
        return frozenset(literal) & BREAKPOINTS if isinstance(literal, Mapping) else frozenset()
    return BREAKPOINTS if could_be_mapping(value._var_type) else frozenset()


def could_be_mapping(kind: Any) -> bool:
    if kind in (Any, object):
        return True
    origin = typing.get_origin(kind) or kind
    if origin in (typing.Union, types.UnionType):
        return any(could_be_mapping(arg) for arg in typing.get_args(kind))
    return isinstance(origin, type) and issubclass(origin, Mapping)


def radix_names(imports: Mapping[str, Any]) -> set[str]:
    """The Radix Themes exports among a component's import lists (library -> ImportVars)."""
    names: set[str] = set()
    for library, items in imports.items():
        package = library.rsplit("@", 1)[0] if library.count("@") > 1 else library
        if package == RADIX_THEMES:
            names.update(str(item.tag).split(".")[0] for item in items if item.tag)
    return names


# a breakpoint as a key of a responsive value in the page's rendered code: ({ ["sm"] : "row" })
RENDERED_BREAKPOINT = re.compile(r'\["(' + "|".join(sorted(BREAKPOINTS)) + r')"\]\s*:')


@dataclasses.dataclass
class Usage:
    components: set[str] = dataclasses.field(default_factory=lambda: set(ALWAYS_USED))
    breakpoints: set[str] = dataclasses.field(default_factory=set)
    pages: set[int] = dataclasses.field(default_factory=set)  # the page contexts already read whole

    def add_page(self, root: Component) -> None:
        """A page's whole tree, read from what Reflex renders of it.

        The compiler does not walk every component: the subtree under a snapshot boundary
        (`rx.foreach` over state, a link with a state prop) is handed to its memo whole. The
        page's import lists and its rendered code hold all of it, with the same lists Reflex
        writes the page's import lines from.
        """
        self.components |= radix_names(root._get_all_imports())
        self.breakpoints |= set(RENDERED_BREAKPOINT.findall(str(root)))

    def add(self, component: Component) -> None:
        """One component the compiler walks: a value only the page knows may be responsive."""
        # own imports, not its tag: rx.debounce_input(rx.text_area(...)) renders element={TextArea}
        names = radix_names(component._get_imports())
        if not names:
            return
        self.components |= names
        # its props, and those a wrapper passes on to the Radix component it renders
        values = [getattr(component, name, None) for name in component.get_props()]
        for value in [*values, *component.custom_attrs.values()]:
            if isinstance(value, Var):
                self.breakpoints |= breakpoints_in(value)


@dataclasses.dataclass
class LeanRadixThemes(rx.plugins.RadixThemesPlugin):
    # what the compile in progress has seen, keyed by that compile so a hot reload starts afresh
    _compile: Any = dataclasses.field(default=None, init=False, repr=False, compare=False)
    _usage: Usage | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    def enter_component(self, comp: Any, /, *, page_context: Any, compile_context: Any,
                        in_prop_tree: bool = False) -> None:
        super().enter_component(comp, page_context=page_context, compile_context=compile_context,
                                in_prop_tree=in_prop_tree)
        if compile_context is not self._compile or self._usage is None:
            self._compile, self._usage = compile_context, Usage()
        if not isinstance(comp, Component):
            return
        if id(page_context) not in self._usage.pages:  # the first component of a page is its root
            self._usage.pages.add(id(page_context))
            self._usage.add_page(comp)
        self._usage.add(comp)

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return (f"./{STYLESHEET}",) if self.enabled else ()

    def get_static_assets(self, **context: Any) -> list[tuple[Path, str]]:
        # Reflex calls this after it has installed the frontend packages, before the bundler runs.
        if not self.enabled:
            return []
        package = RadixPackage(get_web_dir() / "node_modules" / "@radix-ui" / "themes")
        return [(Path("styles") / STYLESHEET, stylesheet(package, self.style_use()))]

    def style_use(self) -> StyleUse:
        usage = self._usage or Usage()
        log.debug("Radix Themes CSS for %s at breakpoints %s", sorted(usage.components), sorted(usage.breakpoints))
        return StyleUse(components=frozenset(usage.components), breakpoints=frozenset(usage.breakpoints),
                        colors=frozenset(THEME_COLORS))


def theme_plugin() -> LeanRadixThemes:
    return LeanRadixThemes(theme=rx.theme(appearance="light", accent_color=BRAND_COLOR, gray_color=GRAY_COLOR,
                                          radius="large"))
