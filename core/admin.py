from django.contrib import admin

from core.models import Change, Read


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence (history, read log) is looked at, never added, changed or deleted by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr"]


@admin.register(Read)
class ReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "channel", "view", "content_type", "object_id", "doctor", "rows"]
    list_filter = ["kind", "channel", "content_type"]
    raw_id_fields = ["doctor"]
