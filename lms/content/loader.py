"""Load programmes and modules from content/ into immutable objects, checking them as we go.

content/<programme>/programme.toml   title, summary, audience, requires, certificate_valid_years,
                                     [[competencies]] id, title, description, evidence_guidance
content/<programme>/NN-<slug>.md     +++ TOML front matter +++ then Markdown
"""
import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup

from lms.content.render import COURSE_TAGS, content_version, markdown_to_html, sanitise_course_html

MODULE_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(?P<toml>.*?)\n\+\+\+[ \t]*\n", re.DOTALL)
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*[^>]*>|<!--")
INTERNAL_LINK = re.compile(r"^/(learn|programmes)/")


@dataclass(frozen=True)
class Competency:
    id: str
    title: str
    description: str
    evidence_guidance: str


@dataclass(frozen=True)
class Heading:
    id: str
    title: str
    level: int


@dataclass(frozen=True)
class Module:
    programme_slug: str
    slug: str
    number: int
    title: str
    summary: str
    minutes: int
    competency_ids: tuple[str, ...]
    version: str
    html: Markup
    headings: tuple[Heading, ...]
    path: str


@dataclass(frozen=True)
class Programme:
    slug: str
    title: str
    summary: str
    audience: str
    requires: tuple[str, ...]
    certificate_valid_years: int
    competencies: tuple[Competency, ...]
    modules: tuple[Module, ...]

    @property
    def total_minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    def module(self, slug: str) -> Module | None:
        return next((module for module in self.modules if module.slug == slug), None)

    def competency(self, competency_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == competency_id), None)

    def neighbours(self, module: Module) -> tuple[Module | None, Module | None]:
        index = self.modules.index(module)
        previous = self.modules[index - 1] if index > 0 else None
        following = self.modules[index + 1] if index + 1 < len(self.modules) else None
        return previous, following


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Catalogue:
    programmes: dict[str, Programme] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def programme(self, slug: str) -> Programme | None:
        return self.programmes.get(slug)

    def ordered(self) -> list[Programme]:
        """Programmes with prerequisites after the programmes they require."""
        return sorted(self.programmes.values(), key=lambda p: (len(p.requires), p.title))


