"""Loading, rendering and checking course content."""
import dataclasses
import shutil
import textwrap
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.content import catalogue
from lms.content.loader import load_catalogue

SHIPPED = PROJECT_ROOT / "content"


def run_check(app, content_dir):
    return app.test_cli_runner().invoke(args=["lms", "check-content", "--content-dir", str(content_dir)])


def test_check_content_passes_on_the_shipped_content(app):
    result = run_check(app, SHIPPED)
    assert result.exit_code == 0, result.output
    assert "Content OK: 2 programmes" in result.output


def test_shipped_programmes_have_the_modules_and_competencies_the_design_asks_for(app):
    facilitator = catalogue().programme("facilitator")
    trainer = catalogue().programme("train-the-trainer")
    assert len(facilitator.modules) >= 8 and 8 <= len(facilitator.competencies) <= 10
    assert len(trainer.modules) >= 6 and 6 <= len(trainer.competencies) <= 8
    assert trainer.requires == ("facilitator",)


def test_every_shipped_module_is_700_to_1500_words(app):
    for programme in catalogue().programmes.values():
        for module in programme.modules:
            words = len(Path(module.path).read_text(encoding="utf-8").split("+++", 2)[2].split())
            assert 700 <= words <= 1500, f"{module.path}: {words} words"


def test_modules_are_ordered_by_their_number_prefix(app):
    numbers = [module.number for module in catalogue().programme("facilitator").modules]
    assert numbers == sorted(numbers)
    assert catalogue().programme("facilitator").modules[0].slug == "the-healthcare-leadership-model"


def test_loaded_content_is_immutable(app):
    module = catalogue().programme("facilitator").modules[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        module.title = "changed"


def test_content_version_is_a_hash_of_the_file_and_changes_with_it(app, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHIPPED, content)
    before = load_catalogue(content).programme("facilitator").modules[0].version
    path = next((content / "facilitator").glob("01-*.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    after = load_catalogue(content).programme("facilitator").modules[0].version
    assert before != after and len(after) == 16


def test_module_pages_do_not_run_markdown(app, client, make_user, make_cohort, enrol, monkeypatch):
    import lms.content.render as render

    trainee = make_user()
    enrol(trainee, make_cohort())
    from tests.conftest import sign_in

    sign_in(client, trainee)

    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown ran during a request")

    monkeypatch.setattr(render.markdown, "markdown", forbidden)
    assert client.get("/learn/facilitator/the-healthcare-leadership-model").status_code == 200


# --- check-content fails on each kind of broken module ---------------------------------------


def make_content(tmp_path, module_text: str, extra_modules: dict | None = None) -> Path:
    root = tmp_path / "content" / "demo"
    root.mkdir(parents=True)
    (root / "programme.toml").write_text(
        textwrap.dedent(
            """
            title = "Demo"
            summary = "A demo programme."
            audience = "Testers."
            requires = []
            certificate_valid_years = 3

            [[competencies]]
            id = "listens-well"
            title = "Listens well"
            description = "Listens."
            evidence_guidance = "An observed session."
            """
        ),
        encoding="utf-8",
    )
    (root / "01-first.md").write_text(textwrap.dedent(module_text).lstrip(), encoding="utf-8")
    for name, text in (extra_modules or {}).items():
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return tmp_path / "content"


GOOD = textwrap.dedent("""
    +++
    title = "First"
    summary = "The first module."
    minutes = 10
    competencies = ["listens-well"]
    +++

    ## Hello

    See [the next one](/learn/demo/second) and [the overview](/programmes/demo).
    """).lstrip()
SECOND = {
    "02-second.md": """
    +++
    title = "Second"
    summary = "The second module."
    minutes = 5
    competencies = []
    +++

    ## More
    """
}


def test_a_well_formed_programme_passes(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD, SECOND))
    assert result.exit_code == 0, result.output


def test_missing_title_is_reported(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD.replace('title = "First"\n', ""), SECOND))
    assert result.exit_code == 1
    assert "01-first.md: front matter is missing 'title'" in result.output


def test_missing_front_matter_is_reported_with_the_line(app, tmp_path):
    result = run_check(app, make_content(tmp_path, "## No front matter\n\nText.\n", SECOND))
    assert result.exit_code == 1
    assert "01-first.md:1: missing front matter" in result.output


def test_unknown_competency_id_is_reported_with_its_line(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD.replace('["listens-well"]', '["listens-well", "flies"]'), SECOND))
    assert result.exit_code == 1
    assert "01-first.md:5: unknown competency id 'flies'" in result.output


def test_broken_internal_link_is_reported_with_its_line(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD.replace("/learn/demo/second", "/learn/demo/third"), SECOND))
    assert result.exit_code == 1
    assert "01-first.md:10: broken internal link /learn/demo/third" in result.output


def test_duplicate_slug_is_reported(app, tmp_path):
    duplicate = {**SECOND, "03-first.md": SECOND["02-second.md"]}
    result = run_check(app, make_content(tmp_path, GOOD, duplicate))
    assert result.exit_code == 1
    assert "03-first.md: duplicate module slug: also used by 01-first.md" in result.output


@pytest.mark.parametrize(
    "payload",
    ['<script>alert(1)</script>', '<img src=x onerror="alert(1)">', '<div onclick="x()">hi</div>', "<!-- hidden -->"],
)
def test_html_the_sanitiser_would_drop_is_reported(app, tmp_path, payload):
    result = run_check(app, make_content(tmp_path, GOOD + "\n" + payload + "\n", SECOND))
    assert result.exit_code == 1
    assert "raw HTML is not allowed" in result.output


def test_html_inside_code_is_allowed(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD + "\nWrite `<p>` for a paragraph.\n\n```\n<div>example</div>\n```\n", SECOND))
    assert result.exit_code == 0, result.output


def test_minutes_must_be_a_whole_number(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD.replace("minutes = 10", 'minutes = "ten"'), SECOND))
    assert result.exit_code == 1
    assert "'minutes' must be a whole number" in result.output


def test_competency_without_a_module_is_reported(app, tmp_path):
    result = run_check(app, make_content(tmp_path, GOOD.replace('["listens-well"]', "[]"), SECOND))
    assert result.exit_code == 1
    assert "no module supports competency 'listens-well'" in result.output
