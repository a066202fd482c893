from celery import shared_task

from webapp import jobs
from webapp.home.carousel import banner_list


@shared_task(name=jobs.REBUILD_BANNER_CACHE, ignore_result=True)
def rebuild_banner_cache():
    """Rewrite the cached banner list from the database (run by beat), so even a change made
    behind the app's back appears within one BANNER_REFRESH_SECONDS period."""
    return len(banner_list.rebuild())
