"""Forms of the ledger screens. They only parse and shape input; the rules (permissions, windows,
versions, attachment checks) live in ``taizhang.ledger.services`` and come back as ``DomainError``s,
which ``add_domain_error`` puts on the right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from taizhang.accounts.models import Role, Unit, User
from taizhang.core.colours import Colour
from taizhang.ledger.errors import DomainError
from taizhang.ledger.models import ChangeKind, Plan, Task, TaskStatus
from taizhang.ledger.queries import SORTS, ReviewFilter, TaskFilter, parse_category
from taizhang.ledger.validators import MAX_ATTACHMENTS_PER_REPORT

MAX_FILES = MAX_ATTACHMENTS_PER_REPORT

# Field names used by services' DomainError(field=...) → the form field showing them.
FIELD_ALIASES = {"file": "files", "lead_unit": "lead_unit", "comment": "comment"}


def add_domain_error(form: forms.BaseForm, err: DomainError) -> None:
    """Show a service's Chinese message on the field it names (or on the whole form)."""
    name = FIELD_ALIASES.get(err.field or "", err.field)
    form.add_error(name if name in form.fields else None, err.message)


class _FastOptions:
    """Renders a select's options in Python. Django's default renders one template per option
    (~0.2 ms each), which is most of a page's time once a select lists 200 units."""

    allow_multiple_selected: bool
    choices: Any

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}  # type: ignore[attr-defined]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in selected else "", label)
                for key, label in ((("" if v is None else str(v)), label) for v, label in self.choices)
            ),
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # every part is escaped above


class FastSelect(_FastOptions, forms.Select):
    pass


class FastSelectMultiple(_FastOptions, forms.SelectMultiple):
    pass


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


