from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FundEntry, Loan, Repayment

admin.site.register(FundEntry, SimpleHistoryAdmin)
admin.site.register(Loan, SimpleHistoryAdmin)
admin.site.register(Repayment, SimpleHistoryAdmin)
