"""The 对账 form: a plan of the ledger (or a plan document) and a summary document."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from taizhang.ledger.importing.forms import PLAN_SUFFIXES, check_upload_size
from taizhang.ledger.models import Plan

SUMMARY_SUFFIXES = (".docx", ".txt", ".md")


def _document(upload: UploadedFile[bytes] | None, suffixes: tuple[str, ...], what: str) -> None:
    """Size (the ledger's upload limit) and a known suffix; the engine then reads the content."""
    if upload is None:
        return
    name = PurePath(upload.name or "").name
    if PurePath(name).suffix.lower() not in suffixes:
        allowed = "、".join(suffixes)
        raise forms.ValidationError(f"{what}只能是 {allowed} 文件：{name or '（无文件名）'}")
    check_upload_size(upload)


class PlanChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Plan)
        return f"{obj.year}年 · {obj.title}（{obj.owner_unit.name}）"


class ReconcileForm(forms.Form):
    plan = PlanChoice(
        queryset=Plan.objects.none(), label="台账中的计划", required=False, empty_label="（请选择）"
    )
    plan_file = forms.FileField(
        label="或上传计划文件",
        required=False,
        help_text="Word（.docx）、任务分解表（.xlsx）或纯文本（.txt、.md）",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PLAN_SUFFIXES)}),
    )
    summary_file = forms.FileField(
        label="工作总结文件",
        help_text="Word（.docx）或纯文本（.txt、.md），读取其中“总结”部分的段落",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUMMARY_SUFFIXES)}),
    )

    def __init__(self, *args: Any, plans: QuerySet[Plan], fixed: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        field = self.fields["plan"]
        assert isinstance(field, PlanChoice)
        field.queryset = plans
        if fixed is not None:  # the plan comes from the URL: nothing to choose
            del self.fields["plan"]
            del self.fields["plan_file"]

    def clean_plan_file(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("plan_file")
        _document(upload, PLAN_SUFFIXES, "计划文件")
        return upload

    def clean_summary_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["summary_file"]
        _document(upload, SUMMARY_SUFFIXES, "总结文件")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.fixed is not None or self.errors:
            return data
        chosen, uploaded = data.get("plan") is not None, data.get("plan_file") is not None
        if chosen and uploaded:
            raise forms.ValidationError("请选择台账中的计划，或上传计划文件，二者选一")
        if not chosen and not uploaded:
            raise forms.ValidationError("请选择台账中的计划，或上传计划文件")
        return data
