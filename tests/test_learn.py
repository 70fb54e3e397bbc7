"""The trainee course portal: programme overview, My learning, module pages and completion."""
from lms.content import catalogue
from lms.extensions import db
from lms.models.progress import ModuleCompletion
from tests.conftest import parse, post_form, sign_in
from tests.querycount import count_queries

FIRST = "/learn/facilitator/the-healthcare-leadership-model"


def completions():
    return db.session.execute(db.select(ModuleCompletion).order_by(ModuleCompletion.id)).scalars().all()


def test_programme_overview_lists_module_titles_and_competencies_but_no_bodies(client):
    page = parse(client.get("/programmes/facilitator"))
    programme = catalogue().programme("facilitator")
    assert page.h1 == programme.title
    for module in programme.modules:
        assert module.title in page.text
    for competency in programme.competencies:
        assert competency.title in page.text
    assert "Why this module matters" not in page.text  # a heading from a module body


def test_train_the_trainer_overview_names_its_prerequisite(client):
    page = parse(client.get("/programmes/train-the-trainer"))
    assert "You need a current certificate from HLM Facilitator certification" in page.text
    assert page.soup.find("a", href="/programmes/facilitator")


def test_home_page_lists_both_programmes(client):
    page = parse(client.get("/"))
    assert page.soup.find("a", href="/programmes/facilitator")
    assert page.soup.find("a", href="/programmes/train-the-trainer")


def test_someone_with_no_enrolment_gets_a_helpful_page(client, make_user):
    sign_in(client, make_user())
    page = parse(client.get("/learn"))
    assert "You are not on a cohort yet" in page.text
    assert page.soup.find("a", href="/programmes/facilitator")


def test_my_learning_shows_cohort_dates_progress_and_where_to_start(client, make_user, make_cohort, enrol):
    trainee = make_user()
    cohort = make_cohort(name="Spring North East")
    enrol(trainee, cohort)
    sign_in(client, trainee)
    page = parse(client.get("/learn"))
    assert "Spring North East" in page.text
    assert "0 of 11 modules completed" in page.text
    assert "0 of 9 competencies signed off" in page.text
    assert page.soup.find("a", href=FIRST).get_text(" ", strip=True).startswith("Start")


