"""Run as a script under production settings (test_production.py): prints what a browser would get."""
import json
import sys

import django
from django.test import Client

django.setup()
client = Client(raise_request_exception=False)
out = {}
plain = client.get("/login/")
out["plain_status"], out["plain_location"] = plain.status_code, plain.get("Location", "")
pages = [("login", "/login/"), ("missing", "/khong-co-trang-nay/"), ("broken", "/loi-thu/"), ("bad", "/nghi-ngo/")]
for name, path in pages:
    r = client.get(path, headers={"X-Forwarded-Proto": "https"})
    out[name] = {
        "status": r.status_code, "headers": dict(r.headers), "body": r.content.decode(),
        "secure_cookies": {k: bool(m["secure"]) for k, m in r.cookies.items()},
    }
json.dump(out, sys.stdout)
