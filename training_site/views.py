from django.db import DatabaseError, connection
from django.http import JsonResponse


def healthz(request):
    """For load balancers: 200 after a real database round trip, 503 without one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
