from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuthEvent, User
from accounts.services import user_changed_by_administrator
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

    def save_model(self, request, obj: User, form, change: bool) -> None:
        old_email = User.objects.filter(pk=obj.pk).values_list("email", flat=True).first() if change else obj.email
        super().save_model(request, obj, form, change)
        if change:
            user_changed_by_administrator(request=request, user=obj, old_email=old_email or "", password=False)

    def user_change_password(self, request, id: str, form_url: str = ""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            user_changed_by_administrator(request=request, user=user, old_email=user.email, password=True)
        return response


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "username", "method", "ip"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"
