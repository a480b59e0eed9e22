from rest_framework.routers import SimpleRouter

from .views import CaseViewSet, PerpetratorViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="api-case")
router.register("perpetrators", PerpetratorViewSet, basename="api-perpetrator")

urlpatterns = router.urls