def unit_groups(choices: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """A unit field's choices grouped by parent unit, in the order they come: the county's bureaus
    and towns under the county, a bureau's sections under the bureau. ("", …) holds the empty choice."""
    groups: dict[Any, tuple[str, list[tuple[str, str]]]] = {}
    for value, label in choices:
        unit = getattr(value, "instance", None)
        if unit is None:
            groups.setdefault("", ("", []))[1].append(("" if value is None else str(value), label))
            continue
        # the top unit heads the group of the units directly under it
        head = unit.parent if unit.parent is not None else unit
        groups.setdefault(head.pk, (head.name, []))[1].append((str(value), label))
    return list(groups.values())


FILTER_BOX = (
    # Shown by app.js (hidden without JavaScript: the list below works on its own).
    '<input type="search" class="unit-filter" placeholder="输入单位名称筛选" aria-label="筛选单位"'
    ' data-unit-filter="{}" hidden>'
)


class GroupedUnitSelect(forms.Select):
    """A unit <select> with one <optgroup> per parent unit and a filter box (rendered in Python, as
    _FastOptions, for 200-unit trees)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html(FILTER_BOX, final.get("id", name))]
        parts.append(f"<select{flatatt(final)}>")
        for title, options in unit_groups(self.choices):
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((key, mark_safe(" selected") if key in selected else "", label) for key, label in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', title, rendered) if title else rendered
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part is escaped above


class UnitChecklist(forms.CheckboxSelectMultiple):
    """Co-units as checkboxes grouped by parent unit, with a filter box: no Ctrl-click in a long list."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        box_id = final.get("id", name)
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [
            format_html('<div class="unit-checklist" id="{}">', box_id),
            format_html(FILTER_BOX, box_id),
        ]
        for title, options in unit_groups(self.choices):
            if not title:
                continue
            items = format_html_join(
                "",
                '<label class="unit-option"><input type="checkbox" name="{}" value="{}"{}> {}</label>',
                (
                    (name, key, mark_safe(" checked") if key in selected else "", label)
                    for key, label in options
                ),
            )
            parts.append(
                format_html('<fieldset class="unit-group"><legend>{}</legend>{}</fieldset>', title, items)
            )
        parts.append("</div>")
        return mark_safe("".join(parts))  # every part is escaped above

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_


class DatalistInput(forms.TextInput):
    """A text input offering ``options`` as a <datalist> (the browser filters it as one types)."""

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.options: list[str] = []

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        list_id = f"{name}-options"
        attrs = {**(attrs or {}), "list": list_id, "autocomplete": "off"}
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((o,) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


def leader_options(users: Any) -> dict[str, User]:
    """Leader users by the text that picks them: their name, with their unit when two share it."""
    users = list(users)
    counts: dict[str, int] = {}
    for user in users:
        counts[user.display_name] = counts.get(user.display_name, 0) + 1
    options: dict[str, User] = {}
    for user in users:
        name = user.display_name
        if counts[name] > 1 and user.unit is not None:
            name = f"{name}（{user.unit.label}）"
        options[name] = user
    return options


def resolve_leader(text: str, options: dict[str, User]) -> tuple[User | None, str]:
    """The one 责任领导 choice: a name from the list links that user (the task keeps the name too,
    for filters and exports); any other name is kept as written, linked to nobody."""
    name = " ".join((text or "").split())
    if not name:
        return None, ""
    user = options.get(name)
    if user is not None:
        return user, user.display_name
    return None, name


# --- plan page filters --------------------------------------------------------------------------


class TaskFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100)
    unit = UnitChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位", widget=FastSelect
    )
    category = forms.ChoiceField(label="分类", required=False, widget=FastSelect)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *TaskStatus.choices], widget=FastSelect
    )
    leader = forms.ChoiceField(label="责任领导", required=False, widget=FastSelect)
    colour = forms.ChoiceField(
        label="颜色", required=False, choices=[("", "全部颜色"), *Colour.choices], widget=FastSelect
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        widget=FastSelect,
        choices=[
            ("code", "按编号"),
            ("deadline", "按完成时限（先到期）"),
            ("-deadline", "按完成时限（后到期）"),
            ("progress", "按进度（低→高）"),
            ("-progress", "按进度（高→低）"),
            ("-code", "按编号（倒序）"),
        ],
    )

    def __init__(
        self,
        data: Any,
        *,
        units: QuerySet[Unit],
        categories: list[tuple[str, str]],
        leaders: list[str],
    ) -> None:
        super().__init__(data)
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "全部分类"), *categories]  # type: ignore[attr-defined]
        self.fields["leader"].choices = [("", "全部领导"), *[(n, n) for n in leaders]]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(placeholder="任务名称、内容或编号", type="search")

    def spec(self) -> TaskFilter:
        """The filter asked for; invalid values are ignored (a stale bookmark still shows the list)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "code"
        return TaskFilter(
            unit=data.get("unit"),
            category=parse_category(data.get("category") or ""),
            status=data.get("status") or "",
            leader=data.get("leader") or "",
            colour=data.get("colour") or "",
            q=(data.get("q") or "").strip(),
            sort=sort if sort in SORTS else "code",
        )


class ReviewFilterForm(forms.Form):
    plan = forms.ModelChoiceField(
        label="计划", queryset=Plan.objects.none(), required=False, empty_label="全部计划", widget=FastSelect
    )
    unit = UnitChoiceField(
        label="牵头单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="全部单位",
        widget=FastSelect,
    )

    def __init__(self, data: Any, *, plans: QuerySet[Plan], units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]

    def spec(self) -> ReviewFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ReviewFilter(plan=data.get("plan"), unit=data.get("unit"))


# --- reporting ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, at most ``max_files`` of them (every upload form's limit)."""

    def __init__(self, *args: Any, max_files: int = MAX_FILES, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > self.max_files:
            raise forms.ValidationError(f"一次最多上传 {self.max_files} 个附件")
        return files


class ReportForm(forms.Form):
    text = forms.CharField(
        label="本期进展情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明本期完成的工作量、节点完成情况、存在的问题和下步打算。",
    )
    # The page words these two help texts with the task's figures; the form's own text ties the field
    # to them (aria-describedby).
    percent = forms.IntegerField(
        label="累计完成进度（%）",
        required=False,
        min_value=0,
        max_value=100,
        help_text="零报告保持已审核通过的进度。",
    )
    is_zero_report = forms.BooleanField(label="零报告（本期无新进展）", required=False)
    zero_reason = forms.CharField(
        label="零报告原因", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    lower_reason = forms.CharField(
        label="进度下调原因",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="完成进度低于上次审核通过的进度时必填。",
    )
    # The metaclass moves declared fields off the class, so this never shadows BaseForm.files (the
    # uploaded files); django-stubs cannot see that.
    files = MultipleFileField(  # type: ignore[assignment]
        label="附件", required=False, help_text="可多选；支持 PDF、Word、Excel、JPG、PNG、TXT。"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


# --- review and comments ------------------------------------------------------------------------


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "通过"), ("return", "退回")],
        error_messages={"required": "请选择通过或退回", "invalid_choice": "请选择通过或退回"},
    )
    comment = forms.CharField(
        label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm_lower = forms.BooleanField(label="确认下调完成进度", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CoReportForm(forms.Form):
    """配合情况: the co-operating unit's own note for one period."""

    text = forms.CharField(label="本期配合情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ChangeRequestForm(forms.Form):
    """延期申请 / 调整申请. Only the field of the chosen kind is used (the service checks it)."""

    kind = forms.ChoiceField(
        label="申请事项",
        choices=ChangeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请事项", "invalid_choice": "请选择申请事项"},
    )
    new_deadline = forms.DateField(
        label="新的完成时限",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="延期申请时填写",
    )
    new_lead_unit = UnitChoiceField(
        label="新的牵头单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（请选择）",
        widget=FastSelect,
        help_text="调整牵头单位时选择",
    )
    reason = forms.CharField(label="申请理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_lead_unit"].queryset = units.select_related("parent")  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    """The plan owner's answer to a change request."""

    decision = forms.ChoiceField(
        choices=[("approve", "同意"), ("refuse", "不同意")],
        error_messages={"required": "请选择同意或不同意", "invalid_choice": "请选择同意或不同意"},
    )
    comment = forms.CharField(
        label="审批意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label="批示内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


# --- task edit ----------------------------------------------------------------------------------

TASK_EDIT_FIELDS = ("title", "content", "lead_unit", "co_units", "leader", "deadline", "status", "progress")


class TaskEditForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    content = forms.CharField(label="任务内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    lead_unit = UnitChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), required=False, widget=GroupedUnitSelect
    )
    co_units = UnitMultipleChoiceField(
        label="配合单位", queryset=Unit.objects.none(), required=False, widget=UnitChecklist
    )
    # One choice: a leader with an account (from the list), or the name of one without.
    leader = forms.CharField(
        label="责任领导",
        max_length=100,
        required=False,
        widget=DatalistInput,
        help_text="从列表中选择有系统账号的领导；没有账号的，直接填写姓名",
    )
    deadline = forms.DateField(
        label="完成时限",
        required=False,
        # <input type="date"> only shows (and posts back) ISO dates, whatever the locale's format
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    status = forms.ChoiceField(label="状态", choices=TaskStatus.choices, widget=FastSelect)
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the task's current units stay choosable even when they lie outside the editor's subtree
        current = [task.lead_unit_id, *task.co_units.values_list("pk", flat=True)]
        unit_choices = Unit.objects.filter(
            Q(pk__in=units.values("pk")) | Q(pk__in=[u for u in current if u])
        ).select_related("parent")
        self.fields["lead_unit"].queryset = unit_choices  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = unit_choices  # type: ignore[attr-defined]
        leaders = User.objects.filter(role=Role.LEADER, is_active=True).select_related("unit")
        self.leaders = leader_options(
            leaders.filter(Q(unit__in=unit_choices) | Q(pk=task.leader_id or 0)).order_by("full_name", "pk")
        )
        widget = self.fields["leader"].widget
        assert isinstance(widget, DatalistInput)
        widget.options = list(self.leaders)
        if not self.is_bound:
            self.initial.setdefault("leader", self.leader_text(task, self.leaders))

    def clean_leader(self) -> tuple[User | None, str]:
        return resolve_leader(self.cleaned_data.get("leader") or "", self.leaders)

    @staticmethod
    def leader_text(task: Task, options: dict[str, User]) -> str:
        if task.leader_id:
            for text, user in options.items():
                if user.pk == task.leader_id:
                    return text
        return task.leader_name

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "title": task.title,
            "content": task.content,
            "lead_unit": task.lead_unit_id,
            "co_units": list(task.co_units.values_list("pk", flat=True)),
            "deadline": task.deadline,
            "status": task.status,
            "progress": task.progress,
            "version": task.version,
        }

    def changes(self, task: Task) -> dict[str, Any]:
        """The fields whose posted value differs from ``task`` as saved now."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name in TASK_EDIT_FIELDS:
            value = data.get(name)
            if name == "co_units":
                value = value or []
                if {u.pk for u in value} != set(task.co_units.values_list("pk", flat=True)):
                    out[name] = list(value)
            elif name == "leader":
                user, leader_name = value or (None, "")
                if (user.pk if user else None, leader_name) != (task.leader_id, task.leader_name):
                    out["leader"], out["leader_name"] = user, leader_name
            elif name == "lead_unit":
                if (value.pk if value else None) != task.lead_unit_id:
                    out[name] = value
            elif name in ("title", "content"):
                if (value or "").strip() != getattr(task, name):
                    out[name] = (value or "").strip()
            elif value != getattr(task, name):
                out[name] = value
        return out
