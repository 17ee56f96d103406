"""The site's Content-Security-Policy, relaxed for the Wagtail admin only.

Public pages get the strict policy of `CONTENT_SECURITY_POLICY`. Wagtail's
admin widgets (date pickers, inline panels) still write inline scripts, so
under `CSP_ADMIN_PREFIX` the directives in `CSP_ADMIN_RELAXED` replace the
strict ones; everything else (no other origins, no plugins, no framing by
other sites) holds there too.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            parts.replace = {**settings.CSP_ADMIN_RELAXED, **(parts.replace or {})}
        return parts
