"""Keep the search index in step with every article saved (loaddata included) or deleted, and
with the keywords it is found by: its tags and authors, and their names."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import search


def article_model():
    return apps.get_model("articles", "Article")


@receiver(post_save, sender="articles.Article")
def index_article(sender, instance, **kwargs):
    search.index([instance])


@receiver(post_delete, sender="articles.Article")
def remove_article(sender, instance, **kwargs):
    search.remove([instance.pk])


@receiver([post_save, post_delete], sender=TaggedItem)
def tagging_changed(sender, instance, **kwargs):
    model = article_model()
    if instance.content_type_id == ContentType.objects.get_for_model(model).pk:
        search.refresh_keywords(model, [instance.object_id])


@receiver(m2m_changed, sender="articles.Article_authors")
def bylines_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from articles.models import articles_with_changed_bylines

    changed = articles_with_changed_bylines(instance, action, reverse, pk_set)
    if changed is not None:
        search.refresh_keywords(article_model(), changed)


@receiver(pre_delete, sender="articles.Author")
def author_deleting(sender, instance, **kwargs):
    # Its bylines go with it without any m2m signal: index its articles once they have.
    instance.search_articles = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender="articles.Author")
def author_deleted(sender, instance, **kwargs):
    search.refresh_keywords(article_model(), instance.search_articles)


@receiver(pre_save, sender=Tag)
@receiver(pre_save, sender="articles.Author")
def remember_name(sender, instance, **kwargs):
    former = sender._default_manager.filter(pk=instance.pk).values_list("name", flat=True)
    instance.former_name = former.first() if instance.pk else None


@receiver(post_save, sender=Tag)
@receiver(post_save, sender="articles.Author")
def name_saved(sender, instance, created, **kwargs):
    """A new name: into the vocabulary; a renamed tag or author: its articles' keywords too."""
    renamed = not created and instance.name != instance.former_name
    if created or renamed:
        search.add_terms([instance.name])
    if renamed:
        model = article_model()
        if sender is Tag:
            articles = TaggedItem.objects.filter(
                tag=instance, content_type=ContentType.objects.get_for_model(model)
            ).values_list("object_id", flat=True)
        else:
            articles = instance.articles.values_list("pk", flat=True)
        search.refresh_keywords(model, articles)
