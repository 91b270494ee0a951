"""Notifications of the caller, devices, preferences, and staff broadcasts."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import list_query_validate, page_response
from config.permissions import permissions_required
from notify import services
from notify.api import serializers as s
from notify.selectors import notification_get, notification_list, preference_get


class NotificationCollectionApi(APIView):
    def get_permissions(self) -> list:
        if self.request.method == "POST":
            return [permissions_required("notify.add_notification")()]
        return [IsAuthenticated()]

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.NotificationOutputSerializer(many=True)},
        summary="The caller's notifications, unread first",
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        filters = list_query_validate(request, s.NotificationListFilterSerializer)
        queryset = notification_list(user_id=request.user.pk, unread=filters["unread"])
        return page_response(
            request,
            queryset,
            view=self,
            output=lambda page: s.NotificationOutputSerializer(page, many=True).data,
        )

    @extend_schema(
        request=s.NotificationSendInputSerializer,
        responses={202: s.NotificationSendOutputSerializer},
        summary="Send a notification to a user, a role or all customers (staff)",
        description="Delivery runs in the background; the answer gives the count.",
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.NotificationSendInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        count = services.notification_broadcast(
            sender_id=request.user.pk,
            title=data["title"],
            body=data["body"],
            data=data.get("data", {}),
            channels=data["channels"],
            user=data.get("user"),
            role=data.get("role"),
            all_customers=data.get("all_customers", False),
        )
        return Response(
            {"recipients": count, "status": "queued"}, status=status.HTTP_202_ACCEPTED
        )


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: s.NotificationOutputSerializer},
        summary="Mark one of the caller's notifications as read",
        tags=["notifications"],
    )
    def post(self, request: Request, notification_id: int) -> Response:
        notification = notification_get(
            user_id=request.user.pk, notification_id=notification_id
        )
        if notification is None:
            raise NotFound()
        services.notification_mark_read(notification=notification)
        return Response(s.NotificationOutputSerializer(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: s.ReadAllOutputSerializer},
        summary="Mark all the caller's notifications as read",
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        count = services.notifications_mark_all_read(user_id=request.user.pk)
        return Response({"marked_read": count})


class DeviceApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.DeviceRegisterInputSerializer,
        responses={201: s.DeviceOutputSerializer},
        summary="Register the caller's Firebase registration token",
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        serializer = s.DeviceRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.device_register(
            user_id=request.user.pk, **serializer.validated_data
        )
        return Response(
            s.DeviceOutputSerializer(device).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=s.DeviceUnregisterInputSerializer,
        responses={204: None},
        summary="Unregister one of the caller's tokens",
        tags=["notifications"],
    )
    def delete(self, request: Request) -> Response:
        serializer = s.DeviceUnregisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not services.device_unregister(
            user_id=request.user.pk, token=serializer.validated_data["token"]
        ):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class PreferenceApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: s.PreferenceSerializer},
        summary="The caller's channel preferences",
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response(
            s.PreferenceSerializer(preference_get(user_id=request.user.pk)).data
        )

    @extend_schema(
        request=s.PreferenceSerializer,
        responses={200: s.PreferenceSerializer},
        summary="Turn email or push on or off",
        tags=["notifications"],
    )
    def patch(self, request: Request) -> Response:
        serializer = s.PreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preference = services.preference_update(
            user_id=request.user.pk, data=serializer.validated_data
        )
        return Response(s.PreferenceSerializer(preference).data)
