"""Every view goes through ``requires``: log-in first, then the role's right to the action.
Which letters a user may see is decided below the views, in ``archive.permissions``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from archive.permissions import Viewer, get_visible, viewer_for
from config.errors import NotFoundError


def viewer(request: HttpRequest) -> Viewer:
    cached = getattr(request, "_sijill_viewer", None)
    if cached is None:
        cached = viewer_for(request.user)
        request._sijill_viewer = cached  # type: ignore[attr-defined]
    return cached


def requires(action: str) -> Callable:
    """Log-in required; then the user's role must allow ``action`` (403 otherwise)."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not viewer(request).may(action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.sijill_action = action  # type: ignore[attr-defined]
        return checked

    return wrap


def letter_or_404(request: HttpRequest, number: str):
    """A letter the user may not see is answered exactly like a number never given."""
    try:
        return get_visible(viewer(request), number)
    except NotFoundError:
        raise Http404("No such letter") from None
