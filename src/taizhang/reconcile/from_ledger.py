"""A ledger plan's tasks as 对账 reads them: the tasks the user may see, each as one text."""

from __future__ import annotations

from taizhang.accounts.models import User
from taizhang.ledger import permissions
from taizhang.ledger.models import Plan, Task

from .matching import Text


def task_text(task: Task) -> str:
    """The task as its plan wrote it: the content (imported tasks keep the plan's whole item there),
    headed by the title when the title is not its opening clause (a task written or edited by hand)."""
    title, content = task.title.strip(), task.content.strip()
    if not content:
        return title
    if content.startswith(title.rstrip("…")):
        return content
    return f"{title}。{content}"


def plan_tasks(user: User, plan: Plan) -> list[tuple[Task, Text]]:
    """The plan's tasks ``user`` sees (``permissions.tasks_in_scope``), in the plan's order; a task's
    line is its line in the imported plan document (0 for a task typed in)."""
    tasks = permissions.tasks_in_scope(user).filter(plan=plan).order_by("seq", "id")
    return [(task, Text(task.source_line or 0, task_text(task))) for task in tasks]
