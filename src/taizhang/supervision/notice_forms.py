"""Forms of the supervision screens: they parse input; the rules live in ``notices`` and
``instructions`` and come back as ``DomainError``s (``ledger.forms.add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.ledger.forms import FastSelect, MultipleFileField, UnitChoiceField
from taizhang.ledger.models import Plan, Task
from taizhang.supervision.models import NoticeKind, NoticeState

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class TaskChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}".strip()


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label="通知类别",
        choices=NoticeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择通知类别", "invalid_choice": "请选择通知类别"},
    )
    tasks = TaskChoiceField(
        label="督办任务",
        queryset=Task.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一项任务", "invalid_choice": "所选任务不可督办，请刷新后重选"},
    )
    subject = forms.CharField(
        label="事由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写事由"},
    )
    reply_due = forms.DateField(
        label="回复时限",
        widget=DATE_WIDGET,
        help_text="不早于今天，不晚于计划年度的次年年底。",
        error_messages={"required": "请填写回复时限", "invalid": "请填写有效的日期"},
    )

    def __init__(self, *args: Any, tasks: QuerySet[Task], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = tasks  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="回复内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明原因分析、整改措施和完成时限。",
        error_messages={"required": "请填写回复内容"},
    )
    new_date = forms.DateField(
        label="承诺完成时间",
        required=False,
        widget=DATE_WIDGET,
        help_text="可选：需调整完成时间的，填写承诺完成的日期。",
        error_messages={"invalid": "请填写有效的日期"},
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label="附件", required=False, help_text="PDF、Word、Excel、图片或文本文件。"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoticeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "办结"), ("return", "退回")],
        error_messages={"required": "请选择办结或退回", "invalid_choice": "请选择办结或退回"},
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填。",
    )
    reply_due = forms.DateField(
        label="重新回复时限",
        required=False,
        widget=DATE_WIDGET,
        help_text="退回时适用；不填则按通知类别顺延。",
        error_messages={"invalid": "请填写有效的日期"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *NoticeState.choices], widget=FastSelect
    )
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *NoticeKind.choices], widget=FastSelect
    )
    unit = UnitChoiceField(
        label="主送单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="全部单位",
        widget=FastSelect,
    )

    plan = forms.ModelChoiceField(
        label="工作计划",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="全部计划",
        widget=FastSelect,
    )
    overdue = forms.BooleanField(label="仅看逾期未回复", required=False)

    def __init__(self, data: Any, *, units: QuerySet[Unit], plans: QuerySet[Plan]) -> None:
        super().__init__(data)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The filters asked for; invalid values are ignored (a stale bookmark still lists)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v}


class InstructionForm(forms.Form):
    text = forms.CharField(
        label="批示内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写批示内容"},
    )
    due_on = forms.DateField(
        label="落实时限",
        widget=DATE_WIDGET,
        help_text="牵头单位须在此日期前报告落实情况。",
        error_messages={"required": "请填写落实时限", "invalid": "请填写有效的日期"},
    )


class FollowUpForm(forms.Form):
    due_on = forms.DateField(
        label="落实时限",
        widget=DATE_WIDGET,
        help_text="牵头单位须在此日期前报告落实情况。",
        error_messages={"required": "请填写落实时限", "invalid": "请填写有效的日期"},
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="落实情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写落实情况"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