def test_continue_goes_to_the_first_incomplete_module(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in(client, trainee)
    post_form(client, FIRST)
    page = parse(client.get("/learn"))
    assert "1 of 11 modules completed" in page.text
    second = catalogue().programme("facilitator").modules[1]
    link = page.soup.find("a", href=f"/learn/facilitator/{second.slug}")
    assert link.get_text(" ", strip=True).startswith("Continue")
    progress = page.soup.find("progress")
    assert (progress["value"], progress["max"]) == ("1", "11")


def test_enrolled_trainee_reads_the_module_with_contents_and_neighbours(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in(client, trainee)
    page = parse(client.get("/learn/facilitator/the-four-part-scale"))
    assert page.status == 200
    module = catalogue().programme("facilitator").module("the-four-part-scale")
    assert page.h1 == module.title
    assert f"About {module.minutes} minutes" in page.text
    contents = [a["href"] for a in page.soup.select(".nhsuk-contents-list a")]
    assert contents and all(page.soup.find(id=href[1:]) for href in contents)
    assert page.soup.find("a", href=FIRST)  # previous
    assert page.soup.find("a", href="/learn/facilitator/self-assessment-and-360-feedback")  # next
    assert "Explains the model" in page.text or module.competency_ids


def test_marking_complete_records_the_content_version(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrolment = enrol(trainee, make_cohort())
    sign_in(client, trainee)
    response = post_form(client, FIRST, {"reflection": "I will let the participant lead."})
    assert response.status_code == 302
    [completion] = completions()
    module = catalogue().programme("facilitator").modules[0]
    assert (completion.enrolment_id, completion.module_slug, completion.content_version) == (enrolment.id, module.slug, module.version)
    assert completion.reflection == "I will let the participant lead."


def test_marking_complete_twice_changes_nothing(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in(client, trainee)
    post_form(client, FIRST, {"reflection": "first"})
    post_form(client, FIRST, {"reflection": "second"})
    assert [c.reflection for c in completions()] == ["first"]


def test_completed_module_shows_the_reflection_sanitised(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in(client, trainee)
    post_form(client, FIRST, {"reflection": "I will **pause** <script>alert(1)</script> [x](javascript:alert(1))"})
    page = parse(client.get(FIRST))
    reflection = page.soup.select_one(".app-user-text")
    assert reflection.find("strong").get_text() == "pause"
    assert not reflection.find("script")
    assert all(not (a.get("href") or "").startswith("javascript") for a in reflection.find_all("a"))
    assert "You completed this module on" in page.text
    assert not page.soup.find("textarea", id="reflection")


def test_reflection_over_5000_characters_is_refused_and_kept(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in(client, trainee)
    text = ("word " * 1001).strip()
    page = parse(post_form(client, FIRST, {"reflection": text}))
    assert page.field_error("reflection") == "Reflection must be 5,000 characters or fewer"
    assert page.soup.find("textarea", id="reflection").get_text() == text
    assert completions() == []


def test_changed_module_says_so_and_can_be_completed_again(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrolment = enrol(trainee, make_cohort())
    db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_slug="the-healthcare-leadership-model", content_version="an-old-version"))
    db.session.commit()
    sign_in(client, trainee)
    page = parse(client.get(FIRST))
    assert "This module has changed" in page.text
    post_form(client, FIRST)
    assert [c.content_version for c in completions()][-1] == catalogue().programme("facilitator").modules[0].version
    assert "This module has changed" not in parse(client.get(FIRST)).text


def test_trainee_of_another_programme_gets_403_without_the_body(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort(programme="facilitator"))
    sign_in(client, trainee)
    page = parse(client.get("/learn/train-the-trainer/the-trainer-role"))
    assert page.status == 403
    assert "What a facilitator trainer does" not in page.text


def test_withdrawn_trainee_cannot_read_modules(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort(), status="withdrawn")
    sign_in(client, trainee)
    assert client.get(FIRST).status_code == 403


def test_trainer_of_a_cohort_reads_but_cannot_complete(client, make_user, make_cohort, enrol):
    trainer = make_user()
    enrol(trainer, make_cohort(), role="trainer")
    sign_in(client, trainer)
    page = parse(client.get(FIRST))
    assert page.status == 200
    assert "Only trainees mark modules as complete" in page.text
    assert post_form(client, FIRST).status_code == 403
    assert completions() == []


def test_coordinator_reads_any_programme(client, make_user):
    sign_in(client, make_user(roles=["coordinator"]))
    assert client.get("/learn/train-the-trainer/the-trainer-role").status_code == 200


def test_signed_out_visitor_goes_to_sign_in_and_comes_back(client, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    response = client.get(FIRST)
    assert response.headers["Location"] == f"/login?next={FIRST}"
    response = post_form(client, f"/login?next={FIRST}", {"email": trainee.email, "password": "correct horse battery staple"})
    assert response.headers["Location"] == FIRST


def test_unknown_module_or_programme_is_404(client, make_user):
    sign_in(client, make_user(roles=["coordinator"]))
    assert client.get("/learn/facilitator/no-such-module").status_code == 404
    assert client.get("/learn/no-such-programme/anything").status_code == 404


def test_module_page_is_printable(client, make_user):
    sign_in(client, make_user(roles=["coordinator"]))
    page = parse(client.get(FIRST))
    assert page.soup.select_one("#complete.app-no-print")
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css


def _make_busy_trainee(make_user, make_cohort, enrol, cohorts: int):
    trainee = make_user()
    for n in range(cohorts):
        programme = catalogue().programme("facilitator" if n % 2 == 0 else "train-the-trainer")
        enrolment = enrol(trainee, make_cohort(programme=programme.slug))
        for module in programme.modules[: 2 + n]:
            db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_slug=module.slug, content_version=module.version))
    db.session.commit()
    return trainee


def _queries_for(app, path, make_user, make_cohort, enrol) -> list[int]:
    counts = []
    for cohorts in (1, 6):
        trainee = _make_busy_trainee(make_user, make_cohort, enrol, cohorts)
        client = app.test_client()
        sign_in(client, trainee)
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    return counts


def test_my_learning_runs_the_same_few_queries_whatever_the_enrolments(app, make_user, make_cohort, enrol):
    few, many = _queries_for(app, "/learn", make_user, make_cohort, enrol)
    assert few == many == 3  # the signed-in user, their enrolments with cohorts, their completions


def test_module_page_runs_the_same_few_queries_whatever_the_completions(app, make_user, make_cohort, enrol):
    few, many = _queries_for(app, FIRST, make_user, make_cohort, enrol)
    assert few == many == 3  # the signed-in user, their enrolments on the programme, their completions
