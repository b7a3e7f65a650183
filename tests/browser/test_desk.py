"""The editors' desk, in a real browser: a writer's day and an editor's day.

Every page of the desk is audited by axe-core and photographed at 1440×900
(artifacts/screenshots/desk-*.png) for a person to look at.
"""

import re

import pytest
from playwright.sync_api import expect
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.browser

TOOLBAR = {
    "bold": "Gras",
    "italic": "Italique",
    "bulletList": "Liste à puces",
    "orderedList": "Liste numérotée",
    "blockquote": "Citation",
    "link": "Ajouter un lien",
    "history:undo": "Annuler",
    "history:redo": "Rétablir",
}


def word_centre(editable, word):
    """Where ``word``, the last in ``editable``'s last line, is drawn on the page."""
    return editable.evaluate(
        """(element, word) => {
            const text = element.lastElementChild.lastChild;
            const range = document.createRange();
            range.setStart(text, text.length - word.length);
            range.setEnd(text, text.length);
            const box = range.getBoundingClientRect();
            return [box.x + box.width / 2, box.y + box.height / 2];
        }""",
        word,
    )


def test_a_writers_day(desk, site):
    colleague = make_article(title="L’article d’un collègue", status=Article.Status.DRAFT)
    writer = desk("paul", "Rédacteurs")
    writer.goto("/admin/articles/article/add/")
    writer.locator("#id_title").fill("Kharkiv sous les bombes")
    writer.locator("#id_standfirst").fill("La nuit la plus longue depuis le printemps.")
    menubar = writer.locator(".field-body .prose-menubar")
    for name, label in TOOLBAR.items():
        expect(menubar.locator(f'[data-name="{name}"]')).to_have_attribute("title", label)
    body = writer.locator(".field-body [contenteditable=true]")
    expect(body).to_have_attribute("spellcheck", "true")
    expect(body).to_have_attribute("lang", "fr")
    assert body.bounding_box()["height"] >= 400

    # Every toolbar action, as a writer would use it.
    body.click()
    writer.keyboard.type("Les sirènes ont retenti vers 2 heures.")
    writer.keyboard.press("Enter")
    menubar.locator(".prose-menubar__selected").click()
    writer.locator('.prose-menubar__option[data-name="heading2"]').click()
    writer.keyboard.type("Dans les abris")
    writer.keyboard.press("Enter")
    menubar.locator('[data-name="bulletList"]').click()
    writer.keyboard.type("Des familles")
    writer.keyboard.press("Enter")
    writer.keyboard.type("Des soldats")
    writer.keyboard.press("Enter")
    writer.keyboard.press("Enter")
    menubar.locator('[data-name="orderedList"]').click()
    writer.keyboard.type("Premier")
    writer.keyboard.press("Enter")
    writer.keyboard.press("Enter")
    menubar.locator('[data-name="blockquote"]').click()
    writer.keyboard.type("Nous avons eu peur.")
    writer.keyboard.press("Enter")
    writer.keyboard.press("Enter")
    menubar.locator('[data-name="bold"]').click()
    writer.keyboard.type("Bilan")
    menubar.locator('[data-name="bold"]').click()
    menubar.locator('[data-name="italic"]').click()
    writer.keyboard.type(" provisoire")
    menubar.locator('[data-name="italic"]').click()
    writer.keyboard.type(" : la mairie")
    # The editor reads typed text from the page after the key presses, and then puts the cursor
    # after it: a selection made before that is lost. Its form field shows when it has.
    expect(writer.locator("#id_body")).to_have_value(re.compile(r" : la mairie</p>$"))
    writer.mouse.dblclick(*word_centre(body, "mairie"))
    link = menubar.locator('[data-name="link"]')
    expect(link).not_to_have_class(re.compile(r"\bdisabled\b"))
    link.click()
    dialog = writer.locator("dialog.prose-editor-dialog")
    expect(dialog).to_contain_text("Modifier le lien")
    expect(dialog).not_to_contain_text("nouvelle fenêtre")
    dialog.locator("[name=href]").fill("https://kharkiv.example/")
    dialog.get_by_role("button", name="Mettre à jour").click()
    writer.keyboard.press("End")
    writer.keyboard.type(" XX")
    menubar.locator('[data-name="history:undo"]').click()
    menubar.locator('[data-name="history:redo"]').click()
    menubar.locator('[data-name="history:undo"]').click()
    writer.locator("#id_authors_from").select_option(index=0)
    writer.locator("#id_authors_add").click()
    desk.check(writer, "article-form", ".field-body")
    writer.locator("[name=_continue]").click()
    expect(writer.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(title="Kharkiv sous les bombes")
    for markup in (
        "<h2>Dans les abris</h2>",
        "<ul><li><p>Des familles",
        "<ol>",
        "<blockquote>",
        "<strong>Bilan</strong>",
        "<em> provisoire</em>",
        'href="https://kharkiv.example/"',
        "la <a",
        ">mairie</a>",
    ):
        assert markup in article.body, markup
    assert "XX" not in article.body and "target" not in article.body

    # Autosave: a revision with the typed text, the article itself left alone. The form takes
    # its text to compare with once the editor has started: a writer cannot type before that.
    writer.wait_for_function("editable => editable.editor.isInitialized", arg=body.element_handle())
    body.click()
    writer.keyboard.press("Control+End")
    writer.keyboard.type(" Texte en cours.")
    expect(writer.locator("#autosave-status")).to_contain_text(
        "Brouillon sauvegardé automatiquement", timeout=15000
    )
    assert "Texte en cours." in article.history.latest().body
    article.refresh_from_db()
    assert "Texte en cours." not in article.body

    # Leaving with unsaved changes asks first.
    dialogs = []
    writer.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    writer.locator(".historylink").click()
    expect(writer).to_have_url(re.compile(r"/change/$"))
    assert dialogs == ["beforeunload"]

    writer.locator("[name=_submit_review]").click()
    expect(writer.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    # A colleague's article opens read-only.
    writer.goto(f"/admin/articles/article/{colleague.pk}/change/")
    expect(writer.locator("h1")).to_have_text("Afficher l’article")
    expect(writer.locator("[name=_save]")).to_have_count(0)


def test_an_editors_day(desk, site):
    waiting = make_article(title="Frappes sur Kharkiv", status=Article.Status.DRAFT)
    waiting.submit_for_review()
    waiting.save()
    article = make_article(
        title="Les troupes avancent",
        body="<p>Les troupes avancent vers Koursk.</p>",
        tags=["Corée du Nord"],
    )
    editor = desk("ines", "Éditeurs", first_name="Inès")
    colleague = desk("marc", "Éditeurs")

    # The queue, from the article list; publish from it.
    editor.goto("/admin/articles/article/")
    editor.get_by_role("link", name="À relire (1)").click()
    expect(editor.locator(".review-item h2")).to_have_text("Frappes sur Kharkiv")
    desk.check(editor, "review-queue")
    editor.get_by_role("button", name="Publier maintenant").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("est publié")
    waiting.refresh_from_db()
    assert waiting.state == Article.State.LIVE

    # Two editors on one article: the second save is refused and shows both sides.
    url = f"/admin/articles/article/{article.pk}/change/"
    editor.goto(url)
    colleague.goto(url)
    colleague.locator("#id_title").fill("Les troupes reculent")
    colleague.locator("[name=_continue]").click()
    expect(colleague.locator(".messagelist .success")).to_be_visible()
    editor.locator("#id_title").fill("Les troupes avancent encore")
    editor.locator("[name=_continue]").click()
    conflict = editor.locator(".conflict")
    expect(conflict).to_contain_text("marc a enregistré cet article le")
    expect(conflict.locator("ins").first).to_contain_text("reculent")
    expect(conflict).to_contain_text("encore")
    desk.check(editor, "conflict")

    editor.goto(f"/admin/articles/article/{article.pk}/history/")
    expect(editor.locator("#change-history")).to_contain_text("avancent")
    desk.check(editor, "history")
    editor.get_by_role("button", name="Comparer").click()
    expect(editor.locator(".compare")).to_contain_text("reculent")
    desk.check(editor, "compare")

    # Rename a tag; its old address leads to the new one.
    tag = Tag.objects.get(name="Corée du Nord")
    editor.goto(f"/admin/taggit/tag/{tag.pk}/change/")
    editor.locator("#id_slug").fill("coree-du-nord-guerre")
    editor.locator("[name=_save]").click()
    desk.check(editor, "tags")
    editor.goto("/tags/coree-du-nord/")
    expect(editor).to_have_url(re.compile(r"/tags/coree-du-nord-guerre/$"))
    expect(editor.locator("main")).to_contain_text("Les troupes reculent")
