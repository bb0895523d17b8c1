"""What the API answers: one schema per resource, choices as their codes (the labels are in the docs)."""

from datetime import date, datetime
from typing import Literal

from django.db import models
from ninja import Schema
from pydantic import Field

from courses.models import Course
from grants.calculation import GrantType, PositionType
from grants.models import GrantApplication
from registry.models import Contact, HealthTrust, RegistrationStatus, Specialty
from supervision.models import SupervisionSession
from training.models import Contract, HospitalStatus, LeavingReason, Scheme, ServicePeriod, Status


def choice(choices: type[models.TextChoices]):
    """The codes of a Django choice, as a JSON enum."""
    return Literal[tuple(choices.values)]


def money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class OfficeRef(Schema):
    id: int
    code: str
    name: str


class CountyRef(Schema):
    id: int
    number: str
    name: str


class MunicipalityRef(Schema):
    id: int
    number: str
    name: str


class DoctorRef(Schema):
    id: int
    first_name: str
    last_name: str
    hpr_number: str | None


class GpOfficeRef(Schema):
    id: int
    name: str


class HealthTrustRef(Schema):
    id: int
    name: str
    short_name: str


class Me(Schema):
    username: str
    name: str
    role: str
    office: OfficeRef | None
    reads_personal_data: bool
    token_name: str
    token_expires_at: datetime


class HealthTrustOut(HealthTrustRef):
    rhf: choice(HealthTrust.Rhf)


class RegistrationStatuses(Schema):
    general_practice: choice(RegistrationStatus)
    community_medicine: choice(RegistrationStatus)


class MunicipalityOut(Schema):
    id: int
    number: str
    name: str
    name_norwegian: str
    county: CountyRef
    office: OfficeRef = Field(alias="county.office")
    centrality: int | None = Field(description="SSBs sentralitetsklasse 1–6; null = ukjent (aldri 0).")
    sami_area: bool
    registration: RegistrationStatuses = Field(description="Status som utdanningsvirksomhet i dag.")
    version: int

    @staticmethod
    def resolve_registration(obj) -> dict:
        return {s.value: getattr(obj, f"status_{s.value}") or RegistrationStatus.NOT_APPLIED for s in Specialty}


class RegistrationEvent(Schema):
    specialty: choice(Specialty)
    status: choice(RegistrationStatus)
    valid_from: date
    note: str


class MunicipalityDetail(MunicipalityOut):
    number_2020: str
    latitude: float | None
    longitude: float | None
    notes: str
    registrations: list[RegistrationEvent]
    health_trusts: list[HealthTrustRef]


class ContactOut(Schema):
    id: int
    municipality: MunicipalityRef
    role: choice(Contact.Role)
    name: str
    email: str
    phone: str
    version: int


class GpOfficeOut(Schema):
    id: int
    name: str
    municipality: MunicipalityRef
    address: str
    postal_code: str
    postal_place: str
    doctor_count: int
    version: int


class DoctorOut(Schema):
    id: int
    first_name: str
    last_name: str
    hpr_number: str | None
    email: str
    phone: str
    municipality: MunicipalityRef | None
    gp_office: GpOfficeRef | None
    is_regular_gp: bool
    list_size: int | None
    list_capacity: int | None
    list_open: bool | None = Field(description="null = ukjent.")
    is_specialist: bool
    specialist_since: date | None
    version: int


class ServicePeriodOut(Schema):
    id: int
    training_id: int
    kind: choice(ServicePeriod.Kind)
    health_trust: HealthTrustRef | None
    place: str
    start: date
    end: date | None
    share: int
    planned: bool
    hospital_status: choice(HospitalStatus) | Literal[""]  # "" for every kind but hospital
    version: int


class AssignmentOut(Schema):
    id: int
    training_id: int
    supervisor: DoctorRef
    start: date
    end: date | None
    version: int


class TrainingOut(Schema):
    id: int
    doctor: DoctorRef
    specialty: choice(Specialty)
    employer: MunicipalityRef
    gp_office: GpOfficeRef | None
    scheme: choice(Scheme)
    contract: choice(Contract)
    position_share: int
    start: date
    expected_end: date
    status: choice(Status)
    ended_on: date | None
    leaving_reason: choice(LeavingReason) | None
    supervisor_name: str | None = Field(description="Veileder i dag (etternavn, fornavn).")
    version: int

    @staticmethod
    def resolve_leaving_reason(obj) -> str | None:
        return obj.leaving_reason or None


class TrainingDetail(TrainingOut):
    notes: str
    periods: list[ServicePeriodOut]
    supervisor_assignments: list[AssignmentOut]


class SupervisorProfileOut(Schema):
    id: int
    doctor: DoctorRef
    municipality: MunicipalityRef | None = Field(alias="doctor.municipality")
    exemption_until: date | None
    course_completed_on: date | None
    course_name: str
    supervises_alis: bool
    supervises_lis1: bool
    supervises_community_medicine: bool
    capacity: int
    load: int = Field(description="ALIS veilederen har i dag.")
    remote_ok: bool
    available_from: date | None
    notes: str
    version: int


