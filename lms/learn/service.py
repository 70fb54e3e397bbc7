"""The trainee course portal: who may read a programme's modules, completions and progress."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from lms.content import Module, Programme, catalogue
from lms.errors import InvalidInput, NotAllowed
from lms.extensions import db
from lms.models.cohort import ACTIVE, COMPLETED, TRAINEE, TRAINER, Cohort, Enrolment
from lms.models.progress import REFLECTION_MAX_LENGTH, ModuleCompletion
from lms.models.user import User


@dataclass(frozen=True)
class ModuleAccess:
    """Why someone may read a programme: as its trainee (with their enrolment), trainer or coordinator."""

    kind: str
    enrolment: Enrolment | None = None

    @property
    def can_complete(self) -> bool:
        return self.kind == TRAINEE and self.enrolment is not None and self.enrolment.status == ACTIVE


@dataclass(frozen=True)
class Progress:
    enrolment: Enrolment
    programme: Programme
    modules_completed: int
    competencies_signed_off: int
    next_module: Module | None

    @property
    def modules_total(self) -> int:
        return len(self.programme.modules)

    @property
    def competencies_total(self) -> int:
        return len(self.programme.competencies)

    @property
    def percent_complete(self) -> int:
        total = self.modules_total + self.competencies_total
        done = self.modules_completed + self.competencies_signed_off
        return round(100 * done / total) if total else 0


def module_access(*, user: User, programme: Programme) -> ModuleAccess:
    """Active (or completed) trainees of a cohort on the programme, its active trainers, and
    coordinators may read its modules. Everyone else gets NotAllowed."""
    if not user.is_authenticated:
        raise NotAllowed("Sign in to read modules")
    enrolments = db.session.execute(
        select(Enrolment)
        .join(Enrolment.cohort)
        .options(contains_eager(Enrolment.cohort))
        .where(
            Enrolment.user_id == user.id,
            Cohort.programme_slug == programme.slug,
            Enrolment.status.in_([ACTIVE, COMPLETED]),
        )
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    ).scalars().all()
    trainee = next((e for e in enrolments if e.role == TRAINEE and e.status == ACTIVE), None)
    trainee = trainee or next((e for e in enrolments if e.role == TRAINEE), None)
    if trainee is not None:
        return ModuleAccess(TRAINEE, trainee)
    if any(e.role == TRAINER and e.status == ACTIVE for e in enrolments):
        return ModuleAccess(TRAINER)
    if user.is_coordinator:
        return ModuleAccess("coordinator")
    raise NotAllowed("You are not enrolled on this programme")


def latest_completions(enrolment: Enrolment | None) -> dict[str, ModuleCompletion]:
    """The most recent completion of each module for this enrolment, in one query."""
    if enrolment is None:
        return {}
    rows = db.session.execute(
        select(ModuleCompletion)
        .where(ModuleCompletion.enrolment_id == enrolment.id)
        .order_by(ModuleCompletion.completed_at, ModuleCompletion.id)
    ).scalars()
    return {row.module_slug: row for row in rows}


def complete_module(*, actor: User, programme: Programme, module: Module, reflection: str | None) -> tuple[ModuleCompletion, bool]:
    """Record that the actor completed the module at its current version.

    Returns (completion, created). Completing the same version again changes nothing."""
    access = module_access(user=actor, programme=programme)
    if not access.can_complete:
        raise NotAllowed("Only trainees with an active place on this programme can complete its modules")
    reflection = (reflection or "").strip() or None
    if reflection and len(reflection) > REFLECTION_MAX_LENGTH:
        raise InvalidInput(f"Reflection must be {REFLECTION_MAX_LENGTH:,} characters or fewer", field="reflection")
    existing = _completion_at_version(access.enrolment.id, module)
    if existing is not None:
        return existing, False
    completion = ModuleCompletion(
        enrolment_id=access.enrolment.id,
        module_slug=module.slug,
        content_version=module.version,
        reflection=reflection,
    )
    db.session.add(completion)
    try:
        db.session.commit()
    except IntegrityError:  # a double submit raced us to it: the first one stands
        db.session.rollback()
        return _completion_at_version(access.enrolment.id, module), False
    return completion, True


def _completion_at_version(enrolment_id: int, module: Module) -> ModuleCompletion | None:
    return db.session.execute(
        select(ModuleCompletion).where(
            ModuleCompletion.enrolment_id == enrolment_id,
            ModuleCompletion.module_slug == module.slug,
            ModuleCompletion.content_version == module.version,
        )
    ).scalar_one_or_none()


def my_enrolments(*, user: User) -> tuple[list[Progress], list[Enrolment]]:
    """The user's trainee places with progress, and the cohorts they train. Two queries."""
    enrolments = db.session.execute(
        select(Enrolment)
        .join(Enrolment.cohort)
        .options(contains_eager(Enrolment.cohort))
        .where(Enrolment.user_id == user.id)
        .order_by(Cohort.starts_on.desc(), Enrolment.id)
    ).scalars().all()
    trainee_ids = [e.id for e in enrolments if e.role == TRAINEE]
    completed: dict[int, set[str]] = {enrolment_id: set() for enrolment_id in trainee_ids}
    if trainee_ids:
        rows = db.session.execute(
            select(ModuleCompletion.enrolment_id, ModuleCompletion.module_slug)
            .where(ModuleCompletion.enrolment_id.in_(trainee_ids))
            .distinct()
        ).all()
        for enrolment_id, slug in rows:
            completed[enrolment_id].add(slug)
    progress, training = [], []
    for enrolment in enrolments:
        programme = catalogue().programme(enrolment.cohort.programme_slug)
        if programme is None:
            continue
        if enrolment.role == TRAINER:
            training.append(enrolment)
            continue
        done = completed[enrolment.id]
        progress.append(
            Progress(
                enrolment=enrolment,
                programme=programme,
                modules_completed=sum(1 for m in programme.modules if m.slug in done),
                competencies_signed_off=0,
                next_module=next((m for m in programme.modules if m.slug not in done), None),
            )
        )
    return progress, training
