"""`flask --app wsgi lms …` commands."""
import secrets
import sys

import click
from flask.cli import AppGroup

from lms import audit
from lms.auth.passwords import hash_password, password_problem
from lms.auth.service import find_user_by_email, normalise_email
from lms.extensions import db
from lms.models.user import ROLES, User

lms_cli = AppGroup("lms", help="HLM LMS administration commands.")

_WORDS = (
    "amber bridge candle delta ember falcon garnet harbour island juniper kestrel lantern meadow "
    "nectar orchard pebble quartz river saffron thistle umber velvet willow yonder zephyr beacon "
    "cobalt drift fable glacier hazel inlet jasper kelp linen marble north ochre prism quill"
).split()


def generate_password() -> str:
    """Four random words and a number: easy to type from a terminal, far from any deny list."""
    return "-".join(secrets.choice(_WORDS) for _ in range(4)) + f"-{secrets.randbelow(90) + 10}"


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@lms_cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="Global role (repeatable).")
def create_user(email, name, roles):
    """Create an account. The password is read from a hidden prompt, or from stdin when piped."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise click.ClickException(f"An account with {email} already exists")
    password = _read_password()
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(problem)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    for role in roles:
        setattr(user, f"is_{role}", True)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created_by_command", subject=user, email=email, roles=list(roles))
    db.session.commit()
    click.echo(f"Created {email}" + (f" ({', '.join(roles)})" if roles else ""))


DEMO_PEOPLE = [
    ("trainee@example.org", "Tariq Trainee", ()),
    ("trainer@example.org", "Tess Trainer", ()),
    ("coordinator@example.org", "Cora Coordinator", ("coordinator",)),
    ("admin@example.org", "Adam Admin", ("admin",)),
]

demo_loaders = []  # features append callables(people: dict[str, User]) that add their demo data


@lms_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has accounts.")
def demo(if_empty):
    """Load demo accounts (with freshly generated passwords, printed once) and demo data."""
    has_users = db.session.execute(db.select(User.id).limit(1)).first() is not None
    if has_users:
        if if_empty:
            click.echo("The database already has data; demo data not loaded. Demo passwords were printed when it was loaded.")
            return
        raise click.ClickException("The database already has accounts: demo data is only loaded into an empty database")
    people, lines = {}, []
    for email, name, roles in DEMO_PEOPLE:
        password = generate_password()
        user = User(email=email, name=name, password_hash=hash_password(password))
        for role in roles:
            setattr(user, f"is_{role}", True)
        db.session.add(user)
        people[email.split("@")[0]] = user
        lines.append(f"  {email:<26} {password}   ({', '.join(roles) or 'cohort roles only'})")
    db.session.flush()
    for loader in demo_loaders:
        loader(people)
    audit.record("demo_data_loaded")
    db.session.commit()
    click.echo("Demo data loaded. Sign in at http://127.0.0.1:5000/login with:")
    click.echo("\n".join(lines))
    click.echo("These passwords are shown once. Run `make reset-demo` to start again with new ones.")


@lms_cli.command("check-content")
@click.option("--content-dir", type=click.Path(file_okay=False), help="Defaults to the configured CONTENT_DIR.")
def check_content(content_dir):
    """Validate every programme and module; exit non-zero on any problem."""
    from flask import current_app

    from lms.content.loader import load_catalogue

    loaded = load_catalogue(content_dir or current_app.config["CONTENT_DIR"])
    for problem in loaded.problems:
        click.echo(str(problem), err=True)
    if loaded.problems:
        raise click.exceptions.Exit(1)
    modules = sum(len(p.modules) for p in loaded.programmes.values())
    click.echo(f"Content OK: {len(loaded.programmes)} programmes, {modules} modules.")


def register_cli(app):
    app.cli.add_command(lms_cli)
