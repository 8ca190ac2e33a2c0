"""Intake's HTTP API (thin: validate, call the application, answer)."""

from __future__ import annotations

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from contracts import Channel
from hotline.runtime.auth import Principal, require
from services.intake.application import Contact, IntakeApplication, ReceiveComplaint

router = APIRouter(tags=["complaints"])


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, pattern=r"^[0-9+\- ]{5,20}$")


class ComplaintIn(BaseModel):
    """A minimal complaint; the intake issue grows this into every channel's full form."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    channel: Channel
    description: str = Field(min_length=1, max_length=5000)
    category_hint: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=200)
    contact: ContactIn | None = None
    anonymous: bool = False
    publication_consent: bool = False


class ComplaintAccepted(BaseModel):
    ticket_id: UUID


@router.post("/v1/complaints", status_code=201)
async def receive_complaint(
    body: ComplaintIn,
    request: Request,
    principal: Annotated[Principal, Depends(require("operator", "partner"))],
) -> ComplaintAccepted:
    running = request.app.state.service
    application: IntakeApplication = running.application
    command = ReceiveComplaint(
        channel=body.channel.value,
        description=body.description,
        category_hint=body.category_hint,
        district=body.district,
        address=body.address,
        contact=Contact(body.contact.name, body.contact.phone) if body.contact else None,
        anonymous=body.anonymous,
        publication_consent=body.publication_consent,
    )
    ticket_id = await asyncio.to_thread(application.receive_complaint, command, running.keyring)
    return ComplaintAccepted(ticket_id=ticket_id)
