from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    from caseview.findings.board_selectors import sees_board_dashboard
    from caseview.reviews.selectors import can_see_partnership_audit, partnerships_administered_by

    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "require_2fa": settings.REQUIRE_2FA,
        "demo_mode": settings.DEMO_MODE,
        "can_see_partnership_audit": bool(user and can_see_partnership_audit(user=user)),
        "can_see_board_dashboard": bool(user and user.is_authenticated and sees_board_dashboard(user=user)),
        "can_administer_partnership": bool(
            user and user.is_authenticated and partnerships_administered_by(user=user).exists()
        ),
    }
