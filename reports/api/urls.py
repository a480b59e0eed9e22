from rest_framework.routers import SimpleRouter

from .views import MonthlySummaryViewSet, UnitReturnViewSet

router = SimpleRouter()
router.register("returns", UnitReturnViewSet, basename="return")
router.register("summaries", MonthlySummaryViewSet, basename="summary")

urlpatterns = router.urls
