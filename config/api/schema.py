"""The OpenAPI description of the API (/api/schema/): shapes only. The views build their JSON
from ``archive.views_data``; these serializers are never used to read or write data."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers as s


class TokenAuthScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.auth.TokenAuth"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <token>`, from POST /api/token/."}  # fmt: skip


class Error(s.Serializer):
    error = s.CharField(help_text="A code of docs/errors.md.")
    detail = s.CharField()


class Field(s.Serializer):
    value = s.CharField(allow_null=True)
    confidence = s.FloatField(allow_null=True)
    source = s.CharField(allow_null=True, help_text="clerk, read, or the classifier's layer")


class Mail(s.Serializer):
    registry_number = s.CharField()
    direction = s.ChoiceField(["A", "D"])
    received_at = s.DateTimeField()
    status = s.ChoiceField(["registered", "assigned", "in_progress", "answered", "closed"])
    confidential = s.BooleanField()
    file = s.CharField(allow_null=True)
    sha256 = s.CharField(allow_null=True)
    pages = s.IntegerField()
    languages = s.ListField(child=s.CharField())
    type = Field()
    service = Field()
    sender = Field()
    letter_date = Field()
    reference = Field()
    subject = Field()
    services = s.ListField(child=s.CharField(), help_text="taxonomy ids of the services it was routed to")
    tags = s.ListField(child=s.CharField())
    due_date = s.DateField(allow_null=True)
    voided = s.BooleanField()
    void_reason = s.CharField(allow_null=True)
    awaiting_signature = s.BooleanField()


class MailHit(Mail):
    snippet = s.CharField()


class MailPage(s.Serializer):
    count = s.IntegerField()
    next = s.URLField(allow_null=True)
    results = MailHit(many=True)


class MailDetail(Mail):
    retention = s.DictField(help_text="fate, active_years, intermediate_years, closed_on, active_until, fate_due")
    holds = s.ListField(child=s.DictField(), help_text="legal holds in force: reason, by, at")
    signatures = s.ListField(child=s.DictField())
    in_reply_to = s.CharField(allow_null=True)
    confirmed = s.BooleanField()
    ocr_confidence = s.FloatField(allow_null=True)
    text = s.CharField()
    page_details = s.ListField(child=s.DictField())
    history = s.ListField(child=s.DictField())


class MailPatch(s.Serializer):
    type = s.CharField(required=False)
    service = s.CharField(required=False)
    sender = s.CharField(required=False)
    letter_date = s.CharField(required=False, help_text="2026-03-14 or 14/03/2026")
    reference = s.CharField(required=False)
    subject = s.CharField(required=False)
    services = s.ListField(child=s.CharField(), required=False, help_text="route it to these services")
    confidential = s.BooleanField(required=False)
    status = s.ChoiceField(["registered", "assigned", "in_progress", "answered", "closed"], required=False)


class Upload(s.Serializer):
    file = s.FileField()
    confidential = s.BooleanField(required=False)
    services = s.ListField(child=s.CharField(), required=False)
    sender = s.CharField(required=False)
    subject = s.CharField(required=False)
    direction = s.ChoiceField(["A", "D"], required=False)


class Queued(s.Serializer):
    task = s.IntegerField()


class Task(s.Serializer):
    task = s.IntegerField()
    status = s.ChoiceField(["queued", "running", "retrying", "registered", "duplicate", "quarantined", "failed"])
    registry_number = s.CharField(allow_null=True)
    reason = s.CharField(allow_null=True)
    reason_code = s.CharField(allow_null=True)
    file = s.CharField()
    attempts = s.IntegerField()
    created_at = s.DateTimeField()
    updated_at = s.DateTimeField()


class Login(s.Serializer):
    username = s.CharField()
    password = s.CharField()


class TokenOut(s.Serializer):
    token = s.CharField()


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(Error) for code in codes}


BINARY = OpenApiResponse(bytes, description="the file's bytes")
LIST_PARAMETERS = [
    OpenApiParameter("q", str, description='words, "a phrase", -excluded'),
    OpenApiParameter("type", str, description="mail type id"),
    OpenApiParameter("service", str, description="addressee service id"),
    OpenApiParameter("status", str),
    OpenApiParameter("tag", str, many=True),
    OpenApiParameter("from", str, description="received on or after (2026-03-14 or 14/03/2026)"),
    OpenApiParameter("to", str, description="received on or before"),
    OpenApiParameter("letter_from", str, description="the letter's own date, from"),
    OpenApiParameter("letter_to", str, description="the letter's own date, to"),
    OpenApiParameter("direction", str, enum=["A", "D"]),
    OpenApiParameter("limit", int, description="1 to 500, default 20"),
    OpenApiParameter("offset", int, description="up to 10,000 results deep"),
]
