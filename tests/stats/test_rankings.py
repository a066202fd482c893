"""Sorted-set rankings: banner clicks through /b/<id>, top 10 on the dashboard, hot banners."""

import re

from tests.support import command_calls, counting_round_trips
from webapp.extensions import db
from webapp.home.models import Banner
from webapp.stats import keys as stats_keys
from webapp.stats import rankings


def click(client, banner_id, visitor=1):
    """A click on the banner from the visitor at address 10.0.0.<visitor>."""
    return client.get(f"/b/{banner_id}", environ_base={"REMOTE_ADDR": f"10.0.0.{visitor}"})


def test_a_banner_click_counts_and_redirects_to_the_banners_own_link(client, banners, redis_client):
    response = click(client, banners[0], visitor=1)
    assert response.status_code == 303
    assert response.headers["Location"] == "/flash-sales/"
    click(client, banners[0], visitor=2)
    click(client, banners[1], visitor=1)
    assert redis_client.zscore(stats_keys.banner_clicks(), str(banners[0])) == 2
    assert redis_client.zscore(stats_keys.banner_clicks(), str(banners[1])) == 1


def test_a_click_never_goes_where_the_request_says(client, banners):
    response = client.get(f"/b/{banners[0]}?next=https://evil.example/&url=//evil.example")
    assert response.headers["Location"] == "/flash-sales/"


def test_a_banner_with_an_unsafe_or_no_link_is_not_followed(app, client, banners, redis_client):
    with app.app_context():
        for banner_id, link in [
            (banners[0], "javascript:alert(1)"),
            (banners[1], "//evil.example"),
            (banners[2], ""),
        ]:
            db.session.get(Banner, banner_id).link_url = link
        db.session.commit()
    for banner_id in banners[:3]:
        assert client.get(f"/b/{banner_id}").status_code == 404
    assert client.get("/b/999").status_code == 404
    assert redis_client.zcard(stats_keys.banner_clicks()) == 0


def test_repeating_a_click_counts_once_per_visitor_and_day(client, banners, redis_client):
    for _ in range(5):
        assert click(client, banners[0], visitor=7).status_code == 303
    assert redis_client.zscore(stats_keys.banner_clicks(), str(banners[0])) == 1
    [seen] = redis_client.keys("rank:banner-clicks:seen:*")
    assert 0 < redis_client.ttl(seen) <= rankings.CLICKERS_KEPT_SECONDS  # nothing kept for good
    assert b"10.0.0.7" not in b"".join(redis_client.smembers(seen))  # addresses are not stored


def test_carousel_links_go_through_the_click_counter(client, banners):
    links = re.findall(rb'<a href="([^"]+)"', client.get("/").data)
    assert f"/b/{banners[0]}".encode() in links


def test_dashboard_shows_the_most_clicked_banners_in_order(client, banners, admin):
    for visitor in range(3):
        click(client, banners[2], visitor)
    click(client, banners[0])
    ranking = client.get("/admin/dashboard.json").json["rankings"]["banners"]
    assert [(item["id"], item["score"]) for item in ranking] == [(banners[2], 3), (banners[0], 1)]
    assert ranking[0]["name"] == "Log in with your phone, no password"
    page = client.get("/admin/").data.decode()
    assert "Log in with your phone, no password — 3" in page


def test_top_ten_is_capped_at_ten(app, redis_client):
    redis_client.zadd(stats_keys.sale_views(), {str(i): i for i in range(1, 30)})
    with app.app_context():
        top = rankings.top(stats_keys.sale_views())
    assert [member for member, _ in top] == list(range(29, 19, -1))


def test_sale_page_views_are_ranked_like_banner_clicks(app, redis_client):
    with app.test_request_context():
        for sale_id in (7, 7, 8):
            rankings.record_sale_view(sale_id)
        assert rankings.top(stats_keys.sale_views()) == [(7, 2), (8, 1)]


def test_homepage_marks_hot_banners_within_its_one_round_trip(client, banners):
    client.get(f"/b/{banners[3]}")
    page = client.get("/").data.decode()
    hot = re.findall(r'data-banner-id="(\d+)".*?</article>', page, re.S)
    assert hot
    slide = re.search(rf'data-banner-id="{banners[3]}".*?</article>', page, re.S).group(0)
    assert "Hot right now" in slide
    others = re.search(rf'data-banner-id="{banners[0]}".*?</article>', page, re.S).group(0)
    assert "Hot right now" not in others


def test_clicks_still_redirect_while_redis_is_down(client, banners, redis_server):
    with redis_server.down():
        response = client.get(f"/b/{banners[0]}")
    assert response.status_code == 303


def test_hot_banners_ride_in_the_homepages_single_round_trip(client, banners, redis_server):
    client.get("/")  # warm the cache
    before = command_calls(redis_server, "zrevrange")
    with counting_round_trips() as sends:
        client.get("/")
    assert len(sends) == 1
    assert command_calls(redis_server, "zrevrange") - before == 1


def test_dashboard_names_the_most_viewed_sales(app, client, admin):
    from datetime import timedelta

    from webapp.clock import utcnow
    from webapp.flash_sale.models import FlashSale

    with app.app_context():
        now = utcnow()
        sale = FlashSale(
            product_name="Espresso machine",
            price_cents=9900,
            total_stock=5,
            remaining_stock=5,
            starts_at=now,
            ends_at=now + timedelta(hours=1),
        )
        db.session.add(sale)
        db.session.commit()
        sale_id = sale.id
    with app.test_request_context():
        rankings.record_sale_view(sale_id)
        rankings.record_sale_view(sale_id)
        rankings.record_sale_view(424242)
    ranking = client.get("/admin/dashboard.json").json["rankings"]["sales"]
    assert ranking == [
        {"id": sale_id, "name": "Espresso machine", "score": 2},
        {"id": 424242, "name": "sale 424242 (deleted)", "score": 1},
    ]
