def notifications(request):
    """The number on the bell in the navbar: the signed-in person's unread notifications, in one count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
