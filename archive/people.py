"""Creating staff accounts with a role and services (for `sijill user add` and the demo)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from archive.models import Role, StaffProfile
from config.errors import ConfigError
from config.taxonomy import Taxonomy

MIN_PASSWORD = 8


def add_user(name: str, role: str, services: list[str], password: str, taxonomy: Taxonomy,
             email: str = "") -> User:  # fmt: skip
    """Create (or update) a user; an admin may also open Django's administration pages."""
    if role not in Role.values:
        raise ConfigError(f"Unknown role {role!r}; one of: {', '.join(Role.values)}.")
    unknown = [s for s in services if s not in taxonomy.services]
    if unknown:
        raise ConfigError(f"Unknown service(s) {', '.join(unknown)}; see [services] in the taxonomy.")
    if role in (Role.AGENT, Role.HEAD) and not services:
        raise ConfigError(f"A {role} belongs to at least one service: add --service ID.")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"The password must have at least {MIN_PASSWORD} characters.")
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username=name.strip()[:150])
        user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.is_active = True
        if email:
            user.email = email
        user.save()
        StaffProfile.objects.update_or_create(user=user, defaults={"role": role, "services": list(services)})
    return user
