from django.contrib import admin

from taizhang.notify.models import Channel, Delivery, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = ["created_at", "read_at"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "kind", "enabled"]
    list_filter = ["kind", "enabled"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "target", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state", "kind"]
    readonly_fields = ["claimed_by", "claimed_at", "created_at", "sent_at"]
