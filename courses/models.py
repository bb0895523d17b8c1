"""Supervisor courses (emnekurs i veiledning / veilederkurs): gatherings, instructors, sign-up, attendance."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import DateField
from core.models import Versioned
from core.scoping import region_q
from courses import rules
from registry.models import Doctor, Municipality, Office, Specialty, hpr_validator


class InstructorQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "InstructorQuerySet":
        """The office's roster: names and e-mail addresses of people, so scoped like personal data."""
        return self.filter(region_q(user, "office_id"))


class Instructor(Versioned):
    """A course instructor (kursholder) on an office's roster."""

    office = models.ForeignKey(
        Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="course_instructors"
    )
    name = models.CharField(_("navn"), max_length=150)
    title = models.CharField(_("tittel"), max_length=150, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    objects = InstructorQuerySet.as_manager()

    class Meta:
        verbose_name = _("kursholder")
        verbose_name_plural = _("kursholdere")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="courses_instructor_unique_name")]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "CourseQuerySet":
        """Courses whose participants (personal data) the user may see: the office's own region."""
        return self.filter(region_q(user, "office_id"))

    def published(self) -> "CourseQuerySet":
        return self.filter(published=True)


class Course(Versioned):
    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Emnekurs i veiledning (veilederkurs)")
        GROUP_SUPERVISION = "group_supervision", _("Kurs for gruppeveiledere")
        REFRESHER = "refresher", _("Oppfriskningskurs for veiledere")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Fysisk oppmøte")
        DIGITAL = "digital", _("Digitalt")
        HYBRID = "hybrid", _("Hybrid (fysisk og digitalt)")

    office = models.ForeignKey(Office, verbose_name=_("ALIS-kontor"), on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type kurs"), max_length=30, choices=Kind, default=Kind.SUPERVISION)
    format = models.CharField(_("gjennomføring"), max_length=20, choices=Format, default=Format.IN_PERSON)
    place = models.CharField(
        _("sted"), max_length=200, blank=True, help_text=_("By eller kurssted. Kan stå tomt for digitale kurs.")
    )
    capacity = models.PositiveIntegerField(_("antall plasser"))
    course_points = models.PositiveSmallIntegerField(_("kurspoeng"), default=0)
    signup_deadline = DateField(_("påmeldingsfrist"), null=True, blank=True)
    published = models.BooleanField(
        _("publisert"), default=False, help_text=_("Publiserte kurs vises i kurskalenderen med påmelding.")
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    instructors = models.ManyToManyField(Instructor, verbose_name=_("kursholdere"), blank=True, related_name="courses")

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("kurs")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="courses_course_capacity_positive"),
            models.CheckConstraint(
                condition=Q(format="digital") | ~Q(place=""), name="courses_course_place_unless_digital"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place_label(self) -> str:
        if self.format == self.Format.DIGITAL:
            return str(_("Digitalt"))
        if self.format == self.Format.HYBRID:
            return _("%(place)s og digitalt") % {"place": self.place}
        return self.place


class Gathering(Versioned):
    """One gathering (samling) of a course: one or more consecutive days."""

    course = models.ForeignKey(Course, verbose_name=_("kurs"), on_delete=models.CASCADE, related_name="gatherings")
    start = DateField(_("første dag"))
    end = DateField(_("siste dag"))
    place = models.CharField(_("sted"), max_length=200, blank=True, help_text=_("Tomt: kursets sted."))

    class Meta:
        verbose_name = _("samling")
        verbose_name_plural = _("samlinger")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="courses_gathering_end")]

    def __str__(self) -> str:
        return f"{self.course.title}: {rules.day_span(self.start, self.end)}"

    @property
    def place_label(self) -> str:
        return self.place or self.course.place_label


class Supervises(models.TextChoices):
    """Whom a participant supervises, as the annual report counts them."""

    ALIS = "alis", _("ALIS")
    LIS1 = "lis1", _("LIS1")
    NONE = "none", _("Ingen")


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "RegistrationQuerySet":
        return self.filter(region_q(user, "course__office_id"))


def new_cancel_token() -> str:
    # 256 bits: the link in the e-mail is the only key to the sign-up, so it must not be guessable.
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A person's sign-up to a course; confirmed, on the waiting list, or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Påmeldt")
        WAITING = "waiting", _("Venteliste")
        CANCELLED = "cancelled", _("Avmeldt")

    course = models.ForeignKey(Course, verbose_name=_("kurs"), on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-post"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("arbeidskommune"), on_delete=models.PROTECT, related_name="course_registrations"
    )
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, blank=True, validators=[hpr_validator])
    doctor = models.ForeignKey(
        Doctor,
        verbose_name=_("lege i registeret"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_registrations",
    )
    # The specialty the participant supervises in: supervisor courses serve allmennmedisin and, since 2022,
    # samfunnsmedisin (SamLIS). `is_specialist` is a specialist in that specialty.
    specialty = models.CharField(_("veileder i"), max_length=20, choices=Specialty, default=Specialty.GENERAL_PRACTICE)
    is_specialist = models.BooleanField(_("spesialist i faget"), default=False)
    supervises = models.CharField(_("veileder for"), max_length=10, choices=Supervises)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token, editable=False)
    created = models.DateTimeField(_("påmeldt"), auto_now_add=True)
    # Set once the completed course is written to the supervisor's profile, so that it is written once.
    qualification_recorded = DateField(_("veilederkurs registrert"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        ordering = ["created", "pk"]
        constraints = [
            # The database, not only the form, refuses a second active sign-up with the same address.
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=~Q(status="cancelled"),
                name="courses_registration_unique_active_email",
            ),
        ]
        indexes = [models.Index(fields=["course", "status", "created"], name="courses_registration_queue")]

    def __str__(self) -> str:
        return f"{self.name} ({self.course.title})"


class Attendance(models.Model):
    """A participant was present at a gathering (a row exists only for attendance)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("påmelding"), on_delete=models.CASCADE, related_name="attendances"
    )
    gathering = models.ForeignKey(
        Gathering, verbose_name=_("samling"), on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøter")
        constraints = [
            models.UniqueConstraint(fields=["registration", "gathering"], name="courses_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name}: {self.gathering}"
