"""Password policy (NCSC / NIST SP 800-63B): length, a deny list, no composition rules."""
from functools import lru_cache
from importlib import resources

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MAX_LENGTH = 256  # long passphrases are welcome; this only bounds hashing work


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("lms.data").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The message to show for an unacceptable password, or None. The password is used as typed."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Password must be {minimum} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return "Password is too common. Choose a password that is harder to guess, like 3 random words"
    local_part = email.split("@", 1)[0].casefold()
    if folded in {email.casefold(), local_part, name.casefold(), name.casefold().replace(" ", "")}:
        return "Password must not be your name or email address"
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


# A real hash to compare against when the account does not exist, so that unknown emails take
# as long as wrong passwords.
_DUMMY = {}


def burn_equivalent_time(password: str) -> None:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-real-password", method=method)
    check_password_hash(_DUMMY[method], password)
