"""Radix Themes' CSS is cut down to what the compiled pages can show, and nothing they show is cut.

A small package laid out like `@radix-ui/themes` (minified ES modules importing each other, an
index that re-exports them) stands in for the real one; the browser tests check the real one
draws every page exactly as the whole bundle does (tests/browser/test_phones_and_access.py).
"""

from __future__ import annotations

from typing import Any

import pytest
import reflex as rx
import tinycss2
from hypothesis import given, settings
from hypothesis import strategies as st

from reflex.compiler.plugins.builtin import default_page_plugins
from reflex_base.plugins.compiler import CompileContext, CompilerHooks, PageContext

from bookbug.components.radix_css import (
    BREAKPOINTS,
    RadixPackage,
    StyleUse,
    class_names,
    component_modules,
    split_list,
    stylesheet,
    trim,
    used_by,
)
from bookbug.components.theme import STYLESHEET, THEME_COLORS, LeanRadixThemes, Usage, breakpoints_in, theme_plugin

MODULES = {
    "index.js": 'import{Badge as f}from"./badge.js";import{Button as c}from"./button.js";'
                'import*as So from"./select.js";import{Theme as Jo,ThemeContext as Oo}from"./theme.js";'
                'import{Dialog as v}from"./dialog.js";'
                "export{f as Badge,c as Button,So as Select,Jo as Theme,Oo as ThemeContext,v as Dialog};",
    "badge.js": 'import s from"classnames";const o=()=>s("rt-reset","rt-Badge");export{o as Badge};',
    "button.js": 'import*as t from"react";import{BaseButton as p}from"./_internal/base-button.js";'
                 'const o=t.forwardRef(()=>p({className:"rt-Button"}));export{o as Button};',
    "_internal/base-button.js": 'import{baseButtonPropDefs as e}from"./base-button.props.js";'
                                'const b=()=>"rt-BaseButton";export{b as BaseButton};',
    "_internal/base-button.props.js": 'import{marginPropDefs as m}from"../../props/margin.props.js";'
                                      'const i={size:{type:"enum",className:"rt-r-size",values:["1","2"]},'
                                      'variant:{type:"enum",className:"rt-variant",values:["soft","solid"]},...m};'
                                      "export{i as baseButtonPropDefs};",
    "select.js": '"use client";import{useThemeContext as E}from"./theme.js";'
                 'const g=()=>"rt-SelectContent",u=()=>`rt-SelectTrigger ${x}`;export{g as Content,u as Trigger};',
    "theme.js": 'const R=()=>"radix-themes";export{R as Theme,R as ThemeContext};',
    "dialog.js": 'const d=()=>"rt-DialogContent";export{d as Dialog};',
}
PROPS = {"margin.props.js": 'const p={m:{type:"enum | string",className:"rt-r-m",values:["1"]}};'
                            "export{p as marginPropDefs};"}
CSS = {
    "tokens/base.css": ":root,.light,.light-theme{--shadow:1px}.dark,.dark-theme{--shadow:2px}"
                       "[data-accent-color='tomato']{--accent-9:var(--tomato-9)}"
                       "[data-accent-color='yellow']{--accent-9:var(--yellow-9)}"
                       "[data-accent-color]{color:var(--accent-9)}"
                       "@font-face{font-family:x;src:local(x)}",
    "tokens/colors/tomato.css": ":root,.light{--tomato-9:red}.dark,.dark-theme{--tomato-9:darkred}",
    "tokens/colors/sand.css": ":root,.light{--sand-9:tan}",
    "tokens/colors/yellow.css": ":root,.light{--yellow-9:gold}",
    "components.css": ".rt-Button{color:red}.rt-Dialog,.rt-DialogContent{top:0}"
                      ".rt-BaseButton:where(.rt-variant-soft){opacity:.5}"
                      ".rt-BaseButton:where(.rt-r-size-2),.rt-DialogContent .rt-BaseButton{padding:1px}"
                      ":is(.dark,.dark-theme) .rt-Button{color:pink}"
                      ".rt-Button:not(.rt-DialogContent,.dark){margin:0}"
                      ".rt-Badge:is(.rt-DialogContent,.rt-reset){border:0}"
                      ".rt-Badge:is(.rt-DialogContent){border:1px}"
                      ".rt-SelectTrigger:where(.rt-high-contrast){color:black}"
                      "@keyframes rt-fade{from{opacity:0}to{opacity:1}}"
                      "@media (hover:hover){.rt-DialogContent:hover{top:1px}.rt-Button:hover{color:blue}}"
                      "@media (min-width:520px){.rt-DialogContent{top:2px}}",
    "utilities.css": ".rt-r-m-1{margin:1px}.rt-r-p-1{padding:1px}"
                     "@media (min-width:520px){.xs\\:rt-r-m-1{margin:1px}}"
                     "@media (min-width:768px){.sm\\:rt-r-m-1{margin:1px}.sm\\:rt-r-size-2{font-size:2px}}"
                     ".rt-r-size-2{font-size:1px}.rx-Stack{display:flex}",
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> RadixPackage:
    root = tmp_path_factory.mktemp("radix") / "themes"
    for name, code in MODULES.items():
        path = root / "dist" / "esm" / "components" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
    for name, code in PROPS.items():
        (root / "dist" / "esm" / "props").mkdir(parents=True, exist_ok=True)
        (root / "dist" / "esm" / "props" / name).write_text(code)
    for name, css in CSS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(css)
    return RadixPackage(root)


def use(*components: str, breakpoints: tuple[str, ...] = (),
        colors: tuple[str, ...] = ("tomato", "sand")) -> StyleUse:
    return StyleUse(components=frozenset(components), breakpoints=frozenset(breakpoints), colors=frozenset(colors))


def selectors(css: str) -> set[str]:
    """Each kept selector, with the at-rule it sits in."""
    found: set[str] = set()

    def walk(rules: Any, where: str) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                for part in split_list(rule.prelude):
                    found.add(f"{where}{tinycss2.serialize(part).strip()}".replace('"', "'"))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword == "media":
                walk(tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True),
                     f"@media {tinycss2.serialize(rule.prelude).strip()} ")

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), "")
    return found


