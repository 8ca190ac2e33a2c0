"""Intake's aggregate: a ticket as it was received (受理). No I/O here."""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from hotline.runtime.sealing import SealedDict


class Ticket(Aggregate):
    """A citizen's complaint, recorded as it came in on its channel.

    Personal data arrives here already sealed (`contact`) or pseudonymised
    (`citizen_ref`): the store never holds it in clear.
    """

    class Received(Aggregate.Created):
        channel: str
        description: str
        category_hint: str | None
        district: str | None
        address: str | None
        citizen_ref: str | None
        contact: SealedDict | None
        anonymous: bool
        publication_consent: bool
        trace: dict[str, str]

    @event(Received)
    def __init__(
        self,
        channel: str,
        description: str,
        category_hint: str | None,
        district: str | None,
        address: str | None,
        citizen_ref: str | None,
        contact: SealedDict | None,
        anonymous: bool,
        publication_consent: bool,
        trace: dict[str, str],
    ) -> None:
        self.channel = channel
        self.description = description
        self.category_hint = category_hint
        self.district = district
        self.address = address
        self.citizen_ref = citizen_ref
        self.contact = contact
        self.anonymous = anonymous
        self.publication_consent = publication_consent
