"""Radix Themes' stylesheets cut down to the rules the app's pages can use.

Radix ships its CSS as whole bundles: every component's rules (432 KB), every layout utility at
every breakpoint (252 KB) and the tokens of every colour scale. A page needs the rules of the
components it renders, at the breakpoints its props name, in its colours. The compiler reports
each of those (`components/theme.py`); this module keeps a rule only when some element of the
app could match it.

A rule is kept when one of its selectors is possible. A selector is impossible when it names:
- a Radix class (`rt-…`) that none of the used components' code mentions. The components' own
  modules are read, with everything they import, for the class names they set, so internal parts
  (`rt-BaseButton`, `rt-SelectTriggerInner`) and the prop classes built at run time (`rt-r-size`
  gives `rt-r-size-2`, `rt-variant` gives `rt-variant-soft`) are kept;
- a responsive class for a breakpoint no prop uses (`xs:rt-r-p-4` when no prop names `xs`);
- an accent or gray colour whose scale the app does not load.
Classes inside `:not(...)` never make a selector impossible: they narrow what it matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tinycss2
from tinycss2 import ast

BREAKPOINTS = frozenset({"xs", "sm", "md", "lg", "xl"})
COLOR_ATTRIBUTES = frozenset({"data-accent-color", "data-gray-color"})
# At-rules whose block holds rules to trim; every other at-rule (@keyframes, @font-face…) is kept whole.
GROUPING_RULES = frozenset({"media", "supports", "layer", "container"})
# Pseudo-classes that match when one of their selectors does.
ANY_OF = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any", "has"})

_IMPORT_NAMES = re.compile(r'import\s*\{([^}]*)\}\s*from\s*"([^"]+)"')
_IMPORT_STAR = re.compile(r'import\s*\*\s*as\s+([\w$]+)\s+from\s*"([^"]+)"')
_EXPORTS = re.compile(r"export\s*\{([^}]*)\}")
_RELATIVE_IMPORT = re.compile(r'(?:from|import)\s*"(\.{1,2}/[^"]+)"')
_CLASS_NAME = re.compile(r"rt-[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class StyleUse:
    """What the app's compiled pages can put on screen."""

    components: frozenset[str]  # Radix Themes exports: "Button", "Select", "Theme"…
    breakpoints: frozenset[str]  # the breakpoints responsive props name: "sm", "md"…
    colors: frozenset[str]  # the colour scales the app loads
    # The dark tokens are always kept: Reflex picks the colour mode in the browser (a stored
    # preference), so no compile can know a page will never be drawn dark.


