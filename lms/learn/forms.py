from lms.forms import Form, NHSTextAreaField
from lms.forms.validators import MaxLength
from lms.models.progress import REFLECTION_MAX_LENGTH


class CompleteModuleForm(Form):
    reflection = NHSTextAreaField(
        "Your reflection (optional)",
        [MaxLength(REFLECTION_MAX_LENGTH, f"Reflection must be {REFLECTION_MAX_LENGTH:,} characters or fewer")],
        hint="What will you do differently in your next feedback session? Your trainers can read this. "
        "You can use Markdown, for example **bold** and - lists.",
        max_length=REFLECTION_MAX_LENGTH,
    )