def test_a_component_is_found_through_the_index_whether_exported_by_name_or_as_a_namespace(
        package: RadixPackage) -> None:
    modules = component_modules(package, ["Button", "Select", "Theme"])
    assert [path.name for path in modules] == ["button.js", "select.js", "theme.js"]
    with pytest.raises(LookupError, match="no Carousel"):
        component_modules(package, ["Button", "Carousel"])


def test_the_class_names_are_read_from_the_components_and_everything_they_import(package: RadixPackage) -> None:
    names = class_names(package, ["Button"])
    # its own class, its internal base's, and the prop classes of the props files it imports
    assert {"rt-Button", "rt-BaseButton", "rt-r-size", "rt-variant", "rt-r-m"} <= names
    assert "rt-DialogContent" not in names and "rt-Badge" not in names
    # a namespace's parts, with a class name inside a template string
    assert {"rt-SelectContent", "rt-SelectTrigger"} <= class_names(package, ["Select"])


def test_rules_for_components_the_pages_do_not_use_are_dropped_and_the_rest_kept(package: RadixPackage) -> None:
    kept = selectors(stylesheet(package, use("Button", "Badge", "Theme")))
    assert ".rt-Button" in kept and ".rt-BaseButton:where(.rt-variant-soft)" in kept
    assert ".rt-BaseButton:where(.rt-r-size-2)" in kept  # a prop value's class, built at run time
    assert not {s for s in kept if "rt-Dialog" in s.split(":not")[0] and ":is" not in s}  # only as a :not()
    assert ".rt-Button:not(.rt-DialogContent,.dark)" in kept  # an absent class in :not() narrows, it does not rule out
    assert ".rt-Badge:is(.rt-DialogContent,.rt-reset)" in kept  # one possible alternative is enough
    assert ".rt-Badge:is(.rt-DialogContent)" not in kept
    assert ".rt-SelectTrigger:where(.rt-high-contrast)" not in kept
    assert "@media (hover:hover) .rt-Button:hover" in kept and "@media (hover:hover) .rt-DialogContent:hover" not in kept
    assert not any("520px" in s for s in kept)  # the media rule left empty goes with its last rule
    assert ".rx-Stack" in kept  # not Radix's: left alone
    css = stylesheet(package, use("Button", "Theme"))
    assert "@keyframes rt-fade" in css and "@font-face" in css


def test_responsive_classes_are_kept_only_for_the_breakpoints_the_props_name(package: RadixPackage) -> None:
    kept = selectors(stylesheet(package, use("Button", breakpoints=("sm",))))
    assert "@media (min-width:768px) .sm\\:rt-r-m-1" in kept and ".rt-r-m-1" in kept
    assert "@media (min-width:768px) .sm\\:rt-r-size-2" in kept
    assert not any("xs\\:" in s for s in kept)
    assert any("xs\\:" in s for s in selectors(stylesheet(package, use("Button", breakpoints=("xs", "sm")))))
    assert ".rt-r-p-1" not in kept  # padding props belong to no component used here


def test_the_dark_tokens_are_kept_because_the_browser_picks_the_colour_mode(package: RadixPackage) -> None:
    kept = selectors(stylesheet(package, use("Button")))
    assert {".light", ".dark", ".dark-theme", ":is(.dark,.dark-theme) .rt-Button"} <= kept


