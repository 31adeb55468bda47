"""The problem ledger's part of the demo: a few problems of the demo plan, one in every state and
colour (整改中 green / yellow / red, 退回, 待验收, 已销号, re-opened after 回头看)."""

from __future__ import annotations

import datetime as dt

from taizhang.accounts.models import Role, User
from taizhang.ledger.models import Plan, Task
from taizhang.supervision import problems

# (problem, measures, days to the deadline from "as of", what happens to it)
DEMO_PROBLEMS = [
    ("部分子项目前期手续办理较慢", "建立手续办理清单，专人跟踪，每周调度一次", 60, "open"),
    ("配套资金到位不及时", "积极争取上级专项资金，县财政按进度拨付配套资金", -12, "open"),
    ("个别点位群众诉求较多，协调难度大", "镇村干部包点入户做好解释，必要时召开协调会", 4, "open"),
    ("施工力量不足，需增加作业面", "督促施工单位增加人员和机械，分段同步施工", 30, "submitted"),
    ("现场安全文明施工措施落实不到位", "开展安全专项检查，整改到位后复查", 20, "returned"),
    ("工程资料归档不及时", "明确资料员，按节点同步归档", -5, "signed_off"),
    ("已完工路段养护责任未落实", "明确管养单位，签订养护协议", 15, "reopened"),
]


def load_problems(as_of: dt.date) -> str:
    plan = Plan.objects.filter(year=2026).order_by("id").first()
    supervisor = User.objects.filter(username="duchashi").first()
    if plan is None or supervisor is None:
        return "问题清单：无演示计划，未添加"
    tasks = list(
        Task.objects.filter(plan=plan, lead_unit__isnull=False).select_related("lead_unit").order_by("seq")
    )
    reporters = {u.unit_id: u for u in User.objects.filter(role=Role.REPORTER, is_active=True).order_by("pk")}
    tasks = [t for t in tasks if t.lead_unit_id in reporters]
    if not tasks:
        return "问题清单：无可用任务，未添加"
    # 交通运输局's reporter is a demo account: most problems are its unit's
    own = [t for t in tasks if t.lead_unit is not None and t.lead_unit.name.endswith("交通运输局")] or tasks
    made = 0
    for index, (title, measures, days, step) in enumerate(DEMO_PROBLEMS):
        task = tasks[index % len(tasks)] if index == 2 else own[index % len(own)]
        assert task.lead_unit is not None
        problem = problems.create_problem(
            plan,
            supervisor,
            problems.ProblemDraft(
                title=title,
                unit=task.lead_unit,
                deadline=as_of + dt.timedelta(days=days),
                measures=measures,
                task=task,
            ),
        )
        reporter = reporters[task.lead_unit_id]
        if step != "open":
            problem = problems.submit_rectification(
                problem, reporter, text=f"已{measures}。", expected_version=problem.version
            )
        if step == "returned":
            problem = problems.verify(
                problem,
                supervisor,
                sign_off=False,
                comment="整改佐证材料不全，请补充现场照片",
                expected_version=problem.version,
            )
        if step in ("signed_off", "reopened"):
            problem = problems.verify(
                problem,
                supervisor,
                sign_off=True,
                comment="经现场核实，整改到位",
                expected_version=problem.version,
            )
        if step == "reopened":
            problems.reopen(
                problem, supervisor, reason="回头看发现部分路段仍无人管护", expected_version=problem.version
            )
        made += 1
    return f"问题清单：{made} 条问题（各状态各颜色）"
