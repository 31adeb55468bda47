"""The archive's forms: upload, search and the documents list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from taizhang.accounts.models import Unit
from taizhang.archive.models import DocumentKind, SectionRole
from taizhang.archive.search import KIND_CHOICES, Filters
from taizhang.ledger.forms import MultipleFileField, UnitChoiceField

MAX_FILES = 20
YEAR_MIN, YEAR_MAX = 2000, 2100


class UploadForm(forms.Form):
    files = MultipleFileField(  # type: ignore[assignment]
        label="文件",
        max_files=MAX_FILES,
        help_text=f".docx、.txt、.md 或 .xlsx，一次最多 {MAX_FILES} 个；汇编会按篇拆分",
    )
    unit = UnitChoiceField(
        label="所属单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="按文件识别",
        help_text="不选时按文件标题或正文中的单位识别，识别不出时归入您的单位",
    )
    year = forms.IntegerField(
        label="年度", required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, help_text="不填时按文件识别"
    )
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[
            ("", "按文件识别"),
            *((k.value, k.label) for k in DocumentKind if k != DocumentKind.COMPILATION),
        ],
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    # No max_length: a long query is answered by the search's own message (archive.search.words).
    q = forms.CharField(
        label="检索词", required=False, widget=forms.SearchInput(attrs={"autocomplete": "off"})
    )
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label="章节", required=False, choices=[("", "全部章节"), *SectionRole.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *KIND_CHOICES])

    def __init__(self, *args: Any, units: QuerySet[Unit], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        """The valid filters (an invalid one is dropped, not an error: these are links and selects)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        unit = data.get("unit")
        return Filters(
            unit_id=unit.pk if unit is not None else None,
            year=data.get("year"),
            role=data.get("role") or "",
            kind=data.get("kind") or "",
        )

    @property
    def query(self) -> str:
        return str(self.data.get("q", "") or "")


class DocumentFilterForm(forms.Form):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *DocumentKind.choices])

    def __init__(self, *args: Any, units: QuerySet[Unit], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]  # type: ignore[attr-defined]
