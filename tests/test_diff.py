"""Word-by-word differences between two versions of a text (articles.diff)."""

from django.test import SimpleTestCase
from django.utils.safestring import SafeString

from articles.diff import diff_html, diff_text, has_changes

DELETED = '<del><span class="visually-hidden">supprimé : </span>'
ADDED = '<ins><span class="visually-hidden">ajouté : </span>'


class WordDiffTests(SimpleTestCase):
    def test_a_changed_word_is_deleted_then_inserted_in_place(self):
        self.assertEqual(
            diff_html(
                "<p>Les forces russes ont frappé Kharkiv.</p>",
                "<p>Les forces ukrainiennes ont frappé Kharkiv hier.</p>",
            ),
            f"<p>Les forces {DELETED}russes</del> {ADDED}ukrainiennes</ins> ont frappé Kharkiv "
            f"{ADDED}hier</ins>.</p>",
        )

    def test_a_word_deleted_before_punctuation_keeps_its_space(self):
        self.assertEqual(
            diff_text("Frappé à Kharkiv hier.", "Frappé à Kharkiv."),
            f"Frappé à Kharkiv {DELETED}hier</del>.",
        )

    def test_accented_words_are_whole_words(self):
        self.assertEqual(
            diff_text("Le bilan s’élève à 12 morts", "Le bilan s’élève à 21 blessés"),
            f"Le bilan s’élève à {DELETED}12 morts</del>{ADDED}21 blessés</ins>",
        )

    def test_a_changed_accent_changes_the_word(self):
        self.assertEqual(diff_text("Kyïv", "Kyiv"), f"{DELETED}Kyïv</del>{ADDED}Kyiv</ins>")

    def test_an_accent_typed_as_two_characters_is_the_same_letter(self):
        decomposed, composed = "e\u0301te\u0301", "\u00e9t\u00e9"
        self.assertEqual(diff_text(decomposed, composed), composed)
        self.assertFalse(has_changes(decomposed, composed))

    def test_an_entity_and_its_character_are_the_same_text(self):
        self.assertEqual(diff_html("<p>d&eacute;j&agrave;</p>", "<p>déjà</p>"), "<p>déjà</p>")

    def test_markup_is_kept_not_compared_as_words(self):
        self.assertEqual(
            diff_html(
                "<p>Un <strong>bilan</strong> provisoire.</p>",
                "<p>Un <strong>bilan</strong> définitif.</p>",
            ),
            f"<p>Un <strong>bilan</strong> {DELETED}provisoire</del>{ADDED}définitif</ins>.</p>",
        )

    def test_marks_stay_inside_the_new_layout(self):
        self.assertEqual(
            diff_html("<p>Avant.</p>", "<p>Avant.</p><h2>Nouveau</h2><p>Un ajout.</p>"),
            f"<p>Avant.</p><h2>{ADDED}Nouveau</ins></h2><p>{ADDED}Un ajout.</ins></p>",
        )

    def test_a_deleted_paragraph_keeps_its_words_apart(self):
        self.assertEqual(
            diff_html("<p>Un.</p><p>Deux trois.</p><p>Quatre.</p>", "<p>Un.</p><p>Quatre.</p>"),
            f"<p>Un.</p> {DELETED}Deux trois.</del> <p>Quatre.</p>",
        )

    def test_changed_markup_alone_shows_no_mark(self):
        self.assertEqual(
            diff_html("<p>Un mot</p>", "<p>Un <em>mot</em></p>"), "<p>Un <em>mot</em></p>"
        )
        self.assertTrue(has_changes("<p>Un mot</p>", "<p>Un <em>mot</em></p>"))

    def test_reflowed_space_is_no_change(self):
        self.assertFalse(has_changes("<p>Un\n  mot</p>", "<p>Un mot</p>"))

    def test_identical_texts_have_no_marks(self):
        body = "<p>Des troupes nord-coréennes soutiennent la Russie.</p>"
        self.assertEqual(diff_html(body, body), body)

    def test_text_with_markup_characters_is_escaped(self):
        self.assertEqual(
            diff_text("Selon <l'AFP>", "Selon <l'AFP> & Reuters"),
            f"Selon &lt;l'AFP&gt; {ADDED}&amp; Reuters</ins>",
        )

    def test_the_result_is_safe_html(self):
        self.assertIsInstance(diff_html("<p>a</p>", "<p>b</p>"), SafeString)

    def test_hostile_markup_on_either_side_is_removed(self):
        result = diff_html(
            '<p>a <img src=x onerror="alert(1)"> <a href="javascript:alert(2)">lien</a></p>',
            '<p>a <script>alert(3)</script><span class="visually-hidden" onclick="x()">b</span>'
            '<ins onmouseover="alert(4)">c</ins><iframe src="https://evil.example"></iframe></p>',
        )
        for hostile in ("<img", "onerror", "javascript:", "<script", "alert(3)", "onclick"):
            self.assertNotIn(hostile, result)
        self.assertNotIn("onmouseover", result)
        self.assertNotIn("iframe", result)

    def test_a_forged_label_class_on_a_span_does_not_survive_the_inputs(self):
        result = diff_html("<p>a</p>", '<p>a <span class="visually-hidden">caché</span></p>')
        self.assertEqual(result, f"<p>a {ADDED}caché</ins></p>")

    def test_empty_sides(self):
        self.assertEqual(diff_html("", "<p>Tout neuf</p>"), f"<p>{ADDED}Tout neuf</ins></p>")
        self.assertEqual(diff_html("<p>Parti</p>", ""), f"{DELETED}Parti</del>")
        self.assertEqual(diff_text(None, ""), "")

    def test_frequent_words_do_not_blur_a_long_text(self):
        # difflib's autojunk would treat "de" and "la" as noise past 200 words.
        paragraph = "de la ville de la région de la nation " * 40
        result = diff_html(f"<p>{paragraph}fin</p>", f"<p>{paragraph}suite</p>")
        self.assertEqual(result.count("<del>"), 1)
        self.assertEqual(result.count("<ins>"), 1)
        self.assertIn(f"{DELETED}fin</del>{ADDED}suite</ins>", result)
