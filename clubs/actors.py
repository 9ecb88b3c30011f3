"""Who a change is recorded as when nobody is signed in to the app: management commands and the demo.

Services always take the acting user explicitly. In a request it is the signed-in person; a command
records the account its --by/--as option names, or else this system account. It is inactive and has
no usable password, so nobody can sign in as it; it has no staff role, so it would see nothing anyway.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

SYSTEM_USERNAME = "he-thong"
SYSTEM_NAME = "Hệ thống (lệnh quản trị)"


def system_user():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": SYSTEM_NAME, "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def command_actor(username):
    """The user a command acts as: the one named (which must exist), or the system account."""
    if not username:
        return system_user()
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"Không có người dùng {username}.") from None
