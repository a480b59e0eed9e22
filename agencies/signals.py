"""A changed password or a deactivated account ends the user's API tokens.

On the model's save, whoever saves it: the admin's password form, the password change page,
`changepassword`, a script calling `set_password` or unticking `is_active`.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import User
from .services import revoke_tokens

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="agencies.tokens_revoke_check")
def _note_credentials_change(sender, instance: User, raw=False, update_fields=None, **kwargs):
    instance._revoke_tokens = False
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return  # e.g. last_login on every sign-in: no extra query
    old = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    instance._revoke_tokens = old["password"] != instance.password or (
        old["is_active"] and not instance.is_active
    )


@receiver(post_save, sender=User, dispatch_uid="agencies.tokens_revoke")
def _revoke_tokens_on_credentials_change(sender, instance: User, raw=False, **kwargs):
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        revoke_tokens(user=instance)
