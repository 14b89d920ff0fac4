"""Signing up, in and out in the browser: identity's rules, limits and session ends, the cookie, CSRF and CSP."""

from datetime import timedelta

from tests.web.web_support import PASSWORD, error_beside, text_of


async def test_the_front_page_offers_sign_in_and_sign_up_under_a_self_only_policy(browser):
    page = await browser.get("/")
    assert page.status_code == 200
    assert "Sign in" in text_of(page) and "Create an account" in text_of(page)
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in page.text and " style=" not in page.text
    assert (await browser.get("/static/atrium.css")).status_code == 200


async def test_signing_up_signs_in_with_an_httponly_lax_cookie(browser):
    response = await browser.sign_up()
    cookie = next(value for name, value in response.headers.multi_items()
                  if name == "set-cookie" and value.startswith("atrium_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert PASSWORD not in cookie
    home = await browser.get("/")
    assert "Spending this month" in text_of(home) and "Europe/Oslo" in text_of(home)


async def test_the_cookie_is_secure_over_https(container):
    import httpx

    from entrypoints.api.app import create_app
    from tests.web.web_support import Browser

    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="https://atrium.test") as client:
        response = await Browser(client, None).sign_up()
    cookie = next(value for name, value in response.headers.multi_items()
                  if name == "set-cookie" and value.startswith("atrium_session="))
    assert "Secure" in cookie


async def test_a_form_without_its_token_is_refused_and_changes_nothing(browser):
    await browser.get("/")
    refused = await browser.client.post("/register", data={
        "email": "ada@example.com", "username": "ada", "password": PASSWORD})
    assert refused.status_code == 403 and "expired" in text_of(refused)
    forged = await browser.client.post("/register", data={
        "csrf": "0" * 64, "email": "ada@example.com", "username": "ada", "password": PASSWORD})
    assert forged.status_code == 403
    assert (await browser.sign_in()).status_code == 401  # no account was made


async def test_a_token_from_before_sign_in_does_not_work_after(browser):
    stale = await browser.token("/")
    await browser.sign_up()
    response = await browser.client.post("/sign-out", data={"csrf": stale})
    assert response.status_code == 403
    assert "Spending this month" in text_of(await browser.get("/"))


async def test_errors_show_beside_their_field_in_plain_words(browser):
    await browser.sign_up()
    browser.forget_cookies()
    taken = await browser.post("/register", {"email": "ADA@example.com", "username": "bob", "password": PASSWORD})
    assert taken.status_code == 409 and error_beside(taken, "email") == "An account with this email already exists."
    short = await browser.post("/register", {"email": "bob@example.com", "username": "bob", "password": "short"})
    assert short.status_code == 422 and "8-128 characters" in error_beside(short, "password")
    zone = await browser.post("/register", {"email": "bob@example.com", "username": "bob", "password": PASSWORD,
                                            "time_zone": "Mars/Olympus"})
    assert zone.status_code == 422 and error_beside(zone, "time_zone")
    wrong = await browser.sign_in(password="wrong password")
    assert wrong.status_code == 401 and "do not match" in text_of(wrong)


async def test_wrong_passwords_meet_the_apis_lockout(browser):
    await browser.sign_up()
    browser.forget_cookies()
    for _ in range(5):
        assert (await browser.sign_in(password="wrong password")).status_code == 401
    locked = await browser.sign_in()
    assert locked.status_code == 429 and "Too many attempts" in text_of(locked)
    assert int(locked.headers["retry-after"]) > 0


async def test_pages_need_a_session_and_come_back_after_signing_in(browser):
    await browser.sign_up()
    browser.forget_cookies()
    away = await browser.get("/account")
    assert away.status_code == 303 and away.headers["location"] == "/?next=%2Faccount"
    token = await browser.token("/?next=%2Faccount")
    back = await browser.client.post("/sign-in?next=%2Faccount", data={"csrf": token, "login": "ada",
                                                                      "password": PASSWORD})
    assert back.headers["location"] == "/account"
    outside = await browser.client.post("/sign-in?next=//evil.example", data={
        "csrf": await browser.token("/"), "login": "ada", "password": PASSWORD})
    assert outside.headers["location"] == "/"


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(browser):
    await browser.sign_up()
    copied = dict(browser.client.cookies)
    out = await browser.post("/sign-out")
    assert out.status_code == 303
    browser.client.cookies.update(copied)
    assert (await browser.get("/account")).status_code == 303  # the copied cookie's session has ended
    refresh = copied["atrium_session"].split(".", 1)[0]
    api = await browser.client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert api.status_code == 401


async def test_an_expired_access_token_is_renewed_from_the_session(browser, clock):
    await browser.sign_up()
    before = browser.client.cookies["atrium_session"]
    clock.advance(timedelta(minutes=20))
    page = await browser.get("/account")
    assert page.status_code == 200 and "ada@example.com" in page.text
    assert browser.client.cookies["atrium_session"] != before


async def test_changing_the_password_signs_out_every_other_browser(browser, container):
    await browser.sign_up()
    other = dict(browser.client.cookies)
    browser.forget_cookies()
    await browser.sign_in()
    wrong = await browser.post("/account/password", {"current_password": "nope", "new_password": "new horse 12"},
                               page="/account")
    assert wrong.status_code == 422 and error_beside(wrong, "current_password") == "That is not your current password."
    changed = await browser.post("/account/password", {"current_password": PASSWORD,
                                                       "new_password": "new horse 12"}, page="/account")
    assert changed.status_code == 200 and "has been changed" in text_of(changed)
    assert (await browser.get("/account")).status_code == 200  # this browser goes on
    mine = dict(browser.client.cookies)
    browser.client.cookies.update(other)
    assert (await browser.get("/account")).status_code == 303
    browser.client.cookies.update(mine)


async def test_the_profile_form_changes_the_time_zone_the_pages_use(browser):
    await browser.sign_up()
    saved = await browser.post("/account/profile", {"username": "ada", "full_name": "Ada L",
                                                    "time_zone": "America/New_York", "currency": "USD"},
                               page="/account")
    assert saved.status_code == 303
    assert "America/New_York" in text_of(await browser.get("/"))
    assert "Good day, Ada L" in text_of(await browser.get("/"))
    wrong = await browser.post("/account/profile", {"username": "ada", "time_zone": "Mars/Base", "currency": "USD"},
                               page="/account")
    assert wrong.status_code == 422 and error_beside(wrong, "time_zone")
    assert 'value="Mars/Base"' in wrong.text


async def test_a_browser_gets_a_page_for_an_unknown_address_and_the_api_keeps_its_problems(browser):
    html = {"Accept": "text/html,application/xhtml+xml"}
    page = await browser.get("/no/such/page", headers=html)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "There is no page at this address" in text_of(page) and "content-security-policy" in page.headers
    api = await browser.get("/api/v1/no-such-thing", headers=html)
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    plain = await browser.get("/no/such/page")
    assert plain.headers["content-type"] == "application/problem+json"
