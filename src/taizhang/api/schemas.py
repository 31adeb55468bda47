"""Request and response shapes of the JSON API (also the OpenAPI schema's components).

Field names are English; enumerations carry both the stable value (``status``) and the Chinese
label shown to people (``status_label``).
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from ninja import Field, Schema

from taizhang.ledger.models import ReviewState, TaskStatus
from taizhang.ledger.services import MAX_COMMENT_TEXT, MAX_REPORT_TEXT

ItemT = TypeVar("ItemT")


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文），可直接展示给用户")
    field: str | None = Field(None, description="出错的字段（如有）")


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    errors: list[FieldError]


class UnitRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str


class MeOut(UserRef):
    role: str
    role_label: str
    unit: UnitRef | None


class Page(Schema, Generic[ItemT]):
    count: int = Field(description="符合条件的总条数")
    page: int
    page_size: int
    items: list[ItemT]


class PlanOut(Schema):
    id: int
    year: int
    title: str
    owner_unit: UnitRef
    cadence: str = Field(description="报送周期：monthly / weekly / quarterly")
    cadence_label: str
    report_window_days: int = Field(description="每期结束后几天内须报送")
    starts_on: dt.date = Field(description="开始报送日期")
    source_name: str | None = Field(None, description="来源文件名")


class StatusCount(Schema):
    status: str
    label: str
    count: int


class PlanDetailOut(PlanOut):
    task_count: int = Field(description="您可见的任务数")
    status_counts: list[StatusCount]


class MilestoneOut(Schema):
    id: int
    due_on: dt.date
    description: str
    expected_result: str
    done: bool
    done_on: dt.date | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str = Field(description="下载地址（需登录且有权查看该任务）")


class ReportOut(Schema):
    id: int
    task_id: int
    period: str = Field(description="报送期，如 2026-03、2026-W11、2026-Q1")
    period_label: str
    text: str
    percent: int
    is_zero_report: bool
    zero_reason: str
    lower_reason: str = Field(description="完成进度低于已审核通过进度的原因")
    submitted_by: UserRef | None
    submitted_at: dt.datetime
    late: bool = Field(description="本期是否逾期报送（按首次报送时间判断）")
    state: ReviewState
    state_label: str
    reviewer: UserRef | None
    reviewed_at: dt.datetime | None
    review_comment: str
    version: int = Field(description="乐观锁版本号：修改或审核时原样传回 expected_version")
    attachments: list[AttachmentOut]


class TaskOut(Schema):
    id: int
    plan_id: int
    seq: int
    code: str
    category_path: list[str]
    title: str
    lead_unit: UnitRef | None
    co_units: list[UnitRef]
    leader_name: str
    deadline: dt.date | None
    status: TaskStatus
    status_label: str
    progress: int
    version: int


class TaskDetailOut(TaskOut):
    plan_title: str
    content: str
    source_line: int | None
    milestones: list[MilestoneOut]
    latest_report: ReportOut | None


class ReportIn(Schema):
    period: str = Field(description="报送期，如 2026-03", min_length=1, max_length=10)
    text: str = Field("", max_length=MAX_REPORT_TEXT, description="本期进展情况")
    percent: int | None = Field(None, ge=0, le=100, description="完成进度（0–100）；零报告可不填")
    is_zero_report: bool = False
    zero_reason: str = Field("", max_length=300, description="零报告原因")
    lower_reason: str = Field(
        "", max_length=300, description="完成进度低于已审核通过的进度时必填：下调的原因"
    )
    expected_version: int | None = Field(
        None, ge=1, description="修改本期已报送（待审核或退回）的报告时，传回该报告的 version"
    )


class ReviewIn(Schema):
    approve: bool = Field(description="true 通过，false 退回（须填写意见）")
    comment: str = Field("", max_length=MAX_COMMENT_TEXT)
    expected_version: int = Field(ge=1, description="审核前读到的报告 version")
    confirm_lower: bool = Field(False, description="通过一份低于已审核通过进度的报告时须为 true")
