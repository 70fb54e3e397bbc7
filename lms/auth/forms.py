from wtforms.validators import ValidationError

from lms.forms import Form, NHSEmailField, NHSPasswordField, NHSStringField
from lms.forms.validators import EmailAddress, MaxLength, Required

NEW_PASSWORD_HINT = "Use 10 characters or more. A good way to make a strong password is to use 3 random words."


def _new_password():
    return NHSPasswordField("Create a password", [Required("Enter a password")], hint=NEW_PASSWORD_HINT)


def _confirm_password():
    return NHSPasswordField("Re-enter the password", [Required("Re-enter the password")])


class _ConfirmsPassword:
    def validate_confirm(self, field):
        if self.password.data and field.data != self.password.data:
            raise ValidationError("Passwords do not match")


class SignInForm(Form):
    email = NHSEmailField("Email address", [Required("Enter your email address"), EmailAddress()])
    password = NHSPasswordField("Password", [Required("Enter your password")])


class PasswordResetRequestForm(Form):
    email = NHSEmailField(
        "Email address",
        [Required("Enter your email address"), EmailAddress()],
        hint="Use the email address you sign in with",
    )


class NewPasswordForm(_ConfirmsPassword, Form):
    password = _new_password()
    confirm = _confirm_password()


class InvitationForm(_ConfirmsPassword, Form):
    name = NHSStringField(
        "Full name",
        [Required("Enter your full name"), MaxLength(200, "Full name must be 200 characters or fewer")],
    )
    password = _new_password()
    confirm = _confirm_password()


class ChangePasswordForm(_ConfirmsPassword, Form):
    current_password = NHSPasswordField("Current password", [Required("Enter your current password")])
    password = _new_password()
    confirm = _confirm_password()