def test_accent_colours_whose_scale_is_not_loaded_are_dropped(package: RadixPackage) -> None:
    kept = selectors(stylesheet(package, use("Button")))
    assert "[data-accent-color='tomato']" in kept and "[data-accent-color]" in kept
    assert "[data-accent-color='yellow']" not in kept
    css = stylesheet(package, use("Button", colors=("tomato",)))
    assert "--tomato-9:red" in css and "--sand-9" not in css  # only the loaded scales' files


def test_the_colour_scales_come_before_the_base_tokens_so_the_themes_gray_wins(package: RadixPackage) -> None:
    css = stylesheet(package, use("Button"))
    assert css.index("--sand-9:tan") < css.index("[data-accent-color=") < css.index(".rt-Button")


def test_the_stylesheet_says_what_it_was_cut_for(package: RadixPackage) -> None:
    css = stylesheet(package, use("Button", "Theme", breakpoints=("md", "sm")))
    assert used_by(css) == (frozenset({"Button", "Theme"}), frozenset({"md", "sm"}))
    with pytest.raises(ValueError):
        used_by(".rt-Button{}")


def test_a_stylesheet_the_parser_cannot_read_fails_the_compile_rather_than_losing_rules() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        trim(".rt-Button{color:red} .rt-Badge", lambda selector: True)


COMPONENTS = ["Badge", "Button", "Select", "Theme", "Dialog"]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(COMPONENTS)), st.sets(st.sampled_from(COMPONENTS)),
       st.sets(st.sampled_from(sorted(BREAKPOINTS))), st.sets(st.sampled_from(sorted(BREAKPOINTS))))
def test_using_more_never_keeps_fewer_rules(package: RadixPackage, small: set[str], extra: set[str],
                                            bps: set[str], more_bps: set[str]) -> None:
    less = selectors(stylesheet(package, use(*small, breakpoints=tuple(bps))))
    more = selectors(stylesheet(package, use(*(small | extra), breakpoints=tuple(bps | more_bps))))
    assert less <= more
    everything = selectors(stylesheet(package, use(*COMPONENTS, breakpoints=tuple(BREAKPOINTS),
                                                   colors=("tomato", "sand", "yellow"))))
    assert more <= everything


class Page(rx.State):
    layout: str = "row"
    text: str = ""
    items: list[str] = ["a"]
    href: str = "/a"

    @rx.event
    def set_text(self, value: str) -> None:
        self.text = value


def test_a_literal_responsive_prop_names_its_breakpoints_and_a_value_only_the_page_knows_names_them_all() -> None:
    assert breakpoints_in(rx.flex(direction=rx.breakpoints(initial="column", sm="row")).direction) == {"sm"}
    assert breakpoints_in(rx.flex(direction=Page.layout).direction) == set()  # a string: never responsive
    either = rx.grid(columns=rx.cond(Page.layout == "row", rx.breakpoints(initial="1", md="2"), "3"))
    assert breakpoints_in(either.columns) == BREAKPOINTS


def test_the_usage_counts_the_radix_components_a_wrapper_renders_and_the_props_it_passes_on() -> None:
    usage = Usage()
    field = rx.debounce_input(rx.text_area(size=rx.breakpoints(initial="1", md="2"), value=Page.text,
                                           on_change=Page.set_text), debounce_timeout=300)
    usage.add(field)
    usage.add(rx.select.root(rx.select.trigger(), size="2"))
    usage.add(rx.el.div("plain"))
    assert usage.components == {"TextArea", "Select", "Theme"}
    assert usage.breakpoints == {"md"}


def test_a_page_counts_what_it_renders_under_a_snapshot_boundary_the_compiler_does_not_walk() -> None:
    plugin = theme_plugin()
    page = rx.box(
        rx.foreach(Page.items, lambda item: rx.badge(item)),  # a foreach over state is memoised whole
        rx.link(rx.flex(rx.text("x"), direction=rx.breakpoints(initial="column", xl="row")), href=Page.href),
    )
    hooks = CompilerHooks(plugins=default_page_plugins(plugins=(plugin,)))
    compile_context = CompileContext(pages=[], hooks=hooks)
    page_context = PageContext(name="page", route="/page", root_component=page)
    with compile_context, page_context:
        hooks.compile_component(page, page_context=page_context, compile_context=compile_context)
    use = plugin.style_use()
    assert {"Badge", "Flex", "Text", "Link", "Box", "Theme"} <= use.components
    assert use.breakpoints == {"xl"}


def test_the_theme_loads_one_generated_stylesheet_and_none_when_disabled() -> None:
    plugin = theme_plugin()
    assert plugin.get_stylesheet_paths() == (f"./{STYLESHEET}",)
    assert LeanRadixThemes(enabled=False).get_stylesheet_paths() == ()
    assert LeanRadixThemes(enabled=False).get_static_assets() == []
    assert plugin.style_use().colors == set(THEME_COLORS)
