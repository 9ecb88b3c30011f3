"""Demo accounts (and, as later capabilities land, demo clubs) built through the real model code."""
from django.core.management import call_command

from .models import Area

DEMO_PASSWORD = "laichau2025"


def demo_accounts():
    """(username, role, district code, display name) for every demo login."""
    accounts = [("canbo.tinh", "officer", None, "Cán bộ tỉnh"), ("quantri", "admin", None, "Quản trị")]
    for district in Area.objects.districts().order_by("code"):
        accounts.append((f"canbo.{district.code}", "district", district.code, f"Cán bộ {district.name}"))
    return accounts


def create_demo_accounts(stdout=None):
    for username, role, district, name in demo_accounts():
        args = [username, "--role", role, "--password", DEMO_PASSWORD, "--name", name]
        if district:
            args += ["--district", district]
        call_command("create_staff", *args, stdout=stdout)
