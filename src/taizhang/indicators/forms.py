"""Forms of the indicator screens: they parse and shape input; the rules are in ``services`` and
``permissions`` and come back as Chinese ``DomainError``s."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.indicators.models import Accumulation, Direction, Periodicity
from taizhang.indicators.xlsx import parse_number


class NumberField(forms.CharField):
    """A decimal typed as clerks type it (``1,234.5``, full-width digits); Chinese errors."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError as err:
            raise forms.ValidationError(
                f"{self.label}{err}" if str(err).startswith("“") else str(err)
            ) from None


class IndicatorForm(forms.Form):
    name = forms.CharField(label="指标名称", max_length=100)
    measure = forms.CharField(label="计量单位", max_length=20, required=False, help_text="如 亿元、%、个")
    owner_unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), help_text="由该单位填报数值"
    )
    target = NumberField(label="年度目标", help_text="可不填；越低越好的指标填上限")
    last_year = NumberField(label="上年全年值", help_text="可不填；用于累计指标的同比估算")
    periodicity = forms.ChoiceField(label="报送周期", choices=Periodicity.choices)
    accumulation = forms.ChoiceField(label="统计口径", choices=Accumulation.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(label="指标方向", choices=Direction.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        field.empty_label = "请选择"


class EntryRowForm(forms.Form):
    """One indicator's line of the entry screen (prefix ``i<pk>``)."""

    value = NumberField(label="本期数值")
    last_year_value = NumberField(label="上年同期")
    rank = forms.IntegerField(
        label="排名",
        required=False,
        min_value=1,
        max_value=99999,
        error_messages={"invalid": "排名应为正整数"},
    )
    rank_of = forms.IntegerField(
        label="参评数",
        required=False,
        min_value=1,
        max_value=99999,
        error_messages={"invalid": "参评数应为正整数"},
    )
    note = forms.CharField(label="备注", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = [data.get(n) for n in ("last_year_value", "rank", "rank_of")] + [
            (data.get("note") or "").strip()
        ]
        if (
            data.get("value") is None
            and "value" not in self.errors
            and any(o not in (None, "") for o in others)
        ):
            self.add_error("value", "请填写本期数值")
        rank, rank_of = data.get("rank"), data.get("rank_of")
        if rank is not None and rank_of is not None and rank > rank_of:
            self.add_error("rank", f"排名第{rank}位超过了参评总数{rank_of}")
        if rank_of is not None and rank is None:
            self.add_error("rank", "填写了参评数，请同时填写排名")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="列：指标名称、本期数值，可选 上年同期、排名（如 3/12）、备注；请先下载模板",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "请选择要上传的 Excel 文件", "empty": "文件为空"},
    )


class CandidateForm(forms.Form):
    """One target indicator read from the plan's document (prefix ``c<index>``)."""

    include = forms.BooleanField(label="生成", required=False)
    name = forms.CharField(label="指标名称", max_length=100)
    measure = forms.CharField(label="计量单位", max_length=20, required=False)
    target = NumberField(label="年度目标")
    owner_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.none())
    accumulation = forms.ChoiceField(label="统计口径", choices=Accumulation.choices)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        field.empty_label = "请选择"

    def full_clean(self) -> None:
        # rows left out are not checked: only what is generated must be valid
        super().full_clean()
        if self.is_bound and not self.cleaned_data.get("include"):
            self._errors = forms.utils.ErrorDict()
