from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.notify.models import Channel

if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Channel]
else:  # django-stubs makes ModelForm generic; Django itself is not subscriptable
    _ModelForm = forms.ModelForm


class ChannelForm(_ModelForm):
    class Meta:
        model = Channel
        fields = ["unit", "kind", "name", "url", "secret", "enabled"]
        widgets = {
            "url": forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
            "secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        }

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = "已设置；留空表示不修改，填写新密钥可替换"

    def clean_secret(self) -> str:
        secret: str = self.cleaned_data.get("secret") or ""
        if not secret and self.instance.pk:
            return str(self.instance.secret)  # blank on edit keeps the stored secret (never shown)
        return secret.strip()
