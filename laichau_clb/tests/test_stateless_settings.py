"""What the environment makes of the storages, the cache and the replica (docs/deploy.md), read in a
fresh process as a server would."""
import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = ("import json, django; django.setup(); from django.conf import settings as s; "
         "print(json.dumps({'storages': s.STORAGES, 'caches': s.CACHES, 'dbs': sorted(s.DATABASES), "
         "'replica': s.DATABASES.get('replica', {}).get('NAME'), 'mirror': s.DATABASES.get('replica', {}).get('TEST', {}), "
         "'sessions': s.SESSION_ENGINE, 'routers': s.DATABASE_ROUTERS}))")
CLEAR = ("AWS_STORAGE_BUCKET_NAME", "S3_ENDPOINT_URL", "CACHE_URL", "REDIS_URL", "DATABASE_REPLICA_URL")


def probe(module="laichau_clb.settings.base", **env):
    full = {k: v for k, v in os.environ.items() if k not in CLEAR}
    full.update(DJANGO_SETTINGS_MODULE=module, SECRET_KEY="probe", **env)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=full, capture_output=True, text=True)
    return done


def test_one_server_defaults_disk_and_a_per_process_cache():
    found = json.loads(probe().stdout)
    assert found["storages"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["storages"]["reports"]["BACKEND"] == "reporting.models.PrivateReportStorage"
    assert found["caches"]["default"]["BACKEND"].endswith("LocMemCache")
    assert found["dbs"] == ["default"] and found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["routers"] == ["laichau_clb.routers.ReplicaRouter"]


def test_a_bucket_keeps_uploads_and_private_reports_in_s3_under_production_settings():
    found = json.loads(probe("laichau_clb.settings.prod", AWS_STORAGE_BUCKET_NAME="clb-laichau",
                             S3_ENDPOINT_URL="http://127.0.0.1:9000").stdout)
    for alias, prefix in (("default", "media"), ("reports", "private_reports")):
        backend = found["storages"][alias]
        assert backend["BACKEND"] == "storages.backends.s3.S3Storage"
        assert backend["OPTIONS"]["bucket_name"] == "clb-laichau" and backend["OPTIONS"]["location"] == prefix
        assert backend["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
        assert backend["OPTIONS"]["default_acl"] == "private" and backend["OPTIONS"]["file_overwrite"] is False
    assert found["storages"]["staticfiles"]["BACKEND"].startswith("whitenoise")


def test_an_endpoint_without_a_bucket_is_refused():
    done = probe(S3_ENDPOINT_URL="http://127.0.0.1:9000")
    assert done.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in done.stderr


def test_cache_url_shares_a_redis_cache_and_anything_else_is_refused():
    found = json.loads(probe(CACHE_URL="redis://127.0.0.1:6379/2").stdout)
    assert found["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["caches"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/2"
    assert json.loads(probe(REDIS_URL="redis://cache:6379/0").stdout)["caches"]["default"]["LOCATION"] == "redis://cache:6379/0"
    assert "CACHE_URL" in probe(CACHE_URL="memcached://x").stderr


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests():
    found = json.loads(probe(DATABASE_REPLICA_URL="postgres://ro@10.0.0.2:5432/laichau_clb").stdout)
    assert found["dbs"] == ["default", "replica"] and found["replica"] == "laichau_clb"
    assert found["mirror"]["MIRROR"] == "default"  # the test runner uses the test database, not a second one
