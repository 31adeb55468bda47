"""Forms of the problem ledger's screens: they parse input; the rules come back from
``supervision.problems`` as ``DomainError``s (``ledger.forms.add_domain_error`` places them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.ledger.forms import (
    FastSelect,
    GroupedUnitSelect,
    MultipleFileField,
    UnitChoiceField,
)
from taizhang.ledger.models import Plan, Task
from taizhang.supervision.models import Colour
from taizhang.supervision.problem_models import ProblemSource, ProblemState

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
SORTS = [
    ("deadline", "按整改时限（先到期）"),
    ("-deadline", "按整改时限（后到期）"),
    ("colour", "按颜色（红色在前）"),
    ("unit", "按责任单位"),
    ("-created", "按登记时间（新的在前）"),
]


class PlanChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year}年 {obj.title}"


class ProblemFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    plan = PlanChoiceField(
        label="工作计划",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="全部计划",
        widget=FastSelect,
    )
    unit = UnitChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="全部单位",
        widget=FastSelect,
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *ProblemState.choices], widget=FastSelect
    )
    colour = forms.ChoiceField(
        label="颜色", required=False, choices=[("", "全部颜色"), *Colour.choices], widget=FastSelect
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORTS, widget=FastSelect)

    def __init__(self, data: Any, *, plans: QuerySet[Plan], units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The valid filters (an invalid one is ignored, as the plan page does)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "plan": data.get("plan"),
            "unit": data.get("unit"),
            "state": data.get("state") or "",
            "colour": data.get("colour") or "",
            "sort": data.get("sort") or "deadline",
        }


class ProblemForm(forms.Form):
    title = forms.CharField(label="问题", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label="问题描述", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = UnitChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        widget=GroupedUnitSelect,
        error_messages={"required": "请选择责任单位", "invalid_choice": "请选择责任单位"},
    )
    measures = forms.CharField(
        label="整改措施", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label="整改时限",
        widget=DATE_WIDGET,
        error_messages={"required": "请填写整改时限", "invalid": "请填写正确的日期，如 2026-06-30"},
    )
    task = forms.ModelChoiceField(
        label="相关任务",
        queryset=Task.objects.none(),
        required=False,
        empty_label="（不关联任务）",
        widget=FastSelect,
    )
    source = forms.ChoiceField(
        label="问题来源",
        choices=[(ProblemSource.MANUAL, "手工录入"), (ProblemSource.NOTICE, "督办通知")],
        initial=ProblemSource.MANUAL,
        widget=forms.RadioSelect,
    )
    source_note = forms.CharField(
        label="来源说明",
        required=False,
        max_length=200,
        help_text="来自督办通知的，填写通知文号，如 督办〔2026〕12号",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], tasks: QuerySet[Task], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]
        self.fields["task"].label_from_instance = lambda t: f"{t.code} {t.title}".strip()  # type: ignore[attr-defined]
        if editing:  # the source is where it came from: not edited
            del self.fields["source"]
            del self.fields["source_note"]


class RectifyForm(forms.Form):
    text = forms.CharField(
        label="整改情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明采取的整改措施、完成情况和成效。",
        error_messages={"required": "请填写整改情况"},
    )
    # as ``ledger.forms.ReportForm``: the metaclass moves it off the class (not BaseForm.files)
    files = MultipleFileField(  # type: ignore[assignment]
        label="佐证材料", required=False, help_text="可多选；PDF、Word、Excel、图片或文本文件。"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label="验收结论",
        choices=[("sign_off", "验收通过，销号"), ("return", "退回重新整改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择验收通过或退回", "invalid_choice": "请选择验收通过或退回"},
    )
    comment = forms.CharField(
        label="验收意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="回头看发现的情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写回头看发现的情况（重新挂账理由）"},
    )
    new_deadline = forms.DateField(
        label="新的整改时限",
        required=False,
        widget=DATE_WIDGET,
        help_text="不填则沿用原整改时限",
        error_messages={"invalid": "请填写正确的日期，如 2026-06-30"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        required=False,
        help_text="Word（.docx）或文本（.txt）文件，含“存在问题”“存在的主要问题”等部分",
    )


class ImportRowForm(forms.Form):
    include = forms.BooleanField(label="导入", required=False)
    unit = UnitChoiceField(
        label="责任单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（请选择）",
        widget=FastSelect,
    )
    deadline = forms.DateField(
        label="整改时限", required=False, widget=DATE_WIDGET, error_messages={"invalid": "请填写正确的日期"}
    )
    measures = forms.CharField(
        label="整改措施", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
