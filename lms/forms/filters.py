"""Input filters every text field uses: no control characters (a NUL would also break
PostgreSQL), one-line answers on one line, browsers' CRLF as one line break."""
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(value):
    """No control characters in a one-line answer or a query-string value."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value).replace("\r", " ").replace("\n", " ").replace("\t", " ")


def clean_text(value):
    """Multi-line answers: browsers send CRLF, the character count counts one per line break."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def query_text(args, name: str, max_length: int = 200) -> str:
    """A free-text query-string value, cleaned and bounded: safe to put in a query."""
    return " ".join(clean_line(args.get(name, "")).split())[:max_length]
