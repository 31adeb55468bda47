"""Accessibility checks run in the page (issue 12), shared by the walk and the keyboard tests.

Each returns a list of problems in words (empty when the page passes), so a caller can collect them
over many pages and report them together.
"""

from __future__ import annotations

from functools import cache
from typing import Any

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow
ZOOM_200 = {"width": 640, "height": 450}  # the desktop window at 200 % zoom
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
TAP = 44  # CSS px, the smallest tap target on a phone

# Controls smaller than a finger at phone width. Links inside running text are exempt (WCAG 2.5.5's
# "inline" exception); a box to tick counts together with its label.
_SMALL_TARGETS = """min => {
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.visually-hidden, [hidden], [aria-hidden=true], .skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    let r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]'));
      if (label) {
        const l = label.getBoundingClientRect();
        r = {width: Math.max(r.right, l.right) - Math.min(r.left, l.left),
             height: Math.max(r.bottom, l.bottom) - Math.min(r.top, l.top)};
      }
    }
    if (style.display === 'inline' && el.tagName === 'A') {
      const block = el.parentElement.closest('p, li, dd, td, div, span');
      if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
    }
    if (r.height < min - 0.5 || r.width < min - 0.5) {
      const name = (el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 20);
      out.push(el.tagName.toLowerCase() + ' "' + name + '" ' + Math.round(r.width) + 'x' + Math.round(r.height));
    }
  }
  return [...new Set(out)];
}"""

# Reflow: nothing wider than the window; a part that scrolls sideways is a labelled region that the
# keyboard can reach (role=region, a name, tabindex=0).
_REFLOW = """width => {
  const out = [];
  const wide = document.documentElement.scrollWidth;
  if (wide > width + 1) out.push('page is ' + wide + 'px wide');
  for (const el of document.querySelectorAll('body *')) {
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    if (!(el.getAttribute('role') === 'region' && named && el.tabIndex === 0)) {
      out.push('unlabelled scrolling ' + el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.'));
    }
  }
  return [...new Set(out)];
}"""

# Every id an attribute points at is on the page, and every field's help text is read with its field.
_REFERENCES = """() => {
  const out = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) out.push(attr + ' of ' + el.tagName.toLowerCase() + ' names a missing id ' + id);
      }
    }
  }
  for (const help of document.querySelectorAll('[id$="_helptext"]')) {
    if (!document.querySelector('[aria-describedby~="' + help.id + '"]')) out.push('help text ' + help.id + ' belongs to no field');
  }
  return out;
}"""

# The focused element shows a focus ring and is not hidden behind anything (a sticky bar, the header).
_FOCUS = """() => {
  const el = document.activeElement;
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '')
    + ' "' + (e.textContent || e.value || '').trim().slice(0, 20) + '"';
  if (!el || el === document.body) return 'the focus is on <body>';
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  if (!ring) return 'no visible focus on ' + name(el) + ' (outline ' + s.outlineStyle + ' ' + s.outlineWidth + ')';
  const r = el.getBoundingClientRect();
  if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return name(el) + ' is off screen';
  const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 20), 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const labels = el.labels ? [...el.labels] : [];
  if (hit && (hit === el || el.contains(hit) || labels.some(l => l.contains(hit)))) return '';
  return name(el) + ' is hidden behind ' + (hit ? name(hit) : 'nothing');
}"""


@cache
def axe_script() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_script())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def small_targets(page: Any) -> list[str]:
    return list(page.evaluate(_SMALL_TARGETS, TAP))


def reflow_problems(page: Any, width: int) -> list[str]:
    return list(page.evaluate(_REFLOW, width))


def broken_references(page: Any) -> list[str]:
    return list(page.evaluate(_REFERENCES))


def focus_problem(page: Any) -> str:
    """'' when the focused element shows its focus and can be seen; else what is wrong."""
    return str(page.evaluate(_FOCUS))


def page_problems(page: Any) -> list[str]:
    """Everything the walk checks on one page beyond axe: references at the current size, tap targets
    at phone width (also with 大字版), reflow at 320 px and at 200 % zoom. Leaves the window at
    desktop size."""
    found = broken_references(page)
    page.set_viewport_size(PHONE)
    found += [f"[390px] {t}" for t in small_targets(page)]
    added = page.evaluate("!document.documentElement.classList.contains('large-text')")
    page.evaluate("document.documentElement.classList.add('large-text')")
    found += [f"[390px 大字版] {p}" for p in reflow_problems(page, PHONE["width"])]
    if added:
        page.evaluate("document.documentElement.classList.remove('large-text')")
    for size in (NARROW, ZOOM_200):
        page.set_viewport_size(size)
        found += [f"[{size['width']}px] {p}" for p in reflow_problems(page, size["width"])]
    page.set_viewport_size(DESKTOP)
    return found
