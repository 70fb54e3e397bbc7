from lms.forms import Form, NHSCheckboxesField, NHSEmailField, NHSStringField
from lms.forms.validators import EmailAddress, MaxLength, Required

ROLE_CHOICES = [
    ("coordinator", "Programme coordinator: works the interest list, runs cohorts, exports reports"),
    ("admin", "Admin: manages accounts and roles, reads the audit log"),
]


class InviteUserForm(Form):
    name = NHSStringField(
        "Full name", [Required("Enter the person's full name"), MaxLength(200, "Full name must be 200 characters or fewer")]
    )
    email = NHSEmailField(
        "Work email address", [Required("Enter the person's work email address"), EmailAddress()]
    )
    roles = NHSCheckboxesField(
        "Roles (optional)",
        choices=ROLE_CHOICES,
        hint="Trainees and trainers do not need a role here: they are enrolled on cohorts.",
        validate_choice=False,
    )
