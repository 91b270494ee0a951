from wagtail.snippets.models import register_snippet

from customization.viewsets import CustomizationViewSet

register_snippet(CustomizationViewSet)
