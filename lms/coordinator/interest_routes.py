"""The coordinator's interest list, its CSV export and one registration's page."""
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import role_required
from lms.coordinator import bp
from lms.csv_export import csv_response
from lms.database import write_transaction
from lms.errors import InvalidInput
from lms.extensions import client_ip, db
from lms.interest import queries, service
from lms.interest.forms import AssignForm, NoteForm, StatusChangeForm
from lms.models.interest import FORMATS, ORGANISATION_TYPES, PROGRAMMES, REGIONS, STATUSES, TIMEFRAMES
from lms.pagination import page_number

LABELS = {
    "programmes": PROGRAMMES, "organisation_types": ORGANISATION_TYPES, "regions": REGIONS,
    "statuses": STATUSES, "formats": FORMATS, "timeframes": TIMEFRAMES,
}


def _actor():
    return current_user._get_current_object()


@bp.route("/interest")
@role_required("coordinator")
def interest_list():
    filters = queries.InterestFilters.from_args(request.args)
    if request.args.get("format") == "csv":
        return _export(filters)
    page = page_number()
    registrations, total = queries.registrations_page(filters, page)
    return render_template(
        "coordinator/interest_list.html", registrations=registrations, total=total, filters=filters, page=page,
        page_size=queries.PAGE_SIZE, coordinators=service.coordinators(), sorts=queries.SORTS, **LABELS,
    )


def _export(filters):
    row_count = queries.count(filters)
    with write_transaction(db.session):
        service.record_export(actor=_actor(), filters=filters.as_args(), row_count=row_count, ip=client_ip())
    batch_size = current_app.config["INTEREST_EXPORT_BATCH"]
    return csv_response(
        f"interest-registrations-{date.today():%Y-%m-%d}.csv", queries.EXPORT_HEADER,
        lambda: queries.export_rows(filters, batch_size),
    )


def _registration_or_404(registration_id: int):
    return queries.registration_with_history(registration_id) or abort(404)


def _detail_page(registration, submitted=None, **forms):
    coordinators = service.coordinators()
    status_form = forms.get("status_form") or StatusChangeForm(formdata=None)
    status_form.set_allowed(service.allowed_next_statuses(registration.status))
    status_form.set_cohorts(service.cohorts_for(registration))
    assign_form = forms.get("assign_form") or AssignForm(
        formdata=None, assigned_to=str(registration.assigned_to_id or "")
    )
    assign_form.set_coordinators(coordinators)
    context = dict(
        registration=registration, status_form=status_form, assign_form=assign_form,
        note_form=forms.get("note_form") or NoteForm(formdata=None), **LABELS,
    )
    if submitted is not None:
        context["form"] = submitted  # the error summary and "Error:" title follow the form sent
    return render_template("coordinator/interest_detail.html", **context)


@bp.route("/interest/<int:registration_id>")
@role_required("coordinator")
def interest_detail(registration_id):
    return _detail_page(_registration_or_404(registration_id))


def _apply(registration, form, form_name: str, change, success: str):
    """Validate one of the page's forms, make the change, then back to the page (or the page
    again with the error next to the field)."""
    if not form.validate():
        return _detail_page(registration, submitted=form, **{form_name: form}), 400
    try:
        change()
    except InvalidInput as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(str(error))
        return _detail_page(_registration_or_404(registration.id), submitted=form, **{form_name: form}), 409
    flash(success)
    return redirect(url_for("coordinator.interest_detail", registration_id=registration.id))


@bp.route("/interest/<int:registration_id>/status", methods=["POST"])
@role_required("coordinator")
def change_interest_status(registration_id):
    registration = _registration_or_404(registration_id)
    form = StatusChangeForm()
    seen_status = form.current_status.data or registration.status
    form.set_allowed(service.allowed_next_statuses(seen_status))
    form.set_cohorts(service.cohorts_for(registration))
    return _apply(
        registration, form, "status_form",
        lambda: service.change_status(
            actor=_actor(), registration=registration, expected_status=seen_status, to_status=form.status.data,
            note=form.status_note.data, cohort_id=int(form.cohort.data) if form.cohort.data else None, ip=client_ip(),
        ),
        f"Status changed to {STATUSES.get(form.status.data, '').lower()}.",
    )


@bp.route("/interest/<int:registration_id>/assignment", methods=["POST"])
@role_required("coordinator")
def assign_interest(registration_id):
    registration = _registration_or_404(registration_id)
    form = AssignForm()
    form.set_coordinators(service.coordinators())
    return _apply(
        registration, form, "assign_form",
        lambda: service.assign(
            actor=_actor(), registration=registration, ip=client_ip(),
            coordinator_id=int(form.assigned_to.data) if form.assigned_to.data else None,
        ),
        "Assignment saved.",
    )


@bp.route("/interest/<int:registration_id>/notes", methods=["POST"])
@role_required("coordinator")
def add_interest_note(registration_id):
    registration = _registration_or_404(registration_id)
    form = NoteForm()
    return _apply(
        registration, form, "note_form",
        lambda: service.add_note(actor=_actor(), registration=registration, note=form.note.data, ip=client_ip()),
        "Note added.",
    )
