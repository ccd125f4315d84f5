from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    CLERK = "clerk", "Agent du bureau d'ordre / موظف مكتب الضبط"
    AGENT = "agent", "Agent de service / موظف المصلحة"
    HEAD = "head", "Chef de service / رئيس المصلحة"
    SIGNATORY = "signatory", "Signataire / الموقع"
    ARCHIVIST = "archivist", "Archiviste / المكلف بالأرشيف"
    ADMIN = "admin", "Administrateur / المدير"


class StaffProfile(models.Model):
    """A user's role and the services (taxonomy ids) he belongs to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sijill")
    role = models.CharField(max_length=16, choices=Role.choices)
    services = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"


class ApiToken(models.Model):
    """A REST API token. Only its SHA-256 is kept: the catalogue never holds a usable token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)  # the token's first characters, to tell tokens apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __repr__(self) -> str:
        return f"ApiToken({self.prefix}…, user={self.user_id}, revoked={self.revoked_at is not None})"

    __str__ = __repr__
