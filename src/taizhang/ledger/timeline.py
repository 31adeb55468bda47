"""A task's timeline: progress reports, reviews, 批示, milestones and the audit trail in time order.

Reports, reviews, comments and milestones come from their rows (what is true now); the audit trail
(``taizhang.ledger.audit.task_audit_entries``) adds the history the rows no longer hold — earlier
texts of a resubmitted report, earlier review decisions, every edit of the task — as "变更记录"
entries with before/after values in Chinese. Foreign keys in the audit trail are resolved with one
query per related model, never one per entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import timezone

from taizhang.ledger.audit import task_audit_entries
from taizhang.ledger.models import (
    ChangeRequest,
    Comment,
    CoReport,
    Milestone,
    ProgressReport,
    RequestState,
    ReviewState,
    Task,
)
from taizhang.ledger.obligations import report_is_late
from taizhang.ledger.periods import day_start, period_label

AUDIT_LIMIT = 200
TEXT_LIMIT = 120
SKIPPED_FIELDS = frozenset({"id", "version", "updated_at", "created_at", "task", "report"})
ACTIONS = {0: "新增", 1: "修改", 2: "删除", 3: "查看"}
# tie-break for events at the same instant: the business event first, its audit record after
KIND_ORDER = {
    "review": 0,
    "report": 1,
    "co_report": 2,
    "decision": 3,
    "request": 4,
    "comment": 5,
    "milestone": 6,
    "audit": 7,
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class TimelineEvent:
    when: dt.datetime
    kind: str  # report | review | co_report | request | decision | comment | milestone | audit
    title: str
    actor: str = ""
    body: str = ""
    report: ProgressReport | None = None
    comment: Comment | None = None
    milestone: Milestone | None = None
    change_request: ChangeRequest | None = None
    changes: list[FieldChange] = field(default_factory=list)
    badges: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)


def _name(user: Any) -> str:
    return user.display_name if user is not None else "系统"


def report_events(reports: Iterable[ProgressReport]) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for report in reports:
        badges = [(f"state-{report.state}", report.get_state_display())]
        if report.is_zero_report:
            badges.append(("zero", "零报告"))
        if report_is_late(report):
            badges.append(("late", "逾期报送"))
        if report.lower_reason:
            badges.append(("late", "进度下调"))
        events.append(
            TimelineEvent(
                when=report.submitted_at,
                kind="report",
                title=f"{period_label(report.period)}进展报送",
                actor=_name(report.submitted_by),
                body=report.zero_reason if report.is_zero_report else report.text,
                report=report,
                badges=badges,
            )
        )
        if report.reviewed_at is not None and report.state != ReviewState.PENDING:
            approved = report.state == ReviewState.APPROVED
            events.append(
                TimelineEvent(
                    when=report.reviewed_at,
                    kind="review",
                    title=f"{period_label(report.period)}进展{'审核通过' if approved else '被退回'}",
                    actor=_name(report.reviewer),
                    body=report.review_comment,
                    report=report,
                    badges=[(f"state-{report.state}", report.get_state_display())],
                )
            )
    return events


def co_report_events(co_reports: Iterable[CoReport]) -> list[TimelineEvent]:
    """配合情况: the co-units' own notes, apart from the lead unit's reports."""
    return [
        TimelineEvent(
            when=c.submitted_at,
            kind="co_report",
            title=f"{period_label(c.period)}配合情况（{c.unit.name}）",
            actor=_name(c.submitted_by),
            body=c.text,
            badges=[("co", "配合单位")],
        )
        for c in co_reports
    ]


def change_request_events(requests: Iterable[ChangeRequest]) -> list[TimelineEvent]:
    """延期申请 / 调整申请 and their decisions: the history stays on the timeline."""
    events = []
    for r in requests:
        events.append(
            TimelineEvent(
                when=r.requested_at,
                kind="request",
                title=f"{r.get_kind_display()}：{r.wanted}",
                actor=_name(r.requested_by),
                body=r.reason,
                change_request=r,
                badges=[(f"request-{r.state}", r.get_state_display())],
            )
        )
        if r.decided_at is not None and r.state != RequestState.PENDING:
            events.append(
                TimelineEvent(
                    when=r.decided_at,
                    kind="decision",
                    title=f"{r.get_kind_display()}{r.get_state_display()}：{r.wanted}",
                    actor=_name(r.decided_by),
                    body=r.decision_comment,
                    change_request=r,
                    badges=[(f"request-{r.state}", r.get_state_display())],
                )
            )
    return events


def comment_events(comments: Iterable[Comment]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            when=c.created_at, kind="comment", title="批示", actor=_name(c.author), body=c.text, comment=c
        )
        for c in comments
    ]


def milestone_events(milestones: Iterable[Milestone], as_of: dt.date) -> list[TimelineEvent]:
    events = []
    for m in milestones:
        if m.done and m.done_on:
            events.append(
                TimelineEvent(
                    when=day_start(m.done_on),
                    kind="milestone",
                    title=f"节点完成：{m.description}",
                    body=m.expected_result,
                    milestone=m,
                    badges=[("done", "已完成")],
                )
            )
        elif m.due_on < as_of and not m.done:
            events.append(
                TimelineEvent(
                    when=day_start(m.due_on),
                    kind="milestone",
                    title=f"节点到期未完成：{m.description}",
                    body=m.expected_result,
                    milestone=m,
                    badges=[("late", "未完成")],
                )
            )
    return events


# --- audit trail --------------------------------------------------------------------------------


def _concrete_field(model: type[Model], name: str) -> Any:
    if name in SKIPPED_FIELDS:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (getattr(found, "concrete", False) or getattr(found, "many_to_many", False)):
        return None  # a reverse relation (auditlog lists them on create)
    if getattr(found, "auto_created", False) and not getattr(found, "concrete", False):
        return None
    return found


def _plain(value: Any, internal: str) -> str:
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return "（空）"
    if internal == "BooleanField":
        return {"True": "是", "False": "否"}.get(text, text)
    if internal == "DateTimeField":
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=dt.UTC)
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    if len(text) > TEXT_LIMIT:
        return text[:TEXT_LIMIT] + "…"
    return text


def _related_names(entries: Sequence[LogEntry]) -> dict[type[Model], dict[str, str]]:
    """{related model: {pk as text: display}} for every foreign key value in the entries."""
    wanted: dict[type[Model], set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        if model is None:
            continue
        for name, values in (entry.changes_dict or {}).items():
            found = _concrete_field(model, name)
            if found is None or not getattr(found, "many_to_one", False) or not isinstance(values, list):
                continue
            wanted[found.related_model].update(str(v) for v in values if str(v).isdigit())
    names: dict[type[Model], dict[str, str]] = {}
    for related, pks in wanted.items():
        rows = related._default_manager.filter(pk__in=[int(pk) for pk in pks])
        names[related] = {str(obj.pk): _display(obj) for obj in rows}
    return names


def _display(obj: Any) -> str:
    return str(getattr(obj, "display_name", None) or obj)


def describe_changes(entry: LogEntry, names: dict[type[Model], dict[str, str]]) -> list[FieldChange]:
    """The entry's changes as Chinese (label, before, after) rows, in the model's field order."""
    model = entry.content_type.model_class()
    if model is None:
        return []
    changes = entry.changes_dict or {}
    out: list[tuple[int, FieldChange]] = []
    for name, values in changes.items():
        found = _concrete_field(model, name)
        if found is None:
            continue
        label = str(found.verbose_name)
        position = found.creation_counter
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            objects = "、".join(str(o) for o in values.get("objects", [])) or "（无）"
            operation = values.get("operation")
            verb = {"add": "新增", "delete": "移除", "clear": "清空"}.get(str(operation), "设为")
            out.append((position, FieldChange(label, "", f"{verb}：{objects}")))
            continue
        before, after = [*list(values), None, None][:2]
        if found.choices:
            choices = {str(k): str(v) for k, v in found.choices}
            out.append(
                (
                    position,
                    FieldChange(label, choices.get(str(before), "（空）"), choices.get(str(after), "（空）")),
                )
            )
            continue
        if getattr(found, "many_to_one", False):
            lookup = names.get(found.related_model, {})
            out.append(
                (
                    position,
                    FieldChange(
                        label,
                        lookup.get(str(before), _plain(before, "")),
                        lookup.get(str(after), _plain(after, "")),
                    ),
                )
            )
            continue
        internal = found.get_internal_type()
        out.append((position, FieldChange(label, _plain(before, internal), _plain(after, internal))))
    return [change for _, change in sorted(out, key=lambda pair: pair[0])]


def audit_events(entries: Sequence[LogEntry]) -> list[TimelineEvent]:
    names = _related_names(entries)
    events = []
    for entry in entries:
        model = entry.content_type.model_class()
        what = str(model._meta.verbose_name) if model is not None else "记录"
        changes = [c for c in describe_changes(entry, names) if c.before != c.after]
        if entry.action == LogEntry.Action.CREATE:  # a new row: its values, without "（空） →"
            changes = [FieldChange(c.label, "", c.after) for c in changes]
        events.append(
            TimelineEvent(
                when=entry.timestamp,
                kind="audit",
                title=f"{ACTIONS.get(entry.action, '变更')}{what}：{entry.object_repr}",
                actor=_name(entry.actor),
                changes=changes,
            )
        )
    return events


@dataclass
class Timeline:
    events: list[TimelineEvent]
    audit_truncated: bool
    hidden: int = 0  # older events left out by ``limit``


def task_timeline(
    task: Task,
    *,
    reports: Sequence[ProgressReport],
    comments: Sequence[Comment],
    milestones: Sequence[Milestone],
    as_of: dt.date,
    co_reports: Sequence[CoReport] = (),
    change_requests: Sequence[ChangeRequest] = (),
    audit_limit: int = AUDIT_LIMIT,
    limit: int | None = None,
) -> Timeline:
    """Everything that happened to the task, newest first (the newest ``limit`` events if given)."""
    entries = list(task_audit_entries(task)[: audit_limit + 1])
    truncated = len(entries) > audit_limit
    events = [
        *report_events(reports),
        *co_report_events(co_reports),
        *change_request_events(change_requests),
        *comment_events(comments),
        *milestone_events(milestones, as_of),
        *audit_events(entries[:audit_limit]),
    ]
    events.sort(key=lambda e: (e.when, -KIND_ORDER[e.kind]), reverse=True)
    hidden = max(0, len(events) - limit) if limit is not None else 0
    return Timeline(events[: len(events) - hidden], truncated, hidden)
