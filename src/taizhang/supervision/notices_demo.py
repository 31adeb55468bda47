"""督办通知 and 批示件 of the demo: a notice in every state (待回复, 已回复, 退回, 已办结, 已升级 with
the 警示单 it became) and two 批示件, one waiting and one answered."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from taizhang.accounts.models import User
from taizhang.ledger.models import Plan, Task
from taizhang.supervision import instructions, notices
from taizhang.supervision.models import Notice, NoticeKind


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def load_notices(as_of: dt.date) -> str:
    plan = Plan.objects.filter(year=2026).order_by("id").first()
    users = {u.username: u for u in User.objects.filter(username__in=["duchashi", "xianzhang", "jiaotong"])}
    if plan is None or len(users) < 3:
        return "督办通知：无演示计划或账号，未添加"
    supervisor, leader, reporter = users["duchashi"], users["xianzhang"], users["jiaotong"]
    tasks = [
        t for t in Task.objects.filter(plan=plan).select_related("plan").order_by("seq") if not t.is_closed
    ]
    own = [t for t in tasks if reporter.unit_id is not None and t.lead_unit_id == reporter.unit_id]
    if not own:  # late in the year most of a unit's tasks may be done: one open task will do
        return "督办通知：交通运输局无未完成任务，未添加"
    early = as_of - dt.timedelta(days=12)

    def issue(kind: str, task: Task, day: dt.date, due_days: int) -> Notice:
        return notices.issue_notice(
            supervisor,
            kind=kind,
            tasks=[task],
            subject=f"你单位牵头的“{task.title}”进度滞后，请分析原因、落实整改措施，并按时书面回复。",
            reply_due=day + dt.timedelta(days=due_days),
            now=_moment(day),
        )

    def answer(notice: Notice, day: dt.date) -> Notice:
        notices.reply_notice(
            notice,
            reporter,
            text="已召开专题调度会，倒排工期、挂图作战，增加施工作业面，确保按期完成。",
            new_date=min(day + dt.timedelta(days=30), dt.date(plan.year + 1, 12, 31)),
            expected_version=notice.version,
            now=_moment(day),
        )
        return Notice.objects.select_related("plan").get(pk=notice.pk)

    pick = [own[i % len(own)] for i in range(5)]
    issue(NoticeKind.ORDER, pick[0], as_of, 3)  # 待回复
    answer(issue(NoticeKind.PROMPT, pick[1], early, 7), early + dt.timedelta(days=2))  # 已回复
    returned = answer(issue(NoticeKind.WARNING, pick[2], early, 5), early + dt.timedelta(days=3))
    notices.decide_notice(
        returned,
        supervisor,
        accept=False,
        comment="整改措施不够具体，请补充时间节点和责任人。",
        reply_due=as_of + dt.timedelta(days=3),
        expected_version=returned.version,
        now=_moment(early + dt.timedelta(days=4)),
    )
    closed = answer(issue(NoticeKind.PROMPT, pick[3], early, 7), early + dt.timedelta(days=1))
    notices.decide_notice(
        closed,
        supervisor,
        accept=True,
        expected_version=closed.version,
        now=_moment(early + dt.timedelta(days=2)),
    )
    issue(NoticeKind.PROMPT, pick[4], early, 5)  # unanswered: escalated below to a 警示单
    escalated = notices.escalate_overdue(as_of, timezone.now())

    instructions.issue_instruction(
        own[0],
        leader,
        text="请交通运输局加快推进，按月报告进展。",
        due_on=as_of + dt.timedelta(days=10),
        now=_moment(as_of),
    )
    done = instructions.issue_instruction(
        own[1 % len(own)],
        leader,
        text="请抓紧解决征迁遗留问题，确保年底前完工。",
        due_on=as_of + dt.timedelta(days=5),
        now=_moment(early),
    )
    instructions.answer_instruction(
        done,
        reporter,
        text="已会同镇政府逐户走访，征迁遗留问题已全部解决。",
        expected_version=done.version,
        now=_moment(as_of),
    )
    return (
        f"督办通知：5 份（各状态各一，另有 {len(escalated)} 份逾期升级）；批示件 2 件（待落实、已落实各一）"
    )