class _Structure(HTMLParser):
    """Collects tags, attributes, links and headings from rendered Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[Heading] = []
        self._heading: tuple[str, int] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in {"h2", "h3"} and attributes.get("id"):
            self._heading = (attributes["id"], int(tag[1]))
            self._text = []

    def handle_endtag(self, tag):
        if self._heading and tag in {"h2", "h3"}:
            self.headings.append(Heading(self._heading[0], "".join(self._text).strip(), self._heading[1]))
            self._heading = None

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _raw_html_lines(text: str) -> list[int]:
    """Lines outside fenced code and inline code spans that contain HTML tags or comments."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        without_code = re.sub(r"`[^`]*`", "", line)
        if RAW_HTML.search(without_code):
            lines.append(number)
    return lines


def _load_programme_file(path: Path, problems: list[Problem]) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        problems.append(Problem(str(path), getattr(error, "lineno", None), f"cannot read programme.toml: {error}"))
        return None
    for key in ("title", "summary", "audience"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(Problem(str(path), None, f"missing or empty '{key}'"))
    years = data.get("certificate_valid_years")
    if not isinstance(years, int) or years < 1:
        problems.append(Problem(str(path), None, "'certificate_valid_years' must be a whole number of years, 1 or more"))
    if not isinstance(data.get("requires", []), list):
        problems.append(Problem(str(path), None, "'requires' must be a list of programme slugs"))
    return data


def _competencies(path: Path, data: dict, problems: list[Problem]) -> tuple[Competency, ...]:
    text = path.read_text(encoding="utf-8")
    found, seen = [], set()
    for entry in data.get("competencies", []):
        ident = entry.get("id", "") if isinstance(entry, dict) else ""
        line = _line_of(text, f'"{ident}"') if ident else None
        missing = [k for k in ("id", "title", "description", "evidence_guidance") if not str(entry.get(k, "")).strip()] if isinstance(entry, dict) else ["id"]
        if missing:
            problems.append(Problem(str(path), line, f"competency {ident or '(no id)'} is missing {', '.join(missing)}"))
            continue
        if not SLUG.match(ident):
            problems.append(Problem(str(path), line, f"competency id '{ident}' must be lower-case words joined by hyphens"))
        if ident in seen:
            problems.append(Problem(str(path), line, f"duplicate competency id '{ident}'"))
            continue
        seen.add(ident)
        found.append(Competency(ident, entry["title"].strip(), entry["description"].strip(), entry["evidence_guidance"].strip()))
    if not found:
        problems.append(Problem(str(path), None, "a programme needs at least one competency"))
    return tuple(found)


def _load_module(path: Path, programme_slug: str, competency_ids: set[str], problems: list[Problem]) -> Module | None:
    match = MODULE_FILE.match(path.name)
    if not match:
        problems.append(Problem(str(path), None, "module file names must look like NN-lower-case-slug.md"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, "module is not UTF-8 text"))
        return None
    front = FRONT_MATTER.match(text)
    if not front:
        problems.append(Problem(str(path), 1, "missing front matter: start the file with +++, TOML, +++"))
        return None
    try:
        meta = tomllib.loads(front.group("toml"))
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(str(path), (getattr(error, "lineno", 0) or 0) + 1, f"front matter is not valid TOML: {error}"))
        return None
    ok = True
    for key in ("title", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(Problem(str(path), None, f"front matter is missing '{key}'"))
            ok = False
    minutes = meta.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 600:
        problems.append(Problem(str(path), _line_of(text, "minutes"), "'minutes' must be a whole number from 1 to 600"))
        ok = False
    competencies = meta.get("competencies", [])
    if not isinstance(competencies, list) or not all(isinstance(c, str) for c in competencies):
        problems.append(Problem(str(path), _line_of(text, "competencies"), "'competencies' must be a list of competency ids"))
        ok = False
        competencies = []
    for ident in competencies:
        if ident not in competency_ids:
            problems.append(Problem(str(path), _line_of(text, f'"{ident}"'), f"unknown competency id '{ident}'"))
            ok = False
    body = text[front.end():]
    body_offset = text[: front.end()].count("\n")
    raw_html_lines = _raw_html_lines(body)
    for line in raw_html_lines:
        problems.append(Problem(str(path), body_offset + line, "raw HTML is not allowed: the sanitiser drops it"))
        ok = False
    unsafe = markdown_to_html(body, course=True)
    clean = sanitise_course_html(unsafe)
    if not raw_html_lines:  # Markdown itself emitting a tag we do not allow (no line to point at)
        for tag, _attributes in _structure(unsafe).tags:
            if tag not in COURSE_TAGS:
                problems.append(Problem(str(path), None, f"<{tag}> is not allowed: the sanitiser drops it"))
                ok = False
    structure = _structure(clean)
    clean = _wrap_tables(clean)
    if not ok:
        return None
    return Module(
        programme_slug=programme_slug,
        slug=match.group("slug"),
        number=int(match.group("number")),
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        minutes=minutes,
        competency_ids=tuple(competencies),
        version=content_version(raw),
        html=Markup(clean),
        headings=tuple(h for h in structure.headings if h.level == 2),
        path=str(path),
    )


def _wrap_tables(html: str) -> str:
    """Wide tables scroll sideways on a phone inside a focusable, labelled region (WCAG 2.1.1).
    Applied after sanitising, to markup we generated ourselves."""
    counter = iter(range(1, 1000))
    html = re.sub(
        r"<table>",
        lambda _m: f'<div class="app-table-scroll" tabindex="0" role="region" aria-label="Table {next(counter)}, scrolls sideways"><table class="nhsuk-table">',
        html,
    )
    return html.replace("</table>", "</table></div>")


def _link_problems(programmes: dict[str, Programme]) -> list[Problem]:
    problems = []
    for programme in programmes.values():
        for module in programme.modules:
            body = Path(module.path).read_text(encoding="utf-8")
            for tag, attributes in _structure(str(module.html)).tags:
                href = attributes.get("href") or ""
                if tag != "a" or not INTERNAL_LINK.match(href):
                    continue
                path = href.split("#", 1)[0].split("?", 1)[0].rstrip("/")
                parts = path.strip("/").split("/")
                resolved = False
                if parts[0] == "programmes" and len(parts) == 2:
                    resolved = parts[1] in programmes
                elif parts[0] == "learn" and len(parts) == 3:
                    target = programmes.get(parts[1])
                    resolved = target is not None and (target.module(parts[2]) is not None or parts[2] == "competencies")
                if not resolved:
                    problems.append(Problem(module.path, _line_of(body, href), f"broken internal link {href}"))
    return problems


def load_catalogue(content_dir: str | Path) -> Catalogue:
    """Every programme under content_dir, with every problem found. Broken modules are left out."""
    root = Path(content_dir)
    problems: list[Problem] = []
    programmes: dict[str, Programme] = {}
    if not root.is_dir():
        return Catalogue({}, (Problem(str(root), None, "content folder not found"),))
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        programme_file = folder / "programme.toml"
        if not programme_file.exists():
            continue
        if not SLUG.match(folder.name):
            problems.append(Problem(str(folder), None, "programme folder names must be lower-case words joined by hyphens"))
            continue
        data = _load_programme_file(programme_file, problems)
        if data is None:
            continue
        competencies = _competencies(programme_file, data, problems)
        ids = {c.id for c in competencies}
        modules: list[Module] = []
        for path in sorted(folder.glob("*.md")):
            module = _load_module(path, folder.name, ids, problems)
            if module is None:
                continue
            clash = next((m for m in modules if m.slug == module.slug or m.number == module.number), None)
            if clash:
                what = "slug" if clash.slug == module.slug else "number"
                problems.append(Problem(str(path), None, f"duplicate module {what}: also used by {Path(clash.path).name}"))
                continue
            modules.append(module)
        if not modules:
            problems.append(Problem(str(folder), None, "a programme needs at least one module"))
        covered = {ident for module in modules for ident in module.competency_ids}
        for competency in competencies:
            if competency.id not in covered:
                problems.append(Problem(str(programme_file), None, f"no module supports competency '{competency.id}'"))
        programmes[folder.name] = Programme(
            slug=folder.name,
            title=str(data.get("title", folder.name)).strip(),
            summary=str(data.get("summary", "")).strip(),
            audience=str(data.get("audience", "")).strip(),
            requires=tuple(data.get("requires", []) if isinstance(data.get("requires", []), list) else []),
            certificate_valid_years=data.get("certificate_valid_years", 3) if isinstance(data.get("certificate_valid_years"), int) else 3,
            competencies=competencies,
            modules=tuple(modules),
        )
    for programme in programmes.values():
        for required in programme.requires:
            if required not in programmes:
                problems.append(Problem(str(root / programme.slug / "programme.toml"), None, f"requires unknown programme '{required}'"))
    problems.extend(_link_problems(programmes))
    return Catalogue(programmes, tuple(problems))