class SessionOut(Schema):
    id: int
    training_id: int
    supervisor: DoctorRef
    date: date
    minutes: int
    kind: choice(SupervisionSession.Kind)
    topic: str
    source: choice(SupervisionSession.Source)
    confirmed: bool
    version: int


class GatheringOut(Schema):
    id: int
    start: date
    end: date
    place: str = Field(alias="place_label")


class PublicCourse(Schema):
    id: int
    title: str
    kind: choice(Course.Kind)
    format: choice(Course.Format)
    office: OfficeRef
    place: str = Field(alias="place_label")
    capacity: int
    course_points: int
    signup_deadline: date | None
    first_day: date | None
    last_day: date | None
    free_places: int
    signup_open: bool
    signup_url: str
    description: str
    gatherings: list[GatheringOut]


class PublicGathering(GatheringOut):
    course_id: int
    course_title: str = Field(alias="course.title")
    office: OfficeRef = Field(alias="course.office")


class RatePeriodRef(Schema):
    id: int
    scheme: str = Field(alias="scheme.name")
    start: date
    end: date
    verified: bool


class GrantApplicationOut(Schema):
    id: int
    municipality: MunicipalityRef
    period: RatePeriodRef
    status: choice(GrantApplication.Status)
    sent_on: date | None
    granted_amount: str | None = Field(description="Kroner med to desimaler, som tekst.")
    paid_on: date | None
    auditor_statement_on: date | None
    repay_amount: str | None
    line_count: int
    amount: str | None = Field(
        description="Søkt beløp: summen av linjene (overstyrt beløp der det finnes), regnet ut fra dagens satser, "
        "sentralitet og utdanningsløp. null når en sats mangler."
    )
    amount_complete: bool = Field(
        description="false når beløpet mangler et element: sentralitetstillegget for en kommune med ukjent "
        "sentralitet, eller en sats som mangler."
    )
    version: int

    @staticmethod
    def resolve_granted_amount(obj) -> str | None:
        return money(obj.granted_amount)

    @staticmethod
    def resolve_repay_amount(obj) -> str | None:
        return money(obj.repay_amount)

    @staticmethod
    def resolve_amount(obj) -> str | None:
        return money(obj.totals.value)

    @staticmethod
    def resolve_amount_complete(obj) -> bool:
        return obj.totals.complete


class ApplicationLineOut(Schema):
    id: int
    training_id: int
    alis: DoctorRef = Field(alias="training.doctor")
    position_type: choice(PositionType)
    grant_type: choice(GrantType)
    position_share: int = Field(description="Stillingsandelen linjen regnes med: skrevet inn, ellers utdanningsløpets.")
    months: int
    productivity_months: int | None = Field(description="null når satsperioden mangler vinduet for redusert drift.")
    typed_inputs: list[str] = Field(
        description="Innsatsverdiene kontoret har skrevet inn (resten følger utdanningsløpet)."
    )
    computed_amount: str = Field(description="Utregningens sum (av de kjente elementene).")
    override_amount: str | None
    override_reason: str
    amount: str | None = Field(
        description="Overstyrt beløp der det finnes, ellers utregningen; null når en sats mangler."
    )
    amount_complete: bool

    @staticmethod
    def resolve_position_type(obj) -> str:
        return obj.evaluated.inputs.position_type

    @staticmethod
    def resolve_position_share(obj) -> int:
        return obj.evaluated.inputs.position_share

    @staticmethod
    def resolve_months(obj) -> int:
        return obj.evaluated.inputs.months

    @staticmethod
    def resolve_productivity_months(obj) -> int | None:
        return obj.evaluated.inputs.productivity_months

    @staticmethod
    def resolve_typed_inputs(obj) -> list[str]:
        return sorted(obj.evaluated.inputs.typed)

    @staticmethod
    def resolve_computed_amount(obj) -> str:
        return money(obj.evaluated.computed)

    @staticmethod
    def resolve_amount_complete(obj) -> bool:
        return obj.evaluated.complete

    @staticmethod
    def resolve_override_amount(obj) -> str | None:
        return money(obj.override_amount)

    @staticmethod
    def resolve_amount(obj) -> str | None:
        return money(obj.evaluated.value)


class GrantApplicationDetail(GrantApplicationOut):
    notes: str
    lines: list[ApplicationLineOut]


class CampaignOut(Schema):
    id: int
    title: str
    office: OfficeRef
    deadline: date
    started_at: datetime | None
    invited: int
    sent: int
    opened: int
    answered: int
    pending_proposals: int = Field(description="Svar fra kommunene som venter på kontorets avgjørelse.")
    version: int


class InvitationOut(Schema):
    municipality: MunicipalityRef
    sent_at: datetime | None
    opened_at: datetime | None
    answered_at: datetime | None
    reminders_sent: int
    revoked: bool
    overdue: bool


class CampaignDetail(CampaignOut):
    invitations: list[InvitationOut]

    @staticmethod
    def resolve_invitations(obj) -> list[dict]:
        return obj.invitations_list
