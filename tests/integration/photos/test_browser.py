"""A real Chromium opens the index page served by a real server process."""

import os
import re
import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from local_services.ports import free_port
from tests.conftest import run_manage
from tests.site_process import running_site

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI.")
        pytest.skip("chromium and chromium-driver are not installed (make browser).")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="et-chromium-")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(300)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_every_thumbnail_on_the_index_page_loads_in_a_browser(
    site_server, site_env, photo_dir, browser
):
    _, err, code = run_manage("load_photos", str(photo_dir), env=site_env)
    assert code == 0, err

    browser.get(f"{site_server}/")
    images = browser.find_elements(By.TAG_NAME, "img")
    WebDriverWait(browser, 60).until(
        lambda driver: driver.execute_script(
            "return Array.from(document.images).every(img => img.complete)"
        )
    )

    assert len(images) == 3 * 9
    widths = browser.execute_script(
        "return Array.from(document.images).map(img => [img.dataset.alias, img.naturalWidth])"
    )
    assert [alias for alias, width in widths if width == 0] == []
    assert (
        browser.find_element(By.TAG_NAME, "h1").text == "Easy Thumbnails Issue Example"
    )
    figures = browser.find_element(By.ID, "page-figures")
    assert figures.find_element(By.TAG_NAME, "caption").text == (
        "This page's request, rendered by stock easy-thumbnails"
    )

    def shown(name):
        return figures.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]').text

    # The cold page: every alias of the 3 photos made and stored with one PUT.
    assert shown("thumbnails_made_count") == "27"
    assert "27 PUT" in shown("s3_requests").split(", ")
    assert int(shown("queries_count")) > 27
    assert float(shown("seconds")) > 0
    assert shown("rss_after_bytes").endswith("MB")
    # Beneath the figures, what they mean: the RSS is the process's, and what
    # the page should cost stock and with the fix.
    rss_note = browser.find_element(By.ID, "page-figures-rss")
    assert rss_note.is_displayed()
    assert "resident memory of the whole server process" in rss_note.text
    costs = browser.find_element(By.ID, "page-costs")
    assert costs.is_displayed()
    assert costs.text.startswith("What a page of 3 photos and 9 aliases costs: ")


def test_the_debug_toolbar_opens_collapsed_and_one_click_shows_the_sql_count(
    site_server, browser
):
    """The toolbar starts as a handle at the page's edge, not over it."""
    browser.get(f"{site_server}/")
    toolbar = browser.find_element(By.ID, "djDebugRoot").shadow_root
    handle = toolbar.find_element(By.CSS_SELECTOR, "#djShowToolBarButton")
    WebDriverWait(browser, 30).until(lambda driver: handle.is_displayed())
    panels = toolbar.find_element(By.CSS_SELECTOR, "#djDebugToolbar")
    assert not panels.is_displayed()

    handle.click()

    sql = toolbar.find_element(By.CSS_SELECTOR, "#djdt-SQLPanel")
    WebDriverWait(browser, 30).until(lambda driver: sql.is_displayed())
    assert re.search(r"\d+ quer(y|ies) in", sql.text), sql.text


def test_the_admin_s_pages_have_no_toolbar_over_their_columns(site_server, browser):
    """Its handle would lie over the change list's last column."""
    browser.get(f"{site_server}/admin/login/")
    WebDriverWait(browser, 30).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, "input[type=submit]")
    )

    assert browser.find_elements(By.ID, "djDebugRoot") == []


def test_a_site_whose_storage_does_not_answer_says_so_above_its_figures(
    site_env, browser, tmp_path
):
    """The line a command would give, at the top, where a reader looks first."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    env = {**site_env, "AWS_S3_ENDPOINT_URL": endpoint}

    with running_site(env, tmp_path / "runserver.log") as url:
        browser.get(f"{url}/")
        banner = browser.find_element(By.ID, "storage-problem")
        storage = browser.find_element(By.ID, "storage")

        assert banner.is_displayed()
        assert banner.text.startswith(
            f"The photo storage does not work: Cannot reach the S3 server at {endpoint}"
        )
        assert banner.location["y"] < storage.location["y"]
