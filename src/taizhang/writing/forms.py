"""The bulletin page's choices: which month, and the 发文字号, 发文机关署名 and 成文日期 printed on it."""

from __future__ import annotations

from typing import Any

from django import forms

from taizhang.ledger.models import Plan
from taizhang.ledger.periods import period_label
from taizhang.rankings import facts


class BulletinForm(forms.Form):
    period = forms.ChoiceField(label="月份")
    number = forms.CharField(
        label="发文字号", required=False, max_length=60, help_text="如 督查通报〔2026〕11号；可不填"
    )
    issuer = forms.CharField(label="发文机关署名", required=False, max_length=100)
    date = forms.DateField(
        label="成文日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "成文日期格式不正确（应如 2026-12-05）"},
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = facts.plan_months(plan)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m, period_label(m)) for m in months]
        field.error_messages["invalid_choice"] = f"月份应在该计划的报送期内（{months[0]} 至 {months[-1]}）"
        self.fields["issuer"].widget.attrs["placeholder"] = plan.owner_unit.name
