from datetime import date, datetime

from flask_babel import lazy_gettext as _l

# Lazy, like _l; named pgettext so that pybabel's default keywords extract its context. A
# standard is "Cancelado" where an assessment (the same English word) is "Cancelada".
from flask_babel import lazy_pgettext as pgettext
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum


class StandardStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    SUPERSEDED = "superseded", _l("Superseded")
    CANCELLED = "cancelled", pgettext("standard status", "Cancelled")


class CriterionKind(LabelledEnum):
    PERFORMANCE = "performance", _l("Performance")
    PRODUCT = "product", _l("Product")
    KNOWLEDGE = "knowledge", _l("Knowledge")
    ATTITUDE = "attitude", _l("Attitude")


class Standard(db.Model):
    """One version of a competency standard (EC0217.01). A published version is frozen."""

    __tablename__ = "standards"
    __repr_attrs__ = ("code", "version", "status")
    __table_args__ = (
        UniqueConstraint("code", "version", name="code_version"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint(f"status IN ({sql_values(StandardStatus)})", name="status_known"),
        CheckConstraint("validity_years IS NULL OR validity_years > 0", name="validity_positive"),
        CheckConstraint("reassessment_wait_days >= 0", name="reassessment_wait_not_negative"),
        # The public catalogue filters published versions by status, level and sector and
        # looks words up in search_text (on PostgreSQL with a trigram index, so that a
        # "contains" search does not read every row).
        Index("ix_standards_status_code", "status", "code", "version"),
        Index("ix_standards_status_level", "status", "level"),
        Index("ix_standards_status_sector", "status", "sector"),
        Index(
            "ix_standards_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    # "" for an unsuffixed code (EC0217); two digits otherwise (EC0217.01).
    version: Mapped[str] = mapped_column(String(10), default="01")
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[int]
    sector: Mapped[str] = mapped_column(String(200))
    # The official dates: approved by the committee, published in the Diario Oficial (DOF).
    approved_on: Mapped[date | None]
    dof_published_on: Mapped[date | None]
    # The date this version entered the catalogue as published, and when it stopped being so.
    published_on: Mapped[date | None]
    withdrawn_on: Mapped[date | None]
    # The version this one was copied from ("new version from this one").
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("standards.id"))
    # Lower-case code, titles and sector without accents: what the public search matches.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # None means the certificate never expires ("indefinite").
    validity_years: Mapped[int | None]
    # Calendar days a candidate waits after "Todavía no competente" before a re-assessment.
    reassessment_wait_days: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[StandardStatus] = mapped_column(
        StoredEnum(StandardStatus), default=StandardStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    elements: Mapped[list["Element"]] = relationship(
        back_populates="standard", order_by="Element.position", cascade="all, delete-orphan"
    )
    instrument: Mapped["Instrument | None"] = relationship(
        back_populates="standard", cascade="all, delete-orphan"
    )

    replaces: Mapped["Standard | None"] = relationship(remote_side=[id])

    @property
    def full_code(self) -> str:
        return f"{self.code}.{self.version}" if self.version else self.code

    @property
    def is_published(self) -> bool:
        return self.status == StandardStatus.PUBLISHED

    @property
    def criteria(self) -> list["Criterion"]:
        return [criterion for element in self.elements for criterion in element.criteria]


class Element(db.Model):
    __tablename__ = "elements"
    __repr_attrs__ = ("standard_id", "position")
    __table_args__ = (UniqueConstraint("standard_id", "position", name="standard_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))

    standard: Mapped[Standard] = relationship(back_populates="elements")
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="element", order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(db.Model):
    __tablename__ = "criteria"
    __repr_attrs__ = ("element_id", "position", "kind")
    __table_args__ = (
        UniqueConstraint("element_id", "position", name="element_position"),
        CheckConstraint(f"kind IN ({sql_values(CriterionKind)})", name="kind_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("elements.id"))
    position: Mapped[int]
    kind: Mapped[CriterionKind] = mapped_column(StoredEnum(CriterionKind))
    text: Mapped[str] = mapped_column(Text)

    element: Mapped[Element] = relationship(back_populates="criteria")


class Instrument(db.Model):
    """The assessment instrument of one standard version, with its decision rule as data."""

    __tablename__ = "instruments"
    __repr_attrs__ = ("standard_id", "threshold_percent")
    __table_args__ = (
        CheckConstraint("threshold_percent BETWEEN 1 AND 100", name="threshold_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"), unique=True)
    # Competente when every critical item is met and the weighted score reaches this.
    threshold_percent: Mapped[int] = mapped_column(default=100)

    standard: Mapped[Standard] = relationship(back_populates="instrument")
    items: Mapped[list["InstrumentItem"]] = relationship(
        back_populates="instrument",
        order_by="InstrumentItem.position",
        cascade="all, delete-orphan",
    )


class InstrumentItem(db.Model):
    """A reactivo: one observable item, mapped to a criterion, with its relative weight."""

    __tablename__ = "instrument_items"
    __repr_attrs__ = ("instrument_id", "position", "weight", "is_critical")
    __table_args__ = (
        UniqueConstraint("instrument_id", "position", name="instrument_position"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    weight: Mapped[int]
    is_critical: Mapped[bool] = mapped_column(default=False)

    instrument: Mapped[Instrument] = relationship(back_populates="items")
    criterion: Mapped[Criterion] = relationship()

    @property
    def kind(self) -> CriterionKind:
        return self.criterion.kind


class OfferedStandard(db.Model):
    """A published standard a centre chose to offer: the only ones it may schedule and accredit
    its evaluators for. Once per centre and standard version: the unique index decides, also
    between two administrators adding it at the same moment."""

    __tablename__ = "offered_standards"
    __repr_attrs__ = ("centre_id", "standard_id")
    __table_args__ = (UniqueConstraint("centre_id", "standard_id", name="centre_standard"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"), index=True)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    standard: Mapped[Standard] = relationship()
