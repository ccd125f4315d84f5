"""Administration pages: users with their role and services (the admin role only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from archive import taxonomy_store
from archive.models import StaffProfile


class ProfileForm(forms.ModelForm):
    services = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = StaffProfile
        fields = ("role", "services")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        t = taxonomy_store.current(settings.SIJILL)
        self.fields["services"].choices = [(s.id, f"{s.ar} — {s.fr}") for s in t.services.values()]


class ProfileInline(admin.StackedInline):
    model = StaffProfile
    form = ProfileForm
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class SijillUserAdmin(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "role")

    @admin.display(description="role")
    def role(self, user: User) -> str:
        profile = getattr(user, "sijill", None)
        return profile.role if profile else "—"


admin.site.site_header = "سجل — Sijill"
admin.site.site_title = "Sijill"
