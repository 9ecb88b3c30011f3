from django.urls import path

from . import personal_data, views

app_name = "funds"
urlpatterns = [
    path("thanh-vien/<int:pk>/du-lieu-ca-nhan.xlsx", personal_data.member_export, name="member_export"),
    path("", views.fund_overview, name="overview"),
    path("so-quy/<str:fund>/", views.cash_book, name="cash_book"),
    path("so-quy/<str:fund>/in/", views.cash_book_print, name="cash_book_print"),
    path("phieu/moi/", views.entry_add, name="entry_add"),
    path("phieu/<int:pk>/dao/", views.entry_reverse, name="entry_reverse"),
    path("vay/", views.loan_list, name="loan_list"),
    path("vay/in/", views.loan_list_print, name="loan_list_print"),
    path("vay/moi/", views.loan_add, name="loan_add"),
    path("vay/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("tra-no/<int:pk>/dao/", views.repayment_reverse, name="repayment_reverse"),
    path("thu-no/", views.collection_sheet, name="collection"),
    path("thu-no/in/", views.collection_print, name="collection_print"),
    path("luan-chuyen/", views.rotation, name="rotation"),
    path("bao-cao/", views.statement, name="statement"),
    path("nhat-ky/", views.fund_log, name="log"),
]
