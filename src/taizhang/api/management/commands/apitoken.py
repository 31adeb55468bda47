from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.accounts.models import User
from taizhang.api.models import ApiToken


class Command(BaseCommand):
    help = "为用户生成接口令牌（只显示一次，库中只保存其摘要）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="接口令牌", help="令牌用途，如“政务微信机器人”")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        name = (options["name"] or "").strip()
        if not name:
            raise CommandError("令牌名称不能为空")
        if len(name) > 100:
            raise CommandError("令牌名称不能超过 100 个字")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的用户")
        if not user.is_active:
            raise CommandError(f"用户 {username} 已停用，不能为其生成令牌")
        token, secret = ApiToken.issue(user, name)  # audited (actor: none — run from the command line)
        self.stderr.write(
            f"已为 {user.display_name}（{user.username}，{user.get_role_display()}）生成令牌“{token.name}”。"
            "令牌只显示这一次，请妥善保存；调用接口时使用请求头 Authorization: Bearer <令牌>。"
        )
        self.stdout.write(secret)
