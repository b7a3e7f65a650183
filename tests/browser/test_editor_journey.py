"""An editor's journey: sign in, write, illustrate, tag and schedule an article, then watch it go
live on the home page when its time comes, with no job run and nothing saved in between.
"""

import os
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles import images

pytestmark = pytest.mark.browser

TITLE = "Les drones ukrainiens frappent une raffinerie près de Riazan"
PASSWORD = "un mot de passe de rédaction"


@pytest.fixture
def photo(tmp_path):
    """A small real JPEG, as a camera would hand it over."""
    path = tmp_path / "raffinerie.jpg"
    image = Image.new("RGB", (1200, 800), "steelblue")
    ImageDraw.Draw(image).rectangle((300, 300, 900, 700), fill="darkorange")
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def in_process_cache(settings):
    # The clock is moved in this process only. Redis counts its expiry times in real seconds,
    # so a cached home page would outlive the travel there; the local-memory cache reads the
    # moved clock, so the page cache's 60-second lifetime is part of what this test crosses.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def sign_in(page, user):
    page.goto("/admin/login/?next=/admin/articles/article/add/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/add/$"))


def test_an_image_over_the_limit_is_refused_when_chosen_and_the_text_stays(new_page, tmp_path):
    editor = new_page()
    sign_in(editor, get_user_model().objects.create_superuser("cheffe", password=PASSWORD))
    editor.locator("#id_title").fill(TITLE)
    huge = tmp_path / "raffinerie.jpg"
    huge.touch()
    os.truncate(huge, images.MAX_BYTES + 1)
    expect(editor.locator(".field-hero_image [role=alert]")).to_be_hidden()  # nothing chosen yet
    editor.locator("#id_hero_image").set_input_files(huge)
    expect(editor.locator(".field-hero_image [role=alert]")).to_have_text("L’image dépasse 15 Mo.")
    assert editor.locator("#id_hero_image").evaluate("input => input.files.length") == 0
    expect(editor.locator("#id_title")).to_have_value(TITLE)


def test_editor_schedules_an_article_that_goes_live_when_its_time_comes(
    new_page, photo, in_process_cache
):
    editor_user = get_user_model().objects.create_superuser("cheffe", password=PASSWORD)
    editor, reader = new_page(), new_page()
    sign_in(editor, editor_user)

    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_dateline").fill("Kyiv")
    editor.locator("#id_standfirst").fill("L’armée ukrainienne revendique une frappe de nuit.")
    # Typed into the rich-text editor key by key, with its bold shortcut.
    body = editor.locator(".field-body [contenteditable=true]")
    body.click()
    editor.keyboard.type("La frappe a eu lieu vers 3 heures du matin. ")
    editor.keyboard.press("Control+b")
    editor.keyboard.type("Aucune victime")
    editor.keyboard.press("Control+b")
    editor.keyboard.type(" n’est signalée.")
    editor.keyboard.press("Enter")
    editor.keyboard.type("Moscou n’a pas commenté.")

    scheduled_at = timezone.localtime() + timedelta(minutes=1)
    editor.locator("#id_status").select_option("published")
    editor.locator("#id_published_at_0").fill(scheduled_at.strftime("%d/%m/%Y"))
    editor.locator("#id_published_at_1").fill(scheduled_at.strftime("%H:%M:%S"))
    editor.locator("#id_authors_from").select_option(label="La rédaction")
    editor.locator("#id_authors_add").click()
    editor.locator("#id_tags").fill("Ukraine, Russie")
    editor.locator("#id_hero_image").set_input_files(photo)
    editor.locator("#id_hero_alt").fill("Un panache de fumée au-dessus d’une raffinerie")
    editor.locator("[name=_save]").click()
    expect(editor.locator(".messagelist .success")).to_contain_text(TITLE)
    row = editor.get_by_role("row", name=TITLE)
    expect(row).to_contain_text("Programmé")
    # Back in the form, the editor shows the saved text, and the stored image.
    row.get_by_role("link", name=TITLE).click()
    expect(body.locator("strong")).to_have_text("Aucune victime")
    expect(editor.locator(".field-hero_image a")).to_have_text(
        re.compile(r"raffinerie-[0-9a-f]{12}\.jpg$")
    )

    reader.goto("/")
    expect(reader.locator(".teaser--lead")).to_be_visible()
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)

    # Two minutes on: past the publication time and the page cache's lifetime. The reader
    # reloads: Chromium's clock has not moved, so a plain visit could come from its own cache.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        reader.reload()
        reader.get_by_role("link", name=TITLE).first.click()
        expect(reader.locator("h1")).to_have_text(TITLE)
        expect(reader.locator(".article__body strong")).to_have_text("Aucune victime")
        hero = reader.locator(".article__figure img")
        expect(hero).to_have_attribute("alt", "Un panache de fumée au-dessus d’une raffinerie")
        assert hero.evaluate("image => image.complete && image.naturalWidth > 0")
