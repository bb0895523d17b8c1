from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from core.models import Change, Read, User


@admin.register(User)
class AlisUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "office", "is_active"]
    list_filter = ["role", "office", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("ALIS-oversikt", {"fields": ["role", "office"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("ALIS-oversikt", {"fields": ["role", "office"]}),
    ]


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """Read-only: the history is evidence and is never edited."""

    list_display = ["at", "user", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Read)
class ReadAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "content_type", "object_id"]
    list_filter = ["content_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
