from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from taizhang.rankings.models import WEIGHT_FIELDS, ScoringScheme

if TYPE_CHECKING:  # django-stubs types ModelForm by its model; at run time it is not generic
    _ModelForm = forms.ModelForm[ScoringScheme]
else:
    _ModelForm = forms.ModelForm


class ScoringSchemeForm(_ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ScoringScheme
        fields = WEIGHT_FIELDS
