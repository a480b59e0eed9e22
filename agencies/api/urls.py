from rest_framework.routers import SimpleRouter

from .views import AgencyViewSet, RegencyViewSet

router = SimpleRouter()
router.register("regencies", RegencyViewSet, basename="api-regency")
router.register("agencies", AgencyViewSet, basename="api-agency")

urlpatterns = router.urls
