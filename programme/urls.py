from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [path("de-an/", views.index, name="index"),
               path("clubs/<str:club_code>/giam-sat/", views.club_visits, name="club_visits")]
SEGMENTS = {"training": "tap-huan", "communication": "truyen-thong", "exchange": "giao-luu",
            "supervision": "giam-sat", "budget": "kinh-phi"}
for key, segment in SEGMENTS.items():
    kind = views.KINDS[key]
    urlpatterns += [
        path(f"de-an/{segment}/", views.entry_list, {"kind": kind}, name=f"{key}_list"),
        path(f"de-an/{segment}/them/", views.entry_add, {"kind": kind}, name=f"{key}_add"),
        path(f"de-an/{segment}/<int:pk>/", views.entry_edit, {"kind": kind}, name=f"{key}_edit"),
        path(f"de-an/{segment}/<int:pk>/huy/", views.entry_cancel, {"kind": kind}, name=f"{key}_cancel"),
    ]
