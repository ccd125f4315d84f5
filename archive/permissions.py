"""Who may see which letter, and who may do what: the one place that decides.

The web pages, the CLI and the REST API all build their querysets and search filters here,
so no page can forget a rule. A letter a user may not see does not exist for him: lists,
counts, facets and URLs behave as if it had never been registered (404, never 403).

- admin: everything.
- clerk, archivist, signatory: every letter that is not confidential, plus the confidential
  letters routed to one of their services or naming them.
- agent, head: the letters routed to one of their services, or naming them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from archive.access_tokens import PUBLIC
from archive.models import NamedReader, RegistryEntry, Role, Routing
from config.errors import NotFoundError

BROAD = frozenset({Role.CLERK, Role.ARCHIVIST, Role.SIGNATORY})

# What each role may do, besides reading what it may see.
ACTIONS: dict[str, frozenset[str]] = {
    "intake": frozenset({Role.CLERK, Role.ADMIN}),
    "review": frozenset({Role.CLERK, Role.ADMIN}),
    "route": frozenset({Role.CLERK, Role.ADMIN}),
    "assign": frozenset({Role.CLERK, Role.HEAD, Role.ADMIN}),
    "register": frozenset({Role.CLERK, Role.ARCHIVIST, Role.SIGNATORY, Role.ADMIN}),
    "export": frozenset({Role.CLERK, Role.ARCHIVIST, Role.ADMIN}),
    "tag": frozenset({Role.CLERK, Role.AGENT, Role.HEAD, Role.ADMIN}),
    "set_status": frozenset({Role.CLERK, Role.AGENT, Role.HEAD, Role.ADMIN}),
    "void": frozenset({Role.CLERK, Role.ADMIN}),
    "confidential": frozenset({Role.CLERK, Role.ADMIN}),
    "reply": frozenset({Role.AGENT, Role.HEAD, Role.ADMIN}),
    "visa": frozenset({Role.HEAD, Role.ADMIN}),
    "sign": frozenset({Role.SIGNATORY, Role.ADMIN}),
    "outgoing": frozenset({Role.AGENT, Role.HEAD, Role.SIGNATORY, Role.ADMIN}),
    "figures": frozenset({Role.CLERK, Role.HEAD, Role.ARCHIVIST, Role.ADMIN}),
    "hold": frozenset({Role.ARCHIVIST, Role.ADMIN}),
    "dispose_review": frozenset({Role.ARCHIVIST, Role.ADMIN}),
    "dispose_approve": frozenset({Role.ADMIN}),
    "inbox": frozenset({Role.AGENT, Role.HEAD, Role.CLERK, Role.ADMIN}),
    "search": frozenset(Role.values),
    "manage": frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Viewer:
    """A user as the rules see him. A user without a role sees nothing."""

    username: str
    role: str | None
    services: frozenset[str] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def may(self, action: str) -> bool:
        return self.role is not None and self.role in ACTIONS[action]

    def __repr__(self) -> str:
        return f"Viewer({self.username!r}, {self.role!r}, {sorted(self.services)!r})"


def viewer_for(user) -> Viewer:
    """The rules' view of a Django user (anonymous and inactive users have no role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer("", None)
    if user.is_superuser:
        return Viewer(user.get_username(), Role.ADMIN)
    profile = getattr(user, "sijill", None)
    try:
        role, services = (profile.role, frozenset(profile.services or ())) if profile else (None, frozenset())
    except Exception:  # no profile row
        role, services = None, frozenset()
    return Viewer(user.get_username(), role, services)


def operator(username: str) -> Viewer:
    """Whoever runs the CLI on the server holds the database's keys: he sees everything."""
    return Viewer(username, Role.ADMIN)


def visible_entries(viewer: Viewer, qs: QuerySet[RegistryEntry] | None = None) -> QuerySet[RegistryEntry]:
    qs = RegistryEntry.objects.all() if qs is None else qs
    if viewer.is_admin:
        return qs
    if viewer.role is None:
        return qs.none()
    return qs.filter(_visible_q(viewer))


def _visible_q(viewer: Viewer) -> Q:
    own = Q(Exists(NamedReader.objects.filter(entry=OuterRef("pk"), username=viewer.username)))
    if viewer.services:
        own |= Q(Exists(Routing.objects.filter(entry=OuterRef("pk"), service__in=sorted(viewer.services))))
    return Q(confidential=False) | own if viewer.role in BROAD else own


def can_see(viewer: Viewer, entry: RegistryEntry) -> bool:
    return visible_entries(viewer, RegistryEntry.objects.filter(pk=entry.pk)).exists()


def get_visible(viewer: Viewer, number: str) -> RegistryEntry:
    """The entry, if the viewer may see it; otherwise the same error as a number never given."""
    entry = visible_entries(viewer).select_related("document").filter(number=number.strip().upper()[:32]).first()
    if entry is None:
        raise NotFoundError(f"No registry entry {number!r}.")
    return entry


def hidden_ids(viewer: Viewer, qs: QuerySet[RegistryEntry]) -> set[int]:
    """Of these register lines, the ids the viewer may not read: the register book shows them
    as number, date and «سري / confidentiel» only, so its numbering stays whole."""
    if viewer.is_admin:
        return set()
    if viewer.role is None:
        return set(qs.values_list("pk", flat=True))
    return set(qs.exclude(_visible_q(viewer)).values_list("pk", flat=True))


# --- the search index's side: the same rule as tokens on each indexed letter -----------------


def search_access(viewer: Viewer) -> tuple[str, ...] | None:
    """The tokens a viewer's searches are filtered on (None: no filter, for admins)."""
    if viewer.is_admin:
        return None
    if viewer.role is None:
        return ("none:",)  # matches nothing
    tokens = [f"svc:{s}" for s in sorted(viewer.services)] + [f"user:{viewer.username}"]
    if viewer.role in BROAD:
        tokens.append(PUBLIC)
    return tuple(tokens)
