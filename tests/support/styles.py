"""Does the app's trimmed CSS draw a page exactly as Radix's whole bundle would?

The app ships Radix Themes cut down to what its pages use (bookbug/components/radix_css.py).
`drawn_as_with_the_whole_bundle` answers for one page as it stands: it reads every element's
computed style (and its ::before and ::after), swaps the app's stylesheet for the same sheet built
with Radix's whole `styles.css`, reads them again and puts the app's stylesheet back, all in one
synchronous step so nothing on the page changes in between.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from bookbug.settings import ROOT

COMPARE = """(whole) => {
  const sheet = [...document.querySelectorAll('link[rel=stylesheet]')]
    .find((link) => link.href.includes('__reflex_global_styles'));
  if (!sheet) return {error: 'the page has no app stylesheet'};
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 4).map((c) => '.' + c).join('');
  const read = () => {
    for (const animation of document.getAnimations()) { animation.pause(); animation.currentTime = 0; }
    const styles = [];
    for (const el of [document.documentElement, document.body, ...document.body.querySelectorAll('*')]) {
      for (const pseudo of [null, '::before', '::after']) {
        const computed = getComputedStyle(el, pseudo);
        const values = {};
        for (let i = 0; i < computed.length; i++) values[computed[i]] = computed.getPropertyValue(computed[i]);
        styles.push([describe(el) + (pseudo || ''), values]);
      }
    }
    return styles;
  };
  const trimmed = read();
  const replacement = document.createElement('style');
  replacement.textContent = whole;
  sheet.before(replacement);
  sheet.disabled = true;
  const full = read();
  sheet.disabled = false;
  replacement.remove();
  for (const animation of document.getAnimations()) animation.play();
  const differences = [];
  if (trimmed.length !== full.length) return {error: 'the page changed while it was read'};
  for (let i = 0; i < trimmed.length && differences.length < 12; i++) {
    const [what, ours] = trimmed[i];
    const theirs = full[i][1];
    for (const property of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      // a custom property keeps its text as written (the bundler shortens #ffffffcc to #fffc); what
      // it does shows in the properties that use it
      if (property.startsWith('--')) continue;
      if (ours[property] !== theirs[property]) {
        differences.push(`${what} ${property}: ${ours[property]} (whole bundle: ${theirs[property]})`);
        break;
      }
    }
  }
  return {differences, elements: trimmed.length / 3};
}"""


@cache
def whole_bundle_stylesheet(web: Path) -> str:
    """The root stylesheet of the app compiled into `web` as it would be with Radix's whole bundle:
    reset, Radix, the app's own."""
    order = (web / "styles" / "__reflex_global_styles.css").read_text()
    assert "./radix-themes.css" in order, f"the app does not load the trimmed sheet: {order}"
    parts = ["@layer __reflex_base;", (web / "styles" / "__reflex_style_reset.css").read_text(),
             (web / "node_modules" / "@radix-ui" / "themes" / "styles.css").read_text(),
             (ROOT / "assets" / "bookbug.css").read_text()]
    return "\n".join(parts)


def drawn_as_with_the_whole_bundle(page: Any, web: Path, what: str) -> None:
    """`page`, served by the app compiled into `web`, draws as it would with Radix's whole CSS."""
    result = page.evaluate(COMPARE, whole_bundle_stylesheet(web))
    assert "error" not in result, f"{what}: {result['error']}"
    assert result["elements"] > 10, f"{what}: read only {result['elements']} elements"
    assert result["differences"] == [], f"{what}: drawn differently than with Radix's whole CSS:\n" + "\n".join(
        result["differences"])
