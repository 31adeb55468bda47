from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from taizhang.supervision.models import ColourRules
from taizhang.supervision.services import RULE_FIELDS

if TYPE_CHECKING:  # django-stubs types ModelForm by its model; at run time it is not generic
    _ModelForm = forms.ModelForm[ColourRules]
else:
    _ModelForm = forms.ModelForm


class ColourRulesForm(_ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ColourRules
        fields = RULE_FIELDS

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        yellow, red = data.get("yellow_behind"), data.get("red_behind")
        if isinstance(yellow, int) and isinstance(red, int) and yellow >= red:
            self.add_error("yellow_behind", "黄色的落后百分点应小于红色的落后百分点")
        return data
