"""The public interest form and the coordinator's forms on a registration."""
import re

from wtforms import HiddenField, StringField
from wtforms.validators import ValidationError

from lms.forms import (
    Form,
    NHSCheckboxField,
    NHSEmailField,
    NHSIntegerField,
    NHSRadioField,
    NHSSelectField,
    NHSStringField,
    NHSTextAreaField,
)
from lms.forms.validators import EmailAddress, MaxLength, Required
from lms.models.interest import FORMATS, ORGANISATION_TYPES, PROGRAMMES, REGIONS, STATUSES, TIMEFRAMES

MESSAGE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 5000

PROGRAMME_CHOICES = [
    ("facilitator", "HLM facilitator training: train your staff to debrief colleagues on their 360° feedback"),
    ("train-the-trainer", "Train the Trainer: current facilitators learn to train new facilitators"),
]
assert [value for value, _ in PROGRAMME_CHOICES] == list(PROGRAMMES)

# Some ODS codes: RR8 (trust), RR801 (site), 00T (sub-ICB location), QWO (ICB), A81001 (GP practice).
ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")
# UK numbers: 0 or +44 (optionally written +44 (0)…) then 9 or 10 digits.
UK_PHONE = re.compile(r"(?:\+44|0044|0)\d{9,10}")


def ods_code_format(form, field):
    if field.data and not ODS_CODE.fullmatch(field.data):
        raise ValidationError("Enter an ODS code in the correct format, like RR8 or A81001")


def uk_phone_number(form, field):
    if not field.data:
        return
    digits = re.sub(r"[\s\-().]", "", field.data.replace("(0)", ""))
    if len(field.data) > 32 or not UK_PHONE.fullmatch(digits):
        raise ValidationError("Enter a UK phone number, like 01632 960 001 or 07700 900 982")


class ParticipantsField(NHSIntegerField):
    """Whole numbers in ASCII digits only (Python's int() also takes "١٢" and "1_000")."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0].strip().replace(",", "")
        self.data = None
        if raw:
            if not re.fullmatch(r"[0-9]{1,9}", raw, flags=re.ASCII):
                raise ValueError("Number of participants must be a whole number, like 12")
            self.data = int(raw)


def participants_range(form, field):
    if field.data is not None and not 1 <= field.data <= 500:
        raise ValidationError("Number of participants must be between 1 and 500")


def _choices(mapping: dict) -> list[tuple[str, str]]:
    return list(mapping.items())


def _radios(label, message, choices, field_class=NHSRadioField, **kwargs):
    """A required choice: the same message for nothing chosen and for a value not offered."""
    return field_class(label, [Required(message)], choices=choices, invalid_choice_message=message, **kwargs)


def _line(label, required_message, max_length, too_long_message, *extra, **kwargs):
    validators = [Required(required_message)] if required_message else []
    return NHSStringField(
        label, validators + [MaxLength(max_length, too_long_message), *extra], **kwargs
    )


class InterestForm(Form):
    programme = _radios(
        "Which programme are you interested in?", "Select the programme you are interested in", PROGRAMME_CHOICES
    )
    organisation_name = _line(
        "Organisation name", "Enter your organisation's name", 200, "Organisation name must be 200 characters or fewer"
    )
    organisation_type = _radios("Type of organisation", "Select the type of organisation", _choices(ORGANISATION_TYPES))
    region = _radios(
        "NHS England region", "Select your NHS England region", [("", "Select a region")] + _choices(REGIONS),
        field_class=NHSSelectField, hint="The region your organisation is in.",
    )
    ods_code = NHSStringField(
        "ODS code (optional)",
        [ods_code_format],
        filters=[lambda value: re.sub(r"\s", "", value).upper() if isinstance(value, str) else value],
        hint="Your organisation's code in the Organisation Data Service, like RR8 or A81001.",
    )
    contact_name = _line("Full name", "Enter your full name", 200, "Full name must be 200 characters or fewer")
    job_title = _line("Job title", "Enter your job title", 200, "Job title must be 200 characters or fewer")
    email = NHSEmailField(
        "Work email address",
        [Required("Enter your work email address"), EmailAddress()],
        hint="We will send a confirmation to this address.",
    )
    phone = _line(
        "Phone number (optional)", None, 32, "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
        uk_phone_number,
    )
    participants = ParticipantsField(
        "Number of prospective participants",
        [Required("Enter the number of participants"), participants_range],
        hint="Between 1 and 500. A best guess is fine.",
    )
    preferred_format = _radios(
        "How would you prefer the training to run?", "Select how you would prefer the training to run",
        _choices(FORMATS),
    )
    timeframe = _radios(
        "When would you like the training to start?", "Select when you would like the training to start",
        _choices(TIMEFRAMES),
    )
    message = NHSTextAreaField(
        "Anything else you would like to tell us (optional)",
        [MaxLength(MESSAGE_MAX_LENGTH, "Anything else must be 2,000 characters or fewer")],
        max_length=MESSAGE_MAX_LENGTH,
        hint="For example, dates to avoid or what your staff need. Do not include details about patients.",
    )
    consent = NHSCheckboxField(
        "I agree to be contacted about this registration",
        [Required("Confirm that we can contact you about this registration")],
        legend="Contacting you",
    )
    form_token = HiddenField()
    hlm_check = StringField()  # honeypot: people leave it empty, many bots fill every field


def _coordinator_choices(coordinators) -> list[tuple[str, str]]:
    return [("", "Not assigned")] + [(str(person.id), person.name) for person in coordinators]


class StatusChangeForm(Form):
    status = _radios("New status", "Select one of the statuses shown", [])
    status_note = NHSTextAreaField(
        "Note (optional)",
        [MaxLength(MESSAGE_MAX_LENGTH, "Note must be 2,000 characters or fewer")],
        hint="For example, who you spoke to and what happens next. You can use Markdown.",
    )
    cohort = NHSSelectField(
        "Cohort (when converted)",
        choices=[],
        default="",
        hint="The cohort this registration became. Only cohorts on the same programme are listed.",
        invalid_choice_message="Select a cohort from the list",
    )
    current_status = HiddenField()

    def set_allowed(self, statuses) -> None:
        self.status.choices = [(status, STATUSES[status]) for status in statuses]

    def set_cohorts(self, cohorts) -> None:
        self.cohort.choices = [("", "Not linked yet")] + [
            (str(c.id), f"{c.name} ({c.host_organisation}, starts {c.starts_on:%-d %B %Y})") for c in cohorts
        ]


class AssignForm(Form):
    assigned_to = NHSSelectField("Assigned coordinator", choices=[], invalid_choice_message="Select a coordinator from the list")

    def set_coordinators(self, coordinators) -> None:
        self.assigned_to.choices = _coordinator_choices(coordinators)


class NoteForm(Form):
    note = NHSTextAreaField(
        "Add a note",
        [Required("Enter a note"), MaxLength(NOTE_MAX_LENGTH, "Note must be 5,000 characters or fewer")],
        max_length=NOTE_MAX_LENGTH,
        hint="Only coordinators see notes. You can use Markdown for lists, links and emphasis.",
    )
