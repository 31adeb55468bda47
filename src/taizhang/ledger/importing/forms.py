"""Forms of the import screens: upload or paste, the plan's fields, and one form per task row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from taizhang.accounts.models import Unit
from taizhang.accounts.units import unit_labels
from taizhang.core.sizes import human_size
from taizhang.ledger.models import Cadence
from taizhang.ledger.suggest.units import resolve_unit_names

PLAN_SUFFIXES = (".docx", ".xlsx", ".txt", ".md")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def check_upload_size(upload: UploadedFile[bytes]) -> None:
    """An uploaded document is refused empty or over TAIZHANG_MAX_UPLOAD_MB (its content is then
    checked by the engine's loader: format by content, zip and XML bombs)."""
    limit = settings.TAIZHANG_MAX_UPLOAD_BYTES
    size = upload.size or 0
    name = PurePath(upload.name or "").name
    if size == 0:
        raise forms.ValidationError(f"文件为空：{name}")
    if size > limit:
        raise forms.ValidationError(f"文件 {name} 大小为 {human_size(size)}，超过上限 {human_size(limit)}")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="计划文件",
        required=False,
        help_text="Word（.docx）、任务分解表（.xlsx）或纯文本（.txt、.md）",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PLAN_SUFFIXES)}),
    )
    text = forms.CharField(
        label="或粘贴计划全文",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "从标题开始粘贴，如：××县2026年重点工作计划……"}
        ),
    )

    def clean_file(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("file")
        if upload is not None:
            check_upload_size(upload)
        return upload

    def clean_text(self) -> str:
        text: str = self.cleaned_data.get("text") or ""
        if len(text.encode("utf-8")) > settings.TAIZHANG_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"粘贴的文本超过上限 {human_size(settings.TAIZHANG_MAX_UPLOAD_BYTES)}"
            )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = data.get("file") is not None
        has_text = bool((data.get("text") or "").strip())
        if not self.errors:
            if has_file and has_text:
                raise forms.ValidationError("请上传文件或粘贴文本，二者选一")
            if not has_file and not has_text:
                raise forms.ValidationError("请选择计划文件，或粘贴计划全文")
        return data


class XlsxUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 台账",
        help_text="列：序号、任务内容、责任领导、牵头单位、配合单位、完成时限、进展情况",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        check_upload_size(upload)
        return upload


class PlanFieldsForm(forms.Form):
    title = forms.CharField(label="计划标题", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    owner_unit = forms.TypedChoiceField(label="所属单位", coerce=int)
    cadence = forms.ChoiceField(label="报送周期", choices=Cadence.choices, initial=Cadence.MONTHLY)

    def __init__(self, *args: Any, owners: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        field = self.fields["owner_unit"]
        assert isinstance(field, forms.TypedChoiceField)
        labels = unit_labels(owners)
        field.choices = [(u.pk, labels[u.pk]) for u in owners]

    def clean_owner_unit(self) -> Unit:
        return self.owners[self.cleaned_data["owner_unit"]]


def unit_options(units: Sequence[Unit], labels: Mapping[int, str]) -> tuple[tuple[str, str], ...]:
    """(value, escaped <option>) for a unit select, built once and shared by every row."""
    empty = ("", '<option value="">（未指定）</option>')
    return (
        empty,
        *((str(u.pk), format_html('<option value="{}">{}</option>', u.pk, labels[u.pk])) for u in units),
    )


class FastSelect(forms.Widget):
    """A unit select rendered from prebuilt options: a preview of 300 tasks × 200 units renders
    60 000 options, which Django's per-option widget templates would take seconds over."""

    options: tuple[tuple[str, str], ...] = ()

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        marker = f'<option value="{chosen}">'
        options = "".join(
            html.replace(marker, f'<option value="{chosen}" selected>', 1) if key == chosen else html
            for key, html in self.options
        )
        attributes = "".join(
            format_html(' {}="{}"', k, v) for k, v in final.items() if v not in (None, False)
        )
        return mark_safe(f"<select{attributes}>{options}</select>")  # every part is escaped above


class TaskRowForm(forms.Form):
    """One task of the preview. Rows left out (``include`` unticked) are not checked."""

    include = forms.BooleanField(label="导入", required=False)
    title = forms.CharField(label="任务名称", max_length=200, required=False)
    content = forms.CharField(label="任务内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.IntegerField(label="牵头单位", required=False, widget=FastSelect)
    co_units = forms.CharField(
        label="配合单位",
        required=False,
        max_length=2000,
        help_text="多个单位用顿号分隔，如：县财政局、青石镇",
    )
    leader_name = forms.CharField(label="责任领导", required=False, max_length=100)
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        units: Sequence[Unit],
        year: int,
        labels: Mapping[int, str] | None = None,
        options: tuple[tuple[str, str], ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.by_pk = {u.pk: u for u in self.units}
        self.year = year
        self.labels = labels if labels is not None else unit_labels(self.units)
        widget = self.fields["lead_unit"].widget
        assert isinstance(widget, FastSelect)
        widget.options = options if options is not None else unit_options(self.units, self.labels)
        for bound in self.fields.values():
            bound.widget.attrs.setdefault("aria-label", str(bound.label))

    def clean_lead_unit(self) -> int | None:
        pk: int | None = self.cleaned_data.get("lead_unit")
        if pk is not None and pk not in self.by_pk:
            raise forms.ValidationError("请从列表中选择牵头单位")
        return pk

    def clean_co_units(self) -> list[Unit]:
        found, problems = resolve_unit_names(self.cleaned_data.get("co_units") or "", self.units)
        if problems:
            raise forms.ValidationError(problems)
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("include"):
            self._errors = ErrorDict()  # a row left out is not checked
            return data
        if not (data.get("title") or "").strip():
            self.add_error("title", "请填写任务名称")
        deadline: dt.date | None = data.get("deadline")
        if "deadline" not in self.errors:
            if deadline is None:
                self.add_error("deadline", "请填写完成时限")
            elif deadline < dt.date(self.year, 1, 1):
                self.add_error("deadline", f"完成时限早于计划年度（{self.year}年）")
        lead = self.by_pk.get(data["lead_unit"]) if data.get("lead_unit") is not None else None
        data["lead_unit"] = lead
        if lead is not None and lead in (data.get("co_units") or []):
            data["co_units"] = [u for u in data["co_units"] if u != lead]
        return data

    @staticmethod
    def co_text(units: Sequence[Unit], labels: Mapping[int, str]) -> str:
        """Co-operating units as the field shows them (the names it reads back)."""
        return "、".join(labels.get(u.pk, u.name) for u in units)
