"""Log in with the user name or the mobile number.

django-axes stays first in AUTHENTICATION_BACKENDS and counts failures by
what was typed, so the lockout holds for either form of the name.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        user = User._default_manager.filter(username=username).first()
        if user is None:
            user = User._default_manager.filter(trainee__mobile=username).first()
        if user is None:
            # As ModelBackend does: the same time whether or not he exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
