"""Django's ModelBackend, reading a signed-in user's Staff record in the same query as the user: every
page asks for it (the role and the district decide what the page may show), and on a page served from
the page cache the separate query was one of its few round trips."""
from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend, UserModel


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("staff").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
