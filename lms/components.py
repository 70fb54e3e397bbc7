"""NHS.UK frontend macros, rendered through one cache.

The Jinja port of the design system is accurate but slow (a header costs ~2 ms). A macro's
output depends only on its params, so identical params (the footer, the same buttons and the
same header for the same person) are rendered once per worker. Values that change on every
request (CSRF tokens) are passed as placeholders and filled in after the cached render.
"""
import json
import threading

from flask import current_app
from markupsafe import Markup

MACROS = {
    "header": ("nhsuk/components/header/macro.jinja", "header"),
    "footer": ("nhsuk/components/footer/macro.jinja", "footer"),
    "button": ("nhsuk/components/button/macro.jinja", "button"),
    "input": ("nhsuk/components/input/macro.jinja", "input"),
    "passwordInput": ("nhsuk/components/password-input/macro.jinja", "passwordInput"),
    "textarea": ("nhsuk/components/textarea/macro.jinja", "textarea"),
    "characterCount": ("nhsuk/components/character-count/macro.jinja", "characterCount"),
    "radios": ("nhsuk/components/radios/macro.jinja", "radios"),
    "checkboxes": ("nhsuk/components/checkboxes/macro.jinja", "checkboxes"),
    "select": ("nhsuk/components/select/macro.jinja", "select"),
    "dateInput": ("nhsuk/components/date-input/macro.jinja", "dateInput"),
}
MAX_ENTRIES = 4096
CSRF_PLACEHOLDER = "__LMS_CSRF_TOKEN__"

_cache: dict[tuple[str, str], Markup] = {}
_lock = threading.Lock()


def _key(value):
    """A JSON key that keeps Markup and str apart (the macros treat them differently)."""
    if isinstance(value, Markup):
        return {"__markup__": str(value)}
    if isinstance(value, dict):
        return {str(k): _key(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_key(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"__repr__": repr(value)}


def render_component(component: str, params: dict, **fill: str) -> Markup:
    """Render an NHS.UK component macro; `fill` replaces placeholders after rendering."""
    key = (component, json.dumps(_key(params), sort_keys=True))
    html = _cache.get(key)
    if html is None:
        template_name, macro_name = MACROS[component]
        module = current_app.jinja_env.get_template(template_name).module
        html = Markup(getattr(module, macro_name)(params))
        with _lock:
            if len(_cache) >= MAX_ENTRIES:
                _cache.clear()
            _cache[key] = html
    for placeholder, value in fill.items():
        html = Markup(str(html).replace(placeholder, str(Markup.escape(value))))
    return html
