"""REST API tokens: issued for a password, checked on every call, revoked at will.

A token is 40 random characters shown once; the catalogue keeps its SHA-256 only. A revoked
token, or one whose user was deactivated, stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from archive import audit
from archive.models import ApiToken

# Writing "last used" on every call would make each read a write: once a minute is enough.
TOUCH_EVERY_S = 60


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user: User) -> str:
    key = secrets.token_urlsafe(30)
    ApiToken.objects.create(user=user, digest=_digest(key), prefix=key[:8])
    audit.record(user.get_username(), "api_token_issued", user.get_username(), prefix=key[:8])
    return key


def user_for(key: str) -> tuple[User, ApiToken] | None:
    """The active user of a live token, or None."""
    if not key or len(key) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY_S:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def revoke(token: ApiToken, actor: str) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor, "api_token_revoked", token.user.get_username(), prefix=token.prefix)


def revoke_all(username: str, actor: str) -> int:
    n = ApiToken.objects.filter(user__username=username, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if n:
        audit.record(actor, "api_token_revoked", username, count=n)
    return n
