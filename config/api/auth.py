"""Who is calling, and may he: token authentication and the one permission check of every route.

Each view names the role action each HTTP method needs (``actions``); a method it does not
name is refused. Which letters the caller sees is decided below, in ``archive.permissions``.
"""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from archive import tokens
from archive.permissions import Viewer, viewer_for


class TokenAuth(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the header as: Authorization: Token <token>.")
        found = tokens.user_for(parts[1].decode(errors="replace"))
        if found is None:
            raise AuthenticationFailed("This token is unknown, revoked, or its user is deactivated.")
        return found

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # makes DRF answer 401 (not 403) without credentials


def viewer(request: Request) -> Viewer:
    cached = getattr(request, "_sijill_viewer", None)
    if cached is None:
        cached = viewer_for(request.user)
        request._sijill_viewer = cached
    return cached


class RoleAllows(BasePermission):
    """The caller's role must allow the action the view names for this method."""

    def has_permission(self, request: Request, view) -> bool:
        action = getattr(view, "sijill_actions", {}).get(request.method)
        if action is None:
            return request.method == "OPTIONS"
        return viewer(request).may(action)


class PerToken(SimpleRateThrottle):
    """Requests per token (per address before login), at the rate of the view's ``throttle_scope``."""

    scope = "api"

    def get_cache_key(self, request: Request, view) -> str | None:
        token = request.auth
        who = f"token-{token.pk}" if token is not None else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": who}

    def get_rate(self) -> str:
        from rest_framework.settings import api_settings  # read at each call: settings may change

        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request: Request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", "api")
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


def require(request: Request, action: str) -> None:
    """For a route whose parts need more than its method's action (PATCH of a letter)."""
    if not viewer(request).may(action):
        raise PermissionDenied(f"Your role may not {action.replace('_', ' ')}.")
