from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lms.access import public, signed_in
from lms.content import catalogue
from lms.errors import InvalidInput
from lms.learn import bp, service
from lms.learn.forms import CompleteModuleForm


def _programme_or_404(slug: str):
    return catalogue().programme(slug) or abort(404)


@bp.route("/programmes/<slug>")
@public
def programme_overview(slug):
    programme = _programme_or_404(slug)
    required = [catalogue().programme(s) for s in programme.requires]
    return render_template("learn/programme.html", programme=programme, required=[p for p in required if p])


@bp.route("/learn")
@signed_in
def my_learning():
    progress, training = service.my_enrolments(user=current_user._get_current_object())
    return render_template("learn/my_learning.html", progress=progress, training=training, catalogue=catalogue())


@bp.route("/learn/<programme_slug>/<module_slug>", methods=["GET", "POST"])
@signed_in
def module_page(programme_slug, module_slug):
    programme = _programme_or_404(programme_slug)
    module = programme.module(module_slug) or abort(404)
    access = service.module_access(user=current_user._get_current_object(), programme=programme)
    form = CompleteModuleForm()
    if form.validate_on_submit():
        try:
            _, created = service.complete_module(
                actor=current_user._get_current_object(), programme=programme, module=module, reflection=form.reflection.data
            )
        except InvalidInput as error:
            form.reflection.errors.append(str(error))
        else:
            flash("Module marked as complete." if created else "You had already completed this module.")
            return redirect(url_for("learn.module_page", programme_slug=programme.slug, module_slug=module.slug))
    completions = service.latest_completions(access.enrolment)
    previous, following = programme.neighbours(module)
    return render_template(
        "learn/module.html",
        programme=programme,
        module=module,
        access=access,
        completion=completions.get(module.slug),
        completed_slugs=set(completions),
        previous=previous,
        following=following,
        form=form,
    )
