"""The one Markdown renderer: Markdown → bleach allowlist → Markup.

Course files and people's text (reflections, evidence, feedback, notes) both pass through here.
Course HTML is rendered once per content version by the loader; user text is cached by a hash
of the text, so a page never renders the same text twice.
"""
import hashlib
import re
from functools import lru_cache

import bleach
import markdown
from markupsafe import Markup, escape

# No attr_list (lets authors add event handlers), no md_in_html, no raw HTML passes the cleaner.
COURSE_EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "sane_lists"]
USER_EXTENSIONS = ["fenced_code", "sane_lists"]
EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "toc": {"permalink": False, "toc_depth": "2-3"},
}

_COMMON_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre", "blockquote",
    "h3", "h4", "h5", "h6",
}
COURSE_TAGS = frozenset(_COMMON_TAGS | {"h2", "table", "thead", "tbody", "tr", "th", "td", "div"})
USER_TAGS = frozenset(_COMMON_TAGS)
PROTOCOLS = frozenset({"http", "https", "mailto"})
ADMONITION_CLASSES = frozenset({"admonition", "admonition-title", "note", "tip", "warning", "important", "info"})


def _course_attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag in {"h2", "h3", "h4"} and name == "id":
        return re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,80}", value) is not None
    if tag in {"th", "td"} and name == "align":
        return value in {"left", "right", "center"}
    if tag in {"div", "p"} and name == "class":
        return all(part in ADMONITION_CLASSES for part in value.split())
    if tag == "ol" and name == "start":
        return value.isdigit()
    return False


def _user_attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag == "ol" and name == "start":
        return value.isdigit()
    return False


_course_cleaner = bleach.Cleaner(
    tags=COURSE_TAGS, attributes=_course_attribute_allowed, protocols=PROTOCOLS, strip=True, strip_comments=True
)
_user_cleaner = bleach.Cleaner(
    tags=USER_TAGS, attributes=_user_attribute_allowed, protocols=PROTOCOLS, strip=True, strip_comments=True
)


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_linker = bleach.Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def markdown_to_html(text: str, *, course: bool) -> str:
    """Unsanitised Markdown output. Only the loader's checks should need this directly."""
    return markdown.markdown(
        text,
        extensions=COURSE_EXTENSIONS if course else USER_EXTENSIONS,
        extension_configs=EXTENSION_CONFIGS if course else {},
        output_format="html",
    )


def sanitise_course_html(html: str) -> str:
    return _course_cleaner.clean(html)


def sanitise_user_html(html: str) -> str:
    """Allowlisted tags only; every link gets rel="nofollow noopener" (bare URLs become links)."""
    return _linker.linkify(_user_cleaner.clean(html))


def render_course_markdown(text: str) -> Markup:
    return Markup(sanitise_course_html(markdown_to_html(text, course=True)))


@lru_cache(maxsize=4096)
def _render_user_cached(digest: str, text: str) -> str:
    return sanitise_user_html(markdown_to_html(text, course=False))


def render_user_markdown(text: str | None) -> Markup:
    """People's text: reflections, evidence, feedback, notes."""
    if not text:
        return Markup("")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Markup(_render_user_cached(digest, text))


def content_version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def render_plain_text(text: str | None) -> Markup:
    """Text from the public forms: escaped, line breaks kept as <br>, never Markdown. No raw
    newlines remain, so component macros that indent their HTML cannot add spaces to it."""
    if not text:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in text.replace("\r\n", "\n").split("\n"))
