"""The four colours of 四色管理 — the shared vocabulary every list and export names.

Which colour a task *is* is decided in ``supervision.colours``; this is only the words, kept on the
ground floor so that the ledger's lists and filters can name colours without importing supervision.
"""

from django.db import models


class Colour(models.TextChoices):
    """In order of severity (white = 白色清零: done and signed off)."""

    RED = "red", "红色"
    YELLOW = "yellow", "黄色"
    GREEN = "green", "绿色"
    WHITE = "white", "白色"


# Worst first: the order lists, legends and counts show colours in.
ORDER = (Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.WHITE)

# What each colour means, for legends (the plan's thresholds give the numbers).
MEANING = {
    Colour.RED: "红色督办：节点或完成时限已过仍未完成、严重落后序时进度或连续未报",
    Colour.YELLOW: "黄色预警：节点即将到期、落后序时进度或上期未报",
    Colour.GREEN: "绿色提示：按计划推进",
    Colour.WHITE: "白色清零：已完成销号或已暂停",
}

# How each colour is drawn on charts: the stylesheet's --red / --yellow / --green, dark enough for
# text on white; 白色 is drawn grey (a white line on white paper would vanish).
HEX = {
    Colour.RED: "#b91c1c",
    Colour.YELLOW: "#b45309",
    Colour.GREEN: "#15803d",
    Colour.WHITE: "#6b7280",
}