@dataclass(frozen=True)
class RadixPackage:
    """The installed `@radix-ui/themes` package, as the bundler will read it."""

    root: Path

    @property
    def modules(self) -> Path:
        return self.root / "dist" / "esm" / "components"

    def css(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")


def component_modules(package: RadixPackage, names: Iterable[str]) -> list[Path]:
    """The module each named export comes from, read off the package's index."""
    index = (package.modules / "index.js").read_text(encoding="utf-8")
    source: dict[str, str] = {}
    for imported, path in _IMPORT_NAMES.findall(index):
        for part in imported.split(","):
            original, _, local = part.partition(" as ")
            source[(local or original).strip()] = path
    for local, path in _IMPORT_STAR.findall(index):
        source[local] = path
    exported: dict[str, str] = {}
    for names_list in _EXPORTS.findall(index):
        for part in names_list.split(","):
            local, _, name = part.partition(" as ")
            if local.strip() in source:
                exported[(name or local).strip()] = source[local.strip()]
    missing = sorted(set(names) - exported.keys())
    if missing:
        raise LookupError(f"@radix-ui/themes exports no {', '.join(missing)} (looked in {package.modules})")
    return sorted({(package.modules / exported[name]).resolve() for name in names})


def class_names(package: RadixPackage, components: Iterable[str]) -> frozenset[str]:
    """Every `rt-` class name the components' code, and the code it imports, mentions."""
    return _class_names(package, frozenset(components))


@cache
def _class_names(package: RadixPackage, components: frozenset[str]) -> frozenset[str]:
    pending = component_modules(package, components)
    seen: set[Path] = set()
    found: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen or not module.is_file():
            continue
        seen.add(module)
        code = module.read_text(encoding="utf-8")
        found.update(_CLASS_NAME.findall(code))
        pending.extend((module.parent / path).resolve() for path in _RELATIVE_IMPORT.findall(code))
    return frozenset(found)


class Possible:
    """Judges whether an element of the app could match a selector."""

    def __init__(self, use: StyleUse, radix_classes: frozenset[str]) -> None:
        self.use = use
        self.radix_classes = radix_classes

    def class_name(self, name: str) -> bool:
        breakpoint, colon, rest = name.partition(":")
        if colon:
            if breakpoint not in BREAKPOINTS:
                return True  # not a responsive class: some other convention, leave it alone
            if breakpoint not in self.use.breakpoints:
                return False
            name = rest
        if not name.startswith("rt-"):
            return True
        if name in self.radix_classes:
            return True
        # a prop's class with its value: rt-r-size-2 from rt-r-size, rt-variant-soft from rt-variant
        parts = name.split("-")
        return any("-".join(parts[:end]) in self.radix_classes for end in range(2, len(parts)))

    def attribute(self, tokens: Sequence[ast.Node]) -> bool:
        words = [t for t in tokens if t.type not in ("whitespace", "comment")]
        if (len(words) == 3 and words[0].type == "ident" and words[0].lower_value in COLOR_ATTRIBUTES
                and words[1].type == "literal" and words[1].value == "="
                and words[2].type in ("string", "ident") and words[2].value):
            return str(words[2].value) in self.use.colors
        return True

    def selector(self, tokens: Sequence[ast.Node]) -> bool:
        after_dot = False
        for token in tokens:
            if after_dot and token.type == "ident" and not self.class_name(token.value):
                return False
            after_dot = token.type == "literal" and token.value == "."
            if token.type == "[] block" and not self.attribute(token.content):
                return False
            if token.type == "function":
                name = token.lower_name
                if name in ANY_OF and not any(self.selector(alt) for alt in split_list(token.arguments)):
                    return False
                # :not(...) and the rest narrow a selector without requiring any class
        return True


def split_list(tokens: Sequence[ast.Node]) -> Iterator[list[ast.Node]]:
    """A selector list's selectors (top-level commas only; a function's commas are inside its node)."""
    current: list[ast.Node] = []
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            yield current
            current = []
        else:
            current.append(token)
    yield current


def trim(css: str, possible: Callable[[Sequence[ast.Node]], bool]) -> str:
    """The stylesheet with the selectors nothing can match removed, and the rules left empty by that."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(_trim_rules(rules, possible))


def _trim_rules(rules: Iterable[ast.Node], possible: Callable[[Sequence[ast.Node]], bool]) -> Iterator[str]:
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [selector for selector in split_list(rule.prelude) if possible(selector)]
            if kept:
                prelude = ",".join(tinycss2.serialize(selector).strip() for selector in kept)
                yield f"{prelude}{{{tinycss2.serialize(rule.content)}}}"
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in GROUPING_RULES:
            inner = list(_trim_rules(tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                     skip_whitespace=True), possible))
            if inner:
                yield f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}"
        elif rule.type == "at-rule":
            yield rule.serialize()
        elif rule.type == "error":
            raise ValueError(f"cannot read the stylesheet at line {rule.source_line}: {rule.message}")


def sheets(use: StyleUse) -> list[str]:
    """The package's stylesheets the app needs, in Radix's own cascade order (its `tokens.css`).

    The scales come before the base tokens: `.light { --gray-12: … }` in a scale and the theme's
    `.radix-themes:where([data-gray-color='sand']) { --gray-12: var(--sand-12) }` weigh the same, so
    the later one wins, and it must be the theme's choice.
    """
    return [*(f"tokens/colors/{color}.css" for color in sorted(use.colors)), "tokens/base.css",
            "components.css", "utilities.css"]


def stylesheet(package: RadixPackage, use: StyleUse) -> str:
    """One stylesheet with the rules of Radix Themes that `use` can show."""
    possible = Possible(use, class_names(package, use.components)).selector
    parts = [f"/* {name} */\n{trim(package.css(name), possible)}" for name in sheets(use)]
    return "\n".join([header(use), *parts]) + "\n"


def header(use: StyleUse) -> str:
    """What the stylesheet was cut for, readable back by `used_by` (the tests compare it with the pages)."""
    return (f"/* @radix-ui/themes trimmed by bookbug/components/radix_css.py\n"
            f"   components: {' '.join(sorted(use.components))}\n"
            f"   breakpoints: {' '.join(sorted(use.breakpoints))} */")


def used_by(css: str) -> tuple[frozenset[str], frozenset[str]]:
    """The components and breakpoints a trimmed stylesheet was cut for."""
    found = re.search(r"components: ([^\n]*)\n\s*breakpoints: ([^*]*)\*/", css)
    if not found:
        raise ValueError("not a stylesheet written by radix_css.stylesheet")
    return frozenset(found.group(1).split()), frozenset(found.group(2).split())
