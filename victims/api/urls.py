from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import DuplicateCandidateViewSet, ServiceViewSet, VictimServiceViewSet, VictimViewSet

router = SimpleRouter()
router.register("victims", VictimViewSet, basename="api-victim")
router.register("services", ServiceViewSet, basename="api-service")
router.register(
    "duplicate-candidates", DuplicateCandidateViewSet, basename="api-duplicate-candidate"
)

urlpatterns = [
    path(
        "victims/<str:code>/services/",
        VictimServiceViewSet.as_view({"get": "list", "post": "create"}),
        name="api-victim-services",
    ),
    *router.urls,
]
