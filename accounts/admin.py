from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuthEvent, User
from core.admin import ReadOnlyAdmin


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


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "method", "ip"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"
