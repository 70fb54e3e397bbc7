from flask import abort, current_app, redirect, render_template, session, url_for

from lms.access import public
from lms.errors import InvalidInput
from lms.extensions import client_ip, limiter
from lms.interest import bp, service
from lms.interest.forms import InterestForm

SESSION_KEY = "interest_references"
ANSWERS = (
    "programme", "organisation_name", "organisation_type", "region", "ods_code", "contact_name", "job_title",
    "email", "phone", "participants", "preferred_format", "timeframe", "message", "consent",
)


def _confirm(reference: str):
    # Only this browser may see the confirmation for its references: the page shows nothing
    # else, but a reference must not become a way to probe for other people's registrations.
    session[SESSION_KEY] = (session.get(SESSION_KEY, []) + [reference])[-5:]
    return redirect(url_for("interest.confirmation", reference=reference))


def _form_page(form):
    return render_template("interest/register.html", form=form)


@bp.route("/interest", methods=["GET", "POST"])
# Counts sent forms (success, duplicates and bot decoys all redirect); a form returned with
# errors to fix does not use up the allowance of colleagues behind the same NAT address.
@limiter.limit(
    lambda: current_app.config["INTEREST_LIMIT_PER_IP"], methods=["POST"], deduct_when=lambda response: response.status_code == 302
)
@public
def register_interest():
    form = InterestForm()
    if not form.is_submitted():
        form.form_token.data = service.issue_form_token()
        return _form_page(form)
    try:
        key, issued_at = service.read_form_token(form.form_token.data)
    except service.InvalidFormToken:
        form.validate()
        form.form_token.data = service.issue_form_token()
        form.add_form_error("This form had expired. Check your answers and send them again")
        return _form_page(form)
    if form.hlm_check.data:  # the honeypot: only a bot fills a field people cannot see
        return _confirm(service.decoy_reference())
    if form.validate():
        # Too fast to be typed: a bot gets a normal-looking confirmation and nothing is stored.
        # Checked after validation so a person who presses the button at once sees what is missing.
        if service.looks_automated(honeypot=form.hlm_check.data, issued_at=issued_at):
            return _confirm(service.decoy_reference())
        try:
            registration, _created = service.register_interest(
                idempotency_key=key, ip=client_ip(), **{name: getattr(form, name).data for name in ANSWERS}
            )
        except InvalidInput as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            return _confirm(registration.reference)
    return _form_page(form)


@bp.route("/interest/confirmation/<reference>")
@public
def confirmation(reference):
    if reference not in session.get(SESSION_KEY, []):
        abort(404)
    return render_template("interest/confirmation.html", reference=reference)
