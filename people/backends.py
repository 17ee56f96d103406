"""Log in with the user name or the mobile number.

django-axes stays first in AUTHENTICATION_BACKENDS and counts failures by
what was typed, so the lockout holds for either form of the name.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from training_site.prepared import get_by


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

    def get_user(self, user_id):
        # Every logged-in request asks (its session names him): the same row
        # and rule as ModelBackend's, by a statement built once.
        User = get_user_model()
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:  # a session naming no valid id: nobody
            return None
        user = get_by(User, pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
