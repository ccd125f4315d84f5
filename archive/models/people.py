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
