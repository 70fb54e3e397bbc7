"""Markdown written by signed-in people (coordinator notes, later reflections and feedback).

Markdown first, then bleach with an explicit allowlist: whatever the Markdown produced, only
these tags, attributes and link protocols survive, comments are stripped and every link gets
rel="nofollow noopener". Results are cached by the text itself, so each text renders once.
"""
from functools import lru_cache

import bleach
import markdown
from bleach.linkifier import Linker
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4", "h5", "h6"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _force_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_force_rel], skip_tags={"pre", "code"}, parse_email=False)


@lru_cache(maxsize=2048)
def render_user_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=["fenced_code", "nl2br", "sane_lists"], output_format="html")
    return Markup(_linker.linkify(_cleaner.clean(html)))


def render_plain_text(text: str | None) -> Markup:
    """Text from the public forms: escaped, line breaks kept as <br>, never Markdown. No raw
    newlines remain, so component macros that indent their HTML cannot add spaces to it."""
    if not text:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in text.replace("\r\n", "\n").split("\n"))
