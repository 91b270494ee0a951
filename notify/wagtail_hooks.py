from wagtail import hooks
from wagtail.snippets.models import register_snippet

from notify.viewsets import EmailTemplateViewSet, NotifyViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return NotifyViewSetGroup()


register_snippet(EmailTemplateViewSet)
