"""Keys and partners' webhooks in the admin: a key's secret is shown once, when it is made;
each message to a partner lists its attempts (status, response time, error)."""

from django import forms
from django.contrib import admin, messages

from api.models import ApiKey, Attempt, Delivery, Endpoint
from api.models.webhooks import Event


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "requests_per_minute", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.issue()
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(
                request,
                f"The key for “{obj.name}” is {key} — copy it now: it is kept only as a "
                "hash and cannot be shown again. Callers send it in the X-API-Key header.",
            )


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "is_active", "secret"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "is_active", "disabled_reason", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["disabled_reason"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ["started_at", "status_code", "response_ms", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "release_id", "status", "attempts", "created_at"]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    readonly_fields = [
        "endpoint", "message_id", "event", "release_id", "payload", "status", "attempts",
        "next_attempt_at", "created_at",
    ]  # fmt: skip
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False
