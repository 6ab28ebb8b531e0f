"""The organisers' pages of a class's curriculum: its course sessions (cards on a phone) with
kind, time, room, instructors, hours and who attended; adding, changing and deleting one
(deleting asks first); the trainees' hours. And the shared instructor pool (师资): the list,
adding and changing an instructor, one instructor's teaching history.

Who: `trainings.manage` in the class's scope; the pool, anyone holding it somewhere. The rules
are app.trainings.services.curriculum and .instructors; a refusal re-renders with every problem.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Person
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import requires
from app.core.time import utcnow
from app.extensions import db
from app.scheduling.models import Room, Venue
from app.trainings import bp
from app.trainings.forms.curriculum import ButtonForm, CourseSessionForm, InstructorForm
from app.trainings.models import CourseSession, Instructor, TrainingClass
from app.trainings.services import attendance, curriculum, instructors
from app.trainings.services.access import MANAGE, scope_of_class_id
from app.trainings.services.curriculum import scope_of_course_session_id
from app.trainings.services.checkin import is_open


def _choices(form: CourseSessionForm, session: CourseSession | None = None) -> None:
    rooms = db.session.execute(select(Room.id, Venue.name, Room.name).join(Venue)
                               .order_by(Venue.name, Room.name)).all()
    form.room_id.choices = [("", _("No room"))] + [(str(i), f"{venue} · {room}") for i, venue, room in rooms]
    chosen = {row.id for row in session.instructors} if session is not None else set()
    pool = [row for row in instructors.pool() if row.is_active or row.id in chosen]
    form.instructor_ids.choices = [(str(row.id), row.person.full_name + (f" · {row.title}" if row.title else ""))
                                   for row in pool]


@bp.get("/trainings/manage/classes/<int:class_id>/curriculum")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def curriculum_page(class_id: int):
    """The class's course sessions, soonest first, with the hours and who attended each."""
    training_class = db.get_or_404(TrainingClass, class_id)
    rows = curriculum.sessions_of(training_class)
    return render_template("trainings/curriculum/sessions.html", training_class=training_class, sessions=rows,
                           attended=attendance.attended_by_session(training_class),
                           total=attendance.total_hours(training_class), now=utcnow(), is_open=is_open,
                           kind_label=curriculum.kind_label, delete_form=ButtonForm())


def _form_page(form, training_class: TrainingClass, session: CourseSession | None, status: int):
    return render_template("trainings/curriculum/session_form.html", form=form, training_class=training_class,
                           session=session), status


@bp.route("/trainings/manage/classes/<int:class_id>/curriculum/new", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def new_course_session(class_id: int):
    """Add a course session: its room and instructors are booked, or the clash is named."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = CourseSessionForm()
    _choices(form)
    if validate_all(form, lambda: curriculum.check_session(training_class, form.fields())):
        try:
            curriculum.create_session(training_class, form.fields(), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _form_page(form, training_class, None, error.status)
        flash(_("The session is added and its room and instructors are booked."), "success")
        return redirect(url_for("trainings.curriculum_page", class_id=class_id))
    return _form_page(form, training_class, None, 422 if form.errors else 200)


@bp.route("/trainings/manage/sessions/<int:course_session_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def edit_course_session(course_session_id: int):
    """Change a course session: it is booked again, or nothing changes."""
    session = db.get_or_404(CourseSession, course_session_id)
    training_class = session.training_class
    form = CourseSessionForm(obj=None if request.method == "POST" else session)
    _choices(form, session)
    if request.method == "GET":
        form.kind.data, form.room_id.data = session.kind.value, session.room_id
        form.instructor_ids.data = [row.id for row in session.instructors]
    if validate_all(form, lambda: curriculum.check_session(training_class, form.fields())):
        try:
            curriculum.update_session(session, form.fields(), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _form_page(form, training_class, session, error.status)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("trainings.curriculum_page", class_id=training_class.id))
    return _form_page(form, training_class, session, 422 if form.errors else 200)


@bp.post("/trainings/manage/sessions/<int:course_session_id>/delete")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def delete_course_session(course_session_id: int):
    """Delete a course session nobody attended; its bookings are released."""
    session = db.get_or_404(CourseSession, course_session_id)
    class_id = session.class_id
    if ButtonForm().validate_on_submit():
        try:
            curriculum.delete_session(session, actor=current_user)
            flash(_("The session is deleted and its bookings released."), "success")
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("trainings.curriculum_page", class_id=class_id))


@bp.get("/trainings/manage/classes/<int:class_id>/hours")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def class_hours(class_id: int):
    """Each trainee's hours attended, against the class's hours and its completion rule."""
    training_class = db.get_or_404(TrainingClass, class_id)
    hours = attendance.hours_by_trainee(training_class)
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(list(hours)))).all())
    rows = sorted(((names.get(person_id, ""), value) for person_id, value in hours.items()), key=lambda r: r[0])
    return render_template("trainings/curriculum/hours.html", training_class=training_class, rows=rows,
                           total=attendance.total_hours(training_class))


# --- the instructor pool -----------------------------------------------------------------

@bp.get("/trainings/instructors")
@requires(MANAGE)
def instructors_page():
    """The instructor pool (师资), by name; search by name, title or what they teach."""
    search = request.args.get("q", "")[:100]
    return render_template("trainings/curriculum/instructors.html", instructors=instructors.pool(search=search),
                           search=search)


def _instructor_fields(form: InstructorForm) -> instructors.InstructorFields:
    return instructors.InstructorFields(person=form.person.data, title=form.title.data, expertise=form.expertise.data,
                                        bio=form.bio.data, is_active=form.is_active.data)


@bp.route("/trainings/instructors/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_instructor():
    """Add a person to the pool, found by phone number or resident ID number."""
    form = InstructorForm()
    if validate_all(form, lambda: instructors.check_instructor(_instructor_fields(form))):
        try:
            row = instructors.add_instructor(_instructor_fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("trainings/curriculum/instructor_form.html", form=form, instructor=None), \
                error.status
        flash(_("%(name)s is in the instructor pool.", name=row.person.full_name), "success")
        return redirect(url_for("trainings.instructor", instructor_id=row.id))
    return render_template("trainings/curriculum/instructor_form.html", form=form, instructor=None), \
        422 if form.errors else 200


@bp.route("/trainings/instructors/<int:instructor_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_instructor(instructor_id: int):
    """Change an instructor's title, what they teach, whether they teach now."""
    row = db.get_or_404(Instructor, instructor_id)
    form = InstructorForm(obj=None if request.method == "POST" else row)
    if validate_all(form, lambda: instructors.check_instructor(_instructor_fields(form), row)):
        try:
            instructors.update_instructor(row, _instructor_fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("trainings/curriculum/instructor_form.html", form=form, instructor=row), \
                error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("trainings.instructor", instructor_id=row.id))
    return render_template("trainings/curriculum/instructor_form.html", form=form, instructor=row), \
        422 if form.errors else 200


@bp.get("/trainings/instructors/<int:instructor_id>")
@requires(MANAGE)
def instructor(instructor_id: int):
    """One instructor and their teaching history."""
    row = db.get_or_404(Instructor, instructor_id)
    return render_template("trainings/curriculum/instructor.html", instructor=row,
                           history=instructors.history(row, utcnow()))
