from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "commerce"
    verbose_name = "Shop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import (
            page_published,
            page_unpublished,
            post_page_move,
            published,
            unpublished,
        )

        from commerce import checks  # noqa: F401 - registers the system checks
        from commerce import signal_handlers as handlers
        from customization.models import Customization

        # Framework glue only: see commerce/signal_handlers.py.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(
                handlers.catalogue_page_changed, dispatch_uid="commerce-catalogue-cache"
            )
        for signal in (published, unpublished):
            signal.connect(
                handlers.customization_changed,
                sender=Customization,
                dispatch_uid="commerce-catalogue-cache",
            )
        from django.db.models.signals import post_delete, post_save, pre_delete

        from commerce.catalogue.models import Brand, Material

        for attribute_model in (Brand, Material):
            for model_signal in (post_save, post_delete):
                model_signal.connect(
                    handlers.catalogue_attribute_changed,
                    sender=attribute_model,
                    dispatch_uid=f"commerce-catalogue-cache-{attribute_model.__name__}",
                )
        from wagtail.images import get_image_model

        from commerce.catalogue.services.cards import cards_stale

        cards_stale.connect(
            handlers.catalogue_cards_stale, dispatch_uid="commerce-catalogue-cards"
        )

        for model_signal in (post_save, pre_delete):
            model_signal.connect(
                handlers.catalogue_image_changed,
                sender=get_image_model(),
                dispatch_uid="commerce-catalogue-cache-image",
            )
        page_published.connect(
            handlers.sellable_page_published, dispatch_uid="commerce-product-published"
        )
        page_unpublished.connect(
            handlers.sellable_page_unpublished,
            dispatch_uid="commerce-product-unpublished",
        )
        from django.db.models.signals import pre_save

        from commerce.accounts.models import User

        pre_save.connect(
            handlers.user_credentials_changed,
            sender=User,
            dispatch_uid="commerce-user-credentials",
        )

        from commerce import subscribers  # noqa: F401 - subscribes to the events
        from commerce.payments.services import order_transition_steps_register

        order_transition_steps_register()

        from commerce.accounts.services.login_hooks import login_hook_register
        from commerce.cart.services import (
            cart_guest_merge_at_login,
            guest_cart_token_valid,
        )
        from customization.services import guest_token_validator_register

        login_hook_register(cart_guest_merge_at_login)
        guest_token_validator_register(guest_cart_token_valid)
