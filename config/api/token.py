"""/api/token/: a token for a username and password (POST), revoked by its holder (DELETE).
Failed attempts count toward the same lockout as the web's login form (django-axes)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from archive import tokens
from archive.permissions import viewer_for
from config.api import schema


class TokenView(APIView):
    throttle_scope = "token"
    sijill_actions: ClassVar[dict[str, str | None]] = {"POST": None, "DELETE": None}

    def get_permissions(self):
        # Getting a token is the log-in itself; revoking one needs that token.
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(operation_id="token_issue", request=schema.Login,
                   responses={200: schema.TokenOut, **schema.errors(401, 429)}, auth=[])  # fmt: skip
    def post(self, request: Request) -> Response:
        username = str(request.data.get("username") or "")[:150]
        password = str(request.data.get("password") or "")[:512]
        try:
            user = authenticate(request._request, username=username, password=password)
        except PermissionDenied:
            user = None
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password, or too many failed attempts: wait and retry.")
        if viewer_for(user).role is None:
            raise AuthenticationFailed("This account has no role in Sijill; ask an administrator.")
        return Response({"token": tokens.issue(user)})

    @extend_schema(operation_id="token_revoke", responses={204: None, **schema.errors(401)})
    def delete(self, request: Request) -> Response:
        tokens.revoke(request.auth, request.user.get_username())
        return Response(status=204)
