from django.conf import settings


def site(request):
    """The newsroom's name and this page's canonical address (page numbers kept, other
    query parameters dropped)."""
    canonical = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    return {"newsroom_name": settings.NEWSROOM_NAME, "canonical_url": canonical}
